"""Picking elements by index: take, pick, one_hot, where, topk, sort, ravel, histogram, ...

Index inputs may have any dtype (MXNet's legacy ops take float indices) and are truncated
toward zero; out-of-range indices are clipped or wrapped as each op's `mode` says. Gradients
scatter the head gradient back to the data; index inputs get zero gradients.

Where MXNet fails on an out-of-range index (take's mode 'raise', gather_nd), the program
reports it when it runs and the next read of a result raises it, as MXNet raises its
asynchronous ops' errors.
"""
import jax.numpy as jnp
import numpy as np
from jax import lax

from ..base import MXNetError, MXNetIndexError
from ..ops_registry import (Bool, DType, Enum, Float, Int, Optional, Param, Shape, onnx_form,
                            register)
from .contrib import FloatTuple
from .integer_rules import float64_vjp, zero_gradient
from .reduce import reduced_shape
from .rules import c_cast, check_axis, merge_shapes, report_when, same_shape

INDEX_DTYPES = ('float16', 'float32', 'float64', 'int32', 'int64', 'uint8')


def positions(index, size, mode):
    """Integer positions from an index array: truncated toward zero, then clipped into
    [0, size) ('clip') or wrapped around ('wrap')."""
    position = index.astype(jnp.int64)
    if mode == 'clip':
        return jnp.clip(position, 0, size - 1)
    return jnp.mod(position, size)


def like_data(params, in_types, out_types):
    """Type rule: the output has the dtype of the first input; the index input is free."""
    known = in_types[0] or out_types[0]
    return [known] + list(in_types[1:]), [known]


def dtype_param(params, in_types, out_types):
    """Type rule: the output has the `dtype` parameter's dtype; the input is free."""
    return in_types, [params.dtype]


# ---------------------------------------------------------------------------- pick
@register('pick', integer_backward=float64_vjp(0),
          inputs=('data', 'index'), nondiff_inputs=('index',), aliases=('choose_element_0index',),
          params={'axis': Param(Optional(Int()), -1), 'keepdims': Param(Bool(), False),
                  'mode': Param(Enum('clip', 'wrap'), 'clip')},
          infer_type=like_data)
def pick(params, ctx, data, index):
    """One element along `axis` per position of the other axes; the index array is data's
    shape without `axis` (or with it as 1)."""
    if params.axis is None:
        raise MXNetError('pick: axis=None is not supported; give an axis')
    axis = check_axis(params.axis, data.ndim)
    picked = positions(index, data.shape[axis], params.mode)
    picked = picked.reshape(data.shape[:axis] + (1,) + data.shape[axis + 1:])
    out = jnp.take_along_axis(data, picked, axis=axis)
    return (out.reshape(reduced_shape(data.shape, (axis,), params.keepdims)),)


def positions_onnx(g, index, size, mode):
    """`positions` in ONNX ('raise' leaves indices as they are: onnxruntime fails on an
    index out of range, though it counts negative ones from the end)."""
    position = g.cast(index, np.int64)
    if mode == 'clip':
        return g.op('Clip', position, g.const(0, np.int64), g.const(size - 1, np.int64))
    if mode == 'wrap':
        return g.op('Mod', position, g.const(size, np.int64))
    return position


@onnx_form('pick')
def _pick_onnx(g, params, data, index):
    if params.axis is None:
        g.refuse('axis=None')
    axis = check_axis(params.axis, len(g.in_shapes[0]))
    picked = positions_onnx(g, index, g.in_shapes[0][axis], params.mode)
    if len(g.in_shapes[1]) < len(g.in_shapes[0]):
        picked = g.axes_input('Unsqueeze', picked, [axis])
    out = g.op('GatherElements', data, picked, axis=axis)
    return out if params.keepdims else g.axes_input('Squeeze', out, [axis])


# ---------------------------------------------------------------------------- take
@register('take', integer_backward=float64_vjp(0),
          inputs=('a', 'indices'), nondiff_inputs=('indices',),
          params={'axis': Param(Int(), 0), 'mode': Param(Enum('clip', 'raise', 'wrap'), 'clip')},
          infer_type=like_data)
