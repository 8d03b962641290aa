"""The `mx.test_utils` golden cases, written once against the package passed in as `mx` (MXNet
1.9.1 when recording, mxsym when testing). Each case returns plain data; `outcome` turns a call
into {'returns': value} or {'raises': class}, with what it printed. Shared by
make_test_utils_golden.py and tests/test_test_utils.py."""
import contextlib
import io
import os

import numpy as np

EXCEPTIONS = (AssertionError, ValueError, TypeError, KeyError, IndexError, OSError,
              RuntimeError)
FLOATS = (np.float16, np.float32, np.float64)
DTYPES = FLOATS + (np.bool_, np.int8, np.uint8, np.int32, np.uint32, np.int64, np.uint64)


def encode(value):
    """JSON-able form of a result: arrays keep their dtype, dtype keys become names."""
    if hasattr(value, 'asnumpy'):
        value = value.asnumpy()
    if isinstance(value, np.ndarray):
        return {'array': value.tolist(), 'dtype': value.dtype.name}
    if isinstance(value, (np.generic,)):
        return encode(np.asarray(value))
    if isinstance(value, dict):
        return {str(np.dtype(k)) if isinstance(k, (type, np.dtype)) else str(k): encode(v)
                for k, v in value.items()}
    if isinstance(value, (list, tuple, range)):
        return [encode(v) for v in value]
    return value


def outcome(call):
    """{'returns': result} or {'raises': the nearest builtin class}, plus printed lines and the
    'Error ...' / 'Location ...' lines of an AssertionError's message."""
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            result = {'returns': encode(call())}
    except EXCEPTIONS as err:
        result = {'raises': next(e.__name__ for e in EXCEPTIONS if isinstance(err, e))}
        if isinstance(err, AssertionError):
            result['message'] = [line.strip() for line in str(err).splitlines()
                                 if line.strip().startswith(('Error', 'Location'))]
    lines = [line for line in printed.getvalue().splitlines() if line.strip()]
    if lines:
        result['printed'] = lines
    return result


def _array(values, dtype=np.float32):
    return np.array(values, dtype=dtype)


# ---------------------------------------------------------------------------- tolerances
def tolerance_cases(mx):
    tu = mx.test_utils
    cases = {
        'default_rtols': tu.default_rtols,
        'default_atols': tu.default_atols,
        'default_numeric_eps': tu.default_numeric_eps,
        'get_rtol': lambda: [tu.get_rtol(), tu.get_rtol(0.5),
                             tu.get_rtol(None, np.dtype('float16'))],
        'get_atol': lambda: [tu.get_atol(), tu.get_atol(0.5),
                             tu.get_atol(None, np.dtype('float32'))],
        'get_etol': lambda: [tu.get_etol(), tu.get_etol(0.25)],
        'effective_dtype_nd': lambda: str(tu.effective_dtype(mx.nd.zeros((2,), dtype='float16'))),
        'get_tolerance_unknown_dtype': lambda: tu.get_tolerance(
            np.zeros(2, np.complex64), None, tu.default_rtols()),
        'get_tolerance_nd': lambda: [tu.get_tolerance(mx.nd.zeros((2,), dtype=d), None, defaults)
                                     for d in ('float16', 'float32', 'float64', 'int32')
                                     for defaults in (tu.default_rtols(), tu.default_atols())],
        'get_tols_numbers': lambda: [tu.get_tols(1.0, np.zeros(2, np.float32), None, None),
                                     tu.get_tols(3, np.zeros(2, np.float16), None, None),
                                     tu.get_tols(True, 2, None, None)],
    }
    for dtype in DTYPES:
        name = np.dtype(dtype).name
        data = np.zeros(2, dtype)
        cases['effective_dtype/' + name] = lambda data=data: str(tu.effective_dtype(data))
        cases['get_tolerance/' + name] = lambda data=data: [
            tu.get_tolerance(data, None, tu.default_rtols()),
            tu.get_tolerance(data, None, tu.default_atols()),
            tu.get_tolerance(data, 0.25, tu.default_rtols()),
            tu.get_tolerance(data, {np.dtype(np.float32): 0.5}, tu.default_atols())]
    for x in DTYPES:
        for y in (np.float16, np.float32, np.float64, np.int32, np.bool_):
            pair = np.zeros(2, x), np.zeros(2, y)
            cases['get_tols/%s-%s' % (np.dtype(x).name, np.dtype(y).name)] = \
                lambda pair=pair: [tu.get_tols(*pair, None, None),
                                   tu.get_tols(*pair, 0.3, {np.dtype(np.float64): 0.7})]
    return cases


