"""Neural-network layers: dense, convolution, deconvolution and upsampling layers, dropout,
activations with parameters and embeddings (normalisation layers, BatchNorm among them, are in
norm.py, pooling in pooling.py, spatial sampling layers in spatial.py)."""
import math

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from ..base import MXNetError
from ..ops_registry import (Bool, Enum, Float, Int, OpDef, Optional, Param, Params, Shape,
                            add, onnx_form, register)
from .conv_forms import (depthwise_convolution, is_depthwise, is_pointwise,
                         pointwise_convolution, suits_window_product,
                         window_product_convolution)
from .rules import check_window_params, same_shape


def _without_bias(params):
    return ('data', 'weight') if params.no_bias else ('data', 'weight', 'bias')


def _known(shape):
    return shape is not None and all(shape)


# ---------------------------------------------------------------------------- FullyConnected
def _fc_param_shapes(params, in_shapes):
    data = in_shapes[0]
    if data is None:
        return {}
    if params.flatten:
        features = int(np.prod(data[1:])) if all(data[1:]) else 0
    else:
        features = data[-1]
    shapes = {'weight': (params.num_hidden, features)}
    if not params.no_bias:
        shapes['bias'] = (params.num_hidden,)
    return shapes


@register('FullyConnected', inputs=('data', 'weight', 'bias'), aliases=('_sparse_FullyConnected',),
          params={'num_hidden': Param(Int(lower=1)), 'no_bias': Param(Bool(), False),
                  'flatten': Param(Bool(), True)},
          used_inputs=_without_bias, param_shapes=_fc_param_shapes)
def fully_connected(params, ctx, data, weight, bias=None):
    """y = x W^T + b, on x flattened to 2-D (flatten=True) or on its last axis."""
    if params.flatten:
        data = data.reshape(data.shape[0], -1)
    out = lax.dot_general(data, weight, (((data.ndim - 1,), (1,)), ((), ())))
    if bias is not None:
        out = out + bias
    return (out,)


@onnx_form('FullyConnected')
def _fully_connected_onnx(g, params, data, weight, bias=None):
    if params.flatten and len(g.in_shapes[0]) != 2:
        data = g.op('Flatten', data, axis=1)
    if params.flatten or len(g.in_shapes[0]) == 2:
        return g.op('Gemm', data, weight, bias, transB=1)
    known = g.value(weight)
    weight_t = g.const(known.T) if known is not None else g.op('Transpose', weight, perm=[1, 0])
    out = g.op('MatMul', data, weight_t)
    return out if bias is None else g.op('Add', out, bias)


# ---------------------------------------------------------------------------- Activation
def _softrelu(x):
    return jnp.where(x > 20, x, jnp.log1p(jnp.exp(jnp.minimum(x, 20))))


def _relu(x):
    """x where x > 0, else 0 (NaN included), as MXNet computes it; its gradient is then
    MXNet's too: 1 where x > 0, else 0."""
    return jnp.where(x > 0, x, jnp.zeros((), x.dtype))


ACTIVATIONS = {
    'relu': _relu,
    'sigmoid': jax.nn.sigmoid,
    'tanh': jnp.tanh,
    'softrelu': _softrelu,
    'softsign': lambda x: x / (1 + jnp.abs(x)),
}


@register('Activation', unnamed_inputs=True, params={'act_type': Param(Enum(*sorted(ACTIVATIONS)))},
          infer_shape=same_shape, channels_last='elementwise')
def activation(params, ctx, data):
    """Elementwise activation chosen by act_type."""
    return (ACTIVATIONS[params.act_type](data),)


ONNX_ACTIVATIONS = {'relu': 'Relu', 'sigmoid': 'Sigmoid', 'tanh': 'Tanh', 'softrelu': 'Softplus',
                    'softsign': 'Softsign'}


@onnx_form('Activation')
def _activation_onnx(g, params, data):
    return g.op(ONNX_ACTIVATIONS[params.act_type], data)


