"""MXNet's binary NDArray file format (``.params`` files), read and written as numpy arrays
(`mx.nd.save` / `mx.nd.load` in ndarray.py make and take NDArrays).

Layout (little endian): a u64 list magic 0x112 and a reserved u64; a u64 array count and the
arrays; a u64 name count and the names (u64 length + UTF-8 bytes). Each array is written as
MXNet 1.x writes it: u32 magic 0xF993FAC9, i32 storage type (0 = dense), the shape (u32 ndim,
i64 dims), the context (i32 device type, i32 device id), i32 dtype code, then the raw data.
Reading also accepts the older layouts MXNet reads: magic 0xF993FAC8 (no storage type) and the
first format, whose leading u32 is the ndim and whose dims are u32. In NumPy-shape mode
(`mx.np_shape`) arrays are written with magic 0xF993FACA, where ndim 0 is a scalar holding a
value; as in MXNet, each kind of file loads only in the mode that wrote it.
"""
import math
import os
import stat
import struct
from typing import NamedTuple

import ml_dtypes
import numpy as np

from .base import MXNetError
from .dtype_codes import CODE_OF_DTYPE, DTYPE_CODES
from .util import is_np_shape

LIST_MAGIC = 0x112
ARRAY_MAGIC_V1 = 0xF993FAC8
ARRAY_MAGIC_V2 = 0xF993FAC9
ARRAY_MAGIC_V3 = 0xF993FACA
STORAGE_TYPES = {0: 'default', 1: 'row_sparse', 2: 'csr'}
STORAGE_CODES = {name: code for code, name in STORAGE_TYPES.items()}
AUX_NAMES = {'row_sparse': ('indices',), 'csr': ('indptr', 'indices')}


class SparseParts(NamedTuple):
    """A sparse array as MXNet stores it: its storage type ('csr' or 'row_sparse'), its shape,
    its stored values and its aux arrays, in MXNet's order (AUX_NAMES), as numpy arrays."""
    stype: str
    shape: tuple
    data: np.ndarray
    aux: tuple

    def dense(self):
        """The values as a dense numpy array."""
        values = np.zeros(self.shape, self.data.dtype)
        if self.stype == 'csr':
            indptr, indices = self.aux
            rows = np.repeat(np.arange(self.shape[0]), np.diff(indptr))
            values[rows, indices] = self.data
        else:
            values[self.aux[0]] = self.data
        return values


# ------------------------------------------------------------------------------------ writing
def array_bytes(values):
    """One array (numpy, or SparseParts) in MXNet's binary NDArray layout."""
    if isinstance(values, SparseParts):
        return _sparse_bytes(values)
    values = np.asarray(values, order='C')   # (ascontiguousarray makes 0-d arrays 1-d)
    magic = ARRAY_MAGIC_V3 if is_np_shape() else ARRAY_MAGIC_V2
    header = struct.pack('<Ii', magic, 0) + _shape_bytes(values.shape)
    header += struct.pack('<ii', 1, 0) + _dtype_bytes(values)
    return header + _data_bytes(values)


def _sparse_bytes(parts):
    if is_np_shape():
        raise MXNetError('save: a %s array cannot be saved in NumPy-shape semantics, which '
                         'serialize only arrays of default storage type' % parts.stype)
    data = np.asarray(parts.data, order='C')
    aux = [np.asarray(array, order='C') for array in parts.aux]
    header = struct.pack('<Ii', ARRAY_MAGIC_V2, STORAGE_CODES[parts.stype])
    header += _shape_bytes(data.shape) + _shape_bytes(parts.shape)
    header += struct.pack('<ii', 1, 0) + _dtype_bytes(data)
    header += b''.join(_dtype_bytes(array) + _shape_bytes(array.shape) for array in aux)
    return header + b''.join(_data_bytes(array) for array in [data] + aux)


def _shape_bytes(shape):
    return struct.pack('<i%dq' % len(shape), len(shape), *shape)


def _dtype_bytes(values):
    if values.dtype.name not in CODE_OF_DTYPE:
        raise MXNetError('save: dtype %s has no MXNet code' % values.dtype.name)
    return struct.pack('<i', CODE_OF_DTYPE[values.dtype.name])


def _data_bytes(values):
    return values.astype(values.dtype.newbyteorder('<'), copy=False).tobytes()


def dumps(names, arrays):
    """The bytes of an MXNet NDArray file holding numpy `arrays`, named by `names` (or an
    empty list for a file of unnamed arrays)."""
    parts = [struct.pack('<QQQ', LIST_MAGIC, 0, len(arrays))]
    parts += [array_bytes(a) for a in arrays]
    parts.append(struct.pack('<Q', len(names)))
    for name in names:
        encoded = name.encode('utf-8')
        parts.append(struct.pack('<Q', len(encoded)) + encoded)
    return b''.join(parts)


