"""Elementwise arithmetic, comparison and logic: two same-shape inputs, or one input and a scalar.

MXNet's legacy elementwise ops never broadcast and keep the input dtype. The value functions here
carry MXNet's numerics and gradients; the broadcast_* ops (broadcast.py) share them:

- integer division truncates toward zero; integer powers and hypot go through float32 ``powf``
  and ``hypotf`` and are cast back as C++ casts (``7 ** 9`` is 40353608, overflow gives INT_MIN);
- ``%`` takes the sign of the divisor and gives 0 for a zero divisor;
- comparisons and logic give 1 or 0 in the input dtype, any nonzero value (NaN too) being true;
- maximum and minimum keep a NaN on the left, and at ties the left input takes the gradient.
"""
import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from ..ops_registry import Bool, Float, OpDef, Param, add, onnx_form
from .integer_rules import scaled_by
from .rules import c_cast, same_shape


# ---------------------------------------------------------------------------- MXNet's numerics
_WIDER = {jnp.dtype(jnp.float16): jnp.float32, jnp.dtype(jnp.float32): jnp.float64}


def divide(lhs, rhs):
    """``lhs / rhs``: integers truncate toward zero; floats are correctly rounded.

    float16 and float32 divide one precision up and round back, which stays exact where XLA
    turns a division by a broadcast value into a multiplication by its reciprocal.
    """
    wide = _WIDER.get(lhs.dtype)
    if wide is None:   # a broadcast divisor is materialised: XLA would multiply by its reciprocal
        return lax.div(*lax.optimization_barrier(tuple(jnp.broadcast_arrays(lhs, rhs))))
    return lax.div(lhs.astype(wide), rhs.astype(wide)).astype(lhs.dtype)


def _rdivide(data, scalar):
    """``scalar / data``; MXNet divides integers in float32 and casts back (7 / 0 gives INT_MIN)."""
    if jnp.issubdtype(data.dtype, jnp.integer):
        quotient = divide(scalar.astype(jnp.float32), data.astype(jnp.float32))
        return c_cast(quotient, data.dtype)
    return divide(scalar, data)


def _float32_math(function):
    """A math function as MXNet applies it to every dtype but float64: the float32 version
    (``powf``, ``hypotf``) on the values, its result cast back to their dtype."""
    def apply(lhs, rhs):
        if lhs.dtype == jnp.float64:
            return function(lhs, rhs)
        return c_cast(function(lhs.astype(jnp.float32), rhs.astype(jnp.float32)), lhs.dtype)
    return apply


def _correctly_rounded_hypot(lhs, rhs):
    """C's ``hypotf`` is correctly rounded and XLA's float32 hypot is not: go through float64."""
    return jnp.hypot(lhs.astype(jnp.float64), rhs.astype(jnp.float64)).astype(lhs.dtype)


def _with_gradients(forward, lhs_grad, rhs_grad):
    """`forward(lhs, rhs)` whose backward multiplies the head gradient by MXNet's local
    derivatives ``lhs_grad(lhs, rhs)`` and ``rhs_grad(lhs, rhs)``, which also define the
    points where the math has none (ties, zeros, NaN)."""
    function = jax.custom_vjp(forward)
    function.defvjp(lambda lhs, rhs: (forward(lhs, rhs), (lhs, rhs)),
                    lambda inputs, head: (head * lhs_grad(*inputs), head * rhs_grad(*inputs)))
    return function


def _modulo_values(lhs, rhs):
    """MXNet's mod, in float64: fmod on magnitudes, shifted into the divisor's sign (signed
    zeros included), 0 where the divisor is 0."""
    a, b = lhs.astype(jnp.float64), rhs.astype(jnp.float64)
    zero = jnp.zeros_like(a)
    both_negative = -lax.rem(-a, -b)
    positive_by_negative = lax.rem(a, -b)
    positive_by_negative = positive_by_negative + jnp.where(positive_by_negative != 0, b, zero)
    negative_by_positive = lax.rem(-a, b)
    negative_by_positive = -negative_by_positive + jnp.where(negative_by_positive != 0, b, zero)
    result = jnp.where(b < 0, jnp.where(a < 0, both_negative, positive_by_negative),
                       jnp.where(a < 0, negative_by_positive, lax.rem(a, b)))
    return c_cast(jnp.where(b == 0, zero, result), lhs.dtype)


