"""Write control_flow.json and control_flow.npz: MXNet 1.9.1's JSON text, argument and output
names, forward outputs and gradients for the graphs of control_flow_cases.py.

Run with MXNet 1.9.1 installed (``python make_control_flow_golden.py``);
tests/ops/test_control_flow.py checks that mxsym reproduces every case.
"""
import json
import os
from collections import defaultdict

import mxnet as mx
import numpy as np

from control_flow_cases import CASES, FORWARD_ONLY, VALID_ROWS

HERE = os.path.dirname(os.path.abspath(__file__))


def build(case):
    """The case's graph, named as in a fresh process."""
    mx.attribute.AttrScope._subgraph_names = defaultdict(int)
    with mx.name.NameManager():
        return CASES[case](mx)


def record(case, arrays):
    sym, values = build(case)
    rows = VALID_ROWS.get(case, {})
    names = sym.list_arguments()
    differentiate = case not in FORWARD_ONLY
    exe = sym.bind(mx.cpu(), {n: mx.nd.array(values[n]) for n in names},
                   args_grad={n: mx.nd.zeros(values[n].shape) for n in names}
                   if differentiate else None)
    inference = [o.asnumpy() for o in exe.forward(is_train=False)]
    training = [o.asnumpy() for o in exe.forward(is_train=True)]
    rng = np.random.RandomState(42)
    heads = [rng.uniform(-1, 1, o.shape).astype(np.float32) for o in training]
    if differentiate:
        exe.backward([mx.nd.array(h) for h in heads])
    for name in names:
        arrays['%s/arg/%s' % (case, name)] = values[name]
        if differentiate:
            arrays['%s/grad/%s' % (case, name)] = exe.grad_dict[name].asnumpy()
    for i, (out, train_out, head) in enumerate(zip(inference, training, heads)):
        arrays['%s/out/%d' % (case, i)] = out[:rows[i]] if i in rows else out
        arrays['%s/train_out/%d' % (case, i)] = train_out[:rows[i]] if i in rows else train_out
        arrays['%s/head/%d' % (case, i)] = head
    return {'json': sym.tojson(), 'arguments': names, 'outputs': sym.list_outputs(),
            'output_shapes': [list(o.shape) for o in inference]}


def main():
    arrays = {}
    golden = {case: record(case, arrays) for case in CASES}
    with open(os.path.join(HERE, 'control_flow.json'), 'w') as out:
        json.dump(golden, out, indent=1, sort_keys=True)
    np.savez_compressed(os.path.join(HERE, 'control_flow.npz'), **arrays)


if __name__ == '__main__':
    main()
