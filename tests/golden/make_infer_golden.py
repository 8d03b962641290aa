"""Write tests/golden/infer_partial.json: MXNet 1.9.1's partial and full shape inference on
graphs with unknown dims, in legacy mode (0 = unknown) and NumPy-shape mode (-1 = unknown).

Run with a Python that has ``mxnet==1.9.1``:  python tests/golden/make_infer_golden.py
Each case is a Python expression over ``mx`` building a symbol, the shapes given to inference,
and the mode; the test evaluates the same expression with ``mxsym as mx``.
"""
import json
import os

import mxnet as mx

HERE = os.path.dirname(os.path.abspath(__file__))

V = "mx.sym.Variable"
CASES = [
    ('dot_batch_unknown', "mx.sym.dot(%s('x'), %s('y'))" % (V, V), {'x': (0, 3, 4), 'y': (4, 5)}),
    ('batch_dot_batch_unknown', "mx.sym.batch_dot(%s('x'), %s('y'))" % (V, V),
     {'x': (0, 3, 4), 'y': (0, 4, 5)}),
    ('batch_dot_inner_unknown', "mx.sym.batch_dot(%s('x'), %s('y'))" % (V, V),
     {'x': (0, 3, 4), 'y': (0, 0, 5)}),
    ('embedding', "mx.sym.Embedding(%s('x'), %s('w'), input_dim=100, output_dim=10)" % (V, V),
     {'x': (0, 5), 'w': (100, 10)}),
    ('transpose', "mx.sym.transpose(%s('x'), axes=(0, 3, 2, 1))" % V, {'x': (0, 3, 224, 224)}),
    ('pick', "mx.sym.pick(%s('x'), %s('i'), axis=1)" % (V, V), {'x': (0, 3, 3), 'i': (0, 3)}),
    ('where_condition_unknown', "mx.sym.where(%s('c'), %s('x'), %s('y'))" % (V, V, V),
     {'c': (0, 2), 'x': (0, 2), 'y': (0, 2)}),
    ('sin_unknown', "mx.sym.sin(%s('x'))" % V, {}),
    ('fc_relu', "mx.sym.Activation(mx.sym.FullyConnected(%s('x'), num_hidden=8), "
     "act_type='relu')" % V, {'x': (0, 6)}),
    ('conv_batch_and_space_unknown', "mx.sym.Convolution(%s('x'), num_filter=4, kernel=(3, 3), "
     "pad=(1, 1))" % V, {'x': (0, 3, 0, 0)}),
    ('conv_from_output', "mx.sym.Convolution(%s('a', shape=(0, 10, 0, 0)), num_filter=21, "
     "kernel=(3, 3), pad=(1, 1)) + %s('c', shape=(5, 21, 32, 32))" % (V, V), {}),
    ('mlp_from_both_sides', "mx.sym.FullyConnected(%s('a', shape=(0, 10)), num_hidden=21) + "
     "%s('c', shape=(5, 0))" % (V, V), {}),
    ('slice_channel', "mx.sym.SliceChannel(%s('a', shape=(0, 15, 0)), num_outputs=3)[1] + "
     "%s('c', shape=(3, 5, 2))" % (V, V), {}),
    ('concat', "%s('d', shape=(2, 0)) + mx.sym.Concat(%s('a', shape=(0, 10)), "
     "%s('b', shape=(0, 5)), dim=1)" % (V, V, V), {}),
    ('cast_conv_weight', "mx.sym.Convolution(mx.sym.cast(%s('data', shape=(1, 0, 0, 0)), "
     "dtype='float16'), mx.sym.cast(%s('weight'), dtype='float16'), pad=(3, 3), num_filter=64, "
     "stride=(2, 2), no_bias=True, kernel=(7, 7))" % (V, V), {}),
    ('declared_shape_overridden', "mx.sym.elemwise_add(%s('a', shape=(2, 3)), %s('b'))" % (V, V),
     {'a': (5, 6)}),
    ('reshape_batch_unknown', "mx.sym.Reshape(%s('x'), shape=(0, -1))" % V, {'x': (0, 3, 4)}),
    ('sum_keepdims', "mx.sym.sum(%s('x'), axis=1, keepdims=True)" % V, {'x': (0, 3, 4)}),
    ('mean_exclude', "mx.sym.mean(%s('x'), axis=1, exclude=True)" % V, {'x': (2, 0, 4)}),
    ('nanprod_over_unknown', "mx.sym.nanprod(%s('x'), axis=(0, 2))" % V, {'x': (2, 0, 4)}),
    # max, min, norm and the searches infer nothing from a partial shape
    ('max_keepdims', "mx.sym.max(%s('x'), axis=(0, 2), keepdims=True)" % V, {'x': (2, 0, 4)}),
    ('min_axis', "mx.sym.min(%s('x'), axis=1)" % V, {'x': (0, 3, 4)}),
    ('norm_axis', "mx.sym.norm(%s('x'), axis=2)" % V, {'x': (0, 3, 4)}),
    ('argmax_axis', "mx.sym.argmax(%s('x'), axis=-1)" % V, {'x': (2, 0, 4)}),
    ('argmin_all', "mx.sym.argmin(%s('x'))" % V, {'x': (0, 3)}),
    ('argmax_channel', "mx.sym.argmax_channel(%s('x'))" % V, {'x': (0, 3)}),
    ('max_then_add', "mx.sym.max(%s('x'), axis=1) + %s('y', shape=(5, 4))" % (V, V),
     {'x': (0, 3, 4)}),
    ('broadcast_add', "mx.sym.broadcast_add(%s('x'), %s('y'))" % (V, V),
     {'x': (0, 3), 'y': (1, 3)}),
    ('slice_fixed_end_on_unknown_axis', "mx.sym.slice(%s('x'), begin=(None, 3), end=(5, 10))"
     % V, {'x': (0, 20)}),
    ('slice_axis_on_unknown_axis', "mx.sym.slice_axis(%s('x'), axis=1, begin=0, end=5)" % V,
     {'x': (10, 0)}),
    ('slice_axis_on_known_axis', "mx.sym.slice_axis(%s('x'), axis=0, begin=1, end=-1)" % V,
     {'x': (10, 0, 3)}),
    ('transpose_back_to_ones', "mx.sym.ones(shape=(2, 3)) + mx.sym.transpose("
     "mx.sym.ones(shape=(0, 0)))", {}),
    ('transpose_mixed_ones', "mx.sym.ones(shape=(2, 0)) + mx.sym.transpose("
     "mx.sym.ones(shape=(3, 0)))", {}),
]


