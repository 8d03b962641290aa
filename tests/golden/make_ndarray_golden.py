"""Writes ndarray.json: MXNet 1.9.1's answers to the NDArray cases that test_ndarray.py replays.

Run it with MXNet 1.9.1 installed: ``python make_ndarray_golden.py``. Each case is a snippet
run with ``nd`` (``mx.nd``), ``np``, ``cpu`` and the shared inputs in scope; it leaves its result
in ``out``, and the file records what ``out`` is, or the name of the exception raised.
"""
import json
import os
import warnings

import mxnet as mx
import numpy as np

INPUTS = {
    'LHS': [[-3.5, -1.0, 0.0], [0.5, 2.0, 7.25]],
    'RHS': [[2.0, -3.0, 3.0], [1.5, -4.0, 2.5]],
    'ROW': [1.5, -2.0, 4.0],
    'COL': [[3.0], [-2.0]],
}
DTYPES = ['float32', 'float64', 'float16', 'int32', 'int64', 'uint8']
OPERATORS = ['+', '-', '*', '/', '%', '**', '==', '!=', '>', '>=', '<', '<=']
BAD_FLOATS = 'np.array([300., -1., 2.5, -2.5, 1e10, -1e10, np.nan, np.inf])'


def repr_cases():
    cases = []
    for dtype in DTYPES:
        for shape in [(12,), (3, 4), (2, 2, 3)]:
            cases.append("out = nd.array(np.arange(-4, 8).reshape(%s) * 0.75, dtype='%s')"
                         % (shape, dtype))
        cases.append("out = nd.arange(1200, dtype='%s').reshape((40, 30))" % dtype)
    return cases + [
        'out = nd.arange(0, 120, 0.1, dtype="float64")',
        'out = nd.array([1e-5, 1e5])',
        'out = nd.array([[1e10, 1.0], [0.1, -2.5]])',
        'out = nd.array([0.1, 1 / 3, -2.0], dtype="float64")',
        'out = nd.array([np.nan, np.inf, -np.inf, -0.0])',
        'out = nd.array([1.1, 2.2, 1000.5], dtype="float16")',
        'out = nd.array([True, False], dtype="bool")',
        'out = nd.array(3.0)',
        'out = nd.array([])',
        'out = nd.empty((2, 0, 3))',
        'out = nd.ones((1, 1, 1), ctx=cpu(0))',
    ]


def arithmetic_cases():
    cases = []
    for dtype in DTYPES:
        x, y = "nd.array(LHS, dtype='%s')" % dtype, "nd.array(RHS, dtype='%s')" % dtype
        for op in OPERATORS:
            for lhs, rhs in [(x, y), (x, '2.5'), (x, '3'), ('-1.5', y)]:
                cases.append('out = %s %s %s' % (lhs, op, rhs))
        cases += ['out = -%s' % x, 'out = abs(%s)' % x]
    for dtype in ['float32', 'int32']:
        x = "nd.array(LHS, dtype='%s')" % dtype
        for op in ['+', '-', '/', '%', '>']:
            cases.append("out = %s %s nd.array(ROW, dtype='%s')" % (x, op, dtype))
            cases.append("out = %s %s nd.array(COL, dtype='%s')" % (x, op, dtype))
    return cases + [
        'out = nd.array(ROW) - nd.array(COL)',
        'out = nd.ones((2, 1, 3)) + nd.ones((4, 1))',
        'out = nd.ones((2, 3)) + nd.ones((4,))',
        'out = nd.ones(3) + nd.ones(3, dtype="float64")',
        'out = nd.ones(3, dtype="int32") + nd.ones(3)',
        'out = nd.ones(3) + [1, 2, 3]',
        'out = nd.ones(3) + np.ones(3)',
        'out = np.ones(3) + nd.ones(3)',
        'out = nd.ones(3) == None',
        'out = nd.ones(3) // 2',
        'out = nd.add(2, 3)',
        'out = nd.equal(2, 2)',
        'out = nd.greater(2, nd.array(ROW))',
        'out = nd.logical_and(nd.array(LHS), nd.array(COL))',
        'out = nd.logical_or(nd.array(LHS), 0.0)',
        "out = nd.logical_xor(2, nd.array(LHS, dtype='int32'))",
        'out = nd.logical_and(1, 0)',
        'out = nd.logical_xor(nd.array(ROW), nd.array(LHS))',
        "out = nd.true_divide(nd.array(LHS), nd.array(RHS))",
        'out = nd.array(LHS) * np.float64(2)',
        'out = nd.array(LHS) + np.int32(2)',
        'out = nd.array(LHS) * True',
        "out = nd.array([7, 3, -2, 11], dtype='int32') ** 9",
        "out = nd.array([7, 3, -2, 11], dtype='int64') ** 20",
        "out = nd.array([7, 3, -2, 11], dtype='int64') * -2.9",
        "out = nd.array([7, -2], dtype='int64') + 2 ** 53",
        "out = nd.array([1, 200, 3], dtype='uint8') + 300",
        "out = nd.array([1, 200, 3], dtype='uint8') + 1e10",
        "out = nd.array([1, 200, 3], dtype='uint8') * -2.5",
        "out = nd.array([1, 100, -3], dtype='int8') + 100",
        "out = nd.array([1.1, 2.2, 1000.5], dtype='float16') * 3.3",
        'out = nd.array([0.1, 1e10, -3.3]) % 0.3',
        'out = nd.array([0.1, 1e10, -3.3], dtype="float64") % 0.3',
        'out = nd.array([1.5, -2.5, 3.5]) % 0',
        'out = nd.array([1.5, -2.5, 3.5]) / 0',
        'out = -7.5 % nd.array([1.5, -2.5, 0])',
        'out = nd.array([-0.0, 0.0, -3.0, 3.0]) % 1.5',
        'out = nd.array([-0.0, 0.0, -3.0, 3.0]) % -1.5',
        "out = nd.array([-7, 7, 5], dtype='int32') % nd.array([3, -3, 0], dtype='int32')",
        "out = nd.array([2 ** 60 + 3, -(2 ** 60 + 3), 2 ** 53 + 1], dtype='int64') % 7",
        "out = nd.array([2 ** 60 + 3, -(2 ** 60 + 3)], dtype='int64') / 7",
        'out = nd.array([np.nan, 1]) == nd.array([np.nan, 1])',
        'out = nd.array([np.nan, 1]) != np.nan',
    ]


