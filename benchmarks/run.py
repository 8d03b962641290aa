"""Benchmark mxsym against hand-written JAX and (optionally) MXNet 1.9.1 on the same CPU.

    python benchmarks/run.py [--workloads mlp lenet ...] [--rounds 5] [--iters 20]
                             [--mxnet-python PATH_TO_A_PYTHON_WITH_MXNET]

Rounds alternate the frameworks (mxsym, hand JAX, MXNet) so that machine noise hits all of them;
the table gives the median milliseconds per iteration and the ratios mxsym/MXNet, mxsym/JAX.
Modes: `train` (forward + backward of a loss-terminated network) and `infer`.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import jax
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir))
sys.path.insert(0, HERE)

import mxsym as mx  # noqa: E402
from hand_jax import step_functions  # noqa: E402
from workloads import WORKLOADS  # noqa: E402


class MxsymRunner:
    def __init__(self, workload):
        build, shape = WORKLOADS[workload]
        self.exe = build(mx).simple_bind(mx.cpu(), data=shape)
        rng = np.random.RandomState(0)
        for array in self.exe.arg_arrays:
            array[:] = rng.uniform(-0.05, 0.05, array.shape)
        self.exe.arg_dict['softmax_label'][:] = rng.randint(0, 10, shape[0])

    def __call__(self, mode):
        if mode == 'train':
            self.exe.forward(is_train=True)
            self.exe.backward()
            for grad in self.exe.grad_arrays:
                grad._data.block_until_ready()
        else:
            self.exe.forward(is_train=False)
            self.exe.outputs[0]._data.block_until_ready()


class HandJaxRunner:
    def __init__(self, workload, mxsym_runner):
        self.functions = step_functions(workload)
        exe = mxsym_runner.exe
        self.params = {n: a._data for n, a in exe.arg_dict.items()
                       if n not in ('data', 'softmax_label')}
        self.data = exe.arg_dict['data']._data
        self.label = exe.arg_dict['softmax_label']._data

    def __call__(self, mode):
        train, infer = self.functions
        result = (train if mode == 'train' else infer)(self.params, self.data, self.label)
        for leaf in jax.tree_util.tree_leaves(result):
            leaf.block_until_ready()


def timed(function, mode, iters):
    function(mode)
    start = time.perf_counter()
    for _ in range(iters):
        function(mode)
    return (time.perf_counter() - start) / iters * 1e3


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--workloads', nargs='+', default=list(WORKLOADS), choices=WORKLOADS)
    parser.add_argument('--modes', nargs='+', default=['train', 'infer'])
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--iters', type=int, default=10)
    parser.add_argument('--mxnet-python', help='a Python interpreter with mxnet==1.9.1')
    args = parser.parse_args()
    worker = None
    if args.mxnet_python:
        worker = subprocess.Popen([args.mxnet_python, os.path.join(HERE, 'mxnet_worker.py')],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def mxnet_time(workload, mode):
        worker.stdin.write(json.dumps({'workload': workload, 'mode': mode,
                                       'iters': args.iters}) + '\n')
        worker.stdin.flush()
        return json.loads(worker.stdout.readline())

    print('| workload | mode | mxsym ms | hand JAX ms | MXNet ms | mxsym/JAX | mxsym/MXNet |')
    print('|---|---|---|---|---|---|---|')
    for workload in args.workloads:
        ours = MxsymRunner(workload)
        hand = HandJaxRunner(workload, ours) if step_functions(workload) else None
        for mode in args.modes:
            times = {'mxsym': [], 'jax': [], 'mxnet': []}
            for _ in range(args.rounds):
                times['mxsym'].append(timed(ours, mode, args.iters))
                if hand is not None:
                    times['jax'].append(timed(hand, mode, args.iters))
                if worker is not None:
                    times['mxnet'].append(mxnet_time(workload, mode))
            median = {k: statistics.median(v) if v else None for k, v in times.items()}

            def show(value):
                return '%.2f' % value if value is not None else '—'

            def ratio(other):
                return '%.2f' % (median['mxsym'] / other) if other else '—'
            print('| %s | %s | %s | %s | %s | %s | %s |' % (
                workload, mode, show(median['mxsym']), show(median['jax']),
                show(median['mxnet']), ratio(median['jax']), ratio(median['mxnet'])), flush=True)
    if worker is not None:
        worker.stdin.close()
        worker.wait()


if __name__ == '__main__':
    main()
