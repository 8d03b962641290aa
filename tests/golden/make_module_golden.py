"""Golden data for the training stack (mx.mod, mx.io, mx.metric), recorded from MXNet 1.9.1.

Run it with MXNet 1.9.1 installed (it needs numpy < 1.24):

    python tests/golden/make_module_golden.py

It writes into ``module/``:

- ``fit.json`` / ``fit.npz``: for each case in FIT_CASES, `Module.fit` of a small network on
  fixed data from fixed initial weights: the lines `fit` logs (train and validation metrics per
  epoch), the final parameters and aux states, the checkpoint's symbol file and its parameter
  names, and `predict` on the training data; ``<case>.params`` / ``<case>.states``: the last
  epoch's Module checkpoint (parameters and optimizer states) as MXNet wrote it.
- ``io.json``: every batch (data, label, pad) of `NDArrayIter` over two epochs for each case in
  IO_CASES, and the provided DataDescs.
- ``metric.json``: name and value (local and global) of each metric in METRIC_CASES after
  updates with fixed labels and predictions.

The tests import the case tables and the ``run_*`` functions from here and run them with mxsym,
so both sides execute the same code; hence MXNet is imported in ``main`` only.
"""
import collections
import json
import logging
import os
import tempfile

import numpy as np

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'module')


# ---------------------------------------------------------------- Module.fit

def mlp(mx):
    data = mx.sym.Variable('data')
    net = mx.sym.FullyConnected(data, num_hidden=16, name='fc1')
    net = mx.sym.Activation(net, act_type='relu', name='relu1')
    net = mx.sym.FullyConnected(net, num_hidden=3, name='fc2')
    return mx.sym.SoftmaxOutput(net, name='softmax')


def convnet(mx):
    data = mx.sym.Variable('data')
    # no bias before BatchNorm: its gradient is rounding noise, which Adam would amplify
    net = mx.sym.Convolution(data, kernel=(3, 3), num_filter=4, no_bias=True, name='conv1')
    net = mx.sym.BatchNorm(net, fix_gamma=False, name='bn1')
    net = mx.sym.Activation(net, act_type='relu', name='relu1')
    net = mx.sym.Pooling(net, kernel=(2, 2), stride=(2, 2), pool_type='max', name='pool1')
    net = mx.sym.FullyConnected(net, num_hidden=3, name='fc1')
    return mx.sym.SoftmaxOutput(net, name='softmax')


def mlp_with_multipliers(mx):
    """The MLP with a learning rate and a weight decay multiplier on fc2's weight."""
    data = mx.sym.Variable('data')
    net = mx.sym.FullyConnected(data, num_hidden=16, name='fc1')
    net = mx.sym.Activation(net, act_type='relu', name='relu1')
    weight = mx.sym.Variable('fc2_weight', lr_mult=0.5, wd_mult=3.0)
    net = mx.sym.FullyConnected(net, weight=weight, num_hidden=3, name='fc2')
    return mx.sym.SoftmaxOutput(net, name='softmax')


NETWORKS = {'mlp': (mlp, (8,)), 'convnet': (convnet, (1, 8, 8)),
            'mlp_multipliers': (mlp_with_multipliers, (8,))}


def _factor_schedule(mx):
    return mx.lr_scheduler.FactorScheduler(step=3, factor=0.5)


FitCase = collections.namedtuple(
    'FitCase', 'name network optimizer optimizer_params epochs module_kwargs', defaults=({},))
FitCase.__doc__ = """A `Module.fit` run; optimizer_params values that are functions are called
with the mx module (to build an lr scheduler), module_kwargs go to the Module."""
FIT_CASES = [
    FitCase('mlp_sgd_momentum', 'mlp', 'sgd',
            {'learning_rate': 0.1, 'momentum': 0.9, 'wd': 1e-3}, 3),
    FitCase('mlp_adam', 'mlp', 'adam', {'learning_rate': 0.01, 'wd': 1e-3}, 3),
    FitCase('mlp_rmsprop', 'mlp', 'rmsprop', {'learning_rate': 0.01}, 2),
    FitCase('mlp_adagrad_clip', 'mlp', 'adagrad', {'learning_rate': 0.1, 'clip_gradient': 0.5}, 2),
    FitCase('mlp_nag', 'mlp', 'nag', {'learning_rate': 0.05, 'momentum': 0.9}, 2),
    FitCase('mlp_fixed_multipliers_schedule', 'mlp_multipliers', 'sgd',
            {'learning_rate': 0.1, 'momentum': 0.9, 'wd': 1e-2, 'lr_scheduler': _factor_schedule},
            2, {'fixed_param_names': ['fc1_bias']}),
    FitCase('convnet_sgd_momentum', 'convnet', 'sgd', {'learning_rate': 0.05, 'momentum': 0.9}, 2),
    FitCase('convnet_adam', 'convnet', 'adam', {'learning_rate': 0.01}, 2),
]
NUM_EXAMPLES, BATCH_SIZE = 30, 8   # 4 batches per epoch, the last one padded


