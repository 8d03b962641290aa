"""mx.autograd on the eager tape: gradients and second-order gradients against MXNet 1.9.1's
(tests/golden/autograd.npz, recorded by tests/golden/make_autograd_golden.py), and MXNet's
rules for recording scopes, grad_req, retained graphs and custom Functions."""
import os
import sys

import numpy as np
import pytest

import mxsym as mx
from mxsym import autograd, nd
from mxsym.base import MXNetError

GOLDEN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'golden')
sys.path.insert(0, GOLDEN_DIR)
from autograd_cases import CASES, inputs_for  # noqa: E402

GOLDEN = np.load(os.path.join(GOLDEN_DIR, 'autograd.npz'))


@pytest.mark.parametrize('name', sorted(CASES))
def test_gradients_match_mxnet(name):
    expression, shapes, _ = CASES[name]
    arrays = [nd.array(v) for v in inputs_for(name, shapes)]
    for a in arrays:
        a.attach_grad()
    with autograd.record():
        out = eval(expression, {'nd': nd, 'x': arrays[0], 'y': arrays[-1]})
    out.backward(nd.array(GOLDEN[name + '/head']))
    np.testing.assert_allclose(out.asnumpy(), GOLDEN[name + '/out'], rtol=1e-5, atol=1e-6)
    for i, a in enumerate(arrays):
        np.testing.assert_allclose(a.grad.asnumpy(), GOLDEN['%s/grad%d' % (name, i)],
                                   rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize('name', sorted(n for n, case in CASES.items() if case[2]))
def test_second_order_gradients_match_mxnet(name):
    expression, shapes, _ = CASES[name]
    x = nd.array(inputs_for(name, shapes)[0])
    x.attach_grad()
    with autograd.record():
        y = eval(expression, {'nd': nd, 'x': x})
        dx = autograd.grad(y, [x], head_grads=nd.array(GOLDEN[name + '/head']),
                           create_graph=True)[0]
    dx.backward(nd.array(GOLDEN[name + '/head2']))
    np.testing.assert_allclose(x.grad.asnumpy(), GOLDEN[name + '/grad_of_grad'],
                               rtol=1e-4, atol=1e-5)


def test_scopes_set_and_restore_modes():
    assert not autograd.is_recording() and not autograd.is_training()
    with autograd.record():
        assert autograd.is_recording() and autograd.is_training()
        with autograd.predict_mode():
            assert autograd.is_recording() and not autograd.is_training()
        with autograd.pause():
            assert not autograd.is_recording() and not autograd.is_training()
    assert not autograd.is_recording() and not autograd.is_training()


def test_dropout_mask_is_replayed_in_backward():
    x = nd.ones((10, 10))
    x.attach_grad()
    with autograd.record():
        y = nd.Dropout(x, p=0.5)
    y.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), y.asnumpy())
    assert set(np.unique(y.asnumpy())) <= {0.0, 2.0}


@pytest.mark.parametrize('grad_req, expected', [('write', 2), ('add', 4)])
def test_grad_req(grad_req, expected):
    x = nd.ones((2,))
    x.attach_grad(grad_req=grad_req)
    for _ in range(2):
        with autograd.record():
            y = x * 2
        y.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), [expected] * 2)


def test_errors_as_mxnet():
    x = nd.ones((2,))
    with autograd.record():
        y = x * 2
    with pytest.raises(MXNetError, match='not in a computational graph'):
        y.backward()
    x.attach_grad(grad_req='null')
    with autograd.record():
        y = x * 2
    with pytest.raises(MXNetError, match='requires a gradient'):
        y.backward()
    x.attach_grad()
    with autograd.record():
        y = x * 2
    y.backward()
    with pytest.raises(MXNetError, match='not in a computational graph'):
        y.backward()
    with autograd.record():
        y = x * 2
        with pytest.raises(MXNetError, match=r'Inplace operations .* already in'):
            y[:] = 1
        target = nd.zeros((3,))
        with pytest.raises(MXNetError, match=r'Inplace operations .* value written'):
            target[1:] = y
        copy = nd.zeros(y.shape)
        copy[:] = y   # a whole-array write is a copy, as in MXNet
    with pytest.raises(MXNetError, match='unreachable'):
        z = nd.ones((2,))
        z.attach_grad()
        autograd.grad(y, [z])


