"""Index arrays and row selection: arange_like, index_array, index_copy and boolean_mask."""
import jax
import jax.numpy as jnp
import numpy as np

from ..base import MXNetError
from ..ops_registry import (Float, Int, OpDef, Optional, Param, Shape, Str, add, onnx_form,
                            register)
from .integer_rules import float64_vjp
from .rules import check_axis


# dtypes whose C++ type MXNet's range kernel finds unsigned: it truncates start and step to
# integers for them.
UNSIGNED_IN_MXNET = ('float16', 'bfloat16', 'uint8')


def _first_input_type(params, in_types, out_types):
    """The output takes the first input's dtype (and gives it back); other inputs are free."""
    dtype = in_types[0] or out_types[0]
    return [dtype] + list(in_types[1:]), [dtype]


# ---------------------------------------------------------------------------- arange_like
@register('_contrib_arange_like', unnamed_inputs=True, aliases=('_npx_arange_like',),
          params={'start': Param(Float(), 0.0), 'step': Param(Float(), 1.0),
                  'repeat': Param(Int(), 1), 'ctx': Param(Str(), ''),
                  'axis': Param(Optional(Int()), None)})
def arange_like(params, ctx, data):
    """start + (i // repeat) * step over data's shape, or along one axis of it (a 1-D result
    of that axis's length), in data's dtype (float16 truncates start and step to integers, as
    MXNet does). data only lends its shape: zero gradient."""
    if params.repeat <= 0:
        raise MXNetError('arange_like: repeat must be positive, got %d' % params.repeat)
    if params.axis is None:
        shape = data.shape
    else:
        shape = (data.shape[check_axis(params.axis, data.ndim, 'arange_like')],)
    position = jnp.arange(int(np.prod(shape)), dtype=jnp.int64) // params.repeat
    start, step = params.start, params.step
    if data.dtype.name in UNSIGNED_IN_MXNET:
        start, step = int(start), int(step)
    start, step = (jnp.asarray(value).astype(data.dtype) for value in (start, step))
    return ((start + position.astype(data.dtype) * step).reshape(shape),)


@onnx_form('_contrib_arange_like')
def _arange_like_onnx(g, params, data):
    """A constant where the shape is; else counted at run time (float data only)."""
    dims = g.out_dims(0)
    if all(isinstance(d, int) for d in dims):
        return g.computed_from_shapes()
    dtype = g.in_dtypes[0]
    if dtype.name in UNSIGNED_IN_MXNET or not np.issubdtype(dtype, np.floating):
        g.refuse('a run-time count in %s' % dtype.name)
    shape = g.shape_tensor(dims)
    count = g.axes_input('ReduceProd', shape, None, keepdims=0)
    position = g.op('Range', g.const(0, np.int64), count, g.const(1, np.int64))
    position = g.cast(g.op('Div', position, g.const(params.repeat, np.int64)), dtype)
    values = g.op('Add', g.const(params.start, dtype),
                  g.op('Mul', position, g.const(params.step, dtype)))
    return g.op('Reshape', values, shape)


# ---------------------------------------------------------------------------- index_array
def _int64_output(params, in_types, out_types):
    return in_types, ['int64']


@register('_contrib_index_array', params={'axes': Param(Optional(Shape()), None)},
          infer_type=_int64_output, nondiff_inputs=('data',))
def index_array(params, ctx, data):
    """The int64 index of every element, data.shape + (ndim,): out[i1, .., in, :] =
    (i1, .., in); with axes, only those axes' indices, in that order (negative axes count
    from the end)."""
    grids = jnp.meshgrid(*[jnp.arange(d, dtype=jnp.int64) for d in data.shape], indexing='ij')
    axes = range(data.ndim) if params.axes is None else [a % data.ndim for a in params.axes]
    if not axes:   # 0-d data: no axis, no index
        return (jnp.zeros(data.shape + (0,), jnp.int64),)
    return (jnp.stack([grids[axis] for axis in axes], axis=-1).reshape(
        data.shape + (len(axes),)),)


# ---------------------------------------------------------------------------- index_copy
@register('_contrib_index_copy', inputs=('old_tensor', 'index_vector', 'new_tensor'),
          infer_type=_first_input_type, nondiff_inputs=('index_vector',),
          integer_backward=float64_vjp(0, 2))
def index_copy(params, ctx, old_tensor, index_vector, new_tensor):
    """old_tensor with row index_vector[i] replaced by row i of new_tensor; the replaced rows
    pass no gradient to old_tensor, new_tensor's rows get those rows' gradients."""
    if index_vector.ndim != 1 or index_vector.shape[0] != new_tensor.shape[0]:
        raise MXNetError('index_copy: index_vector must be 1-D with new_tensor\'s %d rows, got '
                         'shape %s' % (new_tensor.shape[0], index_vector.shape))
    if new_tensor.shape[1:] != old_tensor.shape[1:]:
        raise MXNetError('index_copy: new_tensor rows %s differ from old_tensor rows %s'
                         % (new_tensor.shape[1:], old_tensor.shape[1:]))
    rows = index_vector.astype(jnp.int64)
    return (old_tensor.at[rows].set(new_tensor.astype(old_tensor.dtype)),)


# ---------------------------------------------------------------------------- boolean_mask
class _ValueShapedOp(OpDef):
    """An op whose output shape depends on its input values: it runs on concrete arrays
    only (`mx.nd`); a bound graph cannot hold it, as in MXNet, whose shape inference leaves
    its output unknown."""

    runs_on_host = True


def _boolean_mask_shapes(params, in_shapes, out_shapes, input_names):
    return in_shapes, out_shapes


def boolean_mask(params, ctx, data, index):
    """The rows of data (along axis 0) where index (1-D, one value per row) is non-zero."""
    if isinstance(index, jax.core.Tracer):
        raise MXNetError('boolean_mask: the output size depends on the mask values, so it runs '
                         'only on arrays (mx.nd.contrib.boolean_mask), not in a bound graph')
    if params.axis != 0:
        raise MXNetError('boolean_mask: only axis 0 is supported, got axis %d' % params.axis)
    if index.ndim != 1 or index.shape[0] != data.shape[0]:
        raise MXNetError('boolean_mask: index must be 1-D with one value per row of data %s, '
                         'got shape %s' % (data.shape, index.shape))
    return (data[np.flatnonzero(np.asarray(index))],)


add(_ValueShapedOp('_contrib_boolean_mask', boolean_mask, inputs=('data', 'index'),
                   aliases=('_npi_boolean_mask',), params={'axis': Param(Int(), 0)},
                   infer_shape=_boolean_mask_shapes, infer_type=_first_input_type,
                   nondiff_inputs=('index',), integer_backward=float64_vjp(0)))
