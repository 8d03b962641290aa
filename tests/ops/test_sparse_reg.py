"""Golden tests for mxsym/ops/sparse_reg.py against MXNet 1.9.1: IdentityAttachKLSparseReg's
identity forward, penalised backward and moving average."""
import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'sparse_reg')
