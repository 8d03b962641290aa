"""Elementwise unary ops: one input, same shape and dtype, with MXNet's numerics and gradients.

MXNet's kernels compute float16 in float32 and integers in float64 (a few ops in float32),
then cast the result back to the input dtype as C++ on x86 does: integers truncate toward zero,
and NaN or overflow become the most negative integer (sqrt of int32 -4 is -2147483648).

Gradients are MXNet's backward formulas, in terms of the input x or the output y as MXNet's
backward kernel takes them. They fix the value at points where the derivative does not exist
(relu and abs at 0, clip at its bounds) and keep the float32 constants MXNet's kernels use
(pi, 180/pi) even for float64.
"""
import math
from typing import Any, Callable, NamedTuple, Optional

import jax.numpy as jnp
import numpy as np
from jax import lax
from jax.scipy import special

from ..base import MXNetError
from ..ops_registry import Float, OpDef, Param, add, onnx_form, register
from .integer_rules import scaled_by, zero_gradient
from .rules import c_cast, same_shape, with_local_gradient

# MXNet's kernels hold pi as a float32; these constants are formed in float32 as theirs are.
PI32 = np.float32(math.pi)
DEGREES_PER_RADIAN = float(np.float32(180) / PI32)
RADIANS_PER_DEGREE = float(PI32 / np.float32(180))
ERF_SLOPE = 2.0 / float(np.sqrt(PI32))
ERFINV_SLOPE = 0.5 * float(np.sqrt(PI32))


def math_type(dtype, integers=jnp.float64):
    """The type MXNet computes `dtype` in: float64 stays, float16 and float32 use float32,
    integers use `integers` (None keeps the integer type)."""
    if dtype == jnp.float64:
        return jnp.float64
    if jnp.issubdtype(dtype, jnp.integer):
        return integers or dtype
    return jnp.float32


def elementwise(forward, derivative, integers=jnp.float64):
    """An array function: `forward` in MXNet's math type, cast back to the input dtype.

    Its gradient is head * derivative(x, y), the derivative rounded to the dtype first as
    MXNet's backward kernels round it; derivative None means no gradient (MXNet's rounding ops,
    BlockGrad).
    """
    def apply(x):
        return c_cast(forward(x.astype(math_type(x.dtype, integers))), x.dtype, jnp)

    if derivative is None:
        return lambda x: apply(lax.stop_gradient(x))

    def slope(x, y):
        compute = math_type(x.dtype, integers)
        return derivative(x.astype(compute), y.astype(compute)).astype(x.dtype)
    return with_local_gradient(apply, slope)


# ---------------------------------------------------------------------------- MXNet's numerics
# Where XLA's result differs from MXNet's kernel (its comparisons, C's libm), these follow
# MXNet; an ulp matters once integer results truncate.

def _sign(x):
    """-1, 0 or 1 in x's type; 0 for NaN, as MXNet's comparisons give."""
    return jnp.where(x < 0, -1, jnp.where(x > 0, 1, 0)).astype(x.dtype)


def _rint(x):
    """The nearest integer; a half goes to floor (toward -inf), not to the even neighbour."""
    below, above = jnp.floor(x), jnp.ceil(x)
    return jnp.where(x - below <= above - x, below, above)


def _round(x):
    """The nearest integer; a half goes away from zero (C's round)."""
    whole = jnp.trunc(x)
    return jnp.where(jnp.abs(x - whole) >= 0.5, whole + jnp.sign(x), whole)


def _cbrt(x):
    """Cube root, exact at perfect cubes as C's cbrt is."""
    root = jnp.cbrt(x)
    nearest = jnp.round(root)
    return jnp.where(nearest * nearest * nearest == x, nearest, root)


def _log2(x):
    """log2, exact at powers of two as C's log2 is."""
    mantissa, exponent = jnp.frexp(x)
    return jnp.where(mantissa == 0.5, (exponent - 1).astype(x.dtype), jnp.log2(x))


def _gamma(x):
    """Gamma function, exact at positive integers (factorials) as C's tgamma is."""
    value = special.gamma(x)
    return jnp.where((x > 0) & (x == jnp.floor(x)), jnp.round(value), value)


