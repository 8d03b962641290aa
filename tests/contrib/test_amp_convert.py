"""mx.contrib.amp.convert_symbol / convert_model against MXNet 1.9.1: the casts inserted (node
for node, names included) and the dtypes of the converted graph's outputs."""
import json
import os
import sys
import warnings

import numpy as np
import pytest

import mxsym as mx
from mxsym.base import MXNetError
from mxsym.contrib import amp as amp_package
from mxsym.contrib.amp import amp

GOLDEN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'golden')
sys.path.insert(0, GOLDEN_DIR)
sys.path.insert(0, os.path.join(GOLDEN_DIR, '..', 'ops'))
from amp_convert_cases import CASES, NETWORKS  # noqa: E402
from golden_case import TOLERANCE  # noqa: E402

FLOAT16_RTOL, FLOAT16_ATOL = TOLERANCE['float16']

with open(os.path.join(GOLDEN_DIR, 'amp_convert.json')) as f:
    GOLDEN = json.load(f)


def _network(name):
    with mx.name.NameManager(), warnings.catch_warnings():
        warnings.simplefilter('ignore')
        return NETWORKS[name](mx)


@pytest.mark.parametrize('case', sorted(CASES))
def test_convert_symbol_matches_mxnet(case):
    network, kwargs = CASES[case]
    sym, shapes = _network(network)
    converted = amp.convert_symbol(sym, **kwargs)
    nodes = json.loads(converted.tojson(remove_amp_cast=False))['nodes']
    got = [[n['op'], n['name'], n.get('attrs', {}), n['inputs']] for n in nodes]
    assert got == GOLDEN[case]['nodes']
    outputs = converted.simple_bind(mx.cpu(), grad_req='null', **shapes).outputs
    assert [np.dtype(out.dtype).name for out in outputs] == GOLDEN[case]['output_dtypes']


def test_saved_graph_drops_the_casts():
    sym, _ = _network('mlp')
    assert amp.convert_symbol(sym).tojson() == sym.tojson()


def test_convert_model_runs_the_low_precision_ops():
    sym, shapes = _network('two_branches')
    rng = np.random.RandomState(0)
    arg_shapes, _, _ = sym.infer_shape(**shapes)
    args = {n: mx.nd.array(rng.uniform(-1, 1, s)) for n, s in zip(sym.list_arguments(), arg_shapes)}
    converted, arg_params, aux_params = amp.convert_model(sym, args, {})
    assert arg_params is args and aux_params == {}
    low = converted.get_internals()['left_output']
    exe = low.bind(mx.cpu(), args)
    assert exe.forward()[0].dtype == np.float16
    full = sym.bind(mx.cpu(), args).forward()[0].asnumpy()
    mixed = converted.bind(mx.cpu(), args).forward()[0]
    assert mixed.dtype == np.float32
    # The converted branch computes in float16 (11 significant bits): measured 4.4e-4 from the
    # float32 graph; the bound is the float16 tolerance of the operator golden tests.
    np.testing.assert_allclose(mixed.asnumpy(), full, rtol=FLOAT16_RTOL, atol=FLOAT16_ATOL)


def test_lists_are_disjoint_and_checked():
    assert not set(amp.list_lp16_ops('float16')) & set(amp.list_fp32_ops('float16'))
    assert amp_package.convert_symbol is amp.convert_symbol
    sym, _ = _network('mlp')
    with pytest.raises(MXNetError, match='two lists'):
        amp.convert_symbol(sym, target_dtype_ops=['exp'], fp32_ops=['exp'])
    with pytest.raises(MXNetError, match='target_dtype'):
        amp.convert_symbol(sym, target_dtype='float64')


def test_convert_bucketing_module_scores_in_low_precision():
    def sym_gen(length):
        data = mx.sym.Variable('data')
        net = mx.sym.FullyConnected(data, num_hidden=4, name='fc')
        net = mx.sym.SoftmaxOutput(net, name='softmax')
        return net, ('data',), ('softmax_label',)
    mod = mx.mod.BucketingModule(sym_gen, default_bucket_key=3)
    mod.bind([('data', (2, 3))], [('softmax_label', (2,))], for_training=False)
    mod.init_params(mx.init.Uniform(0.5))
    batch = mx.io.DataBatch([mx.nd.array([[1, 2, 3], [-1, 0.5, 2]])], [mx.nd.array([0, 1])],
                            bucket_key=3, provide_data=[('data', (2, 3))],
                            provide_label=[('softmax_label', (2,))])
    mod.forward(batch)
    full = mod.get_outputs()[0].asnumpy()
    converted = amp.convert_bucketing_module(mod)
    converted.bind([('data', (2, 3))], [('softmax_label', (2,))], for_training=False)
    converted.forward(batch)
    internals = converted.symbol.get_internals().list_outputs()
    assert 'fc_weight_amp_cast_float16_output' in internals
    # fc runs in float16 after conversion (measured 3.4e-4 from float32), bound as above
    np.testing.assert_allclose(converted.get_outputs()[0].asnumpy(), full, rtol=FLOAT16_RTOL,
                               atol=FLOAT16_ATOL)
