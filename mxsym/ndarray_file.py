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

import ml_dtypes
import numpy as np

from .base import MXNetError
from .dtype_codes import CODE_OF_DTYPE, DTYPE_CODES
from .util import is_np_shape

LIST_MAGIC = 0x112
ARRAY_MAGIC_V1 = 0xF993FAC8
ARRAY_MAGIC_V2 = 0xF993FAC9
ARRAY_MAGIC_V3 = 0xF993FACA


# ------------------------------------------------------------------------------------ writing
def array_bytes(values):
    """One array (numpy) in MXNet's binary NDArray layout."""
    values = np.asarray(values, order='C')   # (ascontiguousarray makes 0-d arrays 1-d)
    dtype_name = values.dtype.name
    if dtype_name not in CODE_OF_DTYPE:
        raise MXNetError('save: dtype %s has no MXNet code' % dtype_name)
    magic = ARRAY_MAGIC_V3 if is_np_shape() else ARRAY_MAGIC_V2
    header = struct.pack('<Iii', magic, 0, values.ndim)
    header += struct.pack('<%dq' % values.ndim, *values.shape)
    header += struct.pack('<iii', 1, 0, CODE_OF_DTYPE[dtype_name])
    return header + values.astype(values.dtype.newbyteorder('<'), copy=False).tobytes()


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
    """The numpy array at the reader's offset (None for MXNet's empty NDArray)."""
    what = 'array %d' % index
    start = reader.offset
    (magic,) = reader.unpack('I', what + ' magic')
    scalar_possible = magic == ARRAY_MAGIC_V3
    if magic in (ARRAY_MAGIC_V2, ARRAY_MAGIC_V3):
        _check_shape_semantics(magic == ARRAY_MAGIC_V3, reader.source, what, start)
        (stype,) = reader.unpack('i', what + ' storage type')
        if stype != 0:
            raise MXNetError('%s: %s at byte %d is a sparse array (storage type %d), which '
                             'mxsym does not read' % (reader.source, what, start, stype))
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
    if shape and min(shape) < 0:
        raise MXNetError('%s: %s at byte %d has shape %s, with a negative dim'
                         % (reader.source, what, start, tuple(shape)))
    reader.unpack('ii', what + ' context')
    (code,) = reader.unpack('i', what + ' dtype')
    if code not in DTYPE_CODES:
        raise MXNetError('%s: %s (starting at byte %d) has unknown dtype code %d at byte %d'
                         % (reader.source, what, start, code, reader.offset - 4))
    dtype = _numpy_dtype(DTYPE_CODES[code])
    count = math.prod(shape)
    raw = reader.take(count * dtype.itemsize, '%s data (%s %s)' % (what, DTYPE_CODES[code],
                                                                    tuple(shape)))
    values = np.frombuffer(raw, dtype.newbyteorder('<')).astype(dtype)
    try:
        return values.reshape(shape)
    except ValueError:   # an empty array whose other dims overflow numpy's sizes
        raise MXNetError('%s: %s at byte %d has shape %s, too large for an array'
                         % (reader.source, what, start, tuple(shape))) from None


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
