"""Region proposal layers of Faster R-CNN: Proposal and MultiProposal turn a region proposal
network's anchor scores and box deltas into each image's best boxes after non-maximum
suppression."""
import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from ..base import MXNetError
from ..ops_registry import Bool, Float, Int, Param, register
from .contrib import FloatTuple, float32_only

PROPOSAL_PARAMS = {
    'rpn_pre_nms_top_n': Param(Int(), 6000), 'rpn_post_nms_top_n': Param(Int(), 300),
    'threshold': Param(Float(), 0.7), 'rpn_min_size': Param(Int(), 16),
    'scales': Param(FloatTuple(), (4.0, 8.0, 16.0, 32.0)),
    'ratios': Param(FloatTuple(), (0.5, 1.0, 2.0)), 'feature_stride': Param(Int(), 16),
    'output_score': Param(Bool(), False), 'iou_loss': Param(Bool(), False)}

F32 = np.float32


def base_anchors(params):
    """(A, 4) float32 anchors around the first cell, every scale for each ratio in turn, in
    MXNet's float32 steps: a stride-sized square reshaped to the ratio (its area kept,
    sides rounded), then scaled."""
    side = F32(params.feature_stride)
    center = F32(0.5 * (float(side) - 1.0))
    corners = []
    for ratio in params.ratios:
        for scale in params.scales:
            ratio, scale = F32(ratio), F32(scale)
            width = np.floor(np.sqrt(np.floor(side * side / ratio)) + F32(0.5)) * scale
            height = np.floor(width / scale * ratio + F32(0.5)) * scale
            half_w, half_h = F32(0.5) * (width - F32(1)), F32(0.5) * (height - F32(1))
            corners.append([center - half_w, center - half_h, center + half_w, center + half_h])
    return np.array(corners, np.float32)


def shifted_anchors(params, height, width):
    """(H * W * A, 4) anchors of every cell, cell-major as MXNet orders them."""
    stride = params.feature_stride
    cols, rows = np.meshgrid(np.arange(width) * stride, np.arange(height) * stride)
    shifts = np.stack([cols, rows, cols, rows], -1).astype(np.float32)      # (H, W, 4)
    return (base_anchors(params)[None, None] + shifts[:, :, None]).reshape(-1, 4)


def _decode_deltas(params, anchors, deltas, im_height, im_width):
    """Boxes (count, 4) from anchors and deltas (count, 4), clipped to the image: shifted and
    rescaled centre and size, or (iou_loss) corners moved by the deltas. MXNet's C++ takes
    `centre - 0.5 * (size - 1.0)` in double before rounding to float, so do we."""
    if params.iou_loss:
        boxes = anchors + deltas
    else:
        x1, y1, x2, y2 = anchors.T
        widths, heights = x2 - x1 + F32(1), y2 - y1 + F32(1)
        ctr_x = (x1.astype(np.float64) + 0.5 * (widths.astype(np.float64) - 1.0)).astype(F32)
        ctr_y = (y1.astype(np.float64) + 0.5 * (heights.astype(np.float64) - 1.0)).astype(F32)
        pred_x = deltas[:, 0] * widths + ctr_x
        pred_y = deltas[:, 1] * heights + ctr_y
        half_w = 0.5 * ((jnp.exp(deltas[:, 2]) * widths).astype(jnp.float64) - 1.0)
        half_h = 0.5 * ((jnp.exp(deltas[:, 3]) * heights).astype(jnp.float64) - 1.0)
        pred_x, pred_y = pred_x.astype(jnp.float64), pred_y.astype(jnp.float64)
        boxes = jnp.stack([pred_x - half_w, pred_y - half_h, pred_x + half_w, pred_y + half_h],
                          -1).astype(jnp.float32)
    limits = jnp.stack([im_width, im_height, im_width, im_height]) - F32(1)
    return jnp.maximum(jnp.minimum(boxes, limits), F32(0))


def _suppress(boxes, threshold, limit):
    """Greedy NMS over score-sorted boxes (n, 4) with MXNet's +1 pixel areas, stopping after
    `limit` survivors: (kept positions (limit,), how many were kept)."""
    num = boxes.shape[0]
    x1, y1, x2, y2 = boxes.T
    areas = (x2 - x1 + F32(1)) * (y2 - y1 + F32(1))
    positions = jnp.arange(num)

    def unfinished(state):
        index, kept, _, _ = state
        return (index < num) & (kept < limit)

    def visit(state):
        index, kept, suppressed, keep = state
        take = ~suppressed[index]
        across = jnp.maximum(F32(0), jnp.minimum(x2[index], x2) - jnp.maximum(x1[index], x1)
                             + F32(1))
        down = jnp.maximum(F32(0), jnp.minimum(y2[index], y2) - jnp.maximum(y1[index], y1)
                           + F32(1))
        inter = across * down
        overlap = inter / (areas[index] + areas - inter)
        suppressed |= take & (positions > index) & (overlap > threshold)
        keep = keep.at[kept].set(jnp.where(take, index, keep[kept]), mode='drop')
        return index + 1, kept + take.astype(jnp.int32), suppressed, keep
    state = (jnp.int32(0), jnp.int32(0), jnp.zeros(num, bool), jnp.zeros(limit, jnp.int32))
    _, kept, _, keep = lax.while_loop(unfinished, visit, state)
    return keep, kept


