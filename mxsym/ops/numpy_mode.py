"""The ops of MXNet's NumPy mode (``_np_*``, ``_npi_*``, ``_npx_*``), as Gluon blocks exported
under ``npx.set_np()`` hold them: the values of the legacy ops (unary.py, elemwise.py,
reduce.py) under the NumPy-mode rules of MXNet 1.9.1 (default dtypes off):

- unary and scalar ops keep the input dtype (the scalar is cast to it: int32 ``x + 1.5`` adds
  1); true division of integers gives float32;
- comparisons give bool;
- binary ops broadcast, and mixed dtypes promote (an integer or bool with a float gives the
  float, two floats the wider);
- ``sum`` of bool gives int64, ``mean`` of integers float32; reducing every axis gives a
  0-d array.
"""
import jax.numpy as jnp
import numpy as np
from jax import lax

from ..base import MXNetError
from ..ops_registry import (Bool, DType, Float, Int, OpDef, Optional, Param, Shape, Str, add,
                            onnx_form, register)
from .broadcast import broadcast_shape
from .elemwise import BINARY, SCALAR, SCALAR_PARAMS, binary_onnx, divide, reversed_operands
from .reduce import REDUCTIONS, reduced_axes, reduced_shape, reduction_onnx, search_onnx
from .rules import c_cast, same_shape, with_local_gradient
from .shape import reshape_onnx
from .unary import ONNX_UNARY, UNARY, unary_compute, unary_onnx

# ---------------------------------------------------------------------------- unary
# NumPy-mode name: (the legacy op computing it, its input's name)
NUMPY_UNARY = {
    '_npi_absolute': 'abs', '_npi_negative': 'negative', '_npi_sign': 'sign',
    '_npi_sqrt': 'sqrt', '_npi_cbrt': 'cbrt', '_npi_square': 'square',
    '_npi_reciprocal': 'reciprocal', '_npi_exp': 'exp', '_npi_expm1': 'expm1',
    '_npi_log': 'log', '_npi_log2': 'log2', '_npi_log10': 'log10', '_npi_log1p': 'log1p',
    '_npi_sin': 'sin', '_npi_cos': 'cos', '_npi_tan': 'tan', '_npi_arcsin': 'arcsin',
    '_npi_arccos': 'arccos', '_npi_arctan': 'arctan', '_npi_sinh': 'sinh', '_npi_cosh': 'cosh',
    '_npi_tanh': 'tanh', '_npi_arcsinh': 'arcsinh', '_npi_arccosh': 'arccosh',
    '_npi_arctanh': 'arctanh', '_npi_floor': 'floor', '_npi_ceil': 'ceil',
    '_npi_trunc': 'trunc', '_npi_rint': 'rint', '_npi_fix': 'fix',
    '_npx_relu': 'relu', '_npx_sigmoid': 'sigmoid',
}


for _name, _legacy in NUMPY_UNARY.items():
    _kernel = UNARY[_legacy]
    add(OpDef(_name, unary_compute(_kernel), inputs=('data',) if _name.startswith('_npx')
              else ('x',), infer_shape=same_shape, channels_last='elementwise',
              nondiff_inputs=('x',) if _kernel.derivative is None else ()))


