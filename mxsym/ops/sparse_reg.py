"""IdentityAttachKLSparseReg: an identity whose backward adds a sparseness penalty.

Placed after a sigmoid, it pushes each unit's mean activation towards `sparseness_target`: the
backward adds ``penalty * (-target / avg + (1 - target) / (1 - avg))`` to the head gradient,
the derivative of the KL divergence between the target and the unit's moving average of its
mean activation (the aux state `moving_avg`, updated by each training step).
"""
import functools

import jax
import jax.numpy as jnp
import numpy as np

from ..base import MXNetError
from ..ops_registry import Float, Param, register


@functools.partial(jax.custom_vjp, nondiff_argnums=(2, 3))
def _identity_with_penalty(data, moving_avg, target, penalty):
    return data


def _identity_with_penalty_fwd(data, moving_avg, target, penalty):
    return data, moving_avg


def _identity_with_penalty_bwd(target, penalty, moving_avg, head):
    term = penalty * (-target / moving_avg + (1 - target) / (1 - moving_avg))
    return head + term.astype(head.dtype), jnp.zeros_like(moving_avg)


_identity_with_penalty.defvjp(_identity_with_penalty_fwd, _identity_with_penalty_bwd)


def _sparse_reg_shapes(params, in_shapes, out_shapes, input_names):
    """The output has data's shape; moving_avg one entry per unit (data's second axis)."""
    data = in_shapes[0] or out_shapes[0]
    if data is None:
        return in_shapes, out_shapes
    if len(data) < 2:
        raise MXNetError('data must have at least 2 dimensions (batch, units), got %s'
                         % (data,))
    return [data, data[1:2]], [data]


def _float32_only(params, in_types, out_types):
    """MXNet's kernel runs in float32 only."""
    for dtype in list(in_types) + list(out_types):
        if dtype not in (None, 'float32'):
            raise MXNetError('IdentityAttachKLSparseReg supports float32 only, got %s' % dtype)
    return ['float32'] * len(in_types), ['float32']


@register('IdentityAttachKLSparseReg', inputs=('data', 'moving_avg'), aux=('moving_avg',),
          reads_mode=True,
          params={'sparseness_target': Param(Float(0, 1), 0.1),
                  'penalty': Param(Float(), 0.001), 'momentum': Param(Float(0, 1), 0.9)},
          input_var_attrs={'moving_avg': {'__init__': '["zero", {}]'}},
          infer_shape=_sparse_reg_shapes, infer_type=_float32_only)
def identity_attach_kl_sparse_reg(params, ctx, data, moving_avg):
    """data unchanged. Training also updates moving_avg by momentum towards the mean of each
    unit over the rows of data flattened to 2-D (units on its last axis, as MXNet flattens),
    and the backward adds the penalty at the updated average."""
    if not ctx.is_train:
        return (data,), (moving_avg,)
    rows = data.reshape(-1, data.shape[-1])
    if rows.shape[1] != moving_avg.shape[0]:
        raise MXNetError('IdentityAttachKLSparseReg: data %s flattens to %d units per row but '
                         'moving_avg has %d; MXNet runs it on 2-D data'
                         % (data.shape, rows.shape[1], moving_avg.shape[0]))
    momentum = np.float32(params.momentum)
    mean = jax.lax.stop_gradient(jnp.mean(rows, axis=0))
    updated = momentum * moving_avg + (1 - momentum) * mean
    out = _identity_with_penalty(data, updated, np.float32(params.sparseness_target),
                                 np.float32(params.penalty))
    return (out,), (updated,)