# ---------------------------------------------------------------------------- Convolution
LAYOUTS = {1: ('NCW', 'NWC'), 2: ('NCHW', 'NHWC'), 3: ('NCDHW', 'NDHWC')}


def _layout(params):
    """(data layout, kernel layout) strings for lax, from MXNet's layout param."""
    layout = params.layout or LAYOUTS[len(params.kernel)][0]
    if layout.startswith('NC'):
        return layout, 'OI' + layout[2:]
    return layout, 'O' + layout[1:-1] + 'I'


def _spatial(params, name, fill):
    value = params[name]
    return tuple(value) if value else (fill,) * len(params.kernel)


def _filter_shapes(params, data, filter_dims):
    """Weight and bias shapes of a (de)convolution: `filter_dims(channels)` gives the weight's
    (output, input) channel dims in channels-first order; channels-last layouts move the input
    channel dim to the end."""
    if data is None:
        return {}
    layout, _ = _layout(params)
    outer, inner = filter_dims(data[layout.index('C')])
    if layout.startswith('NC'):
        weight = (outer, inner) + tuple(params.kernel)
    else:
        weight = (outer,) + tuple(params.kernel) + (inner,)
    shapes = {'weight': weight}
    if not params.no_bias:
        shapes['bias'] = (params.num_filter,)
    return shapes