# ---------------------------------------------------------------------------- scalar ops
# NumPy-mode name: (function of (data, scalar), whether integers give float32, gives bool)
NUMPY_SCALAR = {
    '_npi_add_scalar': (SCALAR['_plus_scalar'][0], False, False),
    '_npi_subtract_scalar': (SCALAR['_minus_scalar'][0], False, False),
    '_npi_rsubtract_scalar': (SCALAR['_rminus_scalar'][0], False, False),
    '_npi_multiply_scalar': (SCALAR['_mul_scalar'][0], False, False),
    '_npi_true_divide_scalar': (divide, True, False),
    '_npi_rtrue_divide_scalar': (reversed_operands(divide), True, False),
    '_npi_mod_scalar': (SCALAR['_mod_scalar'][0], False, False),
    '_npi_rmod_scalar': (SCALAR['_rmod_scalar'][0], False, False),
    '_npi_power_scalar': (SCALAR['_power_scalar'][0], False, False),
    '_npi_rpower_scalar': (SCALAR['_rpower_scalar'][0], False, False),
    '_npi_maximum_scalar': (SCALAR['_maximum_scalar'][0], False, False),
    '_npi_minimum_scalar': (SCALAR['_minimum_scalar'][0], False, False),
    '_npi_equal_scalar': (jnp.equal, False, True),
    '_npi_not_equal_scalar': (jnp.not_equal, False, True),
    '_npi_greater_scalar': (jnp.greater, False, True),
    '_npi_greater_equal_scalar': (jnp.greater_equal, False, True),
    '_npi_less_scalar': (jnp.less, False, True),
    '_npi_less_equal_scalar': (jnp.less_equal, False, True),
}


def _is_integer(dtype):
    return np.issubdtype(np.dtype(dtype), np.integer) or np.dtype(dtype) == np.bool_


def _scalar_result_type(dtype, integers_to_float, gives_bool):
    if gives_bool:
        return 'bool'
    if integers_to_float and _is_integer(dtype):
        return 'float32'
    return np.dtype(dtype).name


def _scalar_types(integers_to_float, gives_bool):
    def rule(params, in_types, out_types):
        (data,) = in_types
        if data is None:
            return in_types, out_types
        return in_types, [_scalar_result_type(data, integers_to_float, gives_bool)]
    return rule


def _scalar_compute(function, integers_to_float, gives_bool):
    def compute(params, ctx, data):
        result = _scalar_result_type(data.dtype, integers_to_float, gives_bool)
        if not gives_bool and result != data.dtype:
            data = data.astype(result)
        scalar = c_cast(jnp.asarray(params.scalar, jnp.float64), data.dtype)
        return (function(data, jnp.broadcast_to(scalar, data.shape)).astype(result),)
    return compute


for _name, (_function, _to_float, _gives_bool) in NUMPY_SCALAR.items():
    add(OpDef(_name, _scalar_compute(_function, _to_float, _gives_bool), params=SCALAR_PARAMS,
              infer_shape=same_shape, infer_type=_scalar_types(_to_float, _gives_bool),
              channels_last='elementwise', nondiff_inputs=('data',) if _gives_bool else ()))


# ---------------------------------------------------------------------------- binary ops
def promoted(*dtypes):
    """NumPy mode's promotion of mixed input dtypes."""
    dtypes = [np.dtype(d) for d in dtypes]
    floats = [d for d in dtypes if d.kind == 'f'] or [d for d in dtypes if d.name == 'bfloat16']
    if floats and len(floats) < len(dtypes):
        return max(floats, key=lambda d: d.itemsize)
    return np.result_type(*dtypes)


# NumPy-mode name: (the legacy same-shape op's function, integers give float32, gives bool)
NUMPY_BINARY = {
    '_npi_add': (BINARY['elemwise_add'][0], False, False),
    '_npi_subtract': (BINARY['elemwise_sub'][0], False, False),
    '_npi_multiply': (BINARY['elemwise_mul'][0], False, False),
    '_npi_true_divide': (divide, True, False),
    '_npi_mod': (BINARY['_mod'][0], False, False),
    '_npi_power': (BINARY['_power'][0], False, False),
    '_npi_maximum': (BINARY['_maximum'][0], False, False),
    '_npi_minimum': (BINARY['_minimum'][0], False, False),
    '_npi_equal': (jnp.equal, False, True),
    '_npi_not_equal': (jnp.not_equal, False, True),
    '_npi_greater': (jnp.greater, False, True),
    '_npi_greater_equal': (jnp.greater_equal, False, True),
    '_npi_less': (jnp.less, False, True),
    '_npi_less_equal': (jnp.less_equal, False, True),
}


