"""Golden tests for mxsym/ops/elemwise.py against MXNet 1.9.1: arithmetic, comparison and logic
ops, same-shape and with a scalar, reached through Python operators on Symbols, through the
mx.sym helpers, and through saved graphs for the ops that have neither."""
import numpy as np
import pytest

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'elemwise')


def run(symbol, **values):
    """float32 forward in training mode, then backward with a head of ones:
    (output, {name: gradient})."""
    exe = symbol.simple_bind(mx.cpu(), grad_req='write',
                             **{name: np.shape(value) for name, value in values.items()})
    for name, value in values.items():
        exe.arg_dict[name][:] = np.asarray(value, np.float32)
    out = exe.forward(is_train=True)[0]
    exe.backward([mx.nd.ones(out.shape, dtype=out.dtype)])
    return out.asnumpy(), {name: grad.asnumpy() for name, grad in exe.grad_dict.items()}


NAN = float('nan')
LHS, RHS = [1, 2, 3, NAN, 1], [1, 1, 4, 1, NAN]


@pytest.mark.parametrize('op, out, lhs_grad, rhs_grad', [
    ('_maximum', [1, 2, 4, NAN, NAN], [1, 1, 0, 0, 0], [0, 0, 1, 0, 0]),
    ('_minimum', [1, 1, 3, NAN, NAN], [1, 0, 1, 0, 0], [0, 1, 0, 0, 0]),
])
def test_maximum_minimum_nan_and_ties(op, out, lhs_grad, rhs_grad):
    """A NaN on either side gives NaN and no gradient; a tie sends the gradient left (MXNet)."""
    symbol = getattr(mx.sym._internal, op)(mx.sym.Variable('a'), mx.sym.Variable('b'))
    values, grads = run(symbol, a=LHS, b=RHS)
    np.testing.assert_array_equal(values, out)
    np.testing.assert_array_equal(grads['a'], lhs_grad)
    np.testing.assert_array_equal(grads['b'], rhs_grad)


@pytest.mark.parametrize('op, out', [
    ('_logical_and', [0, 0, 0, 1, 0, 1, 0]),
    ('_logical_or', [0, 1, 1, 1, 1, 1, 1]),
    ('_logical_xor', [0, 1, 1, 0, 1, 0, 1]),
    ('_equal', [1, 0, 0, 0, 0, 0, 0]),
    ('_not_equal', [0, 1, 1, 1, 1, 1, 1]),
])
def test_logic_and_comparisons_with_nan(op, out):
    """NaN counts as true in logic and compares unequal to everything, itself included."""
    symbol = getattr(mx.sym._internal, op)(mx.sym.Variable('a'), mx.sym.Variable('b'))
    values, _ = run(symbol, a=[0, 0, 2, -1, NAN, NAN, 0], b=[0, 3, 0, 0.5, 0, NAN, NAN])
    np.testing.assert_array_equal(values, out)


@pytest.mark.parametrize('op, scalar, out', [
    ('_plus_scalar', 2.5, [3.5, 4.5]),
    ('_div_scalar', 2, [0.5, 1.0]),
    ('_equal_scalar', 2, [0.0, 1.0]),
    ('_rpower_scalar', 2.5, [2.5, 6.25]),
])
def test_scalar_not_int_promotes_integers_to_float64(op, scalar, out):
    """is_int=False on integer data computes and returns float64 (MXNet's numpy-style rule);
    MXNet cannot differentiate these, so only the forward is compared."""
    symbol = getattr(mx.sym._internal, op)(mx.sym.Variable('a'), scalar=scalar, is_int=False)
    assert symbol.infer_type(a='int32')[1] == [np.float64]
    exe = symbol.simple_bind(mx.cpu(), grad_req='null', type_dict={'a': 'int32'}, a=(2,))
    exe.arg_dict['a'][:] = np.array([1, 2], np.int32)
    result = exe.forward()[0].asnumpy()
    assert result.dtype == np.float64
    np.testing.assert_array_equal(result, out)
