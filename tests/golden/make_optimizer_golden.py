"""Record MXNet 1.9.1's optimizers, learning rate schedulers and initializers.

Run with a Python that has mxnet==1.9.1 installed: python tests/golden/make_optimizer_golden.py
Writes tests/golden/optimizer/: optimizer.json + optimizer.npz (per case the initial weights, the
gradients and the weights after each of a few updates through `mx.optimizer.get_updater`, all
parameters raveled and concatenated, and the final states likewise), lr_scheduler.json (rates
per update count), adam-plain.states / adam-optimizer.states (pickled updater states) and
initializer.json + initializer.npz (descriptions, deterministic values,
statistics of random draws).
"""
import json
import os
import zlib

import mxnet as mx
import numpy as np

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'optimizer')
STEPS = 5
PARAMS = (('fc_weight', (3, 4)), ('fc_bias', (4,)), ('bn_gamma', (4,)))

# (case id, optimizer, kwargs, scheduler [class, kwargs] or None, options)
# options: 'sym' passes a graph whose attrs set lr_mult/wd_mult; 'names' passes param_idx2name;
# 'mult' calls set_lr_mult/set_wd_mult by index; dtype defaults to float32.
OPTIMIZER_CASES = [
    ('sgd', 'sgd', {}, None, {}),
    ('sgd_momentum_wd', 'sgd', {'momentum': 0.9, 'wd': 0.01, 'learning_rate': 0.1}, None,
     {'names': True}),
    ('sgd_clip_rescale', 'sgd', {'momentum': 0.5, 'clip_gradient': 0.3, 'rescale_grad': 0.5,
                                 'wd': 0.05}, None, {}),
    ('sgd_sym_mults', 'sgd', {'momentum': 0.9, 'wd': 0.1}, None, {'sym': True, 'names': True}),
    ('sgd_index_mults', 'sgd', {'wd': 0.1}, None, {'mult': True}),
    ('sgd_factor', 'sgd', {'momentum': 0.9, 'learning_rate': 0.1},
     ['FactorScheduler', {'step': 2, 'factor': 0.5}], {}),
    ('sgd_multifactor', 'sgd', {},
     ['MultiFactorScheduler', {'step': [2, 4], 'factor': 0.1, 'base_lr': 0.2}], {}),
    ('sgd_fp16_multi_precision', 'sgd', {'momentum': 0.9, 'multi_precision': True}, None,
     {'dtype': 'float16'}),
    ('nag', 'nag', {}, None, {}),
    ('nag_momentum', 'nag', {'momentum': 0.9, 'wd': 0.01}, None, {}),
    ('nag_clip_rescale', 'nag', {'momentum': 0.8, 'clip_gradient': 0.3, 'rescale_grad': 0.5},
     None, {'names': True}),
    ('nag_noclip_wd', 'nag', {'wd': 0.1, 'clip_gradient': 0.2, 'rescale_grad': 2.0}, None, {}),
    ('adam', 'adam', {}, None, {}),
    ('adam_wd_clip', 'adam', {'wd': 0.01, 'clip_gradient': 0.4, 'rescale_grad': 2.0,
                              'learning_rate': 0.01}, None, {'names': True}),
    ('adam_betas_poly', 'adam', {'beta1': 0.8, 'beta2': 0.99, 'epsilon': 1e-6},
     ['PolyScheduler', {'max_update': 6, 'base_lr': 0.01, 'pwr': 2}], {}),
    ('adam_sym_mults', 'adam', {'wd': 0.1}, None, {'sym': True, 'names': True}),
    ('adam_fp16_multi_precision', 'adam', {'multi_precision': True}, None,
     {'dtype': 'float16'}),
    ('rmsprop', 'rmsprop', {}, None, {}),
    ('rmsprop_wd_clip', 'rmsprop', {'wd': 0.01, 'clip_gradient': 0.3, 'rescale_grad': 0.5,
                                    'gamma1': 0.8, 'clip_weights': 0.5}, None, {}),
    ('rmsprop_centered', 'rmsprop', {'centered': True}, None, {}),
    ('rmsprop_centered_clip', 'rmsprop', {'centered': True, 'gamma1': 0.95, 'gamma2': 0.7,
                                          'wd': 0.02, 'clip_gradient': 0.5,
                                          'learning_rate': 0.01},
     ['CosineScheduler', {'max_update': 8, 'base_lr': 0.01, 'warmup_steps': 2}], {}),
    ('adagrad', 'adagrad', {}, None, {}),
    ('adagrad_wd_clip', 'adagrad', {'wd': 0.01, 'clip_gradient': 0.3, 'rescale_grad': 0.5,
                                    'eps': 1e-5, 'learning_rate': 0.1}, None, {'names': True}),
    ('adadelta', 'adadelta', {}, None, {}),
    ('adadelta_wd_clip', 'adadelta', {'wd': 0.01, 'clip_gradient': 0.3, 'rescale_grad': 0.5,
                                      'rho': 0.8}, None, {}),
    ('adamax', 'adamax', {}, None, {}),
    ('adamax_wd_clip', 'adamax', {'wd': 0.01, 'clip_gradient': 0.3, 'rescale_grad': 0.5},
     None, {}),
    ('nadam', 'nadam', {}, None, {}),
    ('nadam_wd_clip', 'nadam', {'wd': 0.01, 'clip_gradient': 0.3, 'rescale_grad': 0.5}, None,
     {}),
    ('signum', 'signum', {}, None, {}),
    ('signum_wd', 'signum', {'wd': 0.01, 'wd_lh': 0.05, 'clip_gradient': 0.3,
                             'rescale_grad': 0.5}, None, {}),
    ('signsgd', 'signum', {'momentum': 0.0, 'wd': 0.01}, None, {}),
    ('ftml', 'ftml', {}, None, {}),
    ('ftml_wd_clip', 'ftml', {'wd': 0.01, 'clip_gradient': 0.3, 'rescale_grad': 0.5}, None, {}),
    ('dcasgd', 'dcasgd', {'wd': 0.01, 'clip_gradient': 0.3, 'rescale_grad': 0.5}, None, {}),
    ('ftrl', 'ftrl', {}, None, {}),
    ('ftrl_wd_clip', 'ftrl', {'wd': 0.01, 'clip_gradient': 0.3, 'rescale_grad': 0.5,
                              'lamda1': 0.001, 'beta': 0.5}, None, {}),
]