# Cephes' asymptotic series for digamma in 1/s**2, highest power first, and the s from which
# it is dropped; MXNet keeps a shorter series for float32.
DIGAMMA_SERIES = {
    np.float64: ((8.33333333333333333333e-2, -2.10927960927960927961e-2,
                   7.57575757575757575758e-3, -4.16666666666666666667e-3,
                   3.96825396825396825397e-3, -8.33333333333333333333e-3,
                   8.33333333333333333333e-2), 1e17),
    np.float32: ((-4.16666666666666666667e-3, 3.96825396825396825397e-3,
                   -8.33333333333333333333e-3, 8.33333333333333333333e-2), 1e8),
}
EULER_GAMMA = 0.57721566490153286061


def _digamma(x):
    """Digamma as MXNet computes it (Cephes' psi): reflection for x <= 0, harmonic numbers at
    integers up to 10, otherwise the recurrence up to 10 and the asymptotic series, whose log
    MXNet takes in float32 even for float64. At the poles (integers <= 0) the largest double.
    """
    pole = (x <= 0) & (x == jnp.floor(x))
    reflected = x <= 0
    offset = x - jnp.floor(x)
    offset = jnp.where(offset > 0.5, offset - 1, offset)
    cotangent = jnp.where(offset == 0.5, 0, math.pi / jnp.tan(math.pi * offset))
    x = jnp.where(reflected, 1 - x, x)

    harmonic = jnp.zeros_like(x)
    for term in range(1, 10):
        harmonic = harmonic + jnp.where(term < x, 1 / term, 0)
    harmonic = harmonic - EULER_GAMMA

    shifted, recurrence = x, jnp.zeros_like(x)
    for _ in range(10):
        below = shifted < 10
        recurrence = recurrence + jnp.where(below, 1 / shifted, 0)
        shifted = jnp.where(below, shifted + 1, shifted)
    coefficients, cutoff = DIGAMMA_SERIES[x.dtype.type]
    z = 1 / (shifted * shifted)
    series = jnp.zeros_like(x)
    for coefficient in coefficients:
        series = series * z + coefficient
    series = jnp.where(shifted < cutoff, z * series, 0)
    # float32's log, correctly rounded (XLA's float32 log can miss C's logf by an ulp)
    log = jnp.log(shifted.astype(jnp.float32).astype(jnp.float64)).astype(jnp.float32)
    asymptotic = log.astype(x.dtype) - 0.5 / shifted - series - recurrence

    value = jnp.where((x <= 10) & (x == jnp.floor(x)), harmonic, asymptotic)
    value = jnp.where(reflected, value - cotangent, value)
    return jnp.where(pole, np.finfo(np.float64).max, value)


def _erfinv(x):
    """Inverse error function; for integer inputs MXNet's kernel turns the NaN outside [-1, 1]
    into 0 (a constant NaN, converted by the compiler) where other NaNs give -2**31."""
    if not jnp.issubdtype(x.dtype, jnp.integer):
        return special.erfinv(x)
    wide = x.astype(jnp.float64)
    inside = jnp.abs(wide) <= 1
    return jnp.where(inside, c_cast(special.erfinv(wide), x.dtype, jnp), 0)


def _relu(x):
    """max(x, 0), NaN kept."""
    return jnp.where(jnp.isnan(x) | (x > 0), x, 0).astype(x.dtype)


def _relu_slope(x, y):
    """1 where the output is positive, 0 elsewhere (at 0 too), NaN where it is NaN."""
    return jnp.where(jnp.isnan(y), y, (y > 0).astype(y.dtype))


def _constant(value):
    return lambda x, y: jnp.full_like(x, value)


# ---------------------------------------------------------------------------- the table
class Unary(NamedTuple):
    """One op: its forward of x, its derivative of (x, y) (None: no gradient), its aliases,
    the type integer inputs are computed in (None: their own), and, where MXNet's backward
    over integers does not take the derivative in float64, its own integer slope of (x, y)."""

    forward: Callable
    derivative: Optional[Callable]
    aliases: tuple = ()
    integers: Any = jnp.float64
    integer_slope: Optional[Callable] = None


