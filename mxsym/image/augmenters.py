"""The augmenters of `mx.image` and `CreateAugmenter`, the list `ImageIter` applies.

Each augmenter is a callable on one (H, W, C) image: an NDArray in, an NDArray out (a numpy
array in, numpy out). Random choices come from Python's `random` (and `numpy.random` for the
lighting noise), drawn in MXNet's order, so a seeded run draws the same choices.
"""
import json
import random

import numpy as np

from .. import ndarray as nd
from .image import (as_numpy, center_crop, like_input, random_crop, random_size_crop,
                    resize_numpy, resize_short, _get_interp_method, color_normalize)

_GRAY_COEF = np.array([[[0.299, 0.587, 0.114]]], dtype=np.float32)


def _arithmetic(src, fn):
    """`fn` on the values of `src` in its own dtype, given back in the kind of `src`."""
    values = as_numpy(src)
    return like_input(src, fn(values).astype(values.dtype, copy=False))


class Augmenter:
    """Base augmenter: keeps its arguments for `dumps` (arrays as lists)."""

    def __init__(self, **kwargs):
        self._kwargs = kwargs
        for key, value in self._kwargs.items():
            if isinstance(value, (nd.NDArray, np.ndarray)):
                self._kwargs[key] = as_numpy(value).tolist()

    def dumps(self):
        """The augmenter as JSON: ``[lowercase class name, arguments]``."""
        return json.dumps([self.__class__.__name__.lower(), self._kwargs])

    def __call__(self, src):
        raise NotImplementedError('Must override implementation.')


class SequentialAug(Augmenter):
    """The augmenters `ts` one after another."""

    def __init__(self, ts):
        super().__init__()
        self.ts = ts

    def dumps(self):
        return [self.__class__.__name__.lower(), [t.dumps() for t in self.ts]]

    def __call__(self, src):
        for aug in self.ts:
            src = aug(src)
        return src


class RandomOrderAug(SequentialAug):
    """The augmenters `ts` in a random order (shuffled in place at each call)."""

    def __call__(self, src):
        random.shuffle(self.ts)
        return super().__call__(src)


class ResizeAug(Augmenter):
    """Resize the shorter side to `size`."""

    def __init__(self, size, interp=2):
        super().__init__(size=size, interp=interp)
        self.size = size
        self.interp = interp

    def __call__(self, src):
        return resize_short(src, self.size, self.interp)


class ForceResizeAug(Augmenter):
    """Resize to `size` (w, h) whatever the aspect ratio."""

    def __init__(self, size, interp=2):
        super().__init__(size=size, interp=interp)
        self.size = size
        self.interp = interp

    def __call__(self, src):
        h, w = src.shape[:2]
        interp = _get_interp_method(self.interp, (h, w, self.size[1], self.size[0]))
        return like_input(src, resize_numpy(as_numpy(src), self.size[0], self.size[1], interp))


class RandomCropAug(Augmenter):
    """A random crop of `size` (w, h)."""

    def __init__(self, size, interp=2):
        super().__init__(size=size, interp=interp)
        self.size = size
        self.interp = interp

    def __call__(self, src):
        return random_crop(src, self.size, self.interp)[0]


class RandomSizedCropAug(Augmenter):
    """A crop of random area and aspect ratio resized to `size` (see `random_size_crop`)."""

    def __init__(self, size, area, ratio, interp=2, **kwargs):
        super().__init__(size=size, area=area, ratio=ratio, interp=interp)
        self.size = size
        self.area = kwargs.pop('min_area', area)
        if kwargs:
            raise TypeError('RandomSizedCropAug: unexpected arguments %s' % sorted(kwargs))
        self.ratio = ratio
        self.interp = interp

    def __call__(self, src):
        return random_size_crop(src, self.size, self.area, self.ratio, self.interp)[0]


class CenterCropAug(Augmenter):
    """The centered crop of `size` (w, h)."""

    def __init__(self, size, interp=2):
        super().__init__(size=size, interp=interp)
        self.size = size
        self.interp = interp

    def __call__(self, src):
        return center_crop(src, self.size, self.interp)[0]


