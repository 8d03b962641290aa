"""mx.gluon.Trainer: SGD steps over Parameters, stale gradients, learning rate, states."""
import numpy as np
import pytest

import mxsym as mx
from mxsym import gluon


def _trained_parameter(optimizer='sgd', **optimizer_params):
    param = gluon.Parameter('w', shape=(3,), init=mx.init.One())
    param.initialize()
    trainer = gluon.Trainer([param], optimizer, optimizer_params)
    return param, trainer


def _backward(param):
    with mx.autograd.record():
        loss = (param.data() * mx.nd.array([1.0, 2.0, 3.0])).sum()
    loss.backward()


def test_step_rescales_by_batch_size():
    param, trainer = _trained_parameter(learning_rate=0.5)
    _backward(param)
    trainer.step(2)
    np.testing.assert_allclose(param.data().asnumpy(), 1 - 0.5 * np.array([1, 2, 3]) / 2)


def test_stale_gradient_is_refused_unless_ignored():
    param, trainer = _trained_parameter()
    _backward(param)
    trainer.step(1)
    with pytest.raises(UserWarning, match='has not been updated by backward'):
        trainer.step(1)
    before = param.data().asnumpy()
    trainer.step(1, ignore_stale_grad=True)
    np.testing.assert_array_equal(param.data().asnumpy(), before)


def test_learning_rate_and_manual_update():
    param, trainer = _trained_parameter(learning_rate=0.1)
    trainer.set_learning_rate(0.2)
    assert trainer.learning_rate == 0.2
    _backward(param)
    trainer.allreduce_grads()
    trainer.update(1)
    np.testing.assert_allclose(param.data().asnumpy(), 1 - 0.2 * np.array([1, 2, 3]))


def test_lr_mult_applies_per_parameter():
    param, trainer = _trained_parameter(learning_rate=0.1)
    param.lr_mult = 0.0
    _backward(param)
    trainer.step(1)
    np.testing.assert_array_equal(param.data().asnumpy(), np.ones(3))


def test_save_and_load_states(tmp_path):
    param, trainer = _trained_parameter('adam', learning_rate=0.01)
    _backward(param)
    trainer.step(1)
    fname = str(tmp_path / 'trainer.states')
    trainer.save_states(fname)
    other_param, other = _trained_parameter('adam', learning_rate=0.5)
    other.load_states(fname)
    assert other.learning_rate == 0.01
    mean, _ = other._updaters[0].states[0]
    np.testing.assert_allclose(mean.asnumpy(), 0.1 * np.array([1, 2, 3]), rtol=1e-6)
