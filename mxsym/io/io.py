"""`mx.io`: data descriptions, batches and iterators that feed `mx.mod.Module`.

`NDArrayIter` walks in-memory arrays batch by batch with MXNet 1.9.1's rules for the last,
incomplete batch ('pad' wraps around to the start, 'discard' drops it, 'roll_over' carries it
into the next epoch) and its `pad` counts.
"""
from collections import OrderedDict, namedtuple

import jax.numpy as jnp
import numpy as np

from .. import ndarray as nd
from ..ndarray import sparse
from ..base import MXNetError


class DataDesc(namedtuple('DataDesc', ['name', 'shape'])):
    """Name and shape of an input, plus its dtype and layout (``N`` marks the batch axis)."""

    def __new__(cls, name, shape, dtype=np.float32, layout='NCHW'):
        desc = super().__new__(cls, name, shape)
        desc.dtype = dtype
        desc.layout = layout
        return desc

    def __repr__(self):
        return 'DataDesc[%s,%s,%s,%s]' % (self.name, self.shape, self.dtype, self.layout)

    @staticmethod
    def get_batch_axis(layout):
        """The batch axis of `layout` (0 when None; -1 when it has no ``N``)."""
        if layout is None:
            return 0
        return layout.find('N')

    @staticmethod
    def get_list(shapes, types):
        """DataDescs from ``(name, shape)`` pairs and optional ``(name, dtype)`` pairs."""
        if types is None:
            return [DataDesc(name, shape) for name, shape in shapes]
        type_dict = dict(types)
        return [DataDesc(name, shape, type_dict[name]) for name, shape in shapes]


class DataBatch:
    """One batch: lists of data and label arrays, and how many examples at its end are padding."""

    def __init__(self, data, label=None, pad=None, index=None, bucket_key=None,
                 provide_data=None, provide_label=None):
        if data is not None and not isinstance(data, (list, tuple)):
            raise MXNetError('DataBatch: data must be a list of NDArrays, got %s' % type(data))
        if label is not None and not isinstance(label, (list, tuple)):
            raise MXNetError('DataBatch: label must be a list of NDArrays, got %s' % type(label))
        self.data = data
        self.label = label
        self.pad = pad
        self.index = index
        self.bucket_key = bucket_key
        self.provide_data = provide_data
        self.provide_label = provide_label

    def __str__(self):
        label_shapes = [l.shape for l in self.label] if self.label else None
        return '%s: data shapes: %s label shapes: %s' % (
            self.__class__.__name__, [d.shape for d in self.data], label_shapes)


class DataIter:
    """Base iterator: `next` builds a DataBatch from `iter_next`, `getdata`, `getlabel`,
    `getpad` and `getindex`, which subclasses provide."""

    def __init__(self, batch_size=0):
        self.batch_size = batch_size

    def __iter__(self):
        return self

    def __next__(self):
        return self.next()

    def reset(self):
        """Go back to the first batch."""

    def next(self):
        if not self.iter_next():
            raise StopIteration
        return DataBatch(data=self.getdata(), label=self.getlabel(), pad=self.getpad(),
                         index=self.getindex())

    def iter_next(self):
        """Move to the next batch; False at the end."""
        return False

    def getdata(self):
        return None

    def getlabel(self):
        return None

    def getindex(self):
        return None

    def getpad(self):
        return 0


class _BatchHolder(DataIter):
    """An iterator over other iterators: its getters read the batch it last put together."""

    current_batch = None

    def getdata(self):
        return self.current_batch.data

    def getlabel(self):
        return self.current_batch.label

    def getindex(self):
        return self.current_batch.index

    def getpad(self):
        return self.current_batch.pad


class ResizeIter(_BatchHolder):
    """Another iterator cut or stretched to `size` batches per epoch (it restarts as needed)."""

    def __init__(self, data_iter, size, reset_internal=True):
        super().__init__(data_iter.batch_size)
        self.data_iter = data_iter
        self.size = size
        self.reset_internal = reset_internal
        self.cur = 0
        self.provide_data = data_iter.provide_data
        self.provide_label = data_iter.provide_label

    def reset(self):
        self.cur = 0
        if self.reset_internal:
            self.data_iter.reset()

    def iter_next(self):
        if self.cur == self.size:
            return False
        try:
            self.current_batch = self.data_iter.next()
        except StopIteration:
            self.data_iter.reset()
            self.current_batch = self.data_iter.next()
        self.cur += 1
        return True


