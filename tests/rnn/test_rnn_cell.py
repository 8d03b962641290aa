"""Tests for mxsym/rnn/rnn_cell.py: graphs unrolled from every kind of cell, recorded from MXNet
1.9.1 by tests/golden/make_rnn_golden.py (JSON text, names, state_info, outputs, gradients,
unpacked weights), and what the recording leaves out: packing, the FusedRNN initializer,
counters, and the errors of misused cells."""
import json
import os
import sys
import warnings

import numpy as np
import pytest

import mxsym as mx
from mxsym.base import MXNetError

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, 'golden')
sys.path.insert(0, GOLDEN)
from rnn_cases import CASES, FUSED_PAIRS, RANDOM  # noqa: E402

with open(os.path.join(GOLDEN, 'rnn.json')) as _handle:
    RECORDED = json.load(_handle)
with np.load(os.path.join(GOLDEN, 'rnn.npz')) as _npz:
    ARRAYS = {key: _npz[key] for key in _npz.files}

TOLERANCE = dict(rtol=1e-4, atol=1e-5)
DETERMINISTIC = sorted(set(CASES) - RANDOM)


def build(case):
    """(symbol, input shapes, cell), named as in the process that recorded the cases."""
    with mx.name.NameManager(), warnings.catch_warnings():
        warnings.simplefilter('ignore')
        return CASES[case](mx)


def recorded_args(case, names):
    return {n: mx.nd.array(ARRAYS['%s/arg/%s' % (case, n)]) for n in names}


def bind(sym, case, grads):
    args = recorded_args(case, sym.list_arguments())
    args_grad = {n: mx.nd.zeros(a.shape) for n, a in args.items()} if grads else None
    return sym.bind(mx.cpu(), args, args_grad=args_grad)


def check_outputs(case, outputs, kind):
    assert [list(o.shape) for o in outputs] == RECORDED[case]['output_shapes']
    for i, out in enumerate(outputs):
        np.testing.assert_allclose(out.asnumpy(), ARRAYS['%s/%s/%d' % (case, kind, i)],
                                   **TOLERANCE)


@pytest.mark.parametrize('case', sorted(CASES))
def test_json_names_and_states(case):
    sym, _, cell = build(case)
    assert sym.tojson() == RECORDED[case]['json']
    assert sym.list_arguments() == RECORDED[case]['arguments']
    assert sym.list_outputs() == RECORDED[case]['outputs']
    assert [dict(info, shape=list(info['shape'])) for info in cell.state_info] == \
        RECORDED[case]['state_info']
    assert sorted(cell.params._params) == RECORDED[case]['params']


@pytest.mark.parametrize('case', sorted(CASES))
def test_inference_forward(case):
    sym, _, _ = build(case)
    check_outputs(case, bind(sym, case, grads=False).forward(is_train=False), 'out')


@pytest.mark.parametrize('case', DETERMINISTIC)
def test_training_forward_and_gradients(case):
    sym, _, _ = build(case)
    exe = bind(sym, case, grads=True)
    outputs = exe.forward(is_train=True)
    check_outputs(case, outputs, 'train_out')
    exe.backward([mx.nd.array(ARRAYS['%s/head/%d' % (case, i)]) for i in range(len(outputs))])
    for name in sym.list_arguments():
        np.testing.assert_allclose(exe.grad_dict[name].asnumpy(),
                                   ARRAYS['%s/grad/%s' % (case, name)], **TOLERANCE,
                                   err_msg='gradient of %s' % name)


@pytest.mark.parametrize('case', sorted(CASES))
def test_unpack_and_pack_weights(case):
    sym, _, cell = build(case)
    args = recorded_args(case, sym.list_arguments())
    expected = RECORDED[case]['unpacked']
    if expected is None:   # cells reading another prefix's shared params
        with pytest.raises(MXNetError, match='parameter .* is missing'):
            cell.unpack_weights(args)
        return
    unpacked = cell.unpack_weights(args)
    assert sorted(unpacked) == expected
    for name in expected:
        np.testing.assert_array_equal(unpacked[name].asnumpy(),
                                      ARRAYS['%s/unpacked/%s' % (case, name)], err_msg=name)
    packed = cell.pack_weights(unpacked)
    assert sorted(packed) == sorted(args)
    for name, value in args.items():
        np.testing.assert_array_equal(packed[name].asnumpy(), value.asnumpy(), err_msg=name)


