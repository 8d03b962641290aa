"""Golden tests for mxsym/ops/linalg.py against MXNet 1.9.1: dot, batch_dot, linalg_gemm,
linalg_gemm2."""

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'linalg')
