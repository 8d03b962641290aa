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


def _rotated_rois_case(case_id, data, kwargs, rois=5, center='uniform:-5:35',
                       size='uniform:0:30', dtype='float32'):
    """RROIAlign on rois (R, 6) = [image, centre x, centre y, width, height, degrees];
    MXNet registers no gradient for it."""
    options = ', '.join('%s=%r' % item for item in kwargs.items())
    call = ('mx.sym.contrib.RROIAlign(data, mx.sym.concat(image, center, size, angle, dim=1), '
            '%s)' % options)
    shapes = {'data': data, 'image': (rois, 1), 'center': (rois, 2), 'size': (rois, 2),
              'angle': (rois, 1)}
    values = {'image': 'ints:0:%d' % (data[0] - 1), 'center': center, 'size': size,
              'angle': 'uniform:-180:180'}
    return expr(case_id, call, shapes, values=values, dtype=dtype, grad_req='null')


def _deformable_case(case_id, data, kwargs, rois=3, classes=None, dtype='float32'):
    """DeformablePSROIPooling, with trans (R, 2 * classes, part, part) unless no_trans."""
    if kwargs.get('no_trans'):
        return _rois_case(case_id, 'mx.sym.contrib.DeformablePSROIPooling', data, kwargs,
                          rois=rois, corner='uniform:-3:8', dtype=dtype)
    part = kwargs.get('part_size') or kwargs['pooled_size']
    case = _rois_case(case_id, 'mx.sym.contrib.DeformablePSROIPooling', data, kwargs,
                      rois=rois, corner='uniform:-3:8', dtype=dtype)
    case['op'] = case['op'].replace('dim=1), ', 'dim=1), trans, ')
    case['variables'].append('trans')
    case['shapes']['trans'] = (rois, 2 * (classes or kwargs['output_dim']), part, part)
    case['types']['trans'] = dtype
    return case


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
        _rotated_rois_case('rroi_adaptive_samples', (2, 3, 8, 9),
                           {'pooled_size': (2, 3), 'spatial_scale': 0.25}),
        _rotated_rois_case('rroi_sampling_ratio', (2, 3, 8, 9),
                           {'pooled_size': (3, 2), 'spatial_scale': 0.5, 'sampling_ratio': 2}),
        _rotated_rois_case('rroi_float64', (2, 2, 7, 7),
                           {'pooled_size': (2, 2), 'spatial_scale': 1.0}, dtype='float64'),
        _deformable_case('deformable_psroi_no_trans', (2, 8, 6, 6),
                         {'spatial_scale': 1.0, 'output_dim': 2, 'group_size': 2,
                          'pooled_size': 2, 'sample_per_part': 2, 'no_trans': True}),
        _deformable_case('deformable_psroi_trans', (2, 18, 7, 6),
                         {'spatial_scale': 0.5, 'output_dim': 2, 'group_size': 3,
                          'pooled_size': 3, 'sample_per_part': 3, 'trans_std': 0.1}),
        _deformable_case('deformable_psroi_part_size', (1, 12, 6, 6),
                         {'spatial_scale': 1.0, 'output_dim': 3, 'group_size': 2,
                          'pooled_size': 3, 'part_size': 2, 'sample_per_part': 2,
                          'trans_std': 0.2}, classes=1),
        _deformable_case('deformable_psroi_float64', (2, 8, 5, 5),
                         {'spatial_scale': 1.0, 'output_dim': 2, 'group_size': 2,
                          'pooled_size': 2, 'sample_per_part': 2, 'trans_std': 0.1},
                         dtype='float64'),
    ]
