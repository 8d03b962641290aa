"""Transformer attention operators: the interleaved query/key/value matmuls of fused
multi-head attention, and the 1/sqrt(d) scaling."""
import jax.numpy as jnp
import numpy as np

from ..base import MXNetError
from ..ops_registry import Int, Param, onnx_form, register

HEADS = {'heads': Param(Int())}


def _check_rank(op_name, **arrays):
    for name, array in arrays.items():
        if array.ndim != 3:
            raise MXNetError('%s: %s must be 3-D (seq_length, batch, projection), got shape %s'
                             % (op_name, name, array.shape))


def _split_heads(array, heads, parts):
    """(L, B, heads * parts * D) -> `parts` arrays (B * heads, L, D): each head's slice holds
    its query/key/value rows side by side, batch-major then head."""
    length, batch, width = array.shape
    split = array.reshape(length, batch * heads, parts, width // (heads * parts))
    return [jnp.transpose(split[:, :, part], (1, 0, 2)) for part in range(parts)]


def _merge_heads(array, batch):
    """(B * heads, L, D) -> (L, B, heads * D)."""
    groups, length, depth = array.shape
    return jnp.transpose(array, (1, 0, 2)).reshape(length, batch, groups // batch * depth)


def _scaled_scores(queries, keys):
    """(B * heads, Lq, Lk) dot products of queries and keys times 1/sqrt(head depth), the
    scale taken in float32 as MXNet does."""
    scale = np.float32(1) / np.sqrt(np.float32(queries.shape[-1]))
    return jnp.einsum('gqd,gkd->gqk', queries, keys) * jnp.asarray(scale, queries.dtype)


@register('_contrib_interleaved_matmul_selfatt_qk', inputs=('queries_keys_values',),
          params=HEADS)
def interleaved_matmul_selfatt_qk(params, ctx, queries_keys_values):
    """Self-attention scores (B * heads, L, L) from projections (L, B, 3 * E) that hold each
    head's query, key and value rows in turn; scaled by 1/sqrt(E / heads)."""
    _check_rank('interleaved_matmul_selfatt_qk', queries_keys_values=queries_keys_values)
    queries, keys, _ = _split_heads(queries_keys_values, params.heads, 3)
    return (_scaled_scores(queries, keys),)


@register('_contrib_interleaved_matmul_selfatt_valatt',
          inputs=('queries_keys_values', 'attention'), params=HEADS)
def interleaved_matmul_selfatt_valatt(params, ctx, queries_keys_values, attention):
    """Attention (B * heads, L, L) applied to the values of interleaved projections
    (L, B, 3 * E): (L, B, E)."""
    _check_rank('interleaved_matmul_selfatt_valatt', queries_keys_values=queries_keys_values,
                attention=attention)
    _, _, values = _split_heads(queries_keys_values, params.heads, 3)
    return (_merge_heads(jnp.einsum('gqk,gkd->gqd', attention, values),
                         queries_keys_values.shape[1]),)


@register('_contrib_interleaved_matmul_encdec_qk', inputs=('queries', 'keys_values'),
          params=HEADS)
def interleaved_matmul_encdec_qk(params, ctx, queries, keys_values):
    """Encoder-decoder attention scores (B * heads, Lq, Lk) from queries (Lq, B, E) and keys
    interleaved with values (Lk, B, 2 * E); scaled by 1/sqrt(E / heads)."""
    _check_rank('interleaved_matmul_encdec_qk', queries=queries, keys_values=keys_values)
    if keys_values.shape[2] != 2 * queries.shape[2] or keys_values.shape[1] != queries.shape[1]:
        raise MXNetError('interleaved_matmul_encdec_qk: keys_values %s must be (Lk, %d, %d) for '
                         'queries %s' % (keys_values.shape, queries.shape[1],
                                         2 * queries.shape[2], queries.shape))
    (query_heads,) = _split_heads(queries, params.heads, 1)
    keys, _ = _split_heads(keys_values, params.heads, 2)
    return (_scaled_scores(query_heads, keys),)


@register('_contrib_interleaved_matmul_encdec_valatt', inputs=('keys_values', 'attention'),
          params=HEADS)
def interleaved_matmul_encdec_valatt(params, ctx, keys_values, attention):
    """Attention (B * heads, Lq, Lk) applied to the values of keys_values (Lk, B, 2 * E):
    (Lq, B, E)."""
    _check_rank('interleaved_matmul_encdec_valatt', keys_values=keys_values,
                attention=attention)
    _, values = _split_heads(keys_values, params.heads, 2)
    return (_merge_heads(jnp.einsum('gqk,gkd->gqd', attention, values), keys_values.shape[1]),)


@register('_contrib_div_sqrt_dim', unnamed_inputs=True)
def div_sqrt_dim(params, ctx, data):
    """data / sqrt(data.shape[-1]), the divisor rounded to data's dtype."""
    return (data / jnp.asarray(np.sqrt(np.float64(data.shape[-1])), data.dtype),)


# ---------------------------------------------------------------------------- ONNX forms
def _split_heads_onnx(g, array, width, heads, parts):
    """`_split_heads` in ONNX: `parts` values (B * heads, L, D) of an (L, B, width) value."""
    split = g.op('Reshape', array, g.ints([0, -1, parts, width // (heads * parts)]))
    return [g.op('Transpose', g.op('Gather', split, g.const(part, np.int64), axis=2),
                 perm=[1, 0, 2]) for part in range(parts)]


def _scaled_scores_onnx(g, queries, keys, depth):
    scale = np.float32(1) / np.sqrt(np.float32(depth))
    scores = g.op('MatMul', queries, g.op('Transpose', keys, perm=[0, 2, 1]))
    return g.op('Mul', scores, g.const(scale, g.in_dtypes[0]))


def _merge_heads_onnx(g, array, width):
    """`_merge_heads` in ONNX: (B * heads, L, D) -> (L, B, width)."""
    return g.op('Reshape', g.op('Transpose', array, perm=[1, 0, 2]), g.ints([0, -1, width]))


@onnx_form('_contrib_interleaved_matmul_selfatt_qk')
def _selfatt_qk_onnx(g, params, queries_keys_values):
    width = g.in_shapes[0][2]
    queries, keys, _ = _split_heads_onnx(g, queries_keys_values, width, params.heads, 3)
    return _scaled_scores_onnx(g, queries, keys, width // (3 * params.heads))


@onnx_form('_contrib_interleaved_matmul_selfatt_valatt')
def _selfatt_valatt_onnx(g, params, queries_keys_values, attention):
    width = g.in_shapes[0][2]
    _, _, values = _split_heads_onnx(g, queries_keys_values, width, params.heads, 3)
    return _merge_heads_onnx(g, g.op('MatMul', attention, values), width // 3)


@onnx_form('_contrib_interleaved_matmul_encdec_qk')
def _encdec_qk_onnx(g, params, queries, keys_values):
    width = g.in_shapes[0][2]
    (query_heads,) = _split_heads_onnx(g, queries, width, params.heads, 1)
    keys, _ = _split_heads_onnx(g, keys_values, 2 * width, params.heads, 2)
    return _scaled_scores_onnx(g, query_heads, keys, width // params.heads)


@onnx_form('_contrib_interleaved_matmul_encdec_valatt')
def _encdec_valatt_onnx(g, params, keys_values, attention):
    width = g.in_shapes[0][2]
    _, values = _split_heads_onnx(g, keys_values, width, params.heads, 2)
    return _merge_heads_onnx(g, g.op('MatMul', attention, values), width // 2)


@onnx_form('_contrib_div_sqrt_dim')
def _div_sqrt_dim_onnx(g, params, data):
    divisor = np.asarray(np.sqrt(np.float64(g.in_shapes[0][-1])), g.in_dtypes[0])
    return g.op('Div', data, g.const(divisor))
