"""The training-stack golden data (tests/golden/module/) and the generator's case tables and
``run_*`` functions, which the tests run with mxsym."""
import importlib.util
import json
import os

import numpy as np

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'golden')


def _load_generator():
    path = os.path.join(GOLDEN, 'make_module_golden.py')
    spec = importlib.util.spec_from_file_location('make_module_golden', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generator = _load_generator()


def load_json(name):
    with open(os.path.join(GOLDEN, 'module', name)) as f:
        return json.load(f)


def load_arrays():
    with np.load(os.path.join(GOLDEN, 'module', 'fit.npz')) as arrays:
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