# ---------------------------------------------------------------------------- comparisons
_NAN = float('nan')
_INF = float('inf')

COMPARISONS = {
    'equal_f32': ([1, 2, 3], 'float32', [1, 2, 3], 'float32', {}),
    'close_f32': ([1, 2, 3], 'float32', [1.00005, 2.0001, 3.0002], 'float32', {}),
    'far_f32': ([1, 2, 3, 4], 'float32', [1.1, 2, 3.5, 4.001], 'float32', {}),
    'close_f16': ([1, 2, 3], 'float16', [1.05, 2.01, 2.98], 'float16', {}),
    'far_f16': ([1, 2, 3], 'float16', [1.5, 2.01, 2.98], 'float16', {}),
    'close_f64': ([1, 2, 3], 'float64', [1 + 1e-6, 2, 3], 'float64', {}),
    'far_f64': ([1, 2, 3], 'float64', [1 + 1e-4, 2, 3], 'float64', {}),
    'f16_vs_f64': ([1, 2, 3], 'float16', [1.05, 2, 3], 'float64', {}),
    'f32_vs_f64': ([1, 2, 3], 'float32', [1.0005, 2, 3], 'float64', {}),
    'int_equal': ([1, 2, 3], 'int32', [1, 2, 3], 'int32', {}),
    'int_off_by_one': ([1, 2, 3], 'int32', [1, 2, 4], 'int32', {}),
    'int64_vs_f32': ([1, 2, 3], 'int64', [1, 2, 3.0001], 'float32', {}),
    'bool_equal': ([True, False], 'bool', [True, False], 'bool', {}),
    'bool_differ': ([True, False], 'bool', [True, True], 'bool', {}),
    'nan_unequal': ([1, _NAN, 3], 'float32', [1, _NAN, 3], 'float32', {}),
    'nan_equal': ([1, _NAN, 3], 'float32', [1, _NAN, 3], 'float32', {'equal_nan': True}),
    'inf': ([1, _INF, -_INF], 'float32', [1, _INF, -_INF], 'float32', {}),
    'inf_sign': ([1, _INF], 'float32', [1, -_INF], 'float32', {}),
    'rtol_number': ([1, 2, 3], 'float32', [1.1, 2.2, 3.3], 'float32', {'rtol': 0.2}),
    'atol_number': ([1, 2, 3], 'float32', [1.1, 2.2, 3.3], 'float32', {'atol': 0.5,
                                                                         'rtol': 0}),
    'tight_numbers': ([1, 2, 3], 'float32', [1.1, 2.2, 3.3], 'float32', {'atol': 0.05,
                                                                           'rtol': 0.01}),
    'rtol_dict': ([1, 2, 3], 'float32', [1.1, 2.2, 3.3], 'float32',
                  {'rtol': {np.dtype(np.float32): 0.2}}),
    'rtol_dict_other_dtype': ([1, 2, 3], 'float32', [1.1, 2.2, 3.3], 'float32',
                              {'rtol': {np.dtype(np.float16): 0.2}}),
    'scalar_close': (1.0, 'float32', 1.00001, 'float32', {}),
    'scalar_far': (1.0, 'float32', 2.0, 'float32', {}),
    'broadcast': ([[1, 2, 3], [1, 2, 3]], 'float32', [1, 2, 3], 'float32', {}),
    'broadcast_refused': ([[1, 2, 3], [1, 2, 3]], 'float32', [1, 2, 3], 'float32',
                          {'use_broadcast': False}),
    'matrix_far': ([[1, 2, 3], [4, 5, 6]], 'float32', [[1, 2.5, 3], [4, 5, 9]], 'float32',
                   {'names': ('EXPECTED', 'ACTUAL')}),
    'many_mismatches': (list(range(12)), 'float32', [v + 0.5 + 0.1 * v for v in range(12)],
                        'float32', {}),
    'few_mismatches_shown': (list(range(12)), 'float32',
                             [v + 0.5 + 0.1 * v for v in range(12)], 'float32',
                             {'mismatches': (3, 5)}),
    'all_mismatches_counted': (list(range(12)), 'float32',
                               [v + 0.5 + 0.1 * v for v in range(12)], 'float32',
                               {'mismatches': (2, 0)}),
}
KINDS = ('np', 'nd', 'np-nd')
# MXNet compares two NDArrays with its _contrib_allclose kernel, which refuses shapes that only
# broadcast and counts inf and -inf as close; mxsym compares them as numpy arrays.
ON_DEVICE_ONLY = ('broadcast', 'inf_sign')


