"""The lowered program against the graph run op by op: channels-last activations inside a
program must not change any output, gradient, aux update or monitored value."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import mxsym as mx
from mxsym.lower import GraphProgram
from mxsym.ops_registry import RunContext


def run_channels_first(program, args, aux, is_train):
    """Each step's own compute on channels-first values: the graph as MXNet defines it."""
    values = [None] * program.num_slots
    for slot, value in zip(program.arg_slots, args):
        values[slot] = value
    for slot, value in zip(program.aux_slots, aux):
        values[slot] = value
    new_aux = list(aux)
    for step in program.steps:
        result = step.compute(step.params, RunContext(is_train, None),
                              *[values[s] for s in step.input_slots])
        if step.has_aux:
            result, aux_values = result
            for position, target in step.aux_updates:
                new_aux[target] = aux_values[position]
        for i, value in enumerate(result):
            values[step.first_output_slot + i] = value
    return values, new_aux


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


def inputs(program):
    shapes, _, aux_shapes = conv_net().infer_shape(**SHAPES)
    rng = np.random.RandomState(0)
    args = [jnp.asarray(rng.uniform(-1, 1, s).astype(np.float32)) for s in shapes]
    aux = [jnp.asarray(rng.uniform(0.5, 1.5, s).astype(np.float32)) for s in aux_shapes]
    return args, aux


@pytest.mark.parametrize('is_train', [False, True])
def test_channels_last_program_matches_the_graph(is_train):
    program = GraphProgram(conv_net())
    args, aux = inputs(program)
    ours, ours_aux = jax.jit(lambda a, x: program.run(a, x, None, is_train))(args, aux)
    values, reference_aux = run_channels_first(program, args, aux, is_train)
    np.testing.assert_allclose(ours[0], values[program.output_slots[0]], rtol=1e-5, atol=1e-5)
    for got, want in zip(ours_aux, reference_aux):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_channels_last_program_gradients_match_the_graph():
    program = GraphProgram(conv_net())
    args, aux = inputs(program)

    def loss(run):
        return lambda a: jnp.sum(jnp.sin(run(a)))
    ours = jax.grad(loss(lambda a: program.run(a, aux, None, True)[0][0]))(args)
    reference = jax.grad(loss(lambda a: run_channels_first(program, a, aux, True)[0][
        program.output_slots[0]]))(args)
    for name, got, want in zip(program.arg_names, ours, reference):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5, err_msg=name)


def test_every_slot_comes_back_in_the_graphs_layout():
    """run_all (what monitors read) returns each value as the graph defines it."""
    program = GraphProgram(conv_net())
    args, aux = inputs(program)
    ours, _ = program.run_all(args, aux, None, True)
    reference, _ = run_channels_first(program, args, aux, True)
    for got, want in zip(ours, reference):
        assert got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
