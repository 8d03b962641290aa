"""Golden cases for mxsym/ops/indexing.py (recorded from MXNet 1.9.1 by make_ops_golden.py)."""
from op_cases import case, expr

# Small integer values with repeats: ties for the sorting ops.
SMALL_INTS = {'data': 'ints:-2:2'}


def typed(spec, **types):
    """A case whose named inputs have their own dtypes (index inputs beside float data)."""
    spec['types'].update(types)
    return spec


def cases():
    return (_pick_cases() + _take_cases() + _one_hot_cases() + _where_cases()
            + _sort_cases() + _gather_scatter_cases() + _ravel_cases() + _histogram_cases())


def _pick_cases():
    def pick(case_id, data, index, kwargs=None, recipe='ints:-1:4', **options):
        return case(case_id, 'pick', {'data': data, 'index': index}, kwargs,
                    variables=('data', 'index'), values={'index': recipe}, **options)
    return [
        pick('pick_default_axis', (3, 4), (3,)),
        pick('pick_clip_out_of_range', (3, 4), (3,), recipe='ints:-3:7'),
        pick('pick_truncates_toward_zero', (4, 3), (4,), {'mode': 'wrap'}, recipe='normal'),
        pick('pick_axis0', (3, 4), (4,), {'axis': 0}),
        pick('pick_axis1_3d', (2, 3, 4), (2, 4), {'axis': 1}),
        pick('pick_negative_axis', (2, 3, 4), (2, 3), {'axis': -1}),
        pick('pick_keepdims', (3, 4), (3,), {'axis': 1, 'keepdims': True}),
        pick('pick_keepdims_index', (3, 4), (3, 1), {'axis': 1, 'keepdims': True}),
        pick('pick_wrap', (3, 4), (3,), {'mode': 'wrap'}, recipe='ints:-9:9'),
        pick('pick_wrap_axis0', (3, 4), (4,), {'axis': 0, 'mode': 'wrap'}, recipe='ints:-9:9'),
        pick('pick_1d', (5,), (1,), {'axis': 0}),
        pick('pick_float16', (3, 4), (3,), dtype='float16'),
        pick('pick_float64', (2, 3, 4), (2, 3), {'axis': 2}, dtype='float64'),
        pick('pick_int32', (3, 4), (3,), dtype='int32'),
        typed(pick('pick_int32_index', (3, 4), (3,), recipe='ints:0:3'), index='int32'),
        typed(pick('pick_float64_index', (3, 4), (3,)), index='float64'),
        case('pick_alias_choose_element_0index', 'choose_element_0index',
             {'data': (3, 4), 'index': (3,)}, variables=('data', 'index'),
             values={'index': 'ints:0:3'}),
        expr('pick_fluent', 'data.pick(index, axis=0)', {'data': (3, 4), 'index': (4,)},
             values={'index': 'ints:0:2'}),
    ]


def _take_cases():
    def take(case_id, a, indices, kwargs=None, recipe='ints:-2:5', **options):
        return case(case_id, 'take', {'a': a, 'indices': indices}, kwargs,
                    variables=('a', 'indices'), values={'indices': recipe}, **options)
    return [
        take('take_default', (4, 3), (5,)),
        take('take_clip_2d_indices', (4, 3), (2, 3), recipe='ints:-6:9'),
        take('take_wrap', (4, 3), (2, 3), {'mode': 'wrap'}, recipe='ints:-9:9'),
        take('take_wrap_truncates_toward_zero', (4, 3), (6,), {'mode': 'wrap'},
             recipe='normal'),
        take('take_raise_in_range', (4, 3), (5,), {'mode': 'raise'}, recipe='ints:0:3'),
        take('take_axis1', (3, 5), (2, 2), {'axis': 1}, recipe='ints:-1:6'),
        take('take_axis_neg1', (2, 3, 4), (3,), {'axis': -1}),
        take('take_axis1_3d_wrap', (2, 3, 4), (2, 2), {'axis': 1, 'mode': 'wrap'},
             recipe='ints:-5:5'),
        take('take_1d', (5,), (3, 2), recipe='ints:0:4'),
        take('take_float16', (4, 3), (5,), dtype='float16'),
        take('take_float64', (4, 3), (2, 2), {'axis': 1}, dtype='float64'),
        take('take_int32', (4, 3), (5,), dtype='int32'),
        typed(take('take_int32_indices', (4, 3), (5,), recipe='ints:0:3'), indices='int32'),
        typed(take('take_float16_indices', (4, 3), (5,)), indices='float16'),
        expr('take_fluent', 'a.take(indices, axis=1)', {'a': (3, 4), 'indices': (2,)},
             values={'indices': 'ints:0:3'}),
    ]


