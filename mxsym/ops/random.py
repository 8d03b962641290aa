"""Random samplers drawing from the executor's PRNG key: _random_*, _sample_*, _shuffle.

Each distribution is declared once and gives three ops: ``_random_<d>`` (scalar parameters,
a `shape` param, no inputs), ``_random_<d>_like`` (the shape and dtype of its input) and
``_sample_<d>`` (parameters as input arrays, one draw per element, `shape` appended). Here the
draws follow MXNet's distributions from the JAX key (in graphs, and eagerly on GPU); eagerly on
CPU, uniform, normal, exponential and randint draw MXNet's own numbers (`mxnet_rng`). Like
MXNet, samplers pass no gradient to their inputs.
"""
import math
from typing import Callable, NamedTuple

import jax
import jax.numpy as jnp
from jax import lax

from ..base import MXNetError
from ..ops_registry import Bool, DType, Float, Int, Optional, Param, Shape, Str, register
from .integer_rules import float64_vjp
from .rules import merge_shapes, same_shape


# ---------------------------------------------------------------------------- distributions
def _poisson(key, lam, shape, dtype):
    return jax.random.poisson(key, lam, shape).astype(dtype)


def _gamma_poisson(key, shape_param, scale, shape, dtype):
    """Poisson draws whose rate is Gamma(shape_param, scale) distributed."""
    gamma_key, poisson_key = jax.random.split(key)
    rate = jax.random.gamma(gamma_key, shape_param, shape, dtype) * scale
    return _poisson(poisson_key, rate, shape, dtype)


def _uniform(key, shape, dtype, low, high):
    return jax.random.uniform(key, shape, dtype, low, high)


def _normal(key, shape, dtype, loc, scale):
    return loc + scale * jax.random.normal(key, shape, dtype)


def _gamma(key, shape, dtype, alpha, beta):
    """Gamma with shape alpha and scale beta (mean alpha * beta)."""
    return jax.random.gamma(key, jnp.broadcast_to(alpha, shape), shape, dtype) * beta


def _exponential(key, shape, dtype, lam):
    """Exponential with rate lam (mean 1 / lam)."""
    return jax.random.exponential(key, shape, dtype) / lam


def _poisson_rate(key, shape, dtype, lam):
    return _poisson(key, jnp.broadcast_to(lam, shape).astype(dtype), shape, dtype)


def _negative_binomial(key, shape, dtype, k, p):
    """Failures before the k-th success, each trial succeeding with probability p."""
    k = jnp.broadcast_to(jnp.asarray(k, dtype), shape)
    return _gamma_poisson(key, k, (1 - p) / p, shape, dtype)


def _generalized_negative_binomial(key, shape, dtype, mu, alpha):
    """Mean mu, variance mu + alpha * mu^2; alpha = 0 is Poisson(mu)."""
    mu = jnp.broadcast_to(jnp.asarray(mu, dtype), shape)
    alpha = jnp.broadcast_to(jnp.asarray(alpha, dtype), shape)
    dispersed = alpha > 0
    safe_alpha = jnp.where(dispersed, alpha, 1)
    mixed_key, plain_key = jax.random.split(key)
    mixed = _gamma_poisson(mixed_key, 1 / safe_alpha, safe_alpha * mu, shape, dtype)
    return jnp.where(dispersed, mixed, _poisson(plain_key, mu, shape, dtype))


class Distribution(NamedTuple):
    name: str
    scalar_params: dict       # param name -> Param, for _random_<d> and _random_<d>_like
    input_names: tuple        # the parameter inputs of _sample_<d>
    draw: Callable            # draw(key, shape, dtype, *parameters)
    aliases: tuple = ()       # of _random_<d>


