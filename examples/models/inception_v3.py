"""Inception-v3 (Szegedy et al., "Rethinking the Inception Architecture for Computer Vision",
2015).

A stem of plain convolutions, then three 35x35 modules, a grid reduction to 17x17, four
modules with factorized 7x7 convolutions (1x7 then 7x1), a reduction to 8x8 and two modules
with expanded 1x3 / 3x1 branches; global average pooling, dropout and the classifier close it.
Every convolution is followed by BatchNorm without a learned scale (MXNet's default
``fix_gamma=True``) and ReLU. The paper's input is 299x299; any input of at least 75x75 works.
"""
import mxsym as mx


class Layers:
    """Builds the network's layers, each convolution `multiplier` times as wide as published."""

    def __init__(self, multiplier):
        self.multiplier = multiplier

    def conv(self, data, num_filter, kernel, name, stride=(1, 1), pad=(0, 0)):
        """Convolution, BatchNorm and ReLU."""
        num_filter = max(1, int(round(num_filter * self.multiplier)))
        conv = mx.sym.Convolution(data=data, num_filter=num_filter, kernel=kernel,
                                  stride=stride, pad=pad, no_bias=True, name=name + '_conv')
        bn = mx.sym.BatchNorm(data=conv, name=name + '_bn')
        return mx.sym.Activation(data=bn, act_type='relu', name=name + '_relu')

    def pool(self, data, pool_type, name, stride=(1, 1), pad=(1, 1)):
        return mx.sym.Pooling(data=data, kernel=(3, 3), stride=stride, pad=pad,
                              pool_type=pool_type, name=name + '_pool')

    def module_35(self, data, pool_features, name):
        """35x35 module: 1x1, 5x5, double 3x3 and pooled branches."""
        branch_1x1 = self.conv(data, 64, (1, 1), name + '_1x1')
        branch_5x5 = self.conv(data, 48, (1, 1), name + '_5x5_reduce')
        branch_5x5 = self.conv(branch_5x5, 64, (5, 5), name + '_5x5', pad=(2, 2))
        branch_3x3 = self.conv(data, 64, (1, 1), name + '_3x3_reduce')
        branch_3x3 = self.conv(branch_3x3, 96, (3, 3), name + '_3x3_0', pad=(1, 1))
        branch_3x3 = self.conv(branch_3x3, 96, (3, 3), name + '_3x3_1', pad=(1, 1))
        branch_pool = self.pool(data, 'avg', name)
        branch_pool = self.conv(branch_pool, pool_features, (1, 1), name + '_proj')
        return mx.sym.Concat(branch_1x1, branch_5x5, branch_3x3, branch_pool,
                             name=name + '_concat')

    def reduction_17(self, data, name):
        """35x35 to 17x17: strided 3x3 and double 3x3 branches beside max pooling."""
        branch_3x3 = self.conv(data, 384, (3, 3), name + '_3x3', stride=(2, 2))
        branch_d3x3 = self.conv(data, 64, (1, 1), name + '_double_3x3_reduce')
        branch_d3x3 = self.conv(branch_d3x3, 96, (3, 3), name + '_double_3x3_0', pad=(1, 1))
        branch_d3x3 = self.conv(branch_d3x3, 96, (3, 3), name + '_double_3x3_1', stride=(2, 2))
        branch_pool = self.pool(data, 'max', name, stride=(2, 2), pad=(0, 0))
        return mx.sym.Concat(branch_3x3, branch_d3x3, branch_pool, name=name + '_concat')

    def module_17(self, data, channels_7x7, name):
        """17x17 module: 7x7 convolutions factorized into 1x7 and 7x1."""
        branch_1x1 = self.conv(data, 192, (1, 1), name + '_1x1')
        branch_7x7 = self.conv(data, channels_7x7, (1, 1), name + '_7x7_reduce')
        branch_7x7 = self.conv(branch_7x7, channels_7x7, (1, 7), name + '_7x7_0', pad=(0, 3))
        branch_7x7 = self.conv(branch_7x7, 192, (7, 1), name + '_7x7_1', pad=(3, 0))
        branch_d7x7 = self.conv(data, channels_7x7, (1, 1), name + '_double_7x7_reduce')
        for index, (kernel, pad) in enumerate([((7, 1), (3, 0)), ((1, 7), (0, 3))] * 2):
            num_filter = 192 if index == 3 else channels_7x7
            branch_d7x7 = self.conv(branch_d7x7, num_filter, kernel,
                                    name + '_double_7x7_%d' % index, pad=pad)
        branch_pool = self.pool(data, 'avg', name)
        branch_pool = self.conv(branch_pool, 192, (1, 1), name + '_proj')
        return mx.sym.Concat(branch_1x1, branch_7x7, branch_d7x7, branch_pool,
                             name=name + '_concat')

    def reduction_8(self, data, name):
        """17x17 to 8x8: strided 3x3 branches beside max pooling."""
        branch_3x3 = self.conv(data, 192, (1, 1), name + '_3x3_reduce')
        branch_3x3 = self.conv(branch_3x3, 320, (3, 3), name + '_3x3', stride=(2, 2))
        branch_7x7 = self.conv(data, 192, (1, 1), name + '_7x7x3_reduce')
        branch_7x7 = self.conv(branch_7x7, 192, (1, 7), name + '_7x7x3_0', pad=(0, 3))
        branch_7x7 = self.conv(branch_7x7, 192, (7, 1), name + '_7x7x3_1', pad=(3, 0))
        branch_7x7 = self.conv(branch_7x7, 192, (3, 3), name + '_7x7x3_2', stride=(2, 2))
        branch_pool = self.pool(data, 'max', name, stride=(2, 2), pad=(0, 0))
        return mx.sym.Concat(branch_3x3, branch_7x7, branch_pool, name=name + '_concat')

    def split_1x3_3x1(self, data, name):
        """Side-by-side 1x3 and 3x1 convolutions of the same input."""
        return [self.conv(data, 384, (1, 3), name + '_1x3', pad=(0, 1)),
                self.conv(data, 384, (3, 1), name + '_3x1', pad=(1, 0))]

    def module_8(self, data, name):
        """8x8 module: 3x3 branches expanded into parallel 1x3 and 3x1 convolutions."""
        branch_1x1 = self.conv(data, 320, (1, 1), name + '_1x1')
        branch_3x3 = self.conv(data, 384, (1, 1), name + '_3x3_reduce')
        branch_3x3 = self.split_1x3_3x1(branch_3x3, name + '_3x3')
        branch_d3x3 = self.conv(data, 448, (1, 1), name + '_double_3x3_reduce')
        branch_d3x3 = self.conv(branch_d3x3, 384, (3, 3), name + '_double_3x3_0', pad=(1, 1))
        branch_d3x3 = self.split_1x3_3x1(branch_d3x3, name + '_double_3x3_1')
        branch_pool = self.pool(data, 'avg', name)
        branch_pool = self.conv(branch_pool, 192, (1, 1), name + '_proj')
        return mx.sym.Concat(branch_1x1, *branch_3x3, *branch_d3x3, branch_pool,
                             name=name + '_concat')


