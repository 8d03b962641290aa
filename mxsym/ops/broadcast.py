"""Binary ops with NumPy-style broadcasting (broadcast_add, broadcast_mul, ...) and add_n.

Python operators on Symbols never broadcast; these ops are reached only by name. Shapes align
from the right and size-1 dims stretch; values follow the same MXNet rules as the same-shape ops
of elemwise.py, and gradients are summed back over the stretched axes.
"""
import functools

import jax.numpy as jnp

from ..base import MXNetError
from ..ops_registry import Int, OpDef, Param, add, onnx_form, register
from .elemwise import BINARY, ONNX_BINARY, ZERO_GRADIENT, binary_onnx, integer_binary_backward
from .integer_rules import float64_vjp
from .rules import same_shape

BROADCAST = {
    # op name: (the same-shape op whose values it computes, aliases)
    'broadcast_add': ('elemwise_add',
                      ('_sparse_broadcast_add', '_sparse_broadcast_plus', 'broadcast_plus')),
    'broadcast_sub': ('elemwise_sub',
                      ('_sparse_broadcast_minus', '_sparse_broadcast_sub', 'broadcast_minus')),
    'broadcast_mul': ('elemwise_mul', ('_sparse_broadcast_mul',)),
    'broadcast_div': ('elemwise_div', ('_sparse_broadcast_div',)),
    'broadcast_mod': ('_mod', ()),
    'broadcast_power': ('_power', ()),
    'broadcast_maximum': ('_maximum', ()),
    'broadcast_minimum': ('_minimum', ()),
    'broadcast_hypot': ('_hypot', ()),
    'broadcast_equal': ('_equal', ()),
    'broadcast_not_equal': ('_not_equal', ()),
    'broadcast_greater': ('_greater', ()),
    'broadcast_greater_equal': ('_greater_equal', ()),
    'broadcast_lesser': ('_lesser', ()),
    'broadcast_lesser_equal': ('_lesser_equal', ()),
    'broadcast_logical_and': ('_logical_and', ()),
    'broadcast_logical_or': ('_logical_or', ()),
    'broadcast_logical_xor': ('_logical_xor', ()),
}


def _shape_text(shape):
    return '[%s]' % ','.join(str(d) for d in shape)


def broadcast_shape(params, in_shapes, out_shapes, input_names):
    """MXNet's broadcast rule: the output waits for both input shapes and never fills them in.

    Dims align from the right, a missing or size-1 dim stretches to the other, and an unknown
    dim (0) on either side leaves that output dim unknown.
    """
    lhs, rhs = in_shapes
    if lhs is None or rhs is None:
        return in_shapes, out_shapes
    if lhs == rhs:
        return in_shapes, [lhs]
    ndim = max(len(lhs), len(rhs))
    out = []
    for axis, (left, right) in enumerate(zip((1,) * (ndim - len(lhs)) + tuple(lhs),
                                             (1,) * (ndim - len(rhs)) + tuple(rhs))):
        if not left or not right:
            out.append(0)
        elif left == right or right == 1:
            out.append(left)
        elif left == 1:
            out.append(right)
        else:
            raise MXNetError('operands could not be broadcast together with shapes %s %s: '
                             'lhs %s and rhs %s differ in axis %d (%d vs %d), where one of '
                             'them must be 1' % (_shape_text(lhs), _shape_text(rhs), tuple(lhs),
                                                 tuple(rhs), axis, left, right))
    return in_shapes, [tuple(out)]


def _broadcast_compute(function):
    def compute(params, ctx, lhs, rhs):
        return (function(*jnp.broadcast_arrays(lhs, rhs)),)
    return compute


for _name, (_same_shape_op, _aliases) in BROADCAST.items():
    add(OpDef(_name, _broadcast_compute(BINARY[_same_shape_op][0]), inputs=('lhs', 'rhs'),
              aliases=_aliases, infer_shape=broadcast_shape,
              integer_backward=integer_binary_backward(_same_shape_op),
              nondiff_inputs=('lhs', 'rhs') if _same_shape_op in ZERO_GRADIENT else (),
              channels_last='elementwise'))


def _broadcast_onnx(g, params, lhs, rhs):
    """ONNX's binary ops broadcast as MXNet's broadcast_* ops do."""
    return binary_onnx(g, BROADCAST[g.node.op.name][0], lhs, rhs)


onnx_form(*[name for name, (same, _) in BROADCAST.items()
            if same in ONNX_BINARY or same == '_not_equal'])(_broadcast_onnx)


@register('add_n', aliases=('ElementWiseSum', '_sparse_ElementWiseSum', '_sparse_add_n'),
          variadic='num_args', params={'num_args': Param(Int(lower=1))}, infer_shape=same_shape,
          integer_backward=float64_vjp(), channels_last='elementwise')
def add_n(params, ctx, *args):
    """The sum of any number of same-shape inputs."""
    return (functools.reduce(jnp.add, args),)
