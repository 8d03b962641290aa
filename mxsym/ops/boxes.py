"""Bounding-box operators of detection models: IoU, non-maximum suppression, box coding for
training (box_encode and box_decode, SSD/Faster R-CNN style centre offsets) and greedy
bipartite matching of a score matrix."""
import jax
import jax.numpy as jnp
import numpy as np

from ..base import MXNetError
from ..ops_registry import Bool, Enum, Float, Int, Param, register


# ---------------------------------------------------------------------------- box_iou
BOX_FORMATS = ('center', 'corner')


def _box_overlap_1d(a, b, format):
    """Overlap length of two 1-D extents: (start, end) in 'corner', (centre, length) in
    'center'; 0 when they are apart."""
    (a1, a2), (b1, b2) = a, b
    if format == 'center':
        a1, a2 = a1 - a2 / 2, a1 + a2 / 2
        b1, b2 = b1 - b2 / 2, b1 + b2 / 2
    width = jnp.minimum(a2, b2) - jnp.maximum(a1, b1)
    return jnp.where(width > 0, width, 0)


def box_area(box, format):
    """Area of (.., 4) boxes; 0 for boxes with a negative side."""
    if format == 'corner':
        width, height = box[..., 2] - box[..., 0], box[..., 3] - box[..., 1]
    else:
        width, height = box[..., 2], box[..., 3]
    return jnp.where((width < 0) | (height < 0), 0, width * height)


def box_iou_matrix(lhs, rhs, format):
    """(L, R) intersection over union of boxes lhs (L, 4) and rhs (R, 4); 0 without overlap."""
    lhs, rhs = lhs[:, None, :], rhs[None, :, :]
    inter = (_box_overlap_1d((lhs[..., 0], lhs[..., 2]), (rhs[..., 0], rhs[..., 2]), format)
             * _box_overlap_1d((lhs[..., 1], lhs[..., 3]), (rhs[..., 1], rhs[..., 3]), format))
    union = box_area(lhs, format) + box_area(rhs, format) - inter
    return jnp.where(inter > 0, inter / jnp.where(inter > 0, union, 1), 0)


def _box_iou_shapes(params, in_shapes, out_shapes, input_names):
    lhs, rhs = in_shapes
    for name, shape in zip(('lhs', 'rhs'), (lhs, rhs)):
        if shape is not None and (len(shape) < 2 or shape[-1] != 4):
            raise MXNetError('box_iou: %s must have at least 2 dims and a last dim of 4, got %s'
                             % (name, shape))
    if lhs is None or rhs is None:
        return in_shapes, out_shapes
    return in_shapes, [tuple(lhs[:-1]) + tuple(rhs[:-1])]


@register('_contrib_box_iou', inputs=('lhs', 'rhs'),
          params={'format': Param(Enum(*BOX_FORMATS), 'corner')},
          infer_shape=_box_iou_shapes, nondiff_inputs=('lhs', 'rhs'))
def box_iou(params, ctx, lhs, rhs):
    """Pairwise IoU of every box of lhs (.., 4) with every box of rhs (.., 4), shaped
    lhs.shape[:-1] + rhs.shape[:-1]; MXNet gives both inputs a zero gradient."""
    lhs, rhs = jax.lax.stop_gradient(lhs), jax.lax.stop_gradient(rhs)
    iou = box_iou_matrix(lhs.reshape(-1, 4), rhs.reshape(-1, 4), params.format)
    return (iou.reshape(lhs.shape[:-1] + rhs.shape[:-1]),)


# ---------------------------------------------------------------------------- box_nms
def _convert_boxes(boxes, in_format, out_format):
    """Boxes (.., 4) re-encoded; MXNet leaves a box alone when its first value is negative
    (the -1 filler rows, but also kept boxes left of 0)."""
    if in_format == out_format:
        return boxes
    a, b, c, d = (boxes[..., i] for i in range(4))
    if out_format == 'center':
        converted = jnp.stack([(a + c) / 2, (b + d) / 2, c - a, d - b], axis=-1)
    else:
        half_w, half_h = c / 2, d / 2
        converted = jnp.stack([a - half_w, b - half_h, a + half_w, b + half_h], axis=-1)
    return jnp.where(boxes[..., :1] < 0, boxes, converted)


