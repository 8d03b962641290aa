"""Golden cases for mxsym/ops/shape.py (recorded from MXNet 1.9.1 by make_ops_golden.py)."""
from op_cases import case


def cases():
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
    cases += axis_order_cases() + slicing_cases() + splitting_cases() + repeating_cases()
    cases += broadcasting_cases()
    return cases


def with_types(spec, **types):
    """A case whose named inputs have other dtypes than the case's own."""
    spec['types'].update(types)
    return spec


def axis_order_cases():
    data = {'data': (2, 3, 4)}
    return [
        case('transpose_default_reverses', 'transpose', data),
        case('transpose_axes', 'transpose', data, {'axes': (1, 0, 2)}),
        case('transpose_axes_rotate', 'transpose', data, {'axes': (2, 0, 1)}),
        case('transpose_4d', 'transpose', {'data': (2, 3, 2, 2)}, {'axes': (0, 2, 3, 1)}),
        case('transpose_1d', 'transpose', {'data': (5,)}),
        case('transpose_float16', 'transpose', data, dtype='float16'),
        case('transpose_float64', 'transpose', data, {'axes': (0, 2, 1)}, dtype='float64'),
        case('transpose_int32', 'transpose', data, dtype='int32'),
        case('transpose_fluent', 'data.transpose(axes=(1, 0, 2))', data),
        case('swapaxis_default_no_op', 'SwapAxis', {'data': (2, 3)}),
        case('swapaxis_0_2', 'SwapAxis', data, {'dim1': 0, 'dim2': 2}),
        case('swapaxis_negative', 'SwapAxis', data, {'dim1': -1, 'dim2': 1}),
        case('swapaxis_lowercase_alias', 'swapaxes', data, {'dim1': 1, 'dim2': 0}),
        case('swapaxis_float16', 'SwapAxis', data, {'dim1': 0, 'dim2': 1}, dtype='float16'),
        case('swapaxis_int32', 'SwapAxis', data, {'dim1': 2, 'dim2': 0}, dtype='int32'),
        case('swapaxis_fluent', 'data.swapaxes(dim1=0, dim2=2)', data),
        case('expand_dims_0', 'expand_dims', {'data': (2, 3)}, {'axis': 0}),
        case('expand_dims_1', 'expand_dims', {'data': (2, 3)}, {'axis': 1}),
        case('expand_dims_end', 'expand_dims', {'data': (2, 3)}, {'axis': 2}),
        case('expand_dims_minus1', 'expand_dims', {'data': (2, 3)}, {'axis': -1}),
        case('expand_dims_minus3', 'expand_dims', {'data': (2, 3)}, {'axis': -3}),
        case('expand_dims_float64', 'expand_dims', data, {'axis': 1}, dtype='float64'),
        case('expand_dims_int32', 'expand_dims', data, {'axis': -2}, dtype='int32'),
        case('expand_dims_fluent', 'data.expand_dims(axis=1)', {'data': (2, 3)}),
        case('squeeze_default', 'squeeze', {'data': (1, 3, 1, 2)}),
        case('squeeze_all_ones_gives_1', 'squeeze', {'data': (1, 1)}),
        case('squeeze_1d_one', 'squeeze', {'data': (1,)}, {'axis': 0}),
        case('squeeze_axes', 'squeeze', {'data': (1, 3, 1, 2)}, {'axis': (0, 2)}),
        case('squeeze_negative_axis', 'squeeze', {'data': (1, 3, 1)}, {'axis': -1}),
        case('squeeze_empty_axes_keeps_all', 'squeeze', {'data': (1, 3, 1)}, {'axis': ()}),
        case('squeeze_nothing_to_squeeze', 'squeeze', {'data': (2, 3)}),
        case('squeeze_float16', 'squeeze', {'data': (2, 1, 3)}, dtype='float16'),
        case('squeeze_int32', 'squeeze', {'data': (2, 1, 3)}, dtype='int32'),
        case('squeeze_fluent', 'data.squeeze(axis=1)', {'data': (2, 1, 3)}),
        case('reverse_axis0', 'reverse', data, {'axis': 0}),
        case('reverse_axis_last', 'reverse', data, {'axis': (2,)}),
        case('reverse_two_axes', 'reverse', data, {'axis': (0, 2)}),
        case('reverse_axis_twice_is_identity', 'reverse', data, {'axis': (1, 1)}),
        case('reverse_flip_alias', 'flip', {'data': (3, 4)}, {'axis': 1}),
        case('reverse_float64', 'reverse', data, {'axis': 1}, dtype='float64'),
        case('reverse_float16', 'reverse', data, {'axis': (0, 1)}, dtype='float16'),
        case('reverse_int32', 'reverse', data, {'axis': 1}, dtype='int32'),
        case('reverse_fluent_flip', 'data.flip(axis=0)', {'data': (3, 4)}),
        case('depth_to_space_2', 'depth_to_space', {'data': (1, 8, 2, 3)}, {'block_size': 2}),
        case('depth_to_space_3', 'depth_to_space', {'data': (2, 9, 1, 2)}, {'block_size': 3}),
        case('depth_to_space_float64', 'depth_to_space', {'data': (1, 4, 2, 2)},
             {'block_size': 2}, dtype='float64'),
        case('depth_to_space_int32', 'depth_to_space', {'data': (1, 4, 2, 2)},
             {'block_size': 2}, dtype='int32'),
        case('depth_to_space_fluent', 'data.depth_to_space(block_size=2)', {'data': (1, 8, 1, 2)}),
        case('space_to_depth_2', 'space_to_depth', {'data': (1, 2, 4, 6)}, {'block_size': 2}),
        case('space_to_depth_3', 'space_to_depth', {'data': (2, 1, 3, 6)}, {'block_size': 3}),
        case('space_to_depth_float16', 'space_to_depth', {'data': (1, 2, 2, 4)},
             {'block_size': 2}, dtype='float16'),
        case('space_to_depth_int32', 'space_to_depth', {'data': (1, 2, 2, 4)},
             {'block_size': 2}, dtype='int32'),
        case('space_to_depth_fluent', 'data.space_to_depth(block_size=2)', {'data': (1, 1, 2, 4)}),
    ]


