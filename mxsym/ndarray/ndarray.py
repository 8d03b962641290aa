"""`mx.nd.NDArray`: MXNet 1.9.1's imperative array, its values held in a `jax.Array`.

Besides the array this module holds MXNet's Python-level arithmetic (``mx.nd.add`` ... which
back ``+ - * / % **`` and the comparisons) and the creation functions. Operators generated from
the op registry are attached next to them as ``mx.nd.<op>``.

MXNet's numerics are kept where they differ from NumPy's: a scalar operand is first cast to the
array's dtype (``int32 * 2.5`` multiplies by 2), results keep the array's dtype, two arrays must
share a dtype, ``%`` takes the divisor's sign and gives 0 for a zero divisor, and casts from
float to int behave as C++ on x86 does.
"""
import ctypes
import functools
import math
import operator
import warnings
import weakref
from types import SimpleNamespace

import jax
import jax.numpy as jnp
import numpy as np

from .. import imperative, ndarray_file, ops_registry, tape
from . import storage
from ..util import is_np_shape
from ..base import MXNetError, raise_deferred_failure
from ..ops.rules import c_cast
from ..ops.shape import reshape_target
from ..context import Context, current_context

__all__ = ['NDArray', 'py_slice', 'add', 'subtract', 'multiply', 'divide', 'true_divide',
           'modulo', 'power', 'maximum', 'minimum', 'equal', 'not_equal', 'greater',
           'greater_equal', 'lesser', 'lesser_equal', 'logical_and', 'logical_or', 'logical_xor',
           'zeros', 'ones', 'empty', 'full', 'array', 'arange', 'waitall',
           'eye', 'linspace', 'concatenate', 'moveaxis', 'onehot_encode', 'split_v2',
           'from_numpy', 'to_dlpack_for_read', 'to_dlpack_for_write', 'from_dlpack', 'save',
           'load', 'load_frombuffer', 'histogram']

py_slice = slice   # MXNet's name for Python's slice, where `slice` is an operator
_DEFAULT_DTYPE = np.float32
_SUPPORTED_DTYPES = (np.float32, np.float64, np.float16, np.uint8, np.int32, np.int8, np.int64,
                     np.bool_)
_NUMERIC_TYPES = (float, int, np.generic)
_INTEGER_TYPES = (int, np.integer)

# MXNet's storage type codes.
_STORAGE_TYPE_UNDEFINED, _STORAGE_TYPE_DEFAULT = -1, 0
_STORAGE_TYPE_ROW_SPARSE, _STORAGE_TYPE_CSR = 1, 2
_STORAGE_TYPE_STR_TO_ID = {'undefined': _STORAGE_TYPE_UNDEFINED, 'default': _STORAGE_TYPE_DEFAULT,
                           'row_sparse': _STORAGE_TYPE_ROW_SPARSE, 'csr': _STORAGE_TYPE_CSR}
_STORAGE_TYPE_ID_TO_STR = {code: name for name, code in _STORAGE_TYPE_STR_TO_ID.items()}
# MXNet 1.9.1 printed with NumPy 1.x. NumPy 2.3 began printing float16 with exponents from
# 1000 on (NumPy 1.x: from 1e8 on); NumPy 2's '1.25' legacy mode keeps the old rule.
_PRINT_OPTIONS = {'legacy': '1.25'} if np.lib.NumpyVersion(np.__version__) >= '2.0.0' else {}


def _as_dtype(dtype, default=_DEFAULT_DTYPE):
    """The numpy type object (``numpy.float32`` ...) for `dtype` (`default` for None), one
    MXNet's NDArray can hold."""
    kind = np.dtype(default if dtype is None else dtype).type
    if kind not in _SUPPORTED_DTYPES:
        raise TypeError('NDArray does not support dtype %s; use one of %s'
                        % (np.dtype(dtype).name,
                           ', '.join(np.dtype(t).name for t in _SUPPORTED_DTYPES)))
    return kind


def _context(ctx):
    """`ctx`, or the current context when it is None."""
    return current_context() if ctx is None else ctx


_LIVE_HANDLES = weakref.WeakValueDictionary()   # handle value -> the array it was taken of


def _array_of_handle(handle):
    """The live array whose `handle` this is."""
    array = _LIVE_HANDLES.get(handle.value)
    if array is None:
        raise MXNetError('NDArray handle %s names no live array' % handle.value)
    return array


def _as_shape(shape):
    """A shape given as an int or a sequence of ints, as a tuple."""
    if isinstance(shape, _INTEGER_TYPES):
        return (int(shape),)
    return tuple(int(dim) for dim in shape)


# ---- MXNet's element-wise numerics, written once for numpy (host) and jax.numpy (device) ----

_cast_on_device = jax.jit(lambda values, dtype: c_cast(values, dtype, jnp),
                          static_argnames='dtype')


def _cast_on_host(values, dtype):
    """Host values (numpy array, list, scalar) as a numpy array of `dtype`, C-cast."""
    with np.errstate(invalid='ignore', over='ignore'):
        return c_cast(np.asarray(values), dtype, np)


def _scalar_operand(value, dtype):
    """A Python scalar as MXNet passes it to a kernel: through a double, then ``DType(value)``."""
    return _cast_on_host(float(value), dtype)


# ---- the array ----

