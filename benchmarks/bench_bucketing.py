"""Training samples per second of an LSTM language model under `mx.mod.BucketingModule`
(MXNet 1.9.1's lstm_bucketing example at a CPU-friendly size), mxsym against MXNet 1.9.1 on the
same machine and the same sentences.

    python benchmarks/bench_bucketing.py [--mxnet-python PYTHON_WITH_MXNET]
        [--sentences 2000] [--batch-size 32] [--hidden 200] [--vocab 2000] [--epochs 2]

Draws `--sentences` sentences of 5 to 39 random words (seed 0), buckets them by length
(10, 20, 30, 40) with `mx.rnn.BucketSentenceIter` and, in a fresh process per framework, fits a
2-layer `mx.rnn.LSTMCell` stack (embedding and hidden size `--hidden`) with SGD and the
Perplexity metric: one epoch first (binding and compiling every bucket), then `--epochs`
timed epochs. Prints a markdown table: samples/s per framework and mxsym/MXNet.
"""
import argparse
import json
import logging
import os
import sys
import time

import numpy as np

from fresh_process import measured

BUCKETS = [10, 20, 30, 40]


def sentences(count, vocab):
    rng = np.random.RandomState(0)
    return [list(rng.randint(1, vocab, rng.randint(5, BUCKETS[-1]))) for _ in range(count)]


def worker(framework, args):
    """Run in a fresh process: training samples/s of the bucketing LSTM under `framework`."""
    mx = __import__(framework)
    np.random.seed(0)
    data = mx.rnn.BucketSentenceIter(sentences(args.sentences, args.vocab), args.batch_size,
                                     buckets=BUCKETS, invalid_label=0)
    stack = mx.rnn.SequentialRNNCell()
    for i in range(2):
        stack.add(mx.rnn.LSTMCell(num_hidden=args.hidden, prefix='lstm_l%d_' % i))

    def sym_gen(seq_len):
        embed = mx.sym.Embedding(mx.sym.Variable('data'), input_dim=args.vocab,
                                 output_dim=args.hidden, name='embed')
        stack.reset()
        outputs, _ = stack.unroll(seq_len, inputs=embed, merge_outputs=True)
        pred = mx.sym.FullyConnected(mx.sym.Reshape(outputs, shape=(-1, args.hidden)),
                                     num_hidden=args.vocab, name='pred')
        label = mx.sym.Reshape(mx.sym.Variable('softmax_label'), shape=(-1,))
        return (mx.sym.SoftmaxOutput(pred, label=label, name='softmax'), ('data',),
                ('softmax_label',))

    model = mx.mod.BucketingModule(sym_gen, default_bucket_key=data.default_bucket_key,
                                   context=mx.cpu())
    fit_args = dict(eval_metric=mx.metric.Perplexity(0), optimizer='sgd',
                    optimizer_params={'learning_rate': 0.01, 'wd': 1e-5},
                    initializer=mx.init.Xavier(factor_type='in', magnitude=2.34))
    batches = sum(1 for _ in data)
    data.reset()
    logging.disable(logging.WARNING)   # the second fit's "already initialized" notes
    model.fit(data, num_epoch=1, **fit_args)
    start = time.perf_counter()
    model.fit(data, begin_epoch=1, num_epoch=1 + args.epochs, **fit_args)
    model.get_params()   # waits for the last update
    return args.epochs * batches * args.batch_size / (time.perf_counter() - start)


def timed_in(python, framework, args):
    command = [python, os.path.abspath(__file__), '--worker', framework]
    for name in ('sentences', 'batch_size', 'hidden', 'vocab', 'epochs'):
        command += ['--' + name.replace('_', '-'), str(getattr(args, name))]
    return measured(command)['samples_per_s']


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--mxnet-python', help='a python with MXNet 1.9.1 for the comparison')
    parser.add_argument('--sentences', type=int, default=2000)
    parser.add_argument('--batch-size', type=int, default=32)
    parser.add_argument('--hidden', type=int, default=200)
    parser.add_argument('--vocab', type=int, default=2000)
    parser.add_argument('--epochs', type=int, default=2)
    parser.add_argument('--worker', help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps({'samples_per_s': worker(args.worker, args)}))
        return
    rates = {'mxsym': timed_in(sys.executable, 'mxsym', args)}
    if args.mxnet_python:
        rates['MXNet'] = timed_in(args.mxnet_python, 'mxnet', args)
    print('BucketingModule LSTM LM training, %d sentences in buckets %s, batch %d, 2 layers of '
          '%d, vocabulary %d, %d timed epochs after one\n'
          % (args.sentences, BUCKETS, args.batch_size, args.hidden, args.vocab, args.epochs))
    print('| framework | samples/s |')
    print('|---|---|')
    for name, rate in rates.items():
        print('| %s | %.0f |' % (name, rate))
    if 'MXNet' in rates:
        print('| mxsym/MXNet | %.2f |' % (rates['mxsym'] / rates['MXNet']))


if __name__ == '__main__':
    main()
