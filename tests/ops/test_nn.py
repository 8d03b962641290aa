"""Tests for mxsym/ops/nn.py: golden cases recorded from MXNet 1.9.1, and direct tests of what
the golden recorder cannot hold (random layers in training, shapes MXNet's CPU build infers but
cannot run, integer indices). Their expected values follow behaviour checked on MXNet 1.9.1."""
import json
import re

import numpy as np
import pytest

import mxsym as mx
from golden_case import (assert_matches, build_symbol, case_id, check_executor, check_symbol,
                         executor_params, load_cases, shapes_of)

CASES = load_cases('nn')


def draws_in_training(case):
    """Dropout with 0 < p < 1 draws its mask in training: only its inference is comparable."""
    return case['op'] == 'Dropout' and 0 < case['kwargs'].get('p', 0.5) < 1


@pytest.mark.parametrize('case', CASES, ids=case_id)
def test_symbol(case):
    check_symbol(mx, case)


@pytest.mark.parametrize('case', executor_params(
    mx, [case for case in CASES if not draws_in_training(case)]))
def test_forward_backward(case):
    check_executor(mx, case)


@pytest.mark.parametrize('case', [case for case in CASES if draws_in_training(case)
                                  and case['kwargs'].get('mode') != 'always'], ids=case_id)
def test_random_layer_inference(case):
    """Outside training, Dropout is the identity, as in MXNet."""
    sym = build_symbol(mx, case)
    exe = sym.simple_bind(mx.cpu(), grad_req='null', type_dict=case['types'], **shapes_of(case))
    for name in sym.list_arguments():
        exe.arg_dict[name][:] = case['arrays']['arg:' + name]
    exe.forward(is_train=False)
    for index, out in enumerate(exe.outputs):
        assert_matches(out.asnumpy(), case['arrays']['out_infer:%d' % index],
                       'inference output %d' % index)


def bind(sym, grad_req='write', **shapes):
    return sym.simple_bind(mx.cpu(), grad_req=grad_req, **shapes)


def test_deconvolution_channels_last_shapes():
    """MXNet's CPU build infers NHWC Deconvolution shapes but cannot run it."""
    sym = mx.sym.Deconvolution(mx.sym.Variable('data'), kernel=(3, 3), num_filter=4,
                               num_group=2, layout='NHWC', stride=(2, 2), no_bias=False)
    assert sym.infer_shape(data=(1, 5, 6, 2)) == (
        [(1, 5, 6, 2), (2, 3, 3, 2), (4,)], [(1, 11, 13, 4)], [])


def test_deconvolution_channels_last_matches_channels_first():
    kwargs = {'kernel': (3, 2), 'num_filter': 4, 'num_group': 2, 'stride': (2, 1),
              'pad': (1, 0), 'adj': (1, 0), 'no_bias': False}
    rng = np.random.RandomState(2)
    data = rng.randn(2, 4, 3, 5).astype(np.float32)
    weight = rng.randn(4, 2, 3, 2).astype(np.float32)
    bias = rng.randn(4).astype(np.float32)
    outputs = []
    for layout, to_layout in [('NCHW', lambda x: x), ('NHWC', lambda x: x.transpose(0, 2, 3, 1))]:
        sym = mx.sym.Deconvolution(mx.sym.Variable('data'), layout=layout, name='deconv',
                                   **kwargs)
        exe = bind(sym, grad_req='null', data=to_layout(data).shape)
        exe.arg_dict['data'][:] = to_layout(data)
        exe.arg_dict['deconv_weight'][:] = to_layout(weight)
        exe.arg_dict['deconv_bias'][:] = bias
        outputs.append(exe.forward()[0].asnumpy())
    np.testing.assert_allclose(outputs[1], outputs[0].transpose(0, 2, 3, 1), rtol=1e-5,
                               atol=1e-5)


# ---------------------------------------------------------------------------- Dropout
@pytest.mark.parametrize('p', [0.2, 0.5, 0.8])
def test_dropout_training_keeps_about_1_minus_p_scaled(p):
    exe = bind(mx.sym.Dropout(mx.sym.Variable('data'), p=p), data=(200, 100))
    exe.arg_dict['data'][:] = 1
    out = exe.forward(is_train=True)[0].asnumpy()
    kept = out != 0
    assert abs(kept.mean() - (1 - p)) < 0.02
    np.testing.assert_allclose(out[kept], np.float32(1) / np.float32(1 - p), rtol=1e-6)
    head = np.random.RandomState(0).randn(200, 100).astype(np.float32)
    exe.backward([mx.nd.array(head)])
    np.testing.assert_allclose(exe.grad_dict['data'].asnumpy(), head * out, rtol=1e-6)


def test_dropout_is_repeatable_under_seed():
    exe = bind(mx.sym.Dropout(mx.sym.Variable('data'), p=0.5), data=(20, 30))
    exe.arg_dict['data'][:] = 1

    def draw():
        return exe.forward(is_train=True)[0].asnumpy()
    mx.random.seed(7)
    first, second = draw(), draw()
    mx.random.seed(7)
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(draw(), first)


