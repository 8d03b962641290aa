"""The MXNet 1.9.1 golden data of tests/golden/recordio/ (written by
tests/golden/make_recordio_golden.py): files MXNet wrote and what MXNet read from them."""
import functools
import hashlib
import json
import os

import numpy as np

GOLDEN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'golden', 'recordio')
MAGIC = b'\x0a\x23\xd7\xce'
# the payloads make_recordio_golden.py wrote into payloads.rec under keys 1, 8, 15, ...
PAYLOADS = [b'', b'a', b'ab', b'abc', b'abcd', b'abcde', MAGIC, b'xy' + MAGIC + b'z',
            b'abcd' + MAGIC + b'efgh' + MAGIC + b'ij' + MAGIC, MAGIC + MAGIC, b'q' * 37]


def path(name):
    return os.path.join(GOLDEN_DIR, name)


@functools.lru_cache(maxsize=None)
def golden():
    with open(path('golden.json')) as fin:
        return json.load(fin)


@functools.lru_cache(maxsize=None)
def arrays():
    with np.load(path('golden.npz')) as data:
        return {key: data[key] for key in data.files}


def sha(array):
    """The digest the generator recorded for an array: dtype, shape and bytes."""
    array = np.ascontiguousarray(array)
    return hashlib.sha256(str(array.dtype).encode() + str(array.shape).encode()
                          + array.tobytes()).hexdigest()


def batches(iterator, epochs=2):
    """(data, label, pad) of every batch of `epochs` epochs, resetting between them."""
    out = []
    for _ in range(epochs):
        for batch in iterator:
            out.append((batch.data[0].asnumpy(), batch.label[0].asnumpy(), batch.pad))
        iterator.reset()
    return out
