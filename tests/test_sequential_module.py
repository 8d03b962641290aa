"""mx.mod.SequentialModule, PythonModule and PythonLossModule: chained modules and a loss
computed in Python, trained against MXNet 1.9.1."""
import numpy as np
import pytest

import mxsym as mx
from module_golden import assert_family_run_matches as assert_run_matches, family


def test_chained_modules_fit_as_mxnet():
    lines, score, arrays, mod = family.run_sequential(mx)
    assert_run_matches('sequential', lines, score, arrays)
    assert mod.data_names == ['data']
    assert mod.output_names == ['softmax_output']
    assert mod.output_shapes == [('softmax_output', (6, 3))]
    assert [(d.name, d.shape) for d in mod.label_shapes] == [('softmax_label', (6,))]


def test_python_loss_module_fits_as_mxnet():
    lines, score, arrays, mod = family.run_python_loss(mx)
    assert_run_matches('python_loss', lines, score, arrays)
    loss = mod._modules[-1]
    assert loss.output_names == ['pyloss_output']
    assert loss.output_shapes == [('pyloss_output', (6, 4))]
    assert loss.get_params() == ({}, {})


def _fc_module(name, data_name='data'):
    net = mx.sym.FullyConnected(mx.sym.Variable(data_name), num_hidden=2, name=name)
    return mx.mod.Module(net, data_names=(data_name,), label_names=None)


def test_gradients_flow_back_through_the_chain():
    """backward feeds each module's input gradients to the one before it: the chain's
    parameter gradients equal those of the one composed graph."""
    seq = mx.mod.SequentialModule().add(_fc_module('fc1')).add(_fc_module('fc2', 'x'),
                                                               auto_wiring=True)
    seq.bind([('data', (3, 4))], inputs_need_grad=True)
    rng = np.random.RandomState(0)
    params = {'fc1_weight': rng.randn(2, 4), 'fc1_bias': rng.randn(2),
              'fc2_weight': rng.randn(2, 2), 'fc2_bias': rng.randn(2)}
    params = {k: mx.nd.array(v) for k, v in params.items()}
    seq.init_params(arg_params=params)
    data, head = mx.nd.array(rng.randn(3, 4)), mx.nd.array(rng.randn(3, 2))
    seq.forward(mx.io.DataBatch([data]))
    seq.backward([head])
    whole = mx.sym.FullyConnected(mx.sym.FullyConnected(mx.sym.Variable('data'), num_hidden=2,
                                                        name='fc1'), num_hidden=2, name='fc2')
    executor = whole.bind(mx.cpu(), dict(params, data=data),
                          args_grad={k: mx.nd.zeros(v.shape) for k, v in
                                     dict(params, data=data).items()})
    executor.forward(is_train=True)
    executor.backward([head])
    np.testing.assert_allclose(seq.get_outputs()[0].asnumpy(),
                               executor.outputs[0].asnumpy(), rtol=1e-6)
    np.testing.assert_allclose(seq.get_input_grads()[0].asnumpy(),
                               executor.grad_dict['data'].asnumpy(), rtol=1e-5, atol=1e-6)
    for index, name in ((0, 'fc1_weight'), (1, 'fc2_weight')):
        np.testing.assert_allclose(seq._modules[index]._exec.grad_dict[name].asnumpy(),
                                   executor.grad_dict[name].asnumpy(), rtol=1e-5, atol=1e-6)


def test_chain_rules():
    with pytest.raises(mx.MXNetError, match='unknown meta "take_label"'):
        mx.mod.SequentialModule().add(_fc_module('fc1'), take_label=True)
    with pytest.raises(mx.MXNetError, match='chain is empty'):
        mx.mod.SequentialModule().bind([('data', (3, 4))])
    seq = mx.mod.SequentialModule().add(_fc_module('fc')).add(_fc_module('fc', 'x'),
                                                             auto_wiring=True)
    seq.bind([('data', (3, 2))])
    with pytest.raises(mx.MXNetError, match='Duplicated parameter names: name "fc_'):
        seq.init_params()


def test_python_loss_module_rules():
    loss = mx.mod.PythonLossModule(name='hinge', grad_func=lambda scores, labels: scores * 2)
    loss.bind([('data', (2, 3))], [('softmax_label', (2,))])
    scores = mx.nd.array([[1, 2, 3], [4, 5, 6]])
    loss.forward(mx.io.DataBatch([scores], [mx.nd.array([0, 1])]))
    assert loss.get_outputs()[0] is scores
    loss.backward()
    np.testing.assert_array_equal(loss.get_input_grads()[0].asnumpy(), scores.asnumpy() * 2)
    with pytest.raises(mx.MXNetError, match='no out_grads'):
        loss.backward([scores])
    with pytest.raises(mx.MXNetError, match='takes'):
        mx.mod.PythonLossModule().bind([('scores', (2, 3))])
    with pytest.raises(NotImplementedError):
        mx.mod.PythonModule(['data'], None, ['out']).bind([('data', (2, 3))])
    bare = mx.mod.PythonLossModule()
    bare.bind([('data', (2, 3))], [('softmax_label', (2,))])
    bare.forward(mx.io.DataBatch([scores], [mx.nd.array([0, 1])]))
    with pytest.raises(NotImplementedError, match='grad_func'):
        bare.backward()
