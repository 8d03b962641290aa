"""Executor behaviour beyond the golden cases: grad_req modes, argument forms, errors, caching."""
import numpy as np
import pytest

import mxsym as mx
from mxsym import compile_options
from mxsym.lower import GraphProgram


def product_graph():
    a, b = mx.sym.Variable('a'), mx.sym.Variable('b')
    return mx.sym.elemwise_add(mx.sym.elemwise_mul(a, b, name='ab'), a, name='abpa')


def bound(grad_req='write', graph=None):
    a = mx.nd.array([[1., 2.], [3., 4.]])
    b = mx.nd.array([[5., 6.], [7., 8.]])
    grads = {'a': mx.nd.zeros((2, 2)), 'b': mx.nd.zeros((2, 2))}
    graph = product_graph() if graph is None else graph
    return graph.bind(mx.cpu(), {'a': a, 'b': b}, args_grad=grads,
                      grad_req=grad_req)


def test_backward_write_gives_the_chain_rule():
    exe = bound()
    exe.forward(is_train=True)
    np.testing.assert_array_equal(exe.outputs[0].asnumpy(), [[6., 14.], [24., 36.]])
    exe.backward(mx.nd.ones((2, 2)))
    np.testing.assert_array_equal(exe.grad_dict['a'].asnumpy(), [[6., 7.], [8., 9.]])
    np.testing.assert_array_equal(exe.grad_dict['b'].asnumpy(), [[1., 2.], [3., 4.]])


def test_grad_req_add_accumulates_and_null_leaves_alone():
    exe = bound({'a': 'add', 'b': 'null'})
    for _ in range(2):
        exe.forward(is_train=True)
        exe.backward(mx.nd.ones((2, 2)))
    np.testing.assert_array_equal(exe.grad_dict['a'].asnumpy(), [[12., 14.], [16., 18.]])
    np.testing.assert_array_equal(exe.grad_dict['b'].asnumpy(), np.zeros((2, 2)))


def test_list_arguments_and_forward_kwargs():
    exe = product_graph().bind(mx.cpu(), [mx.nd.ones((2, 2)), mx.nd.ones((2, 2))])
    out = exe.forward(a=mx.nd.full((2, 2), 3.))
    np.testing.assert_array_equal(out[0].asnumpy(), np.full((2, 2), 6.))
    assert list(exe.output_dict) == ['abpa_output']
    assert exe.output_dict['abpa_output'] is exe.outputs[0]


def test_copy_params_from_rejects_unknown_names_unless_allowed():
    exe = bound()
    exe.copy_params_from({'a': mx.nd.full((2, 2), 2.)})
    np.testing.assert_array_equal(exe.arg_dict['a'].asnumpy(), np.full((2, 2), 2.))
    with pytest.raises(ValueError, match='zz'):
        exe.copy_params_from({'zz': mx.nd.ones((2, 2))})
    exe.copy_params_from({'zz': mx.nd.ones((2, 2))}, allow_extra_params=True)


def test_backward_needs_head_gradient_for_non_loss_output():
    exe = bound()
    exe.forward(is_train=True)
    with pytest.raises(mx.MXNetError, match='head gradient'):
        exe.backward()


@pytest.mark.parametrize('make', [lambda x, y: x == y, lambda x, y: x > 1,
                                  lambda x, y: mx.sym.broadcast_lesser(x, y),
                                  lambda x, y: mx.sym.broadcast_logical_and(x, y)])
def test_comparisons_have_zero_gradient_and_need_no_head_gradient(make):
    """MXNet defines comparison gradients as zero, so backward() needs no head gradient."""
    x, y = mx.sym.Variable('x'), mx.sym.Variable('y')
    graph = make(x, y)
    shapes = {name: (2, 3) for name in graph.list_arguments()}
    exe = graph.simple_bind(mx.cpu(), **shapes)
    exe.forward(is_train=True, **{name: np.arange(6.).reshape(2, 3) for name in shapes})
    exe.backward()
    for name in shapes:
        np.testing.assert_array_equal(exe.grad_dict[name].asnumpy(), np.zeros((2, 3)))


