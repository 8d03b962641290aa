"""Symbol JSON against MXNet 1.9.1: texts MXNet reads (its own, hand-edited, legacy v0.8) and
round trips through tojson/load_json, save/load and pickle.

Goldens come from golden/make_symbol_golden.py.
"""
import json
import os
import pickle
import re
import time

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


def fc_graph(**changes):
    """The JSON graph of FullyConnected(data, num_hidden=3, name='fc'), with `changes` applied
    to its op node (the fourth)."""
    graph = json.loads(mx.sym.FullyConnected(mx.sym.var('data'), num_hidden=3, name='fc')
                       .tojson())
    graph['nodes'][3].update(changes)
    return graph


@pytest.mark.parametrize('graph, message', [
    (fc_graph(inputs=[[0, 0, 0]]), r'node 3 \(fc\) has 1 inputs but FullyConnected takes 3 '
                                   r'\(data, weight, bias\)'),
    (fc_graph(inputs=[[True, 0, 0], [1, 0, 0], [2, 0, 0]]),
     r'node 3 \(fc\): input entry \[true, 0, 0\] is not \[node, output\(, version\)\]'),
    (fc_graph(inputs=[[0, 0, 0], [1, 0, 0], [3, 0, 0]]),
     r'node 3 \(fc\): entry \[3, 0, 0\] refers to node 3, which is not an earlier node'),
    (fc_graph(inputs=[[0, 0, 0], [1, 0, 0], [2, 1, 0]]), r'asks for output 1 of fc_bias'),
    (fc_graph(inputs=[[0, 0, -1], [1, 0, 0], [2, 0, 0]]), r'of non-negative integers'),
    (fc_graph(name=5), r"node 3: 'name' must be a JSON string, not the JSON number 5"),
    (fc_graph(op=['FullyConnected']), r"node 3: 'op' must be a JSON string, not the JSON array"),
    (fc_graph(inputs={'0': 0}), r"node 3: 'inputs' must be a JSON array, not the JSON object"),
    (fc_graph(attrs=['num_hidden', '3']), r"node 3 \(fc\): 'attrs' must be an object of "
                                          r"strings, not a JSON array"),
    (fc_graph(attrs={'num_hidden': 3}), r"node 3 \(fc\): attr 'num_hidden' must be a string, "
                                        r"not the JSON number 3"),
    (fc_graph(attrs={'num_hidden': '0'}),
     r'node 3 \(fc\): fc \(FullyConnected\): value 0 for Parameter num_hidden should be greater '
     r'equal to 1'),
    ({'nodes': [{'op': 'null', 'name': 'data'}], 'heads': [[0, 0, 0]]}, r"node 0 has no 'inputs'"),
    ({'nodes': [{'op': 'null', 'name': 'a', 'inputs': []},
                {'op': 'null', 'name': 'b', 'inputs': [[0, 0, 0]]}], 'heads': [[1, 0, 0]]},
     r'node 1 \(b\) is a variable \(op "null"\) but has 1 inputs'),
    ({'nodes': [{'op': 'null', 'name': 'a', 'inputs': []}], 'heads': [[1, 0, 0]]},
     r'heads: entry \[1, 0, 0\] refers to node 1, which is not an earlier node'),
    ({'nodes': [], 'heads': 5}, r"must be an object with 'nodes' and 'heads'"),
], ids=['missing_inputs', 'bool_index', 'cycle', 'output_range', 'negative_version',
        'name_number', 'op_list', 'inputs_object', 'attrs_list', 'attr_number', 'num_hidden_0',
        'no_inputs_key', 'variable_inputs', 'head_range', 'heads_number'])
def test_malformed_graph_is_refused_naming_the_node_and_field(graph, message):
    with pytest.raises(mx.MXNetError, match=message):
        mx.sym.load_json(json.dumps(graph))


@pytest.mark.parametrize('op, attrs, count', [
    ('Concat', {'num_args': '30000000', 'dim': '1'}, 'num_args=30000000'),
    ('add_n', {'num_args': '100000000000'}, 'num_args=100000000000'),
])
def test_declared_input_count_bomb_fails_fast(op, attrs, count):
    graph = {'nodes': [{'op': 'null', 'name': 'a', 'inputs': []},
                       {'op': op, 'name': 'big', 'attrs': attrs,
                        'inputs': [[0, 0, 0], [0, 0, 0]]}],
             'heads': [[1, 0, 0]], 'attrs': {'mxnet_version': ['int', 10901]}}
    start = time.perf_counter()
    with pytest.raises(mx.MXNetError, match=r'node 1 \(big\): %s declares %s but lists 2 '
                       r'inputs' % (op, count)):
        mx.sym.load_json(json.dumps(graph))
    assert time.perf_counter() - start < 1


def test_output_count_bomb_fails_fast():
    graph = {'nodes': [{'op': 'null', 'name': 'a', 'inputs': []},
                       {'op': 'SliceChannel', 'name': 'split', 'inputs': [[0, 0, 0]],
                        'attrs': {'num_outputs': '30000000'}}],
             'heads': [[1, 0, 0]]}
    start = time.perf_counter()
    with pytest.raises(mx.MXNetError, match=r'value 30000000 for Parameter num_outputs exceed '
                       r'bound \[1,65536\]'):
        mx.sym.load_json(json.dumps(graph))
    assert time.perf_counter() - start < 1


@pytest.mark.parametrize('depth', [101, 10 ** 4, 10 ** 5])
def test_deep_nesting_is_refused_without_recursion(depth):
    text = '{"nodes": %s, "heads": []}' % ('[' * depth + ']' * depth)
    with pytest.raises(mx.MXNetError, match='symbol JSON is nested %d levels deep; symbol '
                       'files nest at most 100' % (depth + 1)):
        mx.sym.load_json(text)


def test_brackets_inside_names_do_not_count_as_nesting():
    name = '[' * 500 + '"{' * 3
    sym = mx.sym.load_json(mx.sym.var(name).tojson())
    assert sym.list_arguments() == [name]


def test_files_before_0_9_gain_missing_aux_inputs_later_files_do_not():
    graph = json.loads(mx.sym.BatchNorm(mx.sym.var('data'), name='bn').tojson())
    graph['nodes'] = [n for n in graph['nodes'] if 'moving' not in n['name']]
    graph['nodes'][-1]['inputs'] = [[0, 0, 0], [1, 0, 0], [2, 0, 0]]
    graph['heads'] = [[3, 0, 0]]
    with pytest.raises(mx.MXNetError, match=r'node 3 \(bn\) has 3 inputs but BatchNorm takes 5'):
        mx.sym.load_json(json.dumps(graph))
    del graph['attrs']
    legacy = mx.sym.load_json(json.dumps(graph))
    assert legacy.list_auxiliary_states() == ['bn_moving_mean', 'bn_moving_var']
