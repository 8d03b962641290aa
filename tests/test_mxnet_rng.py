"""MXNet's CPU draws: samplers and initializers give MXNet 1.9.1's numbers for the same seed
(golden data from tests/golden/make_mxnet_rng_golden.py)."""
import os
import sys

import numpy as np
import pytest

import mxsym as mx
from mxsym import mxnet_rng

sys.path.insert(0, os.path.join(os.path.dirname(__file__), 'golden'))
from mxnet_rng_cases import INITIALIZERS, LONG, SEQUENCE, module_symbol  # noqa: E402

GOLDEN = np.load(os.path.join(os.path.dirname(__file__), 'golden', 'mxnet_rng.npz'))


def kept(values):
    flat = values.ravel()
    return flat if flat.size <= LONG else np.concatenate([flat[::53], flat[-64:]])


def assert_mxnet_values(expected, got, normal):
    """Uniform draws bit for bit; normal draws with the same accepted pairs, the rare value
    whose float32 log MXNet's C library rounds the other way one unit off."""
    assert got.dtype == expected.dtype and got.shape == expected.shape
    if normal and expected.dtype == np.float32:
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6)
        assert np.mean(got == expected) > 0.98
    else:
        np.testing.assert_array_equal(got, expected)


def _is_normal(expression):
    return any(word in expression for word in ('normal', 'randn', 'gaussian', 'Normal', 'MSRA'))


def test_default_seed_is_seed_zero():
    mx.random.seed(0)
    got = mx.nd.random.uniform(shape=(5, 30)).asnumpy()
    np.testing.assert_array_equal(got, GOLDEN['default'])


@pytest.mark.parametrize('seed, steps', SEQUENCE, ids=[str(seed) for seed, _ in SEQUENCE])
def test_sampler_sequence(seed, steps):
    mx.random.seed(seed)
    for index, step in enumerate(steps):
        got = kept(eval(step, {'mx': mx}).asnumpy())
        assert_mxnet_values(GOLDEN['seq%d/%d' % (seed, index)], got, _is_normal(step))


@pytest.mark.parametrize('name, init, shape', INITIALIZERS, ids=[i for _, i, _ in INITIALIZERS])
def test_initializer(name, init, shape):
    mx.random.seed(3)
    arr = mx.nd.zeros(shape)
    eval(init, {'mx': mx})(mx.init.InitDesc(name), arr)
    expected = GOLDEN['init/%s/%s' % (init, name)]
    if 'Orthogonal' in init:   # the SVD of MXNet's draw, to LAPACK's rounding and signs
        np.testing.assert_allclose(np.abs(kept(arr.asnumpy())), np.abs(expected), rtol=1e-4,
                                   atol=1e-5)
    else:
        assert_mxnet_values(expected, kept(arr.asnumpy()), _is_normal(init))


def test_module_init_params_xavier_gives_mxnet_weights():
    mx.random.seed(1)
    mod = mx.mod.Module(module_symbol(mx), data_names=['data'], label_names=['softmax_label'])
    mod.bind(data_shapes=[('data', (2, 3, 8, 8))], label_shapes=[('softmax_label', (2,))])
    mod.init_params(mx.init.Xavier(magnitude=2.0))
    arg_params, aux_params = mod.get_params()
    for name, value in dict(arg_params, **aux_params).items():
        np.testing.assert_array_equal(value.asnumpy(), GOLDEN['module/' + name], err_msg=name)


@pytest.mark.parametrize('size, split', [(1, (1, 1)), (64, (1, 64)), (65, (2, 33)),
                                         (65536, (1024, 64)), (65537, (1024, 65)),
                                         (10 ** 6, (1024, 977))])
def test_split_over_states(size, split):
    assert mxnet_rng.runs(size) == split


def test_seed_restarts_the_sequence():
    mx.random.seed(5)
    first = mx.nd.random.normal(shape=(3, 100)).asnumpy()
    mx.random.seed(5)
    again = mx.nd.random.normal(shape=(3, 100)).asnumpy()
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, mx.nd.random.normal(shape=(3, 100)).asnumpy())


def test_drawn_values_are_constants_under_autograd():
    mx.random.seed(2)
    x = mx.nd.ones((4, 5))
    x.attach_grad()
    mu = mx.nd.zeros((4,))
    mu.attach_grad()
    with mx.autograd.record():
        noise = mx.nd.random.normal(mu, mx.nd.ones((4,)), shape=(5,))
        y = (x * noise).sum()
    y.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), noise.asnumpy())
    np.testing.assert_array_equal(mu.grad.asnumpy(), np.zeros(4, np.float32))
