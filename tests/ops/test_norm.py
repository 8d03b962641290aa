"""Golden tests for mxsym/ops/norm.py against MXNet 1.9.1: InstanceNorm, LayerNorm, GroupNorm,
L2Normalization and LRN."""

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'norm')