def comparison_inputs(mx, name, kind):
    """The two arrays of a comparison case, as numpy arrays, NDArrays, or one of each."""
    a, a_dtype, b, b_dtype, _ = COMPARISONS[name]
    a, b = np.array(a, dtype=a_dtype), np.array(b, dtype=b_dtype)
    if kind == 'nd':
        return mx.nd.array(a, dtype=a.dtype), mx.nd.array(b, dtype=b.dtype)
    if kind == 'np-nd':
        return a, mx.nd.array(b, dtype=b.dtype)
    return a, b


def comparison_cases(mx):
    tu = mx.test_utils
    cases = {}
    for name, (_, _, _, _, options) in COMPARISONS.items():
        for kind in KINDS:
            if kind != 'np' and (np.ndim(COMPARISONS[name][0]) == 0 or 'bool' in name
                                 or kind == 'nd' and name in ON_DEVICE_ONLY):
                continue
            ab = comparison_inputs(mx, name, kind)
            cases['assert_almost_equal/%s/%s' % (name, kind)] = \
                lambda ab=ab, options=options: tu.assert_almost_equal(*ab, **options)
        a, b = comparison_inputs(mx, name, 'np')
        plain = {k: v for k, v in options.items() if k in ('equal_nan', 'use_broadcast')}
        numbers = {k: v for k, v in options.items() if k in ('rtol', 'atol')
                   and not isinstance(v, dict)}
        cases['almost_equal/' + name] = lambda a=a, b=b, o=dict(plain, **numbers): \
            bool(tu.almost_equal(a, b, **o))
        cases['same/' + name] = lambda a=a, b=b: bool(tu.same(a, b))
        if a.ndim:
            cases['find_max_violation/' + name] = lambda a=a, b=b: [
                [int(i) for i in v[0]] + [float(v[1])]
                for v in (tu._find_max_violation(*np.broadcast_arrays(a, b), 1e-3, 1e-4),)]
    cases['assert_almost_equal/number_b'] = lambda: tu.assert_almost_equal(
        _array([1.0]), 1.00001)
    cases['assert_almost_equal/number_both'] = lambda: tu.assert_almost_equal(2, 2)
    cases['assert_allclose/close'] = lambda: tu.assert_allclose(_array([1, 2]), _array([1, 2]))
    cases['assert_allclose/far'] = lambda: tu.assert_allclose(
        _array([1, 2]), _array([1, 2.000001]))
    cases['assert_allclose/nan'] = lambda: tu.assert_allclose(
        _array([1, _NAN]), _array([1, _NAN]))
    cases['locationError'] = lambda: [
        tu.locationError(_array([[1, 2], [3, 4]]), _array([[1, 2], [3, 5]]), (1, 1),
                         ('x', 'y')),
        tu.locationError(_array([1, 2]), _array([1, 3]), (1,), ('x', 'y'), maxError=True)]
    ignore_nan = {
        'nan_both': ([1, _NAN, 3], [1, _NAN, 3]),
        'nan_one_side': ([1, _NAN, 3], [1, 2, 3]),
        'nan_and_far': ([1, _NAN, 3], [1, 2, 4]),
        'no_nan_far': ([1, 2, 3], [1, 2, 3.5]),
    }
    for name, (a, b) in ignore_nan.items():
        cases['assert_almost_equal_ignore_nan/' + name] = lambda a=a, b=b: \
            tu.assert_almost_equal_ignore_nan(_array(a), _array(b))
    with_err = {
        'within_rate': ([1, 2, 3, 4, 5], [1, 2, 3, 4, 6], {'etol': 0.25}),
        'over_rate': ([1, 2, 3, 4, 5], [1, 2, 3, 5, 6], {'etol': 0.25}),
        'rate_zero': ([1, 2, 3, 4, 5], [1, 2, 3, 4, 6], {}),
        'rate_zero_close': ([1, 2, 3], [1, 2, 3.0001], {'etol': 0}),
        'rate_with_rtol': ([1, 2, 3, 4, 5], [1, 2, 3, 4.4, 5.6], {'etol': 0.1, 'rtol': 0.1}),
        'rate_nd': ([1, 2, 3, 4, 5], [1, 2, 3, 5, 6], {'etol': 0.5, 'nd': True}),
    }
    for name, (a, b, options) in with_err.items():
        def check(a=a, b=b, options=dict(options)):
            convert = mx.nd.array if options.pop('nd', False) else _array
            return tu.assert_almost_equal_with_err(convert(a), convert(b), **options)
        cases['assert_almost_equal_with_err/' + name] = check
    return cases


# -------------------------------------------------------------------------- small helpers
def _raise(error):
    raise error


