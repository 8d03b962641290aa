"""An LSTM language model (after Zaremba, Sutskever and Vinyals, "Recurrent Neural Network
Regularization", 2014).

Word indices laid out (sequence length, batch) are embedded, run through a fused multi-layer
LSTM (``RNN`` with ``mode='lstm'``, all its weights and biases packed in one ``parameters``
vector), and every step's output is classified over the vocabulary. The defaults are the
paper's small model: two layers of 200 units over a 10000-word vocabulary.
"""
import mxsym as mx


def get_symbol(num_classes, num_embed=200, num_hidden=200, num_layers=2, dropout=0.0,
               **kwargs):
    """The language model over a vocabulary of `num_classes` words, ending in SoftmaxOutput.

    Inputs: 'data', word indices (sequence length, batch); 'softmax_label', the next words,
    same shape; 'lstm_state' and 'lstm_state_cell', the initial hidden and cell states
    (`num_layers`, batch, `num_hidden`). `dropout` applies between LSTM layers in training.
    """
    data = mx.sym.Variable('data')
    label = mx.sym.Variable('softmax_label')
    embed = mx.sym.Embedding(data=data, input_dim=num_classes, output_dim=num_embed,
                             name='embed')
    rnn = mx.sym.RNN(data=embed, parameters=mx.sym.Variable('lstm_parameters'),
                     state=mx.sym.Variable('lstm_state'),
                     state_cell=mx.sym.Variable('lstm_state_cell'), mode='lstm',
                     state_size=num_hidden, num_layers=num_layers, p=dropout, name='lstm')
    steps = mx.sym.Reshape(data=rnn, shape=(-1, num_hidden), name='steps')
    pred = mx.sym.FullyConnected(data=steps, num_hidden=num_classes, name='pred')
    label = mx.sym.Reshape(data=label, shape=(-1,), name='label_flat')
    return mx.sym.SoftmaxOutput(data=pred, label=label, name='softmax')
