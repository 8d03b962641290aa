"""im2col and col2im: sliding blocks of an image as columns, and columns summed back into an
image (each the other's gradient)."""
import functools
import itertools
import math

import jax
import jax.numpy as jnp
from jax import lax

from ..base import MXNetError
from ..ops_registry import Param, Shape, register
from .rules import check_window_params

SLIDING_PARAMS = {'kernel': Param(Shape()), 'stride': Param(Shape(), ()),
                  'dilate': Param(Shape(), ()), 'pad': Param(Shape(), ())}


def _window(params):
    """(stride, dilate, pad) with MXNet's defaults filled in."""
    rank = len(params.kernel)
    return (params.stride or (1,) * rank, params.dilate or (1,) * rank,
            params.pad or (0,) * rank)


def _check_window(params):
    check_window_params('convolution', ('stride', 'dilate', 'pad'))(params)
    for name in ('kernel', 'stride', 'dilate'):
        if params[name] and math.prod(params[name]) <= 0:
            raise MXNetError('incorrect %s size: %s' % (name, params[name]))


def _im2col(params, data):
    """(N, C * prod(kernel), L): for each channel and kernel offset (channel slowest), the
    padded data at that offset of each of the L sliding blocks, row-major."""
    stride, dilate, pad = _window(params)
    spatial = data.shape[2:]
    padded = jnp.pad(data, ((0, 0), (0, 0)) + tuple((p, p) for p in pad))
    out_size = []
    for size, k, s, d, p in zip(spatial, params.kernel, stride, dilate, pad):
        reach = d * (k - 1) + 1
        if reach > size + 2 * p:
            raise MXNetError('kernel size exceed input: kernel %s (dilate %s) on data %s '
                             'padded by %s' % (params.kernel, dilate, data.shape, pad))
        out_size.append((size + 2 * p - reach) // s + 1)
    columns = []
    for offset in itertools.product(*(range(k) for k in params.kernel)):
        start = (0, 0) + tuple(o * d for o, d in zip(offset, dilate))
        limit = data.shape[:2] + tuple(b + (n - 1) * s + 1
                                       for b, n, s in zip(start[2:], out_size, stride))
        columns.append(lax.slice(padded, start, limit, (1, 1) + tuple(stride)))
    stacked = jnp.stack(columns, axis=2)
    return stacked.reshape(data.shape[0], -1, math.prod(out_size))


@register('im2col', params=SLIDING_PARAMS, check_params=_check_window)
def im2col(params, ctx, data):
    """Sliding blocks of (N, C, *spatial) data as columns (N, C * prod(kernel), L), L the
    number of blocks (the spatial size of a convolution with these params)."""
    return (_im2col(params, data),)


@register('col2im', params=dict({'output_size': Param(Shape())}, **SLIDING_PARAMS),
          check_params=_check_window)
def col2im(params, ctx, data):
    """Columns (N, C * prod(kernel), L) summed back into an image (N, C, *output_size):
    the transpose of im2col, overlapping blocks adding up."""
    if len(params.output_size) != len(params.kernel):
        raise MXNetError('col2im: output_size %s must have as many dims as kernel %s'
                         % (params.output_size, params.kernel))
    block = math.prod(params.kernel)
    if data.ndim != 3 or data.shape[1] % block:
        raise MXNetError('col2im: data %s must be (N, C * %d, L)' % (data.shape, block))
    image = jax.ShapeDtypeStruct((data.shape[0], data.shape[1] // block)
                                 + tuple(params.output_size), data.dtype)
    columns = jax.eval_shape(functools.partial(_im2col, params), image)
    if columns.shape != data.shape:
        raise MXNetError('col2im: data %s does not fit output_size %s: im2col gives %s'
                         % (data.shape, params.output_size, columns.shape))
    return jax.linear_transpose(functools.partial(_im2col, params), image)(data)
