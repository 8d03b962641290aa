"""Elementwise unary math: one input, same shape, MXNet's dtype and rounding rules."""
import jax.numpy as jnp

from ..ops_registry import OpDef, add
from .rules import same_shape


def _unary(fn):
    def compute(params, ctx, data):
        return (fn(data),)
    return compute


UNARY = {
    'abs': (jnp.abs, ('_sparse_abs',)),
    'negative': (jnp.negative, ('_sparse_negative',)),
}

for _name, (_fn, _aliases) in UNARY.items():
    add(OpDef(_name, _unary(_fn), aliases=_aliases, infer_shape=same_shape))
