"""Image operators, ``mx.sym.image`` / ``mx.nd.image`` (MXNet's ``_image_*``): to_tensor,
normalize, crop, resize, flips, lighting, and the random augmentations.

Images are (height, width, channels) with 1 or 3 channels, some ops also take a batch
(N, H, W, C); to_tensor turns them into (C, H, W) float32 and normalize works on that layout.
The augmentations compute in float32 and store as MXNet does: uint8 results clipped to
[0, 255] and truncated, other types C-cast. Where MXNet's gradient is ``_copy`` (to_tensor,
resize, the flips and augmentations) the head gradient comes back copied element by element,
not moved back through the op. The random ops draw from the executor's PRNG key, so their
draws cannot match MXNet's generator, only its distributions. Where MXNet leaves output
unwritten (a flip's middle row or column, lighting on one channel) the values here are the
image's own.
"""
import functools

import jax
import jax.numpy as jnp
import numpy as np

from ..base import MXNetError
from ..ops_registry import Bool, Float, Int, Param, Shape, register
from .contrib import FloatTuple
from .rules import c_cast

_GRAY = np.array([0.299, 0.587, 0.114], np.float32)   # MXNet's RGB luma weights
# MXNet's AlexNet-style PCA lighting: eigenvalue times eigenvector, per (channel, component)
_EIGEN = np.array([[55.46 * -0.5675, 4.794 * 0.7192, 1.148 * 0.4009],
                   [55.46 * -0.5808, 4.794 * -0.0045, 1.148 * -0.8140],
                   [55.46 * -0.5836, 4.794 * -0.6948, 1.148 * 0.4203]]).astype(np.float32)
_OPENCV_INTERP = {0: 'nearest', 1: 'bilinear'}


# ---------------------------------------------------------------------------- shared pieces
def _saturate(values, dtype):
    """A float32 result stored in `dtype` as MXNet's image kernels store it."""
    if np.dtype(dtype) == np.uint8:
        return c_cast(jnp.clip(values, 0.0, 255.0), dtype)
    return c_cast(values, dtype)


@functools.partial(jax.custom_vjp, nondiff_argnums=(0, 1))
def _copied_gradient(op_name, forward, data):
    """``forward(data)``, whose gradient is the head gradient copied into data's shape (MXNet's
    ``_copy`` backward)."""
    return forward(data)


def _copied_forward(op_name, forward, data):
    return forward(data), data


def _copied_backward(op_name, forward, data, head):
    if head.size != data.size:
        raise MXNetError('%s: its gradient copies the head gradient of shape %s into the input '
                         'of shape %s, which needs the same number of elements'
                         % (op_name, head.shape, data.shape))
    return (head.reshape(data.shape).astype(data.dtype),)


_copied_gradient.defvjp(_copied_forward, _copied_backward)


def _check_channels(op_name, shape, axis, what):
    if shape[axis] not in (1, 3):
        raise MXNetError('%s: the %s dimension of the input must be the channel dimension with '
                         'either 1 or 3 elements, but got input with shape %s'
                         % (op_name, what, shape))


def _image_shape(op_name):
    """MXNet's rule for the augmentations: one (H, W, C) image, C 1 or 3; output alike."""
    def rule(params, in_shapes, out_shapes, input_names):
        shape = in_shapes[0]
        if shape is None:
            return in_shapes, out_shapes
        if len(shape) != 3:
            raise MXNetError('%s: input image must have shape (height, width, channels), but '
                             'got %s' % (op_name, shape))
        _check_channels(op_name, shape, 2, 'last')
        return in_shapes, [tuple(shape)]
    return rule


def _image_op(name, random=False, params=None):
    """Register an augmentation on one (H, W, C) image, gradient copied from the head."""
    def decorate(function):
        def compute(params, ctx, data):
            return (_copied_gradient(name, functools.partial(function, params, ctx), data),)
        compute.__doc__ = function.__doc__
        register('_image_' + name, aliases=('_npx__image_' + name,), params=params or {},
                 infer_shape=_image_shape(name), random=random, unnamed_inputs=True)(compute)
        return function
    return decorate


