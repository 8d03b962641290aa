"""mx.nd.save / mx.nd.load against files written by MXNet 1.9.1 (tests/golden/params/)."""
import json
import os
import struct
import time

import numpy as np
import pytest

import mxsym as mx

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'golden', 'params')
with open(os.path.join(HERE, 'params.json')) as handle:
    RECORDED = json.load(handle)


def expected(name):
    entry = RECORDED[name]
    return np.array(entry['values'], dtype=entry['dtype']).reshape(entry['shape'])


def mxnet_file(name):
    with open(os.path.join(HERE, name), 'rb') as handle:
        return handle.read()


def test_load_dict_file_written_by_mxnet():
    loaded = mx.nd.load(os.path.join(HERE, 'dict.params'))
    assert list(loaded) == list(RECORDED)
    for name, array in loaded.items():
        assert array.dtype == np.dtype(RECORDED[name]['dtype'])
        np.testing.assert_array_equal(array.asnumpy(), expected(name))


def test_load_list_file_written_by_mxnet():
    loaded = mx.nd.load(os.path.join(HERE, 'list.params'))
    assert isinstance(loaded, list) and len(loaded) == len(RECORDED)
    for array, name in zip(loaded, RECORDED):
        np.testing.assert_array_equal(array.asnumpy(), expected(name))


@pytest.mark.parametrize('fname, as_dict', [('dict.params', True), ('list.params', False),
                                            ('empty.params', True)])
def test_save_writes_mxnet_bytes(tmp_path, fname, as_dict):
    arrays = {name: mx.nd.array(expected(name), dtype=expected(name).dtype) for name in RECORDED}
    if fname == 'empty.params':
        arrays = {}
    target = tmp_path / fname
    mx.nd.save(str(target), arrays if as_dict else list(arrays.values()))
    assert target.read_bytes() == mxnet_file(fname)


def test_load_save_load_is_exact(tmp_path):
    first = mx.nd.load(os.path.join(HERE, 'dict.params'))
    mx.nd.save(str(tmp_path / 'again.params'), first)
    second = mx.nd.load(str(tmp_path / 'again.params'))
    for name in first:
        np.testing.assert_array_equal(first[name].asnumpy(), second[name].asnumpy())


def legacy_file(first_word_and_shape, dtype_code, payload):
    """An NDArray file in one of MXNet's older array layouts, built by hand from the spec."""
    body = first_word_and_shape + struct.pack('<iii', 1, 0, dtype_code) + payload
    return struct.pack('<QQQ', 0x112, 0, 1) + body + struct.pack('<Q', 0)


@pytest.mark.parametrize('header', [
    struct.pack('<II', 0xF993FAC8, 2) + struct.pack('<2q', 2, 2),   # v1: magic, i64 dims
    struct.pack('<I', 2) + struct.pack('<2I', 2, 2),                 # first format: u32 dims
], ids=['v1', 'first'])
def test_older_array_layouts_load(tmp_path, header):
    values = np.arange(4, dtype='float32').reshape(2, 2)
    path = tmp_path / 'old.params'
    path.write_bytes(legacy_file(header, 0, values.tobytes()))
    np.testing.assert_array_equal(mx.nd.load(str(path))[0].asnumpy(), values)


@pytest.mark.parametrize('cut, message', [
    (10, 'file header'), (30, 'array 0 storage type'), (70, r'array 0 data \(float32 \(2, 3\)\)')])
def test_truncated_file_names_the_array_and_offset(tmp_path, cut, message):
    path = tmp_path / 'cut.params'
    path.write_bytes(mxnet_file('list.params')[:cut])
    with pytest.raises(mx.MXNetError, match=r'truncated at byte \d+ while reading ' + message):
        mx.nd.load(str(path))


def test_not_an_ndarray_file(tmp_path):
    path = tmp_path / 'model.json'
    path.write_bytes(b'{"nodes": []}  this is json, not params')
    with pytest.raises(mx.MXNetError, match='not an MXNet NDArray file'):
        mx.nd.load(str(path))


def test_bfloat16_file_loads_and_saves_back_the_same_bytes(tmp_path):
    with open(os.path.join(HERE, 'bfloat16.json')) as handle:
        recorded = json.load(handle)['arg:w_bfloat16']
    loaded = mx.nd.load(os.path.join(HERE, 'bfloat16.params'))
    array = loaded['arg:w_bfloat16']
    assert np.dtype(array.dtype).name == 'bfloat16'
    np.testing.assert_array_equal(array.asnumpy().astype('float32'), recorded)
    mx.nd.save(str(tmp_path / 'again.params'), loaded)
    assert (tmp_path / 'again.params').read_bytes() == mxnet_file('bfloat16.params')


def second_array_start():
    """Byte offset of array 1 in list.params: header (24 bytes) plus array 0 (float32 (2, 3))."""
    return 24 + 4 + 4 + 4 + 2 * 8 + 4 + 4 + 4 + 6 * 4