def test_dropout_axes_share_one_draw_along_them():
    exe = bind(mx.sym.Dropout(mx.sym.Variable('data'), p=0.5, axes=(0, 2)), data=(4, 100, 3))
    exe.arg_dict['data'][:] = 1
    out = exe.forward(is_train=True)[0].asnumpy()
    np.testing.assert_array_equal(out, np.broadcast_to(out[:1, :, :1], out.shape))
    assert 0 < (out[0, :, 0] != 0).mean() < 1


def test_dropout_mode_always_drops_outside_training():
    exe = bind(mx.sym.Dropout(mx.sym.Variable('data'), p=0.5, mode='always'), data=(50, 40))
    exe.arg_dict['data'][:] = 1
    out = exe.forward(is_train=False)[0].asnumpy()
    assert set(np.unique(out)) == {0, 2}


# ---------------------------------------------------------------------------- LeakyReLU rrelu
# MXNet 1.9.1's CPU rrelu training forward crashes, so these check the documented behaviour.
RRELU_MEAN_SLOPE = (np.float32(0.125) + np.float32(0.334)) / np.float32(2)


def test_rrelu_shows_its_slopes_as_a_second_output():
    sym = mx.sym.LeakyReLU(mx.sym.Variable('data'), act_type='rrelu', name='act')
    assert sym.list_outputs() == ['act_output', 'act_mask']
    graph = json.loads(sym.tojson())
    assert graph['heads'] == [[1, 0, 0], [1, 1, 0]]
    assert graph['node_row_ptr'] == [0, 1, 3]


def test_rrelu_inference_uses_the_mean_slope():
    exe = bind(mx.sym.LeakyReLU(mx.sym.Variable('data'), act_type='rrelu'), data=(2, 3))
    x = np.array([[-1, 2, -3], [0.5, -0.25, 4]], np.float32)
    exe.arg_dict['data'][:] = x
    out = exe.forward(is_train=False)[0].asnumpy()
    np.testing.assert_allclose(out, np.where(x > 0, x, x * RRELU_MEAN_SLOPE), rtol=1e-6)


def test_rrelu_training_draws_slopes_between_the_bounds():
    sym = mx.sym.LeakyReLU(mx.sym.Variable('data'), act_type='rrelu', lower_bound=0.1,
                           upper_bound=0.4)
    exe = bind(sym, data=(50, 40))
    x = np.random.RandomState(1).randn(50, 40).astype(np.float32)
    exe.arg_dict['data'][:] = x
    mx.random.seed(3)
    out, slopes = (o.asnumpy() for o in exe.forward(is_train=True))
    assert 0.1 <= slopes.min() and slopes.max() <= 0.4 and slopes.std() > 0.05
    np.testing.assert_allclose(out, np.where(x > 0, x, x * slopes), rtol=1e-6)
    head = np.ones_like(x)
    exe.backward([mx.nd.array(head), mx.nd.zeros(x.shape)])
    np.testing.assert_allclose(exe.grad_dict['data'].asnumpy(), np.where(x > 0, 1, slopes),
                               rtol=1e-6)
    mx.random.seed(3)
    np.testing.assert_array_equal(exe.forward(is_train=True)[1].asnumpy(), slopes)


# ---------------------------------------------------------------------------- LeakyReLU prelu
@pytest.mark.parametrize('data, gamma', [((3, 4), (5,)), ((3, 4, 2), (3, 4, 2)),
                                         ((3, 4), (2, 3, 4))])
def test_prelu_gamma_must_fall_on_batch_and_channel_axes(data, gamma):
    sym = mx.sym.LeakyReLU(mx.sym.var('data'), mx.sym.var('gamma'), act_type='prelu')
    with pytest.raises(mx.MXNetError, match=r'cannot broadcast gamma %s to data %s'
                       % (re.escape(str(gamma)), re.escape(str(data)))):
        sym.infer_shape(data=data, gamma=gamma)


def test_prelu_gamma_is_one_slope_per_channel_unless_given():
    sym = mx.sym.LeakyReLU(mx.sym.var('data'), mx.sym.var('gamma'), act_type='prelu')
    assert sym.infer_shape(data=(3, 4, 5))[0] == [(3, 4, 5), (4,)]
    assert sym.infer_shape(data=(3, 4, 5), gamma=(3, 4))[0] == [(3, 4, 5), (3, 4)]


# ---------------------------------------------------------------------------- Embedding
def test_embedding_weight_dtype_wins_over_dtype_param():
    sym = mx.sym.Embedding(mx.sym.Variable('data'), input_dim=4, output_dim=3, dtype='int32',
                           name='embed')
    assert sym.infer_type(data='float32') == ([np.float32, np.int32], [np.int32], [])
    assert sym.infer_type(data='float32', embed_weight='float64') == (
        [np.float32, np.float64], [np.float64], [])


