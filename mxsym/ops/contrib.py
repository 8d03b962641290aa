"""Contrib operators used by Gluon models and detection examples: adaptive pooling, resizing,
ROIAlign, MultiBox prior/target/detection (box IoU and NMS live in boxes.py)."""
import ast

import jax
import jax.numpy as jnp
import numpy as np

from ..base import MXNetError
from ..ops_registry import (Bool, Enum, Float, Int, Optional, Param, ParamType, Shape, onnx_form,
                            register)


class FloatTuple(ParamType):
    """MXNet's ``tuple of <float>``: ``(0.1, 0.2)``, ``[1]`` or a bare number."""

    name = 'tuple of <float>'

    def parse(self, text):
        try:
            value = ast.literal_eval(text.strip() or '()')
            items = value if isinstance(value, (tuple, list)) else (value,)
            return tuple(float(item) for item in items)
        except Exception:
            raise ValueError('Invalid Parameter format for tuple of float: value=%r'
                             % text) from None


def _einsum_rows_cols(rows, data, cols):
    """data (N, C, H, W) mapped by rows (OH, H) and cols (OW, W) to (N, C, OH, OW)."""
    return jnp.einsum('oh,nchw,pw->ncop', rows.astype(data.dtype), data, cols.astype(data.dtype))


# ---------------------------------------------------------------------------- AdaptiveAvgPooling2D
def _adaptive_bins(size, out_size):
    """(out_size, size) averaging matrix: bin i covers [floor(i*size/out), ceil((i+1)*size/out))."""
    matrix = np.zeros((out_size, size), np.float64)
    for i in range(out_size):
        start = int(np.floor(np.float32(i * size) / np.float32(out_size)))
        end = int(np.ceil(np.float32((i + 1) * size) / np.float32(out_size)))
        matrix[i, start:end] = 1.0 / (end - start)
    return matrix


def _adaptive_output_size(params):
    size = params.output_size
    if len(size) == 1:
        return size[0], size[0]
    if len(size) == 2:
        return size
    return 1, 1


@register('_contrib_AdaptiveAvgPooling2D', unnamed_inputs=True,
          params={'output_size': Param(Shape(), ())})
def adaptive_avg_pooling_2d(params, ctx, data):
    """Average each of output_size (h, w) bins of an NCHW input; bins overlap when the input
    size is not a multiple of the output size."""
    out_h, out_w = _adaptive_output_size(params)
    rows = _adaptive_bins(data.shape[2], out_h)
    cols = _adaptive_bins(data.shape[3], out_w)
    return (_einsum_rows_cols(jnp.asarray(rows), data, jnp.asarray(cols)),)


def _rows_cols_onnx(g, rows, data, cols):
    """`_einsum_rows_cols` in ONNX: two matrix products by constant matrices."""
    dtype = g.in_dtypes[0]
    return g.op('MatMul', g.op('MatMul', g.const(rows, dtype), data), g.const(cols.T, dtype))


@onnx_form('_contrib_AdaptiveAvgPooling2D')
def _adaptive_avg_pooling_2d_onnx(g, params, data):
    out_h, out_w = _adaptive_output_size(params)
    if (out_h, out_w) == (1, 1):
        return g.op('GlobalAveragePool', data)
    height, width = g.in_shapes[0][2:]
    return _rows_cols_onnx(g, _adaptive_bins(height, out_h), data, _adaptive_bins(width, out_w))


# ---------------------------------------------------------------------------- BilinearResize2D
RESIZE_MODES = ('size', 'odd_scale', 'like', 'to_even_down', 'to_even_up', 'to_odd_down',
                'to_odd_up')


def _resized(params, size, like_size, axis):
    """MXNet's output size along one spatial axis (0: height, 1: width) for the mode."""
    scale = params.scale_height if axis == 0 else params.scale_width
    mode = params.mode
    # Mode 'size' tests scale_height for both axes, as MXNet does.
    if (mode == 'size' and params.scale_height is not None or mode == 'odd_scale') \
            and scale is None:
        raise MXNetError("BilinearResize2D: mode '%s' needs scale_height and scale_width"
                         % mode)
    if mode == 'size':
        if params.scale_height is not None:
            return int(np.float32(scale) * np.float32(size))
        return params.height if axis == 0 else params.width
    if mode == 'odd_scale':
        if size % 2 == 0:
            return int(np.float32(size) * np.float32(scale))
        return int(np.float32(size - 1) * np.float32(scale)) + 1
    if mode == 'like':
        return like_size
    even = size % 2 == 0
    step = {'to_even_down': (0, -1), 'to_even_up': (0, 1), 'to_odd_down': (-1, 0),
            'to_odd_up': (1, 0)}[mode]
    return size + step[0 if even else 1]


