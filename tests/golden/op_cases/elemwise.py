"""Golden cases for mxsym/ops/elemwise.py (recorded from MXNet 1.9.1 by make_ops_golden.py)."""
from op_cases import case, expr


def cases():
    ab = {'a': (2, 3, 4), 'b': (2, 3, 4)}
    a = {'a': (2, 3, 4)}
    small = {'a': (3, 4), 'b': (3, 4)}
    nonzero_b = {'b': 'nonzero'}
    cases = [
        expr('add', 'a + b', ab),
        expr('sub', 'a - b', ab),
        expr('mul', 'a * b', ab),
        expr('div', 'a / b', ab, values=nonzero_b),
        expr('mul_self', 'a * a', a),
        expr('add_self', 'a + a', a),
        expr('chain', '(a + b) * a - b / 2', ab),
        expr('power', 'a ** b', ab, values={'a': 'positive'}),
        expr('mod', 'a % b', ab, values=nonzero_b),
        *[case(op, op, {'lhs': (2, 3), 'rhs': (2, 3)}, variables=('lhs', 'rhs'),
               values={'rhs': 'nonzero'})
          for op in ['elemwise_add', 'elemwise_sub', 'elemwise_mul', 'elemwise_div']],
        expr('plus_int_scalar', 'a + 2', a),
        expr('plus_scalar_left', '2.5 + a', a),
        expr('minus_scalar', 'a - 1.5', a),
        expr('rminus_scalar', '1.5 - a', a),
        expr('mul_scalar', 'a * 2.5', a),
        expr('mul_scalar_left', '2.5 * a', a),
        expr('negative', '-a', a),
        expr('div_scalar', 'a / 4', a),
        expr('rdiv_scalar', '4 / a', a, values={'a': 'nonzero'}),
        expr('power_scalar_2', 'a ** 2', a),
        expr('power_scalar_3', 'a ** 3', a),
        expr('power_scalar_half', 'a ** 0.5', a, values={'a': 'positive'}),
        expr('rpower_scalar', '2 ** a', a),
        expr('mod_scalar', 'a % 1.5', a),
        expr('rmod_scalar', '1.5 % a', a, values={'a': 'nonzero'}),
    ]
    ints = {'a': 'nonzero_ints:-9:9', 'b': 'nonzero_ints:-4:4'}
    for name, op in [('add', 'a + b'), ('sub', 'a - b'), ('mul', 'a * b'), ('div', 'a / b'),
                     ('mod', 'a % b'), ('plus_scalar', 'a + 2.5'), ('rminus_scalar', '2.5 - a'),
                     ('mul_scalar', 'a * 1.5'), ('div_scalar', 'a / 2.5'),
                     ('rdiv_scalar', '7 / a'), ('negative', '-a'), ('power_scalar', 'a ** 2'),
                     ('power_scalar_half', 'a ** 0.5'), ('mod_scalar', 'a % 3')]:
        shapes = small if 'b' in op else {'a': (3, 4)}
        cases.append(expr('int32_' + name, op, shapes, dtype='int32', values=ints))
    uint8 = {'a': 'ints:0:255', 'b': 'ints:0:255'}
    cases += [
        expr('uint8_mul_scalar_wraps', 'a * 2', {'a': (3, 4)}, dtype='uint8', values=uint8),
        expr('uint8_sub_wraps', 'a - b', small, dtype='uint8', values=uint8),
        expr('uint8_plus_scalar_wraps', 'a + 200', {'a': (3, 4)}, dtype='uint8', values=uint8),
        expr('float64_sub', 'a - b', small, dtype='float64'),
        expr('float64_power_scalar', 'a ** 3', {'a': (3, 4)}, dtype='float64'),
    ]
    for name, op in [('add', 'a + b'), ('sub', 'a - b'), ('mul', 'a * b'), ('div', 'a / b'),
                     ('mul_scalar', 'a * 2.5'), ('rdiv_scalar', '1 / a'),
                     ('power_scalar', 'a ** 2')]:
        shapes = small if 'b' in op else {'a': (3, 4)}
        cases.append(expr('float16_' + name, op, shapes, dtype='float16',
                          values={'a': 'nonzero', 'b': 'nonzero'}))
    return cases
