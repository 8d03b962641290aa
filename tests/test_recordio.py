"""mx.recordio against files MXNet 1.9.1 wrote: the same records read, the same bytes
written, and errors that name the file, record and byte offset."""
import os
import pickle
import struct

import numpy as np
import pytest

import mxsym as mx
from mxsym.base import MXNetError
from recordio_golden import MAGIC, PAYLOADS, path

KEYS = [i * 7 + 1 for i in range(len(PAYLOADS))] + [100, 101, 102]


def test_reads_records_mxnet_wrote_by_key_and_in_order():
    reader = mx.recordio.MXIndexedRecordIO(path('payloads.idx'), path('payloads.rec'), 'r')
    assert reader.keys == KEYS
    for key, payload in reversed(list(zip(KEYS, PAYLOADS))):
        assert reader.read_idx(key) == payload
    reader.close()
    sequential = mx.recordio.MXRecordIO(path('payloads.rec'), 'r')
    records = []
    while True:
        record = sequential.read()
        if record is None:
            break
        records.append(record)
    assert records[:len(PAYLOADS)] == PAYLOADS and len(records) == len(KEYS)


def test_image_record_headers_mxnet_packed():
    reader = mx.recordio.MXIndexedRecordIO(path('payloads.idx'), path('payloads.rec'), 'r')
    header, payload = mx.recordio.unpack(reader.read_idx(100))
    assert (header.flag, header.label, header.id, header.id2) == (0, 2.5, 40, 9)
    assert payload == b'image bytes 0'
    header, payload = mx.recordio.unpack(reader.read_idx(101))
    assert header.flag == 3 and header.label.dtype == np.float32
    np.testing.assert_array_equal(header.label, [1.0, -2.0, 3.5])
    assert payload == b'image bytes 1'
    header, _ = mx.recordio.unpack(reader.read_idx(102))
    np.testing.assert_array_equal(header.label, np.arange(5))


def test_writes_the_bytes_mxnet_writes(tmp_path):
    writer = mx.recordio.MXIndexedRecordIO(str(tmp_path / 'p.idx'), str(tmp_path / 'p.rec'), 'w')
    for key, payload in zip(KEYS, PAYLOADS):
        writer.write_idx(key, payload)
    for i, label in enumerate([2.5, [1.0, -2.0, 3.5], np.arange(5, dtype=np.float32)]):
        writer.write_idx(100 + i, mx.recordio.pack(mx.recordio.IRHeader(0, label, 40 + i, 9),
                                                    b'image bytes %d' % i))
    writer.close()
    for name in ('p.rec', 'p.idx'):
        with open(tmp_path / name, 'rb') as mine, open(path('payloads' + name[1:]), 'rb') as ref:
            assert mine.read() == ref.read()


def test_split_record_layout():
    """The magic word at an aligned offset splits a record into flagged parts."""
    encoded = mx.recordio.encode_record(b'abcd' + MAGIC + b'ef')
    first = struct.unpack('<II', encoded[:8])
    assert first == (0xced7230a, (1 << 29) | 4)
    assert struct.unpack('<II', encoded[12:20]) == (0xced7230a, (3 << 29) | 2)
    assert len(encoded) == 24


def test_pack_unpack_round_trip_and_tell_seek(tmp_path):
    label = np.random.RandomState(0).uniform(size=7).astype(np.float32)
    header, content = mx.recordio.unpack(mx.recordio.pack((0, label, 3, 0), b'xyz'))
    np.testing.assert_array_equal(header.label, label)
    assert content == b'xyz' and header.flag == 7 and header.id == 3
    writer = mx.recordio.MXIndexedRecordIO(str(tmp_path / 'a.idx'), str(tmp_path / 'a.rec'), 'w',
                                           key_type=str)
    writer.write_idx('k1', b'one')
    assert writer.tell() == 12
    writer.write_idx('k2', b'two!')
    writer.close()
    reader = mx.recordio.MXIndexedRecordIO(str(tmp_path / 'a.idx'), str(tmp_path / 'a.rec'),
                                           'r', key_type=str)
    reader.seek('k2')
    assert reader.tell() == 12 and reader.read() == b'two!'
    reader.reset()
    assert reader.read() == b'one'
    clone = pickle.loads(pickle.dumps(reader))
    assert clone.read_idx('k2') == b'two!' and clone.keys == ['k1', 'k2']


def test_pack_img_unpack_img_round_trip():
    img = np.tile(np.arange(0, 240, 10, dtype=np.uint8)[None, :, None], (5, 1, 3))
    packed = mx.recordio.pack_img((0, 4.0, 2, 0), img, img_fmt='.png')
    header, decoded = mx.recordio.unpack_img(packed)
    assert header.label == 4.0 and header.id == 2
    np.testing.assert_array_equal(decoded, img)
    _, jpeg = mx.recordio.unpack_img(mx.recordio.pack_img((0, 1.0, 0, 0), img, quality=100))
    assert np.abs(jpeg.astype(int) - img).max() <= 3


@pytest.fixture
def two_records(tmp_path):
    rec, idx = str(tmp_path / 'b.rec'), str(tmp_path / 'b.idx')
    writer = mx.recordio.MXIndexedRecordIO(idx, rec, 'w')
    writer.write_idx(0, b'first record')
    writer.write_idx(1, b'second record, longer')
    writer.close()
    return rec, idx


def test_truncated_record_names_file_record_and_offset(two_records):
    rec, _ = two_records
    with open(rec, 'rb') as fin:
        data = fin.read()
    with open(rec, 'wb') as fout:
        fout.write(data[:-10])
    reader = mx.recordio.MXRecordIO(rec, 'r')
    assert reader.read() == b'first record'
    with pytest.raises(MXNetError, match=r'b\.rec, record 1 at byte offset 20: .*truncated'):
        reader.read()


def test_corrupt_magic_and_missing_key(two_records):
    rec, idx = two_records
    with open(rec, 'r+b') as fout:
        fout.seek(20)
        fout.write(b'\0\0\0\0')
    reader = mx.recordio.MXIndexedRecordIO(idx, rec, 'r')
    with pytest.raises(MXNetError, match=r'b\.rec, record key 1 at byte offset 20: bad magic'):
        reader.read_idx(1)
    with pytest.raises(MXNetError, match=r'no record with key 7 in its index .*b\.idx'):
        reader.read_idx(7)
    with pytest.raises(MXNetError, match='cannot open'):
        mx.recordio.MXRecordIO(os.path.join(os.path.dirname(rec), 'missing.rec'), 'r')
    with pytest.raises(MXNetError, match='24-byte header'):
        mx.recordio.unpack(b'short')


def test_record_offsets_of_im2rec_file():
    with open(path('data.rec'), 'rb') as fin:
        offsets = mx.recordio.record_offsets(fin)
    reader = mx.recordio.MXIndexedRecordIO(path('data.idx'), path('data.rec'), 'r')
    assert offsets == [reader.idx[k] for k in reader.keys]
