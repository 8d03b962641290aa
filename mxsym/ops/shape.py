"""Shape manipulation and array creation: Reshape (with MXNet's special codes), transposes,
slices, splits, tiling, padding, broadcasting to a shape, and the ops that make arrays from
parameters alone (_zeros, _arange, _eye, ...)."""
import math

import jax.numpy as jnp
import numpy as np
from jax import lax

from ..base import MXNetError
from ..dtype_codes import DTYPE_CODES, UNKNOWN
from ..ops_registry import (MAX_OUTPUTS, Bool, DType, Enum, Float, Int, Optional, Param, Shape,
                            Str, onnx_form, register)
from ..util import is_np_shape
from .integer_rules import cast_back, float64_vjp, zero_gradient
from .rules import c_cast, check_axis, merge_shapes, same_shape


def _like_types(params, in_types, out_types):
    """The output has the first input's dtype; the second input only lends its shape."""
    first = in_types[0] or out_types[0]
    return [first, in_types[1]], [first]


# ---------------------------------------------------------------------------- Reshape
def reshape_target(shape, spec, reverse=False):
    """The output shape MXNet's Reshape gives for input `shape` and `shape` param `spec`.

    Codes: 0 copies a dim, -1 infers one dim, -2 copies the rest, -3 merges two dims,
    -4 splits one dim into the next two values. `reverse` applies the codes right to left.
    """
    given_shape, given_spec = tuple(shape), tuple(spec)

    def error(rule):
        return MXNetError('Reshape: shape=%s does not apply to input shape %s%s: %s'
                          % (given_spec, given_shape, ' (reverse)' if reverse else '', rule))

    shape, spec = list(shape), list(spec)
    if reverse:
        shape, spec = shape[::-1], spec[::-1]
        spec = _reverse_split_codes(spec)
    out, src, infer_at = [], 0, None

    def source_dims(code, count):
        if src + count > len(shape):
            raise error('code %d needs input dim %d, but the input has %d dims'
                        % (code, src + count - 1, len(shape)))
        return shape[src:src + count]
    i = 0
    while i < len(spec):
        code = spec[i]
        if code > 0:
            out.append(code)
            src += 1
        elif code == 0:
            out.extend(source_dims(code, 1))
            src += 1
        elif code == -1:
            if infer_at is not None:
                raise MXNetError('Reshape: shape=%s has more than one -1, but only one dim '
                                 'can be inferred' % (given_spec,))
            infer_at = len(out)
            out.append(-1)
            src += 1
        elif code == -2:
            out.extend(shape[src:])
            src = len(shape)
        elif code == -3:
            first, second = source_dims(code, 2)
            out.append(first * second)
            src += 2
        elif code == -4:
            if i + 2 >= len(spec):
                raise error('code -4 must be followed by the two dims it splits into')
            (whole,) = source_dims(code, 1)
            out.extend(_split_dim(whole, spec[i + 1], spec[i + 2], error))
            src += 1
            i += 2
        else:
            raise MXNetError('invalid Reshape code %d in shape %s' % (code, given_spec))
        i += 1
    if infer_at is not None:
        known = math.prod(d for j, d in enumerate(out) if j != infer_at)
        out[infer_at] = math.prod(shape) // known if known else 0
    if reverse:
        out = out[::-1]
    return tuple(out)


