"""Tests for mxsym/ops/control_flow.py and mx.sym.contrib's builders (mxsym/symbol_contrib.py):
graphs recorded from MXNet 1.9.1 by tests/golden/make_control_flow_golden.py (JSON text, names,
outputs, gradients), and what the recording leaves out: while_loop's padding, shape and dtype
inference, file checks, builder errors."""
import json
import os
import sys
from collections import defaultdict

import numpy as np
import pytest

import mxsym as mx
from mxsym.attribute import AttrScope
from mxsym.base import MXNetError

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, 'golden')
sys.path.insert(0, GOLDEN)
from control_flow_cases import CASES, FORWARD_ONLY, VALID_ROWS  # noqa: E402

with open(os.path.join(GOLDEN, 'control_flow.json')) as _handle:
    RECORDED = json.load(_handle)
with np.load(os.path.join(GOLDEN, 'control_flow.npz')) as _npz:
    ARRAYS = {key: _npz[key] for key in _npz.files}

TOLERANCE = dict(rtol=1e-5, atol=1e-5)


@pytest.fixture(autouse=True)
def fresh_subgraph_names(monkeypatch):
    """Subgraph names counted from zero, as in the process that recorded the cases."""
    monkeypatch.setattr(AttrScope, '_subgraph_names', defaultdict(int))


def build(case):
    with mx.name.NameManager():
        return CASES[case](mx)


def graph(case, source):
    """The case's graph, built by the builders or loaded from MXNet's JSON."""
    if source == 'built':
        return build(case)[0]
    return mx.sym.load_json(RECORDED[case]['json'])


@pytest.mark.parametrize('case', sorted(CASES))
def test_json_and_names(case):
    sym, _ = build(case)
    assert sym.tojson() == RECORDED[case]['json']
    assert sym.list_arguments() == RECORDED[case]['arguments']
    assert sym.list_outputs() == RECORDED[case]['outputs']
    assert mx.sym.load_json(sym.tojson()).tojson() == sym.tojson()


def bind(sym, case, grads):
    names = sym.list_arguments()
    args = {n: mx.nd.array(ARRAYS['%s/arg/%s' % (case, n)]) for n in names}
    args_grad = {n: mx.nd.zeros(args[n].shape) for n in names} if grads else None
    return sym.bind(mx.cpu(), args, args_grad=args_grad)


def check_outputs(case, outputs, kind):
    assert [list(o.shape) for o in outputs] == RECORDED[case]['output_shapes']
    for i, out in enumerate(outputs):
        out = out.asnumpy()
        rows = VALID_ROWS.get(case, {}).get(i)
        if rows is not None:
            np.testing.assert_array_equal(out[rows:], 0)   # mxsym pads with zeros
            out = out[:rows]
        np.testing.assert_allclose(out, ARRAYS['%s/%s/%d' % (case, kind, i)], **TOLERANCE)


@pytest.mark.parametrize('source', ['built', 'loaded'])
@pytest.mark.parametrize('case', sorted(CASES))
def test_forward(case, source):
    exe = bind(graph(case, source), case, grads=False)
    check_outputs(case, exe.forward(is_train=False), 'out')
    check_outputs(case, exe.forward(is_train=True), 'train_out')


@pytest.mark.parametrize('source', ['built', 'loaded'])
@pytest.mark.parametrize('case', sorted(set(CASES) - FORWARD_ONLY))
def test_backward(case, source):
    sym = graph(case, source)
    exe = bind(sym, case, grads=True)
    check_outputs(case, exe.forward(is_train=True), 'train_out')
    exe.backward([mx.nd.array(ARRAYS['%s/head/%d' % (case, i)])
                  for i in range(len(sym.list_outputs()))])
    for name in sym.list_arguments():
        np.testing.assert_allclose(exe.grad_dict[name].asnumpy(),
                                   ARRAYS['%s/grad/%s' % (case, name)], err_msg=name,
                                   **TOLERANCE)


def row(sym, index):
    return mx.sym.squeeze(mx.sym.slice_axis(sym, axis=0, begin=index, end=index + 1), axis=0)


def unrolled_nested(data, s):
    """foreach_nested written out step by step (data (3, 2, 4)), without control flow."""
    outs = []
    for i in range(3):
        x, t, inner = row(data, i), s * 0.5, []
        for j in range(2):
            inner.append(mx.sym.expand_dims(row(x, j) * s, axis=0))
            t = t + row(x, j)
        outs.append(mx.sym.expand_dims(mx.sym.concat(*inner, dim=0), axis=0))
        s = t
    return mx.sym.Group([mx.sym.concat(*outs, dim=0), s])