def take(params, ctx, a, indices):
    """Slices of `a` along `axis` at the indices; the output has the indices' shape in place
    of that axis."""
    axis = check_axis(params.axis, a.ndim)
    if params.mode == 'raise':
        _report_out_of_range('take', indices, a.shape[axis], axis)
    mode = 'clip' if params.mode == 'clip' else 'wrap'
    return (jnp.take(a, positions(indices, a.shape[axis], mode), axis=axis),)


@onnx_form('take')
def _take_onnx(g, params, a, indices):
    axis = check_axis(params.axis, len(g.in_shapes[0]))
    picked = positions_onnx(g, indices, g.in_shapes[0][axis], params.mode)
    return g.op('Gather', a, picked, axis=axis)


def _report_out_of_range(op_name, index, size, axis):
    """Has the program report, when it runs, indices outside [0, size)."""
    position = index.astype(jnp.int64)
    report_when(jnp.any((position < 0) | (position >= size)),
                MXNetError("%s: indices out of bound: mode 'raise' needs every index in [0, %d), "
                           "the size of axis %d" % (op_name, size, axis)))


# ---------------------------------------------------------------------------- batch_take
def _batch_take_types(params, in_types, out_types):
    known = in_types[0] or out_types[0]
    return [known, 'int32'], [known]


@register('batch_take', inputs=('a', 'indices'), infer_type=_batch_take_types,
          nondiff_inputs=('indices',), has_gradient=False)
def batch_take(params, ctx, a, indices):
    """out[i] = a[i, indices[i]] over a's last axis (indices clipped); indices are int32."""
    if a.ndim < 2:
        raise MXNetError('batch_take: a must have at least 2 dimensions, got shape %s'
                         % (a.shape,))
    rows = a.reshape(-1, a.shape[-1])
    if indices.size != rows.shape[0]:
        raise MXNetError('batch_take: indices %s must have one entry per row of a %s'
                         % (indices.shape, a.shape))
    picked = positions(indices.reshape(-1, 1), a.shape[-1], 'clip')
    return (jnp.take_along_axis(rows, picked, axis=1).reshape(indices.shape),)


# ---------------------------------------------------------------------------- one_hot
@register('one_hot', inputs=('indices',), nondiff_inputs=('indices',),
          params={'depth': Param(Int()), 'on_value': Param(Float(), 1.0),
                  'off_value': Param(Float(), 0.0),
                  'dtype': Param(DType('bfloat16', 'float16', 'float32', 'float64', 'int32',
                                       'int64', 'int8', 'uint8'), 'float32')},
          infer_type=dtype_param)
def one_hot(params, ctx, indices):
    """A new last axis of size depth: on_value at each index, off_value elsewhere (an index
    outside [0, depth) gives an all-off row). The values are converted to dtype first."""
    dtype = jnp.dtype(params.dtype)
    hot = indices.astype(jnp.int64)[..., None] == jnp.arange(params.depth)
    on = jnp.asarray(params.on_value).astype(dtype)
    off = jnp.asarray(params.off_value).astype(dtype)
    return (jnp.where(hot, on, off),)


@onnx_form('one_hot')
def _one_hot_onnx(g, params, indices):
    """An equality test against 0 .. depth - 1, so that indices out of range give all-off
    rows (ONNX's OneHot counts negative ones from the end)."""
    columns = g.const(np.arange(params.depth, dtype=np.int64))
    hot = g.op('Equal', g.axes_input('Unsqueeze', g.cast(indices, np.int64), [-1]), columns)
    dtype = g.out_dtypes[0]
    return g.op('Where', hot, g.const(np.asarray(params.on_value).astype(dtype)),
                g.const(np.asarray(params.off_value).astype(dtype)))


# ---------------------------------------------------------------------------- where
def _where_shapes(params, in_shapes, out_shapes, input_names):
    """x, y and the output share a shape; the condition has it too, or is 1-D over rows.
    Nothing is inferred until the condition's shape is fully known (MXNet's rule)."""
    condition = in_shapes[0]
    if condition is None or not all(condition):
        return in_shapes, out_shapes
    (x, y), (out,) = same_shape(params, in_shapes[1:], out_shapes, input_names[1:])
    if condition is not None and out is not None:
        if len(condition) == len(out):
            merged = merge_shapes(condition, out)
            if merged is None:
                raise MXNetError('where: condition has shape %s but x and y have shape %s'
                                 % (condition, out))
            condition = x = y = out = merged
        elif len(condition) != 1 or (condition[0] and out[0] and condition[0] != out[0]):
            raise MXNetError('where: condition of shape %s must have the shape of x and y %s '
                             'or be 1-D over their first axis' % (condition, out))
    return [condition, x, y], [out]