def _binary_result_type(lhs, rhs, integers_to_float, gives_bool):
    return _scalar_result_type(promoted(lhs, rhs), integers_to_float, gives_bool)


def _binary_types(integers_to_float, gives_bool):
    def rule(params, in_types, out_types):
        if None in in_types:
            return in_types, out_types
        return in_types, [_binary_result_type(*in_types, integers_to_float, gives_bool)]
    return rule


def _binary_compute(function, integers_to_float, gives_bool):
    def compute(params, ctx, lhs, rhs):
        common = np.dtype(promoted(lhs.dtype, rhs.dtype))
        if integers_to_float and _is_integer(common):
            common = np.dtype('float32')
        lhs, rhs = jnp.broadcast_arrays(lhs.astype(common), rhs.astype(common))
        result = _binary_result_type(lhs.dtype, rhs.dtype, integers_to_float, gives_bool)
        return (function(lhs, rhs).astype(result),)
    return compute


for _name, (_function, _to_float, _gives_bool) in NUMPY_BINARY.items():
    add(OpDef(_name, _binary_compute(_function, _to_float, _gives_bool), inputs=('lhs', 'rhs'),
              infer_shape=broadcast_shape, infer_type=_binary_types(_to_float, _gives_bool),
              nondiff_inputs=('lhs', 'rhs') if _gives_bool else ()))


# ---------------------------------------------------------------------------- ONNX forms
# NumPy-mode name: the legacy op whose ONNX form it has (on float data of one dtype)
NUMPY_ONNX_BINARY = {
    '_npi_add': 'elemwise_add', '_npi_subtract': 'elemwise_sub',
    '_npi_multiply': 'elemwise_mul', '_npi_true_divide': 'elemwise_div',
    '_npi_power': '_power', '_npi_maximum': '_maximum', '_npi_minimum': '_minimum',
    '_npi_equal': '_equal', '_npi_not_equal': '_not_equal', '_npi_greater': '_greater',
    '_npi_greater_equal': '_greater_equal', '_npi_less': '_lesser',
    '_npi_less_equal': '_lesser_equal',
}


def _float_inputs_only(g):
    if any(not np.issubdtype(t, np.floating) or t != g.in_dtypes[0] for t in g.in_dtypes):
        g.refuse('inputs of dtypes %s: NumPy-mode promotion is not expressed in ONNX'
                 % ', '.join(t.name for t in g.in_dtypes))


@onnx_form(*NUMPY_ONNX_BINARY)
def _numpy_binary_onnx(g, params, lhs, rhs):
    _float_inputs_only(g)
    return binary_onnx(g, NUMPY_ONNX_BINARY[g.node.op.name], lhs, rhs)


@onnx_form(*[name for name in NUMPY_SCALAR
             if name.replace('_scalar', '').replace('_npi_r', '_npi_') in NUMPY_ONNX_BINARY])
def _numpy_scalar_onnx(g, params, data):
    _float_inputs_only(g)
    name = g.node.op.name.replace('_scalar', '')
    scalar = g.const(c_cast(np.asarray(params.scalar, np.float64), g.in_dtypes[0], np))
    if name in NUMPY_ONNX_BINARY:
        return binary_onnx(g, NUMPY_ONNX_BINARY[name], data, scalar)
    return binary_onnx(g, NUMPY_ONNX_BINARY[name.replace('_npi_r', '_npi_')], scalar, data)


@onnx_form(*[name for name, legacy in NUMPY_UNARY.items()
             if legacy in ONNX_UNARY or legacy in ('square', 'rsqrt')])
def _numpy_unary_onnx(g, params, data):
    _float_inputs_only(g)
    return unary_onnx(g, NUMPY_UNARY[g.node.op.name], data)



@register('_npi_where', inputs=('condition', 'x', 'y'), nondiff_inputs=('condition',),
          infer_type=lambda params, in_types, out_types: (
              in_types, [in_types[1] or in_types[2] or out_types[0]]))
