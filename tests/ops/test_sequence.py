"""Golden tests for mxsym/ops/sequence.py against MXNet 1.9.1: SequenceMask, SequenceLast,
SequenceReverse."""

import numpy as np

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'sequence')


def test_an_input_given_as_none_is_not_given():
    """MXNet's op functions skip inputs passed as None (sequence_length=None)."""
    seq = mx.sym.Variable('seq')
    rev = mx.sym.SequenceReverse(data=seq, sequence_length=None, use_sequence_length=False)
    assert rev.list_arguments() == ['seq']
    out = rev.bind(mx.cpu(), {'seq': mx.nd.array([[1, 2], [3, 4]])}).forward()[0]
    np.testing.assert_array_equal(out.asnumpy(), [[3, 4], [1, 2]])
