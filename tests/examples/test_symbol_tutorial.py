"""The Symbol tutorial, block by block, against what MXNet 1.9.1 showed.

The blocks, the networks' numeric cases and the way they are run come from
tests/golden/make_tutorial_golden.py, which recorded tutorial.json and tutorial.npz from MXNet.
"""
import fnmatch
import importlib.util
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import mxsym as mx

# The module's tests share a costly fixture: one worker runs them all.
pytestmark = pytest.mark.xdist_group('symbol_tutorial')

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir))
EXAMPLE = os.path.join(ROOT, 'examples', 'symbol_tutorial.py')


def _load_golden_script():
    path = os.path.join(ROOT, 'tests', 'golden', 'make_tutorial_golden.py')
    spec = importlib.util.spec_from_file_location('make_tutorial_golden', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


golden = _load_golden_script()
with open(golden.GOLDEN_JSON) as f:
    GOLDEN = json.load(f)
with np.load(golden.GOLDEN_NPZ) as npz:
    GOLDEN_ARRAYS = dict(npz)


def leaves(tree, path=()):
    """(path, value) for every recorded value; an array (dtype and values) is one value."""
    if isinstance(tree, dict) and set(tree) != {'array', 'dtype'}:
        for key, subtree in tree.items():
            yield from leaves(subtree, path + (key,))
    else:
        yield path, tree


RECORDED = dict(leaves(GOLDEN['blocks']))


def assert_close(got, want, name, atol_floor=1e-6):
    """float32 agreement: rtol 1e-5, atol 1e-5 of the array's peak (at least `atol_floor`), since
    a float32 sum of many terms is off by rounding in proportion to its terms, not its result."""
    assert got.dtype == want.dtype and got.shape == want.shape, name
    if want.dtype.kind in 'biu':
        np.testing.assert_array_equal(got, want, err_msg=name)
        return
    peak = float(np.abs(want).max()) if want.size else 0.0
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=max(atol_floor, 1e-5 * peak),
                               err_msg=name)


@pytest.fixture(scope='module')
def tutorial():
    """Every block run with mxsym, in order: what each showed, the networks built, and the
    error that stopped the run, if any."""
    shown, nets = {}, {}
    try:
        for block, observed, block_nets in golden.tutorial_blocks(mx):
            shown[block] = golden.resolve(observed, keep_errors=True)
            nets.update(block_nets)
    except Exception as error:  # each test of a block not reached reports it
        return shown, nets, error
    return shown, nets, None


def tutorial_ran(tutorial, block):
    """What `block` showed; an error naming the failure if the tutorial stopped before it."""
    shown, _, error = tutorial
    if block not in shown:
        raise AssertionError('the tutorial stopped before block %r' % block) from error
    return shown[block]


def tutorial_net(tutorial, name):
    """A network the tutorial built; an error naming the failure if it stopped before."""
    _, nets, error = tutorial
    if name not in nets:
        raise AssertionError('the tutorial stopped before building %r' % name) from error
    return nets[name]


@pytest.mark.parametrize('path', sorted(RECORDED), ids='/'.join)
def test_block_shows_what_mxnet_shows(tutorial, path):
    observed = dict(leaves(tutorial_ran(tutorial, path[0]), path[:1]))
    if isinstance(observed[path], Exception):
        raise AssertionError('/'.join(path) + ' failed') from observed[path]
    want = RECORDED[path]
    if isinstance(want, dict):
        got = observed[path]
        assert_close(np.array(got['array'], dtype=got['dtype']),
                     np.array(want['array'], dtype=want['dtype']), '/'.join(path))
    else:
        assert observed[path] == want


@pytest.mark.parametrize('case_name', list(golden.NUMERIC_CASES))
def test_network_runs_as_in_mxnet(tutorial, case_name):
    """Outputs of inference and training forward, gradients, aux states and changed inputs."""
    case = golden.NUMERIC_CASES[case_name]
    seen = golden.run_numeric_case(mx, tutorial_net(tutorial, case_name), case)
    prefix = case_name + '/'
    want = {key[len(prefix):]: value for key, value in GOLDEN_ARRAYS.items()
            if key.startswith(prefix)}
    assert set(seen) == set(want)
    for key, value in want.items():
        arg = key.split('/', 1)[1]
        rounding_only = key.startswith('grad/') and any(
            fnmatch.fnmatchcase(arg, pattern) for pattern in case.rounding_only)
        assert_close(seen[key], value, prefix + key, atol_floor=1e-4 if rounding_only else 1e-6)


def test_example_prints_what_mxnet_prints(tmp_path):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        filter(None, [ROOT, os.environ.get('PYTHONPATH')])))
    run = subprocess.run([sys.executable, EXAMPLE], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    # the golden run's graphviz (before 0.9) ends a DOT source without a newline
    lines = [line for line in run.stdout.splitlines() if line]
    assert lines == [line for line in GOLDEN['example_stdout'].splitlines() if line]
    assert not list(tmp_path.iterdir()), 'symbol-c.json belongs in a temporary directory'
