"""The fused RNN operator (rnn_relu, rnn_tanh, lstm, gru) with its packed parameters.

All weights live in one flat `parameters` vector in cuDNN's order: for each layer and each
direction (forward, then backward) the input-to-hidden matrix (G*H, in), the hidden-to-hidden
matrix (G*H, R) and, for an LSTM with projection, the projection matrix (P, H); after all
weights, the biases in the same order, input-to-hidden then hidden-to-hidden, each (G*H,).
G is the number of gates, H state_size, R the recurrent width (projection_size P, or H).
"""
import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from ..ops_registry import Bool, Enum, Float, Int, Optional, Param, onnx_form, register
from .random import drawn_flat

GATES = {'rnn_relu': 1, 'rnn_tanh': 1, 'lstm': 4, 'gru': 3}


def _directions(params):
    return 2 if params.bidirectional else 1


def _recurrent_size(params):
    """Width of the hidden state fed back (and output): projection_size when set."""
    return params.projection_size or params.state_size


def _layer_input_sizes(params, input_size):
    later = _directions(params) * _recurrent_size(params)
    return [input_size] + [later] * (params.num_layers - 1)


def _weight_shapes(params, input_size):
    """Shapes of the weight matrices of each (layer, direction), in packing order."""
    rows = GATES[params.mode] * params.state_size
    recurrent = _recurrent_size(params)
    shapes = []
    for layer_input in _layer_input_sizes(params, input_size):
        for _ in range(_directions(params)):
            matrices = [(rows, layer_input), (rows, recurrent)]
            if params.projection_size:
                matrices.append((params.projection_size, params.state_size))
            shapes.append(matrices)
    return shapes


def _parameter_size(params, input_size):
    """Length of the flat parameter vector: the weights plus two bias vectors per layer and
    direction."""
    weights = _weight_shapes(params, input_size)
    bias = 2 * GATES[params.mode] * params.state_size
    return sum(int(np.prod(s)) for matrices in weights for s in matrices) + bias * len(weights)


def _unpack(params, flat, input_size):
    """The flat vector cut into ([matrices], input bias, hidden bias) per (layer, direction)."""
    offset = 0

    def take(shape):
        nonlocal offset
        size = int(np.prod(shape))
        piece = flat[offset:offset + size].reshape(shape)
        offset += size
        return piece

    weights = [[take(shape) for shape in matrices]
               for matrices in _weight_shapes(params, input_size)]
    rows = GATES[params.mode] * params.state_size
    return [(matrices, take((rows,)), take((rows,))) for matrices in weights]


def _cell_step(params, hidden_weight, hidden_bias, projection):
    """The per-step update ``(state, x_part) -> (state, output)``; x_part is the input's
    contribution W_x x + b_x, computed for all steps at once."""
    mode = params.mode

    def recurrent(h):
        return h @ hidden_weight.T + hidden_bias

    if mode in ('rnn_relu', 'rnn_tanh'):
        activate = _relu_through_float32 if mode == 'rnn_relu' else jnp.tanh

        def step(state, x_part):
            (h,) = state
            h = activate(x_part + recurrent(h))
            return (h,), h
    elif mode == 'gru':
        def step(state, x_part):
            (h,) = state
            x_r, x_z, x_n = jnp.split(x_part, 3, axis=-1)
            h_r, h_z, h_n = jnp.split(recurrent(h), 3, axis=-1)
            reset = jax.nn.sigmoid(x_r + h_r)
            update = jax.nn.sigmoid(x_z + h_z)
            candidate = jnp.tanh(x_n + reset * h_n)
            h = (1 - update) * candidate + update * h
            return (h,), h
    else:
        def step(state, x_part):
            r, c = state
            i, f, g, o = jnp.split(x_part + recurrent(r), 4, axis=-1)
            c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
            c = _clip_cell(params, c)
            h = jax.nn.sigmoid(o) * jnp.tanh(c)
            r = h @ projection.T if projection is not None else h
            return (r, c), r
    return step


def _relu_through_float32(z):
    """MXNet's RNN relu passes its value, and its gradient, through float32 (float64 loses
    precision there)."""
    return jnp.where(z > 0, z.astype(jnp.float32).astype(z.dtype), 0)


