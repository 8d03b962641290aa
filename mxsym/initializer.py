"""`mx.init`: initializer descriptions, serialized as MXNet stores them in ``__init__`` attrs.

Only the descriptions live here for now (what `Variable(init=...)` records in the graph); drawing
the values belongs to the training stack.
"""
import json


class Initializer:
    """An initializer and its keyword arguments; `dumps` gives MXNet's ``[name, kwargs]`` text."""

    def __init__(self, **kwargs):
        self._kwargs = kwargs

    def dumps(self):
        return json.dumps([self.__class__.__name__.lower(), self._kwargs])

    def __repr__(self):
        return self.dumps()


class Zero(Initializer):
    def __init__(self):
        super().__init__()


class One(Initializer):
    def __init__(self):
        super().__init__()


class Constant(Initializer):
    def __init__(self, value):
        super().__init__(value=value)


class Uniform(Initializer):
    def __init__(self, scale=0.07):
        super().__init__(scale=scale)


class Normal(Initializer):
    def __init__(self, sigma=0.01):
        super().__init__(sigma=sigma)


class Xavier(Initializer):
    def __init__(self, rnd_type='uniform', factor_type='avg', magnitude=3):
        super().__init__(rnd_type=rnd_type, factor_type=factor_type, magnitude=magnitude)


class MSRAPrelu(Initializer):
    def __init__(self, factor_type='avg', slope=0.25):
        super().__init__(factor_type=factor_type, slope=slope)