# ------------------------------------------------------------------------------------ reading
HEADER_SIZE = 16


def _check_magic(header, source):
    magic, _ = struct.unpack('<QQ', header)
    if magic != LIST_MAGIC:
        raise MXNetError('%s: not an MXNet NDArray file (header magic 0x%x, expected 0x%x)'
                         % (source, magic, LIST_MAGIC))


class Reader:
    """Sequential little-endian reads that say what was being read, and where, when short."""

    def __init__(self, buffer, source):
        self.buffer, self.offset, self.source = buffer, 0, source

    def take(self, size, what):
        end = self.offset + size
        if end > len(self.buffer):
            raise MXNetError('%s: truncated at byte %d while reading %s (needs %d bytes, %d '
                             'left)' % (self.source, self.offset, what, size,
                                        len(self.buffer) - self.offset))
        chunk = self.buffer[self.offset:end]
        self.offset = end
        return chunk

    def unpack(self, fmt, what):
        return struct.unpack('<' + fmt, self.take(struct.calcsize('<' + fmt), what))


def read_array(reader, index):
    """The array at the reader's offset: a numpy array, SparseParts for a sparse one, or None
    for MXNet's empty NDArray."""
    what = 'array %d' % index
    start = reader.offset
    (magic,) = reader.unpack('I', what + ' magic')
    scalar_possible = magic == ARRAY_MAGIC_V3
    stype = 'default'
    if magic in (ARRAY_MAGIC_V2, ARRAY_MAGIC_V3):
        _check_shape_semantics(magic == ARRAY_MAGIC_V3, reader.source, what, start)
        (code,) = reader.unpack('i', what + ' storage type')
        if code not in STORAGE_TYPES:
            raise MXNetError('%s: %s at byte %d has unknown storage type %d'
                             % (reader.source, what, start, code))
        stype = STORAGE_TYPES[code]
        if stype != 'default':
            stored_shape = _read_shape(reader, what + ' stored shape', start)
        (ndim,) = reader.unpack('i', what + ' ndim')
        if ndim < 0:   # a NumPy-shape file's array of unknown shape: MXNet's empty NDArray
            return None
        shape = reader.unpack('%dq' % ndim, what + ' shape')
    elif magic == ARRAY_MAGIC_V1:
        (ndim,) = reader.unpack('I', what + ' ndim')
        shape = reader.unpack('%dq' % ndim, what + ' shape')
    else:
        ndim = magic
        if ndim > 32:
            raise MXNetError('%s: %s at byte %d starts with 0x%08x, which is no NDArray magic'
                             % (reader.source, what, start, magic))
        shape = reader.unpack('%dI' % ndim, what + ' shape')
    if ndim == 0 and not scalar_possible:
        return None
    _check_dims(shape, reader.source, what, start)
    reader.unpack('ii', what + ' context')
    dtype = _read_dtype(reader, what, start)
    if stype == 'default':
        return _read_values(reader, dtype, shape, what + ' data', start)
    aux_specs = [(name, _read_dtype(reader, what, start),
                  _read_shape(reader, '%s %s shape' % (what, name), start))
                 for name in AUX_NAMES[stype]]
    data = _read_values(reader, dtype, stored_shape, what + ' stored values', start)
    aux = tuple(_read_values(reader, aux_dtype, aux_shape, '%s %s' % (what, name), start)
                for name, aux_dtype, aux_shape in aux_specs)
    parts = SparseParts(stype, tuple(shape), data, aux)
    _check_sparse(parts, reader.source, what, start)
    return parts


def _read_shape(reader, what, start):
    (ndim,) = reader.unpack('i', what + ' ndim')
    if ndim < 0:
        raise MXNetError('%s: %s at byte %d has ndim %d'
                         % (reader.source, what, reader.offset - 4, ndim))
    shape = reader.unpack('%dq' % ndim, what)
    _check_dims(shape, reader.source, what, start)
    return shape


def _check_dims(shape, source, what, start):
    if shape and min(shape) < 0:
        raise MXNetError('%s: %s at byte %d has shape %s, with a negative dim'
                         % (source, what, start, tuple(shape)))


def _read_dtype(reader, what, start):
    (code,) = reader.unpack('i', what + ' dtype')
    if code not in DTYPE_CODES:
        raise MXNetError('%s: %s (starting at byte %d) has unknown dtype code %d at byte %d'
                         % (reader.source, what, start, code, reader.offset - 4))
    return _numpy_dtype(DTYPE_CODES[code])


def _read_values(reader, dtype, shape, what, start):
    count = math.prod(shape)
    raw = reader.take(count * dtype.itemsize, '%s (%s %s)' % (what, dtype.name, tuple(shape)))
    values = np.frombuffer(raw, dtype.newbyteorder('<')).astype(dtype)
    try:
        return values.reshape(shape)
    except ValueError:   # an empty array whose other dims overflow numpy's sizes
        raise MXNetError('%s: %s at byte %d has shape %s, too large for an array'
                         % (reader.source, what, start, tuple(shape))) from None