def helper_cases(mx):
    tu = mx.test_utils
    cases = {
        'assert_exception/raises': lambda: tu.assert_exception(
            _raise, ValueError, ValueError('x')),
        'assert_exception/subclass': lambda: tu.assert_exception(
            _raise, Exception, KeyError('x')),
        'assert_exception/other_class': lambda: tu.assert_exception(
            _raise, ValueError, TypeError('x')),
        'assert_exception/no_raise': lambda: tu.assert_exception(abs, ValueError, -3),
        'assert_exception/kwargs': lambda: tu.assert_exception(int, ValueError, 'x', base=10),
        'same/lists': lambda: [bool(tu.same(np.ones(3), np.ones(3))),
                               bool(tu.same(np.ones(3), np.ones((1, 3)))),
                               bool(tu.same(np.ones(3, np.int32), np.ones(3, np.float64)))],
    }
    reduce_data = np.arange(24, dtype=np.float32).reshape(2, 3, 4) - 7
    for axis in (0, 2, (0, 2), [1, 2], None, (2, 0, 1)):
        for keepdims in (False, True):
            for func_name, func in (('sum', np.sum), ('max', np.max), ('prod', np.prod)):
                cases['np_reduce/%s/%s/%s' % (axis, keepdims, func_name)] = \
                    lambda axis=axis, keepdims=keepdims, func=func: tu.np_reduce(
                        reduce_data, axis, keepdims, func)
    collapse_data = np.arange(24, dtype=np.float64).reshape(2, 3, 4)
    for shape in ((2, 3, 4), (3, 4), (4,), (1, 4), (3, 1), (2, 1, 4), (1, 1, 1), (), (0, 4),
                  (2, 4), (1, 3, 4, 1)):
        cases['collapse_sum_like/%s' % (shape,)] = lambda shape=shape: tu.collapse_sum_like(
            collapse_data, shape)
    cases['collapse_sum_like/empty_input'] = lambda: tu.collapse_sum_like(
        np.zeros((0, 3), np.float32), (3,))

    def seeded(seed, call):
        def run():
            np.random.seed(seed)
            return call()
        return run

    for seed in (0, 7):
        cases['rand_shape_2d/%d' % seed] = seeded(seed, lambda: [
            tu.rand_shape_2d(), tu.rand_shape_2d(3, 4), tu.rand_shape_2d(2, 2, True)])
        cases['rand_shape_3d/%d' % seed] = seeded(seed, lambda: [
            tu.rand_shape_3d(), tu.rand_shape_3d(2, 3, 4), tu.rand_shape_3d(1, 1, 1, True)])
        cases['rand_shape_nd/%d' % seed] = seeded(seed, lambda: [
            list(tu.rand_shape_nd(4)), list(tu.rand_shape_nd(3, 2, True)),
            [type(d).__name__ for d in tu.rand_shape_nd(2)], type(tu.rand_shape_nd(2)).__name__,
            [type(d).__name__ for d in tu.rand_shape_2d()]])
        cases['random_arrays/%d' % seed] = seeded(seed, lambda: [
            tu.random_arrays((2, 3)), tu.random_arrays((2,), (), (1, 2))])
        cases['random_uniform_arrays/%d' % seed] = seeded(seed, lambda: [
            tu.random_uniform_arrays((2, 2)),
            tu.random_uniform_arrays((3,), low=-2, high=-1, dtype=np.float64)])
        cases['random_sample/%d' % seed] = seeded(seed, lambda: tu.random_sample(
            list(range(10)), 4))
        cases['rand_coord_2d/%d' % seed] = seeded(seed, lambda: [
            int(v) for v in tu.rand_coord_2d(0, 5, 10, 20)])
    cases['random_uniform_arrays/unknown_keyword'] = lambda: tu.random_uniform_arrays(
        (2,), scale=3)
    cases['random_sample/too_many'] = lambda: tu.random_sample([1, 2], 3)
    a = mx.nd.ones((2, 3))
    cases['same_array/itself'] = lambda: tu.same_array(a, a)
    cases['same_array/copy'] = lambda: tu.same_array(a, a.copy())
    cases['same_array/reshape'] = lambda: tu.same_array(a, a.reshape((2, 3)))
    cases['same_array/unchanged_after'] = lambda: a
    cases['environment'] = lambda: _environment_case(tu)
    cases['environment/one_argument'] = lambda: _environment_one_argument(tu)
    cases['list_gpus'] = lambda: [type(tu.list_gpus()).__name__, list(tu.list_gpus())]
    cases['same_symbol_structure'] = lambda: [
        tu.same_symbol_structure(mx.sym.sin(mx.sym.var('x')), mx.sym.sin(mx.sym.var('y'))),
        tu.same_symbol_structure(mx.sym.sin(mx.sym.var('x')), mx.sym.cos(mx.sym.var('x')))]
    return cases


