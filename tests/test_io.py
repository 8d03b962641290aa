"""mx.io: NDArrayIter batches, padding and roll-over as MXNet 1.9.1 gives them; DataDesc."""
import numpy as np
import pytest

import mxsym as mx
from module_golden import generator, load_json

IO_GOLDEN = load_json('io.json')


@pytest.mark.parametrize('case', generator.IO_CASES, ids=[c[0] for c in generator.IO_CASES])
def test_ndarray_iter_batches_match_mxnet(case):
    # every value is a small integer in float32 or int32: exact equality
    assert generator.run_io_case(mx, case) == IO_GOLDEN[case[0]]


def test_ndarray_iter_in_other_layout_batches_along_n():
    # T, N, C (like MXNet, the number of examples is still read from axis 0)
    data = np.arange(32, dtype='float32').reshape(4, 4, 2)
    it = mx.io.NDArrayIter(data, batch_size=2, layout='TNC')
    assert it.provide_data[0].shape == (4, 2, 2)
    batches = [batch.data[0].asnumpy() for batch in it]
    np.testing.assert_array_equal(np.concatenate(batches, axis=1), data)


def test_resize_iter_cuts_and_restarts():
    base = mx.io.NDArrayIter(np.arange(6, dtype='float32'), batch_size=2)
    firsts = [batch.data[0].asnumpy()[0] for batch in mx.io.ResizeIter(base, 5)]
    assert firsts == [0, 2, 4, 0, 2]


def test_prefetching_iter_joins_and_renames():
    first = mx.io.NDArrayIter({'data': np.arange(5, dtype='float32')}, np.zeros(5), batch_size=2)
    second = mx.io.NDArrayIter({'data': -np.arange(5, dtype='float32')}, batch_size=2)
    joined = mx.io.PrefetchingIter([first, second],
                                   rename_data=[{'data': 'a'}, {'data': 'b'}])
    assert [(d.name, d.shape) for d in joined.provide_data] == [('a', (2,)), ('b', (2,))]
    for _ in range(2):
        batches = [([d.asnumpy().tolist() for d in b.data], b.pad) for b in joined]
        assert batches == [([[0, 1], [0, -1]], 0), ([[2, 3], [-2, -3]], 0),
                           ([[4, 0], [-4, 0]], 1)]
        joined.reset()


def test_data_desc():
    desc = mx.io.DataDesc('data', (2, 3), layout='TNC')
    assert desc == ('data', (2, 3)) and desc.dtype is np.float32
    assert repr(desc) == "DataDesc[data,(2, 3),<class 'numpy.float32'>,TNC]"
    assert [mx.io.DataDesc.get_batch_axis(x) for x in ('NCHW', 'TNC', None, 'HW')] == [0, 1, 0, -1]
    descs = mx.io.DataDesc.get_list([('a', (1,)), ('b', (2,))], [('a', 'int32'), ('b', 'float16')])
    assert [(d.name, d.shape, d.dtype) for d in descs] == [('a', (1,), 'int32'),
                                                          ('b', (2,), 'float16')]


def test_bad_arguments_are_refused():
    with pytest.raises(mx.MXNetError, match="last_batch_handle must be 'pad'"):
        mx.io.NDArrayIter(np.zeros((4, 2)), last_batch_handle='keep')
    with pytest.raises(mx.MXNetError, match='data must be a list'):
        mx.io.DataBatch(mx.nd.zeros((2,)))
    with pytest.raises(TypeError, match='input must be an NDArray'):
        mx.io.NDArrayIter('not an array')


def test_csr_data_batches_stay_csr_and_need_discard():
    dense = np.array([[0, 1, 0], [2, 0, 0], [0, 0, 3], [4, 0, 5], [0, 6, 0]], np.float32)
    csr = mx.nd.array(dense).tostype('csr')
    with pytest.raises(NotImplementedError, match='last_batch_handle` set to `discard'):
        mx.io.NDArrayIter({'data': csr}, dense, 2)
    scipy_sparse = pytest.importorskip('scipy.sparse')
    it = mx.io.NDArrayIter({'data': scipy_sparse.csr_matrix(dense)}, dense[:, 0], 2,
                           last_batch_handle='discard')
    got = [(b.data[0].stype, b.data[0].asnumpy(), b.label[0].asnumpy()) for b in it]
    assert [g[0] for g in got] == ['csr', 'csr']
    np.testing.assert_array_equal(np.concatenate([g[1] for g in got]), dense[:4])
    np.random.seed(0)
    shuffled = mx.io.NDArrayIter({'data': csr}, dense[:, 0], 2, shuffle=True,
                                 last_batch_handle='discard')
    for batch in shuffled:
        assert batch.data[0].stype == 'csr'
        np.testing.assert_array_equal(batch.data[0].asnumpy()[:, 0], batch.label[0].asnumpy())