def _clip_cell(params, c):
    """cuDNN's LSTM cell clipping to [lstm_state_clip_min, lstm_state_clip_max]; NaNs
    propagate unless lstm_state_clip_nan (then they become the lower bound)."""
    if params.lstm_state_clip_min is None:
        return c
    low = jnp.asarray(params.lstm_state_clip_min, c.dtype)
    high = jnp.asarray(params.lstm_state_clip_max, c.dtype)
    if params.lstm_state_clip_nan:
        return jnp.fmin(jnp.fmax(c, low), high)
    return jnp.clip(c, low, high)


def _run_direction(params, x, initial, weights, reverse, lengths):
    """One direction of one layer over the whole sequence: (outputs (T, N, R), final state).

    With `lengths`, batch element b only runs its first lengths[b] steps: later outputs are 0
    and its state stays put, so the backward direction starts at the last valid step."""
    matrices, input_bias, hidden_bias = weights
    x_parts = x @ matrices[0].T + input_bias
    step = _cell_step(params, matrices[1], hidden_bias,
                      matrices[2] if len(matrices) == 3 else None)
    if lengths is None:
        final, outputs = lax.scan(step, initial, x_parts, reverse=reverse)
        return outputs, final

    def masked_step(state, inputs):
        x_part, t = inputs
        new_state, out = step(state, x_part)
        valid = (t < lengths)[:, None]
        state = tuple(jnp.where(valid, new, old) for new, old in zip(new_state, state))
        return state, jnp.where(valid, out, jnp.zeros_like(out))
    steps = jnp.arange(x.shape[0])
    final, outputs = lax.scan(masked_step, initial, (x_parts, steps), reverse=reverse)
    return outputs, final


def _rnn_inputs(params):
    names = ['data', 'parameters', 'state']
    if params.mode == 'lstm':
        names.append('state_cell')
    if params.use_sequence_length:
        names.append('sequence_length')
    return names


def _rnn_outputs(params):
    if not params.state_outputs:
        return ['output']
    return ['output', 'state_output'] + (['statecell_output'] if params.mode == 'lstm' else [])


def _rnn_param_shapes(params, in_shapes):
    """parameters, states and sequence lengths follow from data (T, N, C)."""
    data = in_shapes[0]
    if data is None or len(data) != 3:
        return {}
    _, batch, input_size = data
    states = _directions(params) * params.num_layers
    shapes = {'state': (states, batch, _recurrent_size(params)),
              'state_cell': (states, batch, params.state_size),
              'sequence_length': (batch,)}
    if input_size:
        shapes['parameters'] = (_parameter_size(params, input_size),)
    return shapes


def _rnn_types(params, in_types, out_types):
    """Everything takes data's dtype, except sequence_length when it has its own."""
    data = in_types[0]
    if data is None:
        return in_types, out_types
    names = _rnn_inputs(params)
    types = [t if name == 'sequence_length' and t is not None else data
             for name, t in zip(names, in_types)]
    return types, [data] * len(out_types)


def _dropout(rate, key, layer_output):
    """Zero each element with probability `rate`, scaling the kept ones by 1/(1-rate)."""
    keep = drawn_flat(lambda flat: jax.random.bernoulli(key, 1 - rate, flat),
                      layer_output.shape)
    scale = np.asarray(1 / (1 - rate), layer_output.dtype)
    return jnp.where(keep, layer_output * scale, jnp.zeros_like(layer_output))


@register('RNN', inputs=('data', 'parameters', 'state', 'state_cell', 'sequence_length'),
          used_inputs=_rnn_inputs, outputs=_rnn_outputs, random=True, reads_mode=True,
          params={'state_size': Param(Int()), 'num_layers': Param(Int()),
                  'bidirectional': Param(Bool(), False),
                  'mode': Param(Enum('gru', 'lstm', 'rnn_relu', 'rnn_tanh')),
                  'p': Param(Float(0, 1), 0.0), 'state_outputs': Param(Bool(), False),
                  'projection_size': Param(Optional(Int()), None),
                  'lstm_state_clip_min': Param(Optional(Float()), None),
                  'lstm_state_clip_max': Param(Optional(Float()), None),
                  'lstm_state_clip_nan': Param(Bool(), False),
                  'use_sequence_length': Param(Bool(), False)},
          param_shapes=_rnn_param_shapes, infer_type=_rnn_types)