DISTRIBUTIONS = [
    Distribution('uniform', {'low': Param(Float(), 0.0), 'high': Param(Float(), 1.0)},
                 ('low', 'high'), _uniform, ('random_uniform', 'uniform')),
    Distribution('normal', {'loc': Param(Float(), 0.0), 'scale': Param(Float(), 1.0)},
                 ('mu', 'sigma'), _normal, ('normal', 'random_normal')),
    Distribution('gamma', {'alpha': Param(Float(), 1.0), 'beta': Param(Float(), 1.0)},
                 ('alpha', 'beta'), _gamma, ('random_gamma',)),
    Distribution('exponential', {'lam': Param(Float(), 1.0)}, ('lam',), _exponential,
                 ('random_exponential',)),
    Distribution('poisson', {'lam': Param(Float(), 1.0)}, ('lam',), _poisson_rate,
                 ('random_poisson',)),
    Distribution('negative_binomial', {'k': Param(Int(), 1), 'p': Param(Float(), 1.0)},
                 ('k', 'p'), _negative_binomial, ('random_negative_binomial',)),
    Distribution('generalized_negative_binomial',
                 {'mu': Param(Float(), 1.0), 'alpha': Param(Float(), 1.0)},
                 ('mu', 'alpha'), _generalized_negative_binomial,
                 ('random_generalized_negative_binomial',)),
]

FLOAT_DTYPE = DType('float16', 'float32', 'float64', none=True)


def drawn_flat(draw, shape):
    """``draw(shape)`` made as ``draw((size,))`` reshaped: the same draws, which XLA compiles
    many times faster than a draw of several dimensions (seconds for a 4-d shape)."""
    return draw((math.prod(shape),)).reshape(shape)


def _draw_as(dist, key, shape, dtype, *parameters):
    """Draw in float32 (float64 for float64) and return `dtype`, cut off from the gradient."""
    compute = jnp.promote_types(dtype, jnp.float32)
    shape = tuple(shape)
    parameters = [lax.stop_gradient(jnp.asarray(p, compute)) for p in parameters]
    parameters = [p if p.ndim == 0 else jnp.broadcast_to(p, shape).ravel() for p in parameters]
    return drawn_flat(lambda flat: dist.draw(key, flat, compute, *parameters),
                      shape).astype(dtype)


# ---------------------------------------------------------------------------- shape and type rules
def _full_shape(params):
    """The `shape` param of a sampler without inputs, which must be complete to draw."""
    if not params.shape or not all(params.shape):
        raise MXNetError('a sampler without inputs draws shape=%s, which is not complete; '
                         'give every dimension in its shape param' % (params.shape,))
    return tuple(params.shape)


def _random_shape(params, in_shapes, out_shapes, input_names):
    """The output has the shape param, whose unknown dims (0) a known output shape fills; an
    absent or empty one is unknown (legacy shapes are never 0-d)."""
    requested = tuple(params.shape) if params.shape else None
    shape = merge_shapes(requested, out_shapes[0])
    if shape is None and requested and out_shapes[0] is not None:
        raise MXNetError('output shape %s does not match shape=%s' % (out_shapes[0],
                                                                      params.shape))
    return in_shapes, [shape]


def _output_type(requested, inferred, default):
    """The output dtype: one inferred downstream must agree with the dtype param."""
    if inferred is not None:
        if requested is not None and requested != inferred:
            raise MXNetError('output type %s does not match dtype=%s' % (inferred, requested))
        return inferred
    return requested or default


def _random_type(default):
    def rule(params, in_types, out_types):
        return in_types, [_output_type(params.dtype, out_types[0], default)]
    return rule


def _sample_shape(params, in_shapes, out_shapes, input_names):
    """Parameter inputs share one shape s; the output is s + shape (MXNet's rule, which also
    infers s back from a known output)."""
    extra = tuple(params.shape)
    common = out_shapes[0]
    if common is not None and len(common) > len(extra):
        common = common[:len(common) - len(extra)]
    for name, shape in zip(input_names, in_shapes):
        merged = merge_shapes(common, shape)
        if merged is None:
            raise MXNetError('input %s has shape %s but the other parameters or the output '
                             'need %s' % (name, shape, common))
        common = merged
    out = common + extra if common is not None else out_shapes[0]
    return [common] * len(in_shapes), [out]


