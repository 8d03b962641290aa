"""Golden cases for mxsym/ops/nn.py (recorded from MXNet 1.9.1 by make_ops_golden.py)."""
from op_cases import case, expr


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
        # fewer input or output positions than the window has taps
        ('conv2d_smaller_than_window', (2, 3, 2, 2),
         {'kernel': (3, 3), 'num_filter': 4, 'pad': (1, 1)}),
        ('conv2d_output_smaller_than_window', (2, 3, 4, 5),
         {'kernel': (3, 3), 'num_filter': 4, 'stride': (2, 2), 'pad': (1, 1), 'dilate': (1, 2)}),
        ('conv1d_smaller_than_window', (2, 3, 2), {'kernel': (5,), 'num_filter': 2, 'pad': (2,),
                                                   'no_bias': True}),
        ('conv2d_padding_only_taps', (2, 3, 1, 2),
         {'kernel': (3, 3), 'num_filter': 4, 'pad': (1, 2), 'stride': (1, 2)}),
        # batch times output positions at most half the filters
        ('conv2d_many_filters', (1, 2, 4, 4), {'kernel': (3, 3), 'num_filter': 40, 'pad': (1, 1)}),
    ]
    cases += [case(name, 'Convolution', {'data': shape}, kwargs) for name, shape, kwargs in conv]
    cases.append(case('conv2d_float64', 'Convolution', {'data': (1, 2, 5, 5)},
                      {'kernel': (3, 3), 'num_filter': 2, 'pad': (1, 1)}, dtype='float64'))
    cases += _deconvolution() + _upsampling()
    cases += _dropout() + _leaky_relu() + _embedding() + _convolution_v1()
    return cases


