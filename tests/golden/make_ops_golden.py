"""Write the operator golden data in tests/golden/ops/ from MXNet 1.9.1.

Run with a Python that has ``mxnet==1.9.1`` (and numpy < 1.24) installed:

    python tests/golden/make_ops_golden.py

Each case builds one symbol, records what MXNet says about it (arguments, outputs, aux states,
inferred shapes and types, ``tojson()``), binds it with ``simple_bind(grad_req='write')``, runs
an inference forward, a training forward and a backward with a fixed head gradient, and stores
inputs, head gradients, outputs, gradients and the aux states (and any argument MXNet rewrote)
after training. ``<family>.json`` holds the case metadata, ``<family>.npz`` the arrays, keyed
``<case id>:<kind>:<name>``.
"""
import json
import os
import sys
import zlib

import mxnet as mx
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, 'ops')
sys.path.insert(0, os.path.join(HERE, os.pardir, 'ops'))
# The tests build and bind symbols with the same helpers.
from golden_case import build_symbol, shapes_of  # noqa: E402

CAST_VALUES = [-300.5, -2.7, -1.0, -0.5, 0.0, 0.5, 2.7, 127.9, 255.9, 256.0, 300.0, 1000.3]
CAST_INT_VALUES = [-300, -129, -1, 0, 1, 127, 128, 255, 256, 300, 1000, 70000]


def case(case_id, op, shapes, kwargs=None, variables=('data',), dtype='float32', values=None,
         positional=False):
    """One table entry.

    op: an ``mx.sym`` function name, called with the variables as keyword inputs (positionally
    when ``positional``), or a Python expression over the variables (``'a + 2.5'``).
    shapes: the shapes given to infer_shape and simple_bind; dtype is the type of each of them.
    values: recipes (see ``make_value``) keyed by argument name or name suffix; other arguments
    get 'normal' (float) or small integers.
    """
    return {'id': case_id, 'op': op, 'kwargs': kwargs or {}, 'variables': list(variables),
            'positional': positional, 'shapes': shapes,
            'types': {name: dtype for name in shapes}, 'values': values or {}}


def expr(case_id, op, shapes, **options):
    """A case built from Python operators on the variables named in shapes."""
    return case(case_id, op, shapes, variables=tuple(shapes), **options)


def elemwise_cases():
    ab = {'a': (2, 3, 4), 'b': (2, 3, 4)}
    a = {'a': (2, 3, 4)}
    small = {'a': (3, 4), 'b': (3, 4)}
    nonzero_b = {'b': 'nonzero'}
    cases = [
        expr('add', 'a + b', ab),
        expr('sub', 'a - b', ab),
        expr('mul', 'a * b', ab),
        expr('div', 'a / b', ab, values=nonzero_b),
        expr('mul_self', 'a * a', a),
        expr('add_self', 'a + a', a),
        expr('chain', '(a + b) * a - b / 2', ab),
        expr('power', 'a ** b', ab, values={'a': 'positive'}),
        expr('mod', 'a % b', ab, values=nonzero_b),
        *[case(op, op, {'lhs': (2, 3), 'rhs': (2, 3)}, variables=('lhs', 'rhs'),
               values={'rhs': 'nonzero'})
          for op in ['elemwise_add', 'elemwise_sub', 'elemwise_mul', 'elemwise_div']],
        expr('plus_int_scalar', 'a + 2', a),
        expr('plus_scalar_left', '2.5 + a', a),
        expr('minus_scalar', 'a - 1.5', a),
        expr('rminus_scalar', '1.5 - a', a),
        expr('mul_scalar', 'a * 2.5', a),
        expr('mul_scalar_left', '2.5 * a', a),
        expr('negative', '-a', a),
        expr('div_scalar', 'a / 4', a),
        expr('rdiv_scalar', '4 / a', a, values={'a': 'nonzero'}),
        expr('power_scalar_2', 'a ** 2', a),
        expr('power_scalar_3', 'a ** 3', a),
        expr('power_scalar_half', 'a ** 0.5', a, values={'a': 'positive'}),
        expr('rpower_scalar', '2 ** a', a),
        expr('mod_scalar', 'a % 1.5', a),
        expr('rmod_scalar', '1.5 % a', a, values={'a': 'nonzero'}),
    ]
    ints = {'a': 'nonzero_ints:-9:9', 'b': 'nonzero_ints:-4:4'}
    for name, op in [('add', 'a + b'), ('sub', 'a - b'), ('mul', 'a * b'), ('div', 'a / b'),
                     ('mod', 'a % b'), ('plus_scalar', 'a + 2.5'), ('rminus_scalar', '2.5 - a'),
                     ('mul_scalar', 'a * 1.5'), ('div_scalar', 'a / 2.5'),
                     ('rdiv_scalar', '7 / a'), ('negative', '-a'), ('power_scalar', 'a ** 2'),
                     ('power_scalar_half', 'a ** 0.5'), ('mod_scalar', 'a % 3')]:
        shapes = small if 'b' in op else {'a': (3, 4)}
        cases.append(expr('int32_' + name, op, shapes, dtype='int32', values=ints))
    uint8 = {'a': 'ints:0:255', 'b': 'ints:0:255'}
    cases += [
        expr('uint8_mul_scalar_wraps', 'a * 2', {'a': (3, 4)}, dtype='uint8', values=uint8),
        expr('uint8_sub_wraps', 'a - b', small, dtype='uint8', values=uint8),
        expr('uint8_plus_scalar_wraps', 'a + 200', {'a': (3, 4)}, dtype='uint8', values=uint8),
        expr('float64_sub', 'a - b', small, dtype='float64'),
        expr('float64_power_scalar', 'a ** 3', {'a': (3, 4)}, dtype='float64'),
    ]
    for name, op in [('add', 'a + b'), ('sub', 'a - b'), ('mul', 'a * b'), ('div', 'a / b'),
                     ('mul_scalar', 'a * 2.5'), ('rdiv_scalar', '1 / a'),
                     ('power_scalar', 'a ** 2')]:
        shapes = small if 'b' in op else {'a': (3, 4)}
        cases.append(expr('float16_' + name, op, shapes, dtype='float16',
                          values={'a': 'nonzero', 'b': 'nonzero'}))
    return cases


