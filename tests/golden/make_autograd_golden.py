"""Record autograd golden data from MXNet 1.9.1: for each case of autograd_cases.py, the
forward, the gradients written by backward for a head gradient, and (where asked) the gradient
of grad(..., create_graph=True) for a second head gradient.

    bash ../shared/tools/mxref.sh tests/golden/make_autograd_golden.py
"""
import os
import sys

import mxnet as mx
import numpy as np
from mxnet import autograd, nd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from autograd_cases import CASES, inputs_for  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    record = {}
    for name, (expression, shapes, second_order) in CASES.items():
        values = inputs_for(name, shapes)
        arrays = [nd.array(v) for v in values]
        for a in arrays:
            a.attach_grad()
        scope = {'nd': nd, 'x': arrays[0], 'y': arrays[-1]}
        with autograd.record():
            out = eval(expression, scope)
        head = np.random.RandomState(1).uniform(-1, 1, out.shape).astype(np.float32)
        out.backward(nd.array(head))
        record[name + '/out'] = out.asnumpy()
        record[name + '/head'] = head
        for i, a in enumerate(arrays):
            record['%s/grad%d' % (name, i)] = a.grad.asnumpy()
        if second_order:
            x = nd.array(values[0])
            x.attach_grad()
            head2 = np.random.RandomState(2).uniform(-1, 1, x.shape).astype(np.float32)
            with autograd.record():
                y = eval(expression, {'nd': nd, 'x': x})
                dx = autograd.grad(y, [x], head_grads=nd.array(head), create_graph=True)[0]
            dx.backward(nd.array(head2))
            record[name + '/head2'] = head2
            record[name + '/grad_of_grad'] = x.grad.asnumpy()
    np.savez_compressed(os.path.join(HERE, 'autograd.npz'), **record)
    print('wrote %d arrays for %d cases (MXNet %s)' % (len(record), len(CASES), mx.__version__))


if __name__ == '__main__':
    main()
