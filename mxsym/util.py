"""`mx.util`: NumPy-shape and NumPy-array semantics switches, environment access, small helpers.

NumPy-shape semantics (off by default, as in MXNet) make `()` the shape of a scalar and `0` a
real size; unknown sizes are then written -1 and a wholly unknown shape is None. The switches are
per thread, as MXNet's are.
"""
import functools
import inspect
import os
import threading

from .context import num_gpus

_state = threading.local()


def _flag(name):
    return getattr(_state, name, False)


def set_np_shape(active):
    """Turn NumPy-shape semantics on or off; returns the previous setting."""
    if not active and is_np_array():
        raise ValueError('NumPy-shape semantics cannot be turned off while NumPy-array '
                         'semantics is on; call reset_np() to turn off both')
    previous = _flag('np_shape')
    _state.np_shape = bool(active)
    return previous


def is_np_shape():
    """Whether NumPy-shape semantics is on."""
    return _flag('np_shape')


def _set_np_array(active):
    previous = _flag('np_array')
    _state.np_array = bool(active)
    return previous


def is_np_array():
    """Whether NumPy-array semantics is on."""
    return _flag('np_array')


class _Scope:
    """A `with` scope that sets one switch and restores it on exit."""

    def __init__(self, setter, active):
        self._setter = setter
        self._active = active
        self._previous = None

    def __enter__(self):
        self._previous = self._setter(self._active)
        return self

    def __exit__(self, *exc_info):
        self._setter(self._previous)


def np_shape(active=True):
    """A scope with NumPy-shape semantics on (or off)."""
    return _Scope(set_np_shape, active)


def np_array(active=True):
    """A scope with NumPy-array semantics on (or off)."""
    return _Scope(_set_np_array, active)


def _scoped(make_scope, func):
    """`func` (a function, or every method of a class) run inside `make_scope()`."""
    if inspect.isclass(func):
        for name, method in list(vars(func).items()):
            if inspect.isfunction(method):
                setattr(func, name, _scoped(make_scope, method))
        return func
    if not callable(func):
        raise TypeError('%s is not a function or a class' % (func,))

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with make_scope():
            return func(*args, **kwargs)
    return wrapper


def use_np_shape(func):
    """Decorator: run `func` (or a class's methods) with NumPy-shape semantics on."""
    return _scoped(np_shape, func)


def use_np_array(func):
    """Decorator: run `func` (or a class's methods) with NumPy-array semantics on."""
    return _scoped(np_array, func)


def use_np(func):
    """Decorator: NumPy-shape and NumPy-array semantics both on."""
    return use_np_shape(use_np_array(func))


def set_np(shape=True, array=True):
    """Set both switches; NumPy-array semantics needs NumPy-shape semantics."""
    if array and not shape:
        raise ValueError('NumPy-shape semantics is required in using NumPy-array semantics')
    _set_np_array(array)
    set_np_shape(shape)


def reset_np():
    """Turn off NumPy-shape and NumPy-array semantics."""
    set_np(shape=False, array=False)


def getenv(name):
    """The value of an environment variable, or None when unset."""
    return os.environ.get(name)


def setenv(name, value):
    """Set (or, with None, unset) an environment variable."""
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


def makedirs(path):
    """Create a directory and its parents; an existing directory is fine."""
    os.makedirs(os.path.expanduser(path), exist_ok=True)


def get_gpu_count():
    """Number of GPUs JAX can see."""
    return num_gpus()
