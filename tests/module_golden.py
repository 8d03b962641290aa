"""The training-stack golden data (tests/golden/module/) and the generator's case tables and
``run_*`` functions, which the tests run with mxsym."""
import importlib.util
import json
import os

import numpy as np

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'golden')


def load_generator(name):
    """The golden generator ``tests/golden/<name>.py`` as a module."""
    path = os.path.join(GOLDEN, name + '.py')
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generator = load_generator('make_module_golden')


def load_json(name):
    with open(os.path.join(GOLDEN, 'module', name)) as f:
        return json.load(f)


def load_arrays(name='fit.npz'):
    with np.load(os.path.join(GOLDEN, 'module', name)) as arrays:
        return dict(arrays)


def train_by_hand(mx, case_name, **module_kwargs):
    """A fit case trained with bind, init_params, init_optimizer and forward_backward/update
    (the unfused step); returns the module and its final ``arg:``/``aux:`` arrays."""
    case = {c.name: c for c in generator.FIT_CASES}[case_name]
    network = case.network
    data, label, rng = generator.fit_data(network)
    args, aux = generator.initial_params(mx, network, rng)
    train = mx.io.NDArrayIter(data, label, batch_size=generator.BATCH_SIZE)
    mod = mx.mod.Module(generator.NETWORKS[network][0](mx), **case.module_kwargs,
                        **module_kwargs)
    mod.bind(train.provide_data, train.provide_label)
    mod.init_params(arg_params=args, aux_params=aux)
    mod.init_optimizer(optimizer=case.optimizer,
                       optimizer_params=generator.optimizer_params(mx, case))
    for _ in range(case.epochs):
        for batch in train:
            mod.forward_backward(batch)
            mod.update()
        train.reset()
    arg_params, aux_params = mod.get_params()
    arrays = {'arg:' + k: v.asnumpy() for k, v in arg_params.items()}
    arrays.update({'aux:' + k: v.asnumpy() for k, v in aux_params.items()})
    return mod, train, arrays


family = load_generator('make_bucketing_golden')   # the module-family runs
# float32 LSTM weights after 20 updates with momentum: a few ulps of rounding per step
FAMILY_RTOL, FAMILY_ATOL = 1e-4, 1e-5


def assert_family_run_matches(name, lines, score, arrays):
    """Log lines (six decimals, the last may round the other way), score, parameters and
    predictions of one run equal MXNet's."""
    want = load_json('module_family.json')[name]
    assert [line.split('=')[0] for line in lines] == [l.split('=')[0] for l in want['lines']]
    np.testing.assert_allclose([float(line.split('=')[1]) for line in lines],
                               [float(l.split('=')[1]) for l in want['lines']],
                               rtol=1e-5, atol=2e-6)
    assert [n for n, _ in score] == [n for n, _ in want['score']]
    np.testing.assert_allclose([v for _, v in score], [v for _, v in want['score']], rtol=1e-5)
    want_arrays = {key.split('/', 1)[1]: value
                   for key, value in load_arrays('module_family.npz').items()
                   if key.startswith(name + '/')}
    assert sorted(arrays) == sorted(want_arrays)
    for key, value in arrays.items():
        np.testing.assert_allclose(value, want_arrays[key], rtol=FAMILY_RTOL, atol=FAMILY_ATOL,
                                   err_msg=key)
