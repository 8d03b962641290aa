"""Golden cases for mxsym/ops/spatial.py (recorded from MXNet 1.9.1 by make_ops_golden.py)."""
from op_cases import case


def cases():
    sampler = {'data': (2, 2, 4, 5), 'grid': (2, 2, 3, 3)}
    transformer = {'data': (2, 2, 4, 5), 'loc': (2, 6)}
    st_kwargs = {'target_shape': (3, 4), 'transform_type': 'affine', 'sampler_type': 'bilinear'}
    cases = [
        case('grid_affine', 'GridGenerator', {'data': (2, 6)},
             {'transform_type': 'affine', 'target_shape': (3, 4)}),
        case('grid_warp', 'GridGenerator', {'data': (2, 2, 3, 4)}, {'transform_type': 'warp'}),
        # Grid values beyond [-1, 1] read zeros outside the image.
        case('bilinear_sampler', 'BilinearSampler', sampler, variables=tuple(sampler)),
        case('bilinear_sampler_upscale', 'BilinearSampler',
             {'data': (1, 3, 2, 3), 'grid': (1, 2, 4, 5)}, variables=('data', 'grid')),
        case('bilinear_sampler_float16', 'BilinearSampler', sampler, variables=tuple(sampler),
             dtype='float16'),
        case('bilinear_sampler_float64', 'BilinearSampler', sampler, variables=tuple(sampler),
             dtype='float64'),
        case('spatial_transformer', 'SpatialTransformer', transformer, st_kwargs,
             variables=tuple(transformer)),
        case('spatial_transformer_float64', 'SpatialTransformer', transformer, st_kwargs,
             variables=tuple(transformer), dtype='float64'),
    ]
    rois = {'data': (2, 2, 6, 7), 'rois': (4, 5)}
    roi = [
        # Small integer boxes in images 0 and 1.
        ('roi_pool', {'pooled_size': (2, 2), 'spatial_scale': 1.0}, 'ints:0:1'),
        # Image indices past the batch give zeros; boxes may be reversed or empty.
        ('roi_pool_wide_boxes', {'pooled_size': (3, 2), 'spatial_scale': 1.0}, 'ints:0:6'),
        ('roi_pool_scaled', {'pooled_size': (2, 3), 'spatial_scale': 0.5}, 'ints:0:12'),
        ('roi_pool_1x1', {'pooled_size': (1, 1), 'spatial_scale': 0.25}, 'ints:0:24'),
    ]
    cases += [case(name, 'ROIPooling', rois, kwargs, variables=tuple(rois),
                   values={'rois': recipe}) for name, kwargs, recipe in roi]
    cases += [
        case('roi_pool_float16', 'ROIPooling', rois, {'pooled_size': (2, 2), 'spatial_scale': 1.0},
             variables=tuple(rois), values={'rois': 'ints:0:1'}, dtype='float16'),
        case('roi_pool_float64', 'ROIPooling', rois, {'pooled_size': (3, 3), 'spatial_scale': 0.5},
             variables=tuple(rois), values={'rois': 'ints:0:10'}, dtype='float64'),
    ]
    return cases