def test_nested_foreach_gradient_matches_unrolled_graph():
    """MXNet cannot differentiate nested foreach; its unrolled form gives the gradients."""
    case = 'foreach_nested'

    def run(sym):
        args = {n: mx.nd.array(ARRAYS['%s/arg/%s' % (case, n)]) for n in ('data', 's')}
        exe = sym.bind(mx.cpu(), args,
                       args_grad={n: mx.nd.zeros(a.shape) for n, a in args.items()})
        outs = [o.asnumpy() for o in exe.forward(is_train=True)]
        exe.backward([mx.nd.array(ARRAYS['%s/head/%d' % (case, i)]) for i in range(2)])
        return outs, {n: g.asnumpy() for n, g in exe.grad_dict.items()}
    outs, grads = run(build(case)[0])
    ref_outs, ref_grads = run(unrolled_nested(mx.sym.var('data'), mx.sym.var('s')))
    for out, ref in zip(outs, ref_outs):
        np.testing.assert_allclose(out, ref, **TOLERANCE)
    for name in grads:
        np.testing.assert_allclose(grads[name], ref_grads[name], err_msg=name, **TOLERANCE)


# ---------------------------------------------------------------------- MXNet's own examples
@pytest.mark.parametrize('is_train', [False, True])
def test_while_loop_integer_sum(is_train):
    """The sum of 1..100 in int64, with the step outputs padded to 1000 rows."""
    outputs, (i, s) = mx.sym.contrib.while_loop(
        cond=lambda i, s: i <= 100, func=lambda i, s: (i, (i + 1, s + i)),
        loop_vars=(mx.sym.var('i'), mx.sym.var('s')), max_iterations=1000)
    exe = mx.sym.Group([outputs, i, s]).bind(mx.cpu(), {
        'i': mx.nd.array([1], dtype='int64'), 's': mx.nd.array([0], dtype='int64')})
    rows, last_i, total = [o.asnumpy() for o in exe.forward(is_train=is_train)]
    assert rows.dtype == np.int64 and rows.shape == (1000, 1)
    np.testing.assert_array_equal(rows[:100, 0], np.arange(1, 101))
    np.testing.assert_array_equal(rows[100:], 0)
    assert (last_i[0], total[0]) == (101, 5050)


def test_foreach_unknown_dim():
    """An unknown batch dimension (0) stays unknown through foreach."""
    data = mx.sym.var('data', shape=(0, 3, 32, 32))
    outs, _ = mx.sym.contrib.foreach(lambda d, s: (d + s[0], [s[0] * 2]), data,
                                     [mx.sym.var('state')])
    assert outs.infer_shape_partial()[1][0] == (0, 3, 32, 32)


def test_shapes_and_dtypes_through_subgraphs():
    """while_loop's step outputs have max_iterations rows; cond's outputs come from either
    branch; loop variables keep their dtype."""
    out, (i, s) = mx.sym.contrib.while_loop(lambda i, s: i < 3, lambda i, s: ([s * 2], [i + 1, s]),
                                            [mx.sym.var('i'), mx.sym.var('s')], max_iterations=6)
    group = mx.sym.Group(out + [i, s])
    assert group.infer_shape(i=(1,), s=(2, 3))[1] == [(6, 2, 3), (1,), (2, 3)]
    assert group.infer_type(i='int64', s='float64')[1] == [np.float64, np.int64, np.float64]
    a, b = mx.sym.var('a'), mx.sym.var('b')
    picked = mx.sym.contrib.cond(a.sum() > 0, lambda: a * 2, lambda: b)
    assert picked.infer_shape(a=(4, 5))[0] == [(4, 5), (4, 5)]


def test_state_shape_must_survive_the_body():
    with mx.name.NameManager():
        outs, states = mx.sym.contrib.foreach(
            lambda d, s: (d, [mx.sym.concat(s[0], s[0], dim=0)]), mx.sym.var('data'),
            [mx.sym.var('s')])
    with pytest.raises(MXNetError, match=r'_foreach0 \(_foreach\): concat0 \(Concat\): shape '
                                         r'of output 0 is \(4,\) but \(2,\)'):
        states[0].infer_shape(data=(3, 2), s=(2,))


def test_dropout_in_a_body_draws_per_step():
    outs, _ = mx.sym.contrib.foreach(lambda d, s: (mx.sym.Dropout(d, p=0.5), s),
                                     mx.sym.var('data'), [mx.sym.var('s')])
    exe = outs.bind(mx.cpu(), {'data': mx.nd.ones((4, 50)), 's': mx.nd.ones((1,))})
    rows = exe.forward(is_train=True)[0].asnumpy()
    assert set(np.unique(rows)) <= {0.0, 2.0}
    assert len({tuple(row) for row in rows}) == 4
    np.testing.assert_array_equal(exe.forward(is_train=False)[0].asnumpy(), 1)


