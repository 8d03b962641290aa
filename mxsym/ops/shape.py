"""Shape manipulation: Reshape (with MXNet's special codes), broadcast_to, Concat, Flatten, Cast."""
import math

import jax.numpy as jnp

from ..base import MXNetError
from ..ops_registry import Bool, DType, Int, Param, Shape, register


# ---------------------------------------------------------------------------- Reshape
def reshape_target(shape, spec, reverse=False):
    """The output shape MXNet's Reshape gives for input `shape` and `shape` param `spec`.

    Codes: 0 copies a dim, -1 infers one dim, -2 copies the rest, -3 merges two dims,
    -4 splits one dim into the next two values. `reverse` applies the codes right to left.
    """
    shape, spec = list(shape), list(spec)
    if reverse:
        shape, spec = shape[::-1], spec[::-1]
        spec = _reverse_split_codes(spec)
    out, src, infer_at = [], 0, None
    i = 0
    while i < len(spec):
        code = spec[i]
        if code > 0:
            out.append(code)
            src += 1
        elif code == 0:
            out.append(shape[src])
            src += 1
        elif code == -1:
            infer_at = len(out)
            out.append(-1)
            src += 1
        elif code == -2:
            out.extend(shape[src:])
            src = len(shape)
        elif code == -3:
            out.append(shape[src] * shape[src + 1])
            src += 2
        elif code == -4:
            first, second = spec[i + 1], spec[i + 2]
            if first == -1:
                first = shape[src] // second
            if second == -1:
                second = shape[src] // first
            out.extend([first, second])
            src += 1
            i += 2
        else:
            raise MXNetError('invalid Reshape code %d in shape %s' % (code, tuple(spec)))
        i += 1
    if infer_at is not None:
        known = math.prod(d for j, d in enumerate(out) if j != infer_at)
        out[infer_at] = math.prod(shape) // known if known else 0
    if reverse:
        out = out[::-1]
    return tuple(out)


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


@register('Reshape', aliases=('reshape',),
          params={'shape': Param(Shape(), ()), 'reverse': Param(Bool(), False),
                  'target_shape': Param(Shape(), ()), 'keep_highest': Param(Bool(), False)})
def reshape(params, ctx, data):
    """Reshape with MXNet's special codes; the element count must not change."""
    if params.shape:
        target = reshape_target(data.shape, params.shape, params.reverse)
    else:
        target = _legacy_target(data.shape, params.target_shape, params.keep_highest)
    if math.prod(target) != data.size:
        raise MXNetError('Reshape: target shape %s (from shape=%s) does not have the %d '
                         'elements of input shape %s'
                         % (target, params.shape or params.target_shape, data.size, data.shape))
    return (data.reshape(target),)


# ---------------------------------------------------------------------------- broadcast_to
@register('broadcast_to', params={'shape': Param(Shape(), ())})
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


# ---------------------------------------------------------------------------- Concat
@register('Concat', aliases=('concat', '_sparse_concat'), variadic='num_args',
          params={'num_args': Param(Int()), 'dim': Param(Int(), 1)})
def concat(params, ctx, *data):
    """Join the inputs along `dim`."""
    return (jnp.concatenate(data, axis=params.dim),)


# ---------------------------------------------------------------------------- Flatten
@register('Flatten', aliases=('flatten',))
def flatten(params, ctx, data):
    """(d0, d1, ...) -> (d0, d1*...); a 1-D input becomes (n, 1)."""
    return (data.reshape(data.shape[0], -1),)


# ---------------------------------------------------------------------------- Cast
def _cast_types(params, in_types, out_types):
    return in_types, [params.dtype]


@register('Cast', aliases=('cast',), params={'dtype': Param(DType())}, infer_type=_cast_types)
def cast(params, ctx, data):
    """Convert to `dtype`; floats to ints truncate toward zero, out-of-range values wrap."""
    target = jnp.dtype(params.dtype)
    if jnp.issubdtype(target, jnp.integer) and jnp.issubdtype(data.dtype, jnp.floating):
        data = jnp.trunc(data).astype(jnp.int64)
    return (data.astype(target),)


# ---------------------------------------------------------------------------- SliceChannel
@register('SliceChannel', aliases=('split',),
          params={'num_outputs': Param(Int()), 'axis': Param(Int(), 1),
                  'squeeze_axis': Param(Bool(), False)},
          outputs=lambda p: ['output%d' % i for i in range(p.num_outputs)])
def slice_channel(params, ctx, data):
    """Split into num_outputs equal parts along `axis` (dropping it with squeeze_axis)."""
    axis = params.axis % data.ndim
    if data.shape[axis] % params.num_outputs:
        raise MXNetError('SliceChannel: axis %d of shape %s does not split into %d equal parts'
                         % (params.axis, data.shape, params.num_outputs))
    parts = jnp.split(data, params.num_outputs, axis=axis)
    if params.squeeze_axis:
        parts = [jnp.squeeze(part, axis) for part in parts]
    return tuple(parts)
