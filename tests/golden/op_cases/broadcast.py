"""Golden cases for mxsym/ops/broadcast.py (recorded from MXNet 1.9.1 by make_ops_golden.py)."""
from op_cases import case

OPS = ['add', 'sub', 'mul', 'div', 'mod', 'power', 'maximum', 'minimum', 'hypot', 'equal',
       'not_equal', 'greater', 'greater_equal', 'lesser', 'lesser_equal', 'logical_and',
       'logical_or', 'logical_xor']

# Value recipes giving each op defined values, and ties, zeros or exact quotients where it has
# a rule for them.
SMALL_INTS = {'lhs': 'ints:-2:2', 'rhs': 'ints:-2:2'}
VALUES = {
    'div': {'rhs': 'nonzero'},
    'mod': {'rhs': 'nonzero'},
    'power': {'lhs': 'positive'},
    'maximum': SMALL_INTS,
    'minimum': SMALL_INTS,
    'logical_and': {'lhs': 'ints:-1:1', 'rhs': 'ints:-1:1'},
    'logical_or': {'lhs': 'ints:-1:1', 'rhs': 'ints:-1:1'},
    'logical_xor': {'lhs': 'ints:-1:1', 'rhs': 'ints:-1:1'},
}
for _name in ['equal', 'not_equal', 'greater', 'greater_equal', 'lesser', 'lesser_equal']:
    VALUES[_name] = SMALL_INTS


def binary(case_id, op, lhs, rhs, values=None, dtype='float32'):
    return case(case_id, op, {'lhs': lhs, 'rhs': rhs}, variables=('lhs', 'rhs'), dtype=dtype,
                values=values)


def cases():
    cases = [binary(name, 'broadcast_' + name, (2, 3, 4), (1, 3, 1), VALUES.get(name))
             for name in OPS]
    cases += [binary(name + '_lhs_stretches', 'broadcast_' + name, (3, 1), (3, 4),
                     VALUES.get(name)) for name in OPS]
    shapes = [
        ('same_shape', (2, 3), (2, 3)),
        ('rank_promotion', (2, 3), (3,)),
        ('rank_promotion_lhs', (3,), (2, 3)),
        ('one_element', (1,), (2, 3)),
        ('both_stretch', (3, 1), (1, 4)),
        ('both_stretch_3d', (2, 1, 4), (3, 1)),
        ('middle_axis', (2, 3, 4), (2, 1, 4)),
        ('all_ones', (2, 3), (1, 1)),
    ]
    for name, lhs, rhs in shapes:
        cases += [binary('add_' + name, 'broadcast_add', lhs, rhs),
                  binary('mul_' + name, 'broadcast_mul', lhs, rhs),
                  binary('maximum_%s_ties' % name, 'broadcast_maximum', lhs, rhs, SMALL_INTS)]
    cases += [
        binary('plus_alias', 'broadcast_plus', (2, 3), (1, 3)),
        binary('minus_alias', 'broadcast_minus', (2, 3), (2, 1)),
        binary('mod_by_zero', 'broadcast_mod', (3, 4), (1, 4),
               {'lhs': 'ints:-6:6', 'rhs': 'ints:-2:2'}),
        binary('mod_exact_quotients', 'broadcast_mod', (3, 4), (3, 1),
               {'lhs': 'ints:-9:9', 'rhs': 'ints:1:3'}),
        binary('div_by_zero', 'broadcast_div', (3, 4), (1, 4), SMALL_INTS),
        binary('div_by_row', 'broadcast_div', (3, 4), (1, 4), {'rhs': 'nonzero'}),
        binary('div_by_one_element', 'broadcast_div', (3, 4), (1,), {'rhs': 'nonzero'}),
        binary('power_zero_and_negative', 'broadcast_power', (3, 4), (3, 1), SMALL_INTS),
        binary('hypot_zeros', 'broadcast_hypot', (3, 4), (1, 4),
               {'lhs': 'ints:-1:1', 'rhs': 'ints:-1:1'}),
        binary('minimum_ties_both_stretch', 'broadcast_minimum', (3, 1), (1, 4), SMALL_INTS),
    ]
    typed = ['add', 'sub', 'div', 'mod', 'power', 'maximum', 'hypot', 'equal', 'logical_or']
    for dtype in ['float16', 'float64']:
        cases += [binary('%s_%s' % (name, dtype), 'broadcast_' + name, (2, 3), (1, 3),
                         VALUES.get(name), dtype) for name in typed]
    int_values = {'lhs': 'ints:-9:9', 'rhs': 'nonzero_ints:-4:4'}
    cases += [binary('%s_int32' % name, 'broadcast_' + name, (2, 3), (1, 3),
                     {'lhs': 'ints:-5:5', 'rhs': 'ints:-1:6'} if name == 'power' else int_values,
                     'int32')
              for name in typed]
    cases += [
        binary('float64_mod_exact_quotients', 'broadcast_mod', (3, 4), (1, 4),
               {'lhs': 'ints:-9:9', 'rhs': 'ints:1:3'}, 'float64'),
        binary('int32_mod_by_zero', 'broadcast_mod', (3, 4), (1, 4),
               {'lhs': 'ints:-9:9', 'rhs': 'ints:-2:2'}, 'int32'),
        binary('int32_power_float32_rounding', 'broadcast_power', (2, 5), (1,),
               {'lhs': 'ints:5:9', 'rhs': 'ints:9:9'}, 'int32'),
        binary('int32_hypot_truncates', 'broadcast_hypot', (3, 4), (1, 4), None, 'int32'),
        binary('uint8_mul_wraps', 'broadcast_mul', (3, 4), (1, 4),
               {'lhs': 'ints:0:255', 'rhs': 'ints:0:255'}, 'uint8'),
    ]
    inputs = 'abcde'
    for count in [1, 2, 3, 5]:
        names = tuple(inputs[:count])
        cases.append(case('add_n_%d' % count, 'add_n', {n: (2, 3) for n in names},
                          variables=names, positional=True))
    three = ('a', 'b', 'c')
    cases += [
        case('elementwisesum_alias', 'ElementWiseSum', {'a': (3, 4), 'b': (3, 4)},
             variables=('a', 'b'), positional=True),
        case('add_n_num_args_creates_inputs', 'add_n', {'a': (2, 3), 'b': (2, 3)},
             {'num_args': 3}, variables=('a', 'b'), positional=True),
        case('add_n_shape_from_one_input', 'add_n', {'b': (2, 3)}, variables=three,
             positional=True),
        *[case('add_n_' + dtype, 'add_n', {n: (2, 3) for n in three}, variables=three,
               positional=True, dtype=dtype) for dtype in ['float16', 'float64', 'int32']],
    ]
    return cases
