"""Golden tests for mxsym/ops/contrib.py against MXNet 1.9.1: adaptive pooling, bilinear resize,
ROIAlign and the MultiBox detection ops."""
import pytest

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'contrib')


def test_legacy_detection_ops_take_float32_only():
    """MultiBoxPrior, MultiBoxTarget and MultiBoxDetection are legacy operators: float32 only."""
    prior = mx.sym.contrib.MultiBoxPrior(mx.sym.Variable('data'))
    with pytest.raises(mx.MXNetError, match='Unsupported data type'):
        prior.infer_type(data='float16')


def test_roi_align_spatial_scale_bound():
    """spatial_scale must lie in [0, 1]."""
    with pytest.raises(mx.MXNetError, match='exceed bound'):
        mx.sym.contrib.ROIAlign(mx.sym.Variable('data'), mx.sym.Variable('rois'),
                                pooled_size=(2, 2), spatial_scale=2.0)


def test_float_tuple_spellings():
    """Float tuples parse from MXNet's spellings: a list, a tuple or a bare number."""
    data = mx.sym.Variable('data')
    for sizes in [[0.5, 0.25], (0.5, 0.25), '(0.5,0.25)']:
        prior = mx.sym.contrib.MultiBoxPrior(data, sizes=sizes)
        assert prior.infer_shape(data=(1, 1, 2, 2))[1] == [(1, 8, 4)]
    assert mx.sym.contrib.MultiBoxPrior(data, sizes=0.5).infer_shape(
        data=(1, 1, 2, 2))[1] == [(1, 4, 4)]
