"""Gluon's fused recurrent layers (RNN, LSTM, GRU): every layer and direction in one call of
the RNN operator, on the parameters flattened and concatenated as it takes them."""
import re

from ... import ndarray, symbol
from ...base import MXNetError
from ...ndarray import NDArray
from ...symbol import Symbol
from ..block import HybridBlock
from .rnn_cell import _make_state

_PARAM_NAME = re.compile(r'(l|r)(\d+)_((?:i2h|h2h|h2r)_(?:weight|bias))\Z')


class _RNNLayer(HybridBlock):
    """The layers of one mode ('rnn_relu', 'rnn_tanh', 'lstm', 'gru'); parameters named
    ``{l,r}{layer}_{i2h,h2h}_{weight,bias}``."""

    def __init__(self, hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                 i2h_weight_initializer, h2h_weight_initializer, i2h_bias_initializer,
                 h2h_bias_initializer, mode, projection_size, h2r_weight_initializer,
                 lstm_state_clip_min, lstm_state_clip_max, lstm_state_clip_nan, dtype,
                 use_sequence_length=False, **kwargs):
        super().__init__(**kwargs)
        if layout not in ('TNC', 'NTC'):
            raise MXNetError("Invalid layout %s; must be one of ['TNC' or 'NTC']" % layout)
        self._hidden_size = hidden_size
        self._projection_size = projection_size if projection_size else None
        self._num_layers = num_layers
        self._mode = mode
        self._layout = layout
        self._dropout = dropout
        self._dir = 2 if bidirectional else 1
        self._input_size = input_size
        self._lstm_state_clip_min = lstm_state_clip_min
        self._lstm_state_clip_max = lstm_state_clip_max
        self._lstm_state_clip_nan = lstm_state_clip_nan
        self._dtype = dtype
        self._use_sequence_length = use_sequence_length
        self.skip_states = None
        self._gates = {'rnn_relu': 1, 'rnn_tanh': 1, 'lstm': 4, 'gru': 3}[mode]
        rows, inputs = self._gates * hidden_size, input_size
        step = self._projection_size or hidden_size
        for layer in range(num_layers):
            for direction in ['l', 'r'][:self._dir]:
                name = '%s%d_' % (direction, layer)
                self._register_param(name + 'i2h_weight', (rows, inputs),
                                     i2h_weight_initializer, dtype)
                self._register_param(name + 'h2h_weight', (rows, step),
                                     h2h_weight_initializer, dtype)
                self._register_param(name + 'i2h_bias', (rows,), i2h_bias_initializer, dtype)
                self._register_param(name + 'h2h_bias', (rows,), h2h_bias_initializer, dtype)
                if self._projection_size:
                    self._register_param(name + 'h2r_weight',
                                         (self._projection_size, hidden_size),
                                         h2r_weight_initializer, dtype)
            inputs = step * self._dir

    def _register_param(self, name, shape, init, dtype):
        param = self.params.get(name, shape=shape, init=init, allow_deferred_init=True,
                                dtype=dtype)
        setattr(self, name, param)
        return param

    def __repr__(self):
        shape = self.l0_i2h_weight.shape
        mapping = '%s -> %s' % (shape[1] if shape[1] else None, shape[0] // self._gates)
        return '%s(%s, %s%s%s)' % (
            self.__class__.__name__, mapping, self._layout,
            ', num_layers=%d' % self._num_layers if self._num_layers != 1 else '',
            ', bidirectional' if self._dir == 2 else '')

    def _collect_params_with_prefix(self, prefix=''):
        """Structural names as MXNet saves a fused layer: those of the stack of cells it
        unfuses into (``_unfused.<layer>.[<l|r>_cell.]<i2h|h2h|h2r>_<weight|bias>``)."""
        if prefix:
            prefix += '.'
        found = {}
        for key, param in self._reg_params.items():
            direction, layer, kind = _PARAM_NAME.match(key).groups()
            cell = '%s_cell.' % direction if self._dir == 2 else ''
            found['%s_unfused.%s.%s%s' % (prefix, layer, cell, kind)] = param
        for name, child in self._children.items():
            found.update(child._collect_params_with_prefix(prefix + name))
        return found

    def state_info(self, batch_size=0):
        raise NotImplementedError

    def cast(self, dtype):
        super().cast(dtype)
        self._dtype = dtype

    def begin_state(self, batch_size=0, func=ndarray.zeros, **kwargs):
        """The initial states (zeros by default), one array per state."""
        return [_make_state(func, '%sh0_%d' % (self.prefix, i), dict(info or {}, **kwargs))
                for i, info in enumerate(self.state_info(batch_size))]

    def __call__(self, inputs, states=None, sequence_length=None, **kwargs):
        self.skip_states = states is None
        if states is None:
            if isinstance(inputs, NDArray):
                batch_size = inputs.shape[self._layout.find('N')]
                states = self.begin_state(batch_size, ctx=inputs.context, dtype=inputs.dtype)
            else:
                states = self.begin_state(0, func=symbol.zeros)
        if isinstance(states, (NDArray, Symbol)):
            states = [states]
        if self._use_sequence_length:
            return super().__call__(inputs, states, sequence_length, **kwargs)
        return super().__call__(inputs, states, **kwargs)

    def hybrid_forward(self, F, inputs, states, sequence_length=None, **kwargs):
        if F is ndarray:
            batch_size = inputs.shape[self._layout.find('N')]
            for state, info in zip(states, self.state_info(batch_size)):
                if state.shape != info['shape']:
                    raise MXNetError('Invalid recurrent state shape. Expecting %s, got %s.'
                                     % (info['shape'], state.shape))
        outputs, states = self._forward_kernel(F, inputs, states, sequence_length, **kwargs)
        return outputs if self.skip_states else (outputs, states)

    def _forward_kernel(self, F, inputs, states, sequence_length, **kwargs):
        if self._layout == 'NTC':
            inputs = F.swapaxes(inputs, dim1=0, dim2=1)
        kinds = ['i2h', 'h2h', 'h2r'] if self._projection_size else ['i2h', 'h2h']
        params = [kwargs['%s%d_%s_%s' % (direction, layer, kind, part)].reshape(-1)
                  for part in ['weight', 'bias']
                  for layer in range(self._num_layers)
                  for direction in ['l', 'r'][:self._dir]
                  for kind in kinds if kind != 'h2r' or part != 'bias']
        params = F._internal._rnn_param_concat(*params, dim=0)
        rnn_args = list(states) + ([sequence_length] if self._use_sequence_length else [])
        rnn = F.RNN(inputs, params, *rnn_args, use_sequence_length=self._use_sequence_length,
                    state_size=self._hidden_size, projection_size=self._projection_size,
                    num_layers=self._num_layers, bidirectional=self._dir == 2,
                    p=self._dropout, state_outputs=True, mode=self._mode,
                    lstm_state_clip_min=self._lstm_state_clip_min,
                    lstm_state_clip_max=self._lstm_state_clip_max,
                    lstm_state_clip_nan=self._lstm_state_clip_nan)
        if self._mode == 'lstm':
            outputs, states = rnn[0], [rnn[1], rnn[2]]
        else:
            outputs, states = rnn[0], [rnn[1]]
        if self._layout == 'NTC':
            outputs = F.swapaxes(outputs, dim1=0, dim2=1)
        return outputs, states


def _state(num, batch_size, size, dtype):
    return {'shape': (num, batch_size, size), '__layout__': 'LNC', 'dtype': dtype}


class RNN(_RNNLayer):
    """Elman RNN layers with tanh or relu."""

    def __init__(self, hidden_size, num_layers=1, activation='relu', layout='TNC', dropout=0,
                 bidirectional=False, i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer='zeros', h2h_bias_initializer='zeros', input_size=0,
                 dtype='float32', **kwargs):
        super().__init__(hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                         i2h_weight_initializer, h2h_weight_initializer,
                         i2h_bias_initializer, h2h_bias_initializer, 'rnn_' + activation,
                         None, None, None, None, False, dtype, **kwargs)

    def state_info(self, batch_size=0):
        return [_state(self._num_layers * self._dir, batch_size, self._hidden_size,
                       self._dtype)]


class LSTM(_RNNLayer):
    """LSTM layers (optionally with a projection and clipped cell states)."""

    def __init__(self, hidden_size, num_layers=1, layout='TNC', dropout=0, bidirectional=False,
                 input_size=0, i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer='zeros', h2h_bias_initializer='zeros',
                 projection_size=None, h2r_weight_initializer=None, state_clip_min=None,
                 state_clip_max=None, state_clip_nan=False, dtype='float32', **kwargs):
        super().__init__(hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                         i2h_weight_initializer, h2h_weight_initializer,
                         i2h_bias_initializer, h2h_bias_initializer, 'lstm', projection_size,
                         h2r_weight_initializer, state_clip_min, state_clip_max,
                         state_clip_nan, dtype, **kwargs)

    def state_info(self, batch_size=0):
        layers = self._num_layers * self._dir
        return [_state(layers, batch_size, self._projection_size or self._hidden_size,
                       self._dtype),
                _state(layers, batch_size, self._hidden_size, self._dtype)]


class GRU(_RNNLayer):
    """GRU layers."""

    def __init__(self, hidden_size, num_layers=1, layout='TNC', dropout=0, bidirectional=False,
                 input_size=0, i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer='zeros', h2h_bias_initializer='zeros', dtype='float32',
                 **kwargs):
        super().__init__(hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                         i2h_weight_initializer, h2h_weight_initializer,
                         i2h_bias_initializer, h2h_bias_initializer, 'gru', None, None, None,
                         None, False, dtype, **kwargs)

    def state_info(self, batch_size=0):
        return [_state(self._num_layers * self._dir, batch_size, self._hidden_size,
                       self._dtype)]
