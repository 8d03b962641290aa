"""MXNet's DataParallelExecutorGroup (one executor per context, arrays shared with another
group) and a Module's per-context views: outputs, input gradients and states split over its
contexts, ctx_group placement, row_sparse parameters, the store's updater."""
import numpy as np
import pytest

import mxsym as mx
from mxsym.module.executor_group import DataParallelExecutorGroup, split_batch

CONTEXTS = [mx.cpu(0), mx.cpu(1)]


def _mlp(num_layers=1):
    net = mx.sym.Variable('data')
    for i in range(num_layers):
        net = mx.sym.FullyConnected(net, num_hidden=3, name='fc%d' % i)
    return mx.sym.SoftmaxOutput(net, name='softmax')


def _params(sym, shapes, seed=0):
    rng = np.random.RandomState(seed)
    arg_shapes, _, _ = sym.infer_shape(**shapes)
    return {n: mx.nd.array(rng.uniform(-1, 1, s)) for n, s in zip(sym.list_arguments(), arg_shapes)
            if n not in shapes}


def _group(sym, batch=6, shared_group=None, param_names=None, **kwargs):
    return DataParallelExecutorGroup(
        sym, CONTEXTS, [1, 1], [('data', (batch, 4))], [('softmax_label', (batch,))],
        param_names or [n for n in sym.list_arguments() if n.startswith('fc0')],
        for_training=True, inputs_need_grad=False, shared_group=shared_group, **kwargs)


def test_split_batch_follows_the_workload():
    assert split_batch(10, [1, 1]) == [slice(0, 5), slice(5, 10)]
    assert split_batch(10, [3, 1, 1]) == [slice(0, 6), slice(6, 8), slice(8, 10)]
    with pytest.raises(mx.base.MXNetError, match='each context needs a sample'):
        split_batch(1, [1, 1])


def test_group_runs_each_context_on_its_slice():
    sym = _mlp()
    group = _group(sym)
    params = _params(sym, {'data': (6, 4), 'softmax_label': (6,)})
    group.set_params(params, {})
    data = np.random.RandomState(1).uniform(-1, 1, (6, 4)).astype(np.float32)
    label = np.array([0, 1, 2, 0, 1, 2], np.float32)
    batch = mx.io.DataBatch([mx.nd.array(data)], [mx.nd.array(label)])
    group.forward(batch, is_train=True)
    group.backward()
    assert [e.arg_dict['data'].shape for e in group.execs] == [(3, 4), (3, 4)]
    assert group.get_output_shapes() == [('softmax_output', (6, 3))]
    assert [p.shape for p in group.get_outputs(merge_multi_context=False)[0]] == [(3, 3)] * 2

    whole = sym.simple_bind(mx.cpu(), data=(6, 4), softmax_label=(6,))
    whole.copy_params_from(params)
    whole.arg_dict['data'][:] = data
    whole.arg_dict['softmax_label'][:] = label
    whole.forward(is_train=True)
    whole.backward()
    np.testing.assert_allclose(group.get_outputs()[0].asnumpy(), whole.outputs[0].asnumpy(),
                               rtol=1e-6)
    summed = sum(grads.asnumpy() for grads in group.grad_arrays[0])
    np.testing.assert_allclose(summed, whole.grad_dict['fc0_weight'].asnumpy(), rtol=1e-5,
                               atol=1e-6)
    metric = mx.metric.Accuracy()
    group.update_metric(metric, batch.label)
    want = mx.metric.Accuracy()
    want.update([mx.nd.array(label)], whole.outputs)
    assert metric.get() == want.get()

    targets = {n: mx.nd.zeros(v.shape) for n, v in params.items()}
    group.get_params(targets, {})
    np.testing.assert_allclose(targets['fc0_weight'].asnumpy(), params['fc0_weight'].asnumpy())
    group.reshape([mx.io.DataDesc('data', (4, 4))], [mx.io.DataDesc('softmax_label', (4,))])
    assert group.execs[1].arg_dict['data'].shape == (2, 4)
    np.testing.assert_array_equal(group.execs[1].arg_dict['fc0_weight'].asnumpy(),
                                  params['fc0_weight'].asnumpy())


