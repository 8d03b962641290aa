"""Normalisation layers: BatchNorm (and its first version BatchNorm_v1, and SyncBatchNorm on one
device), InstanceNorm, LayerNorm, GroupNorm, L2Normalization and LRN."""
import functools

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from ..base import MXNetError
from ..ops_registry import (Bool, Enum, Float, Int, Optional, Param, Params, Str, onnx_form,
                            register)
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


@onnx_form('InstanceNorm')
def _instance_norm_onnx(g, params, data, gamma, beta):
    return [g.op('InstanceNormalization', data, gamma, beta, epsilon=_eps(params))]


def _normalized_onnx(g, x, axes, eps):
    """(x - mean) / sqrt(var + eps), the moments over `axes`."""
    centered = g.op('Sub', x, g.axes_input('ReduceMean', x, axes, keepdims=1))
    var = g.axes_input('ReduceMean', g.op('Mul', centered, centered), axes, keepdims=1)
    eps = g.const(eps, g.in_dtypes[0])
    return g.op('Div', centered, g.op('Sqrt', g.op('Add', var, eps)))


def _scale_shift_onnx(g, x, gamma, beta, trailing):
    """x * gamma + beta, gamma and beta laid along the axis `trailing` axes before the last."""
    if trailing:
        shape = g.ints([-1] + [1] * trailing)
        gamma, beta = g.op('Reshape', gamma, shape), g.op('Reshape', beta, shape)
    return g.op('Add', g.op('Mul', x, gamma), beta)


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


@onnx_form('LayerNorm')
def _layer_norm_onnx(g, params, data, gamma, beta):
    if params.output_mean_var:
        g.refuse('output_mean_var: its mean and std outputs have no ONNX form')
    ndim = len(g.in_shapes[0])
    axis = check_axis(params.axis, ndim)
    if g.opset >= 17 and axis == ndim - 1:   # ONNX's normalises over every axis from `axis`
        return [g.op('LayerNormalization', data, gamma, beta, axis=axis, epsilon=_eps(params))]
    normalized = _normalized_onnx(g, data, [axis], _eps(params))
    return [_scale_shift_onnx(g, normalized, gamma, beta, ndim - 1 - axis)]


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


@onnx_form('GroupNorm')
def _group_norm_onnx(g, params, data, gamma, beta):
    if params.output_mean_var:
        g.refuse('output_mean_var: its mean and std outputs have no ONNX form')
    grouped = g.op('Reshape', data, g.ints([0, params.num_groups, -1]))
    out = _scale_shift_onnx(g, _normalized_onnx(g, grouped, [2], _eps(params)), gamma, beta, 1)
    return [g.op('Reshape', out, g.op('Shape', data))]


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


@onnx_form('L2Normalization')
def _l2_normalization_onnx(g, params, data):
    axes = L2_NORM_AXES[params.mode](len(g.in_shapes[0]))
    axes = list(axes) if isinstance(axes, tuple) else [axes]
    squares = g.axes_input('ReduceSum', g.op('Mul', data, data), axes, keepdims=1)
    eps = g.const(np.float32(params.eps), g.in_dtypes[0])
    return [g.op('Div', data, g.op('Sqrt', g.op('Add', squares, eps)))]


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


# ---------------------------------------------------------------------------- BatchNorm
def _bn_param_shapes(params, in_shapes):
    data = in_shapes[0]
    if data is None:
        return {}
    channels = (data[check_axis(params.axis, len(data))],)
    return {'gamma': channels, 'beta': channels, 'moving_mean': channels, 'moving_var': channels}


def _bn_types(params, in_types, out_types):
    """Half-precision data (float16, or bfloat16 from AMP) keeps float32 gamma, beta and
    statistics, as MXNet does."""
    data = in_types[0] or out_types[0]
    if data is None:
        return in_types, out_types
    param_type = 'float32' if data in ('float16', 'bfloat16') else data
    return [data] + [param_type] * 4, [data, param_type, param_type]


def _half(value):
    """A float32 value rounded to float16 and back: MXNet's CPU kernel for float16 data rounds
    the result of each operation that has a float16 operand."""
    return value.astype(jnp.float16).astype(jnp.float32)