modulo = _with_gradients(
    _modulo_values,
    lambda lhs, rhs: jnp.ones_like(lhs),
    lambda lhs, rhs: -jnp.floor(divide(lhs, rhs)))


def _opaque_power(base, exponent):
    """XLA's pow, which gives C's ``powf`` results; the barrier keeps XLA from rewriting a power
    by a constant (``x ** 3`` into ``x * x * x``, which rounds differently)."""
    return jnp.power(*lax.optimization_barrier((base, exponent)))


_power_values = _float32_math(_opaque_power)

power = _with_gradients(
    _power_values,
    lambda lhs, rhs: _power_values(lhs, rhs - 1) * rhs,
    lambda lhs, rhs: _power_values(lhs, rhs) * jnp.log(lhs))

_hypot_values = _float32_math(_correctly_rounded_hypot)

hypot = _with_gradients(
    _hypot_values,
    lambda lhs, rhs: lhs / _hypot_values(lhs, rhs),
    lambda lhs, rhs: rhs / _hypot_values(lhs, rhs))


def _compare(condition):
    """1 or 0 in the input dtype: comparison results, and the gradient masks of max and min."""
    return lambda lhs, rhs: condition(lhs, rhs).astype(lhs.dtype)


maximum = _with_gradients(
    lambda lhs, rhs: jnp.where(jnp.isnan(lhs) | (lhs > rhs), lhs, rhs),
    _compare(jnp.greater_equal), _compare(jnp.less))

minimum = _with_gradients(
    lambda lhs, rhs: jnp.where(jnp.isnan(lhs) | (lhs < rhs), lhs, rhs),
    _compare(jnp.less_equal), _compare(jnp.greater))


def _logic(connective):
    """A logical connective of the inputs' truth values (nonzero is true), 1 or 0."""
    return _compare(lambda lhs, rhs: connective(lhs != 0, rhs != 0))


equal = _compare(jnp.equal)
not_equal = _compare(jnp.not_equal)
greater = _compare(jnp.greater)
greater_equal = _compare(jnp.greater_equal)
lesser = _compare(jnp.less)
lesser_equal = _compare(jnp.less_equal)
logical_and = _logic(jnp.logical_and)
logical_or = _logic(jnp.logical_or)
logical_xor = _logic(jnp.logical_xor)


# ---------------------------------------------------------------------------- the ops
# Ops whose gradient MXNet defines as zero: their inputs are off every gradient's path, so an
# output computed by one needs no head gradient.
ZERO_GRADIENT = frozenset({
    '_equal', '_not_equal', '_greater', '_greater_equal', '_lesser', '_lesser_equal',
    '_logical_and', '_logical_or', '_logical_xor'})

BINARY = {
    # op name: (function, aliases)
    'elemwise_add': (jnp.add, ('_Plus', '_add', '_plus', '_sparse_elemwise_add')),
    'elemwise_sub': (jnp.subtract, ('_Minus', '_minus', '_sub', '_sparse_elemwise_sub')),
    'elemwise_mul': (jnp.multiply, ('_Mul', '_mul', '_sparse_elemwise_mul')),
    'elemwise_div': (divide, ('_Div', '_div', '_sparse_elemwise_div')),
    '_mod': (modulo, ('_Mod',)),
    '_power': (power, ('_Power',)),
    '_maximum': (maximum, ('_Maximum',)),
    '_minimum': (minimum, ('_Minimum',)),
    '_hypot': (hypot, ('_Hypot',)),
    '_equal': (equal, ('_Equal',)),
    '_not_equal': (not_equal, ('_Not_Equal',)),
    '_greater': (greater, ('_Greater',)),
    '_greater_equal': (greater_equal, ('_Greater_Equal',)),
    '_lesser': (lesser, ('_Lesser',)),
    '_lesser_equal': (lesser_equal, ('_Lesser_Equal',)),
    '_logical_and': (logical_and, ('_Logical_And',)),
    '_logical_or': (logical_or, ('_Logical_Or',)),
    '_logical_xor': (logical_xor, ('_Logical_Xor',)),
}


