"""mx.test_utils against MXNet 1.9.1: every case of golden/test_utils_cases.py returns, raises
and prints what MXNet's did (golden/test_utils.json, recorded by
golden/make_test_utils_golden.py); and each check_* helper fails on a wrong expectation."""
import json
import os
import sys

import numpy as np
import pytest

import mxsym as mx
from mxsym import test_utils as tu

GOLDEN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'golden')
sys.path.insert(0, GOLDEN_DIR)
from test_utils_cases import all_cases, outcome, symbols, inputs_for  # noqa: E402

with open(os.path.join(GOLDEN_DIR, 'test_utils.json')) as golden_file:
    GOLDEN = json.load(golden_file)

# Results computed by a graph differ from MXNet's in the last bits; finite differences in float32
# amplify that by 1 / eps.
COMPUTED = ('check_', 'simple_forward', 'numeric_grad')
# compare_optimizer draws its weights with mx.random, whose numbers are mxsym's own.
RANDOM = ('compare_optimizer',)


def tolerance(name):
    """(rtol, atol) for the numbers a case returns."""
    if name.startswith('numeric_grad') and name.endswith('float32'):
        return 1e-2, 2e-3
    if name.endswith('float16') or 'f16' in name:
        return 1e-3, 1e-3
    if name.startswith(COMPUTED):
        return 1e-5, 1e-6
    return 0, 0


def assert_matches(expected, actual, tol, where):
    if isinstance(expected, dict) and 'array' in expected:
        assert isinstance(actual, dict) and actual.get('dtype') == expected['dtype'], where
        want, got = np.array(expected['array'], float), np.array(actual['array'], float)
        assert want.shape == got.shape, where
        np.testing.assert_allclose(got, want, *tol, equal_nan=True, err_msg=where)
    elif isinstance(expected, dict):
        assert isinstance(actual, dict) and sorted(actual) == sorted(expected), where
        for key in expected:
            assert_matches(expected[key], actual[key], tol, '%s/%s' % (where, key))
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), where
        for i, (want, got) in enumerate(zip(expected, actual)):
            assert_matches(want, got, tol, '%s[%d]' % (where, i))
    elif isinstance(expected, float):
        assert isinstance(actual, (float, int)) and not isinstance(actual, bool), where
        np.testing.assert_allclose(actual, expected, *tol, equal_nan=True, err_msg=where)
    else:
        assert type(actual) is type(expected) and actual == expected, where


@pytest.fixture(scope='module')
def cases(tmp_path_factory):
    return all_cases(mx, str(tmp_path_factory.mktemp('downloads')))


@pytest.mark.parametrize('name', sorted(GOLDEN))
def test_matches_mxnet(cases, name):
    expected = GOLDEN[name]
    actual = outcome(cases[name])
    assert actual.get('raises') == expected.get('raises'), actual
    assert_matches(expected.get('returns'), actual.get('returns'), tolerance(name), name)
    if not name.startswith(COMPUTED + RANDOM):
        assert actual.get('message') == expected.get('message')
        assert actual.get('printed') == expected.get('printed')


def test_every_case_is_recorded(cases):
    assert sorted(cases) == sorted(GOLDEN)


@pytest.mark.parametrize('name', sorted(n for n in GOLDEN if n.startswith('numeric_grad/')))
def test_batched_numeric_grad_matches_mxnet(cases, name, monkeypatch):
    batched = []
    run_batch = tu._perturbed_sums
    monkeypatch.setattr(tu, 'PERTURBED_AT_ONCE_FROM', 1)
    monkeypatch.setattr(tu, '_perturbed_sums', lambda *a: batched.append(a[1]) or run_batch(*a))
    actual = outcome(cases[name])
    assert batched
    assert_matches(GOLDEN[name]['returns'], actual['returns'], tolerance(name), name)


@pytest.mark.parametrize('make, batched', [
    (lambda x: mx.sym.tanh(x) * 2, True),
    (lambda x: mx.sym.Dropout(x, p=0.5), False),   # each forward draws its own mask
], ids=['deterministic', 'random'])
def test_numeric_grad_batches_only_deterministic_graphs(make, batched, monkeypatch):
    calls = []
    run_batch = tu._perturbed_sums
    monkeypatch.setattr(tu, '_perturbed_sums', lambda *a: calls.append(a[1]) or run_batch(*a))
    x = np.random.RandomState(0).uniform(-1, 1, (20, 30))
    executor = make(mx.sym.var('x')).simple_bind(mx.cpu(), x=x.shape, type_dict={'x': 'float64'})
    gradient = tu.numeric_grad(executor, {'x': x}, eps=1e-6, dtype=np.float64)['x']
    assert calls == (['x'] if batched else [])
    if batched:
        # float64 central differences: truncation ~eps^2, rounding ~1e-16 / eps = 1e-10
        np.testing.assert_allclose(gradient, 2 / np.cosh(x) ** 2, rtol=1e-7, atol=1e-9)
    np.testing.assert_array_equal(executor.arg_dict['x'].asnumpy(), x)


