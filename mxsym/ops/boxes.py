"""Box coding and matching for detection training: box_encode and box_decode (SSD/Faster R-CNN
style centre offsets) and greedy bipartite matching of a score matrix."""
import jax
import jax.numpy as jnp
import numpy as np

from ..base import MXNetError
from ..ops_registry import Bool, Enum, Float, Int, Param, register


def _centre_form(boxes):
    """(x, y, width, height) of corner boxes (.., 4)."""
    width = boxes[..., 2] - boxes[..., 0]
    height = boxes[..., 3] - boxes[..., 1]
    return boxes[..., 0] + width * 0.5, boxes[..., 1] + height * 0.5, width, height


def _check_last_dim(op_name, **shapes):
    for name, shape in shapes.items():
        if shape is not None and (len(shape) < 3 or shape[-1] != 4):
            raise MXNetError('%s: %s must have at least 3 dims and a last dim of 4, got %s'
                             % (op_name, name, shape))


# ---------------------------------------------------------------------------- box_encode
def _box_encode_shapes(params, in_shapes, out_shapes, input_names):
    samples, matches, anchors, refs, means, stds = in_shapes
    _check_last_dim('box_encode', anchors=anchors, refs=refs)
    for name, shape in (('samples', samples), ('matches', matches)):
        if shape is not None and len(shape) != 2:
            raise MXNetError('box_encode: %s must be 2-D (batch, anchors), got %s' % (name, shape))
    in_shapes = [samples, matches, anchors, refs, (4,), (4,)]
    return in_shapes, [anchors, anchors]


@register('_contrib_box_encode', outputs=('output0', 'output1'),
          inputs=('samples', 'matches', 'anchors', 'refs', 'means', 'stds'),
          infer_shape=_box_encode_shapes,
          nondiff_inputs=('samples', 'matches', 'anchors', 'refs', 'means', 'stds'))
def box_encode(params, ctx, samples, matches, anchors, refs, means, stds):
    """Training targets (B, N, 4) of anchors (B, N, 4) for their matched reference boxes
    refs[b, matches[b, n]] (corner boxes): centre offsets over the anchor size and log size
    ratios, less means, over stds; zero where samples <= 0.5, which also gives the mask.
    Every input gets a zero gradient."""
    samples, matches, anchors, refs, means, stds = (
        jax.lax.stop_gradient(x) for x in (samples, matches, anchors, refs, means, stds))
    index = matches.astype(jnp.int64)
    matched = jnp.take_along_axis(refs, index[..., None], axis=1, mode='clip')
    ref_x, ref_y, ref_w, ref_h = _centre_form(matched)
    anchor_x, anchor_y, anchor_w, anchor_h = _centre_form(anchors)
    encoded = jnp.stack([(ref_x - anchor_x) / anchor_w, (ref_y - anchor_y) / anchor_h,
                         jnp.log(ref_w / anchor_w), jnp.log(ref_h / anchor_h)], axis=-1)
    valid = (samples > 0.5)[..., None]
    targets = jnp.where(valid, (encoded - means) / stds, 0).astype(anchors.dtype)
    masks = jnp.broadcast_to(valid, anchors.shape).astype(anchors.dtype)
    return targets, masks


# ---------------------------------------------------------------------------- box_decode
def _box_decode_shapes(params, in_shapes, out_shapes, input_names):
    data, anchors = in_shapes
    if data is not None and (len(data) != 3 or data[-1] != 4):
        raise MXNetError('box_decode: data must be (batch, anchors, 4), got %s' % (data,))
    _check_last_dim('box_decode', anchors=anchors)
    return in_shapes, [data]


@register('_contrib_box_decode', inputs=('data', 'anchors'),
          params={'std0': Param(Float(), 1.0), 'std1': Param(Float(), 1.0),
                  'std2': Param(Float(), 1.0), 'std3': Param(Float(), 1.0),
                  'clip': Param(Float(), -1.0),
                  'format': Param(Enum('center', 'corner'), 'center')},
          infer_shape=_box_decode_shapes, nondiff_inputs=('data', 'anchors'))
