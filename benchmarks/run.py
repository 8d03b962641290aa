"""Benchmark mxsym against hand-written JAX and (optionally) MXNet 1.9.1 on the same machine.

    python benchmarks/run.py [--quick] [--workloads mlp lenet ...] [--rounds 5] [--iters 10]
                             [--mxnet-python PYTHON_WITH_MXNET] [--check]

Prints markdown tables:
- steady state: median milliseconds per training step (forward + backward of the
  loss-terminated network, gradients for the parameters only) and per inference, in rounds
  (at least `--rounds` of them, lasting `--min-total-s` seconds in all per framework, each of
  at least `--iters` runs and `--min-round-s` seconds) that alternate the frameworks
  (mxsym, hand JAX, MXNet), in every order in turn, so machine noise and each one's wake hit
  all of them alike, with the ratios mxsym/JAX and mxsym/MXNet and their geometric means;
- tiny graph: microseconds per forward of `a + b` on 2x3 arrays (per-call overhead);
- first result: seconds from building a network to its first training step in a fresh
  process, mxsym with a cold and with a warm compilation cache, and mxsym's lowering time
  (everything before XLA), including 200- and 1000-layer chains;
- peak memory: how far a fresh process's peak resident memory rises over bind and a few
  training steps (measured with the compilation cache warm, so XLA's compiler is not in it);
- data parallel: milliseconds per `Module.fit` step of the MLP and LeNet with the batch on one
  device and split over two (forced host devices on a CPU, so both share its cores).
`--check` first verifies that the hand-written networks compute what mxsym's graphs do.
"""
import argparse
import functools
import itertools
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir))
sys.path.insert(0, HERE)

import jax  # noqa: E402
import numpy as np  # noqa: E402

import mxsym as mx  # noqa: E402
from hand_jax import hand_runner, initial_values, step_functions  # noqa: E402
from probe import symbol_runner, tiny_runner  # noqa: E402
from workloads import NETWORKS, WORKLOADS, grad_reqs  # noqa: E402

CHAINS = ('chain200', 'chain1000')
QUICK_WORKLOADS = ('mlp', 'lenet', 'tiny', 'chain200')


def wait_symbolic(arrays):
    for array in arrays:
        array.wait_to_read()


CLOCKS = {'wall': time.perf_counter, 'cpu': time.process_time}


def timed(run, wait, iters, clock='wall'):
    """Mean milliseconds of `iters` runs, after one untimed run: wall-clock time, or the
    process's CPU time (all threads), steadier on a machine other work shares."""
    now = CLOCKS[clock]
    wait(run())
    start = now()
    for _ in range(iters):
        wait(run())
    return (now() - start) / iters * 1e3


class MXNetWorker:
    """MXNet 1.9.1 in its own Python, timing the same workloads on request."""

    def __init__(self, python):
        self.process = subprocess.Popen([python, os.path.join(HERE, 'mxnet_worker.py')],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True)

    def __call__(self, workload, mode, iters, clock):
        request = {'workload': workload, 'mode': mode, 'iters': iters, 'clock': clock}
        self.process.stdin.write(json.dumps(request) + '\n')
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def show(value, digits=2):
    return '—' if value is None else '%.*f' % (digits, value)


def ratio(ours, other):
    return None if ours is None or not other else ours / other


def geometric_mean(values):
    values = [v for v in values if v is not None]
    return math.exp(sum(map(math.log, values)) / len(values)) if values else None


def check_hand_jax(workloads):
    """Raise unless each hand-written network gives mxsym's outputs, gradients and statistics.
    Both run in float64, where summing in another order cannot hide a real difference as
    float32 rounding through a deep BatchNorm network could; what remains is mxsym keeping
    some constants in float32 as MXNet does (BatchNorm's momentum: 2e-7 relative)."""
    for workload in workloads:
        args, aux = initial_values(mx, workload)
        args = {name: value.astype(np.float64) for name, value in args.items()}
        aux = {name: value.astype(np.float64) for name, value in aux.items()}
        build, shape = WORKLOADS[workload]
        symbol = build(mx)
        exe = symbol.simple_bind(mx.cpu(), grad_req=grad_reqs(symbol), data=shape,
                                 type_dict=dict.fromkeys(symbol.list_arguments(), 'float64'))
        for name, value in args.items():
            exe.arg_dict[name][:] = value
        for name, value in aux.items():
            exe.aux_dict[name][:] = value
        exe.forward(is_train=True)
        exe.backward()
        train, infer = step_functions(workload)
        data, label = args.pop('data'), args.pop('softmax_label')
        probs, grads, new_aux = train(args, aux, data, label)
        pairs = [('output', exe.outputs[0].asnumpy(), probs)]
        pairs += [(name, exe.grad_dict[name].asnumpy(), grads[name]) for name in args]
        pairs += [(name, exe.aux_dict[name].asnumpy(), new_aux[name]) for name in aux]
        exe.forward(is_train=False)   # with the statistics the training step updated
        pairs.append(('inference output', exe.outputs[0].asnumpy(),
                      infer(args, new_aux, data, label)))
        for name, ours, theirs in pairs:
            scale = float(np.abs(theirs).max()) or 1.0
            np.testing.assert_allclose(ours / scale, np.asarray(theirs) / scale,
                                       atol=1e-6, err_msg='%s: %s' % (workload, name))
        print('checked %s: %d arrays agree' % (workload, len(pairs)), file=sys.stderr)