def rnn(params, ctx, data, parameters, state, *rest):
    """Stacked (optionally bidirectional) recurrent layers over data (T, N, C), with dropout
    p on each layer's output but the last in training. Returns the last layer's outputs
    (T, N, D*R) and, with state_outputs, the final states (L*D, N, R) (and cells for LSTM)."""
    rest = list(rest)
    cells = rest.pop(0) if params.mode == 'lstm' else None
    lengths = rest.pop(0) if params.use_sequence_length else None
    directions = _directions(params)
    weights = _unpack(params, parameters, data.shape[2])
    layer_input = data
    final_states, final_cells = [], []
    for layer in range(params.num_layers):
        outputs = []
        for direction in range(directions):
            index = layer * directions + direction
            initial = (state[index],) if cells is None else (state[index], cells[index])
            out, final = _run_direction(params, layer_input, initial, weights[index],
                                        reverse=direction == 1, lengths=lengths)
            outputs.append(out)
            final_states.append(final[0])
            if cells is not None:
                final_cells.append(final[1])
        layer_input = jnp.concatenate(outputs, axis=-1)
        last = layer == params.num_layers - 1
        if ctx.is_train and params.p > 0 and not last:
            layer_input = _dropout(params.p, jax.random.fold_in(ctx.key, layer), layer_input)
    if not params.state_outputs:
        return (layer_input,)
    results = (layer_input, jnp.stack(final_states))
    return results + ((jnp.stack(final_cells),) if cells is not None else ())


# mode: (ONNX op, its gate order as indices into MXNet's, attributes)
ONNX_RNN = {'lstm': ('LSTM', [0, 3, 1, 2], {}),
            'gru': ('GRU', [1, 0, 2], {'linear_before_reset': 1}),
            'rnn_tanh': ('RNN', [0], {'activations': ['Tanh']}),
            'rnn_relu': ('RNN', [0], {'activations': ['Relu']})}


@onnx_form('RNN')
def _rnn_onnx(g, params, data, parameters, state, *rest):
    """One ONNX recurrent node per layer, its weights cut from the (constant) parameters."""
    flat = g.value(parameters)
    if flat is None:
        g.refuse('its parameters are computed at run time; ONNX takes them as constants')
    if params.projection_size or params.lstm_state_clip_min is not None:
        g.refuse('projection_size and lstm_state_clip_* have no ONNX form')
    rest = list(rest)
    cells = rest.pop(0) if params.mode == 'lstm' else None
    lengths = g.cast(rest.pop(0), np.int32) if params.use_sequence_length else None
    onnx_op, order, attrs = ONNX_RNN[params.mode]
    directions, size = _directions(params), params.state_size

    def gates(array):
        """Rows of MXNet's gates in ONNX's order."""
        return array.reshape((GATES[params.mode], size) + array.shape[1:])[order].reshape(
            array.shape)

    weights = _unpack(params, np.asarray(flat), g.in_shapes[0][2])
    layer_input, final_states, final_cells = data, [], []
    for layer in range(params.num_layers):
        mine = weights[layer * directions:(layer + 1) * directions]
        w = g.const(np.stack([gates(m[0]) for m, _, _ in mine]))
        r = g.const(np.stack([gates(m[1]) for m, _, _ in mine]))
        b = g.const(np.stack([np.concatenate([gates(bx), gates(bh)]) for _, bx, bh in mine]))
        rows = (g.ints([layer * directions]), g.ints([(layer + 1) * directions]), g.ints([0]))
        initial = [g.op('Slice', state, *rows)] + (
            [g.op('Slice', cells, *rows)] if cells is not None else [])
        outs = g.op(onnx_op, layer_input, w, r, b, lengths, *initial,
                    outputs=3 if cells is not None else 2, hidden_size=size,
                    direction='bidirectional' if directions == 2 else 'forward', **attrs)
        final_states.append(outs[1])
        if cells is not None:
            final_cells.append(outs[2])
        layer_input = g.op('Reshape', g.op('Transpose', outs[0], perm=[0, 2, 1, 3]),
                           g.ints([0, 0, -1]))
    results = [layer_input, g.op('Concat', *final_states, axis=0)]
    return results + ([g.op('Concat', *final_cells, axis=0)] if cells is not None else [])