def _deconvolution():
    deconv = [
        ('deconv2d', (2, 3, 4, 4), {'kernel': (3, 3), 'num_filter': 2}),
        ('deconv2d_bias', (2, 3, 3, 3), {'kernel': (3, 3), 'num_filter': 2, 'no_bias': False}),
        ('deconv2d_stride_pad_adj', (1, 2, 3, 3),
         {'kernel': (3, 3), 'num_filter': 3, 'stride': (2, 2), 'pad': (1, 1), 'adj': (1, 1)}),
        ('deconv2d_dilate', (1, 2, 3, 3), {'kernel': (3, 3), 'num_filter': 2, 'dilate': (2, 2)}),
        ('deconv2d_groups', (1, 4, 3, 3),
         {'kernel': (2, 2), 'num_filter': 6, 'num_group': 2, 'stride': (2, 2)}),
        ('deconv2d_depthwise', (1, 3, 3, 3),
         {'kernel': (3, 3), 'num_filter': 3, 'num_group': 3, 'pad': (1, 1), 'no_bias': False}),
        # pad beyond the kernel's reach crops the full output.
        ('deconv2d_pad_beyond_kernel', (1, 2, 4, 4),
         {'kernel': (2, 2), 'num_filter': 2, 'stride': (2, 2), 'pad': (2, 1)}),
        ('deconv2d_asymmetric', (1, 2, 3, 4),
         {'kernel': (2, 3), 'num_filter': 2, 'stride': (1, 2), 'pad': (0, 1)}),
        ('deconv2d_layout_nchw', (1, 2, 3, 3),
         {'kernel': (2, 2), 'num_filter': 2, 'layout': 'NCHW'}),
        ('deconv2d_all_options', (2, 4, 3, 3),
         {'kernel': (3, 2), 'num_filter': 4, 'stride': (2, 3), 'dilate': (2, 1), 'pad': (1, 0),
          'adj': (1, 2), 'num_group': 2, 'no_bias': False, 'workspace': 256}),
        ('deconv1d', (2, 3, 5), {'kernel': (3,), 'num_filter': 2}),
        ('deconv1d_stride_pad_adj', (2, 2, 4),
         {'kernel': (3,), 'num_filter': 2, 'stride': (2,), 'pad': (1,), 'adj': (1,),
          'no_bias': False}),
        ('deconv3d', (1, 2, 2, 3, 2),
         {'kernel': (2, 2, 2), 'num_filter': 2, 'stride': (2, 1, 2), 'no_bias': False}),
        ('deconv3d_pad', (1, 2, 3, 3, 3),
         {'kernel': (3, 3, 3), 'num_filter': 2, 'pad': (1, 1, 1)}),
    ]
    cases = [case(name, 'Deconvolution', {'data': shape}, kwargs)
             for name, shape, kwargs in deconv]
    cases += [
        case('deconv2d_float64', 'Deconvolution', {'data': (1, 2, 3, 3)},
             {'kernel': (3, 3), 'num_filter': 2, 'stride': (2, 2), 'pad': (1, 1),
              'no_bias': False}, dtype='float64'),
        case('deconv1d_float64', 'Deconvolution', {'data': (1, 2, 4)},
             {'kernel': (2,), 'num_filter': 3, 'stride': (2,)}, dtype='float64'),
        # target_shape sets pad and adj itself: the full 7x7 output loses its first row and
        # column for 6x6. (float64: MXNet's float32 CPU kernel fails with a target_shape.)
        case('deconv2d_target_shape', 'Deconvolution', {'data': (1, 2, 3, 3)},
             {'kernel': (3, 3), 'num_filter': 2, 'stride': (2, 2), 'target_shape': (6, 6)},
             dtype='float64'),
        case('deconv2d_target_shape_ignores_pad', 'Deconvolution', {'data': (1, 2, 3, 3)},
             {'kernel': (3, 3), 'num_filter': 2, 'stride': (2, 2), 'target_shape': (7, 7),
              'pad': (1, 1), 'adj': (1, 1)}, dtype='float64'),
        case('deconv2d_target_shape_uneven', 'Deconvolution', {'data': (1, 2, 3, 3)},
             {'kernel': (3, 3), 'num_filter': 2, 'stride': (2, 2), 'target_shape': (7, 4),
              'pad': (2, 2), 'no_bias': False}, dtype='float64'),
        case('deconv1d_target_shape', 'Deconvolution', {'data': (1, 2, 4)},
             {'kernel': (4,), 'num_filter': 3, 'stride': (3,), 'target_shape': (11,)},
             dtype='float64'),
        case('deconv2d_all_shapes_given', 'Deconvolution',
             {'data': (1, 2, 3, 3), 'weight': (2, 3, 2, 2), 'bias': (3,)},
             {'kernel': (2, 2), 'num_filter': 3, 'no_bias': False},
             variables=('data', 'weight', 'bias')),
    ]
    return cases


