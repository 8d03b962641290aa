"""Sweep mxsym against hand-written JAX and MXNet 1.9.1 over networks, input sizes and batches.

    python benchmarks/bench_sweep.py [--quick] [--networks resnet18 mobilenet ...]
        [--sizes 32 64 ...] [--batches 1 8 32] [--modes train infer] [--sides mxsym jax mxnet]
        [--rounds 2] [--min-s 1.0] [--clock wall|cpu] [--mxnet-python PYTHON_WITH_MXNET]

The networks are the example networks of examples/models (MXNet's image-classification
symbols: ResNet-18 and -50 in their ImageNet layout at every size, MobileNet v1, VGG-11,
Inception-BN, AlexNet, LeNet and an MLP on single-channel images, and the LSTM language
model, whose "size" is its sequence length). A point is (network, size, batch, mode); `train`
is a forward and backward of the loss-terminated network with gradients for the parameters,
`infer` a forward. Each (side, point) runs in a fresh process (`--point`) that binds, runs
twice untimed and then times runs for at least `--min-s` seconds, reporting the median
milliseconds per run (wall or process CPU time). A round runs the point's sides one after
another, in turns that rotate the order; a ratio is the median over rounds of the ratio within
each round, so machine noise that lasts a round hits both sides alike. Hand JAX runs where
benchmarks/hand_jax.py writes the network. Printed last: the worst point against MXNet and
the geometric mean of the ratios per mode. mxsym's processes share one compilation cache
for the run, so only its first round compiles (before the timing starts either way).
"""
import argparse
import json
import math
import os
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir))
sys.path.insert(0, HERE)

from fresh_process import measured_or_none  # noqa: E402
from workloads import example_models, initial_aux, mlp  # noqa: E402

IMAGENET = (3, 224, 224)   # the layout argument: ImageNet's stem at every input size


# name: (builder(mx), image channels or None for the language model, sizes, hand JAX name)
NETWORKS = {
    'resnet18': (lambda mx: example_models().resnet.get_symbol(1000, 18, image_shape=IMAGENET),
                 3, (32, 64, 96, 128, 224), 'resnet18'),
    'resnet50': (lambda mx: example_models().resnet.get_symbol(1000, 50, image_shape=IMAGENET),
                 3, (32, 64, 128, 224), None),
    'mobilenet': (lambda mx: example_models().mobilenet.get_symbol(1000), 3, (32, 64, 128, 224),
                  'mobilenet'),
    'vgg11': (lambda mx: example_models().vgg.get_symbol(1000, 11), 3, (32, 64, 128, 224), None),
    'inception_bn': (lambda mx: example_models().inception_bn.get_symbol(1000), 3,
                     (32, 64, 128, 224), 'inception_bn'),
    'alexnet': (lambda mx: example_models().alexnet.get_symbol(1000), 3, (128, 224), None),
    'lenet': (lambda mx: example_models().lenet.get_symbol(10), 1, (28, 32, 64), 'lenet'),
    'mlp': (mlp, 1, (28, 32, 64), 'mlp'),
    'lstm_lm': (lambda mx: example_models().lstm_lm.get_symbol(VOCABULARY), None, (35,), None),
}
VOCABULARY, LSTM_LAYERS, LSTM_HIDDEN = 10000, 2, 200
BATCHES = (1, 8, 32)
QUICK_POINTS = [('resnet18', 64, 8), ('resnet18', 224, 8), ('mobilenet', 64, 8),
                ('lenet', 28, 32), ('mlp', 28, 32), ('lstm_lm', 35, 8)]
# inputs no gradient is asked for, as a training loop binds
NO_GRADIENT = ('data', 'softmax_label', 'lstm_state', 'lstm_state_cell')


def input_shapes(network, size, batch):
    channels = NETWORKS[network][1]
    if channels is None:
        state = (LSTM_LAYERS, batch, LSTM_HIDDEN)
        return {'data': (size, batch), 'softmax_label': (size, batch), 'lstm_state': state,
                'lstm_state_cell': state}
    return {'data': (batch, channels, size, size)}


def symbol_runner(mx, network, size, batch, mode):
    """Bind the network (mxsym or MXNet) and return a function running one step."""
    import numpy as np
    symbol = NETWORKS[network][0](mx)
    shapes = input_shapes(network, size, batch)
    exe = symbol.simple_bind(mx.cpu(), grad_req={
        name: 'null' if name in NO_GRADIENT or mode == 'infer' else 'write'
        for name in symbol.list_arguments()}, **shapes)
    rng = np.random.RandomState(0)
    for name, array in exe.arg_dict.items():
        array[:] = rng.uniform(-0.05, 0.05, array.shape)
    classes = VOCABULARY if NETWORKS[network][1] is None else 10
    exe.arg_dict['softmax_label'][:] = rng.randint(0, classes, exe.arg_dict['softmax_label'].shape)
    if NETWORKS[network][1] is None:
        exe.arg_dict['data'][:] = rng.randint(0, VOCABULARY, shapes['data'])
    for name, array in exe.aux_dict.items():
        array[:] = initial_aux(name, array.shape)

    def run():
        exe.forward(is_train=mode == 'train')
        if mode == 'train':
            exe.backward()
            return [g for g in exe.grad_arrays if g is not None] + exe.outputs
        return exe.outputs
    return run


def wait_to_read(arrays):
    for array in arrays:
        array.wait_to_read()