def nn_cases():
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


def loss_cases():
    labels = {'label': 'labels:5'}
    ignored = {'label': 'labels:5:ignore:-1'}
    data_label = ('data', 'label')
    two_d = {'data': (6, 5), 'label': (6,)}

    def softmax(case_id, shapes, kwargs=None, values=labels, variables=data_label):
        return case(case_id, 'SoftmaxOutput', shapes, kwargs, variables=variables, values=values)

    cases = [
        softmax('softmax_default', {'data': (6, 5)}, variables=('data',)),
        softmax('softmax_label_given', two_d),
        softmax('softmax_norm_null', two_d, {'normalization': 'null'}),
        softmax('softmax_norm_batch', two_d, {'normalization': 'batch'}),
        softmax('softmax_norm_valid', two_d, {'normalization': 'valid'}),
        softmax('softmax_ignore', two_d, {'use_ignore': True}, ignored),
        softmax('softmax_ignore_without_use_ignore', two_d, {}, ignored),
        softmax('softmax_ignore_valid', two_d, {'use_ignore': True, 'normalization': 'valid'},
                ignored),
        softmax('softmax_ignore_batch', two_d, {'use_ignore': True, 'normalization': 'batch'},
                ignored),
        softmax('softmax_ignore_label_2', two_d,
                {'use_ignore': True, 'ignore_label': 2, 'normalization': 'valid'}),
        softmax('softmax_grad_scale', two_d, {'grad_scale': 0.5}),
        softmax('softmax_grad_scale_batch', two_d, {'grad_scale': 3.0, 'normalization': 'batch'}),
        softmax('softmax_smooth_alpha', two_d, {'smooth_alpha': 0.1}),
        softmax('softmax_smooth_alpha_ignore', two_d,
                {'smooth_alpha': 0.2, 'use_ignore': True, 'normalization': 'valid'}, ignored),
        softmax('softmax_soft_labels', {'data': (6, 5), 'label': (6, 5)}, {},
                {'label': 'probs'}),
        softmax('softmax_soft_labels_batch', {'data': (6, 5), 'label': (6, 5)},
                {'normalization': 'batch', 'grad_scale': 2.0}, {'label': 'probs'}),
        softmax('softmax_out_grad', two_d, {'out_grad': True}),
        # Without multi_output or preserve_shape, 3-D data is softmaxed as (n, -1) while the label
        # is inferred as data.shape[:-1]; the gradient uses the first n labels of the flat label.
        softmax('softmax_3d_default', {'data': (2, 3, 4), 'label': (2, 3)}, {},
                {'label': 'labels:3'}),
        softmax('softmax_3d_label_inferred', {'data': (2, 3, 4)}, {}, {'label': 'labels:3'},
                variables=('data',)),
        softmax('softmax_multi_output', {'data': (2, 4, 3, 3), 'label': (2, 3, 3)},
                {'multi_output': True}, {'label': 'labels:4'}),
        softmax('softmax_multi_output_inferred', {'data': (2, 4, 3, 3)},
                {'multi_output': True}, {'label': 'labels:4'}, variables=('data',)),
        softmax('softmax_multi_output_flat_label', {'data': (2, 4, 3, 3), 'label': (2, 9)},
                {'multi_output': True}, {'label': 'labels:4'}),
        softmax('softmax_multi_output_3d', {'data': (2, 4, 5), 'label': (2, 5)},
                {'multi_output': True}, {'label': 'labels:4'}),
        softmax('softmax_multi_output_valid_ignore', {'data': (2, 4, 5), 'label': (2, 5)},
                {'multi_output': True, 'use_ignore': True, 'normalization': 'valid'},
                {'label': 'labels:4:ignore:-1'}),
        softmax('softmax_multi_output_batch', {'data': (2, 4, 5), 'label': (2, 5)},
                {'multi_output': True, 'normalization': 'batch', 'grad_scale': 0.5},
                {'label': 'labels:4'}),
        softmax('softmax_preserve_shape', {'data': (2, 3, 5), 'label': (2, 3)},
                {'preserve_shape': True}),
        softmax('softmax_preserve_shape_inferred', {'data': (2, 3, 5)},
                {'preserve_shape': True}, variables=('data',)),
        softmax('softmax_preserve_shape_2d', two_d, {'preserve_shape': True}),
        case('softmax_alias', 'Softmax', two_d, variables=data_label, values=labels),
        case('softmax_float64', 'SoftmaxOutput', two_d, {'normalization': 'batch'},
             variables=data_label, dtype='float64', values=labels),
    ]
    cases += [
        case('linreg_label_n', 'LinearRegressionOutput', {'data': (4, 1), 'label': (4,)},
             variables=data_label),
        case('linreg_label_n1', 'LinearRegressionOutput', {'data': (4, 1), 'label': (4, 1)},
             variables=data_label),
        case('linreg_label_inferred', 'LinearRegressionOutput', {'data': (4, 3)},
             {'grad_scale': 2.0}),
        case('linreg_grad_scale', 'LinearRegressionOutput', {'data': (4, 3), 'label': (4, 3)},
             {'grad_scale': 0.5}, variables=data_label),
        case('linreg_3d', 'LinearRegressionOutput', {'data': (2, 3, 2), 'label': (2, 3, 2)},
             variables=data_label),
        case('linreg_float64', 'LinearRegressionOutput', {'data': (4, 2), 'label': (4, 2)},
             variables=data_label, dtype='float64'),
    ]
    return cases


