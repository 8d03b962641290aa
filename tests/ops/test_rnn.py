"""Golden tests for mxsym/ops/rnn.py against MXNet 1.9.1: the fused RNN op (rnn_relu, rnn_tanh,
lstm, gru). MXNet's CPU kernels cannot record LSTM projection in training, state clipping,
sequence lengths or matching dropout draws; direct tests check those against their definitions."""
import numpy as np
import pytest

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'rnn')


def run_rnn(values, is_train=False, **kwargs):
    """Outputs of one RNN node (state_outputs on) for the given input arrays."""
    names = [name for name in ['data', 'parameters', 'state', 'state_cell', 'sequence_length']
             if name in values]
    inputs = {name: mx.sym.Variable(name) for name in names}
    sym = mx.sym.RNN(state_outputs=True, **inputs, **kwargs)
    exe = sym.simple_bind(mx.cpu(), grad_req='null',
                          **{name: values[name].shape for name in names})
    for name in names:
        exe.arg_dict[name][:] = values[name]
    exe.forward(is_train=is_train)
    return [out.asnumpy() for out in exe.outputs]


def lstm_values(rng, steps=3, batch=2, inputs=4, hidden=3, layers=1, directions=1):
    size = mx.sym.RNN(mx.sym.Variable('data'), state_size=hidden, num_layers=layers,
                      bidirectional=directions == 2, mode='lstm').infer_shape(
                          data=(steps, batch, inputs))[0][1][0]
    states = (layers * directions, batch, hidden)
    return {'data': rng.randn(steps, batch, inputs), 'parameters': rng.randn(size) * 0.5,
            'state': rng.randn(*states), 'state_cell': rng.randn(*states)}


def test_projection_by_identity_is_plain_lstm():
    """With projection_size == state_size and identity projection matrices, an LSTM with
    projection computes the plain LSTM: this pins where the (P, H) matrices are packed (after
    each direction's hidden-to-hidden matrix)."""
    hidden, inputs, layers, directions = 3, 4, 2, 2
    values = lstm_values(np.random.RandomState(0), inputs=inputs, hidden=hidden,
                         layers=layers, directions=directions)
    flat = values['parameters']
    weights = flat[:flat.size - 2 * 4 * hidden * layers * directions]
    pieces, offset = [], 0
    for layer in range(layers):
        layer_inputs = inputs if layer == 0 else directions * hidden
        for _ in range(directions):
            size = 4 * hidden * (layer_inputs + hidden)
            pieces += [weights[offset:offset + size], np.eye(hidden).ravel()]
            offset += size
    projected = dict(values, parameters=np.concatenate(pieces + [flat[offset:]]))
    kwargs = dict(state_size=hidden, num_layers=layers, bidirectional=True, mode='lstm')
    plain = run_rnn(values, **kwargs)
    with_projection = run_rnn(projected, projection_size=hidden, **kwargs)
    for a, b in zip(plain, with_projection):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)


def test_lstm_state_clip():
    """One step: the cell state is the unclipped one clipped to the bounds."""
    values = lstm_values(np.random.RandomState(1), steps=1)
    kwargs = dict(state_size=3, num_layers=1, mode='lstm')
    _, _, cell = run_rnn(values, **kwargs)
    _, _, clipped = run_rnn(values, lstm_state_clip_min=-0.2, lstm_state_clip_max=0.3, **kwargs)
    assert (cell < -0.2).any() and (cell > 0.3).any()
    np.testing.assert_allclose(clipped, np.clip(cell, -0.2, 0.3), rtol=1e-6)


@pytest.mark.parametrize('clip_nan', [False, True])
def test_lstm_state_clip_nan(clip_nan):
    values = lstm_values(np.random.RandomState(2))
    values['state_cell'][0, 0, 0] = np.nan
    _, _, cell = run_rnn(values, state_size=3, num_layers=1, mode='lstm',
                         lstm_state_clip_min=-1.0, lstm_state_clip_max=1.0,
                         lstm_state_clip_nan=clip_nan)
    assert np.isnan(cell[0, 0, 0]) != clip_nan
    assert np.isfinite(cell[0, 1]).all()


@pytest.mark.parametrize('mode', ['lstm', 'gru'])
def test_sequence_length(mode):
    """Each batch element runs only its own length: outputs beyond it are zero and the final
    states (both directions) are those of the truncated sequence run alone."""
    values = lstm_values(np.random.RandomState(3), steps=4, batch=3, directions=2)
    if mode == 'gru':
        del values['state_cell']
        values['parameters'] = values['parameters'][:3 * values['parameters'].size // 4]
    lengths = [2, 4, 1]
    kwargs = dict(state_size=3, num_layers=1, bidirectional=True, mode=mode)
    masked = run_rnn(dict(values, sequence_length=np.array(lengths, 'float32')),
                     use_sequence_length=True, **kwargs)
    for b, length in enumerate(lengths):
        alone = dict(values, data=values['data'][:length, b:b + 1])
        for name in ['state', 'state_cell']:
            if name in values:
                alone[name] = values[name][:, b:b + 1]
        expected = run_rnn(alone, **kwargs)
        np.testing.assert_allclose(masked[0][:length, b:b + 1], expected[0], rtol=1e-5,
                                   atol=1e-6)
        assert not masked[0][length:, b].any()
        for got, want in zip(masked[1:], expected[1:]):
            np.testing.assert_allclose(got[:, b:b + 1], want, rtol=1e-5, atol=1e-6)


def test_dropout_between_layers():
    """p drops the first layer's outputs in training only; draws differ between forwards and
    repeat after mx.random.seed."""
    values = lstm_values(np.random.RandomState(4), layers=2)
    kwargs = dict(state_size=3, num_layers=2, mode='lstm')
    plain = run_rnn(values, **kwargs)[0]
    np.testing.assert_allclose(run_rnn(values, p=0.5, **kwargs)[0], plain, rtol=1e-6)
    mx.random.seed(7)
    first = run_rnn(values, is_train=True, p=0.5, **kwargs)[0]
    second = run_rnn(values, is_train=True, p=0.5, **kwargs)[0]
    mx.random.seed(7)
    repeated = run_rnn(values, is_train=True, p=0.5, **kwargs)[0]
    assert not np.allclose(first, plain) and not np.allclose(first, second)
    np.testing.assert_array_equal(first, repeated)
