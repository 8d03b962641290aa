"""Tests for mxsym/rnn/io.py: encode_sentences and BucketSentenceIter against MXNet 1.9.1's
results recorded by tests/golden/make_rnn_golden.py (same seeds, same batches)."""
import contextlib
import io
import json
import os
import random
import sys

import numpy as np
import pytest

import mxsym as mx
from mxsym.base import MXNetError

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, 'golden')
sys.path.insert(0, GOLDEN)
from rnn_cases import IO_CASES, SENTENCES  # noqa: E402

with open(os.path.join(GOLDEN, 'rnn_io.json')) as _handle:
    RECORDED = json.load(_handle)


def descs(descriptions):
    return [[d.name, list(d.shape), d.layout] for d in descriptions]


@pytest.mark.parametrize('case', sorted(IO_CASES['iterators']))
def test_bucket_sentence_iter_batches(case):
    expected = RECORDED['iterators'][case]
    random.seed(3)
    np.random.seed(4)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        data_iter = mx.rnn.BucketSentenceIter(SENTENCES, **IO_CASES['iterators'][case])
    assert printed.getvalue() == expected['printed']
    assert data_iter.buckets == expected['buckets']
    assert data_iter.default_bucket_key == expected['default_bucket_key']
    assert descs(data_iter.provide_data) == expected['provide_data']
    dtype = IO_CASES['iterators'][case].get('dtype', 'float32')
    for recorded_epoch in expected['epochs']:
        batches = list(data_iter)
        assert len(batches) == len(recorded_epoch)
        for batch, recorded in zip(batches, recorded_epoch):
            assert batch.data[0].dtype == np.dtype(dtype)
            assert batch.data[0].asnumpy().tolist() == recorded['data']
            assert batch.label[0].asnumpy().tolist() == recorded['label']
            assert (batch.bucket_key, batch.pad) == (recorded['bucket_key'], recorded['pad'])
            assert descs(batch.provide_data) == recorded['provide_data']
            assert descs(batch.provide_label) == recorded['provide_label']
        data_iter.reset()


def test_bucket_sentence_iter_bad_layout():
    with pytest.raises(MXNetError, match='Invalid layout TC'):
        mx.rnn.BucketSentenceIter(SENTENCES, 2, buckets=[8], layout='TC')


@pytest.mark.parametrize('case', sorted(IO_CASES['encodings']))
def test_encode_sentences(case):
    sentences, vocab = mx.rnn.encode_sentences(**IO_CASES['encodings'][case])
    assert sentences == RECORDED['encodings'][case]['sentences']
    assert sorted(vocab.items()) == [tuple(item) for item in
                                     RECORDED['encodings'][case]['vocab']]


def test_encode_sentences_unknown_word_without_token():
    with pytest.raises(MXNetError, match='Unknown token dog'):
        mx.rnn.encode_sentences([['cat', 'dog']], vocab={'cat': 1})