class PrefetchingIter(_BatchHolder):
    """Several iterators read in step, their batches joined into one (data and labels
    renamed by the `rename_data` / `rename_label` dicts, one per iterator). Batches are read
    when asked for: JAX already runs the device work of a step while Python reads the next."""

    def __init__(self, iters, rename_data=None, rename_label=None):
        super().__init__()
        self.iters = iters if isinstance(iters, list) else [iters]
        if not self.iters:
            raise MXNetError('PrefetchingIter: no iterators given')
        self.rename_data = rename_data
        self.rename_label = rename_label
        self.batch_size = self.provide_data[0][1][0]

    @staticmethod
    def _renamed(descs_per_iter, renames):
        if renames is None:
            return sum(descs_per_iter, [])
        return sum([[DataDesc(rename[d.name], d.shape, d.dtype) if isinstance(d, DataDesc)
                     else DataDesc(*d) for d in descs]
                    for rename, descs in zip(renames, descs_per_iter)], [])

    @property
    def provide_data(self):
        return self._renamed([i.provide_data for i in self.iters], self.rename_data)

    @property
    def provide_label(self):
        return self._renamed([i.provide_label for i in self.iters], self.rename_label)

    def reset(self):
        for data_iter in self.iters:
            data_iter.reset()

    def iter_next(self):
        batches = []
        for data_iter in self.iters:
            try:
                batches.append(data_iter.next())
            except StopIteration:
                batches.append(None)
        if any(b is None for b in batches):
            if any(b is not None for b in batches):
                raise MXNetError('PrefetchingIter: the iterators have different numbers of '
                                 'batches')
            return False
        if any(b.pad != batches[0].pad for b in batches):
            raise MXNetError('PrefetchingIter: the iterators pad their batches differently')
        self.current_batch = DataBatch(sum([b.data for b in batches], []),
                                       sum([b.label for b in batches], []),
                                       batches[0].pad, batches[0].index,
                                       provide_data=self.provide_data,
                                       provide_label=self.provide_label)
        return True

    def next(self):
        if not self.iter_next():
            raise StopIteration
        return self.current_batch


def _named_arrays(data, default_name, allow_empty):
    """Arrays given as one array, a list or a dict, as sorted ``(name, NDArray)`` pairs.
    A single array is called `default_name`, list entries ``_<i>_<default_name>``."""
    if data is None:
        if not allow_empty:
            raise MXNetError('NDArrayIter: data must be given')
        data = []
    if isinstance(data, (np.ndarray, nd.NDArray)):
        data = [data]
    if isinstance(data, (list, tuple)):
        if not data and not allow_empty:
            raise MXNetError('NDArrayIter: data must not be an empty list')
        if len(data) == 1:
            data = OrderedDict([(default_name, data[0])])
        else:
            data = OrderedDict(('_%d_%s' % (i, default_name), d) for i, d in enumerate(data))
    if not isinstance(data, dict):
        raise TypeError('NDArrayIter: input must be an NDArray, a numpy.ndarray, a list of '
                        'them or a dict with them as values, got %s' % type(data))
    named = {}
    for name, value in data.items():
        if hasattr(value, 'tocsr') and not isinstance(value, nd.NDArray):   # a SciPy matrix
            value = sparse.array(value)
        if not isinstance(value, nd.NDArray):
            try:
                value = nd.array(value)
            except TypeError:
                raise TypeError("NDArrayIter: invalid type '%s' for %s; use an NDArray or a "
                                'numpy.ndarray' % (type(value), name)) from None
        named[name] = value
    return sorted(named.items())


