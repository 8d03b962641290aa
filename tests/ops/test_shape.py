"""Tests for mxsym/ops/shape.py against MXNet 1.9.1: Reshape, broadcast_to, Concat, Flatten,
Cast, transposes, slices, splits, tiling, padding, broadcasting and array creation.

Most ops replay golden cases recorded from MXNet. Ops the recorder cannot reach are checked
here against MXNet's results written out: the creation ops (no inputs), _split_v2 (no
mx.sym.split_v2 helper yet) and SliceChannel's 0-d outputs.
"""
import re
import numpy as np
import pytest

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'shape')


# ------------------------------------------------------------------ creation ops (no inputs)
def _float32(*values):
    return np.array(values, np.float32)


# (helper, kwargs, the attrs MXNet writes, MXNet's output)
CREATED = {
    'zeros': ('zeros', {'shape': (2, 3)}, {'dtype': 'float32', 'shape': '(2, 3)'},
              np.zeros((2, 3), np.float32)),
    'zeros_int32': ('zeros', {'shape': (4,), 'dtype': 'int32'},
                    {'dtype': 'int32', 'shape': '(4,)'}, np.zeros(4, np.int32)),
    'ones_float16': ('ones', {'shape': (2, 2), 'dtype': 'float16'},
                     {'dtype': 'float16', 'shape': '(2, 2)'}, np.ones((2, 2), np.float16)),
    'full': ('full', {'shape': (2, 3), 'val': 2.5},
             {'dtype': 'float32', 'shape': '(2, 3)', 'value': '2.5'},
             np.full((2, 3), 2.5, np.float32)),
    'full_int32_truncates': ('full', {'shape': (3,), 'val': -2.7, 'dtype': 'int32'},
                             {'dtype': 'int32', 'shape': '(3,)', 'value': '-2.7'},
                             np.array([-2, -2, -2], np.int32)),
    'full_float64': ('full', {'shape': (2,), 'val': 0.1, 'dtype': 'float64'},
                     {'dtype': 'float64', 'shape': '(2,)', 'value': '0.1'},
                     np.array([0.1, 0.1])),
    'arange_stop_only': ('arange', {'start': 4},
                         {'dtype': 'float32', 'infer_range': 'False', 'repeat': '1',
                          'start': '4', 'step': '1.0', 'stop': 'None'},
                         _float32(0, 1, 2, 3)),
    'arange_step_repeat': ('arange', {'start': -0.5, 'stop': 3, 'step': 0.7, 'repeat': 2},
                           {'dtype': 'float32', 'infer_range': 'False', 'repeat': '2',
                            'start': '-0.5', 'step': '0.7', 'stop': '3'},
                           _float32(-0.5, -0.5, 0.19999998807907104, 0.19999998807907104,
                                    0.8999999761581421, 0.8999999761581421,
                                    1.5999999046325684, 1.5999999046325684,
                                    2.299999952316284, 2.299999952316284)),
    'arange_negative_step_float64': ('arange',
                                     {'start': 5, 'stop': 1, 'step': -1.5, 'dtype': 'float64'},
                                     {'dtype': 'float64', 'infer_range': 'False',
                                      'repeat': '1', 'start': '5', 'step': '-1.5', 'stop': '1'},
                                     np.array([5.0, 3.5, 2.0])),
    'arange_int32_truncates': ('arange', {'start': 0.5, 'stop': 7, 'step': 2.7,
                                          'dtype': 'int32'},
                               {'dtype': 'int32', 'infer_range': 'False', 'repeat': '1',
                                'start': '0.5', 'step': '2.7', 'stop': '7'},
                               np.array([0, 2, 4], np.int32)),
    # float16 is not a signed type to MXNet's range kernel: start and step become integers.
    'arange_float16_truncates': ('arange', {'start': 1.5, 'stop': 9, 'step': 2.5,
                                            'dtype': 'float16'},
                                 {'dtype': 'float16', 'infer_range': 'False', 'repeat': '1',
                                  'start': '1.5', 'step': '2.5', 'stop': '9'},
                                 np.array([1, 3, 5], np.float16)),
    'arange_infer_range_with_stop': ('arange', {'start': 2, 'stop': 5, 'infer_range': True},
                                     {'dtype': 'float32', 'infer_range': 'True',
                                      'repeat': '1', 'start': '2', 'step': '1.0', 'stop': '5'},
                                     _float32(2, 3, 4)),
    'linspace': ('linspace', {'start': 0, 'stop': 1, 'num': 5},
                 {'dtype': 'float32', 'endpoint': 'True', 'num': '5', 'start': '0',
                  'stop': '1'},
                 _float32(0, 0.25, 0.5, 0.75, 1)),
    'linspace_no_endpoint_float64': ('linspace', {'start': 0.1, 'stop': 0.9, 'num': 4,
                                                  'endpoint': False, 'dtype': 'float64'},
                                     {'dtype': 'float64', 'endpoint': 'False', 'num': '4',
                                      'start': '0.1', 'stop': '0.9'},
                                     np.array([0.1, 0.30000000000000004, 0.5,
                                               0.7000000000000001])),
    'linspace_fractions': ('linspace', {'start': 0.1, 'stop': 0.9, 'num': 7},
                           {'dtype': 'float32', 'endpoint': 'True', 'num': '7',
                            'start': '0.1', 'stop': '0.9'},
                           _float32(0.10000000149011612, 0.23333333432674408,
                                    0.36666667461395264, 0.5, 0.6333333253860474,
                                    0.7666666507720947, 0.8999999761581421)),
    'linspace_int32_truncates': ('linspace', {'start': 0, 'stop': 10, 'num': 4,
                                              'dtype': 'int32'},
                                 {'dtype': 'int32', 'endpoint': 'True', 'num': '4',
                                  'start': '0', 'stop': '10'},
                                 np.array([0, 3, 6, 10], np.int32)),
    'linspace_one': ('linspace', {'start': 2, 'stop': 3, 'num': 1},
                     {'dtype': 'float32', 'endpoint': 'True', 'num': '1', 'start': '2',
                      'stop': '3'},
                     _float32(2)),
    'eye': ('eye', {'N': 3}, {'M': '0', 'N': '3', 'dtype': 'float32', 'k': '0'},
            np.eye(3, dtype=np.float32)),
    'eye_rect_k1': ('eye', {'N': 3, 'M': 4, 'k': 1},
                    {'M': '4', 'N': '3', 'dtype': 'float32', 'k': '1'},
                    np.eye(3, 4, 1, dtype=np.float32)),
    'eye_k_minus1_int32': ('eye', {'N': 3, 'k': -1, 'dtype': 'int32'},
                           {'M': '0', 'N': '3', 'dtype': 'int32', 'k': '-1'},
                           np.eye(3, k=-1, dtype=np.int32)),
    'eye_float16': ('eye', {'N': 2, 'M': 3, 'k': -1, 'dtype': 'float16'},
                    {'M': '3', 'N': '2', 'dtype': 'float16', 'k': '-1'},
                    np.eye(2, 3, -1, dtype=np.float16)),
}


