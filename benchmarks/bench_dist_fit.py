"""`Module.fit` training steps per second with one worker process and with several (a dist_sync
kvstore, `mxsym launch`), each worker with the same batch: weak scaling.

    python benchmarks/bench_dist_fit.py [--workers 2] [--batch 64] [--steps 40] [--gpu]

Prints a markdown table: steps/s and samples/s of the job, and the scaling against one
process. Each run times its second epoch (the first compiles). On a CPU the workers share the
machine's cores, so the row measures the cost of the collectives more than a speed-up; with
``--gpu`` each worker trains on its own GPU (``mx.gpu(rank)``).
"""
import argparse
import io
import json
import os
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, os.pardir)
sys.path.insert(0, ROOT)

import mxsym as mx  # noqa: E402
from mxsym import launch  # noqa: E402


def network():
    net = mx.sym.var('data')
    for i in range(2):
        net = mx.sym.Activation(mx.sym.FullyConnected(net, num_hidden=512, name='fc%d' % i),
                                act_type='relu')
    net = mx.sym.FullyConnected(net, num_hidden=10, name='out')
    return mx.sym.SoftmaxOutput(net, name='softmax')


def worker(out_path, batch, steps, gpu):
    """One worker's run: fit two epochs, time the second, write steps/s (rank 0)."""
    kv = mx.kv.create('dist_sync') if 'DMLC_NUM_WORKER' in os.environ else 'local'
    rank = 0 if isinstance(kv, str) else kv.rank
    rng = np.random.RandomState(rank)
    data = rng.uniform(-1, 1, (batch * steps, 784)).astype(np.float32)
    label = rng.randint(0, 10, batch * steps).astype(np.float32)
    train = mx.io.NDArrayIter(data, label, batch_size=batch)
    context = mx.gpu(rank) if gpu else mx.cpu()
    mod = mx.mod.Module(network(), context=context)
    epoch_start = {}

    def mark(param):
        if param.nbatch == 0:
            mod.get_outputs()[0].wait_to_read()
            epoch_start[param.epoch] = time.perf_counter()

    def finish(epoch, *_):
        epoch_start[epoch] = time.perf_counter() - epoch_start[epoch]
    mod.fit(train, num_epoch=2, kvstore=kv, optimizer='sgd',
            optimizer_params={'learning_rate': 0.01, 'momentum': 0.9},
            batch_end_callback=mark, epoch_end_callback=finish)
    if rank == 0:
        with open(out_path, 'w') as out:
            json.dump({'steps_per_s': (steps - 1) / epoch_start[1]}, out)


def measure(workers, batch, steps, gpu):
    """Steps per second of a job of `workers` processes."""
    with tempfile.TemporaryDirectory() as scratch:
        result = os.path.join(scratch, 'result.json')
        command = [sys.executable, os.path.abspath(__file__), '--worker', result,
                   '--batch', str(batch), '--steps', str(steps)] + (['--gpu'] if gpu else [])
        os.environ['PYTHONPATH'] = os.pathsep.join(
            [os.path.abspath(ROOT), os.environ.get('PYTHONPATH', '')])
        log = io.BytesIO()
        status = launch.launch(workers, command, out=log)
        if status:
            raise SystemExit('a %d-worker run failed:\n%s' % (workers, log.getvalue().decode()))
        with open(result) as saved:
            return json.load(saved)['steps_per_s']


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--workers', type=int, default=2)
    parser.add_argument('--batch', type=int, default=64, help='batch per worker')
    parser.add_argument('--steps', type=int, default=40, help='batches per epoch')
    parser.add_argument('--gpu', action='store_true')
    parser.add_argument('--worker', help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.batch, args.steps, args.gpu)
    rows = [(n, measure(n, args.batch, args.steps, args.gpu)) for n in (1, args.workers)]
    print('| workers | batch per worker | steps/s | samples/s | scaling (samples/s) |')
    print('|---|---|---|---|---|')
    for n, rate in rows:
        print('| %d | %d | %.1f | %.0f | %.2f |' % (n, args.batch, rate, rate * n * args.batch,
                                                  rate * n / rows[0][1]))


if __name__ == '__main__':
    main()
