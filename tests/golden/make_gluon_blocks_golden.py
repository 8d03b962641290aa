"""Record the Gluon block golden data (gluon_blocks_cases.py) from MXNet 1.9.1 into
gluon_blocks.npz (arrays) and gluon_blocks.json (parameter names and symbol JSON texts).

    $(bash ../shared/tools/mxref.sh) tests/golden/make_gluon_blocks_golden.py
"""
import json
import os
import sys

import mxnet as mx
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gluon_blocks_cases import CASES, run  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    arrays, texts = {}, {}
    for name in CASES:
        for hybridize in (False, True):
            mode = 'hybrid' if hybridize else 'imperative'
            for key, value in run(mx, name, hybridize).items():
                target = texts if isinstance(value, str) else arrays
                target['%s/%s/%s' % (name, mode, key)] = value
    np.savez_compressed(os.path.join(HERE, 'gluon_blocks.npz'), **arrays)
    with open(os.path.join(HERE, 'gluon_blocks.json'), 'w') as out:
        json.dump(texts, out, indent=1, sort_keys=True)


if __name__ == '__main__':
    main()
