"""Golden data for the module family beyond `Module`, recorded from MXNet 1.9.1.

Run it with MXNet 1.9.1 installed (it needs numpy < 1.24):

    python tests/golden/make_bucketing_golden.py

It writes ``module/module_family.json`` (the lines each run's `fit` logs, without times, and
its score) and ``module/module_family.npz`` (each run's parameters after training, and its
predictions), for:

- ``bucketing``: `BucketingModule.fit` of a two-layer `mx.rnn` LSTM language model over a
  `BucketSentenceIter` with three buckets, SGD with momentum, from fixed initial weights;
- ``sequential``: `SequentialModule.fit` of two chained Modules (the second auto-wired, taking
  the labels), Adam;
- ``python_loss``: `SequentialModule.fit` of a Module closed by a `PythonLossModule` whose
  `grad_func` is the multi-class hinge loss's gradient, SGD with momentum.

The tests import the ``run_*`` functions from here and run them with mxsym, so both sides
execute the same code; hence MXNet is imported in ``main`` only.
"""
import json
import logging
import os
import random

import numpy as np

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'module')
VOCAB, EMBED, HIDDEN, BATCH = 20, 8, 10, 4
BUCKETS = [4, 8, 12]


class _Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def _quiet_logger(name):
    """A logger whose messages are kept (see `_logged`) rather than printed."""
    logger = logging.getLogger(name)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    logger.addHandler(_Lines())
    return logger


def _logged(logger):
    return [line for line in logger.handlers[0].lines if 'Time cost' not in line]


def _initial_args(mx, symbol, input_shapes, rng):
    """Uniform(-0.3, 0.3) values for every argument that is not an input."""
    arg_shapes, _, _ = symbol.infer_shape(**input_shapes)
    return {name: mx.nd.array(rng.uniform(-0.3, 0.3, size=shape))
            for name, shape in zip(symbol.list_arguments(), arg_shapes)
            if name not in input_shapes}


def _params_arrays(module):
    arg_params, aux_params = module.get_params()
    arrays = {'arg:' + k: v.asnumpy() for k, v in arg_params.items()}
    arrays.update({'aux:' + k: v.asnumpy() for k, v in aux_params.items()})
    return arrays


# ---------------------------------------------------------------- BucketingModule

def lstm_sym_gen(mx):
    """The sym_gen of a two-layer LSTM language model: one unrolled graph per length."""
    stack = mx.rnn.SequentialRNNCell()
    for i in range(2):
        stack.add(mx.rnn.LSTMCell(num_hidden=HIDDEN, prefix='lstm_l%d_' % i))

    def sym_gen(seq_len):
        data = mx.sym.Variable('data')
        label = mx.sym.Variable('softmax_label')
        embed = mx.sym.Embedding(data=data, input_dim=VOCAB, output_dim=EMBED, name='embed')
        stack.reset()
        outputs, _ = stack.unroll(seq_len, inputs=embed, merge_outputs=True)
        pred = mx.sym.Reshape(outputs, shape=(-1, HIDDEN))
        pred = mx.sym.FullyConnected(data=pred, num_hidden=VOCAB, name='pred')
        label = mx.sym.Reshape(label, shape=(-1,))
        pred = mx.sym.SoftmaxOutput(data=pred, label=label, name='softmax')
        return pred, ('data',), ('softmax_label',)
    return sym_gen


def bucket_sentences(mx):
    """A BucketSentenceIter over 40 sentences of 3 to 11 words; its shuffles are seeded."""
    rng = np.random.RandomState(0)
    sentences = [list(rng.randint(1, VOCAB, size=rng.randint(3, 12))) for _ in range(40)]
    random.seed(1)
    np.random.seed(1)
    return mx.rnn.BucketSentenceIter(sentences, BATCH, buckets=BUCKETS, invalid_label=0)


def run_bucketing(mx, **module_kwargs):
    """Fit the LSTM language model for two epochs; returns (log lines, score, arrays, the
    module)."""
    train = bucket_sentences(mx)
    sym_gen = lstm_sym_gen(mx)
    logger = _quiet_logger('bucketing')
    mod = mx.mod.BucketingModule(sym_gen, default_bucket_key=train.default_bucket_key,
                                 logger=logger, **module_kwargs)
    symbol = sym_gen(train.default_bucket_key)[0]
    shapes = {desc.name: desc.shape for desc in train.provide_data + train.provide_label}
    args = _initial_args(mx, symbol, shapes, np.random.RandomState(2))
    mod.fit(train, eval_data=train, eval_metric=mx.metric.Perplexity(0), optimizer='sgd',
            optimizer_params={'learning_rate': 0.5, 'momentum': 0.9, 'wd': 1e-4},
            arg_params=args, num_epoch=2)
    score = mod.score(train, mx.metric.Perplexity(0))
    arrays = _params_arrays(mod)
    arrays['predict'] = mod.predict(train).asnumpy()
    return _logged(logger), score, arrays, mod


