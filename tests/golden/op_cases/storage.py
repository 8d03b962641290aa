"""Golden cases for mxsym/ops/storage.py (recorded from MXNet 1.9.1 by make_ops_golden.py)."""
from op_cases import case


def cases():
    return [
        case('cast_storage_default', 'cast_storage', {'data': (3, 4)}, {'stype': 'default'}),
        case('cast_storage_csr', 'cast_storage', {'data': (3, 4)}, {'stype': 'csr'}),
        case('cast_storage_row_sparse', 'cast_storage', {'data': (2, 3, 2)},
             {'stype': 'row_sparse'}),
    ]
