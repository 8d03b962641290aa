"""Write rnn.json and rnn.npz: for the graphs of rnn_cases.py, MXNet 1.9.1's JSON text,
argument and output names, the cell's state_info and parameter names, forward outputs,
gradients, and the cell's unpacked weights; and rnn_io.json: encode_sentences' results and the
batches of BucketSentenceIter under fixed seeds.

Run with MXNet 1.9.1 installed (``python make_rnn_golden.py``); tests/rnn/test_rnn_cell.py and
tests/rnn/test_io.py check that mxsym reproduces every case.
"""
import contextlib
import io
import json
import os
import random
import warnings
import zlib

import mxnet as mx
import numpy as np

from rnn_cases import CASES, FUSED_PAIRS, IO_CASES, RANDOM, SENTENCES

HERE = os.path.dirname(os.path.abspath(__file__))


def build(case):
    """The case's (symbol, input shapes, cell), named as in a fresh process."""
    with mx.name.NameManager(), warnings.catch_warnings():
        warnings.simplefilter('ignore')
        return CASES[case](mx)


def draw_values(case, sym, shapes):
    """Uniform(-1, 1) values for every argument, from a seed of the case's name."""
    arg_shapes, _, _ = sym.infer_shape(**shapes)
    rng = np.random.RandomState(zlib.crc32(case.encode()))
    return {name: rng.uniform(-1, 1, shape).astype(np.float32)
            for name, shape in zip(sym.list_arguments(), arg_shapes)}


def unpacked(cell, values):
    """The cell's unpack_weights of `values`; None where MXNet finds no weights under the
    cell's own names (cells sharing another prefix's params)."""
    try:
        result = cell.unpack_weights({k: mx.nd.array(v) for k, v in values.items()})
    except KeyError:
        return None
    return {name: value.asnumpy() for name, value in result.items()}


def record(case, arrays, values):
    sym, _, cell = build(case)
    names = sym.list_arguments()
    differentiate = case not in RANDOM
    exe = sym.bind(mx.cpu(), {n: mx.nd.array(values[n]) for n in names},
                   args_grad={n: mx.nd.zeros(values[n].shape) for n in names}
                   if differentiate else None)
    inference = [o.asnumpy() for o in exe.forward(is_train=False)]
    for name in names:
        arrays['%s/arg/%s' % (case, name)] = values[name]
    for i, out in enumerate(inference):
        arrays['%s/out/%d' % (case, i)] = out
    if differentiate:
        training = [o.asnumpy() for o in exe.forward(is_train=True)]
        rng = np.random.RandomState(42)
        heads = [rng.uniform(-1, 1, o.shape).astype(np.float32) for o in training]
        exe.backward([mx.nd.array(h) for h in heads])
        for name in names:
            arrays['%s/grad/%s' % (case, name)] = exe.grad_dict[name].asnumpy()
        for i, (out, head) in enumerate(zip(training, heads)):
            arrays['%s/train_out/%d' % (case, i)] = out
            arrays['%s/head/%d' % (case, i)] = head
    unpacked_values = unpacked(cell, values)
    for name, value in (unpacked_values or {}).items():
        arrays['%s/unpacked/%s' % (case, name)] = value
    return {'json': sym.tojson(), 'arguments': names, 'outputs': sym.list_outputs(),
            'output_shapes': [list(o.shape) for o in inference],
            'state_info': [{k: list(v) if k == 'shape' else v for k, v in info.items()}
                           for info in cell.state_info],
            'params': sorted(cell.params._params),
            'unpacked': sorted(unpacked_values) if unpacked_values is not None else None}


def case_values(case):
    """Fresh values; an unfused stack gets its fused pair's weights, unpacked and packed."""
    sym, shapes, cell = build(case)
    if case not in FUSED_PAIRS:
        return draw_values(case, sym, shapes)
    fused_case = FUSED_PAIRS[case]
    _, _, fused = build(fused_case)
    fused_values = case_values(fused_case)
    packed = cell.pack_weights({k: mx.nd.array(v)
                                for k, v in unpacked(fused, fused_values).items()})
    return {name: packed[name].asnumpy() for name in sym.list_arguments()}


def record_iterator(kwargs):
    """Two epochs of batches (data, label, bucket_key, shapes), seeds 3 and 4, and what the
    iterator prints."""
    random.seed(3)
    np.random.seed(4)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        data_iter = mx.rnn.BucketSentenceIter(SENTENCES, **kwargs)
    epochs = []
    for _ in range(2):
        epochs.append([{'data': batch.data[0].asnumpy().tolist(),
                        'label': batch.label[0].asnumpy().tolist(),
                        'bucket_key': batch.bucket_key, 'pad': batch.pad,
                        'provide_data': [[d.name, list(d.shape), d.layout]
                                         for d in batch.provide_data],
                        'provide_label': [[d.name, list(d.shape), d.layout]
                                          for d in batch.provide_label]}
                       for batch in data_iter])
        data_iter.reset()
    return {'buckets': data_iter.buckets, 'default_bucket_key': data_iter.default_bucket_key,
            'provide_data': [[d.name, list(d.shape), d.layout] for d in data_iter.provide_data],
            'printed': printed.getvalue(), 'epochs': epochs}


def record_encoding(kwargs):
    sentences, vocab = mx.rnn.encode_sentences(**kwargs)
    return {'sentences': sentences, 'vocab': sorted(vocab.items())}


def main():
    arrays = {}
    golden = {case: record(case, arrays, case_values(case)) for case in CASES}
    with open(os.path.join(HERE, 'rnn.json'), 'w') as out:
        json.dump(golden, out, indent=1, sort_keys=True)
    np.savez_compressed(os.path.join(HERE, 'rnn.npz'), **arrays)
    golden_io = {'iterators': {name: record_iterator(kwargs)
                               for name, kwargs in IO_CASES['iterators'].items()},
                 'encodings': {name: record_encoding(kwargs)
                               for name, kwargs in IO_CASES['encodings'].items()}}
    with open(os.path.join(HERE, 'rnn_io.json'), 'w') as out:
        json.dump(golden_io, out, indent=1, sort_keys=True)


if __name__ == '__main__':
    main()
