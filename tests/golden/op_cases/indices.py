"""Golden cases for mxsym/ops/indices.py (recorded from MXNet 1.9.1 by make_ops_golden.py).
boolean_mask's output shape depends on the mask values, so MXNet cannot bind it in a graph;
tests/ops/test_indices.py checks it on arrays."""
from op_cases import case, expr


def cases():
    return _arange_like() + _index_array() + _index_copy()


def _arange_like():
    arange = [
        ('arange_like_default', (2, 3), {}),
        ('arange_like_start_step', (2, 2, 3), {'start': 1.5, 'step': -0.25}),
        ('arange_like_repeat', (3, 4), {'start': 2, 'step': 3, 'repeat': 3}),
        ('arange_like_axis', (2, 5, 3), {'axis': 1, 'start': -1}),
        ('arange_like_negative_axis', (2, 5, 3), {'axis': -1, 'repeat': 2}),
    ]
    cases = [case(name, 'contrib.arange_like', {'data': shape}, kwargs)
             for name, shape, kwargs in arange]
    cases += [
        case('arange_like_float64', 'contrib.arange_like', {'data': (3, 3)},
             {'start': 0.1, 'step': 0.3}, dtype='float64'),
        case('arange_like_float16', 'contrib.arange_like', {'data': (2, 6)},
             {'start': 3, 'step': 0.5}, dtype='float16'),
    ]
    return cases


def _index_array():
    return [
        case('index_array_2d', 'contrib.index_array', {'data': (2, 3)}),
        case('index_array_3d', 'contrib.index_array', {'data': (2, 3, 2)}),
        case('index_array_axes', 'contrib.index_array', {'data': (3, 2, 2)}, {'axes': (1, 0)}),
        case('index_array_negative_axes', 'contrib.index_array', {'data': (2, 3, 4)},
             {'axes': (-1, 0, -1)}),
        case('index_array_float64', 'contrib.index_array', {'data': (4,)}, dtype='float64'),
    ]


def _index_copy():
    """Distinct row indices made from arange_like (every other row, some reversed)."""
    def copy_case(case_id, old, new, index, dtype='float32'):
        op = 'mx.sym.contrib.index_copy(old, %s, new)' % index
        return expr(case_id, op, {'old': old, 'new': new}, dtype=dtype)

    rows = 'mx.sym.contrib.arange_like(new, axis=0)'
    return [
        copy_case('index_copy_every_other', (5, 3), (3, 3), rows + ' * 2'),
        copy_case('index_copy_reversed', (4, 2, 2), (2, 2, 2), '3 - ' + rows),
        copy_case('index_copy_1d', (6,), (3,), rows + ' + 2'),
        copy_case('index_copy_float64', (5, 2), (2, 2), '4 - ' + rows + ' * 3',
                  dtype='float64'),
        copy_case('index_copy_int32', (4, 3), (2, 3), '3 - ' + rows + ' * 2', dtype='int32'),
    ]
