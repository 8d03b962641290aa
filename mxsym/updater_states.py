"""The pickle format of MXNet 1.9.1's updater states (``Updater.get_states``, the ``.states``
files of `Module.save_optimizer_states`), written and read without MXNet.

MXNet pickles each NDArray as ``mxnet.ndarray.ndarray.NDArray`` rebuilt from ``{'handle':
bytearray}``, the bytes being the array in MXNet's binary NDArray format, and optimizers and
schedulers by their ``mxnet.optimizer.optimizer`` / ``mxnet.lr_scheduler`` class paths. mxsym
writes the same opcodes (protocol 4, byte for byte what MXNet writes for the same values) and
maps those class paths to its own classes when reading.
"""
import importlib
import io
import pickle

import jax.numpy as jnp

from .base import MXNetError
from .ndarray import NDArray
from .ndarray_file import _array_bytes, _read_array, _Reader

_NDARRAY_PATH = ('mxnet.ndarray.ndarray', 'NDArray')
_MODULE_PATHS = {'mxnet.optimizer.optimizer': 'mxsym.optimizer',
                 'mxnet.lr_scheduler': 'mxsym.lr_scheduler'}
_MXNET_PATHS = {ours: theirs for theirs, ours in _MODULE_PATHS.items()}
_REBUILD_ARGS = (None,)


class _PickledNDArray:
    """Stands for MXNet's NDArray class in a pickle: called with None, then given its state."""

    def __init__(self, _):
        self.array = None

    def __setstate__(self, state):
        raw = state['handle']
        if raw is None:
            return
        self.array = NDArray(jnp.asarray(_read_array(_Reader(bytes(raw), 'pickled NDArray'), 0)))


class _StatesPickler(pickle._Pickler):
    """Pickles NDArrays, mxsym optimizers and schedulers under MXNet's class paths."""

    def reducer_override(self, obj):
        if isinstance(obj, NDArray):
            return _PickledNDArray, _REBUILD_ARGS, {'handle': bytearray(_array_bytes(obj))}
        return NotImplemented

    def save_global(self, obj, name=None):
        path = _mxnet_path(obj)
        if path is None:
            return super().save_global(obj, name)
        self.save(path[0])
        self.save(path[1])
        self.write(pickle.STACK_GLOBAL)
        self.memoize(obj)


def _mxnet_path(obj):
    if obj is _PickledNDArray:
        return _NDARRAY_PATH
    module = _MXNET_PATHS.get(getattr(obj, '__module__', None))
    return (module, obj.__qualname__) if module else None


class _StatesUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) == _NDARRAY_PATH:
            return _PickledNDArray
        if module in _MODULE_PATHS:
            ours = importlib.import_module(_MODULE_PATHS[module])
            if not hasattr(ours, name):
                raise MXNetError('optimizer states: %s.%s has no mxsym counterpart'
                                 % (module, name))
            return getattr(ours, name)
        return super().find_class(module, name)


def dumps(obj):
    """`obj` pickled as MXNet pickles it (NDArrays, optimizers, schedulers)."""
    buffer = io.BytesIO()
    _StatesPickler(buffer, protocol=4).dump(obj)
    return buffer.getvalue()


def loads(payload):
    """What `dumps` (or MXNet's ``Updater.get_states``) pickled, with mxsym NDArrays."""
    return _unwrap(_StatesUnpickler(io.BytesIO(payload)).load())


def _unwrap(obj):
    if isinstance(obj, _PickledNDArray):
        return obj.array
    if isinstance(obj, dict):
        return {key: _unwrap(value) for key, value in obj.items()}
    if isinstance(obj, (tuple, list)):
        return type(obj)(_unwrap(value) for value in obj)
    return obj
