"""mx.gluon.nn activation layers against numpy formulas, imperative and hybridized."""
import numpy as np
import pytest

import mxsym as mx
from mxsym.gluon import nn

X = np.linspace(-3, 3, 12).reshape(3, 4).astype(np.float32)
SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805

CASES = {
    'relu': (lambda: nn.Activation('relu'), np.maximum(X, 0)),
    'leaky': (lambda: nn.LeakyReLU(0.1), np.where(X > 0, X, 0.1 * X)),
    'prelu': (lambda: nn.PReLU(), np.where(X > 0, X, 0.25 * X)),
    'elu': (lambda: nn.ELU(0.5), np.where(X > 0, X, 0.5 * np.expm1(X))),
    'selu': (lambda: nn.SELU(), SELU_SCALE * np.where(X > 0, X, SELU_ALPHA * np.expm1(X))),
    'swish': (lambda: nn.Swish(2.0), X / (1 + np.exp(-2.0 * X))),
}


@pytest.mark.parametrize('hybridize', [False, True])
@pytest.mark.parametrize('name', CASES)
def test_activation(name, hybridize):
    make, expected = CASES[name]
    layer = make()
    layer.initialize()
    if hybridize:
        layer.hybridize()
    np.testing.assert_allclose(layer(mx.nd.array(X)).asnumpy(), expected, rtol=1e-5,
                               atol=1e-6)


def test_activation_prefix_is_its_type():
    assert nn.Activation('tanh', prefix=None).prefix.startswith('tanh')
    with pytest.raises(ValueError, match='no less than 0'):
        nn.LeakyReLU(-1)
