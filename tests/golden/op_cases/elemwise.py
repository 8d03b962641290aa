"""Golden cases for mxsym/ops/elemwise.py (recorded from MXNet 1.9.1 by make_ops_golden.py)."""
import json

from op_cases import case, expr


def one_op_graph(op, inputs, attrs=None):
    """MXNet's JSON for a graph of one `op` node named 'out' over the variables `inputs`."""
    node = {'op': op, 'name': 'out'}
    if attrs:
        node['attrs'] = {key: str(value) for key, value in attrs.items()}
    node['inputs'] = [[index, 0, 0] for index in range(len(inputs))]
    nodes = [{'op': 'null', 'name': name, 'inputs': []} for name in inputs] + [node]
    return json.dumps({'nodes': nodes, 'arg_nodes': list(range(len(inputs))),
                       'node_row_ptr': list(range(len(nodes) + 1)),
                       'heads': [[len(inputs), 0, 0]],
                       'attrs': {'mxnet_version': ['int', 10901]}})


def loaded(case_id, op, shapes, attrs=None, **options):
    """A one-op graph read by mx.sym.load_json: the way to reach ops that mx.sym keeps under
    _internal (logic, hypot), and parameters the Python operators never set (is_int)."""
    return case(case_id, 'load_json', shapes, {'json_str': one_op_graph(op, list(shapes), attrs)},
                variables=(), **options)