def _upsampling():
    two = {'a': (1, 2, 2, 2), 'b': (1, 3, 4, 4)}
    return [
        case('up_nearest', 'UpSampling', {'data': (1, 2, 2, 3)},
             {'scale': 2, 'sample_type': 'nearest'}, positional=True),
        case('up_nearest_scale3', 'UpSampling', {'data': (2, 1, 2, 2)},
             {'scale': 3, 'sample_type': 'nearest'}, positional=True),
        # Each further input is scaled up to the first one's output size.
        case('up_nearest_concat', 'UpSampling', two, {'scale': 2, 'sample_type': 'nearest'},
             variables=tuple(two), positional=True),
        case('up_nearest_sum', 'UpSampling', {'a': (1, 2, 2, 2), 'b': (1, 2, 1, 1)},
             {'scale': 2, 'sample_type': 'nearest', 'multi_input_mode': 'sum'},
             variables=('a', 'b'), positional=True),
        # num_args larger than the inputs given: the missing one becomes a variable.
        case('up_nearest_auto_input', 'UpSampling',
             {'a': (1, 1, 2, 2), 'upsampling0_arg1': (1, 1, 1, 1)},
             {'scale': 2, 'sample_type': 'nearest', 'num_args': 2,
              'multi_input_mode': 'sum'}, variables=('a',), positional=True),
        case('up_nearest_float16', 'UpSampling', two, {'scale': 2, 'sample_type': 'nearest'},
             variables=tuple(two), positional=True, dtype='float16'),
        case('up_nearest_float64', 'UpSampling', {'data': (1, 2, 2, 3)},
             {'scale': 2, 'sample_type': 'nearest'}, positional=True, dtype='float64'),
        # Bilinear: a depthwise Deconvolution by a learnable (C, 1, k, k) weight.
        case('up_bilinear', 'UpSampling', {'data': (1, 2, 3, 3)},
             {'scale': 2, 'sample_type': 'bilinear', 'num_filter': 2}, positional=True),
        case('up_bilinear_scale3', 'UpSampling', {'data': (2, 1, 2, 2)},
             {'scale': 3, 'sample_type': 'bilinear', 'num_filter': 1}, positional=True),
        case('up_bilinear_weight_given', 'UpSampling', {'data': (1, 2, 2, 2), 'w': (2, 1, 4, 4)},
             {'scale': 2, 'sample_type': 'bilinear', 'num_filter': 2},
             variables=('data', 'w'), positional=True),
        case('up_bilinear_float64', 'UpSampling', {'data': (1, 2, 3, 3)},
             {'scale': 2, 'sample_type': 'bilinear', 'num_filter': 2}, positional=True,
             dtype='float64'),
    ]


def _dropout():
    """Dropout cases whose training forward is deterministic (p=0, and p=1, which gives NaN
    everywhere: dropped values are 0 * 1/(1-p)); the random ones (0 < p < 1) are checked for
    symbol facts and inference here, statistics in test_nn.py."""
    dropout = [
        ('dropout_p0', {'p': 0.0}, 'float32'),
        ('dropout_p1', {'p': 1.0}, 'float32'),
        ('dropout_p1_always', {'p': 1.0, 'mode': 'always'}, 'float32'),
        ('dropout_p1_axes', {'p': 1.0, 'axes': (1,)}, 'float64'),
        ('dropout_p0_always', {'p': 0.0, 'mode': 'always'}, 'float32'),
        ('dropout_p0_axes', {'p': 0.0, 'axes': (1,)}, 'float32'),
        ('dropout_p0_float16', {'p': 0.0}, 'float16'),
        ('dropout_p0_float64', {'p': 0.0}, 'float64'),
        ('dropout_random_default', {}, 'float32'),
        ('dropout_random_axes', {'p': 0.3, 'axes': (0, 2)}, 'float32'),
        ('dropout_random_always', {'p': 0.4, 'mode': 'always'}, 'float32'),
        ('dropout_random_float16', {'p': 0.5, 'cudnn_off': True}, 'float16'),
    ]
    return [case(name, 'Dropout', {'data': (3, 4, 2)}, kwargs, dtype=dtype)
            for name, kwargs, dtype in dropout]