def slicing_cases():
    matrix = {'data': (4, 5)}
    cube = {'data': (3, 4, 5)}
    slices = [
        ('slice_basic', matrix, {'begin': (1, 0), 'end': (3, 4)}),
        ('slice_none_begin_end', matrix, {'begin': (None, 1), 'end': (None, None)}),
        ('slice_step2', matrix, {'begin': (0, 1), 'end': (4, 5), 'step': (2, 2)}),
        ('slice_step3_uneven', matrix, {'begin': (None, 0), 'end': (None, 5), 'step': (1, 3)}),
        ('slice_negative_step_whole', matrix,
         {'begin': (None,), 'end': (None,), 'step': (-1,)}),
        ('slice_negative_step_ranges', matrix,
         {'begin': (3, 4), 'end': (0, None), 'step': (-1, -2)}),
        ('slice_negative_step_clamped_begin', matrix,
         {'begin': (9, None), 'end': (-9, None), 'step': (-2, None)}),
        ('slice_negative_indices', matrix, {'begin': (-3, -4), 'end': (-1, -1)}),
        ('slice_end_past_axis', matrix, {'begin': (1,), 'end': (10,)}),
        ('slice_step_none_entry', matrix, {'begin': (0, 0), 'end': (4, 5), 'step': (None, 2)}),
        ('slice_trailing_axes_kept', cube, {'begin': (1,), 'end': (3,)}),
        ('slice_3d_middle_step', cube,
         {'begin': (None, 3, 1), 'end': (None, None, 4), 'step': (1, -2, 2)}),
    ]
    cases = [case(name, 'slice', shapes, kwargs) for name, shapes, kwargs in slices]
    cases += [
        case('slice_crop_alias', 'crop', matrix, {'begin': (1, 1), 'end': (3, 3)}),
        case('slice_float16', 'slice', matrix, {'begin': (0, 1), 'end': (3, 5), 'step': (2, 1)},
             dtype='float16'),
        case('slice_float64', 'slice', cube, {'begin': (None, None, 4), 'end': (2, None, 0),
                                             'step': (1, 1, -1)}, dtype='float64'),
        case('slice_int32', 'slice', matrix, {'begin': (1, None), 'end': (None, None),
                                             'step': (2, -1)}, dtype='int32'),
        case('slice_fluent', 'data.slice(begin=(1, 0), end=(3, 2))', matrix),
        case('slice_axis_0', 'slice_axis', matrix, {'axis': 0, 'begin': 1, 'end': 3}),
        case('slice_axis_end_none', 'slice_axis', matrix, {'axis': 1, 'begin': 2, 'end': None}),
        case('slice_axis_negative', 'slice_axis', matrix, {'axis': -1, 'begin': -4, 'end': -1}),
        case('slice_axis_middle_3d', 'slice_axis', cube, {'axis': 1, 'begin': 0, 'end': 2}),
        case('slice_axis_float16', 'slice_axis', cube, {'axis': 2, 'begin': 1, 'end': 5},
             dtype='float16'),
        case('slice_axis_int32', 'slice_axis', matrix, {'axis': 0, 'begin': 0, 'end': 1},
             dtype='int32'),
        case('slice_axis_fluent', 'data.slice_axis(axis=1, begin=1, end=None)', matrix),
    ]
    like = ('data', 'shape_like')
    cases += [
        case('slice_like_all_axes', 'slice_like', {'data': (4, 5), 'shape_like': (2, 3)},
             variables=like),
        case('slice_like_axes', 'slice_like', {'data': (4, 5), 'shape_like': (2, 3)},
             {'axes': (1,)}, variables=like),
        case('slice_like_negative_axis', 'slice_like', {'data': (3, 4, 5), 'shape_like': (1, 2, 3)},
             {'axes': (-1, 0)}, variables=like),
        case('slice_like_lower_rank_like', 'slice_like', {'data': (4, 5), 'shape_like': (2,)},
             {'axes': (0,)}, variables=like),
        case('slice_like_float64', 'slice_like', {'data': (3, 4), 'shape_like': (3, 2)},
             variables=like, dtype='float64'),
        with_types(case('slice_like_int_shape_like', 'slice_like',
                        {'data': (3, 4), 'shape_like': (2, 2)}, variables=like),
                   shape_like='int32'),
        case('slice_like_fluent', 'data.slice_like(shape_like, axes=(0,))',
             {'data': (3, 4), 'shape_like': (2, 2)}, variables=like),
    ]
    cases += [
        case('diag_1d', 'diag', {'data': (3,)}),
        case('diag_1d_k1', 'diag', {'data': (3,)}, {'k': 1}),
        case('diag_1d_k_minus2', 'diag', {'data': (2,)}, {'k': -2}),
        case('diag_2d', 'diag', {'data': (3, 4)}),
        case('diag_2d_k1', 'diag', {'data': (3, 4)}, {'k': 1}),
        case('diag_2d_k_minus1', 'diag', {'data': (3, 4)}, {'k': -1}),
        case('diag_3d_axes', 'diag', {'data': (3, 4, 2)}, {'k': 1, 'axis1': 2, 'axis2': 0}),
        case('diag_3d_negative_axes', 'diag', {'data': (3, 4, 2)}, {'axis1': -1, 'axis2': -2}),
        case('diag_4d', 'diag', {'data': (2, 3, 3, 2)}, {'axis1': 1, 'axis2': 2, 'k': -1}),
        case('diag_float16', 'diag', {'data': (3, 3)}, dtype='float16'),
        case('diag_int32', 'diag', {'data': (3,)}, {'k': -1}, dtype='int32'),
        case('diag_fluent', 'data.diag(k=1)', {'data': (3, 3)}),
    ]
    crop_like = ('data', 'like')
    cases += [
        case('crop_h_w', 'Crop', {'data': (2, 2, 5, 6)}, {'h_w': (3, 4)}, positional=True),
        case('crop_h_w_offset', 'Crop', {'data': (1, 2, 5, 6)}, {'h_w': (2, 3), 'offset': (2, 1)},
             positional=True),
        case('crop_h_w_center', 'Crop', {'data': (1, 1, 5, 6)},
             {'h_w': (2, 3), 'center_crop': True}, positional=True),
        case('crop_like', 'Crop', {'data': (1, 2, 5, 6), 'like': (1, 1, 3, 3)},
             {'offset': (1, 2)}, variables=crop_like, positional=True),
        case('crop_like_center', 'Crop', {'data': (2, 1, 6, 5), 'like': (1, 3, 3, 2)},
             {'center_crop': True}, variables=crop_like, positional=True),
        case('crop_num_args_given', 'Crop', {'data': (1, 1, 4, 4), 'like': (1, 1, 2, 2)},
             {'num_args': 2}, variables=crop_like, positional=True),
    ]
    return cases


