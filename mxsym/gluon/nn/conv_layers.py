"""Gluon's convolution and pooling layers, over the Convolution, Deconvolution and Pooling
operators."""
from numbers import Number

from ... import symbol
from ..block import HybridBlock
from .activations import Activation


def _tuple(value, length):
    return (value,) * length if isinstance(value, Number) else tuple(value)


def _infer_weight_shapes(op_name, data_shape, kwargs):
    """(weight shape, bias shape) by the operator's own shape rule (unknown in_channels as 0)."""
    data = symbol.var('data', shape=tuple(data_shape))
    arg_shapes = getattr(symbol, op_name)(data, **kwargs).infer_shape_partial()[0]
    return arg_shapes[1], (arg_shapes[2] if len(arg_shapes) > 2 else None)


class _Conv(HybridBlock):
    """A convolution (or transposed convolution, `op_name` Deconvolution) with its weight,
    optional bias and activation."""

    def __init__(self, channels, kernel_size, strides, padding, dilation, groups, layout,
                 in_channels=0, activation=None, use_bias=True, weight_initializer=None,
                 bias_initializer='zeros', op_name='Convolution', adj=None, prefix=None,
                 params=None):
        super().__init__(prefix=prefix, params=params)
        with self.name_scope():
            self._channels = channels
            self._in_channels = in_channels
            dims = len(kernel_size)
            self._op_name = op_name
            self._kwargs = {'kernel': kernel_size, 'stride': _tuple(strides, dims),
                            'dilate': _tuple(dilation, dims), 'pad': _tuple(padding, dims),
                            'num_filter': channels, 'num_group': groups,
                            'no_bias': not use_bias, 'layout': layout}
            if adj is not None:
                self._kwargs['adj'] = _tuple(adj, dims)
            data_shape = [0] * (dims + 2)
            data_shape[layout.find('N')] = 1
            data_shape[layout.find('C')] = in_channels
            weight_shape, bias_shape = _infer_weight_shapes(op_name, data_shape, self._kwargs)
            self.weight = self.params.get('weight', shape=weight_shape,
                                          init=weight_initializer, allow_deferred_init=True)
            self.bias = (self.params.get('bias', shape=bias_shape, init=bias_initializer,
                                         allow_deferred_init=True) if use_bias else None)
            self.act = Activation(activation, prefix=activation + '_') if activation else None

    def _alias(self):
        return 'conv'

    def hybrid_forward(self, F, x, weight, bias=None):
        inputs = (x, weight) if bias is None else (x, weight, bias)
        out = getattr(F, self._op_name)(*inputs, name='fwd', **self._kwargs)
        return self.act(out) if self.act is not None else out

    def __repr__(self):
        shape = self.weight.shape
        return '%s(%s -> %s, kernel_size=%s, stride=%s)' % (
            self.__class__.__name__, shape[1] if len(shape) > 1 and shape[1] else None,
            shape[0], self._kwargs['kernel'], self._kwargs['stride'])


def _conv_class(name, dims, layout, transpose=False):
    """Conv{dims}D or Conv{dims}DTranspose."""
    def __init__(self, channels, kernel_size, strides=1, padding=0, *args, **kwargs):
        positional = ['output_padding'] if transpose else []
        positional += ['dilation', 'groups', 'layout', 'activation', 'use_bias',
                       'weight_initializer', 'bias_initializer', 'in_channels']
        options = {'output_padding': 0, 'dilation': 1, 'groups': 1, 'layout': layout,
                   'activation': None, 'use_bias': True, 'weight_initializer': None,
                   'bias_initializer': 'zeros', 'in_channels': 0}
        if not transpose:
            del options['output_padding']
        options.update(zip(positional, args))
        for key in list(kwargs):
            if key in options:
                options[key] = kwargs.pop(key)
        output_padding = options.pop('output_padding', None)
        _Conv.__init__(self, channels, _tuple(kernel_size, dims), strides, padding,
                       options['dilation'], options['groups'], options['layout'],
                       options['in_channels'], options['activation'], options['use_bias'],
                       options['weight_initializer'], options['bias_initializer'],
                       op_name='Deconvolution' if transpose else 'Convolution',
                       adj=output_padding, **kwargs)
        if transpose:
            self.outpad = _tuple(output_padding, dims)
    doc = '%d-D %sconvolution (layout %s).' % (dims, 'transposed ' if transpose else '', layout)
    return type(name, (_Conv,), {'__init__': __init__, '__doc__': doc})