def _sample_type(params, in_types, out_types):
    """Parameter inputs share one dtype; the output has its own (dtype param, else float32)."""
    known = {t for t in in_types if t is not None}
    if len(known) > 1:
        raise MXNetError('the parameter inputs must share one dtype, got %s' % sorted(known))
    if not known:
        return in_types, out_types
    return [known.pop()] * len(in_types), [_output_type(params.dtype, out_types[0], 'float32')]


# ---------------------------------------------------------------------------- registration
RANDOM_PARAMS = {'shape': Param(Optional(Shape()), None), 'ctx': Param(Str(), '')}


def _register_distribution(dist):
    def random_op(params, ctx):
        """Draws of `shape` from the distribution with scalar parameters."""
        scalars = [params[name] for name in dist.scalar_params]
        return (_draw_as(dist, ctx.key, _full_shape(params), params.dtype or 'float32',
                         *scalars),)

    def like_op(params, ctx, data):
        """Draws shaped and typed like `data` (its values are not used)."""
        scalars = [params[name] for name in dist.scalar_params]
        return (_draw_as(dist, ctx.key, data.shape, data.dtype, *scalars),)

    def sample_op(params, ctx, *parameters):
        """One draw of `shape` per element of the parameter arrays: output s + shape."""
        extra = tuple(params.shape)
        out_shape = parameters[0].shape + extra
        widened = [p.reshape(p.shape + (1,) * len(extra)) for p in parameters]
        return (_draw_as(dist, ctx.key, out_shape, params.dtype or 'float32', *widened),)

    register('_random_' + dist.name, inputs=(), aliases=dist.aliases, random=True,
             params=dict(dist.scalar_params, **RANDOM_PARAMS, dtype=Param(FLOAT_DTYPE, None)),
             infer_shape=_random_shape, infer_type=_random_type('float32'))(random_op)
    register('_random_%s_like' % dist.name, random=True, unnamed_inputs=True,
             params=dict(dist.scalar_params),
             infer_shape=same_shape)(like_op)
    register('_sample_' + dist.name, inputs=dist.input_names, aliases=('sample_' + dist.name,),
             random=True, params={'shape': Param(Shape(), ()), 'dtype': Param(FLOAT_DTYPE, None)},
             infer_shape=_sample_shape, infer_type=_sample_type)(sample_op)


for _distribution in DISTRIBUTIONS:
    _register_distribution(_distribution)


@register('_random_randint', inputs=(), aliases=('random_randint',), random=True,
          params=dict({'low': Param(Int()), 'high': Param(Int())}, **RANDOM_PARAMS,
                      dtype=Param(DType('int32', 'int64', none=True), None)),
          infer_shape=_random_shape, infer_type=_random_type('int32'))
def random_randint(params, ctx):
    """Integers drawn uniformly from [low, high)."""
    return (jax.random.randint(ctx.key, _full_shape(params), params.low, params.high,
                               params.dtype or 'int32'),)


# ---------------------------------------------------------------------------- multinomial
def _multinomial_shape(params, in_shapes, out_shapes, input_names):
    """data (..., k) gives (...) + shape; 1-d data gives `shape`, or (1,) without one."""
    data = in_shapes[0]
    if data is None:
        return in_shapes, out_shapes
    out = tuple(data[:-1]) + tuple(params.shape) or (1,)
    return in_shapes, [out] * len(out_shapes)


def _multinomial_type(params, in_types, out_types):
    if in_types[0] is None:
        return in_types, out_types
    return in_types, [params.dtype, in_types[0]][:len(out_types)]


@register('_sample_multinomial', unnamed_inputs=True, aliases=('sample_multinomial',), random=True,
          params={'shape': Param(Shape(), ()), 'get_prob': Param(Bool(), False),
                  'dtype': Param(DType('float16', 'float32', 'float64', 'int32', 'uint8'),
                                 'int32')},
          outputs=lambda p: ['output0', 'output1'] if p.get_prob else ['output'],
          infer_shape=_multinomial_shape, infer_type=_multinomial_type,
          integer_backward=float64_vjp())