def splitting_cases():
    data = {'data': (2, 6, 2)}
    return [
        case('slicechannel_default_axis1', 'SliceChannel', data, {'num_outputs': 2}),
        case('slicechannel_axis0_three', 'SliceChannel', {'data': (6, 2)},
             {'num_outputs': 3, 'axis': 0}),
        case('slicechannel_negative_axis', 'SliceChannel', data, {'num_outputs': 2, 'axis': -1}),
        case('slicechannel_squeeze', 'SliceChannel', data,
             {'num_outputs': 6, 'squeeze_axis': True}),
        case('slicechannel_one_output', 'SliceChannel', data, {'num_outputs': 1}),
        case('slicechannel_split_alias', 'split', data, {'num_outputs': 3, 'axis': 1}),
        case('slicechannel_float16', 'SliceChannel', data, {'num_outputs': 2}, dtype='float16'),
        case('slicechannel_float64', 'SliceChannel', data, {'num_outputs': 2, 'axis': 0},
             dtype='float64'),
        case('slicechannel_int32', 'SliceChannel', data, {'num_outputs': 3}, dtype='int32'),
        case('slicechannel_fluent', 'data.split(num_outputs=2, axis=2)', data),
        case('stack_two', 'stack', {'a': (2, 3), 'b': (2, 3)}, variables=('a', 'b'),
             positional=True),
        case('stack_three_axis1', 'stack', {'a': (2, 3), 'b': (2, 3), 'c': (2, 3)}, {'axis': 1},
             variables=('a', 'b', 'c'), positional=True),
        case('stack_axis_last', 'stack', {'a': (2, 3), 'b': (2, 3)}, {'axis': -1},
             variables=('a', 'b'), positional=True),
        case('stack_1d', 'stack', {'a': (4,), 'b': (4,)}, variables=('a', 'b'), positional=True),
        case('stack_one', 'stack', {'a': (2, 2)}, {'axis': 2}, variables=('a',), positional=True),
        case('stack_float64', 'stack', {'a': (2, 3), 'b': (2, 3)}, {'axis': 1},
             variables=('a', 'b'), positional=True, dtype='float64'),
        case('stack_int32', 'stack', {'a': (2, 3), 'b': (2, 3)}, variables=('a', 'b'),
             positional=True, dtype='int32'),
    ]


