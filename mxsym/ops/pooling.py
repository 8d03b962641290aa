"""Pooling: max, average, sum and Lp windows in 1, 2 and 3 dimensions, global pooling, MXNet's
'valid', 'full' and 'same' conventions; channels-last inside a program like convolutions."""
import functools
import itertools
import math

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from ..base import MXNetError
from ..ops_registry import Bool, Enum, Int, Optional, Param, Shape, onnx_form, register
from .rules import check_window_params


# ---------------------------------------------------------------------------- Pooling
_CHECK_WINDOW = check_window_params('pooling', ('stride', 'pad'), longer_ok=True)


def _pool_geometry(params, spatial_shape):
    """(kernel, stride, pad_lo, pad_hi) per spatial axis, MXNet's conventions applied."""
    if params.global_pool:
        ndim = len(spatial_shape)
        return tuple(spatial_shape), (1,) * ndim, (0,) * ndim, (0,) * ndim
    kernel = tuple(params.kernel)
    stride = tuple(params.stride)[:len(kernel)] or (1,) * len(kernel)
    pad = tuple(params.pad)[:len(kernel)] or (0,) * len(kernel)
    pad_hi = []
    for size, k, s, p in zip(spatial_shape, kernel, stride, pad):
        if params.pooling_convention == 'full':
            out = int(math.ceil((size + 2 * p - k) / s)) + 1
        elif params.pooling_convention == 'same':
            out = int(math.ceil((size + 2 * p) / s))
        else:
            out = (size + 2 * p - k) // s + 1
        pad_hi.append(max((out - 1) * s + k - size - p, p))
    return kernel, stride, pad, tuple(pad_hi)


def _check_same_convention(params, data_shape):
    """MXNet's 'same' convention pools 1-D data only, and reads pad as three zeros (a
    parameter left out is one zero per kernel dimension, three without a kernel)."""
    if len(data_shape) != 3:
        raise MXNetError("Pooling: the 'same' convention pools 1-D data only, (batch, channel, "
                         "x), but data has shape %s" % (tuple(data_shape),))
    pad = tuple(params.pad) or (0,) * (len(params.kernel) if params.kernel else 3)
    if len(pad) < 3 or any(pad[:3]):
        raise MXNetError("Pooling: the 'same' convention disables pad, which must be given as "
                         "(0, 0, 0), but pad is %s" % (pad,))


def _pool_outputs(params):
    """Max pooling with a kernel, channels first, has a hidden workspace output in MXNet
    1.9.1's oneDNN build (it shows in the JSON's node_row_ptr)."""
    if params.pool_type == 'max' and params.kernel and _pools_channels_first(params):
        return ('output', 'workspace')
    return ('output',)


@register('Pooling', check_params=_CHECK_WINDOW,
          params={'kernel': Param(Shape(lower=1), ()),
                  'pool_type': Param(Enum('avg', 'lp', 'max', 'sum'), 'max'),
                  'global_pool': Param(Bool(), False), 'cudnn_off': Param(Bool(), False),
                  'pooling_convention': Param(Enum('full', 'same', 'valid'), 'valid'),
                  'stride': Param(Shape(lower=1), ()), 'pad': Param(Shape(lower=0), ()),
                  'p_value': Param(Optional(Int()), None),
                  'count_include_pad': Param(Optional(Bool()), None),
                  'layout': Param(Enum('None', 'NCDHW', 'NCHW', 'NCW', 'NDHWC', 'NHWC', 'NWC'),
                                  None)},
          outputs=_pool_outputs, num_visible=lambda p: 1,
          channels_last=lambda p: _pool_channels_last if _pools_channels_first(p) else None)
def pooling(params, ctx, data):
    """Max, average, sum or Lp pooling over 1-3 spatial axes."""
    return _pool(params, data, channels_first=_pools_channels_first(params))


def _pool_channels_last(params, ctx, data):
    return _pool(params, data, channels_first=False)


ONNX_GLOBAL_POOLS = {'max': 'GlobalMaxPool', 'avg': 'GlobalAveragePool', 'lp': 'GlobalLpPool'}
ONNX_POOLS = {'max': 'MaxPool', 'avg': 'AveragePool', 'lp': 'LpPool'}