def cases():
    ab = {'a': (2, 3, 4), 'b': (2, 3, 4)}
    a = {'a': (2, 3, 4)}
    small = {'a': (3, 4), 'b': (3, 4)}
    one = {'a': (3, 4)}
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
        expr('div_scalar_inexact', 'a / 0.7', a),
        expr('rdiv_scalar', '4 / a', a, values={'a': 'nonzero'}),
        expr('power_scalar_2', 'a ** 2', a),
        expr('power_scalar_3', 'a ** 3', a),
        expr('power_scalar_half', 'a ** 0.5', a, values={'a': 'positive'}),
        expr('power_scalar_negative', 'a ** -1.5', a, values={'a': 'positive'}),
        expr('rpower_scalar', '2 ** a', a),
        expr('mod_scalar', 'a % 1.5', a),
        expr('mod_scalar_negative', 'a % -1.5', a),
        expr('rmod_scalar', '1.5 % a', a, values={'a': 'nonzero'}),
    ]
    # Zero divisors, zero bases and ties, from small integer values in float32.
    few = {'a': 'ints:-3:3', 'b': 'ints:-2:2'}
    cases += [
        expr('mod_by_zero', 'a % b', small, values={'a': 'ints:-6:6', 'b': 'ints:-3:3'}),
        expr('mod_integer_values', 'a % b', small, values={'a': 'ints:-9:9', 'b': 'ints:1:3'}),
        expr('mod_scalar_zero', 'a % 0', one),
        expr('rmod_scalar_zero_divisor', '5 % a', one, values=few),
        expr('div_by_zero', 'a / b', small, values=few),
        expr('div_scalar_zero', 'a / 0', one, values=few),
        expr('rdiv_scalar_zero', '1 / a', one, values=few),
        expr('power_zero_and_negative', 'a ** b', small, values=few),
        expr('power_scalar_zero', 'a ** 0', one, values=few),
        expr('rpower_scalar_zero_base', '0 ** a', one, values=few),
        expr('rpower_scalar_negative_base', '(-2) ** a', one, values=few),
    ]
    comparisons = [('equal', '=='), ('not_equal', '!='), ('greater', '>'),
                   ('greater_equal', '>='), ('lesser', '<'), ('lesser_equal', '<=')]
    for name, symbol in comparisons:
        cases += [
            expr(name, 'a %s b' % symbol, small, values=few),
            expr(name + '_scalar', 'a %s 1' % symbol, one, values=few),
            expr(name + '_int32', 'a %s b' % symbol, small, dtype='int32', values=few),
        ]
    cases += [
        expr('greater_scalar_reflected', '1 < a', one, values=few),
        expr('equal_float16', 'a == b', small, dtype='float16', values=few),
        expr('lesser_float64', 'a < b', small, dtype='float64', values=few),
        expr('equal_scalar_int32_truncates', 'a == 2.5', one, dtype='int32', values=few),
        expr('greater_equal_scalar_int32_truncates', 'a >= 1.5', one, dtype='int32',
             values=few),
    ]
    # Ops without a Python operator, reached as a saved graph reaches them.
    lhs_rhs = {'a': (3, 4), 'b': (3, 4)}
    for op in ['_maximum', '_minimum']:
        cases += [
            loaded(op[1:] + '_ties', op, lhs_rhs, values=few),
            loaded(op[1:], op, lhs_rhs),
            loaded(op[1:] + '_float16', op, lhs_rhs, dtype='float16', values=few),
            loaded(op[1:] + '_float64', op, lhs_rhs, dtype='float64'),
            loaded(op[1:] + '_int32', op, lhs_rhs, dtype='int32', values=few),
            loaded(op[1:] + '_scalar_ties', op + '_scalar', one, {'scalar': 1}, values=few),
            loaded(op[1:] + '_scalar_half', op + '_scalar', one, {'scalar': 0.5}),
            loaded(op[1:] + '_scalar_int32', op + '_scalar', one, {'scalar': 1.5},
                   dtype='int32', values=few),
        ]
    cases += [
        loaded('hypot', '_hypot', lhs_rhs),
        loaded('hypot_zeros', '_hypot', lhs_rhs, values={'a': 'ints:-1:1', 'b': 'ints:-1:1'}),
        loaded('hypot_float16', '_hypot', lhs_rhs, dtype='float16'),
        loaded('hypot_float64', '_hypot', lhs_rhs, dtype='float64'),
        loaded('hypot_int32_truncates', '_hypot', lhs_rhs, dtype='int32'),
        loaded('hypot_scalar', '_hypot_scalar', one, {'scalar': 4}),
        loaded('hypot_scalar_zero', '_hypot_scalar', one, {'scalar': 0}, values=few),
        loaded('hypot_scalar_int32', '_hypot_scalar', one, {'scalar': 2}, dtype='int32'),
        loaded('hypot_alias', '_Hypot', lhs_rhs),
    ]
    truth = {'a': 'ints:-1:1', 'b': 'ints:-1:1'}
    for name in ['and', 'or', 'xor']:
        op = '_logical_' + name
        cases += [
            loaded('logical_' + name, op, lhs_rhs, values=truth),
            loaded('logical_%s_float16' % name, op, lhs_rhs, dtype='float16', values=truth),
            loaded('logical_%s_int32' % name, op, lhs_rhs, dtype='int32', values=truth),
            loaded('logical_%s_scalar_zero' % name, op + '_scalar', one, {'scalar': 0},
                   values=truth),
            loaded('logical_%s_scalar_fraction' % name, op + '_scalar', one, {'scalar': 0.3},
                   values=truth),
            loaded('logical_%s_scalar_int32_truncates' % name, op + '_scalar', one,
                   {'scalar': 0.3}, dtype='int32', values=truth),
        ]
    # is_int=False changes nothing for float data (integer data: see test_elemwise.py).
    cases.append(loaded('plus_scalar_not_int_float32', '_plus_scalar', one,
                        {'scalar': 2.5, 'is_int': False}))
    # The mx.sym helpers that dispatch to these ops.
    left_right = {'left': (3, 4), 'right': (3, 4)}
    cases += [
        case('helper_maximum', 'maximum', left_right, variables=('left', 'right'),
             positional=True, values={'left': 'ints:-2:2', 'right': 'ints:-2:2'}),
        case('helper_maximum_scalar', 'maximum', one, {'right': 0.5}, variables=('a',),
             positional=True),
        case('helper_maximum_scalar_left', 'maximum', {'right': (3, 4)}, {'left': 0.5},
             variables=('right',)),
        case('helper_minimum', 'minimum', left_right, variables=('left', 'right'),
             positional=True),
        case('helper_minimum_scalar', 'minimum', one, {'right': -0.5}, variables=('a',),
             positional=True),
        case('helper_hypot', 'hypot', left_right, variables=('left', 'right'),
             positional=True),
        case('helper_hypot_scalar', 'hypot', one, {'right': 3}, variables=('a',),
             positional=True),
        case('helper_power', 'power', {'base': (3, 4), 'exp': (3, 4)},
             variables=('base', 'exp'), values={'base': 'positive'}),
        case('helper_pow_scalar', 'pow', one, {'exp': 3}, variables=('a',), positional=True),
        case('helper_pow_scalar_base', 'pow', {'exp': (3, 4)}, {'base': 2}, variables=('exp',)),
    ]
    ints = {'a': 'nonzero_ints:-9:9', 'b': 'nonzero_ints:-4:4'}
    for name, op in [('add', 'a + b'), ('sub', 'a - b'), ('mul', 'a * b'), ('div', 'a / b'),
                     ('mod', 'a % b'), ('plus_scalar', 'a + 2.5'), ('rminus_scalar', '2.5 - a'),
                     ('mul_scalar', 'a * 1.5'), ('div_scalar', 'a / 2.5'),
                     ('rdiv_scalar', '7 / a'), ('negative', '-a'), ('power_scalar', 'a ** 2'),
                     ('power_scalar_half', 'a ** 0.5'), ('mod_scalar', 'a % 3'),
                     ('mod_scalar_negative', 'a % -3'), ('rmod_scalar', '5 % a')]:
        shapes = small if 'b' in op else {'a': (3, 4)}
        cases.append(expr('int32_' + name, op, shapes, dtype='int32', values=ints))
    cases += [
        expr('int32_mod_by_zero', 'a % b', small, dtype='int32',
             values={'a': 'ints:-9:9', 'b': 'ints:-3:3'}),
        expr('int32_rmod_scalar_zero_divisor', '5 % a', one, dtype='int32', values=few),
        expr('int32_rdiv_scalar_zero', '7 / a', one, dtype='int32', values=few),
        expr('int32_power', 'a ** b', small, dtype='int32',
             values={'a': 'ints:-9:9', 'b': 'ints:-2:9'}),
        expr('int32_power_scalar_float32_rounding', 'a ** 9', one, dtype='int32',
             values={'a': 'ints:5:9'}),
        expr('int32_power_scalar_large_results', 'a ** 3', {'a': (40, 50)}, dtype='int32',
             values={'a': 'ints:200:1290'}),
        expr('int32_rpower_scalar', '7 ** a', one, dtype='int32', values={'a': 'ints:-2:11'}),
        expr('int32_power_overflow', 'a ** b', small, dtype='int32',
             values={'a': 'ints:2:9', 'b': 'ints:9:25'}),
        expr('int8_power_wraps', 'a ** b', small, dtype='int8',
             values={'a': 'ints:2:5', 'b': 'ints:3:9'}),
        expr('uint8_power_wraps', 'a ** b', small, dtype='uint8',
             values={'a': 'ints:2:5', 'b': 'ints:3:9'}),
        expr('uint8_mod', 'a % b', small, dtype='uint8',
             values={'a': 'ints:0:255', 'b': 'ints:0:9'}),
        expr('int64_power', 'a ** b', small, dtype='int64',
             values={'a': 'ints:2:9', 'b': 'ints:10:30'}),
    ]
    uint8 = {'a': 'ints:0:255', 'b': 'ints:0:255'}
    cases += [
        expr('uint8_mul_scalar_wraps', 'a * 2', {'a': (3, 4)}, dtype='uint8', values=uint8),
        expr('uint8_sub_wraps', 'a - b', small, dtype='uint8', values=uint8),
        expr('uint8_plus_scalar_wraps', 'a + 200', {'a': (3, 4)}, dtype='uint8', values=uint8),
    ]
    for name, op, values in [
            ('sub', 'a - b', None), ('div', 'a / b', nonzero_b),
            ('power_scalar', 'a ** 3', None), ('rdiv_scalar', '3 / a', {'a': 'nonzero'}),
            ('mod', 'a % b', nonzero_b), ('mod_by_zero', 'a % b', few),
            ('power', 'a ** b', {'a': 'positive'}), ('power_zero_and_negative', 'a ** b', few),
            ('rpower_scalar', '3 ** a', None), ('rmod_scalar', '2.5 % a', {'a': 'nonzero'})]:
        shapes = small if 'b' in op else one
        cases.append(expr('float64_' + name, op, shapes, dtype='float64', values=values))
    for name, op, values in [
            ('add', 'a + b', None), ('sub', 'a - b', None), ('mul', 'a * b', None),
            ('div', 'a / b', nonzero_b), ('mul_scalar', 'a * 2.5', None),
            ('rdiv_scalar', '1 / a', {'a': 'nonzero'}), ('power_scalar', 'a ** 2', None),
            ('mod', 'a % b', nonzero_b), ('power', 'a ** b', {'a': 'positive'}),
            ('rpower_scalar', '1.5 ** a', None), ('mod_scalar', 'a % 0.7', None)]:
        shapes = small if 'b' in op else one
        cases.append(expr('float16_' + name, op, shapes, dtype='float16', values=values))
    for dtype in ['float16', 'float64']:
        cases += [expr('%s_%s' % (dtype, name), op, one, dtype=dtype, values=values)
                  for name, op, values in [
                      ('plus_scalar', 'a + 2.5', None), ('rminus_scalar', '1.5 - a', None),
                      ('div_scalar', 'a / 0.7', None), ('mod_scalar_negative', 'a % -1.5', None),
                      ('greater_scalar', 'a > 1', few), ('lesser_equal_scalar', 'a <= 1', few),
                      ('not_equal_scalar', 'a != 1', few)]]
        cases += [loaded('%s_%s' % (dtype, op[1:]), op, one, {'scalar': scalar}, dtype=dtype,
                         values=few)
                  for op, scalar in [('_maximum_scalar', 1), ('_minimum_scalar', 1),
                                     ('_hypot_scalar', 2), ('_logical_xor_scalar', 1)]]
    return cases
