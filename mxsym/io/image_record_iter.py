"""`mx.io.ImageRecordIter`: batches of decoded, augmented images from a RecordIO file (as
`tools/im2rec.py` / ``mxsym im2rec`` write them).

Records are read in MXNet's order (`record_split`: this part's records in file order, or with
`shuffle` shuffled per chunk or per pass by MXNet's engine and seed), decoded and augmented
by `preprocess_threads` worker threads (OpenCV releases the interpreter lock while it works)
and laid out (batch, C, H, W) in RGB order; up to `prefetch_buffer` batches are made ahead of
the one asked for. The last, short batch wraps to the start of the next pass under
`round_batch` (its `pad` counts the wrapped images, and the next epoch begins after them), as
MXNet's; without `round_batch` its unfilled slots keep earlier images and, as in MXNet, its
`pad` is 0.
"""
import copy
import os
from collections import deque
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .. import ndarray as nd
from .. import recordio
from ..base import MXNetError
from ..image.image import decode_to_numpy
from ..image.image_iter import read_image_list
from .held_batch import LOG, HeldBatchIter, RowCursor, ignore_unknown
from .image_record_aug import DefaultAugmenter, Normalizer
from .io import DataBatch, DataDesc
from .record_split import IndexedOrder, RecordOrder

_AUG_ARGS = ('resize', 'rand_crop', 'random_resized_crop', 'max_rotate_angle',
             'max_aspect_ratio', 'min_aspect_ratio', 'max_shear_ratio', 'max_crop_size',
             'min_crop_size', 'max_random_scale', 'min_random_scale', 'max_random_area',
             'min_random_area', 'max_img_size', 'min_img_size', 'brightness', 'contrast',
             'saturation', 'pca_noise', 'random_h', 'random_s', 'random_l', 'rotate',
             'fill_value', 'inter_method', 'pad')
_IGNORED_ARGS = ('verbose', 'device_id', 'ctx', 'aug_seq', 'silent')
_DTYPES = ('float32', 'float16', 'uint8', 'int8')
_DECODE_FLAGS = {1: 0, 3: 1, 4: -1}


