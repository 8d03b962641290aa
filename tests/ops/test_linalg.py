"""Golden tests for mxsym/ops/linalg.py against MXNet 1.9.1: dot, batch_dot and the linalg
operators (gemm, gemm2, potrf, potri, trmm, trsm, sumlogdiag, syrk, gelqf, syevd, inverse,
det, slogdet, and the diagonal and triangle packers); and the inputs MXNet 1.9.1 refuses."""
import numpy as np
import pytest

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'linalg')


@pytest.mark.parametrize('build, shapes, message', [
    (lambda a, b: mx.sym.linalg.gelqf(a), {'A': (4, 2)}, 'no more rows than columns'),
    (lambda a, b: mx.sym.linalg.maketrian(a), {'A': (5,)}, r'triangular length n\(n\+1\)/2'),
    (lambda a, b: mx.sym.linalg.extractdiag(a, offset=3), {'A': (3, 3)},
     'offset 3 is out of range for 3x3 matrices'),
    (lambda a, b: mx.sym.linalg.extracttrian(a), {'A': (3, 4)}, 'square matrices'),
    (lambda a, b: mx.sym.linalg.inverse(a), {'A': (2, 3, 4)}, 'square matrices'),
    (lambda a, b: mx.sym.linalg.syevd(a), {'A': (3, 2)}, 'square matrices'),
    (lambda a, b: mx.sym.linalg.trsm(a, b), {'A': (3, 2), 'B': (2, 4)}, 'square matrices'),
    (lambda a, b: mx.sym.linalg.trmm(a, b), {'A': (3, 3), 'B': (2, 4)},
     'incompatible matrix dimensions'),
    (lambda a, b: mx.sym.linalg.trmm(a, b, rightside=True), {'A': (3, 3), 'B': (3, 4)},
     'incompatible matrix dimensions'),
])
def test_shapes_mxnet_refuses(build, shapes, message):
    sym = build(mx.sym.var('A'), mx.sym.var('B'))
    with pytest.raises(mx.MXNetError, match=r'%s \(_linalg_\w+\): .*%s' % (sym.name, message)):
        sym.infer_shape(**shapes)


@pytest.mark.parametrize('op', ['det', 'slogdet'])
@pytest.mark.parametrize('dtype', ['float16', 'int32'])
def test_determinants_take_float32_and_float64_only(op, dtype):
    sym = getattr(mx.sym.linalg, op)(mx.sym.var('A'))
    with pytest.raises(mx.MXNetError, match='%s supports only float32 and float64, got %s'
                       % (op, dtype)):
        sym.infer_type(A=dtype)


def test_potrf_of_a_matrix_that_is_not_positive_definite_fails_at_the_next_read():
    factor = mx.nd.linalg.potrf(mx.nd.array([[[4., 2.], [2., 3.]], [[0., 0.], [0., 0.]]]))
    with pytest.raises(mx.MXNetError, match='potrf: a matrix is not positive definite'):
        factor.wait_to_read()
    good = mx.nd.linalg.potrf(mx.nd.array([[4., 2.], [2., 3.]]))
    np.testing.assert_allclose(good.asnumpy(), [[2., 0.], [1., np.sqrt(2.)]], rtol=1e-6)
