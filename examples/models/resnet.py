"""ResNet and ResNeXt.

Version 1 is the original residual network (He et al., "Deep Residual Learning for Image
Recognition", 2015): convolution, BatchNorm, ReLU, the last ReLU after the addition. Version 2
is the pre-activation network (He et al., "Identity Mappings in Deep Residual Networks", 2016):
BatchNorm and ReLU before each convolution, nothing on the identity path. ``num_group > 1``
gives ResNeXt (Xie et al., "Aggregated Residual Transformations for Deep Neural Networks",
2017): bottleneck units whose 3x3 convolution is split into ``num_group`` groups and is twice
as wide as ResNet's. A strided unit strides in its 3x3 convolution.

Images 32 pixels high or less get the papers' CIFAR networks: a 3x3 stem and three stages of
16, 32 and 64 filters (four times that at a bottleneck's output), 6n+2 layers with basic units
or 9n+2 with bottleneck units (from 164 layers, and always for ResNeXt). Larger images get the
ImageNet networks: a strided 7x7 stem with max pooling, then four stages of 64 to 512 filters
(times four for bottlenecks), 18 to 269 layers.
"""
import mxsym as mx

IMAGENET_UNITS = {18: [2, 2, 2, 2], 34: [3, 4, 6, 3], 50: [3, 4, 6, 3], 101: [3, 4, 23, 3],
                  152: [3, 8, 36, 3], 200: [3, 24, 36, 3], 269: [3, 30, 48, 8]}
BN_EPS = 2e-5
BN_MOMENTUM = 0.9


def conv(data, num_filter, kernel, stride, name, num_group=1):
    """A square convolution without bias (a BatchNorm follows), padded to keep the size."""
    return mx.sym.Convolution(data=data, num_filter=num_filter, kernel=(kernel, kernel),
                              stride=(stride, stride), pad=(kernel // 2, kernel // 2),
                              num_group=num_group, no_bias=True, name=name)


def bn(data, name):
    return mx.sym.BatchNorm(data=data, fix_gamma=False, eps=BN_EPS, momentum=BN_MOMENTUM,
                            name=name)


def relu(data, name):
    return mx.sym.Activation(data=data, act_type='relu', name=name)


def bottleneck_width(num_filter, num_group):
    """Channels inside a bottleneck unit: a quarter of its output, half for ResNeXt."""
    return num_filter // 4 * (2 if num_group > 1 else 1)


def unit_v1(data, num_filter, stride, project, bottleneck, num_group, name):
    """Post-activation residual unit; `project` puts a strided 1x1 convolution on the shortcut."""
    if bottleneck:
        width = bottleneck_width(num_filter, num_group)
        body = relu(bn(conv(data, width, 1, 1, name + '_conv1'), name + '_bn1'), name + '_relu1')
        body = relu(bn(conv(body, width, 3, stride, name + '_conv2', num_group), name + '_bn2'),
                    name + '_relu2')
        body = bn(conv(body, num_filter, 1, 1, name + '_conv3'), name + '_bn3')
    else:
        body = relu(bn(conv(data, num_filter, 3, stride, name + '_conv1'), name + '_bn1'),
                    name + '_relu1')
        body = bn(conv(body, num_filter, 3, 1, name + '_conv2'), name + '_bn2')
    shortcut = data
    if project:
        shortcut = bn(conv(data, num_filter, 1, stride, name + '_sc'), name + '_sc_bn')
    return relu(mx.sym.elemwise_add(body, shortcut, name=name + '_add'), name + '_relu')


def unit_v2(data, num_filter, stride, project, bottleneck, num_group, name):
    """Pre-activation residual unit; a projected shortcut starts from the activated input."""
    act = relu(bn(data, name + '_bn1'), name + '_relu1')
    if bottleneck:
        width = bottleneck_width(num_filter, num_group)
        body = conv(act, width, 1, 1, name + '_conv1')
        body = conv(relu(bn(body, name + '_bn2'), name + '_relu2'), width, 3, stride,
                    name + '_conv2', num_group)
        body = conv(relu(bn(body, name + '_bn3'), name + '_relu3'), num_filter, 1, 1,
                    name + '_conv3')
    else:
        body = conv(act, num_filter, 3, stride, name + '_conv1')
        body = conv(relu(bn(body, name + '_bn2'), name + '_relu2'), num_filter, 3, 1,
                    name + '_conv2')
    shortcut = conv(act, num_filter, 1, stride, name + '_sc') if project else data
    return mx.sym.elemwise_add(body, shortcut, name=name + '_add')


def stage_units(num_layers, cifar, num_group):
    """Units per stage, and whether they are bottleneck units."""
    if not cifar:
        if num_layers not in IMAGENET_UNITS:
            raise ValueError('no ImageNet ResNet has %d layers; choose one of %s'
                             % (num_layers, sorted(IMAGENET_UNITS)))
        return IMAGENET_UNITS[num_layers], num_layers >= 50 or num_group > 1
    bottleneck = num_layers >= 164 or num_group > 1
    layers_per_unit = 9 if bottleneck else 6
    if num_layers < 2 + layers_per_unit or (num_layers - 2) % layers_per_unit:
        raise ValueError('a CIFAR ResNet with %s units has %dn+2 layers, not %d'
                         % ('bottleneck' if bottleneck else 'basic', layers_per_unit, num_layers))
    return [(num_layers - 2) // layers_per_unit] * 3, bottleneck


def get_symbol(num_classes, num_layers=50, image_shape=(3, 224, 224), version=1, num_group=1,
               multiplier=1.0, **kwargs):
    """ResNet (`version` 1 or 2) or ResNeXt (`num_group` > 1) ending in SoftmaxOutput.

    `image_shape` (channels, height, width) picks the CIFAR or the ImageNet layout, and
    `multiplier` scales every layer's channels.
    """
    if version not in (1, 2):
        raise ValueError('ResNet version is 1 or 2, not %r' % (version,))
    cifar = image_shape[1] <= 32
    units, bottleneck = stage_units(num_layers, cifar, num_group)
    base = max(1, int(round((16 if cifar else 64) * multiplier)))
    unit = unit_v1 if version == 1 else unit_v2

    body = mx.sym.Variable('data')
    if cifar:
        body = conv(body, base, 3, 1, 'conv0')
        if version == 1:
            body = relu(bn(body, 'bn0'), 'relu0')
    else:
        body = relu(bn(conv(body, base, 7, 2, 'conv0'), 'bn0'), 'relu0')
        body = mx.sym.Pooling(data=body, kernel=(3, 3), stride=(2, 2), pad=(1, 1),
                              pool_type='max', name='pool0')
    channels = base
    for stage, num_units in enumerate(units):
        num_filter = base * 2**stage * (4 if bottleneck else 1)
        for index in range(num_units):
            first = index == 0
            stride = 2 if first and stage > 0 else 1
            body = unit(body, num_filter, stride, first and (stride > 1 or channels != num_filter),
                        bottleneck, num_group, 'stage%d_unit%d' % (stage + 1, index + 1))
            channels = num_filter
    if version == 2:
        body = relu(bn(body, 'bn1'), 'relu1')
    pool = mx.sym.Pooling(data=body, kernel=(7, 7), global_pool=True, pool_type='avg',
                          name='pool1')
    flat = mx.sym.Flatten(data=pool, name='flatten')
    fc = mx.sym.FullyConnected(data=flat, num_hidden=num_classes, name='fc1')
    return mx.sym.SoftmaxOutput(data=fc, name='softmax')
