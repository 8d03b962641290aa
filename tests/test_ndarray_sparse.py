"""csr and row_sparse arrays (mxsym/ndarray/sparse.py, storage.py) against MXNet 1.9.1: the
class, storage type, dtype and values of op results on sparse inputs, the stored parts of
conversions, MXNet's refusals; and sparse arrays under autograd."""
import json
import os
import sys

import numpy as np
import pytest

import mxsym as mx
from mxsym import autograd, nd

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'golden')
sys.path.insert(0, GOLDEN)
from sparse_cases import scope  # noqa: E402

with open(os.path.join(GOLDEN, 'sparse.json')) as golden_file:
    RECORD = json.load(golden_file)


@pytest.mark.parametrize('expression', sorted(RECORD['expressions']))
def test_result_storage_and_values_match_mxnet(expression):
    expected = RECORD['expressions'][expression]
    if 'error' in expected:
        with pytest.raises(Exception) as raised:
            eval(expression, scope(nd, mx))
        assert expected['error'] in [cls.__name__ for cls in type(raised.value).__mro__]
        return
    result = eval(expression, scope(nd, mx))
    assert type(result).__name__ == expected['class']
    assert result.stype == expected['stype']
    assert np.dtype(result.dtype).name == expected['dtype']
    assert list(result.shape) == expected['shape']
    np.testing.assert_allclose(result.asnumpy().astype(np.float64), expected['values'],
                               rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize('expression', sorted(RECORD['conversions']))
def test_stored_parts_match_mxnet(expression):
    array = eval(expression, scope(nd, mx))
    for name, expected in RECORD['conversions'][expression].items():
        part = getattr(array, name)
        assert np.dtype(part.dtype).name == expected['dtype'], name
        np.testing.assert_array_equal(part.asnumpy().astype(np.float64),
                                      np.array(expected['values'], np.float64).reshape(
                                          part.shape), err_msg=name)


def test_storage_type_codes_are_mxnets():
    assert nd.ndarray._STORAGE_TYPE_STR_TO_ID == {'undefined': -1, 'default': 0,
                                                  'row_sparse': 1, 'csr': 2}
    assert mx.ndarray.sparse is nd.sparse
    assert issubclass(nd.sparse.CSRNDArray, nd.NDArray)
    assert issubclass(nd.sparse.RowSparseNDArray, nd.sparse.BaseSparseNDArray)


@pytest.mark.parametrize('array_stype', ['default', 'csr', 'row_sparse'])
@pytest.mark.parametrize('grad_stype', [None, 'default', 'csr', 'row_sparse'])
def test_attach_grad_gives_the_gradient_its_storage_type(array_stype, grad_stype):
    x = nd.zeros((2, 3), stype=array_stype)
    x.attach_grad(stype=grad_stype)
    assert x.grad.stype == (grad_stype or array_stype)
    assert x.detach().stype == array_stype


@pytest.mark.parametrize('stype', ['csr', 'row_sparse'])
def test_gradients_of_sparse_arrays_are_written_in_their_storage(stype):
    values = np.array([[0, 2, 0], [1, 0, -1]], np.float32)
    x = nd.array(values).tostype(stype)
    x.attach_grad()
    with autograd.record():
        y = x * x + nd.exp(x)
    y.backward(out_grad=nd.ones_like(y).tostype(stype))
    assert x.grad.stype == stype
    np.testing.assert_allclose(x.grad.asnumpy(), 2 * values + np.exp(values), rtol=1e-6)


def test_sparse_op_refusals_name_the_rule():
    c = nd.array([[0, 1], [2, 0]]).tostype('csr')
    with pytest.raises(mx.base.MXNetError, match='a_min <= 0 <= a_max'):
        nd.clip(c, 0.5, 1)
    with pytest.raises(mx.base.MXNetError, match='from csr to row_sparse'):
        nd.cast_storage(c, stype='row_sparse')


def test_csr_and_row_sparse_arrays_from_scipy():
    spsp = pytest.importorskip('scipy.sparse')
    matrix = spsp.csr_matrix(np.array([[0, 1.5], [2, 0]], np.float32))
    for made in (nd.sparse.csr_matrix(matrix), nd.sparse.array(matrix), nd.array(matrix)):
        assert made.stype == 'csr'
        np.testing.assert_array_equal(made.asnumpy(), matrix.toarray())
    np.testing.assert_array_equal(made.asscipy().toarray(), matrix.toarray())


@pytest.mark.parametrize('stype', ['csr', 'row_sparse'])
def test_random_sparse_arrays_store_about_density_of_their_elements(stype):
    for density, stored in ((0, 0), (1, 1), (0.5, None)):
        array = mx.test_utils.rand_ndarray((40, 30), stype, density=density)
        assert array.stype == stype
        fraction = np.count_nonzero(array.asnumpy()) / array.asnumpy().size
        assert fraction == stored if stored is not None else 0.3 < fraction < 0.7
    array, (data, indices) = mx.test_utils.rand_sparse_ndarray(
        (5, 2), 'row_sparse', rsp_indices=[1, 3], data_init=2.0)
    np.testing.assert_array_equal(indices, [1, 3])
    np.testing.assert_array_equal(data, np.full((2, 2), 2.0))


def test_row_sparse_retain_method_keeps_the_named_rows():
    rows = mx.nd.array([[1, 2], [3, 4], [5, 6]]).tostype('row_sparse')
    kept = rows.retain(mx.nd.array([0, 2]))
    assert kept.stype == 'row_sparse'
    np.testing.assert_array_equal(kept.asnumpy(), [[1, 2], [0, 0], [5, 6]])