def repeating_cases():
    data = {'data': (2, 3)}
    cases = [
        case('tile_same_rank', 'tile', data, {'reps': (2, 3)}),
        case('tile_reps_shorter', 'tile', data, {'reps': (2,)}),
        case('tile_reps_longer', 'tile', data, {'reps': (2, 1, 2)}),
        case('tile_reps_empty', 'tile', data, {'reps': ()}),
        case('tile_1d', 'tile', {'data': (3,)}, {'reps': (3,)}),
        case('tile_float16', 'tile', data, {'reps': (1, 2)}, dtype='float16'),
        case('tile_float64', 'tile', data, {'reps': (2, 1)}, dtype='float64'),
        case('tile_int32', 'tile', data, {'reps': (2, 2)}, dtype='int32'),
        case('tile_fluent', 'data.tile(reps=(2, 2))', data),
        case('repeat_axis_none_flattens', 'repeat', data, {'repeats': 2}),
        case('repeat_axis0', 'repeat', data, {'repeats': 3, 'axis': 0}),
        case('repeat_axis_minus1', 'repeat', data, {'repeats': 2, 'axis': -1}),
        case('repeat_once', 'repeat', data, {'repeats': 1, 'axis': 1}),
        case('repeat_3d_middle', 'repeat', {'data': (2, 2, 3)}, {'repeats': 2, 'axis': 1}),
        case('repeat_float16', 'repeat', data, {'repeats': 2, 'axis': 0}, dtype='float16'),
        case('repeat_float64', 'repeat', data, {'repeats': 3}, dtype='float64'),
        case('repeat_int32', 'repeat', data, {'repeats': 2, 'axis': 1}, dtype='int32'),
        case('repeat_fluent', 'data.repeat(repeats=2, axis=1)', data),
    ]
    pads = [
        ('pad_constant_4d', (1, 2, 3, 3),
         {'mode': 'constant', 'pad_width': (0, 0, 0, 0, 1, 2, 2, 1)}),
        ('pad_constant_value', (2, 1, 2, 3),
         {'mode': 'constant', 'pad_width': (0, 0, 0, 0, 1, 1, 0, 2), 'constant_value': 1.5}),
        ('pad_constant_5d', (1, 1, 2, 2, 3),
         {'mode': 'constant', 'pad_width': (0, 0, 0, 0, 1, 0, 0, 1, 2, 1),
          'constant_value': -2.0}),
        ('pad_edge_4d', (1, 2, 3, 3), {'mode': 'edge', 'pad_width': (0, 0, 0, 0, 2, 1, 1, 3)}),
        ('pad_edge_5d', (1, 1, 2, 3, 2),
         {'mode': 'edge', 'pad_width': (0, 0, 0, 0, 1, 1, 2, 0, 1, 2)}),
        ('pad_reflect_4d', (1, 2, 3, 4),
         {'mode': 'reflect', 'pad_width': (0, 0, 0, 0, 2, 1, 1, 3)}),
        ('pad_reflect_5d', (1, 1, 3, 3, 4),
         {'mode': 'reflect', 'pad_width': (0, 0, 0, 0, 1, 2, 2, 0, 1, 1)}),
    ]
    cases += [case(name, 'Pad', {'data': shape}, kwargs) for name, shape, kwargs in pads]
    cases += [
        case('pad_lowercase_alias', 'pad', {'data': (1, 1, 2, 2)},
             {'mode': 'edge', 'pad_width': (0, 0, 0, 0, 1, 1, 1, 1)}),
        case('pad_float64_reflect', 'Pad', {'data': (1, 1, 3, 3)},
             {'mode': 'reflect', 'pad_width': (0, 0, 0, 0, 1, 1, 2, 2)}, dtype='float64'),
        case('pad_float16_constant', 'Pad', {'data': (1, 1, 2, 2)},
             {'mode': 'constant', 'pad_width': (0, 0, 0, 0, 1, 1, 1, 1), 'constant_value': 0.1},
             dtype='float16'),
        case('pad_fluent', "data.pad(mode='edge', pad_width=(0, 0, 0, 0, 1, 1, 1, 1))",
             {'data': (1, 1, 2, 2)}),
    ]
    return cases