def _environment_case(tu):
    name, other = 'MXSYM_TEST_UTILS_VAR', 'MXSYM_TEST_UTILS_OTHER'
    os.environ[name] = 'before'
    os.environ.pop(other, None)
    seen = []
    with tu.environment(name, 'inside'):
        seen.append(os.environ.get(name))
    seen.append(os.environ.get(name))
    with tu.environment({name: None, other: '1'}):
        seen += [os.environ.get(name), os.environ.get(other)]
    seen += [os.environ.get(name), os.environ.get(other)]
    try:
        with tu.environment(name, 'raised'):
            raise KeyError(name)
    except KeyError:
        seen.append(os.environ.get(name))
    del os.environ[name]
    return seen


def _environment_one_argument(tu):
    with tu.environment('MXSYM_TEST_UTILS_VAR'):
        pass


# ------------------------------------------------------------------------------- symbols
def symbols(mx):
    """name -> (symbol, argument shapes, aux shapes); every node named, so output names do
    not depend on what was built before."""
    sym = mx.sym
    x, y = sym.var('x'), sym.var('y')
    return {
        'mul_sin': (sym.elemwise_add(sym.elemwise_mul(x, y, name='mul'), sym.sin(x, name='sin'),
                                     name='add'), [(2, 3), (2, 3)], []),
        'sum_square': (sym.sum(sym.square(x, name='sq'), axis=1, name='sum'), [(2, 3)], []),
        'fc': (sym.FullyConnected(x, y, num_hidden=2, no_bias=True, name='fc'),
               [(2, 3), (2, 3)], []),
        'softmax': (sym.softmax(x, name='softmax'), [(2, 3)], []),
        'block_grad': (sym.elemwise_mul(x, sym.BlockGrad(x, name='stop'), name='mul'),
                       [(2, 3)], []),
        'batchnorm': (sym.BatchNorm(x, name='bn', use_global_stats=True, fix_gamma=False),
                      [(2, 3), (3,), (3,)], [(3,), (3,)]),
        'group': (sym.Group([sym.sin(x, name='sin'), sym.elemwise_mul(x, y, name='mul')]),
                  [(2, 3), (2, 3)], []),
        'log': (sym.log(x, name='log'), [(2, 3)], []),
        'loss': (sym.make_loss(sym.square(x, name='sq'), name='loss'), [(2, 3)], []),
        'take': (sym.take(x, y, name='take'), [(3, 2), (2,)], []),
    }


def inputs_for(name, shapes, low=-1.0, high=1.0):
    """Fixed float64 inputs of a symbol case."""
    rng = np.random.RandomState(sum(map(ord, name)))
    return [rng.uniform(low, high, shape) for shape in shapes]


def _aux_for(shapes):
    return [np.full(shape, 0.1 * (i + 1)) + np.arange(np.prod(shape)).reshape(shape) * 0.5
            for i, shape in enumerate(shapes)]


def reference(name, args, aux=()):
    """NumPy outputs and gradients (for a head gradient of ones) of a symbol case."""
    x = args[0]
    if name == 'mul_sin':
        y = args[1]
        return [x * y + np.sin(x)], [y + np.cos(x), x]
    if name == 'group':
        return [np.sin(x), x * args[1]], None
    if name == 'batchnorm':
        gamma, beta = args[1], args[2]
        mean, var = aux
        scale = gamma / np.sqrt(var + 1e-3)
        return [(x - mean) * scale + beta], None
    if name == 'log':
        return [np.log(x)], [1 / x]
    return None, None


def _cast(values, dtype):
    """The float64 inputs in `dtype` ('asnumpy': as they are)."""
    return [v if dtype == 'asnumpy' else v.astype(dtype) for v in values]


def _seeded(seed, call):
    np.random.seed(seed)
    return call()


