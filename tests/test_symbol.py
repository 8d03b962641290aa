"""Symbol behaviour against MXNet 1.9.1: auto-names, inputs, outputs, attrs, reprs, tojson, errors.

Goldens come from golden/make_symbol_golden.py; each case is a snippet building `out`.
"""
import pytest

import mxsym as mx
from symbol_probes import PROBES, golden, infer, plain, resolve_base, run_snippet

GOLDEN = golden('symbol.json')
CASES = GOLDEN['cases']
INFERENCES = [(case, method) for case in CASES for method in ('infer_shape', 'infer_type')
              if method in case]


@pytest.mark.parametrize('probe', list(PROBES))
@pytest.mark.parametrize('case', CASES, ids=[case['id'] for case in CASES])
def test_probe(case, probe):
    out = run_snippet(mx, case['code'])['out']
    assert plain(PROBES[probe](out)) == case['probes'][probe]


@pytest.mark.parametrize('case,method', INFERENCES,
                         ids=['%s-%s' % (case['id'], method) for case, method in INFERENCES])
def test_inference(case, method):
    out = run_snippet(mx, case['code'])['out']
    assert infer(out, method, case[method]) == case[method + '_result']


@pytest.mark.parametrize('case', GOLDEN['errors'], ids=[case['id'] for case in GOLDEN['errors']])
def test_error(case):
    with pytest.raises(resolve_base(case['base'], mx.base)) as info:
        run_snippet(mx, case['code'])
    assert case['culprit'] in str(info.value)