@functools.partial(jax.custom_vjp, nondiff_argnums=(5, 6))
def _batch_norm_half(data, gamma, beta, mean, inv_std, fix_gamma, batch_stats):
    """BatchNorm of float16 data as MXNet's CPU kernel computes it (oneDNN takes float32 only):
    statistics in float32, each elementwise step rounded to float16, and a hand-written
    backward whose rounding differs from autodiff's (the gamma gradient sums float16 products
    of the centred data and the head gradient)."""
    return _batch_norm_half_fwd(data, gamma, beta, mean, inv_std, fix_gamma, batch_stats)[0]


def _batch_norm_half_fwd(data, gamma, beta, mean, inv_std, fix_gamma, batch_stats):
    shape = mean.shape
    centred = _half(data.astype(jnp.float32) - mean)
    y = _half(centred * inv_std)
    if not fix_gamma:
        y = _half(y * gamma.reshape(shape))
    y = _half(y + beta.reshape(shape))
    return y.astype(jnp.float16), (centred, gamma, mean, inv_std)


def _batch_norm_half_bwd(fix_gamma, batch_stats, residuals, head):
    centred, gamma, mean, inv_std = residuals
    axes = tuple(i for i, size in enumerate(mean.shape) if size == 1)
    head = head.astype(jnp.float32)
    count = head.size // gamma.size
    sum_head = jnp.sum(head, axis=axes, keepdims=True)
    dot = jnp.sum(_half(centred * head), axis=axes, keepdims=True)
    scale = inv_std if fix_gamma else inv_std * gamma.reshape(mean.shape)
    if batch_stats:
        projection = _half(centred * (dot * inv_std * inv_std / count))
        grad_data = _half(_half(_half(head - sum_head / count) - projection) * scale)
    else:
        grad_data = _half(head * scale)
    grad_gamma = jnp.zeros_like(gamma) if fix_gamma else (dot * inv_std).reshape(gamma.shape)
    return (grad_data.astype(jnp.float16), grad_gamma, sum_head.reshape(gamma.shape),
            jnp.zeros_like(mean), jnp.zeros_like(inv_std))


_batch_norm_half.defvjp(_batch_norm_half_fwd, _batch_norm_half_bwd)


def _gamma(params, gamma):
    return jnp.ones_like(gamma) if params.fix_gamma else gamma


def _per_channel(value, axis, ndim):
    """A vector of channel values shaped to broadcast along `axis` of an ndim array."""
    shape = [1] * ndim
    shape[axis] = value.shape[0]
    return value.reshape(shape)


@functools.partial(jax.custom_vjp, nondiff_argnums=(3, 4))
def _normalize_with_batch_stats(x, gamma, beta, axis, eps):
    """Training BatchNorm of float32/64 data by its own statistics: (y, mean, var). The
    backward is the textbook one, one pass reducing the head gradient and its product with
    the centred data and one elementwise pass for the data gradient, where autodiff of the
    forward takes several more passes over the activations. The statistics pass no gradient
    back (BatchNorm's callers stop it)."""
    return _normalize_with_batch_stats_fwd(x, gamma, beta, axis, eps)[0]


def _channel_moments(x, axis):
    """Mean and (biased) variance of each channel: over every axis but `axis`."""
    reduce_axes = tuple(i for i in range(x.ndim) if i != axis)
    mean = jnp.mean(x, axis=reduce_axes)
    return mean, jnp.mean(jnp.square(x - _per_channel(mean, axis, x.ndim)), axis=reduce_axes)


def _normalize_with_batch_stats_fwd(x, gamma, beta, axis, eps):
    mean, var = _channel_moments(x, axis)
    centred = x - _per_channel(mean, axis, x.ndim)
    inv_std = lax.rsqrt(var + eps)
    y = centred * _per_channel(inv_std * gamma, axis, x.ndim) + _per_channel(beta, axis, x.ndim)
    return (y, mean, var), (x, mean, inv_std, gamma)


