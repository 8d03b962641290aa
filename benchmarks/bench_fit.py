"""`Module.fit` end to end, mxsym against MXNet 1.9.1: samples per second of a training epoch.

    python benchmarks/bench_fit.py --mxnet-python PYTHON_WITH_MXNET [--points resnet18/64/8 ...]
        [--steps 20] [--rounds 2]

A point is (network, size, batch) of benchmarks/bench_sweep.py's networks. Each (side, point)
runs in a fresh process (`--point`): `Module.fit` over synthetic data for two epochs of
`--steps` batches -- the iterator (NDArrayIter; the language model's own, with its states as
inputs), forward, backward, SGD with momentum and weight decay, the metric's update (accuracy;
perplexity for the language model) and a Speedometer -- and reports the second epoch's samples
per second (the first compiles). A round runs the sides in turns that rotate the order; the
ratio is the median over rounds of mxsym's samples/s over MXNet's within a round (above 1:
mxsym trains faster).
"""
import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir))
sys.path.insert(0, HERE)

from bench_sweep import NETWORKS, VOCABULARY, input_shapes  # noqa: E402
from fresh_process import measured_or_none  # noqa: E402

POINTS = [('resnet18', 64, 8), ('resnet18', 224, 8), ('mobilenet', 64, 8), ('mlp', 28, 32),
          ('lstm_lm', 35, 8)]


def language_model_iter(mx, shapes, steps, rng):
    """An iterator of `steps` batches of random words (sequence length x batch) and zero
    initial states, which the language model takes as inputs."""
    names = ['data', 'lstm_state', 'lstm_state_cell']
    batches = [mx.io.DataBatch(
        data=[mx.nd.array(rng.randint(0, VOCABULARY, shapes['data']))]
        + [mx.nd.zeros(shapes[name]) for name in names[1:]],
        label=[mx.nd.array(rng.randint(0, VOCABULARY, shapes['softmax_label']))])
        for _ in range(steps)]

    class Batches(mx.io.DataIter):
        def __init__(self):
            super().__init__(shapes['data'][1])
            self.provide_data = [mx.io.DataDesc(name, shapes[name], layout=layout)
                                 for name, layout in zip(names, ['TN', 'LNC', 'LNC'])]
            self.provide_label = [mx.io.DataDesc('softmax_label', shapes['softmax_label'],
                                                 layout='TN')]
            self.position = 0

        def reset(self):
            self.position = 0

        def next(self):
            if self.position == len(batches):
                raise StopIteration
            self.position += 1
            return batches[self.position - 1]
    return Batches()


def measure_point(side, network, size, batch, steps):
    """{'samples_per_s': of the second epoch} of one side at one point, in this process."""
    if side == 'mxnet':
        import mxnet as mx
        sys.modules['mxsym'] = mx   # the example networks import mxsym; here it is MXNet
    else:
        import mxsym as mx
    import numpy as np
    logging.basicConfig(level=logging.WARNING)   # the Speedometer computes, prints nothing
    rng = np.random.RandomState(0)
    symbol = NETWORKS[network][0](mx)
    shapes = input_shapes(network, size, batch)
    arg_params = None
    if NETWORKS[network][1] is None:
        train = language_model_iter(mx, shapes, steps, rng)
        metric = mx.metric.Perplexity(None)
        data_names = ('data', 'lstm_state', 'lstm_state_cell')
        # the packed LSTM vector matches no initializer pattern; MXNet's scripts give it one
        parameters = symbol.infer_shape(**shapes)[0][symbol.list_arguments().index(
            'lstm_parameters')]
        arg_params = {'lstm_parameters': mx.nd.array(rng.uniform(-0.05, 0.05, parameters))}
    else:
        count = batch * steps
        train = mx.io.NDArrayIter(
            rng.uniform(-1, 1, (count,) + shapes['data'][1:]).astype(np.float32),
            rng.randint(0, 10, count).astype(np.float32), batch_size=batch)
        metric = mx.metric.Accuracy()
        data_names = ('data',)
    module = mx.mod.Module(symbol, data_names=data_names, context=mx.cpu())
    ends = []
    module.fit(train, num_epoch=2, eval_metric=metric, optimizer='sgd',
               optimizer_params={'learning_rate': 0.01, 'momentum': 0.9, 'wd': 1e-4},
               initializer=mx.init.Xavier(), arg_params=arg_params, allow_missing=True,
               batch_end_callback=mx.callback.Speedometer(batch, steps // 2),
               epoch_end_callback=lambda *_: ends.append(time.perf_counter()))
    return {'samples_per_s': batch * steps / (ends[1] - ends[0])}


def run_point(python, side, point, steps, env):
    """One fresh process's samples/s, or None where the point fails there."""
    command = [python, os.path.abspath(__file__), '--point', side] + [str(v) for v in point] + [
        '--steps', str(steps)]
    result = measured_or_none(command, env, '%s %s' % (side, point))
    return None if result is None else result['samples_per_s']


def compare(args):
    pythons = {'mxsym': sys.executable, 'mxnet': args.mxnet_python}
    points = [tuple(int(v) if v.isdigit() else v for v in p.split('/')) for p in args.points] \
        if args.points else POINTS
    print('Machine: %s, %d CPUs; %d steps an epoch, median over %d rounds of per-round ratios\n'
          % (os.uname().machine, os.cpu_count(), args.steps, args.rounds))
    print('| network | size | batch | mxsym samples/s | MXNet samples/s | mxsym/MXNet |')
    print('|---|---|---|---|---|---|')
    ratios = []
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, MXSYM_CACHE_DIR=cache)
        for point in points:
            speeds = {side: [] for side in pythons}
            for turn in range(args.rounds):
                order = list(pythons) if turn % 2 == 0 else list(pythons)[::-1]
                for side in order:
                    speeds[side].append(run_point(pythons[side], side, point, args.steps, env))
            within = [a / b for a, b in zip(speeds['mxsym'], speeds['mxnet']) if a and b]
            ratio = statistics.median(within) if within else None
            ratios.append(ratio)
            print('| %s | %d | %d | %s | %s | %s |' % (
                *point, *('—' if not any(speeds[side]) else '%.1f' % statistics.median(
                    [s for s in speeds[side] if s]) for side in pythons),
                '—' if ratio is None else '%.2f' % ratio), flush=True)
    known = [(r, p) for r, p in zip(ratios, points) if r is not None]
    if known:
        worst = min(known)
        print('\nSlowest point against MXNet: %s/%d/%d, %.2f' % (*worst[1], worst[0]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--points', nargs='+', metavar='NETWORK/SIZE/BATCH',
                        help='default: %s' % ' '.join('%s/%d/%d' % p for p in POINTS))
    parser.add_argument('--steps', type=int, default=20, help='batches an epoch')
    parser.add_argument('--rounds', type=int, default=2)
    parser.add_argument('--mxnet-python', required='--point' not in sys.argv,
                        help='a Python interpreter with mxnet==1.9.1')
    parser.add_argument('--point', nargs=4, metavar=('SIDE', 'NETWORK', 'SIZE', 'BATCH'),
                        help='measure one side at one point in this process (what a round runs)')
    args = parser.parse_args()
    if args.point:
        side, network, size, batch = args.point
        print(json.dumps(measure_point(side, network, int(size), int(batch), args.steps)),
              flush=True)
        return
    compare(args)


if __name__ == '__main__':
    main()
