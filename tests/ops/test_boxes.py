"""Golden tests for mxsym/ops/boxes.py against MXNet 1.9.1: box IoU and NMS, box_encode,
box_decode and bipartite_matching."""
import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'boxes')