class NDArray:
    """An n-dimensional array on a device, with MXNet's dtype rules, printing and views.

    Basic indexing that selects a contiguous block, and `reshape`, return views sharing this
    array's values, as in MXNet: writing through either is seen by both.
    """

    __array_priority__ = 1000.0

    def __init__(self, data, ctx=None, writable=True):
        """Wraps the `jax.Array` `data`, which must already live on `ctx` (default: current).
        `data` may instead be an array's `handle` (``NDArrayHandle``): the new array then shares
        that array's values, as MXNet's ``NDArray(handle, writable)`` does. In-place arithmetic
        on an array that is not `writable` is a ValueError."""
        self._entry = None     # the array's place on the autograd tape (tape.py)
        self.writable = writable
        if isinstance(data, ctypes.c_void_p):
            owner = _array_of_handle(data)
            self._storage, self._ctx = None, owner._ctx
            self._view_of = owner._view_of or (owner, 0, owner.shape)
            return
        self._storage = data
        self._ctx = _context(ctx)
        self._view_of = None

    @property
    def handle(self):
        """This array's ``NDArrayHandle``: ``NDArray(handle)`` is an array sharing its values,
        for as long as this array lives."""
        _LIVE_HANDLES[id(self)] = self
        return ctypes.c_void_p(id(self))

    @classmethod
    def _view(cls, array, offset, shape):
        """A view of `shape` on `array`'s flat values from `offset` on."""
        owner, base, _ = array._view_of or (array, 0, None)
        view = cls(None, owner._ctx, array.writable)
        view._view_of = (owner, base + offset, shape)
        return view

    @property
    def _data(self):
        """The values as a `jax.Array`."""
        if self._view_of is None:
            return self._storage
        owner, offset, shape = self._view_of
        flat = owner._storage.reshape(-1)
        return flat[offset:offset + math.prod(shape)].reshape(shape)

    def _set_data(self, data):
        """Replaces the values in place; views and the array they view see the change."""
        if self._view_of is None:
            self._storage = data
            return
        owner, offset, _ = self._view_of
        flat = owner._storage.reshape(-1)
        updated = flat.at[offset:offset + data.size].set(data.reshape(-1).astype(flat.dtype))
        owner._storage = updated.reshape(owner._storage.shape)

    # -- description --

    @property
    def shape(self):
        if self._view_of is not None:
            return self._view_of[2]
        return tuple(int(dim) for dim in self._storage.shape)

    @property
    def dtype(self):
        """The numpy type object, e.g. ``numpy.float32``."""
        owner = self._view_of[0] if self._view_of is not None else self
        return np.dtype(owner._storage.dtype).type

    @property
    def size(self):
        return math.prod(self.shape)

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def context(self):
        return self._ctx

    ctx = context

    @property
    def stype(self):
        return 'default'

    @property
    def T(self):
        """A transposed copy; the array itself when it has fewer than 2 dimensions."""
        if self.ndim < 2:
            return self
        return _apply(jnp.transpose, self)

    def __repr__(self):
        """The values as NumPy 1.x prints them, then ``<NDArray 2x3 @cpu(0)>``."""
        shape_info = 'x'.join('%d' % dim for dim in self.shape)
        with np.printoptions(**_PRINT_OPTIONS):
            values = str(self.asnumpy())
        return '\n%s\n<%s %s @%s>' % (values, type(self).__name__, shape_info, self._ctx)

    def __len__(self):
        return self.shape[0]

    def __hash__(self):
        return id(self) // 16

    # -- conversion and copies --

    def asnumpy(self):
        """A writable numpy copy of the values."""
        values = np.array(self._data)
        raise_deferred_failure()
        return values

    def __array__(self, dtype=None, copy=None):
        values = self.asnumpy()
        return values if dtype is None else values.astype(dtype)

    def asscalar(self):
        """The single value, as a numpy scalar."""
        if self.size != 1:
            raise ValueError('The current array is not a scalar')
        if self.ndim == 1:
            return self.asnumpy()[0]
        return self.asnumpy()[()]

    def __bool__(self):
        if self.size == 0:
            return False
        if self.size == 1:
            return bool(self.asscalar())
        raise ValueError('The truth value of an NDArray with multiple elements is ambiguous.')

    def __float__(self):
        return float(self._single_value())

    def __int__(self):
        return int(self._single_value())

    def _single_value(self):
        if self.size != 1:
            raise TypeError('only size-1 arrays can be converted to Python scalars')
        return self.asnumpy().reshape(())[()]

    def astype(self, dtype, copy=True):
        """A copy cast to `dtype`; the array itself when `copy` is False and the dtype matches."""
        dtype = _as_dtype(dtype)
        if not copy and dtype == self.dtype:
            return self
        return _apply(_caster(np.dtype(dtype)), self)

    def copy(self):
        return self.copyto(self._ctx)

    def copyto(self, other):
        """Copies into the NDArray `other` (same shape, cast to its dtype) or onto a Context."""
        if isinstance(other, Context):
            copied = type(self)(jax.device_put(self._data, other.jax_device), other)
            tape.record(_identity, [self], [copied])
            return copied
        if not isinstance(other, NDArray):
            raise TypeError('copyto does not support type ' + str(type(other)))
        if other is self:
            warnings.warn('You are attempting to copy an array to itself', RuntimeWarning)
            return False
        if other.shape != self.shape:
            raise MXNetError('_copyto: Incompatible attr at 0-th output: expected %s, got %s'
                             % (_shape_str(other.shape), _shape_str(self.shape)))
        tape.check_assignable(other)
        cast = _caster(np.dtype(other.dtype))
        other._set_data(jax.device_put(cast(self._data), other._ctx.jax_device))
        tape.record(cast, [self], [other])
        return other

    def as_in_context(self, context):
        """This array when it is on `context` already, else a copy there."""
        if self._ctx == context:
            return self
        return self.copyto(context)

    def wait_to_read(self):
        jax.block_until_ready(self._data)
        raise_deferred_failure()

    def reshape(self, *shape, **kwargs):
        """A view with a new shape; 0 keeps the input's dimension, -1 is inferred."""
        unknown = set(kwargs) - {'shape', 'reverse'}
        if unknown:
            raise TypeError('Got unknown keywords in reshape: %s. Accepted keyword arguments '
                            "are 'shape' and 'reverse'." % ', '.join(sorted(unknown)))
        if len(shape) == 1 and isinstance(shape[0], (list, tuple)):
            shape = shape[0]
        elif not shape:
            shape = kwargs.get('shape')
            if not shape:
                raise AssertionError('Shape must be provided.')
        new_shape = reshape_target(self.shape, shape, kwargs.get('reverse', False))
        new_size, size = math.prod(new_shape), self.size
        if new_size > size:
            raise MXNetError('NDArray.Reshape: target shape size is larger than the current '
                             'shape (%d vs. %d)' % (size, new_size))
        if new_size != size:
            raise ValueError('Cannot reshape array of size %d into shape %s' % (size, shape))
        view = NDArray._view(self, 0, new_shape)
        tape.record(_reshaper(new_shape), [self], [view])
        return view

    # -- indexing --

    def __getitem__(self, key):
        """Basic indexing gives a view when the selection is contiguous, a copy otherwise;
        lists, numpy arrays and NDArrays in the key index as in NumPy and give a copy."""
        if _is_whole(key):
            return self
        if isinstance(key, slice) and key.step in (None, 1) and self.ndim > 0:
            begin, end, _ = key.indices(self.shape[0])
            if begin > end:
                raise MXNetError('Invalid slicing range [%d, %d)' % (begin, end))
        key = _expand_key(key, self.ndim)
        if _is_advanced(key):
            return _apply(_Indexer(_advanced_key(key, self.shape), None), self)
        basic_key = _checked_basic_key(key, self.shape)
        shape = _indexed_shape(self.shape, key) or (1,)
        slices = [_as_slice(index) for index in basic_key]
        indexer = _Indexer(basic_key, shape)
        if not _is_contiguous(slices, self.shape):
            return _apply(indexer, self)
        view = NDArray._view(self, _flat_offset(slices, self.shape), shape)
        tape.record(indexer, [self], [view])
        return view

    def __setitem__(self, key, value):
        """Writes a scalar (cast to this dtype), an NDArray or array-like (broadcast) into the
        selection."""
        if self.ndim == 0:
            if not _is_whole(key):
                raise IndexError('scalar tensor can only accept `()` and `:` as index')
            key = ()
        elif self.size == 0:
            return
        key = _expand_key(key, self.ndim)
        if _is_advanced(key):
            index = _advanced_key(key, self.shape)
        else:
            index = _checked_basic_key(key, self.shape)
        target_shape = _indexed_shape(self.shape, index)
        if value is self and target_shape == self.shape:
            return
        whole = target_shape == self.shape and _selects_everything(index, self.shape)
        tape.check_assignable(self, None if whole else value)
        values = _broadcast_value(self._value_like_self(value),
                                  _shape_with_new_axes(self.shape, key, target_shape))
        values = values.reshape(target_shape)
        values = jax.device_put(values, self._ctx.jax_device)
        if whole:
            self._set_data(values)
        else:
            self._set_data(self._data.at[index].set(values))
        if isinstance(value, NDArray):
            tape.record(_Assigner(index, target_shape), [self, value], [self])

    def _value_like_self(self, value):
        """`value` (scalar, NDArray or array-like) as an array of this array's dtype."""
        if isinstance(value, _NUMERIC_TYPES):
            return _scalar_operand(value, self.dtype)
        if isinstance(value, NDArray):
            return _cast_on_device(value._data, dtype=np.dtype(self.dtype))
        try:
            values = np.asarray(value)
        except (TypeError, ValueError):
            values = None
        if values is None or values.dtype.kind not in 'biuf':
            raise TypeError('%s does not support assignment with non-array-like object %s of '
                            'type %s' % (type(self), value, type(value)))
        return _cast_on_host(values, self.dtype)

    # -- arithmetic --

    def __add__(self, other):
        return add(self, other)

    def __radd__(self, other):
        return add(self, other)

    def __sub__(self, other):
        return subtract(self, other)

    def __rsub__(self, other):
        return subtract(other, self)

    def __mul__(self, other):
        return multiply(self, other)

    def __rmul__(self, other):
        return multiply(self, other)

    def __truediv__(self, other):
        return divide(self, other)

    def __rtruediv__(self, other):
        return divide(other, self)

    def __mod__(self, other):
        return modulo(self, other)

    def __rmod__(self, other):
        return modulo(other, self)

    def __pow__(self, other):
        return power(self, other)

    def __rpow__(self, other):
        return power(other, self)

    def __neg__(self):
        return multiply(self, -1.0)

    def __abs__(self):
        return _apply(jnp.abs, self)

    def __eq__(self, other):
        return equal(self, other)

    def __ne__(self, other):
        return not_equal(self, other)

    def __gt__(self, other):
        return greater(self, other)

    def __ge__(self, other):
        return greater_equal(self, other)

    def __lt__(self, other):
        return lesser(self, other)

    def __le__(self, other):
        return lesser_equal(self, other)

    def __iadd__(self, other):
        return self._update(add(self, other), 'add to')

    def __isub__(self, other):
        return self._update(subtract(self, other), 'subtract from')

    def __imul__(self, other):
        return self._update(multiply(self, other), 'multiply to')

    def __itruediv__(self, other):
        return self._update(divide(self, other), 'divide from')

    def __imod__(self, other):
        return self._update(modulo(self, other), 'take modulo from')

    def _update(self, result, verb):
        """Stores an in-place operator's result, which may not grow this array's shape; `verb`
        names the operation for an array that is not writable."""
        if not self.writable:
            raise ValueError('trying to %s a readonly NDArray' % verb)
        if result.shape != self.shape:
            raise MXNetError('Shape inconsistent, Provided = %s, inferred shape=%s'
                             % (_shape_str(self.shape), _shape_str(result.shape)))
        tape.check_assignable(self)
        self._set_data(result._data)
        if result._entry is not None:
            self._entry = result._entry
        return self

    # -- autograd --

    def attach_grad(self, grad_req='write', stype=None):
        """Mark this array for gradients: a zero gradient array (`grad`) of storage type
        `stype` (default: this array's), written by a backward as `grad_req` says ('write',
        'add' or 'null')."""
        if grad_req not in GRAD_REQS:
            raise MXNetError("attach_grad: grad_req must be one of %s, got '%s'"
                             % (', '.join(GRAD_REQS), grad_req))
        grad = zeros(self.shape, self._ctx, self.dtype, stype=stype or self.stype)
        self._entry = (tape.Variable(grad, grad_req), 0)

    @property
    def grad(self):
        """The gradient array of an array marked with `attach_grad`, else None."""
        variable = self._variable()
        return None if variable is None else variable.grad

    @property
    def _fresh_grad(self):
        """Whether a backward wrote the gradient since this flag was last cleared."""
        variable = self._variable()
        return False if variable is None else variable.fresh

    @_fresh_grad.setter
    def _fresh_grad(self, value):
        variable = self._variable()
        if variable is not None:
            variable.fresh = bool(value)

    def _variable(self):
        if self._entry is not None and isinstance(self._entry[0], tape.Variable):
            return self._entry[0]
        return None

    def detach(self):
        """The same values, not on the autograd tape: no gradient flows through it."""
        return self._view(self, 0, self.shape)

    def backward(self, out_grad=None, retain_graph=False, train_mode=True):
        """Gradients of this recorded array (times `out_grad`, default ones) into the
        gradient arrays of the variables it depends on."""
        tape.backward([self], [out_grad], retain_graph, train_mode)

    # -- methods beyond the registry's ops (those are attached below) --

    def flatten(self, inplace=False):
        """(d1, d2*...*dk); a view with `inplace`."""
        if inplace:
            return self.reshape(self.shape[:1] + (math.prod(self.shape[1:]),))
        return op_functions()['flatten'](self)

    def expand_dims(self, axis, inplace=False):
        """A new axis of length 1 at `axis`; a view with `inplace`."""
        if not inplace:
            return op_functions()['expand_dims'](self, axis=axis)
        if not -self.ndim - 1 <= axis <= self.ndim:
            raise AssertionError('axis %d is out of range for %dd array' % (axis, self.ndim))
        shape = list(self.shape)
        shape.insert(axis % (self.ndim + 1), 1)
        return self.reshape(shape)

    def squeeze(self, axis=None, inplace=False):
        """Without the axes of length 1 (those in `axis`, or all); a view with `inplace`."""
        if not inplace:
            return op_functions()['squeeze'](self, axis=axis)
        axes = [axis] if isinstance(axis, _INTEGER_TYPES) else axis
        axes = [a % self.ndim for a in axes] if axes else \
            [a for a, size in enumerate(self.shape) if size == 1]
        for a in axes:
            if self.shape[a] != 1:
                raise AssertionError('Squeeze target axis %d must be size 1, got %d.'
                                     % (a, self.shape[a]))
        shape = [size for a, size in enumerate(self.shape) if a not in axes]
        return self.reshape(shape or [1])

    def broadcast_to(self, shape):
        """A copy broadcast to `shape` (a 0 keeps this array's dim); leading dims may be
        added."""
        shape = tuple(shape)
        ours = (1,) * (len(shape) - self.ndim) + self.shape
        if len(shape) < self.ndim or any(dim not in (1, target) and target != 0
                                         for dim, target in zip(ours, shape)):
            raise ValueError('operands could not be broadcast together with remapped shapes'
                             '[original->remapped]: %s and requested shape %s'
                             % (self.shape, shape))
        source = self if ours == self.shape else self.reshape(ours)
        return op_functions()['broadcast_to'](source, shape=shape)

    def split_v2(self, indices_or_sections, axis=0, squeeze_axis=False):
        return split_v2(self, indices_or_sections, axis, squeeze_axis)

    def tostype(self, stype):
        """A copy in storage type `stype` ('default', 'csr' for a 2-d array, 'row_sparse')."""
        if stype == 'csr' and self.ndim != 2:
            raise ValueError('To convert to a CSR, the NDArray should be 2 Dimensional. Current '
                             'shape is %s' % str(self.shape))
        return op_functions()['cast_storage'](self, stype=stype)

    def to_dlpack_for_read(self):
        """The values as a DLPack capsule."""
        return to_dlpack_for_read(self)

    def to_dlpack_for_write(self):
        """The values as a DLPack capsule (a copy: mxsym arrays are written by replacing
        their values)."""
        return to_dlpack_for_write(self)

    def _file_values(self):
        """What an NDArray file stores of this array (ndarray_file.array_bytes takes it)."""
        return self.asnumpy()

    def __getstate__(self):
        """Pickled as MXNet pickles an array: its bytes in the NDArray file layout."""
        return {'handle': bytearray(ndarray_file.array_bytes(self.asnumpy()))}

    def __setstate__(self, state):
        reader = ndarray_file.Reader(bytes(state['handle']), 'pickled NDArray')
        values = ndarray_file.read_array(reader, 0)
        self.__init__(jnp.asarray(values))



