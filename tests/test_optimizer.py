"""Optimizers against MXNet 1.9.1: weights and states after a few updates, through MXNet's
updater API and through the pure `step` a compiled training step uses."""
import json
import os
import pickle

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import mxsym as mx
from mxsym.base import MXNetError

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'golden', 'optimizer')
with open(os.path.join(GOLDEN, 'optimizer.json')) as _f:
    SPEC = json.load(_f)
ARRAYS = np.load(os.path.join(GOLDEN, 'optimizer.npz'))
CASES = {case['id']: case for case in SPEC['cases']}
PARAMS = [(name, tuple(shape)) for name, shape in SPEC['params']]
# float16 weights round every update to 11 bits; compared at float16 resolution.
TOLERANCES = {'float32': dict(rtol=1e-5, atol=1e-6), 'float16': dict(rtol=2e-3, atol=2e-3)}


def graph_with_multipliers():
    """The graph the generator gives optimizers through `sym` (lr_mult/wd_mult attrs)."""
    weight = mx.sym.Variable('fc_weight', lr_mult=2.0)
    bias = mx.sym.Variable('fc_bias', wd_mult=3.0, lr_mult=0.5)
    gamma = mx.sym.Variable('bn_gamma', wd_mult=0.0)
    net = mx.sym.FullyConnected(mx.sym.Variable('data'), weight=weight, bias=bias,
                                num_hidden=4, name='fc')
    return mx.sym.BatchNorm(net, gamma=gamma, name='bn')


def make_optimizer(case):
    kwargs = dict(case['kwargs'])
    if 'param_idx2name' in kwargs:
        kwargs['param_idx2name'] = {int(i): n for i, n in kwargs['param_idx2name'].items()}
    if case['options'].get('sym'):
        kwargs['sym'] = graph_with_multipliers()
    if case['scheduler']:
        name, scheduler_kwargs = case['scheduler']
        kwargs['lr_scheduler'] = getattr(mx.lr_scheduler, name)(**scheduler_kwargs)
    optimizer = mx.optimizer.create(case['optimizer'], **kwargs)
    if case['options'].get('mult'):
        optimizer.set_lr_mult({0: 0.5, 1: 3.0})
        optimizer.set_wd_mult({1: 2.0, 2: 0.0})
    return optimizer


def split(flat):
    """A raveled concatenation of all parameters, back to one array per parameter."""
    out, start = [], 0
    for _, shape in PARAMS:
        size = int(np.prod(shape))
        out.append(flat[start:start + size].reshape(shape))
        start += size
    return out


def flat_state(state):
    if state is None:
        return []
    if isinstance(state, (mx.nd.NDArray, jax.Array)):
        return [np.asarray(state.asnumpy() if isinstance(state, mx.nd.NDArray) else state)]
    return [array for one in state for array in flat_state(one)]


def check_states(case, states):
    expected = ARRAYS[case['id'] + '/states']
    ours = [array for state in states for array in flat_state(state)]
    assert [[list(a.shape) for a in flat_state(s)] for s in states] == case['state_shapes']
    got = np.concatenate([a.ravel() for a in ours] + [np.zeros(0, np.float32)])
    np.testing.assert_allclose(got, expected, **TOLERANCES[case['dtype']])


# `update` compiles its steps; compiling every case would take most of this file's time, so
# these cases run compiled and the others op by op (the same `step`, under jax.disable_jit).
COMPILED_CASES = ['sgd_momentum_wd', 'adam_wd_clip', 'nadam', 'sgd_fp16_multi_precision']


@pytest.mark.parametrize('case_id', sorted(CASES))
def test_updater_matches_mxnet(case_id):
    if case_id in COMPILED_CASES:
        check_updater_case(case_id)
    else:
        with jax.disable_jit():
            check_updater_case(case_id)


def check_updater_case(case_id):
    case = CASES[case_id]
    dtype = case['dtype']
    optimizer = make_optimizer(case)
    updater = mx.optimizer.get_updater(optimizer)
    weights = [mx.nd.array(w, dtype=dtype) for w in split(ARRAYS[case_id + '/init'])]
    grads_flat = ARRAYS[case_id + '/grads']
    for step in range(SPEC['steps']):
        grads = [mx.nd.array(g, dtype=dtype) for g in split(grads_flat[step])]
        for index, grad in enumerate(grads):
            updater(index, grad, weights[index])
        assert optimizer.learning_rate == pytest.approx(case['learning_rates'][step], rel=1e-12)
        for got, expected in zip(weights, split(ARRAYS[case_id + '/weights'][step])):
            assert got.dtype == np.dtype(dtype)
            np.testing.assert_allclose(got.asnumpy(), expected, **TOLERANCES[dtype],
                                       err_msg='%s step %d' % (case_id, step))
    assert optimizer.num_update == case['num_update']
    np.testing.assert_allclose(np.concatenate([g.asnumpy().ravel() for g in grads]),
                               ARRAYS[case_id + '/grads_after'], **TOLERANCES[dtype])
    check_states(case, [updater.states[i] for i in range(len(PARAMS))])


