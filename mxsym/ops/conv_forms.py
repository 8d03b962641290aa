"""Convolutions that XLA's CPU backend runs slowly, rewritten in forms it runs fast: 1x1
convolutions as matrix products, depthwise ones as sums of shifted copies (with a gradient of
the same form), and those with fewer positions than their window has taps as a matrix product
of the windows. All take channels-first or channels-last data (`layout`)."""
import functools
import itertools
import math
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax


def is_depthwise(params, layout, data, weight):
    """A convolution with one input channel per group and a small window."""
    channels = data.shape[layout.index('C')]
    return (params.num_group > 1 and params.num_group == channels
            and weight.shape[1 if layout.startswith('NC') else -1] == 1
            and math.prod(params.kernel) <= 25 and jnp.issubdtype(data.dtype, jnp.floating))


def is_pointwise(params, pad):
    """An ungrouped 1x1 convolution without padding."""
    return params.num_group == 1 and all(k == 1 for k in params.kernel) and not any(pad)


def suits_window_product(params, layout, data, pad, strides, dilation):
    """An ungrouped convolution that runs faster as `window_product_convolution`: one with
    fewer input or output positions than its window has taps, or whose windows over the batch
    take at most half its weight's memory (batch times output positions at most half the output
    channels). XLA swaps the operands of the first kind (the data becomes the window), a form
    its CPU backend runs in a slow generic loop (ResNet-18's last stage at 64 pixels, 2x2
    positions under a 3x3 window: ~30x slower), and its data gradient, a convolution of the
    output's shape, the same way; for the second kind XLA spends longer copying the weight
    into its convolutions' layout, on every run, than computing (ResNet-18 inference on one
    image: ~40% faster)."""
    if params.num_group != 1:
        return False
    geometry = _window_geometry(layout, params.kernel, strides, pad, dilation)
    out_size = geometry.out_size(data.shape)
    if min(out_size) < 1:   # a window larger than the data: the convolution's rule says so
        return False
    out_positions = math.prod(out_size)
    positions = min(math.prod(data.shape[a] for a in geometry.spatial_axes), out_positions)
    return (math.prod(params.kernel) > positions
            or 2 * data.shape[0] * out_positions <= params.num_filter)


def pointwise_convolution(data, weight, strides, layout):
    """A 1x1 convolution as a matrix product over the channels, which XLA's CPU backend
    runs faster than its convolution."""
    channels_first = layout.startswith('NC')
    spatial_start = 2 if channels_first else 1
    if any(s > 1 for s in strides):
        step = [1] * data.ndim
        step[spatial_start:spatial_start + len(strides)] = strides
        data = lax.slice(data, [0] * data.ndim, data.shape, step)
    return _channel_product(data, weight.reshape(weight.shape[0], -1), layout)


def window_product_convolution(data, weight, strides, pad, dilation, layout):
    """An ungrouped convolution as one matrix product: each output position's window of the
    padded data (channel-major, tap-minor) times the weight as an (out, in x taps) matrix,
    OIHW's order, which the weight's channels-last form (OHWI) reaches by undoing the move
    lowering gave it (no copy of the weight). The windows take kernel-size times the output's
    memory, little where `suits_window_product`."""
    g = _window_geometry(layout, _kernel(layout, weight), strides, pad, dilation)
    padded = g.pad_spatial(data, [(p, p, 0) for p in g.pad])
    windows = list(g.windows(padded, lambda i, o: o * g.dilation[i], g.strides,
                             g.out_size(data.shape)))
    stacked = jnp.stack(windows, axis=g.channel_axis + 1)
    patches = stacked.reshape(stacked.shape[:g.channel_axis] + (-1,)
                              + stacked.shape[g.channel_axis + 2:])
    if not layout.startswith('NC'):
        weight = jnp.moveaxis(weight, -1, 1)
    return _channel_product(patches, weight.reshape(weight.shape[0], -1), layout)


