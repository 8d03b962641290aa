"""Golden cases for mxsym/ops/pooling.py (recorded from MXNet 1.9.1 by make_ops_golden.py)."""
from op_cases import case


def cases():
    pool = [
        ('pool_max_2x2', (2, 3, 6, 6), {'kernel': (2, 2), 'stride': (2, 2)}),
        ('pool_max_default_stride', (1, 2, 4, 4), {'kernel': (2, 2)}),
        ('pool_max_pad', (1, 2, 6, 6), {'kernel': (3, 3), 'stride': (2, 2), 'pad': (1, 1)}),
        ('pool_max_full', (1, 2, 6, 6),
         {'kernel': (3, 3), 'stride': (2, 2), 'pooling_convention': 'full'}),
        ('pool_max_valid_explicit', (1, 2, 6, 6),
         {'kernel': (3, 3), 'stride': (2, 2), 'pooling_convention': 'valid',
          'pool_type': 'max'}),
        ('pool_avg', (2, 3, 6, 6), {'kernel': (2, 2), 'stride': (2, 2), 'pool_type': 'avg'}),
        ('pool_avg_pad_default', (1, 2, 5, 5),
         {'kernel': (3, 3), 'stride': (2, 2), 'pad': (1, 1), 'pool_type': 'avg'}),
        ('pool_avg_pad_include', (1, 2, 5, 5),
         {'kernel': (3, 3), 'stride': (2, 2), 'pad': (1, 1), 'pool_type': 'avg',
          'count_include_pad': True}),
        ('pool_avg_pad_exclude', (1, 2, 5, 5),
         {'kernel': (3, 3), 'stride': (2, 2), 'pad': (1, 1), 'pool_type': 'avg',
          'count_include_pad': False}),
        ('pool_avg_full_include', (1, 2, 6, 6),
         {'kernel': (3, 3), 'stride': (2, 2), 'pad': (1, 1), 'pool_type': 'avg',
          'pooling_convention': 'full'}),
        ('pool_avg_full_exclude', (1, 2, 6, 6),
         {'kernel': (3, 3), 'stride': (2, 2), 'pad': (1, 1), 'pool_type': 'avg',
          'pooling_convention': 'full', 'count_include_pad': False}),
        ('pool_sum', (1, 2, 5, 5), {'kernel': (2, 2), 'stride': (1, 1), 'pool_type': 'sum'}),
        ('pool_sum_pad', (1, 2, 5, 5),
         {'kernel': (3, 3), 'stride': (2, 2), 'pad': (1, 1), 'pool_type': 'sum'}),
        # p_value=1 pools the plain sum, without absolute values.
        ('pool_lp1', (1, 2, 5, 5), {'kernel': (2, 2), 'pool_type': 'lp', 'p_value': 1}),
        ('pool_lp2', (1, 2, 5, 5), {'kernel': (2, 2), 'pool_type': 'lp', 'p_value': 2}),
        ('pool_lp2_stride_pad', (1, 2, 6, 6),
         {'kernel': (3, 3), 'stride': (2, 2), 'pad': (1, 1), 'pool_type': 'lp', 'p_value': 2}),
        ('pool_global_max', (2, 3, 4, 5), {'global_pool': True}),
        ('pool_global_avg', (2, 3, 4, 5), {'global_pool': True, 'pool_type': 'avg'}),
        ('pool_global_sum', (2, 3, 4, 5), {'global_pool': True, 'pool_type': 'sum'}),
        ('pool_global_ignores_kernel', (2, 3, 4, 5),
         {'kernel': (2, 2), 'stride': (2, 2), 'pad': (1, 1), 'global_pool': True,
          'pool_type': 'avg'}),
        ('pool_global_avg_1d', (2, 3, 7), {'global_pool': True, 'pool_type': 'avg',
                                           'kernel': (1,)}),
        ('pool1d_max', (2, 3, 9), {'kernel': (3,), 'stride': (2,)}),
        ('pool1d_avg_pad_exclude', (2, 3, 8),
         {'kernel': (3,), 'stride': (2,), 'pad': (1,), 'pool_type': 'avg',
          'count_include_pad': False}),
        ('pool1d_max_full', (1, 2, 8),
         {'kernel': (3,), 'stride': (2,), 'pooling_convention': 'full'}),
        ('pool3d_max', (1, 2, 4, 4, 4), {'kernel': (2, 2, 2), 'stride': (2, 2, 2)}),
        ('pool3d_avg_pad_exclude', (1, 2, 4, 5, 4),
         {'kernel': (3, 3, 3), 'stride': (2, 2, 2), 'pad': (1, 1, 1), 'pool_type': 'avg',
          'count_include_pad': False}),
        ('pool3d_avg_full', (1, 1, 5, 4, 5),
         {'kernel': (2, 2, 2), 'stride': (2, 2, 2), 'pool_type': 'avg',
          'pooling_convention': 'full'}),
        ('pool_max_nhwc', (1, 5, 5, 2), {'kernel': (2, 2), 'stride': (2, 2), 'layout': 'NHWC'}),
        ('pool_avg_nhwc', (1, 5, 5, 2),
         {'kernel': (3, 3), 'stride': (2, 2), 'pad': (1, 1), 'pool_type': 'avg',
          'layout': 'NHWC'}),
    ]
    return [case(name, 'Pooling', {'data': shape}, kwargs) for name, shape, kwargs in pool] + [
        case(name, 'Pooling_v1', {'data': shape}, kwargs) for name, shape, kwargs in _pool_v1()] + [
        case('pool_max_float16', 'Pooling', {'data': (1, 2, 4, 4)},
             {'kernel': (2, 2), 'stride': (2, 2)}, dtype='float16'),
        case('pool_avg_float16', 'Pooling', {'data': (1, 2, 5, 5)},
             {'kernel': (3, 3), 'stride': (2, 2), 'pad': (1, 1), 'pool_type': 'avg'},
             dtype='float16'),
        # float64: for float32, MXNet's CPU backward divides windows that stick out of the input
        # by the whole kernel size while its forward divides by the in-bounds count; the
        # float64 path is consistent.
        case('pool_avg_full_no_pad', 'Pooling', {'data': (1, 2, 6, 6)},
             {'kernel': (3, 3), 'stride': (2, 2), 'pool_type': 'avg', 'pooling_convention': 'full'},
             dtype='float64'),
        case('pool_avg_float64', 'Pooling', {'data': (1, 2, 5, 5)},
             {'kernel': (3, 3), 'stride': (2, 2), 'pad': (1, 1), 'pool_type': 'avg'},
             dtype='float64'),
    ]