def _gamma_integer_slope(x, y):
    """MXNet takes gamma's derivative of integers in float32 (a correctly rounded gamma, as
    C's tgammaf is, times float32 digamma)."""
    gamma = _gamma(x.astype(jnp.float64)).astype(jnp.float32)
    return c_cast(gamma * _digamma(x.astype(jnp.float32)).astype(jnp.float32), x.dtype)


def _gammaln_integer_slope(x, y):
    """digamma of integers in float32; at its poles (integers <= 0) MXNet's kernel converts a
    constant infinity, which its compiler saturates to the largest integer."""
    pole = (x <= 0)
    slope = c_cast(_digamma(jnp.where(pole, 1, x).astype(jnp.float32)), x.dtype)
    return jnp.where(pole, jnp.iinfo(x.dtype).max, slope).astype(x.dtype)


UNARY = {
    'abs': Unary(jnp.abs, lambda x, y: _sign(x), ('_sparse_abs',)),
    'negative': Unary(jnp.negative, _constant(-1), ('_sparse_negative',), None),
    'sign': Unary(_sign, _constant(0), ('_sparse_sign',), None),
    'relu': Unary(_relu, _relu_slope, ('_sparse_relu',), None),
    'sigmoid': Unary(lambda x: 1 / (1 + jnp.exp(-x)), lambda x, y: y * (1 - y),
                     ('_sparse_sigmoid',)),
    'softsign': Unary(lambda x: x / (1 + jnp.abs(x)), lambda x, y: 1 / jnp.square(1 + jnp.abs(x))),
    # rounding
    'round': Unary(_round, None, ('_sparse_round',)),
    'rint': Unary(_rint, None, ('_sparse_rint',)),
    'fix': Unary(jnp.trunc, None, ('_sparse_fix',)),
    'trunc': Unary(jnp.trunc, None, ('_sparse_trunc',)),
    'floor': Unary(jnp.floor, None, ('_sparse_floor',)),
    'ceil': Unary(jnp.ceil, None, ('_sparse_ceil',)),
    # powers
    'square': Unary(jnp.square, lambda x, y: 2 * x, ('_sparse_square',), jnp.float32),
    'sqrt': Unary(jnp.sqrt, lambda x, y: 0.5 / y, ('_sparse_sqrt',)),
    'rsqrt': Unary(lambda x: 1 / jnp.sqrt(x), lambda x, y: -0.5 / (jnp.sqrt(x) * x),
                   ('_sparse_rsqrt',)),
    'cbrt': Unary(_cbrt, lambda x, y: 1 / (3 * y * y), ('_sparse_cbrt',)),
    'rcbrt': Unary(lambda x: 1 / _cbrt(x), lambda x, y: -1 / (3 * jnp.cbrt(x) * x)),
    'reciprocal': Unary(lambda x: 1 / x, lambda x, y: -1 / (x * x), (), jnp.float32),
    # exponentials and logarithms
    'exp': Unary(jnp.exp, lambda x, y: y, ('_sparse_exp',)),
    'expm1': Unary(jnp.expm1, lambda x, y: jnp.exp(x), ('_sparse_expm1',)),
    'log': Unary(jnp.log, lambda x, y: 1 / x, ('_sparse_log',)),
    'log10': Unary(jnp.log10, lambda x, y: (1 / math.log(10)) / x, ('_sparse_log10',)),
    'log2': Unary(_log2, lambda x, y: (1 / math.log(2)) / x, ('_sparse_log2',)),
    'log1p': Unary(jnp.log1p, lambda x, y: 1 / (1 + x), ('_sparse_log1p',)),
    # trigonometric and hyperbolic
    'sin': Unary(jnp.sin, lambda x, y: jnp.cos(x), ('_sparse_sin',)),
    'cos': Unary(jnp.cos, lambda x, y: -jnp.sin(x), ('_sparse_cos',)),
    'tan': Unary(jnp.tan, lambda x, y: y * y + 1, ('_sparse_tan',)),
    'arcsin': Unary(jnp.arcsin, lambda x, y: 1 / jnp.sqrt(1 - x * x), ('_sparse_arcsin',)),
    'arccos': Unary(jnp.arccos, lambda x, y: -1 / jnp.sqrt(1 - x * x), ('_sparse_arccos',)),
    'arctan': Unary(jnp.arctan, lambda x, y: 1 / (x * x + 1), ('_sparse_arctan',)),
    'degrees': Unary(lambda x: DEGREES_PER_RADIAN * x, _constant(DEGREES_PER_RADIAN),
                     ('_sparse_degrees',), jnp.float32),
    'radians': Unary(lambda x: RADIANS_PER_DEGREE * x, _constant(RADIANS_PER_DEGREE),
                     ('_sparse_radians',), jnp.float32),
    'sinh': Unary(jnp.sinh, lambda x, y: jnp.cosh(x), ('_sparse_sinh',)),
    'cosh': Unary(jnp.cosh, lambda x, y: jnp.sinh(x), ('_sparse_cosh',)),
    'tanh': Unary(jnp.tanh, lambda x, y: 1 - y * y, ('_sparse_tanh',)),
    'arcsinh': Unary(jnp.arcsinh, lambda x, y: 1 / jnp.hypot(x, 1), ('_sparse_arcsinh',)),
    'arccosh': Unary(jnp.arccosh, lambda x, y: 1 / jnp.sqrt(x * x - 1), ('_sparse_arccosh',)),
    'arctanh': Unary(jnp.arctanh, lambda x, y: 1 / (1 - x * x), ('_sparse_arctanh',)),
    # special functions
    'erf': Unary(special.erf, lambda x, y: ERF_SLOPE * jnp.exp(-(x * x))),
    'erfinv': Unary(_erfinv, lambda x, y: ERFINV_SLOPE * jnp.exp(y * y), (), None),
    'gamma': Unary(_gamma, lambda x, y: _gamma(x) * _digamma(x), ('_sparse_gamma',),
                   integer_slope=_gamma_integer_slope),
    'gammaln': Unary(special.gammaln, lambda x, y: _digamma(x), ('_sparse_gammaln',),
                     integer_slope=_gammaln_integer_slope),
    # values that ignore the input, and identities
    'logical_not': Unary(lambda x: (x == 0).astype(x.dtype), None, (), None),
    'zeros_like': Unary(jnp.zeros_like, None, ('_sparse_zeros_like',), None),
    'ones_like': Unary(jnp.ones_like, None, (), None),
    'BlockGrad': Unary(lambda x: x, None, ('_sparse_stop_gradient', 'stop_gradient'), None),
    '_copy': Unary(lambda x: x, _constant(1), ('identity',), None),
}


