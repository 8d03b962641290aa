"""Golden tests for mxsym/ops/pdf.py against MXNet 1.9.1: the densities of every sampler's
distribution, plain and log, with their gradients."""
import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'pdf')
