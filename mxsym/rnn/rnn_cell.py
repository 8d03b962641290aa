"""`mx.rnn` cells: MXNet 1.9.1's symbolic recurrent cells, unrolled into graphs of ordinary ops.

A cell with prefix ``lstm_`` owns the variables ``lstm_i2h_weight``, ``lstm_i2h_bias``,
``lstm_h2h_weight`` and ``lstm_h2h_bias``, and names the nodes of step t ``lstm_t<t>_...``.
`FusedRNNCell` is one ``RNN`` node over all steps, its weights one vector ``<prefix>parameters``;
`unpack_weights` cuts it into the per-gate arrays ``<prefix>l0_i2h_i_weight`` ... in the order the
RNN op packs them, and `pack_weights` joins them back.
"""
import functools
import warnings
from numbers import Number

import numpy as np

from .. import initializer, ndarray as nd, symbol
from ..base import MXNetError
from ..initializer import InitDesc, Initializer


def _normalize_sequence(length, inputs, layout, merge):
    """`inputs` as `merge` asks (True: one symbol, time on layout's T axis; False: a list of
    per-step symbols; None: as given) and the T axis."""
    if inputs is None:
        raise MXNetError('unroll(inputs=None) has been deprecated. Please create input variables '
                         'outside unroll.')
    axis = layout.find('T')
    if isinstance(inputs, symbol.Symbol):
        if merge is False:
            if len(inputs.list_outputs()) != 1:
                raise MXNetError("unroll doesn't allow grouped symbol as input. Please convert to "
                                 "list with list(inputs) first or let unroll handle splitting.")
            inputs = list(symbol.split(inputs, axis=axis, num_outputs=length, squeeze_axis=1))
    else:
        if length is not None and len(inputs) != length:
            raise MXNetError('unroll: %d input symbols given for length %d'
                             % (len(inputs), length))
        if merge is True:
            inputs = symbol.Concat(*[symbol.expand_dims(i, axis=axis) for i in inputs], dim=axis)
    return inputs, axis


def _check_present(args, name, caller):
    if name not in args:
        raise MXNetError('%s: parameter %s is missing; given: %s'
                         % (caller, name, ', '.join(sorted(args))))


def _pop(args, name, caller):
    """args.pop(name), naming the missing parameter."""
    _check_present(args, name, caller)
    return args.pop(name)


class RNNParams:
    """The variables of one or more cells, created on first use under `prefix` (shared by passing
    the same container to several cells)."""

    def __init__(self, prefix=''):
        self._prefix = prefix
        self._params = {}

    def get(self, name, **kwargs):
        """The variable ``prefix + name``, created with `kwargs` (Variable's) if new."""
        name = self._prefix + name
        if name not in self._params:
            self._params[name] = symbol.Variable(name, **kwargs)
        return self._params[name]


