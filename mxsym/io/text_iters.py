"""`mx.io.CSVIter` and `mx.io.LibSVMIter`: batches of rows read from text files, with MXNet's
batch loader rules (`RowCursor`): a short last batch wraps to the start under `round_batch`."""
import re

import numpy as np

from .. import ndarray as nd
from ..base import MXNetError
from ..ndarray import sparse
from .held_batch import HeldBatchIter, RowCursor, ignore_unknown
from .io import DataBatch, DataDesc

_LEADING_INT = re.compile(r'\s*[+-]?\d*')
_CSV_DTYPES = ('float32', 'int32', 'int64')


def _read_lines(path, what):
    try:
        with open(path) as fin:
            return [line for line in fin.read().splitlines() if line.strip()]
    except OSError as err:
        raise MXNetError('%s: cannot open %s: %s' % (what, path, err.strerror)) from None


def _parse_int(field):
    """The leading integer of `field`, as C's strtoll reads it ('0.5' is 0)."""
    digits = _LEADING_INT.match(field).group().strip()
    return int(digits) if digits not in ('', '+', '-') else 0


def read_csv(path, shape, dtype):
    """The rows of a CSV file as a (rows,) + `shape` array of `dtype`; MXNetError naming the
    file and line when a row's length is not the shape's size."""
    size = int(np.prod(shape))
    lines = _read_lines(path, 'CSVIter')
    rows = np.empty((len(lines), size), dtype=dtype)
    integer = np.dtype(dtype).kind == 'i'
    for number, line in enumerate(lines):
        fields = line.split(',')
        if len(fields) != size:
            raise MXNetError('CSVIter: %s line %d: the data size in CSV does not match the size '
                             'of shape: specified shape=%s, the csv row-length=%d'
                             % (path, number + 1, list(shape), len(fields)))
        try:
            rows[number] = [_parse_int(f) for f in fields] if integer else fields
        except ValueError:
            raise MXNetError('CSVIter: %s line %d: not a number in %r'
                             % (path, number + 1, line)) from None
    return rows.reshape((len(lines),) + tuple(shape))


def _label_shape(batch_size, shape):
    return (batch_size,) if tuple(shape) == (1,) else (batch_size,) + tuple(shape)


class _RowIter(HeldBatchIter):
    """Batches of in-memory rows chosen by a `RowCursor`; `_rows_batch` makes the arrays."""

    def __init__(self, batch_size, num_rows, round_batch):
        super().__init__(batch_size)
        self.cursor = RowCursor(num_rows, batch_size, round_batch)

    def _restart(self):
        self.cursor.restart()

    def _load_batch(self):
        picked = self.cursor.next_rows()
        if picked is None:
            return None
        rows, pad = picked
        data, label = self._rows_batch(rows)
        return DataBatch([data], [label], pad=pad, index=rows.astype(np.uint64),
                         provide_data=self.provide_data, provide_label=self.provide_label)


class CSVIter(_RowIter):
    """Rows of `data_csv` shaped `data_shape` and of `label_csv` shaped `label_shape` (zeros
    without a label file), in `dtype` (float32, int32 or int64)."""

    def __init__(self, data_csv, data_shape, label_csv=None, label_shape=(1,), batch_size=1,
                 round_batch=True, prefetch_buffer=4, ctx='gpu', dtype=None, data_name='data',
                 label_name='softmax_label', **kwargs):
        ignore_unknown('CSVIter', kwargs)
        dtype = np.dtype(dtype or 'float32')
        if dtype.name not in _CSV_DTYPES:
            raise MXNetError('CSVIter: dtype must be one of %s, got %s' % (_CSV_DTYPES, dtype))
        self.data = read_csv(data_csv, data_shape, dtype)
        if label_csv in (None, 'NULL'):
            self.label = np.zeros((len(self.data),) + tuple(label_shape), dtype=dtype)
        else:
            self.label = read_csv(label_csv, label_shape, dtype)
        if len(self.label) < len(self.data):
            raise MXNetError('CSVIter: %s has %d rows but %s only %d'
                             % (data_csv, len(self.data), label_csv, len(self.label)))
        super().__init__(batch_size, len(self.data), round_batch)
        self.provide_data = [DataDesc(data_name, (batch_size,) + tuple(data_shape), dtype.type)]
        self.provide_label = [DataDesc(label_name, _label_shape(batch_size, label_shape),
                                       dtype.type)]

    def _rows_batch(self, rows):
        label = self.label[rows].reshape(self.provide_label[0].shape)
        return nd.array(self.data[rows], dtype=self.data.dtype), nd.array(label, dtype=label.dtype)