def _propose_one(params, anchors, scores, deltas, im_info):
    """One image's (post_nms_top_n, 4) boxes and (post_nms_top_n,) scores; scores (A, H, W),
    deltas (4A, H, W), im_info (3,) = [height, width, scale]."""
    num_anchors, height, width = scores.shape
    count = anchors.shape[0]
    pre_top = min(params.rpn_pre_nms_top_n if params.rpn_pre_nms_top_n > 0 else count, count)
    post_top = min(params.rpn_post_nms_top_n, pre_top)
    scores = jnp.transpose(scores, (1, 2, 0)).reshape(-1)
    deltas = jnp.transpose(deltas.reshape(num_anchors, 4, height, width), (2, 3, 0, 1))
    im_height, im_width, im_scale = im_info[0], im_info[1], im_info[2]
    boxes = _decode_deltas(params, anchors, deltas.reshape(-1, 4), im_height, im_width)
    stride = F32(params.feature_stride)
    cell_rows, cell_cols = (np.indices((height, width, num_anchors))[:2]
                            .reshape(2, -1).astype(np.float32))
    padded = ((cell_rows >= jnp.trunc(im_height / stride))
              | (cell_cols >= jnp.trunc(im_width / stride)))
    min_size = F32(params.rpn_min_size) * im_scale
    small = ((boxes[:, 2] - boxes[:, 0] + F32(1) < min_size)
             | (boxes[:, 3] - boxes[:, 1] + F32(1) < min_size))
    grow = jnp.array([-1, -1, 1, 1], np.float32) * (min_size / F32(2))
    boxes = jnp.where(small[:, None], boxes + grow, boxes)
    scores = jnp.where(padded | small, F32(-1), scores)
    order = jnp.argsort(-scores, stable=True)[:pre_top]
    boxes, scores = boxes[order], scores[order]
    keep, kept = _suppress(boxes, F32(params.threshold), post_top)
    rows = jnp.arange(params.rpn_post_nms_top_n)
    picked = keep[jnp.where(rows < kept, rows, rows % jnp.maximum(kept, 1))]
    return boxes[picked], scores[picked]


def _propose(params, cls_prob, bbox_pred, im_info):
    """(rois (B * post_nms_top_n, 5) = [image, x1, y1, x2, y2], scores (.., 1)) of a batch;
    an image with fewer survivors repeats them in turn to fill its rows."""
    batch, channels, height, width = cls_prob.shape
    num_anchors = channels // 2
    if num_anchors != len(params.scales) * len(params.ratios):
        raise MXNetError('cls_prob has %d channels, 2 per anchor, but scales %s and ratios %s '
                         'make %d anchors' % (channels, params.scales, params.ratios,
                                              len(params.scales) * len(params.ratios)))
    anchors = shifted_anchors(params, height, width)
    cls_prob, bbox_pred, im_info = (lax.stop_gradient(x) for x in (cls_prob, bbox_pred, im_info))
    boxes, scores = jax.vmap(lambda s, d, info: _propose_one(params, anchors, s, d, info))(
        cls_prob[:, num_anchors:], bbox_pred, im_info)
    images = jnp.broadcast_to(jnp.arange(batch, dtype=jnp.float32)[:, None, None],
                              boxes.shape[:2] + (1,))
    rois = jnp.concatenate([images, boxes], -1).reshape(-1, 5)
    return rois, scores.reshape(-1, 1)


def _proposal_input_shapes(params, in_shapes):
    """bbox_pred (B, 4A, H, W) and im_info (B, 3) from cls_prob (B, 2A, H, W)."""
    cls_prob = in_shapes[0]
    if cls_prob is None:
        return {}
    if len(cls_prob) != 4:
        raise MXNetError('cls_prob should be 4-D (batch, 2 * anchors, height, width), got %s'
                         % (tuple(cls_prob),))
    batch, channels, height, width = cls_prob
    return {'bbox_pred': (batch, channels * 2, height, width), 'im_info': (batch, 3)}


def _register_proposal(name, short_name):
    return register(name, inputs=('cls_prob', 'bbox_pred', 'im_info'),
                    outputs=('output', 'score'),
                    num_visible=lambda params: 2 if params.output_score else 1,
                    params=PROPOSAL_PARAMS, param_shapes=_proposal_input_shapes,
                    infer_type=float32_only(short_name),
                    nondiff_inputs=('cls_prob', 'bbox_pred', 'im_info'))


@_register_proposal('_contrib_MultiProposal', 'MultiProposal')
def multi_proposal(params, ctx, cls_prob, bbox_pred, im_info):
    """Region proposals of each image of a batch: anchors of scales x ratios on every cell of
    the feature_stride grid, moved by bbox_pred, clipped to im_info's [height, width], scored
    by cls_prob's second (foreground) half of channels, -1 for cells outside the image and for
    boxes narrower than rpn_min_size * scale (those also grow by it); the best
    rpn_pre_nms_top_n (stable by score) go through NMS at threshold, giving
    rpn_post_nms_top_n rows per image. Hidden output unless output_score: the scores."""
    return _propose(params, cls_prob, bbox_pred, im_info)


@_register_proposal('_contrib_Proposal', 'Proposal')
def proposal(params, ctx, cls_prob, bbox_pred, im_info):
    """MultiProposal of a batch of one image."""
    if cls_prob.shape[0] != 1:
        raise MXNetError('Proposal takes one image (a batch of 1), got a batch of %d; '
                         'MultiProposal takes several' % cls_prob.shape[0])
    return _propose(params, cls_prob, bbox_pred, im_info)