# `update` runs `step` op by op for every case above; these compile it, with the scalars traced,
# for the kernels that take extra per-step scalars, multipliers or a schedule.
STEP_CASES = ['sgd_sym_mults', 'nag_clip_rescale', 'adam_betas_poly', 'rmsprop_centered_clip',
              'nadam_wd_clip', 'ftml_wd_clip']


@pytest.mark.parametrize('case_id', STEP_CASES)
def test_pure_step_matches_mxnet(case_id):
    """create_state_jax + step_scalars + a jitted step with traced scalars: MXNet's numbers."""
    case = CASES[case_id]
    optimizer = make_optimizer(case)
    step = jax.jit(optimizer.step)
    weights = [jnp.asarray(w) for w in split(ARRAYS[case_id + '/init'])]
    states = [optimizer.create_state_jax(w) for w in weights]
    for step_index in range(SPEC['steps']):
        grads = split(ARRAYS[case_id + '/grads'][step_index])
        for index, grad in enumerate(grads):
            scalars = optimizer.step_scalars(index)
            weights[index], states[index] = step(weights[index], jnp.asarray(grad),
                                                 states[index], **scalars)
        for got, expected in zip(weights, split(ARRAYS[case_id + '/weights'][step_index])):
            assert got.dtype == jnp.float32
            np.testing.assert_allclose(np.asarray(got), expected, **TOLERANCES['float32'])
    check_states(case, states)


def test_pure_step_does_not_recompile_when_the_rate_changes():
    optimizer = mx.optimizer.SGD(momentum=0.9, lr_scheduler=mx.lr_scheduler.FactorScheduler(1, 0.5))
    traces = []

    def counted(*args, **kwargs):
        traces.append(1)
        return optimizer.step(*args, **kwargs)

    step = jax.jit(counted)
    weight = jnp.ones((3,), jnp.float32)
    state = optimizer.create_state_jax(weight)
    rates = []
    for _ in range(3):
        scalars = optimizer.step_scalars(0)
        rates.append(scalars['lr'])
        weight, state = step(weight, jnp.ones((3,), jnp.float32), state, **scalars)
    assert rates == [0.01, 0.005, 0.0025]
    assert len(traces) == 1
    # momentum 0.9: mom = -lr (step 1), 0.9*mom - lr, ...
    np.testing.assert_allclose(np.asarray(state), -(0.9 * (0.9 * 0.01 + 0.005) + 0.0025),
                               rtol=1e-6)


@pytest.mark.parametrize('name', sorted(SPEC['defaults']))
def test_defaults_match_mxnet(name):
    optimizer = mx.optimizer.create(name.upper())
    expected = dict(SPEC['defaults'][name])
    assert type(optimizer).__name__ == expected.pop('class')
    for key, value in expected.items():
        assert getattr(optimizer, key) == value, key


@pytest.mark.parametrize('case', SPEC['multipliers'], ids=lambda case: 'sym=%s' % case['sym'])
def test_multipliers_match_mxnet(case):
    optimizer = mx.optimizer.SGD(
        learning_rate=0.5, wd=0.1,
        param_idx2name={0: 'fc_weight', 1: 'fc_bias', 2: 'bn_gamma', 3: 'bn_beta', 4: 'other'},
        sym=graph_with_multipliers() if case['sym'] else None)
    assert optimizer.lr_mult == case['lr_mult']
    assert optimizer.wd_mult == case['wd_mult']
    assert [optimizer._get_lr(i) for i in range(6)] == case['lrs']
    assert [optimizer._get_wd(i) for i in range(6)] == case['wds']


def test_sgld_noise_has_mxnets_distribution():
    expected = SPEC['sgld']
    mx.random.seed(2)
    optimizer = mx.optimizer.create('sgld', learning_rate=expected['learning_rate'],
                                    wd=expected['wd'])
    weight = mx.nd.ones(tuple(expected['shape']))
    optimizer.update(0, weight, mx.nd.ones(weight.shape), optimizer.create_state(0, weight))
    delta = weight.asnumpy().astype(np.float64) - 1
    # Two samples of 10^4 values: means within 8 standard errors, spreads within 3 %.
    assert abs(delta.mean() - expected['mean']) < 8 * expected['std'] / 100
    assert delta.std() == pytest.approx(expected['std'], rel=0.03)


