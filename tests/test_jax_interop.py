"""`mxsym.to_jax`: a checkpointed conv net (Convolution, BatchNorm, FullyConnected,
SoftmaxOutput) as a pure JAX function, against the executor, under vmap, and trained by optax."""
import importlib.util
import os

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

import mxsym as mx
from mxsym.base import MXNetError

PREFIX = os.path.join(os.path.dirname(__file__), 'golden', 'checkpoint', 'small')
DATA = np.load(PREFIX + '-input.npy')
LABEL = np.array([1, 3], np.float32)


@pytest.fixture(scope='module')
def checkpoint():
    return mx.model.load_checkpoint(PREFIX, 3)


@pytest.fixture(scope='module')
def model(checkpoint):
    return mx.to_jax(*checkpoint)


def test_params_inputs_and_inference(model, checkpoint):
    symbol, arg_params, _ = checkpoint
    assert sorted(model.params) == sorted(arg_params)
    assert sorted(model.aux) == ['bn1_moving_mean', 'bn1_moving_var']
    outputs, new_aux = model.apply(model.params, model.aux, {'data': DATA, 'softmax_label': LABEL})
    np.testing.assert_allclose(outputs[0], np.load(PREFIX + '-output.npy'), rtol=1e-4, atol=1e-5)
    assert new_aux is not model.aux and all(new_aux[k] is model.aux[k] for k in model.aux)


def test_gradients_and_aux_equal_executor(model, checkpoint):
    symbol, arg_params, aux_params = checkpoint
    inputs = {'data': DATA, 'softmax_label': LABEL}

    def loss(params):
        outputs, new_aux = model.apply(params, model.aux, inputs, is_train=True)
        return outputs[0].sum(), new_aux
    grads, new_aux = jax.jit(jax.grad(loss, has_aux=True))(model.params)
    ex = symbol.simple_bind(mx.cpu(), data=DATA.shape)
    ex.copy_params_from(arg_params, aux_params)
    ex.forward(is_train=True, **inputs)
    ex.backward()
    assert sorted(grads) == sorted(arg_params)
    for name, grad in grads.items():
        np.testing.assert_allclose(grad, ex.grad_dict[name].asnumpy(), rtol=1e-4, atol=1e-5)
    for name, value in new_aux.items():
        np.testing.assert_allclose(value, ex.aux_dict[name].asnumpy(), rtol=1e-4, atol=1e-5)
        assert not np.allclose(value, aux_params[name].asnumpy())


def test_vmap_over_examples(model):
    def predict(example):
        outputs, _ = model.apply(model.params, model.aux,
                                 {'data': example[None], 'softmax_label': jnp.zeros(1)})
        return outputs[0][0]
    batched, _ = model.apply(model.params, model.aux, {'data': DATA, 'softmax_label': LABEL})
    np.testing.assert_allclose(jax.vmap(predict)(jnp.asarray(DATA)), batched[0],
                               rtol=1e-5, atol=1e-6)


def test_optax_reduces_the_loss(model):
    optimizer = optax.sgd(0.05)
    inputs = {'data': DATA, 'softmax_label': LABEL}

    def cross_entropy(probs):
        return -jnp.log(probs[jnp.arange(2), LABEL.astype(int)]).mean()

    @jax.jit
    def step(params, aux, state):
        def loss(p):
            outputs, new_aux = model.apply(p, aux, inputs, is_train=True)
            return cross_entropy(outputs[0]), new_aux
        (value, new_aux), grads = jax.value_and_grad(loss, has_aux=True)(params)
        updates, state = optimizer.update(grads, state, params)
        return optax.apply_updates(params, updates), new_aux, state, value
    params, aux, state = model.params, model.aux, optimizer.init(model.params)
    losses = []
    for _ in range(5):
        params, aux, state, value = step(params, aux, state)
        losses.append(float(value))
    assert losses[-1] < 0.5 * losses[0], losses


def test_input_errors(model):
    with pytest.raises(MXNetError, match=r"inputs misses \['softmax_label'\]"):
        model.apply(model.params, model.aux, {'data': DATA})
    with pytest.raises(MXNetError, match=r"aux_params misses \['bn1_moving_var'\]"):
        mx.to_jax(mx.model.load_checkpoint(PREFIX, 3)[0], {},
                  {'bn1_moving_mean': np.zeros(4)})


def test_train_with_optax_example(tmp_path, capsys):
    """The example trains a checkpoint it writes and saves the next epoch MXNet can load."""
    path = os.path.join(os.path.dirname(__file__), os.pardir, 'examples', 'train_with_optax.py')
    spec = importlib.util.spec_from_file_location('train_with_optax', path)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    prefix = str(tmp_path / 'convnet')
    example.build_checkpoint(prefix)
    example.train(prefix, 0, steps=3)
    assert 'step   2' in capsys.readouterr().out
    before, after = mx.model.load_params(prefix, 0), mx.model.load_params(prefix, 1)
    for old, new in zip(before, after):
        assert sorted(old) == sorted(new)
        assert all(old[k].shape == new[k].shape for k in old)
    assert not np.allclose(before[0]['fc1_weight'].asnumpy(), after[0]['fc1_weight'].asnumpy())
    assert not np.allclose(before[1]['bn1_moving_mean'].asnumpy(),
                           after[1]['bn1_moving_mean'].asnumpy())