# ---------------------------------------------------------------------------- to_tensor
def _to_tensor_shape(params, in_shapes, out_shapes, input_names):
    shape = in_shapes[0]
    if shape is None:
        return in_shapes, out_shapes
    if len(shape) not in (3, 4):
        raise MXNetError('to_tensor: input image must have shape (height, width, channels), or '
                         '(N, height, width, channels) but got %s' % (shape,))
    return in_shapes, [tuple(shape[:-3]) + (shape[-1],) + tuple(shape[-3:-1])]


def _to_tensor_type(params, in_types, out_types):
    return in_types, ['float32']


@register('_image_to_tensor', aliases=('_npx__image_to_tensor',),
          infer_shape=_to_tensor_shape, infer_type=_to_tensor_type)
def to_tensor(params, ctx, data):
    """(H, W, C) or (N, H, W, C) values in [0, 255] as (C, H, W) or (N, C, H, W) float32
    in [0, 1]."""
    def forward(values):
        wide = values.astype(jnp.promote_types(values.dtype, jnp.float32))
        return (jnp.moveaxis(wide, -1, -3) / 255.0).astype(jnp.float32)
    return (_copied_gradient('to_tensor', forward, data),)


# ---------------------------------------------------------------------------- normalize
def _per_channel(values, channels, what, shape):
    if len(values) not in (1, channels):
        raise MXNetError('normalize: invalid %s for input with shape %s. %s must have either 1 '
                         'or %d elements, but got %s' % (what, shape, what, channels, values))
    return values


def _normalize_shape(params, in_shapes, out_shapes, input_names):
    shape = in_shapes[0]
    if shape is None:
        return in_shapes, out_shapes
    if len(shape) not in (3, 4):
        raise MXNetError('normalize: input tensor must have shape (channels, height, width), or '
                         '(N, channels, height, width), but got %s' % (shape,))
    _check_channels('normalize', shape, -3, 'first' if len(shape) == 3 else 'second')
    _per_channel(params.mean, shape[-3], 'mean', shape)
    _per_channel(params.std, shape[-3], 'std', shape)
    return in_shapes, [tuple(shape)]


@register('_image_normalize', aliases=('_npx__image_normalize',),
          params={'mean': Param(FloatTuple(), (0.0, 0.0, 0.0, 0.0)),
                  'std': Param(FloatTuple(), (1.0, 1.0, 1.0, 1.0))},
          infer_shape=_normalize_shape)
def normalize(params, ctx, data):
    """(data - mean) / std per channel of a (C, H, W) or (N, C, H, W) tensor; one value
    serves every channel."""
    channels = data.shape[-3]

    def per_channel(values):
        values = np.resize(np.float32(values), channels)
        return values.reshape((channels, 1, 1))
    compute = jnp.promote_types(data.dtype, jnp.float32)
    result = (data.astype(compute) - per_channel(params.mean)) / per_channel(params.std)
    return (c_cast(result, data.dtype),)


# ---------------------------------------------------------------------------- crop and resize
def _crop_shape(params, in_shapes, out_shapes, input_names):
    shape = in_shapes[0]
    if shape is None:
        return in_shapes, out_shapes
    if len(shape) not in (3, 4):
        raise MXNetError('crop: expects inputs of 3D (h, w, c) or 4D (n, h, w, c), but got %d '
                         'dimensions' % len(shape))
    _check_channels('crop', shape, -1, 'last')
    if params.height <= 0 or params.width <= 0:
        raise MXNetError('crop: height and width must be greater than 0, got %d and %d'
                         % (params.height, params.width))
    if params.x + params.width > shape[-2]:
        raise MXNetError('crop: x + width (%d) should not be greater than the input width %d'
                         % (params.x + params.width, shape[-2]))
    if params.y + params.height > shape[-3]:
        raise MXNetError('crop: y + height (%d) should not be greater than the input height %d'
                         % (params.y + params.height, shape[-3]))
    return in_shapes, [tuple(shape[:-3]) + (params.height, params.width, shape[-1])]