def _channel_product(data, matrix, layout):
    """data's channels times matrix (out, in) transposed: a 1x1 convolution."""
    if not layout.startswith('NC'):
        return _channels_last_product(data, matrix)
    out = lax.dot_general(matrix, data, (((1,), (1,)), ((), ())))
    return jnp.moveaxis(out, 0, 1)


@jax.custom_vjp
def _channels_last_product(data, matrix):
    """data (..., in) times matrix (out, in) transposed. Its weight gradient is a product of
    the head and the data flattened to matrices first: over the 4-D arrays, XLA's CPU backend
    would first transpose one of them (in a slow loop that also recomputes its producer)."""
    return lax.dot_general(data, matrix, (((data.ndim - 1,), (1,)), ((), ())))


def _channels_last_product_fwd(data, matrix):
    return _channels_last_product(data, matrix), (data, matrix)


def _channels_last_product_bwd(residuals, head):
    data, matrix = residuals
    grad_data = lax.dot_general(head, matrix, (((head.ndim - 1,), (0,)), ((), ())))
    grad_matrix = lax.dot_general(head.reshape(-1, head.shape[-1]),
                                  data.reshape(-1, data.shape[-1]), (((0,), (0,)), ((), ())))
    return grad_data, grad_matrix


_channels_last_product.defvjp(_channels_last_product_fwd, _channels_last_product_bwd)


def depthwise_convolution(data, weight, strides, pad, dilation, layout):
    """Depthwise convolution as a sum of shifted, per-channel scaled copies of the input: XLA
    fuses that (and its gradient) into a few elementwise loops, where its grouped convolution
    runs an order of magnitude slower on CPU (MobileNet's training step)."""
    channel_axis = layout.index('C')
    multiplier = weight.shape[0] // data.shape[channel_axis]
    if multiplier > 1:   # output channel o reads input channel o // multiplier
        data = jnp.repeat(data, multiplier, axis=channel_axis)
    taps = weight.reshape(weight.shape[0], -1)   # one column per kernel offset, row-major
    return _depthwise(data, taps, _window_geometry(layout, _kernel(layout, weight), strides,
                                                   pad, dilation))


def _spatial_axes(layout):
    return tuple(i for i, letter in enumerate(layout) if letter not in 'NC')


def _kernel(layout, weight):
    """The window's size: the weight's spatial dims (OIHW and OHWI alike)."""
    return tuple(weight.shape[i] for i in _spatial_axes(layout))


def _window_geometry(layout, kernel, strides, pad, dilation):
    return _Window(layout.index('C'), _spatial_axes(layout), tuple(kernel), tuple(strides),
                   tuple(pad), tuple(dilation))


class _Window(NamedTuple):
    """Where a convolution's window reads its data."""
    channel_axis: int
    spatial_axes: tuple
    kernel: tuple
    strides: tuple
    pad: tuple
    dilation: tuple

    def out_size(self, data_shape):
        return tuple((data_shape[a] + 2 * p - d * (k - 1) - 1) // s + 1 for a, p, d, k, s in zip(
            self.spatial_axes, self.pad, self.dilation, self.kernel, self.strides))

    def pad_spatial(self, value, per_axis):
        """`value` padded by lax.pad's (low, high, interior) triple for each spatial axis."""
        padding = [(0, 0, 0)] * value.ndim
        for axis, triple in zip(self.spatial_axes, per_axis):
            padding[axis] = triple
        return lax.pad(value, np.array(0, value.dtype), padding)

    def windows(self, source, first, step, size):
        """One strided window of `source` per kernel offset: along each spatial axis it starts
        at first(axis index, offset), steps by step[axis index] and has size[axis index]."""
        for offset in itertools.product(*(range(k) for k in self.kernel)):
            start, limit, strides = [0] * source.ndim, list(source.shape), [1] * source.ndim
            for i, (axis, o) in enumerate(zip(self.spatial_axes, offset)):
                start[axis] = first(i, o)
                limit[axis] = start[axis] + (size[i] - 1) * step[i] + 1
                strides[axis] = step[i]
            yield lax.slice(source, start, limit, strides)

    def scaled_sum(self, windows, taps):
        """Sum of the windows, each times its kernel offset's per-channel tap."""
        out = None
        for index, window in enumerate(windows):
            shape = [1] * window.ndim
            shape[self.channel_axis] = -1
            term = window * taps[:, index].reshape(shape)
            out = term if out is None else out + term
        return out


