"""Golden cases for mxsym/ops/attention.py (recorded from MXNet 1.9.1 by make_ops_golden.py).
MXNet's CPU kernels of the interleaved matmuls take float32 only."""
from op_cases import case, expr


def cases():
    return [
        case('selfatt_qk', 'contrib.interleaved_matmul_selfatt_qk',
             {'queries_keys_values': (3, 2, 12)}, {'heads': 2},
             variables=('queries_keys_values',)),
        case('selfatt_qk_one_head', 'contrib.interleaved_matmul_selfatt_qk',
             {'queries_keys_values': (4, 1, 9)}, {'heads': 1},
             variables=('queries_keys_values',)),
        case('selfatt_valatt', 'contrib.interleaved_matmul_selfatt_valatt',
             {'queries_keys_values': (3, 2, 12), 'attention': (4, 3, 3)}, {'heads': 2},
             variables=('queries_keys_values', 'attention')),
        expr('selfatt_softmax_chain',
             'mx.sym.contrib.interleaved_matmul_selfatt_valatt(qkv, mx.sym.softmax('
             'mx.sym.contrib.interleaved_matmul_selfatt_qk(qkv, heads=3), axis=-1), heads=3)',
             {'qkv': (4, 2, 18)}),
        case('encdec_qk', 'contrib.interleaved_matmul_encdec_qk',
             {'queries': (4, 2, 6), 'keys_values': (3, 2, 12)}, {'heads': 3},
             variables=('queries', 'keys_values')),
        case('encdec_valatt', 'contrib.interleaved_matmul_encdec_valatt',
             {'keys_values': (3, 2, 12), 'attention': (6, 4, 3)}, {'heads': 3},
             variables=('keys_values', 'attention')),
        case('encdec_positional', 'contrib.interleaved_matmul_encdec_qk',
             {'queries': (2, 1, 4), 'keys_values': (5, 1, 8)}, {'heads': 2},
             variables=('queries', 'keys_values'), positional=True),
        case('div_sqrt_dim', 'contrib.div_sqrt_dim', {'data': (2, 3, 5)}),
        case('div_sqrt_dim_float16', 'contrib.div_sqrt_dim', {'data': (2, 7)}, dtype='float16'),
        case('div_sqrt_dim_float64', 'contrib.div_sqrt_dim', {'data': (3, 6)}, dtype='float64'),
    ]
