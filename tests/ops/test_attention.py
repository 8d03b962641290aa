"""Golden tests for mxsym/ops/attention.py against MXNet 1.9.1: the interleaved multi-head attention matmuls and div_sqrt_dim."""
import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'attention')
