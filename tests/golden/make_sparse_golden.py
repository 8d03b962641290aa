"""Record sparse-storage golden data from MXNet 1.9.1: for each expression of sparse_cases.py,
its result's class, storage type, dtype and values (or the error it raises), and the stored
parts (data, indices, indptr) of each conversion.

    bash ../shared/tools/mxref.sh tests/golden/make_sparse_golden.py
"""
import json
import os
import sys

import mxnet as mx
import numpy as np
from mxnet import nd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sparse_cases import CONVERSIONS, EXPRESSIONS, scope  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def described(array):
    return {'class': type(array).__name__, 'stype': array.stype,
            'dtype': np.dtype(array.dtype).name, 'shape': list(array.shape),
            'values': array.asnumpy().astype(np.float64).tolist()}


def parts(array):
    names = ('data', 'indices', 'indptr') if array.stype == 'csr' else ('data', 'indices')
    return {name: {'dtype': np.dtype(getattr(array, name).dtype).name,
                   'values': getattr(array, name).asnumpy().astype(np.float64).tolist()}
            for name in names}


def main():
    record = {'expressions': {}, 'conversions': {}}
    for expression in EXPRESSIONS:
        try:
            record['expressions'][expression] = described(eval(expression, scope(nd, mx)))
        except Exception as err:  # noqa: BLE001 (MXNet's refusal is the golden value)
            record['expressions'][expression] = {'error': type(err).__name__}
    for expression in CONVERSIONS:
        record['conversions'][expression] = parts(eval(expression, scope(nd, mx)))
    with open(os.path.join(HERE, 'sparse.json'), 'w') as f:
        json.dump(record, f, indent=1, sort_keys=True)
    print('wrote %d expressions, %d conversions (MXNet %s)'
          % (len(EXPRESSIONS), len(CONVERSIONS), mx.__version__))


if __name__ == '__main__':
    main()