@pytest.mark.parametrize('make', [lambda a: mx.sym.argmax(a, axis=1, keepdims=True),
                                  lambda a: mx.sym.argmin(a, axis=1),
                                  lambda a: mx.sym.argsort(a, axis=1, is_ascend=False),
                                  mx.sym.argmax_channel])
def test_searches_have_zero_gradient_and_ignore_head_gradients(make):
    """MXNet's searches have a zero gradient; it never reads their head gradients."""
    exe = make(mx.sym.Variable('a')).simple_bind(mx.cpu(), a=(3, 4, 2))
    exe.forward(is_train=True, a=np.random.rand(3, 4, 2))
    exe.backward(mx.nd.ones((3, 4, 2)))
    np.testing.assert_array_equal(exe.grad_dict['a'].asnumpy(), np.zeros((3, 4, 2)))


def test_bind_rejects_wrong_shapes_naming_the_node():
    net = mx.sym.FullyConnected(mx.sym.Variable('data'), num_hidden=4, name='fc1')
    with pytest.raises(mx.MXNetError, match=r'fc1 \(FullyConnected\).*weight'):
        net.bind(mx.cpu(), {'data': mx.nd.ones((2, 3)), 'fc1_weight': mx.nd.ones((4, 5)),
                            'fc1_bias': mx.nd.ones((4,))})


def test_missing_argument_is_named():
    with pytest.raises(mx.MXNetError, match="'b'|b"):
        product_graph().bind(mx.cpu(), {'a': mx.nd.ones((2, 2))})


def test_one_compiled_program_per_graph_and_mode(monkeypatch):
    traced, execute = [], GraphProgram._execute

    def counting(self, args, aux, key, is_train):   # runs once per trace, not per call
        traced.append(is_train)
        return execute(self, args, aux, key, is_train)
    monkeypatch.setattr(GraphProgram, '_execute', counting)
    a, b = mx.sym.Variable('a'), mx.sym.Variable('b')
    executors = []
    for _ in range(3):   # three symbols of one graph, as three loads of one file give
        graph = mx.sym.elemwise_mul(a, b, name='compiled_once')
        exe = bound(graph=graph)
        exe.forward(is_train=False)
        exe.forward(is_train=True)
        exe.backward(mx.nd.ones((2, 2)))
        executors.append(exe)
    assert sorted(traced) == [False, True]
    assert len({id(exe._compiled) for exe in executors}) == 1


def test_backward_reuses_the_training_forward():
    exe = bound()
    exe.forward(is_train=True)
    exe.arg_dict['a'][:] = 100.
    exe.backward(mx.nd.ones((2, 2)))
    np.testing.assert_array_equal(exe.grad_dict['b'].asnumpy(), [[1., 2.], [3., 4.]])


@pytest.mark.parametrize('size, programs', [(4, 1), (4100, 2)])
def test_small_graphs_train_with_one_program(monkeypatch, size, programs):
    """Forward and backward of a graph of small arrays are one compiled program (run twice);
    larger graphs keep the forward's residuals for a backward program. Same gradients."""
    compiled = []
    compile_lowered = compile_options.compile_lowered
    monkeypatch.setattr(compile_options, 'compile_lowered',
                        lambda lowered, quick=False: compiled.append(1)
                        or compile_lowered(lowered, quick))
    data = mx.sym.Variable('data')
    net = mx.sym.sum(mx.sym.tanh(data) * data, axis=0, name='small_pass%d' % size)
    values = np.linspace(-2, 2, 3 * size).reshape(3, size)
    exe = net.bind(mx.cpu(), {'data': mx.nd.array(values)},
                   args_grad={'data': mx.nd.zeros((3, size))})
    head = mx.nd.array(np.full(size, 2.0))
    compiled.clear()
    exe.forward(is_train=True)
    exe.backward(head)
    np.testing.assert_allclose(exe.outputs[0].asnumpy(), (np.tanh(values) * values).sum(0),
                               rtol=1e-5)
    expected = 2 * (np.tanh(values) + values * (1 - np.tanh(values) ** 2))
    np.testing.assert_allclose(exe.grad_dict['data'].asnumpy(), expected, rtol=1e-5, atol=1e-6)
    assert len(compiled) == programs


