"""Times workloads under MXNet 1.9.1 for run.py: reads one JSON request per line on stdin
({"workload", "mode", "iters"}), answers with the mean milliseconds per iteration."""
import json
import os
import sys
import time

import mxnet
import numpy as np

sys.modules['mxsym'] = mxnet   # the example networks import mxsym; here it is MXNet itself
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from workloads import WORKLOADS  # noqa: E402

EXECUTORS = {}


def executor(workload):
    if workload not in EXECUTORS:
        build, shape = WORKLOADS[workload]
        symbol = build(mxnet)
        exe = symbol.simple_bind(mxnet.cpu(), data=shape)
        rng = np.random.RandomState(0)
        for name, array in exe.arg_dict.items():
            array[:] = rng.uniform(-0.05, 0.05, array.shape)
        exe.arg_dict['softmax_label'][:] = rng.randint(0, 10, shape[0])
        EXECUTORS[workload] = exe
    return EXECUTORS[workload]


def run(exe, mode):
    if mode == 'train':
        exe.forward(is_train=True)
        exe.backward()
        for grad in exe.grad_arrays:
            if grad is not None:
                grad.wait_to_read()
    else:
        exe.forward(is_train=False)
        exe.outputs[0].wait_to_read()


for line in sys.stdin:
    request = json.loads(line)
    exe = executor(request['workload'])
    run(exe, request['mode'])
    start = time.perf_counter()
    for _ in range(request['iters']):
        run(exe, request['mode'])
    print(json.dumps((time.perf_counter() - start) / request['iters'] * 1e3), flush=True)