@onnx_form('Pooling')
def _pooling_onnx(g, params, data):
    """'full' windows as ONNX's ceil_mode; a sum as a mean times the window where every window
    lies inside the padded data."""
    if not _pools_channels_first(params):
        g.refuse('layout %s: ONNX pools channels-first data' % params.layout)
    lp = {'p': params.p_value} if params.pool_type == 'lp' else {}
    if params.global_pool:
        if params.pool_type == 'sum':
            axes = list(range(2, len(g.in_shapes[0])))
            return [g.axes_input('ReduceSum', data, axes, keepdims=1)]
        return [g.op(ONNX_GLOBAL_POOLS[params.pool_type], data, **lp)]
    if params.pooling_convention == 'same':
        g.refuse("pooling_convention 'same' has no ONNX form")
    kernel, stride, pad, _ = _pool_geometry(params, g.in_shapes[0][2:])
    full = params.pooling_convention == 'full'
    window = dict(kernel_shape=list(kernel), strides=list(stride), pads=list(pad) * 2,
                  ceil_mode=int(full) if params.pool_type != 'lp' else None, **lp)
    if params.pool_type == 'sum':
        if full:
            g.refuse("a sum over 'full' windows has no ONNX form")
        mean = g.op('AveragePool', data, count_include_pad=1, **window)
        return [g.op('Mul', mean, g.const(np.prod(kernel), g.in_dtypes[0]))]
    if params.pool_type == 'lp' and full:
        g.refuse("Lp pooling over 'full' windows has no ONNX form")
    if params.pool_type == 'avg':
        window['count_include_pad'] = int(params.count_include_pad is None
                                          or params.count_include_pad)
    return [g.op(ONNX_POOLS[params.pool_type], data, **window)]


def _pools_channels_first(params):
    """Whether a Pooling node's data has its channels first (the default layouts do)."""
    return not params.layout or params.layout.startswith('NC')


def _pool(params, data, channels_first):
    if params.pooling_convention == 'same':
        _check_same_convention(params, data.shape)
    spatial_axes = tuple(range(2, data.ndim) if channels_first else range(1, data.ndim - 1))
    spatial = tuple(data.shape[a] for a in spatial_axes)
    kernel, stride, pad_lo, pad_hi = _pool_geometry(params, spatial)

    def per_axis(values, fill):
        return (fill,) + tuple(values) if not channels_first else (fill, fill) + tuple(values)
    window, strides = per_axis(kernel, 1), per_axis(stride, 1)
    padding = per_axis(zip(pad_lo, pad_hi), (0, 0))
    if not channels_first:
        window, strides, padding = window + (1,), strides + (1,), padding + ((0, 0),)
    zero = np.array(0, data.dtype)
    if params.pool_type == 'max':
        out = _max_pool(data, window, strides, padding)
    elif params.pool_type == 'lp':
        p = params.p_value
        if p == 1:
            out = lax.reduce_window(data, zero, lax.add, window, strides, padding)
        else:
            summed = lax.reduce_window(jnp.abs(data) ** p, zero, lax.add, window, strides,
                                       padding)
            out = summed ** (1.0 / p)
    else:
        out = lax.reduce_window(data, zero, lax.add, window, strides, padding)
        if params.pool_type == 'avg':
            divisor = _avg_divisor(params, spatial, kernel, stride, pad_lo, pad_hi, data.dtype)
            out = out / (divisor if channels_first else divisor[..., None])
    return (out,) * len(_pool_outputs(params))


def _lowest(dtype):
    return np.array(-np.inf if jnp.issubdtype(dtype, jnp.floating) else jnp.iinfo(dtype).min,
                    dtype)


def _max_pool(data, window, strides, padding):
    """Max pooling; for floating data with small windows its gradient (to each window's first
    maximum, as MXNet's) is computed from one strided slice per window offset, which XLA fuses
    into a few loops, instead of autodiff's scatter."""
    if not jnp.issubdtype(data.dtype, jnp.floating) or math.prod(window) > 16:
        return lax.reduce_window(data, _lowest(data.dtype), lax.max, window, strides, padding)
    return _max_pool_small_window(data, window, strides, padding)


@functools.partial(jax.custom_vjp, nondiff_argnums=(1, 2, 3))
def _max_pool_small_window(data, window, strides, padding):
    return lax.reduce_window(data, _lowest(data.dtype), lax.max, window, strides, padding)