def _where_types(params, in_types, out_types):
    known = in_types[1] or in_types[2] or out_types[0]
    return [in_types[0], known, known], [known]


@register('where', integer_backward=float64_vjp(1, 2),
          inputs=('condition', 'x', 'y'), nondiff_inputs=('condition',), aliases=('_sparse_where',),
          infer_shape=_where_shapes, infer_type=_where_types)
def where(params, ctx, condition, x, y):
    """x where the condition is nonzero, else y; a 1-D condition selects whole rows."""
    if condition.shape != x.shape:
        condition = condition.reshape((-1,) + (1,) * (x.ndim - 1))
    return (jnp.where(condition != 0, x, y),)


# ---------------------------------------------------------------------------- topk, sort
def _top(data, axis, k, is_ascend):
    """Values and positions of the first k of a stable sort along axis (None flattens;
    k <= 0 takes all)."""
    moved = data.reshape(-1) if axis is None else jnp.moveaxis(data, axis, -1)
    size = moved.shape[-1]
    k = size if k <= 0 else k
    if k > size:
        raise MXNetError('k must not exceed %d, the size of the sorted axis; got k=%d'
                         % (size, k))
    order = jnp.argsort(moved, axis=-1, stable=True, descending=not is_ascend)[..., :k]
    values = jnp.take_along_axis(moved, order, axis=-1)
    if axis is None:
        return values, order
    return jnp.moveaxis(values, -1, axis), jnp.moveaxis(order, -1, axis)


def _sort_axis(params, data):
    return None if params.axis is None else check_axis(params.axis, data.ndim)


def _topk_outputs(params):
    return ('output0', 'output1') if params.ret_typ in ('value', 'both') else ('output',)


# MXNet types the index output that value-only sorts keep hidden as int32; mxsym gives it the
# data's dtype. No user can see it, and an integer output would send graphs of float data to
# the slower integer backward.
def _topk_types(params, in_types, out_types):
    if params.ret_typ == 'indices':
        return in_types, [params.dtype]
    known = in_types[0] or out_types[0]
    if params.ret_typ == 'mask':
        return [known], [known]
    index_dtype = params.dtype if params.ret_typ == 'both' else known
    return [known], [known, index_dtype]


SORT_PARAMS = {'axis': Param(Optional(Int()), -1), 'k': Param(Int(), 1),
               'ret_typ': Param(Enum('both', 'indices', 'mask', 'value'), 'indices'),
               'is_ascend': Param(Bool(), False),
               'dtype': Param(DType(*INDEX_DTYPES), 'float32')}


@register('topk', unnamed_inputs=True, integer_backward=float64_vjp(0),
          params=SORT_PARAMS, outputs=_topk_outputs,
          num_visible=lambda params: 2 if params.ret_typ == 'both' else 1,
          infer_type=_topk_types)
def topk(params, ctx, data):
    """The k largest (smallest with is_ascend) along axis, ties in index order: their
    indices (in dtype), values, both, or a 0/1 mask. axis None flattens first."""
    axis = _sort_axis(params, data)
    values, order = _top(data, axis, params.k, params.is_ascend)
    if params.ret_typ == 'mask':
        if axis is None:
            return (jnp.zeros(data.size, data.dtype).at[order].set(1).reshape(data.shape),)
        return (jnp.put_along_axis(jnp.zeros_like(data), order, 1, axis, inplace=False),)
    if params.ret_typ == 'indices':
        return (order.astype(params.dtype),)
    if params.ret_typ == 'both':
        return values, order.astype(params.dtype)
    return values, order.astype(data.dtype)


def _sort_types(params, in_types, out_types):
    known = in_types[0] or out_types[0]
    return [known], [known, known]


@register('sort', unnamed_inputs=True, integer_backward=float64_vjp(0),
          params={'axis': Param(Optional(Int()), -1), 'is_ascend': Param(Bool(), True)},
          outputs=('output0', 'output1'), num_visible=lambda params: 1, infer_type=_sort_types)
