"""`AttrScope`: attributes attached to every symbol created inside a ``with`` block."""
import threading
from collections import defaultdict


class AttrScope:
    """Attributes (string to string) given to all symbols created in the scope."""

    _current = threading.local()
    # How many subgraphs of each name the control-flow builders (mx.sym.contrib) have made.
    _subgraph_names = defaultdict(int)

    def __init__(self, **kwargs):
        for value in kwargs.values():
            if not isinstance(value, str):
                raise ValueError('Attributes need to be string')
        self._attr = kwargs
        self._old_scope = None

    def get(self, attr):
        """The scope's attributes updated with the ones given at creation."""
        merged = dict(self._attr)
        merged.update(attr or {})
        return merged

    def __enter__(self):
        self._old_scope = current()
        merged = dict(self._old_scope._attr)
        merged.update(self._attr)
        self._attr = merged
        AttrScope._current.value = self
        return self

    def __exit__(self, ptype, value, trace):
        AttrScope._current.value = self._old_scope


def current():
    """The attribute scope in force."""
    if not hasattr(AttrScope._current, 'value'):
        AttrScope._current.value = AttrScope()
    return AttrScope._current.value
