"""mx.io.ImageRecordIter visits records in MXNet 1.9.1's order: shuffled per 8 MiB chunk by
one std::mt19937 engine that runs on across chunks and epochs, parts and sub-parts
(shuffle_chunk_size) by bytes or by index, the round_batch wrap into the next pass, and the
last batch's pad (0 without round_batch, as MXNet reports it)."""
import functools
import hashlib
import json
import os
import sys

import pytest

import mxsym as mx
from mxsym.io.std_random import Mt19937

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'golden')
sys.path.insert(0, GOLDEN)
from record_order_cases import CASES, FILES, read_labels, write_file  # noqa: E402


@functools.lru_cache(maxsize=None)
def golden():
    with open(os.path.join(GOLDEN, 'record_order.json')) as fin:
        return json.load(fin)


@pytest.fixture(scope='module')
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp('record_order')
    made = {}

    def get(name):
        if name not in made:
            rec, idx = str(folder / (name + '.rec')), str(folder / (name + '.idx'))
            write_file(mx.recordio, rec, idx, name)
            with open(rec, 'rb') as fin:
                assert hashlib.sha256(fin.read()).hexdigest() == golden()['files'][name]
            made[name] = rec, idx
        return made[name]
    return get


@pytest.mark.parametrize('case', CASES, ids=[c[0] for c in CASES])
def test_labels_in_mxnet_order(files, case):
    name, file_name, indexed, epochs, kwargs = case
    assert read_labels(mx.io, *files(file_name), indexed, epochs, kwargs,
                       FILES[file_name][0]) == \
        golden()['cases'][name]


def test_engine_state_carries_over_shuffles():
    engine = Mt19937(111)
    first, second = engine.shuffle(list(range(10))), engine.shuffle(list(range(10)))
    assert first == [3, 4, 9, 2, 1, 6, 7, 0, 5, 8]
    assert second == [4, 0, 8, 5, 7, 2, 1, 9, 6, 3]
