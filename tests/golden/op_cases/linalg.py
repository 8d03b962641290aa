"""Golden cases for mxsym/ops/linalg.py (recorded from MXNet 1.9.1 by make_ops_golden.py)."""
from op_cases import case


def cases():
    def dot(case_id, lhs, rhs, kwargs=None, dtype='float32'):
        return case(case_id, 'dot', {'lhs': lhs, 'rhs': rhs}, kwargs, variables=('lhs', 'rhs'),
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
    ]