def symbol_cases(mx):
    tu = mx.test_utils
    cases = {}
    table = symbols(mx)

    def location(name, dtype=np.float32, as_dict=False):
        sym, shapes, _ = table[name]
        values = [v.astype(dtype) for v in inputs_for(name, shapes)]
        if name == 'take':
            values[1] = np.array([2, 0], dtype=np.int32)
        return dict(zip(sym.list_arguments(), values)) if as_dict else values

    def aux(name, dtype=np.float32):
        return [v.astype(dtype) for v in _aux_for(table[name][2])]

    for name in ('mul_sin', 'sum_square', 'fc', 'softmax', 'batchnorm', 'take', 'block_grad'):
        sym = table[name][0]
        for dtype in (np.float32, np.float64):
            def numeric(name=name, sym=sym, dtype=dtype):
                values = location(name, dtype, as_dict=True)
                aux_values = dict(zip(sym.list_auxiliary_states(), aux(name, dtype))) or None
                executor = sym.bind(mx.cpu(), args={k: mx.nd.array(v, dtype=dtype)
                                                    for k, v in values.items()},
                                    aux_states=aux_values and {
                                        k: mx.nd.array(v, dtype=dtype)
                                        for k, v in aux_values.items()})
                eps = 1.0 / 2 ** 9 if dtype == np.float32 else 1e-6
                return tu.numeric_grad(executor, values, aux_values, eps=eps, dtype=dtype)
            cases['numeric_grad/%s/%s' % (name, np.dtype(dtype).name)] = numeric

    numeric_checks = {
        'mul_sin': lambda: tu.check_numeric_gradient(table['mul_sin'][0], location('mul_sin')),
        'sum_square_dict': lambda: tu.check_numeric_gradient(
            table['sum_square'][0], location('sum_square', as_dict=True)),
        'fc': lambda: tu.check_numeric_gradient(table['fc'][0], location('fc')),
        'batchnorm': lambda: tu.check_numeric_gradient(
            table['batchnorm'][0], location('batchnorm'), aux_states=aux('batchnorm'),
            grad_nodes=['x', 'bn_gamma']),
        'softmax_f64': lambda: tu.check_numeric_gradient(
            table['softmax'][0], location('softmax', np.float64), dtype=np.float64),
        'wrong_gradient': lambda: tu.check_numeric_gradient(
            table['block_grad'][0], location('block_grad')),
        'add_null': lambda: tu.check_numeric_gradient(
            table['mul_sin'][0], location('mul_sin'), grad_nodes={'x': 'add', 'y': 'null'}),
        'tight_tolerance': lambda: tu.check_numeric_gradient(
            table['mul_sin'][0], location('mul_sin'), rtol=1e-9, atol=1e-9),
        'grad_nodes_string': lambda: tu.check_numeric_gradient(
            table['mul_sin'][0], location('mul_sin'), grad_nodes='x'),
        'missing_argument': lambda: tu.check_numeric_gradient(
            table['mul_sin'][0], {'x': location('mul_sin')[0]}),
        'eps_too_small': lambda: tu.check_numeric_gradient(
            table['mul_sin'][0], location('mul_sin'), numeric_eps=1e-6),
        'eps_dict': lambda: tu.check_numeric_gradient(
            table['mul_sin'][0], location('mul_sin'),
            numeric_eps={np.dtype(np.float32): 1e-2}),
    }
    for name, call in numeric_checks.items():
        cases['check_numeric_gradient/' + name] = lambda call=call: _seeded(3, call)

    def forward(name, dtype=np.float32, change=0.0, **options):
        def run():
            values = location(name, np.float64)
            aux_values = aux(name, np.float64)
            expected = [e + change for e in reference(name, values, aux_values)[0]]
            return tu.check_symbolic_forward(
                table[name][0], _cast(values, dtype), expected,
                aux_states=_cast(aux_values, dtype) or None, dtype=dtype, **options)
        return run

    group_sym = table['group'][0]
    forward_checks = {
        'list': forward('mul_sin'),
        'wrong_expected': forward('mul_sin', change=0.1),
        'float16': forward('mul_sin', np.float16),
        'asnumpy': forward('mul_sin', 'asnumpy'),
        'float64_wrong_by_1e-4': forward('mul_sin', np.float64, change=1e-4),
        'group': forward('group'),
        'batchnorm_aux': forward('batchnorm'),
        'nan': forward('log'),
        'nan_equal': forward('log', equal_nan=True),
        'tolerance_given': forward('mul_sin', change=0.1, rtol=0, atol=0.2),
        'expected_dict': lambda: tu.check_symbolic_forward(
            group_sym, location('group'),
            dict(zip(group_sym.list_outputs(), reference('group', location('group'))[0]))),
        'location_dict': lambda: tu.check_symbolic_forward(
            group_sym, location('group', as_dict=True), reference('group', location('group'))[0]),
        'location_mismatch': lambda: tu.check_symbolic_forward(
            group_sym, {'x': location('group')[0], 'z': location('group')[1]}, [0, 0]),
        'aux_mismatch': lambda: tu.check_symbolic_forward(
            table['batchnorm'][0], location('batchnorm'), [0],
            aux_states={'bn_moving_mean': aux('batchnorm')[0]}),
        'aux_dict': lambda: tu.check_symbolic_forward(
            table['batchnorm'][0], location('batchnorm'),
            reference('batchnorm', location('batchnorm'), aux('batchnorm'))[0],
            aux_states=dict(zip(['bn_moving_mean', 'bn_moving_var'], aux('batchnorm')))),
    }
    for name, call in forward_checks.items():
        cases['check_symbolic_forward/' + name] = call

    def backward(name, grad_req='write', change=0.0, dtype=np.float32, as_dict=False,
                 out_grads='list', only=None, **options):
        def run():
            sym = table[name][0]
            values = location(name, np.float64)
            _, grads = reference(name, values)
            expected = [g + change for g in grads]
            if as_dict or only:
                expected = dict(zip(sym.list_arguments(), expected))
                expected = {k: v for k, v in expected.items() if only is None or k in only}
            ones = [np.ones(values[0].shape)]
            heads = {'list': ones, 'dict': dict(zip(sym.list_outputs(), ones)),
                     'none': None}[out_grads]
            return tu.check_symbolic_backward(sym, _cast(values, dtype), heads,
                                              expected, grad_req=grad_req, dtype=dtype,
                                              **options)
        return lambda: _seeded(5, run)

    backward_checks = {
        'write': backward('mul_sin'),
        'add': backward('mul_sin', 'add'),
        'null': backward('mul_sin', 'null'),
        'null_ignores_expected': backward('mul_sin', 'null', change=5.0),
        'list_req': backward('mul_sin', ['write', 'null']),
        'dict_req': backward('mul_sin', {'x': 'add', 'y': 'write'}),
        'expected_dict': backward('mul_sin', as_dict=True),
        'out_grads_dict': backward('mul_sin', out_grads='dict'),
        'only_x': backward('mul_sin', only=('x',)),
        'wrong_write': backward('mul_sin', change=0.1),
        'wrong_add': backward('mul_sin', 'add', change=0.1),
        'float64_wrong_by_1e-4': backward('mul_sin', change=1e-4, dtype=np.float64),
        'float16': backward('mul_sin', dtype=np.float16),
        'asnumpy': backward('mul_sin', dtype='asnumpy'),
        'tolerance_given': backward('mul_sin', change=0.1, rtol=0, atol=0.2),
        'nan_equal': backward('log', equal_nan=True),
        'nan': backward('log'),
        'loss_no_head': lambda: _seeded(5, lambda: tu.check_symbolic_backward(
            table['loss'][0], location('loss'), None, [2 * location('loss')[0]])),
        'group_heads': lambda: _seeded(5, lambda: tu.check_symbolic_backward(
            group_sym, location('group'), [np.ones((2, 3)), 2 * np.ones((2, 3))],
            [np.cos(location('group')[0]) + 2 * location('group')[1],
             2 * location('group')[0]])),
    }
    for name, call in backward_checks.items():
        cases['check_symbolic_backward/' + name] = call

    cases['simple_forward/one'] = lambda: tu.simple_forward(
        table['mul_sin'][0], **location('mul_sin', as_dict=True))
    cases['simple_forward/group'] = lambda: tu.simple_forward(
        group_sym, is_train=True, **location('group', as_dict=True))

    def contexts(name, *dtypes):
        sym, shapes, _ = table[name]
        return [dict(ctx=mx.cpu(), type_dict={k: d for k in sym.list_arguments()},
                     **dict(zip(sym.list_arguments(), shapes))) for d in dtypes]

    consistency = {
        'f32_f64': lambda: tu.check_consistency(table['mul_sin'][0],
                                                contexts('mul_sin', np.float32, np.float64)),
        'f64_f32_uniform': lambda: tu.check_consistency(
            table['mul_sin'][0], contexts('mul_sin', np.float64, np.float32), scale=0.5,
            use_uniform=True),
        'null': lambda: tu.check_consistency(
            table['group'][0], contexts('group', np.float32, np.float64), grad_req='null',
            arg_params=dict(zip(['x', 'y'], location('group', np.float64)))),
        'add': lambda: tu.check_consistency(
            table['fc'][0], contexts('fc', np.float32, np.float64), grad_req='add'),
        'f16_tight': lambda: tu.check_consistency(
            table['mul_sin'][0], contexts('mul_sin', np.float16, np.float64), rtol=1e-8,
            atol=1e-8),
        'f16_default': lambda: tu.check_consistency(
            table['mul_sin'][0], contexts('mul_sin', np.float16, np.float64)),
        'symbols': lambda: tu.check_consistency(
            [table['mul_sin'][0], table['mul_sin'][0]],
            contexts('mul_sin', np.float32, np.float32)),
        'one_context': lambda: tu.check_consistency(
            table['mul_sin'][0], contexts('mul_sin', np.float32)),
    }
    for name, call in consistency.items():
        cases['check_consistency/' + name] = lambda call=call: _seeded(11, call)
    cases['check_consistency/no_raise'] = lambda: _quiet_stderr(lambda: _seeded(
        11, lambda: sorted(tu.check_consistency(
            table['mul_sin'][0], contexts('mul_sin', np.float16, np.float64), rtol=1e-8,
            atol=1e-8, raise_on_err=False))))
    return cases


