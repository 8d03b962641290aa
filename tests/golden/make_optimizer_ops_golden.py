"""Write tests/golden/optimizer_ops.json/.npz from MXNet 1.9.1: its optimizer update operators
called imperatively (``mx.nd.adam_update(weight, grad, mean, var, out=weight, ...)``), with
the output and every input array after the call (the states they update in place).

    ~/.cache/mxsym-mxref/bin/python tests/golden/make_optimizer_ops_golden.py
"""
import json
import os
import zlib

import mxnet as mx
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
F16, F32 = 'float16', 'float32'


def case(case_id, op, inputs, kwargs, out=True):
    """`inputs`: (name, dtype, recipe) in the op's order; recipe 'normal', 'positive' or
    'small'. `out`: call with out= the weights (MXNet's usage), else into a new array."""
    return {'id': case_id, 'op': op, 'inputs': [list(one) for one in inputs],
            'kwargs': kwargs, 'out': out}


def plain(*states, dtype=F32):
    return [('weight', dtype, 'normal'), ('grad', dtype, 'normal')] + [
        (name, dtype, recipe) for name, recipe in states]


def mixed(*states):
    return [('weight', F16, 'normal'), ('grad', F16, 'normal')] + [
        (name, F32, recipe) for name, recipe in states] + [('weight32', F32, 'normal')]


def multi(count, states, mp=False):
    inputs = []
    for i in range(count):
        low = F16 if mp else F32
        inputs += [('weight_%d' % i, low, 'normal'), ('grad_%d' % i, low, 'normal')]
        inputs += [('%s_%d' % (name, i), F32, 'normal') for name in states]
    return inputs


BASE = {'lr': 0.1, 'wd': 0.01, 'rescale_grad': 0.5}
CLIP = dict(BASE, clip_gradient=0.3)
LAMB1 = {'t': 3, 'wd': 0.01, 'rescale_grad': 0.5}

CASES = [
    case('sgd', 'sgd_update', plain(), BASE),
    case('sgd_clip', 'sgd_update', plain(), CLIP, out=False),
    case('sgd_clip0', 'sgd_update', plain(), dict(BASE, clip_gradient=0.0)),
    case('sgd_f16', 'sgd_update', plain(dtype=F16), CLIP),
    case('sgd_mom', 'sgd_mom_update', plain(('mom', 'normal')), dict(BASE, momentum=0.9)),
    case('sgd_mom_clip', 'sgd_mom_update', plain(('mom', 'normal')),
         dict(CLIP, momentum=0.9), out=False),
    case('mp_sgd', 'mp_sgd_update', mixed(), CLIP),
    case('mp_sgd_mom', 'mp_sgd_mom_update', mixed(('mom', 'normal')), dict(BASE, momentum=0.8)),
    case('nag_mom', 'nag_mom_update', plain(('mom', 'normal')), dict(CLIP, momentum=0.9),
         out=False),
    case('nag_mom_nowd', 'nag_mom_update', plain(('mom', 'normal')),
         {'lr': 0.1, 'momentum': 0.9, 'rescale_grad': 0.5}),
    case('mp_nag_mom', 'mp_nag_mom_update', mixed(('mom', 'normal')),
         dict(BASE, momentum=0.9), out=False),
    case('signsgd', 'signsgd_update', plain(), CLIP),
    case('signum', 'signum_update', plain(('mom', 'normal')),
         dict(CLIP, momentum=0.9, wd_lh=0.02)),
    case('signum_noclip', 'signum_update', plain(('mom', 'normal')), dict(BASE, momentum=0.5)),
    case('ftml', 'ftml_update', plain(('d', 'positive'), ('v', 'positive'), ('z', 'normal')),
         dict(BASE, t=3, clip_grad=0.3)),
    case('adam', 'adam_update', plain(('mean', 'normal'), ('var', 'positive')), BASE),
    case('adam_clip', 'adam_update', plain(('mean', 'normal'), ('var', 'positive')),
         dict(CLIP, beta1=0.8, beta2=0.99, epsilon=1e-6), out=False),
    case('rmsprop', 'rmsprop_update', plain(('n', 'positive')), BASE),
    case('rmsprop_clip', 'rmsprop_update', plain(('n', 'positive')),
         dict(CLIP, gamma1=0.9, clip_weights=0.5)),
    case('rmspropalex', 'rmspropalex_update',
         plain(('n', 'positive'), ('g', 'small'), ('delta', 'normal')), BASE),
    case('rmspropalex_clip', 'rmspropalex_update',
         plain(('n', 'positive'), ('g', 'small'), ('delta', 'normal')),
         dict(CLIP, gamma1=0.9, gamma2=0.8, clip_weights=0.5)),
    case('ftrl', 'ftrl_update', plain(('z', 'normal'), ('n', 'positive')),
         dict(BASE, lamda1=0.5, beta=2.0)),
    case('ftrl_clip', 'ftrl_update', plain(('z', 'normal'), ('n', 'positive')), CLIP),
    case('lamb1', 'lamb_update_phase1', plain(('mean', 'normal'), ('var', 'positive')), LAMB1,
         out=False),
    case('lamb1_nobias', 'lamb_update_phase1', plain(('mean', 'normal'), ('var', 'positive')),
         dict(LAMB1, bias_correction=False, clip_gradient=0.3), out=False),
    case('mp_lamb1', 'mp_lamb_update_phase1',
         mixed(('mean', 'normal'), ('var', 'positive')), LAMB1, out=False),
    case('lamb2', 'lamb_update_phase2',
         [('weight', F32, 'normal'), ('g', F32, 'normal'), ('r1', F32, 'norm'),
          ('r2', F32, 'norm')], {'lr': 0.1}),
    case('lamb2_bounds', 'lamb_update_phase2',
         [('weight', F32, 'normal'), ('g', F32, 'normal'), ('r1', F32, 'norm'),
          ('r2', F32, 'norm')], {'lr': 0.1, 'lower_bound': 0.1, 'upper_bound': 0.2}),
    case('mp_lamb2', 'mp_lamb_update_phase2',
         [('weight', F16, 'normal'), ('g', F32, 'normal'), ('r1', F32, 'norm'),
          ('r2', F32, 'norm'), ('weight32', F32, 'normal')], {'lr': 0.1}),
    case('multi_sgd', 'multi_sgd_update', multi(2, ()),
         {'lrs': (0.1, 0.2), 'wds': (0.01, 0.0), 'rescale_grad': 0.5, 'num_weights': 2}),
    case('multi_sgd_mom', 'multi_sgd_mom_update', multi(3, ('mom',)),
         {'lrs': (0.1, 0.2, 0.3), 'wds': (0.01, 0.0, 0.02), 'momentum': 0.9,
          'clip_gradient': 0.3, 'num_weights': 3}),
    case('multi_mp_sgd', 'multi_mp_sgd_update', multi(2, ('weight32',), mp=True),
         {'lrs': (0.1, 0.2), 'wds': (0.01, 0.0), 'num_weights': 2}),
    case('multi_mp_sgd_mom', 'multi_mp_sgd_mom_update', multi(2, ('mom', 'weight32'), mp=True),
         {'lrs': (0.1, 0.2), 'wds': (0.01, 0.0), 'momentum': 0.9, 'rescale_grad': 0.5,
          'num_weights': 2}),
]


