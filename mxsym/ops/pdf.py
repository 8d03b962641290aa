"""Densities of the samplers' distributions: _random_pdf_<d>(sample, *parameters, is_log).

The parameter arrays share one shape, the leading part of the sample's shape; each density
takes the parameters at its leading index (Dirichlet's samples and parameters are vectors on
the last axis, which the output drops). Gradients reach the parameters, summed over the samples
of each distribution, and the sample where MXNet's backward computes one (normal, gamma,
exponential, Dirichlet; the discrete distributions and uniform give it zero).
"""
from typing import Callable, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax
from jax.scipy.special import gammaln

from ..base import MXNetError
from ..ops_registry import Bool, Param, register
from .rules import merge_shapes


# ---------------------------------------------------------------------------- digamma
EULER = 0.57721566490153286061
# The asymptotic series' coefficients, in float64 and (shorter) in float32.
PSI_SERIES = {'float64': (8.33333333333333333333E-2, -2.10927960927960927961E-2,
                          7.57575757575757575758E-3, -4.16666666666666666667E-3,
                          3.96825396825396825397E-3, -8.33333333333333333333E-3,
                          8.33333333333333333333E-2),
              'float32': (-4.16666666666666666667E-3, 3.96825396825396825397E-3,
                          -8.33333333333333333333E-3, 8.33333333333333333333E-2)}


def _psi(x):
    """The digamma function as MXNet's backward computes it (the Cephes algorithm): exact sums
    for whole x <= 10, else the recurrence up to 10 and an asymptotic series whose log is taken
    in float32 (of s rounded to float32) even for float64; negative x by reflection."""
    dtype = x.dtype
    negative = x <= 0
    nearest = jnp.floor(x)
    fraction = x - nearest
    fraction = jnp.where(fraction > 0.5, x - (nearest + 1), fraction)
    reflection = jnp.where(fraction == 0.5, 0, np.pi / jnp.tan(np.pi * fraction))
    x = jnp.where(negative, 1 - x, x)
    whole = (x <= 10) & (x == jnp.floor(x))
    harmonic = jnp.zeros_like(x)
    shifted, shift_sum = x, jnp.zeros_like(x)
    for i in range(1, 10):
        harmonic = harmonic + jnp.where(i < x, 1 / jnp.asarray(i, dtype), 0)
    for _ in range(10):
        below = shifted < 10
        shift_sum = shift_sum + jnp.where(below, 1 / shifted, 0)
        shifted = jnp.where(below, shifted + 1, shifted)
    z = 1 / (shifted * shifted)
    coefficients = PSI_SERIES[jnp.dtype(dtype).name]
    series = jnp.zeros_like(x) + coefficients[0]
    for coefficient in coefficients[1:]:
        series = series * z + coefficient
    limit = 1e17 if dtype == jnp.float64 else 1e8
    series = jnp.where(shifted < limit, z * series, 0)
    log_shifted = jnp.log(shifted.astype(jnp.float32).astype(jnp.float64))
    log_shifted = log_shifted.astype(jnp.float32).astype(dtype)
    y = jnp.where(whole, harmonic - EULER, log_shifted - 0.5 / shifted - series - shift_sum)
    y = jnp.where(negative, y - reflection, y)
    pole = np.finfo(np.float64).max if dtype == jnp.float64 else np.inf   # DBL_MAX, as dtype
    return jnp.where(negative & (fraction == 0), pole, y)


@jax.custom_jvp
def _log_gamma(x):
    """log|Gamma(x)|, whose derivative is MXNet's digamma."""
    return gammaln(x)


@_log_gamma.defjvp
def _log_gamma_jvp(primals, tangents):
    (x,), (dx,) = primals, tangents
    return gammaln(x), _psi(x) * dx


# ---------------------------------------------------------------------------- densities
def _negative_binomial_log(x, k, p):
    """Log-probability of x failures before the k-th success, p the success probability."""
    return (_log_gamma(x + k) - _log_gamma(x + 1) - _log_gamma(k) + k * jnp.log(p)
            + x * jnp.log(1 - p))


def _uniform(x, low, high, is_log):
    width = jnp.broadcast_to(high - low, x.shape)
    return -jnp.log(width) if is_log else 1 / width


# MXNet's constant pi is a float: float64 densities carry its rounding.
PI_FLOAT32 = float(np.float32(np.pi))


def _normal(x, mu, sigma, is_log):
    exponent = -0.5 * (x - mu) * (x - mu) / (sigma * sigma)
    normalizer = np.sqrt(2 * PI_FLOAT32) * sigma
    return exponent - jnp.log(normalizer) if is_log else jnp.exp(exponent) / normalizer


def _gamma(x, alpha, beta, is_log):
    """Gamma with shape alpha and rate beta."""
    log_density = (alpha * jnp.log(beta) + (alpha - 1) * jnp.log(x) - beta * x
                   - _log_gamma(alpha))
    return log_density if is_log else jnp.exp(log_density)


