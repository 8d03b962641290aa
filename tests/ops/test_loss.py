"""Golden tests for mxsym/ops/loss.py against MXNet 1.9.1: the *Output loss layers, MakeLoss,
make_loss, smooth_l1, SVMOutput and CTCLoss; softmax_cross_entropy against MXNet's results
written out."""
import numpy as np
import pytest

import mxsym as mx
from golden_case import assert_matches, golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'loss')


# ------------------------------------------------------------------ softmax_cross_entropy
# The recorder cannot reach it: MXNet refuses a backward that asks for the label's gradient,
# and the recorder asks for every argument's. MXNet's results, written out, with the label's
# gradient not requested and a head gradient of 0.5.
CROSS_ENTROPY_DATA = [[0.5, -1.0, 2.0, 0.0], [1.5, 0.25, -0.75, 2.25], [-2.0, 1.0, 0.5, 0.125]]
CROSS_ENTROPY_LABEL = [2, 0, 3]
CROSS_ENTROPY = {
    'float32': (3.2017369270324707,
                [[0.07922235131263733, 0.01767689548432827, -0.14495006203651428,
                  0.048050783574581146],
                 [-0.3575053811073303, 0.04082539677619934, 0.015018824487924576,
                  0.3016611635684967],
                 [0.012007417157292366, 0.24117542803287506, 0.14628028869628906,
                  -0.39946311712265015]]),
    'float64': (3.2017368699300333,
                [[0.07922235475748986, 0.017676896704374435, -0.14495003855691285,
                  0.04805078709504862],
                 [-0.35750536504268704, 0.04082539644211189, 0.01501882402872671,
                  0.3016611445718485],
                 [0.012007417210611153, 0.24117542173584938, 0.1462802876519173,
                  -0.3994631265983778]]),
}


@pytest.mark.parametrize('dtype', sorted(CROSS_ENTROPY))
def test_softmax_cross_entropy(dtype):
    sym = mx.sym.softmax_cross_entropy(mx.sym.var('data'), mx.sym.var('label'))
    assert sym.list_arguments() == ['data', 'label']
    assert sym.infer_shape(data=(3, 4), label=(3,)) == ([(3, 4), (3,)], [(1,)], [])
    exe = sym.simple_bind(mx.cpu(), grad_req={'data': 'write', 'label': 'null'},
                          type_dict={'data': dtype, 'label': dtype}, data=(3, 4), label=(3,))
    exe.arg_dict['data'][:] = np.array(CROSS_ENTROPY_DATA, dtype)
    exe.arg_dict['label'][:] = np.array(CROSS_ENTROPY_LABEL, dtype)
    loss, grad = CROSS_ENTROPY[dtype]
    assert_matches(exe.forward(is_train=True)[0].asnumpy(), np.array([loss], dtype), 'loss')
    exe.backward([mx.nd.array([0.5], dtype=dtype)])
    assert_matches(exe.grad_dict['data'].asnumpy(), np.array(grad, dtype), 'grad of data')


# ------------------------------------------------------------------ SoftmaxOutput, odd labels
# MXNet 1.9.1 truncates a fractional label and subtracts nothing for a label outside
# [0, classes): its gradient for such a row (or position) is the softmax alone.
@pytest.mark.parametrize('multi_output', [False, True])
def test_softmax_output_labels_out_of_range(multi_output):
    rng = np.random.RandomState(0)
    if multi_output:
        data, label = rng.rand(2, 5, 3), np.array([[5, -1, 2.7], [4, -2.5, 0]])
    else:
        data, label = rng.rand(5, 5), np.array([5, -1, 2.7, 4, -2.5])
    sym = mx.sym.SoftmaxOutput(mx.sym.var('data'), mx.sym.var('label'),
                               multi_output=multi_output)
    exe = sym.simple_bind(mx.cpu(), data=data.shape, label=label.shape)
    exe.arg_dict['data'][:] = data
    exe.arg_dict['label'][:] = label
    out = exe.forward(is_train=True)[0].asnumpy()
    exe.backward()
    index = label.astype(int)
    onehot = (np.arange(5).reshape((1, 5) + (1,) * (label.ndim - 1))
              == np.expand_dims(index, 1)).astype(np.float32)
    spatial = data.shape[2] if multi_output else 1
    np.testing.assert_allclose(exe.grad_dict['data'].asnumpy(), (out - onehot) / spatial,
                               rtol=1e-6, atol=1e-7)
    assert 0 < onehot.sum() < label.size   # labels both in and out of range


def test_ctc_steps_past_the_data_length_take_no_part():
    """NaN activations past a sequence's length change neither loss nor gradient (values
    from MXNet 1.9.1 on the same inputs)."""
    data = np.random.RandomState(0).randn(7, 2, 6).astype(np.float32)
    data[5:] = np.nan
    data[4, 1] = np.nan
    data = mx.nd.array(data)
    data.attach_grad()
    with mx.autograd.record():
        loss = mx.nd.CTCLoss(data, mx.nd.array([[1, 2, 3, -1, -1], [1, 1, -1, -1, -1]]),
                             use_data_lengths=True, data_lengths=mx.nd.array([5, 4]),
                             blank_label='last')
    loss.backward()
    np.testing.assert_allclose(loss.asnumpy(), [8.326725, 5.037564], rtol=1e-5)
    grad = data.grad.asnumpy()
    np.testing.assert_allclose(grad[4, 0], [0.0525, 0.213, 0.1076, -0.5283, 0.1581, -0.0028],
                               atol=1e-4)
    assert not np.isnan(grad).any() and not grad[5:].any() and not grad[4, 1].any()