def sort(params, ctx, data):
    """Values sorted along axis (None flattens); the index output stays hidden."""
    values, order = _top(data, _sort_axis(params, data), 0, params.is_ascend)
    return values, order.astype(data.dtype)


@register('argsort', unnamed_inputs=True, integer_backward=zero_gradient,
          nondiff_inputs=('data',),
          params={'axis': Param(Optional(Int()), -1), 'is_ascend': Param(Bool(), True),
                  'dtype': Param(DType(*INDEX_DTYPES), 'float32')},
          infer_type=dtype_param)
def argsort(params, ctx, data):
    """Positions that sort data along axis (None flattens), ties in index order, in dtype."""
    _, order = _top(data, _sort_axis(params, data), 0, params.is_ascend)
    return (order.astype(params.dtype),)


# ---------------------------------------------------------------------------- gather/scatter
def _index_rows(indices, limit, what):
    if indices.ndim < 2:
        raise MXNetError('%s: indices must have at least 2 dimensions, got shape %s'
                         % (what, indices.shape))
    if indices.shape[0] > limit:
        raise MXNetError('%s: indices %s index %d dimensions but there are only %d'
                         % (what, indices.shape, indices.shape[0], limit))


@register('gather_nd', integer_backward=float64_vjp(0),
          inputs=('data', 'indices'), infer_type=like_data,
          nondiff_inputs=('indices',))
def gather_nd(params, ctx, data, indices):
    """indices (M, ...) address data's first M axes: out[...] = data[indices[:, ...]].
    Negative indices count from the end, as MXNet's forward does (floor, then wrap); indices
    beyond that raise IndexError at the next read of a result."""
    _index_rows(indices, data.ndim, 'gather_nd')
    if jnp.issubdtype(indices.dtype, jnp.floating):
        indices = jnp.floor(indices)
    indices = indices.astype(jnp.int64)
    sizes = jnp.asarray(data.shape[:indices.shape[0]]).reshape((-1,) + (1,) * (indices.ndim - 1))
    report_when(jnp.any((indices < -sizes) | (indices >= sizes)),
                MXNetIndexError('gather_nd: an index is out of bounds for data of shape %s '
                                '(index k of axis a must be in [-size_a, size_a))'
                                % (data.shape,)))
    return (data[tuple(jnp.mod(indices, sizes))],)


@register('scatter_nd', integer_backward=float64_vjp(0),
          inputs=('data', 'indices'), nondiff_inputs=('indices',), params={'shape': Param(Shape())},
          infer_type=like_data)
def scatter_nd(params, ctx, data, indices):
    """A zero array of `shape` with data written at the indices (the inverse of gather_nd);
    which of several writes to one place wins is unspecified, as in MXNet."""
    return (_scatter(jnp.zeros(params.shape, data.dtype), data, indices, 'scatter_nd'),)


def _scatter(target, data, indices, op_name):
    """target with data written at the indices, which address its first indices.shape[0]
    axes."""
    _index_rows(indices, target.ndim, op_name)
    expected = indices.shape[1:] + target.shape[indices.shape[0]:]
    if data.shape != expected:
        raise MXNetError('%s: data has shape %s but indices %s and shape %s need %s'
                         % (op_name, data.shape, indices.shape, target.shape, expected))
    return target.at[tuple(indices.astype(jnp.int64))].set(data.astype(target.dtype))


def _scatter_set_types(params, in_types, out_types):
    known = in_types[0] or in_types[1] or out_types[0]
    return [known, known, in_types[2]], [known]


@register('_scatter_set_nd', aliases=('_npi_scatter_set_nd',),
          inputs=('lhs', 'rhs', 'indices'), has_gradient=False,
          params={'shape': Param(Shape())},
          param_shapes=lambda params, in_shapes: {'lhs': tuple(params.shape)},
          infer_type=_scatter_set_types)
def scatter_set_nd(params, ctx, lhs, rhs, indices):
    """lhs (of `shape`) with rhs written at the indices, as scatter_nd writes into zeros."""
    if lhs.shape != tuple(params.shape):
        raise MXNetError('_scatter_set_nd: lhs has shape %s but shape is %s'
                         % (lhs.shape, tuple(params.shape)))
    return (_scatter(lhs, rhs, indices, '_scatter_set_nd'),)


