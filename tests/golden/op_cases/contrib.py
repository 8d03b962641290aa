"""Golden cases for mxsym/ops/contrib.py (recorded from MXNet 1.9.1 by make_ops_golden.py)."""
import re

from op_cases import case, expr


def cases():
    return (_adaptive_pooling() + _bilinear_resize() + _roi_align() + _multibox_prior()
            + _multibox_target() + _multibox_detection())


def _adaptive_pooling():
    pooling = [
        ('adaptive_pool_default', (2, 3, 5, 4), {}),
        ('adaptive_pool_int', (2, 2, 6, 6), {'output_size': 3}),
        ('adaptive_pool_overlapping', (1, 2, 7, 5), {'output_size': (3, 2)}),
        ('adaptive_pool_upsample', (1, 2, 3, 2), {'output_size': (5, 4)}),
        ('adaptive_pool_identity', (1, 1, 4, 3), {'output_size': (4, 3)}),
    ]
    cases = [case(name, 'contrib.AdaptiveAvgPooling2D', {'data': shape}, kwargs)
             for name, shape, kwargs in pooling]
    for dtype in ['float16', 'float64']:
        cases.append(case('adaptive_pool_' + dtype, 'contrib.AdaptiveAvgPooling2D',
                          {'data': (2, 2, 7, 6)}, {'output_size': (3, 4)}, dtype=dtype))
    return cases


def _bilinear_resize():
    resize = [
        ('resize_size_up', (2, 2, 3, 4), {'height': 5, 'width': 7}),
        ('resize_size_down', (1, 2, 6, 7), {'height': 4, 'width': 3}),
        ('resize_no_align_up', (1, 2, 3, 4), {'height': 7, 'width': 6, 'align_corners': False}),
        ('resize_no_align_down', (1, 2, 7, 6), {'height': 3, 'width': 4,
                                                'align_corners': False}),
        ('resize_to_one', (1, 1, 4, 5), {'height': 1, 'width': 1}),
        ('resize_same_size', (1, 2, 3, 4), {'height': 3, 'width': 4}),
        ('resize_mixed_axes', (1, 1, 4, 5), {'height': 4, 'width': 8}),
        ('resize_scale', (1, 2, 3, 5), {'scale_height': 2.0, 'scale_width': 1.5}),
        ('resize_scale_down', (1, 2, 7, 6), {'scale_height': 0.5, 'scale_width': 0.7,
                                             'align_corners': False}),
        ('resize_odd_scale_odd', (1, 1, 5, 7), {'mode': 'odd_scale', 'scale_height': 2.0,
                                                'scale_width': 0.5}),
        ('resize_odd_scale_even', (1, 1, 4, 6), {'mode': 'odd_scale', 'scale_height': 1.5,
                                                 'scale_width': 2.0}),
        ('resize_to_even_down', (1, 2, 5, 6), {'mode': 'to_even_down'}),
        ('resize_to_even_up', (1, 2, 5, 6), {'mode': 'to_even_up'}),
        ('resize_to_odd_down', (1, 2, 5, 6), {'mode': 'to_odd_down'}),
        ('resize_to_odd_up', (1, 2, 5, 6), {'mode': 'to_odd_up', 'align_corners': False}),
    ]
    cases = [case(name, 'contrib.BilinearResize2D', {'data': shape}, kwargs)
             for name, shape, kwargs in resize]
    cases += [
        # MXNet zeroes like's gradient over data's batch size: like must have data's batch.
        case('resize_like', 'contrib.BilinearResize2D',
             {'data': (2, 2, 3, 4), 'like': (2, 3, 5, 6)}, {'mode': 'like'},
             variables=('data', 'like')),
        case('resize_like_no_align', 'contrib.BilinearResize2D',
             {'data': (1, 2, 6, 5), 'like': (1, 1, 4, 7)}, {'mode': 'like', 'align_corners': False},
             variables=('data', 'like')),
        case('resize_float16', 'contrib.BilinearResize2D', {'data': (1, 2, 3, 4)},
             {'height': 5, 'width': 6}, dtype='float16'),
        case('resize_float64', 'contrib.BilinearResize2D', {'data': (1, 2, 4, 3)},
             {'height': 6, 'width': 5, 'align_corners': False}, dtype='float64'),
        case('resize_positional', 'contrib.BilinearResize2D', {'data': (1, 1, 2, 3)},
             {'height': 4, 'width': 4}, positional=True),
    ]
    return cases


