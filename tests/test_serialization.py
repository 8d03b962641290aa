"""Symbol JSON against MXNet 1.9.1: texts MXNet reads (its own, hand-edited, legacy v0.8) and
round trips through tojson/load_json, save/load and pickle.

Goldens come from golden/make_symbol_golden.py.
"""
import os
import pickle
import re

import pytest

import mxsym as mx
from symbol_probes import PROBES, golden, infer, plain, resolve_base, run_snippet

CASES = golden('symbol.json')['cases']
GOLDEN = golden('symbol_json.json')
LOADS = GOLDEN['loads']


def ids(cases):
    return [case['id'] for case in cases]


@pytest.mark.parametrize('probe', list(PROBES))
@pytest.mark.parametrize('case', LOADS, ids=ids(LOADS))
def test_load_json_probe(case, probe):
    out = mx.sym.load_json(case['json'])
    assert plain(PROBES[probe](out)) == case['probes'][probe]


@pytest.mark.parametrize('case', LOADS, ids=ids(LOADS))
def test_load_json_infer_shape(case):
    out = mx.sym.load_json(case['json'])
    assert infer(out, 'infer_shape', case['infer_shape']) == case['infer_shape_result']


@pytest.mark.parametrize('case', GOLDEN['errors'], ids=ids(GOLDEN['errors']))
def test_load_json_error(case):
    with pytest.raises(resolve_base(case['base'], mx.base)) as info:
        mx.sym.load_json(case['json'])
    assert case['culprit'] in str(info.value)


@pytest.mark.parametrize('case', CASES + LOADS, ids=ids(CASES) + ids(LOADS))
def test_load_json_keeps_text(case):
    text = case['probes']['tojson']
    assert mx.sym.load_json(text).tojson() == text


@pytest.mark.parametrize('case', CASES, ids=ids(CASES))
def test_save_and_load(case, tmp_path):
    out = run_snippet(mx, case['code'])['out']
    fname = tmp_path / 'net-symbol.json'
    out.save(str(fname))
    assert fname.read_text() == case['probes']['tojson']
    assert mx.sym.load(str(fname)).tojson() == case['probes']['tojson']


@pytest.mark.parametrize('case', CASES, ids=ids(CASES))
def test_pickle(case):
    out = run_snippet(mx, case['code'])['out']
    restored = pickle.loads(pickle.dumps(out))
    assert restored.tojson() == case['probes']['tojson']
    assert restored.list_outputs() == case['probes']['list_outputs']


def _checkpoint_json():
    with open(os.path.join(os.path.dirname(__file__), 'golden', 'checkpoint',
                           'small-symbol.json')) as handle:
        return handle.read()


@pytest.mark.parametrize('content, message', [
    (b'\x12\x01\x00\x00\x00\x00\x00\x00\xc9\xfa\x93\xf9',
     r'is not symbol JSON: byte 8 is not UTF-8 text'),
    (b'{"format": "keras"}',
     r"must be an object with 'nodes' and 'heads' \(found keys 'format'\)"),
    (b'nodes: []', r'not valid JSON'),
    (_checkpoint_json().replace('"Convolution"', '"Convolutoin"').encode(),
     r"node 3 \(conv1\): unknown operator 'Convolutoin'; did you mean 'Convolution'"),
], ids=['binary', 'other_json', 'not_json', 'unknown_op'])
def test_bad_symbol_file_names_file_and_culprit(tmp_path, content, message):
    path = tmp_path / 'bad-symbol.json'
    path.write_bytes(content)
    with pytest.raises(mx.MXNetError, match=re.escape(str(path)) + '.*' + message):
        mx.sym.load(str(path))
