"""The benchmark workloads: networks from examples/models with their input shapes, built with
whichever module plays `mx` (mxsym, or MXNet 1.9.1 in the comparison worker)."""
import importlib
import os
import sys

EXAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, 'examples')


def _models():
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
    return _models().lenet.get_symbol(10)


def resnet20(mx):
    return _models().resnet.get_symbol(10, num_layers=20, image_shape=(3, 28, 28))


def resnet18(mx):
    return _models().resnet.get_symbol(1000, num_layers=18, image_shape=(3, 224, 224))


def inception_bn(mx):
    return _models().inception_bn.get_symbol(1000)


def mobilenet(mx):
    return _models().mobilenet.get_symbol(1000)


# name: (builder, data shape)
WORKLOADS = {
    'mlp': (mlp, (256, 784)),
    'lenet': (lenet, (64, 1, 28, 28)),
    'resnet20': (resnet20, (32, 3, 28, 28)),
    'resnet18': (resnet18, (8, 3, 224, 224)),
    'inception_bn': (inception_bn, (8, 3, 224, 224)),
    'mobilenet': (mobilenet, (8, 3, 224, 224)),
}