def fit_data(network):
    """Fixed inputs, labels and initial parameters for a network."""
    rng = np.random.RandomState(7)
    shape = NETWORKS[network][1]
    data = rng.randn(NUM_EXAMPLES, *shape).astype('float32')
    label = rng.randint(0, 3, NUM_EXAMPLES).astype('float32')
    return data, label, rng


def initial_params(mx, network, rng):
    """Initial (arg_params, aux_params) drawn from `rng` for the network's parameters."""
    sym = NETWORKS[network][0](mx)
    shape = NETWORKS[network][1]
    arg_shapes, _, aux_shapes = sym.infer_shape(data=(BATCH_SIZE,) + shape)
    args = {name: mx.nd.array(rng.uniform(-0.5, 0.5, shp).astype('float32'))
            for name, shp in zip(sym.list_arguments(), arg_shapes)
            if name not in ('data', 'softmax_label')}
    aux = {name: mx.nd.array((np.ones(shp) if 'var' in name else np.zeros(shp))
                             .astype('float32'))
           for name, shp in zip(sym.list_auxiliary_states(), aux_shapes)}
    return args, aux


def optimizer_params(mx, case):
    """The case's optimizer parameters, with the ones given as functions of mx built."""
    return {k: v(mx) if callable(v) else v for k, v in case.optimizer_params.items()}


class _Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def run_fit_case(mx, case, **module_kwargs):
    """Fit one case; returns (log lines, arrays by name, checkpoint: the symbol file, the
    parameter names and the bytes of the last epoch's Module checkpoint, params and
    optimizer states).
    `module_kwargs` go to the Module (e.g. a list of contexts)."""
    name, network, optimizer, _, epochs, fixed_kwargs = case
    data, label, rng = fit_data(network)
    args, aux = initial_params(mx, network, rng)
    train = mx.io.NDArrayIter(data, label, batch_size=BATCH_SIZE)
    logger = logging.getLogger('fit_' + name)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    handler = _Lines()
    logger.addHandler(handler)
    mod = mx.mod.Module(NETWORKS[network][0](mx), logger=logger, **fixed_kwargs,
                        **module_kwargs)
    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, 'ckpt')
        callbacks = [mx.callback.do_checkpoint(prefix),
                     mx.callback.module_checkpoint(mod, prefix + '-module',
                                                   save_optimizer_states=True)]
        mod.fit(train, eval_data=train, eval_metric=['acc', 'ce'], optimizer=optimizer,
                optimizer_params=optimizer_params(mx, case), arg_params=args, aux_params=aux,
                num_epoch=epochs, epoch_end_callback=callbacks)
        with open(prefix + '-symbol.json') as f:
            symbol_json = f.read()
        saved = mx.nd.load('%s-%04d.params' % (prefix, epochs))
        files = {}
        for suffix in ('params', 'states'):
            with open('%s-module-%04d.%s' % (prefix, epochs, suffix), 'rb') as f:
                files[suffix] = f.read()
    logger.removeHandler(handler)
    lines = [line for line in handler.lines if 'Time cost' not in line]
    arg_params, aux_params = mod.get_params()
    arrays = {'arg:' + k: v.asnumpy() for k, v in arg_params.items()}
    arrays.update({'aux:' + k: v.asnumpy() for k, v in aux_params.items()})
    arrays.update({'saved:' + k: v.asnumpy() for k, v in saved.items()})
    arrays['predict'] = mod.predict(train).asnumpy()
    checkpoint = {'symbol_json': symbol_json, 'params': list(saved), 'files': files}
    return lines, arrays, checkpoint


# ---------------------------------------------------------------- NDArrayIter

# (name, data shapes by name or None for one array, label, batch size, last batch handle, shuffle)
IO_CASES = [
    ('pad', 10, 4, 'pad', False),
    ('pad_wraps_more_than_once', 3, 8, 'pad', False),
    ('discard', 10, 4, 'discard', False),
    ('roll_over', 10, 4, 'roll_over', False),
    ('exact', 8, 4, 'pad', False),
    ('shuffle', 10, 4, 'pad', True),
]


def run_io_case(mx, case):
    """Every batch over two epochs, plus the iterator's DataDescs."""
    name, num, batch_size, handle, shuffle = case
    np.random.seed(3)
    data = {'x': np.arange(num * 2, dtype='float32').reshape(num, 2),
            'a': np.arange(num, dtype='float32') * 10}
    label = np.arange(num, dtype='int32') + 100
    it = mx.io.NDArrayIter(data, label, batch_size=batch_size, shuffle=shuffle,
                           last_batch_handle=handle)
    epochs = []
    for _ in range(2):
        epochs.append([{'data': [d.asnumpy().tolist() for d in batch.data],
                        'label': [l.asnumpy().tolist() for l in batch.label],
                        'dtypes': [str(d.dtype) for d in batch.data + batch.label],
                        'pad': batch.pad} for batch in it])
        it.reset()
    descs = [[d.name, list(d.shape), np.dtype(d.dtype).name, d.layout]
             for d in it.provide_data + it.provide_label]
    single = mx.io.NDArrayIter([np.zeros((5, 3)), np.ones((5, 2))], np.zeros(5), batch_size=2)
    descs += [[d.name, list(d.shape), np.dtype(d.dtype).name, d.layout]
              for d in single.provide_data + single.provide_label]
    return {'epochs': epochs, 'descs': descs}


