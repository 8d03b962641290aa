"""Golden cases for mxsym/ops/correlation.py (recorded from MXNet 1.9.1 by
make_ops_golden.py)."""
from op_cases import case


def cases():
    shapes = {'data1': (2, 3, 5, 5), 'data2': (2, 3, 5, 5)}
    grid = [
        ('corr_default', {}),
        ('corr_multiply_pad', {'max_displacement': 2, 'pad_size': 2}),
        ('corr_abs_pad', {'max_displacement': 2, 'pad_size': 2, 'is_multiply': False}),
        ('corr_kernel3', {'kernel_size': 3, 'max_displacement': 1, 'pad_size': 2}),
        ('corr_stride1_2', {'kernel_size': 3, 'max_displacement': 1, 'stride1': 2,
                            'pad_size': 2, 'is_multiply': False}),
        ('corr_stride2_2', {'max_displacement': 2, 'stride2': 2, 'pad_size': 2}),
        ('corr_no_pad', {'max_displacement': 1}),
    ]
    cases = [case(name, 'Correlation', shapes, kwargs, variables=('data1', 'data2'))
             for name, kwargs in grid]
    return cases + [
        case('corr_tall', 'Correlation', {'data1': (1, 2, 6, 4), 'data2': (1, 2, 6, 4)},
             {'kernel_size': 3, 'max_displacement': 1, 'stride1': 2, 'pad_size': 2},
             variables=('data1', 'data2')),
        case('corr_float64', 'Correlation', shapes, {'max_displacement': 1, 'pad_size': 1},
             variables=('data1', 'data2'), dtype='float64'),
        case('corr_float16', 'Correlation', {'data1': (1, 2, 4, 4), 'data2': (1, 2, 4, 4)},
             {'max_displacement': 1, 'pad_size': 1}, variables=('data1', 'data2'),
             dtype='float16'),
    ]