def _bilinear_matrix(size, out_size, align_corners, dtype):
    """(out_size, size) interpolation weights: source positions in float32 as MXNet computes
    them, the two weights of each in the data's dtype."""
    matrix = np.zeros((out_size, size), dtype)
    if out_size == size:
        return np.eye(size, dtype=dtype)
    if out_size > 1:
        scale = (np.float32(size - 1) / np.float32(out_size - 1) if align_corners
                 else np.float32(size) / np.float32(out_size))
    else:
        scale = np.float32(0)
    for i in range(out_size):
        if align_corners:
            source = scale * np.float32(i)
        else:
            source = max(np.float32(float(scale) * (i + 0.5) - 0.5), np.float32(0))
        low = int(source)
        step = 1 if low < size - 1 else 0
        upper = np.float32(source - np.float32(low)).astype(dtype)
        matrix[i, low] += dtype.type(1) - upper
        matrix[i, low + step] += upper
    return matrix


def _resize_used_inputs(params):
    return ('data', 'like') if params.mode == 'like' else ('data',)


def _resize_types(params, in_types, out_types):
    first = in_types[0] or out_types[0]
    return [first] + list(in_types[1:]), [first]


@register('_contrib_BilinearResize2D', inputs=('data', 'like'), used_inputs=_resize_used_inputs,
          params={'height': Param(Int(lower=1), 1), 'width': Param(Int(lower=1), 1),
                  'scale_height': Param(Optional(Float()), None),
                  'scale_width': Param(Optional(Float()), None),
                  'mode': Param(Enum(*RESIZE_MODES), 'size'),
                  'align_corners': Param(Bool(), True)},
          infer_type=_resize_types, nondiff_inputs=('like',))
def bilinear_resize_2d(params, ctx, data, like=None):
    """Bilinear resize of an NCHW input to the size the mode picks; align_corners maps corner
    pixel centres onto each other, otherwise pixel areas scale (source index clamped at 0)."""
    if data.ndim != 4:
        raise MXNetError('BilinearResize2D: data must be 4-D NCHW, got shape %s'
                         % (data.shape,))
    like_shape = like.shape[2:] if like is not None else (None, None)
    out_h = _resized(params, data.shape[2], like_shape[0], 0)
    out_w = _resized(params, data.shape[3], like_shape[1], 1)
    dtype = np.dtype(data.dtype)
    rows = _bilinear_matrix(data.shape[2], out_h, params.align_corners, dtype)
    cols = _bilinear_matrix(data.shape[3], out_w, params.align_corners, dtype)
    return (_einsum_rows_cols(jnp.asarray(rows), data, jnp.asarray(cols)),)


@onnx_form('_contrib_BilinearResize2D')
def _bilinear_resize_2d_onnx(g, params, data, like=None):
    (height, width), (out_h, out_w) = g.in_shapes[0][2:], g.out_shapes[0][2:]
    dtype = np.dtype(g.in_dtypes[0])
    return _rows_cols_onnx(g, _bilinear_matrix(height, out_h, params.align_corners, dtype), data,
                           _bilinear_matrix(width, out_w, params.align_corners, dtype))