# ---- computations besides the registry's ops, recorded on the autograd tape ----

GRAD_REQS = ('write', 'add', 'null')

# The array class of each storage type; sparse.py adds its own.
ARRAY_CLASSES = {'default': NDArray}


def _apply(fn, array):
    """A new array ``fn(array's values)``, recorded on the tape."""
    result = NDArray(fn(array._data), array._ctx)
    tape.record(fn, [array], [result])
    return result


def _identity(values):
    return values


def _reshaper(shape):
    return lambda values: values.reshape(shape)


def _caster(dtype):
    """Values cast to `dtype` as MXNet casts (C casts)."""
    return lambda values: _cast_on_device(values, dtype=dtype)


class _Indexer:
    """``values[key]``, reshaped to `shape` unless it is None."""

    def __init__(self, key, shape):
        self.key, self.shape = key, shape

    def __call__(self, values):
        selected = values[self.key]
        return selected if self.shape is None else selected.reshape(self.shape)


class _Assigner:
    """``target[index] = value``, broadcast, as a pure function of (target, value)."""

    def __init__(self, index, shape):
        self.index, self.shape = index, shape

    def __call__(self, target, value):
        value = _broadcast_value(value.astype(target.dtype), self.shape)
        return target.at[self.index].set(value)


# ---- indexing helpers ----