@register('_image_crop', aliases=('_npx__image_crop',),
          params={'x': Param(Int()), 'y': Param(Int()), 'width': Param(Int()),
                  'height': Param(Int())},
          infer_shape=_crop_shape, unnamed_inputs=True)
def crop(params, ctx, data):
    """The (height, width) area at (y, x) of an (H, W, C) or (N, H, W, C) image."""
    return (data[..., params.y:params.y + params.height, params.x:params.x + params.width, :],)


def _resized(params, height, width):
    """MXNet's (height, width) of a resized image: `size` is (width, height), or one side
    (both sides, or with keep_ratio the short side keeping the aspect ratio)."""
    size = params.size
    if len(size) not in (1, 2):
        raise MXNetError('resize: size must have 1 or 2 elements, but got %s' % (size,))
    if any(side <= 0 for side in size):
        raise MXNetError('resize: size must be greater than 0, but got %s' % (size,))
    if len(size) == 2:
        return size[1], size[0]
    if not params.keep_ratio:
        return size[0], size[0]
    if height > width:
        return height * size[0] // width, size[0]
    return size[0], width * size[0] // height


def _resize_shape(params, in_shapes, out_shapes, input_names):
    shape = in_shapes[0]
    if shape is None:
        return in_shapes, out_shapes
    if len(shape) not in (3, 4):
        raise MXNetError('resize: input image dimension should be 3 or 4 but got %d' % len(shape))
    return in_shapes, [tuple(shape[:-3]) + _resized(params, *shape[-3:-1]) + (shape[-1],)]


def _nearest_indices(size, out_size):
    """OpenCV's nearest source pixel of each output pixel."""
    return np.minimum(np.floor(np.arange(out_size) * (size / out_size)).astype(int), size - 1)


def _bilinear_weights(size, out_size):
    """(out_size, size) matrix of OpenCV's bilinear weights, in float32 as OpenCV keeps them:
    half-pixel centres, clamped at the borders."""
    centre = ((np.arange(out_size) + 0.5) * (size / out_size) - 0.5).astype(np.float32)
    low = np.floor(centre).astype(int)
    frac = centre - low.astype(np.float32)
    frac[low < 0], low[low < 0] = 0.0, 0
    frac[low >= size - 1], low[low >= size - 1] = 0.0, size - 1
    matrix = np.zeros((out_size, size), np.float32)
    rows = np.arange(out_size)
    matrix[rows, low] += 1.0 - frac
    matrix[rows, np.minimum(low + 1, size - 1)] += frac
    return matrix


@register('_image_resize', aliases=('_npx__image_resize',),
          params={'size': Param(Shape(), ()), 'keep_ratio': Param(Bool(), False),
                  'interp': Param(Int(), 1)},
          infer_shape=_resize_shape, unnamed_inputs=True)
def resize(params, ctx, data):
    """An (H, W, C) or (N, H, W, C) image resized as OpenCV's ``cv::resize`` does, nearest
    (interp=0) or bilinear (interp=1). Bilinear uint8 images are interpolated in float32 and
    rounded, where OpenCV's fixed-point arithmetic may land one level off."""
    if params.interp not in _OPENCV_INTERP:
        raise MXNetError('resize: interp=%d is not supported; use 0 (nearest) or 1 (bilinear)'
                         % params.interp)
    if data.dtype == jnp.float16:
        raise MXNetError("resize: float16 images are not supported (OpenCV's image matrices "
                         "have no float16)")
    height, width = data.shape[-3:-1]
    out_height, out_width = _resized(params, height, width)

    def forward(values):
        if params.interp == 0:
            rows = values[..., _nearest_indices(height, out_height), :, :]
            return rows[..., _nearest_indices(width, out_width), :]
        compute = jnp.promote_types(values.dtype, jnp.float32)
        result = jnp.einsum('oh,...hwc,pw->...opc', _bilinear_weights(height, out_height),
                            values.astype(compute), _bilinear_weights(width, out_width))
        if jnp.issubdtype(values.dtype, jnp.integer):
            result = jnp.round(result)
        return _saturate(result, values.dtype)
    return (_copied_gradient('resize', forward, data),)


