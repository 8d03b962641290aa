"""Golden cases for mxsym/ops/boxes.py (recorded from MXNet 1.9.1 by make_ops_golden.py).
Corner boxes are assembled from a corner and a positive size, so that they are well formed."""
from op_cases import case, expr

CORNER = 'mx.sym.concat(%s, %s + %s_size, dim=-1)'


def cases():
    return _box_iou() + _box_nms() + _box_encode() + _box_decode() + _bipartite_matching()


def _box_iou():
    """Corner boxes from a corner and a size (some sizes negative: empty boxes), center boxes
    from uniform values."""
    def corner_case(case_id, lhs, rhs, dtype='float32'):
        op = ('mx.sym.contrib.box_iou(mx.sym.concat(a, a + da, dim=-1), '
              'mx.sym.concat(b, b + db, dim=-1))')
        shapes = {'a': lhs, 'da': lhs, 'b': rhs, 'db': rhs}
        values = {'a': 'uniform:0:4', 'b': 'uniform:0:4', 'da': 'uniform:-0.5:3',
                  'db': 'uniform:-0.5:3'}
        return expr(case_id, op, shapes, values=values, dtype=dtype)

    boxes = {'lhs': (5, 4), 'rhs': (3, 4)}
    return [
        corner_case('box_iou_corner', (5, 2), (4, 2)),
        corner_case('box_iou_corner_batched', (2, 3, 2), (2, 2, 2)),
        corner_case('box_iou_corner_float16', (4, 2), (3, 2), dtype='float16'),
        corner_case('box_iou_corner_float64', (4, 2), (3, 2), dtype='float64'),
        case('box_iou_center', 'contrib.box_iou', boxes, {'format': 'center'},
             variables=('lhs', 'rhs'), values={'lhs': 'uniform:0.2:3', 'rhs': 'uniform:0.2:3'}),
        case('box_iou_center_3d', 'contrib.box_iou', {'lhs': (2, 3, 4), 'rhs': (4, 4)},
             {'format': 'center'}, variables=('lhs', 'rhs'),
             values={'lhs': 'uniform:0.2:3', 'rhs': 'uniform:0.2:3'}, dtype='float64'),
        case('box_iou_random_corner', 'contrib.box_iou', boxes, {}, variables=('lhs', 'rhs'),
             values={'lhs': 'uniform:0:3', 'rhs': 'uniform:0:3'}),
        case('box_iou_positional', 'contrib.box_iou', boxes, {'format': 'corner'},
             variables=('lhs', 'rhs'), positional=True, values={'lhs': 'uniform:0:3',
                                                                'rhs': 'uniform:0:3'}),
    ]


def _box_nms():
    """Rows [class, score, x1, y1, x2, y2] (or another layout) assembled from well-formed
    parts: class ids 0-2, scores in (0, 1), boxes from a corner and a positive size."""
    def nms_case(case_id, rows, kwargs, layout='cls score box', op='contrib.box_nms',
                 dtype='float32', corner='uniform:0:3'):
        parts = {'cls': 'cls', 'score': 'score', 'box': 'corner, corner + size'}
        options = ''.join(', %s=%r' % item for item in kwargs.items())
        expression = 'mx.sym.%s(mx.sym.concat(%s, dim=-1)%s)' % (
            op, ', '.join(parts[part] for part in layout.split()), options)
        shapes = {'cls': rows + (1,), 'score': rows + (1,), 'corner': rows + (2,),
                  'size': rows + (2,)}
        values = {'cls': 'ints:0:2', 'score': 'uniform:0.05:1', 'corner': corner,
                  'size': 'uniform:0.5:3'}
        return expr(case_id, expression, shapes, values=values, dtype=dtype)

    return [
        nms_case('nms_default', (1, 8), {}),
        nms_case('nms_2d', (7,), {'overlap_thresh': 0.3}),
        nms_case('nms_batched_4d', (2, 2, 6), {'overlap_thresh': 0.2}),
        nms_case('nms_classes', (2, 8), {'overlap_thresh': 0.2, 'id_index': 0}),
        nms_case('nms_background', (2, 8), {'overlap_thresh': 0.2, 'id_index': 0,
                                            'background_id': 1}),
        nms_case('nms_force_suppress', (2, 8), {'overlap_thresh': 0.2, 'id_index': 0,
                                                'force_suppress': True}),
        nms_case('nms_topk', (2, 8), {'overlap_thresh': 0.3, 'topk': 3}),
        nms_case('nms_topk_zero', (1, 5), {'topk': 0, 'out_format': 'center'}),
        nms_case('nms_valid_thresh', (2, 8), {'overlap_thresh': 0.3, 'valid_thresh': 0.5}),
        nms_case('nms_all_invalid', (1, 5), {'valid_thresh': 1.5}),
        nms_case('nms_center_in', (1, 8), {'overlap_thresh': 0.3, 'in_format': 'center'}),
        nms_case('nms_center_both', (1, 8), {'overlap_thresh': 0.3, 'in_format': 'center',
                                             'out_format': 'center'}),
        nms_case('nms_out_center', (2, 6), {'overlap_thresh': 0.3, 'out_format': 'center'}),
        nms_case('nms_2d_center_classes', (6,), {'overlap_thresh': 0.1, 'id_index': 0,
                                                 'in_format': 'center'}),
        nms_case('nms_2d_out_center_classes', (6,), {'overlap_thresh': 0.1, 'id_index': 0,
                                                     'out_format': 'center'}),
        # Boxes partly left of 0 keep their corner encoding in the output (MXNet's quirk).
        nms_case('nms_out_center_negative', (1, 8), {'overlap_thresh': 0.3,
                                                     'out_format': 'center'},
                 corner='uniform:-2:2'),
        nms_case('nms_layout', (1, 8), {'overlap_thresh': 0.1, 'coord_start': 0,
                                        'score_index': 4, 'id_index': 5},
                 layout='box score cls'),
        nms_case('nms_alias', (1, 6), {'overlap_thresh': 0.3},
                 op='contrib.box_non_maximum_suppression'),
        nms_case('nms_float16', (1, 8), {'overlap_thresh': 0.3}, dtype='float16'),
        nms_case('nms_float64', (2, 8), {'overlap_thresh': 0.3, 'id_index': 0},
                 dtype='float64'),
    ]


