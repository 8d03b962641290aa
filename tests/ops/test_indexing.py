"""Golden tests for mxsym/ops/indexing.py against MXNet 1.9.1: pick, take, one_hot, where, topk,
sort, argsort, gather_nd, scatter_nd; batch_take, which MXNet cannot bind with gradients,
against its MXNet values."""
import numpy as np
import pytest

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'indexing')


def test_batch_take():
    """batch_take has no gradient in MXNet, so the golden recorder (which binds gradients)
    cannot record it. MXNet 1.9.1 clips out-of-range indices and types indices int32."""
    a, indices = mx.sym.var('a'), mx.sym.var('indices')
    sym = mx.sym.batch_take(a, indices)
    assert sym.infer_type(a='float32') == ([np.float32, np.int32], [np.float32], [])
    assert sym.infer_shape(a=(3, 4), indices=(3,)) == ([(3, 4), (3,)], [(3,)], [])
    exe = sym.simple_bind(mx.cpu(), grad_req='null', a=(3, 4), indices=(3,),
                          type_dict={'a': 'float32', 'indices': 'int32'})
    exe.forward(a=np.arange(12).reshape(3, 4), indices=np.array([0, 5, -1]))
    np.testing.assert_array_equal(exe.outputs[0].asnumpy(), [0, 7, 8])


def test_scatter_set_nd_writes_into_lhs():
    """MXNet runs _scatter_set_nd only in place (out=lhs, how NDArray's setitem uses it): no
    bound graph can run it, so its values here are MXNet 1.9.1's from mx.nd."""
    out = mx.nd.ones((2, 2))
    mx.nd._internal._scatter_set_nd(out, mx.nd.array([2, 3, 0]),
                                    mx.nd.array([[1, 1, 0], [0, 1, 0]]), shape=(2, 2), out=out)
    np.testing.assert_array_equal(out.asnumpy(), [[0, 1], [2, 3]])
    sym = mx.sym._internal._scatter_set_nd(mx.sym.var('lhs'), mx.sym.var('rhs'),
                                           mx.sym.var('indices'), shape=(2, 2))
    assert sym.list_arguments() == ['lhs', 'rhs', 'indices']
    assert sym.infer_shape(rhs=(3,), indices=(2, 3)) == ([(2, 2), (3,), (2, 3)], [(2, 2)], [])


def test_ndarray_functions():
    """fill_element_0index and _onehot_encode are MXNet NDArray functions, which no symbol can
    run; the values are MXNet 1.9.1's. Indices are truncated toward zero."""
    data = mx.nd.array(np.arange(12).reshape(3, 4))
    filled = mx.nd.fill_element_0index(data, mx.nd.array([7, 8, 9]), mx.nd.array([0, 3, 1.9]))
    np.testing.assert_array_equal(filled.asnumpy(), [[7, 1, 2, 3], [4, 5, 6, 8], [8, 9, 10, 11]])
    np.testing.assert_array_equal(data.asnumpy(), np.arange(12).reshape(3, 4))
    out = mx.nd.zeros((3, 4))
    mx.nd._internal._onehot_encode(mx.nd.array([1, 3, 0.7]), out, out=out)
    np.testing.assert_array_equal(out.asnumpy(), np.eye(4)[[1, 3, 0]])


def test_ndarray_histogram():
    """mx.nd.histogram, MXNet 1.9.1's values: bin_cnt over range, given edges, and numpy's
    result in float32 without a range."""
    data = mx.nd.array([[0, 1], [2, 2], [3, 4]])
    counts, edges = mx.nd.histogram(data, bins=5, range=(0, 5))
    assert counts.dtype == np.int64 and edges.dtype == np.float32
    np.testing.assert_array_equal(counts.asnumpy(), [1, 1, 2, 1, 1])
    np.testing.assert_array_equal(edges.asnumpy(), [0, 1, 2, 3, 4, 5])
    counts, edges = mx.nd.histogram(data, bins=mx.nd.array([0, 2.1, 3]))
    np.testing.assert_array_equal(counts.asnumpy(), [4, 1])
    counts, edges = mx.nd.histogram(data, bins=3)
    assert counts.dtype == np.float32
    np.testing.assert_array_equal(counts.asnumpy(), [2, 2, 2])
    np.testing.assert_allclose(edges.asnumpy(), [0, 4 / 3, 8 / 3, 4], rtol=1e-6)


def test_take_raise_mode_fails_at_the_next_read():
    """MXNet's take with mode 'raise' fails on an index outside [0, size) (negative ones too)
    when the result is read, not when the op or forward is called; the failure is raised
    once."""
    a = mx.nd.array(np.arange(12).reshape(3, 4))
    out = mx.nd.take(a, mx.nd.array([0, 5]), mode='raise')
    with pytest.raises(mx.MXNetError, match=r"take: indices out of bound.*\[0, 3\)"):
        out.asnumpy()
    out.asnumpy()
    mx.nd.take(a, mx.nd.array([-1]), axis=1, mode='raise')
    with pytest.raises(mx.MXNetError, match=r'\[0, 4\), the size of axis 1'):
        mx.nd.waitall()
    np.testing.assert_array_equal(mx.nd.take(a, mx.nd.array([2, 0]), mode='raise').asnumpy(),
                                  [[8, 9, 10, 11], [0, 1, 2, 3]])

    net = mx.sym.take(mx.sym.var('a'), mx.sym.var('indices'), mode='raise')
    exe = net.simple_bind(mx.cpu(), a=(3, 4), indices=(2,))
    exe.forward(is_train=True, a=np.ones((3, 4)), indices=np.array([1, 3]))
    with pytest.raises(mx.MXNetError, match='take: indices out of bound'):
        exe.outputs[0].wait_to_read()


@pytest.mark.parametrize('index', [[[0, 1, 0], [0, 1, 3]], [[0, 1, 0], [0, 1, -4]]])
def test_gather_nd_out_of_bounds_raises_index_error_at_the_next_read(index):
    """MXNet's gather_nd takes indices in [-size, size) and raises IndexError beyond."""
    data = mx.nd.array([[0, 1, 2], [3, 4, 5]])
    out = mx.nd.gather_nd(data, mx.nd.array(index))
    with pytest.raises(IndexError, match='gather_nd: an index is out of bounds'):
        out.asnumpy()
    wrapped = mx.nd.gather_nd(data, mx.nd.array([[0, 1, -1], [0, 1, -3]]))
    np.testing.assert_array_equal(wrapped.asnumpy(), [0, 4, 3])