def _shape_str(shape):
    """A shape as MXNet's C++ messages print it: ``[2,3]``."""
    return '[%s]' % ','.join(str(dim) for dim in shape)


def _is_whole(key):
    """Whether `key` is ``()`` or a bare ``:``, which select the array itself."""
    if isinstance(key, tuple):
        return len(key) == 0
    return (isinstance(key, slice) and key.start is None and key.stop is None
            and key.step in (None, 1))


def _expand_key(key, ndim):
    """`key` as a tuple with the Ellipsis (explicit or implied at the end) spelled out as ``:``."""
    key = key if isinstance(key, tuple) else (key,)
    key = tuple(int(index) if isinstance(index, _INTEGER_TYPES) else index for index in key)
    for index in key:
        if not (index is None or index is Ellipsis
                or isinstance(index, (slice, _INTEGER_TYPES, list, tuple, range, np.ndarray,
                                      NDArray))):
            raise ValueError('NDArray does not support slicing with key %s of type %s.'
                             % (index, type(index)))
    ellipses = [i for i, index in enumerate(key) if index is Ellipsis]
    if len(ellipses) > 1:
        raise IndexError('Cannot use more than one ellipsis (`...`) for indexing')
    at = ellipses[0] if ellipses else len(key)
    rest = key[:at] + key[at + 1:]
    used = sum(index is not None for index in rest)
    return rest[:at] + (slice(None),) * (ndim - used) + rest[at:]