SCHEDULER_CASES = [
    ('FactorScheduler', {'step': 3, 'factor': 0.5}),
    ('FactorScheduler', {'step': 2, 'factor': 0.1, 'stop_factor_lr': 1e-4, 'base_lr': 0.1}),
    ('FactorScheduler', {'step': 2, 'factor': 0.5, 'warmup_steps': 4, 'warmup_begin_lr': 0.001}),
    ('MultiFactorScheduler', {'step': [3, 5, 9], 'factor': 0.5}),
    ('MultiFactorScheduler', {'step': [4], 'factor': 0.2, 'base_lr': 1.0, 'warmup_steps': 3,
                              'warmup_mode': 'constant', 'warmup_begin_lr': 0.1}),
    ('PolyScheduler', {'max_update': 10}),
    ('PolyScheduler', {'max_update': 10, 'base_lr': 0.5, 'pwr': 3, 'final_lr': 0.01,
                       'warmup_steps': 3, 'warmup_begin_lr': 0.05}),
    ('CosineScheduler', {'max_update': 10}),
    ('CosineScheduler', {'max_update': 12, 'base_lr': 0.3, 'final_lr': 0.02, 'warmup_steps': 4}),
]


def graph_with_multipliers():
    weight = mx.sym.Variable('fc_weight', lr_mult=2.0)
    bias = mx.sym.Variable('fc_bias', wd_mult=3.0, lr_mult=0.5)
    gamma = mx.sym.Variable('bn_gamma', wd_mult=0.0)
    net = mx.sym.FullyConnected(mx.sym.Variable('data'), weight=weight, bias=bias,
                                num_hidden=4, name='fc')
    return mx.sym.BatchNorm(net, gamma=gamma, name='bn')


def make_scheduler(spec):
    if spec is None:
        return None
    name, kwargs = spec
    return getattr(mx.lr_scheduler, name)(**kwargs)


def flat_state(state):
    """State arrays in depth-first order (None dropped)."""
    if state is None:
        return []
    if isinstance(state, mx.nd.NDArray):
        return [state.asnumpy()]
    return [array for one in state for array in flat_state(one)]