def unary_compute(kernel):
    """The compute of a unary op from its kernel (shared with the NumPy-mode names)."""
    function = elementwise(kernel.forward, kernel.derivative, kernel.integers)

    def compute(params, ctx, data):
        return (function(data),)
    return compute


def _integer_backward(kernel):
    """MXNet's backward over integers: the head gradient times the derivative (in float64),
    truncated to the integer dtype first (sqrt's 0.5 / y is 0 for y > 0), the product
    wrapping around."""
    if kernel.derivative is None:
        return zero_gradient

    def slope(inputs, outputs):
        (x,), (y,) = inputs, outputs
        if kernel.integer_slope is not None:
            return kernel.integer_slope(x, y)
        wide = math_type(x.dtype)
        return c_cast(kernel.derivative(x.astype(wide), y.astype(wide)), x.dtype)
    return scaled_by(slope)


for _name, _kernel in UNARY.items():
    add(OpDef(_name, unary_compute(_kernel), aliases=_kernel.aliases, infer_shape=same_shape,
              unnamed_inputs=True, integer_backward=_integer_backward(_kernel),
              nondiff_inputs=('data',) if _kernel.derivative is None else (),
              channels_last='elementwise'))


# op name: its ONNX op (ops whose rounding or NaN rules ONNX does not share have none)
ONNX_UNARY = {
    'abs': 'Abs', 'negative': 'Neg', 'sign': 'Sign', 'relu': 'Relu', 'sigmoid': 'Sigmoid',
    'softsign': 'Softsign', 'floor': 'Floor', 'ceil': 'Ceil', 'sqrt': 'Sqrt',
    'reciprocal': 'Reciprocal', 'exp': 'Exp', 'log': 'Log', 'sin': 'Sin', 'cos': 'Cos',
    'tan': 'Tan', 'arcsin': 'Asin', 'arccos': 'Acos', 'arctan': 'Atan', 'sinh': 'Sinh',
    'cosh': 'Cosh', 'tanh': 'Tanh', 'arcsinh': 'Asinh', 'arccosh': 'Acosh',
    'arctanh': 'Atanh', 'erf': 'Erf', 'BlockGrad': 'Identity', '_copy': 'Identity',
}


