"""Matrix products: dot."""
from jax import lax

from ..ops_registry import Bool, Enum, Param, register


@register('dot', inputs=('lhs', 'rhs'), aliases=('_sparse_dot',),
          params={'transpose_a': Param(Bool(), False), 'transpose_b': Param(Bool(), False),
                  'forward_stype': Param(Enum('None', 'csr', 'default', 'row_sparse'), None)})
def dot(params, ctx, lhs, rhs):
    """MXNet's dot: contract lhs's last axis (first with transpose_a) with rhs's first axis
    (last with transpose_b); the free axes keep their order. Two vectors give shape (1,)."""
    lhs_axis = 0 if params.transpose_a else lhs.ndim - 1
    rhs_axis = rhs.ndim - 1 if params.transpose_b else 0
    out = lax.dot_general(lhs, rhs, (((lhs_axis,), (rhs_axis,)), ((), ())))
    return (out.reshape(1) if out.ndim == 0 else out,)
