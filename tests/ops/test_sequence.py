"""Golden tests for mxsym/ops/sequence.py against MXNet 1.9.1: SequenceMask, SequenceLast,
SequenceReverse."""

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'sequence')
