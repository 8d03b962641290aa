"""Golden cases for mxsym/ops/rnn.py (recorded from MXNet 1.9.1 by make_ops_golden.py).

MXNet's CPU kernels ignore lstm_state_clip_* and use_sequence_length (float32) or refuse them
(float64), so those cases use clip bounds that never bind and full sequence lengths: they pin
the names, shapes, types and JSON; the clipping and masking themselves are tested directly.
Dropout (p > 0) draws differ from MXNet's and LSTM projection has no CPU training kernel, so
both are tested directly too.
"""
from op_cases import case

DATA = {'data': (3, 2, 4)}


def cases():
    def rnn(case_id, kwargs, dtype='float32', shapes=DATA, variables=('data',), values=None):
        return case(case_id, 'RNN', shapes, dict({'state_size': 3, 'num_layers': 1}, **kwargs),
                    variables=variables, dtype=dtype, values=values)

    cases = []
    for mode in ['rnn_relu', 'rnn_tanh', 'lstm', 'gru']:
        cases += [
            rnn(mode, {'mode': mode}),
            rnn(mode + '_state_outputs', {'mode': mode, 'state_outputs': True}),
            rnn(mode + '_2_layers', {'mode': mode, 'num_layers': 2, 'state_outputs': True}),
            rnn(mode + '_bidirectional', {'mode': mode, 'bidirectional': True,
                                          'state_outputs': True}),
            rnn(mode + '_2_layers_bidirectional',
                {'mode': mode, 'num_layers': 2, 'bidirectional': True, 'state_outputs': True}),
            rnn(mode + '_float64', {'mode': mode, 'num_layers': 2, 'bidirectional': True,
                                    'state_outputs': True}, dtype='float64'),
        ]
    cases += [
        rnn('lstm_long_sequence', {'mode': 'lstm', 'state_size': 4, 'state_outputs': True},
            shapes={'data': (7, 3, 2)}),
        rnn('gru_wide_input_float64', {'mode': 'gru', 'state_size': 2, 'num_layers': 3},
            shapes={'data': (2, 1, 6)}, dtype='float64'),
        rnn('lstm_all_inputs_given', {'mode': 'lstm', 'state_outputs': True},
            shapes={'data': (3, 2, 4), 'parameters': (108,), 'state': (1, 2, 3),
                    'state_cell': (1, 2, 3)},
            variables=('data', 'parameters', 'state', 'state_cell')),
        rnn('gru_dropout_inactive', {'mode': 'gru', 'num_layers': 2, 'p': 0.0}),
        rnn('lstm_clip_unbound', {'mode': 'lstm', 'state_outputs': True,
                                  'lstm_state_clip_min': -100.0, 'lstm_state_clip_max': 100.0,
                                  'lstm_state_clip_nan': True}),
        rnn('lstm_sequence_length_full', {'mode': 'lstm', 'use_sequence_length': True,
                                          'state_outputs': True},
            values={'sequence_length': 'ints:3:3'}),
        rnn('gru_sequence_length_full_bidirectional',
            {'mode': 'gru', 'use_sequence_length': True, 'bidirectional': True},
            values={'sequence_length': 'ints:3:3'}),
    ]
    return cases
