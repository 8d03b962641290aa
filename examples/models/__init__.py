"""Example networks written with MXNet's Symbol API, one module per family.

Each module's ``get_symbol(num_classes, ...)`` returns the network as a Symbol ending in
``SoftmaxOutput``. Its defaults build the published full-size network; its keyword arguments
make smaller ones (a width multiplier, fewer units, smaller inputs where the layout allows).
The modules use only MXNet 1.x's public Symbol API: with their ``import mxsym as mx`` turned
into ``import mxnet as mx`` they build the same graphs in MXNet 1.9.1.
"""
from . import (alexnet, googlenet, inception_bn, inception_v3, lenet, lstm_lm, mobilenet,
               resnet, vgg)

MODELS = {
    'alexnet': alexnet,
    'googlenet': googlenet,
    'inception_bn': inception_bn,
    'inception_v3': inception_v3,
    'lenet': lenet,
    'lstm_lm': lstm_lm,
    'mobilenet': mobilenet,
    'resnet': resnet,
    'vgg': vgg,
}
