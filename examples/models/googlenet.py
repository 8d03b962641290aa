"""GoogLeNet (Szegedy et al., "Going Deeper with Convolutions", 2014), without the auxiliary
classifiers used only in training.

A stem of 7x7, 1x1 and 3x3 convolutions with local response normalization, then nine
Inception modules (parallel 1x1, 3x3, 5x5 convolutions and a projected 3x3 max pooling, the
3x3 and 5x5 behind 1x1 reductions) in three groups separated by strided max pooling; global
average pooling, 40% dropout and the classifier close it. The paper's input is 224x224; any
input of at least 32x32 works.
"""
import mxsym as mx

# (1x1, 3x3 reduce, 3x3, 5x5 reduce, 5x5, pool projection), by group
MODULES = [
    [('3a', (64, 96, 128, 16, 32, 32)),
     ('3b', (128, 128, 192, 32, 96, 64))],
    [('4a', (192, 96, 208, 16, 48, 64)),
     ('4b', (160, 112, 224, 24, 64, 64)),
     ('4c', (128, 128, 256, 24, 64, 64)),
     ('4d', (112, 144, 288, 32, 64, 64)),
     ('4e', (256, 160, 320, 32, 128, 128))],
    [('5a', (256, 160, 320, 32, 128, 128)),
     ('5b', (384, 192, 384, 48, 128, 128))],
]


def conv_relu(data, num_filter, kernel, name, stride=(1, 1), pad=(0, 0)):
    conv = mx.sym.Convolution(data=data, num_filter=num_filter, kernel=kernel, stride=stride,
                              pad=pad, name=name + '_conv')
    return mx.sym.Activation(data=conv, act_type='relu', name=name + '_relu')


def max_pool(data, name, stride):
    return mx.sym.Pooling(data=data, kernel=(3, 3), stride=stride, pad=(1, 1), pool_type='max',
                          name=name)


def lrn(data, name):
    return mx.sym.LRN(data=data, alpha=1e-4, beta=0.75, knorm=1, nsize=5, name=name)


def inception_module(data, filters, name):
    num_1x1, num_3x3_reduce, num_3x3, num_5x5_reduce, num_5x5, num_proj = filters
    branch_1x1 = conv_relu(data, num_1x1, (1, 1), name + '_1x1')
    branch_3x3 = conv_relu(data, num_3x3_reduce, (1, 1), name + '_3x3_reduce')
    branch_3x3 = conv_relu(branch_3x3, num_3x3, (3, 3), name + '_3x3', pad=(1, 1))
    branch_5x5 = conv_relu(data, num_5x5_reduce, (1, 1), name + '_5x5_reduce')
    branch_5x5 = conv_relu(branch_5x5, num_5x5, (5, 5), name + '_5x5', pad=(2, 2))
    branch_pool = max_pool(data, name + '_pool', (1, 1))
    branch_pool = conv_relu(branch_pool, num_proj, (1, 1), name + '_proj')
    return mx.sym.Concat(branch_1x1, branch_3x3, branch_5x5, branch_pool, name=name + '_concat')


def get_symbol(num_classes, multiplier=1.0, dropout=0.4, **kwargs):
    """GoogLeNet ending in SoftmaxOutput; `multiplier` scales every layer's channels and
    `dropout` is the drop probability before the classifier."""
    def scaled(channels):
        return max(1, int(round(channels * multiplier)))

    body = mx.sym.Variable('data')
    body = conv_relu(body, scaled(64), (7, 7), 'conv1', stride=(2, 2), pad=(3, 3))
    body = lrn(max_pool(body, 'pool1', (2, 2)), 'norm1')
    body = conv_relu(body, scaled(64), (1, 1), 'conv2_reduce')
    body = conv_relu(body, scaled(192), (3, 3), 'conv2', pad=(1, 1))
    body = max_pool(lrn(body, 'norm2'), 'pool2', (2, 2))
    for group, modules in enumerate(MODULES):
        if group:
            body = max_pool(body, 'pool%d' % (group + 2), (2, 2))
        for name, filters in modules:
            body = inception_module(body, [scaled(f) for f in filters], 'inception_' + name)
    pool = mx.sym.Pooling(data=body, kernel=(7, 7), global_pool=True, pool_type='avg',
                          name='global_pool')
    drop = mx.sym.Dropout(data=pool, p=dropout, name='dropout')
    flat = mx.sym.Flatten(data=drop, name='flatten')
    fc = mx.sym.FullyConnected(data=flat, num_hidden=num_classes, name='fc1')
    return mx.sym.SoftmaxOutput(data=fc, name='softmax')
