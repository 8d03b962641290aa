"""Export small Gluon networks with MXNet 1.9.1 for tests/test_gluon_models.py.

Run with a Python that has mxnet==1.9.1 installed: python tests/golden/make_gluon_golden.py
Each network is built from the model-zoo classes (tiny widths, 10 classes, no pretrained
weights), given parameter values from a fixed numpy seed, hybridized, run on a fixed input and
exported as ``<name>-symbol.json`` + ``<name>-0000.params``. ``<name>-io.npz`` holds the input, the
inference output and, for ResNet-18 v1, the training-mode output (BatchNorm on batch
statistics).
"""
import os

import mxnet as mx
import numpy as np
from mxnet import autograd, gluon
from mxnet.gluon import nn
from mxnet.gluon.model_zoo import vision

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'gluon')


class SequenceTagger(gluon.HybridBlock):
    """Embedding -> LSTM (the fused RNN op) -> LayerNorm -> Dropout -> Dense(flatten=False)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.embed = nn.Embedding(20, 8)
            self.lstm = gluon.rnn.LSTM(6, num_layers=2, layout='NTC')
            self.norm = nn.LayerNorm()
            self.drop = nn.Dropout(0.3)
            self.tag = nn.Dense(5, flatten=False)

    def hybrid_forward(self, F, tokens):
        return self.tag(self.drop(self.norm(self.lstm(self.embed(tokens)))))


def networks():
    """(name, block, input array, whether to record a training-mode output too: for one
    network, as a check of BatchNorm on batch statistics; training mode is random with
    Dropout)."""
    rng = np.random.RandomState(0)
    return [
        ('resnet18_v1', vision.ResNetV1(vision.BasicBlockV1, [2, 2, 2, 2], [8, 8, 12, 16, 24],
                                        classes=10), image(rng, 32), True),
        ('resnet18_v2', vision.ResNetV2(vision.BasicBlockV2, [2, 2, 2, 2], [8, 8, 12, 16, 24],
                                        classes=10), image(rng, 32), False),
        ('mobilenet_v1', vision.MobileNet(multiplier=0.25, classes=10), image(rng, 32), False),
        ('mobilenet_v2', vision.MobileNetV2(multiplier=0.25, classes=10), image(rng, 32), False),
        # SqueezeNet ends in a 13x13 average pooling: it needs inputs of 215 pixels or more.
        ('squeezenet1_1', vision.SqueezeNet('1.1', classes=10), image(rng, 224), False),
        ('densenet', vision.DenseNet(8, 4, [2, 2], bn_size=2, classes=10),
         image(rng, 56), False),
        ('tagger', SequenceTagger(prefix='tagger_'),
         rng.randint(0, 20, (2, 7)).astype('float32'), False),
    ]


def parameter_values(name, shape, rng):
    """He-scaled weights and small biases on a power-of-two grid (few distinct numbers, so the
    files compress well in version control); non-trivial BatchNorm/LayerNorm statistics and
    scales, so inference depends on them."""
    if name.endswith(('running_var', 'gamma')):
        return rng.randint(8, 25, shape) / 16.0
    if name.endswith(('running_mean', 'beta', 'bias')):
        return rng.randint(-8, 9, shape) / 16.0
    fan_in = int(np.prod(shape[1:]))
    step = 2.0 ** np.round(np.log2(np.sqrt(2.0 / fan_in) / 2))
    return rng.randint(-3, 4, shape) * step


def image(rng, size):
    """A batch (2 images, 1 from 200 pixels on) of multiples of 1/16 in [-1, 1]."""
    return (rng.randint(-16, 17, (2 if size < 200 else 1, 3, size, size)) / 16.0).astype('float32')


def main():
    os.makedirs(HERE, exist_ok=True)
    rng = np.random.RandomState(1)
    for name, net, data, record_training in networks():
        x = mx.nd.array(data)
        net.initialize()
        net.infer_shape(x)
        for param_name, param in net.collect_params().items():
            param.set_data(mx.nd.array(parameter_values(param_name, param.shape, rng)))
        net.hybridize()
        outputs = {'data': data, 'output': net(x).asnumpy()}
        net.export(os.path.join(HERE, name), epoch=0)
        if record_training:
            with autograd.record(train_mode=True):
                outputs['train_output'] = net(x).asnumpy()
        np.savez_compressed(os.path.join(HERE, name + '-io.npz'), **outputs)


if __name__ == '__main__':
    main()
