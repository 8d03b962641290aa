"""Deformable convolutions: each kernel tap samples the data (bilinearly) at its place shifted
by a learned offset, and in the modulated form is scaled by a learned mask."""
import jax.numpy as jnp
import numpy as np

from ..base import MXNetError
from ..ops_registry import Bool, Enum, Int, Param, Shape, register
from .rules import check_window_params


def _out_size(size, kernel, stride, pad, dilate):
    return (size + 2 * pad - dilate * (kernel - 1) - 1) // stride + 1


def _window(params):
    """(stride, dilate, pad) with MXNet's defaults filled in."""
    return (params.stride or (1, 1), params.dilate or (1, 1), params.pad or (0, 0))


def _corner(flat, rows, cols, width):
    """flat (N, C, H*W) read at integer rows, cols (N, C, P)."""
    return jnp.take_along_axis(flat, (rows * width + cols).astype(jnp.int32), axis=2)


def bilinear_clamped(data, rows, cols):
    """data (N, C, H, W) sampled at rows, cols (N, C, P), as MXNet's CPU DeformableConvolution
    samples: 0 outside [0, H) x [0, W); a point past the last row (column) reads that row
    (column)."""
    height, width = data.shape[2:]
    inside = (rows >= 0) & (cols >= 0) & (rows < height) & (cols < width)
    rows = jnp.clip(jnp.where(rows >= height - 1, height - 1, rows), 0, height - 1)
    cols = jnp.clip(jnp.where(cols >= width - 1, width - 1, cols), 0, width - 1)
    top, left = jnp.floor(rows), jnp.floor(cols)
    bottom, right = jnp.minimum(top + 1, height - 1), jnp.minimum(left + 1, width - 1)
    down, across = rows - top, cols - left
    flat = data.reshape(data.shape[:2] + (-1,))
    value = ((1 - down) * ((1 - across) * _corner(flat, top, left, width)
                           + across * _corner(flat, top, right, width))
             + down * ((1 - across) * _corner(flat, bottom, left, width)
                       + across * _corner(flat, bottom, right, width)))
    return jnp.where(inside, value, jnp.zeros((), data.dtype))


def bilinear_zero_padded(data, rows, cols):
    """data (N, C, H, W) sampled at rows, cols (N, C, P) with the data taken as zero outside
    it; 0 for points outside (-1, H) x (-1, W)."""
    height, width = data.shape[2:]
    inside = (rows > -1) & (cols > -1) & (rows < height) & (cols < width)
    top, left = jnp.floor(rows), jnp.floor(cols)
    down, across = rows - top, cols - left
    flat = data.reshape(data.shape[:2] + (-1,))
    zero = jnp.zeros((), data.dtype)

    def corner(row, col):
        valid = (row >= 0) & (row <= height - 1) & (col >= 0) & (col <= width - 1)
        value = _corner(flat, jnp.clip(row, 0, height - 1), jnp.clip(col, 0, width - 1), width)
        return jnp.where(valid, value, zero)
    value = ((1 - down) * ((1 - across) * corner(top, left) + across * corner(top, left + 1))
             + down * ((1 - across) * corner(top + 1, left) + across * corner(top + 1, left + 1)))
    return jnp.where(inside, value, zero)


