"""The lowered program against the graph run op by op: channels-last activations inside a
program must not change any output, gradient, aux update or monitored value."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import mxsym as mx
from mxsym.graph import Node
from mxsym.lower import GraphProgram
from mxsym.ops_registry import OpDef


def conv_net():
    """Convolutions feeding most kinds of consumer: channels-last ops (BatchNorm, pooling,
    concat, elementwise), ops that need the graph's layout (Flatten, a broadcast against a
    lower-rank array) and an elementwise op with a channels-first variable."""
    data = mx.sym.Variable('data')
    conv = mx.sym.Convolution(data, num_filter=4, kernel=(3, 3), pad=(1, 1), name='conv')
    bn = mx.sym.BatchNorm(conv, fix_gamma=False, name='bn')
    act = mx.sym.Activation(bn, act_type='relu', name='relu')
    depthwise = mx.sym.Convolution(act, num_filter=4, num_group=4, kernel=(3, 3), stride=(2, 2),
                                   pad=(1, 1), no_bias=True, name='dw')
    pointwise = mx.sym.Convolution(act, num_filter=4, kernel=(1, 1), stride=(2, 2), name='pw')
    pool = mx.sym.Pooling(act, kernel=(2, 2), stride=(2, 2), pool_type='avg', name='pool')
    joined = mx.sym.Concat(depthwise, pointwise, pool, dim=1, name='concat')
    shifted = mx.sym.broadcast_add(joined, mx.sym.Variable('row'), name='shift')
    mixed = mx.sym.elemwise_add(joined, mx.sym.Variable('skip'), name='mixed')
    leaky = mx.sym.LeakyReLU(mixed, act_type='leaky', slope=0.1, name='leaky')
    flat = mx.sym.Flatten(leaky * shifted, name='flat')
    return mx.sym.FullyConnected(flat, num_hidden=3, name='fc')


SHAPES = {'data': (2, 3, 8, 8), 'row': (4,), 'skip': (2, 12, 4, 4)}

# The two programs sum in different orders (reductions over NHWC rather than NCHW data), so
# float32 results agree to rounding, not bit for bit.
RTOL, ATOL = 1e-5, 1e-5


def programs_and_inputs():
    """The lowered program, the reference keeping every value channels-first, and inputs."""
    net = conv_net()
    shapes, _, aux_shapes = net.infer_shape(**SHAPES)
    rng = np.random.RandomState(0)
    args = [jnp.asarray(rng.uniform(-1, 1, s).astype(np.float32)) for s in shapes]
    aux = [jnp.asarray(rng.uniform(0.5, 1.5, s).astype(np.float32)) for s in aux_shapes]
    return GraphProgram(net), GraphProgram(net, channels_last=False), args, aux


def transposes(program, args, aux):
    jaxpr = jax.make_jaxpr(lambda a, x: program.run(a, x, None, False))(args, aux)
    return sum(eqn.primitive.name == 'transpose' for eqn in jaxpr.eqns)


def test_convolutions_move_activations_channels_last():
    program, reference, args, aux = programs_and_inputs()
    # the reference transposes once (its 1x1 convolution's matmul); channels-last moves the
    # data, the weights and the values leaving for Flatten and the broadcast
    assert transposes(program, args, aux) > transposes(reference, args, aux)


@pytest.mark.parametrize('is_train', [False, True])
def test_channels_last_program_matches_the_graph(is_train):
    program, reference, args, aux = programs_and_inputs()
    ours, ours_aux = jax.jit(lambda a, x: program.run(a, x, None, is_train))(args, aux)
    want, want_aux = reference.run(args, aux, None, is_train)
    np.testing.assert_allclose(ours[0], want[0], rtol=RTOL, atol=ATOL)
    for got, expected in zip(ours_aux, want_aux):
        np.testing.assert_allclose(got, expected, rtol=RTOL, atol=1e-6)


@pytest.mark.slow
def test_channels_last_program_gradients_match_the_graph():
    program, reference, args, aux = programs_and_inputs()

    def grads(lowered):
        return jax.grad(lambda a: jnp.sum(jnp.sin(lowered.run(a, aux, None, True)[0][0])))(args)
    # gradients sum over the batch and the spatial axes too: rounding grows to ~1e-5 relative
    for name, got, want in zip(program.arg_names, grads(program), grads(reference)):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=ATOL, err_msg=name)


def test_every_slot_comes_back_in_the_graphs_layout():
    """run_all (what monitors read) returns each value as the graph defines it."""
    program, reference, args, aux = programs_and_inputs()
    ours, _ = program.run_all(args, aux, None, True)
    want, _ = reference.run_all(args, aux, None, True)
    for got, expected in zip(ours, want):
        assert got.shape == expected.shape
        np.testing.assert_allclose(got, expected, rtol=RTOL, atol=ATOL)


def _fails_in_training(params, ctx, data):
    if ctx.is_train:
        raise ValueError('no training form')
    return (data * 2,)


def test_failing_node_is_named_with_its_inputs():
    data = mx.sym.Activation(mx.sym.Variable('data'), act_type='relu', name='relu')
    odd = Node(OpDef('_fails_in_training', _fails_in_training, reads_mode=True), 'odd',
               inputs=data._outputs)
    program = GraphProgram(mx.sym.Symbol([(odd, 0)]))
    assert program.reads_mode
    values = jnp.ones((2, 3), jnp.float32)
    np.testing.assert_array_equal(program.run([values], [], None, is_train=False)[0][0],
                                  2 * np.ones((2, 3)))
    with pytest.raises(mx.MXNetError, match=r'^odd \(_fails_in_training\), on inputs '
                       r'float32 \(2, 3\): ValueError: no training form$'):
        program.run([values], [], None, is_train=True)


def test_reading_an_undeclared_mode_is_an_error():
    """An op's programs serve both modes unless it declares reads_mode; one that reads the
    mode all the same fails, naming itself, rather than computing one mode for both."""
    data = mx.sym.Variable('data')
    odd = Node(OpDef('_fails_in_training', _fails_in_training), 'odd', inputs=data._outputs)
    program = GraphProgram(mx.sym.Symbol([(odd, 0)]))
    assert not program.reads_mode
    with pytest.raises(mx.MXNetError, match='_fails_in_training reads the training mode '
                       'without declaring reads_mode'):
        program.run([jnp.ones((2, 3))], [], None, is_train=False)


@pytest.mark.parametrize('make, reads_mode', [
    (lambda x: mx.sym.tanh(x), False),
    (lambda x: mx.sym.Dropout(x), True),
    (lambda x: mx.sym.BatchNorm(x), True),
    (lambda x: mx.sym.contrib.cond(x.sum() > 0, lambda: mx.sym.Dropout(x), lambda: x), True),
], ids=['tanh', 'dropout', 'batchnorm', 'dropout_in_subgraph'])
def test_graph_reads_mode_where_an_op_does(make, reads_mode):
    assert GraphProgram(make(mx.sym.Variable('x'))).reads_mode == reads_mode
