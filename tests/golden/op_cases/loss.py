"""Golden cases for mxsym/ops/loss.py (recorded from MXNet 1.9.1 by make_ops_golden.py)."""
from op_cases import case


def cases():
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
        case('linreg_float64_grad_scale', 'LinearRegressionOutput',
             {'data': (4, 3), 'label': (4, 3)}, {'grad_scale': 0.3}, variables=data_label,
             dtype='float64'),
    ]
    for op, prefix in [('LogisticRegressionOutput', 'logreg'), ('MAERegressionOutput', 'mae')]:
        cases += [
            case(prefix + '_label_n', op, {'data': (4, 1), 'label': (4,)}, variables=data_label),
            case(prefix + '_label_inferred', op, {'data': (4, 3)}),
            # The gradient is divided by the label's elements per sample (here 3 * 2).
            case(prefix + '_3d_grad_scale', op, {'data': (2, 3, 2), 'label': (2, 3, 2)},
                 {'grad_scale': 1.5}, variables=data_label),
            case(prefix + '_1d', op, {'data': (5,), 'label': (5,)}, variables=data_label),
            case(prefix + '_float64', op, {'data': (4, 2), 'label': (4, 2)},
                 {'grad_scale': 0.3}, variables=data_label, dtype='float64'),
            case(prefix + '_float16', op, {'data': (4, 2), 'label': (4, 2)},
                 variables=data_label, dtype='float16'),
        ]
    cases += [
        case('logreg_probability_labels', 'LogisticRegressionOutput',
             {'data': (3, 4), 'label': (3, 4)}, variables=data_label, values={'label': 'probs'}),
        case('mae_ties', 'MAERegressionOutput', {'data': (3, 4), 'label': (3, 4)},
             variables=data_label, values={'data': 'ints:-2:2', 'label': 'ints:-2:2'}),
    ]
    make_loss = [
        ('makeloss_default', (4, 3), {}),
        ('makeloss_grad_scale', (4, 3), {'grad_scale': 2.5}),
        ('makeloss_null', (4, 3), {'normalization': 'null', 'grad_scale': 0.5}),
        ('makeloss_batch', (4, 3), {'normalization': 'batch'}),
        # 'batch' divides by the product of all but the last axis.
        ('makeloss_batch_3d', (2, 3, 4), {'normalization': 'batch', 'grad_scale': 3.0}),
        ('makeloss_batch_1d', (5,), {'normalization': 'batch'}),
        ('makeloss_valid', (4, 3), {'normalization': 'valid'}),
        ('makeloss_valid_thresh', (4, 5), {'normalization': 'valid', 'valid_thresh': 0.5,
                                           'grad_scale': 2.0}),
        ('makeloss_valid_none', (2, 3), {'normalization': 'valid', 'valid_thresh': 100.0}),
        ('makeloss_valid_3d', (2, 3, 2), {'normalization': 'valid', 'valid_thresh': -0.2}),
        ('makeloss_thresh_without_valid', (4, 3), {'valid_thresh': 0.5}),
    ]
    cases += [case(name, 'MakeLoss', {'data': shape}, kwargs)
              for name, shape, kwargs in make_loss]
    cases += [
        case('makeloss_float64', 'MakeLoss', {'data': (4, 3)},
             {'normalization': 'valid', 'grad_scale': 0.3}, dtype='float64'),
        case('makeloss_float16', 'MakeLoss', {'data': (4, 3)},
             {'normalization': 'batch', 'grad_scale': 0.3}, dtype='float16'),
        case('makeloss_float16_valid', 'MakeLoss', {'data': (3, 3)},
             {'normalization': 'valid'}, dtype='float16'),
        case('make_loss', 'make_loss', {'data': (4, 3)}),
        case('make_loss_3d', 'make_loss', {'data': (2, 3, 2)}),
        case('make_loss_float64', 'make_loss', {'data': (4, 3)}, dtype='float64'),
        case('make_loss_float16', 'make_loss', {'data': (4, 3)}, dtype='float16'),
    ]
    smooth_l1 = [
        ('smooth_l1_default', {}),
        ('smooth_l1_sigma_1', {'scalar': 1.0}),
        ('smooth_l1_sigma_2', {'scalar': 2.0}),
        ('smooth_l1_sigma_half', {'scalar': 0.5}),
        ('smooth_l1_sigma_3', {'scalar': 3}),
    ]
    cases += [case(name, 'smooth_l1', {'data': (4, 5)}, kwargs) for name, kwargs in smooth_l1]
    cases += [
        case('smooth_l1_3d', 'smooth_l1', {'data': (2, 3, 4)}, {'scalar': 1.5}),
        case('smooth_l1_float64', 'smooth_l1', {'data': (4, 5)}, {'scalar': 2.0},
             dtype='float64'),
        case('smooth_l1_float16', 'smooth_l1', {'data': (4, 5)}, {'scalar': 2.0},
             dtype='float16'),
        case('smooth_l1_large', 'smooth_l1', {'data': (3, 4)}, {'scalar': 0.7},
             values={'data': 'cast'}),
    ]
    svm = [
        ('svm_default', {}),
        ('svm_linear', {'use_linear': True}),
        ('svm_margin', {'margin': 0.5}),
        ('svm_linear_margin_reg', {'use_linear': True, 'margin': 2.0,
                                   'regularization_coefficient': 0.5}),
        ('svm_reg', {'regularization_coefficient': 3.0}),
    ]
    cases += [case(name, 'SVMOutput', two_d, kwargs, variables=data_label, values=labels)
              for name, kwargs in svm]
    cases += [
        case('svm_label_inferred', 'SVMOutput', {'data': (4, 5)}, values=labels),
        case('svm_3d', 'SVMOutput', {'data': (2, 3, 4), 'label': (2, 3)}, {'margin': 1.5},
             variables=data_label, values={'label': 'labels:4'}),
        case('svm_float64', 'SVMOutput', two_d, {'use_linear': True}, variables=data_label,
             dtype='float64', values=labels),
        case('svm_float64_l2', 'SVMOutput', two_d, {'margin': 0.3}, variables=data_label,
             dtype='float64', values=labels),
        case('svm_float16', 'SVMOutput', two_d, variables=data_label, dtype='float16',
             values=labels),
    ]
    # CTC: (time 6, batch 3, alphabet 5) activations and (batch 3, 4) labels, padded with 0
    # (blank first) or -1 (blank last) from the first padding value on. MXNet's result for an
    # empty label (padding first) is undefined, so these labels start with a class.
    ctc_shapes = {'data': (6, 3, 5), 'label': (3, 4)}
    cases += [
        case('ctc_default', 'CTCLoss', ctc_shapes, variables=data_label,
             values={'label': 'ints:0:4'}),
        case('ctc_alias', 'ctc_loss', ctc_shapes, variables=data_label,
             values={'label': 'ints:0:4'}),
        case('ctc_no_padding', 'CTCLoss', ctc_shapes, variables=data_label,
             values={'label': 'ints:1:4'}),
        case('ctc_blank_last', 'CTCLoss', ctc_shapes, {'blank_label': 'last'},
             variables=data_label, values={'label': 'ints:-1:3'}),
        case('ctc_data_lengths', 'CTCLoss', dict(ctc_shapes, data_lengths=(3,)),
             {'use_data_lengths': True}, variables=('data', 'label', 'data_lengths'),
             values={'label': 'ints:1:4', 'data_lengths': 'ints:5:6'}),
        case('ctc_label_lengths', 'CTCLoss', dict(ctc_shapes, label_lengths=(3,)),
             {'use_label_lengths': True}, variables=('data', 'label', 'label_lengths'),
             values={'label': 'ints:1:4', 'label_lengths': 'ints:0:3'}),
        case('ctc_both_lengths_blank_last', 'CTCLoss',
             dict(ctc_shapes, data_lengths=(3,), label_lengths=(3,)),
             {'use_data_lengths': True, 'use_label_lengths': True, 'blank_label': 'last'},
             variables=('data', 'label', 'data_lengths', 'label_lengths'),
             values={'label': 'ints:0:3', 'data_lengths': 'ints:5:6',
                     'label_lengths': 'ints:1:3'}),
        case('ctc_long_labels', 'CTCLoss', {'data': (8, 2, 4), 'label': (2, 5)},
             variables=data_label, values={'label': 'ints:1:3'}),
    ]
    return cases
