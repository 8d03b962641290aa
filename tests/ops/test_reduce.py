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
