"""Region-of-interest layers of detection networks: PSROIPooling (position-sensitive ROI
average pooling, R-FCN), its deformable form, and RROIAlign (rotated ROI align)."""
import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from ..base import MXNetError
from ..ops_registry import Bool, Float, Int, Param, Shape, register


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


def _position_channels(op_name, channels, output_dim, groups, pooled):
    """(K, P, P) data channel that bin (i, j) of output channel k reads: (k * G + gi) * G + gj
    for G groups, gi = i * G // P."""
    group_of = np.minimum(np.arange(pooled) * groups // pooled, groups - 1)
    channel = ((np.arange(output_dim)[:, None, None] * groups + group_of[:, None]) * groups
               + group_of[None, :])
    if channel.max() >= channels:
        raise MXNetError('%s: data has %d channels, output_dim=%d and group_size=%d need %d'
                         % (op_name, channels, output_dim, groups, channel.max() + 1))
    return channel


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
    channel = _position_channels('PSROIPooling', data.shape[1], params.output_dim, groups,
                                 pooled)
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


# ---------------------------------------------------------------------------- RROIAlign
def _rotated_sample(flat, starts, height, width, rows, cols):
    """Bilinear samples (C, P) of the channels at flat[starts (C, 1) + y * W + x] at rows,
    cols (P,), as RROIAlign takes them: 0 outside [-1, H] x [-1, W] (still weighing the
    channel's first pixel, as MXNet does), the last row and column clamped."""
    outside = (rows < -1.0) | (rows > height) | (cols < -1.0) | (cols > width)
    rows, cols = jnp.maximum(rows, 0), jnp.maximum(cols, 0)
    last_y, last_x = jnp.floor(rows) >= height - 1, jnp.floor(cols) >= width - 1
    low_y = jnp.where(last_y, height - 1, jnp.floor(rows))
    low_x = jnp.where(last_x, width - 1, jnp.floor(cols))
    frac_y, frac_x = jnp.where(last_y, 0, rows - low_y), jnp.where(last_x, 0, cols - low_x)
    high_y, high_x = jnp.where(last_y, low_y, low_y + 1), jnp.where(last_x, low_x, low_x + 1)
    total = None
    for weight, row, col in (((1 - frac_y) * (1 - frac_x), low_y, low_x),
                             ((1 - frac_y) * frac_x, low_y, high_x),
                             (frac_y * (1 - frac_x), high_y, low_x),
                             (frac_y * frac_x, high_y, high_x)):
        position = jnp.where(outside, 0, row * width + col).astype(jnp.int32)
        term = (jnp.where(outside, 0, weight).astype(flat.dtype)
                * flat[starts + position])
        total = term if total is None else total + term
    return total


def _check_pooled_size(params):
    if len(params.pooled_size) != 2 or 0 in params.pooled_size:
        raise MXNetError('pooled_size should be 2 nonzero values (height, width), got %s'
                         % (params.pooled_size,))


@register('_contrib_RROIAlign', inputs=('data', 'rois'),
          params={'pooled_size': Param(Shape()), 'spatial_scale': Param(Float(0.0, 1.0)),
                  'sampling_ratio': Param(Int(), -1)},
          check_params=_check_pooled_size, has_gradient=False)
def rroi_align(params, ctx, data, rois):
    """Average of bilinear samples in each of pooled_size bins of rotated regions rois (R, 6)
    = [image, centre x, centre y, width, height, angle in degrees] (scaled by spatial_scale,
    sides at least 1): sampling_ratio^2 evenly spaced samples per bin, or ceil(bin side) per
    side when sampling_ratio <= 0 (a while loop visits the largest region's count, so it
    runs under jit). Gives (R, C, PH, PW); MXNet defines no gradient."""
    if data.ndim != 4 or rois.ndim != 2 or rois.shape[1] != 6:
        raise MXNetError('RROIAlign takes data (N, C, H, W) and rois (R, 6), got %s and %s'
                         % (data.shape, rois.shape))
    (pooled_h, pooled_w), dtype = params.pooled_size, data.dtype
    channels, height, width = data.shape[1:]
    flat = data.reshape(-1)
    channel_starts = np.arange(channels)[:, None] * (height * width)
    scale = np.array(params.spatial_scale, np.float32).astype(dtype)
    bin_rows = np.arange(pooled_h, dtype=dtype)[:, None]
    bin_cols = np.arange(pooled_w, dtype=dtype)[None, :]

    def align_one(roi):
        center_x, center_y = roi[1] * scale, roi[2] * scale
        roi_w = jnp.maximum(roi[3] * scale, np.array(1, dtype))
        roi_h = jnp.maximum(roi[4] * scale, np.array(1, dtype))
        theta = (roi[5].astype(jnp.float64) * np.pi / 180.0).astype(dtype)
        cos, sin = jnp.cos(theta), jnp.sin(theta)
        bin_h, bin_w = roi_h / np.array(pooled_h, dtype), roi_w / np.array(pooled_w, dtype)
        if params.sampling_ratio > 0:
            grid_h = grid_w = jnp.int32(params.sampling_ratio)
        else:
            grid_h, grid_w = jnp.ceil(bin_h).astype(jnp.int32), jnp.ceil(bin_w).astype(jnp.int32)
        top = -roi_h / 2 + bin_rows * bin_h
        left = -roi_w / 2 + bin_cols * bin_w
        starts = roi[0].astype(jnp.int32) * (channels * height * width) + channel_starts

        def add_sample(step, total):
            along_y = ((step // grid_w).astype(np.float32) + np.float32(0.5)).astype(dtype)
            along_x = ((step % grid_w).astype(np.float32) + np.float32(0.5)).astype(dtype)
            yy = top + along_y * bin_h / grid_h.astype(dtype)
            xx = left + along_x * bin_w / grid_w.astype(dtype)
            cols = (xx * cos + yy * sin + center_x).reshape(-1)
            rows = (yy * cos - xx * sin + center_y).reshape(-1)
            return total + _rotated_sample(flat, starts, height, width, rows, cols)
        total = lax.fori_loop(0, grid_h * grid_w, add_sample,
                              jnp.zeros((channels, pooled_h * pooled_w), dtype))
        total = total / (grid_h * grid_w).astype(dtype)
        return total.reshape(channels, pooled_h, pooled_w)
    return (jax.vmap(align_one)(rois),)


# ------------------------------------------------------------------ DeformablePSROIPooling
def _deformable_layout(params, dtype, data_shape, num_rois, trans_shape):
    """Static indices of each output element (K, P, P): the data channel it reads and, with
    trans, the flat indices (2, R, K, P, P) of its x and y offsets in trans."""
    pooled = params.pooled_size
    channel = _position_channels('DeformablePSROIPooling', data_shape[1], params.output_dim,
                                 params.group_size, pooled)
    if trans_shape is None:
        return channel, None
    part = params.part_size or pooled
    part_of = np.floor(np.arange(pooled, dtype=dtype) / dtype(pooled) * dtype(part))
    part_of = part_of.astype(np.int64)
    classes = np.arange(params.output_dim)[:, None, None]
    num_classes = trans_shape[1] // 2
    if not 1 <= num_classes <= params.output_dim:
        raise MXNetError('DeformablePSROIPooling: trans has %d channels, 2 per class, for '
                         'output_dim=%d' % (trans_shape[1], params.output_dim))
    class_id = classes // (params.output_dim // num_classes)
    rois = np.arange(num_rois)[:, None, None, None]
    offset = ((class_id + rois * num_classes) * 2 * part + part_of[:, None]) * part \
        + part_of[None, :]
    offset = np.stack([offset, offset + part * part])
    if offset.max() >= np.prod(trans_shape):
        raise MXNetError('DeformablePSROIPooling: trans of shape %s is too small for %d rois, '
                         '%d classes and part_size=%d' % (tuple(trans_shape), num_rois,
                                                          num_classes, part))
    return channel, offset


def _check_deformable_shapes(data, rois, trans):
    if data.ndim != 4 or rois.ndim != 2 or rois.shape[1] != 5 or (
            trans is not None and trans.ndim != 4):
        raise MXNetError('DeformablePSROIPooling takes data (N, C, H, W), rois (R, 5) and trans '
                         '(R, 2 * classes, part_size, part_size), got %s, %s and %s'
                         % (data.shape, rois.shape, None if trans is None else trans.shape))


@register('_contrib_DeformablePSROIPooling', inputs=('data', 'rois', 'trans'),
          used_inputs=lambda p: ('data', 'rois') if p.no_trans else ('data', 'rois', 'trans'),
          outputs=('output', 'top_count'), num_visible=lambda p: 1,
          params={'spatial_scale': Param(Float(0.0, 1.0)), 'output_dim': Param(Int()),
                  'group_size': Param(Int()), 'pooled_size': Param(Int()),
                  'part_size': Param(Int(), 0), 'sample_per_part': Param(Int(), 1),
                  'trans_std': Param(Float(0.0, 1.0), 0.0), 'no_trans': Param(Bool(), False)},
          nondiff_inputs=('rois',))
def deformable_psroi_pooling(params, ctx, data, rois, trans=None):
    """PSROIPooling of regions rois (R, 5) = [image, x1, y1, x2, y2] (rounded, scaled by
    spatial_scale, shifted by -0.5) whose bins move by trans * trans_std * the region's size
    (offsets per class and part of a part_size^2 grid), each bin the mean of
    sample_per_part^2 bilinear samples inside the data. Gives (R, output_dim, P, P) and the
    hidden count of samples averaged."""
    _check_deformable_shapes(data, rois, trans)
    dtype, pooled, samples = data.dtype, params.pooled_size, params.sample_per_part
    channels, height, width = data.shape[1:]
    channel, trans_index = _deformable_layout(params, dtype.type, data.shape, rois.shape[0],
                                              None if trans is None else trans.shape)
    scale, trans_std = (np.array(value, np.float32).astype(dtype)
                        for value in (params.spatial_scale, params.trans_std))
    rois = lax.stop_gradient(rois)
    corners = _round_half_away(rois[:, 1:])
    start_w, start_h = corners[:, 0] * scale - 0.5, corners[:, 1] * scale - 0.5
    roi_w = jnp.maximum((corners[:, 2] + 1) * scale - 0.5 - start_w, np.array(0.1, dtype))
    roi_h = jnp.maximum((corners[:, 3] + 1) * scale - 0.5 - start_h, np.array(0.1, dtype))
    start_w, start_h, roi_w, roi_h = (v[:, None, None, None]
                                      for v in (start_w, start_h, roi_w, roi_h))
    bins = np.arange(pooled, dtype=dtype)
    left = bins[None, :] * (roi_w / np.array(pooled, dtype)) + start_w       # (R, 1, 1, P)
    top = bins[:, None] * (roi_h / np.array(pooled, dtype)) + start_h        # (R, 1, P, 1)
    if trans is not None:
        shift_x, shift_y = trans.reshape(-1)[trans_index] * trans_std
        left, top = left + shift_x * roi_w, top + shift_y * roi_h
    shape = rois.shape[:1] + channel.shape
    steps = np.arange(samples, dtype=dtype)
    sub_w = (roi_w / np.array(pooled, dtype) / np.array(samples, dtype))[..., None, None]
    sub_h = (roi_h / np.array(pooled, dtype) / np.array(samples, dtype))[..., None, None]
    cols = jnp.broadcast_to(left, shape)[..., None, None] + steps[None, :] * sub_w
    rows = jnp.broadcast_to(top, shape)[..., None, None] + steps[:, None] * sub_h
    rows, cols = jnp.broadcast_arrays(rows, cols)                            # (R, K, P, P, S, S)
    inside = (cols >= -0.5) & (cols <= width - 0.5) & (rows >= -0.5) & (rows <= height - 0.5)
    cols, rows = jnp.clip(cols, 0, width - 1), jnp.clip(rows, 0, height - 1)
    x1, y1 = jnp.floor(cols), jnp.floor(rows)
    x2, y2 = jnp.ceil(cols), jnp.ceil(rows)
    dist_x, dist_y = cols - x1, rows - y1
    base = ((rois[:, 0].astype(jnp.int64)[:, None, None, None] * channels + channel)
            * height)[..., None, None]
    flat = data.reshape(-1)

    def read(row, col):
        return flat[((base + row.astype(jnp.int64)) * width + col.astype(jnp.int64))]
    value = ((1 - dist_x) * (1 - dist_y) * read(y1, x1) + (1 - dist_x) * dist_y * read(y2, x1)
             + dist_x * (1 - dist_y) * read(y1, x2) + dist_x * dist_y * read(y2, x2))
    total = jnp.where(inside, value, jnp.zeros((), dtype)).sum((-2, -1))
    count = inside.sum((-2, -1)).astype(dtype)
    out = jnp.where(count > 0, total / jnp.maximum(count, 1), jnp.zeros((), dtype))
    return out, count
