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
    ]
    return cases
