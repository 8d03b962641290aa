"""Golden tests for mxsym/ops/pointwise.py against MXNet 1.9.1: quadratic, allclose, gradientmultiplier and the straight-through estimators."""
import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'pointwise')
