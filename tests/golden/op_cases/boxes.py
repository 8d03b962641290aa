"""Golden cases for mxsym/ops/boxes.py (recorded from MXNet 1.9.1 by make_ops_golden.py).
Corner boxes are assembled from a corner and a positive size, so that they are well formed."""
from op_cases import case, expr

CORNER = 'mx.sym.concat(%s, %s + %s_size, dim=-1)'


def cases():
    return _box_encode() + _box_decode() + _bipartite_matching()


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
