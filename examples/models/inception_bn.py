"""Inception with Batch Normalization (Ioffe and Szegedy, "Batch Normalization: Accelerating
Deep Network Training by Reducing Internal Covariate Shift", 2015).

GoogLeNet with BatchNorm after every convolution, each 5x5 convolution replaced by two 3x3
ones, average pooling in most modules, and the grid reduced inside modules 3c and 4e (strided
3x3 branches beside a max-pooling pass-through) instead of by pooling between them. Global
average pooling closes it, so any input of at least 32x32 works; the paper's is 224x224.
"""
import mxsym as mx

# (1x1, 3x3 reduce, 3x3, double 3x3 reduce, double 3x3, pool type, pool projection); a
# reduction module has no 1x1 branch and no projection.
MODULES = [
    ('3a', (64, 64, 64, 64, 96, 'avg', 32)),
    ('3b', (64, 64, 96, 64, 96, 'avg', 64)),
    ('3c', (0, 128, 160, 64, 96, 'max', 0)),
    ('4a', (224, 64, 96, 96, 128, 'avg', 128)),
    ('4b', (192, 96, 128, 96, 128, 'avg', 128)),
    ('4c', (160, 128, 160, 128, 160, 'avg', 128)),
    ('4d', (96, 128, 192, 160, 192, 'avg', 128)),
    ('4e', (0, 128, 192, 192, 256, 'max', 0)),
    ('5a', (352, 192, 320, 160, 224, 'avg', 128)),
    ('5b', (352, 192, 320, 192, 224, 'max', 128)),
]


def conv_bn_relu(data, num_filter, kernel, stride, pad, name):
    conv = mx.sym.Convolution(data=data, num_filter=num_filter, kernel=kernel, stride=stride,
                              pad=pad, no_bias=True, name=name + '_conv')
    bn = mx.sym.BatchNorm(data=conv, fix_gamma=False, eps=1e-5, name=name + '_bn')
    return mx.sym.Activation(data=bn, act_type='relu', name=name + '_relu')


def inception_module(data, filters, name):
    """One module; without a 1x1 branch it is a reduction module that halves the grid."""
    num_1x1, num_3x3_reduce, num_3x3, num_d3x3_reduce, num_d3x3, pool_type, num_proj = filters
    reduce_grid = num_1x1 == 0
    stride = (2, 2) if reduce_grid else (1, 1)
    branches = []
    if not reduce_grid:
        branches.append(conv_bn_relu(data, num_1x1, (1, 1), (1, 1), (0, 0), name + '_1x1'))
    branch = conv_bn_relu(data, num_3x3_reduce, (1, 1), (1, 1), (0, 0), name + '_3x3_reduce')
    branches.append(conv_bn_relu(branch, num_3x3, (3, 3), stride, (1, 1), name + '_3x3'))
    branch = conv_bn_relu(data, num_d3x3_reduce, (1, 1), (1, 1), (0, 0),
                          name + '_double_3x3_reduce')
    branch = conv_bn_relu(branch, num_d3x3, (3, 3), (1, 1), (1, 1), name + '_double_3x3_0')
    branches.append(conv_bn_relu(branch, num_d3x3, (3, 3), stride, (1, 1),
                                 name + '_double_3x3_1'))
    pool = mx.sym.Pooling(data=data, kernel=(3, 3), stride=stride, pad=(1, 1),
                          pool_type=pool_type, name=name + '_pool')
    if not reduce_grid:
        pool = conv_bn_relu(pool, num_proj, (1, 1), (1, 1), (0, 0), name + '_proj')
    branches.append(pool)
    return mx.sym.Concat(*branches, name=name + '_concat')


def get_symbol(num_classes, multiplier=1.0, **kwargs):
    """Inception-BN ending in SoftmaxOutput; `multiplier` scales every layer's channels."""
    def scaled(channels):
        return max(1, int(round(channels * multiplier))) if channels else 0

    data = mx.sym.Variable('data')
    body = conv_bn_relu(data, scaled(64), (7, 7), (2, 2), (3, 3), 'conv1')
    body = mx.sym.Pooling(data=body, kernel=(3, 3), stride=(2, 2), pad=(1, 1), pool_type='max',
                          name='pool1')
    body = conv_bn_relu(body, scaled(64), (1, 1), (1, 1), (0, 0), 'conv2_reduce')
    body = conv_bn_relu(body, scaled(192), (3, 3), (1, 1), (1, 1), 'conv2')
    body = mx.sym.Pooling(data=body, kernel=(3, 3), stride=(2, 2), pad=(1, 1), pool_type='max',
                          name='pool2')
    for name, filters in MODULES:
        body = inception_module(body, [scaled(f) if isinstance(f, int) else f for f in filters],
                                'inception_' + name)
    pool = mx.sym.Pooling(data=body, kernel=(7, 7), global_pool=True, pool_type='avg',
                          name='global_pool')
    flat = mx.sym.Flatten(data=pool, name='flatten')
    fc = mx.sym.FullyConnected(data=flat, num_hidden=num_classes, name='fc1')
    return mx.sym.SoftmaxOutput(data=fc, name='softmax')