def unary_onnx(g, op_name, data):
    """The ONNX form of a unary op of UNARY (float data), or None where it has none."""
    if op_name in ONNX_UNARY:
        return g.op(ONNX_UNARY[op_name], data)
    if op_name == 'square':
        return g.op('Mul', data, data)
    if op_name == 'rsqrt':
        return g.op('Reciprocal', g.op('Sqrt', data))
    if op_name in ('zeros_like', 'ones_like'):
        value = g.const(np.asarray(op_name == 'ones_like', g.in_dtypes[0]))
        return g.op('Expand', value, g.op('Shape', data))
    return None


def _unary_onnx(g, params, data):
    if not np.issubdtype(g.in_dtypes[0], np.floating):
        g.refuse('integer data: MXNet computes it in floating point and truncates')
    return unary_onnx(g, g.node.op.name, data)


onnx_form(*ONNX_UNARY, 'square', 'rsqrt', 'zeros_like', 'ones_like')(_unary_onnx)


# ---------------------------------------------------------------------------- ops with params
@register('hard_sigmoid', unnamed_inputs=True,
          params={'alpha': Param(Float(), 0.2), 'beta': Param(Float(), 0.5)},
          infer_shape=same_shape)
def hard_sigmoid(params, ctx, data):
    """clip(alpha * x + beta, 0, 1) with float32 alpha and beta; slope alpha strictly inside.
    Floating-point data only, as MXNet's kernel."""
    if jnp.issubdtype(data.dtype, jnp.integer):
        raise MXNetError('hard_sigmoid: This operation only support floating point types, not %s'
                         % data.dtype)
    alpha, beta = np.float32(params.alpha), np.float32(params.beta)
    function = elementwise(lambda x: jnp.clip(alpha * x + beta, 0, 1),
                           lambda x, y: jnp.where((y > 0) & (y < 1), alpha, 0).astype(x.dtype))
    return (function(data),)


@onnx_form('hard_sigmoid')
def _hard_sigmoid_onnx(g, params, data):
    return g.op('HardSigmoid', data, alpha=float(np.float32(params.alpha)),
                beta=float(np.float32(params.beta)))


def _clip_integer_backward(params, inputs, outputs, heads, forward):
    """The head gradient where the data lies within the (float32) bounds, else 0."""
    (data,) = inputs
    compared = data.astype(jnp.float32)
    inside = (compared >= np.float32(params.a_min)) & (compared <= np.float32(params.a_max))
    return [jnp.where(inside, heads[0], 0).astype(data.dtype)]


@register('clip', unnamed_inputs=True, aliases=('_sparse_clip',),
          params={'a_min': Param(Float()), 'a_max': Param(Float())}, infer_shape=same_shape,
          integer_backward=_clip_integer_backward, channels_last='elementwise')
def clip(params, ctx, data):
    """Values above a_max become a_max, values below a_min become a_min (float32 bounds, as
    MXNet's are); the gradient passes on the closed interval [a_min, a_max]."""
    low, high = np.float32(params.a_min), np.float32(params.a_max)
    compared = data.astype(math_type(data.dtype, jnp.float32))

    def bound(value):
        return c_cast(jnp.asarray(value), data.dtype, jnp)

    return (jnp.where(compared > high, bound(high),
                      jnp.where(compared < low, bound(low), data)),)


@onnx_form('clip')
def _clip_onnx(g, params, data):
    dtype = g.in_dtypes[0]
    low, high = (g.const(c_cast(np.asarray(np.float32(v)), dtype, np))
                 for v in (params.a_min, params.a_max))
    return g.op('Clip', data, low, high)


@register('_identity_with_attr_like_rhs', inputs=('lhs', 'rhs'), infer_shape=same_shape)
def identity_with_attr_like_rhs(params, ctx, lhs, rhs):
    """lhs unchanged; rhs only lends its shape and dtype, and gets a zero gradient."""
    return (lhs,)
