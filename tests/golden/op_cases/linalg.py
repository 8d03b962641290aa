"""Golden cases for mxsym/ops/linalg.py (recorded from MXNet 1.9.1 by make_ops_golden.py)."""
from op_cases import case


def cases():
    def dot(case_id, lhs, rhs, kwargs=None, dtype='float32', op='dot'):
        return case(case_id, op, {'lhs': lhs, 'rhs': rhs}, kwargs, variables=('lhs', 'rhs'),
                    dtype=dtype)

    def gemm(case_id, a, b, kwargs=None, dtype='float32', c=None):
        shapes = {'A': a, 'B': b}
        if c is not None:
            shapes['C'] = c
        return case(case_id, 'linalg_gemm', shapes, kwargs, variables=('A', 'B', 'C'),
                    dtype=dtype)

    def gemm2(case_id, a, b, kwargs=None, dtype='float32'):
        return case(case_id, 'linalg_gemm2', {'A': a, 'B': b}, kwargs, variables=('A', 'B'),
                    dtype=dtype)

    return [
        dot('dot_2d', (3, 4), (4, 5)),
        dot('dot_transpose_a', (4, 3), (4, 5), {'transpose_a': True}),
        dot('dot_transpose_b', (3, 4), (5, 4), {'transpose_b': True}),
        dot('dot_transpose_both', (4, 3), (5, 4), {'transpose_a': True, 'transpose_b': True}),
        dot('dot_1d_1d', (4,), (4,)),
        dot('dot_2d_1d', (3, 4), (4,)),
        dot('dot_1d_2d', (4,), (4, 5)),
        dot('dot_3d_2d', (2, 3, 4), (4, 5)),
        dot('dot_3d_3d', (2, 3, 4), (4, 5, 2)),
        dot('dot_2d_3d', (3, 4), (4, 2, 2)),
        dot('dot_3d_2d_transpose_a', (4, 3, 2), (4, 5), {'transpose_a': True}),
        dot('dot_3d_2d_transpose_b', (2, 3, 4), (5, 4), {'transpose_b': True}),
        dot('dot_float64', (3, 4), (4, 2), dtype='float64'),

        dot('batch_dot_3d', (2, 3, 4), (2, 4, 5), op='batch_dot'),
        dot('batch_dot_transpose_a', (2, 4, 3), (2, 4, 5), {'transpose_a': True}, op='batch_dot'),
        dot('batch_dot_transpose_b', (3, 2, 4), (3, 5, 4), {'transpose_b': True}, op='batch_dot'),
        dot('batch_dot_transpose_both', (2, 4, 3), (2, 5, 4),
            {'transpose_a': True, 'transpose_b': True}, op='batch_dot'),
        dot('batch_dot_4d', (2, 3, 2, 4), (2, 3, 4, 3), op='batch_dot'),
        dot('batch_dot_4d_transpose_b', (2, 2, 3, 4), (2, 2, 5, 4), {'transpose_b': True},
            op='batch_dot'),
        dot('batch_dot_float64', (2, 3, 4), (2, 4, 2), dtype='float64', op='batch_dot'),

        gemm('gemm_2d', (3, 4), (4, 5)),
        gemm('gemm_alpha_beta', (3, 4), (4, 5), {'alpha': 2.5, 'beta': -0.5}),
        gemm('gemm_beta_zero', (3, 4), (4, 2), {'beta': 0.0}),
        gemm('gemm_transpose_a', (4, 3), (4, 5), {'transpose_a': True, 'alpha': 0.3}),
        gemm('gemm_transpose_b', (3, 4), (5, 4), {'transpose_b': True}),
        gemm('gemm_transpose_both', (4, 3), (5, 4), {'transpose_a': True, 'transpose_b': True}),
        gemm('gemm_batched', (2, 3, 4), (2, 4, 5), {'alpha': 0.5, 'beta': 2.0}),
        gemm('gemm_c_given', (2, 3, 4), (2, 4, 5), c=(2, 3, 5)),
        gemm('gemm_axis_1_4d', (2, 3, 4, 5), (2, 5, 4, 6), {'axis': 1}),
        gemm('gemm_axis_0_3d', (3, 2, 4), (4, 2, 5), {'axis': 0, 'transpose_b': False}),
        gemm('gemm_axis_minus3_transpose', (4, 2, 3), (5, 2, 4),
             {'axis': -3, 'transpose_a': True, 'transpose_b': True}),
        gemm('gemm_float64', (2, 3, 4), (2, 4, 2), {'alpha': 1.7, 'beta': 0.3}, dtype='float64'),

        gemm2('gemm2_2d', (3, 4), (4, 5)),
        gemm2('gemm2_alpha', (3, 4), (4, 5), {'alpha': -1.5}),
        gemm2('gemm2_transpose_a', (4, 3), (4, 5), {'transpose_a': True}),
        gemm2('gemm2_transpose_b', (3, 4), (5, 4), {'transpose_b': True, 'alpha': 0.25}),
        gemm2('gemm2_batched_4d', (2, 2, 3, 4), (2, 2, 4, 3)),
        gemm2('gemm2_axis_0', (3, 2, 4), (4, 2, 5), {'axis': 0}),
        gemm2('gemm2_axis_1_transpose_a', (2, 4, 2, 3), (2, 4, 2, 5),
              {'axis': 1, 'transpose_a': True}),
        gemm2('gemm2_float64', (3, 4), (4, 2), {'alpha': 0.7}, dtype='float64'),
    ]
