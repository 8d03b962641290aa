"""Tests for mxsym/ops/norm.py: golden cases recorded from MXNet 1.9.1 (BatchNorm,
InstanceNorm, LayerNorm, GroupNorm, L2Normalization and LRN), and BatchNorm's hand-written
training backward against autodiff."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'norm')


# ---------------------------------------------------------------------------- BatchNorm
@pytest.mark.parametrize('axis,fix_gamma', [(1, False), (1, True), (-1, False), (2, False)])
def test_batch_norm_training_gradient_is_autodiffs(axis, fix_gamma):
    """Training BatchNorm's hand-written backward gives what autodiff of its forward gives
    (float64, so only a wrong formula could differ)."""
    rng = np.random.RandomState(3)
    data, head = rng.randn(2, 2, 4, 3, 5), rng.randn(2, 2, 4, 3, 5)
    channels = data.shape[axis]
    gamma, beta = rng.rand(channels) + 0.5, rng.randn(channels)
    sym = mx.sym.BatchNorm(mx.sym.Variable('data'), axis=axis, fix_gamma=fix_gamma,
                           eps=1e-3, name='bn')
    exe = sym.simple_bind(mx.cpu(), data=data.shape, type_dict={'data': 'float64'})
    exe.arg_dict['data'][:] = data
    exe.arg_dict['bn_gamma'][:] = gamma
    exe.arg_dict['bn_beta'][:] = beta
    exe.forward(is_train=True)
    exe.backward(mx.nd.array(head, dtype='float64'))

    def textbook(x, g, b):
        axes = tuple(i for i in range(x.ndim) if i != axis % x.ndim)
        shape = [1] * x.ndim
        shape[axis] = channels
        mean = x.mean(axes, keepdims=True)
        var = jnp.square(x - mean).mean(axes, keepdims=True)
        scale = jnp.ones_like(g) if fix_gamma else g
        eps = float(np.float32(1e-3))   # MXNet rounds eps to float32
        return (x - mean) / jnp.sqrt(var + eps) * scale.reshape(shape) + b.reshape(shape)
    want, vjp = jax.vjp(textbook, jnp.asarray(data), jnp.asarray(gamma), jnp.asarray(beta))
    want_grads = vjp(jnp.asarray(head))
    np.testing.assert_allclose(exe.outputs[0].asnumpy(), want, rtol=1e-12, atol=1e-12)
    for name, want_grad in zip(('data', 'bn_gamma', 'bn_beta'), want_grads):
        np.testing.assert_allclose(exe.grad_dict[name].asnumpy(), want_grad, rtol=1e-10,
                                   atol=1e-10, err_msg=name)


# ---------------------------------------------------------------- BatchNorm_v1, SyncBatchNorm
def test_sync_batch_norm_statistics_are_batch_norm_v1s():
    """On one device SyncBatchNorm's training statistics outputs (mean, biased variance) are
    BatchNorm_v1's (MXNet leaves them unwritten outside batch statistics, so the golden
    cases cannot show them)."""
    rng = np.random.RandomState(5)
    data = rng.randn(3, 2, 4).astype(np.float32)
    outputs = []
    for sym in (mx.sym.BatchNorm_v1(mx.sym.var('data'), output_mean_var=True, name='bn'),
                mx.sym.contrib.SyncBatchNorm(mx.sym.var('data'), output_mean_var=True,
                                             key='k', name='bn')):
        exe = sym.simple_bind(mx.cpu(), data=data.shape)
        exe.arg_dict['data'][:] = data
        exe.forward(is_train=True)
        outputs.append([out.asnumpy() for out in exe.outputs])
    np.testing.assert_allclose(outputs[0][1], data.mean(axis=(0, 2)), rtol=1e-6)
    np.testing.assert_allclose(outputs[0][2], data.var(axis=(0, 2)), rtol=1e-5)
    for v1, sync in zip(*outputs):
        np.testing.assert_array_equal(v1, sync)


@pytest.mark.parametrize('half', ['float16', 'bfloat16'])
def test_batchnorm_of_half_data_keeps_float32_params(half):
    """As MXNet infers for an AMP graph: gamma, beta and the moving statistics stay float32
    when the data is cast to float16 or bfloat16."""
    data = mx.sym.amp_cast(mx.sym.Variable('data'), dtype=half)
    sym = mx.sym.BatchNorm(data, name='bn')
    arg_types, out_types, aux_types = sym.infer_type(data='float32')
    assert [np.dtype(t).name for t in arg_types[1:] + aux_types] == ['float32'] * 4
    assert np.dtype(out_types[0]).name == half