class BaseRNNCell:
    """A recurrent cell: `__call__` makes one step's nodes, `unroll` a whole sequence."""

    def __init__(self, prefix='', params=None):
        if params is None:
            params = RNNParams(prefix)
            self._own_params = True
        else:
            self._own_params = False
        self._prefix = prefix
        self._params = params
        self._modified = False
        self.reset()

    def reset(self):
        """Restart the step and begin-state counters (before building another graph)."""
        self._init_counter = -1
        self._counter = -1
        for cell in getattr(self, '_cells', ()):
            cell.reset()

    def __call__(self, inputs, states):
        """One step: (output, new states) from the step's input and the previous states."""
        raise NotImplementedError()

    @property
    def params(self):
        """The cell's variable container (from now on shared, not owned)."""
        self._own_params = False
        return self._params

    @property
    def state_info(self):
        """One dict per state: its shape (0 for the batch) and ``__layout__``."""
        raise NotImplementedError()

    @property
    def state_shape(self):
        return [info['shape'] for info in self.state_info]

    @property
    def _gate_names(self):
        return ()

    def _check_unmodified(self):
        if self._modified:
            raise MXNetError('After applying modifier cells (e.g. DropoutCell) the base cell '
                             'cannot be called directly. Call the modifier cell instead.')

    def begin_state(self, func=symbol.zeros, **kwargs):
        """The first step's states: ``func(name=<prefix>begin_state_<i>, **kwargs, **info)``
        for each state (func: mx.sym.zeros, mx.sym.Variable, a sampler, ...)."""
        self._check_unmodified()
        states = []
        for info in self.state_info:
            self._init_counter += 1
            name = '%sbegin_state_%d' % (self._prefix, self._init_counter)
            states.append(func(name=name, **dict(kwargs, **(info or {}))))
        return states

    def unpack_weights(self, args):
        """A copy of `args` with each i2h/h2h weight and bias split into one array per gate
        (``<prefix>i2h_f_weight``, ...)."""
        args = args.copy()
        if not self._gate_names:
            return args
        rows = self._num_hidden
        for group in ('i2h', 'h2h'):
            weight = _pop(args, '%s%s_weight' % (self._prefix, group), 'unpack_weights')
            bias = _pop(args, '%s%s_bias' % (self._prefix, group), 'unpack_weights')
            for j, gate in enumerate(self._gate_names):
                name = '%s%s%s' % (self._prefix, group, gate)
                args[name + '_weight'] = weight[j * rows:(j + 1) * rows].copy()
                args[name + '_bias'] = bias[j * rows:(j + 1) * rows].copy()
        return args

    def pack_weights(self, args):
        """The reverse of `unpack_weights`: per-gate arrays joined into one per i2h/h2h."""
        args = args.copy()
        if not self._gate_names:
            return args
        for group in ('i2h', 'h2h'):
            for kind in ('weight', 'bias'):
                pieces = [_pop(args, '%s%s%s_%s' % (self._prefix, group, gate, kind),
                               'pack_weights') for gate in self._gate_names]
                args['%s%s_%s' % (self._prefix, group, kind)] = nd.concatenate(pieces)
        return args

    def unroll(self, length, inputs, begin_state=None, layout='NTC', merge_outputs=None):
        """The cell over `length` steps: (outputs, final states). `inputs` is one symbol with
        time on layout's T axis or a list of per-step symbols; outputs are one symbol
        (merge_outputs True), a list (False) or whichever is cheaper (None)."""
        self.reset()
        inputs, _ = _normalize_sequence(length, inputs, layout, False)
        states = self.begin_state() if begin_state is None else begin_state
        outputs = []
        for step in range(length):
            output, states = self(inputs[step], states)
            outputs.append(output)
        outputs, _ = _normalize_sequence(length, outputs, layout, merge_outputs)
        return outputs, states

    def _get_activation(self, inputs, activation, **kwargs):
        """An Activation node for an act_type name, else ``activation(inputs, **kwargs)``."""
        if isinstance(activation, str):
            return symbol.Activation(inputs, act_type=activation, **kwargs)
        return activation(inputs, **kwargs)

    def _step_name(self):
        """The next step's node prefix, ``<prefix>t<step>_``."""
        self._counter += 1
        return '%st%d_' % (self._prefix, self._counter)


def _projection_params(params, inits=None):
    """The i2h weight, h2h weight, i2h bias and h2h bias variables, with their initializers."""
    inits = inits or {}
    return [params.get(name, init=inits.get(name))
            for name in ('i2h_weight', 'h2h_weight', 'i2h_bias', 'h2h_bias')]


def _dense_projections(cell, inputs, state, i2h_name, h2h_name):
    """The FullyConnected i2h (of the input) and h2h (of the state) of a step."""
    width = cell._num_hidden * len(cell._gate_names)
    i2h = symbol.FullyConnected(data=inputs, weight=cell._iW, bias=cell._iB, num_hidden=width,
                                name=i2h_name)
    h2h = symbol.FullyConnected(data=state, weight=cell._hW, bias=cell._hB, num_hidden=width,
                                name=h2h_name)
    return i2h, h2h


def _plain_step(cell, i2h, h2h, name):
    output = cell._get_activation(i2h + h2h, cell._activation, name='%sout' % name)
    return output, [output]


def _lstm_step(cell, i2h, h2h, prev_cell, name, activation, **slice_args):
    gates = symbol.SliceChannel(i2h + h2h, num_outputs=4, name='%sslice' % name, **slice_args)
    in_gate = symbol.Activation(gates[0], act_type='sigmoid', name='%si' % name)
    forget_gate = symbol.Activation(gates[1], act_type='sigmoid', name='%sf' % name)
    in_transform = cell._get_activation(gates[2], activation, name='%sc' % name)
    out_gate = symbol.Activation(gates[3], act_type='sigmoid', name='%so' % name)
    next_c = symbol._internal._plus(forget_gate * prev_cell, in_gate * in_transform,
                                    name='%sstate' % name)
    next_h = symbol._internal._mul(out_gate, cell._get_activation(next_c, activation),
                                   name='%sout' % name)
    return next_h, [next_h, next_c]