def run_optimizer_case(case_id, name, kwargs, scheduler, options, arrays):
    rng = np.random.RandomState(zlib.crc32(case_id.encode()))
    dtype = options.get('dtype', 'float32')
    kwargs = dict(kwargs)
    if options.get('names'):
        kwargs['param_idx2name'] = {i: n for i, (n, _) in enumerate(PARAMS)}
    if options.get('sym'):
        kwargs['sym'] = graph_with_multipliers()
    optimizer = mx.optimizer.create(name, lr_scheduler=make_scheduler(scheduler), **kwargs)
    if options.get('mult'):
        optimizer.set_lr_mult({0: 0.5, 1: 3.0})
        optimizer.set_wd_mult({1: 2.0, 2: 0.0})
    updater = mx.optimizer.get_updater(optimizer)
    initial = [rng.uniform(-1, 1, shape).astype(dtype) for _, shape in PARAMS]
    weights = [mx.nd.array(values, dtype=dtype) for values in initial]
    grads, history, learning_rates = [], [], []
    for _ in range(STEPS):
        step_grads = [(rng.randn(*shape) * 0.7).astype(dtype) for _, shape in PARAMS]
        grad_arrays = [mx.nd.array(grad, dtype=dtype) for grad in step_grads]
        for i, grad in enumerate(grad_arrays):
            updater(i, grad, weights[i])
        grads.append(flat(step_grads))
        history.append(flat(w.asnumpy() for w in weights))
        learning_rates.append(optimizer.learning_rate)
    # AdaDelta rescales the gradient arrays it is given in place.
    arrays[case_id + '/grads_after'] = flat(grad.asnumpy() for grad in grad_arrays)
    arrays[case_id + '/init'] = flat(initial)
    arrays[case_id + '/grads'] = np.stack(grads)
    arrays[case_id + '/weights'] = np.stack(history)
    arrays[case_id + '/states'] = flat(array for i in range(len(PARAMS))
                                       for array in flat_state(updater.states[i]))
    return {'id': case_id, 'optimizer': name, 'kwargs': kwargs_json(kwargs),
            'scheduler': scheduler, 'options': options, 'dtype': dtype,
            'learning_rates': learning_rates, 'num_update': optimizer.num_update,
            'state_shapes': [[list(array.shape) for array in flat_state(updater.states[i])]
                             for i in range(len(PARAMS))]}


def flat(arrays):
    """Arrays raveled and concatenated, in the order given."""
    return np.concatenate([np.ravel(array) for array in arrays] + [np.zeros(0, np.float32)])


def kwargs_json(kwargs):
    return {k: (v if k != 'param_idx2name' else {str(i): n for i, n in v.items()})
            for k, v in kwargs.items() if k != 'sym'}


def optimizer_defaults():
    """Constructor defaults and derived attributes of each optimizer."""
    names = ['sgd', 'nag', 'adam', 'rmsprop', 'adagrad', 'adadelta', 'adamax', 'nadam', 'signum',
             'ftml', 'dcasgd', 'ftrl']
    keys = ['lr', 'wd', 'rescale_grad', 'clip_gradient', 'momentum', 'beta1', 'beta2', 'epsilon',
            'gamma1', 'gamma2', 'centered', 'clip_weights', 'float_stable_eps', 'rho',
            'schedule_decay', 'lamda', 'lamda1', 'beta', 'wd_lh', 'num_update',
            'begin_num_update', 'multi_precision', 'aggregate_num', 'lazy_update']
    out = {}
    for name in names:
        optimizer = mx.optimizer.create(name)
        out[name] = {k: getattr(optimizer, k) for k in keys if hasattr(optimizer, k)}
        out[name]['class'] = type(optimizer).__name__
    return out


def multiplier_cases():
    """lr_mult / wd_mult tables and the _get_lr/_get_wd they give."""
    idx2name = {0: 'fc_weight', 1: 'fc_bias', 2: 'bn_gamma', 3: 'bn_beta', 4: 'other'}
    out = []
    for with_sym in (False, True):
        optimizer = mx.optimizer.SGD(learning_rate=0.5, wd=0.1, param_idx2name=idx2name,
                                     sym=graph_with_multipliers() if with_sym else None)
        out.append({'sym': with_sym, 'lr_mult': optimizer.lr_mult,
                    'wd_mult': optimizer.wd_mult,
                    'lrs': [optimizer._get_lr(i) for i in range(6)],
                    'wds': [optimizer._get_wd(i) for i in range(6)]})
    return out


def sgld_statistics():
    """SGLD adds N(0, lr) noise to half a gradient step: the mean and spread of one update."""
    mx.random.seed(2)
    optimizer = mx.optimizer.create('sgld', learning_rate=0.04, wd=0.1)
    weight = mx.nd.ones((100, 100))
    optimizer.update(0, weight, mx.nd.ones((100, 100)), optimizer.create_state(0, weight))
    delta = weight.asnumpy().astype(np.float64) - 1
    return {'learning_rate': 0.04, 'wd': 0.1, 'shape': [100, 100], 'mean': delta.mean(),
            'std': delta.std()}