# ------------------------------------------------------------------ the checks are not vacuous
TABLE = symbols(mx)


def _location(name):
    sym, shapes, _ = TABLE[name]
    return dict(zip(sym.list_arguments(), [v.astype(np.float32)
                                           for v in inputs_for(name, shapes)]))


def _mul_sin_expectations():
    x, y = _location('mul_sin')['x'], _location('mul_sin')['y']
    return x * y + np.sin(x), {'x': y + np.cos(x), 'y': x}


def _wrong_forward():
    output, _ = _mul_sin_expectations()
    tu.check_symbolic_forward(TABLE['mul_sin'][0], _location('mul_sin'), [output * 1.01])


def _wrong_backward(grad_req):
    _, grads = _mul_sin_expectations()
    grads['y'] = grads['y'] + 0.01
    tu.check_symbolic_backward(TABLE['mul_sin'][0], _location('mul_sin'),
                               [np.ones((2, 3))], grads, grad_req=grad_req)


def _wrong_numeric_gradient():
    tu.check_numeric_gradient(TABLE['block_grad'][0], _location('block_grad'))


def _wrong_ground_truth():
    sym = TABLE['mul_sin'][0]
    contexts = [{'ctx': mx.cpu(), 'x': (2, 3), 'y': (2, 3)}] * 2
    truth = tu.check_consistency(sym, contexts)
    truth = {k: v + 1 for k, v in truth.items()}
    tu.check_consistency(sym, contexts, ground_truth=truth)


def _wrong_optimizer():
    tu.compare_optimizer(mx.optimizer.SGD(learning_rate=0.1, momentum=0.9, wd=0.1),
                         mx.optimizer.SGD(learning_rate=0.1, momentum=0.9), (4, 5), np.float32)


@pytest.mark.parametrize('check', [
    _wrong_forward, lambda: _wrong_backward('write'), lambda: _wrong_backward('add'),
    _wrong_numeric_gradient, _wrong_ground_truth, _wrong_optimizer,
    lambda: tu.assert_almost_equal(np.ones(3), np.ones(3) * 1.001),
    lambda: tu.assert_almost_equal_with_err(np.arange(4.0), np.arange(4.0) + [0, 0, 1, 1],
                                            etol=0.4),
    lambda: tu.assert_almost_equal_ignore_nan(np.array([np.nan, 1.0]), np.array([0.0, 2.0])),
    lambda: tu.assert_exception(abs, ValueError, -1),
], ids=['forward', 'backward_write', 'backward_add', 'numeric_gradient', 'consistency',
        'optimizer', 'almost_equal', 'with_err', 'ignore_nan', 'exception'])
def test_check_fails_on_a_wrong_expectation(check):
    with pytest.raises(AssertionError):
        check()


def test_checks_pass_on_the_right_expectation():
    output, grads = _mul_sin_expectations()
    sym, location = TABLE['mul_sin'][0], _location('mul_sin')
    tu.check_symbolic_forward(sym, location, [output])
    tu.check_symbolic_backward(sym, location, [np.ones((2, 3))], grads)
    tu.check_symbolic_backward(sym, location, [np.ones((2, 3))], grads, grad_req='add')
    tu.check_numeric_gradient(sym, location)


# ---------------------------------------------------------------------------- side effects
def test_discard_stderr_silences_the_stderr_descriptor(capfd):
    with tu.discard_stderr():
        os.write(sys.stderr.fileno(), b'hidden\n')
    os.write(sys.stderr.fileno(), b'shown\n')
    assert capfd.readouterr().err == 'shown\n'


def test_download_failure_names_the_url_and_keeps_no_partial_file(tmp_path):
    url = 'http://127.0.0.1:9/absent.bin'
    with pytest.raises(OSError, match='absent.bin'):
        tu.download(url, dirname=str(tmp_path), retries=0)
    assert os.listdir(tmp_path) == []