# ---------------------------------------------------------------------------- flips
@_image_op('flip_left_right')
def flip_left_right(params, ctx, data):
    """The image mirrored left to right."""
    return jnp.flip(data, 1)


@_image_op('flip_top_bottom')
def flip_top_bottom(params, ctx, data):
    """The image upside down."""
    return jnp.flip(data, 0)


@_image_op('random_flip_left_right', random=True)
def random_flip_left_right(params, ctx, data):
    """The image mirrored left to right with probability 1/2."""
    return jnp.where(jax.random.bernoulli(ctx.key), data, jnp.flip(data, 1))


@_image_op('random_flip_top_bottom', random=True)
def random_flip_top_bottom(params, ctx, data):
    """The image upside down with probability 1/2."""
    return jnp.where(jax.random.bernoulli(ctx.key), data, jnp.flip(data, 0))


# ---------------------------------------------------------------------------- colour
_FACTORS = {'min_factor': Param(Float(0.0)), 'max_factor': Param(Float(0.0))}


def _factor(params, ctx):
    """A factor drawn uniformly from [min_factor, max_factor)."""
    return jax.random.uniform(ctx.key, (), jnp.float32, params.min_factor, params.max_factor)


@_image_op('random_brightness', random=True, params=_FACTORS)
def random_brightness(params, ctx, data):
    """The image times a random factor."""
    return _saturate(data.astype(jnp.float32) * _factor(params, ctx), data.dtype)


@_image_op('random_contrast', random=True, params=_FACTORS)
def random_contrast(params, ctx, data):
    """The image blended with its mean gray level: data * f + (1 - f) * mean gray."""
    alpha = _factor(params, ctx)
    values = data.astype(jnp.float32)
    weights = _GRAY if data.shape[2] == 3 else np.ones(1, np.float32)
    gray_mean = jnp.sum(values * weights) / (data.shape[0] * data.shape[1])
    return _saturate(values * alpha + (1 - alpha) * gray_mean, data.dtype)


@_image_op('random_saturation', random=True, params=_FACTORS)
def random_saturation(params, ctx, data):
    """The image blended with a gray level by a random factor. As in MXNet 1.9.1, the gray
    level is the blue channel's share alone (0.114 * blue); one channel stays unchanged."""
    if data.shape[2] == 1:
        return data
    alpha = _factor(params, ctx)
    values = data.astype(jnp.float32)
    gray = values[..., 2:3] * _GRAY[2] * (1 - alpha)
    return _saturate(gray + values * alpha, data.dtype)


def _lighting(data, alpha):
    """PCA lighting noise: each RGB channel shifted by the eigenvectors weighted by `alpha`
    (one channel stays unchanged)."""
    if data.shape[2] == 1:
        return data
    shift = jnp.sum(_EIGEN * jnp.asarray(alpha, jnp.float32), axis=1)
    return _saturate(data.astype(jnp.float32) + shift, data.dtype)


def _check_alpha(params):
    if len(params.alpha) < 3:
        raise MXNetError('adjust_lighting: alpha needs one value per RGB channel, got %s'
                         % (params.alpha,))


@_image_op('adjust_lighting', params={'alpha': Param(FloatTuple())})
def adjust_lighting(params, ctx, data):
    """AlexNet-style lighting with the given alphas for the R, G, B channels."""
    _check_alpha(params)
    return _lighting(data, np.float32(params.alpha[:3]))


@_image_op('random_lighting', random=True, params={'alpha_std': Param(Float(), 0.05)})
def random_lighting(params, ctx, data):
    """AlexNet-style lighting with alphas drawn from N(0, alpha_std)."""
    return _lighting(data, params.alpha_std * jax.random.normal(ctx.key, (3,), jnp.float32))