def _one_hot_cases():
    def one_hot(case_id, kwargs, shape=(2, 3), recipe='ints:-1:5', **options):
        return case(case_id, 'one_hot', {'indices': shape}, kwargs, variables=('indices',),
                    values={'indices': recipe}, **options)
    return [
        one_hot('one_hot_out_of_range_rows_off', {'depth': 4}),
        one_hot('one_hot_1d', {'depth': 5}, shape=(6,), recipe='ints:0:4'),
        one_hot('one_hot_3d', {'depth': 3}, shape=(2, 2, 2), recipe='ints:0:2'),
        one_hot('one_hot_on_off', {'depth': 4, 'on_value': 2.5, 'off_value': -1.0}),
        one_hot('one_hot_int32_truncates_values',
                {'depth': 4, 'on_value': 2.7, 'off_value': -1.7, 'dtype': 'int32'}),
        one_hot('one_hot_float16', {'depth': 4, 'dtype': 'float16'}),
        one_hot('one_hot_float64', {'depth': 4, 'dtype': 'float64', 'on_value': 0.1}),
        one_hot('one_hot_uint8', {'depth': 4, 'dtype': 'uint8', 'on_value': 7}),
        one_hot('one_hot_int64', {'depth': 3, 'dtype': 'int64'}),
        one_hot('one_hot_truncates_indices', {'depth': 3}, recipe='normal'),
        one_hot('one_hot_float16_indices', {'depth': 4}, dtype='float16'),
        one_hot('one_hot_int32_indices', {'depth': 4}, dtype='int32'),
        expr('one_hot_fluent', 'indices.one_hot(3)', {'indices': (4,)},
             values={'indices': 'ints:0:2'}),
    ]


def _where_cases():
    def where(case_id, condition, shape, recipe='ints:0:2', **options):
        shapes = {'condition': condition, 'x': shape, 'y': shape}
        return case(case_id, 'where', shapes, variables=('condition', 'x', 'y'),
                    values={'condition': recipe}, **options)
    return [
        where('where_same_shape', (3, 4), (3, 4)),
        where('where_nonzero_is_true', (3, 4), (3, 4), recipe='ints:-1:1'),
        where('where_rows', (3,), (3, 4)),
        where('where_rows_3d', (2,), (2, 3, 2)),
        where('where_1d', (5,), (5,)),
        where('where_float16', (3, 4), (3, 4), dtype='float16'),
        where('where_float64', (3,), (3, 2), dtype='float64'),
        where('where_int32', (3, 4), (3, 4), dtype='int32'),
        typed(where('where_int32_condition', (3, 4), (3, 4)), condition='int32'),
        typed(where('where_float64_condition_rows', (3,), (3, 2)), condition='float64'),
    ]