class NDArrayIter(DataIter):
    """Batches over in-memory arrays (NDArray or numpy; one, a list or a dict of them).

    last_batch_handle: 'pad' completes the last batch with examples from the start and reports
    how many in `pad`; 'discard' drops it; 'roll_over' keeps it and completes it with the first
    examples of the next epoch (its `pad` then counts the carried examples).
    """

    def __init__(self, data, label=None, batch_size=1, shuffle=False, last_batch_handle='pad',
                 data_name='data', label_name='softmax_label', layout='NCHW'):
        super().__init__(batch_size)
        if last_batch_handle not in ('pad', 'discard', 'roll_over'):
            raise MXNetError("NDArrayIter: last_batch_handle must be 'pad', 'discard' or "
                             "'roll_over', got %r" % (last_batch_handle,))
        self.data = _named_arrays(data, data_name, allow_empty=False)
        self.label = _named_arrays(label, label_name, allow_empty=True)
        if last_batch_handle != 'discard' and any(
                array.stype == 'csr' for _, array in self.data + self.label):
            raise NotImplementedError("`NDArrayIter` only supports ``CSRNDArray`` with "
                                      "`last_batch_handle` set to `discard`.")
        self.layout = layout
        self.idx = np.arange(self.data[0][1].shape[0])
        self.shuffle = shuffle
        self.last_batch_handle = last_batch_handle
        self.num_data = self.idx.shape[0]
        self.cursor = -batch_size
        self._cache_data = None
        self._cache_label = None
        self.reset()

    @property
    def _batch_axis(self):
        return self.layout.find('N')

    def _descs(self, named):
        axis = self._batch_axis
        return [DataDesc(name, tuple(array.shape[:axis]) + (self.batch_size,)
                         + tuple(array.shape[axis + 1:]), array.dtype, layout=self.layout)
                for name, array in named]

    @property
    def provide_data(self):
        return self._descs(self.data)

    @property
    def provide_label(self):
        return self._descs(self.label)

    def hard_reset(self):
        """Go back to the start, dropping any rolled-over examples."""
        if self.shuffle:
            self._shuffle_data()
        self.cursor = -self.batch_size
        self._cache_data = None
        self._cache_label = None

    def reset(self):
        if self.shuffle:
            self._shuffle_data()
        if (self.last_batch_handle == 'roll_over'
                and self.num_data - self.batch_size < self.cursor < self.num_data):
            self.cursor = self.cursor - self.num_data - self.batch_size
        else:
            self.cursor = -self.batch_size

    def iter_next(self):
        self.cursor += self.batch_size
        return self.cursor < self.num_data

    def next(self):
        if not self.iter_next():
            raise StopIteration
        data, label = self.getdata(), self.getlabel()
        if data[0].shape[self._batch_axis] != self.batch_size:
            # an incomplete last batch: kept for the next epoch under 'roll_over'
            self._cache_data, self._cache_label = data, label
            raise StopIteration
        return DataBatch(data=data, label=label, pad=self.getpad(), index=None)

    def _slice(self, named, start, end):
        axis = self._batch_axis
        return [array[start:end] if array.stype == 'csr' else
                nd.NDArray(jnp.take(array._data, jnp.arange(start, end), axis=axis),
                           array.context) for _, array in named]

    def _concat(self, first, second):
        if not first or not second:
            return first or second
        return [nd.NDArray(jnp.concatenate([a._data, b._data], axis=self._batch_axis),
                           a.context) for a, b in zip(first, second)]

    def _batchify(self, named):
        if self.cursor >= self.num_data:
            raise MXNetError('NDArrayIter: the iterator is at its end; call reset()')
        if self.last_batch_handle == 'roll_over' and -self.batch_size < self.cursor < 0:
            carried = self._cache_data if self._cache_data is not None else self._cache_label
            if carried is None:
                raise MXNetError('NDArrayIter: no rolled-over examples to start the epoch with')
            if self._cache_data is not None:
                self._cache_data = None
            else:
                self._cache_label = None
            return self._concat(carried, self._slice(named, 0, self.cursor + self.batch_size))
        if self.last_batch_handle == 'pad' and self.cursor + self.batch_size > self.num_data:
            pad = self.batch_size - self.num_data + self.cursor
            wrapped = []
            for _ in range(pad // self.num_data):
                wrapped = self._concat(wrapped, self._slice(named, 0, self.num_data))
            wrapped = self._concat(wrapped, self._slice(named, 0, pad % self.num_data)
                                   if pad % self.num_data else [])
            return self._concat(self._slice(named, self.cursor, self.num_data), wrapped)
        end = min(self.cursor + self.batch_size, self.num_data)
        return self._slice(named, self.cursor, end)

    def getdata(self):
        return self._batchify(self.data)

    def getlabel(self):
        return self._batchify(self.label)

    def getpad(self):
        if self.last_batch_handle == 'pad' and self.cursor + self.batch_size > self.num_data:
            return self.cursor + self.batch_size - self.num_data
        if self.last_batch_handle == 'roll_over' and -self.batch_size < self.cursor < 0:
            return -self.cursor
        return 0

    def _shuffle_data(self):
        """Permute the examples with numpy's global generator (as MXNet does, so
        ``np.random.seed`` makes the order repeatable). Like MXNet, the permuted copies are
        float32 whatever the source dtype."""
        np.random.shuffle(self.idx)
        self.data = [(name, _permuted(array, self.idx)) for name, array in self.data]
        self.label = [(name, _permuted(array, self.idx)) for name, array in self.label]


def _permuted(array, order):
    """The examples of `array` in `order`, csr arrays staying csr."""
    values = nd.array(array.asnumpy()[order], array.context)
    return values.tostype('csr') if array.stype == 'csr' else values
