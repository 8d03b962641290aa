"""Golden cases for mxsym/ops/im2col.py (recorded from MXNet 1.9.1 by make_ops_golden.py)."""
from op_cases import case


def cases():
    # 2-D only: MXNet 1.9.1's CPU kernels fail on 1-D and 3-D blocks.
    im2col = [
        ('im2col_2d', (2, 3, 4, 5), {'kernel': (2, 2)}),
        ('im2col_2d_stride_pad', (1, 2, 5, 6), {'kernel': (3, 2), 'stride': (2, 1),
                                                'pad': (1, 1)}),
        ('im2col_2d_dilate', (1, 2, 6, 6), {'kernel': (2, 2), 'dilate': (2, 2), 'pad': (1, 0)}),
    ]
    col2im = [
        ('col2im_2d', (2, 12, 12), {'output_size': (4, 5), 'kernel': (2, 2)}),
        ('col2im_2d_stride_pad', (1, 12, 21),
         {'output_size': (5, 6), 'kernel': (3, 2), 'stride': (2, 1), 'pad': (1, 1)}),
        ('col2im_2d_dilate', (1, 8, 24),
         {'output_size': (6, 6), 'kernel': (2, 2), 'dilate': (2, 2), 'pad': (1, 0)}),
    ]
    return ([case(name, 'im2col', {'data': shape}, kwargs) for name, shape, kwargs in im2col]
            + [case(name, 'col2im', {'data': shape}, kwargs) for name, shape, kwargs in col2im]
            + [case('im2col_float64', 'im2col', {'data': (1, 2, 4, 4)},
                    {'kernel': (3, 3), 'pad': (1, 1)}, dtype='float64'),
               case('col2im_float16', 'col2im', {'data': (1, 18, 16)},
                    {'output_size': (4, 4), 'kernel': (3, 3), 'pad': (1, 1)},
                    dtype='float16')])