def states_round_trip(arrays):
    """Updater states pickled by MXNet after two updates (without and with the optimizer), and
    the weights after three more updates by a fresh updater that loaded them."""
    rng = np.random.RandomState(7)
    initial = rng.uniform(-1, 1, (3, 4)).astype('float32')
    grads = (rng.randn(5, 3, 4) * 0.7).astype('float32')
    arrays['states/init'] = initial
    arrays['states/grads'] = grads

    def make_optimizer():
        return mx.optimizer.Adam(learning_rate=0.1, wd=0.01,
                                 lr_scheduler=mx.lr_scheduler.FactorScheduler(2, 0.5, base_lr=0.1))

    updater = mx.optimizer.get_updater(make_optimizer())
    weight = mx.nd.array(initial)
    for grad in grads[:2]:
        updater(0, mx.nd.array(grad), weight)
    arrays['states/weight_at_save'] = weight.asnumpy()
    for dump_optimizer in (False, True):
        payload = updater.get_states(dump_optimizer=dump_optimizer)
        with open(os.path.join(HERE, 'adam-%s.states' % ('optimizer' if dump_optimizer
                                                         else 'plain')), 'wb') as f:
            f.write(payload)
        resumed = mx.optimizer.get_updater(make_optimizer())
        resumed.set_states(payload)
        resumed_weight = weight.copy()
        for grad in grads[2:]:
            resumed(0, mx.nd.array(grad), resumed_weight)
        arrays['states/resumed_%s' % dump_optimizer] = resumed_weight.asnumpy()


def scheduler_rates():
    out = []
    for name, kwargs in SCHEDULER_CASES:
        scheduler = getattr(mx.lr_scheduler, name)(**kwargs)
        out.append({'scheduler': name, 'kwargs': kwargs,
                    'rates': [scheduler(n) for n in range(0, 16)]})
    return out


