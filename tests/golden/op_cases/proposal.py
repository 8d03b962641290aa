"""Golden cases for mxsym/ops/proposal.py (recorded from MXNet 1.9.1 by make_ops_golden.py)."""
from op_cases import expr


def _proposal_case(case_id, op, batch, anchors, height, width, kwargs, image='uniform:20:40',
                   deltas='uniform:-0.5:0.5'):
    """cls_prob (B, 2A, H, W) and bbox_pred (B, 4A, H, W) with im_info = [height, width,
    scale] assembled from an image size and a scale, so that all three are plausible (MXNet
    fails on an image larger than the feature map times feature_stride)."""
    options = ', '.join('%s=%r' % item for item in kwargs.items())
    call = ('mx.sym.contrib.%s(cls_prob, bbox_pred, mx.sym.concat(size, scale, dim=1), %s)'
            % (op, options))
    shapes = {'cls_prob': (batch, 2 * anchors, height, width),
              'bbox_pred': (batch, 4 * anchors, height, width),
              'size': (batch, 2), 'scale': (batch, 1)}
    values = {'cls_prob': 'uniform:0:1', 'bbox_pred': deltas, 'size': image,
              'scale': 'uniform:0.5:1.5'}
    return expr(case_id, call, shapes, values=values)


def cases():
    small = {'scales': (2, 4), 'ratios': (0.5, 1, 2), 'feature_stride': 8,
             'rpn_pre_nms_top_n': 40, 'rpn_post_nms_top_n': 12, 'threshold': 0.5,
             'rpn_min_size': 4}
    return [
        _proposal_case('proposal_small', 'Proposal', 1, 6, 5, 6,
                       dict(small, output_score=True)),
        _proposal_case('proposal_repeats_survivors', 'Proposal', 1, 1, 4, 4,
                       {'scales': (2,), 'ratios': (1,), 'feature_stride': 4,
                        'rpn_pre_nms_top_n': 10, 'rpn_post_nms_top_n': 30, 'threshold': 0.3,
                        'rpn_min_size': 3, 'output_score': True}, image='uniform:8:16'),
        _proposal_case('proposal_defaults', 'Proposal', 1, 12, 4, 5, {}, image='uniform:40:64'),
        _proposal_case('proposal_iou_loss', 'Proposal', 1, 4, 4, 5,
                       {'scales': (2, 4), 'ratios': (0.5, 2), 'feature_stride': 8,
                        'rpn_post_nms_top_n': 20, 'rpn_min_size': 2, 'iou_loss': True,
                        'output_score': True}, image='uniform:16:32', deltas='uniform:-4:4'),
        _proposal_case('multi_proposal', 'MultiProposal', 3, 6, 5, 6,
                       dict(small, output_score=True)),
        _proposal_case('multi_proposal_every_anchor', 'MultiProposal', 2, 4, 6, 6,
                       {'scales': (1.5, 3), 'ratios': (0.7, 1.3), 'feature_stride': 10,
                        'rpn_pre_nms_top_n': -1, 'rpn_post_nms_top_n': 50, 'threshold': 0.6,
                        'rpn_min_size': 8}, image='uniform:30:60'),
    ]