def test_shared_group_shares_parameters_and_input_buffers():
    first = _group(_mlp(1))
    second_sym = _mlp(2)
    second = _group(second_sym, shared_group=first)
    assert second.shared_data_arrays is first.shared_data_arrays
    for own, shared in zip(second.execs, first.execs):
        for name in ('fc0_weight', 'fc0_bias'):
            assert own.arg_dict[name] is shared.arg_dict[name]
            assert own.grad_dict[name] is shared.grad_dict[name]
        for name in ('data', 'softmax_label'):
            assert own.arg_dict[name] is shared.arg_dict[name]
    # arguments the shared group lacks join the shared buffer
    assert set(first.shared_data_arrays[0]) == {'data', 'softmax_label', 'fc1_weight',
                                                'fc1_bias'}
    assert second.grad_req['fc0_weight'] == 'write' and second.grad_req['fc1_weight'] == 'null'


def test_module_splits_outputs_states_and_input_grads_over_contexts():
    data = mx.sym.Variable('data')
    out = mx.sym.Activation(data, act_type='relu', __layout__='TNC')
    mod = mx.mod.Module(out, ('data',), None, context=CONTEXTS)
    mod.bind([mx.io.DataDesc('data', (3, 8, 2), layout='TNC')], inputs_need_grad=True)
    mod.init_params()
    mod.forward(mx.io.DataBatch([mx.nd.ones((3, 8, 2))]), is_train=True)
    mod.backward([mx.nd.ones((3, 8, 2))])
    parts = mod.get_outputs(merge_multi_context=False)
    assert [[p.shape for p in output] for output in parts] == [[(3, 4, 2), (3, 4, 2)]]
    assert [p.context for p in parts[0]] == CONTEXTS
    grads = mod.get_input_grads(merge_multi_context=False)
    assert [g.shape for g in grads[0]] == [(3, 4, 2), (3, 4, 2)]

    state = mx.sym.Variable('state')
    mod = mx.mod.Module(mx.sym.Group([mx.sym.Variable('data') + state]), context=CONTEXTS,
                        label_names=None, state_names=['state'])
    mod.bind([('data', (4, 2))], for_training=False)
    mod.init_params()
    mod.set_states(value=1)
    mod.forward(mx.io.DataBatch([mx.nd.ones((4, 2))]))
    halves = mod.get_outputs(merge_multi_context=False)
    mod.set_states(states=halves)
    np.testing.assert_array_equal(mod.get_states()[0].asnumpy(), np.full((4, 2), 2))
    assert [s.shape for s in mod.get_states(merge_multi_context=False)[0]] == [(2, 2)] * 2


def test_module_places_ctx_groups():
    with mx.AttrScope(ctx_group='dev1'):
        a = mx.sym.Variable('a') * 2
    with mx.AttrScope(ctx_group='dev2'):
        c = a + mx.sym.Variable('b')
    mod = mx.mod.Module(c, data_names=['a', 'b'], label_names=None,
                        group2ctxs={'dev1': mx.cpu(1), 'dev2': [mx.cpu(2)]})
    mod.bind([('a', (2, 3)), ('b', (2, 3))], inputs_need_grad=True)
    mod.init_params()
    mod.forward(mx.io.DataBatch([mx.nd.ones((2, 3)), mx.nd.ones((2, 3))]), is_train=True)
    mod.backward([mx.nd.ones((2, 3))])
    grad_a, grad_b = mod.get_input_grads()
    assert (grad_a.context, grad_b.context) == (mx.cpu(1), mx.cpu(2))
    np.testing.assert_array_equal(grad_a.asnumpy(), np.full((2, 3), 2))


def test_module_keeps_row_sparse_parameters_sparse():
    data = mx.sym.Variable('data', stype='csr')
    weight = mx.sym.Variable('v', shape=(5, 1), init=mx.init.Uniform(0.1), stype='row_sparse')
    out = mx.sym.LinearRegressionOutput(mx.sym.dot(data, weight), name='out')
    mod = mx.mod.Module(out, data_names=['data'], label_names=['out_label'])
    mod.bind([('data', (4, 5))], [('out_label', (4, 1))])
    mod.init_params()
    v = mod.get_params()[0]['v']
    assert v.stype == 'row_sparse' and np.abs(v.asnumpy()).sum() > 0


def test_store_over_contexts_holds_the_module_updater():
    mod = mx.mod.Module(mx.sym.FullyConnected(mx.sym.Variable('data'), num_hidden=2),
                        ('data',), None, context=CONTEXTS)
    mod.bind([('data', (4, 3))])
    mod.init_params()
    mod.init_optimizer(optimizer_params={'learning_rate': 0.1, 'momentum': 0.9})
    assert mod._kvstore._updater is mod._updater
