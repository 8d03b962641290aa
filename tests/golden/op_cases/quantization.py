"""Golden cases for mxsym/ops/quantization.py (recorded from MXNet 1.9.1 by make_ops_golden.py).
The ops give no gradient, so MXNet binds them without gradients."""
from op_cases import case, expr

RANGES = {'data': (3, 4), 'lo': (1,), 'hi': (1,)}
SPREAD = {'data': 'uniform:-2:2'}


def cases():
    def quantize(case_id, out_type, lo, hi, values=SPREAD):
        return expr(case_id, 'mx.sym.contrib.quantize(data, lo * 0 + %r, hi * 0 + %r, '
                    'out_type=%r)' % (lo, hi, out_type), RANGES, values=values, grad_req='null')

    def dequantize(case_id, dtype, lo, hi):
        return expr(case_id, 'mx.sym.contrib.dequantize(mx.sym.Cast(data, dtype=%r), '
                    'lo * 0 + %r, hi * 0 + %r)' % (dtype, lo, hi), RANGES,
                    values={'data': 'ints:-128:127' if dtype == 'int8' else 'ints:0:255'},
                    grad_req='null')

    def quantize_v2(case_id, kwargs, shape=(2, 3, 4), values=SPREAD):
        return case(case_id, 'contrib.quantize_v2', {'data': shape}, kwargs, values=values,
                    grad_req='null')
    return [
        quantize('quantize_uint8', 'uint8', 0.0, 1.0, {'data': 'uniform:-0.2:1.2'}),
        quantize('quantize_uint8_negative_min', 'uint8', -1.0, 1.5),
        quantize('quantize_int8', 'int8', -1.0, 1.0),
        quantize('quantize_int8_wide', 'int8', -0.5, 3.0),
        dequantize('dequantize_uint8', 'uint8', 0.0, 2.0),
        dequantize('dequantize_int8', 'int8', -1.5, 0.5),
        quantize_v2('quantize_v2_int8', {}),
        quantize_v2('quantize_v2_uint8', {'out_type': 'uint8'}, values={'data': 'uniform:0:3'}),
        quantize_v2('quantize_v2_calibrated', {'min_calib_range': -1.0, 'max_calib_range': 1.0}),
        quantize_v2('quantize_v2_auto_uint8', {'out_type': 'auto', 'min_calib_range': 0.0,
                                               'max_calib_range': 2.0}),
        quantize_v2('quantize_v2_auto_int8', {'out_type': 'auto'}, shape=(5,)),
        case('quantize_v2_int8_input', 'contrib.quantize_v2', {'data': (2, 3)}, dtype='int8',
             grad_req='null'),
    ]
