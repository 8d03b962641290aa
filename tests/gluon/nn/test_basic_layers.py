"""mx.gluon.nn basic layers not covered by the golden networks, against numpy."""
import numpy as np

import mxsym as mx
from mxsym.gluon import nn

X = np.random.RandomState(0).rand(2, 4, 5, 5).astype(np.float32)


def test_instance_norm_normalizes_each_sample_and_channel():
    layer = nn.InstanceNorm(in_channels=4)
    layer.initialize()
    mean, var = X.mean(axis=(2, 3), keepdims=True), X.var(axis=(2, 3), keepdims=True)
    np.testing.assert_allclose(layer(mx.nd.array(X)).asnumpy(), (X - mean) / np.sqrt(var + 1e-5),
                               rtol=1e-4, atol=1e-5)


def test_reflection_pad_2d():
    layer = nn.ReflectionPad2D(2)
    layer.hybridize()
    np.testing.assert_array_equal(layer(mx.nd.array(X)).asnumpy(),
                                  np.pad(X, ((0, 0), (0, 0), (2, 2), (2, 2)), mode='reflect'))


def test_sequential_slices_keep_the_type_and_blocks():
    net = nn.HybridSequential()
    layers = [nn.Dense(3), nn.Dense(4), nn.Dense(5)]
    net.add(*layers)
    part = net[1:]
    assert isinstance(part, nn.HybridSequential) and list(part._children.values()) == layers[1:]
    assert net[-1] is layers[2] and len(net) == 3


def test_group_norm_normalizes_each_group():
    layer = nn.GroupNorm(num_groups=2)
    layer.initialize()
    groups = X.reshape(2, 2, -1)
    expected = (groups - groups.mean(axis=2, keepdims=True)) / np.sqrt(
        groups.var(axis=2, keepdims=True) + 1e-5)
    np.testing.assert_allclose(layer(mx.nd.array(X)).asnumpy(), expected.reshape(X.shape),
                               rtol=1e-4, atol=1e-5)
