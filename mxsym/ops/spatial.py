"""Spatial sampling layers: GridGenerator, BilinearSampler, SpatialTransformer and
ROIPooling."""
import jax.numpy as jnp
import numpy as np
from jax import lax

from ..ops_registry import Bool, Enum, Float, Optional, Param, Shape, register


# ---------------------------------------------------------------------------- GridGenerator
def _affine_target_grid(height, width, dtype):
    """(3, height*width): x then y of every target pixel, scaled to [-1, 1], then ones."""
    index = np.arange(height * width)
    x = index % width * (2.0 / (width - 1)) - 1.0
    y = index // width * (2.0 / (height - 1)) - 1.0
    return jnp.asarray(np.stack([x, y, np.ones_like(x)]), dtype)


@register('GridGenerator', outputs=('output', 'grid_dst'), num_visible=lambda p: 1,
          params={'transform_type': Param(Enum('affine', 'warp')),
                  'target_shape': Param(Shape(), (0, 0))})
def grid_generator(params, ctx, data):
    """A sampling grid in [-1, 1] coordinates, shaped (N, 2, H, W) (x first): 'affine' maps
    each target pixel by data's (N, 6) affine matrices; 'warp' adds data's (N, 2, H, W) flow
    to the pixel coordinates. Hidden output: the target pixel grid."""
    if params.transform_type == 'affine':
        height, width = params.target_shape
        target = _affine_target_grid(height, width, data.dtype)
        grid = jnp.matmul(data.reshape(-1, 2, 3), target)
        return grid.reshape(-1, 2, height, width), target
    height, width = data.shape[2:]
    pixels = jnp.stack(jnp.meshgrid(jnp.arange(width, dtype=data.dtype),
                                    jnp.arange(height, dtype=data.dtype)))
    half_size = np.array([(width - 1.0) / 2, (height - 1.0) / 2], data.dtype).reshape(2, 1, 1)
    return (data + pixels) / half_size - 1, pixels


# ---------------------------------------------------------------------------- BilinearSampler
def _bilinear_sample(data, grid_x, grid_y):
    """Sample data (N, C, H, W) at [-1, 1] coordinates grid_x, grid_y (N, h, w) by bilinear
    interpolation between the four neighbours; neighbours outside the image count as zero.
    Gives (N, C, h, w); MXNet's own gradient is this formula's derivative. The four
    neighbours are gathered at once: one gather (and one scatter in the gradient) compiles
    about twice as fast as four."""
    batch, channels, height, width = data.shape
    x = (grid_x + 1) * (width - 1) / 2
    y = (grid_y + 1) * (height - 1) / 2
    left, top = jnp.floor(x), jnp.floor(y)
    weight_left = (1 - (x - left))[:, None]
    weight_top = (1 - (y - top))[:, None]
    rows = jnp.stack([top, top, top + 1, top + 1], axis=1)
    cols = jnp.stack([left, left + 1, left, left + 1], axis=1)
    inside = (rows >= 0) & (rows <= height - 1) & (cols >= 0) & (cols <= width - 1)
    index = jnp.clip(rows, 0, height - 1) * width + jnp.clip(cols, 0, width - 1)
    index = index.astype(jnp.int32).reshape(batch, 1, -1)
    values = jnp.take_along_axis(data.reshape(batch, channels, height * width), index, axis=2)
    values = values.reshape((batch, channels, 4) + grid_x.shape[1:])
    corners = jnp.where(inside[:, None], values, jnp.zeros((), data.dtype))
    return (corners[:, :, 0] * weight_top * weight_left
            + corners[:, :, 1] * weight_top * (1 - weight_left)
            + corners[:, :, 2] * (1 - weight_top) * weight_left
            + corners[:, :, 3] * (1 - weight_top) * (1 - weight_left))


@register('BilinearSampler', inputs=('data', 'grid'), outputs=('output', 'tmp'),
          num_visible=lambda p: 1, params={'cudnn_off': Param(Optional(Bool()), None)})
def bilinear_sampler(params, ctx, data, grid):
    """Sample data (N, C, H, W) at grid (N, 2, h, w) of [-1, 1] (x, y) coordinates.
    Hidden output: a (N, h, w, 2) buffer MXNet's CPU kernel leaves unused (zeros here)."""
    out = _bilinear_sample(data, grid[:, 0], grid[:, 1])
    return out, jnp.zeros(grid.shape[:1] + grid.shape[2:] + (2,), data.dtype)


# ---------------------------------------------------------------------------- SpatialTransformer
@register('SpatialTransformer', inputs=('data', 'loc'),
          outputs=('output', 'grid_dst', 'grid_src'), num_visible=lambda p: 1,
          params={'target_shape': Param(Shape(), (0, 0)),
                  'transform_type': Param(Enum('affine')),
                  'sampler_type': Param(Enum('bilinear')),
                  'cudnn_off': Param(Optional(Bool()), None)})
