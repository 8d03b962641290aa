"""MobileNet v1 (Howard et al., "MobileNets: Efficient Convolutional Neural Networks for
Mobile Vision Applications", 2017) and v2 (Sandler et al., "MobileNetV2: Inverted Residuals
and Linear Bottlenecks", 2018).

v1 is a strided 3x3 convolution followed by thirteen depthwise-separable blocks (a depthwise
3x3 convolution, then a pointwise 1x1 one, each with BatchNorm and ReLU). v2 replaces them
with seventeen inverted residual blocks (a 1x1 expansion, a depthwise 3x3 convolution and a
linear 1x1 projection, with a shortcut where the shape allows), ReLU6 activations and a final
1x1 convolution to 1280 channels. Both end in global average pooling and the classifier. The
width multiplier scales every layer, rounded to the nearest whole channel. The papers' input
is 224x224; any input of at least 32x32 works.
"""
import mxsym as mx

# v1: (output channels, stride) of the depthwise-separable blocks
V1_BLOCKS = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + [(512, 1)] * 5 + [
    (1024, 2), (1024, 1)]
# v2: (expansion, output channels, repeats, first stride) of the inverted residual stages
V2_STAGES = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1),
             (6, 160, 3, 2), (6, 320, 1, 1)]


def conv_bn(data, num_filter, kernel, stride, name, num_group=1, act='relu'):
    """Convolution and BatchNorm, then `act`: 'relu', 'relu6' or None (a linear layer)."""
    pad = (kernel // 2, kernel // 2)
    body = mx.sym.Convolution(data=data, num_filter=num_filter, kernel=(kernel, kernel),
                              stride=(stride, stride), pad=pad, num_group=num_group,
                              no_bias=True, name=name + '_conv')
    body = mx.sym.BatchNorm(data=body, fix_gamma=False, eps=1e-5, name=name + '_bn')
    if act == 'relu':
        body = mx.sym.Activation(data=body, act_type='relu', name=name + '_relu')
    elif act == 'relu6':
        body = mx.sym.clip(data=body, a_min=0, a_max=6, name=name + '_relu6')
    return body


def mobilenet_v1(data, scaled):
    body = conv_bn(data, scaled(32), 3, 2, 'conv1')
    channels = scaled(32)
    for index, (num_filter, stride) in enumerate(V1_BLOCKS):
        name = 'block%d' % (index + 1)
        body = conv_bn(body, channels, 3, stride, name + '_dw', num_group=channels)
        channels = scaled(num_filter)
        body = conv_bn(body, channels, 1, 1, name + '_pw')
    return body


def mobilenet_v2(data, scaled):
    body = conv_bn(data, scaled(32), 3, 2, 'conv1', act='relu6')
    channels = scaled(32)
    block = 0
    for expansion, num_filter, repeats, first_stride in V2_STAGES:
        for repeat in range(repeats):
            block += 1
            name = 'block%d' % block
            stride = first_stride if repeat == 0 else 1
            out_channels = scaled(num_filter)
            branch = body
            if expansion != 1:
                branch = conv_bn(branch, channels * expansion, 1, 1, name + '_expand',
                                 act='relu6')
            branch = conv_bn(branch, channels * expansion, 3, stride, name + '_dw',
                             num_group=channels * expansion, act='relu6')
            branch = conv_bn(branch, out_channels, 1, 1, name + '_project', act=None)
            if stride == 1 and channels == out_channels:
                branch = mx.sym.elemwise_add(body, branch, name=name + '_add')
            body, channels = branch, out_channels
    return conv_bn(body, scaled(1280), 1, 1, 'conv_last', act='relu6')


def get_symbol(num_classes, version=1, multiplier=1.0, **kwargs):
    """MobileNet `version` 1 or 2 ending in SoftmaxOutput, `multiplier` times as wide as
    published."""
    builders = {1: mobilenet_v1, 2: mobilenet_v2}
    if version not in builders:
        raise ValueError('MobileNet version is 1 or 2, not %r' % (version,))

    def scaled(channels):
        return max(1, int(round(channels * multiplier)))

    body = builders[version](mx.sym.Variable('data'), scaled)
    pool = mx.sym.Pooling(data=body, kernel=(7, 7), global_pool=True, pool_type='avg',
                          name='global_pool')
    flat = mx.sym.Flatten(data=pool, name='flatten')
    fc = mx.sym.FullyConnected(data=flat, num_hidden=num_classes, name='fc1')
    return mx.sym.SoftmaxOutput(data=fc, name='softmax')
