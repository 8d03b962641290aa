"""Errors and small helpers shared by the whole package."""


def switched_off(environ, variable):
    """Whether an on-by-default setting is turned off in the environment (0, false, no, off)."""
    return environ.get(variable, '1').strip().lower() in ('0', 'false', 'no', 'off')


def named_function(function, name, doc):
    """`function` shown as `name`, with `doc` (for functions made per operator)."""
    function.__name__ = function.__qualname__ = name
    function.__doc__ = doc
    return function


class MXNetError(RuntimeError):
    """Raised when a graph, an operator or its inputs break one of MXNet's rules."""


class NotImplementedForSymbol(MXNetError):
    """Raised for Python operations that a declarative Symbol cannot support."""

    def __init__(self, function, alias, *args):
        super().__init__()
        self.function = function.__name__
        self.alias = alias
        self.args = [str(type(a)) for a in args]

    def __str__(self):
        msg = 'Function {}'.format(self.function)
        if self.alias:
            msg += ' (namely operator "{}")'.format(self.alias)
        if self.args:
            msg += ' with arguments ({})'.format(', '.join(self.args))
        msg += ' is not implemented for Symbol and only available in NDArray.'
        return msg