def spatial_transformer(params, ctx, data, loc):
    """GridGenerator (affine, by loc's (N, 6) matrices) then BilinearSampler, to an image of
    target_shape. Hidden outputs: the target grid (3, H*W) and the source grid (N, 2, H*W)."""
    height, width = params.target_shape
    target = _affine_target_grid(height, width, data.dtype)
    source = jnp.matmul(loc.reshape(-1, 2, 3), target)
    grid = source.reshape(-1, 2, height, width)
    return _bilinear_sample(data, grid[:, 0], grid[:, 1]), target, source


# ---------------------------------------------------------------------------- ROIPooling
def _round_half_away(x):
    """C's round(): halves go away from zero (jnp.round goes to even)."""
    return jnp.sign(x) * jnp.floor(jnp.abs(x) + 0.5)


def _roi_bins(start, end, pooled, size, dtype):
    """(pooled, size) mask of the pixels in each bin along one axis: the pixel range
    [start, end] cut into `pooled` bins in the data's dtype, clipped to the image."""
    bin_size = jnp.maximum(end - start + 1, 1).astype(dtype) / np.asarray(pooled, dtype)
    steps = jnp.arange(pooled, dtype=dtype)
    low = jnp.floor(steps * bin_size).astype(jnp.int32) + start
    high = jnp.ceil((steps + 1) * bin_size).astype(jnp.int32) + start
    low, high = (jnp.clip(bound, 0, size)[:, None] for bound in (low, high))
    pixels = jnp.arange(size)
    return (pixels >= low) & (pixels < high)


def _first_max(values, mask, axis):
    """Index of the first maximum of values where mask holds, along axis."""
    return jnp.argmax(jnp.where(mask, values, jnp.array(-jnp.inf, values.dtype)), axis=axis)


def _roi_pool_one(params, data, roi):
    """Max-pool one region of interest: (C, PH, PW) values and flat argmax indices."""
    batch, channels, height, width = data.shape
    scaled = roi[1:].astype(jnp.promote_types(data.dtype, jnp.float32)) * np.float32(
        params.spatial_scale)
    x1, y1, x2, y2 = _round_half_away(scaled).astype(jnp.int32)
    image = roi[0].astype(jnp.int32)
    rows = _roi_bins(y1, y2, params.pooled_size[0], height, data.dtype)   # (PH, H)
    cols = _roi_bins(x1, x2, params.pooled_size[1], width, data.dtype)    # (PW, W)
    feature = data[jnp.clip(image, 0, batch - 1)]                         # (C, H, W)
    # MXNet scans rows, then columns, keeping the first maximum it meets.
    best_col = _first_max(feature[:, :, None, :], cols, axis=-1)          # (C, H, PW)
    row_best = jnp.take_along_axis(feature, best_col, axis=2)
    best_row = _first_max(row_best[:, None], rows[:, :, None], axis=2)     # (C, PH, PW)
    position = best_row * width + jnp.take_along_axis(best_col, best_row, axis=1)
    out = jnp.take_along_axis(feature.reshape(channels, -1), position.reshape(channels, -1),
                              axis=1).reshape(position.shape)
    empty = ~(rows.any(1)[:, None] & cols.any(1)) | (image < 0) | (image >= batch)
    index = (image * channels + jnp.arange(channels)[:, None, None]) * height * width + position
    return (jnp.where(empty, jnp.zeros((), data.dtype), out),
            jnp.where(empty, -1, index).astype(jnp.int32))


def _roi_pooling_types(params, in_types, out_types):
    """Data and rois share a dtype; the argmax output is int32."""
    dtype = next((t for t in in_types if t is not None), out_types[0])
    if dtype is None:
        return in_types, out_types
    return [dtype, dtype], [dtype, 'int32']


@register('ROIPooling', inputs=('data', 'rois'), outputs=('output', 'maxidx'),
          num_visible=lambda p: 1,
          params={'pooled_size': Param(Shape()), 'spatial_scale': Param(Float(0, 1))},
          infer_type=_roi_pooling_types, nondiff_inputs=('rois',))
def roi_pooling(params, ctx, data, rois):
    """Max-pool each region of interest of rois (R, 5) = [image index, x1, y1, x2, y2]
    (scaled by spatial_scale, rounded) into pooled_size bins, giving (R, C, PH, PW); empty
    bins and invalid image indices give 0. Hidden output: the flat int32 argmax indices into
    data, -1 for empty bins. The rois get a zero gradient."""
    return lax.map(lambda roi: _roi_pool_one(params, data, roi), rois)
