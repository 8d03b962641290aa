"""Symbol behaviour against MXNet 1.9.1: auto-names, inputs, outputs, attrs, reprs, tojson, errors.

Goldens come from golden/make_symbol_golden.py; each case is a snippet building `out`.
"""
import numpy as np
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


def test_debug_str_lists_the_graph_as_mxnet():
    net = mx.sym.FullyConnected(mx.sym.var('x'), num_hidden=3, name='fc')
    assert net.debug_str() == (
        'Symbol Outputs:\n\toutput[0]=fc(0)\nVariable:x\nVariable:fc_weight\nVariable:fc_bias\n'
        '--------------------\nOp:FullyConnected, Name=fc\nInputs:\n\targ[0]=x(0) version=0\n'
        '\targ[1]=fc_weight(0) version=0\n\targ[2]=fc_bias(0) version=0\nAttrs:\n'
        '\tnum_hidden=3\n')


def test_numpy_scalars_in_params_are_written_as_python_numbers():
    net = mx.sym.transpose(mx.sym.var('a'), axes=(np.int64(1), np.int32(0)))
    assert net.list_attr() == {'axes': '(1, 0)'}
    assert mx.sym.var('a').__mul__(np.float32(0.1)).list_attr() == {'scalar': '0.1'}


def test_atomic_symbol_has_the_head_op_and_attrs_with_fresh_inputs():
    net = mx.sym.RNN(mx.sym.var('data'), mx.sym.var('param'), mx.sym.var('h0'),
                     mx.sym.var('h1'), state_size=10, num_layers=2, bidirectional=True,
                     state_outputs=True, mode='lstm', name='rnn')
    atomic = net._gen_atomic_symbol()
    assert atomic.list_attr() == net.list_attr()
    assert atomic.list_arguments() == ['rnn_data', 'rnn_parameters', 'rnn_state',
                                       'rnn_state_cell']


def test_an_op_without_inputs_ignores_symbol_keywords_and_takes_its_shape_from_the_graph():
    """As MXNet composes it: randn(data=...) has no inputs, and its empty shape is filled by
    inference from the array it is added to."""
    sampler = mx.sym.random.randn(data=mx.sym.ones((3, 4)), loc=10.0, scale=0.5)
    assert sampler.list_arguments() == []
    with pytest.raises(mx.MXNetError, match='foo'):
        mx.sym.relu(data=mx.sym.var('x'), foo=mx.sym.var('y'))
    exe = (sampler + mx.sym.var('x')).bind(mx.cpu(), {'x': mx.nd.zeros((3, 4))})
    values = exe.forward()[0].asnumpy()
    assert values.shape == (3, 4) and abs(values.mean() - 10.0) < 1.0