def inplace_cases():
    cases = []
    for dtype in ['float32', 'int32', 'uint8']:
        for op in ['+', '-', '*', '/', '%']:
            for operand in ['2.5', "nd.array(RHS, dtype='%s')" % dtype]:
                cases.append("x = nd.array(LHS, dtype='%s'); y = x; x %s= %s; out = (x is y, x)"
                             % (dtype, op, operand))
    return cases + [
        'x = nd.ones((2, 3)); x += nd.array(ROW); out = x',
        'x = nd.ones((1, 3)); x += nd.ones((2, 3)); out = x',
        'x = nd.array(ROW); y = x; x **= 2; out = (x is y, x)',
        'x = nd.ones(3); x += "a"; out = x',
    ]


def indexing_cases():
    keys = ['1', '-1', 'slice(0, 1)', 'slice(1, None)', 'slice(None)', '(1, 2)', '(1, 2, 3)',
            '(0, slice(None), 1)', '(slice(None), 1)', '(slice(None, None, -1),)',
            '(slice(0, 2), slice(1, 3), slice(None, None, 2))', '(Ellipsis, 1)',
            '(None, 0)', '(0, None)', '(slice(None), None)', '(1, Ellipsis)', 'np.int64(1)',
            'True', '()', 'slice(5, 9)', '(slice(-5, 1),)', 'slice(2, 1)', '2', '-3',
            '(0, 0, 0, 0)', '(Ellipsis, Ellipsis)', '1.5', '[1, 0]', '(slice(None), [2, 0])',
            '([1, 0], [2, 1])', '(slice(None), nd.array([2, 0]))']
    cases = ['x = nd.arange(24).reshape((2, 3, 4)); out = x[%s]' % key for key in keys]
    return cases + [
        'out = nd.arange(5)[0]',
        'out = nd.arange(5)[-1]',
        'out = nd.arange(5)[::2]',
        'out = [row.shape for row in nd.arange(6).reshape((2, 3))]',
        'x = nd.arange(8).reshape((2, 2, 2)); y = x[0]; y[:] = -1; out = x',
        'x = nd.arange(8).reshape((2, 2, 2)); y = x[:, :, 1]; y[:] = -1; out = x',
        'x = nd.arange(8).reshape((2, 2, 2)); y = x[1, :1, :]; y[:] = -1; out = x',
        'x = nd.arange(6); y = x.reshape((2, 3)); y[:] = 7; out = x',
        'x = nd.arange(6); y = x[1:3]; x[:] = 9; out = y',
        'x = nd.arange(6); y = x[2:]; x += 1; out = y',
        'x = nd.arange(6); y = x[1:3]; y += 100; out = x',
        'x = nd.arange(12).reshape((4, 3)); y = x.reshape((2, 6))[1]; y[:] = -1; out = x',
        'x = nd.arange(12).reshape((4, 3)); y = x[1:3][1]; y[:] = -5; out = x',
        'x = nd.arange(6); y = x.copy(); y[:] = 1; out = x',
        'x = nd.arange(6); y = x.astype("float32"); y[:] = 1; out = x',
        'x = nd.arange(6); y = x.astype("float32", copy=False); y[:] = 1; out = x',
        'x = nd.arange(3); out = (x[:] is x, x[0:3] is x, x[()] is x)',
    ]