def _gru_step(cell, i2h, h2h, prev_h, name, activation):
    i2h_r, i2h_z, i2h = symbol.SliceChannel(i2h, num_outputs=3, name='%s_i2h_slice' % name)
    h2h_r, h2h_z, h2h = symbol.SliceChannel(h2h, num_outputs=3, name='%s_h2h_slice' % name)
    reset_gate = symbol.Activation(i2h_r + h2h_r, act_type='sigmoid', name='%s_r_act' % name)
    update_gate = symbol.Activation(i2h_z + h2h_z, act_type='sigmoid', name='%s_z_act' % name)
    candidate = cell._get_activation(i2h + reset_gate * h2h, activation, name='%s_h_act' % name)
    next_h = symbol._internal._plus((1. - update_gate) * candidate, update_gate * prev_h,
                                    name='%sout' % name)
    return next_h, [next_h]


def _vector_states(count, num_hidden):
    return [{'shape': (0, num_hidden), '__layout__': 'NC'} for _ in range(count)]


class RNNCell(BaseRNNCell):
    """An Elman cell: ``out = activation(W_i x + b_i + W_h h + b_h)``."""

    def __init__(self, num_hidden, activation='tanh', prefix='rnn_', params=None):
        super().__init__(prefix=prefix, params=params)
        self._num_hidden = num_hidden
        self._activation = activation
        self._iW, self._hW, self._iB, self._hB = _projection_params(self.params)

    @property
    def state_info(self):
        return _vector_states(1, self._num_hidden)

    @property
    def _gate_names(self):
        return ('',)

    def __call__(self, inputs, states):
        name = self._step_name()
        i2h, h2h = _dense_projections(self, inputs, states[0], '%si2h' % name, '%sh2h' % name)
        return _plain_step(self, i2h, h2h, name)


class LSTMCell(BaseRNNCell):
    """An LSTM cell (gates i, f, c, o); its i2h bias starts at `forget_bias` for the forget gate."""

    def __init__(self, num_hidden, prefix='lstm_', params=None, forget_bias=1.0):
        super().__init__(prefix=prefix, params=params)
        self._num_hidden = num_hidden
        self._iW, self._hW, self._iB, self._hB = _projection_params(
            self.params, {'i2h_bias': initializer.LSTMBias(forget_bias=forget_bias)})

    @property
    def state_info(self):
        return _vector_states(2, self._num_hidden)

    @property
    def _gate_names(self):
        return ['_i', '_f', '_c', '_o']

    def __call__(self, inputs, states):
        name = self._step_name()
        i2h, h2h = _dense_projections(self, inputs, states[0], '%si2h' % name, '%sh2h' % name)
        return _lstm_step(self, i2h, h2h, states[1], name, 'tanh')


class GRUCell(BaseRNNCell):
    """A GRU cell as cuDNN computes it (gates r, z, o; the reset gate scales W_h h + b_h)."""

    def __init__(self, num_hidden, prefix='gru_', params=None):
        super().__init__(prefix=prefix, params=params)
        self._num_hidden = num_hidden
        self._iW, self._hW, self._iB, self._hB = _projection_params(self.params)

    @property
    def state_info(self):
        return _vector_states(1, self._num_hidden)

    @property
    def _gate_names(self):
        return ['_r', '_z', '_o']

    def __call__(self, inputs, states):
        name = self._step_name()
        i2h, h2h = _dense_projections(self, inputs, states[0], '%s_i2h' % name, '%s_h2h' % name)
        return _gru_step(self, i2h, h2h, states[0], name, 'tanh')


_FUSED_GATES = {'rnn_relu': [''], 'rnn_tanh': [''], 'lstm': ['_i', '_f', '_c', '_o'],
                'gru': ['_r', '_z', '_o']}


