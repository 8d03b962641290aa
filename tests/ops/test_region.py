"""Tests for mxsym/ops/region.py: golden cases recorded from MXNet 1.9.1, and the channel
count PSROIPooling needs."""
import pytest

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'region')


def test_psroi_pooling_needs_output_dim_times_groups_squared_channels():
    net = mx.sym.contrib.PSROIPooling(mx.sym.var('data'), mx.sym.var('rois'), spatial_scale=1.0,
                                      output_dim=2, pooled_size=2)
    exe = net.simple_bind(mx.cpu(), data=(1, 4, 5, 5), rois=(1, 5))
    with pytest.raises(mx.MXNetError, match='data has 4 channels'):
        exe.forward()
