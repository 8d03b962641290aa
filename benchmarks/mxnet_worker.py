"""Times workloads under MXNet 1.9.1 for run.py: reads one JSON request per line on stdin
({"workload", "mode", "iters", "clock"}), answers with the mean milliseconds per iteration."""
import json
import sys
import time

import mxnet

from probe import symbol_runner, tiny_runner

sys.modules['mxsym'] = mxnet   # the example networks import mxsym; here it is MXNet itself
RUNNERS = {}


CLOCKS = {'wall': time.perf_counter, 'cpu': time.process_time}


def timed(run, iters, clock):
    now = CLOCKS[clock]
    for array in run():
        array.wait_to_read()
    start = now()
    for _ in range(iters):
        for array in run():
            array.wait_to_read()
    return (now() - start) / iters * 1e3


for line in sys.stdin:
    request = json.loads(line)
    key = request['workload'], request['mode']
    if key not in RUNNERS:
        make = tiny_runner if request['workload'] == 'tiny' else symbol_runner
        RUNNERS[key] = make(mxnet, *key)
    print(json.dumps(timed(RUNNERS[key], request['iters'], request['clock'])), flush=True)
