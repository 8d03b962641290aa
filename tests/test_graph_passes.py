"""Common-expression elimination as MXNet reports it in Executor.get_optimized_symbol."""
import json

import numpy as np
import pytest

import mxsym as mx
from mxsym.test_utils import environment

a, b, c = mx.sym.Variable('a'), mx.sym.Variable('b'), mx.sym.Variable('c')
d = a + 1

CASES = [
    ('different_constants', (a + 1) + (a + 2), 0),
    ('repeated_sum', (a + b) + (a + b), 1),
    ('repeated_chain', ((a + b) + c) + ((a + b) + c), 2),
    ('same_heads_get_a_copy', mx.sym.Group([a * d, a * d]), 0),
    ('same_heads_deeper', mx.sym.Group([a * d + b, a * d + b]), 1),
    ('random_ops_stay_apart', mx.sym.Dropout(a) + mx.sym.Dropout(a), 0),
]


def optimized_nodes(sym, setting):
    shapes = {name: (3, 4) for name in sym.list_inputs()}
    with environment('MXNET_ELIMINATE_COMMON_EXPR', setting):
        exe = sym.simple_bind(mx.cpu(), **shapes)
    return exe, len(exe.get_optimized_symbol().get_internals())


@pytest.mark.parametrize('sym, savings', [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_common_expressions_merge_unless_switched_off(sym, savings):
    original, plain = optimized_nodes(sym, '0')
    merged, fewer = optimized_nodes(sym, '1')
    assert plain - fewer == savings
    inputs = {n: np.random.uniform(size=(3, 4)).astype('f') for n in sym.list_inputs()}
    if savings:
        out_plain = original.forward(**inputs)
        out_merged = mx.sym.Group(list(merged.get_optimized_symbol())).eval(
            mx.cpu(), **{k: mx.nd.array(v) for k, v in inputs.items()})
        for x, y in zip(out_plain, out_merged):
            np.testing.assert_allclose(x.asnumpy(), y.asnumpy(), rtol=1e-6)


def test_amp_casts_are_left_out_of_json_unless_kept():
    x, w = mx.sym.var('x'), mx.sym.var('w')
    net = mx.sym.relu(mx.sym.amp_cast(x, dtype='float16'))
    assert [n['op'] for n in json.loads(net.tojson())['nodes']] == ['null', 'relu']
    assert [n['op'] for n in json.loads(net.tojson(remove_amp_cast=False))['nodes']] == \
        ['null', 'amp_cast', 'relu']
    first, second = mx.sym.amp_multicast(x, w, num_outputs=2)
    nodes = json.loads(mx.sym.Group([first + 1, second]).tojson())['nodes']
    assert nodes[1]['op'] == '_plus_scalar' and nodes[1]['inputs'] == [[0, 0, 0]]
    assert nodes[3]['op'] == 'amp_multicast'   # a head: kept, as MXNet keeps it
