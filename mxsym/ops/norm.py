"""Normalisation layers beside BatchNorm: InstanceNorm, LayerNorm, GroupNorm,
L2Normalization and LRN."""
import jax.numpy as jnp
import numpy as np
from jax import lax

from ..base import MXNetError
from ..ops_registry import Bool, Enum, Float, Int, Param, register
from .rules import check_axis


# ------------------------------------------------------------ InstanceNorm, LayerNorm, GroupNorm
def _moments(x, axes):
    """Mean and biased variance over `axes`, kept as size-1 dims."""
    mean = jnp.mean(x, axis=axes, keepdims=True)
    return mean, jnp.mean(jnp.square(x - mean), axis=axes, keepdims=True)


def _eps(params):
    """MXNet stores these eps params as float32."""
    return float(np.float32(params.eps))


def _scale_shift(x, gamma, beta, axis):
    shape = [1] * x.ndim
    shape[axis] = -1
    return x * gamma.reshape(shape) + beta.reshape(shape)


def _gamma_beta(size):
    return {'gamma': (size,), 'beta': (size,)}


def _along_axis(params, in_shapes):
    data = in_shapes[0]
    return {} if data is None else _gamma_beta(data[check_axis(params.axis, len(data))])


def _with_stats(out, *stats):
    """The normalised output and its statistics outputs, whose head gradients MXNet ignores."""
    return (out,) + tuple(lax.stop_gradient(s) for s in stats)


def _norm_outputs(params):
    return 3 if params.output_mean_var else 1


NORM_INPUTS = ('data', 'gamma', 'beta')


@register('InstanceNorm', inputs=NORM_INPUTS, outputs=('output', 'mean', 'var'),
          num_visible=lambda p: 1, params={'eps': Param(Float(), 1e-3)},
          param_shapes=lambda p, ins: {} if ins[0] is None else _gamma_beta(ins[0][1]))
def instance_norm(params, ctx, data, gamma, beta):
    """Normalise each (sample, channel) over the remaining axes, then scale and shift per
    channel. Hidden outputs: the mean and the variance, shaped (N, C)."""
    mean, var = _moments(data, tuple(range(2, data.ndim)))
    out = _scale_shift((data - mean) / jnp.sqrt(var + _eps(params)), gamma, beta, 1)
    return _with_stats(out, mean.reshape(data.shape[:2]), var.reshape(data.shape[:2]))


@register('LayerNorm', inputs=NORM_INPUTS, outputs=('output', 'mean', 'std'),
          num_visible=_norm_outputs,
          params={'axis': Param(Int(), -1), 'eps': Param(Float(), 1e-5),
                  'output_mean_var': Param(Bool(), False)},
          param_shapes=_along_axis)
def layer_norm(params, ctx, data, gamma, beta):
    """Normalise over `axis`, then scale and shift along it. The mean and std outputs keep
    `axis` with size 1."""
    axis = check_axis(params.axis, data.ndim)
    x = data.astype(jnp.promote_types(data.dtype, jnp.float32))
    mean, var = _moments(x, axis)
    std = jnp.sqrt(var + _eps(params))
    out = _scale_shift((x - mean) / std, gamma, beta, axis)
    return _with_stats(*(v.astype(data.dtype) for v in (out, mean, std)))


@register('GroupNorm', inputs=NORM_INPUTS, outputs=('output', 'mean', 'std'),
          num_visible=_norm_outputs,
          params={'num_groups': Param(Int(), 1), 'eps': Param(Float(), 1e-5),
                  'output_mean_var': Param(Bool(), False)},
          param_shapes=lambda p, ins: _gamma_beta(p.num_groups))
def group_norm(params, ctx, data, gamma, beta):
    """Split the channels into num_groups groups and normalise each (sample, group); gamma and
    beta hold one value per GROUP (MXNet 1.9.1). Mean and std outputs are (N, num_groups)."""
    groups = params.num_groups
    if data.ndim < 3 or data.shape[1] % groups:
        raise MXNetError('GroupNorm: data %s needs 3 or more dims and channels divisible by '
                         'num_groups=%d' % (data.shape, groups))
    grouped_shape = (data.shape[0], groups, -1)
    x = data.astype(jnp.promote_types(data.dtype, jnp.float32)).reshape(grouped_shape)
    mean, var = _moments(x, 2)
    std = jnp.sqrt(var + _eps(params))
    out = _scale_shift((x - mean) / std, gamma, beta, 1).reshape(data.shape)
    stats_shape = (data.shape[0], groups)
    return _with_stats(*(v.reshape(shape).astype(data.dtype) for v, shape in (
        (out, data.shape), (mean, stats_shape), (std, stats_shape))))


# ---------------------------------------------------------------------------- L2Normalization
L2_NORM_AXES = {'instance': lambda ndim: tuple(range(1, ndim)), 'channel': lambda ndim: 1,
                'spatial': lambda ndim: tuple(range(2, ndim))}


@register('L2Normalization', outputs=('output', 'norm'), num_visible=lambda p: 1,
          params={'eps': Param(Float(), 1e-10),
                  'mode': Param(Enum('channel', 'instance', 'spatial'), 'instance')})
def l2_normalization(params, ctx, data):
    """x / sqrt(sum(x^2) + eps), the sum over all but the batch axis ('instance'), over the
    channel axis ('channel') or over the spatial axes ('spatial'). Hidden output: the norm,
    shaped (N,), (N, 1, spatial...) or (N, C)."""
    if params.mode != 'instance' and data.ndim < 3:
        raise MXNetError('L2Normalization: mode=%s needs 3 or more dims, data is %s'
                         % (params.mode, data.shape))
    axes = L2_NORM_AXES[params.mode](data.ndim)
    eps = np.asarray(np.float32(params.eps), data.dtype)
    norm = jnp.sqrt(jnp.sum(jnp.square(data), axis=axes, keepdims=True) + eps)
    if params.mode == 'instance':
        norm_out = norm.reshape(data.shape[0])
    elif params.mode == 'spatial':
        norm_out = norm.reshape(data.shape[:2])
    else:
        norm_out = norm
    return data / norm, norm_out


# ---------------------------------------------------------------------------- LRN
@register('LRN', outputs=('output', 'tmp_norm'), num_visible=lambda p: 1,
          params={'alpha': Param(Float(), 1e-4), 'beta': Param(Float(), 0.75),
                  'knorm': Param(Float(), 2.0), 'nsize': Param(Int())})
def lrn(params, ctx, data):
    """Local response normalisation across channels: x / (knorm + alpha/nsize * sum of x^2
    over the channels within (nsize-1)//2 of x's)^beta. An even nsize thus sums one channel
    fewer than it divides by, as MXNet's CPU (oneDNN) kernel does. Hidden output: the
    denominator's base."""
    half = (params.nsize - 1) // 2
    size = 2 * half + 1
    window = (1, size) + (1,) * (data.ndim - 2)
    padding = ((0, 0), (half, half)) + ((0, 0),) * (data.ndim - 2)
    summed = lax.reduce_window(jnp.square(data), np.array(0, data.dtype), lax.add, window,
                               (1,) * data.ndim, padding)
    alpha, knorm, beta = (np.float32(params[name]) for name in ('alpha', 'knorm', 'beta'))
    norm = summed * (alpha / np.float32(params.nsize)) + knorm
    return data * norm ** -beta, norm