def test_update_in_place_and_state_layout():
    """`Optimizer.update` writes the weight and its state NDArrays in place (Adam, 2 steps)."""
    case = CASES['adam']
    optimizer = make_optimizer(case)
    weight = mx.nd.array(split(ARRAYS['adam/init'])[0])
    state = optimizer.create_state(0, weight)
    assert isinstance(state, tuple) and len(state) == 2
    for step in range(2):
        grad = mx.nd.array(split(ARRAYS['adam/grads'][step])[0])
        optimizer.update(0, weight, grad, state)
    # Adam only reads its own index's count, so parameter 0 alone reproduces its values.
    np.testing.assert_allclose(weight.asnumpy(), split(ARRAYS['adam/weights'][1])[0],
                               **TOLERANCES['float32'])


def test_updater_states_round_trip_through_pickle():
    case = CASES['sgd_momentum_wd']
    first = mx.optimizer.get_updater(make_optimizer(case))
    weights = [mx.nd.array(w) for w in split(ARRAYS[case['id'] + '/init'])]
    for index, grad in enumerate(split(ARRAYS[case['id'] + '/grads'][0])):
        first(index, mx.nd.array(grad), weights[index])
    second = mx.optimizer.get_updater(make_optimizer(case))
    second.set_states(first.get_states(dump_optimizer=True))
    assert second.optimizer.num_update == 1 and second.optimizer.momentum == 0.9
    for step in range(1, SPEC['steps']):
        for index, grad in enumerate(split(ARRAYS[case['id'] + '/grads'][step])):
            second(index, mx.nd.array(grad), weights[index])
    for got, expected in zip(weights, split(ARRAYS[case['id'] + '/weights'][-1])):
        np.testing.assert_allclose(got.asnumpy(), expected, **TOLERANCES['float32'])
    restored = pickle.loads(pickle.dumps(second.optimizer))
    assert restored.param_dict == {} and restored.num_update == SPEC['steps']


def adam_with_factor_schedule():
    """The optimizer whose updater states the generator pickled with MXNet."""
    return mx.optimizer.Adam(learning_rate=0.1, wd=0.01,
                             lr_scheduler=mx.lr_scheduler.FactorScheduler(2, 0.5, base_lr=0.1))


@pytest.mark.parametrize('dump_optimizer', [False, True])
def test_mxnet_pickled_states_load_resume_and_write_back_identically(dump_optimizer):
    with open(os.path.join(GOLDEN, 'adam-%s.states' % ('optimizer' if dump_optimizer
                                                        else 'plain')), 'rb') as f:
        payload = f.read()
    updater = mx.optimizer.get_updater(adam_with_factor_schedule())
    updater.set_states(payload)
    assert isinstance(updater.states[0][0], mx.nd.NDArray)
    if dump_optimizer:
        assert type(updater.optimizer) is mx.optimizer.Adam
        assert updater.optimizer.num_update == 2
        assert type(updater.optimizer.lr_scheduler) is mx.lr_scheduler.FactorScheduler
    assert updater.get_states(dump_optimizer=dump_optimizer) == payload
    weight = mx.nd.array(ARRAYS['states/weight_at_save'])
    for grad in ARRAYS['states/grads'][2:]:
        updater(0, mx.nd.array(grad), weight)
    np.testing.assert_allclose(weight.asnumpy(), ARRAYS['states/resumed_%s' % dump_optimizer],
                               **TOLERANCES['float32'])


def test_states_written_after_the_same_updates_are_mxnets_bytes():
    """Op by op, Adam's `step` does MXNet's float32 operations in MXNet's order, so its values
    are MXNet's to the bit and the pickled states (a `.states` file) are MXNet's bytes.
    (Compiled, XLA may fuse a multiply and an add, which can move the last bit.)"""
    updater = mx.optimizer.get_updater(adam_with_factor_schedule())
    weight = mx.nd.array(ARRAYS['states/init'])
    with jax.disable_jit():
        for grad in ARRAYS['states/grads'][:2]:
            updater(0, mx.nd.array(grad), weight)
    with open(os.path.join(GOLDEN, 'adam-plain.states'), 'rb') as f:
        assert updater.get_states() == f.read()


def test_bad_names_and_inputs_raise():
    with pytest.raises(MXNetError, match='Cannot find optimizer nosuch'):
        mx.optimizer.create('nosuch')
    with pytest.raises(MXNetError, match='param_idx2name'):
        mx.optimizer.SGD(param_idx2name=['fc_weight'])
    with pytest.raises(MXNetError, match='NDArray'):
        mx.optimizer.SGD().update(0, np.ones(3), mx.nd.ones(3), None)