def _box_encode():
    def encode_case(case_id, batch, anchors, refs, dtype='float32'):
        op = ('mx.sym.contrib.box_encode(samples, matches, %s, %s, means, stds)'
              % (CORNER % ('anchor', 'anchor', 'anchor'), CORNER % ('ref', 'ref', 'ref')))
        shapes = {'samples': (batch, anchors), 'matches': (batch, anchors),
                  'anchor': (batch, anchors, 2), 'anchor_size': (batch, anchors, 2),
                  'ref': (batch, refs, 2), 'ref_size': (batch, refs, 2), 'means': (4,),
                  'stds': (4,)}
        values = {'samples': 'ints:-1:1', 'matches': 'ints:0:%d' % (refs - 1),
                  'anchor': 'uniform:0:4', 'anchor_size': 'uniform:0.5:3', 'ref': 'uniform:0:4',
                  'ref_size': 'uniform:0.5:3', 'means': 'uniform:-0.2:0.2',
                  'stds': 'uniform:0.1:0.3'}
        return expr(case_id, op, shapes, values=values, dtype=dtype)

    return [encode_case('box_encode', 2, 5, 3), encode_case('box_encode_one_ref', 1, 4, 1),
            encode_case('box_encode_float64', 2, 4, 3, dtype='float64')]


def _box_decode():
    def decode_case(case_id, kwargs, batch=2, anchors=5, corner=True, dtype='float32'):
        anchor = CORNER % ('anchor', 'anchor', 'anchor') if corner else \
            'mx.sym.concat(anchor, anchor_size, dim=-1)'
        options = ''.join(', %s=%r' % item for item in kwargs.items())
        op = 'mx.sym.contrib.box_decode(data, %s%s)' % (anchor, options)
        shapes = {'data': (batch, anchors, 4), 'anchor': (1, anchors, 2),
                  'anchor_size': (1, anchors, 2)}
        values = {'data': 'uniform:-1:1', 'anchor': 'uniform:0:4',
                  'anchor_size': 'uniform:0.5:3'}
        return expr(case_id, op, shapes, values=values, dtype=dtype)

    return [
        decode_case('box_decode_center', {}, corner=False),
        decode_case('box_decode_corner', {'format': 'corner'}),
        decode_case('box_decode_stds', {'format': 'corner', 'std0': 0.1, 'std1': 0.1,
                                        'std2': 0.2, 'std3': 0.2}),
        decode_case('box_decode_clip', {'std2': 3.0, 'std3': 3.0, 'clip': 1.0}, corner=False),
        decode_case('box_decode_float64', {'format': 'corner', 'clip': 0.5}, dtype='float64'),
    ]


def _bipartite_matching():
    def matching_case(case_id, shape, kwargs, dtype='float32'):
        return case(case_id, 'contrib.bipartite_matching', {'data': shape}, kwargs,
                    values={'data': 'uniform:0:1'}, dtype=dtype)

    return [
        matching_case('matching_2d', (3, 4), {'threshold': 1e-12}),
        matching_case('matching_batched', (2, 4, 3), {'threshold': 0.3}),
        matching_case('matching_ascend', (2, 3, 5), {'threshold': 0.8, 'is_ascend': True}),
        matching_case('matching_topk', (2, 5, 4), {'threshold': 0.05, 'topk': 2}),
        matching_case('matching_topk_one', (1, 4, 4), {'threshold': 0.05, 'topk': 1}),
        matching_case('matching_high_threshold', (2, 3, 3), {'threshold': 0.9}),
        matching_case('matching_4d', (2, 2, 3, 3), {'threshold': 0.2}),
        matching_case('matching_float64', (2, 4, 4), {'threshold': 0.1}, dtype='float64'),
    ]
