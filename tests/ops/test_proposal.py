"""Tests for mxsym/ops/proposal.py: golden cases recorded from MXNet 1.9.1, and the checks
of the anchors, the batch and the dtype."""
import pytest

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'proposal')


def _bind(op, batch, channels):
    net = op(mx.sym.var('cls_prob'), mx.sym.var('bbox_pred'), mx.sym.var('im_info'))
    return net.simple_bind(mx.cpu(), grad_req='null', cls_prob=(batch, channels, 3, 3))


def test_proposal_takes_one_image():
    with pytest.raises(mx.MXNetError, match='one image'):
        _bind(mx.sym.contrib.Proposal, 2, 24)


def test_proposal_needs_two_channels_per_anchor():
    with pytest.raises(mx.MXNetError, match='make 12 anchors'):
        _bind(mx.sym.contrib.MultiProposal, 1, 10)


def test_proposal_takes_float32_only():
    net = mx.sym.contrib.MultiProposal(mx.sym.var('cls_prob'), mx.sym.var('bbox_pred'),
                                       mx.sym.var('im_info'))
    with pytest.raises(mx.MXNetError, match='Unsupported data type float64'):
        net.infer_type(cls_prob='float64')


def test_proposal_gradients_are_zero_whatever_the_head_gradient():
    """MXNet ignores the head gradient of an output no gradient flows through, even one of
    the wrong shape."""
    net = mx.sym.contrib.MultiProposal(mx.sym.var('cls_prob'), mx.sym.var('bbox_pred'),
                                       mx.sym.var('im_info'), rpn_post_nms_top_n=4)
    exe = net.simple_bind(mx.cpu(), cls_prob=(2, 24, 3, 3))
    exe.arg_dict['cls_prob'][:] = 0.5
    exe.arg_dict['im_info'][:] = mx.nd.array([[40, 40, 1], [30, 30, 1]])
    exe.forward(is_train=True)
    exe.backward([mx.nd.ones((3, 5))])
    for name in ('cls_prob', 'bbox_pred', 'im_info'):
        assert not exe.grad_dict[name].asnumpy().any()
