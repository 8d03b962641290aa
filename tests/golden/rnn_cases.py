"""Graphs unrolled from `mx.rnn` cells, written against MXNet's Python API.

Each case is ``builder(mx) -> (symbol, {input: shape}, cell)``: the same code builds the graph
under MXNet 1.9.1 (make_rnn_golden.py) and under mxsym (tests/rnn/test_rnn_cell.py). Cases in
`RANDOM` hold dropout: only their JSON, names and inference outputs are recorded.
"""
N, T, I = 2, 3, 5


def _unrolled(mx, cell, layout='NTC', merge_outputs=None, inputs='symbol', begin_state=None):
    """The cell unrolled over T steps of a variable `data` (or T variables t<i>_data), grouped
    as outputs then states."""
    if inputs == 'symbol':
        data = mx.sym.Variable('data')
        shapes = {'data': (N, T, I) if layout == 'NTC' else (T, N, I)}
    else:
        data = [mx.sym.Variable('t%d_data' % t) for t in range(T)]
        shapes = {'t%d_data' % t: (N, I) for t in range(T)}
    outputs, states = cell.unroll(T, data, begin_state=begin_state, layout=layout,
                                  merge_outputs=merge_outputs)
    outputs = [outputs] if isinstance(outputs, mx.sym.Symbol) else list(outputs)
    return _grouped(mx, outputs, states), shapes, cell


def _grouped(mx, outputs, states):
    """Outputs then the states that are not outputs already (MXNet's backward counts only the
    last head gradient of an output listed twice)."""
    group = list(outputs)
    for state in _flat(states):
        if state.list_outputs()[0] not in [s.list_outputs()[0] for s in group]:
            group.append(state)
    return mx.sym.Group(group)


def _flat(states):
    if isinstance(states, (list, tuple)):
        return [s for state in states for s in _flat(state)]
    return [states]


def rnn_tanh_ntc_list(mx):
    return _unrolled(mx, mx.rnn.RNNCell(4, prefix='rnn_'), 'NTC', merge_outputs=False)


def rnn_relu_tnc_merged(mx):
    return _unrolled(mx, mx.rnn.RNNCell(4, activation='relu'), 'TNC', merge_outputs=True)


def lstm_ntc_merged(mx):
    return _unrolled(mx, mx.rnn.LSTMCell(4, forget_bias=2.0), 'NTC', merge_outputs=True)


def lstm_list_inputs(mx):
    return _unrolled(mx, mx.rnn.LSTMCell(3, prefix='enc_'), inputs='list')


def lstm_list_inputs_merged(mx):
    return _unrolled(mx, mx.rnn.LSTMCell(3, prefix='enc_'), 'TNC', merge_outputs=True,
                     inputs='list')


def gru_tnc_list(mx):
    return _unrolled(mx, mx.rnn.GRUCell(4), 'TNC', merge_outputs=False)


def gru_variable_begin_state(mx):
    cell = mx.rnn.GRUCell(4, prefix='g_')
    return _unrolled(mx, cell, 'NTC', merge_outputs=True,
                     begin_state=cell.begin_state(func=mx.sym.Variable))


def lstm_shared_params(mx):
    params = mx.rnn.RNNParams('shared_')
    stack = mx.rnn.SequentialRNNCell()
    stack.add(mx.rnn.LSTMCell(5, prefix='a_', params=params))
    stack.add(mx.rnn.LSTMCell(5, prefix='b_', params=params))
    return _unrolled(mx, stack, 'NTC', merge_outputs=True)


def fused_lstm_2layer_tnc(mx):
    return _unrolled(mx, mx.rnn.FusedRNNCell(4, num_layers=2, mode='lstm', get_next_state=True),
                     'TNC', merge_outputs=True)


def fused_lstm_2layer_unfused(mx):
    cell = mx.rnn.FusedRNNCell(4, num_layers=2, mode='lstm', get_next_state=True)
    return _unrolled(mx, cell.unfuse(), 'TNC', merge_outputs=True)


def fused_gru_bidirectional_ntc(mx):
    return _unrolled(mx, mx.rnn.FusedRNNCell(3, num_layers=2, mode='gru', bidirectional=True,
                                         get_next_state=True), 'NTC', merge_outputs=False)


