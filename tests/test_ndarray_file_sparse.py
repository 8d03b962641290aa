"""csr and row_sparse arrays in NDArray files, against files written by MXNet 1.9.1
(tests/golden/sparse_files/, made by tests/golden/make_sparse_files_golden.py)."""
import json
import os
import struct

import numpy as np
import pytest

import mxsym as mx

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'golden', 'sparse_files')
with open(os.path.join(HERE, 'sparse_files.json')) as handle:
    RECORDED = json.load(handle)
STORED_PARTS = {'csr': ('data', 'indices', 'indptr'), 'row_sparse': ('data', 'indices')}


def path(fname):
    return os.path.join(HERE, fname)


def assert_as_recorded(array, record):
    assert type(array).__name__ == record['class']
    assert array.stype == record['stype']
    assert array.shape == tuple(record['shape'])
    assert np.dtype(array.dtype).name == record['dtype']
    np.testing.assert_array_equal(array.asnumpy(), np.array(record['values']))
    for name in STORED_PARTS.get(array.stype, ()):
        part = getattr(array, name)
        assert np.dtype(part.dtype).name == record[name]['dtype'], name
        np.testing.assert_array_equal(part.asnumpy().reshape(-1),
                                      np.array(record[name]['values']).reshape(-1))


@pytest.mark.parametrize('fname', sorted(RECORDED))
def test_load_gives_mxnet_arrays_and_stored_parts(fname):
    loaded = mx.nd.load(path(fname))
    record = RECORDED[fname]
    if isinstance(record, dict):
        assert list(loaded) == list(record)
        for name, array in loaded.items():
            assert_as_recorded(array, record[name])
    else:
        assert len(loaded) == len(record)
        for array, entry in zip(loaded, record):
            assert_as_recorded(array, entry)


@pytest.mark.parametrize('fname', sorted(RECORDED))
def test_loaded_file_saves_back_the_same_bytes(tmp_path, fname):
    target = tmp_path / fname
    mx.nd.save(str(target), mx.nd.load(path(fname)))
    with open(path(fname), 'rb') as handle:
        assert target.read_bytes() == handle.read()


@pytest.mark.parametrize('fname', ['mixed.params', 'empty_sparse.nd'])
def test_arrays_made_here_save_as_mxnet_does(tmp_path, fname):
    """Arrays made from their values (whose stored parts MXNet orders as mxsym computes them)
    save to MXNet's bytes, sparse and dense arrays alike."""
    loaded = mx.nd.load(path(fname))

    def remade(array):
        return mx.nd.array(array.asnumpy(), dtype=array.dtype).tostype(array.stype)
    if isinstance(loaded, dict):
        remade_arrays = {name: remade(array) for name, array in loaded.items()}
    else:
        remade_arrays = [remade(array) for array in loaded]
    mx.nd.save(str(tmp_path / fname), remade_arrays)
    with open(path(fname), 'rb') as handle:
        assert (tmp_path / fname).read_bytes() == handle.read()


def test_arrays_made_from_their_parts_keep_them_as_mxnet(tmp_path):
    """As in make_sparse_files_golden.py: the parts given are stored as given."""
    csr = mx.nd.array([[0, 1.5, 0, 0], [2, 0, -3, 0], [0, 0, 0, 0]]).tostype('csr')
    data = np.array([0., 1., 2.])
    csr_as_given = mx.nd.sparse.csr_matrix(
        (data, np.array([2, 0, 1]), np.array([0, 2, 2, 3])), shape=(3, 3))
    data[:] = 5          # the array holds its own copy
    rows = mx.nd.array([[0, 0], [1, 2], [0, 0], [3, 0]]).tostype('row_sparse')
    rows_3d = mx.nd.sparse.row_sparse_array(
        (np.arange(8, dtype='int32').reshape(2, 2, 2), np.array([3, 1])), shape=(5, 2, 2))
    for fname, arrays in (('csr.nd', [csr, csr_as_given]), ('row_sparse.nd', [rows, rows_3d])):
        for array, record in zip(arrays, RECORDED[fname]):
            assert_as_recorded(array, record)
        mx.nd.save(str(tmp_path / fname), arrays)
        with open(path(fname), 'rb') as handle:
            assert (tmp_path / fname).read_bytes() == handle.read()