def _roi_align():
    """rois (R, 5) = [image, x1, y1, x2, y2] assembled from an image index, a corner and a
    positive size, so that boxes are well formed (aligned=True requires positive sizes)."""
    def roi_case(case_id, data, kwargs, corner='uniform:0:5', size='uniform:0.5:4', rois=3,
                 dtype='float32'):
        options = ', '.join('%s=%r' % item for item in kwargs.items())
        op = ('mx.sym.contrib.ROIAlign(data, mx.sym.concat(image, corner, corner + size, dim=1), '
              + options + ')')
        shapes = {'data': data, 'image': (rois, 1), 'corner': (rois, 2), 'size': (rois, 2)}
        values = {'image': 'ints:0:%d' % (data[0] - 1), 'corner': corner, 'size': size}
        return expr(case_id, op, shapes, values=values, dtype=dtype)

    two_by_two = {'pooled_size': (2, 2), 'spatial_scale': 1.0}
    return [
        case('roi_align_plain', 'contrib.ROIAlign', {'data': (2, 2, 5, 6), 'rois': (4, 5)},
             {'pooled_size': (2, 2), 'spatial_scale': 1.0}, variables=('data', 'rois'),
             values={'rois': 'ints:0:1'}),
        roi_case('roi_align_adaptive', (2, 3, 6, 7), {'pooled_size': (2, 2), 'spatial_scale': 1.0}),
        roi_case('roi_align_sample_ratio', (2, 2, 6, 6),
                 {'pooled_size': (3, 2), 'spatial_scale': 0.5, 'sample_ratio': 2},
                 corner='uniform:0:9', size='uniform:1:6'),
        roi_case('roi_align_aligned', (1, 2, 6, 7),
                 {'pooled_size': (2, 3), 'spatial_scale': 1.0, 'aligned': True}),
        roi_case('roi_align_aligned_ratio', (1, 2, 6, 5),
                 {'pooled_size': (2, 2), 'spatial_scale': 0.25, 'sample_ratio': 3, 'aligned': True},
                 corner='uniform:0:16', size='uniform:0.8:8'),
        roi_case('roi_align_outside', (2, 2, 5, 5), two_by_two, corner='uniform:-4:6',
                 size='uniform:1:5', rois=5),
        roi_case('roi_align_large_boxes', (1, 2, 4, 5), two_by_two, corner='uniform:-2:1',
                 size='uniform:5:11'),
        roi_case('roi_align_small_boxes', (1, 1, 5, 5),
                 {'pooled_size': (3, 3), 'spatial_scale': 1.0}, size='uniform:0.1:0.9'),
        roi_case('roi_align_position_sensitive', (2, 8, 5, 6),
                 {'pooled_size': (2, 2), 'spatial_scale': 1.0, 'position_sensitive': True}),
        roi_case('roi_align_float16', (1, 2, 5, 5), {'pooled_size': (2, 2), 'spatial_scale': 1.0},
                 dtype='float16'),
        roi_case('roi_align_float64', (2, 2, 6, 5),
                 {'pooled_size': (2, 3), 'spatial_scale': 0.5, 'aligned': True},
                 corner='uniform:0:8', size='uniform:1:6', dtype='float64'),
    ]


def _multibox_prior():
    prior = [
        ('prior_default', (1, 2, 3, 4), {}),
        ('prior_sizes_ratios', (2, 1, 4, 3), {'sizes': (0.5, 0.25, 0.1), 'ratios': (1, 2, 0.5)}),
        ('prior_clip', (1, 1, 3, 3), {'sizes': (0.9, 0.4), 'ratios': (1, 3), 'clip': True}),
        ('prior_steps_offsets', (1, 1, 2, 5), {'sizes': (0.3,), 'ratios': (1.5, 1),
                                               'steps': (0.2, 0.1), 'offsets': (0.25, 0.75)}),
        ('prior_list_params', (1, 1, 3, 2), {'sizes': [0.2, 0.6], 'ratios': [2.0]}),
    ]
    # MXNet's MultiBoxPrior takes float32 only.
    return [case(name, 'contrib.MultiBoxPrior', {'data': shape}, kwargs)
            for name, shape, kwargs in prior]


ANCHORS = 'mx.sym.concat(corner, corner + size, dim=-1)'
ANCHOR_VALUES = {'corner': 'uniform:0:0.8', 'size': 'uniform:0.05:0.4'}


