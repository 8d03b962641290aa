"""`mx.nd.sparse`: MXNet's sparse arrays, `CSRNDArray` (2-d, compressed rows) and
`RowSparseNDArray` (a subset of rows), their constructors and the ``_sparse_`` ops.

A compatibility layer: the values of a sparse array are held densely, as any NDArray's are, so
every op computes the numbers MXNet computes and a result has the storage type MXNet's rules
give it (storage.py), but a sparse array takes as much memory as a dense one. Its stored parts
(`data`, `indices`, `indptr`) are computed from the values when asked for, except that an
array loaded from an NDArray file or made from its parts keeps those parts (stored zeros and
the order of its indices too) until its values change. An element or row computed to hold zeros
is never stored, where MXNet may keep a stored zero (``retain`` of a row that
is absent, ``elemwise_mul`` giving zeros). Ops compute on every element, where MXNet computes
only on stored ones: a csr zero divided by zero is NaN here and 0 in MXNet.
"""
import math

import jax
import numpy as np

from ..allocation import check_fits
from ..base import MXNetError
from ..context import current_context
from .. import ndarray_file
from ..ndarray_file import SparseParts
from . import ndarray
from .ndarray import ARRAY_CLASSES, NDArray, op_functions
from .ndarray import (_STORAGE_TYPE_CSR, _STORAGE_TYPE_DEFAULT,  # noqa: F401 (MXNet's names)
                      _STORAGE_TYPE_ROW_SPARSE, _STORAGE_TYPE_STR_TO_ID,
                      _STORAGE_TYPE_UNDEFINED)

try:
    import scipy.sparse as spsp
except ImportError:
    spsp = None

_STORAGE_AUX_TYPES = {'row_sparse': [np.int64], 'csr': [np.int64, np.int64]}
_INDEX_DTYPE = np.int64


class NotSupportedForSparseNDArray(MXNetError):
    """A method of dense arrays that sparse arrays do not have."""

    def __init__(self, function, alias, *args):
        super().__init__('Function %s (namely operator "%s") with arguments (%s) is not '
                         'supported for SparseNDArray and only available in NDArray.'
                         % (function.__name__, alias,
                            ', '.join(str(type(arg)) for arg in args)))


class BaseSparseNDArray(NDArray):
    """An array of a sparse storage type (its values held densely, see the module)."""

    _loaded = None   # (the values, their SparseParts) of an array loaded from a file

    @classmethod
    def _from_stored(cls, parts, ctx):
        """The array that `parts` (ndarray_file.SparseParts) store, on `ctx`; refused when its
        values, held densely, would not fit there."""
        check_fits([('the %s array' % parts.stype, parts.shape, parts.data.dtype)],
                   ctx.jax_device, 'sparse array of shape %s' % (parts.shape,))
        array = cls(jax.device_put(parts.dense(), ctx.jax_device), ctx)
        array._loaded = (array._storage, parts)
        return array

    def _file_values(self):
        """The stored parts: those it was loaded with while its values are unchanged."""
        if self._loaded is not None and self._loaded[0] is self._storage:
            return self._loaded[1]
        return self._parts_of(self.asnumpy())

    def _stored(self, name):
        """The stored part `name` ('data' or an aux array's name) as an NDArray."""
        parts = self._file_values()
        if name == 'data':
            return ndarray.array(parts.data, self._ctx, parts.data.dtype)
        aux = parts.aux[ndarray_file.AUX_NAMES[self.stype].index(name)]
        return ndarray.array(aux, self._ctx, aux.dtype)

    def __repr__(self):
        shape_info = 'x'.join('%d' % dim for dim in self.shape)
        return '\n<%s %s @%s>' % (type(self).__name__, shape_info, self._ctx)

    def __add__(self, other):
        return add(self, other)

    def __sub__(self, other):
        return subtract(self, other)

    def __mul__(self, other):
        return multiply(self, other)

    def reshape(self, *shape, **kwargs):
        raise NotSupportedForSparseNDArray(self.reshape, None, shape)

    def astype(self, dtype, copy=True):
        """A copy cast to `dtype`, of the same storage type."""
        if not copy and np.dtype(dtype) == self.dtype:
            return self
        result = NDArray.astype(self, dtype)
        result.__class__ = type(self)
        return result

    def check_format(self, full_check=True):
        """Values held densely are always a well-formed array of their storage type."""


    def tostype(self, stype):
        """A copy in storage type `stype`; converting between two sparse types is refused."""
        if stype not in ('default', self.stype):
            raise ValueError('cast_storage from %s to %s is not supported' % (self.stype, stype))
        return NDArray.tostype(self, stype)