def test_small_graphs_backward_sees_the_forwards_dropout_mask():
    data = mx.sym.Variable('data')
    exe = mx.sym.Dropout(data, p=0.5).simple_bind(mx.cpu(), data=(4, 8))
    exe.forward(is_train=True, data=mx.nd.ones((4, 8)))
    kept = exe.outputs[0].asnumpy() != 0
    exe.backward(mx.nd.ones((4, 8)))
    assert 0 < kept.sum() < 32
    np.testing.assert_array_equal(exe.grad_dict['data'].asnumpy(), np.where(kept, 2.0, 0.0))


def test_backward_without_forward_differentiates_at_the_current_arguments():
    """MXNet runs a backward with no forward before it, and a second backward after one."""
    data = mx.sym.Variable('data')
    exe = mx.sym.tile(data * data, reps=(2, 1)).bind(
        mx.cpu(), args=[mx.nd.array([[1, 2]])], args_grad=[mx.nd.zeros((1, 2))])
    for _ in range(2):
        exe.backward(mx.nd.ones((2, 2)))
        np.testing.assert_array_equal(exe.grad_dict['data'].asnumpy(), [[4, 8]])


def test_backward_after_an_inference_forward_differentiates_it():
    """MXNet differentiates the last forward whatever its is_train: Dropout is off in it."""
    data = mx.sym.Variable('data')
    net = mx.sym.Dropout(data * 3, p=0.5)
    exe = net.simple_bind(mx.cpu(), data=(2, 3))
    exe.forward(is_train=False, data=mx.nd.ones((2, 3)))
    exe.backward(mx.nd.ones((2, 3)))
    np.testing.assert_array_equal(exe.grad_dict['data'].asnumpy(), np.full((2, 3), 3.0))


def test_gpu_context_without_gpu_is_a_clear_error():
    if mx.num_gpus() > 0:
        # On a machine with a GPU, mx.gpu(0) is valid and there is no error to check.
        pytest.skip('this machine has a GPU; the error is for machines without one')
    with pytest.raises(mx.MXNetError, match='gpu'):
        mx.nd.ones((2, 2), ctx=mx.gpu(0))


# Integer gradients, computed in integer arithmetic; expected values from MXNet 1.9.1.
def test_integer_gradients_sum_over_uses_and_add_to_old_values():
    a = mx.sym.Variable('a')
    exe = (a * a + a).simple_bind(mx.cpu(), grad_req='add', type_dict={'a': 'int32'}, a=(4,))
    exe.arg_dict['a'][:] = np.array([3, -2, 5, 0], 'int32')
    exe.grad_dict['a'][:] = np.array([1, 1, 100, -7], 'int32')
    exe.forward(is_train=True)
    exe.backward(mx.nd.array([2, 3, 1, 4], dtype='int32'))
    np.testing.assert_array_equal(exe.outputs[0].asnumpy(), [12, 2, 30, 0])
    grad = exe.grad_dict['a'].asnumpy()
    assert grad.dtype == np.int32
    np.testing.assert_array_equal(grad, [15, -8, 111, -3])


