"""Golden tests for mxsym/ops/softmax.py against MXNet 1.9.1: softmax, log_softmax, softmin,
SoftmaxActivation."""

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'softmax')
