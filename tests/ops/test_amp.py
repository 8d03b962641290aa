"""Golden tests for mxsym/ops/amp.py against MXNet 1.9.1: amp_cast and amp_multicast."""
import numpy as np
import pytest

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'amp')


@pytest.mark.parametrize('types, cast_narrow, expected', [
    (('float16', 'float32'), False, ['float32', 'float32']),
    (('float16', 'float32'), True, ['float16', 'float16']),
    (('float16', 'float16'), False, ['float16', 'float16']),
    (('float32', 'float64'), True, ['float32', 'float64']),
])
def test_amp_multicast_types(types, cast_narrow, expected):
    """The dtypes MXNet 1.9.1 infers where its reference build cannot run the op."""
    sym = mx.sym.amp_multicast(mx.sym.Variable('a'), mx.sym.Variable('b'), num_outputs=2,
                               cast_narrow=cast_narrow)
    out_types = sym.infer_type(a=types[0], b=types[1])[1]
    assert [np.dtype(t).name for t in out_types] == expected


def test_amp_multicast_runs_float16():
    sym = mx.sym.amp_multicast(mx.sym.Variable('a'), mx.sym.Variable('b'), num_outputs=2)
    exe = sym.simple_bind(mx.cpu(), type_dict={'a': 'float16', 'b': 'float32'}, a=(2,), b=(2,))
    exe.arg_dict['a'][:] = np.array([1.5, -2], np.float16)
    exe.forward(is_train=True)
    assert exe.outputs[0].dtype == np.float32
    np.testing.assert_array_equal(exe.outputs[0].asnumpy(), [1.5, -2])
    exe.backward([mx.nd.ones((2,)), mx.nd.ones((2,))])
    assert exe.grad_dict['a'].dtype == np.float16


def test_amp_multicast_output_names():
    with mx.name.NameManager():
        sym = mx.sym.amp_multicast(mx.sym.Variable('a'), mx.sym.Variable('b'), num_outputs=2)
    assert sym.list_outputs() == ['amp_multicast0_output0', 'amp_multicast0_output1']