def fused_gru_bidirectional_unfused(mx):
    cell = mx.rnn.FusedRNNCell(3, num_layers=2, mode='gru', bidirectional=True,
                               get_next_state=True)
    return _unrolled(mx, cell.unfuse(), 'NTC', merge_outputs=False)


def fused_rnn_tanh_bidirectional(mx):
    return _unrolled(mx, mx.rnn.FusedRNNCell(4, mode='rnn_tanh', bidirectional=True, prefix='f_'),
                     'TNC', merge_outputs=True)


def fused_rnn_relu_3layer(mx):
    cell = mx.rnn.FusedRNNCell(3, num_layers=3, mode='rnn_relu', get_next_state=True)
    return _unrolled(mx, cell, 'NTC')


def bidirectional_lstm_merged(mx):
    return _unrolled(mx, mx.rnn.BidirectionalCell(mx.rnn.LSTMCell(3, prefix='l_'),
                                              mx.rnn.LSTMCell(3, prefix='r_')),
                     'NTC', merge_outputs=True)


def bidirectional_gru_list(mx):
    return _unrolled(mx, mx.rnn.BidirectionalCell(mx.rnn.GRUCell(3, prefix='l_'),
                                              mx.rnn.GRUCell(3, prefix='r_'),
                                              output_prefix='both_'), 'TNC')


def bidirectional_fused_halves(mx):
    """Fused halves give merged outputs that unroll(merge_outputs=None) splits again."""
    return _unrolled(mx, mx.rnn.BidirectionalCell(
        mx.rnn.FusedRNNCell(3, mode='lstm', prefix='fl_'),
        mx.rnn.GRUCell(3, prefix='r_')), 'NTC', inputs='list')


def sequential_residual(mx):
    stack = mx.rnn.SequentialRNNCell()
    stack.add(mx.rnn.GRUCell(5, prefix='s0_'))
    stack.add(mx.rnn.ResidualCell(mx.rnn.LSTMCell(5, prefix='s1_')))
    stack.add(mx.rnn.RNNCell(4, prefix='s2_'))
    return _unrolled(mx, stack, 'TNC', merge_outputs=False)


def residual_gru_merged(mx):
    return _unrolled(mx, mx.rnn.ResidualCell(mx.rnn.GRUCell(5, prefix='res_')), 'NTC',
                     merge_outputs=True)


def residual_bidirectional_list(mx):
    return _unrolled(mx, mx.rnn.ResidualCell(mx.rnn.BidirectionalCell(
        mx.rnn.GRUCell(3, prefix='rl_'), mx.rnn.GRUCell(2, prefix='rr_'))), 'NTC',
        merge_outputs=False, inputs='list')


def conv_lstm(mx):
    cell = mx.rnn.ConvLSTMCell(input_shape=(N, 2, 4, 4), num_hidden=3, prefix='cl_')
    data = [mx.sym.Variable('t%d_data' % t) for t in range(2)]
    outputs, states = cell.unroll(2, data, merge_outputs=False)
    return _grouped(mx, outputs, states), {'t0_data': (N, 2, 4, 4), 't1_data': (N, 2, 4, 4)}, cell


def conv_gru(mx):
    cell = mx.rnn.ConvGRUCell(input_shape=(N, 2, 4, 4), num_hidden=2, i2h_kernel=(3, 3),
                              i2h_pad=(1, 1), activation='tanh')
    data = mx.sym.Variable('data')
    outputs, states = cell.unroll(2, data, merge_outputs=True)
    return _grouped(mx, [outputs], states), {'data': (N, 2, 2, 4, 4)}, cell


def conv_rnn(mx):
    cell = mx.rnn.ConvRNNCell(input_shape=(N, 2, 4, 4), num_hidden=2, h2h_kernel=(1, 1),
                              i2h_kernel=(1, 1), i2h_pad=(0, 0))
    data = [mx.sym.Variable('t%d_data' % t) for t in range(2)]
    outputs, states = cell.unroll(2, data)
    return _grouped(mx, outputs, states), {'t0_data': (N, 2, 4, 4), 't1_data': (N, 2, 4, 4)}, cell