class BrightnessJitterAug(Augmenter):
    """Scale by 1 + a uniform draw from [-brightness, brightness]."""

    def __init__(self, brightness):
        super().__init__(brightness=brightness)
        self.brightness = brightness

    def __call__(self, src):
        alpha = 1.0 + random.uniform(-self.brightness, self.brightness)
        return _arithmetic(src, lambda x: x * np.float32(alpha))


class ContrastJitterAug(Augmenter):
    """Blend with the mean gray level: alpha = 1 + a draw from [-contrast, contrast]."""

    def __init__(self, contrast):
        super().__init__(contrast=contrast)
        self.contrast = contrast
        self.coef = nd.array(_GRAY_COEF)

    def __call__(self, src):
        alpha = 1.0 + random.uniform(-self.contrast, self.contrast)

        def blend(x):
            gray = x * _GRAY_COEF
            shift = np.float32(3.0 * (1.0 - alpha) / gray.size) * gray.sum(dtype=np.float32)
            return x * np.float32(alpha) + shift
        return _arithmetic(src, blend)


class SaturationJitterAug(Augmenter):
    """Blend with each pixel's gray level: alpha = 1 + a draw from [-saturation, saturation]."""

    def __init__(self, saturation):
        super().__init__(saturation=saturation)
        self.saturation = saturation
        self.coef = nd.array(_GRAY_COEF)

    def __call__(self, src):
        alpha = 1.0 + random.uniform(-self.saturation, self.saturation)

        def blend(x):
            gray = (x * _GRAY_COEF).sum(axis=2, keepdims=True) * np.float32(1.0 - alpha)
            return x * np.float32(alpha) + gray
        return _arithmetic(src, blend)


class HueJitterAug(Augmenter):
    """Rotate the hue (in YIQ space) by a draw from [-hue, hue] half-turns."""

    def __init__(self, hue):
        super().__init__(hue=hue)
        self.hue = hue
        self.tyiq = np.array([[0.299, 0.587, 0.114],
                              [0.596, -0.274, -0.321],
                              [0.211, -0.523, 0.311]])
        self.ityiq = np.array([[1.0, 0.956, 0.621],
                               [1.0, -0.272, -0.647],
                               [1.0, -1.107, 1.705]])

    def __call__(self, src):
        alpha = random.uniform(-self.hue, self.hue)
        u, w = np.cos(alpha * np.pi), np.sin(alpha * np.pi)
        rotation = np.array([[1.0, 0.0, 0.0], [0.0, u, -w], [0.0, w, u]])
        transform = (self.ityiq @ rotation @ self.tyiq).T.astype(np.float32)
        return _arithmetic(src, lambda x: x @ transform)


class ColorJitterAug(RandomOrderAug):
    """Brightness, contrast and saturation jitter (those > 0) in a random order."""

    def __init__(self, brightness, contrast, saturation):
        ts = []
        if brightness > 0:
            ts.append(BrightnessJitterAug(brightness))
        if contrast > 0:
            ts.append(ContrastJitterAug(contrast))
        if saturation > 0:
            ts.append(SaturationJitterAug(saturation))
        super().__init__(ts)


class LightingAug(Augmenter):
    """AlexNet-style PCA lighting noise: add eigvec * N(0, alphastd) . eigval to each pixel."""

    def __init__(self, alphastd, eigval, eigvec):
        super().__init__(alphastd=alphastd, eigval=eigval, eigvec=eigvec)
        self.alphastd = alphastd
        self.eigval = eigval
        self.eigvec = eigvec

    def __call__(self, src):
        alpha = np.random.normal(0, self.alphastd, size=(3,))
        rgb = np.dot(self.eigvec * alpha, self.eigval).astype(np.float32)
        return _arithmetic(src, lambda x: x + rgb)


