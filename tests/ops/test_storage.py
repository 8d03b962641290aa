"""Golden tests for mxsym/ops/storage.py against MXNet 1.9.1: cast_storage keeps the values,
forward and backward."""
import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'storage')