def test_gradients_cross_between_float_and_integer_values():
    """float x -> int32 -> times int32 n -> float32 -> times float w: the head gradient
    truncates to int32 on its way back through the casts."""
    x, w, n = mx.sym.Variable('x'), mx.sym.Variable('w'), mx.sym.Variable('n')
    out = mx.sym.Cast(mx.sym.Cast(x, dtype='int32') * n, dtype='float32') * w
    exe = out.simple_bind(mx.cpu(), type_dict={'x': 'float32', 'w': 'float32', 'n': 'int32'},
                          x=(4,), w=(4,), n=(4,))
    exe.forward(is_train=True, x=np.array([2.7, -1.5, 4.2, 3.0]),
                w=np.array([1.5, 2.25, -3.5, 0.5]), n=np.array([3, -2, 2, 7]))
    exe.backward(mx.nd.array([1.0, 2.0, 1.0, 3.0]))
    np.testing.assert_array_equal(exe.outputs[0].asnumpy(), [9.0, 4.5, -28.0, 10.5])
    expected = {'x': ([3, -8, -6, 7], np.float32), 'w': ([6, 4, 8, 63], np.float32),
                'n': ([2, -4, -12, 3], np.int32)}
    for name, (values, dtype) in expected.items():
        grad = exe.grad_dict[name].asnumpy()
        assert grad.dtype == dtype, name
        np.testing.assert_array_equal(grad, values, err_msg=name)


def test_integer_backward_of_an_op_without_a_rule_names_the_node():
    data = mx.sym.Variable('data')
    exe = mx.sym.moments(data, axes=(1,), name='stats').simple_bind(
        mx.cpu(), type_dict={'data': 'int32'}, data=(2, 3))
    exe.forward(is_train=True)
    with pytest.raises(mx.MXNetError, match='stats.*moments'):
        exe.backward([mx.nd.ones((2,), dtype='int32')] * 2)


def fully_connected_executor(batch):
    net = mx.sym.FullyConnected(mx.sym.Variable('x'), num_hidden=4, name='fc')
    exe = net.simple_bind(mx.cpu(), x=(batch, 4), grad_req='null')
    exe.arg_dict['x'][:] = 1
    exe.arg_dict['fc_weight'][:] = 1
    exe.arg_dict['fc_bias'][:] = 0
    return exe


def test_reshape_shares_weights_and_views_smaller_arrays():
    exe = fully_connected_executor(5)
    smaller = exe.reshape(x=(3, 4))
    assert smaller.arg_dict['fc_weight'] is exe.arg_dict['fc_weight']
    smaller.forward()
    np.testing.assert_array_equal(smaller.outputs[0].asnumpy(), np.full((3, 4), 4.0))
    np.testing.assert_array_equal(exe.outputs[0].asnumpy()[:3], np.full((3, 4), 4.0))
    smaller.arg_dict['x'][:] = 2
    np.testing.assert_array_equal(exe.arg_dict['x'].asnumpy()[:3], np.full((3, 4), 2.0))


def test_reshape_up_sizing_allocates_only_when_allowed():
    exe = fully_connected_executor(5)
    with pytest.raises(mx.MXNetError, match='allow_up_sizing'):
        exe.reshape(x=(6, 4))
    larger = exe.reshape(allow_up_sizing=True, x=(6, 4))
    larger.arg_dict['x'][:] = 0
    np.testing.assert_array_equal(exe.arg_dict['x'].asnumpy(), np.ones((5, 4)))
    assert larger.arg_dict['fc_weight'] is exe.arg_dict['fc_weight']


def test_reshape_of_an_argument_not_named_needs_partial_shaping():
    net = mx.sym.Variable('a') + mx.sym.Variable('b')
    exe = net.simple_bind(mx.cpu(), a=(4, 2), b=(4, 2))
    with pytest.raises(mx.MXNetError, match='partial_shaping'):
        exe.reshape(a=(2, 2))
    assert exe.reshape(partial_shaping=True, a=(2, 2)).arg_dict['b'].shape == (2, 2)


def test_outputs_off_the_gradient_path_need_no_head_gradient():
    x, idx = mx.sym.Variable('x'), mx.sym.Variable('idx')
    net = mx.sym.Group([mx.sym.stop_gradient(mx.sym.batch_take(x, idx)), x * 2])
    exe = net.simple_bind(mx.cpu(), x=(3, 3), idx=(3,), type_dict={'x': np.float32,
                                                                   'idx': np.int32},
                          grad_req={'x': 'write', 'idx': 'null'})
    exe.forward(is_train=True)
    with pytest.raises(mx.MXNetError, match='head gradient is required'):
        exe.backward()
    exe.backward([None, mx.nd.ones((3, 3))])
    np.testing.assert_array_equal(exe.grad_dict['x'].asnumpy(), np.full((3, 3), 2.0))


