"""Tests for mxsym/ops/pooling.py: golden cases recorded from MXNet 1.9.1, shape inference
that allocates nothing, and MXNet's parameter bounds."""
import re
import tracemalloc

import pytest

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'pooling')


@pytest.mark.parametrize('count_include_pad', [True, False])
def test_avg_pooling_shape_inference_allocates_nothing_for_huge_pads(count_include_pad):
    """The divisor of each window is made inside the program: inferring the shape of a
    200003 x 200003 output must not build it on the host."""
    net = mx.sym.Pooling(mx.sym.var('data'), kernel=(2, 2), pad=(100000, 100000),
                         pool_type='avg', count_include_pad=count_include_pad)
    tracemalloc.start()
    try:
        _, out_shapes, _ = net.infer_shape(data=(1, 1, 4, 4))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert out_shapes == [(1, 1, 200003, 200003)]
    assert peak < 64 * 2 ** 20


@pytest.mark.parametrize('kwargs, key', [
    ({'stride': (0, 0)}, 'stride'), ({'kernel': (0, 0)}, 'kernel'), ({'pad': (-2, 0)}, 'pad'),
])
def test_parameter_bounds_name_the_parameter(kwargs, key):
    with pytest.raises(mx.MXNetError, match=r'pooling\d+ \(Pooling\): value %s for Parameter %s '
                       r'should be greater equal to' % (re.escape(str(kwargs[key])), key)):
        mx.sym.Pooling(mx.sym.var('data'), **dict({'kernel': (2, 2)}, **kwargs))


@pytest.mark.parametrize('kwargs, message', [
    ({'kernel': (2, 2, 2, 2)}, r'4D pooling not supported'),
    ({'kernel': (2, 2), 'stride': (1,)}, r'stride needs a value for each of the 2 dimensions'),
    ({}, r'0D pooling not supported'),
])
def test_window_lengths_are_checked(kwargs, message):
    with pytest.raises(mx.MXNetError, match=message):
        mx.sym.Pooling(mx.sym.var('data'), **kwargs)
    mx.sym.Pooling(mx.sym.var('data'), global_pool=True)   # no kernel needed


@pytest.mark.parametrize('shape, kwargs, message', [
    ((1, 1, 4, 4), {'kernel': (2, 2), 'pad': (0, 0, 0), 'stride': (2, 2)},
     r'pools 1-D data only'),
    ((1, 1, 10), {'kernel': (2,), 'pad': (2,)}, r'disables pad.*but pad is \(2,\)'),
    ((1, 1, 10), {'kernel': (2,)}, r'disables pad.*but pad is \(0,\)'),
    ((1, 1, 10), {'kernel': (2,), 'pad': (0, 1, 0)}, r'disables pad'),
])
def test_same_convention_rules(shape, kwargs, message):
    """'same' pools 1-D data, with pad spelled out as three zeros, as MXNet 1.9.1 checks."""
    data = mx.nd.ones(shape)
    with pytest.raises(mx.MXNetError, match=message):
        mx.nd.Pooling(data, pooling_convention='same', **dict({'stride': 2}, **kwargs))
    net = mx.sym.Pooling(mx.sym.var('data'), pooling_convention='same',
                         **dict({'stride': 2}, **kwargs))
    with pytest.raises(mx.MXNetError, match=message):
        net.infer_shape(data=shape)


def test_same_convention_output_length_is_input_over_stride():
    out = mx.nd.Pooling(mx.nd.ones((1, 1, 10)), kernel=2, stride=3, pad=(0, 0, 0),
                        pooling_convention='same')
    assert out.shape == (1, 1, 4)
    assert mx.nd.Pooling(mx.nd.ones((1, 1, 10)), global_pool=True,
                         pooling_convention='same').shape == (1, 1, 1)