def where(params, ctx, condition, x, y):
    """x where the condition holds, else y, all three broadcast together."""
    return (jnp.where(condition.astype(bool), x, y.astype(x.dtype)),)


@register('_npi_matmul', inputs=('a', 'b'))
def matmul(params, ctx, a, b):
    """NumPy's matmul: the last two axes multiplied, the others broadcast."""
    return (jnp.matmul(a, b, preferred_element_type=a.dtype),)


@onnx_form('_npi_where')
def _where_onnx(g, params, condition, x, y):
    if g.in_dtypes[2] != g.in_dtypes[1]:
        y = g.cast(y, g.in_dtypes[1])
    return g.op('Where', g.cast(condition, np.bool_), x, y)


@onnx_form('_npi_matmul')
def _matmul_onnx(g, params, a, b):
    _float_inputs_only(g)
    return g.op('MatMul', a, b)


# ---------------------------------------------------------------------------- reductions
NUMPY_REDUCE_PARAMS = {'axis': Param(Optional(Shape()), None), 'keepdims': Param(Bool(), False),
                       'initial': Param(Optional(Float()), None)}
NUMPY_REDUCE_DTYPE_PARAMS = dict(NUMPY_REDUCE_PARAMS, dtype=Param(DType(none=True), None))


def _sum_type(dtype):
    return 'int64' if np.dtype(dtype) == np.bool_ else np.dtype(dtype).name


def _mean_type(dtype):
    return 'float32' if _is_integer(dtype) else np.dtype(dtype).name


# NumPy-mode name: (the legacy reduction, its result dtype of the input's, takes `dtype`)
NUMPY_REDUCTIONS = {
    '_np_sum': ('sum', _sum_type, True),
    '_np_prod': ('prod', _sum_type, True),
    '_npi_mean': ('mean', _mean_type, True),
    '_np_max': ('max', lambda dtype: np.dtype(dtype).name, False),
    '_np_min': ('min', lambda dtype: np.dtype(dtype).name, False),
}


def _reduction_types(result_type):
    def rule(params, in_types, out_types):
        if in_types[0] is None:
            return in_types, out_types
        given = params.get('dtype')
        return in_types, [given or result_type(in_types[0])]
    return rule


def _reduction_compute(name, result_type):
    _, reduce, local_gradient, _ = REDUCTIONS[name]

    def compute(params, ctx, a):
        if params.initial is not None:
            raise MXNetError('%s: initial=%s is not supported' % (name, params.initial))
        axes = reduced_axes(a.ndim, params.axis)
        out_type = params.get('dtype') or result_type(a.dtype)
        kept = lambda x, axes=axes: reduce(x.astype(out_type), axes=axes)
        if local_gradient is not None:
            kept = with_local_gradient(kept, local_gradient)
        if params.keepdims:
            return (kept(a).reshape(reduced_shape(a.shape, axes, True)),)
        return (kept(a).reshape([d for i, d in enumerate(a.shape) if i not in axes]),)
    return compute


for _name, (_legacy, _result_type, _takes_dtype) in NUMPY_REDUCTIONS.items():
    add(OpDef(_name, _reduction_compute(_legacy, _result_type), inputs=('a',),
              params=NUMPY_REDUCE_DTYPE_PARAMS if _takes_dtype else NUMPY_REDUCE_PARAMS,
              infer_type=_reduction_types(_result_type)))


@onnx_form(*NUMPY_REDUCTIONS)
def _numpy_reduction_onnx(g, params, a):
    """The legacy reduction's form, on the data cast to the result dtype first."""
    if params.initial is not None:
        g.refuse('initial=%s' % params.initial)
    if g.out_dtypes[0] != g.in_dtypes[0]:
        a = g.cast(a, g.out_dtypes[0])
    axes = reduced_axes(len(g.in_shapes[0]), params.axis)
    return reduction_onnx(g, NUMPY_REDUCTIONS[g.node.op.name][0], a, axes)