def _sort_cases():
    data = {'data': (3, 5)}
    # MXNet 1.9.1 cannot build sort's gradient unless axis is given explicitly, and its CPU
    # sort and argsort refuse float16 (topk takes it).
    cases = [
        case('sort_axis_last', 'sort', data, {'axis': -1}),
        case('sort_descending', 'sort', data, {'axis': -1, 'is_ascend': False}),
        case('sort_axis0', 'sort', data, {'axis': 0}),
        case('sort_axis_none', 'sort', data, {'axis': None}),
        case('sort_3d_axis1', 'sort', {'data': (2, 3, 4)}, {'axis': 1, 'is_ascend': False}),
        case('sort_ties', 'sort', data, {'axis': 1}, values=SMALL_INTS),
        case('sort_float64', 'sort', data, {'axis': 0, 'is_ascend': False}, dtype='float64'),
        case('sort_int32', 'sort', data, {'axis': -1}, dtype='int32'),
        expr('sort_fluent', 'data.sort(axis=0)', data),
        case('argsort_default', 'argsort', data),
        case('argsort_descending', 'argsort', data, {'is_ascend': False}),
        case('argsort_ties_keep_order', 'argsort', data, values=SMALL_INTS),
        case('argsort_ties_descending', 'argsort', data, {'is_ascend': False}, values=SMALL_INTS),
        case('argsort_axis0', 'argsort', data, {'axis': 0}),
        case('argsort_axis_none', 'argsort', data, {'axis': None}),
        case('argsort_int32_indices', 'argsort', data, {'dtype': 'int32'}),
        case('argsort_float64_indices', 'argsort', data, {'dtype': 'float64'}),
        case('argsort_int32', 'argsort', data, dtype='int32'),
        expr('argsort_fluent', 'data.argsort(is_ascend=False)', data),
    ]
    topk = [
        ('default', {}),
        ('k2', {'k': 2}),
        ('value', {'k': 2, 'ret_typ': 'value'}),
        ('both', {'k': 3, 'ret_typ': 'both'}),
        ('mask', {'k': 2, 'ret_typ': 'mask'}),
        ('ascending', {'k': 2, 'is_ascend': True, 'ret_typ': 'both'}),
        ('axis0', {'k': 2, 'axis': 0, 'ret_typ': 'both'}),
        ('axis0_mask', {'k': 2, 'axis': 0, 'ret_typ': 'mask'}),
        ('axis_none', {'k': 3, 'axis': None, 'ret_typ': 'both'}),
        ('axis_none_mask', {'k': 4, 'axis': None, 'ret_typ': 'mask'}),
        ('k0_means_all', {'k': 0, 'ret_typ': 'value'}),
        ('int32_indices', {'k': 2, 'dtype': 'int32'}),
        ('float64_indices', {'k': 2, 'ret_typ': 'both', 'dtype': 'float64'}),
        ('uint8_indices', {'k': 2, 'dtype': 'uint8'}),
    ]
    cases += [case('topk_' + name, 'topk', data, kwargs) for name, kwargs in topk]
    cases += [
        case('topk_ties_both', 'topk', data, {'k': 3, 'ret_typ': 'both'}, values=SMALL_INTS),
        case('topk_ties_ascending', 'topk', data, {'k': 2, 'ret_typ': 'value', 'is_ascend': True},
             values=SMALL_INTS),
        case('topk_ties_mask', 'topk', data, {'k': 2, 'ret_typ': 'mask'}, values=SMALL_INTS),
        case('topk_3d_axis1', 'topk', {'data': (2, 3, 4)}, {'k': 2, 'axis': 1, 'ret_typ': 'both'}),
        case('topk_float16', 'topk', data, {'k': 2, 'ret_typ': 'both'}, dtype='float16'),
        case('topk_float64', 'topk', data, {'k': 2, 'ret_typ': 'value'}, dtype='float64'),
        case('topk_int32', 'topk', data, {'k': 2, 'ret_typ': 'both', 'dtype': 'int32'},
             dtype='int32'),
        expr('topk_fluent', "data.topk(k=2, ret_typ='value')", data),
    ]
    return cases


