"""mxsym/ops/numpy_mode.py: the NumPy-mode ops' dtypes and values, as MXNet 1.9.1 gives them for
the int32 array [[1, -2], [3, 4]] (i), its float32 values (g), the float32 array
[[1.5, -2], [3, 4]] (f) and f in float16 (h). Networks of these ops, their gradients included, are checked against MXNet in
tests/test_corpus.py (numpy_mode_net)."""
import numpy as np
import pytest

import mxsym as mx

OPS = mx.sym._internal
I, G, F, H = (mx.sym.var(n) for n in 'igfh')
VALUES = {'i': np.array([[1, -2], [3, 4]], 'int32'), 'f': np.array([[1.5, -2], [3, 4]], 'float32')}
VALUES['h'] = VALUES['f'].astype('float16')
VALUES['g'] = VALUES['i'].astype('float32')
INT_MIN = -2 ** 31

# (symbol, dtype, values) recorded from MXNet 1.9.1's NumPy mode
CASES = {
    'exp of int32 truncates': (OPS._npi_exp(I), 'int32', [2, 0, 20, 54]),
    'sqrt of a negative int32': (OPS._npi_sqrt(I), 'int32', [1, INT_MIN, 1, 2]),
    'absolute': (OPS._npi_absolute(I), 'int32', [1, 2, 3, 4]),
    'relu': (OPS._npx_relu(I), 'int32', [1, 0, 3, 4]),
    'a float scalar is cast to int32': (OPS._npi_add_scalar(I, scalar=1.5, is_int=False),
                                        'int32', [2, -1, 4, 5]),
    'multiply by a float scalar': (OPS._npi_multiply_scalar(I, scalar=2.5, is_int=False),
                                   'int32', [2, -4, 6, 8]),
    'reversed subtract': (OPS._npi_rsubtract_scalar(I, scalar=1, is_int=True), 'int32',
                          [0, 3, -2, -3]),
    'maximum with a float scalar': (OPS._npi_maximum_scalar(I, scalar=1.5, is_int=False),
                                    'int32', [1, 1, 3, 4]),
    'true division of int32': (OPS._npi_true_divide_scalar(I, scalar=2, is_int=True),
                               'float32', [0.5, -1, 1.5, 2]),
    'reversed true division': (OPS._npi_rtrue_divide_scalar(I, scalar=2, is_int=True),
                               'float32', [2, -1, 2 / 3, 0.5]),
    'int32 over int32': (OPS._npi_true_divide(I, I), 'float32', [1, 1, 1, 1]),
    'int32 plus float32': (OPS._npi_add(I, F), 'float32', [2.5, -4, 6, 8]),
    'float16 plus float32': (OPS._npi_add(H, F), 'float32', [3, -4, 6, 8]),
    'comparison gives bool': (OPS._npi_greater_scalar(I, scalar=0), 'bool',
                              [True, False, True, True]),
    'sum of int32': (OPS._np_sum(I), 'int32', 6),
    'sum of bool is int64': (OPS._np_sum(OPS._npi_greater_scalar(I, scalar=0)), 'int64', 3),
    'mean of int32': (OPS._npi_mean(I), 'float32', 1.5),
    'mean of float16': (OPS._npi_mean(H), 'float16', 1.625),
    'max over an axis': (OPS._np_max(I, axis=0), 'int32', [3, 4]),
    'full_like': (OPS._npi_full_like(F, fill_value=2.5), 'float32', [2.5] * 4),
    'where': (OPS._npi_where(OPS._npi_greater_scalar(I, scalar=0), I, I), 'int32',
              [1, -2, 3, 4]),
    'transpose': (OPS._np_transpose(I), 'int32', [1, 3, -2, 4]),
    'squeeze': (OPS._np_squeeze(OPS._np_reshape(I, newshape=(1, 4))), 'int32', [1, -2, 3, 4]),
    'argmax is int64': (OPS._npi_argmax(I, axis=1), 'int64', [0, 1]),
    'argmax of the flattened array': (OPS._npi_argmax(I), 'int64', 3),
    'cumsum keeps int32': (OPS._np_cumsum(I, axis=1), 'int32', [1, -1, 3, 7]),
    'cumsum of bool is int64': (OPS._np_cumsum(OPS._npi_greater_scalar(I, scalar=0)), 'int64',
                                [1, 1, 2, 3]),
    'std over an axis': (OPS._npi_std(G, axis=0), 'float32', [1, 3]),
    'frobenius norm': (OPS._npi_norm(G, axis=(0, 1), flag=1), 'float32', 5.477226),
}

