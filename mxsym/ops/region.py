"""Region-of-interest layers of detection networks: PSROIPooling (position-sensitive ROI
average pooling, R-FCN)."""
import jax.numpy as jnp
import numpy as np
from jax import lax

from ..base import MXNetError
from ..ops_registry import Float, Int, Param, register


def _round_half_away(value):
    """C's round(): halves go away from zero."""
    return jnp.sign(value) * jnp.floor(jnp.abs(value) + 0.5)


def _group_size(params):
    return params.group_size or params.pooled_size


def _psroi_shapes(params, in_shapes, out_shapes, input_names):
    data, rois = in_shapes
    if data is not None and len(data) != 4:
        raise MXNetError('data should be a 4D tensor, got shape %s' % (tuple(data),))
    if rois is not None and (len(rois) != 2 or rois[1] != 5):
        raise MXNetError('rois should be a 2D tensor of shape [num_rois, 5], got %s'
                         % (tuple(rois),))
    out = None
    if rois is not None:
        out = (rois[0], params.output_dim, params.pooled_size, params.pooled_size)
    return [data, rois], [out]


def _bin_masks(start, bin_size, bins, size):
    """(bins, size) masks of the pixels in each of `bins` bins, and each bin's pixel count:
    bin i spans [floor(start + i * bin_size), ceil(start + (i + 1) * bin_size)), clipped."""
    index = jnp.arange(bins, dtype=start.dtype)
    low = jnp.clip(jnp.floor(index * bin_size + start), 0, size)
    high = jnp.clip(jnp.ceil((index + 1) * bin_size + start), 0, size)
    pixels = jnp.arange(size, dtype=start.dtype)
    mask = (pixels >= low[:, None]) & (pixels < high[:, None])
    return mask.astype(start.dtype), high - low


@register('_contrib_PSROIPooling', inputs=('data', 'rois'),
          params={'spatial_scale': Param(Float()), 'output_dim': Param(Int()),
                  'pooled_size': Param(Int()), 'group_size': Param(Int(), 0)},
          infer_shape=_psroi_shapes, nondiff_inputs=('rois',))
def psroi_pooling(params, ctx, data, rois):
    """Average-pool each region of rois (R, 5) = [image index, x1, y1, x2, y2] (rounded, then
    scaled by spatial_scale) into pooled_size x pooled_size bins, bin (i, j) of output
    channel k reading data channel (k * G + gi) * G + gj, G = group_size (pooled_size when
    0), gi = i * G // pooled_size; empty bins give 0. Gives (R, output_dim, P, P)."""
    pooled, groups = params.pooled_size, _group_size(params)
    height, width = data.shape[2:]
    group_of = np.minimum(np.arange(pooled) * groups // pooled, groups - 1)
    channel = ((np.arange(params.output_dim)[:, None, None] * groups + group_of[:, None])
               * groups + group_of[None, :])                               # (K, P, P)
    if channel.max() >= data.shape[1]:
        raise MXNetError('PSROIPooling: data has %d channels, output_dim=%d and group_size=%d '
                         'need %d' % (data.shape[1], params.output_dim, groups, channel.max() + 1))
    scale = np.array(params.spatial_scale, np.float32).astype(data.dtype)

    def pool_one(roi):
        corners = _round_half_away(roi[1:])
        start_w, start_h = corners[0] * scale, corners[1] * scale
        end_w, end_h = (corners[2] + 1) * scale, (corners[3] + 1) * scale
        roi_w = jnp.maximum(end_w - start_w, np.array(0.1, data.dtype))
        roi_h = jnp.maximum(end_h - start_h, np.array(0.1, data.dtype))
        rows, row_counts = _bin_masks(start_h, roi_h / pooled, pooled, height)
        cols, col_counts = _bin_masks(start_w, roi_w / pooled, pooled, width)
        image = data[roi[0].astype(jnp.int32)]
        sums = jnp.einsum('chw,ph,qw->cpq', image, rows, cols)
        picked = jnp.take_along_axis(sums.reshape(-1, pooled * pooled),
                                     jnp.asarray(channel.reshape(-1, pooled * pooled)), axis=0)
        area = row_counts[:, None] * col_counts[None, :]
        picked = picked.reshape(channel.shape)
        return jnp.where(area > 0, picked / jnp.maximum(area, 1), jnp.zeros((), data.dtype))
    return (lax.map(pool_one, rois),)