# ---------------------------------------------------------------------------- ROIAlign
def _roi_align_axis(start, bin_size, grid, pooled, size, samples):
    """(pooled, size) summed bilinear weights of one axis's sample points.

    Bin p samples ``grid`` points ``start + p*bin + (i + .5)*bin/grid``; points outside
    [-1, size] weigh 0, the others are clamped into the image. Only `samples` consecutive
    points from the first one past -1 can land inside, so a fixed-size window covers them.
    """
    dtype = start.dtype
    bins = jnp.arange(pooled, dtype=dtype)[:, None]
    offsets = start + bins * bin_size
    spacing = bin_size / grid.astype(dtype)
    first = jnp.floor((-1 - offsets) / spacing - 0.5).astype(jnp.int32) - 1
    index = jnp.maximum(first, 0) + jnp.arange(samples)
    point = offsets + (index.astype(dtype) + 0.5) * bin_size / grid.astype(dtype)
    inside = (index < grid) & (point >= -1) & (point <= size)
    point = jnp.maximum(point, 0)
    low = point.astype(jnp.int32)
    at_edge = low >= size - 1
    low = jnp.where(at_edge, size - 1, low)
    high = jnp.where(at_edge, low, low + 1)
    upper = jnp.where(at_edge, 0, point - low.astype(dtype))
    lower = 1 - upper
    pixels = jnp.arange(size)
    weights = (jnp.where(pixels == low[..., None], lower[..., None], 0)
               + jnp.where(pixels == high[..., None], upper[..., None], 0))
    return jnp.sum(jnp.where(inside[..., None], weights, 0), axis=1).astype(dtype)


def _roi_align_one(params, data, roi):
    """(C', PH, PW) average of bilinear samples over each bin of one region of interest."""
    _, channels, height, width = data.shape
    pooled_h, pooled_w = params.pooled_size
    dtype = data.dtype
    scale = jnp.asarray(params.spatial_scale, dtype)
    shift = jnp.asarray(0.5 if params.aligned else 0, dtype)
    x1, y1, x2, y2 = (roi[i] * scale - shift for i in range(1, 5))
    roi_w, roi_h = x2 - x1, y2 - y1
    if not params.aligned:
        roi_w, roi_h = jnp.maximum(roi_w, 1), jnp.maximum(roi_h, 1)
    bin_h, bin_w = roi_h / pooled_h, roi_w / pooled_w
    if params.sample_ratio > 0:
        grid_h = grid_w = jnp.asarray(params.sample_ratio, jnp.int32)
        samples_h = samples_w = params.sample_ratio
    else:
        grid_h = jnp.ceil(roi_h / pooled_h).astype(jnp.int32)
        grid_w = jnp.ceil(roi_w / pooled_w).astype(jnp.int32)
        samples_h, samples_w = 2 * height + 6, 2 * width + 6
    rows = _roi_align_axis(y1, bin_h, grid_h, pooled_h, height, samples_h)
    cols = _roi_align_axis(x1, bin_w, grid_w, pooled_w, width, samples_w)
    count = (grid_h * grid_w).astype(dtype)
    image = data[jnp.maximum(roi[0].astype(jnp.int32), 0)]
    if params.position_sensitive:
        image = image.reshape(channels // (pooled_h * pooled_w), pooled_h, pooled_w, height,
                              width)
        pooled = jnp.einsum('ph,cpqhw,qw->cpq', rows, image, cols)
    else:
        pooled = jnp.einsum('ph,chw,qw->cpq', rows, image, cols)
    return jnp.where(roi[0] < 0, 0, pooled / count).astype(dtype)


@register('_contrib_ROIAlign', inputs=('data', 'rois'),
          params={'pooled_size': Param(Shape()), 'spatial_scale': Param(Float(0, 1)),
                  'sample_ratio': Param(Int(), -1), 'position_sensitive': Param(Bool(), False),
                  'aligned': Param(Bool(), False)},
          nondiff_inputs=('rois',))
def roi_align(params, ctx, data, rois):
    """Pool each region of interest of rois (R, 5) = [image index, x1, y1, x2, y2] (times
    spatial_scale) into pooled_size bins, each the mean of a grid of bilinear samples
    (sample_ratio per axis, or ceil(bin size) when -1). aligned shifts boxes by half a pixel
    (legacy boxes are at least 1 pixel wide); position_sensitive reads a separate channel
    group per bin. The rois get a zero gradient."""
    rois = jax.lax.stop_gradient(rois)
    return (jax.vmap(lambda roi: _roi_align_one(params, data, roi))(rois),)


