"""Golden cases for mxsym/ops/deformable.py (recorded from MXNet 1.9.1 by make_ops_golden.py).
Offsets up to 2.5 pixels send samples past the data's edges."""
from op_cases import case, expr

GRID = [
    ('3x3', (2, 3, 5, 5), (2, 18, 3, 3), {'kernel': (3, 3), 'num_filter': 2}),
    ('pad_stride', (1, 2, 6, 5), (1, 12, 3, 3),
     {'kernel': (3, 2), 'stride': (2, 2), 'pad': (1, 1), 'num_filter': 3}),
    ('dilate_no_bias', (1, 2, 6, 6), (1, 8, 6, 6),
     {'kernel': (2, 2), 'dilate': (2, 2), 'pad': (1, 1), 'num_filter': 2, 'no_bias': True}),
    ('groups', (1, 4, 4, 4), (1, 16, 5, 5),
     {'kernel': (2, 2), 'pad': (1, 1), 'num_filter': 4, 'num_group': 2,
      'num_deformable_group': 2}),
]


def cases():
    values = {'offset': 'uniform:-2.5:2.5'}
    cases = [case('deform_' + name, 'contrib.DeformableConvolution',
                  {'data': data, 'offset': offset}, kwargs, variables=('data', 'offset'),
                  values=values) for name, data, offset, kwargs in GRID]
    cases.append(case('deform_float64', 'contrib.DeformableConvolution',
                      {'data': (1, 2, 4, 4), 'offset': (1, 18, 4, 4)},
                      {'kernel': (3, 3), 'pad': (1, 1), 'num_filter': 2},
                      variables=('data', 'offset'), dtype='float64', values=values))
    return cases + [expr('modulated_' + name, _modulated(data, offset, kwargs), {})
                    for name, data, offset, kwargs in GRID]


def _wave(shape, scale, frequency):
    size = 1
    for dim in shape:
        size *= dim
    return '(%r * mx.sym.sin(%r * mx.sym.arange(%d))).reshape(%r)' % (scale, frequency, size,
                                                                      shape)


def _modulated(data, offset, kwargs):
    """MXNet 1.9.1 has no CPU backward for ModulatedDeformableConvolution, so its cases take
    every input from constant waves: no argument asks for a gradient, and the recording
    checks the forward only."""
    channels = data[1] // kwargs.get('num_group', 1)
    inputs = [_wave(data, 1.0, 0.7), _wave(offset, 2.5, 1.3),
              _wave((offset[0], offset[1] // 2) + offset[2:], 0.5, 0.9),
              _wave((kwargs['num_filter'], channels) + kwargs['kernel'], 1.0, 0.4)]
    if not kwargs.get('no_bias'):
        inputs.append(_wave((kwargs['num_filter'],), 1.0, 2.1))
    return 'mx.sym.contrib.ModulatedDeformableConvolution(%s, %s)' % (
        ', '.join(inputs), ', '.join('%s=%r' % item for item in kwargs.items()))
