"""The per-image work of `ImageRecordIter`: MXNet's default augmenter (shorter-side resize,
affine scale/rotate/shear, padding, crops, color jitter, HSL shifts, PCA lighting) on OpenCV
BGR uint8 images, then the layout into a (C, H, W) slot in RGB order with mirror and
normalization. Random choices come from one numpy Generator per image."""
import math

import numpy as np

from ..base import MXNetError
from ..image.image import _get_interp_method
from ..opencv import cv2_module

# PCA lighting: eigenvalue times eigenvector, rows R, G, B
_PCA_EIGVEC = np.array([[55.46 * -0.5675, 4.794 * 0.7192, 1.148 * 0.4009],
                        [55.46 * -0.5808, 4.794 * -0.0045, 1.148 * -0.8140],
                        [55.46 * -0.5836, 4.794 * -0.6948, 1.148 * 0.4203]], dtype=np.float32)
_HLS_LIMITS = np.array([180, 255, 255])


def _saturated(values):
    """float values rounded to nearest (ties to even, as OpenCV's saturate_cast) in uint8."""
    return np.clip(np.rint(values), 0, 255).astype(np.uint8)


class DefaultAugmenter:
    """MXNet's `aug_default` with the iterator's keyword arguments."""

    def __init__(self, data_shape, resize=-1, rand_crop=False, random_resized_crop=False,
                 max_rotate_angle=0.0, max_aspect_ratio=0.0, min_aspect_ratio=None,
                 max_shear_ratio=0.0, max_crop_size=-1, min_crop_size=-1,
                 max_random_scale=1.0, min_random_scale=1.0, max_random_area=1.0,
                 min_random_area=1.0, max_img_size=1e10, min_img_size=0.0, brightness=0.0,
                 contrast=0.0, saturation=0.0, pca_noise=0.0, random_h=0, random_s=0,
                 random_l=0, rotate=-1.0, fill_value=255, inter_method=1, pad=0):
        if not (0 <= inter_method <= 4 or 9 <= inter_method <= 10):
            raise MXNetError('ImageRecordIter: invalid inter_method %d: valid values 0, 1, 2, '
                             '3, 4, 9, 10' % inter_method)
        self.channels, self.height, self.width = data_shape
        self.resize = resize
        self.rand_crop = rand_crop
        self.random_resized_crop = random_resized_crop
        self.max_rotate_angle = max_rotate_angle
        self.max_shear_ratio = max_shear_ratio
        self.crop_sizes = (min_crop_size, max_crop_size)
        self.scales = (min_random_scale, max_random_scale)
        self.areas = (min_random_area, max_random_area)
        self.img_sizes = (min_img_size, max_img_size)
        if min_aspect_ratio is not None:
            self.ratios = (min_aspect_ratio, max_aspect_ratio)
        else:
            self.ratios = (1 - max_aspect_ratio, 1 + max_aspect_ratio)
        self.brightness, self.contrast, self.saturation = brightness, contrast, saturation
        self.pca_noise = pca_noise
        self.hsl = (random_h, random_s, random_l)
        self.rotate = rotate
        self.fill = (fill_value,) * 3
        self.inter_method = inter_method
        self.pad = pad
        if random_resized_crop and (self.scales != (1.0, 1.0) or self.crop_sizes != (-1, -1)
                                    or rand_crop):
            raise MXNetError('ImageRecordIter: random_resized_crop conflicts with '
                             'min_random_scale, max_random_scale, min_crop_size, max_crop_size '
                             'and rand_crop')

    def _interp(self, old_w, old_h, new_w, new_h, rng):
        return _get_interp_method(self.inter_method, (old_h, old_w, new_h, new_w),
                                  lambda: int(rng.integers(0, 5)))

    def _wants_affine(self):
        return (self.max_rotate_angle > 0 or self.max_shear_ratio > 0 or self.rotate > 0
                or self.scales != (1.0, 1.0)
                or (not self.random_resized_crop and self.ratios != (1.0, 1.0))
                or self.img_sizes != (0.0, 1e10))

    def __call__(self, img, rng):
        cv2 = cv2_module()
        if self.resize != -1:
            rows, cols = img.shape[:2]
            if rows > cols:
                new_h, new_w = self.resize * rows // cols, self.resize
            else:
                new_h, new_w = self.resize, self.resize * cols // rows
            img = cv2.resize(img, (new_w, new_h),
                             interpolation=self._interp(cols, rows, new_w, new_h, rng))
        if self._wants_affine():
            img = self._affine(img, rng)
        if self.pad > 0:
            img = cv2.copyMakeBorder(img, self.pad, self.pad, self.pad, self.pad,
                                     cv2.BORDER_CONSTANT, value=self.fill)
        img = self._crop(img, rng)
        if self.brightness > 0 or self.contrast > 0 or self.saturation > 0:
            img = self._color_jitter(img, rng)
        if any(self.hsl):
            img = self._hsl_shift(img, rng)
        if self.pca_noise > 0:
            img = self._pca_lighting(img, rng)
        return img.reshape(img.shape[:2] + (-1,))

    def _affine(self, img, rng):
        shear = rng.random() * self.max_shear_ratio * 2 - self.max_shear_ratio
        angle = int(rng.integers(-int(self.max_rotate_angle), int(self.max_rotate_angle) + 1))
        if self.rotate > 0:
            angle = self.rotate
        a, b = math.cos(angle / 180.0 * math.pi), math.sin(angle / 180.0 * math.pi)
        scale = ratio = 1.0
        if not self.random_resized_crop:
            scale = rng.random() * (self.scales[1] - self.scales[0]) + self.scales[0]
            ratio = rng.random() * (self.ratios[1] - self.ratios[0]) + self.ratios[0]
        hs = 2 * scale / (1 + ratio)
        ws = ratio * hs
        rows, cols = img.shape[:2]
        new_w = max(self.img_sizes[0], min(self.img_sizes[1], scale * cols))
        new_h = max(self.img_sizes[0], min(self.img_sizes[1], scale * rows))
        m = np.zeros((2, 3), dtype=np.float32)
        m[0, 0], m[1, 0] = hs * a - shear * b * ws, -b * ws
        m[0, 1], m[1, 1] = hs * b + shear * a * ws, a * ws
        m[0, 2] = (new_w - (m[0, 0] * cols + m[0, 1] * rows)) / 2
        m[1, 2] = (new_h - (m[1, 0] * cols + m[1, 1] * rows)) / 2
        size = (int(new_w), int(new_h))
        return cv2_module().warpAffine(
            img, m, size, flags=self._interp(cols, rows, size[0], size[1], rng),
            borderMode=cv2_module().BORDER_CONSTANT, borderValue=self.fill)

    def _resized_roi(self, img, x, y, w, h, rng):
        return cv2_module().resize(img[y:y + h, x:x + w], (self.width, self.height),
                                   interpolation=self._interp(w, h, self.width, self.height,
                                                              rng))

    def _crop(self, img, rng):
        rows, cols = img.shape[:2]
        if self.random_resized_crop and (self.areas != (1.0, 1.0) or self.ratios != (1.0, 1.0)):
            for _ in range(10):
                target = rows * cols * rng.uniform(*self.areas)
                ratio = rng.uniform(*self.ratios)
                h = int(round(math.sqrt(target / ratio)))
                w = int(round(math.sqrt(target * ratio)))
                if rng.random() > 0.5:
                    h, w = w, h
                if h <= rows and w <= cols:
                    y = int(rng.integers(0, rows - h + 1))
                    x = int(rng.integers(0, cols - w + 1))
                    return self._resized_roi(img, x, y, w, h, rng)
        elif not self.random_resized_crop and self.crop_sizes != (-1, -1):
            low, high = self.crop_sizes
            if not (cols >= high and rows >= high and high >= low):
                raise MXNetError('ImageRecordIter: input image size %dx%d smaller than '
                                 'max_crop_size %d' % (cols, rows, high))
            size = int(rng.integers(low, high + 1))
            y, x = self._crop_origin(rows - size, cols - size, rng)
            return self._resized_roi(img, x, y, size, size, rng)
        return self._center_or_random_crop(img, rng)

    def _crop_origin(self, spare_rows, spare_cols, rng):
        if self.rand_crop:
            return int(rng.integers(0, spare_rows + 1)), int(rng.integers(0, spare_cols + 1))
        return spare_rows // 2, spare_cols // 2

    def _center_or_random_crop(self, img, rng):
        cv2 = cv2_module()
        rows, cols = img.shape[:2]
        interp = self._interp(cols, rows, self.width, self.height, rng)
        if rows < self.height:
            new_cols = int(np.float32(self.height) / np.float32(rows) * np.float32(cols))
            img = cv2.resize(img, (new_cols, self.height), interpolation=interp)
            rows, cols = img.shape[:2]
        if cols < self.width:
            new_rows = int(np.float32(self.width) / np.float32(cols) * np.float32(rows))
            img = cv2.resize(img, (self.width, new_rows), interpolation=interp)
            rows, cols = img.shape[:2]
        if rows < self.height or cols < self.width:
            raise MXNetError('ImageRecordIter: input image size %dx%d smaller than input shape '
                             '%dx%d' % (cols, rows, self.width, self.height))
        y, x = self._crop_origin(rows - self.height, cols - self.width, rng)
        return img[y:y + self.height, x:x + self.width]

    def _color_jitter(self, img, rng):
        cv2 = cv2_module()
        alphas = [1.0 + rng.uniform(-v, v) if v > 0 else 1.0
                  for v in (self.brightness, self.contrast, self.saturation)]
        for which in rng.permutation(3):
            alpha = alphas[which]
            if which == 0:
                img = _saturated(img.astype(np.float32) * alpha)
            elif which == 1:
                gray_mean = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY).mean()
                img = _saturated(img.astype(np.float32) * alpha + (1 - alpha) * gray_mean)
            else:
                gray = cv2.cvtColor(cv2.cvtColor(img, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2BGR)
                img = cv2.addWeighted(img, alpha, gray, 1 - alpha, 0.0)
        return img

    def _hsl_shift(self, img, rng):
        cv2 = cv2_module()
        draws = [(rng.random() + 4 * rng.random()) / 5 for _ in range(3)]
        h, s, l = [int(d * v * 2 - v) for d, v in zip(draws, self.hsl)]
        hls = cv2.cvtColor(img, cv2.COLOR_BGR2HLS).astype(np.int32)
        hls = np.clip(hls + np.array([h, l, s]), 0, _HLS_LIMITS).astype(np.uint8)
        return cv2.cvtColor(hls, cv2.COLOR_HLS2BGR)

    def _pca_lighting(self, img, rng):
        alphas = rng.normal(0, self.pca_noise, size=3).astype(np.float32)
        rgb = _PCA_EIGVEC @ alphas
        shift = rgb[::-1].astype(np.int32)   # BGR order; OpenCV's int conversion truncates
        return np.clip(img.astype(np.int32) + shift, 0, 255).astype(np.uint8)


class Normalizer:
    """The last step: BGR(A) to RGB(A), optional mirror, ``(x - mean) * scale / std`` (with
    random contrast and illumination), written into a (C, H, W) slot."""

    def __init__(self, channels, dtype, mean_rgba, std_rgba, scale, mirror, rand_mirror,
                 max_random_contrast, max_random_illumination, mean_img=None):
        self.dtype = np.dtype(dtype)
        self.order = [0] if channels == 1 else ([2, 1, 0] if channels == 3 else [2, 1, 0, 3])
        self.mean = np.asarray(mean_rgba[:channels], dtype=np.float32)[:, None, None]
        self.std = np.asarray(std_rgba[:channels], dtype=np.float32)[:, None, None]
        self.scale = np.float32(scale)
        self.mirror, self.rand_mirror = mirror, rand_mirror
        self.max_contrast = np.float32(max_random_contrast)
        self.max_illumination = np.float32(max_random_illumination)
        self.mean_img = mean_img
        self.normalizes = self.dtype.kind == 'f'

    def __call__(self, img, slot, rng):
        """Write `img` (H, W, C BGR uint8) into `slot` (C, H, W)."""
        mirrored = (self.rand_mirror and rng.random() < 0.5) or self.mirror
        planes = img.transpose(2, 0, 1)[self.order]
        if mirrored:
            planes = planes[:, :, ::-1]
        if not self.normalizes:
            if self.dtype == np.int8:
                slot[...] = np.clip(planes.astype(np.int16) - np.rint(self.mean).astype(np.int16),
                                    -128, 127)
            else:
                slot[...] = planes
            return
        contrast = (np.float32(rng.random()) * self.max_contrast * 2 - self.max_contrast + 1) \
            * self.scale
        illumination = (np.float32(rng.random()) * self.max_illumination * 2
                        - self.max_illumination) * self.scale
        mult = np.float32(contrast) / self.std
        bias = np.float32(illumination) / self.std
        mean = self.mean if self.mean_img is None else self.mean_img
        if mirrored and self.mean_img is not None:
            mean = mean[:, :, ::-1]
        slot[...] = (planes.astype(np.float32) - mean) * mult + bias
