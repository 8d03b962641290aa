"""mx.gluon.loss against formulas written with numpy."""
import numpy as np
import pytest

import mxsym as mx
from mxsym import gluon

RNG = np.random.RandomState(0)
PRED = RNG.uniform(-2, 2, (4, 3)).astype(np.float32)
TARGET = RNG.uniform(0, 1, (4, 3)).astype(np.float32)
CLASSES = np.array([0, 2, 1, 2], np.float32)


def _log_softmax(x):
    shifted = x - x.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


CASES = {
    'l2': (gluon.loss.L2Loss(), TARGET, ((PRED - TARGET) ** 2 / 2).mean(axis=1)),
    'l1': (gluon.loss.L1Loss(), TARGET, np.abs(PRED - TARGET).mean(axis=1)),
    'sigmoid_bce': (gluon.loss.SigmoidBCELoss(), TARGET,
                    (np.maximum(PRED, 0) - PRED * TARGET
                     + np.log1p(np.exp(-np.abs(PRED)))).mean(axis=1)),
    'softmax_ce': (gluon.loss.SoftmaxCrossEntropyLoss(), CLASSES,
                   -_log_softmax(PRED)[np.arange(4), CLASSES.astype(int)]),
}


@pytest.mark.parametrize('hybridize', [False, True])
@pytest.mark.parametrize('name', CASES)
def test_loss_values_and_gradients(name, hybridize):
    loss, label, expected = CASES[name]
    if hybridize:
        loss.hybridize()
    pred = mx.nd.array(PRED)
    pred.attach_grad()
    with mx.autograd.record():
        value = loss(pred, mx.nd.array(label))
    value.backward()
    np.testing.assert_allclose(value.asnumpy(), expected, rtol=1e-5, atol=1e-6)
    assert np.isfinite(pred.grad.asnumpy()).all() and pred.grad.asnumpy().any()


def test_sample_weight_scales_each_sample():
    loss = gluon.loss.L1Loss()
    weight = mx.nd.array([[1.0], [0.0], [2.0], [1.0]])
    value = loss(mx.nd.array(PRED), mx.nd.array(TARGET), weight).asnumpy()
    np.testing.assert_allclose(value, np.abs(PRED - TARGET).mean(axis=1) * [1, 0, 2, 1],
                               rtol=1e-5)
