"""Record mx.test_utils golden data from MXNet 1.9.1: every case of test_utils_cases.py, as what
it returned (or the class it raised) and what it printed.

    bash ../shared/tools/mxref.sh tests/golden/make_test_utils_golden.py
"""
import json
import os
import sys
import tempfile

# MKLDNN's FullyConnected keeps the weights of its first forward, so finite differences in a
# weight would read zero; the reference CPU kernels are used instead.
os.environ['MXNET_MKLDNN_ENABLED'] = '0'
os.environ['MXNET_STORAGE_FALLBACK_LOG_VERBOSE'] = '0'
import mxnet as mx  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_utils_cases import all_cases, outcome  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    with tempfile.TemporaryDirectory() as directory:
        cases = all_cases(mx, directory)
        record = {name: outcome(cases[name]) for name in sorted(cases)}
    with open(os.path.join(HERE, 'test_utils.json'), 'w') as f:
        f.write('{\n%s\n}\n' % ',\n'.join('%s: %s' % (json.dumps(name), json.dumps(value))
                                          for name, value in record.items()))
    print('wrote %d cases (MXNet %s)' % (len(record), mx.__version__))


if __name__ == '__main__':
    main()
