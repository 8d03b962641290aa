"""Replay an operator golden case (written by tests/golden/make_ops_golden.py from MXNet 1.9.1).

The checks take the ``mx`` module as an argument and use only MXNet's public Symbol API.
"""
import contextlib
import difflib
import functools
import json
import os

import numpy as np

GOLDEN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, 'golden', 'ops')

# (rtol, atol) per dtype, several times the gap between MXNet's result in that dtype and its
# float64 result on the same inputs. float16 carries only 11 significant bits, so one rounding
# taken in float32 instead of float16 already moves a value by about 1e-3. float64 is tight
# enough to catch a parameter rounded to float32 (MXNet does so for BatchNorm's eps and momentum).
TOLERANCE = {'float16': (5e-3, 5e-3), 'float32': (1e-5, 1e-5), 'float64': (1e-11, 1e-13)}


def load_cases(family):
    """The family's cases; each carries its arrays under 'arrays', keyed '<kind>:<name>'."""
    with open(os.path.join(GOLDEN_DIR, family + '.json')) as handle:
        cases = json.load(handle)
    with np.load(os.path.join(GOLDEN_DIR, family + '.npz')) as npz:
        arrays = {key: npz[key] for key in npz.files}
    for case in cases:
        prefix = case['id'] + ':'
        case['arrays'] = {key[len(prefix):]: value for key, value in arrays.items()
                          if key.startswith(prefix)}
    return cases


def case_id(case):
    return case['id']


# Known numeric gaps, each a strict xfail so that a fix shows up as an unexpected pass.
# softmin_dtype_float64: in one element MXNet's expf rounds differently from a correctly
# rounded exp (0.4998 ulp from a float32), beyond the float64 tolerance.
KNOWN_GAPS = {'softmin_dtype_float64': "MXNet's expf rounding in one element"}
# The known gaps that already show in an inference forward.
INFERENCE_GAPS = {'softmin_dtype_float64'}

# Cases whose float32 arrays are computed from float16 values, compared at float16's tolerance.
# bn_float16: MXNet's kernel sums float16-rounded products of the centred data and the head
# gradient into the float32 gamma gradient, in its own summation order; mxsym rounds the same
# products, but a sum order that flips one float16 rounding moves the sum by about 1e-4.
FLOAT16_COMPUTED = {'bn_float16'}


def executor_params(mx, cases):
    """Cases for `check_executor`; the known gaps as strict xfails."""
    import pytest
    return [pytest.param(case, id=case_id(case),
                         marks=pytest.mark.xfail(raises=AssertionError, strict=True,
                                                 reason=KNOWN_GAPS[case_id(case)])
                         if case_id(case) in KNOWN_GAPS else ())
            for case in cases]


def with_tuples(value):
    """JSON turns tuples into lists; every list in a case's kwargs stands for a tuple."""
    return tuple(value) if isinstance(value, list) else value


def build_symbol(mx, case):
    """The case's symbol, named by a fresh NameManager so auto names start at 0."""
    with mx.name.NameManager():
        variables = {name: mx.sym.Variable(name) for name in case['variables']}
        if not case['op'].replace('.', '_').isidentifier():
            return eval(case['op'], {'mx': mx}, variables)
        function = functools.reduce(getattr, case['op'].split('.'), mx.sym)
        kwargs = {key: with_tuples(value) for key, value in case['kwargs'].items()}
        if case['positional']:
            return function(*variables.values(), **kwargs)
        return function(**variables, **kwargs)


def shapes_of(case):
    return {name: tuple(shape) for name, shape in case['shapes'].items()}


@contextlib.contextmanager
def case_environment(case):
    """The case's environment variables set, and restored afterwards."""
    saved = {name: os.environ.get(name) for name in case.get('environment', {})}
    os.environ.update(case.get('environment', {}))
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def assert_same(actual, expected, what):
    assert actual == expected, '%s: got %r, MXNet gives %r' % (what, actual, expected)