# ---------------------------------------------------------------------------- MultiBoxPrior
def multibox_anchors(params, height, width):
    """(H*W*A, 4) float32 corner anchors as MXNet computes them: per pixel, every size with
    the first ratio, then the first size with every further ratio."""
    f32 = np.float32
    step_y, step_x = (f32(step) for step in params.steps)
    if step_y <= 0 or step_x <= 0:
        step_y, step_x = f32(1) / f32(height), f32(1) / f32(width)
    shapes = [(f32(size), np.sqrt(f32(params.ratios[0]))) for size in params.sizes]
    shapes += [(f32(params.sizes[0]), np.sqrt(f32(ratio))) for ratio in params.ratios[1:]]
    half = np.array([(size * f32(height) / f32(width) * ratio / f32(2), size / ratio / f32(2))
                     for size, ratio in shapes], np.float32)                # (A, 2): w, h
    rows = (np.arange(height, dtype=np.float32) + f32(params.offsets[0])) * step_y
    cols = (np.arange(width, dtype=np.float32) + f32(params.offsets[1])) * step_x
    center_y, center_x = np.meshgrid(rows, cols, indexing='ij')
    centers = np.stack([center_x, center_y], -1).reshape(-1, 1, 2)        # (H*W, 1, 2)
    return np.concatenate([centers - half, centers + half], -1).reshape(-1, 4)


def _multibox_prior_shapes(params, in_shapes, out_shapes, input_names):
    data = in_shapes[0]
    if data is None:
        return in_shapes, out_shapes
    if len(data) < 4:
        raise MXNetError('MultiBoxPrior: input data should be 4D: batch-channel-y-x, got %s'
                         % (data,))
    anchors = len(params.sizes) + len(params.ratios) - 1
    return in_shapes, [(1, data[2] * data[3] * anchors, 4)]


def float32_only(op_name):
    """The dtype rule of MXNet's legacy operators: every input and output is float32."""
    def infer_type(params, in_types, out_types):
        for dtype in in_types:
            if dtype not in (None, 'float32'):
                raise MXNetError('Error in operator %s: Unsupported data type %s'
                                 % (op_name, dtype))
        return ['float32'] * len(in_types), ['float32'] * len(out_types)
    return infer_type


@register('_contrib_MultiBoxPrior', infer_type=float32_only('MultiBoxPrior'),
          params={'sizes': Param(FloatTuple(), (1.0,)), 'ratios': Param(FloatTuple(), (1.0,)),
                  'clip': Param(Bool(), False), 'steps': Param(FloatTuple(), (-1.0, -1.0)),
                  'offsets': Param(FloatTuple(), (0.5, 0.5))},
          infer_shape=_multibox_prior_shapes)
def multibox_prior(params, ctx, data):
    """SSD anchor boxes (1, H*W*A, 4) for data's spatial grid: centres at (pixel + offsets) *
    steps (steps default to 1/size), A = len(sizes) + len(ratios) - 1 shapes per pixel;
    clip limits them to [0, 1]. Data only lends its shape: its gradient is 0."""
    if len(params.steps) != 2 or len(params.offsets) != 2:
        raise MXNetError('MultiBoxPrior: steps and offsets need 2 values (y, x)')
    anchors = multibox_anchors(params, data.shape[2], data.shape[3]).astype(data.dtype)
    if params.clip:
        anchors = np.clip(anchors, 0, 1)
    return (jnp.asarray(anchors)[None],)


@onnx_form('_contrib_MultiBoxPrior')
def _multibox_prior_onnx(g, params, data):
    """A constant: the anchors depend on data's spatial shape only."""
    return g.computed_from_shapes()



# ---------------------------------------------------------------------------- MultiBoxTarget
def _corner_iou(anchors, boxes):
    """(A, G) IoU as MultiBoxTarget computes it: no clamping of the areas, 0 for a zero
    union."""
    a, b = anchors[:, None, :], boxes[None, :, :]
    inter = (jnp.maximum(0, jnp.minimum(a[..., 2], b[..., 2]) - jnp.maximum(a[..., 0], b[..., 0]))
             * jnp.maximum(0, jnp.minimum(a[..., 3], b[..., 3])
                           - jnp.maximum(a[..., 1], b[..., 1])))
    union = ((a[..., 2] - a[..., 0]) * (a[..., 3] - a[..., 1])
             + (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1]) - inter)
    return jnp.where(union == 0, 0, inter / jnp.where(union == 0, 1, union))