def test_embedding_takes_integer_indices():
    sym = mx.sym.Embedding(mx.sym.Variable('data'), input_dim=4, output_dim=2, name='embed')
    exe = sym.simple_bind(mx.cpu(), grad_req={'data': 'null', 'embed_weight': 'write'},
                          type_dict={'data': 'int32'}, data=(4,))
    exe.arg_dict['data'][:] = np.array([-3, 0, 9, 2])
    weight = np.arange(8, dtype=np.float32).reshape(4, 2)
    exe.arg_dict['embed_weight'][:] = weight
    np.testing.assert_array_equal(exe.forward(is_train=True)[0].asnumpy(),
                                  weight[[0, 0, 3, 2]])
    head = np.ones((4, 2), np.float32)
    exe.backward([mx.nd.array(head)])
    np.testing.assert_array_equal(exe.grad_dict['embed_weight'].asnumpy(),
                                  [[2, 2], [0, 0], [1, 1], [1, 1]])


@pytest.mark.parametrize('kwargs, message', [
    ({'num_hidden': 0}, 'value 0 for Parameter num_hidden should be greater equal to 1'),
    ({'num_hidden': -3}, 'value -3 for Parameter num_hidden should be greater equal to 1'),
])
def test_fully_connected_bounds(kwargs, message):
    with pytest.raises(mx.MXNetError, match=message):
        mx.sym.FullyConnected(mx.sym.var('data'), **kwargs)


@pytest.mark.parametrize('op, kwargs, key', [
    ('Convolution', {'num_filter': 0}, 'num_filter'),
    ('Convolution', {'num_group': 0}, 'num_group'),
    ('Convolution', {'kernel': (0, 3)}, 'kernel'),
    ('Convolution', {'stride': (1, 0)}, 'stride'),
    ('Convolution', {'dilate': (0, 0)}, 'dilate'),
    ('Convolution', {'pad': (-1, 0)}, 'pad'),
    ('Deconvolution', {'adj': (-1, 0)}, 'adj'),
    ('Deconvolution', {'num_group': -2}, 'num_group'),
    ('Dropout', {'p': 1.5}, 'p'),
    ('Embedding', {'input_dim': 0}, 'input_dim'),
])
def test_parameter_bounds_name_the_parameter(op, kwargs, key):
    base = {'Convolution': {'num_filter': 4, 'kernel': (3, 3)},
            'Deconvolution': {'num_filter': 4, 'kernel': (3, 3)},
            'Dropout': {},
            'Embedding': {'input_dim': 5, 'output_dim': 3}}[op]
    value = kwargs[key]
    with pytest.raises(mx.MXNetError, match=r'%s\d+ \(%s\): value %s for Parameter %s '
                       r'(should be greater equal to|exceed bound)'
                       % (op.lower(), op, re.escape(str(value)), key)):
        getattr(mx.sym, op)(mx.sym.var('data'), **dict(base, **kwargs))


@pytest.mark.parametrize('op, kwargs, message', [
    ('Convolution', {'kernel': (3, 3), 'pad': (1,)},
     r'pad must have the same number of dimensions with kernel_size, but kernel_size is set '
     r'to \(3, 3\) while pad is \(1,\)'),
    ('Convolution', {'kernel': (3, 3), 'dilate': (1, 1, 1)}, r'dilate must have the same'),
    ('Convolution', {'kernel': (1, 1, 1, 1)}, r'4D convolution not supported'),
    ('Deconvolution', {'kernel': (2, 2), 'adj': (1,)}, r'adj must have the same'),
    ('Deconvolution', {'kernel': ()}, r'0D deconvolution not supported'),
])
def test_window_lengths_are_checked_at_parse(op, kwargs, message):
    with pytest.raises(mx.MXNetError, match=message):
        getattr(mx.sym, op)(mx.sym.var('data'), num_filter=6, num_group=3, **kwargs)


def test_sparse_embedding_is_embedding_under_its_own_name():
    """contrib.SparseEmbedding gives Embedding's values (its weight gradient is row_sparse in
    MXNet, dense here) and keeps its own op name in the file."""
    weight = mx.nd.array(np.arange(12).reshape(4, 3))
    data = mx.nd.array([[0, 3], [1, 5]])
    np.testing.assert_array_equal(
        mx.nd.contrib.SparseEmbedding(data, weight, input_dim=4, output_dim=3).asnumpy(),
        mx.nd.Embedding(data, weight, input_dim=4, output_dim=3).asnumpy())
    net = mx.sym.contrib.SparseEmbedding(mx.sym.var('d'), input_dim=4, output_dim=3, name='e')
    assert net.list_arguments() == ['d', 'e_weight']
    assert json.loads(net.tojson())['nodes'][-1]['op'] == '_contrib_SparseEmbedding'
