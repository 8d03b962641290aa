"""A graph's compiled programs: shared by every graph of the same structure whatever its nodes'
names, compiled once per shapes, and failing with errors that name the graph's own nodes."""
import contextlib

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import mxsym as mx
from mxsym import compile_options
from mxsym.base import MXNetError
from mxsym.compiled_graph import compiled_graph

BACKEND_COMPILE = '/jax/core/compile/backend_compile_duration'


@contextlib.contextmanager
def counted_compiles():
    """A list that gets one entry per program XLA compiles inside the block."""
    compiles = []

    def listen(event, duration, **kwargs):
        if event == BACKEND_COMPILE:
            compiles.append(duration)
    jax.monitoring.register_event_duration_secs_listener(listen)
    try:
        yield compiles
    finally:
        jax.monitoring.unregister_event_duration_listener(listen)


def bind_forward_backward(symbol, data, head):
    grad = mx.nd.zeros(data.shape)
    executor = symbol.bind(mx.cpu(), args={'a': mx.nd.array(data)}, args_grad={'a': grad})
    executor.forward(is_train=True)
    output = executor.outputs[0].asnumpy()
    executor.backward(out_grads=mx.nd.array(head))
    return output, grad.asnumpy()


def test_graphs_differing_only_in_names_share_their_programs():
    data = np.arange(24.0).reshape(2, 3, 4)
    head = np.ones((2, 4))
    a = mx.sym.Variable('a')
    bind_forward_backward(mx.sym.sum(a, axis=1), data, head)
    for _ in range(3):
        # MXNet names each new node afresh (sum1, sum2, ...): the same program serves them
        renamed = mx.sym.sum(a, axis=1)
        with counted_compiles() as compiles:
            output, grad = bind_forward_backward(renamed, data, head)
        assert compiles == []
        np.testing.assert_array_equal(output, data.sum(axis=1))
        np.testing.assert_array_equal(grad, np.ones_like(data))


def test_other_attrs_or_shapes_are_other_programs():
    a = mx.sym.Variable('a')
    data = np.ones((2, 3, 4))
    bind_forward_backward(mx.sym.sum(a, axis=1), data, np.ones((2, 4)))
    with counted_compiles() as compiles:
        output, _ = bind_forward_backward(mx.sym.sum(a, axis=2), data, np.ones((2, 3)))
    assert compiles
    np.testing.assert_array_equal(output, np.full((2, 3), 4.0))
    with counted_compiles() as compiles:
        output, _ = bind_forward_backward(mx.sym.sum(a, axis=1), np.ones((2, 5, 4)),
                                          np.ones((2, 4)))
    assert compiles
    np.testing.assert_array_equal(output, np.full((2, 4), 5.0))


def test_write_and_add_share_programs_and_differ_in_result():
    a = mx.sym.Variable('a')
    symbol = 2 * a
    data = mx.nd.array(np.arange(6.0))
    grads = {req: mx.nd.ones((6,)) for req in ('write', 'add')}
    executors = {req: symbol.bind(mx.cpu(), args={'a': data}, args_grad={'a': grads[req]},
                                  grad_req=req) for req in ('write', 'add')}
    executors['write'].forward(is_train=True)
    executors['write'].backward(out_grads=mx.nd.ones((6,)))
    with counted_compiles() as compiles:
        executors['add'].forward(is_train=True)
        executors['add'].backward(out_grads=mx.nd.ones((6,)))
    assert compiles == []
    np.testing.assert_array_equal(grads['write'].asnumpy(), np.full(6, 2.0))
    np.testing.assert_array_equal(grads['add'].asnumpy(), np.full(6, 3.0))


def test_a_shared_program_fails_naming_the_graphs_own_node():
    a = mx.sym.Variable('a')
    first = mx.sym.Reshape(a, shape=(2, 3), name='first')
    second = mx.sym.Reshape(a, shape=(2, 3), name='second')
    outputs, _ = compiled_graph(first).forward(False)([jnp.ones(6)], [], None)
    assert outputs[0].shape == (2, 3)
    with pytest.raises(MXNetError, match=r'^second \(Reshape\)'):
        compiled_graph(second).forward(False)([jnp.ones(5)], [], None)


def test_eager_calls_of_one_shape_compile_once():
    compile_options.compiler_options(), compile_options.quick_options()   # (one-time probes)
    x = mx.nd.array(np.arange(12.0).reshape(3, 4))
    with counted_compiles() as compiles:
        results = [mx.nd.sum(x, axis=1).asnumpy() for _ in range(4)]
    # the first call runs on a row frame (frames.py), the second compiles the exact program
    assert len(compiles) <= 2
    with counted_compiles() as compiles:
        mx.nd.sum(mx.nd.array(np.ones((3, 4))), axis=1)
    assert compiles == []
    for result in results:
        np.testing.assert_array_equal(result, [6, 22, 38])


def test_repeated_draws_of_one_shape_compile_once():
    mx.random.normal(0, 1, shape=(2, 3, 4))
    with counted_compiles() as compiles:
        draws = [mx.random.normal(0, 1, shape=(2, 3, 4)).asnumpy() for _ in range(3)]
    assert compiles == []
    assert not np.array_equal(draws[0], draws[1])


@pytest.mark.parametrize('make, modes_differ', [
    (lambda a: mx.sym.tanh(a) * 2, False),
    (lambda a: mx.sym.Dropout(a, p=0.5), True),
], ids=['tanh', 'dropout'])
def test_one_forward_program_serves_both_modes_unless_an_op_reads_the_mode(make,
                                                                           modes_differ):
    data = np.linspace(-1, 1, 2 * 7 * 11).reshape(2, 7, 11)
    executor = make(mx.sym.Variable('a')).bind(mx.cpu(), args={'a': mx.nd.array(data)})
    executor.forward(is_train=False)   # (an elementwise graph's first run is on a frame)
    inference = executor.forward(is_train=False)[0].asnumpy()
    with counted_compiles() as compiles:
        training = executor.forward(is_train=True)[0].asnumpy()
    assert bool(compiles) == modes_differ
    if modes_differ:
        assert (training == 0).any() and not (inference == 0).any()
    else:
        np.testing.assert_array_equal(training, inference)


@pytest.mark.parametrize('training', [False, True])
def test_eager_programs_serve_both_autograd_modes_unless_the_op_reads_the_mode(training):
    x = mx.nd.array(np.linspace(-1, 1, 3 * 13).reshape(3, 13))
    mx.nd.tanh(x)   # (on a frame: frames.py)
    mx.nd.tanh(x)
    with counted_compiles() as compiles, mx.autograd.record(train_mode=training):
        result = mx.nd.tanh(x).asnumpy()
    assert compiles == []
    np.testing.assert_allclose(result, np.tanh(x.asnumpy()), rtol=1e-6)
    with mx.autograd.record(train_mode=training):
        dropped = mx.nd.Dropout(mx.nd.ones((50, 50)), p=0.5).asnumpy()
    assert (dropped == 0).any() == training