def _quiet_stderr(call):
    with contextlib.redirect_stderr(io.StringIO()):
        return call()


# ------------------------------------------------------------------- optimizers, downloads
def optimizer_cases(mx):
    tu = mx.test_utils
    opt = mx.optimizer

    def compare(make1, make2, shape=(3, 4), dtype=np.float32, **options):
        return lambda: tu.compare_optimizer(make1(), make2(), shape, dtype, **options)

    return {
        'compare_optimizer/sgd_same': compare(lambda: opt.SGD(learning_rate=0.1),
                                              lambda: opt.SGD(learning_rate=0.1)),
        'compare_optimizer/sgd_momentum': compare(
            lambda: opt.SGD(learning_rate=0.1, momentum=0.9, wd=0.01),
            lambda: opt.SGD(learning_rate=0.1, momentum=0.9, wd=0.01)),
        'compare_optimizer/sgd_other_rate': compare(lambda: opt.SGD(learning_rate=0.1),
                                                    lambda: opt.SGD(learning_rate=0.2)),
        'compare_optimizer/adam_other_beta': compare(lambda: opt.Adam(beta1=0.9),
                                                     lambda: opt.Adam(beta1=0.5)),
        'compare_optimizer/adam_states_skipped': compare(
            lambda: opt.Adam(beta1=0.9, learning_rate=0.0),
            lambda: opt.Adam(beta1=0.5, learning_rate=0.0), compare_states=False),
        'compare_optimizer/multi_precision': compare(
            lambda: opt.SGD(learning_rate=0.1, momentum=0.9, multi_precision=True),
            lambda: opt.SGD(learning_rate=0.1, momentum=0.9, multi_precision=True),
            dtype=np.float16),
        'compare_optimizer/multi_tensor': compare(
            lambda: opt.SGD(learning_rate=0.1, momentum=0.9),
            lambda: opt.SGD(learning_rate=0.1, momentum=0.9), shape=[(2, 3), (4,)], ntensors=2),
        'compare_optimizer/multi_tensor_other_rate': compare(
            lambda: opt.SGD(learning_rate=0.1, momentum=0.9),
            lambda: opt.SGD(learning_rate=0.3, momentum=0.9), shape=[(2, 3), (4,)], ntensors=2),
        'compare_optimizer/ntensors_without_list': compare(
            lambda: opt.SGD(), lambda: opt.SGD(), ntensors=2),
    }