def _encode_boxes(anchors, boxes, variances):
    """SSD offsets of boxes (A, 4) from anchors (A, 4), both corner encoded, in float32."""
    anchors, boxes = anchors.astype(jnp.float32), boxes.astype(jnp.float32)
    aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    ax, ay = (anchors[:, 0] + anchors[:, 2]) * 0.5, (anchors[:, 1] + anchors[:, 3]) * 0.5
    gw, gh = boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]
    gx, gy = (boxes[:, 0] + boxes[:, 2]) * 0.5, (boxes[:, 1] + boxes[:, 3]) * 0.5
    vx, vy, vw, vh = (np.float32(v) for v in variances)
    return jnp.stack([(gx - ax) / aw / vx, (gy - ay) / ah / vy,
                      jnp.log(gw / aw) / vw, jnp.log(gh / ah) / vh], axis=-1)


def _greedy_matches(iou, valid_gt):
    """Bipartite matching: repeatedly pair the unmatched anchor and ground truth with the
    largest IoU above 1e-6 (the first such pair in anchor-major order). (A,) matched gt or -1."""
    num_anchors, num_gt = iou.shape

    def step(_, state):
        anchor_gt, gt_done = state
        free = (anchor_gt < 0)[:, None] & (valid_gt & ~gt_done)[None, :]
        masked = jnp.where(free, iou, -jnp.inf).reshape(-1)
        best = jnp.argmax(masked)
        found = masked[best] > np.float32(1e-6)
        anchor, gt = (best // num_gt).astype(jnp.int32), (best % num_gt).astype(jnp.int32)
        anchor_gt = anchor_gt.at[anchor].set(jnp.where(found, gt, anchor_gt[anchor]))
        gt_done = gt_done.at[gt].set(gt_done[gt] | found)
        return anchor_gt, gt_done
    start = (jnp.full((num_anchors,), -1, jnp.int32), jnp.zeros((num_gt,), bool))
    return jax.lax.fori_loop(0, num_gt, step, start)[0]


def _multibox_target_one(params, anchors, label, cls_pred):
    """(loc_target (A*4,), loc_mask (A*4,), cls_target (A,)) for one image."""
    num_anchors = anchors.shape[0]
    dtype = anchors.dtype
    classes = label[:, 0]
    is_end = classes == -1
    valid_gt = jnp.cumsum(is_end) == 0                  # rows before the first -1 class
    iou = _corner_iou(anchors, label[:, 1:5])
    greedy = _greedy_matches(iou, valid_gt)
    best_iou = jnp.max(jnp.where(valid_gt[None, :], iou, -jnp.inf), axis=1)
    best_gt = jnp.argmax(jnp.where(valid_gt[None, :], iou, -jnp.inf), axis=1).astype(jnp.int32)
    positive = greedy >= 0
    matched_gt = jnp.where(positive, greedy, best_gt)
    if params.overlap_threshold > 0:
        positive |= best_iou > np.float32(params.overlap_threshold)
    if params.negative_mining_ratio > 0:
        num_positive = jnp.sum(positive)
        num_negative = jnp.floor(num_positive.astype(jnp.float32)
                                 * np.float32(params.negative_mining_ratio)).astype(jnp.int32)
        num_negative = jnp.minimum(num_negative, num_anchors - num_positive)
        candidate = ~positive & (best_iou < np.float32(params.negative_mining_thresh))
        background = jax.nn.softmax(cls_pred, axis=0)[0]
        order = jnp.lexsort((background, ~candidate))
        rank = jnp.zeros((num_anchors,), jnp.int32).at[order].set(
            jnp.arange(num_anchors, dtype=jnp.int32))
        negative = candidate & (rank < num_negative)
    else:
        negative = ~positive
    has_gt = valid_gt[0]
    positive, negative = positive & has_gt, negative & has_gt
    gt_rows = label[matched_gt]
    offsets = _encode_boxes(anchors, gt_rows[:, 1:5], params.variances).astype(dtype)
    loc_target = jnp.where(positive[:, None], offsets, 0).reshape(-1)
    loc_mask = jnp.repeat(positive, 4).astype(dtype)
    cls_target = jnp.where(positive, gt_rows[:, 0] + 1,
                           jnp.where(negative, 0, np.float32(params.ignore_label)))
    return loc_target, loc_mask, cls_target.astype(dtype)


def _multibox_target_shapes(params, in_shapes, out_shapes, input_names):
    anchor, label, cls_pred = in_shapes
    if anchor is None or label is None or cls_pred is None:
        return in_shapes, out_shapes
    if len(anchor) != 3 or anchor[0] != 1 or anchor[2] != 4:
        raise MXNetError('MultiBoxTarget: anchor should be (1, N, 4), got %s' % (anchor,))
    if len(label) != 3 or label[2] < 5:
        raise MXNetError('MultiBoxTarget: label should be (batch, num_labels, >=5), got %s'
                         % (label,))
    if len(cls_pred) != 3 or cls_pred[2] != anchor[1]:
        raise MXNetError('MultiBoxTarget: cls_pred should be (batch, num_classes, %d), got %s'
                         % (anchor[1], cls_pred))
    loc = (label[0], anchor[1] * 4)
    return in_shapes, [loc, loc, (label[0], anchor[1])]


@register('_contrib_MultiBoxTarget', inputs=('anchor', 'label', 'cls_pred'),
          outputs=('loc_target', 'loc_mask', 'cls_target'),
          params={'overlap_threshold': Param(Float(), 0.5), 'ignore_label': Param(Float(), -1.0),
                  'negative_mining_ratio': Param(Float(), -1.0),
                  'negative_mining_thresh': Param(Float(), 0.5),
                  'minimum_negative_samples': Param(Int(), 0),
                  'variances': Param(FloatTuple(), (0.1, 0.1, 0.2, 0.2))},
          infer_shape=_multibox_target_shapes, infer_type=float32_only('MultiBoxTarget'),
          nondiff_inputs=('anchor', 'label', 'cls_pred'))
def multibox_target(params, ctx, anchor, label, cls_pred):
    """SSD training targets. Anchors (1, A, 4) are matched to the ground truths of label
    (B, L, 5+) = [class, x1, y1, x2, y2] (rows from the first class -1 on are padding):
    first one-to-one by largest IoU, then every anchor whose best IoU passes
    overlap_threshold. Positives get class + 1, a mask of ones and encoded offsets;
    negatives (all others, or the hardest negative_mining_ratio * positives by background
    probability below negative_mining_thresh) class 0; the rest, and every anchor of an image
    without ground truth, ignore_label. minimum_negative_samples is unused, as in MXNet.
    All inputs get a zero gradient."""
    if len(params.variances) != 4:
        raise MXNetError('MultiBoxTarget: variances needs 4 values')
    anchor, label, cls_pred = (jax.lax.stop_gradient(x) for x in (anchor, label, cls_pred))
    return jax.vmap(lambda lab, pred: _multibox_target_one(params, anchor[0], lab, pred))(
        label, cls_pred)


# ---------------------------------------------------------------------------- MultiBoxDetection
def _decode_boxes(anchors, offsets, variances, clip):
    """Corner boxes from SSD offsets (A, 4) relative to corner anchors (A, 4)."""
    vx, vy, vw, vh = (np.float32(v) for v in variances)
    aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    ax, ay = (anchors[:, 0] + anchors[:, 2]) / 2, (anchors[:, 1] + anchors[:, 3]) / 2
    ox, oy = offsets[:, 0] * vx * aw + ax, offsets[:, 1] * vy * ah + ay
    ow, oh = jnp.exp(offsets[:, 2] * vw) * aw / 2, jnp.exp(offsets[:, 3] * vh) * ah / 2
    boxes = jnp.stack([ox - ow, oy - oh, ox + ow, oy + oh], axis=-1)
    return jnp.clip(boxes, 0, 1) if clip else boxes


def _detection_iou(boxes):
    """(K, K) IoU as MultiBoxDetection computes it: 0 where the union is not positive."""
    a, b = boxes[:, None, :], boxes[None, :, :]
    inter = (jnp.maximum(0, jnp.minimum(a[..., 2], b[..., 2]) - jnp.maximum(a[..., 0], b[..., 0]))
             * jnp.maximum(0, jnp.minimum(a[..., 3], b[..., 3])
                           - jnp.maximum(a[..., 1], b[..., 1])))
    union = ((a[..., 2] - a[..., 0]) * (a[..., 3] - a[..., 1])
             + (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1]) - inter)
    return jnp.where(union <= 0, 0, inter / jnp.where(union <= 0, 1, union))