class CSRNDArray(BaseSparseNDArray):
    """A 2-d array in compressed sparse row storage: row i's non-zeros are
    ``data[indptr[i]:indptr[i+1]]`` at columns ``indices[indptr[i]:indptr[i+1]]``."""

    @property
    def stype(self):
        return 'csr'

    @property
    def data(self):
        """The stored values, row by row."""
        return self._stored('data')

    @property
    def indices(self):
        """The column of each stored value (int64)."""
        return self._stored('indices')

    @property
    def indptr(self):
        """Where each row's values start in `data`, and the count of values at the end."""
        return self._stored('indptr')

    def _parts_of(self, values):
        counts = np.count_nonzero(values, axis=1)
        indptr = np.concatenate([[0], np.cumsum(counts)]).astype(_INDEX_DTYPE)
        indices = np.nonzero(values)[1].astype(_INDEX_DTYPE)
        return SparseParts('csr', values.shape, values[values != 0], (indptr, indices))

    def __getitem__(self, key):
        """Rows: ``x[i]`` (as a 1-row matrix), ``x[begin:end]`` or ``x[:]``."""
        if isinstance(key, (int, np.integer)):
            row = range(self.shape[0])[key]
            key = slice(row, row + 1)
        if not isinstance(key, slice) or key.step not in (None, 1):
            raise ValueError('CSRNDArray only supports an integer or a contiguous slice of rows '
                             'as index, got %r' % (key,))
        begin, end, _ = key.indices(self.shape[0])
        return op_functions()['slice'](self, begin=(begin,), end=(end,))

    def asscipy(self):
        """The values as a ``scipy.sparse.csr_matrix`` (needs SciPy)."""
        if spsp is None:
            raise ImportError('asscipy needs scipy')
        return spsp.csr_matrix(self.asnumpy())


class RowSparseNDArray(BaseSparseNDArray):
    """An array whose stored rows (along the first axis) are `data`, at rows `indices`; the
    other rows are zeros."""

    @property
    def stype(self):
        return 'row_sparse'

    @property
    def data(self):
        """The stored rows."""
        return self._stored('data')

    @property
    def indices(self):
        """The index of each stored row (int64)."""
        return self._stored('indices')

    def _parts_of(self, values):
        stored = np.any(values.reshape(len(values), math.prod(values.shape[1:])) != 0, axis=1)
        indices = np.nonzero(stored)[0].astype(_INDEX_DTYPE)
        return SparseParts('row_sparse', values.shape, values[stored], (indices,))

    def __getitem__(self, key):
        if not (isinstance(key, slice) and key == slice(None)):
            raise ValueError('RowSparseNDArray only supports [:] for __getitem__')
        return self

    def retain(self, indices):
        """The rows named by `indices` (an NDArray of row indices); other rows are zeros."""
        return __getattr__('retain')(self, indices)


ARRAY_CLASSES.update(csr=CSRNDArray, row_sparse=RowSparseNDArray)


# ---- construction ----

def _values(source, dtype):
    """numpy values and their dtype from an NDArray, a numpy array or a nested list."""
    if isinstance(source, NDArray):
        values = source.asnumpy()
    else:
        values = np.asarray(source)
    if dtype is not None:
        return values.astype(np.dtype(dtype))
    typed = isinstance(source, (NDArray, np.ndarray))
    return values if typed else values.astype(np.float32)


def _is_shape(arg):
    return isinstance(arg, tuple) and all(isinstance(dim, (int, np.integer)) for dim in arg)


def _checked_shape(inferred, shape):
    if shape is not None and tuple(shape) != tuple(inferred):
        raise ValueError('Shape %s does not match the array\'s shape %s'
                         % (tuple(shape), tuple(inferred)))


def _in_storage(values, stype, ctx):
    return ndarray.array(values, ctx, values.dtype).tostype(stype)


def _as_given(parts, ctx):
    """The array of stored parts given by the user, which it keeps as given (see the module)."""
    parts = parts._replace(data=np.array(parts.data))   # not a view of the caller's array
    return ARRAY_CLASSES[parts.stype]._from_stored(parts, ctx or current_context())


def csr_matrix(arg1, shape=None, ctx=None, dtype=None):
    """A `CSRNDArray` from ``(data, indices, indptr)``, ``(data, (row, col))``, a shape
    ``(M, N)`` (zeros), a dense 2-d array (NDArray, numpy, list), a CSRNDArray or a SciPy
    sparse matrix."""
    if _is_shape(arg1) and len(arg1) == 2:
        return zeros('csr', arg1, ctx, dtype)
    if isinstance(arg1, tuple) and len(arg1) == 3:
        data = _values(arg1[0], dtype)
        indices, indptr = (_values(part, None).astype(_INDEX_DTYPE) for part in arg1[1:])
        rows = len(indptr) - 1
        shape = shape or (rows, int(indices.max()) + 1 if indices.size else 0)
        return _as_given(SparseParts('csr', tuple(shape), data, (indptr, indices)), ctx)
    if isinstance(arg1, tuple) and len(arg1) == 2:   # MXNet builds it with SciPy's dtypes
        data = np.asarray(arg1[0].asnumpy() if isinstance(arg1[0], NDArray) else arg1[0])
        data = data if dtype is None else data.astype(dtype)
        rows, cols = (_values(part, None).astype(np.int64) for part in arg1[1])
        shape = shape or (int(rows.max()) + 1, int(cols.max()) + 1)
        dense = np.zeros(shape, data.dtype)
        np.add.at(dense, (rows, cols), data)
        return _in_storage(dense, 'csr', ctx)
    if hasattr(arg1, 'tocsr'):
        dense = np.asarray(arg1.toarray())
        return _in_storage(dense if dtype is None else dense.astype(dtype), 'csr', ctx)
    values = _values(arg1, dtype)
    _checked_shape(values.shape, shape)
    if values.ndim != 2:
        raise ValueError('csr_matrix: a dense source must be 2-d, got shape %s'
                         % (values.shape,))
    return _in_storage(values, 'csr', ctx)


