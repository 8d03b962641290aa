"""Golden cases for mxsym/ops/norm.py (recorded from MXNet 1.9.1 by make_ops_golden.py)."""
from op_cases import case


def cases():
    cases = [
        case('instance_norm_3d', 'InstanceNorm', {'data': (2, 3, 4)}),
        case('instance_norm_4d', 'InstanceNorm', {'data': (2, 3, 2, 3)}, {'eps': 1e-05}),
        case('instance_norm_5d', 'InstanceNorm', {'data': (1, 2, 2, 2, 3)}, {'eps': 0.1}),
    ]
    layer = [
        ('layer_norm_default', (2, 3, 4), {}),
        ('layer_norm_2d', (4, 5), {'eps': 0.001}),
        ('layer_norm_axis1', (2, 3, 4), {'axis': 1}),
        ('layer_norm_axis0', (3, 2, 2), {'axis': 0}),
        ('layer_norm_axis_neg2', (2, 3, 2, 2), {'axis': -2}),
        ('layer_norm_output_mean_var', (2, 3, 4), {'output_mean_var': True}),
        ('layer_norm_output_mean_var_axis1', (2, 3, 4), {'axis': 1, 'output_mean_var': True}),
    ]
    cases += [case(name, 'LayerNorm', {'data': shape}, kwargs) for name, shape, kwargs in layer]
    cases += [
        case('layer_norm_float16', 'LayerNorm', {'data': (2, 3, 8)}, dtype='float16'),
        case('layer_norm_axis1_float16', 'LayerNorm', {'data': (2, 6, 3)}, {'axis': 1},
             dtype='float16'),
        case('layer_norm_float64', 'LayerNorm', {'data': (2, 3, 4)}, {'output_mean_var': True},
             dtype='float64'),
    ]
    group = [
        ('group_norm_default', (2, 3, 2, 2), {}),
        ('group_norm_groups2', (2, 4, 3), {'num_groups': 2}),
        ('group_norm_per_channel', (2, 4, 2, 2), {'num_groups': 4, 'eps': 0.001}),
        ('group_norm_5d', (1, 4, 2, 2, 2), {'num_groups': 2}),
        ('group_norm_output_mean_var', (2, 6, 3), {'num_groups': 3, 'output_mean_var': True}),
    ]
    cases += [case(name, 'GroupNorm', {'data': shape}, kwargs) for name, shape, kwargs in group]
    cases += [
        case('group_norm_float16', 'GroupNorm', {'data': (2, 4, 2, 2)}, {'num_groups': 2},
             dtype='float16'),
        case('group_norm_float64', 'GroupNorm', {'data': (2, 4, 3)},
             {'num_groups': 2, 'output_mean_var': True}, dtype='float64'),
    ]
    l2 = [
        ('l2_norm_instance_2d', (3, 4), {}),
        ('l2_norm_instance_4d', (2, 3, 2, 2), {'mode': 'instance'}),
        ('l2_norm_channel', (2, 3, 4), {'mode': 'channel'}),
        ('l2_norm_channel_4d', (2, 3, 2, 2), {'mode': 'channel'}),
        ('l2_norm_spatial', (2, 3, 4), {'mode': 'spatial'}),
        ('l2_norm_spatial_4d', (2, 3, 2, 2), {'mode': 'spatial'}),
        ('l2_norm_eps', (2, 3, 4), {'eps': 0.5, 'mode': 'channel'}),
    ]
    cases += [case(name, 'L2Normalization', {'data': shape}, kwargs)
              for name, shape, kwargs in l2]
    cases += [
        case('l2_norm_float16', 'L2Normalization', {'data': (2, 3, 4)}, {'mode': 'spatial'},
             dtype='float16'),
        case('l2_norm_float64', 'L2Normalization', {'data': (2, 3, 2, 2)}, {'mode': 'channel'},
             dtype='float64'),
    ]
    # alpha is divided by nsize; the window runs across channels, centred.
    lrn = [
        ('lrn_default', (2, 5, 3, 3), {'nsize': 3}),
        ('lrn_strong', (1, 6, 2, 3), {'nsize': 5, 'alpha': 2.0, 'beta': 0.5, 'knorm': 1.0}),
        ('lrn_nsize1', (1, 3, 2, 2), {'nsize': 1, 'alpha': 0.5}),
        ('lrn_window_wider_than_channels', (1, 2, 2, 2), {'nsize': 5, 'alpha': 1.5}),
        # An even nsize sums over nsize - 1 channels but still divides alpha by nsize.
        ('lrn_even_nsize', (1, 5, 2, 2), {'nsize': 4, 'alpha': 1.0}),
    ]
    cases += [case(name, 'LRN', {'data': shape}, kwargs) for name, shape, kwargs in lrn]
    return _batch_norm() + cases + _legacy_batch_norm()


def _batch_norm():
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
    return [case(name, 'BatchNorm', {'data': shape}, kwargs, values=bn_values)
            for name, shape, kwargs in bn] + [
        case('bn_float64', 'BatchNorm', {'data': (2, 3, 4, 4)}, {'fix_gamma': False},
             dtype='float64', values=bn_values),
        case('bn_float16', 'BatchNorm', {'data': (4, 3, 2, 2)}, {'fix_gamma': False},
             dtype='float16', values=bn_values),
    ]


def _legacy_batch_norm():
    """BatchNorm_v1 and SyncBatchNorm (one device): outputs (y, mean, variance)."""
    grid = [
        ('default', (2, 3, 4, 4), {}),
        ('fix_gamma_false', (2, 3, 4, 4), {'fix_gamma': False}),
        ('2d', (6, 4), {'fix_gamma': False}),
        ('global_stats', (2, 3, 4, 4), {'fix_gamma': False, 'use_global_stats': True}),
        ('output_mean_var', (2, 3, 3, 2), {'fix_gamma': False, 'output_mean_var': True}),
        ('output_mean_var_global', (2, 3, 3, 2),
         {'output_mean_var': True, 'use_global_stats': True}),
        ('eps_momentum', (2, 3, 4, 4), {'fix_gamma': False, 'eps': 1e-05, 'momentum': 0.5}),
    ]
    values = {'moving_var': 'positive'}
    # SyncBatchNorm leaves its mean and var outputs unwritten outside batch statistics, so its
    # cases keep them hidden.
    sync_grid = [item for item in grid if 'output_mean_var' not in item[2]]
    return [case('bn_v1_' + name, 'BatchNorm_v1', {'data': shape}, kwargs, values=values)
            for name, shape, kwargs in grid] + [
        case('sync_bn_' + name, 'contrib.SyncBatchNorm', {'data': shape},
             dict(kwargs, key='sync_bn_' + name), values=values)
        for name, shape, kwargs in sync_grid + [('ndev_3d', (4, 3, 5), {'ndev': 1})]]
