"""Record MXNet 1.9.1's CPU random draws: a fresh process's first draw (the default seed),
sequences of samplers after mx.random.seed, the random initializers, and a Module's
parameters from init_params with Xavier. Long draws keep every 53rd value and their last 64.

    bash ../shared/tools/mxref.sh tests/golden/make_mxnet_rng_golden.py
"""
import os
import sys

import mxnet as mx
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mxnet_rng_cases import INITIALIZERS, LONG, SEQUENCE, module_symbol  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def kept(values):
    """What the golden file keeps of a draw: all of a short one, a sample of a long one."""
    flat = values.ravel()
    return flat if flat.size <= LONG else np.concatenate([flat[::53], flat[-64:]])


def main():
    record = {'default': mx.nd.random.uniform(shape=(5, 30)).asnumpy()}
    for seed, steps in SEQUENCE:
        mx.random.seed(seed)
        for index, step in enumerate(steps):
            record['seq%d/%d' % (seed, index)] = kept(eval(step, {'mx': mx}).asnumpy())
    for name, init, shape in INITIALIZERS:
        mx.random.seed(3)
        arr = mx.nd.zeros(shape)
        eval(init, {'mx': mx})(mx.init.InitDesc(name), arr)
        record['init/%s/%s' % (init, name)] = kept(arr.asnumpy())
    mx.random.seed(1)
    mod = mx.mod.Module(module_symbol(mx), data_names=['data'], label_names=['softmax_label'])
    mod.bind(data_shapes=[('data', (2, 3, 8, 8))], label_shapes=[('softmax_label', (2,))])
    mod.init_params(mx.init.Xavier(magnitude=2.0))
    arg_params, aux_params = mod.get_params()
    for name, value in sorted(dict(arg_params, **aux_params).items()):
        record['module/' + name] = value.asnumpy()
    np.savez_compressed(os.path.join(HERE, 'mxnet_rng.npz'), **record)


if __name__ == '__main__':
    main()