def test_retain_graph_and_detach():
    x = nd.ones((2,))
    x.attach_grad(grad_req='add')
    with autograd.record():
        y = x * 3 + x.detach()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), [6, 6])


def test_function_uses_the_user_backward():
    class Halved(autograd.Function):
        def forward(self, x):
            return x * 2

        def backward(self, dy):
            return dy * 0.5

    x = nd.ones((3,))
    x.attach_grad()
    with autograd.record():
        y = Halved()(x)
    y.backward()
    np.testing.assert_array_equal(y.asnumpy(), [2, 2, 2])
    np.testing.assert_array_equal(x.grad.asnumpy(), [0.5, 0.5, 0.5])


def test_get_symbol_has_one_argument_per_leaf():
    x, z = nd.ones((1,)), nd.ones((1,))
    x.attach_grad()
    z.attach_grad()
    with autograd.record():
        y = x * x + 2 * z - 1
    assert len(autograd.get_symbol(y).list_arguments()) == 2


def test_cached_op_is_differentiable():
    op = nd.CachedOp(mx.sym.FullyConnected(num_hidden=2, no_bias=True))
    data, weight = nd.ones((3, 4)), nd.ones((2, 4))
    weight.attach_grad()
    with autograd.record():
        out = op(data, weight)
    out.backward()
    np.testing.assert_array_equal(out.asnumpy(), np.full((3, 2), 4))
    np.testing.assert_array_equal(weight.grad.asnumpy(), np.full((2, 4), 3))


@pytest.mark.parametrize('dtype', ['int32', 'int64'])
def test_integer_arrays_get_integer_gradients(dtype):
    """MXNet computes gradients of integer arrays in their dtype, through op and indexing."""
    x = nd.array([[1, 2, 3], [4, 5, 6]], dtype=dtype)
    mask = nd.array([1, 0])
    x.attach_grad()
    with autograd.record():
        y = nd.contrib.boolean_mask(x, mask).sum() + (x[1] * 3).sum() + x.reshape((3, 2))[0, 1]
    y.backward()
    assert x.grad.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(x.grad.asnumpy(), [[1, 2, 1], [3, 3, 3]])


def test_integer_gradients_accumulate_with_grad_req_add():
    x = nd.array([5, 6, 7], dtype='int32')
    x.attach_grad(grad_req='add')
    for _ in range(3):
        with autograd.record():
            y = nd.take(x, nd.array([0, 2, 2]))
        y.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), [3, 0, 6])


@pytest.mark.parametrize('dtype', ['float32', 'int32'])
@pytest.mark.parametrize('head_shape', [(4, 2), (8,), (2, 3)])
def test_head_gradient_is_read_by_elements_as_mxnet(dtype, head_shape):
    # MXNet 1.9.1 reads the head's number of elements from the array given: y = 2x + 1 on a
    # 3x2 x with arange(8) as (4, 2) or (8,), or arange(6) as (2, 3), gives 0, 2, ..., 10
    x = nd.ones((3, 2), dtype=dtype)
    x.attach_grad()
    with autograd.record():
        y = x * 2 + 1
    head = nd.arange(int(np.prod(head_shape)), dtype=dtype).reshape(head_shape)
    if head.size > y.size:
        with pytest.warns(UserWarning, match=r'its first 6 elements are used'):
            y.backward(head)
    else:
        y.backward(head)
    np.testing.assert_array_equal(x.grad.asnumpy().ravel(), [0, 2, 4, 6, 8, 10])


@pytest.mark.parametrize('dtype', ['float32', 'int32'])
def test_head_gradient_of_fewer_elements_is_refused(dtype):
    x = nd.ones((3, 2), dtype=dtype)
    x.attach_grad()
    with autograd.record():
        y = x * 2
    with pytest.raises(MXNetError, match=r'head gradient of shape \(2, 2\) was given for a head '
                                         r'of shape \(3, 2\) \(fewer elements\)'):
        y.backward(nd.ones((2, 2), dtype=dtype))
