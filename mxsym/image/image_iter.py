"""`mx.image.ImageIter`: batches of augmented images from a ``.rec`` file or an image list.

Each image is decoded, run through the augmenter list (`CreateAugmenter`'s unless `aug_list`
is given) and laid out (C, H, W) in a float32 batch; labels form a float32 (batch,) or
(batch, label_width) array. The last, incomplete batch follows `last_batch_handle` as
MXNet's: 'pad' completes it from the start and reports `pad`, 'discard' drops it,
'roll_over' carries it into the next epoch.
"""
import logging
import os
import random
from numbers import Number

import numpy as np

from .. import ndarray as nd
from .. import recordio
from ..base import MXNetError
from ..io.io import DataBatch, DataDesc, DataIter
from .augmenters import CreateAugmenter
from .image import imdecode

_LABEL_DTYPES = ('int32', 'float32', 'int64', 'float64')


def read_image_list(path, dtype):
    """An ``.lst`` file (index, labels..., path; tab separated) as ({index: (labels, path)},
    [indexes in file order])."""
    imglist, keys = {}, []
    with open(path) as fin:
        for number, line in enumerate(fin, 1):
            fields = line.strip().split('\t')
            if len(fields) < 3:
                raise MXNetError('ImageIter: %s line %d: expected index, label(s) and path '
                                 'separated by tabs, got %r' % (path, number, line.rstrip('\n')))
            key = int(fields[0])
            imglist[key] = (np.array(fields[1:-1], dtype=np.float64).astype(dtype), fields[-1])
            keys.append(key)
    return imglist, keys


def _labels_of_list(imglist, dtype):
    """An in-memory list of ``[label(s)..., path]`` as ({'1': (labels, path), ...}, keys)."""
    result, keys = {}, []
    for number, item in enumerate(imglist, 1):
        if len(item) > 2:
            label = np.array(item[:-1], dtype=dtype)
        elif isinstance(item[0], Number):
            label = np.array([item[0]], dtype=dtype)
        else:
            label = np.array(item[0], dtype=dtype)
        result[str(number)] = (label, item[-1])
        keys.append(str(number))
    return result, keys


