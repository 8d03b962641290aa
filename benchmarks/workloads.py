"""The benchmark workloads: networks from examples/models with their input shapes, built with
whichever module plays `mx` (mxsym, or MXNet 1.9.1 in the comparison worker)."""
import importlib
import os
import sys

import numpy as np

EXAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, 'examples')


def example_models():
    """The `models` package of the example networks."""
    if EXAMPLES not in sys.path:
        sys.path.insert(0, EXAMPLES)
    return importlib.import_module('models')


def mlp(mx):
    data = mx.sym.Variable('data')
    net = mx.sym.FullyConnected(data, num_hidden=512, name='fc1')
    net = mx.sym.Activation(net, act_type='relu', name='relu1')
    net = mx.sym.FullyConnected(net, num_hidden=512, name='fc2')
    net = mx.sym.Activation(net, act_type='relu', name='relu2')
    net = mx.sym.FullyConnected(net, num_hidden=10, name='fc3')
    return mx.sym.SoftmaxOutput(net, name='softmax')


def lenet(mx):
    return example_models().lenet.get_symbol(10)


def resnet20(mx):
    return example_models().resnet.get_symbol(10, num_layers=20, image_shape=(3, 28, 28))


def resnet18(mx):
    return example_models().resnet.get_symbol(1000, num_layers=18, image_shape=(3, 224, 224))


def inception_bn(mx):
    return example_models().inception_bn.get_symbol(1000)


def mobilenet(mx):
    return example_models().mobilenet.get_symbol(1000)


def chain(num_layers):
    """A deep narrow MLP: how bind and compile time grow with the number of nodes."""
    def build(mx):
        net = mx.sym.Variable('data')
        for index in range(num_layers):
            net = mx.sym.FullyConnected(net, num_hidden=16, name='fc%d' % index)
            net = mx.sym.Activation(net, act_type='relu', name='relu%d' % index)
        return mx.sym.SoftmaxOutput(net, name='softmax')
    return build


def initial_aux(name, shape):
    """BatchNorm statistics as MXNet's initializers set them: variances one, means zero."""
    return (np.ones if name.endswith('moving_var') else np.zeros)(shape, np.float32)


def grad_reqs(symbol):
    """Gradients for the parameters, none for the data and labels (as a training loop binds)."""
    return {name: 'null' if name in ('data', 'softmax_label') else 'write'
            for name in symbol.list_arguments()}


# name: (builder, data shape)
WORKLOADS = {
    'mlp': (mlp, (256, 784)),
    'lenet': (lenet, (64, 1, 28, 28)),
    'resnet20': (resnet20, (32, 3, 28, 28)),
    'resnet18': (resnet18, (8, 3, 224, 224)),
    'inception_bn': (inception_bn, (8, 3, 224, 224)),
    'mobilenet': (mobilenet, (8, 3, 224, 224)),
    'chain200': (chain(200), (4, 16)),
    'chain1000': (chain(1000), (4, 16)),
}
NETWORKS = ('mlp', 'lenet', 'resnet20', 'resnet18', 'inception_bn', 'mobilenet')
