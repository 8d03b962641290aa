"""Golden tests for mxsym/ops/spatial.py against MXNet 1.9.1: GridGenerator, BilinearSampler,
SpatialTransformer and ROIPooling."""

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'spatial')
