"""Golden tests for mxsym/ops/quantization.py against MXNet 1.9.1 (quantize, quantize_v2,
dequantize), the round trip through mx.nd.contrib, and the type rules."""
import numpy as np
import pytest

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'quantization')


def test_round_trip_through_nd_contrib():
    data = mx.nd.array([[0.1392, 0.5928], [0.6027, 0.8579]])
    quantized, low, high = mx.nd.contrib.quantize(data, mx.nd.array([0.0]), mx.nd.array([1.0]),
                                                  out_type='int8')
    assert quantized.dtype == np.int8 and (low.asscalar(), high.asscalar()) == (-1.0, 1.0)
    np.testing.assert_array_equal(quantized.asnumpy(), [[18, 75], [77, 109]])
    restored = mx.nd.contrib.dequantize(quantized, low, high)
    np.testing.assert_allclose(restored.asnumpy(), np.array([[18, 75], [77, 109]]) / 127.5,
                               rtol=1e-6)


def test_dequantize_takes_only_quantized_data():
    sym = mx.sym.contrib.dequantize(mx.sym.Variable('data'), mx.sym.Variable('lo'),
                                    mx.sym.Variable('hi'))
    with pytest.raises(mx.MXNetError, match='dequantize: the input data type must be uint8'):
        sym.infer_type(data='float32')


def test_quantize_takes_float32_data():
    sym = mx.sym.contrib.quantize(mx.sym.Variable('data'), mx.sym.Variable('lo'),
                                  mx.sym.Variable('hi'))
    with pytest.raises(mx.MXNetError, match='quantize: data must be float32'):
        sym.infer_type(data='float64')