def _normalize_with_batch_stats_bwd(axis, eps, residuals, heads):
    x, mean, inv_std, gamma = residuals
    head = heads[0]
    reduce_axes = tuple(i for i in range(x.ndim) if i != axis)
    count = x.size // x.shape[axis]
    centred = x - _per_channel(mean, axis, x.ndim)
    sum_head = jnp.sum(head, axis=reduce_axes)
    head_dot_centred = jnp.sum(head * centred, axis=reduce_axes)
    grad_x = (head - _per_channel(sum_head / count, axis, x.ndim)
              - centred * _per_channel(head_dot_centred * inv_std * inv_std / count, axis,
                                       x.ndim)) * _per_channel(inv_std * gamma, axis, x.ndim)
    return grad_x, head_dot_centred * inv_std, sum_head


_normalize_with_batch_stats.defvjp(_normalize_with_batch_stats_fwd,
                                   _normalize_with_batch_stats_bwd)


MOVING_STATS_INIT = {'moving_mean': {'__init__': '["zero", {}]'},
                     'moving_var': {'__init__': '["one", {}]'}}


@register('BatchNorm', inputs=('data', 'gamma', 'beta', 'moving_mean', 'moving_var'),
          aux=('moving_mean', 'moving_var'), outputs=('output', 'mean', 'var'),
          num_visible=lambda p: 3 if p.output_mean_var else 1, reads_mode=True,
          params={'eps': Param(Float(), 1e-3), 'momentum': Param(Float(), 0.9),
                  'fix_gamma': Param(Bool(), True), 'use_global_stats': Param(Bool(), False),
                  'output_mean_var': Param(Bool(), False), 'axis': Param(Int(), 1),
                  'cudnn_off': Param(Bool(), False),
                  'min_calib_range': Param(Optional(Float()), None),
                  'max_calib_range': Param(Optional(Float()), None)},
          input_var_attrs=MOVING_STATS_INIT, param_shapes=_bn_param_shapes, infer_type=_bn_types,
          fills_inputs=lambda p: {'gamma': 1} if p.fix_gamma else {},
          channels_last=lambda p: _batch_norm_channels_last if p.axis == 1 else None)
def batch_norm(params, ctx, data, gamma, beta, moving_mean, moving_var):
    """Normalise over every axis but `axis`; training uses batch statistics and updates the
    moving ones, inference uses the moving ones. Outputs (y, mean, inverse std); the two
    statistics outputs pass no gradient back. With fix_gamma, gamma is taken as ones."""
    axis = check_axis(params.axis, data.ndim)
    compute_type = jnp.promote_types(data.dtype, jnp.float32)
    x = data.astype(compute_type)
    # MXNet rounds eps and momentum to float32 (the default is a float literal); its kernel then
    # casts eps to the data type, float16 included.
    eps = float(np.dtype(data.dtype).type(np.float32(params.eps)))
    momentum = float(np.float32(params.momentum))
    batch_stats = ctx.is_train and not params.use_global_stats
    if batch_stats and data.dtype != jnp.float16:
        y, mean, var = _normalize_with_batch_stats(x, _gamma(params, gamma), beta, axis, eps)
    elif batch_stats:
        mean, var = _channel_moments(x, axis)
    else:
        mean, var = moving_mean.astype(compute_type), moving_var.astype(compute_type)
    inv_std = lax.rsqrt(var + eps)
    if data.dtype == jnp.float16:
        y = _batch_norm_half(data, gamma, beta,
                             lax.stop_gradient(_per_channel(mean, axis, data.ndim)),
                             lax.stop_gradient(_per_channel(inv_std, axis, data.ndim)),
                             params.fix_gamma, batch_stats)
    elif not batch_stats:
        y = (x - _per_channel(mean, axis, x.ndim)) * _per_channel(
            inv_std * _gamma(params, gamma), axis, x.ndim) + _per_channel(beta, axis, x.ndim)
    new_mean, new_var = moving_mean, moving_var
    if batch_stats:
        new_mean = (moving_mean * momentum
                    + lax.stop_gradient(mean).astype(moving_mean.dtype) * (1 - momentum))
        new_var = (moving_var * momentum
                   + lax.stop_gradient(var).astype(moving_var.dtype) * (1 - momentum))
    stats = lax.stop_gradient(mean).astype(gamma.dtype), lax.stop_gradient(inv_std).astype(
        gamma.dtype)
    return (y.astype(data.dtype),) + stats, (new_mean, new_var)


