"""VGG (Simonyan and Zisserman, "Very Deep Convolutional Networks for Large-Scale Image
Recognition", 2014), configurations A, B, D and E: 11, 13, 16 and 19 weight layers.

Five stages of 3x3 convolutions (64 to 512 filters), each closed by 2x2 max pooling, then two
4096-unit fully connected layers with dropout and the classifier. ``batch_norm=True`` puts a
BatchNorm after every convolution, as later trained VGG models do. The paper's input is
224x224; any input of at least 32x32 works.
"""
import mxsym as mx

# convolutions per stage
STAGE_LAYERS = {11: [1, 1, 2, 2, 2], 13: [2, 2, 2, 2, 2], 16: [2, 2, 3, 3, 3],
                19: [2, 2, 4, 4, 4]}
STAGE_FILTERS = [64, 128, 256, 512, 512]


def get_symbol(num_classes, num_layers=16, batch_norm=False, multiplier=1.0, num_hidden=4096,
               dropout=0.5, **kwargs):
    """VGG-`num_layers` ending in SoftmaxOutput: `multiplier` scales every convolution's
    channels, `num_hidden` is the width of the two hidden fully connected layers and `dropout`
    the drop probability after each."""
    if num_layers not in STAGE_LAYERS:
        raise ValueError('no VGG has %d layers; choose one of %s'
                         % (num_layers, sorted(STAGE_LAYERS)))

    def scaled(channels):
        return max(1, int(round(channels * multiplier)))

    body = mx.sym.Variable('data')
    for stage, (num_convs, num_filter) in enumerate(zip(STAGE_LAYERS[num_layers], STAGE_FILTERS)):
        for index in range(num_convs):
            name = '%d_%d' % (stage + 1, index + 1)
            body = mx.sym.Convolution(data=body, num_filter=scaled(num_filter), kernel=(3, 3),
                                      pad=(1, 1), no_bias=batch_norm, name='conv' + name)
            if batch_norm:
                body = mx.sym.BatchNorm(data=body, fix_gamma=False, name='bn' + name)
            body = mx.sym.Activation(data=body, act_type='relu', name='relu' + name)
        body = mx.sym.Pooling(data=body, kernel=(2, 2), stride=(2, 2), pool_type='max',
                              name='pool%d' % (stage + 1))
    body = mx.sym.Flatten(data=body, name='flatten')
    for index in (6, 7):
        body = mx.sym.FullyConnected(data=body, num_hidden=num_hidden, name='fc%d' % index)
        body = mx.sym.Activation(data=body, act_type='relu', name='relu%d' % index)
        body = mx.sym.Dropout(data=body, p=dropout, name='drop%d' % index)
    fc = mx.sym.FullyConnected(data=body, num_hidden=num_classes, name='fc8')
    return mx.sym.SoftmaxOutput(data=fc, name='softmax')