def make_value(recipe, shape, dtype, rng):
    if recipe == 'positive':
        value = rng.uniform(0.5, 2.0, shape)
    elif recipe == 'small':
        value = rng.uniform(-0.1, 0.1, shape)
    elif recipe == 'norm':
        value = rng.uniform(0.5, 2.0, (1,))
    else:
        value = rng.randn(*shape)
    return value.astype(dtype)


def weight_names(spec):
    return [name for name, _, _ in spec['inputs'] if name.startswith('weight') and
            not name.startswith('weight32')]


def run_case(spec):
    rng = np.random.RandomState(zlib.crc32(spec['id'].encode()))
    shapes = [(3, 4), (5,), (2, 3, 2)]
    arrays, inputs = {}, []
    for name, dtype, recipe in spec['inputs']:
        index = int(name.rsplit('_', 1)[1]) if '_' in name else 0
        value = make_value(recipe, shapes[index], dtype, rng)
        arrays['in:' + name] = value
        inputs.append(mx.nd.array(value, dtype=dtype))
    names = [name for name, _, _ in spec['inputs']]
    outs = [inputs[names.index(name)] for name in weight_names(spec)]
    kwargs = dict(spec['kwargs'])
    if spec['out']:
        kwargs['out'] = outs if len(outs) > 1 else outs[0]
    result = getattr(mx.nd, spec['op'])(*inputs, **kwargs)
    results = result if isinstance(result, list) else [result]
    for index, value in enumerate(results):
        arrays['out:%d' % index] = value.asnumpy()
    for name, array in zip(names, inputs):
        arrays['after:' + name] = array.asnumpy()
    return arrays


def main():
    records, arrays = [], {}
    for spec in CASES:
        spec = json.loads(json.dumps(spec))
        records.append(spec)
        arrays.update({'%s:%s' % (spec['id'], key): value
                       for key, value in run_case(spec).items()})
    with open(os.path.join(HERE, 'optimizer_ops.json'), 'w') as handle:
        json.dump(records, handle, indent=1)
        handle.write('\n')
    np.savez_compressed(os.path.join(HERE, 'optimizer_ops.npz'), **arrays)
    print('optimizer_ops: %d cases' % len(records))


if __name__ == '__main__':
    main()
