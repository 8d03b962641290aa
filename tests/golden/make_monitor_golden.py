"""Write tests/golden/monitor/: what MXNet 1.9.1's executor reports to a monitor.

Run with MXNet 1.9.1 installed (``python make_monitor_golden.py``). tests/test_monitor.py builds
the same networks with mxsym through the functions below, which take the ``mx`` module.

- ``op_names.json``: for every operator golden case (tests/golden/op_cases, by family and case
  id), the names an inference forward reports with ``monitor_all=True``, in order; under
  ``without_golden_cases``, the same and the symbol's JSON for a few more operators.
- ``nets.json``: for two small networks with fixed values, each report (name, shape, the default
  statistic) of inference and training forwards with and without ``monitor_all``; the results of
  ``mx.mon.Monitor`` over a few batches; and ``debug_str()`` of inference-bound executors.

MXNet runs with its subgraph backend off, so no fused operators replace the graph's nodes.
"""
import ctypes
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, 'monitor')


def mlp(mx):
    """The Symbol tutorial's network with a BatchNorm between its layers."""
    net = mx.sym.FullyConnected(mx.sym.Variable('data'), num_hidden=4, name='fc1')
    net = mx.sym.BatchNorm(net, name='bn1')
    net = mx.sym.Activation(net, act_type='relu', name='relu1')
    net = mx.sym.FullyConnected(net, num_hidden=3, name='fc2')
    return mx.sym.SoftmaxOutput(net, name='softmax')


def convnet(mx):
    """Convolution, BatchNorm, max pooling, a split, elementwise and scalar ops, two heads."""
    net = mx.sym.Convolution(mx.sym.Variable('data'), kernel=(3, 3), num_filter=4, pad=(1, 1),
                             name='conv1')
    net = mx.sym.BatchNorm(net, fix_gamma=False, eps=1e-3, name='bn1')
    net = mx.sym.Pooling(net, kernel=(2, 2), stride=(2, 2), pool_type='max', name='pool1')
    halves = mx.sym.SliceChannel(net, num_outputs=2, name='split')
    net = mx.sym.sin(halves[0], name='sin') * 2 + halves[1]
    net = mx.sym.FullyConnected(mx.sym.Flatten(net, name='flat'), num_hidden=3, name='fc')
    return mx.sym.Group([mx.sym.SoftmaxOutput(net, name='softmax'),
                         mx.sym.sum(halves[1], name='total')])


# MXNet's max pooling has a hidden workspace output holding scratch bytes, not numbers: its
# statistics are recorded as None.
SCRATCH_SUFFIX = '_workspace'

NETS = {'mlp': (mlp, {'data': (2, 5)}), 'convnet': (convnet, {'data': (2, 3, 6, 6)})}


def docstring_example(mx):
    """The graph of MXNet's ``debug_str`` docstring: ``2 * a + sin(a)``."""
    a = mx.sym.Variable('a')
    return 2 * a + mx.sym.sin(a)


def bind(mx, build, shapes, grad_req='write'):
    """Bind a network with fixed values: normal weights, labels 0..2 for the label inputs."""
    import numpy as np
    with mx.name.NameManager():
        sym = build(mx)
    exe = sym.simple_bind(mx.cpu(), grad_req=grad_req, **shapes)
    rng = np.random.RandomState(7)
    for name, array in list(exe.arg_dict.items()) + list(exe.aux_dict.items()):
        if name.endswith('label'):
            value = np.arange(array.size) % 3
        elif name.endswith('moving_var'):
            value = rng.uniform(0.5, 1.5, array.shape)
        else:
            value = rng.randn(*array.shape)
        array[:] = value.reshape(array.shape).astype(np.float32)
    return exe


def default_stat(mx, array):
    """The monitor's default statistic as a float: the 2-norm over sqrt(size)."""
    import numpy as np
    values = array.asnumpy().astype(np.float64)
    return float(np.sqrt((values ** 2).sum() / max(values.size, 1)))


def reports(mx, exe, is_train, monitor_all):
    """(name, shape, statistic) of each report of one forward."""
    seen = []

    def callback(name, handle):
        name = name.decode()
        array = mx.nd.NDArray(ctypes.cast(handle, mx.base.NDArrayHandle), writable=False)
        stat = None if name.endswith(SCRATCH_SUFFIX) else default_stat(mx, array)
        seen.append([name, list(array.shape), stat])
    exe.set_monitor_callback(callback, monitor_all)
    exe.forward(is_train=is_train)
    return seen