def reversed_operands(function):
    """``function(scalar, data)`` as a function of (data, scalar): the reversed scalar ops."""
    return lambda data, scalar: function(scalar, data)


# Scalar ops: (function of (data, scalar), aliases); the scalar has data's dtype and shape.
SCALAR = {
    '_plus_scalar': (jnp.add, ('_PlusScalar',)),
    '_minus_scalar': (jnp.subtract, ('_MinusScalar',)),
    '_rminus_scalar': (reversed_operands(jnp.subtract), ('_RMinusScalar',)),
    '_mul_scalar': (jnp.multiply, ('_MulScalar',)),
    '_div_scalar': (divide, ('_DivScalar',)),
    '_rdiv_scalar': (_rdivide, ('_RDivScalar',)),
    '_mod_scalar': (modulo, ('_ModScalar',)),
    '_rmod_scalar': (reversed_operands(modulo), ('_RModScalar',)),
    '_power_scalar': (power, ('_PowerScalar',)),
    '_rpower_scalar': (reversed_operands(power), ('_RPowerScalar',)),
    '_maximum_scalar': (maximum, ('_MaximumScalar',)),
    '_minimum_scalar': (minimum, ('_MinimumScalar',)),
    '_hypot_scalar': (hypot, ('_HypotScalar',)),
    '_equal_scalar': (equal, ('_EqualScalar',)),
    '_not_equal_scalar': (not_equal, ('_NotEqualScalar',)),
    '_greater_scalar': (greater, ('_GreaterScalar',)),
    '_greater_equal_scalar': (greater_equal, ('_GreaterEqualScalar',)),
    '_lesser_scalar': (lesser, ('_LesserScalar',)),
    '_lesser_equal_scalar': (lesser_equal, ('_LesserEqualScalar',)),
    '_logical_and_scalar': (logical_and, ('_LogicalAndScalar',)),
    '_logical_or_scalar': (logical_or, ('_LogicalOrScalar',)),
    '_logical_xor_scalar': (logical_xor, ('_LogicalXorScalar',)),
}

SCALAR_PARAMS = {'scalar': Param(Float(), 1.0), 'is_int': Param(Bool(), True)}


def _promotes_to_float64(params, dtype):
    """is_int=False on integer data: MXNet computes and returns float64."""
    return not params.is_int and np.issubdtype(np.dtype(dtype), np.integer)


def _scalar_types(params, in_types, out_types):
    (data,), (out,) = in_types, out_types
    if data is not None and _promotes_to_float64(params, data):
        return in_types, ['float64']
    known = data or out
    return [known], [known]


# ---------------------------------------------------------------------------- integer backward
# MXNet's local derivatives of integers, (of lhs, of rhs) as functions of (lhs, rhs): each is
# evaluated as its kernel does (math on integers in float32, log in float64) and truncated to
# the dtype before it multiplies the head gradient; None: a zero gradient.
def _float32(values):
    return values.astype(jnp.float32)


def _truncated(function):
    return lambda lhs, rhs: c_cast(function(lhs, rhs), lhs.dtype)


def _ones(lhs, rhs):
    return jnp.ones_like(lhs)


INTEGER_LOCAL_GRADIENTS = {
    'elemwise_add': (_ones, _ones),
    'elemwise_sub': (_ones, lambda lhs, rhs: -jnp.ones_like(lhs)),
    'elemwise_mul': (lambda lhs, rhs: rhs, lambda lhs, rhs: lhs),
    'elemwise_div': (_truncated(lambda lhs, rhs: 1 / _float32(rhs)),
                     _truncated(lambda lhs, rhs: -_float32(lhs) / jnp.square(_float32(rhs)))),
    '_mod': (None, None),
    '_power': (_truncated(lambda lhs, rhs: jnp.power(_float32(lhs), _float32(rhs - 1))
                          * _float32(rhs)),
               _truncated(lambda lhs, rhs: jnp.power(_float32(lhs), _float32(rhs))
                          * jnp.log(lhs.astype(jnp.float64)))),
    '_maximum': (_compare(jnp.greater_equal), _compare(jnp.less)),
    '_minimum': (_compare(jnp.less_equal), _compare(jnp.greater)),
    '_hypot': (_truncated(lambda lhs, rhs: _float32(lhs) / _hypot_values(
                   _float32(lhs), _float32(rhs))),
               _truncated(lambda lhs, rhs: _float32(rhs) / _hypot_values(
                   _float32(lhs), _float32(rhs)))),
}


