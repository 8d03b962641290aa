"""Golden cases for mxsym/ops/nn.py (recorded from MXNet 1.9.1 by make_ops_golden.py)."""
from op_cases import case


def cases():
    cases = [
        case('fc_2d', 'FullyConnected', {'data': (4, 5)}, {'num_hidden': 3}),
        case('fc_no_bias', 'FullyConnected', {'data': (4, 5)}, {'num_hidden': 3, 'no_bias': True}),
        case('fc_flatten_3d', 'FullyConnected', {'data': (2, 3, 4)}, {'num_hidden': 5}),
        case('fc_flatten_4d', 'FullyConnected', {'data': (2, 3, 2, 2)}, {'num_hidden': 4}),
        case('fc_flatten_true_explicit', 'FullyConnected', {'data': (2, 3, 4)},
             {'num_hidden': 2, 'flatten': True}),
        case('fc_flatten_false_2d', 'FullyConnected', {'data': (4, 5)},
             {'num_hidden': 3, 'flatten': False}),
        case('fc_flatten_false_3d', 'FullyConnected', {'data': (2, 3, 4)},
             {'num_hidden': 5, 'flatten': False}),
        case('fc_flatten_false_4d', 'FullyConnected', {'data': (2, 2, 3, 4)},
             {'num_hidden': 3, 'flatten': False}),
        case('fc_flatten_false_no_bias', 'FullyConnected', {'data': (2, 3, 4)},
             {'num_hidden': 3, 'flatten': False, 'no_bias': True}),
        case('fc_all_shapes_given', 'FullyConnected',
             {'data': (4, 5), 'weight': (3, 5), 'bias': (3,)}, {'num_hidden': 3},
             variables=('data', 'weight', 'bias')),
        case('fc_float64', 'FullyConnected', {'data': (4, 5)}, {'num_hidden': 3}, dtype='float64'),
    ]
    for act in ['relu', 'sigmoid', 'tanh', 'softrelu', 'softsign']:
        cases.append(case('act_' + act, 'Activation', {'data': (3, 4)}, {'act_type': act}))
        cases.append(case('act_%s_float16' % act, 'Activation', {'data': (3, 4)},
                          {'act_type': act}, dtype='float16'))
    cases += [
        case('act_relu_4d', 'Activation', {'data': (2, 3, 2, 2)}, {'act_type': 'relu'}),
        case('act_tanh_float64', 'Activation', {'data': (3, 4)}, {'act_type': 'tanh'},
             dtype='float64'),
    ]
    conv = [
        ('conv2d', (2, 3, 6, 6), {'kernel': (3, 3), 'num_filter': 4}),
        ('conv2d_stride_pad', (2, 3, 7, 7),
         {'kernel': (3, 3), 'num_filter': 4, 'stride': (2, 2), 'pad': (1, 1)}),
        ('conv2d_dilate', (1, 2, 7, 7), {'kernel': (3, 3), 'num_filter': 3, 'dilate': (2, 2)}),
        ('conv2d_asymmetric', (1, 2, 6, 7),
         {'kernel': (2, 3), 'num_filter': 3, 'stride': (1, 2), 'pad': (0, 1)}),
        ('conv2d_groups', (2, 4, 5, 5), {'kernel': (3, 3), 'num_filter': 6, 'num_group': 2}),
        ('conv2d_depthwise', (1, 3, 5, 5),
         {'kernel': (3, 3), 'num_filter': 3, 'num_group': 3, 'pad': (1, 1)}),
        ('conv2d_no_bias', (2, 3, 5, 5), {'kernel': (3, 3), 'num_filter': 2, 'no_bias': True}),
        ('conv2d_1x1', (2, 3, 4, 4), {'kernel': (1, 1), 'num_filter': 5}),
        ('conv2d_layout_nchw', (1, 2, 5, 5), {'kernel': (3, 3), 'num_filter': 2, 'layout': 'NCHW'}),
        ('conv2d_all_options', (2, 4, 9, 8),
         {'kernel': (3, 2), 'num_filter': 4, 'stride': (2, 1), 'pad': (1, 2), 'dilate': (2, 1),
          'num_group': 2, 'no_bias': True, 'workspace': 512}),
        ('conv1d', (2, 3, 8), {'kernel': (3,), 'num_filter': 4}),
        ('conv1d_stride_pad', (2, 3, 9), {'kernel': (3,), 'num_filter': 2, 'stride': (2,),
                                          'pad': (1,)}),
        ('conv1d_dilate_groups', (1, 4, 10),
         {'kernel': (3,), 'num_filter': 2, 'dilate': (3,), 'num_group': 2}),
        ('conv3d', (1, 2, 5, 5, 5), {'kernel': (3, 3, 3), 'num_filter': 2, 'pad': (1, 1, 1)}),
        ('conv3d_stride_no_bias', (2, 2, 5, 4, 5),
         {'kernel': (2, 2, 3), 'num_filter': 3, 'stride': (2, 1, 2), 'no_bias': True}),
    ]
    cases += [case(name, 'Convolution', {'data': shape}, kwargs) for name, shape, kwargs in conv]
    cases.append(case('conv2d_float64', 'Convolution', {'data': (1, 2, 5, 5)},
                      {'kernel': (3, 3), 'num_filter': 2, 'pad': (1, 1)}, dtype='float64'))
    bn_values = {'moving_var': 'positive'}
    bn = [
        ('bn_default_4d', (2, 3, 4, 4), {}),
        ('bn_fix_gamma_false_4d', (2, 3, 4, 4), {'fix_gamma': False}),
        ('bn_fix_gamma_false_2d', (6, 4), {'fix_gamma': False}),
        ('bn_default_2d', (6, 4), {}),
        ('bn_global_stats', (2, 3, 4, 4), {'fix_gamma': False, 'use_global_stats': True}),
        ('bn_global_stats_fix_gamma', (2, 3, 4, 4), {'use_global_stats': True}),
        ('bn_output_mean_var', (2, 3, 4, 4), {'fix_gamma': False, 'output_mean_var': True}),
        ('bn_output_mean_var_global', (2, 3, 4, 4),
         {'fix_gamma': False, 'output_mean_var': True, 'use_global_stats': True}),
        ('bn_axis_last_4d', (2, 4, 4, 3), {'fix_gamma': False, 'axis': -1}),
        ('bn_axis_last_3d', (2, 5, 3), {'fix_gamma': False, 'axis': -1}),
        ('bn_axis_2_3d', (2, 5, 3), {'fix_gamma': False, 'axis': 2}),
        ('bn_eps_momentum', (2, 3, 4, 4), {'fix_gamma': False, 'eps': 1e-05, 'momentum': 0.5}),
        ('bn_3d_channel_axis', (4, 3, 5), {'fix_gamma': False}),
    ]
    cases += [case(name, 'BatchNorm', {'data': shape}, kwargs, values=bn_values)
              for name, shape, kwargs in bn]
    cases += [
        case('bn_float64', 'BatchNorm', {'data': (2, 3, 4, 4)}, {'fix_gamma': False},
             dtype='float64', values=bn_values),
        case('bn_float16', 'BatchNorm', {'data': (4, 3, 2, 2)}, {'fix_gamma': False},
             dtype='float16', values=bn_values),
    ]
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
    cases += [case(name, 'Pooling', {'data': shape}, kwargs) for name, shape, kwargs in pool]
    cases += [
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
    return cases
