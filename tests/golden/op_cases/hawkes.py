"""Golden cases for mxsym/ops/hawkes.py (recorded from MXNet 1.9.1 by make_ops_golden.py).
MXNet's backward writes gradients for lda, alpha and beta only and refuses to write the
others: BlockGrad keeps them out of the backward. marks are int32 (cast in the graph)."""
from op_cases import expr


def cases():
    def hawkes_case(case_id, count, processes, length, valid):
        op = ('mx.sym.contrib.hawkesll(lda, alpha, beta, mx.sym.BlockGrad(state), '
              'mx.sym.BlockGrad(lags), mx.sym.BlockGrad(mx.sym.Cast(marks, dtype="int32")), '
              'mx.sym.BlockGrad(valid_length), mx.sym.BlockGrad(max_time))')
        shapes = {'lda': (count, processes), 'alpha': (processes,), 'beta': (processes,),
                  'state': (count, processes), 'lags': (count, length),
                  'marks': (count, length), 'valid_length': (count,), 'max_time': (count,)}
        values = {'lda': 'uniform:0.5:1.5', 'alpha': 'uniform:0.2:0.8',
                  'beta': 'uniform:0.5:2', 'state': 'uniform:0:1', 'lags': 'uniform:0.1:1',
                  'marks': 'ints:0:%d' % (processes - 1), 'valid_length': valid,
                  'max_time': 'uniform:%d:%d' % (length, length + 1)}
        return expr(case_id, op, shapes, values=values)

    return [
        hawkes_case('hawkesll', 2, 3, 4, valid='ints:1:4'),
        hawkes_case('hawkesll_full_length', 3, 2, 5, valid='ints:5:5'),
        hawkes_case('hawkesll_one_process', 2, 1, 3, valid='ints:0:3'),
    ]
