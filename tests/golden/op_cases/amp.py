"""Golden cases for mxsym/ops/amp.py (recorded from MXNet 1.9.1 by make_ops_golden.py).
Other dtypes come from Cast inside the graph. The reference build's MKLDNN kernels refuse
amp_multicast of float16 and amp_cast of a float64 argument: tests/ops/test_amp.py checks the
dtypes MXNet infers there. all_finite and multi_all_finite have no gradient in MXNet."""
from op_cases import case, expr


def cases():
    return [
        case('amp_cast_to_float16', 'amp_cast', {'data': (2, 3)}, {'dtype': 'float16'}),
        expr('amp_cast_from_float16', 'mx.sym.amp_cast(mx.sym.Cast(a, dtype="float16"), '
             'dtype="float32")', {'a': (3, 2)}),
        expr('amp_cast_keeps_float64', 'mx.sym.amp_cast(mx.sym.Cast(a, dtype="float64"), '
             'dtype="float16")', {'a': (2, 2)}),
        case('amp_cast_to_int32', 'amp_cast', {'data': (2, 3)}, {'dtype': 'int32'},
             values={'data': 'uniform:-5:5'}),
        expr('amp_multicast_widest', 'mx.sym.amp_multicast(a, mx.sym.Cast(b, dtype="float64"), '
             'num_outputs=2)', {'a': (2, 3), 'b': (3,)}),
        expr('amp_multicast_float64_first', 'mx.sym.amp_multicast(mx.sym.Cast(b, '
             'dtype="float64"), a, num_outputs=2)', {'a': (2, 3), 'b': (3,)}),
        expr('amp_multicast_int', 'mx.sym.amp_multicast(a, mx.sym.Cast(b, dtype="int32"), '
             'a * 2, num_outputs=3)', {'a': (2, 3), 'b': (4,)}),
        expr('amp_multicast_narrow', 'mx.sym.amp_multicast(a, b, num_outputs=2, '
             'cast_narrow=True)', {'a': (2, 3), 'b': (3,)}),
        expr('all_finite_finite', 'mx.sym.all_finite(a)', {'a': (2, 3)}, grad_req='null'),
        expr('all_finite_nan', 'mx.sym.all_finite(mx.sym.log(a))', {'a': (3, 3)},
             grad_req='null'),
        expr('all_finite_inf_float16', 'mx.sym.all_finite(mx.sym.Cast(a * 1e5, '
             'dtype="float16"))', {'a': (4,)}, grad_req='null'),
        expr('multi_all_finite_finite', 'mx.sym.multi_all_finite(a, b, num_arrays=2)',
             {'a': (2, 3), 'b': (3,)}, grad_req='null'),
        expr('multi_all_finite_one_inf', 'mx.sym.multi_all_finite(a, 1 / (b * 0), a, '
             'num_arrays=3)', {'a': (2, 3), 'b': (3,)}, grad_req='null'),
    ]