@functools.partial(jax.custom_vjp, nondiff_argnums=(2,))
def _depthwise(data, taps, geometry):
    padded = geometry.pad_spatial(data, [(p, p, 0) for p in geometry.pad])
    return geometry.scaled_sum(geometry.windows(
        padded, lambda i, o: o * geometry.dilation[i], geometry.strides,
        geometry.out_size(data.shape)), taps)


def _depthwise_fwd(data, taps, geometry):
    return _depthwise(data, taps, geometry), (data, taps)


def _depthwise_bwd(geometry, residuals, head):
    """The data gradient is a sum of shifted copies of the head gradient, spread to the
    stride and padded, with the kernel flipped: one fused loop like the forward (autodiff
    would pad each offset's share to the input's size and add them up). (Shifting the head
    rather than the data keeps XLA from sharing, and so storing, the forward's shifted
    copies.) Each tap's gradient is the head times that tap's window of the padded data,
    summed (`_tap_gradients`)."""
    data, taps = residuals
    g = geometry
    size = [data.shape[a] for a in g.spatial_axes]
    padded = g.pad_spatial(data, [(p, p, 0) for p in g.pad])
    spread = g.pad_spatial(head, [
        ((k - 1) * d, n + 2 * p - ((m - 1) * s + 1), s - 1) for k, d, n, p, m, s in zip(
            g.kernel, g.dilation, size, g.pad, (head.shape[a] for a in g.spatial_axes),
            g.strides)])
    grad_data = g.scaled_sum(g.windows(
        spread, lambda i, o: g.pad[i] + (g.kernel[i] - 1 - o) * g.dilation[i],
        (1,) * len(size), size), taps)
    return grad_data.astype(data.dtype), _tap_gradients(g, padded, head).astype(taps.dtype)


# Above this many bytes of head gradient, the tap gradients are summed one image at a time:
# XLA stores each tap's product with the head before summing it, and a batch's products do not
# stay in cache.
_TAP_LOOP_BYTES = 2 ** 21


def _tap_gradients(g, padded, head):
    """(channels, taps): each tap's window of the padded data times the head gradient, summed
    over all but the channel axis; one image at a time for a big head (~5x faster for
    MobileNet's first layers than one batch-wide product per tap)."""
    accumulate = jnp.promote_types(head.dtype, jnp.float32)

    def sums(layout, padded, head):   # layout: g, or g for one image (no batch axis)
        out_size = [head.shape[a] for a in layout.spatial_axes]
        other_axes = tuple(a for a in range(head.ndim) if a != layout.channel_axis)
        return jnp.stack([jnp.sum(head * window, axis=other_axes, dtype=accumulate)
                          for window in layout.windows(padded, lambda i, o: o * g.dilation[i],
                                                       g.strides, out_size)], axis=1)
    if head.size * head.dtype.itemsize <= _TAP_LOOP_BYTES or head.shape[0] == 1:
        return sums(g, padded, head)
    per_image = g._replace(channel_axis=g.channel_axis - 1,
                           spatial_axes=tuple(a - 1 for a in g.spatial_axes))

    def add_image(total, image):
        return total + sums(per_image, *image), None
    total = jnp.zeros((head.shape[g.channel_axis], math.prod(g.kernel)), accumulate)
    return lax.scan(add_image, total, (padded, head))[0]


_depthwise.defvjp(_depthwise_fwd, _depthwise_bwd)