def initializer_cases(arrays):
    dumps = {}
    for key, init in [
            ('zero', mx.init.Zero()), ('one', mx.init.One()), ('constant', mx.init.Constant(0.5)),
            ('uniform', mx.init.Uniform()), ('uniform_0.2', mx.init.Uniform(0.2)),
            ('normal', mx.init.Normal()), ('xavier', mx.init.Xavier()),
            ('xavier_in', mx.init.Xavier(factor_type='in', magnitude=2.34)),
            ('msraprelu', mx.init.MSRAPrelu()), ('msraprelu_out', mx.init.MSRAPrelu('out', 0.1)),
            ('orthogonal', mx.init.Orthogonal()), ('bilinear', mx.init.Bilinear()),
            ('lstmbias', mx.init.LSTMBias(0.5)),
            ('constant_array', mx.init.Constant(mx.nd.array([1, 2])))]:
        dumps[key] = init.dumps()
    # Deterministic fills: (id, initializer created from its dumps, name, attrs, shape)
    fills = [
        ('zero_weight', '["zero", {}]', 'fc_weight', {}, (2, 3)),
        ('one_weight', '["ones", {}]', 'fc_weight', {}, (2, 3)),
        ('constant_weight', '["constant", {"value": 0.25}]', 'fc_weight', {}, (2, 3)),
        ('bilinear_4', '["bilinear", {}]', 'up_weight', {}, (2, 1, 4, 4)),
        ('bilinear_3', '["bilinear", {}]', 'up_weight', {}, (1, 2, 3, 3)),
        ('lstmbias', '["lstmbias", {"forget_bias": 2.0}]', 'lstm_i2h_weight', {}, (12,)),
        ('uniform_bias', '["uniform", {}]', 'fc_bias', {}, (5,)),
        ('xavier_gamma', '["xavier", {}]', 'bn_gamma', {}, (5,)),
        ('xavier_beta', '["xavier", {}]', 'bn_beta', {}, (5,)),
        ('normal_min', '["normal", {}]', 'quant_min', {}, (3,)),
        ('normal_max', '["normal", {}]', 'quant_max', {}, (3,)),
        ('attr_moving_var', '["uniform", {}]', 'bn_moving_var',
         {'__init__': '["one", {}]'}, (4,)),
        ('attr_moving_mean', '["uniform", {}]', 'bn_moving_mean',
         {'__init__': '["zero", {}]'}, (4,)),
        ('attr_constant', '["xavier", {}]', 'fc_weight',
         {'__init__': mx.init.Constant(3.0).dumps()}, (2, 2)),
    ]
    fill_cases = []
    for case_id, spec, name, attrs, shape in fills:
        arr = mx.nd.zeros(shape)
        mx.init.create(spec)(mx.init.InitDesc(name, attrs), arr)
        arrays['fill/' + case_id] = arr.asnumpy()
        fill_cases.append({'id': case_id, 'init': spec, 'name': name, 'attrs': attrs,
                           'shape': list(shape)})
    legacy = []
    for name in ['fc_weight', 'fc_bias', 'bn_gamma', 'bn_beta', 'bn_moving_mean', 'bn_moving_var',
                 'bn_moving_inv_var', 'x_moving_avg', 'q_min', 'q_max']:
        arr = mx.nd.full((3,), 7.0)
        mx.init.Constant(0.5)(name, arr)
        legacy.append({'name': name, 'values': arr.asnumpy().tolist()})
    errors = {}
    for name in ['fc_moving_mean', 'data', 'bn_running']:
        try:
            mx.init.Uniform()(mx.init.InitDesc(name), mx.nd.zeros((2,)))
            errors[name] = None
        except ValueError:
            errors[name] = 'ValueError'
    statistics = []
    mx.random.seed(1)
    for init_json, shape in [
            ('["uniform", {}]', (64, 200)), ('["uniform", {"scale": 0.5}]', (100, 100)),
            ('["normal", {}]', (100, 100)), ('["normal", {"sigma": 2.0}]', (100, 100)),
            ('["xavier", {}]', (64, 32, 3, 3)),
            ('["xavier", {"factor_type": "in", "magnitude": 2.34}]', (128, 64)),
            ('["xavier", {"factor_type": "out"}]', (32, 16, 5, 5)),
            ('["xavier", {"rnd_type": "gaussian", "factor_type": "in", "magnitude": 2}]',
             (64, 32, 3, 3)),
            ('["msraprelu", {}]', (64, 32, 3, 3)),
            ('["msraprelu", {"factor_type": "in", "slope": 0.0}]', (128, 96))]:
        arr = mx.nd.zeros(shape)
        mx.init.create(init_json)(mx.init.InitDesc('conv_weight'), arr)
        values = arr.asnumpy().astype(np.float64)
        statistics.append({'init': init_json, 'shape': list(shape),
                           'mean': values.mean(), 'std': values.std(),
                           'max_abs': np.abs(values).max()})
    orthogonal = []
    for init_json, shape in [('["orthogonal", {}]', (4, 6)),
                             ('["orthogonal", {"scale": 2.0, "rand_type": "normal"}]', (6, 2, 2)),
                             ('["orthogonal", {}]', (5, 5))]:
        arr = mx.nd.zeros(shape)
        mx.init.create(init_json)(mx.init.InitDesc('fc_weight'), arr)
        flat = arr.asnumpy().reshape(shape[0], -1).astype(np.float64)
        gram = flat @ flat.T if flat.shape[0] <= flat.shape[1] else flat.T @ flat
        orthogonal.append({'init': init_json, 'shape': list(shape), 'gram': gram.tolist()})
    mixed = mx.init.Mixed(['bias', 'fc.*', '.*'],
                          [mx.init.Zero(), mx.init.Constant(2.0), mx.init.One()])
    mixed_values = {}
    for name in ['bias', 'fc1_weight', 'fc1_bias', 'conv_weight']:
        arr = mx.nd.full((2,), 9.0)
        mixed(mx.init.InitDesc(name), arr)
        mixed_values[name] = arr.asnumpy().tolist()
    return {'dumps': dumps, 'fills': fill_cases, 'legacy': legacy, 'errors': errors,
            'statistics': statistics, 'orthogonal': orthogonal, 'mixed': mixed_values}


def main():
    os.makedirs(HERE, exist_ok=True)
    arrays = {}
    cases = [run_optimizer_case(*case, arrays) for case in OPTIMIZER_CASES]
    with open(os.path.join(HERE, 'optimizer.json'), 'w') as f:
        json.dump({'params': PARAMS, 'steps': STEPS, 'cases': cases,
                   'defaults': optimizer_defaults(), 'multipliers': multiplier_cases(),
                   'sgld': sgld_statistics()},
                  f, indent=1, sort_keys=True)
    states_round_trip(arrays)
    np.savez_compressed(os.path.join(HERE, 'optimizer.npz'), **arrays)
    with open(os.path.join(HERE, 'lr_scheduler.json'), 'w') as f:
        json.dump(scheduler_rates(), f, indent=1, sort_keys=True)
    init_arrays = {}
    with open(os.path.join(HERE, 'initializer.json'), 'w') as f:
        json.dump(initializer_cases(init_arrays), f, indent=1, sort_keys=True)
    np.savez_compressed(os.path.join(HERE, 'initializer.npz'), **init_arrays)


if __name__ == '__main__':
    main()