def _gather_scatter_cases():
    def gather(case_id, data, indices, recipe='ints:0:2', **options):
        return case(case_id, 'gather_nd', {'data': data, 'indices': indices},
                    variables=('data', 'indices'), values={'indices': recipe}, **options)

    # Which of several writes to one place wins is unspecified; these ids draw distinct indices.
    def scatter(case_id, data, indices, shape, recipe, **options):
        return case(case_id, 'scatter_nd', {'data': data, 'indices': indices}, {'shape': shape},
                    variables=('data', 'indices'), values={'indices': recipe}, **options)
    return [
        gather('gather_nd_points', (3, 4), (2, 5)),
        gather('gather_nd_rows', (3, 4), (1, 2)),
        gather('gather_nd_rows_repeated', (3, 4), (1, 6), recipe='ints:0:1'),
        gather('gather_nd_points_repeated', (3, 4), (2, 6), recipe='ints:0:1'),
        gather('gather_nd_3d', (2, 3, 4), (2, 2, 3), recipe='ints:0:1'),
        gather('gather_nd_float16', (3, 4), (2, 4), dtype='float16'),
        gather('gather_nd_float64', (3, 4), (1, 3), dtype='float64'),
        gather('gather_nd_int32', (3, 4), (2, 4), dtype='int32'),
        typed(gather('gather_nd_int32_indices', (3, 4), (2, 4)), indices='int32'),
        scatter('scatter_nd_points_2d', (3,), (2, 3), (3, 4), 'ints:0:2'),
        scatter('scatter_nd_rows', (2, 4), (1, 2), (3, 4), 'ints:0:2'),
        scatter('scatter_nd_3d', (2, 4), (2, 2), (2, 3, 4), 'ints:0:1'),
        scatter('scatter_nd_float64', (3,), (2, 3), (3, 3), 'ints:0:2', dtype='float64'),
        typed(scatter('scatter_nd_int32_indices', (2, 3), (1, 2), (4, 3), 'ints:0:3'),
              indices='int32'),
    ]


def _ravel_cases():
    def ravel(case_id, op, data, shape, recipe, **options):
        return case(case_id, op, {'data': data}, {'shape': shape}, values={'data': recipe},
                    **options)
    return [
        ravel('ravel_multi_index', 'ravel_multi_index', (2, 5), (3, 4), 'ints:0:2'),
        ravel('ravel_multi_index_3d_int32', 'ravel_multi_index', (3, 4), (2, 3, 4), 'ints:0:1',
              dtype='int32'),
        ravel('ravel_multi_index_truncates', 'ravel_multi_index', (2, 6), (3, 4),
              'uniform:0:2.9'),
        ravel('ravel_multi_index_open_first', 'ravel_multi_index', (2, 4), (-1, 4), 'ints:0:3',
              dtype='float64'),
        ravel('ravel_multi_index_internal', '_internal._ravel_multi_index', (1, 3), (7,),
              'ints:0:6'),
        ravel('unravel_index', 'unravel_index', (6,), (3, 4), 'ints:0:11'),
        ravel('unravel_index_3d_int64', 'unravel_index', (5,), (2, 3, 4), 'ints:0:23',
              dtype='int64'),
        ravel('unravel_index_negative', 'unravel_index', (6,), (3, 4), 'ints:-13:-1',
              dtype='int32'),
        ravel('unravel_index_truncates_open_first', 'unravel_index', (5,), (-1, 5),
              'uniform:0:20'),
    ]


def _histogram_cases():
    def histogram(case_id, shape, bins, value_range, recipe, **options):
        return case(case_id, 'histogram', {'a': shape}, {'bins': bins, 'range': value_range},
                    variables=('a',), values={'a': recipe}, grad_req='null', **options)

    def with_edges(case_id, shape, edges, recipe, **options):
        return case(case_id, 'mx.sym.histogram(a=a, bins=mx.sym.sort(bins))',
                    {'a': shape, 'bins': (edges,)}, variables=('a', 'bins'),
                    values={'a': recipe, 'bins': 'uniform:-2:2'}, grad_req='null', **options)
    return [
        histogram('histogram_bin_cnt', (4, 5), 5, (-2, 2), 'uniform:-3:3'),
        histogram('histogram_edges_hit', (3, 4), 4, (-2, 2), 'ints:-3:3'),
        histogram('histogram_int32', (10,), 5, (-1, 1), 'ints:-5:4', dtype='int32'),
        histogram('histogram_float64', (2, 3, 4), 7, (-1.5, 2.5), 'normal', dtype='float64'),
        histogram('histogram_empty_range', (6,), 3, (1, 1), 'ints:0:2'),
        with_edges('histogram_bins_input', (3, 5), 5, 'uniform:-3:3'),
        with_edges('histogram_bins_input_float64', (4, 4), 3, 'normal', dtype='float64'),
        case('histogram_internal', '_internal._histogram', {'data': (8,), 'bins': (4,)},
             variables=('data', 'bins'), values={'data': 'uniform:0:4', 'bins': 'ints:0:3'},
             grad_req='null'),
    ]