def _exponential(x, lam, is_log):
    return jnp.log(lam) - lam * x if is_log else lam * jnp.exp(-lam * x)


def _poisson(x, lam, is_log):
    log_density = x * jnp.log(lam) - _log_gamma(x + 1) - lam
    return log_density if is_log else jnp.exp(log_density)


def _negative_binomial(x, k, p, is_log):
    log_density = _negative_binomial_log(x, k, p)
    return log_density if is_log else jnp.exp(log_density)


def _generalized_negative_binomial(x, mu, alpha, is_log):
    """Negative binomial with mean mu and variance mu + alpha * mu^2."""
    log_density = _negative_binomial_log(x, 1 / alpha, 1 / (mu * alpha + 1))
    return log_density if is_log else jnp.exp(log_density)


def _dirichlet(x, alpha, is_log):
    """Density of the vectors on x's last axis (alpha broadcast against them)."""
    log_density = (jnp.sum((alpha - 1) * jnp.log(x), axis=-1)
                   + _log_gamma(jnp.sum(alpha, axis=-1)) - jnp.sum(_log_gamma(alpha), axis=-1))
    return log_density if is_log else jnp.exp(log_density)


class Density(NamedTuple):
    name: str
    parameters: tuple       # input names after `sample`
    density: Callable       # density(sample, *parameters broadcast to it, is_log)
    sample_gradient: bool   # MXNet's backward computes the sample's gradient
    vector: bool = False    # samples and parameters are vectors on the last axis


DENSITIES = [
    Density('uniform', ('low', 'high'), _uniform, False),
    Density('normal', ('mu', 'sigma'), _normal, True),
    Density('gamma', ('alpha', 'beta'), _gamma, True),
    Density('exponential', ('lam',), _exponential, True),
    Density('poisson', ('lam',), _poisson, False),
    Density('negative_binomial', ('k', 'p'), _negative_binomial, False),
    Density('generalized_negative_binomial', ('mu', 'alpha'), _generalized_negative_binomial,
            False),
    Density('dirichlet', ('alpha',), _dirichlet, True, vector=True),
]


def _pdf_shapes(vector):
    """MXNet's rule, applied once every input shape is known: the parameters share the leading
    part of the sample's shape (with the sample's last axis, for vectors); the output is the
    sample's shape (without its last axis for vectors, (1,) for a single vector)."""
    def rule(params, in_shapes, out_shapes, input_names):
        if any(shape is None for shape in in_shapes):
            return in_shapes, out_shapes
        sample, first = in_shapes[0], in_shapes[1]
        if len(first) > len(sample):
            raise MXNetError('%s has %d dimensions, more than the %d of sample %s'
                             % (input_names[1], len(first), len(sample), sample))
        expected = sample[:len(first)]
        if vector:
            expected = expected[:-1] + sample[-1:]
        for name, shape in zip(input_names[1:], in_shapes[1:]):
            if merge_shapes(expected, shape) is None:
                raise MXNetError('%s has shape %s but sample %s needs %s (the leading part of '
                                 "the sample's shape)" % (name, shape, sample, expected))
        out = (1,) if vector and len(sample) == 1 else sample[:len(sample) - vector]
        merged = merge_shapes(out, out_shapes[0])
        if merged is None:
            raise MXNetError('output shape %s does not match sample %s' % (out_shapes[0], sample))
        return [sample] + [expected] * (len(in_shapes) - 1), [merged]
    return rule


def _widened(parameter, sample, vector):
    """A parameter array reshaped to broadcast against the sample."""
    if vector:
        extra = sample.ndim - parameter.ndim
        return parameter.reshape(parameter.shape[:-1] + (1,) * extra + parameter.shape[-1:])
    return parameter.reshape(parameter.shape + (1,) * (sample.ndim - parameter.ndim))


def _register(spec):
    def pdf(params, ctx, sample, *parameters):
        """The density (log-density with is_log) of each sample under its parameters."""
        if not jnp.issubdtype(sample.dtype, jnp.floating):
            raise MXNetError('_random_pdf_%s takes float16, float32 or float64 inputs, not %s'
                             % (spec.name, sample.dtype))
        compute = jnp.promote_types(sample.dtype, jnp.float32)
        x = sample.astype(compute)
        if not spec.sample_gradient:
            x = lax.stop_gradient(x)
        widened = [_widened(p.astype(compute), x, spec.vector) for p in parameters]
        out = spec.density(x, *widened, params.is_log)
        if spec.vector and sample.ndim == 1:
            out = out.reshape(1)
        return (out.astype(sample.dtype),)

    register('_random_pdf_' + spec.name, inputs=('sample',) + spec.parameters,
             aliases=('random_pdf_' + spec.name,), params={'is_log': Param(Bool(), False)},
             infer_shape=_pdf_shapes(spec.vector))(pdf)


for _density in DENSITIES:
    _register(_density)
