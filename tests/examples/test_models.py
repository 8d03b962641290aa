"""The example networks of examples/models, built and run with mxsym, against MXNet 1.9.1.

tests/golden/make_models_golden.py recorded what MXNet gives for each network; its CASES,
FULL_SIZE, ``build``, ``describe`` and ``run_case`` run here unchanged with mxsym.
"""
import functools
import importlib.util
import json
import os

import numpy as np
import pytest

import mxsym as mx

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir))


def _load_golden_script():
    path = os.path.join(ROOT, 'tests', 'golden', 'make_models_golden.py')
    spec = importlib.util.spec_from_file_location('make_models_golden', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


golden = _load_golden_script()
CASE_NAMES = sorted(golden.CASES)

# float32 agreement, elementwise |got - want| <= atol + RTOL * |want|. atol is ATOL unless MXNet's
# own float32 result of that array is further than that from its float64 result (recorded as
# float64_error): a conv net sums thousands of rounded products per value, so its gradients
# carry rounding in proportion to the terms summed, not to the result. mxsym rounds as much,
# in other places, so ROUNDING_MARGIN times MXNet's distance covers both with room to spare.
RTOL, ATOL = 1e-4, 1e-5
ROUNDING_MARGIN = 3


@functools.lru_cache(maxsize=None)
def recorded(case_name):
    return golden.load_golden(case_name)


@functools.lru_cache(maxsize=None)
def network(case_name):
    case = golden.CASES[case_name]
    return golden.build(mx, case.family, case.kwargs)


def atol(record, key):
    """The absolute tolerance for one recorded array (see RTOL, ATOL above)."""
    errors = record['float64_error']
    return max(ATOL, ROUNDING_MARGIN * errors[key]) if errors else ATOL


@pytest.mark.parametrize('case_name', CASE_NAMES)
def test_names_and_shapes(case_name):
    record, _ = recorded(case_name)
    described = golden.describe(network(case_name), golden.CASES[case_name].shapes)
    for key, value in described.items():
        assert value == record[key], key


@pytest.mark.parametrize('case_name', CASE_NAMES)
def test_tojson(case_name):
    record, _ = recorded(case_name)
    assert network(case_name).tojson() == record['tojson']


@pytest.mark.slow
@pytest.mark.parametrize('case_name', CASE_NAMES)
def test_runs_as_in_mxnet(case_name):
    """Outputs of an inference and a training forward, every argument's gradient, and the aux
    states and rewritten arguments after backward: one run, as compiling it is the cost."""
    record, want = recorded(case_name)
    seen = golden.run_case(mx, network(case_name), case_name)
    assert sorted(seen) == sorted(want)
    failures = []
    for key, wanted in want.items():
        got = seen[key]
        if got.shape != wanted.shape or got.dtype != np.float32:
            failures.append('%s: %s %s, want float32 %s' % (key, got.dtype, got.shape,
                                                            wanted.shape))
            continue
        tolerance = atol(record, key)
        excess = np.abs(got - wanted) - (tolerance + RTOL * np.abs(wanted))
        if excess.max() > 0:
            worst = np.unravel_index(np.argmax(excess), excess.shape)
            failures.append('%s: at %s got %r, want %r (atol %.2g, %d of %d elements off)' % (
                key, worst, got[worst], wanted[worst], tolerance, int((excess > 0).sum()),
                excess.size))
    assert not failures, '\n'.join(failures)


@functools.lru_cache(maxsize=None)
def full_size_record():
    with open(golden.golden_paths('full_size')[0]) as f:
        return json.load(f)


@pytest.mark.parametrize('name', sorted(golden.FULL_SIZE))
def test_full_size_builds_and_infers_shapes(name):
    family, kwargs, shapes = golden.FULL_SIZE[name]
    described = golden.describe(golden.build(mx, family, kwargs), shapes)
    want = full_size_record()[name]
    for key, value in described.items():
        assert value == want[key], key