class FusedRNNCell(BaseRNNCell):
    """Stacked (optionally bidirectional) layers as one RNN op over all steps; `unfuse` gives
    the same network as stepwise cells."""

    def __init__(self, num_hidden, num_layers=1, mode='lstm', bidirectional=False, dropout=0.,
                 get_next_state=False, forget_bias=1.0, prefix=None, params=None):
        if mode not in _FUSED_GATES:
            raise MXNetError('FusedRNNCell: mode %r is not one of %s'
                             % (mode, ', '.join(_FUSED_GATES)))
        if prefix is None:
            prefix = '%s_' % mode
        super().__init__(prefix=prefix, params=params)
        self._num_hidden = num_hidden
        self._num_layers = num_layers
        self._mode = mode
        self._bidirectional = bidirectional
        self._dropout = dropout
        self._get_next_state = get_next_state
        self._directions = ['l', 'r'] if bidirectional else ['l']
        init = FusedRNN(None, num_hidden, num_layers, mode, bidirectional, forget_bias)
        self._parameter = self.params.get('parameters', init=init)

    @property
    def state_info(self):
        shape = (len(self._directions) * self._num_layers, 0, self._num_hidden)
        count = 2 if self._mode == 'lstm' else 1
        return [{'shape': shape, '__layout__': 'LNC'} for _ in range(count)]

    @property
    def _gate_names(self):
        return _FUSED_GATES[self._mode]

    def _weight_layout(self, num_input):
        """(name, shape) of each unpacked array, in the order the fused vector holds them: all
        weights, then all biases, each by layer, direction, i2h/h2h and gate."""
        hidden = self._num_hidden
        weights, biases = [], []
        for layer in range(self._num_layers):
            layer_input = num_input if layer == 0 else len(self._directions) * hidden
            for direction in self._directions:
                for group, width in (('i2h', layer_input), ('h2h', hidden)):
                    for gate in self._gate_names:
                        name = '%s%s%d_%s%s' % (self._prefix, direction, layer, group, gate)
                        weights.append((name + '_weight', (hidden, width)))
                        biases.append((name + '_bias', (hidden,)))
        return weights + biases

    def unpack_weights(self, args):
        """A copy of `args` with the fused vector replaced by its per-gate arrays."""
        args = args.copy()
        packed = _pop(args, self._parameter.name, 'unpack_weights')
        directions, gates, hidden = len(self._directions), len(self._gate_names), self._num_hidden
        num_input = (packed.size // directions // hidden // gates
                     - (self._num_layers - 1) * (hidden + directions * hidden + 2) - hidden - 2)
        layout = self._weight_layout(num_input)
        if num_input <= 0 or sum(int(np.prod(shape)) for _, shape in layout) != packed.size:
            raise MXNetError('unpack_weights: %s has %d values, which no input size gives a '
                             '%s FusedRNNCell of %d layers, %d hidden, %d directions'
                             % (self._parameter.name, packed.size, self._mode,
                                self._num_layers, hidden, directions))
        offset = 0
        for name, shape in layout:
            size = int(np.prod(shape))
            args[name] = packed[offset:offset + size].reshape(shape).copy()
            offset += size
        return args

    def pack_weights(self, args):
        """A copy of `args` with the per-gate arrays joined into the fused vector."""
        args = args.copy()
        first = '%sl0_i2h%s_weight' % (self._prefix, self._gate_names[0])
        _check_present(args, first, 'pack_weights')
        num_input = args[first].shape[1]
        pieces = []
        for name, shape in self._weight_layout(num_input):
            piece = _pop(args, name, 'pack_weights')
            if tuple(piece.shape) != shape:
                raise MXNetError('pack_weights: %s has shape %s, the fused layout needs %s'
                                 % (name, tuple(piece.shape), shape))
            pieces.append(piece.reshape((-1,)))
        args[self._parameter.name] = nd.concatenate(pieces)
        return args

    def __call__(self, inputs, states):
        raise NotImplementedError('FusedRNNCell cannot be stepped. Please use unroll')

    def unroll(self, length, inputs, begin_state=None, layout='NTC', merge_outputs=None):
        self.reset()
        inputs, axis = _normalize_sequence(length, inputs, layout, True)
        if axis == 1:
            warnings.warn('NTC layout detected. Consider using TNC for FusedRNNCell for faster '
                          'speed')
            inputs = symbol.swapaxes(inputs, dim1=0, dim2=1)
        elif axis != 0:
            raise MXNetError('FusedRNNCell: unsupported layout %s (time must be axis 0 or 1)'
                             % layout)
        if begin_state is None:
            begin_state = self.begin_state()
        state_names = ['state', 'state_cell'] if self._mode == 'lstm' else ['state']
        rnn = symbol.RNN(data=inputs, parameters=self._parameter, state_size=self._num_hidden,
                         num_layers=self._num_layers, bidirectional=self._bidirectional,
                         p=self._dropout, state_outputs=self._get_next_state, mode=self._mode,
                         name=self._prefix + 'rnn', **dict(zip(state_names, begin_state)))
        outputs, states = rnn, []
        if self._get_next_state:
            outputs, states = rnn[0], list(rnn)[1:]
            for state in states:
                state._set_attr(__layout__='LNC')
        if axis == 1:
            outputs = symbol.swapaxes(outputs, dim1=0, dim2=1)
        outputs, _ = _normalize_sequence(length, outputs, layout, merge_outputs)
        return outputs, states

    def unfuse(self):
        """The same network as a SequentialRNNCell of stepwise cells (one per layer, or a
        BidirectionalCell per layer), with dropout between layers."""
        make_cell = {'rnn_relu': functools.partial(RNNCell, activation='relu'),
                     'rnn_tanh': functools.partial(RNNCell, activation='tanh'),
                     'lstm': LSTMCell, 'gru': GRUCell}[self._mode]
        stack = SequentialRNNCell()
        for layer in range(self._num_layers):
            if self._bidirectional:
                stack.add(BidirectionalCell(
                    make_cell(self._num_hidden, prefix='%sl%d_' % (self._prefix, layer)),
                    make_cell(self._num_hidden, prefix='%sr%d_' % (self._prefix, layer)),
                    output_prefix='%sbi_l%d_' % (self._prefix, layer)))
            else:
                stack.add(make_cell(self._num_hidden, prefix='%sl%d_' % (self._prefix, layer)))
            if self._dropout > 0 and layer != self._num_layers - 1:
                stack.add(DropoutCell(self._dropout,
                                      prefix='%s_dropout%d_' % (self._prefix, layer)))
        return stack