def _conv_param_shapes(params, in_shapes):
    data = in_shapes[0]
    if data is not None and len(data) != len(params.kernel) + 2:
        raise MXNetError('input data has shape %s but kernel %s needs %d-D data (batch, '
                         'channels and %d spatial dims)' % (tuple(data), tuple(params.kernel),
                                                            len(params.kernel) + 2,
                                                            len(params.kernel)))
    channels = data[_layout(params)[0].index('C')] if data is not None else 0
    if channels % params.num_group:
        raise MXNetError('input data has %d channels (shape %s), which num_group=%d does not '
                         'divide' % (channels, tuple(data), params.num_group))
    return _filter_shapes(params, in_shapes[0], lambda channels: (
        params.num_filter, channels // params.num_group if channels else 0))


def _add_bias(out, bias, layout):
    channel_axis = layout.index('C')
    return out + bias.reshape((-1,) + (1,) * (out.ndim - channel_axis - 1))


CONV_PARAMS = {
    'kernel': Param(Shape(lower=1)), 'stride': Param(Shape(lower=1), ()),
    'dilate': Param(Shape(lower=1), ()), 'pad': Param(Shape(lower=0), ()),
    'num_filter': Param(Int(lower=1)), 'num_group': Param(Int(lower=1), 1),
    'workspace': Param(Int(lower=0), 1024), 'no_bias': Param(Bool(), False),
    'cudnn_tune': Param(Enum('None', 'fastest', 'limited_workspace', 'off'), None),
    'cudnn_off': Param(Bool(), False),
    'layout': Param(Enum('None', 'NCDHW', 'NCHW', 'NCW', 'NDHWC', 'NHWC'), None),
}


def _convolve(params, layout, kernel_layout, data, weight, bias):
    pad = _spatial(params, 'pad', 0)
    strides, dilation = _spatial(params, 'stride', 1), _spatial(params, 'dilate', 1)
    if is_depthwise(params, layout, data, weight):
        out = depthwise_convolution(data, weight, strides, pad, dilation, layout)
    elif is_pointwise(params, pad):
        out = pointwise_convolution(data, weight, strides, layout)
    elif suits_window_product(params, layout, data, pad, strides, dilation):
        out = window_product_convolution(data, weight, strides, pad, dilation, layout)
    else:
        out = lax.conv_general_dilated(
            data, weight, window_strides=strides, padding=[(p, p) for p in pad],
            rhs_dilation=dilation, dimension_numbers=(layout, kernel_layout, layout),
            feature_group_count=params.num_group)
    if bias is not None:
        out = _add_bias(out, bias, layout)
    return (out,)


def _conv_channels_last(params):
    """Convolution on channels-last data and weight (the layout MXNet calls NHWC)."""
    layout, _ = _layout(params)
    if not layout.startswith('NC'):
        return None
    last = LAYOUTS[len(params.kernel)][1]
    kernel_layout = 'O' + last[1:-1] + 'I'
    return lambda params, ctx, data, weight, bias=None: _convolve(
        params, last, kernel_layout, data, weight, bias)


@register('Convolution', inputs=('data', 'weight', 'bias'), params=CONV_PARAMS,
          check_params=check_window_params('convolution', ('stride', 'dilate', 'pad')),
          used_inputs=_without_bias, param_shapes=_conv_param_shapes,
          channels_last=_conv_channels_last, starts_channels_last=True)
def convolution(params, ctx, data, weight, bias=None):
    """1-D, 2-D or 3-D grouped, dilated convolution (cross-correlation, like MXNet)."""
    return _convolve(params, *_layout(params), data, weight, bias)


def _onnx_window(g, params):
    """ONNX's attributes of a channels-first (de)convolution's window."""
    if not _layout(params)[0].startswith('NC'):
        g.refuse('layout %s: ONNX convolutions take channels-first data' % params.layout)
    pad = _spatial(params, 'pad', 0)
    return dict(kernel_shape=list(params.kernel), strides=list(_spatial(params, 'stride', 1)),
                dilations=list(_spatial(params, 'dilate', 1)), pads=list(pad) * 2,
                group=params.num_group)


@onnx_form('Convolution')
def _convolution_onnx(g, params, data, weight, bias=None):
    return g.op('Conv', data, weight, bias, **_onnx_window(g, params))


@register('Convolution_v1', inputs=('data', 'weight', 'bias'),
          params=dict(CONV_PARAMS, layout=Param(Enum('None', 'NCDHW', 'NCHW', 'NDHWC', 'NHWC'),
                                                None)),
          check_params=check_window_params('convolution', ('stride', 'dilate', 'pad')),
          used_inputs=_without_bias, param_shapes=_conv_param_shapes)
def convolution_v1(params, ctx, data, weight, bias=None):
    """Convolution's first version (found in old model files): Convolution's computation
    under its own parameter set."""
    return _convolve(params, *_layout(params), data, weight, bias)


onnx_form('Convolution_v1')(_convolution_onnx)


# ---------------------------------------------------------------------------- Deconvolution
def _deconv_param_shapes(params, in_shapes):
    return _filter_shapes(params, in_shapes[0], lambda channels: (
        channels, params.num_filter // params.num_group))


def _deconv_padding(params, spatial_shape):
    """(pad, adj) per spatial axis. A nonzero target_shape replaces both: the output is cut
    to the target, half of the excess from each side, the odd element from the low side."""
    if not any(params.target_shape):
        return _spatial(params, 'pad', 0), _spatial(params, 'adj', 0)
    pads, adjs = [], []
    for size, kernel, stride, dilate, target in zip(
            spatial_shape, params.kernel, _spatial(params, 'stride', 1),
            _spatial(params, 'dilate', 1), params.target_shape):
        excess = stride * (size - 1) + dilate * (kernel - 1) + 1 - target
        if excess < 0:
            raise MXNetError('Deconvolution: target_shape %s is larger than the full output'
                             % (params.target_shape,))
        pads.append((excess + 1) // 2)
        adjs.append(excess % 2)
    return pads, adjs


def _transposed_convolution(params, data, weight):
    """The gradient of a convolution with respect to its input, as a forward op: weight is
    (in_channels, num_filter / num_group, *kernel), channels-last layouts moving its second
    dim to the end."""
    layout, _ = _layout(params)
    if layout.startswith('NC'):
        spatial_letters, spatial_shape = layout[2:], data.shape[2:]
    else:
        spatial_letters, spatial_shape = layout[1:-1], data.shape[1:-1]
        weight = jnp.moveaxis(weight, -1, 1)
    groups, kernel_shape = params.num_group, weight.shape[2:]
    in_channels, per_group = weight.shape[:2]
    kernel = weight.reshape((groups, in_channels // groups, per_group) + kernel_shape)
    kernel = jnp.swapaxes(kernel, 1, 2).reshape(
        (groups * per_group, in_channels // groups) + kernel_shape)
    kernel = jnp.flip(kernel, tuple(range(2, kernel.ndim)))
    pad, adj = _deconv_padding(params, spatial_shape)
    dilate = _spatial(params, 'dilate', 1)
    reach = [d * (k - 1) for d, k in zip(dilate, params.kernel)]
    return lax.conv_general_dilated(
        data, kernel, window_strides=(1,) * len(reach),
        padding=[(r - p, r - p + a) for r, p, a in zip(reach, pad, adj)],
        lhs_dilation=_spatial(params, 'stride', 1), rhs_dilation=dilate,
        dimension_numbers=(layout, 'OI' + spatial_letters, layout), feature_group_count=groups)


DECONV_PARAMS = {
    'kernel': Param(Shape(lower=1)), 'stride': Param(Shape(lower=1), ()),
    'dilate': Param(Shape(lower=1), ()), 'pad': Param(Shape(lower=0), ()),
    'adj': Param(Shape(lower=0), ()), 'target_shape': Param(Shape(lower=0), ()),
    'num_filter': Param(Int(lower=1)), 'num_group': Param(Int(lower=1), 1),
    'workspace': Param(Int(lower=0), 512),
    'no_bias': Param(Bool(), True), 'cudnn_tune': CONV_PARAMS['cudnn_tune'],
    'cudnn_off': Param(Bool(), False), 'layout': CONV_PARAMS['layout'],
}


@register('Deconvolution', inputs=('data', 'weight', 'bias'), params=DECONV_PARAMS,
          check_params=check_window_params('deconvolution', ('stride', 'dilate', 'pad', 'adj',
                                                               'target_shape')),
          used_inputs=_without_bias, param_shapes=_deconv_param_shapes)
def deconvolution(params, ctx, data, weight, bias=None):
    """Transposed convolution: out = stride*(in-1) + dilate*(kernel-1) + 1 - 2*pad + adj.
    Unlike Convolution, no_bias defaults to True."""
    out = _transposed_convolution(params, data, weight)
    if bias is not None:
        out = _add_bias(out, bias, _layout(params)[0])
    return (out,)


@onnx_form('Deconvolution')
def _deconvolution_onnx(g, params, data, weight, bias=None):
    window = _onnx_window(g, params)
    pad, adj = _deconv_padding(params, g.in_shapes[0][2:])
    window.update(pads=list(pad) * 2, output_padding=list(adj))
    return g.op('ConvTranspose', data, weight, bias, **window)


# ---------------------------------------------------------------------------- UpSampling
def _bilinear_kernel_size(scale):
    return 2 * scale - scale % 2


def _upsampling_deconv_params(params):
    """Bilinear upsampling is a depthwise Deconvolution with a kernel fixed by the scale."""
    scale = params.scale
    return Params(kernel=(_bilinear_kernel_size(scale),) * 2, stride=(scale, scale),
                  dilate=(1, 1), pad=(int(math.ceil((scale - 1) / 2)),) * 2, adj=(),
                  target_shape=(), num_group=params.num_filter, layout=None)


def _upsampling_inputs(params):
    """``num_args`` inputs named arg0, arg1, ... for nearest upsampling, but exactly
    (data, weight) for bilinear upsampling, whatever num_args says."""
    if params.sample_type == 'bilinear':
        return ['data', 'weight']
    return ['arg%d' % i for i in range(params.num_args)]


def _upsampling_param_shapes(params, in_shapes):
    data = in_shapes[0]
    if params.sample_type != 'bilinear' or data is None:
        return {}
    size = _bilinear_kernel_size(params.scale)
    return {'weight': (data[1], 1, size, size)}


def upsampling(params, ctx, *data):
    """Nearest: each input repeated up to the first one's size times `scale`, then joined on
    the channel axis (or summed). Bilinear: a depthwise transposed convolution by `weight`."""
    if params.sample_type == 'bilinear':
        return (_transposed_convolution(_upsampling_deconv_params(params), *data),)
    height = data[0].shape[2] * params.scale
    upsampled = []
    for image in data:
        # MXNet takes one factor per input from the heights and uses it for both axes.
        factor = height // image.shape[2]
        upsampled.append(jnp.repeat(jnp.repeat(image, factor, axis=2), factor, axis=3))
    if params.multi_input_mode == 'sum':
        return (sum(upsampled[1:], upsampled[0]),)
    return (jnp.concatenate(upsampled, axis=1),)


add(OpDef(
    'UpSampling', upsampling, variadic='num_args', used_inputs=_upsampling_inputs,
    params={'scale': Param(Int(lower=1)), 'num_filter': Param(Int(), 0),
            'sample_type': Param(Enum('bilinear', 'nearest')),
            'multi_input_mode': Param(Enum('concat', 'sum'), 'concat'),
            'num_args': Param(Int(lower=1)), 'workspace': Param(Int(lower=0), 512)},
    input_var_attrs={name: {'__init__': '["bilinear", {}]'} for name in ('arg1', 'weight')},
    param_shapes=_upsampling_param_shapes))


# ---------------------------------------------------------------------------- Dropout
def _dropout_mask(params, ctx, shape, dtype):
    """Kept positions scaled by 1/(1-p), dropped ones 0 * (1/(1-p)): NaN everywhere for p=1,
    as MXNet's; `axes` share one draw along those axes."""
    draw_shape = tuple(1 if i in params.axes else d for i, d in enumerate(shape))
    keep = jax.random.bernoulli(ctx.key, 1 - params.p, draw_shape)
    with np.errstate(divide='ignore', invalid='ignore'):
        scale = np.asarray(1, dtype) / np.asarray(1 - params.p, dtype)
        dropped = np.asarray(0, dtype) * scale
    return jnp.broadcast_to(jnp.where(keep, scale, dropped), shape)


@register('Dropout', outputs=('output', 'mask'), num_visible=lambda p: 1, random=True,
          reads_mode=True,
          params={'p': Param(Float(0, 1), 0.5),
                  'mode': Param(Enum('always', 'training'), 'training'),
                  'axes': Param(Shape(), ()), 'cudnn_off': Param(Optional(Bool()), False)},
          infer_shape=same_shape)
def dropout(params, ctx, data):
    """Zero each element with probability p in training (always, with mode='always')."""
    active = (ctx.is_train or params.mode == 'always') and params.p > 0
    if not active:
        return data, jnp.ones_like(data)
    mask = _dropout_mask(params, ctx, data.shape, data.dtype)
    return data * mask, mask


@onnx_form('Dropout')
def _dropout_onnx(g, params, data):
    """Inference's identity (ONNX's Dropout in inference, without its mask)."""
    return [g.op('Identity', data)]


# ---------------------------------------------------------------------------- LeakyReLU
# MXNet keeps these constants in float32 and uses them so for every dtype.
SELU_ALPHA = float(np.float32(1.6732632423543772848170429916717))
SELU_LAMBDA = float(np.float32(1.0507009873554804934193349852946))


def _prelu_shapes(params, in_shapes):
    """gamma, unless its shape is given, has one slope per channel (data's axis 1)."""
    if params.act_type != 'prelu' or in_shapes[0] is None or in_shapes[1] is not None:
        return {}
    return {'gamma': (in_shapes[0][1],)}


def _prelu_slope_shape(gamma_shape, data_shape):
    """gamma's shape laid over data's: its axes, matched from the last, fall on data's first
    two axes (batch and channel) where they equal data's or are 1, as MXNet broadcasts it."""
    slope = [1] * len(data_shape)
    remaining = list(gamma_shape)
    for axis in reversed(range(len(data_shape))):
        if remaining and axis <= 1 and remaining[-1] in (data_shape[axis], 1):
            slope[axis] = remaining.pop()
    if remaining:
        raise MXNetError('LeakyReLU: cannot broadcast gamma %s to data %s: the axes of gamma '
                         'must fall on the batch and channel axes of data'
                         % (tuple(gamma_shape), tuple(data_shape)))
    return tuple(slope)


def _leaky_outputs(params):
    """rrelu also shows its random slopes as a second, visible output."""
    return ('output', 'mask') if params.act_type == 'rrelu' else ('output',)


def _slope_product(x, slope):
    """x * slope rounded as MXNet computes it, in float32 whatever the dtype; the gradient is
    the exact product's, as MXNet's backward works in the data's dtype."""
    slope = jnp.asarray(slope, x.dtype)
    exact = x * slope
    rounded = (x.astype(jnp.float32) * slope.astype(jnp.float32)).astype(x.dtype)
    return exact + lax.stop_gradient(rounded - exact)


@jax.custom_vjp
def _selu(x):
    negative = (SELU_ALPHA * jnp.expm1(x)).astype(x.dtype)
    return SELU_LAMBDA * jnp.where(x > 0, x, negative)


def _selu_forward(x):
    out = _selu(x)
    return out, out


def _selu_backward(out, head):
    """MXNet's selu gradient: lambda * (alpha + out) where out <= 0, which is not the
    derivative (that would be alpha * lambda + out); kept for fidelity."""
    return (head * (SELU_LAMBDA * jnp.where(out > 0, 1, SELU_ALPHA + out)).astype(out.dtype),)


_selu.defvjp(_selu_forward, _selu_backward)


def _gelu(x):
    """The erf form, computed in float32 whatever the dtype, as MXNet does."""
    x32 = x.astype(jnp.float32)
    return (0.5 * x32 * (1 + jax.scipy.special.erf(x32 / np.float32(math.sqrt(2))))).astype(
        x.dtype)


@register('LeakyReLU', inputs=('data', 'gamma'),
          used_inputs=lambda p: ('data', 'gamma') if p.act_type == 'prelu' else ('data',),
          outputs=_leaky_outputs, random=True, reads_mode=True,
          params={'act_type': Param(Enum('elu', 'gelu', 'leaky', 'prelu', 'rrelu', 'selu'),
                                    'leaky'),
                  'slope': Param(Float(), 0.25), 'lower_bound': Param(Float(), 0.125),
                  'upper_bound': Param(Float(), 0.334)},
          input_var_attrs={'gamma': {'__init__': '["Constant", {"value": 0.25}]'}},
          param_shapes=_prelu_shapes,
          channels_last=lambda p: leaky_relu if p.act_type in ('leaky', 'elu', 'selu', 'gelu')
          else None)
def leaky_relu(params, ctx, data, gamma=None):
    """Leaky, parametric, randomized, exponential, scaled-exponential or Gaussian-error units.
    rrelu draws its negative slopes from [lower_bound, upper_bound] in training and uses their
    mean otherwise."""
    positive = data > 0
    act = params.act_type
    if act == 'leaky':
        out = jnp.where(positive, data, _slope_product(data, np.float32(params.slope)))
    elif act == 'prelu':
        slope = gamma.reshape(_prelu_slope_shape(gamma.shape, data.shape))
        out = jnp.where(positive, data, _slope_product(data, slope))
    elif act == 'elu':
        slope = np.asarray(np.float32(params.slope), data.dtype)
        out = jnp.where(positive, data, slope * jnp.expm1(data))
    elif act == 'selu':
        out = _selu(data)
    elif act == 'gelu':
        out = _gelu(data)
    else:
        low, high = np.float32(params.lower_bound), np.float32(params.upper_bound)
        if ctx.is_train:
            slope = jax.random.uniform(ctx.key, data.shape, data.dtype, low, high)
        else:
            slope = jnp.full(data.shape, (low + high) / np.float32(2), data.dtype)
        return jnp.where(positive, data, _slope_product(data, slope)), slope
    return (out,)


def _gelu_onnx(g, data):
    if g.opset >= 20:
        return g.op('Gelu', data)
    dtype = g.in_dtypes[0]
    erf = g.op('Erf', g.op('Div', data, g.const(math.sqrt(2), dtype)))
    half = g.op('Mul', data, g.const(0.5, dtype))
    return g.op('Mul', half, g.op('Add', erf, g.const(1, dtype)))


@onnx_form('LeakyReLU')
def _leaky_relu_onnx(g, params, data, gamma=None):
    """Inference's form: rrelu's slope is the mean of its bounds."""
    act = params.act_type
    if act == 'prelu':
        slope_shape = _prelu_slope_shape(g.in_shapes[1], g.in_shapes[0])
        return g.op('PRelu', data, g.op('Reshape', gamma, g.ints(slope_shape)))
    if act == 'gelu':
        return _gelu_onnx(g, data)
    if act == 'elu':
        return g.op('Elu', data, alpha=float(np.float32(params.slope)))
    if act == 'selu':
        return g.op('Selu', data, alpha=SELU_ALPHA, gamma=SELU_LAMBDA)
    if act == 'leaky':
        return g.op('LeakyRelu', data, alpha=float(np.float32(params.slope)))
    slope = (np.float32(params.lower_bound) + np.float32(params.upper_bound)) / np.float32(2)
    return [g.op('LeakyRelu', data, alpha=float(slope)),
            g.filled(g.out_dims(1), slope, g.out_dtypes[1])]


# ---------------------------------------------------------------------------- Embedding
def _embedding_types(params, in_types, out_types):
    """The weight's and output's dtype: a known one wins over the dtype param."""
    weight, out = in_types[1], out_types[0]
    if weight is not None and out is not None and weight != out:
        raise MXNetError('Embedding: weight is %s but the output is %s' % (weight, out))
    dtype = weight or out or params.dtype
    return [in_types[0], dtype], [dtype]


def embedding(params, ctx, data, weight):
    """Rows of `weight` picked by the (float) indices in `data`, clipped to the table."""
    index = jnp.clip(data.astype(jnp.int32), 0, params.input_dim - 1)
    return (jnp.take(weight, index, axis=0),)


# contrib.SparseEmbedding is Embedding with a row_sparse weight gradient: the same values,
# held densely here (see ndarray/sparse.py).
for _name, _aliases in (('Embedding', ('_sparse_Embedding',)), ('_contrib_SparseEmbedding', ())):
    register(_name, inputs=('data', 'weight'), aliases=_aliases, nondiff_inputs=('data',),
             params={'input_dim': Param(Int(lower=1)), 'output_dim': Param(Int(lower=1)),
                     'dtype': Param(Enum('bfloat16', 'float16', 'float32', 'float64', 'int32',
                                         'int64', 'int8', 'uint8'), 'float32'),
                     'sparse_grad': Param(Bool(), False)},
             param_shapes=lambda p, ins: {'weight': (p.input_dim, p.output_dim)},
             infer_type=_embedding_types)(embedding)


@onnx_form('Embedding', '_contrib_SparseEmbedding')
def _embedding_onnx(g, params, data, weight):
    index = g.cast(data, np.int64)
    index = g.op('Clip', index, g.const(0, np.int64), g.const(params.input_dim - 1, np.int64))
    return g.op('Gather', weight, index, axis=0)