def _check_sparse(parts, source, what, start):
    """Refuses stored parts that do not describe an array of `parts.shape`."""
    def refuse(rule):
        raise MXNetError('%s: %s (%s, at byte %d): %s' % (source, what, parts.stype, start, rule))
    if any(array.dtype.kind not in 'iu' for array in parts.aux):
        refuse('aux arrays must hold integers, got %s'
               % ', '.join(array.dtype.name for array in parts.aux))
    if any(array.ndim != 1 for array in parts.aux):
        refuse('aux arrays must be 1-d')
    if parts.stype == 'csr':
        indptr, indices = parts.aux
        if len(parts.shape) != 2 or parts.data.ndim != 1:
            refuse('a csr array is 2-d with 1-d stored values')
        if len(indptr) != parts.shape[0] + 1 or indptr[0] != 0 or np.any(np.diff(indptr) < 0):
            refuse('indptr must rise from 0 with one entry per row and one more')
        if not indptr[-1] == len(indices) == len(parts.data):
            refuse('indptr ends at %d for %d indices and %d values'
                   % (indptr[-1], len(indices), len(parts.data)))
        bound, positions = parts.shape[1], indices
    else:
        (indices,) = parts.aux
        if not parts.shape or parts.data.shape != (len(indices),) + tuple(parts.shape[1:]):
            refuse('stored rows of shape %s for %d indices of an array of shape %s'
                   % (parts.data.shape, len(indices), tuple(parts.shape)))
        bound, positions = (parts.shape[0] if parts.shape else 0), indices
    outside = positions[(positions < 0) | (positions >= bound)]
    if outside.size:
        refuse('indices must lie in [0, %d), got %s' % (bound, outside[:5].tolist()))


def _check_shape_semantics(saved_in_np_shape, source, what, start):
    if saved_in_np_shape != is_np_shape():
        raise MXNetError(
            '%s: %s at byte %d was %s in NumPy-shape semantics, so it must be loaded %s them '
            '(use `with mx.np_shape(%s)` around the load)'
            % (source, what, start, 'saved' if saved_in_np_shape else 'not saved',
               'in' if saved_in_np_shape else 'outside', saved_in_np_shape))


def _numpy_dtype(name):
    return np.dtype(ml_dtypes.bfloat16 if name == 'bfloat16' else name)


def loads(buffer, source='<buffer>'):
    """Parse an MXNet NDArray file: a {name: numpy array} dict or a list of numpy arrays."""
    reader = Reader(bytes(buffer), source)
    _check_magic(reader.take(HEADER_SIZE, 'file header'), source)
    (count,) = reader.unpack('Q', 'array count')   # each array then reads its own bytes
    arrays = [read_array(reader, i) for i in range(count)]
    (name_count,) = reader.unpack('Q', 'name count')
    names = []
    for i in range(name_count):
        (length,) = reader.unpack('Q', 'length of name %d' % i)
        start = reader.offset
        raw = reader.take(length, 'name %d' % i)
        try:
            names.append(raw.decode('utf-8'))
        except UnicodeDecodeError as err:
            raise MXNetError('%s: name %d (at byte %d) is not UTF-8 text: byte %d is 0x%02x'
                             % (source, i, start, start + err.start, raw[err.start])) from None
    if names and len(names) != len(arrays):
        raise MXNetError('%s: %d names for %d arrays' % (source, len(names), len(arrays)))
    if reader.offset != len(reader.buffer):
        raise MXNetError('%s: %d unexpected bytes after the names at byte %d'
                         % (source, len(reader.buffer) - reader.offset, reader.offset))
    return dict(zip(names, arrays)) if names else arrays


def read_file(fname):
    """The bytes of an NDArray file, read only once it is a regular file whose header is an
    NDArray file's (a device or a pipe, like /dev/zero, could be read forever)."""
    try:
        # Opened without blocking, so that a pipe is refused rather than waited on.
        with os.fdopen(os.open(fname, os.O_RDONLY | os.O_NONBLOCK), 'rb') as src:
            if not stat.S_ISREG(os.fstat(src.fileno()).st_mode):
                raise MXNetError('%s is not a regular file' % fname)
            header = src.read(HEADER_SIZE)
            if len(header) < HEADER_SIZE:
                raise MXNetError('%s: truncated at byte %d while reading file header (needs %d '
                                 'bytes)' % (fname, len(header), HEADER_SIZE))
            _check_magic(header, fname)
            return header + src.read()
    except OSError as err:
        raise MXNetError('cannot read NDArray file %s: %s' % (fname, err.strerror or err)) \
            from None
