"""The pickle format of MXNet 1.9.1's updater states (``Updater.get_states``, the ``.states``
files of `Module.save_optimizer_states`), written and read without MXNet.

MXNet pickles each NDArray as ``mxnet.ndarray.ndarray.NDArray`` rebuilt from ``{'handle':
bytearray}``, the bytes being the array in MXNet's binary NDArray format, and optimizers and
schedulers by their ``mxnet.optimizer.optimizer`` / ``mxnet.lr_scheduler`` class paths. mxsym
writes the same opcodes (protocol 4, byte for byte what MXNet writes for the same values) and
maps those class paths to its own classes when reading.

A states file may come from anyone, and a pickle can name any callable: reading allows only
what real states hold (NDArrays, numpy arrays and scalars, Python containers, the optimizer and
scheduler classes) and refuses every other class with an MXNetError naming it.
"""
import io
import pickle
import pickletools

import jax.numpy as jnp
import numpy as np

from .base import MXNetError
from .ndarray import NDArray
from .ndarray_file import Reader, array_bytes, read_array

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
        raw = state.get('handle') if isinstance(state, dict) else state
        if raw is None:
            return
        if not isinstance(raw, (bytes, bytearray)):
            raise MXNetError('optimizer states: a pickled NDArray holds %s, not bytes'
                             % type(raw).__name__)
        self.array = NDArray(jnp.asarray(read_array(Reader(bytes(raw), 'pickled NDArray'), 0)))


class _StatesPickler(pickle._Pickler):
    """Pickles NDArrays, mxsym optimizers and schedulers under MXNet's class paths."""

    def reducer_override(self, obj):
        if isinstance(obj, NDArray):
            return (_PickledNDArray, _REBUILD_ARGS,
                    {'handle': bytearray(array_bytes(obj.asnumpy()))})
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


def _bytearray(data=b'', *encoding):
    """`bytearray` as pickles rebuild it, from bytes or text only: never from a size."""
    if not isinstance(data, (bytes, str)):
        raise MXNetError('optimizer states: a bytearray must be rebuilt from bytes, not from '
                         '%s' % type(data).__name__)
    return bytearray(data, *encoding)


def _latin1_bytes(text, encoding):
    """`_codecs.encode` as protocol-2 pickles use it: text to bytes, by latin-1 only."""
    if not isinstance(text, str) or encoding not in ('latin1', 'latin-1'):
        raise MXNetError('optimizer states: bytes must be pickled as latin-1 text')
    return text.encode('latin-1')


class _NumpyArrayClass:
    """Stands for `numpy.ndarray` in a pickle, where numpy names it as the subtype of the array
    it rebuilds; calling it (an array of any size) is not something real states do."""

    def __init__(self, *args):
        raise MXNetError('optimizer states: the pickle calls numpy.ndarray itself')


# The numpy and builtin callables that pickles of arrays, scalars and containers name.
_ALLOWED_GLOBALS = {
    ('_codecs', 'encode'): _latin1_bytes,
    ('builtins', 'bytearray'): _bytearray,
    ('builtins', 'set'): set,
    ('builtins', 'frozenset'): frozenset,
    ('builtins', 'complex'): complex,
    ('builtins', 'slice'): slice,
    ('numpy', 'ndarray'): _NumpyArrayClass,
    ('numpy', 'dtype'): np.dtype,
}
_ARRAY_REBUILDER = np.zeros(0).__reduce__()[0]     # numpy's own, wherever it lives
_SCALAR_REBUILDER = np.float32(0).__reduce__()[0]


def _empty_array(subtype, shape, dtype):
    """numpy's array rebuilder, for the empty array numpy pickles first (its data comes with
    the state that follows): never an array of a size the file chooses."""
    if subtype is not _NumpyArrayClass:
        raise MXNetError('optimizer states: a pickled numpy array must be a numpy.ndarray')
    if shape != (0,):
        raise MXNetError('optimizer states: a pickled numpy array must start empty, not with '
                         'shape %r' % (shape,))
    return _ARRAY_REBUILDER(np.ndarray, shape, dtype)


for _module in ('numpy.core.multiarray', 'numpy._core.multiarray'):
    _ALLOWED_GLOBALS[(_module, '_reconstruct')] = _empty_array
    _ALLOWED_GLOBALS[(_module, 'scalar')] = _SCALAR_REBUILDER
class _StatesUnpickler(pickle.Unpickler):
    """Rebuilds only the allowed globals and `state_classes`, {(module, qualified name):
    class}; MXNet's class paths map to mxsym's."""

    def __init__(self, file, state_classes):
        super().__init__(file)
        self.state_classes = state_classes

    def find_class(self, module, name):
        if (module, name) == _NDARRAY_PATH:
            return _PickledNDArray
        if (module, name) in _ALLOWED_GLOBALS:
            return _ALLOWED_GLOBALS[(module, name)]
        found = self.state_classes.get((_MODULE_PATHS.get(module, module), name))
        if found is not None:
            return found
        raise MXNetError('optimizer states: refusing to load %s.%s: a states file may hold '
                         'only NDArrays, numpy arrays and scalars, Python containers and '
                         'MXNet\'s optimizer and scheduler classes' % (module, name))


def dumps(obj):
    """`obj` pickled as MXNet pickles it (NDArrays, optimizers, schedulers)."""
    buffer = io.BytesIO()
    _StatesPickler(buffer, protocol=4).dump(obj)
    return buffer.getvalue()


def loads(payload, state_classes=None):
    """What `dumps` (or MXNet's ``Updater.get_states``) pickled, with mxsym NDArrays; an
    MXNetError for anything else. `state_classes`: {(module, qualified name): class} of the
    optimizer and scheduler classes the states may hold (`Updater.set_states` gives them);
    without it, only arrays, scalars and containers load."""
    try:
        for _ in pickletools.genops(payload):   # every length checked against the bytes
            pass                                # before the unpickler allocates for it
        return _unwrap(_StatesUnpickler(io.BytesIO(payload), state_classes or {}).load())
    except MXNetError:
        raise
    except Exception as err:   # a malformed pickle fails in many ways, all of them the file's
        raise MXNetError('optimizer states: not a valid states pickle (%s: %s)'
                         % (type(err).__name__, err)) from None


def _unwrap(obj):
    if isinstance(obj, _PickledNDArray):
        return obj.array
    if isinstance(obj, dict):
        return {key: _unwrap(value) for key, value in obj.items()}
    if isinstance(obj, (tuple, list)):
        return type(obj)(_unwrap(value) for value in obj)
    return obj