@initializer.register
class FusedRNN(Initializer):
    """A FusedRNNCell's parameter vector: each unpacked weight from `init` (or the global
    initializer), biases zero but the LSTM forget gates' at `forget_bias`."""

    def __init__(self, init, num_hidden, num_layers, mode, bidirectional=False, forget_bias=1.0):
        if isinstance(init, str):
            init = initializer.create(init)
        super().__init__(init=init.dumps() if init is not None else None, num_hidden=num_hidden,
                         num_layers=num_layers, mode=mode, bidirectional=bidirectional,
                         forget_bias=forget_bias)
        self._init = init
        self._cell_args = dict(num_hidden=num_hidden, num_layers=num_layers, mode=mode,
                               bidirectional=bidirectional, forget_bias=forget_bias)

    def _init_weight(self, desc, arr):
        cell = FusedRNNCell(prefix='', **self._cell_args)
        args = cell.unpack_weights({'parameters': arr})
        for name, value in args.items():
            if self._cell_args['mode'] == 'lstm' and name.endswith('_f_bias'):
                value[:] = self._cell_args['forget_bias']
            else:
                (self._init or desc.global_init)(InitDesc(name, global_init=desc.global_init),
                                                 value)
        arr[:] = cell.pack_weights(args)['parameters']


def _cells_state_info(cells):
    return [info for cell in cells for info in cell.state_info]


def _cells_begin_state(cells, func, kwargs):
    return [state for cell in cells for state in cell.begin_state(func, **kwargs)]


def _cells_unpack_weights(cells, args):
    for cell in cells:
        args = cell.unpack_weights(args)
    return args


def _cells_pack_weights(cells, args):
    for cell in cells:
        args = cell.pack_weights(args)
    return args


def _adopt_params(container, cells):
    """Share `container`'s variables with `cells` (when the container was given its own
    RNNParams) and collect theirs into it."""
    if container._override_cell_params:
        if not all(cell._own_params for cell in cells):
            raise MXNetError('Either specify params for %s or child cells, not both.'
                             % type(container).__name__)
        for cell in cells:
            cell.params._params.update(container.params._params)
    for cell in cells:
        container.params._params.update(cell.params._params)