# ---------------------------------------------------------------- SequentialModule

def _classification_data(mx, features, classes):
    rng = np.random.RandomState(3)
    data = rng.normal(size=(24, features)).astype(np.float32)
    label = rng.randint(0, classes, size=24).astype(np.float32)
    return mx.io.NDArrayIter(data, label, batch_size=6)


def run_sequential(mx):
    """Fit a hidden layer chained to an auto-wired softmax classifier; returns (log lines,
    score, arrays, the module)."""
    train = _classification_data(mx, 5, 3)
    hidden = mx.sym.Activation(mx.sym.FullyConnected(mx.sym.Variable('data'), num_hidden=7,
                                                     name='fc1'), act_type='tanh', name='act1')
    head = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(mx.sym.Variable('features'),
                                                      num_hidden=3, name='fc2'),
                                name='softmax')
    rng = np.random.RandomState(4)
    args = _initial_args(mx, hidden, {'data': (6, 5)}, rng)
    args.update(_initial_args(mx, head, {'features': (6, 7), 'softmax_label': (6,)}, rng))
    logger = _quiet_logger('sequential')
    mod = mx.mod.SequentialModule(logger=logger)
    mod.add(mx.mod.Module(hidden, label_names=None, logger=logger))
    mod.add(mx.mod.Module(head, data_names=('features',), logger=logger), take_labels=True,
            auto_wiring=True)
    mod.fit(train, eval_data=train, eval_metric='acc', optimizer='adam',
            optimizer_params={'learning_rate': 0.05}, arg_params=args, num_epoch=3)
    score = mod.score(train, 'ce')
    arrays = _params_arrays(mod)
    arrays['predict'] = mod.predict(train).asnumpy()
    return _logged(logger), score, arrays, mod


# ---------------------------------------------------------------- PythonLossModule

def hinge_grad(scores, labels):
    """The multi-class hinge loss's gradient with respect to the scores (numpy)."""
    scores = scores.asnumpy()
    labels = labels.asnumpy().astype(int)
    grad = np.zeros_like(scores)
    for i, label in enumerate(labels):
        margin = 1 + scores[i] - scores[i, label]
        margin[label] = 0
        grad[i, label] -= 1
        grad[i, margin.argmax()] += 1
    return grad


def run_python_loss(mx):
    """Fit a linear scorer under a PythonLossModule hinge loss; returns (log lines, score,
    arrays, the module)."""
    train = _classification_data(mx, 5, 4)
    scores = mx.sym.FullyConnected(mx.sym.Variable('data'), num_hidden=4, name='fc')
    args = _initial_args(mx, scores, {'data': (6, 5)}, np.random.RandomState(5))
    logger = _quiet_logger('python_loss')
    mod = mx.mod.SequentialModule(logger=logger)
    mod.add(mx.mod.Module(scores, label_names=None, logger=logger))
    mod.add(mx.mod.PythonLossModule(grad_func=hinge_grad, logger=logger), take_labels=True,
            auto_wiring=True)
    mod.fit(train, eval_data=train, eval_metric='acc',
            optimizer_params={'learning_rate': 0.1, 'momentum': 0.9}, arg_params=args,
            num_epoch=3)
    score = mod.score(train, 'acc')
    arrays = _params_arrays(mod)
    arrays['predict'] = mod.predict(train).asnumpy()
    return _logged(logger), score, arrays, mod


RUNS = {'bucketing': run_bucketing, 'sequential': run_sequential,
        'python_loss': run_python_loss}


def main():
    import mxnet as mx
    os.makedirs(HERE, exist_ok=True)
    records, arrays = {}, {}
    for name, run in RUNS.items():
        lines, score, run_arrays, _ = run(mx)
        records[name] = {'lines': lines, 'score': score}
        arrays.update({'%s/%s' % (name, k): v for k, v in run_arrays.items()})
    with open(os.path.join(HERE, 'module_family.json'), 'w') as f:
        json.dump(records, f, indent=1, sort_keys=True)
    np.savez_compressed(os.path.join(HERE, 'module_family.npz'), **arrays)


if __name__ == '__main__':
    main()