def _pool_v1():
    """Pooling_v1's padding holds zeros, seen by max pooling too ('negative' data shows it)."""
    return [
        ('pool_v1_max', (2, 3, 6, 6), {'kernel': (2, 2), 'stride': (2, 2)}),
        ('pool_v1_max_pad', (1, 2, 5, 5), {'kernel': (3, 3), 'stride': (2, 2), 'pad': (1, 1)}),
        ('pool_v1_max_full', (1, 2, 6, 6),
         {'kernel': (3, 3), 'stride': (2, 2), 'pooling_convention': 'full'}),
        ('pool_v1_avg_pad', (1, 2, 5, 5),
         {'kernel': (3, 3), 'stride': (2, 2), 'pad': (1, 1), 'pool_type': 'avg'}),
        ('pool_v1_avg_full', (1, 2, 6, 6),
         {'kernel': (3, 3), 'stride': (2, 2), 'pool_type': 'avg', 'pooling_convention': 'full'}),
        ('pool_v1_sum_full_pad', (1, 2, 6, 6),
         {'kernel': (3, 3), 'stride': (2, 2), 'pad': (1, 1), 'pool_type': 'sum',
          'pooling_convention': 'full'}),
        ('pool_v1_global_max', (2, 3, 4, 5), {'global_pool': True, 'kernel': (1, 1)}),
        ('pool_v1_global_avg', (2, 3, 4, 5),
         {'global_pool': True, 'kernel': (2, 2), 'pad': (1, 1), 'pool_type': 'avg'}),
    ]