def _is_advanced(key):
    """Whether an expanded key holds array-like indices (NumPy's advanced indexing)."""
    return any(isinstance(index, (list, tuple, range, np.ndarray, NDArray)) for index in key)


def _advanced_key(key, shape):
    """A key for NumPy-style advanced indexing, array indices as int64 numpy arrays; an index
    out of range for `shape` raises IndexError."""
    def as_index(index):
        if isinstance(index, NDArray):
            index = index.asnumpy()
        if isinstance(index, (list, tuple, range, np.ndarray)):
            return np.asarray(index).astype(np.int64)
        return index
    advanced_key = tuple(as_index(index) for index in key)
    _indexed_shape(shape, advanced_key)
    return advanced_key


def _checked_basic_key(key, shape):
    """The ints and slices of a basic key, integers bounds-checked; new axes (None) dropped."""
    basic_key = tuple(index for index in key if index is not None)
    if len(basic_key) > len(shape):
        raise IndexError('too many indices (%d) for array with %d dimensions'
                         % (len(basic_key), len(shape)))
    for axis, (index, size) in enumerate(zip(basic_key, shape)):
        if isinstance(index, _INTEGER_TYPES) and not -size <= index < size:
            raise IndexError('index %d is out of bounds for axis %d with size %d'
                             % (index, axis, size))
    return basic_key


def _indexed_shape(shape, key):
    """The shape NumPy gives ``array[key]``, found (and the key checked) without any values."""
    return np.broadcast_to(np.empty((), bool), shape)[key].shape


def _as_slice(index):
    """An int index as the one-element slice it selects."""
    if isinstance(index, slice):
        return index
    return slice(index, None) if index == -1 else slice(index, index + 1)


def _is_contiguous(slices, shape):
    """Whether slices select one contiguous block of the row-major values.

    From the last axis inward, once an axis is cut short every outer axis may keep only one
    element, and a multi-element axis must step by 1.
    """
    lengths = [len(range(*index.indices(size))) for index, size in zip(slices, shape)]
    if math.prod(lengths) <= 1:
        return True
    cut_short = False
    for index, size, length in reversed(list(zip(slices, shape, lengths))):
        if length > 1 and (index.indices(size)[2] != 1 or cut_short):
            return False
        cut_short = cut_short or length < size
    return True


def _flat_offset(slices, shape):
    """The position in the flat values of a contiguous selection's first element."""
    offset = 0
    for index, size in zip(slices, shape):
        offset = offset * size + index.indices(size)[0]
    return offset


def _selects_everything(index, shape):
    """Whether a basic key covers every element in order, so assignment replaces all values."""
    return all(isinstance(part, slice) and part.indices(size) == (0, size, 1)
               for part, size in zip(index, shape))


def _shape_with_new_axes(shape, key, target_shape):
    """The shape NumPy gives array[key]: `target_shape` with the size-1 axes the key's None
    entries add, which a written value may carry."""
    if not isinstance(key, tuple) or not any(k is None for k in key):
        return target_shape
    stand_in = np.lib.stride_tricks.as_strided(np.zeros(1, bool), shape, (0,) * len(shape))
    return stand_in[tuple(k.asnumpy() if isinstance(k, NDArray) else k for k in key)].shape


def _broadcast_value(values, target_shape):
    """`values` broadcast to `target_shape`, after dropping surplus leading axes of length 1;
    host values on the host (on the device that would compile a program per shape)."""
    shape = values.shape
    while len(shape) > len(target_shape) and shape[0] == 1:
        shape = shape[1:]
    fits = len(shape) <= len(target_shape) and all(
        dim in (1, target) for dim, target in zip(reversed(shape), reversed(target_shape)))
    if not fits:
        raise ValueError('operands could not be broadcast together with remapped '
                         'shapes[original->remapped]: %s and requested shape %s'
                         % (tuple(values.shape), tuple(target_shape)))
    xp = np if isinstance(values, np.ndarray) else jnp
    return xp.broadcast_to(xp.reshape(values, shape), target_shape)


# ---- arithmetic, as mx.nd functions ----

def _elementwise(lhs, rhs, ops, python):
    """MXNet's NDArray arithmetic: `ops` = (broadcast op, scalar op, reversed scalar op).

    Two numbers give a number; an array and a number use the scalar ops (the number is cast to
    the array's dtype); two arrays use the broadcasting op (same dtype, shapes broadcastable).
    """
    broadcast_op, scalar_op, reversed_op = ops
    if isinstance(lhs, _NUMERIC_TYPES):
        if isinstance(rhs, _NUMERIC_TYPES):
            return python(lhs, rhs)
        _require_ndarray(rhs)
        return _op_function(reversed_op)(rhs, scalar=float(lhs))
    _require_ndarray(lhs)
    if isinstance(rhs, _NUMERIC_TYPES):
        return _op_function(scalar_op)(lhs, scalar=float(rhs))
    _require_ndarray(rhs)
    if lhs.dtype != rhs.dtype:
        raise MXNetError('%s: Incompatible attr at 1-th input: expected %s, got %s'
                         % (broadcast_op, np.dtype(lhs.dtype).name, np.dtype(rhs.dtype).name))
    return _op_function(broadcast_op)(lhs, rhs)