# ---------------------------------------------------------------------------- NDArray functions
def _shaped_like(position):
    """Shape rule: the output has the shape of the input at `position`."""
    def rule(params, in_shapes, out_shapes, input_names):
        return in_shapes, [in_shapes[position] or out_shapes[0]]
    return rule


@register('fill_element_0index', inputs=('lhs', 'mhs', 'rhs'), has_gradient=False,
          infer_shape=_shaped_like(0), infer_type=like_data)
def fill_element_0index(params, ctx, lhs, mhs, rhs):
    """lhs (2-D) with row i's element at column rhs[i] (truncated) set to mhs[i]; columns
    outside the row are left alone. MXNet's NDArray function (pick's write counterpart)."""
    rows = jnp.arange(lhs.shape[0])
    columns = rhs.astype(jnp.int64)
    columns = jnp.where((columns >= 0) & (columns < lhs.shape[1]), columns, lhs.shape[1])
    return (lhs.at[rows, columns].set(mhs.astype(lhs.dtype), mode='drop'),)


def _onehot_encode_types(params, in_types, out_types):
    return in_types, [in_types[1] or out_types[0]]


@register('_onehot_encode', inputs=('lhs', 'rhs'), has_gradient=False,
          infer_shape=_shaped_like(1), infer_type=_onehot_encode_types)
def onehot_encode(params, ctx, lhs, rhs):
    """Rows of rhs's shape and dtype, one per index in lhs (truncated): one at the index, zero
    elsewhere. MXNet's NDArray function behind ``mx.nd.onehot_encode(indices, out)``."""
    hot = lhs.astype(jnp.int64)[:, None] == jnp.arange(rhs.shape[1])
    return (hot.astype(rhs.dtype),)


# ---------------------------------------------------------------------------- ravel, unravel
def _ravel_shape_param(params, op_name):
    if not params.shape:
        raise MXNetError('%s: the shape parameter is empty; give the shape the indices address'
                         % op_name)
    return tuple(params.shape)


def _ravel_shapes(params, in_shapes, out_shapes, input_names):
    """data (len(shape), N) gives (N,); a known output gives data's shape back."""
    ndim = len(_ravel_shape_param(params, '_ravel_multi_index'))
    data = in_shapes[0]
    if data is not None:
        if len(data) != 2 or data[0] != ndim:
            raise MXNetError('_ravel_multi_index: data must be 2-D with %d rows (one per '
                             'dimension of shape=%s), got %s' % (ndim, params.shape, data))
        return in_shapes, [tuple(data[1:])]
    if out_shapes[0] is not None:
        return [(ndim,) + tuple(out_shapes[0])], out_shapes
    return in_shapes, out_shapes


def _unravel_shapes(params, in_shapes, out_shapes, input_names):
    """data (N,) gives (len(shape), N); a known output gives data's shape back."""
    ndim = len(_ravel_shape_param(params, '_unravel_index'))
    data, out = in_shapes[0], out_shapes[0]
    if data is not None:
        return in_shapes, [(ndim,) + tuple(data[:1])]
    if out is not None:
        if len(out) != 2 or out[0] != ndim:
            raise MXNetError('_unravel_index: output must be 2-D with %d rows, got %s'
                             % (ndim, out))
        return [tuple(out[1:])], out_shapes
    return in_shapes, out_shapes


@register('_ravel_multi_index', aliases=('ravel_multi_index',), nondiff_inputs=('data',),
          integer_backward=zero_gradient, params={'shape': Param(Optional(Shape()), None)},
          infer_shape=_ravel_shapes)
def ravel_multi_index(params, ctx, data):
    """Flat positions in an array of `shape` of the multi-indices in data's columns (row-major;
    a leading -1 leaves the first size open). Each step truncates toward zero, as MXNet's kernel
    does for float indices."""
    flat = jnp.zeros(data.shape[1:], jnp.int64)
    for size, index in zip(_ravel_shape_param(params, '_ravel_multi_index'), data):
        flat = (flat * size + index).astype(jnp.int64)
    return (flat.astype(data.dtype),)


@register('_unravel_index', aliases=('unravel_index',), nondiff_inputs=('data',),
          integer_backward=zero_gradient, params={'shape': Param(Optional(Shape()), None)},
          infer_shape=_unravel_shapes)