def monitor_batches(mx, exe, interval, pattern, sort, monitor_all):
    """``Monitor.toc()`` after each of three training forwards (parameters change between)."""
    mon = mx.mon.Monitor(interval, pattern=pattern, sort=sort, monitor_all=monitor_all)
    mon.install(exe)
    results = []
    for _ in range(3):
        mon.tic()
        exe.forward(is_train=True)
        results.append([[step, name, None if name.endswith(SCRATCH_SUFFIX) else text]
                        for step, name, text in mon.toc()])
        for array in exe.arg_dict.values():
            array[:] = array * 0.5
    return results


MONITOR_CASES = {
    'every_batch': dict(interval=1, pattern='.*', sort=False, monitor_all=False),
    'sorted_outputs_and_weights': dict(interval=1, pattern='.*weight|.*output', sort=True,
                                       monitor_all=False),
    'inputs_every_second_batch': dict(interval=2, pattern='.*', sort=False, monitor_all=True),
}


def record_net(mx, name):
    build, shapes = NETS[name]
    record = {'reports': {}, 'monitor': {}}
    for is_train in (False, True):
        for monitor_all in (False, True):
            key = '%s/%s' % ('train' if is_train else 'infer', 'all' if monitor_all else 'outputs')
            record['reports'][key] = reports(mx, bind(mx, build, shapes), is_train, monitor_all)
    for case, options in MONITOR_CASES.items():
        record['monitor'][case] = monitor_batches(mx, bind(mx, build, shapes), **options)
    record['debug_str'] = bind(mx, build, shapes, grad_req='null').debug_str()
    return record


def ops_without_golden_cases(mx):
    """{id: (symbol, input shapes)} for operators the operator golden cases do not cover."""
    x, indices = mx.sym.Variable('x'), mx.sym.Variable('indices', dtype='int32')
    draws = ['normal', 'uniform', 'exponential', 'gamma', 'poisson', 'negative_binomial',
             'generalized_negative_binomial']
    symbols = {'%s_like' % draw: getattr(mx.sym.random, draw + '_like')(x) for draw in draws}
    symbols.update({
        'shuffle': mx.sym.random.shuffle(x),
        'split_v2': mx.sym.split_v2(x, 2, axis=1),
        'batch_take': mx.sym.batch_take(x, indices),
        'softmax_cross_entropy': mx.sym.softmax_cross_entropy(x, mx.sym.Variable('label')),
    })
    shapes = {'x': (2, 4), 'indices': (2,), 'label': (2,)}
    return {name: (sym, {k: v for k, v in shapes.items() if k in sym.list_arguments()})
            for name, sym in symbols.items()}


def record_op_names(mx):
    """{family: {case id: names reported with monitor_all}} for every operator golden case."""
    import zlib
    import numpy as np
    sys.path.insert(0, os.path.join(HERE, os.pardir, 'ops'))
    sys.path.insert(0, HERE)
    from golden_case import build_symbol, shapes_of
    from make_ops_golden import make_value, recipe_for
    from op_cases import families
    names = {}
    for family, make_cases in families().items():
        for spec in make_cases():
            spec = json.loads(json.dumps(spec))
            exe = build_symbol(mx, spec).simple_bind(mx.cpu(), grad_req='null',
                                                     type_dict=spec['types'], **shapes_of(spec))
            rng = np.random.RandomState(zlib.crc32(spec['id'].encode()))
            for arg, array in list(exe.arg_dict.items()) + list(exe.aux_dict.items()):
                array[:] = make_value(recipe_for(arg, array.dtype, spec['values']), array.shape,
                                      array.dtype, rng)
            reported = reports(mx, exe, False, True)
            names.setdefault(family, {})[spec['id']] = [name for name, _, _ in reported]
    with mx.name.NameManager():
        extra = ops_without_golden_cases(mx)
    for case_id, (sym, shapes) in extra.items():
        exe = sym.simple_bind(mx.cpu(), grad_req='null', **shapes)
        names.setdefault('without_golden_cases', {})[case_id] = {
            'symbol': sym.tojson(),
            'names': [name for name, _, _ in reports(mx, exe, False, True)]}
    return names


def main():
    os.environ['MXNET_SUBGRAPH_BACKEND'] = 'NONE'
    import mxnet as mx
    os.makedirs(OUT_DIR, exist_ok=True)
    nets = {name: record_net(mx, name) for name in NETS}
    with mx.name.NameManager():
        sym = docstring_example(mx)
    nets['docstring_example'] = {'debug_str': sym.bind(
        mx.cpu(), {'a': mx.nd.array([1, 2])}).debug_str()}
    with open(os.path.join(OUT_DIR, 'nets.json'), 'w') as handle:
        json.dump(nets, handle, indent=1)
        handle.write('\n')
    with open(os.path.join(OUT_DIR, 'op_names.json'), 'w') as handle:
        json.dump(record_op_names(mx), handle, indent=0, sort_keys=True)
        handle.write('\n')


if __name__ == '__main__':
    main()