def _batch_norm_channels_last(params, ctx, data, *rest):
    return batch_norm(Params(params, axis=-1), ctx, data, *rest)


@onnx_form('BatchNorm')
def _batch_norm_onnx(g, params, data, gamma, beta, moving_mean, moving_var):
    """Inference's form, normalising by the moving statistics."""
    if check_axis(params.axis, len(g.in_shapes[0])) != 1:
        g.refuse('axis=%d: ONNX normalises along axis 1' % params.axis)
    if params.fix_gamma:
        gamma = g.const(np.ones(g.in_shapes[1], g.in_dtypes[1]))
    eps = float(np.dtype(g.in_dtypes[0]).type(np.float32(params.eps)))
    return [g.op('BatchNormalization', data, gamma, beta, moving_mean, moving_var, epsilon=eps)]


# ---------------------------------------------------------------- BatchNorm_v1, SyncBatchNorm
LEGACY_BN_PARAMS = {'eps': Param(Float(), 1e-3), 'momentum': Param(Float(), 0.9),
                    'fix_gamma': Param(Bool(), True), 'use_global_stats': Param(Bool(), False),
                    'output_mean_var': Param(Bool(), False)}


def legacy_batch_norm(params, ctx, data, gamma, beta, moving_mean, moving_var):
    """BatchNorm over axis 1 as its first version computes it: outputs (y, mean, variance),
    the statistics being the batch's in training and the moving ones otherwise (and passing
    no gradient back); training updates the moving statistics. With fix_gamma, gamma is
    taken as ones."""
    axes = (0,) + tuple(range(2, data.ndim))
    x = data.astype(jnp.promote_types(data.dtype, jnp.float32))
    gamma = _per_channel(_gamma(params, gamma), 1, x.ndim)
    beta = _per_channel(beta, 1, x.ndim)
    eps, momentum = np.float32(params.eps), np.float32(params.momentum)
    if ctx.is_train and not params.use_global_stats:
        mean = jnp.mean(x, axis=axes)
        centred = x - _per_channel(mean, 1, x.ndim)
        var = jnp.mean(jnp.square(centred), axis=axes)
        y = gamma * centred / jnp.sqrt(_per_channel(var, 1, x.ndim) + eps) + beta
        mean, var = lax.stop_gradient(mean), lax.stop_gradient(var)
        new_aux = tuple(moving * momentum + stat.astype(moving.dtype) * (1 - momentum)
                        for moving, stat in ((moving_mean, mean), (moving_var, var)))
    else:
        mean, var = moving_mean.astype(x.dtype), moving_var.astype(x.dtype)
        scale = gamma / jnp.sqrt(_per_channel(var, 1, x.ndim) + eps)
        y = scale * x + (beta - scale * _per_channel(mean, 1, x.ndim))
        new_aux = (moving_mean, moving_var)
    stats = tuple(stat.astype(moving_mean.dtype) for stat in (mean, var))
    return (y.astype(data.dtype),) + stats, new_aux


LEGACY_BN = dict(inputs=('data', 'gamma', 'beta', 'moving_mean', 'moving_var'),
                 aux=('moving_mean', 'moving_var'), outputs=('output', 'mean', 'var'),
                 num_visible=lambda p: 3 if p.output_mean_var else 1, reads_mode=True,
                 param_shapes=lambda p, ins: _bn_param_shapes(Params(axis=1), ins),
                 infer_type=_bn_types, input_var_attrs=MOVING_STATS_INIT,
                 fills_inputs=lambda p: {'gamma': 1} if p.fix_gamma else {})
register('BatchNorm_v1', params=LEGACY_BN_PARAMS, **LEGACY_BN)(legacy_batch_norm)
register('_contrib_SyncBatchNorm', **LEGACY_BN,
         params=dict(LEGACY_BN_PARAMS, ndev=Param(Int(), 1), key=Param(Str())))(
             legacy_batch_norm)
