"""The sparse-storage golden cases, shared by the generator (MXNet 1.9.1) and
tests/test_ndarray_sparse.py (mxsym).

EXPRESSIONS: expressions of the arrays c (csr), r (row_sparse), d (dense), all holding DENSE's
values, and of v (a dense (1, 4) row), on ``nd`` (``mx.nd``); the record keeps each result's
storage type and values. CONVERSIONS: the arrays whose csr and row_sparse parts are recorded.
"""
import numpy as np

DENSE = np.array([[0, 1.5, 0, -2], [0, 0, 0, 0], [3, 0, 0.5, 0]], np.float32)
ROW = np.array([[1, -2, 0.5, 4]], np.float32)
RHS = np.arange(8, dtype=np.float32).reshape(4, 2) - 3

EXPRESSIONS = [
    # unary ops: zero-preserving ones keep the storage, the others give dense
    'nd.abs(c)', 'nd.abs(r)', 'nd.negative(c)', 'nd.sign(r)', 'nd.square(c)', 'nd.square(r)',
    'nd.sqrt(nd.abs(c))', 'nd.relu(c)', 'nd.relu(r)', 'nd.sigmoid(c)', 'nd.tanh(r)',
    'nd.sin(c)', 'nd.floor(r)', 'nd.round(c)', 'nd.expm1(c)', 'nd.log1p(nd.abs(r))',
    'nd.arctan(c)', 'nd.degrees(r)', 'nd.exp(c)', 'nd.exp(r)', 'nd.cos(c)',
    'nd.log(nd.abs(r) + 1)',
    'nd.zeros_like(c)', 'nd.zeros_like(r)', 'nd.ones_like(c)', 'nd.ones_like(r)',
    'nd.clip(c, -1, 1)', 'nd.clip(r, -1, 1)', 'nd.clip(c, 0.5, 1)', 'nd.stop_gradient(r)',
    'nd.sparse.square(c)', 'nd.sparse.exp(r)', 'nd.make_loss(c)', 'nd.Cast(r, dtype="int32")',
    # scalar arithmetic
    'c * 2', 'r * 2', '2 * c', 'c / 2', 'r / 2', 'c + 1', 'r - 1', '1 - c', 'c ** 2', 'r ** 2',
    '-c', '-r', '2 / (nd.abs(r) + 1)',
    # two arrays of one shape
    'c + c', 'r + r', 'c + r', 'c + d', 'd + c', 'r + d', 'd + r',
    'c - c', 'r - r', 'c - d', 'd - r',
    'c * c', 'r * r', 'c * r', 'c * d', 'd * c', 'r * d', 'd * r',
    'c / (d + 10)', 'r / (d + 10)',
    'nd.elemwise_add(c, c)', 'nd.elemwise_add(r, r)', 'nd.elemwise_add(c, d)',
    'nd.elemwise_add(r, d)', 'nd.elemwise_sub(r, r)', 'nd.elemwise_mul(c, c)',
    'nd.elemwise_mul(r, r)', 'nd.elemwise_mul(c, d)', 'nd.elemwise_mul(d, c)',
    'nd.elemwise_mul(r, d)', 'nd.elemwise_mul(d, r)', 'nd.elemwise_div(c, d + 10)',
    'nd.sparse.elemwise_mul(c, d)', 'nd.sparse.add(c, c)', 'nd.sparse.subtract(r, r)',
    'nd.sparse.multiply(c, d)', 'nd.sparse.divide(r, d + 10)',
    'nd.add_n(r, r, r)', 'nd.add_n(c, c)', 'nd.add_n(r, d)',
    # broadcasting against a row
    'c + v', 'c * v', 'r * v', 'c / v', 'nd.broadcast_mul(c, v)', 'nd.broadcast_div(c, v)',
    'nd.broadcast_add(c, v)', 'nd.sparse.multiply(c, v)',
    # products and reductions
    'nd.dot(c, nd.array(RHS))', 'nd.dot(c, nd.array(RHS).tostype("row_sparse"))',
    'nd.dot(c, nd.array(RHS[:3]), transpose_a=True)', 'nd.dot(r, nd.array(RHS))',
    'nd.dot(d, c.T.tostype("csr"))', 'nd.sparse.dot(c, nd.array(RHS))',
    'nd.sum(c)', 'nd.sum(c, axis=0)', 'nd.sum(c, axis=1)', 'nd.sum(r, axis=1)',
    'nd.mean(c, axis=0)',
    'nd.norm(c)', 'nd.norm(r)',
    # storage casts, retain, slicing, where
    'nd.cast_storage(d, "csr")', 'nd.cast_storage(d, "row_sparse")',
    'nd.cast_storage(c, "default")',
    'nd.cast_storage(r, "default")', 'nd.cast_storage(c, stype="row_sparse")',
    'nd.sparse.cast_storage(r, "csr")', 'c.tostype("row_sparse")', 'r.tostype("csr")',
    'c.tostype("default")', 'd.tostype("csr")',
    'nd.sparse.retain(r, nd.array([0, 1]))', 'nd.sparse.retain(r, nd.array([2], dtype="int64"))',
    'nd.sparse.retain(c, nd.array([0]))', 'nd.slice(c, begin=(1,), end=(3,))', 'c[1:3]', 'c[0:2]',
    'nd.where(c, d, d * 2)', 'c.astype("float64")', 'r.astype("int32")', 'c.copy()', 'r.copy()',
    'c.as_in_context(mx.cpu())', 'c.detach()', 'r.detach()',
    # creation
    'nd.sparse.zeros("csr", (2, 3))', 'nd.sparse.zeros("row_sparse", (2, 3), dtype="float16")',
    'nd.zeros((2, 3), stype="csr")', 'nd.zeros((2, 3), stype="row_sparse")',
    'nd.zeros((2, 3), stype="default")', 'nd.sparse.empty("csr", (2, 3))',
    'nd.empty((2, 3), stype="row_sparse")', 'nd.sparse.array(c)',
    'nd.sparse.array(r, dtype="float64")',
    'nd.array(c)', 'nd.array(r)', 'nd.zeros_like(d).tostype("csr")',
    'nd.sparse.csr_matrix(DENSE)', 'nd.sparse.row_sparse_array(DENSE)',
    'nd.sparse.csr_matrix(nd.array(DENSE))', 'nd.sparse.row_sparse_array(nd.array(DENSE))',
    'nd.sparse.csr_matrix(([1.0, 2.0, 3.0], [1, 0, 2], [0, 1, 1, 3]), shape=(3, 4))',
    'nd.sparse.row_sparse_array(([[1, 2], [3, 4]], [0, 2]), shape=(4, 2))',
    'nd.sparse.row_sparse_array(([[1, 2], [3, 4]], [0, 2]), shape=(4, 2), dtype="float64")',
    'nd.sparse.csr_matrix((2, 3))', 'nd.sparse.row_sparse_array((2, 3))',
    'nd.sparse.csr_matrix(c)', 'nd.sparse.row_sparse_array(r)', 'c[1]', 'c[-1]', 'r[:]',
    'nd.sparse.csr_matrix(([1.0, 2.0], ([0, 2], [3, 1])))',
    'nd.sparse.csr_matrix((2, 3), dtype="int32")', 'nd.sparse.zeros("default", (2, 2))',
    # refusals and fallbacks to dense
    'nd.sparse.zeros("foo", (2, 2))', 'nd.sparse.empty("foo", (2, 2))', 'nd.sparse.array(d)',
    'nd.array(np.ones((2, 2, 2))).tostype("csr")', 'nd.zeros((2, 2), stype="foo")',
    'c.reshape((4, 3))', 'r[1:2]', 'c.T', 'c.copyto(nd.zeros((3, 4)))',
    'd.copyto(nd.zeros((3, 4), stype="csr"))', 'nd.where(c, d, d)',
    'nd.sum(c, axis=1, keepdims=True)', 'nd.add_n(r, r, d)', 'nd.elemwise_add(c, r)',
    'nd.broadcast_mul(d, c)', 'nd.broadcast_mul(c, c)', 'nd.elemwise_div(r, r)',
    'nd.slice(r, begin=(0,), end=(2,))', 'nd.dot(r, d.T)',
]

CONVERSIONS = [
    'c', 'r', 'nd.array(DENSE).tostype("csr")', 'nd.zeros((2, 3)).tostype("csr")',
    'nd.zeros((2, 3)).tostype("row_sparse")', 'nd.array(DENSE, dtype="float64").tostype("csr")',
    'nd.sparse.csr_matrix(([1.0, 2.0, 3.0], [1, 0, 2], [0, 1, 1, 3]), shape=(3, 4))',
    'nd.sparse.row_sparse_array(([[1, 2], [3, 4]], [0, 2]), shape=(4, 2))',
    'nd.array(np.arange(24).reshape(2, 3, 4)).tostype("row_sparse")',
    'nd.sparse.retain(r, nd.array([2]))', 'nd.sparse.csr_matrix(([1.0, 2.0], ([0, 2], [3, 1])))',
]


def scope(nd, mx):
    """The names the expressions use, with `nd` and `mx` of the implementation under test."""
    dense = nd.array(DENSE)
    return {'nd': nd, 'mx': mx, 'np': np, 'DENSE': DENSE, 'RHS': RHS, 'd': dense,
            'c': dense.tostype('csr'), 'r': dense.tostype('row_sparse'), 'v': nd.array(ROW)}