def _multibox_detection_one(params, cls_prob, loc_pred, anchors):
    """(A, 6) detections [class, score, x1, y1, x2, y2] of one image."""
    num_anchors = anchors.shape[0]
    foreground = cls_prob[1:]
    score = jnp.max(foreground, axis=0)
    class_id = jnp.argmax(foreground, axis=0).astype(cls_prob.dtype)
    class_id = jnp.where(score < np.float32(params.threshold), -1, class_id)
    boxes = _decode_boxes(anchors, loc_pred.reshape(-1, 4), params.variances, params.clip)
    rows = jnp.concatenate([class_id[:, None], score[:, None], boxes], axis=1)
    valid = class_id >= 0
    count = jnp.sum(valid)
    position = jnp.arange(num_anchors)
    in_front = (position < count)[:, None]
    compact = jnp.where(in_front, rows[jnp.argsort(~valid, stable=True)], -1)
    if not 0 < params.nms_threshold <= 1:
        return compact
    order = jnp.lexsort((-compact[:, 1], ~in_front[:, 0]))
    keep = count if params.nms_topk <= 0 else jnp.minimum(count, params.nms_topk)
    kept = (position < keep)[:, None]
    out = jnp.where(kept, compact[order], compact.at[:, 0].set(jnp.where(in_front[:, 0], -1,
                                                                         compact[:, 0])))
    overlapping = _detection_iou(out[:, 2:]) >= np.float32(params.nms_threshold)
    if not params.force_suppress:
        overlapping &= out[:, None, 0] == out[None, :, 0]
    suppresses = overlapping & (position[None, :] > position[:, None]) & kept[:, 0][None, :]

    def visit(i, alive):
        return alive & ~(alive[i] & kept[i, 0] & suppresses[i])
    alive = jax.lax.fori_loop(0, num_anchors, visit, out[:, 0] >= 0)
    return out.at[:, 0].set(jnp.where(alive | ~kept[:, 0], out[:, 0], -1))


