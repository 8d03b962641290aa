"""Tests for mxsym/ops/correlation.py: golden cases recorded from MXNet 1.9.1, and the
settings MXNet refuses."""
import pytest

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'correlation')


@pytest.mark.parametrize('kwargs, message', [
    ({'kernel_size': 2}, 'kernel size should be odd'),
    ({'max_displacement': 4}, 'cannot be done with current settings'),
])
def test_refused_settings(kwargs, message):
    net = mx.sym.Correlation(mx.sym.var('a'), mx.sym.var('b'), **kwargs)
    with pytest.raises(mx.MXNetError, match=message):
        net.infer_shape(a=(1, 2, 5, 5), b=(1, 2, 5, 5))
