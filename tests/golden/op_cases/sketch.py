"""Golden cases for mxsym/ops/sketch.py (recorded from MXNet 1.9.1 by make_ops_golden.py).
khatri_rao has no gradient in MXNet, which binds it only without gradients; MXNet 1.9.1 runs
count_sketch, fft and ifft on GPU only, so tests/ops/test_sketch.py checks those directly."""
from op_cases import expr


def cases():
    def product_case(case_id, shapes, dtype='float32'):
        op = 'mx.sym.khatri_rao(%s)' % ', '.join(shapes)
        return expr(case_id, op, shapes, dtype=dtype, grad_req='null')

    return [
        product_case('khatri_rao_two', {'a': (2, 3), 'b': (4, 3)}),
        product_case('khatri_rao_three', {'a': (2, 2), 'b': (3, 2), 'c': (2, 2)}),
        product_case('khatri_rao_one', {'a': (3, 4)}),
        product_case('khatri_rao_float64', {'a': (3, 2), 'b': (2, 2)}, dtype='float64'),
    ]