def _op_function(op_name):
    """The eager function of the op `op_name` (``_internal`` holds those named ``_...``)."""
    functions = op_functions()
    return functions[op_name] if op_name in functions else getattr(functions['_internal'], op_name)


def _require_ndarray(value):
    if not isinstance(value, NDArray):
        raise TypeError('type %s not supported' % str(type(value)))


def _python_comparison(compare):
    """A comparison of two Python numbers giving 1 or 0, as MXNet gives for two scalars."""
    return lambda lhs, rhs: 1 if compare(lhs, rhs) else 0


def add(lhs, rhs):
    """``lhs + rhs`` with broadcasting."""
    return _elementwise(lhs, rhs, ('broadcast_add', '_plus_scalar', '_plus_scalar'),
                        operator.add)


def subtract(lhs, rhs):
    """``lhs - rhs`` with broadcasting."""
    return _elementwise(lhs, rhs, ('broadcast_sub', '_minus_scalar', '_rminus_scalar'),
                        operator.sub)


def multiply(lhs, rhs):
    """``lhs * rhs`` with broadcasting."""
    return _elementwise(lhs, rhs, ('broadcast_mul', '_mul_scalar', '_mul_scalar'),
                        operator.mul)


def divide(lhs, rhs):
    """``lhs / rhs`` with broadcasting; integer arrays truncate."""
    return _elementwise(lhs, rhs, ('broadcast_div', '_div_scalar', '_rdiv_scalar'),
                        operator.truediv)


def true_divide(lhs, rhs):
    """``lhs / rhs`` with broadcasting, as `divide`."""
    return divide(lhs, rhs)


def modulo(lhs, rhs):
    """``lhs % rhs`` with broadcasting; the sign of the divisor, 0 for a zero divisor."""
    return _elementwise(lhs, rhs, ('broadcast_mod', '_mod_scalar', '_rmod_scalar'),
                        operator.mod)


def power(base, exp):
    """``base ** exp`` with broadcasting."""
    return _elementwise(base, exp, ('broadcast_power', '_power_scalar', '_rpower_scalar'),
                        operator.pow)


def maximum(lhs, rhs):
    """Elementwise maximum with broadcasting."""
    return _elementwise(lhs, rhs, ('broadcast_maximum', '_maximum_scalar', '_maximum_scalar'),
                        max)


def minimum(lhs, rhs):
    """Elementwise minimum with broadcasting."""
    return _elementwise(lhs, rhs, ('broadcast_minimum', '_minimum_scalar', '_minimum_scalar'),
                        min)


def equal(lhs, rhs):
    """1 where ``lhs == rhs``, else 0, in the operands' dtype."""
    return _elementwise(lhs, rhs, ('broadcast_equal', '_equal_scalar', '_equal_scalar'),
                        _python_comparison(operator.eq))


def not_equal(lhs, rhs):
    """1 where ``lhs != rhs``, else 0, in the operands' dtype."""
    return _elementwise(lhs, rhs, ('broadcast_not_equal', '_not_equal_scalar',
                                   '_not_equal_scalar'), _python_comparison(operator.ne))


def greater(lhs, rhs):
    """1 where ``lhs > rhs``, else 0, in the operands' dtype."""
    return _elementwise(lhs, rhs, ('broadcast_greater', '_greater_scalar', '_lesser_scalar'),
                        _python_comparison(operator.gt))


def greater_equal(lhs, rhs):
    """1 where ``lhs >= rhs``, else 0, in the operands' dtype."""
    return _elementwise(lhs, rhs, ('broadcast_greater_equal', '_greater_equal_scalar',
                                   '_lesser_equal_scalar'), _python_comparison(operator.ge))


def lesser(lhs, rhs):
    """1 where ``lhs < rhs``, else 0, in the operands' dtype."""
    return _elementwise(lhs, rhs, ('broadcast_lesser', '_lesser_scalar', '_greater_scalar'),
                        _python_comparison(operator.lt))


def lesser_equal(lhs, rhs):
    """1 where ``lhs <= rhs``, else 0, in the operands' dtype."""
    return _elementwise(lhs, rhs, ('broadcast_lesser_equal', '_lesser_equal_scalar',
                                   '_greater_equal_scalar'), _python_comparison(operator.le))


def logical_and(lhs, rhs):
    """1 where both are nonzero, else 0, in the operands' dtype."""
    return _elementwise(lhs, rhs, ('broadcast_logical_and', '_logical_and_scalar',
                                   '_logical_and_scalar'),
                        _python_comparison(lambda x, y: bool(x) and bool(y)))


def logical_or(lhs, rhs):
    """1 where either is nonzero, else 0, in the operands' dtype."""
    return _elementwise(lhs, rhs, ('broadcast_logical_or', '_logical_or_scalar',
                                   '_logical_or_scalar'),
                        _python_comparison(lambda x, y: bool(x) or bool(y)))


def logical_xor(lhs, rhs):
    """1 where exactly one is nonzero, else 0, in the operands' dtype."""
    return _elementwise(lhs, rhs, ('broadcast_logical_xor', '_logical_xor_scalar',
                                   '_logical_xor_scalar'),
                        _python_comparison(lambda x, y: bool(x) != bool(y)))


# ---- creation ----

def _filled(shape, value, ctx, dtype, out=None):
    """A new array of `shape` holding `value` everywhere (written into `out` when given),
    filled on the host and copied to the device: filling it there would compile a program per
    shape, which costs more than the copy."""
    if out is not None:
        out[:] = value
        return out
    ctx = _context(ctx)
    fill = _scalar_operand(value, _as_dtype(dtype))
    return NDArray(jax.device_put(np.full(_as_shape(shape), fill), ctx.jax_device), ctx)


def _known_shape(shape, op_name):
    """`shape`, which MXNet's zeros and ones ops refuse in legacy mode when it holds no
    element: () and 0 dims mean unknown there (`mx.np_shape()` makes them real)."""
    if not is_np_shape() and not (_as_shape(shape) and all(_as_shape(shape))):
        raise MXNetError('Operator %s inferring shapes failed: shape %s is unknown in legacy '
                         'mode (use mx.np_shape() for scalars and zero-size arrays)'
                         % (op_name, _as_shape(shape)))
    return shape


