"""Golden tests for mxsym/ops/indices.py against MXNet 1.9.1: arange_like, index_array,
index_copy; boolean_mask, which MXNet runs on arrays only, against values MXNet 1.9.1 gives."""
import jax
import numpy as np
import pytest

import mxsym as mx
from mxsym import ops
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'indices')

ROWS = np.arange(1, 13, dtype=np.float32).reshape(4, 3)


@pytest.mark.parametrize('mask, dtype, expected', [
    ([0, 1, 0, 1], 'float32', [[4, 5, 6], [10, 11, 12]]),
    ([1, 1, 1, 1], 'float32', ROWS.tolist()),
    ([0, 2, 0, -1], 'int32', [[4, 5, 6], [10, 11, 12]]),
])
def test_boolean_mask_rows(mask, dtype, expected):
    """The rows whose mask value is non-zero, as mx.nd.contrib.boolean_mask gives them."""
    out = mx.nd.contrib.boolean_mask(mx.nd.array(ROWS), mx.nd.array(mask, dtype=dtype))
    np.testing.assert_array_equal(out.asnumpy(), np.array(expected, np.float32))


def test_boolean_mask_empty():
    out = mx.nd.contrib.boolean_mask(mx.nd.array(ROWS), mx.nd.array([0, 0, 0, 0]))
    assert out.shape == (0, 3)


def test_boolean_mask_gradient():
    """Selected rows get their head gradient, the others zero (MXNet's autograd)."""
    op = ops.get('_contrib_boolean_mask')
    params = op.parse_params({})
    data = np.array([[1, 2], [3, 4], [5, 6], [7, 8]], np.float32)
    mask = np.array([1, 0, 1, 1], np.float32)
    _, pullback = jax.vjp(lambda x: op.compute(params, None, x, mask)[0], data)
    head = np.array([[1, 2], [3, 4], [5, 6]], np.float32)
    np.testing.assert_array_equal(pullback(head)[0], [[1, 2], [0, 0], [3, 4], [5, 6]])


def test_boolean_mask_in_a_graph():
    """As in MXNet, the output shape stays unknown and the graph cannot be bound."""
    sym = mx.sym.contrib.boolean_mask(mx.sym.Variable('data'), mx.sym.Variable('index'))
    assert sym.infer_shape_partial(data=(4, 3), index=(4,))[1] == [()]
    assert sym.infer_type(data='float32', index='int32')[1] == [np.float32]
    with pytest.raises(mx.MXNetError, match='boolean_mask'):
        sym.simple_bind(mx.cpu(), data=(4, 3), index=(4,))


@pytest.mark.parametrize('shape, axes, expected', [
    ((), None, (0,)), ((0, 0, 0), None, (0, 0, 0, 3)), ((0, 2, 0, 1), (2, 1), (0, 2, 0, 1, 2))])
def test_index_array_of_zero_size_and_0d_data_in_np_shape_mode(shape, axes, expected):
    """In NumPy-shape mode a bound graph takes scalars and zero-size arrays, as MXNet's."""
    with mx.np_shape(True):
        net = mx.sym.contrib.index_array(mx.sym.var('data'), axes=axes)
        exe = net.bind(mx.cpu(), {'data': mx.nd.array(np.ones(shape))},
                       args_grad={'data': mx.nd.array(np.ones(shape))})
        out = exe.forward(is_train=True)[0]
        exe.backward(mx.nd.array(np.ones(expected)))
        assert out.shape == expected and out.dtype == np.int64
        assert exe.grad_dict['data'].shape == shape and not exe.grad_dict['data'].asnumpy().any()