@pytest.mark.parametrize('unfused_case', sorted(FUSED_PAIRS))
def test_fused_weights_unpack_into_unfused_stack(unfused_case):
    fused_case = FUSED_PAIRS[unfused_case]
    fused_sym, _, fused = build(fused_case)
    unfused_sym, _, unfused = build(unfused_case)
    packed = unfused.pack_weights(fused.unpack_weights(
        recorded_args(fused_case, fused_sym.list_arguments())))
    for name in unfused_sym.list_arguments():
        np.testing.assert_array_equal(packed[name].asnumpy(),
                                      ARRAYS['%s/arg/%s' % (unfused_case, name)], err_msg=name)


def test_fused_and_unfused_outputs_agree():
    fused_out = ARRAYS['fused_gru_bidirectional_ntc/out/0']
    np.testing.assert_allclose(ARRAYS['fused_gru_bidirectional_unfused/out/0'], fused_out,
                               rtol=1e-5, atol=1e-6)
    sym, _, _ = build('fused_gru_bidirectional_unfused')
    out = bind(sym, 'fused_gru_bidirectional_unfused', grads=False).forward()[0]
    np.testing.assert_allclose(out.asnumpy(), fused_out, **TOLERANCE)


# ---------------------------------------------------------------------- initializers
@pytest.mark.parametrize('mode', ['lstm', 'gru', 'rnn_tanh'])
def test_fused_initializer_sets_forget_biases(mode):
    cell = mx.rnn.FusedRNNCell(4, num_layers=2, mode=mode, bidirectional=True, forget_bias=1.5,
                               prefix='')
    out, _ = cell.unroll(3, mx.sym.Variable('data'), layout='TNC')
    mod = mx.mod.Module(out, label_names=None, context=mx.cpu())
    mod.bind(data_shapes=[('data', (3, 2, 5))])
    mod.init_params(mx.init.Uniform(0.5))
    unpacked = cell.unpack_weights(mod.get_params()[0])
    for name, value in unpacked.items():
        value = value.asnumpy()
        if mode == 'lstm' and name.endswith('_f_bias'):
            np.testing.assert_array_equal(value, 1.5)
        elif name.endswith('_bias'):
            np.testing.assert_array_equal(value, 0)
        else:
            assert 0 < np.abs(value).max() <= 0.5, name


def test_fused_initializer_json_round_trip():
    init = mx.init.FusedRNN(mx.init.Xavier(), 3, 2, 'gru', True, 0.5)
    assert json.loads(init.dumps()) == ['fusedrnn', {
        'init': '["xavier", {"rnd_type": "uniform", "factor_type": "avg", "magnitude": 3}]',
        'num_hidden': 3, 'num_layers': 2, 'mode': 'gru', 'bidirectional': True,
        'forget_bias': 0.5}]
    assert mx.init.create(init.dumps()) == init


def test_lstm_forget_bias_initializer():
    cell = mx.rnn.LSTMCell(3, forget_bias=2.0, prefix='c_')
    out, _ = cell.unroll(2, mx.sym.Variable('data'), merge_outputs=True)
    mod = mx.mod.Module(out, label_names=None, context=mx.cpu())
    mod.bind(data_shapes=[('data', (2, 2, 4))])
    mod.init_params()
    np.testing.assert_array_equal(mod.get_params()[0]['c_i2h_bias'].asnumpy(),
                                  [0, 0, 0, 2, 2, 2, 0, 0, 0, 0, 0, 0])


# ---------------------------------------------------------------------- states and counters
def test_begin_state_takes_func_and_kwargs():
    cell = mx.rnn.LSTMCell(3, prefix='s_')
    states = cell.begin_state(func=mx.sym.Variable, dtype='float16')
    assert [s.name for s in states] == ['s_begin_state_0', 's_begin_state_1']
    assert states[0].attr('__layout__') == 'NC'
    assert states[1].attr('__shape__') == '(0, 3)'
    assert states[0].attr('__dtype__') == '2'
    more = cell.begin_state()
    assert [s.name for s in more] == ['s_begin_state_2', 's_begin_state_3']


def test_unroll_resets_counters():
    cell = mx.rnn.GRUCell(2, prefix='u_')
    first, _ = cell.unroll(2, [mx.sym.Variable('a'), mx.sym.Variable('b')])
    second, _ = cell.unroll(2, [mx.sym.Variable('a'), mx.sym.Variable('b')])
    assert [o.name for o in first] == [o.name for o in second] == ['u_t0_out', 'u_t1_out']