# ---------------------------------------------------------------------------- shapes
@register('_np_reshape', inputs=('a',),
          params={'newshape': Param(Shape()), 'order': Param(Str(), 'C')})
def reshape(params, ctx, a):
    """NumPy's reshape: one dimension may be -1, taken from the size."""
    if params.order != 'C':
        raise MXNetError("_np_reshape: order='%s' is not supported, only 'C'" % params.order)
    return (jnp.reshape(a, params.newshape),)


@register('_np_transpose', inputs=('a',), params={'axes': Param(Optional(Shape()), None)})
def transpose(params, ctx, a):
    """The axes permuted (reversed when none are given; negative axes count from the end)."""
    return (jnp.transpose(a, params.axes or None),)


onnx_form('_np_reshape')(reshape_onnx)


@onnx_form('_np_transpose')
def _transpose_onnx(g, params, a):
    ndim = len(g.in_shapes[0])
    axes = [a % ndim for a in params.axes] if params.axes else list(reversed(range(ndim)))
    return g.op('Transpose', a, perm=axes)


@register('_np_squeeze', inputs=('a',), params={'axis': Param(Optional(Shape()), None)})
def squeeze(params, ctx, a):
    return (jnp.squeeze(a, params.axis),)


onnx_form('_np_squeeze')(reshape_onnx)


def _same_dtype(op):
    def rule(params, in_types, out_types):
        known = next((t for t in list(in_types) + list(out_types) if t is not None), None)
        if known is None:
            return in_types, out_types
        for t in in_types:
            if t is not None and np.dtype(t) != np.dtype(known):
                raise MXNetError('%s: inputs have dtypes %s and %s, which must agree'
                                 % (op, np.dtype(known).name, np.dtype(t).name))
        return [known] * len(in_types), [known] * len(out_types)
    return rule


@register('_npi_concatenate', variadic='num_args', infer_type=_same_dtype('_npi_concatenate'),
          params={'num_args': Param(Int(lower=1)), 'axis': Param(Optional(Int()), 0)})
def concatenate(params, ctx, *data):
    """The inputs joined along an axis (flattened first where the axis is None)."""
    if params.axis is None:
        return (jnp.concatenate([d.ravel() for d in data]),)
    return (jnp.concatenate(data, axis=params.axis),)


@register('_npi_stack', variadic='num_args', infer_type=_same_dtype('_npi_stack'),
          params={'num_args': Param(Int(lower=1)), 'axis': Param(Int(), 0)})
def stack(params, ctx, *data):
    """Same-shape inputs stacked along a new axis."""
    return (jnp.stack(data, axis=params.axis),)


@onnx_form('_npi_concatenate')
def _concatenate_onnx(g, params, *data):
    if params.axis is None:
        data = [g.op('Reshape', d, g.ints([-1])) for d in data]
    return g.op('Concat', *data, axis=0 if params.axis is None else params.axis)


@onnx_form('_npi_stack')
def _stack_onnx(g, params, *data):
    axis = params.axis % (len(g.in_shapes[0]) + 1)
    return g.op('Concat', *[g.axes_input('Unsqueeze', x, [axis]) for x in data], axis=axis)


@register('_npi_full_like', inputs=('a',), nondiff_inputs=('a',),
          params={'fill_value': Param(Float()), 'ctx': Param(Str(), ''),
                  'dtype': Param(DType(none=True), None)},
          infer_type=lambda params, in_types, out_types: (
              in_types, [params.dtype or in_types[0] or out_types[0]]))
def full_like(params, ctx, a):
    """An array of a's shape filled with the value, in a's dtype unless one is given."""
    dtype = params.dtype or a.dtype
    return (jnp.full(a.shape, c_cast(jnp.asarray(params.fill_value, jnp.float64), dtype)),)


@onnx_form('_npi_full_like')
def _full_like_onnx(g, params, a):
    value = c_cast(np.asarray(params.fill_value, np.float64), g.out_dtypes[0], np)
    return g.op('Expand', g.const(value), g.op('Shape', a))


