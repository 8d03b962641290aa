"""mx.io.ImageRecordIter on records MXNet's im2rec.py wrote, against MXNet 1.9.1's batches:
deterministic settings give MXNet's pixels (bit for bit, or within OpenCV's bicubic rounding),
labels, pads and the round_batch wrap; bad records name the file, record and byte offset."""
import os
import shutil
import sys

import numpy as np
import pytest

import mxsym as mx
from mxsym.base import MXNetError
from recordio_golden import arrays, batches, golden, path, sha

sys.path.insert(0, path(os.pardir))
from image_record_cases import IMAGE_RECORD_CASES  # noqa: E402

CASES = {name: {k: (path(v) if k == 'path_imgidx' else v) for k, v in kwargs.items()}
         for name, kwargs in IMAGE_RECORD_CASES.items()}


@pytest.mark.parametrize('name', sorted(CASES))
def test_batches_match_mxnet(name):
    ref = golden()['image_record/' + name]
    it = mx.io.ImageRecordIter(path_imgrec=path('data.rec'), batch_size=5,
                               preprocess_threads=2, **CASES[name])
    assert [list(d.shape) for d in it.provide_data] == ref['provide_data']
    assert [list(d.shape) for d in it.provide_label] == ref['provide_label']
    got = batches(it)
    assert [b[2] for b in got] == ref['pads']
    assert [b[1].tolist() for b in got] == ref['labels']
    if name == 'bicubic':
        # OpenCV's bicubic fixed-point rounding may land one level off across versions
        data = np.stack([b[0] for b in got[:3]]).astype(int)
        assert np.abs(data - arrays()['image_record/bicubic']).max() <= 1
    elif name == 'normalized':
        np.testing.assert_array_equal(np.stack([b[0] for b in got[:3]]),
                                      arrays()['image_record/normalized'])
    else:
        assert [sha(b[0]) for b in got] == ref['data_sha256']


def test_multi_label_records():
    ref = golden()['image_record/label_width']
    it = mx.io.ImageRecordIter(path_imgrec=path('multi.rec'), batch_size=2, label_width=2,
                               data_shape=(3, 16, 16), resize=16, dtype='uint8')
    assert it.provide_label[0].shape == (2, 2)
    got = batches(it, epochs=1)
    assert [b[1].tolist() for b in got] == ref['labels'] and [b[2] for b in got] == ref['pads']
    assert [sha(b[0]) for b in got] == ref['data_sha256']
    with pytest.raises(MXNetError, match='has 2 labels but label_width is 1'):
        mx.io.ImageRecordIter(path_imgrec=path('multi.rec'), batch_size=2,
                              data_shape=(3, 16, 16)).next()


def test_threads_shuffle_and_augmentation_are_repeatable():
    common = dict(path_imgrec=path('data.rec'), path_imgidx=path('data.idx'), batch_size=6,
                  data_shape=(3, 12, 12), rand_crop=True, rand_mirror=True, max_rotate_angle=20,
                  max_shear_ratio=0.1, max_random_scale=1.2, min_random_scale=0.9,
                  random_h=10, random_s=20, random_l=20, brightness=0.2, contrast=0.2,
                  saturation=0.2, pca_noise=0.1, max_random_contrast=0.1,
                  max_random_illumination=5, shuffle=True, seed=4)
    one = batches(mx.io.ImageRecordIter(preprocess_threads=1, **common), epochs=1)
    three = batches(mx.io.ImageRecordIter(preprocess_threads=3, prefetch_buffer=1, **common),
                    epochs=1)
    for a, b in zip(one, three):
        np.testing.assert_array_equal(a[0], b[0])
        np.testing.assert_array_equal(a[1], b[1])
    in_file_order = sum(golden()['image_record/resize_crop']['labels'], [])[:24]
    shuffled = np.concatenate([b[1] for b in one]).tolist()
    assert shuffled != in_file_order and sorted(shuffled) == sorted(in_file_order)
    resized = dict(common, random_resized_crop=True, min_random_area=0.5, max_aspect_ratio=1.3,
                   min_aspect_ratio=0.7, rand_crop=False, max_random_scale=1.0,
                   min_random_scale=1.0, seed_aug=2, inter_method=10)
    first = batches(mx.io.ImageRecordIter(**resized), epochs=1)
    again = batches(mx.io.ImageRecordIter(**resized), epochs=1)
    np.testing.assert_array_equal(first[0][0], again[0][0])