def zeros(shape, ctx=None, dtype=None, out=None, stype=None):
    """An array of zeros (float32 unless `dtype` says otherwise) of storage type `stype`."""
    return _in_storage(_filled(_known_shape(shape, '_zeros'), 0, ctx, dtype, out), stype)


def ones(shape, ctx=None, dtype=None, out=None):
    """An array of ones (float32 unless `dtype` says otherwise)."""
    return _filled(_known_shape(shape, '_ones'), 1, ctx, dtype, out)


def empty(shape, ctx=None, dtype=None, stype=None):
    """An array whose values are not to be relied on (they are zeros here)."""
    return _in_storage(_filled(shape, 0, ctx, dtype), stype)


def full(shape, val, ctx=None, dtype=_DEFAULT_DTYPE, out=None):
    """An array filled with `val`, cast to `dtype` as an assignment casts it."""
    out = empty(shape, ctx, dtype) if out is None else out
    out[:] = val
    return out


def array(source_array, ctx=None, dtype=None):
    """An array from an NDArray (keeping its dtype and storage type), a SciPy sparse matrix
    (csr) or anything array-like (float32 default)."""
    ctx = _context(ctx)
    if hasattr(source_array, 'tocsr'):
        values = np.asarray(source_array.toarray())
        return array(values, ctx, values.dtype if dtype is None else dtype).tostype('csr')
    if isinstance(source_array, NDArray):
        dtype = _as_dtype(dtype, default=source_array.dtype)
        values = _cast_on_device(source_array._data, dtype=np.dtype(dtype))
        return _in_storage(NDArray(jax.device_put(values, ctx.jax_device), ctx),
                           source_array.stype)
    else:
        dtype = _as_dtype(dtype)
        try:
            values = _cast_on_host(source_array, dtype)
        except (TypeError, ValueError):
            raise TypeError('source_array must be array like object') from None
    return NDArray(jax.device_put(values, ctx.jax_device), ctx)


