"""`mx.io.MNISTIter`: batches from MNIST's idx files (plain or gzip-compressed)."""
import gzip
import struct

import numpy as np

from .. import ndarray as nd
from ..base import MXNetError
from .held_batch import LOG, HeldBatchIter, ignore_unknown
from .io import DataBatch, DataDesc
from .std_random import std_shuffle

_IMAGES_MAGIC, _LABELS_MAGIC = 2051, 2049


def read_idx_file(path, magic, dims):
    """The uint8 array of an idx file whose header is `magic` and `dims` big-endian counts."""
    try:
        with open(path, 'rb') as fin:
            raw = fin.read()
    except OSError as err:
        raise MXNetError('MNISTIter: cannot open %s: %s' % (path, err.strerror)) from None
    if raw[:2] == b'\x1f\x8b':
        raw = gzip.decompress(raw)
    header_size = 4 * (1 + dims)
    if len(raw) < header_size:
        raise MXNetError('MNISTIter: %s is too short for an idx header (invalid mnist format)'
                         % path)
    found, *shape = struct.unpack('>%dI' % (1 + dims), raw[:header_size])
    if found != magic:
        raise MXNetError('MNISTIter: %s starts with magic number %d, expected %d (invalid mnist '
                         'format)' % (path, found, magic))
    count = int(np.prod(shape))
    if len(raw) - header_size < count:
        raise MXNetError('MNISTIter: %s holds %d bytes of data at byte offset %d, its header '
                         'says %d (truncated file)'
                         % (path, len(raw) - header_size, header_size, count))
    return np.frombuffer(raw, np.uint8, count, header_size).reshape(shape)


def _part(count, num_parts, part_index):
    """[start, end) of part `part_index` of `num_parts` equal parts of `count` examples."""
    if not 0 <= part_index < num_parts:
        raise MXNetError('MNISTIter: part_index %d is not in [0, num_parts=%d)'
                         % (part_index, num_parts))
    return int(count / num_parts * part_index), int(count / num_parts * (part_index + 1))


class MNISTIter(HeldBatchIter):
    """MNIST images scaled to [0, 1) (pixel / 256) in (batch, 1, rows, cols), or
    (batch, rows * cols) with `flat`, and their labels; only whole batches. `shuffle` orders
    the examples once, as MXNet's shuffle with `seed` does; `num_parts` / `part_index` take
    one contiguous part."""

    def __init__(self, image='./train-images-idx3-ubyte', label='./train-labels-idx1-ubyte',
                 batch_size=128, shuffle=True, flat=False, seed=0, silent=False, num_parts=1,
                 part_index=0, prefetch_buffer=4, ctx='gpu', dtype=None, data_name='data',
                 label_name='softmax_label', **kwargs):
        super().__init__(batch_size)
        ignore_unknown('MNISTIter', kwargs)
        images = read_idx_file(image, _IMAGES_MAGIC, 3)
        labels = read_idx_file(label, _LABELS_MAGIC, 1)
        start, end = _part(len(images), num_parts, part_index)
        images = images[start:end]
        start, end = _part(len(labels), num_parts, part_index)
        labels = labels[start:end]
        if len(images) != len(labels):
            raise MXNetError('MNISTIter: %s has %d images but %s has %d labels'
                             % (image, len(images), label, len(labels)))
        if shuffle:
            order = np.array(std_shuffle(list(range(len(images))), seed), dtype=np.int64)
            images, labels = images[order], labels[order]
        rows, cols = images.shape[1:]
        sample_shape = (rows * cols,) if flat else (1, rows, cols)
        self.images = (images.astype(np.float32) * np.float32(1.0 / 256.0)).reshape(
            (len(images),) + sample_shape)
        self.labels = labels.astype(np.float32)
        self.provide_data = [DataDesc(data_name, (batch_size,) + sample_shape)]
        self.provide_label = [DataDesc(label_name, (batch_size,))]
        self.cursor = 0
        if not silent:
            LOG.info('MNISTIter: load %d images, shuffle=%d, shape=%s', len(images),
                         bool(shuffle), (batch_size,) + sample_shape)

    def _restart(self):
        self.cursor = 0

    def _load_batch(self):
        start, end = self.cursor, self.cursor + self.batch_size
        if end > len(self.images):
            return None
        self.cursor = end
        return DataBatch([nd.array(self.images[start:end])], [nd.array(self.labels[start:end])],
                         pad=0, index=np.zeros(self.batch_size, dtype=np.uint64),
                         provide_data=self.provide_data, provide_label=self.provide_label)
