"""Golden cases for mxsym/ops/softmax.py (recorded from MXNet 1.9.1 by make_ops_golden.py)."""
from op_cases import case


def with_length(spec, length_type, recipe):
    """A use_length case: the length input is an integer array (MXNet refuses float lengths)."""
    spec['types']['length'] = length_type
    spec['values']['length'] = recipe
    return spec


def cases():
    cases = []
    for op in ['softmax', 'log_softmax', 'softmin']:
        grid = [
            ('default', (3, 5), {}),
            ('axis0', (3, 5), {'axis': 0}),
            ('axis1_3d', (2, 3, 4), {'axis': 1}),
            ('axis_minus2_3d', (2, 3, 4), {'axis': -2}),
            ('axis_minus1_explicit', (2, 3, 4), {'axis': -1}),
            ('axis0_4d', (3, 2, 2, 2), {'axis': 0}),
            ('1d', (6,), {}),
            ('temperature_2', (3, 5), {'temperature': 2.0}),
            ('temperature_0_3', (3, 5), {'temperature': 0.3}),
            ('temperature_1', (3, 5), {'temperature': 1.0}),
            ('dtype_same', (3, 5), {'dtype': 'float32'}),
            ('dtype_float64', (3, 5), {'dtype': 'float64'}),
            ('dtype_float16', (3, 5), {'dtype': 'float16'}),
            ('use_length_false', (3, 5), {'use_length': False}),
        ]
        cases += [case('%s_%s' % (op, name), op, {'data': shape}, kwargs)
                  for name, shape, kwargs in grid]
        cases += [
            case(op + '_float64', op, {'data': (3, 5)}, {'axis': 0}, dtype='float64'),
            case(op + '_float64_temperature', op, {'data': (3, 5)}, {'temperature': 0.7},
                 dtype='float64'),
            case(op + '_float16', op, {'data': (3, 5)}, dtype='float16'),
            case(op + '_float16_axis0', op, {'data': (4, 3)}, {'axis': 0}, dtype='float16'),
            case(op + '_float16_temperature', op, {'data': (3, 6)}, {'temperature': 3.0},
                 dtype='float16'),
            # float16 data summed in float16, then written as float32 or float64.
            case(op + '_float16_to_float32', op, {'data': (3, 7)}, {'dtype': 'float32'},
                 dtype='float16'),
            case(op + '_float16_to_float64', op, {'data': (4, 5)},
                 {'dtype': 'float64', 'axis': 0}, dtype='float16'),
            case(op + '_float16_to_float32_temperature', op, {'data': (2, 6)},
                 {'dtype': 'float32', 'temperature': 0.6}, dtype='float16'),
            # MXNET_SAFE_ACCUMULATION=1: float16 rows summed in float32, float32 in float64.
            case(op + '_safe_float16_to_float64', op, {'data': (3, 11)}, {'dtype': 'float64'},
                 dtype='float16', environment={'MXNET_SAFE_ACCUMULATION': '1'}),
            case(op + '_safe_float16_to_float32', op, {'data': (11, 3)},
                 {'dtype': 'float32', 'axis': 0}, dtype='float16',
                 environment={'MXNET_SAFE_ACCUMULATION': '1'}),
            case(op + '_safe_float32_to_float64', op, {'data': (2, 13)},
                 {'dtype': 'float64', 'temperature': 0.6},
                 environment={'MXNET_SAFE_ACCUMULATION': '1'}),
            case(op + '_large_values', op, {'data': (2, 4)}, values={'data': 'cast'}),
            case(op + '_fluent', 'data.%s(axis=0)' % op, {'data': (3, 4)}),
        ]
    cases += [
        with_length(case('softmax_length', 'softmax', {'data': (3, 5)}, {'use_length': True},
                         variables=('data', 'length')), 'int32', 'ints:1:5'),
        with_length(case('softmax_length_zero', 'softmax', {'data': (4, 3)},
                         {'use_length': True}, variables=('data', 'length')),
                    'int32', 'ints:0:3'),
        with_length(case('softmax_length_int64', 'softmax', {'data': (3, 5)},
                         {'use_length': True}, variables=('data', 'length')),
                    'int64', 'ints:1:5'),
        with_length(case('softmax_length_axis0_3d', 'softmax', {'data': (4, 2, 3)},
                         {'use_length': True, 'axis': 0}, variables=('data', 'length')),
                    'int32', 'ints:1:4'),
        with_length(case('softmax_length_axis1_3d', 'softmax', {'data': (2, 5, 3)},
                         {'use_length': True, 'axis': 1, 'temperature': 2.0},
                         variables=('data', 'length')), 'int32', 'ints:1:5'),
        with_length(case('softmax_length_1d', 'softmax', {'data': (5,)},
                         {'use_length': True}, variables=('data', 'length')),
                    'int32', 'ints:2:4'),
        with_length(case('softmax_length_dtype', 'softmax', {'data': (3, 5)},
                         {'use_length': True, 'dtype': 'float64'},
                         variables=('data', 'length')), 'int32', 'ints:1:5'),
        with_length(case('softmax_length_float16', 'softmax', {'data': (3, 5)},
                         {'use_length': True}, variables=('data', 'length'),
                         dtype='float16'), 'int32', 'ints:1:5'),
    ]
    activation = [
        ('softmax_activation_default', (4, 5), {}),
        ('softmax_activation_instance_2d', (4, 5), {'mode': 'instance'}),
        # instance mode: the forward runs over all non-batch axes, the gradient over axis 1 only.
        ('softmax_activation_instance_3d', (2, 3, 4), {'mode': 'instance'}),
        ('softmax_activation_instance_4d', (2, 3, 2, 2), {}),
        ('softmax_activation_channel_3d', (2, 3, 4), {'mode': 'channel'}),
        ('softmax_activation_channel_4d', (2, 4, 2, 3), {'mode': 'channel'}),
    ]
    cases += [case(name, 'SoftmaxActivation', {'data': shape}, kwargs)
              for name, shape, kwargs in activation]
    return cases