def test_a_gradient_through_an_op_without_one_is_refused_at_bind():
    net = mx.sym.batch_take(mx.sym.Variable('x'), mx.sym.Variable('idx'))
    with pytest.raises(mx.MXNetError, match='batch_take is non-differentiable'):
        net.simple_bind(mx.cpu(), x=(3, 3), idx=(3,), type_dict={'x': np.float32,
                                                                 'idx': np.int32})


def test_debug_str_counts_values_kept_for_backward():
    net = mx.sym.Variable('data')
    for _ in range(4):
        net = net * net

    def planned(symbol, **kwargs):
        text = symbol.simple_bind(mx.cpu(), data=(64, 1024), **kwargs).debug_str()
        return int(text.split('Total ')[1].split(' MB')[0])
    with_gradients = planned(net)
    assert planned(net, grad_req='null') == planned(mx.sym.stop_gradient(net)) < with_gradients


def test_simple_bind_ignores_keywords_that_are_not_shapes():
    net = mx.sym.Variable('a') * 2
    exe = net.simple_bind(mx.cpu(), a=(2, 3), force_rebind=True)
    assert exe.arg_dict['a'].shape == (2, 3)


def test_head_gradients_are_taken_in_the_outputs_dtype():
    net = mx.sym.Variable('x') * 3
    exe = net.simple_bind(mx.cpu(), x=(2, 2))
    exe.forward(is_train=True)
    exe.backward(mx.nd.array([[1, 2], [3, 4]], dtype='int32'))
    np.testing.assert_array_equal(exe.grad_dict['x'].asnumpy(), [[3, 6], [9, 12]])


@pytest.mark.parametrize('head_shape', [(4, 2), (8,), (2, 3), (2, 2)])
@pytest.mark.parametrize('runs', [1, 2])
def test_head_gradient_of_another_shape_is_refused(head_shape, runs):
    """MXNet copies a head gradient into its head buffer, which must have the same shape."""
    net = mx.sym.Variable('x') * 2
    exe = net.simple_bind(mx.cpu(), x=(3, 2))
    for _ in range(runs):   # a first run (on a frame) and a later one
        exe.forward(is_train=True)
        with pytest.raises(mx.MXNetError, match=r'head gradient of output 0 \(_mulscalar\d+\) '
                                                r'has shape \(.*\), the output \(3, 2\)'):
            exe.backward(mx.nd.ones(head_shape))
        exe.backward(mx.nd.ones((3, 2)))
    np.testing.assert_array_equal(exe.grad_dict['x'].asnumpy(), np.full((3, 2), 2))


@pytest.mark.parametrize('make', [mx.sym.shape_array, mx.sym.size_array])
def test_zero_gradient_outputs_ignore_their_heads_shape(make):
    """MXNet's gradient of shape_array and size_array never reads the head, so a head of any
    shape is ignored (MXNet's own test passes one of the input's size)."""
    exe = make(mx.sym.Variable('x')).simple_bind(mx.cpu(), x=(7,))
    exe.forward(is_train=True)
    exe.backward(mx.nd.ones((7,)))
    np.testing.assert_array_equal(exe.grad_dict['x'].asnumpy(), np.zeros(7))


def test_head_gradients_are_copied_into_the_outputs_dtype_as_mxnet_copies():
    """A float head for an int32 output truncates, and one out of int32's range wraps
    through INT_MIN (MXNet 1.9.1 gives these gradients)."""
    net = mx.sym.cast(mx.sym.Variable('x'), dtype='int32') * 2
    exe = net.simple_bind(mx.cpu(), x=(1, 3))
    exe.forward(is_train=True, x=mx.nd.array([[1, 2, 3]]))
    exe.backward(mx.nd.array([[2.7, -1.5, 3e10]], dtype='float32'))
    np.testing.assert_array_equal(exe.grad_dict['x'].asnumpy(), [[4, -2, 0]])
