"""Write MXNet 1.9.1 NDArray files (mx.nd.save) for tests/test_ndarray_file.py.

Run with a Python that has mxnet==1.9.1 installed: python tests/golden/make_params_golden.py
The arrays themselves are recorded as JSON (dtype, shape, values) in params.json.
"""
import json
import os

import mxnet as mx
import numpy as np

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'params')
DTYPES = ['float32', 'float64', 'float16', 'uint8', 'int32', 'int8', 'int64', 'bool']


def arrays():
    rng = np.random.RandomState(0)
    made = {}
    for dtype in DTYPES:
        if dtype == 'bool':
            values = rng.randint(0, 2, (2, 3)).astype(bool)
        elif np.issubdtype(np.dtype(dtype), np.integer):
            values = rng.randint(0, 100, (2, 3)).astype(dtype)
        else:
            values = rng.randn(2, 3).astype(dtype)
        made['arg:w_' + dtype] = values
    made['aux:moving_mean'] = rng.randn(4).astype('float32')
    made['arg:scalar_like'] = np.array([3.5], dtype='float32')
    made['arg:rank4'] = rng.randn(1, 2, 1, 3).astype('float32')
    return made


def save_bfloat16():
    """bfloat16 (dtype code 12), which numpy lacks: MXNet casts to it from float32. The values
    are exact in bfloat16 and recorded as floats."""
    values = np.array([[1.5, -2.25, 3.0], [0.125, 100.0, -0.5]], dtype='float32')
    as_bfloat16 = mx.nd.amp_cast(mx.nd.array(values), dtype=np.dtype([('bfloat16', np.uint16)]))
    mx.nd.save(os.path.join(HERE, 'bfloat16.params'), {'arg:w_bfloat16': as_bfloat16})
    with open(os.path.join(HERE, 'bfloat16.json'), 'w') as out:
        json.dump({'arg:w_bfloat16': values.tolist()}, out)


NP_SHAPE_ARRAYS = [np.array(3.5, 'float32'), np.zeros((2, 0, 3), 'int32'),
                   np.arange(4, dtype='float64').reshape(2, 2)]


def save_np_shape():
    """A file written in NumPy-shape mode: a scalar, a zero-size array and a matrix."""
    with mx.np_shape(True):
        mx.nd.save(os.path.join(HERE, 'np_shape.params'),
                   [mx.nd.array(v, dtype=v.dtype) for v in NP_SHAPE_ARRAYS])


def main():
    os.makedirs(HERE, exist_ok=True)
    made = arrays()
    as_nd = {k: mx.nd.array(v, dtype=v.dtype) for k, v in made.items()}
    mx.nd.save(os.path.join(HERE, 'dict.params'), as_nd)
    mx.nd.save(os.path.join(HERE, 'list.params'), list(as_nd.values()))
    mx.nd.save(os.path.join(HERE, 'empty.params'), {})
    record = {k: {'dtype': v.dtype.name, 'shape': list(v.shape), 'values': v.tolist()}
              for k, v in made.items()}
    with open(os.path.join(HERE, 'params.json'), 'w') as out:
        json.dump(record, out, indent=1)
    save_bfloat16()
    save_np_shape()


if __name__ == '__main__':
    main()
