"""Golden cases for mxsym/ops/linalg.py (recorded from MXNet 1.9.1 by make_ops_golden.py)."""
from op_cases import case, expr


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

    def la(case_id, op, a, kwargs=None, dtype='float32', values='normal'):
        """A one-input linalg op on matrices A made by the `values` recipe."""
        return case(case_id, op, {'A': a}, kwargs, variables=('A',), dtype=dtype,
                    values={'A': values})

    def tri(case_id, op, a, b, kwargs=None, dtype='float32'):
        """trmm or trsm; A is positive definite so that its triangles are well conditioned."""
        return case(case_id, op, {'A': a, 'B': b}, kwargs, variables=('A', 'B'), dtype=dtype,
                    values={'A': 'spd'})

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

        la('potrf', 'linalg.potrf', (3, 3), values='spd'),
        la('potrf_batched_float64', 'linalg.potrf', (2, 3, 3), dtype='float64', values='spd'),
        la('potrf_upper', 'linalg.potrf', (2, 3, 3), {'lower': False}, values='spd'),
        la('potrf_alias', 'linalg_potrf', (2, 2, 2, 2), dtype='float64', values='spd'),
        # B fills the triangle the op does not read: no effect forward, MXNet's gradient backward.
        expr('potrf_reads_lower', 'mx.sym.linalg.potrf(A + mx.sym.linalg.maketrian(B, offset=1))',
             {'A': (3, 3), 'B': (3,)}, values={'A': 'spd'}),
        expr('potrf_upper_reads_upper',
             'mx.sym.linalg.potrf(A + mx.sym.linalg.maketrian(B, offset=-1), lower=False)',
             {'A': (2, 3, 3), 'B': (2, 3)}, values={'A': 'spd'}, dtype='float64'),
        expr('potri_reads_lower', 'mx.sym.linalg.potri(A + mx.sym.linalg.maketrian(B, offset=1))',
             {'A': (3, 3), 'B': (3,)}, values={'A': 'spd'}, dtype='float64'),
        expr('trsm_reads_lower', 'mx.sym.linalg.trsm(A + mx.sym.linalg.maketrian(C, offset=1), B)',
             {'A': (3, 3), 'B': (3, 2), 'C': (3,)}, values={'A': 'spd'}, dtype='float64'),
        expr('syevd_reads_lower', 'mx.sym.linalg.syevd(A + mx.sym.linalg.maketrian(B, offset=1))',
             {'A': (2, 3, 3), 'B': (2, 3)}, values={'A': 'spd'}, dtype='float64'),
        la('potri', 'linalg.potri', (3, 3), values='spd'),
        la('potri_batched_float64', 'linalg_potri', (2, 3, 3), dtype='float64', values='spd'),
        la('potri_upper', 'linalg.potri', (2, 3, 3), {'lower': False}, dtype='float64',
           values='spd'),

        tri('trmm', 'linalg.trmm', (3, 3), (3, 2)),
        tri('trmm_transpose_alpha', 'linalg.trmm', (3, 3), (3, 4),
            {'transpose': True, 'alpha': 2.5}),
        tri('trmm_rightside', 'linalg.trmm', (2, 3, 3), (2, 4, 3), {'rightside': True}),
        tri('trmm_upper_rightside_transpose', 'linalg_trmm', (2, 3, 3), (2, 2, 3),
            {'lower': False, 'rightside': True, 'transpose': True}, dtype='float64'),
        tri('trmm_upper_float64', 'linalg.trmm', (2, 2, 3, 3), (2, 2, 3, 2),
            {'lower': False, 'alpha': -0.5}, dtype='float64'),
        tri('trsm', 'linalg.trsm', (3, 3), (3, 2)),
        tri('trsm_transpose_alpha', 'linalg.trsm', (3, 3), (3, 4),
            {'transpose': True, 'alpha': 2.5}),
        tri('trsm_rightside', 'linalg.trsm', (2, 3, 3), (2, 4, 3), {'rightside': True}),
        tri('trsm_upper_rightside_transpose', 'linalg_trsm', (2, 3, 3), (2, 2, 3),
            {'lower': False, 'rightside': True, 'transpose': True}, dtype='float64'),
        tri('trsm_upper_float64', 'linalg.trsm', (2, 2, 3, 3), (2, 2, 3, 2),
            {'lower': False, 'alpha': -0.5}, dtype='float64'),

        la('sumlogdiag', 'linalg.sumlogdiag', (3, 3), values='positive'),
        la('sumlogdiag_batched_float64', 'linalg_sumlogdiag', (2, 2, 3, 3), dtype='float64',
           values='positive'),
        la('syrk', 'linalg.syrk', (3, 4)),
        la('syrk_transpose_alpha', 'linalg.syrk', (2, 3, 4), {'transpose': True, 'alpha': 0.5}),
        la('syrk_float64', 'linalg_syrk', (2, 2, 3), {'alpha': -1.5}, dtype='float64'),

        la('gelqf', 'linalg.gelqf', (2, 4)),
        la('gelqf_square_float64', 'linalg.gelqf', (3, 3), dtype='float64'),
        la('gelqf_batched_float64', 'linalg_gelqf', (2, 2, 3), dtype='float64'),
        la('syevd', 'linalg.syevd', (3, 3), dtype='float64', values='spd'),
        la('syevd_batched', 'linalg.syevd', (2, 3, 3), values='spd'),
        la('syevd_4d_float64', 'linalg.syevd', (2, 2, 2, 2), dtype='float64', values='spd'),

        la('inverse', 'linalg.inverse', (3, 3), values='spd'),
        la('inverse_batched_float64', 'linalg_inverse', (2, 3, 3), dtype='float64'),
        la('det', 'linalg.det', (3, 3)),
        la('det_batched_float64', 'linalg_det', (2, 2, 3, 3), dtype='float64'),
        la('slogdet', 'linalg.slogdet', (3, 3)),
        la('slogdet_batched_float64', 'linalg_slogdet', (3, 2, 2), dtype='float64'),
        # Singular matrices (zero diagonal, nonzero above it): MXNet's gradient is zero.
        expr('det_singular', 'mx.sym.linalg.det(mx.sym.linalg.makediag(B, offset=1))',
             {'B': (2, 2)}, dtype='float64'),
        expr('slogdet_singular', 'mx.sym.linalg.slogdet(mx.sym.linalg.makediag(B, offset=1))',
             {'B': (2, 2)}, dtype='float64'),

        la('extractdiag', 'linalg.extractdiag', (3, 3)),
        la('extractdiag_above', 'linalg.extractdiag', (2, 4, 4), {'offset': 1}),
        la('extractdiag_below_float64', 'linalg_extractdiag', (2, 4, 4), {'offset': -2},
           dtype='float64'),
        la('makediag', 'linalg.makediag', (3,)),
        la('makediag_above', 'linalg.makediag', (2, 3), {'offset': 2}),
        la('makediag_below_float64', 'linalg_makediag', (2, 2, 2), {'offset': -1},
           dtype='float64'),
        la('extracttrian', 'linalg.extracttrian', (3, 3)),
        la('extracttrian_upper', 'linalg.extracttrian', (2, 3, 3), {'lower': False}),
        la('extracttrian_above', 'linalg.extracttrian', (2, 4, 4), {'offset': 1}),
        la('extracttrian_below_float64', 'linalg_extracttrian', (2, 4, 4), {'offset': -2},
           dtype='float64'),
        la('maketrian', 'linalg.maketrian', (6,)),
        la('maketrian_upper', 'linalg.maketrian', (2, 6), {'lower': False}),
        la('maketrian_above', 'linalg.maketrian', (2, 3), {'offset': 1}),
        la('maketrian_below_float64', 'linalg_maketrian', (2, 2, 3), {'offset': -2},
           dtype='float64'),
    ]
