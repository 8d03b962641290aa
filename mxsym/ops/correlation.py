"""Correlation: FlowNet's correlation layer, comparing patches of two feature maps."""
import math

import jax.numpy as jnp
import numpy as np
from jax import lax

from ..base import MXNetError
from ..ops_registry import Bool, Int, Param, register


def _geometry(params, height, width):
    """(output height, output width, neighbourhood grid radius) of a Correlation node."""
    border = params.max_displacement + (params.kernel_size - 1) // 2
    padded_h, padded_w = height + 2 * params.pad_size, width + 2 * params.pad_size
    out_h = math.ceil((padded_h - 2 * border) / params.stride1)
    out_w = math.ceil((padded_w - 2 * border) / params.stride1)
    if out_h < 1 or out_w < 1:
        raise MXNetError('Correlation cannot be done with current settings: neighborhood and '
                         'kernel (max_displacement=%d, kernel_size=%d) do not fit in data of '
                         '%dx%d padded by %d' % (params.max_displacement, params.kernel_size,
                                                 height, width, params.pad_size))
    return out_h, out_w, params.max_displacement // params.stride2


def _difference(a, b):
    """|a - b| whose gradient with respect to a is +1 where a >= b, as MXNet's kernel takes it."""
    diff = a - b
    return jnp.where(diff >= 0, diff, -diff)


def _types(params, in_types, out_types):
    dtype = next((t for t in list(in_types) + list(out_types) if t is not None), None)
    return [dtype] * len(in_types), [dtype] * len(out_types)


@register('Correlation', inputs=('data1', 'data2'), outputs=('output', 'tmp1', 'tmp2'),
          num_visible=lambda p: 1, infer_type=_types,
          params={'kernel_size': Param(Int(lower=0), 1),
                  'max_displacement': Param(Int(lower=0), 1),
                  'stride1': Param(Int(lower=0), 1), 'stride2': Param(Int(lower=0), 1),
                  'pad_size': Param(Int(lower=0), 0), 'is_multiply': Param(Bool(), True)})
def correlation(params, ctx, data1, data2):
    """out[n, d, i, j]: the mean over channels and a kernel_size window of data1 at
    (i, j) * stride1 + max_displacement (after zero padding) times (or minus, in absolute
    value, with is_multiply off) data2 at that point shifted by displacement d, the
    displacements being a (2r+1)^2 grid of steps of stride2, r = max_displacement // stride2.
    Hidden outputs: both inputs padded, channels last."""
    if data1.ndim != 4 or data1.shape != data2.shape:
        raise MXNetError('Correlation: data1 %s and data2 %s must be 4-D and of one shape'
                         % (data1.shape, data2.shape))
    if params.kernel_size % 2 == 0:
        raise MXNetError('Correlation: kernel size should be odd number, got %d'
                         % params.kernel_size)
    batch, channels, height, width = data1.shape
    out_h, out_w, radius = _geometry(params, height, width)
    pad = ((0, 0), (0, 0)) + ((params.pad_size, params.pad_size),) * 2
    padded1, padded2 = jnp.pad(data1, pad), jnp.pad(data2, pad)
    kernel, stride, start = params.kernel_size, params.stride1, params.max_displacement
    rows, cols = (out_h - 1) * stride + kernel, (out_w - 1) * stride + kernel
    first = padded1[:, :, start:start + rows, start:start + cols]
    maps = []
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            y, x = start + dy * params.stride2, start + dx * params.stride2
            second = padded2[:, :, y:y + rows, x:x + cols]
            pair = first * second if params.is_multiply else _difference(first, second)
            maps.append(jnp.sum(pair, axis=1))
    summed = lax.reduce_window(jnp.stack(maps, axis=1), np.array(0, data1.dtype), lax.add,
                               (1, 1, kernel, kernel), (1, 1, stride, stride), 'VALID')
    out = summed / np.array(kernel * kernel * channels, data1.dtype)
    return (out,) + tuple(lax.stop_gradient(jnp.transpose(padded, (0, 2, 3, 1)))
                          for padded in (padded1, padded2))