def test_sub_namespace_keeps_contrib_ops():
    assert mx.sym.contrib.foreach is mx.symbol_contrib.foreach
    box = mx.sym.contrib.box_iou(mx.sym.var('a'), mx.sym.var('b'))
    assert box.list_arguments() == ['a', 'b']


def test_subgraph_names_count_per_name():
    data = mx.sym.var('data')
    for _ in range(2):
        mx.sym.contrib.cond(data.sum() > 0, lambda: data * 2, lambda: data * 3, name='my_cond')
    assert dict(AttrScope._subgraph_names) == {'my_cond_pred': 2, 'my_cond_then': 2,
                                               'my_cond_else': 2}


# ---------------------------------------------------------------------- builder errors
def test_builder_errors():
    x = mx.sym.var('x')
    for unused, body in (('data', lambda d, s: (s[0], s)), ('state', lambda d, s: (d, [x]))):
        with pytest.raises(AssertionError, match='%s arrays have to be used' % unused):
            mx.sym.contrib.foreach(body, x * 2, [mx.sym.var('s')])
    with pytest.raises(AssertionError, match='different format'):
        mx.sym.contrib.foreach(lambda d, s: (d, [s[0], s[0]]), x, [mx.sym.var('s')])
    with pytest.raises(AssertionError, match='must be'):
        mx.sym.contrib.foreach(lambda d, s: (d, s), x, 3)
    with pytest.raises(ValueError, match='max_iterations should be specified'):
        mx.sym.contrib.while_loop(lambda i: i < 3, lambda i: ([], [i + 1]), [x])
    with pytest.raises(ValueError, match="1-th loop_var doesn't involve"):
        mx.sym.contrib.while_loop(lambda i: i < 3, lambda i: ([], [mx.sym.var('y') + 1]), [x],
                                  max_iterations=3)
    with pytest.raises(ValueError, match='Number of outputs differs'):
        mx.sym.contrib.cond(x.sum() > 0, lambda: [x, x], lambda: x)
    with pytest.raises(MXNetError, match=r'_foreach takes 1 subgraphs, not 0'):
        mx.sym._internal._foreach(x, num_args=2, num_outputs=1, num_out_data=1,
                                  in_state_locs=(), in_data_locs=(0,), remain_locs=())


# ---------------------------------------------------------------------- file checks
def recorded_graph(case):
    return json.loads(RECORDED[case]['json'])


def foreach_node(graph):
    return next(node for node in graph['nodes'] if node['op'] == '_foreach')


@pytest.mark.parametrize('change, message', [
    (lambda node: node.pop('subgraphs'), r'_foreach takes 1 subgraphs, not 0'),
    (lambda node: node.__setitem__('subgraphs', {}), r"'subgraphs' must be a JSON array"),
    (lambda node: node['subgraphs'][0]['nodes'][2].__setitem__('inputs', [[7, 0, 0]]),
     r'subgraph 0: node 2 \(_mulscalar0\): entry \[7, 0, 0\] refers to node 7'),
    (lambda node: node['subgraphs'][0]['nodes'][2].__setitem__('op', 'no_such_op'),
     r"subgraph 0: node 2 \(_mulscalar0\): unknown operator 'no_such_op'"),
    (lambda node: node['subgraphs'][0].pop('heads'), r"subgraph 0: must be an object with"),
    (lambda node: node['attrs'].__setitem__('in_data_locs', '[5]'),
     r'in_data_locs \(5,\), in_state_locs .* must place'),
    (lambda node: node['attrs'].__setitem__('num_outputs', '3'),
     r'the body gives 2 outputs, but num_outputs is 3'),
])
def test_subgraphs_are_checked_on_load(change, message):
    graph = recorded_graph('foreach_nested')
    change(foreach_node(graph))
    with pytest.raises(MXNetError, match=r'symbol JSON node \d+ \(_foreach\d\).*' + message):
        mx.sym.load_json(json.dumps(graph))


def test_while_loop_and_cond_locations_are_checked_on_load():
    graph = recorded_graph('while_sum')
    loop = next(node for node in graph['nodes'] if node['op'] == '_while_loop')
    loop['attrs']['func_var_locs'] = '[0, 9]'
    with pytest.raises(MXNetError, match=r'_while_loop0\): func_var_locs \(0, 9\) must lie'):
        mx.sym.load_json(json.dumps(graph))
    graph = recorded_graph('cond_then')
    branch = next(node for node in graph['nodes'] if node['op'] == '_cond')
    branch['attrs']['then_input_locs'] = '[0]'
    with pytest.raises(MXNetError, match=r'then_input_locs lists 1 inputs, but its subgraph'):
        mx.sym.load_json(json.dumps(graph))
    graph = recorded_graph('cond_then')
    graph['nodes'][0]['subgraphs'] = []
    with pytest.raises(MXNetError, match=r'is a variable \(op "null"\) but has subgraphs'):
        mx.sym.load_json(json.dumps(graph))