def unravel_index(params, ctx, data):
    """The multi-indices, one column each, of flat positions (truncated toward zero) in an
    array of `shape`; C's division, so negative positions give negative indices."""
    shape = _ravel_shape_param(params, '_unravel_index')
    flat = data.astype(jnp.int64)
    rows = []
    for size in shape[:0:-1]:
        rows.append(lax.rem(flat, jnp.int64(size)))
        flat = lax.div(flat, jnp.int64(size))
    return (jnp.stack([flat] + rows[::-1]).astype(data.dtype),)


# ---------------------------------------------------------------------------- histogram
def _check_histogram_params(params):
    if (params.bin_cnt is None) != (params.range is None):
        raise MXNetError('bin_cnt and range must be given both or neither')
    if params.range is not None and (len(params.range) != 2
                                      or params.range[0] > params.range[1]):
        raise MXNetError('range must be (low, high) with low <= high, got %s'
                         % (params.range,))


def _histogram_shapes(params, in_shapes, out_shapes, input_names):
    """Counts (bins,) and bin edges (bins + 1,): bin_cnt bins, or one fewer than the edges
    given in the 1-D `bins` input."""
    if params.bin_cnt is not None:
        return in_shapes, [(params.bin_cnt,), (params.bin_cnt + 1,)]
    edges = in_shapes[1]
    if edges is None:
        return in_shapes, out_shapes
    if len(edges) != 1 or edges[0] < 2:
        raise MXNetError('_histogram: bins must be a 1-D array of at least 2 edges, got shape '
                         '%s' % (edges,))
    return in_shapes, [(edges[0] - 1,), edges]


def _histogram_types(params, in_types, out_types):
    return in_types, ['int64', in_types[0] or out_types[1]]


def _uniform_bin_positions(values, bin_cnt, low, high):
    """Bin of each value among bin_cnt equal bins on [low, high] (-1 outside), and the edges in
    values' dtype: the bin from the scaled offset, moved by one where the rounded edges
    disagree."""
    if low == high:
        low, high = low - 0.5, high + 0.5
    steps = np.arange(bin_cnt + 1)
    edges = jnp.asarray(c_cast((high * steps + (bin_cnt - steps) * low) / bin_cnt, values.dtype,
                               np))
    wide = values.astype(jnp.float64)
    inside = (wide >= low) & (wide <= high)
    position = jnp.where(inside, (wide - low) * bin_cnt / (high - low), 0).astype(jnp.int64)
    position = jnp.minimum(bin_cnt - 1, position)
    position = position - (values < edges[position])
    position = position + ((values >= edges[position + 1]) & (position != bin_cnt - 1))
    return jnp.where(inside, position, -1), edges


def _given_bin_positions(values, edges):
    """Bin of each value among the given edges (-1 outside [first, last]): one before the
    first edge above it, the last bin for the last edge."""
    count = edges.shape[0] - 1
    inside = (values >= edges[0]) & (values <= edges[count])
    above = values[:, None] < edges[None, :]
    first_above = jnp.where(above.any(axis=1), jnp.argmax(above, axis=1), count + 1)
    return jnp.where(inside, jnp.minimum(first_above - 1, count - 1), -1)


@register('_histogram', aliases=('_npi_histogram',), has_gradient=False,
          inputs=('data', 'bins'),
          used_inputs=lambda p: ['data'] if p.bin_cnt is not None else ['data', 'bins'],
          params={'bin_cnt': Param(Optional(Int()), None),
                  'range': Param(Optional(FloatTuple()), None)},
          outputs=('output0', 'output1'), check_params=_check_histogram_params,
          infer_shape=_histogram_shapes, infer_type=_histogram_types)
def histogram(params, ctx, data, bins=None):
    """How many elements of data fall in each bin (int64; values outside the bins are not
    counted, the last bin includes its upper edge), and the bin edges."""
    values = data.reshape(-1)
    if params.bin_cnt is not None:
        positions, edges = _uniform_bin_positions(values, params.bin_cnt, *params.range)
    else:
        positions, edges = _given_bin_positions(values, bins.astype(data.dtype)), bins
    count = edges.shape[0] - 1
    counts = jnp.zeros(count, jnp.int64).at[jnp.where(positions >= 0, positions, count)].add(
        1, mode='drop')
    return counts, edges.astype(data.dtype)
