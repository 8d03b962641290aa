"""Image functions of `mx.image`: decoding, resizing, borders, crops, normalization, rotation.

Images are (height, width, channels) arrays, RGB unless `to_rgb=0`. Decoding, resizing and
borders are OpenCV's, as in MXNet (whose `imdecode`, `imresize` and `copyMakeBorder` call
OpenCV), so results are OpenCV's pixels; the interpolation codes are OpenCV's: 0 nearest,
1 bilinear, 2 bicubic, 3 area, 4 Lanczos, 9 chosen by size, 10 random.
A function given an NDArray returns an NDArray; given a numpy array, a numpy array.
"""
import random
from numbers import Number

import numpy as np

from .. import ndarray as nd
from ..base import MXNetError
from ..opencv import cv2_module


def as_numpy(src):
    """The values of an NDArray or array-like as a numpy array."""
    return src.asnumpy() if isinstance(src, nd.NDArray) else np.asarray(src)


def like_input(src, result, out=None):
    """`result` (numpy) in the kind of `src`: an NDArray (written into `out` when given) or
    numpy."""
    if out is not None:
        out[:] = result
        return out
    if isinstance(src, nd.NDArray):
        return nd.array(result, ctx=src.context, dtype=result.dtype)
    return result


def decode_to_numpy(buf, flag=1, to_rgb=True):
    """OpenCV's decode of encoded image bytes: (H, W, 3) RGB (or BGR), or (H, W, 1) for
    ``flag=0``; MXNetError when empty or not an image."""
    data = np.frombuffer(buf, dtype=np.uint8) if not isinstance(buf, np.ndarray) else buf
    if data.size == 0:
        raise MXNetError('imdecode: the input cannot be an empty buffer')
    cv2 = cv2_module()
    img = cv2.imdecode(data.reshape(-1).astype(np.uint8, copy=False), flag)
    if img is None or img.size == 0:
        raise MXNetError('imdecode: decoding failed: not a valid image (%d bytes)' % data.size)
    if img.ndim == 2:
        return img[:, :, None]
    if to_rgb:
        code = cv2.COLOR_BGRA2RGBA if img.shape[2] == 4 else cv2.COLOR_BGR2RGB
        img = cv2.cvtColor(img, code)
    return img


def imdecode(buf, flag=1, to_rgb=1, out=None):
    """Decode an image from bytes (bytes, bytearray, numpy uint8 or an NDArray of them) to a
    uint8 NDArray (H, W, C). flag 1: color, 0: grayscale (C = 1); to_rgb 0 keeps OpenCV's BGR."""
    if isinstance(buf, nd.NDArray):
        buf = buf.asnumpy().astype(np.uint8)
    elif not isinstance(buf, (bytes, bytearray, np.ndarray)):
        raise ValueError('buf must be of type bytes, bytearray or numpy.ndarray, if you would '
                         'like to input type str, please convert to bytes')
    img = decode_to_numpy(buf, flag, bool(to_rgb))
    if out is not None:
        out[:] = img
        return out
    return nd.array(img, dtype=np.uint8)


def imread(filename, flag=1, to_rgb=1, out=None):
    """Read and decode an image file (see `imdecode`); MXNetError when it cannot be opened."""
    try:
        with open(filename, 'rb') as fin:
            buf = fin.read()
    except OSError as err:
        raise MXNetError("imread: '%s' couldn't open file: %s" % (filename, err.strerror)) \
            from None
    try:
        return imdecode(buf, flag, to_rgb, out)
    except MXNetError as err:
        raise MXNetError('imread: %s: %s' % (filename, err)) from None


def resize_numpy(img, w, h, interp=1):
    """OpenCV's resize of a numpy (H, W, C) image to (h, w, C)."""
    if w <= 0 or h <= 0:
        raise MXNetError('imresize: the new size must be positive, got w=%d, h=%d' % (w, h))
    resized = cv2_module().resize(img, (int(w), int(h)), interpolation=int(interp))
    return resized.reshape(int(h), int(w), *img.shape[2:])


def imresize(src, w, h, interp=1, out=None):
    """Resize an image to width `w`, height `h` with OpenCV's interpolation `interp` (0-4)."""
    return like_input(src, resize_numpy(as_numpy(src), w, h, interp), out)