def setitem_cases():
    assignments = [
        '[:] = 1', '[:, 1:2] = 2.7', '[1:2, 1:] = -3.5', '[1:, 0:2] = nd.array([[5, 6]])',
        '[1, 2] = 4', '[0] = np.array([7.9, -8.9, 300.2])', '[:] = np.array([1, 2, 3])',
        '[:] = nd.array([4.5, 5, 6])', '[::-1, 0:2:2] = [6]', '[1] = 2.7',
        '[:] = [[1, 2, 3], [4, 5, 6]]', "[-1, ::2] = nd.array([10, 11], dtype='int32')",
        '[0] = nd.ones((1, 1, 3))', '[:, 1] = [7, 8]', '[:] = True', '[1] = 300',
        '[[0, 1], [1, 2]] = 5', '[:] = nd.ones((3, 2))', '[:] = np.ones((3, 2))',
        '[5] = 1', "[0] = 'abc'",
    ]
    return ["x = nd.zeros((2, 3), dtype='%s'); x%s; out = x" % (dtype, assignment)
            for dtype in ['float32', 'int32', 'uint8'] for assignment in assignments]


def method_cases():
    cases = ["out = nd.array(%s, dtype='float64').astype('%s')" % (BAD_FLOATS, dtype)
             for dtype in ['uint8', 'int32', 'int64', 'float16', 'float32']]
    return cases + [
        "out = nd.array([300, -1, 2 ** 31 - 1], dtype='int64').astype('uint8')",
        "out = nd.array([300, -1, 2 ** 31 - 1], dtype='int64').astype(np.float16)",
        'x = nd.ones((2, 3)); out = (x.shape, x.size, x.ndim, x.stype, str(x.context), '
        'str(x.ctx), str(x.dtype))',
        "out = str(nd.ones(2, dtype='int64').dtype)",
        'out = nd.array([[1, 2, 3], [4, 5, 6]]).T',
        'x = nd.arange(3); out = x.T is x',
        "out = nd.array([5], dtype='int32').asscalar()",
        'out = nd.array([[7]]).asscalar()',
        'out = nd.array([1, 2]).asscalar()',
        'out = type(nd.ones(2).asnumpy()).__name__',
        'out = (bool(nd.array([0])), bool(nd.array([2])), bool(nd.empty((0,))))',
        'out = bool(nd.array([1, 2]))',
        'out = len(nd.zeros((4, 2)))',
        'out = len(nd.array(3.0))',
        'out = repr(nd.ones(2)) == str(nd.ones(2))',
        'x = nd.arange(6); out = x.reshape(3, 2)',
        'out = nd.arange(6).reshape((3, -1))',
        'out = nd.arange(6).reshape([-1])',
        'out = nd.arange(6).reshape(shape=(6, 1))',
        'out = nd.ones((2, 3, 4)).reshape((-1, 0)).shape',
        'out = nd.ones((2, 3, 4)).reshape((-1, 0), reverse=True).shape',
        'out = nd.ones((2, 3)).reshape((0, -1)).shape',
        'out = nd.arange(6).reshape(4, 2)',
        'out = nd.arange(4).reshape((3,))',
        'out = nd.arange(4).reshape((-1, 3))',
        'out = nd.arange(6).reshape((-1, -1))',
        'out = nd.arange(6).reshape((2, 3), order="C")',
        "z = nd.zeros(6, dtype='int32'); out = (nd.arange(6).copyto(z) is z, z)",
        'out = nd.arange(6).copyto(nd.zeros(5))',
        'x = nd.ones(3); out = x.copyto(x)',
        'x = nd.ones(3); out = (x.copyto(cpu()) is x, x.as_in_context(cpu()) is x)',
        'out = nd.arange(6).copyto(cpu(0))',
        'out = nd.arange(6).copyto([1])',
    ]


