"""Golden tests for mxsym/ops/reduce.py against MXNet 1.9.1: sum, mean, prod, nansum, nanprod, max,
min, norm, argmax, argmin, argmax_channel, moments."""
import numpy as np
import pytest

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'reduce')


@pytest.mark.parametrize('name', ['max', 'min'])
def test_max_min_propagate_nan_in_large_reductions(name):
    """Large programs compile with full optimization, where XLA's CPU min and max skip NaN."""
    x = np.random.RandomState(0).rand(3, 40000).astype(np.float32)
    x[1, 20000] = x[2, -1] = np.nan
    result = getattr(mx.nd, name)(mx.nd.array(x), axis=1).asnumpy()
    np.testing.assert_array_equal(result, getattr(np, name)(x, axis=1))


def test_square_sum():
    """MXNet 1.9.1's _square_sum of a row_sparse array (its only storage there): sums of
    squares, gradient 2 x times the head."""
    x = mx.nd.array([[1, 2], [3, 4]])
    rows = mx.nd._internal._square_sum(x.tostype('row_sparse'), axis=1, keepdims=True)
    np.testing.assert_array_equal(rows.asnumpy(), [[5], [25]])
    np.testing.assert_array_equal(mx.nd._internal._square_sum(x, axis=0).asnumpy(), [10, 20])
    v = mx.sym.Variable('v', stype='row_sparse')
    exe = mx.sym._internal._square_sum(data=v, axis=1, keepdims=True).simple_bind(mx.cpu(),
                                                                                 v=(2, 2))
    exe.arg_dict['v'][:] = x
    exe.forward(is_train=True)
    exe.backward(mx.nd.array([[1], [0.5]]))
    np.testing.assert_array_equal(exe.grad_dict['v'].asnumpy(), [[2, 4], [3, 4]])