def arange(start, stop=None, step=1.0, repeat=1, infer_range=None, ctx=None,
           dtype=_DEFAULT_DTYPE):
    """Evenly spaced values in ``[start, stop)``, each repeated `repeat` times.

    As in MXNet, `start` and `step` are cast to `dtype` first and each value is
    ``start + i * step`` computed in `dtype`; ``dtype=None`` means float64.
    """
    if infer_range is not None:
        warnings.warn('`infer_range` argument has been deprecated', DeprecationWarning)
    if stop is None:
        start, stop = 0, start
    if step == 0:
        raise MXNetError('Range does not support step=0, received 0')
    count = math.ceil((stop - start) / step)
    if count <= 0:
        raise MXNetError('Invalid range (start, stop, step) = (%g,%g,%g)' % (start, stop, step))
    dtype = _as_dtype(dtype, default=np.float64)
    positions = (np.arange(count * repeat) // repeat).astype(dtype)
    with np.errstate(over='ignore'):
        values = _scalar_operand(start, dtype) + positions * _scalar_operand(step, dtype)
    ctx = _context(ctx)
    return NDArray(jax.device_put(values, ctx.jax_device), ctx)


def eye(N, M=0, k=0, ctx=None, dtype=None, **kwargs):
    """A 2-D array with ones on diagonal `k` (M columns, N when 0)."""
    return op_functions()['_internal']._eye(N=N, M=M, k=k, ctx=_context(ctx),
                                            dtype=_as_dtype(dtype), **kwargs)


def linspace(start, stop, num, endpoint=True, ctx=None, dtype=_DEFAULT_DTYPE):
    """`num` evenly spaced values from `start` to `stop` (excluded unless `endpoint`)."""
    return op_functions()['_internal']._linspace(start=start, stop=stop, num=num,
                                                 endpoint=endpoint, dtype=dtype,
                                                 ctx=_context(ctx))


def concatenate(arrays, axis=0, always_copy=True):
    """The arrays joined along `axis` (MXNet's older form of `concat`)."""
    if not always_copy and len(arrays) == 1:
        return arrays[0]
    return op_functions()['concat'](*arrays, dim=axis)


def moveaxis(tensor, source, destination):
    """`tensor` with axes `source` moved to `destination`, the others keeping their order."""
    try:
        source = np.lib.array_utils.normalize_axis_tuple(source, tensor.ndim)
        destination = np.lib.array_utils.normalize_axis_tuple(destination, tensor.ndim)
    except np.exceptions.AxisError as err:
        raise ValueError('moveaxis: %s' % err) from None
    if len(source) != len(destination):
        raise ValueError('`source` and `destination` arguments must have the same number of '
                         'elements')
    order = [axis for axis in range(tensor.ndim) if axis not in source]
    for dest, src in sorted(zip(destination, source)):
        order.insert(dest, src)
    return op_functions()['transpose'](tensor, axes=tuple(order))


def onehot_encode(indices, out):
    """Writes the one-hot rows of `indices` into `out` (depth: out's second dim)."""
    return op_functions()['one_hot'](indices, depth=out.shape[1], dtype=out.dtype, out=out)


def histogram(a, bins=10, range=None):  # noqa: A002  (MXNet's argument name)
    """Counts of a's elements in `bins` equal bins over `range`, or between the edges a `bins`
    array holds: (counts, edges). Without a range, numpy's histogram as float32 arrays, as
    MXNet returns it."""
    internal = op_functions()['_internal']
    if isinstance(bins, NDArray):
        return internal._histogram(a, bins)
    if range is None:
        counts, edges = np.histogram(a.asnumpy(), bins=bins)
        return array(counts), array(edges)
    return internal._histogram(a, bin_cnt=bins, range=range)


def split_v2(ary, indices_or_sections, axis=0, squeeze_axis=False):
    """`ary` split along `axis` into equal sections, or at the given indices."""
    if isinstance(indices_or_sections, _INTEGER_TYPES):
        if ary.shape[axis] % indices_or_sections:
            raise ValueError('array split does not result in an equal division')
        size = ary.shape[axis] // indices_or_sections
        indices = [i * size for i in range(indices_or_sections)]
    elif isinstance(indices_or_sections, tuple):
        indices = [0] + list(indices_or_sections)
    else:
        raise ValueError('indices_or_sections must either int or tuple of ints')
    return op_functions()['_internal']._split_v2(ary, indices=indices, axis=axis,
                                                 squeeze_axis=squeeze_axis)


def from_numpy(ndarray, zero_copy=True):
    """An array with a C-contiguous numpy array's values (always copied here)."""
    if not ndarray.flags['C_CONTIGUOUS']:
        raise ValueError('Only c-contiguous arrays are supported for zero-copy')
    return array(ndarray, dtype=ndarray.dtype)


def to_dlpack_for_read(data):
    """The array's values as a DLPack capsule."""
    return data._data.__dlpack__()


to_dlpack_for_write = to_dlpack_for_read


def from_dlpack(dlpack):
    """An array from a DLPack capsule (taken to be on the current context's device), or from
    any object with ``__dlpack__``."""
    ctx = current_context()
    source = dlpack if hasattr(dlpack, '__dlpack__') else _Capsule(dlpack, ctx)
    return NDArray(jax.dlpack.from_dlpack(source), ctx)


class _Capsule:
    """A bare DLPack capsule with the protocol's methods, as jax.dlpack takes it."""

    _DEVICE_TYPES = {'cpu': 1, 'gpu': 2}

    def __init__(self, capsule, ctx):
        self._capsule, self._ctx = capsule, ctx

    def __dlpack__(self, **_):
        return self._capsule

    def __dlpack_device__(self):
        return self._DEVICE_TYPES.get(self._ctx.device_type, 1), self._ctx.device_id


def waitall():
    """Blocks until every pending computation has finished; raises the failure of one that
    failed on its values (take with mode 'raise' given an out-of-range index)."""
    jax.block_until_ready(jax.live_arrays())
    raise_deferred_failure()


# ---- files ----

def save(fname, data):
    """Write NDArrays (one, a list, or a {name: NDArray} dict) to `fname` in MXNet's format."""
    if isinstance(data, NDArray):
        data = [data]
    if isinstance(data, dict):
        names, arrays = list(data.keys()), list(data.values())
        if not all(isinstance(n, str) for n in names):
            raise TypeError('save only accepts dict str->NDArray or list of NDArray')
    elif isinstance(data, (list, tuple)):
        names, arrays = [], list(data)
    else:
        raise TypeError('save only accepts dict str->NDArray or list of NDArray')
    if not all(isinstance(a, NDArray) for a in arrays):
        raise TypeError('save only accepts dict str->NDArray or list of NDArray')
    payload = ndarray_file.dumps(names, [a._file_values() for a in arrays])
    with open(fname, 'wb') as out:
        out.write(payload)


def load(fname, ctx=None):
    """Read an MXNet NDArray file into NDArrays (a dict when it has names, else a list).
    The whole file is parsed before any array is made: a bad file gives nothing."""
    return _arrays_of(ndarray_file.loads(ndarray_file.read_file(fname), fname), ctx)


def load_frombuffer(buf, ctx=None):
    """NDArrays from the bytes of an MXNet NDArray file (as `load`)."""
    if not isinstance(buf, (bytes, bytearray, memoryview)):
        raise TypeError('buf must be of type bytes, bytearray or memoryview, got %s'
                        % type(buf).__name__)
    return _arrays_of(ndarray_file.loads(buf), ctx)


def _arrays_of(parsed, ctx):
    """NDArrays on `ctx` for what ndarray_file parsed (a list or a dict of numpy arrays)."""
    ctx = ctx or current_context()

    def to_ndarray(value):
        # Made directly, so that bfloat16 (which NDArray creation functions do not take)
        # loads as MXNet loads it.
        if isinstance(value, ndarray_file.SparseParts):
            return ARRAY_CLASSES[value.stype]._from_stored(value, ctx)
        return None if value is None else NDArray(jax.device_put(value, ctx.jax_device), ctx)
    if isinstance(parsed, dict):
        return {name: to_ndarray(value) for name, value in parsed.items()}
    return [to_ndarray(value) for value in parsed]


# ---- mx.nd.<op> ----

def _in_storage(array, stype):
    """`array`, made an array of storage type `stype` (None: as it is); values are held
    densely whatever the storage type (sparse.py)."""
    if stype not in (None, array.stype):
        if stype not in ARRAY_CLASSES:
            raise ValueError('unknown storage type ' + str(stype))
        array.__class__ = ARRAY_CLASSES[stype]
    return array


def _storage_typed(function, op_name):
    """The eager op `function` with its result in the storage type MXNet gives it."""
    result_stype = storage.result_stype_rule(op_name)
    if result_stype is None:
        return function

    def run(*args, **kwargs):
        stype = result_stype(args, kwargs, NDArray)
        result = function(*args, **kwargs)
        if kwargs.get('out') is not None or stype == storage.DEFAULT:
            return result
        return _in_storage(result, stype)
    return functools.wraps(function)(run)


@ops_registry.cached_per_registry
def op_functions():
    """{name: eager function} for the registry's ops (see imperative.py), their results in
    the storage types MXNet's rules give (storage.py)."""
    functions = imperative.op_functions(NDArray)
    prefixes = {submodule: prefix for prefix, submodule in ops_registry.SUBMODULE_PREFIXES.items()}
    for name, entry in functions.items():
        if isinstance(entry, SimpleNamespace):
            prefix = prefixes.get(name, '')
            for short, function in vars(entry).items():
                setattr(entry, short, _storage_typed(function, prefix + short))
        else:
            functions[name] = _storage_typed(entry, name)
    return functions


def _fluent(method_name):
    def method(self, *args, **kwargs):
        return op_functions()[method_name](self, *args, **kwargs)
    method.__name__ = method_name
    method.__doc__ = 'x.%s(...) is mx.nd.%s(x, ...).' % (method_name, method_name)
    return method


for _method_name in ops_registry.FLUENT_METHODS:
    if not hasattr(NDArray, _method_name):
        setattr(NDArray, _method_name, _fluent(_method_name))
NDArray._basic_indexing_slice_is_contiguous = staticmethod(_is_contiguous)
