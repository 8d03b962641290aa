"""Golden cases for mxsym/ops/reduce.py (recorded from MXNet 1.9.1 by make_ops_golden.py)."""
from op_cases import case, expr

# Axis attributes of the sum/mean/prod/max/min family: (case suffix, kwargs).
AXIS_GRID = [
    ('all', {}),
    ('axis1', {'axis': 1}),
    ('axis_neg1', {'axis': -1}),
    ('axes_0_2', {'axis': (0, 2)}),
    ('axis_empty', {'axis': ()}),
    ('axis_none', {'axis': None}),
    ('all_keepdims', {'keepdims': True}),
    ('axes_keepdims', {'axis': (0, -1), 'keepdims': True}),
    ('exclude', {'axis': 1, 'exclude': True}),
    ('exclude_two', {'axis': (0, 2), 'exclude': True}),
    ('exclude_keepdims', {'axis': -1, 'exclude': True, 'keepdims': True}),
    ('exclude_empty_reduces_all', {'axis': (), 'exclude': True}),
    ('exclude_every_axis', {'axis': (0, 1, 2), 'exclude': True}),
]

# Values with repeats and zeros: ties for max/min, zeros for prod.
SMALL_INTS = {'data': 'ints:-2:2'}
# NaN wherever mask is 0: (data * mask) / mask.
WITH_NAN = "(data * mask / mask).%s"
NAN_VALUES = {'mask': 'ints:0:2'}
NAN_SHAPES = {'data': (2, 3, 4), 'mask': (2, 3, 4)}


def cases():
    data = {'data': (2, 3, 4)}
    cases = [case('sum_' + name, 'sum', data, kwargs) for name, kwargs in AXIS_GRID]
    cases += [case('mean_' + name, 'mean', data, kwargs) for name, kwargs in AXIS_GRID[:4]]
    cases += [case('max_' + name, 'max', data, kwargs) for name, kwargs in AXIS_GRID[:9]]
    cases += [
        case('sum_alias_sum_axis', 'sum_axis', data, {'axis': 1}),
        case('sum_1d', 'sum', {'data': (5,)}),
        case('sum_1d_axis0_keepdims', 'sum', {'data': (5,)}, {'axis': 0, 'keepdims': True}),
        case('sum_float16', 'sum', data, {'axis': (1, 2)}, dtype='float16'),
        case('sum_float64', 'sum', data, {'axis': -1}, dtype='float64'),
        case('sum_int32', 'sum', data, {'axis': 1}, dtype='int32'),
        case('sum_int32_all', 'sum', data, dtype='int32'),
        case('sum_uint8_wraps', 'sum', {'data': (4, 6)}, {'axis': 1}, dtype='uint8'),
        expr('sum_fluent', 'data.sum(axis=1)', data),
        case('mean_keepdims', 'mean', data, {'axis': 1, 'keepdims': True}),
        case('mean_exclude', 'mean', data, {'axis': 1, 'exclude': True}),
        case('mean_float16', 'mean', data, {'axis': 2}, dtype='float16'),
        case('mean_float64', 'mean', data, dtype='float64'),
        case('mean_int32_truncates', 'mean', {'data': (4, 5)}, {'axis': 1}, dtype='int32'),
        case('mean_int32_all', 'mean', data, dtype='int32'),
        expr('mean_fluent', 'data.mean(axis=(0, 2))', data),
        case('prod_all', 'prod', {'data': (2, 3)}),
        case('prod_axis1', 'prod', data, {'axis': 1}),
        case('prod_exclude_keepdims', 'prod', data,
             {'axis': 0, 'exclude': True, 'keepdims': True}),
        case('prod_zeros_gradient', 'prod', data, {'axis': -1}, values=SMALL_INTS),
        case('prod_float16', 'prod', {'data': (3, 4)}, {'axis': 1}, dtype='float16'),
        case('prod_float64', 'prod', data, {'axis': (0, 1)}, dtype='float64'),
        case('prod_int32', 'prod', {'data': (3, 4)}, {'axis': 0}, dtype='int32',
             values={'data': 'ints:-3:3'}),
        expr('prod_fluent', 'data.prod(axis=1)', data),
        case('nansum_all', 'nansum', data),
        case('nansum_axis1', 'nansum', data, {'axis': 1, 'keepdims': True}),
        case('nansum_float64', 'nansum', data, {'axis': -1}, dtype='float64'),
        case('nansum_int32', 'nansum', data, {'axis': 0}, dtype='int32'),
        expr('nansum_skips_nan', WITH_NAN % 'nansum(axis=1)', NAN_SHAPES,
             values=NAN_VALUES),
        expr('nansum_skips_nan_all', WITH_NAN % 'nansum()', {'data': (3, 4), 'mask': (3, 4)},
             values=NAN_VALUES),
        case('nanprod_all', 'nanprod', {'data': (2, 3)}),
        case('nanprod_axis1', 'nanprod', data, {'axis': 1}),
        case('nanprod_exclude', 'nanprod', data, {'axis': 1, 'exclude': True}),
        case('nanprod_float64', 'nanprod', data, {'axis': -1}, dtype='float64'),
        expr('nanprod_skips_nan', WITH_NAN % 'nanprod(axis=-1)',
             NAN_SHAPES, values=NAN_VALUES),
        expr('max_propagates_nan', WITH_NAN % 'max(axis=1)', NAN_SHAPES, values=NAN_VALUES),
        expr('min_propagates_nan', WITH_NAN % 'min(axis=(0, 2))', NAN_SHAPES,
             values=NAN_VALUES),
        expr('max_propagates_nan_all', WITH_NAN % 'max()', NAN_SHAPES, values=NAN_VALUES),
        case('max_ties_gradient', 'max', data, {'axis': 1}, values=SMALL_INTS),
        case('max_ties_all', 'max', {'data': (3, 4)}, values=SMALL_INTS),
        case('max_alias_max_axis', 'max_axis', data, {'axis': 2}),
        case('max_float16', 'max', data, {'axis': -1}, dtype='float16'),
        case('max_float64', 'max', data, {'axis': (0, 1)}, dtype='float64'),
        case('max_int32', 'max', data, {'axis': 1}, dtype='int32'),
        expr('max_nan_wins', WITH_NAN % 'max(axis=1)', NAN_SHAPES,
             values=NAN_VALUES),
        expr('max_fluent', 'data.max(axis=0)', data),
        case('min_all', 'min', data),
        case('min_axis_neg1', 'min', data, {'axis': -1}),
        case('min_exclude', 'min', data, {'axis': (0, 2), 'exclude': True}),
        case('min_keepdims', 'min', data, {'axis': 1, 'keepdims': True}),
        case('min_ties_gradient', 'min', data, {'axis': 0}, values=SMALL_INTS),
        case('min_alias_min_axis', 'min_axis', data, {'axis': 1}),
        case('min_float16', 'min', data, {'axis': 1}, dtype='float16'),
        case('min_float64', 'min', data, dtype='float64'),
        case('min_int32', 'min', data, {'axis': -1}, dtype='int32'),
        expr('min_fluent', 'data.min(axis=-1, keepdims=True)', data),
    ]
    cases += _norm_cases(data)
    cases += _search_cases(data)
    cases += _moments_cases(data)
    return cases