@pytest.mark.parametrize('offset, word, message', [
    (0, 0xDEADBEEF, r'array 1 at byte %d starts with 0xdeadbeef, which is no NDArray magic'),
    (36, 99, r'array 1 \(starting at byte %d\) has unknown dtype code 99 at byte \d+'),
], ids=['magic', 'dtype'])
def test_corrupt_array_names_the_array_and_offset(tmp_path, offset, word, message):
    start = second_array_start()
    raw = bytearray(mxnet_file('list.params'))
    assert struct.unpack_from('<I', raw, start)[0] == 0xF993FAC9
    struct.pack_into('<I', raw, start + offset, word)
    path = tmp_path / 'corrupt.params'
    path.write_bytes(bytes(raw))
    with pytest.raises(mx.MXNetError, match=message % start):
        mx.nd.load(str(path))


def test_devices_pipes_and_folders_are_refused_unread(tmp_path):
    fifo = tmp_path / 'pipe.params'
    os.mkfifo(fifo)
    for path in ('/dev/zero', str(fifo), str(tmp_path)):
        with pytest.raises(mx.MXNetError, match='is not a regular file|Is a directory'):
            mx.nd.load(path)


def test_missing_file_is_an_mxnet_error(tmp_path):
    with pytest.raises(mx.MXNetError, match='cannot read NDArray file .*absent.params: No such '
                       'file or directory'):
        mx.nd.load(str(tmp_path / 'absent.params'))


def test_magic_is_checked_before_the_rest_is_read(tmp_path):
    path = tmp_path / 'huge.bin'
    with open(path, 'wb') as sparse:
        sparse.write(b'PK\x03\x04' + b'\x00' * 12)
        sparse.truncate(64 * 2 ** 30)      # 64 GiB, stored sparse: reading it all would not end
    start = time.perf_counter()
    with pytest.raises(mx.MXNetError, match=r'not an MXNet NDArray file \(header magic '
                       r'0x4034b50, expected 0x112\)'):
        mx.nd.load(str(path))
    assert time.perf_counter() - start < 1


def test_name_that_is_not_utf8_names_its_index_and_offset(tmp_path):
    data = bytearray(mxnet_file('dict.params'))
    names_at = data.rindex(b'w_float32')
    data[names_at] = 0xff
    path = tmp_path / 'bad-name.params'
    path.write_bytes(bytes(data))
    with pytest.raises(mx.MXNetError, match=r'name 0 \(at byte %d\) is not UTF-8 text: byte %d '
                       r'is 0xff' % (names_at - len('arg:'), names_at)):
        mx.nd.load(str(path))


def test_shape_whose_size_overflows_is_truncation_not_a_crash(tmp_path):
    header = struct.pack('<QQQ', 0x112, 0, 1)
    array = struct.pack('<IiI', 0xF993FAC9, 0, 3) + struct.pack('<3q', 2 ** 62, 2 ** 62, 4)
    array += struct.pack('<iii', 1, 0, 0)
    path = tmp_path / 'overflow.params'
    path.write_bytes(header + array + struct.pack('<Q', 0))
    with pytest.raises(mx.MXNetError, match=r'truncated at byte \d+ while reading array 0 data '
                       r'\(float32 \(4611686018427387904, 4611686018427387904, 4\)\)'):
        mx.nd.load(str(path))


NP_SHAPE_ARRAYS = [np.array(3.5, 'float32'), np.zeros((2, 0, 3), 'int32'),
                   np.arange(4, dtype='float64').reshape(2, 2)]


def test_np_shape_files_match_mxnet_and_load_only_in_np_shape_mode(tmp_path):
    """MXNet writes NumPy-shape files with their own magic (scalars hold a value) and loads
    each kind of file only in the mode that wrote it."""
    source = os.path.join(HERE, 'np_shape.params')
    with mx.np_shape(True):
        loaded = mx.nd.load(source)
        for array, values in zip(loaded, NP_SHAPE_ARRAYS):
            assert array.shape == values.shape and array.dtype == values.dtype
            np.testing.assert_array_equal(array.asnumpy(), values)
        mx.nd.save(str(tmp_path / 'mine.params'),
                   [mx.nd.array(v, dtype=v.dtype) for v in NP_SHAPE_ARRAYS])
    assert (tmp_path / 'mine.params').read_bytes() == mxnet_file('np_shape.params')
    with pytest.raises(mx.MXNetError, match='saved in NumPy-shape semantics'):
        mx.nd.load(source)
    with mx.np_shape(True), pytest.raises(mx.MXNetError, match='not saved in NumPy-shape'):
        mx.nd.load(os.path.join(HERE, 'list.params'))


def test_zero_size_arrays_round_trip_in_legacy_mode(tmp_path):
    arrays = [mx.nd.array(np.ones(shape)) for shape in [(2, 0, 1), (0,), (3, 0, 0, 0)]]
    mx.nd.save(str(tmp_path / 'zero.nd'), arrays)
    assert [a.shape for a in mx.nd.load(str(tmp_path / 'zero.nd'))] == [(2, 0, 1), (0,),
                                                                        (3, 0, 0, 0)]
