"""mx.gluon.Block, HybridBlock and SymbolBlock: naming, children, hybridization (one traced
graph, differentiable under autograd), export/imports and parameter files."""
import numpy as np
import pytest

import mxsym as mx
from mxsym import gluon
from mxsym.base import MXNetError
from mxsym.gluon import nn


def _mlp(prefix):
    net = nn.HybridSequential(prefix=prefix)
    with net.name_scope():
        net.add(nn.Dense(4, activation='relu'), nn.Dense(2))
    return net


def test_prefixes_follow_name_scopes():
    net = _mlp('model_')
    assert [b.prefix for b in net._children.values()] == ['model_dense0_', 'model_dense1_']
    assert list(net.collect_params('.*weight').keys()) == ['model_dense0_weight',
                                                           'model_dense1_weight']
    assert sorted(net._collect_params_with_prefix()) == ['0.bias', '0.weight', '1.bias',
                                                         '1.weight']


def test_hybrid_block_children_must_be_hybrid():
    with pytest.raises(ValueError, match='HybridSequential'):
        nn.HybridSequential().add(nn.Sequential())


def test_hybridized_block_traces_once_and_matches_imperative():
    net = _mlp('m_')
    net.initialize()
    x = mx.nd.array(np.random.RandomState(0).rand(3, 5))
    with mx.autograd.record():
        eager = net(x)
    eager.backward()
    eager_grad = net[0].weight.grad().asnumpy()
    net.hybridize()
    for _ in range(2):
        with mx.autograd.record():
            out = net(x)
        out.backward()
    graph = net._cached_graph[1]
    net(mx.nd.ones((7, 5)))                  # another batch size: same graph
    assert net._cached_graph[1] is graph
    np.testing.assert_allclose(out.asnumpy(), eager.asnumpy(), rtol=1e-6)
    np.testing.assert_allclose(net[0].weight.grad().asnumpy(), eager_grad, rtol=1e-6)


def test_export_and_symbol_block_imports(tmp_path):
    net = _mlp('e_')
    net.initialize()
    x = mx.nd.ones((2, 5))
    with pytest.raises(MXNetError, match='hybridize'):
        net.export(str(tmp_path / 'net'))
    net.hybridize()
    expected = net(x).asnumpy()
    sym_file, params_file = net.export(str(tmp_path / 'net'), epoch=3)
    assert params_file.endswith('net-0003.params')
    assert sorted(mx.nd.load(params_file))[0] == 'arg:e_dense0_bias'
    block = gluon.SymbolBlock.imports(sym_file, ['data'], params_file)
    np.testing.assert_allclose(block(x).asnumpy(), expected, rtol=1e-6)
    composed = block(mx.sym.var('data'))
    assert composed.list_arguments()[0] == 'data'


def test_save_and_load_parameters(tmp_path):
    net = _mlp('s_')
    net.initialize()
    x = mx.nd.ones((2, 5))
    expected = net(x).asnumpy()
    fname = str(tmp_path / 'net.params')
    net.save_parameters(fname)
    other = _mlp('other_')
    other.load_parameters(fname)
    np.testing.assert_allclose(other(x).asnumpy(), expected, rtol=1e-6)
    mx.nd.save(fname, {'1.weight': mx.nd.ones((2, 4))})
    with pytest.raises(MXNetError, match="'0.weight' is missing"):
        other.load_parameters(fname)


def test_block_attributes_hooks_and_apply():
    class Net(gluon.Block):
        def __init__(self):
            super().__init__(prefix='b_')
            with self.name_scope():
                self.dense = nn.Dense(2)
                self.scale = self.params.get('scale', shape=(1,), init=mx.init.One())

        def forward(self, x):
            return self.dense(x) * self.scale.data()
    net = Net()
    net.initialize()
    seen = []
    handle = net.register_forward_hook(lambda block, inputs, out: seen.append(out.shape))
    net(mx.nd.ones((3, 4)))
    handle.detach()
    net(mx.nd.ones((3, 4)))
    assert seen == [(3, 2)]
    assert sorted(net.collect_params()) == ['b_dense0_bias', 'b_dense0_weight', 'b_scale']
    names = []
    net.apply(lambda block: names.append(block.name))
    assert names == ['b_dense0', 'b']
    with pytest.raises(TypeError, match='Changing attribute type'):
        net.dense = 3


def test_symbol_forward_of_a_hybrid_block_names_nodes_after_the_block():
    net = _mlp('sym_')
    out = net(mx.sym.var('data'))
    assert out.list_arguments() == ['data', 'sym_dense0_weight', 'sym_dense0_bias',
                                    'sym_dense1_weight', 'sym_dense1_bias']
    assert out.name == 'sym_dense1_fwd'


def test_none_inputs_and_argument_structure():
    class Add(gluon.HybridBlock):
        def hybrid_forward(self, F, a, b=None):
            return a if b is None else a + b
    block = Add()
    block.hybridize()
    ones = mx.nd.ones((2,))
    np.testing.assert_array_equal(block(ones).asnumpy(), [1, 1])
    np.testing.assert_array_equal(block(ones, None).asnumpy(), [1, 1])
    with pytest.raises(ValueError, match='argument structure'):
        block(ones, ones)
    with pytest.raises(ValueError, match='mixed'):
        Add()(ones, mx.sym.var('b'))


def test_blocks_in_plain_containers_are_reported():
    class Listed(gluon.Block):
        def __init__(self):
            super().__init__()
            with self.name_scope():
                self.layers = [nn.Dense(2)]
    with pytest.warns(UserWarning, match='unregistered container'):
        Listed().collect_params()
    sequential = nn.Sequential()
    sequential.add(nn.Dense(2))
    with pytest.warns(UserWarning, match='Consider using HybridSequential'):
        sequential.hybridize()


def test_unhybridized_block_takes_python_values_and_legacy_params(tmp_path):
    class AddScalar(gluon.HybridBlock):
        def hybrid_forward(self, F, a, b):
            return a + b
    block = AddScalar()
    np.testing.assert_array_equal(block(mx.nd.ones((2,)), 2).asnumpy(), [3, 3])
    block.hybridize()
    with pytest.raises(ValueError, match='must be'):
        block(mx.nd.ones((2,)), 2)
    net = _mlp('legacy_')
    net.initialize()
    net(mx.nd.ones((1, 5)))
    fname = str(tmp_path / 'legacy.params')
    with pytest.warns(UserWarning, match='deprecated'):
        net.save_params(fname)
    assert sorted(mx.nd.load(fname))[0] == 'dense0_bias'