class SequentialRNNCell(BaseRNNCell):
    """Cells stacked: each one's outputs are the next one's inputs."""

    def __init__(self, params=None):
        super().__init__(prefix='', params=params)
        self._override_cell_params = params is not None
        self._cells = []

    def add(self, cell):
        """Append `cell` on top of the stack."""
        _adopt_params(self, [cell])
        self._cells.append(cell)

    @property
    def state_info(self):
        return _cells_state_info(self._cells)

    def begin_state(self, func=symbol.zeros, **kwargs):
        self._check_unmodified()
        return _cells_begin_state(self._cells, func, kwargs)

    def unpack_weights(self, args):
        return _cells_unpack_weights(self._cells, args)

    def pack_weights(self, args):
        return _cells_pack_weights(self._cells, args)

    def __call__(self, inputs, states):
        self._counter += 1
        next_states = []
        start = 0
        for cell in self._cells:
            if isinstance(cell, BidirectionalCell):
                raise MXNetError('SequentialRNNCell with a BidirectionalCell cannot be stepped. '
                                 'Please use unroll')
            count = len(cell.state_info)
            inputs, state = cell(inputs, states[start:start + count])
            start += count
            next_states.extend(state)
        return inputs, next_states

    def unroll(self, length, inputs, begin_state=None, layout='NTC', merge_outputs=None):
        self.reset()
        if begin_state is None:
            begin_state = self.begin_state()
        start = 0
        next_states = []
        for index, cell in enumerate(self._cells):
            count = len(cell.state_info)
            last = index == len(self._cells) - 1
            inputs, states = cell.unroll(length, inputs=inputs,
                                         begin_state=begin_state[start:start + count],
                                         layout=layout,
                                         merge_outputs=merge_outputs if last else None)
            start += count
            next_states.extend(states)
        return inputs, next_states


class DropoutCell(BaseRNNCell):
    """Dropout with probability `dropout` on the inputs; no states."""

    def __init__(self, dropout, prefix='dropout_', params=None):
        super().__init__(prefix, params)
        if not isinstance(dropout, Number):
            raise MXNetError('DropoutCell: dropout probability must be a number, got %r'
                             % (dropout,))
        self.dropout = dropout

    @property
    def state_info(self):
        return []

    def __call__(self, inputs, states):
        if self.dropout > 0:
            inputs = symbol.Dropout(data=inputs, p=self.dropout)
        return inputs, states

    def unroll(self, length, inputs, begin_state=None, layout='NTC', merge_outputs=None):
        self.reset()
        inputs, _ = _normalize_sequence(length, inputs, layout, merge_outputs)
        if isinstance(inputs, symbol.Symbol):
            return self(inputs, [])
        return super().unroll(length, inputs, begin_state=begin_state, layout=layout,
                              merge_outputs=merge_outputs)


class ModifierCell(BaseRNNCell):
    """A cell wrapping `base_cell` to change what it computes; the base cell is then used only
    through the modifier."""

    def __init__(self, base_cell):
        super().__init__()
        base_cell._modified = True
        self.base_cell = base_cell

    @property
    def params(self):
        self._own_params = False
        return self.base_cell.params

    @property
    def state_info(self):
        return self.base_cell.state_info

    def begin_state(self, init_sym=symbol.zeros, **kwargs):
        self._check_unmodified()
        self.base_cell._modified = False
        begin = self.base_cell.begin_state(init_sym, **kwargs)
        self.base_cell._modified = True
        return begin

    def unpack_weights(self, args):
        return self.base_cell.unpack_weights(args)

    def pack_weights(self, args):
        return self.base_cell.pack_weights(args)

    def __call__(self, inputs, states):
        raise NotImplementedError


def _contains_bidirectional(cell):
    return isinstance(cell, BidirectionalCell) or any(
        _contains_bidirectional(child) for child in getattr(cell, '_cells', ()))


class ZoneoutCell(ModifierCell):
    """Zoneout: in training, each output (state) value keeps the previous step's with
    probability zoneout_outputs (zoneout_states)."""

    def __init__(self, base_cell, zoneout_outputs=0., zoneout_states=0.):
        if isinstance(base_cell, FusedRNNCell):
            raise MXNetError("FusedRNNCell doesn't support zoneout. Please unfuse first.")
        if _contains_bidirectional(base_cell):
            raise MXNetError("BidirectionalCell doesn't support zoneout since it doesn't support "
                             "step. Please add ZoneoutCell to the cells underneath instead.")
        super().__init__(base_cell)
        self.zoneout_outputs = zoneout_outputs
        self.zoneout_states = zoneout_states
        self.prev_output = None

    def reset(self):
        super().reset()
        self.prev_output = None

    def __call__(self, inputs, states):
        next_output, next_states = self.base_cell(inputs, states)

        def mask(rate, like):
            return symbol.Dropout(symbol.ones_like(like), p=rate)
        prev_output = self.prev_output if self.prev_output is not None else symbol.zeros((0, 0))
        output = next_output
        if self.zoneout_outputs != 0.:
            output = symbol.where(mask(self.zoneout_outputs, next_output), next_output,
                                  prev_output)
        if self.zoneout_states != 0.:
            next_states = [symbol.where(mask(self.zoneout_states, new), new, old)
                           for new, old in zip(next_states, states)]
        self.prev_output = output
        return output, next_states