def integer_binary_backward(op_name):
    """The integer backward of a binary op (or a broadcast op computing it): the head gradient
    times the local derivatives, in the dtype, summed back over broadcast axes."""
    lhs_local, rhs_local = INTEGER_LOCAL_GRADIENTS.get(op_name, (None, None))

    def local(derivative):
        if derivative is None:
            return None
        return lambda inputs, outputs: derivative(*jnp.broadcast_arrays(*inputs))
    return scaled_by(local(lhs_local), local(rhs_local))


# Scalar ops: (the binary op, whether data is its rhs); _div_scalar divides the head gradient.
SCALAR_AS_BINARY = {
    '_plus_scalar': ('elemwise_add', False), '_minus_scalar': ('elemwise_sub', False),
    '_rminus_scalar': ('elemwise_sub', True), '_mul_scalar': ('elemwise_mul', False),
    '_rdiv_scalar': ('elemwise_div', True), '_mod_scalar': ('_mod', False),
    '_rmod_scalar': ('_mod', True), '_power_scalar': ('_power', False),
    '_maximum_scalar': ('_maximum', False), '_minimum_scalar': ('_minimum', False),
    '_hypot_scalar': ('_hypot', False),
}


def _integer_scalar_backward(op_name):
    """The integer backward of a scalar op, the scalar in the data's dtype as its forward has
    it. MXNet's _rdiv_scalar and _rpower_scalar differentiate through their output."""
    def rule(params, inputs, outputs, heads, forward):
        (data,), (out,), (head,) = inputs, outputs, heads
        scalar = jnp.broadcast_to(c_cast(jnp.asarray(params.scalar, jnp.float64), data.dtype),
                                  data.shape)
        if op_name == '_div_scalar':
            return [lax.div(head, scalar)]
        if op_name == '_rpower_scalar':
            slope = c_cast(_float32(out) * jnp.log(scalar.astype(jnp.float64)), data.dtype)
            return [head * slope]
        if op_name == '_rdiv_scalar':
            slope = c_cast(-_float32(scalar) / jnp.square(_float32(data)), data.dtype)
            return [head * slope]
        binary, data_is_rhs = SCALAR_AS_BINARY.get(op_name, (None, False))
        lhs_local, rhs_local = INTEGER_LOCAL_GRADIENTS.get(binary, (None, None))
        derivative = rhs_local if data_is_rhs else lhs_local
        if derivative is None:
            return [None]
        pair = (scalar, data) if data_is_rhs else (data, scalar)
        return [head * derivative(*pair).astype(data.dtype)]
    return rule


def _binary_compute(function):
    def compute(params, ctx, lhs, rhs):
        return (function(lhs, rhs),)
    return compute


def _scalar_compute(function):
    def compute(params, ctx, data):
        if _promotes_to_float64(params, data.dtype):
            data = data.astype(jnp.float64)
        scalar = c_cast(jnp.asarray(params.scalar, jnp.float64), data.dtype)
        return (function(data, jnp.broadcast_to(scalar, data.shape)),)
    return compute


for _name, (_function, _aliases) in BINARY.items():
    add(OpDef(_name, _binary_compute(_function), inputs=('lhs', 'rhs'), aliases=_aliases,
              infer_shape=same_shape, integer_backward=integer_binary_backward(_name),
              nondiff_inputs=('lhs', 'rhs') if _name in ZERO_GRADIENT else (),
              channels_last='elementwise'))