_BORDER_TYPES = (0, 1, 2, 3, 4)


def copyMakeBorder(src, top, bot, left, right, type=0, value=0.0,  # noqa: A002 (MXNet's name)
                   values=(), out=None):
    """Pad an image with OpenCV's border `type` (0 constant with `value` or per-channel
    `values`, 1 replicate, 2 reflect, 3 wrap, 4 reflect-101)."""
    if type not in _BORDER_TYPES:
        raise MXNetError('copyMakeBorder: border type must be one of %s, got %r'
                         % (_BORDER_TYPES, type))
    fill = tuple(values) if len(values) else (value,) * 4
    img = as_numpy(src)
    padded = cv2_module().copyMakeBorder(img, top, bot, left, right, borderType=type,
                                         value=fill)
    return like_input(src, padded.reshape(padded.shape[:2] + img.shape[2:]), out)


def scale_down(src_size, size):
    """The crop size (w, h) shrunk, keeping its aspect ratio, to fit in `src_size` (w, h)."""
    w, h = size
    sw, sh = src_size
    if sh < h:
        w, h = float(w * sh) / h, sh
    if sw < w:
        w, h = sw, float(h * sw) / w
    return int(w), int(h)


def _get_interp_method(interp, sizes=(), draw=None):
    """The interpolation code 0-4 for `interp`: 9 picks by `sizes` (old_h, old_w, new_h,
    new_w): bicubic to enlarge, area to shrink, else bilinear; 10 picks at random (`draw()`,
    by default Python's generator)."""
    if interp == 9:
        if not sizes:
            return 2
        old_h, old_w, new_h, new_w = sizes
        if new_h > old_h and new_w > old_w:
            return 2
        if new_h < old_h and new_w < old_w:
            return 3
        return 1
    if interp == 10:
        return draw() if draw else random.randint(0, 4)
    if interp not in (0, 1, 2, 3, 4):
        raise ValueError('Unknown interp method %d' % interp)
    return interp


def short_side_size(h, w, size):
    """(new_h, new_w) with the shorter side `size` and the longer one scaled (floored)."""
    if h > w:
        return size * h // w, size
    return size, size * w // h


def resize_short(src, size, interp=2):
    """Resize so the shorter side is `size`, keeping the aspect ratio."""
    h, w = src.shape[:2]
    new_h, new_w = short_side_size(h, w, size)
    return imresize(src, new_w, new_h, interp=_get_interp_method(interp, (h, w, new_h, new_w)))


def fixed_crop(src, x0, y0, w, h, size=None, interp=2):
    """The `w` x `h` region at (x0, y0), resized to `size` (w, h) when given and different."""
    out = like_input(src, as_numpy(src)[y0:y0 + h, x0:x0 + w])
    if size is not None and (w, h) != tuple(size):
        out = imresize(out, *size, interp=_get_interp_method(interp, (h, w, size[1], size[0])))
    return out


def random_crop(src, size, interp=2):
    """A crop of `size` (w, h) at a random place (shrunk to fit, then resized up to `size`);
    returns (image, (x0, y0, w, h))."""
    h, w = src.shape[:2]
    new_w, new_h = scale_down((w, h), size)
    x0 = random.randint(0, w - new_w)
    y0 = random.randint(0, h - new_h)
    return fixed_crop(src, x0, y0, new_w, new_h, size, interp), (x0, y0, new_w, new_h)


def center_crop(src, size, interp=2):
    """The centered crop of `size` (w, h) (shrunk to fit, then resized up to `size`);
    returns (image, (x0, y0, w, h))."""
    h, w = src.shape[:2]
    new_w, new_h = scale_down((w, h), size)
    x0 = int((w - new_w) / 2)
    y0 = int((h - new_h) / 2)
    return fixed_crop(src, x0, y0, new_w, new_h, size, interp), (x0, y0, new_w, new_h)


def color_normalize(src, mean, std=None):
    """``(src - mean) / std`` (either may be None)."""
    if mean is not None:
        src = src - mean
    if std is not None:
        src = src / std
    return src