@pytest.fixture
def damaged(tmp_path):
    """A copy of data.rec whose 4th record's image bytes are overwritten."""
    rec = tmp_path / 'damaged.rec'
    shutil.copy(path('data.rec'), rec)
    with open(path('data.rec'), 'rb') as fin:
        offsets = mx.recordio.record_offsets(fin)
    with open(rec, 'r+b') as fout:
        fout.seek(offsets[3] + 8 + 24)
        fout.write(b'\0' * 64)
    return str(rec), offsets


def test_undecodable_image_names_file_record_and_offset(damaged):
    rec, offsets = damaged
    it = mx.io.ImageRecordIter(path_imgrec=rec, batch_size=4, data_shape=(3, 16, 16))
    with pytest.raises(MXNetError, match=r'damaged\.rec, record 3 at byte offset %d: '
                                         % offsets[3]):
        it.next()


def test_truncated_file_is_an_error(tmp_path):
    rec = tmp_path / 'cut.rec'
    with open(path('data.rec'), 'rb') as fin:
        rec.write_bytes(fin.read()[:-100])
    with pytest.raises(MXNetError, match=r'cut\.rec, record 23 at byte offset \d+: .*truncated'):
        mx.io.ImageRecordIter(path_imgrec=str(rec), batch_size=4, data_shape=(3, 16, 16))


def test_bad_arguments(caplog):
    mx.io.ImageRecordIter(path_imgrec=path('data.rec'), batch_size=2, data_shape=(3, 8, 8),
                          and_mirror=False)
    assert "ignoring unknown arguments ['and_mirror']" in caplog.text
    with pytest.raises(MXNetError, match='cannot open'):
        mx.io.ImageRecordIter(path_imgrec=path('missing.rec'), batch_size=2,
                              data_shape=(3, 8, 8))
    with pytest.raises(MXNetError, match='C 1, 3 or 4'):
        mx.io.ImageRecordIter(path_imgrec=path('data.rec'), batch_size=2, data_shape=(5, 8, 8))


def test_deprecated_uint8_and_int8_names():
    it = mx.io.ImageRecordUInt8Iter(path_imgrec=path('data.rec'), batch_size=5, resize=20,
                                    data_shape=(3, 16, 16))
    assert it.provide_data[0].dtype is np.uint8
    unsigned = it.next().data[0].asnumpy()
    assert sha(unsigned) == golden()['image_record/resize_crop']['data_sha256'][0]
    signed = mx.io.ImageRecordInt8Iter(path_imgrec=path('data.rec'), batch_size=5, resize=20,
                                       data_shape=(3, 16, 16), mean_r=128, mean_g=128,
                                       mean_b=128)
    np.testing.assert_array_equal(signed.next().data[0].asnumpy(),
                                  np.clip(unsigned.astype(int) - 128, -128, 127))


def test_mean_image_is_made_when_missing_then_subtracted(tmp_path):
    pixels = np.concatenate([b[0] for b in batches(mx.io.ImageRecordIter(
        path_imgrec=path('data.rec'), batch_size=4, resize=20, data_shape=(3, 16, 16),
        dtype='uint8'), epochs=1)]).astype(np.float32)
    mean_file = str(tmp_path / 'mean.bin')
    it = mx.io.ImageRecordIter(path_imgrec=path('data.rec'), batch_size=4, resize=20,
                               data_shape=(3, 16, 16), mean_img=mean_file)
    saved = mx.nd.load(mean_file)['mean_img'].asnumpy()
    np.testing.assert_allclose(saved, pixels.mean(axis=0), atol=1e-3)
    np.testing.assert_allclose(it.next().data[0].asnumpy(), pixels[:4] - saved, atol=1e-4)
