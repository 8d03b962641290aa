"""Golden tests for mxsym/ops/pointwise.py against MXNet 1.9.1: quadratic, allclose, gradientmultiplier and the straight-through estimators."""
import pytest

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'pointwise')


def test_allclose_refuses_shapes_that_only_broadcast():
    a = mx.nd.ones((2, 3))
    assert mx.nd.contrib.allclose(a, a).shape == ()
    with pytest.raises(mx.MXNetError, match=r'allclose: a has shape \(2, 3\) but b has shape'):
        mx.nd.contrib.allclose(a, mx.nd.ones((3,)))
