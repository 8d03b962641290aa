"""Tests for mxsym/ops/deformable.py: golden cases recorded from MXNet 1.9.1 (the modulated
form's forward only: MXNet has no CPU backward for it), and its offset shape check."""
import pytest

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'deformable')


def test_offset_of_the_wrong_shape_is_refused():
    net = mx.sym.contrib.DeformableConvolution(mx.sym.var('data'), mx.sym.var('offset'),
                                               kernel=(3, 3), num_filter=2)
    with pytest.raises(mx.MXNetError, match=r'offset has shape \(1, 8, 3, 3\)'):
        net.infer_shape(data=(1, 2, 5, 5), offset=(1, 8, 3, 3))
