"""Golden cases for mxsym/ops/sequence.py (recorded from MXNet 1.9.1 by make_ops_golden.py)."""
from op_cases import case


def cases():
    with_length = ('data', 'sequence_length')

    def sequence(op, case_id, shapes, kwargs=None, recipe=None, dtype='float32',
                 length_type=None):
        """A case for op; recipe gives sequence_length values (and turns use_sequence_length
        on); length_type gives sequence_length a dtype of its own."""
        kwargs = dict(kwargs or {})
        variables = ('data',)
        values = {}
        if recipe:
            kwargs.setdefault('use_sequence_length', True)
            variables = with_length
            values = {'sequence_length': recipe}
        spec = case(case_id, op, shapes, kwargs, variables=variables, dtype=dtype, values=values)
        if length_type:
            spec['types']['sequence_length'] = length_type
        return spec

    cases = []
    time_major = {'data': (4, 3, 2)}
    batch_major = {'data': (3, 4, 2)}
    for op, prefix, lengths in [('SequenceMask', 'mask', 'ints:0:4'),
                                ('SequenceLast', 'last', 'ints:1:4'),
                                ('SequenceReverse', 'reverse', 'ints:0:4')]:
        cases += [
            sequence(op, prefix + '_default', time_major),
            sequence(op, prefix + '_no_length_explicit', time_major,
                     {'use_sequence_length': False}),
            sequence(op, prefix + '_length', time_major, recipe=lengths),
            sequence(op, prefix + '_length_shape_given',
                     {'data': (4, 3, 2), 'sequence_length': (3,)}, recipe=lengths),
            sequence(op, prefix + '_length_2d', {'data': (5, 3)}, recipe=lengths),
            sequence(op, prefix + '_length_4d', {'data': (4, 2, 2, 3)}, recipe=lengths),
            sequence(op, prefix + '_length_float64', time_major, recipe=lengths,
                     dtype='float64'),
            sequence(op, prefix + '_length_float16', time_major, recipe=lengths,
                     dtype='float16'),
            sequence(op, prefix + '_length_int32', time_major, recipe=lengths,
                     length_type='int32'),
            sequence(op, prefix + '_float64', time_major, dtype='float64'),
            sequence(op, prefix + '_float16', time_major, dtype='float16'),
        ]
        if op != 'SequenceReverse':
            cases += [
                sequence(op, prefix + '_axis1', batch_major, {'axis': 1}),
                sequence(op, prefix + '_axis1_length', batch_major, {'axis': 1},
                         recipe=lengths),
                sequence(op, prefix + '_axis1_length_2d', {'data': (3, 5)}, {'axis': 1},
                         recipe=lengths),
                sequence(op, prefix + '_axis1_length_4d', {'data': (2, 4, 3, 2)}, {'axis': 1},
                         recipe=lengths),
            ]
    cases += [
        sequence('SequenceMask', 'mask_value', time_major, {'value': -1.5}, 'ints:0:4'),
        sequence('SequenceMask', 'mask_value_float64', time_major, {'value': 0.1}, 'ints:0:4',
                 dtype='float64'),
        sequence('SequenceMask', 'mask_value_float16', time_major, {'value': 0.1}, 'ints:0:4',
                 dtype='float16'),
        sequence('SequenceMask', 'mask_value_without_length', time_major, {'value': 7.0}),
        sequence('SequenceMask', 'mask_axis1_value', batch_major, {'axis': 1, 'value': 2.5},
                 'ints:0:4'),
        # Fractional lengths are truncated toward zero.
        sequence('SequenceMask', 'mask_fractional_length', {'data': (3, 4)}, recipe='positive'),
        sequence('SequenceReverse', 'reverse_fractional_length', {'data': (3, 4)},
                 recipe='positive'),
        sequence('SequenceLast', 'last_fractional_length', time_major, recipe='uniform:1:4.9'),
        sequence('SequenceMask', 'mask_axis1_fractional_length', batch_major, {'axis': 1},
                 'uniform:0:4.9'),
    ]
    return cases
