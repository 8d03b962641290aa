"""Golden cases for mxsym/ops/image.py (recorded from MXNet 1.9.1 by make_ops_golden.py).
Integer images and resizes that change the size are bound without gradients: MXNet's `_copy`
gradient cannot fill an input of another size. The random augmentations are recorded with a
fixed factor (min_factor == max_factor, alpha_std 0), the only way their values are defined.
Flips have even sizes and lighting three channels: MXNet leaves a flip's middle row or column
and a one-channel image's lighting output unwritten."""
from op_cases import case

PIXELS = {'data': 'ints:0:255'}
UNIT = {'data': 'uniform:0:1'}
CHANNEL_NORM = {'mean': (0, 1, 2), 'std': (3, 2, 1)}


def cases():
    return _to_tensor() + _normalize() + _crop() + _resize() + _flips() + _colour()


def _to_tensor():
    return [
        case('to_tensor_uint8', 'image.to_tensor', {'data': (4, 5, 3)}, dtype='uint8',
             grad_req='null'),
        case('to_tensor_batch', 'image.to_tensor', {'data': (2, 4, 5, 3)}, values=PIXELS),
        case('to_tensor_gray_float64', 'image.to_tensor', {'data': (3, 4, 1)}, values=PIXELS,
             dtype='float64'),
    ]


def _normalize():
    return [
        case('normalize_channels', 'image.normalize', {'data': (3, 6, 5)}, CHANNEL_NORM,
             values=UNIT),
        case('normalize_batch', 'image.normalize', {'data': (2, 3, 4, 4)}, CHANNEL_NORM,
             values=UNIT),
        case('normalize_scalar', 'image.normalize', {'data': (3, 4, 4)},
             {'mean': 1.0, 'std': 2.0}, values=UNIT),
        case('normalize_gray', 'image.normalize', {'data': (2, 1, 3, 3)},
             {'mean': (0.5,), 'std': (0.25,)}),
        case('normalize_float16', 'image.normalize', {'data': (3, 4, 4)},
             {'mean': (0.1, 0.2, 0.3), 'std': (0.7, 0.8, 0.9)}, dtype='float16'),
        case('normalize_float64', 'image.normalize', {'data': (3, 4, 4)},
             {'mean': (0.1, 0.2, 0.3), 'std': (0.7, 0.8, 0.9)}, dtype='float64'),
        case('normalize_uint8', 'image.normalize', {'data': (3, 4, 4)},
             {'mean': (10, 20, 30), 'std': (2, 3, 4)}, dtype='uint8', grad_req='null'),
    ]


def _crop():
    return [
        case('crop_image', 'image.crop', {'data': (6, 7, 3)},
             {'x': 1, 'y': 2, 'width': 4, 'height': 3}),
        case('crop_batch', 'image.crop', {'data': (2, 5, 5, 1)},
             {'x': 0, 'y': 1, 'width': 5, 'height': 2}),
        case('crop_uint8', 'image.crop', {'data': (4, 4, 3)},
             {'x': 2, 'y': 0, 'width': 2, 'height': 4}, dtype='uint8', grad_req='null'),
    ]


def _resize():
    def resize_case(case_id, shape, kwargs, dtype='float32', values=PIXELS):
        return case(case_id, 'image.resize', {'data': shape}, kwargs, dtype=dtype,
                    values=values, grad_req='null')
    return [
        resize_case('resize_bilinear_up', (4, 5, 3), {'size': (8, 7)}),
        resize_case('resize_bilinear_down', (9, 8, 3), {'size': (3, 4)}),
        resize_case('resize_bilinear_square', (5, 7, 1), {'size': 6}),
        resize_case('resize_keep_ratio_tall', (8, 6, 3), {'size': 3, 'keep_ratio': True}),
        resize_case('resize_keep_ratio_wide', (6, 9, 3), {'size': 4, 'keep_ratio': True}),
        resize_case('resize_batch', (2, 4, 6, 3), {'size': (3, 5)}),
        resize_case('resize_nearest_up', (3, 4, 3), {'size': (7, 5), 'interp': 0}),
        resize_case('resize_nearest_down', (7, 9, 3), {'size': (4, 3), 'interp': 0}),
        resize_case('resize_nearest_uint8', (5, 6, 3), {'size': (4, 8), 'interp': 0},
                    dtype='uint8'),
        resize_case('resize_float64', (4, 4, 3), {'size': (6, 5)}, dtype='float64'),
        case('resize_same_size', 'image.resize', {'data': (4, 5, 3)}, {'size': (5, 4)},
             values=PIXELS),
    ]


def _flips():
    return [
        case('flip_left_right', 'image.flip_left_right', {'data': (3, 6, 3)}),
        case('flip_top_bottom', 'image.flip_top_bottom', {'data': (4, 3, 1)}),
        case('flip_left_right_uint8', 'image.flip_left_right', {'data': (2, 4, 3)},
             dtype='uint8', grad_req='null'),
    ]


def _colour():
    def fixed(case_id, op, kwargs, shape=(4, 5, 3), dtype='float32', values=PIXELS):
        return case(case_id, op, {'data': shape}, kwargs, dtype=dtype, values=values,
                    grad_req='null' if dtype == 'uint8' else 'write')
    half = {'min_factor': 0.5, 'max_factor': 0.5}
    bright = {'min_factor': 1.7, 'max_factor': 1.7}
    return [
        fixed('brightness', 'image.random_brightness', half),
        fixed('brightness_uint8_saturates', 'image.random_brightness', bright, dtype='uint8'),
        fixed('contrast', 'image.random_contrast', half),
        fixed('contrast_gray', 'image.random_contrast', bright, shape=(3, 4, 1)),
        fixed('contrast_uint8', 'image.random_contrast', bright, dtype='uint8'),
        fixed('saturation', 'image.random_saturation', half),
        fixed('saturation_uint8', 'image.random_saturation', bright, dtype='uint8'),
        fixed('saturation_gray', 'image.random_saturation', half, shape=(3, 3, 1)),
        fixed('adjust_lighting', 'image.adjust_lighting', {'alpha': (0.1, -0.2, 0.3)}),
        fixed('adjust_lighting_uint8', 'image.adjust_lighting', {'alpha': (2.0, 1.0, -3.0)},
              dtype='uint8'),
        fixed('random_lighting_zero_std', 'image.random_lighting', {'alpha_std': 0.0}),
    ]
