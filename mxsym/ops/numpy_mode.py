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

from ..base import MXNetError
from ..ops_registry import (Bool, DType, Float, Int, OpDef, Optional, Param, Shape, Str, add,
                            register)
from .broadcast import broadcast_shape
from .elemwise import BINARY, SCALAR, SCALAR_PARAMS, divide
from .reduce import REDUCTIONS, reduced_axes, reduced_shape
from .rules import c_cast, same_shape, with_local_gradient
from .unary import UNARY, elementwise

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


def _unary_compute(kernel):
    function = elementwise(kernel.forward, kernel.derivative, kernel.integers)
    return lambda params, ctx, x: (function(x),)


for _name, _legacy in NUMPY_UNARY.items():
    _kernel = UNARY[_legacy]
    add(OpDef(_name, _unary_compute(_kernel), inputs=('data',) if _name.startswith('_npx')
              else ('x',), infer_shape=same_shape, channels_last='elementwise',
              nondiff_inputs=('x',) if _kernel.derivative is None else ()))


# ---------------------------------------------------------------------------- scalar ops
def _true_divide(data, scalar):
    return divide(data, scalar)


def _reversed(function):
    return lambda data, scalar: function(scalar, data)


# NumPy-mode name: (function of (data, scalar), whether integers give float32, gives bool)
NUMPY_SCALAR = {
    '_npi_add_scalar': (SCALAR['_plus_scalar'][0], False, False),
    '_npi_subtract_scalar': (SCALAR['_minus_scalar'][0], False, False),
    '_npi_rsubtract_scalar': (SCALAR['_rminus_scalar'][0], False, False),
    '_npi_multiply_scalar': (SCALAR['_mul_scalar'][0], False, False),
    '_npi_true_divide_scalar': (_true_divide, True, False),
    '_npi_rtrue_divide_scalar': (_reversed(_true_divide), True, False),
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


@register('_np_squeeze', inputs=('a',), params={'axis': Param(Optional(Shape()), None)})
def squeeze(params, ctx, a):
    return (jnp.squeeze(a, params.axis),)


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


@register('_npi_full_like', inputs=('a',), nondiff_inputs=('a',),
          params={'fill_value': Param(Float()), 'ctx': Param(Str(), ''),
                  'dtype': Param(DType(none=True), None)},
          infer_type=lambda params, in_types, out_types: (
              in_types, [params.dtype or in_types[0] or out_types[0]]))
def full_like(params, ctx, a):
    """An array of a's shape filled with the value, in a's dtype unless one is given."""
    dtype = params.dtype or a.dtype
    return (jnp.full(a.shape, c_cast(jnp.asarray(params.fill_value, jnp.float64), dtype)),)
