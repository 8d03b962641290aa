"""Golden cases for mxsym/ops/sparse_reg.py (recorded from MXNet 1.9.1 by make_ops_golden.py)."""
from op_cases import case

ACTIVATIONS = {'data': 'uniform:0.1:0.9', 'moving_avg': 'uniform:0.3:0.7'}


def cases():
    def sparse_reg(case_id, shape, kwargs=None):
        return case(case_id, 'IdentityAttachKLSparseReg', {'data': shape}, kwargs,
                    values=ACTIVATIONS)
    return [
        sparse_reg('kl_sparse_reg', (3, 4)),
        sparse_reg('kl_sparse_reg_params', (5, 2),
                   {'sparseness_target': 0.3, 'penalty': 0.5, 'momentum': 0.6}),
        sparse_reg('kl_sparse_reg_square_3d', (2, 4, 4), {'penalty': 0.1}),
    ]