def broadcasting_cases():
    lhs_rhs = ('lhs', 'rhs')
    return [
        case('broadcast_axis_two', 'broadcast_axis', {'data': (1, 2, 1)},
             {'axis': (0, 2), 'size': (2, 3)}),
        case('broadcast_axis_int_params', 'broadcast_axis', {'data': (2, 1)},
             {'axis': 1, 'size': 4}),
        case('broadcast_axis_empty', 'broadcast_axis', {'data': (2, 3)}),
        case('broadcast_axes_alias', 'broadcast_axes', {'data': (1, 3)},
             {'axis': (0,), 'size': (3,)}),
        case('broadcast_axis_float16', 'broadcast_axis', {'data': (3, 1)},
             {'axis': (1,), 'size': (2,)}, dtype='float16'),
        case('broadcast_axis_float64', 'broadcast_axis', {'data': (1, 1, 2)},
             {'axis': (0, 1), 'size': (2, 3)}, dtype='float64'),
        case('broadcast_axis_int32', 'broadcast_axis', {'data': (1, 3)},
             {'axis': (0,), 'size': (2,)}, dtype='int32'),
        case('broadcast_axes_fluent', 'data.broadcast_axes(axis=1, size=3)', {'data': (2, 1)}),
        case('broadcast_like_default', 'broadcast_like', {'lhs': (1, 3), 'rhs': (4, 3)},
             variables=lhs_rhs),
        case('broadcast_like_3d', 'broadcast_like', {'lhs': (2, 1, 1), 'rhs': (2, 3, 4)},
             variables=lhs_rhs),
        case('broadcast_like_axes', 'broadcast_like', {'lhs': (1, 3), 'rhs': (2, 3, 4)},
             {'lhs_axes': (0,), 'rhs_axes': (2,)}, variables=lhs_rhs),
        case('broadcast_like_negative_axes', 'broadcast_like', {'lhs': (2, 1), 'rhs': (2, 3, 4)},
             {'lhs_axes': (-1,), 'rhs_axes': (-2,)}, variables=lhs_rhs),
        case('broadcast_like_two_axes', 'broadcast_like', {'lhs': (1, 2, 1), 'rhs': (3, 5)},
             {'lhs_axes': (0, 2), 'rhs_axes': (1, 0)}, variables=lhs_rhs),
        case('broadcast_like_float16', 'broadcast_like', {'lhs': (3, 1), 'rhs': (3, 2)},
             variables=lhs_rhs, dtype='float16'),
        with_types(case('broadcast_like_int_rhs', 'broadcast_like',
                        {'lhs': (1, 3), 'rhs': (2, 3)}, variables=lhs_rhs), rhs='int32'),
        case('broadcast_like_fluent', 'lhs.broadcast_like(rhs)', {'lhs': (1, 2), 'rhs': (3, 2)},
             variables=lhs_rhs),
        case('reshape_like_default', 'reshape_like', {'lhs': (2, 3), 'rhs': (3, 2)},
             variables=lhs_rhs),
        case('reshape_like_ranges', 'reshape_like', {'lhs': (2, 3, 4), 'rhs': (12, 5)},
             {'lhs_begin': 1, 'lhs_end': 3, 'rhs_begin': 0, 'rhs_end': 1}, variables=lhs_rhs),
        case('reshape_like_negative_begin', 'reshape_like', {'lhs': (2, 3, 4), 'rhs': (5, 4, 3)},
             {'lhs_begin': -2, 'lhs_end': None, 'rhs_begin': 1}, variables=lhs_rhs),
        case('reshape_like_begin_only', 'reshape_like', {'lhs': (2, 3, 4), 'rhs': (5, 12, 3)},
             {'lhs_begin': 1, 'rhs_begin': 1, 'rhs_end': 2}, variables=lhs_rhs),
        case('reshape_like_negative_end', 'reshape_like', {'lhs': (6, 4), 'rhs': (2, 3, 7)},
             {'lhs_end': -1, 'rhs_end': -1}, variables=lhs_rhs),
        case('reshape_like_float64', 'reshape_like', {'lhs': (4, 3), 'rhs': (2, 6)},
             variables=lhs_rhs, dtype='float64'),
        with_types(case('reshape_like_int_rhs', 'reshape_like', {'lhs': (2, 3), 'rhs': (6,)},
                        variables=lhs_rhs), rhs='int32'),
        case('reshape_like_fluent', 'lhs.reshape_like(rhs)', {'lhs': (2, 3), 'rhs': (1, 6)},
             variables=lhs_rhs),
        case('shape_array_2d', 'shape_array', {'data': (2, 3)}),
        case('shape_array_4d', 'shape_array', {'data': (2, 1, 3, 2)}),
        case('shape_array_int32', 'shape_array', {'data': (4,)}, dtype='int32'),
        case('shape_array_fluent', 'data.shape_array()', {'data': (3, 2)}),
        case('size_array_2d', 'size_array', {'data': (2, 3)}),
        case('size_array_float16', 'size_array', {'data': (2, 2, 2)}, dtype='float16'),
        case('size_array_fluent', 'data.size_array()', {'data': (5,)}),
    ] + _assign_cases()