class ImageRecordIter(HeldBatchIter):
    """Batches of images from `path_imgrec`: data (batch,) + `data_shape` in `dtype`, labels
    (batch,) or (batch, label_width) float32 (from the records, or from `path_imglist` by
    image id). See MXNet's ImageRecordIter for the augmentation arguments."""

    def __init__(self, path_imgrec, data_shape, batch_size, path_imgidx='', path_imglist='',
                 label_width=1, shuffle=False, seed=0, seed_aug=None, num_parts=1,
                 part_index=0, shuffle_chunk_size=0, shuffle_chunk_seed=0, preprocess_threads=4,
                 prefetch_buffer=4, round_batch=True, dtype='float32', mirror=False,
                 rand_mirror=False, mean_img='', mean_r=0.0, mean_g=0.0, mean_b=0.0, mean_a=0.0,
                 std_r=1.0, std_g=1.0, std_b=1.0, std_a=1.0, scale=1.0, max_random_contrast=0.0,
                 max_random_illumination=0.0, data_name='data', label_name='softmax_label',
                 **kwargs):
        super().__init__(batch_size)
        ignore_unknown('ImageRecordIter', {k: v for k, v in kwargs.items()
                                           if k not in _AUG_ARGS + _IGNORED_ARGS})
        data_shape = tuple(int(d) for d in data_shape)
        if len(data_shape) != 3 or data_shape[0] not in _DECODE_FLAGS:
            raise MXNetError('ImageRecordIter: data_shape must be (C, H, W) with C 1, 3 or 4, '
                             'got %s' % (data_shape,))
        dtype = np.dtype(dtype or 'float32')
        if dtype.name not in _DTYPES:
            raise MXNetError('ImageRecordIter: dtype must be one of %s, got %s'
                             % (_DTYPES, dtype))
        if not 0 <= part_index < num_parts:
            raise MXNetError('ImageRecordIter: part_index %d is not in [0, num_parts=%d)'
                             % (part_index, num_parts))
        self.path_imgrec = path_imgrec
        self.data_shape = data_shape
        self.label_width = label_width
        self.dtype = dtype
        self.seed = seed
        self.seed_aug = seed_aug
        self.augment = DefaultAugmenter(
            data_shape, **{k: v for k, v in kwargs.items() if k in _AUG_ARGS})
        self.normalize = Normalizer(
            data_shape[0], dtype, (mean_r, mean_g, mean_b, mean_a), (std_r, std_g, std_b, std_a),
            scale, mirror, rand_mirror, max_random_contrast, max_random_illumination)
        self.labels_by_id = None
        if path_imglist:
            imglist, _ = read_image_list(path_imglist, np.float32)
            self.labels_by_id = {key: labels for key, (labels, _) in imglist.items()}
        self._file = open(path_imgrec, 'rb') if self._exists(path_imgrec) else None
        self.offsets, self.record_order = self._record_order(
            path_imgidx, num_parts, part_index, shuffle, seed, shuffle_chunk_size,
            shuffle_chunk_seed)
        self.cursor = RowCursor(self.record_order.size, batch_size, round_batch)
        self.epoch = 0
        if mean_img:
            if not os.path.exists(mean_img):
                self._create_mean_image(mean_img)
                self.record_order.rewind()
            self.normalize.mean_img = self._mean_image(mean_img)
        self.order = self.record_order.next_pass()
        self.next_order = None
        label_shape = (batch_size,) if label_width == 1 else (batch_size, label_width)
        self.provide_data = [DataDesc(data_name, (batch_size,) + data_shape, dtype.type)]
        self.provide_label = [DataDesc(label_name, label_shape, np.float32)]
        self.workers = ThreadPoolExecutor(max(1, int(preprocess_threads)))
        self.assembler = ThreadPoolExecutor(1)
        self.prefetch = max(1, int(prefetch_buffer))
        self.pending = deque()
        self._consumed_cursor = copy.deepcopy(self.cursor)
        LOG.info('ImageRecordIter: %s, %d images, batch %s', path_imgrec, len(self.offsets),
                     self.provide_data[0].shape)

    @staticmethod
    def _exists(path):
        try:
            with open(path, 'rb'):
                return True
        except OSError as err:
            raise MXNetError('ImageRecordIter: cannot open %s: %s' % (path, err.strerror)) \
                from None

    def _create_mean_image(self, path):
        """Average this part's images as the iterator makes them (before a mean image is
        subtracted) and save it under the key 'mean_img', as MXNet does for a missing
        `mean_img` file."""
        LOG.info('ImageRecordIter: cannot find %s: creating the mean image', path)
        total = np.zeros(self.data_shape, dtype=np.float32)
        slot = np.empty((1,) + self.data_shape, dtype=np.float32)
        label = np.empty((1, self.label_width), dtype=np.float32)
        numbers = self.record_order.in_file_order()
        for position, number in enumerate(numbers):
            self._process(self._read(number), 0, position, slot, label)
            total += slot[0]
        nd.save(path, {'mean_img': nd.array(total / np.float32(len(numbers)))})

    def _mean_image(self, path):
        """The (C, H, W) mean image of an `mx.nd.save` file."""
        try:
            loaded = nd.load(path)
        except (OSError, MXNetError) as err:
            raise MXNetError('ImageRecordIter: cannot read the mean image %s: %s'
                             % (path, err)) from None
        array = next(iter(loaded.values())) if isinstance(loaded, dict) else loaded[0]
        mean = array.asnumpy().astype(np.float32)
        if mean.shape != self.data_shape:
            raise MXNetError('ImageRecordIter: the mean image %s is %s, data_shape is %s'
                             % (path, mean.shape, self.data_shape))
        return mean

    def _record_order(self, path_imgidx, num_parts, part_index, shuffle, seed,
                      shuffle_chunk_size, shuffle_chunk_seed):
        """Byte offsets of the file's records (by the index with `path_imgidx`) and the order
        of this part's records pass after pass."""
        if path_imgidx:
            index = recordio.MXIndexedRecordIO(path_imgidx, self.path_imgrec, 'r')
            offsets = sorted(index.idx.values())
            index.close()
            return offsets, IndexedOrder(len(offsets), num_parts, part_index, shuffle, seed)
        offsets = recordio.record_offsets(self._file)
        file_size = self._file.seek(0, 2)
        return offsets, RecordOrder(offsets, file_size, num_parts, part_index, shuffle, seed,
                                    shuffle_chunk_size, shuffle_chunk_seed)

    def _restart(self):
        for future in self.pending:
            future.result()
        self.pending.clear()
        self.cursor = self._consumed_cursor
        self.cursor.restart()
        self._consumed_cursor = copy.deepcopy(self.cursor)
        self.epoch += 1
        self.order = (self.next_order if self.next_order is not None
                      else self.record_order.next_pass())
        self.next_order = None

    def _image_rng(self, slot, batch_key):
        """The image's own random generator: from `seed_aug` and its batch slot alone when
        given (MXNet reseeds each slot so), else from the seed, epoch, batch and slot, so the
        choices do not depend on which thread ran the image."""
        if self.seed_aug is not None:
            return np.random.default_rng([self.seed_aug, slot])
        return np.random.default_rng([self.seed, self.epoch, batch_key, slot])

    def _read(self, number):
        """(record number, byte offset, record bytes) of record `number` of the file."""
        offset = self.offsets[number]
        self._file.seek(offset)
        where = lambda: '%s, record %d' % (self.path_imgrec, number)  # noqa: E731
        buf = recordio.read_record(self._file, where)
        if buf is None:
            raise MXNetError('ImageRecordIter: %s, record %d at byte offset %d: past the end '
                             'of the file' % (self.path_imgrec, number, offset))
        return number, offset, buf

    def _labels(self, header, number, offset):
        if self.labels_by_id is not None:
            try:
                return self.labels_by_id[header.id]
            except KeyError:
                raise MXNetError('ImageRecordIter: %s, record %d at byte offset %d: image id %d '
                                 'is not in the image list' % (self.path_imgrec, number, offset,
                                                               header.id)) from None
        label = np.atleast_1d(np.asarray(header.label, dtype=np.float32))
        if label.size != self.label_width:
            raise MXNetError('ImageRecordIter: %s, record %d at byte offset %d: the record has '
                             '%d labels but label_width is %d' % (self.path_imgrec, number,
                                                                  offset, label.size,
                                                                  self.label_width))
        return label

    def _process(self, record, slot, batch_key, data, label):
        number, offset, buf = record
        try:
            header, encoded = recordio.unpack(buf)
            label[slot] = self._labels(header, number, offset)
            img = decode_to_numpy(encoded, _DECODE_FLAGS[self.data_shape[0]], to_rgb=False)
        except MXNetError as err:
            raise MXNetError('ImageRecordIter: %s, record %d at byte offset %d: %s'
                             % (self.path_imgrec, number, offset, err)) from None
        if img.shape[2] != self.data_shape[0]:
            raise MXNetError('ImageRecordIter: %s, record %d at byte offset %d: expected %d '
                             'channels, got %d' % (self.path_imgrec, number, offset,
                                                   self.data_shape[0], img.shape[2]))
        rng = self._image_rng(slot, batch_key)
        self.normalize(self.augment(img, rng), data[slot], rng)

    def _make_batch(self, numbers, pad, batch_key):
        records = [self._read(n) for n in numbers]
        data = np.empty((self.batch_size,) + self.data_shape, dtype=self.dtype)
        label = np.empty((self.batch_size, self.label_width), dtype=np.float32)
        jobs = [self.workers.submit(self._process, record, slot, batch_key, data, label)
                for slot, record in enumerate(records)]
        for job in jobs:
            job.result()
        label = label.reshape(self.provide_label[0].shape)
        return data, label, pad

    def _fill_pipeline(self):
        while len(self.pending) < self.prefetch:
            picked = self.cursor.next_rows()
            if picked is None:
                break
            positions, pad = picked
            if not self.cursor.round_batch:
                pad = 0   # MXNet reports no padding here (the unfilled slots keep old images)
            self.pending.append(self.assembler.submit(self._make_batch,
                                                      self._record_numbers(positions, pad), pad,
                                                      int(positions[0])))

    def _record_numbers(self, positions, pad):
        """The records at the batch's `positions` in this epoch's order; a last batch that
        wraps takes its last `pad` from the start of the next pass, where the next epoch
        then goes on."""
        taken = len(positions) - pad
        numbers = [self.order[p] for p in positions[:taken]]
        if pad:
            self.next_order = self.record_order.next_pass()
            return numbers + [self.next_order[p] for p in positions[taken:]]
        return numbers + [self.order[p] for p in positions[taken:]]

    def _load_batch(self):
        self._fill_pipeline()
        if not self.pending:
            return None
        data, label, pad = self.pending.popleft().result()
        self._consumed_cursor.next_rows()
        self._fill_pipeline()
        return DataBatch([nd.array(data, dtype=self.dtype)], [nd.array(label)], pad=pad,
                         index=np.zeros(self.batch_size, dtype=np.uint64),
                         provide_data=self.provide_data,
                         provide_label=self.provide_label)

    def __del__(self):
        for pool in ('workers', 'assembler'):
            if hasattr(self, pool):
                getattr(self, pool).shutdown(wait=False)
        if getattr(self, '_file', None) is not None:
            self._file.close()


def ImageRecordUInt8Iter(*args, **kwargs):
    """ImageRecordIter with uint8 data (MXNet's deprecated name)."""
    return ImageRecordIter(*args, **dict(kwargs, dtype='uint8'))


def ImageRecordInt8Iter(*args, **kwargs):
    """ImageRecordIter with int8 data (MXNet's deprecated name)."""
    return ImageRecordIter(*args, **dict(kwargs, dtype='int8'))