def _max_pool_fwd(data, window, strides, padding):
    return _max_pool_small_window(data, window, strides, padding), data


def _max_pool_bwd(window, strides, padding, data, head):
    """Each window's first maximum is found again from the data (not by comparing with the
    forward's output, which XLA may have computed with other rounding), then the head
    gradient goes back to it through one interior-padded copy per window offset."""
    padded = lax.pad(data, _lowest(data.dtype), [(lo, hi, 0) for lo, hi in padding])
    offsets = list(itertools.product(*(range(k) for k in window)))
    limits = [[o + (n - 1) * s + 1 for o, n, s in zip(offset, head.shape, strides)]
              for offset in offsets]
    candidates = [lax.slice(padded, offset, limit, strides)
                  for offset, limit in zip(offsets, limits)]
    best, first = candidates[0], jnp.zeros(head.shape, np.int32)
    for index, values in enumerate(candidates[1:], 1):
        better = values > best
        best = jnp.where(better, values, best)
        first = jnp.where(better, np.int32(index), first)
    zero = np.array(0, head.dtype)
    grad = jnp.zeros(padded.shape, head.dtype)
    for index, (offset, limit) in enumerate(zip(offsets, limits)):
        grad = grad + lax.pad(jnp.where(first == index, head, zero), zero,
                              [(o, size - end, s - 1) for o, end, size, s
                               in zip(offset, limit, padded.shape, strides)])
    return (lax.slice(grad, [lo for lo, _ in padding],
                      [lo + n for (lo, _), n in zip(padding, data.shape)]),)


_max_pool_small_window.defvjp(_max_pool_fwd, _max_pool_bwd)


def _avg_divisor(params, spatial, kernel, stride, pad_lo, pad_hi, dtype):
    """How many elements each average window divides by: per axis, the window's overlap with
    the counted span (the data, and the low padding on both sides unless count_include_pad is
    off), multiplied across axes inside the program, so shape inference allocates nothing."""
    include_pad = params.count_include_pad is None or params.count_include_pad
    divisor = jnp.ones((), dtype)
    for axis, (size, k, s, lo, hi) in enumerate(zip(spatial, kernel, stride, pad_lo, pad_hi)):
        counted_lo, counted_hi = (-lo, size + lo) if include_pad else (0, size)
        starts = np.arange(0, size + lo + hi - k + 1, s) - lo
        counts = np.minimum(starts + k, counted_hi) - np.maximum(starts, counted_lo)
        shape = [1] * len(spatial)
        shape[axis] = len(starts)
        divisor = divisor * jnp.asarray(np.maximum(counts, 0).reshape(shape), dtype)
    return jnp.maximum(divisor, jnp.ones((), dtype))


# ---------------------------------------------------------------------------- Pooling_v1
@register('Pooling_v1', check_params=_CHECK_WINDOW,
          params={'kernel': Param(Shape(lower=1), ()),
                  'pool_type': Param(Enum('avg', 'max', 'sum'), 'max'),
                  'global_pool': Param(Bool(), False),
                  'pooling_convention': Param(Enum('full', 'valid'), 'valid'),
                  'stride': Param(Shape(lower=1), ()), 'pad': Param(Shape(lower=0), ())})
def pooling_v1(params, ctx, data):
    """Pooling's first version (found in old model files): its padding holds zeros that max
    pooling sees too, windows running past the padded data ('full') stop at its edge, and
    average pooling divides by the whole kernel size."""
    kernel, stride, pad, pad_hi = _pool_geometry(params, data.shape[2:])
    padded = jnp.pad(data, ((0, 0), (0, 0)) + tuple((p, p) for p in pad))
    beyond = ((0, 0), (0, 0)) + tuple((0, hi - p) for p, hi in zip(pad, pad_hi))
    window, strides = (1, 1) + tuple(kernel), (1, 1) + tuple(stride)
    if params.pool_type == 'max':
        return (lax.reduce_window(padded, _lowest(data.dtype), lax.max, window, strides,
                                  beyond),)
    out = lax.reduce_window(padded, np.array(0, data.dtype), lax.add, window, strides, beyond)
    if params.pool_type == 'avg':
        out = out * np.array(np.float32(1) / np.float32(math.prod(kernel)), data.dtype)
    return (out,)