def _leaky_relu():
    """LeakyReLU's deterministic modes; rrelu (random in training, and crashing MXNet's CPU
    training forward) is tested in test_nn.py."""
    leaky = [
        ('leaky_default', (3, 4), {}),
        ('leaky_slope', (2, 3, 2), {'act_type': 'leaky', 'slope': 0.1}),
        ('leaky_prelu', (2, 3, 4), {'act_type': 'prelu'}),
        ('leaky_prelu_4d', (2, 3, 2, 2), {'act_type': 'prelu'}),
        ('leaky_prelu_2d', (3, 4), {'act_type': 'prelu'}),
        ('leaky_elu', (3, 4), {'act_type': 'elu'}),
        ('leaky_elu_slope', (3, 4), {'act_type': 'elu', 'slope': 1.0}),
        ('leaky_selu', (3, 4), {'act_type': 'selu'}),
        ('leaky_gelu', (3, 4), {'act_type': 'gelu'}),
    ]
    cases = [case(name, 'LeakyReLU', {'data': shape}, kwargs) for name, shape, kwargs in leaky]
    # A given gamma's axes fall on data's batch and channel axes, matched from its last.
    prelu_gammas = [
        ('leaky_prelu_gamma_per_element', (3, 4), (3, 4)),
        ('leaky_prelu_gamma_batch_channel_4d', (3, 4, 2, 2), (3, 4)),
        ('leaky_prelu_gamma_one_slope', (2, 3, 2), (1,)),
        ('leaky_prelu_gamma_on_batch_axis', (4, 3), (4,)),
        ('leaky_prelu_gamma_1xC', (3, 4, 2), (1, 4)),
        ('leaky_prelu_gamma_Nx1', (3, 4), (3, 1)),
    ]
    cases += [case(name, 'LeakyReLU', {'data': data, 'gamma': gamma}, {'act_type': 'prelu'},
                   variables=('data', 'gamma'))
              for name, data, gamma in prelu_gammas]
    # MXNet multiplies negative values by the slope in float32, even for float64 data.
    cases.append(case('leaky_slope_float64', 'LeakyReLU', {'data': (3, 4)}, {'slope': 0.1},
                      dtype='float64'))
    # gelu is left out in float64: MXNet computes it in float32, with float32 erf and exp
    # whose last bits no other library reproduces.
    for act, dtypes in [('leaky', ('float16', 'float64')), ('prelu', ('float16', 'float64')),
                        ('elu', ('float16', 'float64')), ('selu', ('float16', 'float64')),
                        ('gelu', ('float16',))]:
        cases += [case('leaky_%s_%s' % (act, dtype), 'LeakyReLU', {'data': (2, 3, 2)},
                       {'act_type': act}, dtype=dtype) for dtype in dtypes]
    return cases


def _embedding():
    """MXNet refuses a gradient for Embedding's indices; BlockGrad in front lets the recorder
    ask for every argument's gradient."""
    def embedding(**kwargs):
        return 'mx.sym.Embedding(mx.sym.BlockGrad(data), %s)' % ', '.join(
            '%s=%r' % item for item in kwargs.items())
    return [
        # Indices are truncated toward zero and clipped to the table; repeated indices add
        # up in the weight gradient.
        expr('embed_clip_repeated', embedding(input_dim=10, output_dim=3), {'data': (3, 4)},
             values={'data': 'ints:-3:12'}),
        expr('embed_truncate', embedding(input_dim=300, output_dim=2), {'data': (12,)},
             values={'data': 'cast'}),
        expr('embed_3d_indices', embedding(input_dim=5, output_dim=2), {'data': (2, 2, 3)},
             values={'data': 'ints:0:4'}),
        # dtype sets the weight's and the output's dtype; the indices stay float32.
        expr('embed_dtype_float64', embedding(input_dim=6, output_dim=4, dtype='float64'),
             {'data': (2, 3)}, values={'data': 'ints:0:5'}),
        expr('embed_dtype_float16', embedding(input_dim=6, output_dim=4, dtype='float16'),
             {'data': (2, 3)}, values={'data': 'ints:0:5'}),
        expr('embed_float64_indices', embedding(input_dim=4, output_dim=2), {'data': (5,)},
             values={'data': 'ints:-1:5'}, dtype='float64'),
    ]


def _convolution_v1():
    conv = [
        ('conv_v1_3x3', (2, 3, 5, 5), {'kernel': (3, 3), 'num_filter': 4}),
        ('conv_v1_stride_pad', (1, 2, 6, 5),
         {'kernel': (3, 2), 'stride': (2, 1), 'pad': (1, 1), 'num_filter': 3}),
        ('conv_v1_group_no_bias', (1, 4, 4, 4),
         {'kernel': (2, 2), 'num_group': 2, 'num_filter': 4, 'no_bias': True}),
        ('conv_v1_dilate', (1, 2, 6, 6), {'kernel': (2, 2), 'dilate': (2, 2), 'num_filter': 2}),
    ]
    return [case(name, 'Convolution_v1', {'data': shape}, kwargs)
            for name, shape, kwargs in conv]