class ResidualCell(ModifierCell):
    """The base cell's output plus its input (Wu et al., 2016)."""

    def __call__(self, inputs, states):
        output, states = self.base_cell(inputs, states)
        return _plus_residual(output, inputs), states

    def unroll(self, length, inputs, begin_state=None, layout='NTC', merge_outputs=None):
        self.reset()
        self.base_cell._modified = False
        outputs, states = self.base_cell.unroll(length, inputs=inputs, begin_state=begin_state,
                                                layout=layout, merge_outputs=merge_outputs)
        self.base_cell._modified = True
        if merge_outputs is None:
            merge_outputs = isinstance(outputs, symbol.Symbol)
        inputs, _ = _normalize_sequence(length, inputs, layout, merge_outputs)
        if merge_outputs:
            return _plus_residual(outputs, inputs), states
        return [_plus_residual(out, step) for out, step in zip(outputs, inputs)], states


def _plus_residual(output, inputs):
    return symbol.elemwise_add(output, inputs, name='%s_plus_residual' % output.name)


class BidirectionalCell(BaseRNNCell):
    """`l_cell` over the sequence forward and `r_cell` backward, outputs concatenated."""

    def __init__(self, l_cell, r_cell, params=None, output_prefix='bi_'):
        super().__init__('', params=params)
        self._output_prefix = output_prefix
        self._override_cell_params = params is not None
        _adopt_params(self, [l_cell, r_cell])
        self._cells = [l_cell, r_cell]

    def unpack_weights(self, args):
        return _cells_unpack_weights(self._cells, args)

    def pack_weights(self, args):
        return _cells_pack_weights(self._cells, args)

    def __call__(self, inputs, states):
        raise NotImplementedError('Bidirectional cannot be stepped. Please use unroll')

    @property
    def state_info(self):
        return _cells_state_info(self._cells)

    def begin_state(self, func=symbol.zeros, **kwargs):
        self._check_unmodified()
        return _cells_begin_state(self._cells, func, kwargs)

    def unroll(self, length, inputs, begin_state=None, layout='NTC', merge_outputs=None):
        self.reset()
        inputs, axis = _normalize_sequence(length, inputs, layout, False)
        if begin_state is None:
            begin_state = self.begin_state()
        l_cell, r_cell = self._cells
        l_count = len(l_cell.state_info)
        l_outputs, l_states = l_cell.unroll(length, inputs=inputs,
                                            begin_state=begin_state[:l_count],
                                            layout=layout, merge_outputs=merge_outputs)
        r_outputs, r_states = r_cell.unroll(length, inputs=list(reversed(inputs)),
                                            begin_state=begin_state[l_count:],
                                            layout=layout, merge_outputs=merge_outputs)
        if merge_outputs is None:
            merge_outputs = (isinstance(l_outputs, symbol.Symbol)
                             and isinstance(r_outputs, symbol.Symbol))
            if not merge_outputs:
                l_outputs = _as_steps(l_outputs, axis, length)
                r_outputs = _as_steps(r_outputs, axis, length)
        if merge_outputs:
            r_outputs = symbol.reverse(r_outputs, axis=axis)
            outputs = symbol.Concat(l_outputs, r_outputs, dim=2,
                                    name='%sout' % self._output_prefix)
        else:
            outputs = [symbol.Concat(l_out, r_out, dim=1,
                                     name='%st%d' % (self._output_prefix, step))
                       for step, (l_out, r_out) in enumerate(zip(l_outputs,
                                                                 reversed(r_outputs)))]
        return outputs, [l_states, r_states]


def _as_steps(outputs, axis, length):
    """Per-step outputs: a merged symbol split along the time axis."""
    if isinstance(outputs, symbol.Symbol):
        return list(symbol.SliceChannel(outputs, axis=axis, num_outputs=length, squeeze_axis=1))
    return outputs


def _leaky_relu(inputs, **kwargs):
    """The convolutional cells' default activation: LeakyReLU with slope 0.2."""
    return symbol.LeakyReLU(inputs, act_type='leaky', slope=0.2, **kwargs)