def _multibox_detection_shapes(params, in_shapes, out_shapes, input_names):
    cls_prob, loc_pred, anchor = in_shapes
    if cls_prob is None or loc_pred is None or anchor is None:
        return in_shapes, out_shapes
    if (len(cls_prob) != 3 or len(loc_pred) != 2 or len(anchor) != 3 or anchor[2] != 4
            or cls_prob[2] != anchor[1] or loc_pred[1] != 4 * anchor[1]):
        raise MXNetError('MultiBoxDetection: expected cls_prob (B, C, N), loc_pred (B, 4N) and '
                         'anchor (1, N, 4), got %s, %s, %s' % (cls_prob, loc_pred, anchor))
    return in_shapes, [(cls_prob[0], anchor[1], 6)]


@register('_contrib_MultiBoxDetection', inputs=('cls_prob', 'loc_pred', 'anchor'),
          params={'clip': Param(Bool(), True), 'threshold': Param(Float(), 0.01),
                  'background_id': Param(Int(), 0), 'nms_threshold': Param(Float(), 0.5),
                  'force_suppress': Param(Bool(), False),
                  'variances': Param(FloatTuple(), (0.1, 0.1, 0.2, 0.2)),
                  'nms_topk': Param(Int(), -1)},
          infer_shape=_multibox_detection_shapes, infer_type=float32_only('MultiBoxDetection'),
          nondiff_inputs=('anchor',))
def multibox_detection(params, ctx, cls_prob, loc_pred, anchor):
    """SSD detections (B, N, 6) = [class, score, x1, y1, x2, y2]: per anchor the best
    non-background class (class 0 is background whatever background_id says) scoring at least
    threshold, its box decoded from loc_pred. Detections are moved to the front in anchor
    order; when 0 < nms_threshold <= 1 the first nms_topk by score are sorted and suppress
    later ones (same class, or any with force_suppress) with IoU >= nms_threshold by setting
    their class to -1 in place. Free rows are -1. All inputs get a zero gradient."""
    if len(params.variances) != 4:
        raise MXNetError('MultiBoxDetection: variances needs 4 values')
    cls_prob, loc_pred, anchor = (jax.lax.stop_gradient(x) for x in (cls_prob, loc_pred, anchor))
    return (jax.vmap(lambda prob, loc: _multibox_detection_one(params, prob, loc, anchor[0]))(
        cls_prob, loc_pred),)