def round_plan(args, run, wait):
    """(runs per round, rounds): `--iters` and `--rounds`, or more for a fast workload, so that
    a round lasts `--min-round-s` and each framework's rounds add up to `--min-total-s`."""
    step_ms = timed(run, wait, 3, args.clock)
    iters = max(args.iters, math.ceil(args.min_round_s * 1e3 / step_ms))
    return iters, max(args.rounds, math.ceil(args.min_total_s * 1e3 / (iters * step_ms)))


def median_times(measures, rounds):
    """Median of each framework's measurements over rounds that run them one after another,
    in every order in turn (the rounds are a whole number of cycles through the orders), so
    each framework runs right after each other one equally often: the one before changes a
    run's speed (right after MXNet's, a run was ~8% slower)."""
    orders = list(itertools.permutations(measures))
    times = {name: [] for name in measures}
    for turn in range(-(-rounds // len(orders)) * len(orders)):
        for name in orders[turn % len(orders)]:
            times[name].append(measures[name]())
    return {name: statistics.median(values) for name, values in times.items()}


def steady_state(args, worker):
    networks = [w for w in args.workloads if w in NETWORKS]
    print('\n### Steady state (ms of %s time, median of at least %d rounds of at least %d runs '
          'and %.2f s, %.0f s in all per framework)\n'
          % (args.clock, args.rounds, args.iters, args.min_round_s, args.min_total_s))
    print('| workload | mode | mxsym | hand JAX | MXNet | mxsym/JAX | mxsym/MXNet |')
    print('|---|---|---|---|---|---|---|')
    ratios = {}
    for workload in networks:
        for mode in args.modes:
            runners = {'mxsym': (symbol_runner(mx, workload, mode), wait_symbolic),
                       'jax': (hand_runner(mx, workload, mode), jax.block_until_ready)}
            iters, rounds = round_plan(args, *runners['mxsym'])
            measures = {name: functools.partial(timed, run, wait, iters, args.clock)
                        for name, (run, wait) in runners.items()}
            if worker is not None:
                measures['mxnet'] = functools.partial(worker, workload, mode, iters, args.clock)
            median = {'mxnet': None, **median_times(measures, rounds)}
            to_jax, to_mxnet = ratio(median['mxsym'], median['jax']), ratio(
                median['mxsym'], median['mxnet'])
            ratios.setdefault(mode, []).append((to_jax, to_mxnet))
            print('| %s | %s | %s | %s | %s | %s | %s |' % (
                workload, mode, show(median['mxsym']), show(median['jax']),
                show(median['mxnet']), show(to_jax), show(to_mxnet)), flush=True)
    for mode, pairs in ratios.items():
        print('| geometric mean | %s | | | | %s | %s |' % (
            mode, show(geometric_mean(p[0] for p in pairs)),
            show(geometric_mean(p[1] for p in pairs))))


def tiny_graph(args, worker):
    iters = args.iters * 100
    add = jax.jit(lambda a, b: a + b)
    ones = jax.numpy.ones((2, 3))
    run = tiny_runner(mx)
    measures = {
        'mxsym': lambda: timed(run, wait_symbolic, iters, args.clock) * 1e3,
        'jax': lambda: timed(lambda: add(ones, ones), jax.block_until_ready, iters,
                             args.clock) * 1e3}
    if worker is not None:
        measures['mxnet'] = lambda: worker('tiny', 'infer', iters, args.clock) * 1e3
    median = {'mxnet': None, **median_times(measures, args.rounds)}
    print('\n### Tiny graph: `a + b` on 2x3, microseconds of %s time per forward\n'
          % args.clock)
    print('| mxsym | jax.jit | MXNet | mxsym/JAX | mxsym/MXNet |')
    print('|---|---|---|---|---|')
    print('| %s | %s | %s | %s | %s |' % (
        show(median['mxsym'], 1), show(median['jax'], 1), show(median['mxnet'], 1),
        show(ratio(median['mxsym'], median['jax'])),
        show(ratio(median['mxsym'], median['mxnet']))), flush=True)


def probe(python, measure, framework, workload, env):
    output = subprocess.run([python, os.path.join(HERE, 'probe.py'), measure, framework,
                             workload, 'train'], env=env, check=True, capture_output=True,
                            text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def fresh_processes(args):
    """First-result times and peak memory, each from a fresh process."""
    workloads = [w for w in args.workloads if w in WORKLOADS]
    rows = []
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, MXSYM_CACHE_DIR=cache)
        no_cache = dict(os.environ, MXSYM_COMPILATION_CACHE='0')
        for workload in workloads:
            row = {'workload': workload}
            row['lower'] = probe(sys.executable, 'lower', 'mxsym', workload, no_cache)['lower_s']
            row['cold'] = probe(sys.executable, 'first', 'mxsym', workload, env)
            row['warm'] = probe(sys.executable, 'first', 'mxsym', workload, env)
            if workload in NETWORKS:
                row['jax'] = probe(sys.executable, 'first', 'jax', workload, no_cache)
            if args.mxnet_python:
                row['mxnet'] = probe(args.mxnet_python, 'first', 'mxnet', workload, os.environ)
            rows.append(row)
            print('probed %s' % workload, file=sys.stderr, flush=True)

    def first(row, key):
        return row[key]['first_s'] if key in row else None

    def peak(row, key):
        return row[key]['peak_mb'] if key in row else None
    print('\n### First training step in a fresh process (s)\n')
    print('| workload | mxsym lowering | mxsym, cold cache | mxsym, warm cache | hand JAX '
          '| MXNet | warm/MXNet |')
    print('|---|---|---|---|---|---|---|')
    for row in rows:
        print('| %s | %s | %s | %s | %s | %s | %s |' % (
            row['workload'], show(row['lower'], 3), show(first(row, 'cold')),
            show(first(row, 'warm')), show(first(row, 'jax')), show(first(row, 'mxnet')),
            show(ratio(first(row, 'warm'), first(row, 'mxnet')))))
    print('\n### Peak memory of bind and training steps (MB above the imports)\n')
    print('| workload | mxsym | hand JAX | MXNet | mxsym/MXNet |')
    print('|---|---|---|---|---|')
    for row in rows:
        print('| %s | %s | %s | %s | %s |' % (
            row['workload'], show(peak(row, 'warm'), 0), show(peak(row, 'jax'), 0),
            show(peak(row, 'mxnet'), 0), show(ratio(peak(row, 'warm'), peak(row, 'mxnet')))))


def data_parallel(args):
    """`Module.fit` steps on one device and on two, each in a fresh process seeing two devices."""
    env = dict(os.environ, MXSYM_COMPILATION_CACHE='0',
               XLA_FLAGS=(os.environ.get('XLA_FLAGS', '') +
                          ' --xla_force_host_platform_device_count=2').strip())
    print('\n### Data parallel: ms per Module.fit step, batch split over devices\n')
    print('| workload | 1 device | 2 devices | 2 devices / 1 device |')
    print('|---|---|---|---|')
    for workload in [w for w in args.workloads if w in ('mlp', 'lenet')]:
        one, two = (probe(sys.executable, 'devices', str(n), workload, env)['step_ms']
                    for n in (1, 2))
        print('| %s | %s | %s | %s |' % (workload, show(one), show(two), show(ratio(two, one))),
              flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    choices = list(WORKLOADS) + ['tiny']
    parser.add_argument('--workloads', nargs='+', choices=choices, default=choices)
    parser.add_argument('--modes', nargs='+', default=['train', 'infer'],
                        choices=['train', 'infer'])
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--iters', type=int, default=10)
    parser.add_argument('--min-round-s', type=float, default=0.25,
                        help='steady state: run each round for at least this long')
    parser.add_argument('--min-total-s', type=float, default=5,
                        help="steady state: run each framework's rounds for at least this long")
    parser.add_argument('--clock', choices=list(CLOCKS), default='wall',
                        help="'cpu' times the process's CPU use: steadier on a shared machine")
    parser.add_argument('--quick', action='store_true',
                        help='a smoke run: %s, 2 rounds of 3' % ', '.join(QUICK_WORKLOADS))
    parser.add_argument('--no-fresh', action='store_true',
                        help='skip the fresh-process tables (first result, peak memory)')
    parser.add_argument('--check', action='store_true',
                        help='first check the hand-written networks against mxsym')
    parser.add_argument('--mxnet-python', help='a Python interpreter with mxnet==1.9.1')
    args = parser.parse_args()
    if args.quick:
        if '--workloads' not in sys.argv:
            args.workloads = list(QUICK_WORKLOADS)
        args.rounds, args.iters, args.min_round_s, args.min_total_s = 2, 3, 0, 0
    if args.check:
        check_hand_jax([w for w in args.workloads if w in NETWORKS])
    worker = MXNetWorker(args.mxnet_python) if args.mxnet_python else None
    print('Machine: %s, %d CPUs; JAX %s, backend %s' % (
        os.uname().machine, os.cpu_count(), jax.__version__, jax.default_backend()))
    try:
        steady_state(args, worker)
        if 'tiny' in args.workloads:
            tiny_graph(args, worker)
    finally:
        if worker is not None:
            worker.close()
    if not args.no_fresh:
        fresh_processes(args)
        data_parallel(args)


if __name__ == '__main__':
    main()