def box_decode(params, ctx, data, anchors):
    """Corner boxes (B, N, 4) from offsets data (B, N, 4) relative to anchors (1, N, 4) given
    in `format`: centre moved by offset * std * anchor size, size scaled by
    exp(offset * std), the log scale capped at clip when clip > 0. Zero gradients."""
    data, anchors = jax.lax.stop_gradient(data), jax.lax.stop_gradient(anchors)
    dtype = data.dtype
    anchors = anchors.reshape(-1, data.shape[1], 4)[:1]
    if params.format == 'corner':
        anchor_x, anchor_y, anchor_w, anchor_h = _centre_form(anchors)
    else:
        anchor_x, anchor_y, anchor_w, anchor_h = (anchors[..., i] for i in range(4))
    std = [jnp.asarray(np.float32(s), dtype) for s in
           (params.std0, params.std1, params.std2, params.std3)]
    centre_x = data[..., 0] * std[0] * anchor_w + anchor_x
    centre_y = data[..., 1] * std[1] * anchor_h + anchor_y
    log_w, log_h = data[..., 2] * std[2], data[..., 3] * std[3]
    if params.clip > 0:
        clip = jnp.asarray(np.float32(params.clip), dtype)
        log_w, log_h = jnp.minimum(log_w, clip), jnp.minimum(log_h, clip)
    half_w = jnp.exp(log_w) * anchor_w * 0.5
    half_h = jnp.exp(log_h) * anchor_h * 0.5
    return (jnp.stack([centre_x - half_w, centre_y - half_h, centre_x + half_w,
                       centre_y + half_h], axis=-1).astype(dtype),)


# ---------------------------------------------------------------------------- bipartite_matching
def _matching_one(params, scores):
    """(row matches (R,), column matches (C,)) of one (R, C) score matrix, -1 where unmatched.

    Entries are visited best score first; an entry whose row and column are both free is
    matched when its score passes threshold, and the first free one that fails ends the
    search, as does exceeding topk matches (MXNet stops after the (topk + 1)-th)."""
    rows, cols = scores.shape
    flat = scores.reshape(-1)
    order = jnp.argsort(flat if params.is_ascend else -flat, stable=True).astype(jnp.int32)
    threshold = np.float32(params.threshold)

    def visit(step, state):
        row_match, col_match, count, done = state
        entry = order[step]
        row, col = entry // cols, entry % cols
        free = (row_match[row] < 0) & (col_match[col] < 0) & ~done
        score = flat[entry]
        passes = score < threshold if params.is_ascend else score > threshold
        take = free & passes
        row_match = row_match.at[row].set(jnp.where(take, col, row_match[row]))
        col_match = col_match.at[col].set(jnp.where(take, row, col_match[col]))
        count = count + take
        done = done | (free & ~passes)
        if params.topk > 0:
            done = done | (count > params.topk)
        return row_match, col_match, count, done

    start = (jnp.full((rows,), -1, jnp.int32), jnp.full((cols,), -1, jnp.int32),
             jnp.int32(0), jnp.bool_(False))
    row_match, col_match, _, _ = jax.lax.fori_loop(0, rows * cols, visit, start)
    return row_match, col_match


def _matching_shapes(params, in_shapes, out_shapes, input_names):
    data = in_shapes[0]
    if data is None:
        return in_shapes, out_shapes
    if len(data) < 2:
        raise MXNetError('bipartite_matching: the score matrix needs at least 2 dims, got %s'
                         % (data,))
    return in_shapes, [tuple(data[:-1]), tuple(data[:-2]) + (data[-1],)]


@register('_contrib_bipartite_matching', outputs=('output0', 'output1'),
          params={'is_ascend': Param(Bool(), False), 'threshold': Param(Float()),
                  'topk': Param(Int(), -1)},
          infer_shape=_matching_shapes, nondiff_inputs=('data',))
def bipartite_matching(params, ctx, data):
    """Greedy matching of the rows and columns of score matrices data (.., R, C), best score
    first (highest, or lowest with is_ascend): the column matched to each row (.., R) and the
    row matched to each column (.., C), -1 for none, in data's dtype. Zero gradient."""
    data = jax.lax.stop_gradient(data)
    rows, cols = data.shape[-2:]
    flat = data.reshape(-1, rows, cols)
    row_match, col_match = jax.vmap(lambda scores: _matching_one(params, scores))(flat)
    return (row_match.astype(data.dtype).reshape(data.shape[:-1]),
            col_match.astype(data.dtype).reshape(data.shape[:-2] + (cols,)))
