"""Matrix products: dot."""
from jax import lax

from ..ops_registry import Bool, Enum, Param, register


@register('dot', inputs=('lhs', 'rhs'), aliases=('_sparse_dot',),
          params={'transpose_a': Param(Bool(), False), 'transpose_b': Param(Bool(), False),
                  'forward_stype': Param(Enum('None', 'csr', 'default', 'row_sparse'), None)})
def dot(params, ctx, lhs, rhs):
    """MXNet's dot: contract lhs's last axis with rhs's first (after the optional transposes,
    which reverse all axes); two vectors give shape (1,)."""
    if params.transpose_a:
        lhs = lhs.transpose()
    if params.transpose_b:
        rhs = rhs.transpose()
    out = lax.dot_general(lhs, rhs, (((lhs.ndim - 1,), (0,)), ((), ())))
    return (out.reshape(1) if out.ndim == 0 else out,)