def test_stepping_a_sequential_cell():
    stack = mx.rnn.SequentialRNNCell()
    stack.add(mx.rnn.LSTMCell(3, prefix='a_'))
    stack.add(mx.rnn.RNNCell(2, prefix='b_'))
    states = stack.begin_state()
    assert [s.name for s in states] == ['a_begin_state_0', 'a_begin_state_1', 'b_begin_state_0']
    out, states = stack(mx.sym.Variable('x'), states)
    assert out.name == 'b_t0_out'
    assert [s.name for s in states] == ['a_t0_out', 'a_t0_state', 'b_t0_out']
    assert stack.state_shape == [(0, 3), (0, 3), (0, 2)]


def test_modifier_cell_begin_state_and_params():
    base = mx.rnn.GRUCell(2, prefix='m_')
    cell = mx.rnn.ZoneoutCell(base, zoneout_states=0.5)
    assert cell.params is base.params
    assert [s.name for s in cell.begin_state()] == ['m_begin_state_0']
    with pytest.raises(MXNetError, match='modifier cell'):
        base.begin_state()


# ---------------------------------------------------------------------- errors
def test_misused_cells_raise():
    with pytest.raises(NotImplementedError):
        mx.rnn.FusedRNNCell(3)(mx.sym.Variable('x'), [])
    bidirectional = mx.rnn.BidirectionalCell(mx.rnn.GRUCell(2), mx.rnn.GRUCell(2, prefix='r_'))
    with pytest.raises(NotImplementedError):
        bidirectional(mx.sym.Variable('x'), [])
    stack = mx.rnn.SequentialRNNCell()
    stack.add(bidirectional)
    with pytest.raises(MXNetError, match='cannot be stepped'):
        stack(mx.sym.Variable('x'), stack.begin_state())
    with pytest.raises(MXNetError, match='unfuse'):
        mx.rnn.ZoneoutCell(mx.rnn.FusedRNNCell(3))
    with pytest.raises(MXNetError, match='zoneout'):
        mx.rnn.ZoneoutCell(stack)
    with pytest.raises(MXNetError, match='must be a number'):
        mx.rnn.DropoutCell('0.5')
    with pytest.raises(MXNetError, match='mode'):
        mx.rnn.FusedRNNCell(3, mode='rnn')
    with pytest.raises(MXNetError, match='odd'):
        mx.rnn.ConvRNNCell((1, 2, 4, 4), 2, h2h_kernel=(2, 3))


def test_params_for_container_and_children_conflict():
    params = mx.rnn.RNNParams('p_')
    child = mx.rnn.LSTMCell(2, params=mx.rnn.RNNParams('c_'))
    with pytest.raises(MXNetError, match='Either specify params'):
        mx.rnn.SequentialRNNCell(params=params).add(child)


def test_unroll_input_errors():
    cell = mx.rnn.RNNCell(2)
    with pytest.raises(MXNetError, match='inputs=None'):
        cell.unroll(2, None)
    with pytest.raises(MXNetError, match='grouped symbol'):
        cell.unroll(2, mx.sym.Group([mx.sym.Variable('a'), mx.sym.Variable('b')]))
    with pytest.raises(MXNetError, match='3 input symbols given for length 2'):
        cell.unroll(2, [mx.sym.Variable('t%d' % t) for t in range(3)])
    with pytest.raises(MXNetError, match='layout'):
        mx.rnn.FusedRNNCell(2).unroll(2, mx.sym.Variable('d'), layout='NCT')


def test_pack_and_unpack_weights_errors():
    cell = mx.rnn.FusedRNNCell(2, mode='gru', prefix='f_')
    with pytest.raises(MXNetError, match='f_parameters is missing'):
        cell.unpack_weights({})
    with pytest.raises(MXNetError, match='no input size'):
        cell.unpack_weights({'f_parameters': mx.nd.zeros((7,))})
    unpacked = cell.unpack_weights({'f_parameters': mx.nd.zeros((60,))})
    assert unpacked['f_l0_i2h_r_weight'].shape == (2, 6)
    unpacked['f_l0_h2h_z_weight'] = mx.nd.zeros((2, 3))
    with pytest.raises(MXNetError, match=r'f_l0_h2h_z_weight has shape \(2, 3\)'):
        cell.pack_weights(unpacked)
    with pytest.raises(MXNetError, match='f_l0_i2h_r_weight is missing'):
        cell.pack_weights({})