def dropout_stack(mx):
    stack = mx.rnn.SequentialRNNCell()
    stack.add(mx.rnn.LSTMCell(4, prefix='d0_'))
    stack.add(mx.rnn.DropoutCell(0.5, prefix='drop_'))
    stack.add(mx.rnn.GRUCell(4, prefix='d1_'))
    return _unrolled(mx, stack, 'NTC', merge_outputs=True)


def dropout_cell_merged(mx):
    return _unrolled(mx, mx.rnn.DropoutCell(0.25), 'TNC', merge_outputs=True)


def zoneout_rnn(mx):
    return _unrolled(mx, mx.rnn.ZoneoutCell(mx.rnn.RNNCell(4, prefix='z_'), zoneout_outputs=0.5,
                                        zoneout_states=0.3), 'NTC', merge_outputs=False)


def fused_lstm_bidirectional_dropout_unfused(mx):
    cell = mx.rnn.FusedRNNCell(3, num_layers=3, mode='lstm', prefix='test_', bidirectional=True,
                               dropout=0.5)
    return _unrolled(mx, cell.unfuse(), 'NTC', inputs='list')


CASES = {builder.__name__: builder for builder in [
    rnn_tanh_ntc_list, rnn_relu_tnc_merged, lstm_ntc_merged, lstm_list_inputs,
    lstm_list_inputs_merged, gru_tnc_list, gru_variable_begin_state, lstm_shared_params,
    fused_lstm_2layer_tnc, fused_lstm_2layer_unfused, fused_gru_bidirectional_ntc,
    fused_gru_bidirectional_unfused, fused_rnn_tanh_bidirectional, fused_rnn_relu_3layer,
    bidirectional_lstm_merged, bidirectional_gru_list, bidirectional_fused_halves,
    sequential_residual, residual_gru_merged, residual_bidirectional_list, conv_lstm, conv_gru,
    conv_rnn, dropout_stack, dropout_cell_merged, zoneout_rnn,
    fused_lstm_bidirectional_dropout_unfused]}

RANDOM = {'dropout_stack', 'dropout_cell_merged', 'zoneout_rnn',
          'fused_lstm_bidirectional_dropout_unfused'}

# Fused cells and their unfused stacks: the same weights (unpacked from the fused vector) give
# the same outputs.
FUSED_PAIRS = {'fused_lstm_2layer_unfused': 'fused_lstm_2layer_tnc',
               'fused_gru_bidirectional_unfused': 'fused_gru_bidirectional_ntc'}

# mx.rnn.io: sentences of lengths 1 to 7 (encoded: 0 stays clear of invalid_label -1), the
# iterators and encodings recorded from them.
WORDS = [['the', 'cat', 'sat'], ['a', 'dog'], ['the', 'dog', 'sat', 'down'], ['cats', 'nap'],
         ['a', 'cat', 'and', 'a', 'dog'], ['sun'], ['the', 'sun', 'is', 'up'],
         ['dogs', 'run', 'far', 'and', 'fast', 'today', 'ok'], ['up', 'down'],
         ['the', 'cat'], ['a', 'dog', 'ran'], ['naps', 'are', 'good'], ['go']]
SENTENCES = [[1 + (sum(map(ord, word)) % 17) for word in sentence] for sentence in WORDS * 3]

IO_CASES = {
    'iterators': {
        'auto_buckets_nt': {'batch_size': 3},
        'given_buckets_tn': {'batch_size': 4, 'buckets': [2, 4, 6], 'layout': 'TN',
                             'invalid_label': 0, 'data_name': 'words',
                             'label_name': 'next_words'},
        'int_dtype': {'batch_size': 2, 'buckets': [3, 8], 'dtype': 'int32'},
    },
    'encodings': {
        'new_vocab': {'sentences': WORDS},
        'start_label_skips_invalid': {'sentences': WORDS, 'start_label': -2,
                                      'invalid_label': 0, 'invalid_key': '<eos>'},
        'given_vocab_unknown': {'sentences': WORDS[:3],
                                'vocab': {'the': 5, 'cat': 6, 'sat': 7},
                                'unknown_token': '<unk>'},
    },
}
