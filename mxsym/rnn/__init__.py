"""`mx.rnn`: MXNet 1.9.1's symbolic RNN cells, the bucketing sentence iterator and RNN
checkpoints."""
from . import checkpoint, io, rnn_cell
from .checkpoint import do_rnn_checkpoint, load_rnn_checkpoint, save_rnn_checkpoint
from .io import BucketSentenceIter, encode_sentences
from .rnn_cell import (BaseConvRNNCell, BaseRNNCell, BidirectionalCell, ConvGRUCell,
                       ConvLSTMCell, ConvRNNCell, DropoutCell, FusedRNN, FusedRNNCell, GRUCell,
                       LSTMCell, ModifierCell, ResidualCell, RNNCell, RNNParams,
                       SequentialRNNCell, ZoneoutCell)

__all__ = ['checkpoint', 'io', 'rnn_cell', 'do_rnn_checkpoint', 'load_rnn_checkpoint',
           'save_rnn_checkpoint', 'BucketSentenceIter', 'encode_sentences', 'BaseConvRNNCell',
           'BaseRNNCell', 'BidirectionalCell', 'ConvGRUCell', 'ConvLSTMCell', 'ConvRNNCell',
           'DropoutCell', 'FusedRNN', 'FusedRNNCell', 'GRUCell', 'LSTMCell', 'ModifierCell',
           'ResidualCell', 'RNNCell', 'RNNParams', 'SequentialRNNCell', 'ZoneoutCell']
