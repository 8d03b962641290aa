"""Golden cases for mxsym/ops/shape.py (recorded from MXNet 1.9.1 by make_ops_golden.py)."""
from op_cases import case


def cases():
    def concat(case_id, shapes, kwargs=None, dtype='float32', op='Concat'):
        return case(case_id, op, shapes, kwargs, variables=tuple(shapes), dtype=dtype,
                    positional=True)

    data = {'data': (2, 3, 4)}
    reshapes = [
        ('reshape_plain', {'shape': (4, 6)}),
        ('reshape_minus1', {'shape': (-1,)}),
        ('reshape_zero_minus1', {'shape': (0, -1)}),
        ('reshape_zero_zero_minus1', {'shape': (0, 0, -1)}),
        ('reshape_minus2', {'shape': (-2,)}),
        ('reshape_zero_minus2', {'shape': (0, -2)}),
        ('reshape_minus2_append', {'shape': (-2, 1, 1)}),
        ('reshape_minus3', {'shape': (-3, 4)}),
        ('reshape_zero_minus3', {'shape': (0, -3)}),
        ('reshape_minus4', {'shape': (-4, 1, 2, -2)}),
        ('reshape_minus4_infer', {'shape': (0, -4, -1, 3, 0)}),
        ('reshape_minus4_infer_second', {'shape': (-4, 2, -1, -2)}),
        ('reshape_reverse_minus1', {'shape': (-1, 0), 'reverse': True}),
        ('reshape_reverse_zero', {'shape': (0, -1), 'reverse': True}),
        ('reshape_target_shape', {'target_shape': (4, 0)}),
    ]
    cases = [case(name, 'Reshape', data, kwargs) for name, kwargs in reshapes]
    cases += [
        case('reshape_reverse_10_5_4', 'Reshape', {'data': (10, 5, 4)},
             {'shape': (-1, 0), 'reverse': True}),
        case('reshape_lowercase_alias', 'reshape', data, {'shape': (3, -1)}),
        case('reshape_fluent', 'data.reshape((6, 4))', data),
        case('reshape_int32', 'Reshape', data, {'shape': (-1, 2)}, dtype='int32'),
        case('broadcast_to_row', 'broadcast_to', {'data': (1, 4)}, {'shape': (3, 4)}),
        case('broadcast_to_zero_keeps', 'broadcast_to', {'data': (1, 4)}, {'shape': (2, 0)}),
        case('broadcast_to_middle', 'broadcast_to', {'data': (2, 1, 3)}, {'shape': (2, 5, 3)}),
        case('broadcast_to_zeros', 'broadcast_to', {'data': (1, 3, 1)}, {'shape': (2, 0, 4)}),
        case('broadcast_to_all_ones', 'broadcast_to', {'data': (1, 1)}, {'shape': (0, 3)}),
        case('broadcast_to_fluent', 'data.broadcast_to((3, 2, 4))', {'data': (3, 1, 4)}),
        concat('concat_default_dim', {'a': (2, 3), 'b': (2, 4)}),
        concat('concat_dim0_three', {'a': (2, 3), 'b': (1, 3), 'c': (3, 3)}, {'dim': 0}),
        concat('concat_dim_last_four',
               {'a': (2, 3, 1), 'b': (2, 3, 2), 'c': (2, 3, 3), 'd': (2, 3, 1)}, {'dim': -1}),
        concat('concat_dim1_4d', {'a': (2, 1, 2, 2), 'b': (2, 3, 2, 2)}, {'dim': 1}),
        concat('concat_dim2_4d', {'a': (1, 2, 2, 3), 'b': (1, 2, 1, 3), 'c': (1, 2, 3, 3)},
               {'dim': 2}),
        concat('concat_lowercase_alias', {'a': (2, 3), 'b': (2, 3)}, {'dim': 0}, op='concat'),
        concat('concat_int32', {'a': (2, 2), 'b': (2, 3)}, dtype='int32'),
        case('flatten_1d', 'Flatten', {'data': (5,)}),
        case('flatten_2d', 'Flatten', {'data': (3, 4)}),
        case('flatten_3d', 'Flatten', {'data': (2, 3, 4)}),
        case('flatten_4d', 'Flatten', {'data': (2, 3, 2, 2)}),
        case('flatten_lowercase_alias', 'flatten', {'data': (2, 3, 2)}),
    ]
    float_to = [('float32', 'float16'), ('float32', 'float64'), ('float32', 'int32'),
                ('float32', 'uint8'), ('float16', 'float32'), ('float16', 'int32'),
                ('float64', 'float32'), ('float64', 'uint8'), ('float32', 'float32')]
    cases += [case('cast_%s_to_%s' % pair, 'Cast', {'data': (3, 4)}, {'dtype': pair[1]},
                   dtype=pair[0], values={'data': 'cast'}) for pair in float_to]
    int_to = [('int32', 'float32'), ('int32', 'uint8'), ('int32', 'float16'),
              ('uint8', 'int32'), ('uint8', 'float32')]
    cases += [case('cast_%s_to_%s' % pair, 'Cast', {'data': (3, 4)}, {'dtype': pair[1]},
                   dtype=pair[0], values={'data': 'cast_int'}) for pair in int_to]
    cases += [
        case('cast_lowercase_alias', 'cast', {'data': (3, 4)}, {'dtype': 'int32'},
             values={'data': 'cast'}),
        case('cast_astype_fluent', "data.astype('float16')", {'data': (3, 4)}),
    ]
    return cases
