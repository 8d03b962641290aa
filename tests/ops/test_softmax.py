"""Golden tests for mxsym/ops/softmax.py against MXNet 1.9.1: softmax, log_softmax, softmin,
SoftmaxActivation."""

import numpy as np

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'softmax')


def test_gradient_arrays_may_have_another_dtype_than_their_arguments():
    """MXNet's softmax writes its data gradient into a float64 array bound for float16 data
    (its operator tests bind such arrays); 'write' and 'add' both work in the array's dtype."""
    data, length = mx.sym.var('data'), mx.sym.var('length')
    net = mx.sym.softmax(data, length, use_length=True, axis=1)
    rng = np.random.RandomState(0)
    x = mx.nd.array(rng.randn(2, 5, 3), dtype='float16')
    lengths = mx.nd.array([[2, 5, 1], [4, 3, 5]], dtype='int32')
    head = mx.nd.array(rng.randn(2, 5, 3), dtype='float16')

    def gradient(dtype, grad_req, start):
        grads = {'data': mx.nd.full((2, 5, 3), start, dtype=dtype),
                 'length': mx.nd.zeros((2, 3), dtype='int32')}
        exe = net.bind(mx.cpu(), args={'data': x, 'length': lengths}, args_grad=grads,
                       grad_req=grad_req)
        exe.forward(is_train=True)
        exe.backward(head)
        return exe.grad_dict['data'].asnumpy()

    same_dtype = gradient('float16', 'write', 0)
    np.testing.assert_array_equal(gradient('float64', 'write', 0), same_dtype.astype(np.float64))
    np.testing.assert_array_equal(gradient('float64', 'add', 0.5),
                                  same_dtype.astype(np.float64) + 0.5)


def test_graphs_bound_under_other_accumulation_settings_get_their_own_programs(monkeypatch):
    """The same graph bound with and without MXNET_SAFE_ACCUMULATION computes each way: the
    setting is part of what names the graph's programs."""
    net = mx.sym.softmax(mx.sym.var('data'), dtype='float64')
    x = np.random.RandomState(3).uniform(size=(4, 301)).astype(np.float16)

    def run():
        exe = net.simple_bind(mx.cpu(), grad_req='null', data=x.shape,
                              type_dict={'data': 'float16'})
        return exe.forward(data=x)[0].asnumpy()

    monkeypatch.delenv('MXNET_SAFE_ACCUMULATION', raising=False)
    narrow = run()
    monkeypatch.setenv('MXNET_SAFE_ACCUMULATION', '1')
    wide = run()
    exact = np.exp(x - x.max(axis=1, keepdims=True).astype(np.float64))
    exact /= exact.sum(axis=1, keepdims=True)
    assert np.abs(wide - exact).max() < 1e-6 < np.abs(narrow - exact).max()
    monkeypatch.delenv('MXNET_SAFE_ACCUMULATION')
    np.testing.assert_array_equal(run(), narrow)