def _multibox_target():
    """Anchors and ground-truth boxes assembled from corners and positive sizes; label rows
    [class, x1, y1, x2, y2], then padding rows of -1 (pad * 0 - 1). MultiBoxTarget is
    float32 only."""
    def target_case(case_id, kwargs, batch=2, anchors=12, truths=3, padding=0, classes=3,
                    label='mx.sym.concat(cls, gt, gt + gt_size, dim=-1)', extra=None):
        if padding:
            label = 'mx.sym.concat(%s, pad * 0 - 1, dim=1)' % label
        options = ''.join(', %s=%r' % item for item in kwargs.items())
        # MXNet's backward leaves the anchor and label gradients unwritten: BlockGrad keeps
        # the recorded gradients of their parts defined (zero).
        op = ('mx.sym.contrib.MultiBoxTarget(mx.sym.BlockGrad(%s), mx.sym.BlockGrad(%s), '
              'cls_pred%s)' % (ANCHORS, label, options))
        shapes = {'corner': (1, anchors, 2), 'size': (1, anchors, 2),
                  'cls': (batch, truths, 1), 'gt': (batch, truths, 2),
                  'gt_size': (batch, truths, 2), 'cls_pred': (batch, classes, anchors)}
        shapes.update(extra or {})
        if padding:
            shapes['pad'] = (batch, padding, 5)
        values = dict(ANCHOR_VALUES, cls='ints:0:2', gt='uniform:0:0.7',
                      gt_size='uniform:0.1:0.4')
        used = set(re.findall(r'\w+', op))
        return expr(case_id, op, {k: v for k, v in shapes.items() if k in used}, values=values)

    return [
        target_case('mbt_default', {}),
        target_case('mbt_padding', {'overlap_threshold': 0.3}, truths=2, padding=2),
        target_case('mbt_no_ground_truth', {}, label='pad * 0 - 1', padding=0,
                    extra={'pad': (2, 3, 5)}),
        target_case('mbt_low_threshold', {'overlap_threshold': 0.1}, anchors=16),
        target_case('mbt_greedy_only', {'overlap_threshold': 0.0,
                                        'negative_mining_ratio': 2.0}),
        target_case('mbt_negative_mining', {'overlap_threshold': 0.2,
                                            'negative_mining_ratio': 2.5,
                                            'negative_mining_thresh': 0.3}, anchors=20),
        target_case('mbt_ignore_label', {'negative_mining_ratio': 1.0, 'ignore_label': -2.0,
                                         'minimum_negative_samples': 3}, anchors=16),
        target_case('mbt_variances', {'overlap_threshold': 0.2,
                                      'variances': (0.2, 0.2, 0.5, 0.5)}),
        target_case('mbt_wide_label', {'overlap_threshold': 0.3},
                    label='mx.sym.concat(cls, gt, gt + gt_size, cls, dim=-1)'),
    ]


def _multibox_detection():
    """Class scores uniform in (0, 1) (not normalised: only their order and threshold
    matter), small offsets, overlapping anchors. MultiBoxDetection is float32 only."""
    def detection_case(case_id, kwargs, batch=2, classes=3, anchors=10):
        options = ''.join(', %s=%r' % item for item in kwargs.items())
        op = 'mx.sym.contrib.MultiBoxDetection(cls_prob, loc_pred, %s%s)' % (ANCHORS, options)
        shapes = {'cls_prob': (batch, classes, anchors), 'loc_pred': (batch, anchors * 4),
                  'corner': (1, anchors, 2), 'size': (1, anchors, 2)}
        values = {'cls_prob': 'uniform:0:1', 'loc_pred': 'uniform:-1:1',
                  'corner': 'uniform:0:0.5', 'size': 'uniform:0.2:0.5'}
        return expr(case_id, op, shapes, values=values)

    return [
        detection_case('mbd_default', {}),
        detection_case('mbd_threshold', {'threshold': 0.6, 'nms_threshold': 0.3}),
        detection_case('mbd_no_nms', {'threshold': 0.5, 'nms_threshold': 0.0}),
        detection_case('mbd_nms_above_one', {'threshold': 0.5, 'nms_threshold': 1.5}),
        detection_case('mbd_topk', {'nms_threshold': 0.3, 'nms_topk': 4}, anchors=12),
        detection_case('mbd_force_suppress', {'nms_threshold': 0.2, 'force_suppress': True}),
        detection_case('mbd_no_clip', {'clip': False, 'variances': (0.2, 0.2, 0.4, 0.4)}),
        detection_case('mbd_all_below_threshold', {'threshold': 2.0}),
        detection_case('mbd_background_id', {'background_id': 1, 'nms_threshold': 0.4},
                       classes=4),
    ]
