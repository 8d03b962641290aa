"""AlexNet (Krizhevsky, Sutskever and Hinton, "ImageNet Classification with Deep Convolutional
Neural Networks", 2012), as one tower.

Five convolutions (11x11 stride 4, 5x5, then three 3x3) with ReLU, local response
normalization after the first two, overlapping 3x3 max pooling with stride 2 after the first,
second and fifth; two 4096-unit fully connected layers with dropout, then the classifier. The
paper's 55x55 first feature map and 6x6 last one come from 227x227 inputs; any input of at
least 67x67 works.
"""
import mxsym as mx


def get_symbol(num_classes, multiplier=1.0, num_hidden=4096, dropout=0.5, **kwargs):
    """AlexNet ending in SoftmaxOutput: `multiplier` scales every convolution's channels,
    `num_hidden` is the width of the two hidden fully connected layers and `dropout` the drop
    probability after each."""
    def scaled(channels):
        return max(1, int(round(channels * multiplier)))

    def conv_relu(data, num_filter, kernel, stride, pad, index):
        conv = mx.sym.Convolution(data=data, num_filter=scaled(num_filter), kernel=kernel,
                                  stride=stride, pad=pad, name='conv%d' % index)
        return mx.sym.Activation(data=conv, act_type='relu', name='relu%d' % index)

    def lrn(data, index):
        return mx.sym.LRN(data=data, alpha=1e-4, beta=0.75, knorm=2, nsize=5,
                          name='norm%d' % index)

    def max_pool(data, index):
        return mx.sym.Pooling(data=data, kernel=(3, 3), stride=(2, 2), pool_type='max',
                              name='pool%d' % index)

    body = mx.sym.Variable('data')
    body = max_pool(lrn(conv_relu(body, 96, (11, 11), (4, 4), (0, 0), 1), 1), 1)
    body = max_pool(lrn(conv_relu(body, 256, (5, 5), (1, 1), (2, 2), 2), 2), 2)
    body = conv_relu(body, 384, (3, 3), (1, 1), (1, 1), 3)
    body = conv_relu(body, 384, (3, 3), (1, 1), (1, 1), 4)
    body = max_pool(conv_relu(body, 256, (3, 3), (1, 1), (1, 1), 5), 5)
    body = mx.sym.Flatten(data=body, name='flatten')
    for index in (6, 7):
        body = mx.sym.FullyConnected(data=body, num_hidden=num_hidden, name='fc%d' % index)
        body = mx.sym.Activation(data=body, act_type='relu', name='relu%d' % index)
        body = mx.sym.Dropout(data=body, p=dropout, name='drop%d' % index)
    fc = mx.sym.FullyConnected(data=body, num_hidden=num_classes, name='fc8')
    return mx.sym.SoftmaxOutput(data=fc, name='softmax')