# _npx_reshape's shape codes: (input shape, newshape, reverse, MXNet's result)
NPX_RESHAPES = [((2, 3, 4), (-2, -5), False, (2, 12)),
                ((2, 3, 4), (-6, 1, -1, -4), False, (1, 2, 3, 4)),
                ((2, 1, 4), (-2, -3, -2), False, (2, 4)),
                ((2, 3, 4), (-1, -2), True, (6, 4)),
                ((2, 3, 4), (3, -1, 2), False, (3, 4, 2))]


@pytest.mark.parametrize('case', sorted(CASES))
def test_numpy_mode_op_as_mxnet(case):
    sym, dtype, expected = CASES[case]
    names = sym.list_arguments()
    with mx.util.np_shape(True):
        exe = sym.simple_bind(mx.cpu(), grad_req='null',
                              type_dict={n: VALUES[n].dtype for n in names},
                              **{n: VALUES[n].shape for n in names})
        out = exe.forward(**{n: mx.nd.array(VALUES[n], dtype=VALUES[n].dtype)
                             for n in names})[0].asnumpy()
    assert out.dtype == np.dtype(dtype)
    expected = np.array(expected, dtype)
    if expected.ndim == 0:
        assert out.shape == (), 'a reduction over every axis gives a 0-d array'
    np.testing.assert_allclose(out.ravel().astype('float64'),
                               expected.ravel().astype('float64'), rtol=1e-6)


def test_concatenate_refuses_mixed_dtypes():
    """As MXNet: the inputs of concatenate must share one dtype."""
    sym = OPS._npi_concatenate(I, F, num_args=2, axis=0)
    with pytest.raises(mx.base.MXNetError, match='_npi_concatenate'):
        sym.infer_type(i='int32', f='float32')


@pytest.mark.parametrize('shape, newshape, reverse, expected', NPX_RESHAPES)
def test_npx_reshape_codes_as_mxnet(shape, newshape, reverse, expected):
    sym = OPS._npx_reshape(mx.sym.var('a'), newshape=newshape, reverse=reverse)
    with mx.util.np_shape(True):
        assert sym.infer_shape(a=shape)[1] == [expected]


def test_var_and_std_pass_a_zero_gradient():
    """As MXNet 1.9.1 registers them; their mean is a hidden second output."""
    for op in (OPS._npi_var, OPS._npi_std):
        sym = op(G, axis=0)
        assert len(sym.list_outputs()) == 1
        exe = sym.simple_bind(mx.cpu(), g=(2, 2))
        exe.forward(is_train=True, g=mx.nd.array(VALUES['g']))
        exe.backward(mx.nd.ones((2,)))
        assert not exe.grad_dict['g'].asnumpy().any()


@pytest.mark.parametrize('newshape, reason', [
    ((-2, -2, -2, -2), 'more dimensions than the input has'),
    ((-3, -4), 'drops a dimension of size 1 only'),
    ((-1, -1), 'more than one dimension is -1'),
    ((5, -4), 'the sizes differ')])
def test_npx_reshape_refuses_codes_that_do_not_fit(newshape, reason):
    sym = OPS._npx_reshape(mx.sym.var('a'), newshape=newshape)
    with mx.util.np_shape(True), pytest.raises(mx.base.MXNetError, match=reason):
        sym.infer_shape(a=(2, 3, 4))