class BaseConvRNNCell(BaseRNNCell):
    """Cells whose i2h and h2h are convolutions over images of `input_shape` (one step)."""

    _default_prefix = ''

    def __init__(self, input_shape, num_hidden, h2h_kernel=(3, 3), h2h_dilate=(1, 1),
                 i2h_kernel=(3, 3), i2h_stride=(1, 1), i2h_pad=(1, 1), i2h_dilate=(1, 1),
                 i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer='zeros', h2h_bias_initializer='zeros',
                 activation=_leaky_relu, prefix=None, params=None, conv_layout='NCHW'):
        super().__init__(prefix=self._default_prefix if prefix is None else prefix,
                         params=params)
        if h2h_kernel[0] % 2 != 1 or h2h_kernel[1] % 2 != 1:
            raise MXNetError('Only support odd number, get h2h_kernel= %s' % str(h2h_kernel))
        self._h2h_kernel = h2h_kernel
        self._h2h_pad = (h2h_dilate[0] * (h2h_kernel[0] - 1) // 2,
                         h2h_dilate[1] * (h2h_kernel[1] - 1) // 2)
        self._h2h_dilate = h2h_dilate
        self._i2h_kernel = i2h_kernel
        self._i2h_stride = i2h_stride
        self._i2h_pad = i2h_pad
        self._i2h_dilate = i2h_dilate
        self._num_hidden = num_hidden
        self._input_shape = input_shape
        self._conv_layout = conv_layout
        self._activation = activation
        probe = symbol.Convolution(data=symbol.Variable('data'), num_filter=num_hidden,
                                   kernel=i2h_kernel, stride=i2h_stride, pad=i2h_pad,
                                   dilate=i2h_dilate, layout=conv_layout)
        self._state_shape = (0,) + tuple(probe.infer_shape(data=input_shape)[1][0][1:])
        self._iW, self._hW, self._iB, self._hB = _projection_params(self.params, {
            'i2h_weight': i2h_weight_initializer, 'h2h_weight': h2h_weight_initializer,
            'i2h_bias': i2h_bias_initializer, 'h2h_bias': h2h_bias_initializer})

    @property
    def _num_gates(self):
        return len(self._gate_names)

    @property
    def state_info(self):
        return [{'shape': self._state_shape, '__layout__': self._conv_layout}
                for _ in range(2)]

    def _conv_forward(self, inputs, states, name):
        """The convolutions i2h (of the input) and h2h (of the state) of a step."""
        width = self._num_hidden * self._num_gates
        i2h = symbol.Convolution(name='%si2h' % name, data=inputs, num_filter=width,
                                 kernel=self._i2h_kernel, stride=self._i2h_stride,
                                 pad=self._i2h_pad, dilate=self._i2h_dilate, weight=self._iW,
                                 bias=self._iB, layout=self._conv_layout)
        h2h = symbol.Convolution(name='%sh2h' % name, data=states[0], num_filter=width,
                                 kernel=self._h2h_kernel, dilate=self._h2h_dilate,
                                 pad=self._h2h_pad, stride=(1, 1), weight=self._hW,
                                 bias=self._hB, layout=self._conv_layout)
        return i2h, h2h

    def __call__(self, inputs, states):
        raise NotImplementedError('BaseConvRNNCell is abstract class for convolutional RNN')


class ConvRNNCell(BaseConvRNNCell):
    """A convolutional Elman cell."""

    _default_prefix = 'ConvRNN_'

    @property
    def _gate_names(self):
        return ('',)

    @property
    def state_info(self):
        return super().state_info[:1]

    def __call__(self, inputs, states):
        name = self._step_name()
        i2h, h2h = self._conv_forward(inputs, states, name)
        return _plain_step(self, i2h, h2h, name)


class ConvLSTMCell(BaseConvRNNCell):
    """A convolutional LSTM cell (Shi et al., NIPS 2015)."""

    _default_prefix = 'ConvLSTM_'

    @property
    def _gate_names(self):
        return ['_i', '_f', '_c', '_o']

    def __call__(self, inputs, states):
        name = self._step_name()
        i2h, h2h = self._conv_forward(inputs, states, name)
        return _lstm_step(self, i2h, h2h, states[1], name, self._activation,
                          axis=self._conv_layout.find('C'))


class ConvGRUCell(BaseConvRNNCell):
    """A convolutional GRU cell."""

    _default_prefix = 'ConvGRU_'

    @property
    def _gate_names(self):
        return ['_r', '_z', '_o']

    @property
    def state_info(self):
        return super().state_info[:1]

    def __call__(self, inputs, states):
        name = self._step_name()
        i2h, h2h = self._conv_forward(inputs, states, name)
        return _gru_step(self, i2h, h2h, states[0], name, self._activation)