class ColorNormalizeAug(Augmenter):
    """``(src - mean) / std``."""

    def __init__(self, mean, std):
        super().__init__(mean=mean, std=std)
        self.mean = None if mean is None else as_numpy(mean).astype(np.float32)
        self.std = None if std is None else as_numpy(std).astype(np.float32)

    def __call__(self, src):
        return _arithmetic(src, lambda x: color_normalize(x, self.mean, self.std))


class RandomGrayAug(Augmenter):
    """With probability `p`, gray (all three channels the same luminance)."""

    def __init__(self, p):
        super().__init__(p=p)
        self.p = p
        self.mat = np.array([[0.21, 0.21, 0.21],
                             [0.72, 0.72, 0.72],
                             [0.07, 0.07, 0.07]], dtype=np.float32)

    def __call__(self, src):
        if random.random() < self.p:
            return _arithmetic(src, lambda x: x @ self.mat)
        return src


class HorizontalFlipAug(Augmenter):
    """With probability `p`, mirror left-right."""

    def __init__(self, p):
        super().__init__(p=p)
        self.p = p

    def __call__(self, src):
        if random.random() < self.p:
            return like_input(src, np.ascontiguousarray(as_numpy(src)[:, ::-1]))
        return src


class CastAug(Augmenter):
    """Cast to `typ` (float32)."""

    def __init__(self, typ='float32'):
        super().__init__(type=typ)
        self.typ = typ

    def __call__(self, src):
        return src.astype(self.typ)


_IMAGENET_MEAN = [123.68, 116.28, 103.53]
_IMAGENET_STD = [58.395, 57.12, 57.375]
_PCA_EIGVAL = np.array([55.46, 4.794, 1.148])
_PCA_EIGVEC = np.array([[-0.5675, 0.7192, 0.4009],
                        [-0.5808, -0.0045, -0.8140],
                        [-0.5836, -0.6948, 0.4203]])


def _check_channel_stats(name, value):
    if not isinstance(value, (np.ndarray, nd.NDArray)) or value.shape[0] not in (1, 3):
        raise ValueError('CreateAugmenter: %s must be True, None or an array of 1 or 3 values, '
                         'got %r' % (name, value))


def CreateAugmenter(data_shape, resize=0, rand_crop=False, rand_resize=False, rand_mirror=False,
                    mean=None, std=None, brightness=0, contrast=0, saturation=0, hue=0,
                    pca_noise=0, rand_gray=0, inter_method=2):
    """The standard augmenter list for images of `data_shape` (C, H, W): optional shorter-side
    resize, a crop (random-sized, random or center), mirror, cast to float32, color jitter,
    hue, PCA lighting, random gray, normalization (``mean=True`` / ``std=True``: ImageNet's)."""
    auglist = []
    if resize > 0:
        auglist.append(ResizeAug(resize, inter_method))
    crop_size = (data_shape[2], data_shape[1])
    if rand_resize:
        if not rand_crop:
            raise ValueError('CreateAugmenter: rand_resize needs rand_crop')
        auglist.append(RandomSizedCropAug(crop_size, 0.08, (3.0 / 4.0, 4.0 / 3.0), inter_method))
    elif rand_crop:
        auglist.append(RandomCropAug(crop_size, inter_method))
    else:
        auglist.append(CenterCropAug(crop_size, inter_method))
    if rand_mirror:
        auglist.append(HorizontalFlipAug(0.5))
    auglist.append(CastAug())
    if brightness or contrast or saturation:
        auglist.append(ColorJitterAug(brightness, contrast, saturation))
    if hue:
        auglist.append(HueJitterAug(hue))
    if pca_noise > 0:
        auglist.append(LightingAug(pca_noise, _PCA_EIGVAL, _PCA_EIGVEC))
    if rand_gray > 0:
        auglist.append(RandomGrayAug(rand_gray))
    if mean is True:
        mean = nd.array(_IMAGENET_MEAN)
    elif mean is not None:
        _check_channel_stats('mean', mean)
    if std is True:
        std = nd.array(_IMAGENET_STD)
    elif std is not None:
        _check_channel_stats('std', std)
    if mean is not None or std is not None:
        auglist.append(ColorNormalizeAug(mean, std))
    return auglist
