"""Tests for mxsym/ops/random.py. Golden cases replay MXNet 1.9.1's names, inferred shapes and
dtypes and tojson(); the draws themselves cannot match MXNet's generator, so direct tests check
their shapes, dtypes, ranges and moments, and that they change between forwards and repeat
after mx.random.seed.

Moment bounds: every test seeds the generator, so it is deterministic; the bounds are chosen so
that a correct sampler passes for practically any seed. With N = 4000 draws the sample mean is
within 5 standard errors (sqrt(var / N)) of the true mean with probability 1 - 6e-7, and the
sample variance within 25% of the true variance (over 5 of its standard errors for every
distribution here, whose kurtosis is at most about 9). Mixing up a rate with a scale, or a
parameter's role, moves these moments by far more.
"""
import jax
import numpy as np
import pytest

import mxsym as mx
from mxsym.ops.random import drawn_flat
from golden_case import case_id, check_symbol, load_cases

CASES = load_cases('random')
N = 4000


@pytest.mark.parametrize('case', CASES, ids=case_id)
def test_symbol(case):
    check_symbol(mx, case)


def forward(sym, values=None, dtype='float32'):
    """The first output of one inference forward, input values (of `dtype`) by name."""
    values = values or {}
    exe = sym.simple_bind(mx.cpu(), grad_req='null', type_dict={name: dtype for name in values},
                          **{name: np.shape(value) for name, value in values.items()})
    for name, value in values.items():
        exe.arg_dict[name][:] = value
    return exe.forward()[0].asnumpy()


def assert_moments(draws, mean, var):
    draws = np.asarray(draws, np.float64)
    assert abs(draws.mean() - mean) <= 5 * np.sqrt(var / draws.size), (draws.mean(), mean)
    assert abs(draws.var() - var) <= 0.25 * var, (draws.var(), var)


# (op, scalar params, mean, variance, lowest value, highest value)
DISTRIBUTIONS = [
    ('uniform', {'low': -2.0, 'high': 5.0}, 1.5, 49 / 12, -2.0, 5.0),
    ('normal', {'loc': 1.0, 'scale': 2.0}, 1.0, 4.0, -np.inf, np.inf),
    ('random_gamma', {'alpha': 2.0, 'beta': 0.5}, 1.0, 0.5, 0.0, np.inf),
    ('random_exponential', {'lam': 3.0}, 1 / 3, 1 / 9, 0.0, np.inf),
    ('random_poisson', {'lam': 4.0}, 4.0, 4.0, 0.0, np.inf),
    ('random_negative_binomial', {'k': 3, 'p': 0.4}, 4.5, 11.25, 0.0, np.inf),
    ('random_generalized_negative_binomial', {'mu': 2.0, 'alpha': 0.5}, 2.0, 4.0, 0.0, np.inf),
    ('random_generalized_negative_binomial', {'mu': 3.0, 'alpha': 0.0}, 3.0, 3.0, 0.0, np.inf),
]
COUNTS = ('random_poisson', 'random_negative_binomial', 'random_generalized_negative_binomial')