def _assign_cases():
    def assign(case_id, op, lhs, rhs, kwargs, **options):
        return case(case_id, '_internal.' + op, {'lhs': lhs, 'rhs': rhs}, kwargs,
                    variables=('lhs', 'rhs'), grad_req='null', **options)

    def assign_scalar(case_id, op, shape, kwargs, **options):
        return case(case_id, '_internal.' + op, {'data': shape}, kwargs, grad_req='null',
                    **options)
    zeros = 'mx.sym._internal._zeros_without_dtype(shape=(2, 3)) + data'
    return [
        assign('slice_assign', '_slice_assign', (3, 4), (2, 2), {'begin': (0, 1), 'end': (2, 3)}),
        assign('slice_assign_steps', '_slice_assign', (3, 4), (2, 2),
               {'begin': (None, 3), 'end': (None, 0), 'step': (2, -2)}),
        assign('slice_assign_negative_leading_axis', '_crop_assign', (2, 3, 4), (1, 3, 4),
               {'begin': (-1,), 'end': (None,)}, dtype='int32'),
        assign('slice_assign_float64', '_slice_assign', (4, 3), (2, 3),
               {'begin': (1, 0), 'end': (-1, 3)}, dtype='float64'),
        assign_scalar('slice_assign_scalar', '_slice_assign_scalar', (3, 4),
                      {'scalar': 3, 'begin': (0, 1), 'end': (2, 3)}),
        assign_scalar('slice_assign_scalar_int32_truncates', '_crop_assign_scalar', (3, 4),
                      {'scalar': 3.7, 'begin': (0,), 'end': (2,)}, dtype='int32'),
        assign_scalar('slice_assign_scalar_steps_float64', '_slice_assign_scalar', (4, 5),
                      {'scalar': -1.5, 'begin': (None, -1), 'end': (None, None),
                       'step': (3, -2)}, dtype='float64'),
        assign_scalar('slice_assign_scalar_default', '_slice_assign_scalar', (2, 3),
                      {'begin': (1,), 'end': (2,)}),
        case('zeros_without_dtype_int32', zeros, {'data': (2, 3)}, variables=('data',),
             dtype='int32'),
        case('zeros_without_dtype_float64', zeros, {'data': (2, 3)}, variables=('data',),
             dtype='float64'),
    ]
