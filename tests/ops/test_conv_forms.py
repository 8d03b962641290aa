"""The rewritten convolutions against XLA's own grouped convolution: values and both
gradients, channels first and last, over strides, padding, dilation and channel multipliers."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax import lax

from mxsym.ops import conv_forms
from mxsym.ops.conv_forms import depthwise_convolution, pointwise_convolution

CHANNELS = 3


def channels_last(value):
    return jnp.moveaxis(value, 1, -1)


def channels_first(value):
    return jnp.moveaxis(value, -1, 1)


def check_against_lax(ours, groups, weight_shape, strides, pad, dilation, layout, data_shape):
    """Values and vjp of `ours(data, weight)` (channels-first arrays in and out) against
    lax.conv_general_dilated."""
    rng = np.random.RandomState(0)
    data = jnp.asarray(rng.randn(*data_shape).astype(np.float32))
    weight = jnp.asarray(rng.randn(*weight_shape).astype(np.float32))

    def reference(x, w):
        return lax.conv_general_dilated(x, w, strides, [(p, p) for p in pad],
                                        rhs_dilation=dilation, feature_group_count=groups,
                                        dimension_numbers=('NCHW', 'OIHW', 'NCHW'))

    def rewritten(x, w):
        if layout == 'NHWC':
            return channels_first(ours(channels_last(x), channels_last(w), layout))
        return ours(x, w, layout)
    # Both sides are float32 with different summation orders; the gradients sum over the
    # batch and every window position (up to ~200 terms), hence 1e-4 for them.
    want, want_vjp = jax.vjp(jax.jit(reference), data, weight)
    got, got_vjp = jax.vjp(jax.jit(rewritten), data, weight)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
    head = jnp.asarray(rng.randn(*want.shape).astype(np.float32))
    for name, g, w in zip(('data', 'weight'), got_vjp(head), want_vjp(head)):
        np.testing.assert_allclose(g, w, rtol=1e-4, atol=1e-4, err_msg=name)


@pytest.mark.parametrize('layout', ['NCHW', 'NHWC'])
@pytest.mark.parametrize('kernel,stride,pad,dilation,multiplier', [
    (3, 1, 1, 1, 1), (3, 2, 1, 1, 1), (3, 3, 0, 1, 1), (5, 2, 2, 1, 1), (1, 2, 0, 1, 1),
    (3, 1, 2, 2, 1), (3, 2, 0, 2, 1), (3, 1, 1, 1, 2), (5, 3, 1, 2, 2)])
def test_depthwise_convolution(kernel, stride, pad, dilation, multiplier, layout):
    check_against_lax(
        lambda x, w, layout: depthwise_convolution(x, w, (stride,) * 2, (pad,) * 2,
                                                   (dilation,) * 2, layout),
        CHANNELS, (CHANNELS * multiplier, 1, kernel, kernel), (stride, stride), (pad, pad),
        (dilation, dilation), layout, (2, CHANNELS, 9, 7))


@pytest.mark.parametrize('layout', ['NCHW', 'NHWC'])
@pytest.mark.parametrize('kernel,stride,pad,dilation,multiplier', [
    (3, 1, 1, 1, 1), (3, 2, 1, 1, 2), (5, 3, 1, 2, 1)])
def test_depthwise_tap_gradients_one_image_at_a_time(kernel, stride, pad, dilation,
                                                      multiplier, layout, monkeypatch):
    """Big batches sum the tap gradients in a loop over images: the same gradients."""
    monkeypatch.setattr(conv_forms, '_TAP_LOOP_BYTES', 1)
    check_against_lax(
        lambda x, w, layout: depthwise_convolution(x, w, (stride,) * 2, (pad,) * 2,
                                                   (dilation,) * 2, layout),
        CHANNELS, (CHANNELS * multiplier, 1, kernel, kernel), (stride, stride), (pad, pad),
        (dilation, dilation), layout, (4, CHANNELS, 9, 7))


@pytest.mark.parametrize('stride', [1, 2])
@pytest.mark.parametrize('layout', ['NCHW', 'NHWC'])
def test_pointwise_convolution(stride, layout):
    check_against_lax(
        lambda x, w, layout: pointwise_convolution(x, w, (stride,) * 2, layout),
        1, (5, CHANNELS, 1, 1), (stride, stride), (0, 0), (1, 1), layout, (2, CHANNELS, 9, 7))


@pytest.mark.parametrize('layout', ['NCHW', 'NHWC'])
@pytest.mark.parametrize('data_size,kernel,stride,pad,dilation', [
    (2, 3, 1, 1, 1), (4, 3, 2, 1, 1), (7, 5, 3, 0, 1), (3, 3, 1, 2, 2),
    (1, 3, 1, 1, 1), (1, 3, 2, 2, 1)])   # taps that read only padding
def test_window_product_convolution(data_size, kernel, stride, pad, dilation, layout):
    check_against_lax(
        lambda x, w, layout: conv_forms.window_product_convolution(
            x, w, (stride,) * 2, (pad,) * 2, (dilation,) * 2, layout),
        1, (5, CHANNELS, kernel, kernel), (stride, stride), (pad, pad), (dilation, dilation),
        layout, (2, CHANNELS, data_size, data_size + 1))


def test_suits_window_product():
    """Ungrouped, with fewer input or output positions than taps, or with batch times output
    positions at most half the filters: the window product's cases."""
    def suits(data_shape, kernel, stride=1, pad=0, groups=1, filters=4):
        params = type('Params', (), {'num_group': groups, 'kernel': (kernel,) * 2,
                                     'num_filter': filters})
        return conv_forms.suits_window_product(
            params, 'NCHW', jnp.zeros(data_shape), (pad,) * 2, (stride,) * 2, (1, 1))
    assert suits((1, 4, 2, 2), 3, pad=1)
    assert suits((1, 4, 4, 4), 3, stride=2, pad=1)   # 2x2 out: its data gradient swaps
    assert not suits((1, 4, 3, 3), 3, pad=1)
    assert not suits((1, 4, 2, 2), 3, pad=1, groups=2)
    assert suits((2, 4, 3, 3), 3, pad=1, filters=36)
    assert not suits((2, 4, 3, 3), 3, pad=1, filters=35)
