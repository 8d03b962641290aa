"""Reductions over axes: sum, mean, prod, max, min, norm, argmax, ... (never 0-d).

MXNet's reductions keep the input dtype (integer mean truncates toward zero) and give shape (1,)
where numpy would give a 0-d array. Where the math leaves a gradient open, MXNet's rule is
declared: max and min propagate NaN and send the head gradient to every tied element, prod
divides the output by each input (NaN at zeros), nansum and nanprod give NaN inputs a zero
gradient.
"""
import functools

import jax.numpy as jnp
import numpy as np
from jax import lax

from ..base import MXNetError
from ..frames import matrix_shape, on_rows
from ..ops_registry import Bool, DType, Int, Optional, Param, Shape, onnx_form, register
from .integer_rules import zero_gradient
from .rules import check_axis, with_local_gradient


def reduced_axes(ndim, axis, exclude=False):
    """The axes a reduction runs over: all of them for axis None or (), else the listed ones
    (the others with `exclude`)."""
    if not axis:
        return tuple(range(ndim))
    axes = sorted(check_axis(a, ndim) for a in axis)
    if len(set(axes)) != len(axes):
        raise MXNetError('Reduction axes have duplicates: %s' % (tuple(axis),))
    if exclude:
        return tuple(i for i in range(ndim) if i not in axes)
    return tuple(axes)


def reduced_shape(shape, axes, keepdims):
    """The output shape: reduced axes become 1 (keepdims) or go, and nothing left gives (1,)."""
    if keepdims:
        return tuple(1 if i in axes else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in axes) or (1,)


def reduce_rows(reduce, x, axes):
    """`reduce(x, axes)`, or where the reduction is small (frames.on_rows) `reduce(matrix,
    (1,))` of x's (kept elements x reduced elements) matrix made opaque to XLA's fusion:
    XLA's order of summing then depends on that matrix alone, whatever produced it and however
    many rows it has, so a reduction's first run on a frame of rows (frames.RowFrame) gives
    the bits of the program compiled later for its exact shapes. (To be reshaped to the
    output's shape.)"""
    if not on_rows(x.shape, axes):
        return reduce(x, axes)
    kept = [i for i in range(x.ndim) if i not in axes]
    matrix = x.transpose(kept + list(axes)).reshape(matrix_shape(x.shape, axes))
    return reduce(lax.optimization_barrier(matrix), (1,))


# ---------------------------------------------------------------------------- sum, mean, ...
def _sum(x, axes):
    return jnp.sum(x, axis=axes, keepdims=True, dtype=x.dtype)


def _mean(x, axes):
    """Sum, then divide in the input dtype (integer division truncates toward zero)."""
    count = 1
    for axis in axes:
        count *= x.shape[axis]
    return lax.div(_sum(x, axes), jnp.asarray(count, x.dtype))


def _prod(x, axes):
    return jnp.prod(x, axis=axes, keepdims=True, dtype=x.dtype)


def _without_nan(x, value):
    return jnp.where(jnp.isnan(x), jnp.asarray(value, x.dtype), x)


def _extreme(reduce):
    """max or min keeping the reduced axes, NaN wherever a NaN was reduced, as in MXNet
    (XLA's CPU min and max may skip NaN in large reductions)."""
    def kept(x, axes):
        out = reduce(x, axis=axes, keepdims=True)
        if not jnp.issubdtype(x.dtype, jnp.inexact):
            return out
        has_nan = jnp.any(jnp.isnan(x), axis=axes, keepdims=True)
        return jnp.where(has_nan, jnp.asarray(jnp.nan, x.dtype), out)
    return kept


def _ties(x, out):
    return (x == out).astype(x.dtype)


def _quotient(x, out):
    return out / x