def _split_dim(whole, first, second, error):
    """The two dims code -4 splits `whole` into; one of them may be -1 (inferred)."""
    if first == -1 and second == -1:
        raise error('code -4 can infer only one of its two dims')
    if -1 in (first, second):
        other = second if first == -1 else first
        if other <= 0 or whole % other:
            raise error('code -4 cannot split dim %d by %d' % (whole, other))
        return (whole // other, other) if first == -1 else (other, whole // other)
    if first <= 0 or second <= 0 or first * second != whole:
        raise error('code -4 splits dim %d into %d x %d' % (whole, first, second))
    return first, second


def _reverse_split_codes(spec):
    """Reversing a spec keeps each -4 in front of its two values."""
    spec = list(spec)
    for i in range(len(spec) - 2):
        if spec[i + 2] == -4:
            spec[i], spec[i + 2] = -4, spec[i]
    return spec


def _legacy_target(shape, target, keep_highest):
    """Deprecated target_shape semantics: 0 marks the one dim to infer."""
    target = list(target)
    if keep_highest:
        target = [shape[0]] + target
    if 0 in target:
        known = math.prod(d for d in target if d)
        target[target.index(0)] = math.prod(shape) // known
    return tuple(target)


def _reshape_output_shape(params, shape):
    """The output shape for input `shape`; an error when the element count would change."""
    if params.shape:
        target = reshape_target(shape, params.shape, params.reverse)
    else:
        target = _legacy_target(shape, params.target_shape, params.keep_highest)
    if math.prod(target) != math.prod(shape):
        raise MXNetError('Reshape: target shape %s (from shape=%s) does not have the %d '
                         'elements of input shape %s'
                         % (target, params.shape or params.target_shape, math.prod(shape),
                            shape))
    return target


def _reshape_shapes(params, in_shapes, out_shapes, input_names):
    """Forwards from a known input; backwards, as MXNet does, an input with one unknown dim
    takes it from a known output's element count (Gluon's RNN layers export their input
    weights with an unknown input size, flattened by Reshape)."""
    data, out = in_shapes[0], out_shapes[0]
    if data is not None and all(data):
        try:
            return in_shapes, [_reshape_output_shape(params, tuple(data))]
        except MXNetError as err:
            raise MXNetError('%s (inputs data %s)' % (err, tuple(data))) from None
    if data is not None and out is not None and all(out) and list(data).count(0) == 1:
        known = math.prod(d for d in data if d)
        return [tuple(d or math.prod(out) // known for d in data)], out_shapes
    if data is not None and params.shape and out is None:
        try:   # the codes carry unknown dims through; -1 stays unknown, as in MXNet
            return in_shapes, [reshape_target(data, params.shape, params.reverse)]
        except MXNetError:
            pass
    return in_shapes, out_shapes


@register('Reshape', unnamed_inputs=True, integer_backward=float64_vjp(),
          aliases=('reshape',), infer_shape=_reshape_shapes,
          params={'shape': Param(Shape(), ()), 'reverse': Param(Bool(), False),
                  'target_shape': Param(Shape(), ()), 'keep_highest': Param(Bool(), False)})
def reshape(params, ctx, data):
    """Reshape with MXNet's special codes; the element count must not change."""
    return (data.reshape(_reshape_output_shape(params, data.shape)),)


def reshape_onnx(g, params, data):
    """The ONNX form of ops that only reshape: to the output shape inference gives."""
    return g.op('Reshape', data, g.shape_tensor(g.out_dims(0)))


onnx_form('Reshape')(reshape_onnx)


# ---------------------------------------------------------------------------- broadcast_to
@register('broadcast_to', unnamed_inputs=True, integer_backward=float64_vjp(),
          params={'shape': Param(Shape(), ())})
def broadcast_to(params, ctx, data):
    """Broadcast size-1 axes to `shape`; a 0 in `shape` keeps that input dim."""
    if len(params.shape) != data.ndim:
        raise MXNetError('broadcast_to: shape %s has %d dims but the input %s has %d'
                         % (params.shape, len(params.shape), data.shape, data.ndim))
    target = tuple(d if t == 0 else t for d, t in zip(data.shape, params.shape))
    for d, t in zip(data.shape, target):
        if d != t and d != 1:
            raise MXNetError('broadcast_to: cannot broadcast input shape %s to %s'
                             % (data.shape, target))
    return (jnp.broadcast_to(data, target),)


@onnx_form('broadcast_to')
def _broadcast_to_onnx(g, params, data):
    return g.op('Expand', data, g.shape_tensor(g.out_dims(0)))


# ---------------------------------------------------------------------------- Concat
@register('Concat', integer_backward=float64_vjp(),
          aliases=('concat', '_sparse_concat'), variadic='num_args',
          params={'num_args': Param(Int(lower=1)), 'dim': Param(Int(), 1)},
          channels_last=lambda p: _concat_channels_last if p.dim == 1 else None)
def concat(params, ctx, *data):
    """Join the inputs along `dim`."""
    return (jnp.concatenate(data, axis=params.dim),)


def _concat_channels_last(params, ctx, *data):
    return (jnp.concatenate(data, axis=-1),)


@onnx_form('Concat')
def _concat_onnx(g, params, *data):
    return g.op('Concat', *data, axis=params.dim)


def _rnn_param_concat_shapes(params, in_shapes, out_shapes, input_names):
    """Concat's rule in both directions: all shapes agree off `dim`; the output length is the
    sum, or, when it is known (from the RNN's parameter count), one or two inputs of unknown
    length share what the others leave."""
    ranked = [s for s in list(in_shapes) + [out_shapes[0]] if s is not None]
    if not ranked:
        return in_shapes, out_shapes
    axis = check_axis(params.dim, len(ranked[0]), '_rnn_param_concat')
    common = None
    for shape in ranked:
        off_axis = tuple(0 if i == axis else d for i, d in enumerate(shape))
        merged = merge_shapes(common, off_axis)
        if merged is None:
            raise MXNetError('_rnn_param_concat: shapes %s do not agree off axis %d'
                             % (', '.join(str(s) for s in ranked), axis))
        common = merged
    in_shapes = [merge_shapes(common, s) if s is not None else common for s in in_shapes]
    lengths = [s[axis] for s in in_shapes]
    unknown = [i for i, length in enumerate(lengths) if not length]
    total = out_shapes[0][axis] if out_shapes[0] is not None else 0
    if not unknown:
        total = sum(lengths)
    elif total and len(unknown) <= 2:
        residual = total - sum(lengths)
        if residual <= 0:
            raise MXNetError('_rnn_param_concat: inputs %s already fill the output length %d'
                             % (in_shapes, total))
        for i in unknown:
            in_shapes[i] = in_shapes[i][:axis] + (residual // len(unknown),) + \
                in_shapes[i][axis + 1:]
    return in_shapes, [common[:axis] + (total,) + common[axis + 1:]]


# Gluon's RNN layers pack their weights into the fused RNN's flat parameter vector with it.
register('_rnn_param_concat', variadic='num_args', infer_shape=_rnn_param_concat_shapes,
         params={'num_args': Param(Int(lower=1)), 'dim': Param(Int(), 1)})(concat)
onnx_form('_rnn_param_concat')(_concat_onnx)


# ---------------------------------------------------------------------------- Flatten
@register('Flatten', unnamed_inputs=True, integer_backward=float64_vjp(),
          aliases=('flatten',))
def flatten(params, ctx, data):
    """(d0, d1, ...) -> (d0, d1*...); a 1-D input becomes (n, 1)."""
    return (data.reshape(data.shape[0], -1),)


@onnx_form('Flatten')
def _flatten_onnx(g, params, data):
    return g.op('Flatten', data, axis=1)


# ---------------------------------------------------------------------------- Cast
def _cast_types(params, in_types, out_types):
    return in_types, [params.dtype]


@register('Cast', unnamed_inputs=True, integer_backward=cast_back,
          aliases=('cast',), params={'dtype': Param(DType())}, infer_shape=same_shape,
          infer_type=_cast_types, channels_last='elementwise')
def cast(params, ctx, data):
    """Convert to `dtype`; floats to ints truncate toward zero, out-of-range values wrap."""
    target = jnp.dtype(params.dtype)
    if jnp.issubdtype(target, jnp.integer) and jnp.issubdtype(data.dtype, jnp.floating):
        data = jnp.trunc(data).astype(jnp.int64)
    return (data.astype(target),)


@onnx_form('Cast')
def _cast_onnx(g, params, data):
    return g.cast(data, params.dtype)


# ---------------------------------------------------------------------------- SliceChannel
@register('SliceChannel', integer_backward=float64_vjp(),
          aliases=('split',),
          params={'num_outputs': Param(Int(1, MAX_OUTPUTS)), 'axis': Param(Int(), 1),
                  'squeeze_axis': Param(Bool(), False)},
          outputs=lambda p: ['output%d' % i for i in range(p.num_outputs)])
def slice_channel(params, ctx, data):
    """Split into num_outputs equal parts along `axis` (dropping it with squeeze_axis)."""
    axis = check_axis(params.axis, data.ndim, 'SliceChannel')
    if data.shape[axis] % params.num_outputs:
        raise MXNetError('SliceChannel: axis %d of shape %s does not split into %d equal parts'
                         % (params.axis, data.shape, params.num_outputs))
    parts = jnp.split(data, params.num_outputs, axis=axis)
    if params.squeeze_axis:
        parts = [jnp.squeeze(part, axis) for part in parts]
    return tuple(parts)


def split_onnx(g, data, axis, sizes, squeeze):
    """`data` split along `axis` into parts of `sizes` (equal parts of a dynamic axis when
    None: then `sizes` is the count), dropping the axis with `squeeze`."""
    count = sizes if isinstance(sizes, int) else len(sizes)
    if isinstance(sizes, int):
        parts = g.op('Split', data, axis=axis, outputs=count,
                     num_outputs=count if g.opset >= 18 else None)
    else:
        parts = g.op('Split', data, g.ints(sizes), axis=axis, outputs=count)
    parts = [parts] if count == 1 else parts
    if squeeze:
        parts = [g.axes_input('Squeeze', part, [axis]) for part in parts]
    return parts


@onnx_form('SliceChannel')
def _slice_channel_onnx(g, params, data):
    axis = check_axis(params.axis, len(g.in_shapes[0]), 'SliceChannel')
    return split_onnx(g, data, axis, params.num_outputs, params.squeeze_axis)


# ---------------------------------------------------------------------------- axis order
@register('transpose', unnamed_inputs=True, integer_backward=float64_vjp(),
          params={'axes': Param(Shape(), ())})
def transpose(params, ctx, data):
    """Permute the axes; the default () reverses them."""
    axes = params.axes or tuple(reversed(range(data.ndim)))
    if sorted(axes) != list(range(data.ndim)):
        raise MXNetError('transpose: axes %s are not a permutation of the axes of shape %s'
                         % (params.axes, data.shape))
    return (jnp.transpose(data, axes),)


@onnx_form('transpose')
def _transpose_onnx(g, params, data):
    ndim = len(g.in_shapes[0])
    return g.op('Transpose', data, perm=[check_axis(a, ndim) for a in params.axes]
                or list(reversed(range(ndim))))


@register('SwapAxis', integer_backward=float64_vjp(),
          aliases=('swapaxes',),
          params={'dim1': Param(Int(), 0), 'dim2': Param(Int(), 0)})
def swap_axis(params, ctx, data):
    """Exchange two axes."""
    return (jnp.swapaxes(data, check_axis(params.dim1, data.ndim, 'SwapAxis'),
                         check_axis(params.dim2, data.ndim, 'SwapAxis')),)


@onnx_form('SwapAxis')
def _swap_axis_onnx(g, params, data):
    perm = list(range(len(g.in_shapes[0])))
    first, second = (check_axis(d, len(perm)) for d in (params.dim1, params.dim2))
    perm[first], perm[second] = perm[second], perm[first]
    return g.op('Transpose', data, perm=perm)


@register('expand_dims', unnamed_inputs=True, integer_backward=float64_vjp(),
          params={'axis': Param(Int())})
def expand_dims(params, ctx, data):
    """Insert a size-1 axis at `axis` (negative counts from the end of the result)."""
    return (jnp.expand_dims(data, check_axis(params.axis, data.ndim + 1, 'expand_dims')),)


@onnx_form('expand_dims')
def _expand_dims_onnx(g, params, data):
    return g.axes_input('Unsqueeze', data, [check_axis(params.axis, len(g.in_shapes[0]) + 1)])


@register('squeeze', integer_backward=float64_vjp(),
          params={'axis': Param(Optional(Shape()), None)})
def squeeze(params, ctx, data):
    """Drop the size-1 axes (all of them, or those in `axis`); never 0-d: (1,) instead."""
    if params.axis is None:
        axes = tuple(i for i, size in enumerate(data.shape) if size == 1)
    else:
        axes = tuple(check_axis(axis, data.ndim, 'squeeze') for axis in params.axis)
    for axis in axes:
        if data.shape[axis] != 1:
            raise MXNetError('squeeze: axis %d of shape %s has size %d, not 1'
                             % (axis, data.shape, data.shape[axis]))
    out = jnp.squeeze(data, axes)
    return (out.reshape(out.shape or (1,)),)


@register('reverse', integer_backward=float64_vjp(),
          aliases=('flip',), params={'axis': Param(Shape())})
def reverse(params, ctx, data):
    """Reverse the order along each listed axis; an axis listed twice is reversed twice."""
    for axis in params.axis:
        if not 0 <= axis < data.ndim:
            raise MXNetError('reverse: axis %d is out of range for shape %s (negative axes are '
                             'not accepted)' % (axis, data.shape))
        data = jnp.flip(data, axis)
    return (data,)


@register('depth_to_space', integer_backward=float64_vjp(),
          params={'block_size': Param(Int())})
def depth_to_space(params, ctx, data):
    """(N, C, H, W) -> (N, C/b², H*b, W*b): each group of b² channels becomes b×b pixels."""
    n, c, h, w = _nchw_blocks(data, params.block_size, 'depth_to_space', channels=True)
    b = params.block_size
    blocks = data.reshape(n, b, b, c // (b * b), h, w).transpose(0, 3, 4, 1, 5, 2)
    return (blocks.reshape(n, c // (b * b), h * b, w * b),)


@register('space_to_depth', integer_backward=float64_vjp(),
          params={'block_size': Param(Int())})
def space_to_depth(params, ctx, data):
    """(N, C, H, W) -> (N, C*b², H/b, W/b): the inverse of depth_to_space."""
    n, c, h, w = _nchw_blocks(data, params.block_size, 'space_to_depth', channels=False)
    b = params.block_size
    blocks = data.reshape(n, c, h // b, b, w // b, b).transpose(0, 3, 5, 1, 2, 4)
    return (blocks.reshape(n, c * b * b, h // b, w // b),)


def _nchw_blocks(data, block, op_name, channels):
    """The 4-D input's dims, checked to split into blocks (channels into b², else H and W by b)."""
    if data.ndim != 4 or block <= 0:
        raise MXNetError('%s: needs 4-D (N, C, H, W) data and block_size > 0, got shape %s '
                         'and block_size %d' % (op_name, data.shape, block))
    n, c, h, w = data.shape
    if 0 in (c, h, w):
        raise MXNetError('%s: shape %s has a zero-size dim; depth (1), height (2) and width (3) '
                         'cannot be 0' % (op_name, data.shape))
    if (c % (block * block) if channels else h % block or w % block):
        raise MXNetError('%s: shape %s does not divide into blocks of %d'
                         % (op_name, data.shape, block))
    return n, c, h, w


# ---------------------------------------------------------------------------- slicing
SLICE_PARAMS = {'begin': Param(Shape(allow_none=True)), 'end': Param(Shape(allow_none=True)),
                'step': Param(Shape(allow_none=True), ())}


@register('slice', unnamed_inputs=True, integer_backward=float64_vjp(),
          aliases=('crop', '_sparse_slice'), params=SLICE_PARAMS, unknown_axes_kept=True)
def slice_op(params, ctx, data):
    """data[begin:end:step] on the leading axes (None leaves an end open, a negative step walks
    backwards); the axes after them are kept whole."""
    return (data[slice_key(params, data.ndim, 'slice')],)


@onnx_form('slice')
def _slice_onnx(g, params, data):
    key = slice_key(params, len(g.in_shapes[0]), 'slice')
    largest = np.iinfo(np.int64).max
    starts = [k.start if k.start is not None else (0 if (k.step or 1) > 0 else -1) for k in key]
    ends = [k.stop if k.stop is not None else (largest if (k.step or 1) > 0 else -largest - 1)
            for k in key]
    return g.op('Slice', data, g.ints(starts), g.ints(ends), g.ints(range(len(key))),
                g.ints([k.step or 1 for k in key]))


def slice_key(params, ndim, op_name):
    """The index of a slice's begin, end and step params on the leading axes of an array with
    ndim dimensions."""
    begin, end = params.begin, params.end
    step = params.step or (None,) * len(begin)
    if len(begin) != len(end) or len(step) != len(begin) or len(begin) > ndim:
        raise MXNetError('%s: begin %s, end %s and step %s must have one entry per sliced '
                         'axis, at most %d' % (op_name, begin, end, params.step, ndim))
    if 0 in step:
        raise MXNetError('%s: step %s cannot hold 0' % (op_name, params.step))
    return tuple(slice(b, e, s) for b, e, s in zip(begin, end, step))


def _slice_assign_shapes(params, in_shapes, out_shapes, input_names):
    """The output has lhs's shape; rhs has the shape of the slice it replaces."""
    lhs = in_shapes[0] or out_shapes[0]
    if lhs is None:
        return in_shapes, out_shapes
    key = slice_key(params, len(lhs), '_slice_assign')
    region = tuple(len(range(*k.indices(size))) for k, size in zip(key, lhs)) + lhs[len(key):]
    if merge_shapes(region, in_shapes[1]) is None:
        raise MXNetError('_slice_assign: rhs has shape %s but the slice of lhs %s has shape %s'
                         % (in_shapes[1], lhs, region))
    return [lhs, region], [lhs]


@register('_slice_assign', inputs=('lhs', 'rhs'), aliases=('_crop_assign', '_npi_slice_assign'),
          params=SLICE_PARAMS, infer_shape=_slice_assign_shapes, has_gradient=False)
def slice_assign(params, ctx, lhs, rhs):
    """lhs with the slice given by begin, end and step replaced by rhs."""
    return (lhs.at[slice_key(params, lhs.ndim, '_slice_assign')].set(rhs),)


@register('_slice_assign_scalar', unnamed_inputs=True,
          aliases=('_crop_assign_scalar', '_npi_slice_assign_scalar'),
          params=dict({'scalar': Param(Float(), 0.0)}, **SLICE_PARAMS), infer_shape=same_shape,
          has_gradient=False)
def slice_assign_scalar(params, ctx, data):
    """data with the slice given by begin, end and step set to scalar (converted as C
    converts)."""
    value = c_cast(np.asarray(params.scalar), data.dtype, np)
    return (data.at[slice_key(params, data.ndim, '_slice_assign_scalar')].set(value),)


@register('slice_axis', unnamed_inputs=True, integer_backward=float64_vjp(),
          unknown_axes_kept=True,
          params={'axis': Param(Int()), 'begin': Param(Int()), 'end': Param(Optional(Int()))})
def slice_axis(params, ctx, data):
    """data[begin:end] along `axis`; negative positions count from the end, end=None is the end."""
    axis = check_axis(params.axis, data.ndim, 'slice_axis')
    size = data.shape[axis]
    begin = params.begin + size if params.begin < 0 else params.begin
    end = size if params.end is None else params.end + size if params.end < 0 else params.end
    if not 0 <= begin < end <= size:
        raise MXNetError('slice_axis: begin %d and end %s do not select a range of axis %d '
                         '(size %d)' % (params.begin, params.end, params.axis, size))
    return (lax.slice_in_dim(data, begin, end, axis=axis),)


@onnx_form('slice_axis')
def _slice_axis_onnx(g, params, data):
    end = np.iinfo(np.int64).max if params.end is None else params.end
    return g.op('Slice', data, g.ints([params.begin]), g.ints([end]),
                g.ints([check_axis(params.axis, len(g.in_shapes[0]))]))


@register('slice_like', integer_backward=float64_vjp(0),
          inputs=('data', 'shape_like'), params={'axes': Param(Shape(), ())},
          infer_type=_like_types)
def slice_like(params, ctx, data, shape_like):
    """The leading part of data with shape_like's sizes on `axes` (on every axis when empty)."""
    if params.axes:
        axes = [check_axis(axis, data.ndim, 'slice_like') for axis in params.axes]
    elif data.ndim != shape_like.ndim:
        raise MXNetError('slice_like: without axes both inputs need the same rank, got %s and %s'
                         % (data.shape, shape_like.shape))
    else:
        axes = range(data.ndim)
    index = [slice(None)] * data.ndim
    for axis in axes:
        if axis >= shape_like.ndim or shape_like.shape[axis] > data.shape[axis]:
            raise MXNetError('slice_like: shape_like %s does not fit inside data %s on axis %d'
                             % (shape_like.shape, data.shape, axis))
        index[axis] = slice(0, shape_like.shape[axis])
    return (data[tuple(index)],)


@register('Crop', variadic='num_args',
          params={'num_args': Param(Int(1, 3)), 'offset': Param(Shape(), (0, 0)),
                  'h_w': Param(Shape(), (0, 0)), 'center_crop': Param(Bool(), False)})
def crop(params, ctx, data, *crop_like):
    """A window of NCHW data, h_w in size or the size of a second input's H and W, placed at
    `offset` (y, x) or in the centre."""
    if data.ndim != 4 or len(crop_like) > 1:
        raise MXNetError('Crop: needs 4-D (N, C, H, W) data and at most one crop_like input, '
                         'got shape %s and %d inputs' % (data.shape, 1 + len(crop_like)))
    height, width = crop_like[0].shape[2:4] if crop_like else params.h_w
    top, left = params.offset
    if params.center_crop:
        top, left = (data.shape[2] - height) // 2, (data.shape[3] - width) // 2
    if not (0 < height <= data.shape[2] - top and 0 < width <= data.shape[3] - left
            and top >= 0 and left >= 0):
        raise MXNetError('Crop: a %dx%d window at offset (%d, %d) does not fit in data %s'
                         % (height, width, top, left, data.shape))
    return (data[:, :, top:top + height, left:left + width],)


@register('diag', integer_backward=float64_vjp(),
          params={'k': Param(Int(), 0), 'axis1': Param(Int(), 0),
                          'axis2': Param(Int(), 1)})
def diag(params, ctx, data):
    """1-D input: the matrix with it on diagonal k. N-D input: diagonal k of the (axis1, axis2)
    planes, as a new last axis."""
    if data.ndim == 1:
        return (jnp.diag(data, params.k),)
    axis1 = check_axis(params.axis1, data.ndim, 'diag')
    axis2 = check_axis(params.axis2, data.ndim, 'diag')
    if axis1 == axis2:
        raise MXNetError('diag: axis1 and axis2 are both axis %d' % axis1)
    rows, cols = data.shape[axis1], data.shape[axis2]
    if min(rows, cols - params.k, rows + params.k) <= 0:
        raise MXNetError('diag: no diagonal %d of axes %d and %d of shape %s'
                         % (params.k, params.axis1, params.axis2, data.shape))
    return (jnp.diagonal(data, params.k, axis1, axis2),)


# ---------------------------------------------------------------------------- splitting
def _split_v2_outputs(params):
    count = params.sections if params.sections > 0 else len(params.indices)
    return ['output'] if count == 1 else ['output%d' % i for i in range(count)]


@register('_split_v2', integer_backward=float64_vjp(),
          params={'indices': Param(Shape()), 'axis': Param(Int(), 1),
                               'squeeze_axis': Param(Bool(), False),
                               'sections': Param(Int(0, MAX_OUTPUTS), 0)},
          outputs=_split_v2_outputs)
def split_v2(params, ctx, data):
    """Split along `axis` at the boundaries `indices` (the first must be 0), or into `sections`
    parts of which the first size % sections are one longer."""
    axis = check_axis(params.axis, data.ndim, '_split_v2')
    size = data.shape[axis]
    if params.sections > 0:
        short, longer = divmod(size, params.sections)
        lengths = [short + 1] * longer + [short] * (params.sections - longer)
        starts = [sum(lengths[:i]) for i in range(params.sections)]
    else:
        starts = list(params.indices)
    ends = starts[1:] + [size]
    if not starts or starts[0] != 0 or any(b > e for b, e in zip(starts, ends)):
        raise MXNetError('_split_v2: indices %s do not split axis %d of shape %s (they must '
                         'start at 0 and not decrease)' % (params.indices, axis, data.shape))
    parts = [lax.slice_in_dim(data, b, e, axis=axis) for b, e in zip(starts, ends)]
    if params.squeeze_axis:
        if any(part.shape[axis] != 1 for part in parts):
            raise MXNetError('_split_v2: squeeze_axis needs parts of size 1 along axis %d'
                             % axis)
        parts = [jnp.squeeze(part, axis) for part in parts]
    return tuple(parts)


@onnx_form('_split_v2')
def _split_v2_onnx(g, params, data):
    """Parts of the sizes the example shape gives (refused where the split axis is
    dynamic)."""
    axis = check_axis(params.axis, len(g.in_shapes[0]), '_split_v2')
    sizes = [shape[axis] if not params.squeeze_axis else 1 for shape in g.out_shapes]
    if not params.squeeze_axis and not all(isinstance(dims[axis], int) for dims in (
            g.out_dims(i) for i in range(len(g.out_shapes)))):
        g.refuse('the split axis is dynamic')
    return split_onnx(g, data, axis, sizes, params.squeeze_axis)


@register('stack', integer_backward=float64_vjp(),
          variadic='num_args',
          params={'axis': Param(Int(), 0), 'num_args': Param(Int(lower=1))})
def stack(params, ctx, *data):
    """Join same-shaped inputs along a new axis."""
    return (jnp.stack(data, axis=check_axis(params.axis, data[0].ndim + 1, 'stack')),)


@onnx_form('stack')
def _stack_onnx(g, params, *data):
    axis = check_axis(params.axis, len(g.in_shapes[0]) + 1)
    return g.op('Concat', *[g.axes_input('Unsqueeze', x, [axis]) for x in data], axis=axis)


# ---------------------------------------------------------------------------- repeating, padding
def _check_reps(params):
    """No negative reps; no 0 outside NumPy-shape mode, where arrays cannot be empty."""
    if any(rep < 0 for rep in params.reps):
        raise MXNetError('reps %s cannot contain negative numbers' % (params.reps,))
    if 0 in params.reps and not is_np_shape():
        raise MXNetError('reps %s cannot contain 0 outside NumPy-shape mode (mx.np_shape())'
                         % (params.reps,))


@register('tile', integer_backward=float64_vjp(), check_params=_check_reps,
          params={'reps': Param(Shape())})
def tile(params, ctx, data):
    """Repeat the whole array reps times per axis, aligning reps and shape on the right."""
    return (jnp.tile(data, params.reps),)


@onnx_form('tile')
def _tile_onnx(g, params, data):
    ndim, reps = len(g.in_shapes[0]), list(params.reps)
    if len(reps) > ndim:
        data = g.axes_input('Unsqueeze', data, list(range(len(reps) - ndim)))
    return g.op('Tile', data, g.ints([1] * (ndim - len(reps)) + reps))


@register('repeat', integer_backward=float64_vjp(),
          params={'repeats': Param(Int()), 'axis': Param(Optional(Int()), None)})
def repeat(params, ctx, data):
    """Repeat each element `repeats` times along `axis` (of the flattened array when None)."""
    axis = None if params.axis is None else check_axis(params.axis, data.ndim, 'repeat')
    return (jnp.repeat(data, params.repeats, axis=axis),)


@onnx_form('repeat')
def _repeat_onnx(g, params, data):
    """Each element repeated along a new axis after `axis`, merged into it."""
    if params.axis is None:
        data, axis = g.op('Reshape', data, g.ints([-1])), 0
    else:
        axis = check_axis(params.axis, len(g.in_shapes[0]))
    spread = g.axes_input('Unsqueeze', data, [axis + 1])
    reps = [1] * (axis + 1) + [params.repeats] + [1] * (len(g.in_shapes[0]) - axis - 1
                                                        if params.axis is not None else 0)
    return g.op('Reshape', g.op('Tile', spread, g.ints(reps)), g.shape_tensor(g.out_dims(0)))


@register('Pad', aliases=('pad',),
          params={'mode': Param(Enum('constant', 'edge', 'reflect')),
                  'pad_width': Param(Shape()), 'constant_value': Param(Float(), 0.0)})
def pad(params, ctx, data):
    """Pad the spatial axes of 4-D or 5-D data with constant_value, copies of the edge, or the
    mirror image that leaves the edge out; pad_width holds (before, after) for every axis."""
    width = params.pad_width
    pairs = list(zip(width[::2], width[1::2]))
    if data.ndim not in (4, 5) or len(width) != 2 * data.ndim or any(width[:4]):
        raise MXNetError('Pad: needs 4-D or 5-D data and a pad_width of two entries per axis, '
                         'zero on N and C; got shape %s and pad_width %s' % (data.shape, width))
    if params.mode == 'reflect' and any(max(pair) >= size
                                        for pair, size in zip(pairs[2:], data.shape[2:])):
        raise MXNetError('Pad: reflect padding %s must be smaller than the padded axes of %s'
                         % (width, data.shape))
    if params.mode == 'constant':
        value = np.asarray(params.constant_value).astype(data.dtype)
        return (jnp.pad(data, pairs, constant_values=value),)
    return (jnp.pad(data, pairs, mode=params.mode),)


@onnx_form('Pad')
def _pad_onnx(g, params, data):
    width = params.pad_width
    value = g.const(np.asarray(params.constant_value).astype(g.in_dtypes[0]))
    return g.op('Pad', data, g.ints(list(width[::2]) + list(width[1::2])),
                value if params.mode == 'constant' else None, mode=params.mode)


# ---------------------------------------------------------------------------- broadcasting
@register('broadcast_axis', unnamed_inputs=True, integer_backward=float64_vjp(),
          aliases=('broadcast_axes',),
          params={'axis': Param(Shape(), ()), 'size': Param(Shape(), ())})
def broadcast_axis(params, ctx, data):
    """Broadcast each size-1 axis in `axis` to the matching entry of `size`."""
    if len(params.axis) != len(params.size):
        raise MXNetError('broadcast_axis: axis %s and size %s differ in length'
                         % (params.axis, params.size))
    target = list(data.shape)
    for axis, size in zip(params.axis, params.size):
        if not 0 <= axis < data.ndim or target[axis] != 1:
            raise MXNetError('broadcast_axis: axis %d of shape %s is not an axis of size 1'
                             % (axis, data.shape))
        target[axis] = size
    return (jnp.broadcast_to(data, tuple(target)),)


@register('broadcast_like', integer_backward=float64_vjp(0),
          inputs=('lhs', 'rhs'),
          params={'lhs_axes': Param(Optional(Shape()), None),
                  'rhs_axes': Param(Optional(Shape()), None)},
          infer_type=_like_types)
def broadcast_like(params, ctx, lhs, rhs):
    """Broadcast lhs to rhs's shape, or only its size-1 lhs_axes to the sizes of rhs_axes."""
    if params.lhs_axes is None or params.rhs_axes is None:
        if lhs.ndim != rhs.ndim:
            raise MXNetError('broadcast_like: lhs %s cannot be broadcast to rhs %s'
                             % (lhs.shape, rhs.shape))
        return (jnp.broadcast_to(lhs, rhs.shape),)
    if len(params.lhs_axes) != len(params.rhs_axes) or not params.lhs_axes:
        raise MXNetError('broadcast_like: lhs_axes %s and rhs_axes %s must be non-empty and '
                         'of one length' % (params.lhs_axes, params.rhs_axes))
    target = list(lhs.shape)
    for lhs_axis, rhs_axis in zip(params.lhs_axes, params.rhs_axes):
        lhs_axis = check_axis(lhs_axis, lhs.ndim, 'broadcast_like')
        if lhs.shape[lhs_axis] != 1:
            raise MXNetError('broadcast_like: axis %d of lhs %s does not have size 1'
                             % (lhs_axis, lhs.shape))
        target[lhs_axis] = rhs.shape[check_axis(rhs_axis, rhs.ndim, 'broadcast_like')]
    return (jnp.broadcast_to(lhs, tuple(target)),)


@register('reshape_like', integer_backward=float64_vjp(0),
          inputs=('lhs', 'rhs'),
          params={'lhs_begin': Param(Optional(Int()), None),
                  'lhs_end': Param(Optional(Int()), None),
                  'rhs_begin': Param(Optional(Int()), None),
                  'rhs_end': Param(Optional(Int()), None)},
          infer_type=_like_types)
def reshape_like(params, ctx, lhs, rhs):
    """Reshape lhs, its dims lhs_begin:lhs_end replaced by rhs's dims rhs_begin:rhs_end
    (all of them by default)."""
    lhs_begin, lhs_end = _dim_range(params.lhs_begin, params.lhs_end, lhs.ndim, 'lhs')
    rhs_begin, rhs_end = _dim_range(params.rhs_begin, params.rhs_end, rhs.ndim, 'rhs')
    target = lhs.shape[:lhs_begin] + rhs.shape[rhs_begin:rhs_end] + lhs.shape[lhs_end:]
    if math.prod(target) != lhs.size:
        raise MXNetError('reshape_like: cannot reshape lhs %s to %s' % (lhs.shape, target))
    return (lhs.reshape(target),)


def _dim_range(begin, end, ndim, side):
    """A (begin, end) range of dims; None means the ends, negative values count from the end."""
    begin = 0 if begin is None else begin + ndim if begin < 0 else begin
    end = ndim if end is None else end + ndim if end < 0 else end
    if not 0 <= begin < end <= ndim:
        raise MXNetError('reshape_like: %s_begin and %s_end give dims %d:%d of %d'
                         % (side, side, begin, end, ndim))
    return begin, end


# ---------------------------------------------------------------------------- shape as data
def _int64_output(params, in_types, out_types):
    return in_types, ['int64']


@register('shape_array', unnamed_inputs=True, integer_backward=zero_gradient,
          nondiff_inputs=('data',), infer_type=_int64_output)
def shape_array(params, ctx, data):
    """The input's shape as a 1-D int64 array."""
    return (jnp.asarray(data.shape, jnp.int64),)


@register('size_array', unnamed_inputs=True, integer_backward=zero_gradient,
          nondiff_inputs=('data',), infer_type=_int64_output)
def size_array(params, ctx, data):
    """The input's element count as an int64 array of shape (1,)."""
    return (jnp.asarray([data.size], jnp.int64),)


# ---------------------------------------------------------------------------- array creation
def _dtype_param_type(params, in_types, out_types):
    """Arrays made from parameters alone have the type of their dtype parameter."""
    return in_types, [params.dtype]


def _known_shape(shape, op_name):
    """The shape parameter, complete (the executor fills unknown dims from the graph)."""
    if not shape or not all(shape):
        raise MXNetError('%s: shape %s has unknown dims; mxsym needs the full shape'
                         % (op_name, shape))
    return shape


def _shape_param_rule(params, in_shapes, out_shapes, input_names):
    """The `shape` parameter, whose unknown (0 or -1) dims MXNet takes from the graph: Gluon's
    RNN layers export their begin states as ``_zeros(shape=(layers, 0, hidden))``."""
    shape = tuple(max(d, 0) for d in params.shape) or None   # -1 is unknown too
    merged = merge_shapes(shape, out_shapes[0])
    if merged is None:
        raise MXNetError('shape parameter %s does not fit the shape %s its users need'
                         % (shape, out_shapes[0]))
    return in_shapes, [merged]


def _creation_op(name, **params):
    """Declare an op without inputs (params in MXNet's order) typed by its dtype parameter."""
    shape_rule = _shape_param_rule if 'shape' in params else None
    return register(name, inputs=(), params=params, infer_type=_dtype_param_type,
                    infer_shape=shape_rule)


_CTX = Param(Str(), '')
_DTYPE = Param(DType(), 'float32')
_DTYPE_NO_BOOL = Param(DType('bfloat16', 'float16', 'float32', 'float64', 'int32', 'int64',
                             'int8', 'uint8'), 'float32')


def _code_type(params, in_types, out_types):
    """Type rule: the dtype of MXNet's type code in the dtype param; -1 leaves it to the
    graph."""
    if params.dtype == UNKNOWN:
        return in_types, out_types
    if params.dtype not in DTYPE_CODES:
        raise MXNetError('dtype %d is not one of MXNet\'s type codes %s'
                         % (params.dtype, sorted(DTYPE_CODES)))
    return in_types, [DTYPE_CODES[params.dtype]]


@_creation_op('_zeros', shape=Param(Shape(), ()), ctx=_CTX, dtype=_DTYPE)
def zeros(params, ctx):
    """An array of zeros."""
    return (jnp.zeros(_known_shape(params.shape, '_zeros'), params.dtype),)


@_creation_op('_ones', shape=Param(Shape(), ()), ctx=_CTX, dtype=_DTYPE)
def ones(params, ctx):
    """An array of ones."""
    return (jnp.ones(_known_shape(params.shape, '_ones'), params.dtype),)


@_creation_op('_full', shape=Param(Optional(Shape()), None), ctx=_CTX, dtype=_DTYPE,
              value=Param(Float()))
def full(params, ctx):
    """An array filled with `value`, converted as C converts (integer types truncate)."""
    value = np.asarray(params.value).astype(jnp.dtype(params.dtype))
    return (jnp.full(_known_shape(params.shape, '_full'), value),)


@onnx_form('_zeros', '_ones', '_full')
def _filled_onnx(g, params, *_):
    value = {'_zeros': 0, '_ones': 1}.get(g.node.op.name, params.get('value'))
    return g.filled(g.out_dims(0), value, g.out_dtypes[0])


# dtypes that MXNet's range kernel does not count as signed: start and step go through an integer
_RANGE_VIA_INTEGER = ('bfloat16', 'float16', 'uint8')


def _range(params):
    """(start, step, count) of an arange whose stop is known."""
    start, stop, step = params.start, params.stop, params.step
    if stop is None:
        start, stop = 0.0, start
    if step == 0 or params.repeat <= 0 or (stop - start) * step <= 0:
        raise MXNetError('_arange: invalid range (start, stop, step, repeat) = (%s, %s, %s, %d)'
                         % (start, stop, step, params.repeat))
    return start, step, math.ceil((stop - start) / step) * params.repeat


def _takes_range_from_graph(params):
    return params.stop is None and params.infer_range


def _arange_shape(params, in_shapes, out_shapes, input_names):
    if _takes_range_from_graph(params):   # the length comes from the graph
        return in_shapes, out_shapes
    return in_shapes, [(_range(params)[2],)]


def _stop_from_output(params, shape):
    """infer_range without stop: the stop giving the inferred length (half a step short of
    the last value's successor, so rounding cannot add a value)."""
    if not _takes_range_from_graph(params):
        return {}
    length = shape[0] // params.repeat
    return {'stop': repr(params.start + (length - 0.5) * params.step)}


@register('_arange', inputs=(), infer_type=_dtype_param_type, infer_shape=_arange_shape,
          fills_from_output=_stop_from_output,
          params={'start': Param(Float()), 'stop': Param(Optional(Float()), None),
                  'step': Param(Float(), 1.0), 'repeat': Param(Int(), 1),
                  'infer_range': Param(Bool(), False), 'ctx': _CTX, 'dtype': _DTYPE_NO_BOOL})
def arange(params, ctx):
    """start, start + step, ... before stop, each `repeat` times; without stop, 0 up to start
    (with infer_range, up to the length the graph gives). Values are start + i * step in the
    output dtype."""
    if _takes_range_from_graph(params):
        raise MXNetError('_arange: infer_range=True without stop: the length must come from '
                         'the graph, which gives none here')
    start, step, count = _range(params)
    dtype = jnp.dtype(params.dtype)
    if params.dtype in _RANGE_VIA_INTEGER:
        start, step = math.trunc(start), math.trunc(step)
    index = (np.arange(count) // params.repeat).astype(dtype)
    return (jnp.asarray(np.asarray(start).astype(dtype) + index * np.asarray(step).astype(dtype)),)


@_creation_op('_linspace', start=Param(Float()), stop=Param(Float()), num=Param(Int()),
              endpoint=Param(Bool(), True), ctx=_CTX, dtype=_DTYPE_NO_BOOL)
def linspace(params, ctx):
    """`num` evenly spaced values from start to stop (included unless endpoint=False), computed
    in float64 and converted to dtype as C converts."""
    intervals = params.num - 1 if params.endpoint else params.num
    step = (params.stop - params.start) / intervals if intervals > 0 else 0.0
    values = params.start + step * np.arange(params.num)
    return (jnp.asarray(values.astype(jnp.dtype(params.dtype))),)


@_creation_op('_eye', N=Param(Int()), M=Param(Int(), 0), k=Param(Int(), 0), ctx=_CTX,
              dtype=Param(DType('float16', 'float32', 'float64', 'int32', 'int64', 'int8',
                                'uint8'), 'float32'))
def eye(params, ctx):
    """An N x M (M=0: N x N) matrix with ones on diagonal k."""
    return (jnp.eye(params.N, params.M if params.M > 0 else params.N, params.k, params.dtype),)


@register('_zeros_without_dtype', inputs=(),
          params={'shape': Param(Shape(), ()), 'ctx': _CTX, 'dtype': Param(Int(), -1)},
          infer_shape=_shape_param_rule, infer_type=_code_type)
def zeros_without_dtype(params, ctx):
    """An array of zeros whose dtype, unless given as MXNet's type code, the graph decides:
    then they are weakly typed, taking the dtype of the values they meet."""
    shape = _known_shape(params.shape, '_zeros_without_dtype')
    dtype = _code_type(params, [], [None])[1][0]
    return (jnp.zeros(shape, dtype) if dtype else lax.full(shape, 0),)


def _shape_from_out(params, in_shapes, out_shapes, input_names):
    """Shape rule of MXNet's NDArray functions writing into `out`: nothing to infer."""
    return in_shapes, out_shapes


@register('_set_value', inputs=(), params={'src': Param(Float())}, infer_shape=_shape_from_out)
def set_value(params, ctx):
    """The scalar src, written into every element of the array given as `out` (MXNet's
    NDArray function; its shape comes from that array alone)."""
    return (jnp.asarray(params.src, jnp.float32),)
