"""`mx.rnn.io`: sentences as integer sequences, and a bucketing iterator for language models."""
import bisect
import random

import numpy as np

from .. import ndarray as nd
from ..base import MXNetError
from ..io import DataBatch, DataDesc, DataIter


def encode_sentences(sentences, vocab=None, invalid_label=-1, invalid_key='\n', start_label=0,
                     unknown_token=None):
    """(sentences as lists of indices, vocabulary). Tokens missing from `vocab` get new indices
    from `start_label` on (skipping `invalid_label`), when the vocabulary is built here or
    `unknown_token` stands for them."""
    new_vocab = vocab is None
    if new_vocab:
        vocab = {invalid_key: invalid_label}
    index = start_label
    encoded = []
    for sentence in sentences:
        coded = []
        for word in sentence:
            if word not in vocab:
                if not (new_vocab or unknown_token):
                    raise MXNetError('Unknown token %s' % word)
                if index == invalid_label:
                    index += 1
                if unknown_token:
                    word = unknown_token
                vocab[word] = index
                index += 1
            coded.append(vocab[word])
        encoded.append(coded)
    return encoded, vocab


class BucketSentenceIter(DataIter):
    """Batches of equal-length sentences, each padded with `invalid_label` to the smallest bucket
    that holds it; the label of each step is the next token. Layout 'NT' gives
    (batch, length) batches, 'TN' (length, batch)."""

    def __init__(self, sentences, batch_size, buckets=None, invalid_label=-1, data_name='data',
                 label_name='softmax_label', dtype='float32', layout='NT'):
        super().__init__()
        if not buckets:
            buckets = [length for length, count in
                       enumerate(np.bincount([len(s) for s in sentences])) if count >= batch_size]
        buckets.sort()
        self.major_axis = layout.find('N')
        if self.major_axis not in (0, 1):
            raise MXNetError('Invalid layout %s: Must by NT (batch major) or TN (time major)'
                             % layout)
        padded = [[] for _ in buckets]
        discarded = 0
        for sentence in sentences:
            bucket = bisect.bisect_left(buckets, len(sentence))
            if bucket == len(buckets):
                discarded += 1
                continue
            row = np.full((buckets[bucket],), invalid_label, dtype=dtype)
            row[:len(sentence)] = sentence
            padded[bucket].append(row)
        self.buckets = [size for size, rows in zip(buckets, padded) if rows]
        self.data = [np.asarray(rows, dtype=dtype) for rows in padded if rows]
        print('WARNING: discarded %d sentences longer than the largest bucket.' % discarded)

        self.batch_size = batch_size
        self.data_name = data_name
        self.label_name = label_name
        self.dtype = dtype
        self.invalid_label = invalid_label
        self.nddata = []
        self.ndlabel = []
        self.layout = layout
        self.default_bucket_key = max(self.buckets)
        shape = self._batch_shape(self.default_bucket_key)
        self.provide_data = [DataDesc(name=data_name, shape=shape, layout=layout)]
        self.provide_label = [DataDesc(name=label_name, shape=shape, layout=layout)]
        self.idx = [(i, j) for i, rows in enumerate(self.data)
                    for j in range(0, len(rows) - batch_size + 1, batch_size)]
        self.curr_idx = 0
        self.reset()

    def _batch_shape(self, length):
        if self.major_axis == 0:
            return (self.batch_size, length)
        return (length, self.batch_size)

    def reset(self):
        """Shuffle the batches and the sentences in each bucket; start again."""
        self.curr_idx = 0
        random.shuffle(self.idx)
        for rows in self.data:
            np.random.shuffle(rows)
        self.nddata = []
        self.ndlabel = []
        for rows in self.data:
            label = np.empty_like(rows)
            label[:, :-1] = rows[:, 1:]
            label[:, -1] = self.invalid_label
            self.nddata.append(nd.array(rows, dtype=self.dtype))
            self.ndlabel.append(nd.array(label, dtype=self.dtype))

    def next(self):
        """The next batch, its bucket_key the bucket's length."""
        if self.curr_idx == len(self.idx):
            raise StopIteration
        i, j = self.idx[self.curr_idx]
        self.curr_idx += 1
        data = self.nddata[i][j:j + self.batch_size]
        label = self.ndlabel[i][j:j + self.batch_size]
        if self.major_axis == 1:
            data, label = data.T, label.T
        return DataBatch([data], [label], pad=0, bucket_key=self.buckets[i],
                         provide_data=[DataDesc(name=self.data_name, shape=data.shape,
                                                layout=self.layout)],
                         provide_label=[DataDesc(name=self.label_name, shape=label.shape,
                                                 layout=self.layout)])