def measure_point(side, network, size, batch, mode, min_s, clock):
    """{'ms': median milliseconds per run} of one side at one point, in this process."""
    if side == 'mxnet':
        import mxnet as mx
        sys.modules['mxsym'] = mx   # the example networks import mxsym; here it is MXNet
    else:
        import mxsym as mx
    if side == 'jax':
        import jax
        from hand_jax import network_runner
        wait = jax.block_until_ready
        run = network_runner(NETWORKS[network][3], NETWORKS[network][0](mx),
                             input_shapes(network, size, batch)['data'], mode)
    else:
        wait = wait_to_read
        run = symbol_runner(mx, network, size, batch, mode)
    now = {'wall': time.perf_counter, 'cpu': time.process_time}[clock]
    for _ in range(2):
        wait(run())
    times, begin = [], time.perf_counter()
    while len(times) < 3 or time.perf_counter() - begin < min_s:
        start = now()
        wait(run())
        times.append((now() - start) * 1e3)
    return {'ms': statistics.median(times)}


def all_points(args):
    if args.quick and not args.networks:
        points = QUICK_POINTS
    else:
        points = [(network, size, batch) for network in args.networks or NETWORKS
                  for size in NETWORKS[network][2] for batch in args.batches
                  if not args.sizes or size in args.sizes]
    return [(network, size, batch, mode) for network, size, batch in points
            for mode in args.modes]


def run_point(python, side, point, args, env):
    """One fresh process's measurement, or None where the point fails there (an input too
    small for the network, say)."""
    command = [python, os.path.abspath(__file__), '--point', side] + [str(v) for v in point] + [
        '--min-s', str(args.min_s), '--clock', args.clock]
    result = measured_or_none(command, env, '%s %s' % (side, point))
    return None if result is None else result['ms']


def ratio(ours, other):
    return None if ours is None or other is None else ours / other


def median_or_none(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def geometric_mean(values):
    values = [v for v in values if v is not None]
    return math.exp(sum(map(math.log, values)) / len(values)) if values else None


def show(value, digits=2):
    return '—' if value is None else '%.*f' % (digits, value)


def sweep(args):
    sides = [side for side in args.sides if side != 'mxnet' or args.mxnet_python]
    pythons = {'mxsym': sys.executable, 'jax': sys.executable, 'mxnet': args.mxnet_python}
    print('Machine: %s, %d CPUs; %s clock, median over %d rounds of per-round ratios\n'
          % (os.uname().machine, os.cpu_count(), args.clock, args.rounds))
    print('| network | size | batch | mode | mxsym ms | hand JAX ms | MXNet ms | mxsym/JAX '
          '| mxsym/MXNet |')
    print('|---|---|---|---|---|---|---|---|---|')
    results = []
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, MXSYM_CACHE_DIR=cache)
        for point in all_points(args):
            point_sides = [s for s in sides if s != 'jax' or NETWORKS[point[0]][3]]
            times = {side: [] for side in point_sides}
            for turn in range(args.rounds):
                shift = turn % len(point_sides)
                for side in point_sides[shift:] + point_sides[:shift]:
                    times[side].append(run_point(pythons[side], side, point, args, env))
            to_jax, to_mxnet = (
                median_or_none([ratio(a, b) for a, b in zip(times['mxsym'], times[other])])
                if other in times else None for other in ('jax', 'mxnet'))
            ms = {side: median_or_none(times.get(side, [])) for side in sides}
            results.append((point, to_jax, to_mxnet))
            print('| %s | %d | %d | %s | %s | %s | %s | %s | %s |' % (
                *point, show(ms['mxsym'], 1), show(ms.get('jax'), 1), show(ms.get('mxnet'), 1),
                show(to_jax), show(to_mxnet)), flush=True)
    against = [r for r in results if r[2] is not None]
    if against:
        worst = max(against, key=lambda r: r[2])
        print('\nWorst point against MXNet: %s, size %d, batch %d, %s: %.2f'
              % (*worst[0], worst[2]))
    for mode in args.modes:
        print('Geometric mean, %s: mxsym/JAX %s, mxsym/MXNet %s' % (
            mode, show(geometric_mean(r[1] for r in results if r[0][3] == mode)),
            show(geometric_mean(r[2] for r in results if r[0][3] == mode))))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--networks', nargs='+', choices=list(NETWORKS))
    parser.add_argument('--sizes', nargs='+', type=int,
                        help="only these of each network's sizes")
    parser.add_argument('--batches', nargs='+', type=int, default=list(BATCHES))
    parser.add_argument('--modes', nargs='+', default=['train', 'infer'],
                        choices=['train', 'infer'])
    parser.add_argument('--sides', nargs='+', default=['mxsym', 'jax', 'mxnet'],
                        choices=['mxsym', 'jax', 'mxnet'],
                        help='mxnet needs --mxnet-python')
    parser.add_argument('--rounds', type=int, default=2)
    parser.add_argument('--min-s', type=float, default=1.0,
                        help='time each side at a point for at least this long')
    parser.add_argument('--clock', choices=['wall', 'cpu'], default='wall',
                        help="'cpu' times the process's CPU use: steadier on a shared machine")
    parser.add_argument('--quick', action='store_true',
                        help='a few points: %s' % ', '.join('%s %d/%d' % p for p in QUICK_POINTS))
    parser.add_argument('--mxnet-python', help='a Python interpreter with mxnet==1.9.1')
    parser.add_argument('--point', nargs=5, metavar=('SIDE', 'NETWORK', 'SIZE', 'BATCH', 'MODE'),
                        help='measure one side at one point in this process (what a round runs)')
    args = parser.parse_args()
    if args.point:
        side, network, size, batch, mode = args.point
        print(json.dumps(measure_point(side, network, int(size), int(batch), mode, args.min_s,
                                       args.clock)), flush=True)
        return
    sweep(args)


if __name__ == '__main__':
    main()