def shape_cases():
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


def linalg_cases():
    def dot(case_id, lhs, rhs, kwargs=None, dtype='float32'):
        return case(case_id, 'dot', {'lhs': lhs, 'rhs': rhs}, kwargs, variables=('lhs', 'rhs'),
                    dtype=dtype)

    return [
        dot('dot_2d', (3, 4), (4, 5)),
        dot('dot_transpose_a', (4, 3), (4, 5), {'transpose_a': True}),
        dot('dot_transpose_b', (3, 4), (5, 4), {'transpose_b': True}),
        dot('dot_transpose_both', (4, 3), (5, 4), {'transpose_a': True, 'transpose_b': True}),
        dot('dot_1d_1d', (4,), (4,)),
        dot('dot_2d_1d', (3, 4), (4,)),
        dot('dot_1d_2d', (4,), (4, 5)),
        dot('dot_3d_2d', (2, 3, 4), (4, 5)),
        dot('dot_3d_3d', (2, 3, 4), (4, 5, 2)),
        dot('dot_2d_3d', (3, 4), (4, 2, 2)),
        dot('dot_3d_2d_transpose_a', (4, 3, 2), (4, 5), {'transpose_a': True}),
        dot('dot_3d_2d_transpose_b', (2, 3, 4), (5, 4), {'transpose_b': True}),
        dot('dot_float64', (3, 4), (4, 2), dtype='float64'),
    ]


FAMILIES = {'elemwise': elemwise_cases, 'nn': nn_cases, 'loss': loss_cases,
            'shape': shape_cases, 'linalg': linalg_cases}


def make_value(recipe, shape, dtype, rng):
    """An input array from a recipe string: 'normal', 'positive', 'nonzero', 'labels:K',
    'labels:K:ignore:X' (every third label is X), 'probs' (rows sum to one), 'ints:LO:HI',
    'nonzero_ints:LO:HI', 'cast' or 'cast_int' (fixed values that hit rounding and wrap-around).
    """
    name, *args = recipe.split(':')
    size = int(np.prod(shape))
    if name == 'normal':
        value = rng.randn(*shape)
    elif name == 'positive':
        value = rng.uniform(0.5, 2.0, shape)
    elif name == 'nonzero':
        value = rng.uniform(0.5, 2.0, shape) * rng.choice([-1, 1], shape)
    elif name == 'labels':
        value = rng.randint(0, int(args[0]), shape)
        if args[1:2] == ['ignore']:
            value.reshape(-1)[::3] = float(args[2])
    elif name == 'probs':
        value = rng.uniform(0.1, 1.0, shape)
        value /= value.reshape(shape[0], -1).sum(axis=1).reshape((-1,) + (1,) * (len(shape) - 1))
    elif name in ('ints', 'nonzero_ints'):
        low, high = int(args[0]), int(args[1])
        value = rng.randint(low, high + 1, shape)
        if name == 'nonzero_ints':
            value[value == 0] = high
    elif name in ('cast', 'cast_int'):
        table = CAST_VALUES if name == 'cast' else CAST_INT_VALUES
        value = np.resize(np.array(table), size).reshape(shape)
        if dtype == np.uint8:
            value = np.abs(value) % 256
    else:
        raise ValueError('unknown value recipe %r' % recipe)
    return np.asarray(value).astype(dtype)