def random_size_crop(src, size, area, ratio, interp=2, **kwargs):
    """A crop with a random area (fraction in `area`, a float meaning (area, 1)) and aspect
    ratio (log-uniform in `ratio`) resized to `size`; ten tries, then the center crop.
    Returns (image, (x0, y0, w, h))."""
    h, w = src.shape[:2]
    if 'min_area' in kwargs:
        area = kwargs.pop('min_area')
    if kwargs:
        raise TypeError('random_size_crop: unexpected arguments %s' % sorted(kwargs))
    if isinstance(area, Number):
        area = (area, 1.0)
    for _ in range(10):
        target_area = random.uniform(area[0], area[1]) * h * w
        new_ratio = np.exp(random.uniform(np.log(ratio[0]), np.log(ratio[1])))
        new_w = int(round(np.sqrt(target_area * new_ratio)))
        new_h = int(round(np.sqrt(target_area / new_ratio)))
        if new_w <= w and new_h <= h:
            x0 = random.randint(0, w - new_w)
            y0 = random.randint(0, h - new_h)
            return fixed_crop(src, x0, y0, new_w, new_h, size, interp), (x0, y0, new_w, new_h)
    return center_crop(src, size, interp)


def _rotation_zoom(h, w, rad, zoom_in, zoom_out):
    """Per-image grid scale keeping the rotated image inside (zoom_in) or around (zoom_out)
    the frame."""
    if not (zoom_in or zoom_out):
        return np.ones_like(rad)
    rho = np.sqrt(h * h + w * w)
    corner = np.arctan(h / w)
    max_x = np.maximum(np.abs(rho * np.cos(corner + np.abs(rad))),
                       np.abs(rho * np.cos(corner - np.abs(rad))))
    max_y = np.maximum(np.abs(rho * np.sin(corner + np.abs(rad))),
                       np.abs(rho * np.sin(corner - np.abs(rad))))
    if zoom_out:
        return np.maximum(max_x / w, max_y / h)
    return np.minimum(w / max_x, h / max_y)


def imrotate(src, rotation_degrees, zoom_in=False, zoom_out=False):
    """Rotate a (C, H, W) image or (N, C, H, W) batch about its center by degrees (one angle,
    or one per image), bilinear, zeros outside; zoom_in / zoom_out scale so that no border
    shows / the whole image stays in view."""
    if zoom_in and zoom_out:
        raise ValueError('`zoom_in` and `zoom_out` cannot be both True')
    if np.dtype(src.dtype) != np.float32:
        raise TypeError('Only `float32` images are supported by this function')
    single = src.ndim == 3
    if single:
        if not isinstance(rotation_degrees, Number):
            raise TypeError('When a single image is passed the rotation angle is required to '
                            'be a scalar.')
        src = src.expand_dims(axis=0)
    elif src.ndim != 4:
        raise ValueError('Only 3D and 4D are supported by this function')
    n, _, h, w = src.shape
    if isinstance(rotation_degrees, Number):
        degrees = np.full((n,), rotation_degrees, dtype=np.float32)
    else:
        degrees = as_numpy(rotation_degrees).astype(np.float32).reshape(-1)
    if len(degrees) != n:
        raise ValueError('The number of images must be equal to the number of rotation angles')
    rad = (np.pi * degrees / 180).astype(np.float32)[:, None, None]
    hscale, wscale = (h - 1) / 2.0, (w - 1) / 2.0
    rows = (np.arange(h, dtype=np.float32)[:, None] - hscale)[None]
    cols = (np.arange(w, dtype=np.float32)[None, :] - wscale)[None]
    cos, sin = np.cos(rad), np.sin(rad)
    grid_x = (cols * cos - rows * sin) / wscale
    grid_y = (cols * sin + rows * cos) / hscale
    zoom = _rotation_zoom(float(h), float(w), rad, zoom_in, zoom_out).astype(np.float32)
    grid = np.stack([grid_x * zoom, grid_y * zoom], axis=1).astype(np.float32)
    rotated = nd.BilinearSampler(src, nd.array(grid, ctx=src.context))
    return rotated[0] if single else rotated


def random_rotate(src, angle_limits, zoom_in=False, zoom_out=False):
    """`imrotate` by an angle drawn uniformly from `angle_limits` (one per image of a batch)."""
    if src.ndim == 3:
        degrees = np.random.uniform(*angle_limits)
    else:
        degrees = nd.array(np.random.uniform(*angle_limits, size=src.shape[0]))
    return imrotate(src, degrees, zoom_in=zoom_in, zoom_out=zoom_out)