def _npx_reshaped(shape, newshape):
    """The shape `_npx_reshape` gives: -1 inferred from the size, -2 an input dim copied, -3
    an input dim of 1 dropped, -4 every remaining input dim copied, -5 two input dims merged,
    -6 followed by two sizes (one may be -1) an input dim split."""
    def fail(why):
        return MXNetError('_npx_reshape: cannot reshape array of shape %s into %s: %s'
                          % (tuple(shape), tuple(newshape), why))

    def take(count):
        nonlocal source
        if source + count > len(shape):
            raise fail('the codes use more dimensions than the input has')
        source += count
        return shape[source - count:source]

    out, source, i = [], 0, 0
    while i < len(newshape):
        code = newshape[i]
        if code > 0 or code == -1:
            out.append(code)
            source += 1
        elif code == -2:
            out.extend(take(1))
        elif code == -3:
            if take(1) != (1,):
                raise fail('-3 drops a dimension of size 1 only')
        elif code == -4:
            out.extend(take(len(shape) - source))
        elif code == -5:
            first, second = take(2)
            out.append(first * second)
        elif code == -6 and i + 2 < len(newshape):
            (dim,), (first, second) = take(1), newshape[i + 1:i + 3]
            if -1 in (first, second):
                known = first * second * -1
                first, second = (dim // known, second) if first == -1 else (first, dim // known)
            out.extend((first, second))
            i += 2
        else:
            raise fail('%d is not a shape code here' % code)
        i += 1
    if out.count(-1) > 1:
        raise fail('more than one dimension is -1')
    if -1 in out:
        known = int(np.prod([d for d in out if d != -1]))
        out[out.index(-1)] = int(np.prod(shape)) // max(known, 1)
    if int(np.prod(out)) != int(np.prod(shape)):
        raise fail('the sizes differ')
    return tuple(out)


def _reversed_codes(newshape):
    """`newshape` read from its end, each -6 kept before the two sizes it takes."""
    groups, i = [], 0
    while i < len(newshape):
        size = 3 if newshape[i] == -6 else 1
        groups.append(newshape[i:i + size])
        i += size
    return [code for group in reversed(groups)
            for code in (group[:1] + group[:0:-1] if len(group) == 3 else group)]


@register('_npx_reshape', inputs=('a',),
          params={'newshape': Param(Shape()), 'reverse': Param(Bool(), False),
                  'order': Param(Str(), 'C')})
def npx_reshape(params, ctx, a):
    """MXNet's NumPy-mode reshape with its shape codes, matched from the right with
    `reverse`."""
    if params.reverse:
        shape = _npx_reshaped(a.shape[::-1], _reversed_codes(params.newshape))[::-1]
    else:
        shape = _npx_reshaped(a.shape, params.newshape)
    return (jnp.reshape(a, shape),)


onnx_form('_npx_reshape')(reshape_onnx)


@register('_npi_broadcast_to', inputs=('array',), params={'shape': Param(Shape())})
def broadcast_to(params, ctx, array):
    return (jnp.broadcast_to(array, params.shape),)


@onnx_form('_npi_broadcast_to')
def _broadcast_to_onnx(g, params, array):
    return g.op('Expand', array, g.shape_tensor(g.out_dims(0)))


@register('_npi_zeros', inputs=(), params={'shape': Param(Shape()), 'ctx': Param(Str(), ''),
                                           'dtype': Param(DType(), 'float32')},
          infer_type=lambda params, in_types, out_types: (in_types, [params.dtype]))
def zeros(params, ctx):
    return (jnp.zeros(params.shape, params.dtype),)


@onnx_form('_npi_zeros')
def _zeros_onnx(g, params):
    return g.filled(g.out_dims(0), 0, g.out_dtypes[0])


@register('_npi_einsum', variadic='num_args',
          params={'num_args': Param(Int(lower=1)), 'subscripts': Param(Str()),
                  'optimize': Param(Int(), 0)})
def einsum(params, ctx, *operands):
    """Einstein summation over the operands as the subscripts say."""
    return (jnp.einsum(params.subscripts, *operands, preferred_element_type=operands[0].dtype),)


@onnx_form('_npi_einsum')
def _einsum_onnx(g, params, *operands):
    _float_inputs_only(g)
    return g.op('Einsum', *operands, equation=params.subscripts)


@register('_np_dot', inputs=('a', 'b'))
def dot(params, ctx, a, b):
    """NumPy's dot: a's last axis with b's last (1-D b) or second-to-last axis."""
    return (jnp.dot(a, b, preferred_element_type=a.dtype),)


@onnx_form('_np_dot')
def _dot_onnx(g, params, a, b):
    """ONNX's MatMul, which is NumPy's dot where b has at most 2 dims."""
    _float_inputs_only(g)
    if len(g.in_shapes[1]) > 2 or not g.in_shapes[0] or not g.in_shapes[1]:
        g.refuse('dot of %d-D and %d-D arrays: ONNX has no such product'
                 % (len(g.in_shapes[0]), len(g.in_shapes[1])))
    return g.op('MatMul', a, b)


@register('_np_cumsum', inputs=('a',),
          params={'axis': Param(Optional(Int()), None), 'dtype': Param(DType(none=True), None)},
          infer_type=lambda params, in_types, out_types: (
              in_types, [params.dtype or (in_types[0] and _sum_type(in_types[0]))]))
def cumsum(params, ctx, a):
    """Running sums along an axis (of the flattened array where it is None)."""
    dtype = params.dtype or _sum_type(a.dtype)
    values = a.ravel() if params.axis is None else a
    return (jnp.cumsum(values.astype(dtype), axis=0 if params.axis is None else params.axis),)


@onnx_form('_np_cumsum')
def _cumsum_onnx(g, params, a):
    if g.out_dtypes[0] != g.in_dtypes[0]:
        a = g.cast(a, g.out_dtypes[0])
    if params.axis is None:
        a = g.op('Reshape', a, g.ints([-1]))
    return g.op('CumSum', a, g.const(params.axis or 0, np.int64))


@register('_npi_argmax', inputs=('data',), nondiff_inputs=('data',),
          params={'axis': Param(Optional(Int()), None), 'keepdims': Param(Bool(), False)},
          infer_type=lambda params, in_types, out_types: (in_types, ['int64']))
def argmax(params, ctx, data):
    """The index of the largest value along an axis (of the flattened array where it is
    None), as int64."""
    return (jnp.argmax(data, axis=params.axis, keepdims=params.keepdims).astype(jnp.int64),)


@onnx_form('_npi_argmax')
def _argmax_onnx(g, params, data):
    return search_onnx(g, 'ArgMax', data, params.axis)


MOMENT_PARAMS = {'axis': Param(Optional(Shape()), None), 'dtype': Param(DType(none=True), None),
                 'ddof': Param(Int(), 0), 'keepdims': Param(Bool(), False)}


def _moment(name, finish):
    def compute(params, ctx, a):
        if _is_integer(a.dtype):
            raise MXNetError('%s of %s data: MXNet computes it in integer arithmetic, which '
                             'mxsym does not' % (name, a.dtype))
        axes = reduced_axes(a.ndim, params.axis)
        x = a.astype(params.dtype or a.dtype)
        mean = jnp.mean(x, axis=axes, keepdims=params.keepdims)
        return finish(jnp.var(x, axis=axes, ddof=params.ddof, keepdims=params.keepdims)), mean
    return compute


# MXNet 1.9.1 gives var and std a zero gradient, and the mean as a hidden second output.
for _name, _result, _finish in (('_npi_var', 'var', lambda v: v), ('_npi_std', 'std', jnp.sqrt)):
    add(OpDef(_name, _moment(_name, _finish), inputs=('a',), params=MOMENT_PARAMS,
              outputs=(_result, 'mean'), num_visible=lambda params: 1, nondiff_inputs=('a',)))


@onnx_form('_npi_var', '_npi_std')
def _moment_onnx(g, params, a):
    """The mean squared deviation, times n / (n - ddof) (n: how many values each reduces,
    counted at run time)."""
    _float_inputs_only(g)
    if params.dtype is not None and np.dtype(params.dtype) != g.in_dtypes[0]:
        a = g.cast(a, params.dtype)
    axes = list(reduced_axes(len(g.in_shapes[0]), params.axis))
    centered = g.op('Sub', a, g.axes_input('ReduceMean', a, axes, keepdims=1))
    out = g.axes_input('ReduceMean', g.op('Mul', centered, centered), axes, keepdims=1)
    if params.ddof:
        count = g.cast(g.op('Div', g.op('Size', a), g.op('Size', out)), g.out_dtypes[0])
        out = g.op('Div', g.op('Mul', out, count),
                   g.op('Sub', count, g.const(params.ddof, g.out_dtypes[0])))
    if g.node.op.name == '_npi_std':
        out = g.op('Sqrt', out)
    return [g.op('Reshape', out, g.shape_tensor(g.out_dims(0)))]


@register('_npi_norm', outputs=('output0', 'output1', 'output2', 'output3'),
          num_visible=lambda params: 1,
          params={'ord': Param(Float(), 2.0), 'axis': Param(Optional(Shape()), None),
                  'keepdims': Param(Bool(), False), 'flag': Param(Int(), -1)})
def norm(params, ctx, x):
    """np.linalg.norm as MXNet's front end encodes it: flag -2 (everything) and 1 (Frobenius
    or 2-norm) the root of the sum of squares, -1 the vector norm of order `ord`, 0 the
    largest (ord 2) or smallest (ord -2) singular value, 2 the nuclear norm. MXNet's three
    hidden outputs hold its workspace; here they repeat the norm."""
    axes = reduced_axes(x.ndim, params.axis) if params.axis is not None else tuple(range(x.ndim))
    if params.flag in (-2, 1):
        result = jnp.sqrt(jnp.sum(jnp.square(x), axis=axes, keepdims=params.keepdims))
    elif params.flag == -1:
        result = jnp.linalg.vector_norm(x, ord=params.ord, axis=axes, keepdims=params.keepdims)
    else:
        moved = jnp.moveaxis(x, axes, (-2, -1))
        singular = jnp.linalg.svd(moved, compute_uv=False)
        if params.flag == 2:
            result = jnp.sum(singular, axis=-1)
        else:
            result = singular[..., 0] if params.ord > 0 else singular[..., -1]
        if params.keepdims:
            result = jnp.expand_dims(result, axes)
    result = result.astype(x.dtype)
    return (result,) + (lax.stop_gradient(result),) * 3


@onnx_form('_npi_norm')
def _norm_onnx(g, params, x):
    """The root of the sum of squares (flags -2 and 1, and vector norms of order 2), vector
    norms of order 1 and infinity; matrix norms of singular values have no ONNX form."""
    _float_inputs_only(g)
    axes = list(reduced_axes(len(g.in_shapes[0]), params.axis))
    if params.flag in (-2, 1) or params.flag == -1 and params.ord == 2:
        out = g.op('Sqrt', g.axes_input('ReduceSum', g.op('Mul', x, x), axes, keepdims=1))
    elif params.flag == -1 and params.ord in (1, np.inf):
        out = g.axes_input('ReduceSum' if params.ord == 1 else 'ReduceMax', g.op('Abs', x),
                           axes, keepdims=1)
    else:
        g.refuse('flag %d, ord %s: norms of singular values or of order %s'
                 % (params.flag, params.ord, params.ord))
    return [g.op('Reshape', out, g.shape_tensor(g.out_dims(0)))]