# ---------------------------------------------------------------- metrics

def metric_batches(mx):
    """Three batches of (labels, class probabilities, regression predictions)."""
    rng = np.random.RandomState(11)
    batches = []
    for size in (6, 5, 7):
        probs = rng.uniform(0.05, 1, (size, 4)).astype('float32')
        probs /= probs.sum(axis=1, keepdims=True)
        labels = rng.randint(0, 4, size).astype('float32')
        binary = rng.uniform(0, 1, (size, 2)).astype('float32')
        binary_labels = rng.randint(0, 2, size).astype('float32')
        regression = rng.randn(size).astype('float32')
        batches.append({'probs': mx.nd.array(probs), 'labels': mx.nd.array(labels),
                        'binary': mx.nd.array(binary),
                        'binary_labels': mx.nd.array(binary_labels),
                        'regression': mx.nd.array(regression),
                        'regression_2d': mx.nd.array(regression.reshape(-1, 1) * 2)})
    return batches


def _mean_abs(label, pred):
    return float(np.abs(label - pred.argmax(axis=1)).mean())


# (name, create arguments, kwargs, (label key, prediction key))
METRIC_CASES = [
    ('acc', 'acc', {}, ('labels', 'probs')),
    ('top_k_2', 'top_k_accuracy', {'top_k': 2}, ('labels', 'probs')),
    ('top_k_3', 'top_k_acc', {'top_k': 3}, ('labels', 'probs')),
    ('ce', 'ce', {}, ('labels', 'probs')),
    ('nll', 'nll_loss', {}, ('labels', 'probs')),
    ('perplexity', 'perplexity', {'ignore_label': None}, ('labels', 'probs')),
    ('perplexity_ignore', 'perplexity', {'ignore_label': 2}, ('labels', 'probs')),
    ('mse', 'mse', {}, ('regression', 'regression_2d')),
    ('mae', 'mae', {}, ('regression', 'regression_2d')),
    ('rmse', 'rmse', {}, ('regression', 'regression_2d')),
    ('f1_macro', 'f1', {}, ('binary_labels', 'binary')),
    ('f1_micro', 'f1', {'average': 'micro'}, ('binary_labels', 'binary')),
    ('composite', ['acc', 'ce'], {}, ('labels', 'probs')),
    ('loss', 'loss', {}, ('labels', 'probs')),
    ('custom', _mean_abs, {}, ('labels', 'probs')),
]


def _plain(value):
    return [_plain(v) for v in value] if isinstance(value, (list, tuple)) else (
        value if isinstance(value, str) else float(value))


def run_metric_case(mx, case):
    """get / get_global / get_name_value after two batches, a reset_local and a third."""
    name, spec, kwargs, (label_key, pred_key) = case
    metric = mx.metric.create(spec, **kwargs)
    batches = metric_batches(mx)
    record = {}
    for i, batch in enumerate(batches):
        metric.update([batch[label_key]], [batch[pred_key]])
        if i == 1:
            record['after_two'] = _plain(metric.get())
            metric.reset_local()
    record['get'] = _plain(metric.get())
    record['get_global'] = _plain(metric.get_global())
    record['name_value'] = _plain(metric.get_name_value())
    return record


def main():
    import mxnet as mx
    os.makedirs(HERE, exist_ok=True)
    fits, arrays = {}, {}
    for case in FIT_CASES:
        lines, case_arrays, checkpoint = run_fit_case(mx, case)
        for suffix, content in checkpoint.pop('files').items():
            with open(os.path.join(HERE, '%s.%s' % (case.name, suffix)), 'wb') as f:
                f.write(content)
        fits[case.name] = {'lines': lines, 'checkpoint': checkpoint}
        arrays.update({'%s/%s' % (case.name, k): v for k, v in case_arrays.items()})
    with open(os.path.join(HERE, 'fit.json'), 'w') as f:
        json.dump(fits, f, indent=1, sort_keys=True)
    np.savez_compressed(os.path.join(HERE, 'fit.npz'), **arrays)
    with open(os.path.join(HERE, 'io.json'), 'w') as f:
        json.dump({case[0]: run_io_case(mx, case) for case in IO_CASES}, f)
    with open(os.path.join(HERE, 'metric.json'), 'w') as f:
        json.dump({case[0]: run_metric_case(mx, case) for case in METRIC_CASES}, f, indent=1)


if __name__ == '__main__':
    main()
