"""LeNet (LeCun et al., "Gradient-Based Learning Applied to Document Recognition", 1998), with
an optional spatial transformer in front (Jaderberg et al., "Spatial Transformer Networks",
2015).

Two 5x5 convolutions with tanh and 2x2 max pooling, a tanh fully connected layer and the
classifier, for 28x28 single-channel digits. With ``spatial_transformer=True`` a localisation
network (two convolutions with pooling and ReLU, then two fully connected layers) predicts an
affine transform per image, and ``SpatialTransformer`` resamples the input with it before
LeNet sees it.
"""
import mxsym as mx


def localisation(data, num_filter, num_hidden):
    """The localisation network: six affine parameters per image."""
    body = data
    for index in (1, 2):
        body = mx.sym.Convolution(data=body, num_filter=num_filter, kernel=(5, 5),
                                  name='stn_conv%d' % index)
        body = mx.sym.Pooling(data=body, kernel=(2, 2), stride=(2, 2), pool_type='max',
                              name='stn_pool%d' % index)
        body = mx.sym.Activation(data=body, act_type='relu', name='stn_relu%d' % index)
    body = mx.sym.FullyConnected(data=body, num_hidden=num_hidden, name='stn_fc1')
    body = mx.sym.Activation(data=body, act_type='relu', name='stn_relu3')
    return mx.sym.FullyConnected(data=body, num_hidden=6, name='stn_fc2')


def get_symbol(num_classes, image_shape=(1, 28, 28), num_filters=(20, 50), num_hidden=500,
               spatial_transformer=False, stn_filters=20, stn_hidden=50, **kwargs):
    """LeNet ending in SoftmaxOutput: `num_filters` convolution filters, `num_hidden` hidden
    units; with `spatial_transformer`, a localisation network of `stn_filters` filters and
    `stn_hidden` hidden units resamples the input to `image_shape`'s height and width first."""
    data = mx.sym.Variable('data')
    body = data
    if spatial_transformer:
        body = mx.sym.SpatialTransformer(data=data,
                                         loc=localisation(data, stn_filters, stn_hidden),
                                         target_shape=tuple(image_shape[1:]),
                                         transform_type='affine', sampler_type='bilinear',
                                         name='stn')
    for index, num_filter in enumerate(num_filters, 1):
        body = mx.sym.Convolution(data=body, num_filter=num_filter, kernel=(5, 5),
                                  name='conv%d' % index)
        body = mx.sym.Activation(data=body, act_type='tanh', name='tanh%d' % index)
        body = mx.sym.Pooling(data=body, kernel=(2, 2), stride=(2, 2), pool_type='max',
                              name='pool%d' % index)
    body = mx.sym.Flatten(data=body, name='flatten')
    body = mx.sym.FullyConnected(data=body, num_hidden=num_hidden, name='fc1')
    body = mx.sym.Activation(data=body, act_type='tanh', name='tanh3')
    fc = mx.sym.FullyConnected(data=body, num_hidden=num_classes, name='fc2')
    return mx.sym.SoftmaxOutput(data=fc, name='softmax')