def default_recipe(dtype):
    if dtype == np.uint8:
        return 'ints:0:255'
    if np.issubdtype(dtype, np.integer):
        return 'ints:-9:9'
    return 'normal'


def recipe_for(name, dtype, values):
    for key, recipe in values.items():
        if name == key or name.endswith('_' + key):
            return recipe
    return default_recipe(dtype)


def head_value(shape, dtype, rng):
    if np.issubdtype(dtype, np.integer):
        return rng.randint(0, 4, shape).astype(dtype)
    return rng.randn(*shape).astype(dtype)


def dtype_names(types):
    return [np.dtype(t).name for t in types]


def run_case(spec):
    """Record one case: (metadata, {array key: array})."""
    spec = json.loads(json.dumps(spec))  # the form the tests read back
    sym = build_symbol(mx, spec)
    shapes = shapes_of(spec)
    arg_shapes, out_shapes, aux_shapes = sym.infer_shape(**shapes)
    arg_types, out_types, aux_types = sym.infer_type(**spec['types'])
    expected = {
        'list_arguments': sym.list_arguments(),
        'list_outputs': sym.list_outputs(),
        'list_auxiliary_states': sym.list_auxiliary_states(),
        'infer_shape': {'arg': arg_shapes, 'out': out_shapes, 'aux': aux_shapes},
        'infer_type': {'arg': dtype_names(arg_types), 'out': dtype_names(out_types),
                       'aux': dtype_names(aux_types)},
        'tojson': sym.tojson(),
    }
    rng = np.random.RandomState(zlib.crc32(spec['id'].encode()))
    arrays = {}
    exe = sym.simple_bind(mx.cpu(), grad_req='write', type_dict=spec['types'], **shapes)
    for kind, names, kind_shapes, kind_types, targets in [
            ('arg', sym.list_arguments(), arg_shapes, arg_types, exe.arg_dict),
            ('aux', sym.list_auxiliary_states(), aux_shapes, aux_types, exe.aux_dict)]:
        for name, shape, dtype in zip(names, kind_shapes, kind_types):
            value = make_value(recipe_for(name, dtype, spec['values']), shape, dtype, rng)
            targets[name][:] = value
            arrays['%s:%s' % (kind, name)] = value
    heads = [head_value(shape, dtype, rng) for shape, dtype in zip(out_shapes, out_types)]
    for index, head in enumerate(heads):
        arrays['head:%d' % index] = head
    exe.forward(is_train=False)
    for index, out in enumerate(exe.outputs):
        arrays['out_infer:%d' % index] = out.asnumpy()
    exe.forward(is_train=True)
    for index, out in enumerate(exe.outputs):
        arrays['out_train:%d' % index] = out.asnumpy()
    exe.backward([mx.nd.array(head, dtype=head.dtype) for head in heads])
    for name, grad in exe.grad_dict.items():
        arrays['grad:%s' % name] = grad.asnumpy()
    for name, aux in exe.aux_dict.items():
        arrays['aux_after:%s' % name] = aux.asnumpy()
    for name, arg in exe.arg_dict.items():
        if not np.array_equal(arg.asnumpy(), arrays['arg:' + name]):
            arrays['arg_after:%s' % name] = arg.asnumpy()
    return dict(spec, expected=expected), arrays


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    for family, make_cases in FAMILIES.items():
        records, arrays = [], {}
        for spec in make_cases():
            record, case_arrays = run_case(spec)
            records.append(record)
            arrays.update({'%s:%s' % (spec['id'], key): value
                           for key, value in case_arrays.items()})
        ids = [record['id'] for record in records]
        assert len(ids) == len(set(ids)), 'duplicate case ids in ' + family
        with open(os.path.join(OUT_DIR, family + '.json'), 'w') as handle:
            json.dump(records, handle, indent=1)
            handle.write('\n')
        np.savez_compressed(os.path.join(OUT_DIR, family + '.npz'), **arrays)
        print('%s: %d cases' % (family, len(records)))


if __name__ == '__main__':
    main()
