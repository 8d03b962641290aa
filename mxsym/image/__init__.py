"""`mx.image` (also `mx.img`): image decoding, resizing, cropping and augmentation with
OpenCV, and `ImageIter`, MXNet's Python image iterator."""
from . import image
from .image import (imdecode, imread, imresize, copyMakeBorder, scale_down, resize_short,
                    fixed_crop, random_crop, center_crop, color_normalize, random_size_crop,
                    imrotate, random_rotate)
from .augmenters import (Augmenter, SequentialAug, RandomOrderAug, ResizeAug, ForceResizeAug,
                         RandomCropAug, RandomSizedCropAug, CenterCropAug, BrightnessJitterAug,
                         ContrastJitterAug, SaturationJitterAug, HueJitterAug, ColorJitterAug,
                         LightingAug, ColorNormalizeAug, RandomGrayAug, HorizontalFlipAug,
                         CastAug, CreateAugmenter)
from .image_iter import ImageIter

__all__ = ['image', 'imdecode', 'imread', 'imresize', 'copyMakeBorder', 'scale_down',
           'resize_short', 'fixed_crop', 'random_crop', 'center_crop', 'color_normalize',
           'random_size_crop', 'imrotate', 'random_rotate', 'Augmenter', 'SequentialAug',
           'RandomOrderAug', 'ResizeAug', 'ForceResizeAug', 'RandomCropAug',
           'RandomSizedCropAug', 'CenterCropAug', 'BrightnessJitterAug', 'ContrastJitterAug',
           'SaturationJitterAug', 'HueJitterAug', 'ColorJitterAug', 'LightingAug',
           'ColorNormalizeAug', 'RandomGrayAug', 'HorizontalFlipAug', 'CastAug',
           'CreateAugmenter', 'ImageIter']