def _deformable_convolution(params, data, offset, weight, bias, mask, sample):
    """Convolution whose tap k at output point p reads data at p's window place plus
    offset[:, 2 * (g * K + k) + (0 for rows, 1 for columns), p], channels split into
    num_deformable_group groups g; `mask` (or None) scales each sample."""
    if data.ndim != 4 or len(params.kernel) != 2:
        raise MXNetError('only 2-D kernels on 4-D data are implemented, got kernel %s and data '
                         '%s' % (params.kernel, data.shape))
    (batch, channels, height, width), groups = data.shape, params.num_deformable_group
    stride, dilate, pad = _window(params)
    out_h, out_w = (_out_size(*args) for args in zip((height, width), params.kernel, stride,
                                                        pad, dilate))
    taps = params.kernel[0] * params.kernel[1]
    if channels % groups or offset.shape != (batch, 2 * groups * taps, out_h, out_w):
        raise MXNetError('offset has shape %s but data %s with num_deformable_group=%d and '
                         'kernel %s needs (%d, %d, %d, %d)'
                         % (offset.shape, data.shape, groups, params.kernel, batch,
                            2 * groups * taps, out_h, out_w))
    tap_rows, tap_cols = np.meshgrid(np.arange(params.kernel[0]) * dilate[0],
                                     np.arange(params.kernel[1]) * dilate[1], indexing='ij')
    grid_rows = np.arange(out_h)[:, None] * stride[0] - pad[0]
    grid_cols = np.arange(out_w)[None, :] * stride[1] - pad[1]
    place_rows = tap_rows.reshape(-1, 1, 1) + grid_rows          # (K, OH, OW)
    place_cols = tap_cols.reshape(-1, 1, 1) + grid_cols
    offset = offset.reshape(batch, groups, taps, 2, out_h, out_w)
    per_group = channels // groups

    def per_channel(value):   # (N, G, K, OH, OW) -> (N, C, K * OH * OW)
        return jnp.repeat(value.reshape(batch, groups, -1), per_group, axis=1)
    rows = per_channel(offset[:, :, :, 0] + place_rows.astype(data.dtype))
    cols = per_channel(offset[:, :, :, 1] + place_cols.astype(data.dtype))
    columns = sample(data, rows, cols)
    if mask is not None:
        columns = columns * per_channel(mask)
    convs = params.num_group
    columns = columns.reshape(batch, convs, channels // convs * taps, out_h * out_w)
    kernel = weight.reshape(convs, params.num_filter // convs, -1)
    out = jnp.einsum('gfk,ngkp->ngfp', kernel, columns).reshape(
        batch, params.num_filter, out_h, out_w)
    if bias is not None:
        out = out + bias.reshape(1, -1, 1, 1)
    return (out,)


def _param_shapes(params, in_shapes):
    data = in_shapes[0]
    if data is None:
        return {}
    if data[1] % params.num_group:
        raise MXNetError('input data has %d channels (shape %s), which num_group=%d does not '
                         'divide' % (data[1], tuple(data), params.num_group))
    shapes = {'weight': (params.num_filter, data[1] // params.num_group) + tuple(params.kernel)}
    if not params.no_bias:
        shapes['bias'] = (params.num_filter,)
    return shapes


def _params(bounded):
    """The parameters of both ops; `bounded` ints are MXNet's non-negative ones."""
    count = Int(lower=0) if bounded else Int()
    return {'kernel': Param(Shape()), 'stride': Param(Shape(), ()),
            'dilate': Param(Shape(), ()), 'pad': Param(Shape(), ()),
            'num_filter': Param(count), 'num_group': Param(count, 1),
            'num_deformable_group': Param(count, 1), 'workspace': Param(Int(lower=0), 1024),
            'no_bias': Param(Bool(), False)}


LAYOUT = Param(Enum('None', 'NCDHW', 'NCHW', 'NCW'), None)
CHECK_WINDOW = check_window_params('convolution', ('stride', 'dilate', 'pad'))


@register('_contrib_DeformableConvolution', inputs=('data', 'offset', 'weight', 'bias'),
          params=dict(_params(False), layout=LAYOUT), check_params=CHECK_WINDOW,
          used_inputs=lambda p: ('data', 'offset', 'weight') + (() if p.no_bias else ('bias',)),
          param_shapes=_param_shapes)
def deformable_convolution(params, ctx, data, offset, weight, bias=None):
    """2-D deformable convolution (Dai et al. 2017): offset (N, 2 * G * kh * kw, OH, OW)
    shifts each tap, rows then columns."""
    return _deformable_convolution(params, data, offset, weight, bias, None, bilinear_clamped)


@register('_contrib_ModulatedDeformableConvolution',
          inputs=('data', 'offset', 'mask', 'weight', 'bias'),
          params=dict(_params(True), im2col_step=Param(Int(lower=0), 64), layout=LAYOUT),
          check_params=CHECK_WINDOW,
          used_inputs=lambda p: ('data', 'offset', 'mask', 'weight')
          + (() if p.no_bias else ('bias',)),
          param_shapes=_param_shapes)
def modulated_deformable_convolution(params, ctx, data, offset, mask, weight, bias=None):
    """2-D modulated deformable convolution (Zhu et al. 2019): as DeformableConvolution, each
    sample also scaled by mask (N, G * kh * kw, OH, OW)."""
    groups, taps = params.num_deformable_group, params.kernel[0] * params.kernel[1]
    mask = mask.reshape(mask.shape[0], groups, taps, *mask.shape[2:])
    return _deformable_convolution(params, data, offset, weight, bias, mask,
                                   bilinear_zero_padded)
