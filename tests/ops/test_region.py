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


def test_rroi_align_has_no_gradient():
    net = mx.sym.contrib.RROIAlign(mx.sym.var('data'), mx.sym.var('rois'), pooled_size=(2, 2),
                                   spatial_scale=1.0)
    with pytest.raises(mx.MXNetError, match='non-differentiable'):
        net.simple_bind(mx.cpu(), data=(1, 2, 5, 5), rois=(3, 6))


def test_rroi_align_samples_per_region_at_run_time():
    """sampling_ratio=-1 takes ceil(bin side) samples per side of each region, under jit:
    a constant image averages to itself whatever the region's size."""
    net = mx.sym.contrib.RROIAlign(mx.sym.var('data'), mx.sym.var('rois'), pooled_size=(1, 1),
                                   spatial_scale=1.0)
    exe = net.simple_bind(mx.cpu(), grad_req='null', data=(1, 1, 40, 40), rois=(2, 6))
    exe.arg_dict['data'][:] = 3.0
    exe.arg_dict['rois'][:] = mx.nd.array([[0, 20, 20, 2, 2, 30], [0, 20, 20, 30, 25, -60]])
    out = exe.forward()[0].asnumpy()
    assert abs(out - 3.0).max() < 1e-5


def test_deformable_psroi_pooling_without_trans_takes_two_inputs():
    net = mx.sym.contrib.DeformablePSROIPooling(
        mx.sym.var('data'), mx.sym.var('rois'), spatial_scale=1.0, output_dim=2, group_size=2,
        pooled_size=2, no_trans=True)
    assert net.list_arguments() == ['data', 'rois']
    assert net.list_outputs() == [net.name + '_output']
