"""The autograd golden cases: name -> (expression of the inputs x (and y) on `nd`, input
shapes, whether a second-order gradient is recorded). Shared by the generator (MXNet 1.9.1)
and tests/test_autograd.py (mxsym)."""
import numpy as np

CASES = {
    'exp': ('nd.exp(x)', [(3, 4)], True),
    'log': ('nd.log(x)', [(3, 4)], True),
    'sin': ('nd.sin(x)', [(3, 4)], True),
    'cos': ('nd.cos(x)', [(3, 4)], True),
    'tanh': ('nd.tanh(x)', [(3, 4)], True),
    'sigmoid': ('nd.sigmoid(x)', [(3, 4)], True),
    'sqrt': ('nd.sqrt(x)', [(3, 4)], True),
    'reciprocal': ('nd.reciprocal(x)', [(3, 4)], True),
    'square': ('x ** 2', [(3, 4)], False),
    'scalar_arith': ('(x * 3 - 1) / 2 + 1 / x', [(3, 4)], False),
    'mul_add': ('x * y + x', [(3, 4), (3, 4)], False),
    'broadcast_div': ('x / y', [(3, 4), (1, 4)], False),
    'dot': ('nd.dot(x, y)', [(3, 4), (4, 2)], False),
    'fully_connected': ('nd.FullyConnected(x, y, num_hidden=2, no_bias=True)', [(3, 4), (2, 4)],
                        False),
    'sum_axis': ('nd.sum(x * x, axis=1)', [(3, 4)], False),
    'slice_reshape': ('x[1:3].reshape((8,)) * 2', [(3, 4)], False),
    'softmax': ('nd.softmax(x)', [(3, 4)], False),
    'relu': ('nd.relu(x)', [(3, 4)], False),
}


def inputs_for(name, shapes):
    """Positive inputs (log, sqrt, reciprocal), the same for both implementations."""
    rng = np.random.RandomState(sum(map(ord, name)))
    return [rng.uniform(0.5, 2.0, shape).astype(np.float32) for shape in shapes]