def as_list(shapes):
    return None if shapes is None else [None if s is None else list(s) for s in shapes]


def record(expr, shapes, np_shape):
    with mx.np_shape(np_shape):
        given = {k: tuple(-1 if (np_shape and d == 0) else d for d in v)
                 for k, v in shapes.items()}
        with mx.name.NameManager():
            sym = eval(expr, {'mx': mx})
        partial = sym.infer_shape_partial(**given)
        try:
            full = sym.infer_shape(**given)
        except mx.MXNetError:
            full = 'error'
    return {'arguments': sym.list_arguments(),
            'partial': [as_list(p) for p in partial],
            'full': full if full == 'error' else [as_list(f) for f in full]}


def main():
    cases = []
    for case_id, expr, shapes in CASES:
        for np_shape in (False, True):
            if np_shape and "shape=(" in expr:
                continue   # 0 in a declared shape is a zero size with NumPy shapes on
            cases.append(dict(id='%s%s' % (case_id, '_np' if np_shape else ''), expr=expr,
                              shapes=shapes, np_shape=np_shape,
                              **record(expr, shapes, np_shape)))
    with open(os.path.join(HERE, 'infer_partial.json'), 'w') as f:
        json.dump(cases, f, indent=1)
    print('%d cases' % len(cases))


if __name__ == '__main__':
    main()
