"""Write MXNet 1.9.1 NDArray files holding csr and row_sparse arrays (mx.nd.save) for
tests/test_ndarray_file_sparse.py, and record each array's class, storage type, dtype, dense
values and stored parts (data, indices, indptr with their dtypes) in sparse_files.json.

    bash ../shared/tools/mxref.sh tests/golden/make_sparse_files_golden.py
"""
import json
import os

import mxnet as mx
import numpy as np

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'sparse_files')


def files():
    """{file name: a list or a {name: array} dict}, as each file is saved."""
    csr = mx.nd.array([[0, 1.5, 0, 0], [2, 0, -3, 0], [0, 0, 0, 0]]).tostype('csr')
    # Built from its parts: columns out of order and a stored zero, kept as given.
    csr_as_given = mx.nd.sparse.csr_matrix(
        (np.array([0., 1., 2.]), np.array([2, 0, 1]), np.array([0, 2, 2, 3])), shape=(3, 3))
    rows = mx.nd.array([[0, 0], [1, 2], [0, 0], [3, 0]]).tostype('row_sparse')
    rows_3d = mx.nd.sparse.row_sparse_array(
        (np.arange(8, dtype='int32').reshape(2, 2, 2), np.array([3, 1])), shape=(5, 2, 2))
    return {
        'csr.nd': [csr, csr_as_given],
        'row_sparse.nd': [rows, rows_3d],
        'empty_sparse.nd': [mx.nd.sparse.zeros('csr', (2, 3)),
                            mx.nd.sparse.zeros('row_sparse', (4, 3), dtype='float16')],
        'mixed.params': {'arg:embed_weight': rows, 'arg:fc_bias': mx.nd.array([1., -2.]),
                         'arg:features': csr,
                         'aux:count': mx.nd.array([7], dtype='int64')},
    }


def part(array):
    return {'dtype': np.dtype(array.dtype).name, 'values': array.asnumpy().tolist()}


def described(array):
    record = {'class': type(array).__name__, 'stype': array.stype,
              'dtype': np.dtype(array.dtype).name, 'shape': list(array.shape),
              'values': array.asnumpy().astype(np.float64).tolist()}
    names = {'csr': ('data', 'indices', 'indptr'), 'row_sparse': ('data', 'indices')}
    for name in names.get(array.stype, ()):
        record[name] = part(getattr(array, name))
    return record


def main():
    os.makedirs(HERE, exist_ok=True)
    record = {}
    for fname, arrays in files().items():
        mx.nd.save(os.path.join(HERE, fname), arrays)
        if isinstance(arrays, dict):
            record[fname] = {name: described(a) for name, a in arrays.items()}
        else:
            record[fname] = [described(a) for a in arrays]
    with open(os.path.join(HERE, 'sparse_files.json'), 'w') as out:
        json.dump(record, out, indent=1)


if __name__ == '__main__':
    main()