def _nms_one(params, data, topk):
    """Greedy NMS of one batch item (N, W): (output rows, kept source indices or -1)."""
    num, width = data.shape
    score = data[:, params.score_index]
    valid = score > jnp.asarray(params.valid_thresh, data.dtype)
    if params.id_index >= 0:
        valid &= data[:, params.id_index] != params.background_id
    order = jnp.lexsort((-score, ~valid))[:topk]
    candidates = data[order]
    active = valid[order]
    boxes = candidates[:, params.coord_start:params.coord_start + 4]
    iou = box_iou_matrix(boxes, boxes, params.in_format)
    overlapping = iou > np.float32(params.overlap_thresh)
    if params.id_index >= 0 and not params.force_suppress:
        classes = candidates[:, params.id_index].astype(jnp.int32)
        overlapping &= classes[:, None] == classes[None, :]
    later = jnp.arange(topk)[None, :] > jnp.arange(topk)[:, None]
    suppresses = overlapping & later

    def visit(ref, keep):
        return keep & ~(keep[ref] & suppresses[ref])
    keep = jax.lax.fori_loop(0, topk, visit, active)
    slot = jnp.where(keep, jnp.cumsum(keep) - 1, num)
    out = jnp.full((num, width), -1, data.dtype).at[slot].set(candidates, mode='drop')
    source = jnp.full((num,), -1, jnp.int32).at[slot].set(order.astype(jnp.int32), mode='drop')
    return out, source


def _nms_forward(params, data, topk):
    """(output, record) for data (B, N, W); record holds each output row's flat source index
    into B*N in data's dtype, -1 for filler rows."""
    batch, num, width = data.shape
    out, source = jax.vmap(lambda item: _nms_one(params, item, topk))(data)
    flat_source = jnp.where(source >= 0, source + num * jnp.arange(batch)[:, None], -1)
    start = params.coord_start
    converted = _convert_boxes(out[..., start:start + 4], params.in_format, params.out_format)
    out = jnp.concatenate([out[..., :start], converted, out[..., start + 4:]], axis=-1)
    return out, flat_source.astype(data.dtype)[..., None]


def box_nms_core(params, data):
    """box_nms on data (B, N, W). The gradient copies each output row's head gradient back to
    its source row, without the format conversion's Jacobian, as MXNet does."""
    batch, num, width = data.shape
    topk = num if params.topk < 0 else min(num, params.topk)
    if topk < 1:
        return data, jnp.arange(batch * num, dtype=data.dtype).reshape(batch, num, 1)

    @jax.custom_vjp
    def run(data):
        return _nms_forward(params, data, topk)

    def run_fwd(data):
        result = _nms_forward(params, data, topk)
        return result, result[1]

    def run_bwd(record, grads):
        source = record.reshape(-1).astype(jnp.int32)
        target = jnp.where(source >= 0, source, batch * num)
        flat = jnp.zeros((batch * num, width), grads[0].dtype).at[target].set(
            grads[0].reshape(-1, width), mode='drop')
        return (flat.reshape(batch, num, width),)
    run.defvjp(run_fwd, run_bwd)
    return run(data)


def _box_nms_shapes(params, in_shapes, out_shapes, input_names):
    data = in_shapes[0] if in_shapes[0] is not None else out_shapes[0]
    if data is None:
        return in_shapes, out_shapes
    if len(data) < 2:
        raise MXNetError('box_nms: input must have dim >= 2, got %s' % (data,))
    width = data[-1]
    low, high = params.coord_start, params.coord_start + 3
    needed = 6 if params.id_index >= 0 else 5
    if width < needed or not 0 <= params.score_index < width or low <= params.score_index <= high \
            or low < 0 or high >= width or (params.id_index >= 0 and (
                params.id_index >= width or low <= params.id_index <= high
                or params.id_index == params.score_index)):
        raise MXNetError('box_nms: score_index, coord_start and id_index do not fit rows of '
                         'width %d' % width)
    return [tuple(data)], [tuple(data), tuple(data[:-1]) + (1,)]


@register('_contrib_box_nms', unnamed_inputs=True,
          aliases=('_contrib_box_non_maximum_suppression',),
          outputs=('output0', 'output1'), num_visible=lambda params: 1,
          params={'overlap_thresh': Param(Float(), 0.5), 'valid_thresh': Param(Float(), 0.0),
                  'topk': Param(Int(), -1), 'coord_start': Param(Int(), 2),
                  'score_index': Param(Int(), 1), 'id_index': Param(Int(), -1),
                  'background_id': Param(Int(), -1), 'force_suppress': Param(Bool(), False),
                  'in_format': Param(Enum(*BOX_FORMATS), 'corner'),
                  'out_format': Param(Enum(*BOX_FORMATS), 'corner')},
          infer_shape=_box_nms_shapes)
def box_nms(params, ctx, data):
    """Non-maximum suppression over the boxes (rows) of data (.., N, W): rows with a score
    above valid_thresh (and a class other than background_id) are sorted by score, the best
    topk kept, and each suppresses later ones of its class (any class with force_suppress)
    overlapping it by IoU > overlap_thresh. Survivors come first, the rest is -1. Hidden
    output: each row's source index (for the gradient)."""
    shape = data.shape
    batch = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    out, record = box_nms_core(params, data.reshape(batch, shape[-2], shape[-1]))
    return out.reshape(shape), record.reshape(shape[:-1] + (1,))


# ---------------------------------------------------------------------------- box coding
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


@register('_contrib_bipartite_matching', unnamed_inputs=True, outputs=('output0', 'output1'),
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