def row_sparse_array(arg1, shape=None, ctx=None, dtype=None):
    """A `RowSparseNDArray` from ``(data, indices)`` (rows of data at those row indices), a
    shape (zeros), a dense array (NDArray, numpy, list) or a RowSparseNDArray."""
    if _is_shape(arg1):
        return zeros('row_sparse', arg1, ctx, dtype)
    if isinstance(arg1, tuple) and len(arg1) == 2:
        data = _values(arg1[0], dtype)
        indices = _values(arg1[1], None).astype(_INDEX_DTYPE)
        rows = int(indices.max()) + 1 if indices.size else 0
        shape = shape or (rows,) + data.shape[1:]
        return _as_given(SparseParts('row_sparse', tuple(shape), data, (indices,)), ctx)
    values = _values(arg1, dtype)
    _checked_shape(values.shape, shape)
    return _in_storage(values, 'row_sparse', ctx)


def zeros(stype, shape, ctx=None, dtype=None, **kwargs):
    """An array of zeros of storage type `stype` ('default', 'csr' or 'row_sparse')."""
    if stype not in ARRAY_CLASSES:
        raise ValueError('unknown storage type' + str(stype))
    return ndarray.zeros(shape, ctx, dtype, stype=stype, **kwargs)


def empty(stype, shape, ctx=None, dtype=None):
    """An array of storage type `stype` ('csr' or 'row_sparse') whose values are zeros."""
    if stype not in ('csr', 'row_sparse'):
        raise ValueError('unknown stype : ' + str(stype))
    return zeros(stype, shape, ctx, dtype)


def array(source_array, ctx=None, dtype=None):
    """A sparse array from a sparse NDArray (same storage type) or a SciPy csr matrix."""
    if isinstance(source_array, NDArray):
        if source_array.stype == 'default':
            raise AssertionError('Please use `tostype` to create RowSparseNDArray or CSRNDArray '
                                 'from an NDArray')
        return ndarray.array(source_array, ctx or source_array.context, dtype)
    if hasattr(source_array, 'tocsr'):
        return csr_matrix(source_array, ctx=ctx, dtype=dtype)
    raise ValueError('Unexpected source_array type: %s' % type(source_array))


# ---- arithmetic: elementwise ops for arrays of one shape, broadcasting ones otherwise ----

def _same_shape(lhs, rhs):
    return isinstance(lhs, NDArray) and isinstance(rhs, NDArray) and lhs.shape == rhs.shape


def add(lhs, rhs):
    """``lhs + rhs``: elemwise_add for arrays of one shape, else broadcast_add."""
    if _same_shape(lhs, rhs):
        return op_functions()['elemwise_add'](lhs, rhs)
    return ndarray.add(lhs, rhs)


def subtract(lhs, rhs):
    """``lhs - rhs``: elemwise_sub for arrays of one shape, else broadcast_sub."""
    if _same_shape(lhs, rhs):
        return op_functions()['elemwise_sub'](lhs, rhs)
    return ndarray.subtract(lhs, rhs)


def multiply(lhs, rhs):
    """``lhs * rhs``: elemwise_mul for arrays of one shape, else broadcast_mul."""
    if _same_shape(lhs, rhs):
        return op_functions()['elemwise_mul'](lhs, rhs)
    return ndarray.multiply(lhs, rhs)


def divide(lhs, rhs):
    """``lhs / rhs``: elemwise_div for arrays of one shape, else broadcast_div."""
    if _same_shape(lhs, rhs):
        return op_functions()['elemwise_div'](lhs, rhs)
    return ndarray.divide(lhs, rhs)


def __getattr__(name):
    """The ``_sparse_<name>`` ops as ``mx.nd.sparse.<name>`` (``retain``, ``dot``, ...)."""
    try:
        return getattr(op_functions()['_internal'], '_sparse_' + name)
    except AttributeError:
        raise AttributeError("module 'mxsym.ndarray.sparse' has no attribute '%s'"
                             % name) from None
