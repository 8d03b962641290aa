"""Golden tests for mxsym/ops/hawkes.py against MXNet 1.9.1: the Hawkes process log likelihood."""
import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'hawkes')
