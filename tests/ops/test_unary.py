"""Golden tests for mxsym/ops/unary.py against MXNet 1.9.1: the elementwise math ops, clip,
hard_sigmoid, BlockGrad and the identities, in float16/32/64 and integer dtypes."""
import pytest

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'unary')


def test_hard_sigmoid_refuses_integers():
    """MXNet's hard_sigmoid kernel takes floating-point data only."""
    data = mx.sym.Variable('data')
    with pytest.raises(mx.MXNetError, match='only support floating point types'):
        exe = mx.sym.hard_sigmoid(data).simple_bind(mx.cpu(), data=(2, 3),
                                                    type_dict={'data': 'int32'})
        exe.forward()
