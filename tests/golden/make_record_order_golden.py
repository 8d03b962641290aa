"""Record the order in which MXNet 1.9.1's ImageRecordIter reads records (shuffle, parts,
sub-parts, chunks, index) into tests/golden/record_order.json, for
tests/test_io_record_order.py. Each case is read twice and must agree (MXNet's reader
prefetches on threads).

    bash ../shared/tools/mxref.sh tests/golden/make_record_order_golden.py
"""
import hashlib
import json
import os
import sys
import tempfile

import mxnet as mx

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from record_order_cases import CASES, FILES, read_labels, write_file  # noqa: E402


def main():
    out = {'files': {}, 'cases': {}}
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for name in FILES:
            rec, idx = os.path.join(tmp, name + '.rec'), os.path.join(tmp, name + '.idx')
            write_file(mx.recordio, rec, idx, name)
            with open(rec, 'rb') as fin:
                out['files'][name] = hashlib.sha256(fin.read()).hexdigest()
            paths[name] = rec, idx
        for case, name, indexed, epochs, kwargs in CASES:
            runs = [read_labels(mx.io, *paths[name], indexed, epochs, kwargs,
                                FILES[name][0]) for _ in range(2)]
            assert runs[0] == runs[1], case
            out['cases'][case] = runs[0]
    with open(os.path.join(HERE, 'record_order.json'), 'w') as fout:
        json.dump(out, fout, separators=(',', ':'))


if __name__ == '__main__':
    main()
