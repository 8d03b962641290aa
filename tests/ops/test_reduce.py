"""Golden tests for mxsym/ops/reduce.py against MXNet 1.9.1: sum, mean, prod, nansum, nanprod, max,
min, norm, argmax, argmin, argmax_channel, moments."""

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'reduce')
