"""Matrix products: dot, batch_dot, linalg gemm and gemm2."""
import jax.numpy as jnp
from jax import lax

from ..base import MXNetError
from ..ops_registry import Bool, Enum, Float, Int, Param, register

STYPE = Enum('None', 'csr', 'default', 'row_sparse')


@register('dot', inputs=('lhs', 'rhs'), aliases=('_sparse_dot',),
          params={'transpose_a': Param(Bool(), False), 'transpose_b': Param(Bool(), False),
                  'forward_stype': Param(STYPE, None)})
def dot(params, ctx, lhs, rhs):
    """MXNet's dot: contract lhs's last axis (first with transpose_a) with rhs's first axis
    (last with transpose_b); the free axes keep their order. Two vectors give shape (1,)."""
    lhs_axis = 0 if params.transpose_a else lhs.ndim - 1
    rhs_axis = rhs.ndim - 1 if params.transpose_b else 0
    out = lax.dot_general(lhs, rhs, (((lhs_axis,), (rhs_axis,)), ((), ())))
    return (out.reshape(1) if out.ndim == 0 else out,)


def _matrices(a, transpose):
    return jnp.swapaxes(a, -1, -2) if transpose else a


@register('batch_dot', inputs=('lhs', 'rhs'),
          params={'transpose_a': Param(Bool(), False), 'transpose_b': Param(Bool(), False),
                  'forward_stype': Param(STYPE, None)})
def batch_dot(params, ctx, lhs, rhs):
    """Matrix products over the last two axes of two arrays of equal rank >= 3 whose leading
    (batch) axes agree."""
    if lhs.ndim < 3 or lhs.ndim != rhs.ndim:
        raise MXNetError('batch_dot takes two arrays of one rank >= 3, got shapes %s and %s'
                         % (lhs.shape, rhs.shape))
    if lhs.shape[:-2] != rhs.shape[:-2]:
        raise MXNetError('batch_dot: the leading batch axes of %s and %s differ'
                         % (lhs.shape, rhs.shape))
    return (jnp.matmul(_matrices(lhs, params.transpose_a), _matrices(rhs, params.transpose_b)),)


# ---------------------------------------------------------------------------- linalg gemm
def _row_axis(params, ndim):
    axis = params.axis + ndim if params.axis < 0 else params.axis
    if ndim < 2 or not 0 <= axis < ndim - 1:
        raise MXNetError('linalg: row axis %d is invalid for %d-d matrices' % (params.axis, ndim))
    return axis


def _gemm_product(params, a, b):
    """alpha * op(A) op(B), the rows of each matrix along `axis`, its columns the last axis:
    the row axis is swapped next to the last one, multiplied, and swapped back."""
    if a.ndim != b.ndim:
        raise MXNetError('linalg: A %s and B %s must have one rank' % (a.shape, b.shape))
    axis = _row_axis(params, a.ndim)
    a, b = jnp.swapaxes(a, axis, -2), jnp.swapaxes(b, axis, -2)
    if a.shape[:-2] != b.shape[:-2]:
        raise MXNetError('linalg: A %s and B %s must agree on all but the matrix axes'
                         % (a.shape, b.shape))
    product = jnp.matmul(_matrices(a, params.transpose_a), _matrices(b, params.transpose_b))
    return jnp.swapaxes(product, axis, -2) * jnp.asarray(params.alpha, a.dtype)


def _gemm_param_shapes(params, in_shapes):
    """C is shaped like the product of A and B."""
    a, b = in_shapes[0], in_shapes[1]
    if a is None or b is None or len(a) != len(b) or len(a) < 2:
        return {}
    axis = _row_axis(params, len(a))
    out = list(a)
    out[axis] = a[-1] if params.transpose_a else a[axis]
    out[-1] = b[axis] if params.transpose_b else b[-1]
    return {'C': tuple(out)}


GEMM_PARAMS = {'transpose_a': Param(Bool(), False), 'transpose_b': Param(Bool(), False),
               'alpha': Param(Float(), 1.0)}


@register('_linalg_gemm', inputs=('A', 'B', 'C'), aliases=('linalg_gemm',),
          params=dict(GEMM_PARAMS, beta=Param(Float(), 1.0), axis=Param(Int(), -2)),
          param_shapes=_gemm_param_shapes)
def linalg_gemm(params, ctx, a, b, c):
    """alpha * op(A) op(B) + beta * C, batched over the axes other than the matrix axes."""
    return (_gemm_product(params, a, b) + jnp.asarray(params.beta, c.dtype) * c,)


@register('_linalg_gemm2', inputs=('A', 'B'), aliases=('linalg_gemm2',),
          params=dict(GEMM_PARAMS, axis=Param(Int(), -2)))
def linalg_gemm2(params, ctx, a, b):
    """alpha * op(A) op(B), batched over the axes other than the matrix axes."""
    return (_gemm_product(params, a, b),)