@pytest.mark.parametrize('helper, kwargs, attrs, expected', CREATED.values(), ids=list(CREATED))
def test_creation_op(helper, kwargs, attrs, expected):
    """Names, attrs, inferred shape and dtype, and the exact values MXNet 1.9.1 gives."""
    with mx.name.NameManager():
        sym = getattr(mx.sym, helper)(**kwargs)
    assert sym.list_arguments() == []
    assert sym.list_outputs() == ['_%s0_output' % helper]
    assert sym.attr_dict()['_%s0' % helper] == attrs
    assert sym.infer_shape() == ([], [expected.shape], [])
    assert [np.dtype(t) for t in sym.infer_type()[1]] == [expected.dtype]
    out = sym.simple_bind(mx.cpu()).forward()[0].asnumpy()
    assert out.dtype == expected.dtype
    np.testing.assert_array_equal(out, expected)


# ------------------------------------------------------------------ _split_v2
# (params, data shape, MXNet's output names, the (start, end) of each part along the axis)
SPLITS_V2 = {
    'indices': ({'indices': (0, 2, 3), 'axis': 0}, (5, 2),
                ['output0', 'output1', 'output2'], [(0, 2), (2, 3), (3, 5)]),
    'sections_uneven': ({'indices': (), 'sections': 3, 'axis': 0}, (5, 2),
                        ['output0', 'output1', 'output2'], [(0, 2), (2, 4), (4, 5)]),
    'negative_axis': ({'indices': (0, 1), 'axis': -1}, (2, 3, 4),
                      ['output0', 'output1'], [(0, 1), (1, 4)]),
    'one_part': ({'indices': (0,), 'axis': 1}, (2, 5), ['output'], [(0, 5)]),
    'default_axis_sections': ({'indices': (), 'sections': 2}, (2, 4, 3),
                              ['output0', 'output1'], [(0, 2), (2, 4)]),
}


