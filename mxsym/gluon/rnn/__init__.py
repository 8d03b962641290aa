"""`mx.gluon.rnn`: recurrent cells and fused recurrent layers."""
from .rnn_cell import (RecurrentCell, HybridRecurrentCell, RNNCell, LSTMCell,  # noqa: F401
                       GRUCell, SequentialRNNCell, HybridSequentialRNNCell, DropoutCell)
from .rnn_layer import RNN, LSTM, GRU  # noqa: F401