for _name, (_function, _aliases) in SCALAR.items():
    add(OpDef(_name, _scalar_compute(_function), params=SCALAR_PARAMS, aliases=_aliases,
              unnamed_inputs=True, infer_shape=same_shape, infer_type=_scalar_types,
              integer_backward=_integer_scalar_backward(_name), channels_last='elementwise',
              nondiff_inputs=('data',) if _name.replace('_scalar', '') in ZERO_GRADIENT else ()))


# ---------------------------------------------------------------------------- ONNX forms
# op name: (ONNX op, whether ONNX gives a bool to cast back to the data's dtype)
ONNX_BINARY = {
    'elemwise_add': ('Add', False), 'elemwise_sub': ('Sub', False),
    'elemwise_mul': ('Mul', False), 'elemwise_div': ('Div', False),
    '_maximum': ('Max', False), '_minimum': ('Min', False), '_power': ('Pow', False),
    '_equal': ('Equal', True), '_greater': ('Greater', True),
    '_greater_equal': ('GreaterOrEqual', True), '_lesser': ('Less', True),
    '_lesser_equal': ('LessOrEqual', True), '_logical_and': ('And', True),
    '_logical_or': ('Or', True), '_logical_xor': ('Xor', True),
}


def binary_onnx(g, op_name, lhs, rhs):
    """The ONNX form of a binary op named in ONNX_BINARY (or `_not_equal`), on float data:
    comparisons and logic give 1 or 0 in the data's dtype."""
    if op_name == '_not_equal':
        return g.cast(g.op('Not', g.op('Equal', lhs, rhs)), g.out_dtypes[0])
    if not np.issubdtype(g.out_dtypes[0], np.floating) and op_name in (
            'elemwise_div', '_power'):
        g.refuse('integer division and powers round as C does, which ONNX does not')
    onnx_op, gives_bool = ONNX_BINARY[op_name]
    if onnx_op in ('And', 'Or', 'Xor'):
        zero = g.const(0, g.in_dtypes[0])
        lhs, rhs = (g.op('Not', g.op('Equal', x, zero)) for x in (lhs, rhs))
    out = g.op(onnx_op, lhs, rhs)
    return g.cast(out, g.out_dtypes[0]) if gives_bool else out


def _binary_onnx(g, params, lhs, rhs):
    return binary_onnx(g, g.node.op.name, lhs, rhs)


def _scalar_operands(name):
    """(the binary op a scalar op computes, whether the scalar comes first) by its name."""
    stem = name[1:-len('_scalar')]
    if stem not in SCALAR_BINARY and stem[1:] in SCALAR_BINARY:
        return SCALAR_BINARY[stem[1:]], True
    return SCALAR_BINARY.get(stem), False


def _scalar_onnx(g, params, data):
    """The binary form with the scalar (in the data's dtype) as the other operand."""
    if _promotes_to_float64(params, g.in_dtypes[0]):
        g.refuse('is_int=False on integer data computes in float64')
    binary, scalar_first = _scalar_operands(g.node.op.name)
    scalar = g.const(c_cast(np.asarray(params.scalar, np.float64), g.in_dtypes[0], np))
    return binary_onnx(g, binary, *((scalar, data) if scalar_first else (data, scalar)))


# scalar op name stem: the binary op it computes
SCALAR_BINARY = {'plus': 'elemwise_add', 'minus': 'elemwise_sub', 'mul': 'elemwise_mul',
                 'div': 'elemwise_div', 'power': '_power', 'maximum': '_maximum',
                 'minimum': '_minimum', 'equal': '_equal', 'not_equal': '_not_equal',
                 'greater': '_greater', 'greater_equal': '_greater_equal',
                 'lesser': '_lesser', 'lesser_equal': '_lesser_equal',
                 'logical_and': '_logical_and', 'logical_or': '_logical_or',
                 'logical_xor': '_logical_xor'}
onnx_form(*ONNX_BINARY, '_not_equal')(_binary_onnx)
onnx_form(*[name for name in SCALAR if _scalar_operands(name)[0]])(_scalar_onnx)