def integer_reduction_backward(gradient, per_element=False):
    """MXNet's backward of a reduction over integers: ``gradient(x, out, head)`` with the
    result and the head gradient spread back over the reduced axes, in x's dtype; with
    `per_element` (mean) then divided by the count reduced into each result, truncating as
    integer division does (so heads below the count give 0)."""
    def rule(params, inputs, outputs, heads, forward):
        (x,) = inputs
        kept = reduced_shape(x.shape, reduced_axes(x.ndim, params.axis,
                                                   params.get('exclude', False)), True)

        def spread(value):
            return jnp.broadcast_to(value.astype(x.dtype).reshape(kept), x.shape)
        grad = gradient(x, spread(outputs[0]), spread(heads[0])).astype(x.dtype)
        if per_element:
            grad = lax.div(grad, jnp.asarray(x.size // outputs[0].size, x.dtype))
        return [grad]
    return rule


def _head(x, out, head):
    return head


# name: (aliases, reduce(x, axes) keeping the reduced axes, MXNet's local gradient or None
# where autodiff already gives MXNet's gradient, MXNet's backward over integers)
REDUCTIONS = {
    'sum': (('_sparse_sum', 'sum_axis'), _sum, None, integer_reduction_backward(_head)),
    'mean': (('_sparse_mean',), _mean, None, integer_reduction_backward(_head, True)),
    'prod': ((), _prod, _quotient,
             integer_reduction_backward(lambda x, out, head: head * lax.div(out, x))),
    'nansum': ((), lambda x, axes: _sum(_without_nan(x, 0), axes),
               lambda x, out: (~jnp.isnan(x)).astype(x.dtype), integer_reduction_backward(_head)),
    'nanprod': ((), lambda x, axes: _prod(_without_nan(x, 1), axes),
                lambda x, out: jnp.where(jnp.isnan(x), jnp.zeros_like(x), out / x),
                integer_reduction_backward(lambda x, out, head: head * lax.div(out, x))),
    # MXNet's sparse-only sum of squares (of a row_sparse weight); held densely here
    '_square_sum': ((), lambda x, axes: _sum(x * x, axes), None,
                    integer_reduction_backward(lambda x, out, head: head * 2 * x)),
    'max': (('max_axis',), _extreme(jnp.max), _ties,
            integer_reduction_backward(lambda x, out, head: head * _ties(x, out))),
    'min': (('min_axis',), _extreme(jnp.min), _ties,
            integer_reduction_backward(lambda x, out, head: head * _ties(x, out))),
}

REDUCE_PARAMS = {'axis': Param(Optional(Shape()), None), 'keepdims': Param(Bool(), False),
                 'exclude': Param(Bool(), False)}
# What makes a reduction node reduce the rows of a matrix (frames.RowFrame)
ROW_ATTRS = {'axis': '(1,)', 'keepdims': 'True', 'exclude': 'False'}


def reduction_shape(params, in_shapes, out_shapes, input_names):
    """The output shape of a reduction once the data's rank is known; its unknown dims stay
    unknown where they are not reduced."""
    (shape,) = in_shapes
    if shape is None:
        return in_shapes, out_shapes
    axes = reduced_axes(len(shape), params.axis, params.get('exclude', False))
    return in_shapes, [reduced_shape(tuple(shape), axes, params.keepdims)]


def known_shape_rule(rule):
    """`rule` where every dim of the data is known; nothing inferred from a partial shape, as
    MXNet's max, min, norm and argmax infer nothing from one (sum and mean do)."""
    def known(params, in_shapes, out_shapes, input_names):
        (shape,) = in_shapes
        if shape is None or not all(shape):
            return in_shapes, out_shapes
        return rule(params, in_shapes, out_shapes, input_names)
    return known


def _reduction(reduce, local_gradient):
    def compute(params, ctx, data):
        axes = reduced_axes(data.ndim, params.axis, params.exclude)

        def kept(x, axes):
            return (with_local_gradient(functools.partial(reduce, axes=axes), local_gradient)(x)
                    if local_gradient is not None else reduce(x, axes))
        out = reduce_rows(kept, data, axes)
        return (out.reshape(reduced_shape(data.shape, axes, params.keepdims)),)
    return compute


for _name, (_aliases, _reduce, _gradient, _integer_rule) in REDUCTIONS.items():
    register(_name, aliases=_aliases, params=REDUCE_PARAMS, unnamed_inputs=True,
             infer_shape=(known_shape_rule(reduction_shape) if _name in ('max', 'min')
                          else reduction_shape),
             integer_backward=_integer_rule,
             row_attrs=ROW_ATTRS)(_reduction(_reduce, _gradient))

ONNX_REDUCTIONS = {'sum': 'ReduceSum', 'mean': 'ReduceMean', 'prod': 'ReduceProd',
                   'max': 'ReduceMax', 'min': 'ReduceMin'}


def reduction_onnx(g, reduction, data, axes):
    """The ONNX form of reduction `reduction` (a key of ONNX_REDUCTIONS) over `axes`,
    shaped as the node's output (never 0-d here, as MXNet's)."""
    if reduction == 'mean' and not np.issubdtype(g.out_dtypes[0], np.floating):
        g.refuse('the mean of integers rounds as ONNX does not')
    kept = g.axes_input(ONNX_REDUCTIONS[reduction], data, list(axes), keepdims=1)
    return g.op('Reshape', kept, g.shape_tensor(g.out_dims(0)))


@onnx_form(*ONNX_REDUCTIONS)
def _reduction_onnx(g, params, data):
    axes = reduced_axes(len(g.in_shapes[0]), params.axis, params.exclude)
    return reduction_onnx(g, g.node.op.name, data, axes)


# ---------------------------------------------------------------------------- norm
def _l2_norm(x, axes):
    return jnp.sqrt(_sum(x * x, axes))


def _integer_l2_norm(x, axes):
    """MXNet's scaled sum of squares run in integer arithmetic: the largest magnitude times
    the square root of how often it occurs, truncated ([3, 4] gives 4, [7, 7, 1] gives 9)."""
    magnitude = jnp.abs(x)
    largest = jnp.max(magnitude, axis=axes, keepdims=True)
    count = jnp.sum((magnitude == largest) & (largest != 0), axis=axes, keepdims=True)
    root = jnp.sqrt(count.astype(jnp.float32))
    return (largest.astype(jnp.float32) * root).astype(x.dtype)


def _norm_types(params, in_types, out_types):
    if params.out_dtype is None:
        known = in_types[0] or out_types[0]
        return [known], [known]
    return in_types, [params.out_dtype]


# ord: the L1 gradient head * sign(x) and the L2 gradient head * (x / norm), in integers
_NORM_INTEGER_BACKWARD = {
    1: integer_reduction_backward(lambda x, out, head: head * jnp.sign(x)),
    2: integer_reduction_backward(lambda x, out, head: head * lax.div(x, out)),
}


def _norm_integer_backward(params, inputs, outputs, heads, forward):
    return _NORM_INTEGER_BACKWARD[params.ord](params, inputs, outputs, heads, forward)


@register('norm', unnamed_inputs=True, aliases=('_sparse_norm',),
          params={'ord': Param(Int(), 2), 'axis': Param(Optional(Shape()), None),
                  'out_dtype': Param(DType('float16', 'float32', 'float64', 'int32', 'int64',
                                           'int8', none=True), None),
                  'keepdims': Param(Bool(), False)},
          infer_type=_norm_types, infer_shape=known_shape_rule(reduction_shape),
          integer_backward=_norm_integer_backward,
          row_attrs={name: ROW_ATTRS[name] for name in ('axis', 'keepdims')})
def norm(params, ctx, data):
    """L1 (gradient sign(x)) or L2 (gradient x / norm) norm over axes, cast to out_dtype."""
    axes = reduced_axes(data.ndim, params.axis)
    if params.ord == 1:
        def kept(x, axes):
            return with_local_gradient(lambda x: _sum(jnp.abs(x), axes),
                                       lambda x, out: jnp.sign(x))(x)
    elif params.ord == 2:
        if jnp.issubdtype(data.dtype, jnp.integer):
            kept = _integer_l2_norm
        else:
            def kept(x, axes):
                return with_local_gradient(lambda x: _l2_norm(x, axes), lambda x, out: x / out)(x)
    else:
        raise MXNetError('norm only supports ord=1 and ord=2, got ord=%d' % params.ord)
    out = reduce_rows(kept, data, axes).reshape(reduced_shape(data.shape, axes, params.keepdims))
    return (out.astype(params.out_dtype or data.dtype),)


# ---------------------------------------------------------------------------- moments
@register('moments', params={'axes': Param(Optional(Shape()), None),
                             'keepdims': Param(Bool(), False)},
          outputs=('output0', 'output1'))
def moments(params, ctx, data):
    """Mean and biased variance over `axes` (which must be given)."""
    if not params.axes:
        raise MXNetError('moments: empty axes is not supported; for global moments pass every '
                         'axis in axes')
    axes = reduced_axes(data.ndim, params.axes)
    mean = _mean(data, axes)
    variance = _mean(jnp.square(data - mean), axes)
    shape = reduced_shape(data.shape, axes, params.keepdims)
    return mean.reshape(shape), variance.reshape(shape)


# ---------------------------------------------------------------------------- argmax, argmin
def search_axis(find, data, axis, keepdims):
    """Index of the first extreme along `axis` (None: over all elements), in data's dtype.
    NaN counts as the extreme for both argmax and argmin."""
    if axis is None:
        index = find(data.reshape(-1))
        shape = (1,) * data.ndim if keepdims else (1,)
    else:
        axis = check_axis(axis, data.ndim)
        index = find(data, axis=axis)
        shape = reduced_shape(data.shape, (axis,), keepdims)
    return index.astype(data.dtype).reshape(shape)


def _search(find):
    def compute(params, ctx, data):
        return (search_axis(find, data, params.axis, params.keepdims),)
    return compute


def _searched_shape(params, in_shapes, out_shapes, input_names):
    """argmax's and argmin's output shape (as `search_axis` shapes it)."""
    (shape,) = in_shapes
    if params.axis is None:
        return in_shapes, [(1,) * len(shape) if params.keepdims else (1,)]
    axis = check_axis(params.axis, len(shape))
    return in_shapes, [reduced_shape(tuple(shape), (axis,), params.keepdims)]


SEARCH_PARAMS = {'axis': Param(Optional(Int()), None), 'keepdims': Param(Bool(), False)}
# Searches have a zero gradient in MXNet: their outputs are off every gradient's path.
register('argmax', unnamed_inputs=True, params=SEARCH_PARAMS, nondiff_inputs=('data',),
         infer_shape=known_shape_rule(_searched_shape),
         integer_backward=zero_gradient)(_search(jnp.argmax))
register('argmin', unnamed_inputs=True, params=SEARCH_PARAMS, nondiff_inputs=('data',),
         infer_shape=known_shape_rule(_searched_shape),
         integer_backward=zero_gradient)(_search(jnp.argmin))


def search_onnx(g, find, data, axis):
    """ONNX's ArgMax or ArgMin (`find`) along `axis` (None: over all elements), in the
    node's output dtype and shape."""
    if axis is None:
        data, axis = g.op('Reshape', data, g.ints([-1])), 0
    index = g.op(find, data, axis=check_axis(axis, len(g.in_shapes[0])), keepdims=1)
    return g.op('Reshape', g.cast(index, g.out_dtypes[0]), g.shape_tensor(g.out_dims(0)))


@onnx_form('argmax', 'argmin')
def _search_onnx(g, params, data):
    return search_onnx(g, 'ArgMax' if g.node.op.name == 'argmax' else 'ArgMin', data,
                       params.axis)


@register('argmax_channel', unnamed_inputs=True, nondiff_inputs=('data',),
          infer_shape=known_shape_rule(lambda params, in_shapes, out_shapes, names: (
              in_shapes, [reduced_shape(tuple(in_shapes[0]), (1,), False)])))
def argmax_channel(params, ctx, data):
    """argmax over axis 1."""
    return (search_axis(jnp.argmax, data, 1, False),)