Conv1D = _conv_class('Conv1D', 1, 'NCW')
Conv2D = _conv_class('Conv2D', 2, 'NCHW')
Conv3D = _conv_class('Conv3D', 3, 'NCDHW')
Conv1DTranspose = _conv_class('Conv1DTranspose', 1, 'NCW', transpose=True)
Conv2DTranspose = _conv_class('Conv2DTranspose', 2, 'NCHW', transpose=True)
Conv3DTranspose = _conv_class('Conv3DTranspose', 3, 'NCDHW', transpose=True)


class _Pooling(HybridBlock):
    """Max or average pooling over windows, or over the whole of each channel (global)."""

    def __init__(self, pool_size, strides, padding, ceil_mode, global_pool, pool_type, layout,
                 count_include_pad=None, **kwargs):
        super().__init__(**kwargs)
        dims = len(pool_size)
        self._kwargs = {'kernel': pool_size,
                        'stride': _tuple(pool_size if strides is None else strides, dims),
                        'pad': _tuple(padding, dims), 'global_pool': global_pool,
                        'pool_type': pool_type, 'layout': layout,
                        'pooling_convention': 'full' if ceil_mode else 'valid'}
        if count_include_pad is not None:
            self._kwargs['count_include_pad'] = count_include_pad

    def _alias(self):
        return 'pool'

    def hybrid_forward(self, F, x):
        return F.Pooling(x, name='fwd', **self._kwargs)

    def __repr__(self):
        return '%s(size=%s, stride=%s, padding=%s, ceil_mode=%s, global_pool=%s, pool_type=%s, '\
               'layout=%s)' % (self.__class__.__name__, self._kwargs['kernel'],
                               self._kwargs['stride'], self._kwargs['pad'],
                               self._kwargs['pooling_convention'] == 'full',
                               self._kwargs['global_pool'], self._kwargs['pool_type'],
                               self._kwargs['layout'])


def _pool_class(name, dims, layout, pool_type):
    """{Max,Avg}Pool{dims}D: windows of `pool_size` moved by `strides` (default the size)."""
    def __init__(self, pool_size=(2,) * dims, strides=None, padding=0, layout=layout,
                 ceil_mode=False, *args, **kwargs):
        count_include_pad = None
        if pool_type == 'avg':
            count_include_pad = args[0] if args else kwargs.pop('count_include_pad', True)
        _Pooling.__init__(self, _tuple(pool_size, dims), strides, padding, ceil_mode, False,
                          pool_type, layout, count_include_pad, **kwargs)
    doc = '%d-D %s pooling (layout %s).' % (dims, pool_type, layout)
    return type(name, (_Pooling,), {'__init__': __init__, '__doc__': doc})


def _global_pool_class(name, dims, layout, pool_type):
    """Global{Max,Avg}Pool{dims}D: one value per channel."""
    def __init__(self, layout=layout, **kwargs):
        _Pooling.__init__(self, (1,) * dims, None, 0, True, True, pool_type, layout, **kwargs)
    doc = 'Global %d-D %s pooling (layout %s).' % (dims, pool_type, layout)
    return type(name, (_Pooling,), {'__init__': __init__, '__doc__': doc})


MaxPool1D = _pool_class('MaxPool1D', 1, 'NCW', 'max')
MaxPool2D = _pool_class('MaxPool2D', 2, 'NCHW', 'max')
MaxPool3D = _pool_class('MaxPool3D', 3, 'NCDHW', 'max')
AvgPool1D = _pool_class('AvgPool1D', 1, 'NCW', 'avg')
AvgPool2D = _pool_class('AvgPool2D', 2, 'NCHW', 'avg')
AvgPool3D = _pool_class('AvgPool3D', 3, 'NCDHW', 'avg')
GlobalMaxPool1D = _global_pool_class('GlobalMaxPool1D', 1, 'NCW', 'max')
GlobalMaxPool2D = _global_pool_class('GlobalMaxPool2D', 2, 'NCHW', 'max')
GlobalMaxPool3D = _global_pool_class('GlobalMaxPool3D', 3, 'NCDHW', 'max')
GlobalAvgPool1D = _global_pool_class('GlobalAvgPool1D', 1, 'NCW', 'avg')
GlobalAvgPool2D = _global_pool_class('GlobalAvgPool2D', 2, 'NCHW', 'avg')
GlobalAvgPool3D = _global_pool_class('GlobalAvgPool3D', 3, 'NCDHW', 'avg')
