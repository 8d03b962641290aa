"""Elementwise arithmetic: two same-shape inputs, or one input and a scalar parameter.

MXNet's legacy elementwise ops never broadcast, keep the input dtype (integer division
truncates toward zero) and apply a scalar in the input's dtype.
"""
import jax.numpy as jnp
import numpy as np
from jax import lax

from ..ops_registry import Bool, Float, OpDef, Param, add
from .rules import same_shape


def _divide(lhs, rhs):
    return lax.div(lhs, rhs)


def _compare(fn):
    return lambda lhs, rhs: fn(lhs, rhs).astype(lhs.dtype)


BINARY = {
    # op name: (function, aliases)
    'elemwise_add': (jnp.add, ('_Plus', '_add', '_plus', '_sparse_elemwise_add')),
    'elemwise_sub': (jnp.subtract, ('_Minus', '_minus', '_sub', '_sparse_elemwise_sub')),
    'elemwise_mul': (jnp.multiply, ('_Mul', '_mul', '_sparse_elemwise_mul')),
    'elemwise_div': (_divide, ('_Div', '_div', '_sparse_elemwise_div')),
    '_mod': (jnp.mod, ('_Mod',)),
    '_power': (jnp.power, ('_Power',)),
    '_maximum': (jnp.maximum, ('_Maximum',)),
    '_minimum': (jnp.minimum, ('_Minimum',)),
    '_equal': (_compare(jnp.equal), ('_Equal',)),
    '_not_equal': (_compare(jnp.not_equal), ('_Not_Equal',)),
    '_greater': (_compare(jnp.greater), ('_Greater',)),
    '_greater_equal': (_compare(jnp.greater_equal), ('_Greater_Equal',)),
    '_lesser': (_compare(jnp.less), ('_Lesser',)),
    '_lesser_equal': (_compare(jnp.less_equal), ('_Lesser_Equal',)),
}


def _reversed(fn):
    return lambda data, scalar: fn(scalar, data)


# Scalar ops: (function of (data, scalar), aliases); the scalar already has data's dtype.
SCALAR = {
    '_plus_scalar': (jnp.add, ('_PlusScalar',)),
    '_minus_scalar': (jnp.subtract, ('_MinusScalar',)),
    '_rminus_scalar': (_reversed(jnp.subtract), ('_RMinusScalar',)),
    '_mul_scalar': (jnp.multiply, ('_MulScalar',)),
    '_div_scalar': (_divide, ('_DivScalar',)),
    '_rdiv_scalar': (_reversed(_divide), ('_RDivScalar',)),
    '_mod_scalar': (jnp.mod, ('_ModScalar',)),
    '_rmod_scalar': (_reversed(jnp.mod), ('_RModScalar',)),
    '_power_scalar': (jnp.power, ('_PowerScalar',)),
    '_rpower_scalar': (_reversed(jnp.power), ('_RPowerScalar',)),
    '_maximum_scalar': (jnp.maximum, ('_MaximumScalar',)),
    '_minimum_scalar': (jnp.minimum, ('_MinimumScalar',)),
    '_equal_scalar': (_compare(jnp.equal), ('_EqualScalar',)),
    '_not_equal_scalar': (_compare(jnp.not_equal), ('_NotEqualScalar',)),
    '_greater_scalar': (_compare(jnp.greater), ('_GreaterScalar',)),
    '_greater_equal_scalar': (_compare(jnp.greater_equal), ('_GreaterEqualScalar',)),
    '_lesser_scalar': (_compare(jnp.less), ('_LesserScalar',)),
    '_lesser_equal_scalar': (_compare(jnp.less_equal), ('_LesserEqualScalar',)),
}

SCALAR_PARAMS = {'scalar': Param(Float(), 1.0), 'is_int': Param(Bool(), True)}


def _binary_compute(fn):
    def compute(params, ctx, lhs, rhs):
        return (fn(lhs, rhs),)
    return compute


def _scalar_compute(fn):
    def compute(params, ctx, data):
        scalar = jnp.asarray(np.asarray(params.scalar).astype(data.dtype))
        return (fn(data, scalar),)
    return compute


for _name, (_fn, _aliases) in BINARY.items():
    add(OpDef(_name, _binary_compute(_fn), inputs=('lhs', 'rhs'), aliases=_aliases,
              infer_shape=same_shape))

for _name, (_fn, _aliases) in SCALAR.items():
    add(OpDef(_name, _scalar_compute(_fn), params=SCALAR_PARAMS, aliases=_aliases,
              infer_shape=same_shape))

