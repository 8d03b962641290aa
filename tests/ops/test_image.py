"""Golden tests for mxsym/ops/image.py against MXNet 1.9.1 (to_tensor, normalize, crop, resize,
flips, lighting, the augmentations at fixed factors), and what goldens cannot pin: random
draws, MXNet's shape errors and the copied gradient."""
import numpy as np
import pytest

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'image')


def test_the_nd_namespace_runs_the_same_ops():
    image = np.arange(24, dtype=np.uint8).reshape(2, 4, 3)
    tensor = mx.nd.image.to_tensor(mx.nd.array(image, dtype='uint8'))
    assert tensor.dtype == np.float32 and tensor.shape == (3, 2, 4)
    np.testing.assert_allclose(tensor.asnumpy(), image.transpose(2, 0, 1) / 255.0, rtol=1e-6)
    normalized = mx.nd.image.normalize(tensor, mean=(0, 1, 2), std=(3, 2, 1))
    want = (image.transpose(2, 0, 1) / 255.0 - np.array([0, 1, 2]).reshape(3, 1, 1)) \
        / np.array([3, 2, 1]).reshape(3, 1, 1)
    np.testing.assert_allclose(normalized.asnumpy(), want, rtol=1e-6)


@pytest.mark.parametrize('op, shape', [('random_flip_left_right', (2, 4, 3)),
                                       ('random_flip_top_bottom', (4, 2, 1))])
def test_random_flips_give_the_image_or_its_flip_both_over_many_draws(op, shape):
    image = np.random.RandomState(0).rand(*shape).astype(np.float32)
    axis = 1 if op.endswith('left_right') else 0
    flipped = 0
    for _ in range(40):
        out = getattr(mx.nd.image, op)(mx.nd.array(image)).asnumpy()
        assert np.array_equal(out, image) or np.array_equal(out, np.flip(image, axis))
        flipped += not np.array_equal(out, image)
    assert 5 < flipped < 35


def test_random_factors_stay_in_their_range():
    image = mx.nd.ones((3, 3, 3)) * 10
    values = {float(mx.nd.image.random_brightness(image, min_factor=0.5, max_factor=1.5)
                    .asnumpy()[0, 0, 0]) for _ in range(20)}
    assert len(values) > 1 and all(5 <= v < 15 for v in values)
    shifts = mx.nd.image.random_lighting(image, alpha_std=0.1).asnumpy()[0, 0] - 10
    assert np.any(shifts != 0) and np.all(np.abs(shifts) < 50)


def test_flip_and_augmentation_gradients_copy_the_head_gradient():
    data = mx.sym.Variable('data')
    head = np.random.RandomState(1).rand(2, 4, 3).astype(np.float32)
    for sym in [mx.sym.image.flip_left_right(data),
                mx.sym.image.random_brightness(data, min_factor=2, max_factor=3)]:
        exe = sym.simple_bind(mx.cpu(), data=(2, 4, 3))
        exe.forward(is_train=True)
        exe.backward(mx.nd.array(head))
        np.testing.assert_array_equal(exe.grad_dict['data'].asnumpy(), head)


def test_resize_to_another_size_has_no_gradient():
    exe = mx.sym.image.resize(mx.sym.Variable('data'), size=(3, 2)).simple_bind(
        mx.cpu(), data=(4, 5, 3))
    with pytest.raises(mx.MXNetError, match='resize: its gradient copies the head gradient'):
        exe.forward(is_train=True)
        exe.backward(mx.nd.ones((2, 3, 3)))


@pytest.mark.parametrize('op, kwargs, shape, message', [
    ('normalize', {}, (3, 4, 4), 'invalid mean .* must have either 1 or 3 elements'),
    ('normalize', {'mean': 0, 'std': 1}, (2, 4, 4), 'either 1 or 3 elements'),
    ('to_tensor', {}, (4, 5), 'shape \\(height, width, channels\\)'),
    ('flip_left_right', {}, (2, 4, 5, 3), 'shape \\(height, width, channels\\)'),
    ('random_brightness', {'min_factor': 1, 'max_factor': 1}, (4, 5, 2),
     'either 1 or 3 elements'),
    ('crop', {'x': 4, 'y': 0, 'width': 3, 'height': 2}, (4, 5, 3), 'x \\+ width'),
    ('crop', {'x': 0, 'y': 3, 'width': 3, 'height': 2}, (4, 5, 3), 'y \\+ height'),
    ('resize', {'size': (1, 2, 3)}, (4, 5, 3), 'size must have 1 or 2 elements'),
])
def test_shape_rules_refuse_what_mxnet_refuses(op, kwargs, shape, message):
    sym = getattr(mx.sym.image, op)(mx.sym.Variable('data'), **kwargs)
    with pytest.raises(mx.MXNetError, match=op + ': .*' + message):
        sym.infer_shape(data=shape)
