"""Golden cases for mxsym/ops/pointwise.py (recorded from MXNet 1.9.1 by make_ops_golden.py).
allclose has no gradient in MXNet, which binds it only without gradients."""
from op_cases import case, expr


def cases():
    return _quadratic() + _allclose() + _gradient_ops()


def _quadratic():
    return [
        case('quadratic_default', 'contrib.quadratic', {'data': (2, 3)}),
        case('quadratic_abc', 'contrib.quadratic', {'data': (3, 4)},
             {'a': 1.5, 'b': -2.0, 'c': 0.25}),
        case('quadratic_float16', 'contrib.quadratic', {'data': (2, 5)},
             {'a': 0.5, 'b': 1.0, 'c': -1.0}, dtype='float16'),
        case('quadratic_float64', 'contrib.quadratic', {'data': (4,)},
             {'a': -0.3, 'b': 0.7, 'c': 2.0}, dtype='float64'),
    ]


def _allclose():
    def close_case(case_id, op, shapes, dtype='float32'):
        return expr(case_id, op, shapes, dtype=dtype, grad_req='null')

    pair = {'a': (2, 3), 'b': (2, 3)}
    return [
        close_case('allclose_same', 'mx.sym.contrib.allclose(a, a + 0)', {'a': (2, 3)}),
        close_case('allclose_apart', 'mx.sym.contrib.allclose(a, b)', pair),
        close_case('allclose_atol', 'mx.sym.contrib.allclose(a, a + b * 1e-3, atol=0.01)', pair),
        close_case('allclose_atol_fails', 'mx.sym.contrib.allclose(a, a + b * 1e-3, atol=1e-5)',
                   pair),
        close_case('allclose_rtol', 'mx.sym.contrib.allclose(a * 10, a * 10.01, rtol=0.01)',
                   {'a': (3, 2)}),
        close_case('allclose_nan_equal', 'mx.sym.contrib.allclose(mx.sym.log(a), mx.sym.log(a))',
                   {'a': (3, 3)}),
        close_case('allclose_nan_unequal', 'mx.sym.contrib.allclose(mx.sym.log(a), '
                   'mx.sym.log(a), equal_nan=False)', {'a': (3, 3)}),
        close_case('allclose_float64', 'mx.sym.contrib.allclose(a, a + b * 1e-9)', pair,
                   dtype='float64'),
    ]


def _gradient_ops():
    ste = {'data': 'uniform:-3:3'}
    return [
        case('gradient_multiplier_default', 'contrib.gradientmultiplier', {'data': (2, 3)}),
        case('gradient_reversal', 'contrib.gradientmultiplier', {'data': (2, 3)},
             {'scalar': -1}),
        case('gradient_multiplier_float', 'contrib.gradientmultiplier', {'data': (3, 2)},
             {'scalar': 2.5, 'is_int': False}),
        case('gradient_multiplier_float64', 'contrib.gradientmultiplier', {'data': (4,)},
             {'scalar': 0.3, 'is_int': False}, dtype='float64'),
        case('round_ste', 'contrib.round_ste', {'data': (3, 4)}, values=ste),
        case('round_ste_float16', 'contrib.round_ste', {'data': (2, 5)}, values=ste,
             dtype='float16'),
        expr('round_ste_halves', 'mx.sym.contrib.round_ste(mx.sym.round(a * 4) / 2)',
             {'a': (3, 4)}, values={'a': 'uniform:-3:3'}),
        case('sign_ste', 'contrib.sign_ste', {'data': (3, 4)}, values=ste),
        expr('sign_ste_zeros', 'mx.sym.contrib.sign_ste(mx.sym.round(a))', {'a': (2, 6)},
             values={'a': 'uniform:-1.4:1.4'}),
        case('sign_ste_float64', 'contrib.sign_ste', {'data': (5,)}, values=ste,
             dtype='float64'),
    ]