@pytest.mark.parametrize('params, shape, names, bounds', SPLITS_V2.values(), ids=list(SPLITS_V2))
def test_split_v2(params, shape, names, bounds):
    """Output names and shapes, values, and a gradient that joins the head gradients."""
    axis = params['axis'] % len(shape) if 'axis' in params else 1
    with mx.name.NameManager():
        sym = mx.sym._internal._split_v2(mx.sym.var('data'), **params)
    assert sym.list_outputs() == ['_split_v20_' + name for name in names]
    data = np.random.RandomState(0).randn(*shape).astype(np.float32)
    parts = [np.take(data, range(start, end), axis) for start, end in bounds]
    assert sym.infer_shape(data=shape)[1] == [part.shape for part in parts]
    exe = sym.simple_bind(mx.cpu(), data=shape)
    exe.arg_dict['data'][:] = data
    for out, part in zip(exe.forward(is_train=True), parts):
        np.testing.assert_array_equal(out.asnumpy(), part)
    heads = [np.full(part.shape, i + 1, np.float32) for i, part in enumerate(parts)]
    exe.backward([mx.nd.array(head) for head in heads])
    np.testing.assert_array_equal(exe.grad_dict['data'].asnumpy(),
                                  np.concatenate(heads, axis))


def test_split_v2_squeeze_axis():
    sym = mx.sym._internal._split_v2(mx.sym.var('data'), indices=(), sections=2, axis=0,
                                     squeeze_axis=True)
    assert sym.infer_shape(data=(2, 3))[1] == [(3,), (3,)]


def test_slice_channel_squeezes_to_0d():
    """Unlike the reductions, SliceChannel returns 0-d parts when squeezing a 1-D input."""
    sym = mx.sym.split(mx.sym.var('data'), num_outputs=3, axis=0, squeeze_axis=True)
    assert sym.infer_shape(data=(3,))[1] == [(), (), ()]
    exe = sym.simple_bind(mx.cpu(), data=(3,))
    exe.arg_dict['data'][:] = np.array([1., 2., 3.], np.float32)
    assert [out.asnumpy().tolist() for out in exe.forward()] == [1., 2., 3.]


# ------------------------------------------------------------------ inputs MXNet refuses
def _var(name='data'):
    return mx.sym.var(name)


REFUSED = {
    'transpose_negative_axes': (lambda: mx.sym.transpose(_var(), axes=(-1, 0, 1)),
                                {'data': (2, 3, 4)}),
    'expand_dims_axis_too_large': (lambda: mx.sym.expand_dims(_var(), axis=3),
                                   {'data': (2, 3)}),
    'squeeze_axis_not_one': (lambda: mx.sym.squeeze(_var(), axis=1), {'data': (1, 3, 1)}),
    'reverse_negative_axis': (lambda: mx.sym.reverse(_var(), axis=-1), {'data': (2, 3)}),
    'repeat_axis_out_of_range': (lambda: mx.sym.repeat(_var(), repeats=2, axis=-3),
                                 {'data': (2, 3)}),
    'slice_axis_end_past_axis': (lambda: mx.sym.slice_axis(_var(), axis=0, begin=0, end=10),
                                 {'data': (3, 4)}),
    'slice_like_rank_mismatch': (lambda: mx.sym.slice_like(_var(), _var('like')),
                                 {'data': (3, 4), 'like': (2,)}),
    'slice_like_larger': (lambda: mx.sym.slice_like(_var(), _var('like')),
                          {'data': (3, 4), 'like': (4, 2)}),
    'broadcast_axis_negative': (lambda: mx.sym.broadcast_axis(_var(), axis=-1, size=3),
                                {'data': (2, 1)}),
    'broadcast_axis_not_one': (lambda: mx.sym.broadcast_axis(_var(), axis=1, size=3),
                               {'data': (1, 2)}),
    'broadcast_like_rank_mismatch': (lambda: mx.sym.broadcast_like(_var('a'), _var('b')),
                                     {'a': (3,), 'b': (2, 3)}),
    'diag_missing_diagonal': (lambda: mx.sym.diag(_var(), k=5), {'data': (2, 3)}),
    'diag_same_axes': (lambda: mx.sym.diag(_var(), axis1=0, axis2=0), {'data': (2, 3)}),
    'crop_not_4d': (lambda: mx.sym.Crop(_var(), h_w=(2, 2)), {'data': (2, 3)}),
    'pad_3d': (lambda: mx.sym.Pad(_var(), mode='constant', pad_width=(0, 0, 0, 0, 1, 2)),
               {'data': (1, 1, 2)}),
    'pad_channels': (lambda: mx.sym.Pad(_var(), mode='constant',
                                        pad_width=(0, 0, 1, 0, 1, 2, 2, 1)),
                     {'data': (1, 1, 2, 2)}),
    'pad_width_length': (lambda: mx.sym.Pad(_var(), mode='constant',
                                            pad_width=(0, 0, 0, 0, 1, 2)),
                         {'data': (1, 1, 2, 2)}),
    'pad_reflect_too_wide': (lambda: mx.sym.Pad(_var(), mode='reflect',
                                                pad_width=(0, 0, 0, 0, 3, 0, 0, 0)),
                             {'data': (1, 1, 3, 3)}),
    'split_v2_decreasing_indices': (lambda: mx.sym._internal._split_v2(_var(), indices=(0, 2, 1),
                                                                       axis=0),
                                    {'data': (3, 2)}),
    'split_v2_not_from_0': (lambda: mx.sym._internal._split_v2(_var(), indices=(1, 3), axis=1),
                            {'data': (2, 5)}),
}