def check_symbol(mx, case):
    """Names, inferred shapes and types, and the exact JSON match MXNet's."""
    sym = build_symbol(mx, case)
    expected = case['expected']
    for method in ['list_arguments', 'list_outputs', 'list_auxiliary_states']:
        assert_same(getattr(sym, method)(), expected[method], method)
    for kind, shapes in zip(['arg', 'out', 'aux'], sym.infer_shape(**shapes_of(case))):
        assert_same([list(shape) for shape in shapes], expected['infer_shape'][kind],
                    'infer_shape ' + kind)
    for kind, types in zip(['arg', 'out', 'aux'], sym.infer_type(**case['types'])):
        assert_same([np.dtype(t).name for t in types], expected['infer_type'][kind],
                    'infer_type ' + kind)
    text = sym.tojson()
    diff = difflib.unified_diff(expected['tojson'].splitlines(), text.splitlines(),
                                'MXNet', 'tojson()', lineterm='')
    assert text == expected['tojson'], 'tojson() differs:\n' + '\n'.join(diff)


def assert_matches(actual, expected, what, precision=None):
    """Same dtype and shape; integers exactly, floats within the tolerance of their dtype (or
    of the lower `precision` they were computed in)."""
    assert_same(actual.dtype, expected.dtype, what + ' dtype')
    assert_same(actual.shape, expected.shape, what + ' shape')
    if np.issubdtype(expected.dtype, np.integer):
        np.testing.assert_array_equal(actual, expected, err_msg=what)
    else:
        rtol, atol = TOLERANCE[precision or expected.dtype.name]
        np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol, err_msg=what)


def check_executor(mx, case):
    """simple_bind, inference forward, training forward and backward match MXNet's arrays."""
    sym = build_symbol(mx, case)
    arrays = case['arrays']
    grad_req = case.get('grad_req', 'write')
    exe = sym.simple_bind(mx.cpu(), grad_req=grad_req, type_dict=case['types'], **shapes_of(case))
    for name in sym.list_arguments():
        exe.arg_dict[name][:] = arrays['arg:' + name]
    for name in sym.list_auxiliary_states():
        exe.aux_dict[name][:] = arrays['aux:' + name]
    heads = [arrays['head:%d' % index] for index in range(len(sym.list_outputs()))]

    exe.forward(is_train=False)
    for index, out in enumerate(exe.outputs):
        assert_matches(out.asnumpy(), arrays['out_infer:%d' % index], 'inference output %d' % index)
    exe.forward(is_train=True)
    for index, out in enumerate(exe.outputs):
        assert_matches(out.asnumpy(), arrays['out_train:%d' % index], 'training output %d' % index)
    if grad_req == 'null':
        return
    exe.backward([mx.nd.array(head, dtype=head.dtype) for head in heads])
    precision = 'float16' if case_id(case) in FLOAT16_COMPUTED else None
    for name in sym.list_arguments():
        assert_matches(exe.grad_dict[name].asnumpy(), arrays['grad:' + name], 'grad of ' + name,
                       precision)
    for name in sym.list_auxiliary_states():
        assert_matches(exe.aux_dict[name].asnumpy(), arrays['aux_after:' + name],
                       'aux state %s after training' % name)
    for name in sym.list_arguments():
        expected = arrays.get('arg_after:' + name, arrays['arg:' + name])
        assert_matches(exe.arg_dict[name].asnumpy(), expected, 'argument %s after training' % name)


def golden_tests(mx, family):
    """The two standard tests of a family's golden cases, for its test module to bind:
    ``test_symbol, test_forward_backward = golden_tests(mx, 'nn')``."""
    import pytest
    cases = load_cases(family)

    @pytest.mark.parametrize('case', cases, ids=case_id)
    def test_symbol(case):
        with case_environment(case):
            check_symbol(mx, case)

    @pytest.mark.parametrize('case', executor_params(mx, cases))
    def test_forward_backward(case):
        with case_environment(case):
            check_executor(mx, case)
    return test_symbol, test_forward_backward