def creation_cases():
    return [
        'out = nd.array([1, 2])',
        'out = nd.array(np.array([1, 2]))',
        'out = nd.array(np.array([1.25, 2.0]))',
        "out = nd.array(nd.array([1, 2], dtype='int32'))",
        "out = nd.array(nd.array([1.5, -2.5]), dtype='int32')",
        "out = nd.array([1.5, 2], dtype='int32')",
        "out = nd.array([300, -1], dtype='uint8')",
        'out = nd.array((1, 2))',
        'out = nd.array(5)',
        'out = nd.array([[1], [2]], dtype=np.float64)',
        'out = nd.array([True, False])',
        'out = nd.array(np.float32(2.5))',
        'out = nd.ones(3)',
        "out = nd.ones((2, 3), dtype='int32')",
        'out = nd.ones(3, dtype=np.float16)',
        'out = nd.zeros([2, 2])',
        "out = nd.zeros((2,), dtype='uint8')",
        'out = nd.empty(2).shape',
        "out = str(nd.empty(2, dtype='int64').dtype)",
        'out = nd.full((2, 2), 2.7)',
        "out = nd.full(3, 2.7, dtype='int32')",
        "out = nd.full(3, -1, dtype='uint8')",
        "out = nd.full(3, 7, dtype='float64')",
        "out = nd.full((2,), 1 / 3, dtype='float64')",
        'out = nd.full((2, 3), np.array([1, 2, 3]))',
        'out = nd.arange(5)',
        'out = nd.arange(2, 6, step=1.5, repeat=2)',
        "out = nd.arange(2, 6, step=2, repeat=3, dtype='int32')",
        'out = nd.arange(0, 1, 0.1)',
        'out = nd.arange(0.3, 5, 0.7)',
        'out = nd.arange(5, 0, -1)',
        'out = nd.arange(1e8, 1e8 + 5)',
        "out = nd.arange(0.5, 3, dtype='int32')",
        "out = nd.arange(0, 2.5, 0.5, dtype='int32')",
        "out = nd.arange(-2.5, 2, 1.1, dtype='int64')",
        "out = nd.arange(2040, 2060, 3, dtype='float16')",
        "out = nd.arange(0, 1, 1 / 3, dtype='float64')",
        "out = nd.arange(3, dtype=None)",
        'out = nd.arange(5, 0)',
        'out = nd.arange(0, 5, 0)',
    ]


def describe(out):
    """What a snippet's result is, in JSON terms."""
    if isinstance(out, mx.nd.NDArray):
        values = out.asnumpy()
        summary = {'dtype': np.dtype(out.dtype).name, 'shape': list(out.shape)}
        if values.size > 100:  # large arrays are told apart by their repr and their sum
            return dict(summary, sum=values.astype(np.float64).sum())
        return dict(summary, values=values.tolist())
    if isinstance(out, np.ndarray):
        return {'ndarray': out.tolist(), 'dtype': out.dtype.name}
    if isinstance(out, np.generic):
        return {'scalar': out.item(), 'dtype': out.dtype.name}
    if isinstance(out, (tuple, list)):
        return {'items': [describe(item) for item in out]}
    return {'value': out}


def run(code, with_repr=False):
    scope = dict(INPUTS, nd=mx.nd, np=np, cpu=mx.cpu)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            exec(code, scope)
    except Exception as error:  # the exception type is the answer to record
        return {'code': code, 'error': type(error).__name__}
    case = dict(code=code, **describe(scope['out']))
    if with_repr:
        case['repr'] = repr(scope['out'])
    return case


def main():
    golden = {
        'inputs': INPUTS,
        'repr': [run(code, with_repr=True) for code in repr_cases()],
        'arithmetic': [run(code) for code in arithmetic_cases()],
        'inplace': [run(code) for code in inplace_cases()],
        'indexing': [run(code) for code in indexing_cases()],
        'setitem': [run(code) for code in setitem_cases()],
        'methods': [run(code) for code in method_cases()],
        'creation': [run(code) for code in creation_cases()],
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'ndarray.json')
    with open(path, 'w') as f:
        f.write('{\n')
        sections = list(golden.items())
        for position, (name, cases) in enumerate(sections):
            if isinstance(cases, dict):
                f.write('"%s": %s' % (name, json.dumps(cases)))
            else:
                f.write('"%s": [\n%s\n]' % (name, ',\n'.join(json.dumps(c) for c in cases)))
            f.write(',\n' if position < len(sections) - 1 else '\n')
        f.write('}\n')


if __name__ == '__main__':
    main()