@pytest.mark.parametrize('op, kwargs, mean, var, low, high', DISTRIBUTIONS)
def test_sampler_distribution(op, kwargs, mean, var, low, high):
    mx.random.seed(0)
    draws = forward(getattr(mx.sym, op)(shape=(N // 2, 2), **kwargs))
    assert draws.shape == (N // 2, 2) and draws.dtype == np.float32
    assert draws.min() >= low and draws.max() < high
    if op in COUNTS:
        np.testing.assert_array_equal(draws, np.round(draws))
    assert_moments(draws, mean, var)


@pytest.mark.parametrize('dtype', ['float16', 'float32', 'float64'])
def test_sampler_dtype(dtype):
    assert forward(mx.sym.uniform(shape=(3,), dtype=dtype)).dtype == dtype
    assert forward(mx.sym.random_poisson(shape=(3,), dtype=dtype)).dtype == dtype


def test_randint():
    mx.random.seed(0)
    draws = forward(mx.sym.random_randint(low=-3, high=7, shape=(N,)))
    assert draws.dtype == np.int32
    assert set(np.unique(draws)) == set(range(-3, 7))
    assert_moments(draws, 1.5, 99 / 12)
    wide = forward(mx.sym.random_randint(low=0, high=2 ** 40, shape=(8,), dtype='int64'))
    assert wide.dtype == np.int64 and wide.max() > 2 ** 31


# (op, parameter inputs with one row per distribution, mean and variance per row)
SAMPLES = [
    ('sample_uniform', {'low': [0.0, 10.0], 'high': [1.0, 14.0]}, [0.5, 12.0], [1 / 12, 4 / 3]),
    ('sample_normal', {'mu': [0.0, 10.0], 'sigma': [1.0, 3.0]}, [0.0, 10.0], [1.0, 9.0]),
    ('sample_gamma', {'alpha': [1.0, 4.0], 'beta': [2.0, 0.5]}, [2.0, 2.0], [4.0, 1.0]),
    ('sample_exponential', {'lam': [0.5, 4.0]}, [2.0, 0.25], [4.0, 1 / 16]),
    ('sample_poisson', {'lam': [1.0, 20.0]}, [1.0, 20.0], [1.0, 20.0]),
    ('sample_negative_binomial', {'k': [2.0, 5.0], 'p': [0.5, 0.8]}, [2.0, 1.25],
     [4.0, 1.5625]),
    ('sample_generalized_negative_binomial', {'mu': [1.0, 4.0], 'alpha': [0.0, 0.25]},
     [1.0, 4.0], [1.0, 8.0]),
]


@pytest.mark.parametrize('op, params, means, variances', SAMPLES)
def test_sample_per_element_parameters(op, params, means, variances):
    """Each element of the parameter arrays gets its own `shape` draws: (2,) + (N,)."""
    mx.random.seed(1)
    inputs = {name: mx.sym.Variable(name) for name in params}
    values = {name: np.array(row, np.float64) for name, row in params.items()}
    draws = forward(getattr(mx.sym, op)(shape=(N,), **inputs), values)
    assert draws.shape == (2, N) and draws.dtype == np.float32
    for row, mean, var in zip(draws, means, variances):
        assert_moments(row, mean, var)


def test_sample_dtype_and_zero_gradient():
    """The output takes the dtype param, not the inputs' dtype; the parameters get zero
    gradients, as in MXNet."""
    mu, sigma = mx.sym.Variable('mu'), mx.sym.Variable('sigma')
    sym = mx.sym.sample_normal(mu=mu, sigma=sigma, shape=(3,), dtype='float64')
    exe = sym.simple_bind(mx.cpu(), mu=(2,), sigma=(2,))
    exe.arg_dict['sigma'][:] = 1
    out = exe.forward(is_train=True)[0]
    assert out.dtype == np.float64 and out.shape == (2, 3)
    exe.backward(mx.nd.ones((2, 3), dtype='float64'))
    assert not exe.grad_dict['mu'].asnumpy().any() and not exe.grad_dict['sigma'].asnumpy().any()


@pytest.mark.parametrize('op, kwargs, mean, var', [
    ('_random_uniform_like', {'low': 2.0, 'high': 3.0}, 2.5, 1 / 12),
    ('_random_normal_like', {'loc': -1.0, 'scale': 0.5}, -1.0, 0.25),
    ('_random_gamma_like', {'alpha': 3.0, 'beta': 2.0}, 6.0, 12.0),
    ('_random_exponential_like', {'lam': 2.0}, 0.5, 0.25),
    ('_random_poisson_like', {'lam': 3.0}, 3.0, 3.0),
    ('_random_negative_binomial_like', {'k': 4, 'p': 0.5}, 4.0, 8.0),
    ('_random_generalized_negative_binomial_like', {'mu': 1.0, 'alpha': 1.0}, 1.0, 2.0),
])
def test_like_samplers(op, kwargs, mean, var):
    """Shape and dtype come from data; its values are not used. These ops are reachable only
    through mx.sym._internal (MXNet has them under mx.sym.random.*_like), so the golden case
    tables cannot name them."""
    mx.random.seed(2)
    sym = getattr(mx.sym._internal, op)(data=mx.sym.Variable('data'), **kwargs)
    assert sym.list_arguments() == ['data'] and sym.infer_shape(data=(4, 5))[1] == [(4, 5)]
    draws = forward(sym, {'data': np.full((N // 4, 4), np.nan)}, dtype='float64')
    assert draws.shape == (N // 4, 4) and draws.dtype == np.float64
    assert_moments(draws, mean, var)


DATA = np.arange(150.0).reshape(50, 3)


@pytest.mark.parametrize('sym, values', [
    (mx.sym.uniform(shape=(50,)), {}),
    (mx.sym.random_randint(low=0, high=1000, shape=(50,)), {}),
    (mx.sym.sample_normal(mu=mx.sym.Variable('mu'), sigma=mx.sym.Variable('sigma'), shape=(50,)),
     {'mu': np.zeros(2), 'sigma': np.ones(2)}),
    (mx.sym.sample_multinomial(mx.sym.Variable('data'), shape=(50,)),
     {'data': np.full((2, 4), 0.25)}),
    (mx.sym.shuffle(mx.sym.Variable('data')), {'data': DATA}),
], ids=['uniform', 'randint', 'sample_normal', 'multinomial', 'shuffle'])
def test_draws_change_and_repeat_after_seed(sym, values):
    exe = sym.simple_bind(mx.cpu(), grad_req='null',
                          **{name: value.shape for name, value in values.items()})
    for name, value in values.items():
        exe.arg_dict[name][:] = value
    mx.random.seed(42)
    first = exe.forward()[0].asnumpy()
    second = exe.forward()[0].asnumpy()
    mx.random.seed(42)
    repeated = exe.forward()[0].asnumpy()
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(first, repeated)


def test_multinomial_frequencies_and_log_prob():
    mx.random.seed(3)
    probs = np.array([[0.1, 0.2, 0.7], [0.5, 0.5, 0.0]])
    data = mx.sym.Variable('data')
    samples, log_prob = (out.asnumpy() for out in mx.sym.sample_multinomial(
        data, shape=(N,), get_prob=True).simple_bind(mx.cpu(), grad_req='null', data=(2, 3))
        .forward(data=probs))
    assert samples.shape == (2, N) and samples.dtype == np.int32
    for row, p in zip(samples, probs):
        frequencies = np.bincount(row, minlength=3) / N
        assert np.all(np.abs(frequencies - p) <= 5 * np.sqrt(p * (1 - p) / N))
    np.testing.assert_allclose(log_prob, np.log(np.take_along_axis(probs, samples, 1)),
                               rtol=1e-6)


def test_multinomial_shapes():
    data = mx.sym.Variable('data')
    assert mx.sym.sample_multinomial(data).infer_shape(data=(4,))[1] == [(1,)]
    assert mx.sym.sample_multinomial(data, shape=(2, 3)).infer_shape(data=(4,))[1] == [(2, 3)]
    out = forward(mx.sym.sample_multinomial(data, dtype='uint8'), {'data': [0.0, 0.0, 1.0]})
    assert out.dtype == np.uint8 and out.tolist() == [2]


def test_multinomial_log_prob_gradient():
    """The log-probability output's gradient is head / p at each drawn index (summed over
    draws); the drawn indices pass none."""
    mx.random.seed(4)
    probs = np.array([[0.2, 0.3, 0.5]])
    data = mx.sym.Variable('data')
    sym = mx.sym.sample_multinomial(data, shape=(200,), get_prob=True, dtype='float32')
    exe = sym.simple_bind(mx.cpu(), data=(1, 3))
    samples = exe.forward(is_train=True, data=probs)[0].asnumpy().astype(int)
    exe.backward([mx.nd.ones((1, 200)), mx.nd.ones((1, 200))])
    counts = np.bincount(samples[0], minlength=3)
    np.testing.assert_allclose(exe.grad_dict['data'].asnumpy()[0], counts / probs[0], rtol=1e-5)


def test_shuffle_permutes_rows():
    mx.random.seed(5)
    data = np.arange(60.0).reshape(20, 3)
    out = forward(mx.sym.shuffle(mx.sym.Variable('data')), {'data': data})
    assert out.shape == data.shape and out.dtype == np.float32
    assert not np.array_equal(out, data)
    np.testing.assert_array_equal(out[np.argsort(out[:, 0])], data)


def test_unique_zipfian():
    """Each row holds distinct classes in [0, range_max), drawn log-uniformly as MXNet draws
    them (round(range_max ** u) - 1 for uniform u); the tries count the draws a row took, so
    duplicates make them exceed the row's length."""
    mx.random.seed(6)
    range_max, rows = 50, 2000
    classes, tries = mx.nd._internal._sample_unique_zipfian(range_max=range_max,
                                                             shape=(rows, 1))
    assert classes.dtype == np.int64 and tries.dtype == np.int64
    assert classes.shape == (rows, 1) and tries.shape == (rows,)
    bounds = np.clip(np.arange(range_max + 1) + 0.5, 1, range_max)
    probability = np.diff(np.log(bounds)) / np.log(range_max)
    frequency = np.bincount(classes.asnumpy()[:, 0], minlength=range_max) / rows
    assert np.all(np.abs(frequency - probability)
                  <= 5 * np.sqrt(probability * (1 - probability) / rows))
    np.testing.assert_array_equal(tries.asnumpy(), 1)
    classes, tries = mx.nd._internal._sample_unique_zipfian(range_max=1000, shape=(3, 200))
    for row, count in zip(classes.asnumpy(), tries.asnumpy()):
        assert np.unique(row).size == 200 and row.min() >= 0 and row.max() < 1000
        assert count > 200


@pytest.mark.parametrize('front', ['sym', 'nd'])
def test_exponential_takes_the_mean_as_scale_for_arrays_too(front):
    """mx.*.random.exponential(scale) draws with rate 1/scale, scale a number or an array."""
    scale = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    if front == 'sym':
        draws = mx.sym.random.exponential(mx.sym.var('s'), shape=(4000,)).bind(
            mx.cpu(), {'s': mx.nd.array(scale)}).forward()[0]
    else:
        draws = mx.nd.random.exponential(mx.nd.array(scale), shape=(4000,))
    np.testing.assert_allclose(draws.asnumpy().mean(axis=-1), scale, rtol=0.1)


@pytest.mark.parametrize('draw', [
    lambda key, shape: jax.random.normal(key, shape),
    lambda key, shape: jax.random.uniform(key, shape, minval=-2, maxval=3),
    lambda key, shape: jax.random.bernoulli(key, 0.3, shape),
    lambda key, shape: jax.random.gamma(key, 2.5, shape)])
@pytest.mark.parametrize('shape', [(7,), (2, 3, 4), (1, 2, 1, 5)])
def test_flat_draws_are_the_draws_of_the_shape(draw, shape):
    key = jax.random.key(11)
    np.testing.assert_array_equal(drawn_flat(lambda flat: draw(key, flat), shape),
                                  draw(key, shape))
