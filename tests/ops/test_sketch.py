"""Tests for mxsym/ops/sketch.py: khatri_rao against MXNet 1.9.1's golden data; count_sketch,
fft and ifft, which MXNet 1.9.1 runs on GPU only, against the transforms they are documented
to compute (numpy's), with MXNet's shapes and its unnormalised inverse."""
import numpy as np
import pytest

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'sketch')

RNG = np.random.RandomState(7)


def run(sym, inputs, head):
    """(output, {input: gradient}) of one forward and backward."""
    exe = sym.simple_bind(mx.cpu(), **{name: value.shape for name, value in inputs.items()})
    for name, value in inputs.items():
        exe.arg_dict[name][:] = value
    exe.forward(is_train=True)
    exe.backward([mx.nd.array(head)])
    return exe.outputs[0].asnumpy(), {k: v.asnumpy() for k, v in exe.grad_dict.items()}


def interleave(values):
    return np.stack([values.real, values.imag], -1).reshape(values.shape[:-1] + (-1,))


@pytest.mark.parametrize('shape', [(3, 4), (2, 1, 2, 5)])
def test_fft(shape):
    data = RNG.randn(*shape).astype(np.float32)
    head = RNG.randn(*shape[:-1], 2 * shape[-1]).astype(np.float32)
    sym = mx.sym.contrib.fft(mx.sym.Variable('data'))
    assert sym.infer_shape(data=shape)[1] == [shape[:-1] + (2 * shape[-1],)]
    out, grads = run(sym, {'data': data}, head)
    np.testing.assert_allclose(out, interleave(np.fft.fft(data)), rtol=1e-5, atol=1e-5)
    spectrum = head[..., 0::2] + 1j * head[..., 1::2]
    expected = (np.fft.ifft(spectrum) * shape[-1]).real
    np.testing.assert_allclose(grads['data'], expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize('shape', [(3, 8), (1, 2, 2, 6)])
def test_ifft(shape):
    data = RNG.randn(*shape).astype(np.float32)
    head = RNG.randn(*shape[:-1], shape[-1] // 2).astype(np.float32)
    sym = mx.sym.contrib.ifft(mx.sym.Variable('data'))
    assert sym.infer_shape(data=shape)[1] == [shape[:-1] + (shape[-1] // 2,)]
    out, grads = run(sym, {'data': data}, head)
    spectrum = data[..., 0::2] + 1j * data[..., 1::2]
    expected = (np.fft.ifft(spectrum) * spectrum.shape[-1]).real
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(grads['data'], interleave(np.fft.fft(head)), rtol=1e-5,
                               atol=1e-5)


def test_fft_round_trip():
    """ifft(fft(x)) is x times the length: MXNet leaves the inverse unnormalised."""
    data = RNG.randn(2, 6).astype(np.float32)
    out = mx.nd.contrib.ifft(mx.nd.contrib.fft(mx.nd.array(data)))
    np.testing.assert_allclose(out.asnumpy(), 6 * data, rtol=1e-5, atol=1e-5)


def test_fft_rank():
    with pytest.raises(mx.MXNetError, match='2-D or 4-D'):
        mx.sym.contrib.fft(mx.sym.Variable('data')).infer_shape(data=(2, 3, 4))


@pytest.mark.parametrize('shape', [(3, 5), (2, 1, 2, 5)])
def test_count_sketch(shape):
    data = RNG.randn(*shape).astype(np.float32)
    buckets = np.array([[0, 3, 1, 3, 2]], np.float32)
    signs = np.array([[1, -1, -1, 1, 1]], np.float32)
    sym = mx.sym.contrib.count_sketch(mx.sym.Variable('data'), mx.sym.Variable('h'),
                                      mx.sym.Variable('s'), out_dim=4)
    assert sym.infer_shape(data=shape, h=(1, 5), s=(1, 5))[1] == [shape[:-1] + (4,)]
    head = RNG.randn(*shape[:-1], 4).astype(np.float32)
    out, grads = run(sym, {'data': data, 'h': buckets, 's': signs}, head)
    expected = np.zeros(shape[:-1] + (4,), np.float32)
    for i, (bucket, sign) in enumerate(zip(buckets[0].astype(int), signs[0])):
        expected[..., bucket] += sign * data[..., i]
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(grads['data'], signs[0] * head[..., buckets[0].astype(int)],
                               rtol=1e-6)
    assert not grads['h'].any() and not grads['s'].any()