def _norm_cases(data):
    return [
        case('norm_default', 'norm', data),
        case('norm_ord1', 'norm', data, {'ord': 1}),
        case('norm_ord2_explicit', 'norm', data, {'ord': 2}),
        case('norm_axis1', 'norm', data, {'axis': 1}),
        case('norm_axis_neg1_keepdims', 'norm', data, {'axis': -1, 'keepdims': True}),
        case('norm_two_axes', 'norm', data, {'axis': (1, 2)}),
        case('norm_all_keepdims', 'norm', data, {'keepdims': True}),
        case('norm_ord1_axis0', 'norm', data, {'ord': 1, 'axis': 0}),
        case('norm_ord1_zeros', 'norm', data, {'ord': 1, 'axis': -1}, values=SMALL_INTS),
        case('norm_ord2_zero_vector', 'norm', {'data': (2, 3)}, {'axis': 1},
             values={'data': 'ints:0:0'}),
        case('norm_out_dtype_same', 'norm', data, {'axis': 1, 'out_dtype': 'float32'}),
        case('norm_float16', 'norm', data, {'axis': 2}, dtype='float16'),
        case('norm_float64', 'norm', data, {'axis': (0, 2)}, dtype='float64'),
        case('norm_float64_out_dtype', 'norm', data, {'ord': 1, 'out_dtype': 'float64'},
             dtype='float64'),
        case('norm_int32_ord1', 'norm', data, {'ord': 1, 'axis': 1}, dtype='int32'),
        case('norm_int32_ord2_quirk', 'norm', {'data': (4, 6)}, {'axis': 1}, dtype='int32',
             values={'data': 'ints:-3:3'}),
        case('norm_int32_ord2_all', 'norm', data, dtype='int32'),
        expr('norm_fluent', 'data.norm(axis=1)', data),
    ]


def _search_cases(data):
    cases = []
    for op in ['argmax', 'argmin']:
        cases += [
            case(op + '_default', op, data),
            case(op + '_axis0', op, data, {'axis': 0}),
            case(op + '_axis_neg1', op, data, {'axis': -1}),
            case(op + '_keepdims', op, data, {'axis': 1, 'keepdims': True}),
            case(op + '_all_keepdims', op, data, {'keepdims': True}),
            case(op + '_1d_keepdims', op, {'data': (5,)}, {'axis': 0, 'keepdims': True}),
            case(op + '_ties_first', op, data, {'axis': 1}, values=SMALL_INTS),
            case(op + '_float16', op, data, {'axis': 2}, dtype='float16'),
            case(op + '_float64', op, data, {'axis': 1}, dtype='float64'),
            case(op + '_int32', op, data, {'axis': -1}, dtype='int32'),
            expr(op + '_nan_wins', WITH_NAN % (op + '(axis=1)'),
                 NAN_SHAPES, values=NAN_VALUES),
            expr(op + '_fluent', 'data.%s(axis=-1)' % op, data),
        ]
    # argmax_channel has no gradient in MXNet: one_hot (zero gradient) keeps the backward legal.
    cases += [
        expr('argmax_channel_2d', 'data.argmax_channel().one_hot(depth=5)', {'data': (3, 5)}),
        expr('argmax_channel_3d', 'data.argmax_channel().one_hot(depth=3)', data),
        expr('argmax_channel_ties', 'data.argmax_channel().one_hot(depth=3)', data,
             values=SMALL_INTS),
        expr('argmax_channel_float64', 'data.argmax_channel().one_hot(depth=4)', {'data': (3, 4)},
             dtype='float64'),
    ]
    return cases


def _moments_cases(data):
    return [
        case('moments_axis1', 'moments', data, {'axes': (1,)}),
        case('moments_axes_0_2', 'moments', data, {'axes': (0, 2)}),
        case('moments_negative_axis', 'moments', data, {'axes': -1}),
        case('moments_keepdims', 'moments', data, {'axes': (1, 2), 'keepdims': True}),
        case('moments_every_axis', 'moments', data, {'axes': (0, 1, 2)}),
        case('moments_float16', 'moments', data, {'axes': (1,)}, dtype='float16'),
        case('moments_float64', 'moments', data, {'axes': (0, 1)}, dtype='float64'),
    ]
