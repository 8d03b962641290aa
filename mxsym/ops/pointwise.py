"""Element-wise contrib operators: quadratic, allclose, and the ops defined by their gradient
(gradientmultiplier, and the straight-through estimators round_ste and sign_ste)."""
import jax
import jax.numpy as jnp
import numpy as np

from ..base import MXNetError
from ..ops_registry import Bool, Float, Param, register


@register('_contrib_quadratic', params={'a': Param(Float(), 0.0), 'b': Param(Float(), 0.0),
                                        'c': Param(Float(), 0.0)})
def quadratic(params, ctx, data):
    """a * data**2 + b * data + c, evaluated as data * (a * data + b) + c."""
    a, b, c = (jnp.asarray(np.float32(v), data.dtype) for v in (params.a, params.b, params.c))
    return (data * (a * data + b) + c,)


def _allclose_types(params, in_types, out_types):
    return in_types, ['uint8']


@register('_contrib_allclose', inputs=('a', 'b'),
          params={'rtol': Param(Float(), 1e-05), 'atol': Param(Float(), 1e-08),
                  'equal_nan': Param(Bool(), True)},
          infer_type=_allclose_types, nondiff_inputs=('a', 'b'), has_gradient=False)
def allclose(params, ctx, a, b):
    """1 (uint8, shape ()) when every |a - b| <= atol + rtol * |b| (NaNs equal each other
    when equal_nan), else 0."""
    if a.shape != b.shape:
        raise MXNetError('allclose: a has shape %s but b has shape %s; they must be equal (no '
                         'broadcasting)' % (a.shape, b.shape))
    a, b = jax.lax.stop_gradient(a), jax.lax.stop_gradient(b)
    rtol, atol = np.float32(params.rtol), np.float32(params.atol)
    close = (a == b) | (jnp.abs(a - b) <= atol + rtol * jnp.abs(b))
    either_nan = jnp.isnan(a) | jnp.isnan(b)
    nan_ok = jnp.isnan(a) & jnp.isnan(b) if params.equal_nan else False
    return (jnp.all(jnp.where(either_nan, nan_ok, close)).astype(jnp.uint8),)


def _with_gradient(forward):
    """``run(data, factor)``: forward(data), whose gradient is the head gradient times
    factor."""
    @jax.custom_vjp
    def run(data, factor):
        return forward(data)

    def run_forward(data, factor):
        return forward(data), factor

    def run_backward(factor, head):
        return head * jnp.asarray(factor, head.dtype), None
    run.defvjp(run_forward, run_backward)
    return run


def _round_half_away(data):
    whole = jnp.trunc(data)
    return jnp.where(jnp.abs(data - whole) >= 0.5, whole + jnp.sign(data), whole)


_SCALED = _with_gradient(lambda data: data)
_ROUNDED = _with_gradient(_round_half_away)
_SIGNED = _with_gradient(jnp.sign)


@register('_contrib_gradientmultiplier', unnamed_inputs=True,
          params={'scalar': Param(Float(), 1.0), 'is_int': Param(Bool(), True)})
def gradientmultiplier(params, ctx, data):
    """data unchanged; its gradient is the head gradient times scalar (a gradient reversal
    layer for scalar -1)."""
    return (_SCALED(data, float(params.scalar)),)


@register('_contrib_round_ste', unnamed_inputs=True, aliases=('_sparse__contrib_round_ste',))
def round_ste(params, ctx, data):
    """Round half away from zero; the gradient passes straight through."""
    return (_ROUNDED(data, 1.0),)


@register('_contrib_sign_ste', unnamed_inputs=True, aliases=('_sparse__contrib_sign_ste',))
def sign_ste(params, ctx, data):
    """The sign (-1, 0 or 1); the gradient passes straight through."""
    return (_SIGNED(data, 1.0),)
