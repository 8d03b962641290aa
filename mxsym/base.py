"""Errors and small helpers shared by the whole package."""
import contextlib
import ctypes
import os
import threading

import jax
import numpy as np


def switched_off(environ, variable):
    """Whether an on-by-default setting is turned off in the environment (0, false, no, off)."""
    return environ.get(variable, '1').strip().lower() in ('0', 'false', 'no', 'off')


def named_function(function, name, doc):
    """`function` shown as `name`, with `doc` (for functions made per operator)."""
    function.__name__ = function.__qualname__ = name
    function.__doc__ = doc
    return function


def renamed(function, name):
    """A function calling `function`, under the name `name` (what ``jax.jit`` names its XLA
    program after)."""
    def call(*args):
        return function(*args)
    call.__name__ = call.__qualname__ = name
    return call


class MXNetError(RuntimeError):
    """Raised when a graph, an operator or its inputs break one of MXNet's rules."""


class MXNetAssertionError(MXNetError, AssertionError):
    """A misuse that MXNet's Python layer reports with an assert (control-flow bodies)."""


class MXNetIndexError(MXNetError, IndexError):
    """An index out of range where MXNet raises IndexError (gather_nd)."""


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


integer_types = (int, np.integer)
numeric_types = (float, int, np.generic)
string_types = (str,)
mx_real_t = np.float32
NDArrayHandle = ctypes.c_void_p   # what `NDArray.handle` is and `NDArray(handle)` takes


def py_str(raw):
    """Text from the UTF-8 bytes MXNet's C API would return."""
    return raw.decode('utf-8')


def _as_list(obj):
    """`obj` itself when it is a list or tuple, else ``[obj]``."""
    return obj if isinstance(obj, (list, tuple)) else [obj]


def data_dir():
    """Where downloaded data and models are kept: $MXNET_HOME, else ~/.mxnet."""
    return os.getenv('MXNET_HOME', os.path.join(os.path.expanduser('~'), '.mxnet'))


class _NullType:
    """Placeholder for an argument that was not given."""

    def __repr__(self):
        return '_Null'


_Null = _NullType()


_host_failure = threading.local()


def record_host_failure(error):
    """Keep the MXNetError a Python callback inside a compiled program (a custom op) raised, for
    `host_failures_raised` to raise in place of XLA's runtime error."""
    _host_failure.error = error


_deferred_failures = []
_deferred_lock = threading.Lock()


def defer_failure(error):
    """Keep an MXNetError a program found in its values (an out-of-range index) while it ran
    on, for the next read of a result to raise, as MXNet raises its asynchronous ops' errors."""
    with _deferred_lock:
        _deferred_failures.append(error)


def raise_deferred_failure():
    """Raise, once, the first failure kept by `defer_failure` since the last read."""
    if not _deferred_failures:
        return
    with _deferred_lock:
        error = _deferred_failures[0]
        _deferred_failures.clear()
    raise error


@contextlib.contextmanager
def host_failures_raised(what):
    """Run a compiled program; a failure inside it comes out as an MXNetError: the one a
    Python callback recorded, else one naming `what` and XLA's message."""
    try:
        yield
    except jax.errors.JaxRuntimeError as err:
        error, _host_failure.error = getattr(_host_failure, 'error', None), None
        if error is not None:
            raise error from error.__cause__
        raise MXNetError('%s: %s' % (what, str(err).splitlines()[0])) from err