def read_libsvm(path, num_features):
    """The rows of a LibSVM file: (leading values, CSR (values, indices, indptr)); MXNetError
    naming the file and line for a bad or out-of-range feature index."""
    heads, values, indices, indptr = [], [], [], [0]
    for number, line in enumerate(_read_lines(path, 'LibSVMIter'), 1):
        fields = line.split()
        heads.append(float(fields[0].split(',')[0]))
        for item in fields[1:]:
            index, _, value = item.partition(':')
            try:
                index, value = int(index), float(value)
            except ValueError:
                raise MXNetError('LibSVMIter: %s line %d: expected index:value, got %r'
                                 % (path, number, item)) from None
            if not 0 <= index < num_features:
                raise MXNetError('LibSVMIter: %s line %d: feature index %d is outside '
                                 '[0, %d)' % (path, number, index, num_features))
            indices.append(index)
            values.append(value)
        indptr.append(len(indices))
    return (np.array(heads, dtype=np.float32),
            (np.array(values, dtype=np.float32), np.array(indices, dtype=np.int64),
             np.array(indptr, dtype=np.int64)))


def _csr_rows(csr, rows, num_features):
    """The CSR rows `rows` of (values, indices, indptr) as a CSRNDArray."""
    values, indices, indptr = csr
    starts, ends = indptr[rows], indptr[rows + 1]
    picked = np.concatenate([np.arange(s, e) for s, e in zip(starts, ends)]).astype(np.int64)
    new_indptr = np.concatenate([[0], np.cumsum(ends - starts)]).astype(np.int64)
    return sparse.csr_matrix((values[picked], indices[picked], new_indptr),
                             shape=(len(rows), num_features), dtype=np.float32)


class LibSVMIter(_RowIter):
    """Rows of a LibSVM file as CSR data (batch, data_shape[0]); the labels are the lines'
    leading values, or, from `label_libsvm`, CSR rows of `label_shape`."""

    def __init__(self, data_libsvm, data_shape, label_libsvm=None, label_shape=(1,),
                 batch_size=1, round_batch=True, num_parts=1, part_index=0, prefetch_buffer=4,
                 ctx='gpu', dtype=None, data_name='data', label_name='softmax_label', **kwargs):
        ignore_unknown('LibSVMIter', kwargs)
        if not round_batch:
            raise MXNetError("LibSVMIter: the sparse batch loader doesn't support "
                             'round_batch == false')
        self.num_features = int(np.prod(data_shape))
        heads, self.data = read_libsvm(data_libsvm, self.num_features)
        num_rows = len(heads)
        start, end = num_rows * part_index // num_parts, num_rows * (part_index + 1) // num_parts
        self.rows = np.arange(start, end)
        self.label_width = int(np.prod(label_shape))
        if label_libsvm in (None, 'NULL'):
            self.label = heads
        else:
            self.label = read_libsvm(label_libsvm, self.label_width)[1]
        super().__init__(batch_size, len(self.rows), round_batch)
        self.provide_data = [DataDesc(data_name, (batch_size, self.num_features))]
        self.provide_label = [DataDesc(label_name, _label_shape(batch_size, label_shape))]

    def _rows_batch(self, rows):
        rows = self.rows[rows]
        data = _csr_rows(self.data, rows, self.num_features)
        if isinstance(self.label, tuple):
            return data, _csr_rows(self.label, rows, self.label_width)
        return data, nd.array(self.label[rows])