def download_cases(mx, directory):
    """Downloads from a port nobody listens on; the file names relative to `directory`."""
    tu = mx.test_utils
    url = 'http://127.0.0.1:9/test_utils_missing.bin'

    def fetch(**options):
        def run():
            try:
                result = os.path.relpath(tu.download(url, **options), directory)
            except OSError:
                result = 'OSError'
            files = {}
            for root, _, names in os.walk(directory):
                for file_name in names:
                    with open(os.path.join(root, file_name)) as f:
                        files[os.path.relpath(os.path.join(root, file_name), directory)] = \
                            f.read()
            return [result, files]
        return run

    kept = os.path.join(directory, 'kept.bin')
    with open(kept, 'w') as f:
        f.write('local')
    return {
        'download/offline': fetch(dirname=os.path.join(directory, 'fresh'), retries=0),
        'download/offline_retries': fetch(dirname=os.path.join(directory, 'fresh'), retries=2),
        'download/offline_one_retry': fetch(dirname=os.path.join(directory, 'fresh'),
                                            retries=1),
        'download/kept': fetch(fname='kept.bin', dirname=directory),
        'download/overwrite': fetch(fname=kept, overwrite=True, retries=0),
        'download/negative_retries': fetch(fname=kept, retries=-1),
    }


def all_cases(mx, directory):
    """Every case, by name (they are run in sorted order)."""
    cases = {}
    for family in (tolerance_cases, comparison_cases, helper_cases, symbol_cases,
                   optimizer_cases):
        cases.update(family(mx))
    cases.update(download_cases(mx, directory))
    return cases