def sample_multinomial(params, ctx, data):
    """Category indices drawn from the probabilities on data's last axis: the first index
    whose running sum reaches a uniform draw. With get_prob, also their log-probabilities,
    whose gradient reaches data (the indices pass none)."""
    extra = tuple(params.shape)
    batch = data.shape[:-1]
    draws = jax.random.uniform(ctx.key, batch + extra, jnp.float32)
    running = jnp.cumsum(lax.stop_gradient(data).astype(jnp.float64), axis=-1)
    running = running.astype(jnp.float32).reshape(batch + (1,) * len(extra) + data.shape[-1:])
    index = jnp.minimum(jnp.sum(running < draws[..., None], axis=-1), data.shape[-1] - 1)
    out_shape = batch + extra or (1,)
    samples = index.reshape(out_shape).astype(params.dtype)
    if not params.get_prob:
        return (samples,)
    flat_index = index.reshape(batch + (-1,))
    chosen = jnp.take_along_axis(data, flat_index, axis=-1)
    return samples, jnp.log(chosen).reshape(out_shape)


# ---------------------------------------------------------------------------- shuffle
@register('_shuffle', unnamed_inputs=True, aliases=('shuffle',), random=True,
          infer_shape=same_shape)
def shuffle(params, ctx, data):
    """The sub-arrays along the first axis in a random order."""
    return (jax.random.permutation(ctx.key, data, axis=0, independent=False),)


# ---------------------------------------------------------------------------- unique zipfian
def _unique_zipfian_shapes(params, in_shapes, out_shapes, input_names):
    """Classes (batch, num_sampled) and their try counts (batch,): from the 2-D shape param,
    or from a known classes output when the param is left out."""
    shape = tuple(params.shape) if params.shape else None
    if shape is None and out_shapes[0] is not None and len(out_shapes[0]) == 2:
        shape = out_shapes[0]
    if shape is None or len(shape) != 2:
        raise MXNetError('_sample_unique_zipfian: shape must be (batch, num_sampled), got %s'
                         % (params.shape,))
    return in_shapes, [shape, shape[:1]]


def _unique_zipfian_types(params, in_types, out_types):
    return in_types, ['int64', 'int64']


def _unique_zipfian_row(key, range_max, num_sampled):
    """One row: log-uniform classes in [0, range_max), drawn until num_sampled of them are
    distinct (kept in the order first drawn), and the number of draws that took."""
    log_range = jnp.log(jnp.float64(range_max))

    def draw(state):
        key, seen, classes, count, tries = state
        key, subkey = jax.random.split(key)
        value = jnp.round(jnp.exp(jax.random.uniform(subkey, (), jnp.float64) * log_range))
        value = value.astype(jnp.int64) - 1
        new = ~seen[value]
        classes = classes.at[jnp.where(new, count, num_sampled)].set(value, mode='drop')
        return key, seen.at[value].set(True), classes, count + new, tries + 1

    state = (key, jnp.zeros(range_max, bool), jnp.zeros(num_sampled, jnp.int64),
             jnp.int64(0), jnp.int64(0))
    _, _, classes, _, tries = lax.while_loop(lambda s: s[3] < num_sampled, draw, state)
    return classes, tries


@register('_sample_unique_zipfian', inputs=(), random=True, outputs=('output0', 'output1'),
          params={'range_max': Param(Int()), 'shape': Param(Optional(Shape()), None)},
          infer_shape=_unique_zipfian_shapes, infer_type=_unique_zipfian_types)
def sample_unique_zipfian(params, ctx):
    """Per batch row, num_sampled distinct classes from the log-uniform (Zipfian)
    distribution on [0, range_max), and how many draws each row took (int64 both)."""
    batch, num_sampled = _unique_zipfian_shapes(params, [], [None, None], [])[1][0]
    if num_sampled > params.range_max:
        raise MXNetError('_sample_unique_zipfian: cannot draw %d distinct classes out of '
                         'range_max=%d' % (num_sampled, params.range_max))
    keys = jax.random.split(ctx.key, batch)
    return jax.vmap(lambda key: _unique_zipfian_row(key, params.range_max, num_sampled))(keys)
