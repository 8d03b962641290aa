"""The Gluon block golden cases, written once against the `mx` package handed in (MXNet 1.9.1
in the generator, mxsym in tests/gluon/test_block_golden.py): small networks with parameter
values and inputs from fixed seeds, run imperatively or hybridized, forward under
autograd.record and backward from a fixed head gradient.

`run(mx, name, hybridize)` gives {key: numpy array or text}: the parameter names (full and
structural), the outputs, the gradient of every parameter and of the input, the running
statistics after the training forward, an inference-mode forward, and, hybridized, the
exported symbol JSON (for the cells, the JSON of their symbolic unroll).
"""
import json
import os
import tempfile

import numpy as np


def _mlp(mx):
    nn = mx.gluon.nn
    net = nn.HybridSequential(prefix='mlp_')
    with net.name_scope():
        net.add(nn.Dense(8, activation='relu'), nn.Dense(6, activation='tanh', flatten=False),
                nn.Dense(3))
    return net, [(4, 5)]


def _convnet(mx):
    nn = mx.gluon.nn
    net = nn.HybridSequential(prefix='conv_')
    with net.name_scope():
        net.add(nn.Conv2D(4, 3, padding=1), nn.BatchNorm(), nn.Activation('relu'),
                nn.MaxPool2D(), nn.Conv2D(5, (2, 2), strides=2, use_bias=False),
                nn.AvgPool2D(pool_size=1), nn.GlobalAvgPool2D(), nn.Flatten(), nn.Dense(3),
                nn.LayerNorm())
    return net, [(2, 3, 8, 8)]


def _lstm(mx):
    return mx.gluon.rnn.LSTM(5, num_layers=2, layout='NTC', prefix='lstm_'), [(2, 4, 3)]


def _gru(mx):
    return (mx.gluon.rnn.GRU(4, bidirectional=True, prefix='gru_'), [(3, 2, 3)])


class _Unrolled:
    """A stack of cells unrolled over the steps of the input: the outputs merged, and the
    final states."""

    def __init__(self, mx):
        rnn = mx.gluon.rnn
        self.cell = rnn.HybridSequentialRNNCell(prefix='cells_')
        with self.cell.name_scope():
            for cell in (rnn.LSTMCell(4), rnn.GRUCell(3), rnn.RNNCell(2, activation='relu')):
                self.cell.add(cell)

    def __call__(self, x):
        outputs, states = self.cell.unroll(3, x, layout='NTC', merge_outputs=True)
        return [outputs] + list(states)


def _embed(mx):
    nn = mx.gluon.nn
    net = nn.HybridSequential(prefix='embed_')
    with net.name_scope():
        net.add(nn.Embedding(7, 4), nn.Dense(2, flatten=False))
    return net, [(2, 3)]


NETWORKS = {'mlp': _mlp, 'convnet': _convnet, 'lstm': _lstm, 'gru': _gru, 'embed': _embed}
UNROLLED = ('cells',)
CASES = list(NETWORKS) + list(UNROLLED)


def _values(name, shape, seed):
    rng = np.random.RandomState(seed + sum(map(ord, name)))
    return rng.uniform(-1, 1, shape).astype(np.float32)


def _input(name, shape):
    if name == 'embed':
        return np.random.RandomState(3).randint(0, 7, shape).astype(np.float32)
    return _values('input', shape, 0)


def _set_parameters(params):
    for key, param in params.items():
        value = _values(key, param.shape, 1)
        if key.endswith('running_var'):
            value = np.abs(value) + 0.5
        param.set_data(value)


def _outputs(out):
    return list(out) if isinstance(out, (list, tuple)) else [out]


def run(mx, name, hybridize):
    """The results of one case (see the module docstring)."""
    mx.random.seed(0)
    if name in UNROLLED:
        model = _Unrolled(mx)
        block, shapes = model.cell, [(2, 3, 3)]
    else:
        block, shapes = NETWORKS[name](mx)
        model = block
    x = mx.nd.array(_input(name, shapes[0]))
    block.initialize()
    model(x)                        # completes the deferred shapes
    params = block.collect_params()
    _set_parameters(params)
    if hybridize:
        block.hybridize()
    result = {'names': json.dumps(list(params.keys())),
              'structural_names': json.dumps(sorted(block._collect_params_with_prefix()))}
    if name != 'embed':
        x.attach_grad()
    with mx.autograd.record():
        outs = _outputs(model(x))
        heads = [o * mx.nd.array(_values('head%d' % i, o.shape, 2)) for i, o in enumerate(outs)]
    mx.autograd.backward(heads)
    for i, out in enumerate(outs):
        result['output%d' % i] = out.asnumpy()
    for key, param in params.items():
        if param.grad_req != 'null':
            result['grad:' + key] = param.grad().asnumpy()
        elif 'running' in key:
            result['after:' + key] = param.data().asnumpy()
    if name != 'embed':
        result['grad:input'] = x.grad.asnumpy()
    for i, out in enumerate(_outputs(model(x))):
        result['inference%d' % i] = out.asnumpy()
    if name in UNROLLED and not hybridize:
        with mx.name.NameManager():
            outputs, states = model.cell.unroll(3, mx.sym.var('data'), layout='NTC',
                                                merge_outputs=True)
            result['symbol_json'] = mx.sym.Group([outputs] + list(states)).tojson()
    if hybridize and name not in UNROLLED:
        with tempfile.TemporaryDirectory() as folder:
            block.export(os.path.join(folder, 'net'))
            with open(os.path.join(folder, 'net-symbol.json')) as exported:
                result['symbol_json'] = exported.read()
    return result