def test_changed_values_are_stored_from_the_new_values(tmp_path):
    csr = mx.nd.load(path('csr.nd'))[1]          # holds a stored zero, columns out of order
    np.testing.assert_array_equal(csr.indices.asnumpy(), [2, 0, 1])
    csr += 1
    csr -= 1
    np.testing.assert_array_equal(csr.data.asnumpy(), [1, 2])
    np.testing.assert_array_equal(csr.indices.asnumpy(), [0, 1])
    np.testing.assert_array_equal(csr.indptr.asnumpy(), [0, 1, 1, 2])


def test_sparse_arrays_are_not_saved_in_np_shape_mode(tmp_path):
    rows = mx.nd.load(path('row_sparse.nd'))[0]
    with mx.np_shape(True):
        with pytest.raises(mx.MXNetError, match='row_sparse array cannot be saved in '
                           'NumPy-shape semantics'):
            mx.nd.save(str(tmp_path / 'x.nd'), [rows])


def _csr_file(indptr, indices, data, shape=(2, 3)):
    """An NDArray file of one float32 csr array with the given parts."""
    def shape_bytes(dims):
        return struct.pack('<i%dq' % len(dims), len(dims), *dims)
    body = struct.pack('<Ii', 0xF993FAC9, 2) + shape_bytes((len(data),)) + shape_bytes(shape)
    body += struct.pack('<iii', 1, 0, 0)
    body += struct.pack('<i', 6) + shape_bytes((len(indptr),))
    body += struct.pack('<i', 6) + shape_bytes((len(indices),))
    body += np.array(data, 'float32').tobytes() + np.array(indptr, 'int64').tobytes()
    body += np.array(indices, 'int64').tobytes()
    return struct.pack('<QQQ', 0x112, 0, 1) + body + struct.pack('<Q', 0)


@pytest.mark.parametrize('indptr, indices, message', [
    ([0, 1, 2], [0, 3], r'indices must lie in \[0, 3\), got \[3\]'),
    ([0, 2, 1], [0, 1], 'indptr must rise from 0'),
    ([0, 1], [0, 1], 'indptr must rise from 0 with one entry per row'),
    ([0, 1, 1], [0, 1], 'indptr ends at 1 for 2 indices and 2 values'),
])
def test_inconsistent_stored_parts_are_refused(tmp_path, indptr, indices, message):
    target = tmp_path / 'bad.nd'
    target.write_bytes(_csr_file(indptr, indices, [1., 2.]))
    with pytest.raises(mx.MXNetError, match='bad.nd: array 0 .csr, at byte 24.: ' + message):
        mx.nd.load(str(target))


def test_well_formed_handmade_file_loads(tmp_path):
    target = tmp_path / 'good.nd'
    target.write_bytes(_csr_file([0, 1, 2], [2, 0], [1., 2.]))
    (csr,) = mx.nd.load(str(target))
    np.testing.assert_array_equal(csr.asnumpy(), [[0, 0, 1], [2, 0, 0]])


def test_sparse_array_too_large_to_hold_densely_is_refused(tmp_path):
    target = tmp_path / 'wide.nd'
    target.write_bytes(_csr_file([0, 1, 2], [2, 0], [1., 2.], shape=(2, 2 ** 50)))
    with pytest.raises(mx.MXNetError, match=r'sparse array of shape \(2, 1125899906842624\): '
                       r'the arrays need 8192.0 TiB, more than'):
        mx.nd.load(str(target))


def test_truncated_sparse_file_names_the_part(tmp_path):
    with open(path('csr.nd'), 'rb') as handle:
        raw = handle.read()
    target = tmp_path / 'cut.nd'
    target.write_bytes(raw[:120])
    with pytest.raises(mx.MXNetError, match='cut.nd: truncated at byte .* while reading array 0 '
                       'indptr'):
        mx.nd.load(str(target))
