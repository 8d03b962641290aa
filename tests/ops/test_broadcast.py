"""Golden tests for mxsym/ops/broadcast.py against MXNet 1.9.1: the broadcast_* binary ops and
add_n, plus MXNet's shape inference for them on partial and incompatible shapes."""
import re

import pytest

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'broadcast')


def broadcast_add():
    return mx.sym.broadcast_add(mx.sym.Variable('a'), mx.sym.Variable('b'))


@pytest.mark.parametrize('given, out', [
    ({'a': (2, 0), 'b': (2, 3)}, (2, 0)),
    ({'a': (2, 3), 'b': (0, 3)}, (0, 3)),
    ({'a': (2, 1), 'b': (0, 3)}, (0, 3)),
    ({'a': (0, 0), 'b': (2, 3)}, (0, 0)),
    ({'a': (2, 3)}, ()),
])
def test_partial_shapes_stay_partial(given, out):
    """An unknown dim on either side leaves that output dim unknown, and no input is filled in
    from the other (MXNet waits for both)."""
    args, outs, _ = broadcast_add().infer_shape_partial(**given)
    assert outs == [out]
    assert args == [given.get('a', ()), given.get('b', ())]


def test_inputs_are_not_inferred_from_the_output():
    total = broadcast_add() + mx.sym.Variable('c')
    args, outs, _ = total.infer_shape_partial(c=(2, 3), a=(2, 3))
    assert args == [(2, 3), (), (2, 3)]
    assert outs == [(2, 3)]


@pytest.mark.parametrize('lhs, rhs, shapes', [((2, 3), (4, 3), '[2,3] [4,3]'),
                                               ((2, 3), (2,), '[2,3] [2]')])
def test_incompatible_shapes(lhs, rhs, shapes):
    message = 'operands could not be broadcast together with shapes ' + shapes
    with pytest.raises(mx.MXNetError, match=re.escape(message)):
        broadcast_add().infer_shape(a=lhs, b=rhs)


def test_add_n_shapes_must_match():
    total = mx.sym.add_n(mx.sym.Variable('a'), mx.sym.Variable('b'))
    with pytest.raises(mx.MXNetError):
        total.infer_shape(a=(2, 3), b=(1, 3))