class ImageIter(DataIter):
    """Batches of (C, H, W) images with their labels, read from `path_imgrec` (with
    `path_imgidx` for shuffling and partitions), `path_imglist` + `path_root`, or `imglist`.
    Extra keyword arguments go to `CreateAugmenter`."""

    def __init__(self, batch_size, data_shape, label_width=1, path_imgrec=None,
                 path_imglist=None, path_root=None, path_imgidx=None, shuffle=False,
                 part_index=0, num_parts=1, aug_list=None, imglist=None, data_name='data',
                 label_name='softmax_label', dtype='float32', last_batch_handle='pad',
                 **kwargs):
        super().__init__(batch_size)
        if not (path_imgrec or path_imglist or isinstance(imglist, list)):
            raise ValueError('ImageIter: give path_imgrec, path_imglist or imglist')
        if dtype not in _LABEL_DTYPES:
            raise ValueError('%s label not supported' % dtype)
        if last_batch_handle not in ('pad', 'discard', 'roll_over'):
            raise ValueError("ImageIter: last_batch_handle must be 'pad', 'discard' or "
                             "'roll_over', got %r" % (last_batch_handle,))
        self.imgrec = None
        self.imgidx = None
        if path_imgrec:
            logging.info('%s: loading recordio %s...', type(self).__name__, path_imgrec)
            if path_imgidx:
                self.imgrec = recordio.MXIndexedRecordIO(path_imgidx, path_imgrec, 'r')
                self.imgidx = list(self.imgrec.keys)
            else:
                self.imgrec = recordio.MXRecordIO(path_imgrec, 'r')
        keys = None
        if path_imglist:
            self.imglist, keys = read_image_list(path_imglist, dtype)
        elif isinstance(imglist, list):
            self.imglist, keys = _labels_of_list(imglist, dtype)
        else:
            self.imglist = None
        self.path_root = path_root
        self.check_data_shape(data_shape)
        self.data_shape = tuple(data_shape)
        self.label_width = label_width
        label_shape = (batch_size, label_width) if label_width > 1 else (batch_size,)
        self.provide_data = [DataDesc(data_name, (batch_size,) + self.data_shape)]
        self.provide_label = [DataDesc(label_name, label_shape)]
        self.shuffle = shuffle
        if self.imgrec is None:
            self.seq = keys
        elif shuffle or num_parts > 1 or path_imgidx:
            if self.imgidx is None:
                raise MXNetError('ImageIter: shuffling or partitioning a .rec file needs its '
                                 'index (path_imgidx)')
            self.seq = self.imgidx
        else:
            self.seq = None
        if num_parts > 1:
            if not 0 <= part_index < num_parts:
                raise MXNetError('ImageIter: part_index %d is not in [0, %d)'
                                 % (part_index, num_parts))
            per_part = len(self.seq) // num_parts
            self.seq = self.seq[part_index * per_part:(part_index + 1) * per_part]
        self.auglist = CreateAugmenter(data_shape, **kwargs) if aug_list is None else aug_list
        self.cur = 0
        self._allow_read = True
        self.last_batch_handle = last_batch_handle
        self.num_image = len(self.seq) if self.seq is not None else None
        self._cache = None
        self.reset()

    def reset(self):
        if self.seq is not None and self.shuffle:
            random.shuffle(self.seq)
        if self.last_batch_handle != 'roll_over' or self._cache is None:
            if self.imgrec is not None:
                self.imgrec.reset()
            self.cur = 0
            self._allow_read = True

    def hard_reset(self):
        """Go back to the start, dropping any rolled-over images."""
        if self.seq is not None and self.shuffle:
            random.shuffle(self.seq)
        if self.imgrec is not None:
            self.imgrec.reset()
        self.cur = 0
        self._allow_read = True
        self._cache = None

    def next_sample(self):
        """(label, encoded image bytes) of the next image; StopIteration at the end."""
        if not self._allow_read:
            raise StopIteration
        if self.seq is None:
            record = self.imgrec.read()
            if record is None:
                if self.last_batch_handle != 'discard':
                    self.imgrec.reset()
                raise StopIteration
            header, img = recordio.unpack(record)
            return header.label, img
        if self.cur >= self.num_image:
            if self.last_batch_handle != 'discard':
                self.cur = 0
            raise StopIteration
        idx = self.seq[self.cur]
        self.cur += 1
        if self.imgrec is not None:
            header, img = recordio.unpack(self.imgrec.read_idx(idx))
            label = header.label if self.imglist is None else self.imglist[idx][0]
            return label, img
        label, fname = self.imglist[idx]
        return label, self.read_image(fname)

    def _batchify(self, batch_data, batch_label, start=0):
        """Fill the numpy batch from slot `start` on; the number of slots filled."""
        i = start
        try:
            while i < self.batch_size:
                label, encoded = self.next_sample()
                data = self.imdecode(encoded)
                self.check_valid_image(data)
                data = self.augmentation_transform(data)
                batch_data[i] = self.postprocess_data(data)
                batch_label[i] = np.asarray(label).reshape(batch_label[i].shape)
                i += 1
        except StopIteration:
            if not i:
                raise
        return i

    def next(self):
        if self._cache is not None:
            batch_data, batch_label, filled = self._cache
        else:
            batch_data = np.zeros((self.batch_size,) + self.data_shape, dtype=np.float32)
            batch_label = np.zeros(self.provide_label[0].shape, dtype=np.float32)
            filled = self._batchify(batch_data, batch_label)
        pad = self.batch_size - filled
        if pad:
            if self.last_batch_handle == 'discard':
                raise StopIteration
            if self.last_batch_handle == 'roll_over' and self._cache is None:
                self._cache = (batch_data, batch_label, filled)
                raise StopIteration
            self._batchify(batch_data, batch_label, filled)
            if self.last_batch_handle == 'pad':
                self._allow_read = False
            else:
                self._cache = None
        return DataBatch([nd.array(batch_data)], [nd.array(batch_label)], pad=pad)

    def check_data_shape(self, data_shape):
        """Only (3, H, W) data: this iterator makes RGB images."""
        if len(data_shape) != 3:
            raise ValueError('data_shape should have length 3, with dimensions CxHxW')
        if data_shape[0] != 3:
            raise ValueError('This iterator expects inputs to have 3 channels.')

    def check_valid_image(self, data):
        """An image with no pixels is an error (MXNet's iterators never skip one silently)."""
        if data.size == 0:
            raise MXNetError('ImageIter: %s decoded to an empty image' % self._locate())

    def _locate(self):
        """The image just read: its file name, or its record index."""
        if self.seq is not None:
            idx = self.seq[(self.cur % self.num_image) - 1]
        else:
            idx = '%d of %s' % (self.imgrec.record_index - 1, self.imgrec.uri)
        if self.imglist is not None:
            return 'filename: %s' % self.imglist[idx][1]
        return 'index: %s' % (idx,)

    def imdecode(self, s):
        """Decode one image; an error names the image (file name or record index)."""
        try:
            return imdecode(s)
        except MXNetError as err:
            raise MXNetError('Broken image %s, %s' % (self._locate(), err)) from None

    def read_image(self, fname):
        """The encoded bytes of image file `fname` under `path_root`."""
        with open(os.path.join(self.path_root, fname), 'rb') as fin:
            return fin.read()

    def augmentation_transform(self, data):
        """The augmenter list applied in order."""
        for aug in self.auglist:
            data = aug(data)
        return data

    def postprocess_data(self, datum):
        """(H, W, C) to the batch's (C, H, W), as numpy."""
        values = datum.asnumpy() if isinstance(datum, nd.NDArray) else np.asarray(datum)
        return values.transpose(2, 0, 1)