@pytest.mark.parametrize('build, shapes', REFUSED.values(), ids=list(REFUSED))
def test_refused_like_mxnet(build, shapes):
    with pytest.raises(mx.MXNetError):
        build().infer_shape(**shapes)


# MXNet 1.9.1 refuses each of these too (checked: its Reshape shape function fails a check),
# but for (-4, -1, 0), on which its process dies of a floating-point exception. mxsym says which
# code broke which rule, where it raised IndexError or ZeroDivisionError.
@pytest.mark.parametrize('shape, reverse, data, message', [
    ((-4, 2), False, (2, 3), r'code -4 must be followed by the two dims it splits into'),
    ((0, 0, 0), False, (2, 3), r'code 0 needs input dim 2, but the input has 2 dims'),
    ((-3, -3), False, (2, 3, 4), r'code -3 needs input dim 3, but the input has 3 dims'),
    ((-4, -1, -1), False, (6,), r'code -4 can infer only one of its two dims'),
    ((-4, 4, 2), False, (6,), r'code -4 splits dim 6 into 4 x 2'),
    ((-4, 0, 3), False, (6,), r'code -4 splits dim 6 into 0 x 3'),
    ((-4, -1, 0), False, (6,), r'code -4 cannot split dim 6 by 0'),
    ((0, 2, -1), True, (2, 10), r'\(reverse\): code 0 needs input dim 2'),
])
def test_reshape_codes_that_do_not_fit_the_input(shape, reverse, data, message):
    with pytest.raises(mx.MXNetError, match=r'Reshape: shape=%s does not apply to input shape '
                       r'%s.*%s' % (re.escape(str(shape)), re.escape(str(data)), message)):
        mx.sym.Reshape(_var(), shape=shape, reverse=reverse).infer_shape(data=data)


def test_set_value_fills_out():
    """_set_value is an MXNet NDArray function writing a scalar into `out`; no symbol runs it."""
    out = mx.nd.zeros((2, 3))
    mx.nd._internal._set_value(2.5, out=out)
    np.testing.assert_array_equal(out.asnumpy(), np.full((2, 3), 2.5))


@pytest.mark.parametrize('op, shape, block', [
    ('depth_to_space', (2, 1, 3, 3), 2), ('depth_to_space', (2, 4, 0, 3), 2),
    ('depth_to_space', (2, 4, 3, 3), 0), ('space_to_depth', (2, 4, 1, 4), 2),
    ('space_to_depth', (2, 0, 4, 4), 2), ('space_to_depth', (2, 4, 4, 4), 0)])
def test_block_rearrangements_reject_what_mxnet_rejects(op, shape, block):
    with pytest.raises(mx.MXNetError, match=op):
        getattr(mx.nd, op)(mx.nd.array(np.ones(shape)), block)


def test_tile_refuses_negative_reps():
    with pytest.raises(mx.MXNetError, match=r'tile.*reps \(1, 2, -3\) cannot contain negative'):
        mx.nd.tile(mx.nd.ones((2, 2)), (1, 2, -3))


@pytest.mark.parametrize('kwargs, size, expected', [
    ({'start': 0}, 5, [0, 1, 2, 3, 4]),
    ({'start': 0.1, 'step': 0.1, 'repeat': 2}, 6, [0.1, 0.1, 0.2, 0.2, 0.3, 0.3])])
def test_arange_infer_range_takes_its_length_from_the_graph(kwargs, size, expected):
    """Values from MXNet 1.9.1 on the same graphs."""
    net = mx.sym.arange(stop=None, infer_range=True, **kwargs) + mx.sym.var('x')
    out = net.bind(mx.cpu(), {'x': mx.nd.zeros((size,))}).forward()[0]
    np.testing.assert_allclose(out.asnumpy(), expected, rtol=1e-6)
    assert mx.sym.arange(stop=None, infer_range=True, **kwargs).infer_shape_partial()[1] == [()]


def test_tile_takes_zero_reps_only_in_np_shape_mode():
    data = mx.nd.ones((2, 2))
    with mx.np_shape(True):
        assert mx.nd.tile(data, (1, 0, 3)).shape == (1, 0, 6)
    with pytest.raises(mx.MXNetError, match=r'reps \(1, 0, 3\) cannot contain 0'):
        mx.nd.tile(data, (1, 0, 3))