def get_symbol(num_classes, multiplier=1.0, dropout=0.2, **kwargs):
    """Inception-v3 ending in SoftmaxOutput; `multiplier` scales every layer's channels and
    `dropout` is the drop probability before the classifier."""
    layers = Layers(multiplier)
    body = mx.sym.Variable('data')
    body = layers.conv(body, 32, (3, 3), 'conv1', stride=(2, 2))
    body = layers.conv(body, 32, (3, 3), 'conv2')
    body = layers.conv(body, 64, (3, 3), 'conv3', pad=(1, 1))
    body = layers.pool(body, 'max', 'stem1', stride=(2, 2), pad=(0, 0))
    body = layers.conv(body, 80, (1, 1), 'conv4')
    body = layers.conv(body, 192, (3, 3), 'conv5')
    body = layers.pool(body, 'max', 'stem2', stride=(2, 2), pad=(0, 0))
    for name, pool_features in [('mixed_5b', 32), ('mixed_5c', 64), ('mixed_5d', 64)]:
        body = layers.module_35(body, pool_features, name)
    body = layers.reduction_17(body, 'mixed_6a')
    for name, channels_7x7 in [('mixed_6b', 128), ('mixed_6c', 160), ('mixed_6d', 160),
                               ('mixed_6e', 192)]:
        body = layers.module_17(body, channels_7x7, name)
    body = layers.reduction_8(body, 'mixed_7a')
    for name in ['mixed_7b', 'mixed_7c']:
        body = layers.module_8(body, name)
    pool = mx.sym.Pooling(data=body, kernel=(8, 8), global_pool=True, pool_type='avg',
                          name='global_pool')
    drop = mx.sym.Dropout(data=pool, p=dropout, name='dropout')
    flat = mx.sym.Flatten(data=drop, name='flatten')
    fc = mx.sym.FullyConnected(data=flat, num_hidden=num_classes, name='fc1')
    return mx.sym.SoftmaxOutput(data=fc, name='softmax')
