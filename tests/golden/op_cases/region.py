"""Golden cases for mxsym/ops/region.py (recorded from MXNet 1.9.1 by make_ops_golden.py)."""
from op_cases import expr


def _rois_case(case_id, op, data, kwargs, rois=3, corner='uniform:-1:5', size='uniform:0:4',
               dtype='float32'):
    """rois (R, 5) = [image, x1, y1, x2, y2] assembled from an image index, a corner and a
    non-negative size, so that boxes are well formed."""
    options = ', '.join('%s=%r' % item for item in kwargs.items())
    call = '%s(data, mx.sym.concat(image, corner, corner + size, dim=1), %s)' % (op, options)
    shapes = {'data': data, 'image': (rois, 1), 'corner': (rois, 2), 'size': (rois, 2)}
    values = {'image': 'ints:0:%d' % (data[0] - 1), 'corner': corner, 'size': size}
    return expr(case_id, call, shapes, values=values, dtype=dtype)


def cases():
    psroi = 'mx.sym.contrib.PSROIPooling'
    return [
        _rois_case('psroi_2x2', psroi, (2, 8, 6, 6),
                   {'spatial_scale': 1.0, 'output_dim': 2, 'pooled_size': 2}),
        _rois_case('psroi_3x3_scale', psroi, (1, 18, 5, 6),
                   {'spatial_scale': 0.5, 'output_dim': 2, 'pooled_size': 3},
                   corner='uniform:0:8', size='uniform:0:6', rois=4),
        _rois_case('psroi_group_size', psroi, (2, 12, 5, 5),
                   {'spatial_scale': 1.0, 'output_dim': 3, 'pooled_size': 3,
                    'group_size': 2}),
        _rois_case('psroi_outside', psroi, (1, 4, 4, 4),
                   {'spatial_scale': 1.0, 'output_dim': 1, 'pooled_size': 2},
                   corner='uniform:-6:6', rois=5),
        _rois_case('psroi_float64', psroi, (2, 8, 5, 5),
                   {'spatial_scale': 1.0, 'output_dim': 2, 'pooled_size': 2}, dtype='float64'),
    ]
