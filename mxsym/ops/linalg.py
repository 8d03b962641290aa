"""Matrix products (dot, batch_dot, linalg gemm and gemm2) and MXNet's other linalg operators:
factorizations, triangular products and solves, inverses, determinants, diagonal and triangle
packing. Every linalg op works on the last two axes, batched over the leading ones."""
import jax
import jax.numpy as jnp
import numpy as np
from jax import lax
from jax.scipy.linalg import lu_solve

from ..base import MXNetError
from ..ops_registry import Bool, Enum, Float, Int, Param, onnx_form, register
from .rules import report_when

STYPE = Enum('None', 'csr', 'default', 'row_sparse')


@register('dot', inputs=('lhs', 'rhs'), aliases=('_sparse_dot',),
          params={'transpose_a': Param(Bool(), False), 'transpose_b': Param(Bool(), False),
                  'forward_stype': Param(STYPE, None)})
def dot(params, ctx, lhs, rhs):
    """MXNet's dot: contract lhs's last axis (first with transpose_a) with rhs's first axis
    (last with transpose_b); the free axes keep their order. Two vectors give shape (1,)."""
    lhs_axis = 0 if params.transpose_a else lhs.ndim - 1
    rhs_axis = rhs.ndim - 1 if params.transpose_b else 0
    out = lax.dot_general(lhs, rhs, (((lhs_axis,), (rhs_axis,)), ((), ())))
    return (out.reshape(1) if out.ndim == 0 else out,)


def _matrices(a, transpose):
    return jnp.swapaxes(a, -1, -2) if transpose else a


@register('batch_dot', inputs=('lhs', 'rhs'),
          params={'transpose_a': Param(Bool(), False), 'transpose_b': Param(Bool(), False),
                  'forward_stype': Param(STYPE, None)})
def batch_dot(params, ctx, lhs, rhs):
    """Matrix products over the last two axes of two arrays of equal rank >= 3 whose leading
    (batch) axes agree."""
    if lhs.ndim < 3 or lhs.ndim != rhs.ndim:
        raise MXNetError('batch_dot takes two arrays of one rank >= 3, got shapes %s and %s'
                         % (lhs.shape, rhs.shape))
    if lhs.shape[:-2] != rhs.shape[:-2]:
        raise MXNetError('batch_dot: the leading batch axes of %s and %s differ'
                         % (lhs.shape, rhs.shape))
    return (jnp.matmul(_matrices(lhs, params.transpose_a), _matrices(rhs, params.transpose_b)),)


@onnx_form('batch_dot')
def _batch_dot_onnx(g, params, lhs, rhs):
    def matrices(value, ndim, transpose):
        if not transpose:
            return value
        return g.op('Transpose', value, perm=list(range(ndim - 2)) + [ndim - 1, ndim - 2])
    return g.op('MatMul', matrices(lhs, len(g.in_shapes[0]), params.transpose_a),
                matrices(rhs, len(g.in_shapes[1]), params.transpose_b))


# ---------------------------------------------------------------------------- linalg gemm
def _row_axis(params, ndim):
    axis = params.axis + ndim if params.axis < 0 else params.axis
    if ndim < 2 or not 0 <= axis < ndim - 1:
        raise MXNetError('linalg: row axis %d is invalid for %d-d matrices' % (params.axis, ndim))
    return axis


def _gemm_product(params, a, b):
    """alpha * op(A) op(B), the rows of each matrix along `axis`, its columns the last axis:
    the row axis is swapped next to the last one, multiplied, and swapped back."""
    if a.ndim != b.ndim:
        raise MXNetError('linalg: A %s and B %s must have one rank' % (a.shape, b.shape))
    axis = _row_axis(params, a.ndim)
    a, b = jnp.swapaxes(a, axis, -2), jnp.swapaxes(b, axis, -2)
    if a.shape[:-2] != b.shape[:-2]:
        raise MXNetError('linalg: A %s and B %s must agree on all but the matrix axes'
                         % (a.shape, b.shape))
    product = jnp.matmul(_matrices(a, params.transpose_a), _matrices(b, params.transpose_b))
    return jnp.swapaxes(product, axis, -2) * jnp.asarray(params.alpha, a.dtype)


def _gemm_param_shapes(params, in_shapes):
    """C is shaped like the product of A and B."""
    a, b = in_shapes[0], in_shapes[1]
    if a is None or b is None or len(a) != len(b) or len(a) < 2:
        return {}
    axis = _row_axis(params, len(a))
    out = list(a)
    out[axis] = a[-1] if params.transpose_a else a[axis]
    out[-1] = b[axis] if params.transpose_b else b[-1]
    return {'C': tuple(out)}


GEMM_PARAMS = {'transpose_a': Param(Bool(), False), 'transpose_b': Param(Bool(), False),
               'alpha': Param(Float(), 1.0)}


@register('_linalg_gemm', inputs=('A', 'B', 'C'), aliases=('linalg_gemm',),
          params=dict(GEMM_PARAMS, beta=Param(Float(), 1.0), axis=Param(Int(), -2)),
          param_shapes=_gemm_param_shapes)
def linalg_gemm(params, ctx, a, b, c):
    """alpha * op(A) op(B) + beta * C, batched over the axes other than the matrix axes."""
    return (_gemm_product(params, a, b) + jnp.asarray(params.beta, c.dtype) * c,)


@register('_linalg_gemm2', inputs=('A', 'B'), aliases=('linalg_gemm2',),
          params=dict(GEMM_PARAMS, axis=Param(Int(), -2)))
def linalg_gemm2(params, ctx, a, b):
    """alpha * op(A) op(B), batched over the axes other than the matrix axes."""
    return (_gemm_product(params, a, b),)


# ---------------------------------------------------------------------------- linalg helpers
def _square(a, op):
    """Check that `a` holds square matrices on its last two axes."""
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise MXNetError('%s: A must be a tensor of square matrices on its last two axes, got '
                         'shape %s' % (op, a.shape))


def _triangle(a, lower, offset=0):
    return jnp.tril(a, offset) if lower else jnp.triu(a, -offset)


def _from_triangle(a, lower):
    """The symmetric matrix LAPACK reads from one triangle of `a`, differentiated as the
    symmetric part of `a` (MXNet's gradients of potrf and syevd are symmetric)."""
    read = _triangle(a, lower) + _matrices(_triangle(a, lower, -1), True)
    symmetric = (a + _matrices(a, True)) / 2
    return symmetric + lax.stop_gradient(read - symmetric)


def _identities(a):
    """Identity matrices shaped like `a`."""
    return jnp.broadcast_to(jnp.eye(a.shape[-1], dtype=a.dtype), a.shape)


def _batched_scalar(value):
    """A reduction over the matrix axes of a single matrix has shape (1,), as in MXNet."""
    return value.reshape(1) if value.ndim == 0 else value


CHOLESKY_PARAMS = {'lower': Param(Bool(), True)}
TRIANGULAR_PARAMS = {'transpose': Param(Bool(), False), 'rightside': Param(Bool(), False),
                     'lower': Param(Bool(), True), 'alpha': Param(Float(), 1.0)}


@register('_linalg_potrf', inputs=('A',), aliases=('linalg_potrf',), params=CHOLESKY_PARAMS)
def linalg_potrf(params, ctx, a):
    """Cholesky factor L (A = L L^T) of the symmetric matrix in A's lower triangle, or the upper
    factor U (A = U^T U) from its upper triangle when lower is false; the rest is zero."""
    _square(a, 'potrf')
    factor = jnp.linalg.cholesky(_from_triangle(a, params.lower))
    report_when(jnp.any(jnp.isnan(factor) & ~jnp.isnan(a).any(axis=(-2, -1), keepdims=True)),
                MXNetError('potrf: a matrix is not positive definite, so it has no Cholesky '
                           'factor'))
    return (factor if params.lower else _matrices(factor, True),)


@register('_linalg_potri', inputs=('A',), aliases=('linalg_potri',), params=CHOLESKY_PARAMS)
def linalg_potri(params, ctx, a):
    """The inverse of L L^T from a Cholesky factor L (A's lower triangle; U^T U from the upper
    triangle when lower is false)."""
    _square(a, 'potri')
    factor = _matrices(_triangle(a, params.lower), not params.lower)
    inverse = lax.linalg.triangular_solve(factor, _identities(a), left_side=True, lower=True)
    return (jnp.matmul(_matrices(inverse, True), inverse),)


def _triangular_shapes(op, params, a, b):
    """Check trmm's and trsm's operands: square A, B to be multiplied from the side chosen."""
    if a.ndim < 2 or a.ndim != b.ndim or a.shape[:-2] != b.shape[:-2]:
        raise MXNetError('%s: A %s and B %s must have one rank >= 2 and agree on all but the '
                         'last two axes' % (op, a.shape, b.shape))
    _square(a, op)
    inner = b.shape[-1] if params.rightside else b.shape[-2]
    if inner != a.shape[-1]:
        raise MXNetError('%s: incompatible matrix dimensions: A %s, B %s, rightside=%s'
                         % (op, a.shape, b.shape, params.rightside))


@register('_linalg_trmm', inputs=('A', 'B'), aliases=('linalg_trmm',), params=TRIANGULAR_PARAMS)
def linalg_trmm(params, ctx, a, b):
    """alpha op(A) B, or alpha B op(A) when rightside; A triangular (the other triangle of A is
    ignored), op transposes when transpose."""
    _triangular_shapes('trmm', params, a, b)
    tri = _matrices(_triangle(a, params.lower), params.transpose)
    product = jnp.matmul(b, tri) if params.rightside else jnp.matmul(tri, b)
    return (product * jnp.asarray(params.alpha, b.dtype),)


@register('_linalg_trsm', inputs=('A', 'B'), aliases=('linalg_trsm',), params=TRIANGULAR_PARAMS)
def linalg_trsm(params, ctx, a, b):
    """The X with op(A) X = alpha B, or X op(A) = alpha B when rightside; A triangular (the other
    triangle of A is ignored), op transposes when transpose."""
    _triangular_shapes('trsm', params, a, b)
    solution = lax.linalg.triangular_solve(
        _triangle(a, params.lower), b * jnp.asarray(params.alpha, b.dtype),
        left_side=not params.rightside, lower=params.lower, transpose_a=params.transpose)
    return (solution,)


@register('_linalg_sumlogdiag', inputs=('A',), aliases=('linalg_sumlogdiag',))
def linalg_sumlogdiag(params, ctx, a):
    """The sum of the logarithms of each matrix's diagonal."""
    _square(a, 'sumlogdiag')
    return (_batched_scalar(jnp.sum(jnp.log(jnp.diagonal(a, axis1=-2, axis2=-1)), axis=-1)),)


@register('_linalg_syrk', inputs=('A',), aliases=('linalg_syrk',),
          params={'transpose': Param(Bool(), False), 'alpha': Param(Float(), 1.0)})
def linalg_syrk(params, ctx, a):
    """alpha A A^T, or alpha A^T A when transpose."""
    if a.ndim < 2:
        raise MXNetError('syrk: A must have rank >= 2, got shape %s' % (a.shape,))
    left = _matrices(a, params.transpose)
    return (jnp.matmul(left, _matrices(left, True)) * jnp.asarray(params.alpha, a.dtype),)


@register('_linalg_gelqf', inputs=('A',), aliases=('linalg_gelqf',),
          outputs=('output0', 'output1'))
def linalg_gelqf(params, ctx, a):
    """LQ factorization A = L Q of m x n matrices (m <= n): Q with orthonormal rows, L lower
    triangular with LAPACK's signs (the transposed QR factorization of A^T)."""
    if a.ndim < 2 or a.shape[-2] > a.shape[-1]:
        raise MXNetError('gelqf: A must have rank >= 2 and no more rows than columns, got '
                         'shape %s' % (a.shape,))
    q, r = jnp.linalg.qr(_matrices(a, True))
    return _matrices(q, True), _matrices(r, True)


@register('_linalg_syevd', inputs=('A',), outputs=('output0', 'output1'))
def linalg_syevd(params, ctx, a):
    """Eigendecomposition A = U^T diag(lambda) U of the symmetric matrix in A's lower triangle:
    eigenvalues ascending, the rows of U the eigenvectors, each signed so that its entry of
    largest magnitude is positive."""
    _square(a, 'syevd')
    eigenvalues, vectors = jnp.linalg.eigh(_from_triangle(a, True))
    rows = _matrices(vectors, True)
    largest = jnp.take_along_axis(rows, jnp.argmax(jnp.abs(rows), axis=-1)[..., None], axis=-1)
    return rows * lax.stop_gradient(jnp.where(largest < 0, -1, 1).astype(a.dtype)), eigenvalues


@register('_linalg_inverse', inputs=('A',), aliases=('linalg_inverse',))
def linalg_inverse(params, ctx, a):
    """The inverse of each square matrix."""
    _square(a, 'inverse')
    return (jnp.linalg.inv(a),)


def _determinant_types(op):
    """MXNet's dtype rule of det and slogdet: float32 or float64, the hidden pivots int32."""
    def rule(params, in_types, out_types):
        known = in_types[0] or out_types[0]
        if known not in (None, 'float32', 'float64'):
            raise MXNetError('%s supports only float32 and float64, got %s' % (op, known))
        return [known], [known] * (len(out_types) - 1) + ['int32']
    return rule


@jax.custom_vjp
def _signed_log_determinant(a):
    """(sign, log |det|, LU factors, 1-based pivots) from the LU factorization of each square
    matrix, as MXNet computes determinants; the last two are the ops' hidden outputs."""
    lu, pivots, _ = lax.linalg.lu(a)
    diagonal = jnp.diagonal(lu, axis1=-2, axis2=-1)
    swaps = jnp.sum(pivots != jnp.arange(a.shape[-1], dtype=pivots.dtype), axis=-1)
    sign = jnp.where(swaps % 2 == 1, -1, 1).astype(a.dtype) * jnp.prod(jnp.sign(diagonal), -1)
    log_abs = jnp.sum(jnp.log(jnp.abs(diagonal)), axis=-1)
    return sign, log_abs, lu, (pivots + 1).astype(jnp.int32)


def _signed_log_determinant_forward(a):
    outputs = _signed_log_determinant(a)
    return outputs, outputs[1:]


def _signed_log_determinant_backward(saved, heads):
    """MXNet's gradient: the head of log |det| times A^-T, zero for singular matrices."""
    log_abs, lu, pivots = saved
    inverse_t = lu_solve((lu, pivots - 1), _identities(lu), trans=1)
    gradient = heads[1][..., None, None] * inverse_t
    return (jnp.where(jnp.isinf(log_abs)[..., None, None], 0, gradient),)


_signed_log_determinant.defvjp(_signed_log_determinant_forward, _signed_log_determinant_backward)


@register('_linalg_det', inputs=('A',), aliases=('linalg_det',),
          outputs=('output0', 'output1', 'output2'), num_visible=lambda params: 1,
          infer_type=_determinant_types('det'))
def linalg_det(params, ctx, a):
    """The determinant of each square matrix, sign * exp(log |det|)."""
    _square(a, 'det')
    sign, log_abs, lu, pivots = _signed_log_determinant(a)
    return _batched_scalar(sign * jnp.exp(log_abs)), lu, pivots


@register('_linalg_slogdet', inputs=('A',), aliases=('linalg_slogdet',),
          outputs=('output0', 'output1', 'output2', 'output3'), num_visible=lambda params: 2,
          infer_type=_determinant_types('slogdet'))
def linalg_slogdet(params, ctx, a):
    """The sign and the log of the absolute value of each square matrix's determinant."""
    _square(a, 'slogdet')
    sign, log_abs, lu, pivots = _signed_log_determinant(a)
    return _batched_scalar(sign), _batched_scalar(log_abs), lu, pivots


# ------------------------------------------------------------ diagonals and packed triangles
DIAG_PARAMS = {'offset': Param(Int(), 0)}
TRIAN_PARAMS = {'offset': Param(Int(), 0), 'lower': Param(Bool(), True)}


def _diagonal_indices(size, offset):
    """(rows, columns) of diagonal `offset` of size x size matrices."""
    steps = np.arange(size - abs(offset))
    return steps + max(-offset, 0), steps + max(offset, 0)


def _triangle_indices(size, offset, lower):
    """(rows, columns) of the triangle MXNet packs, in its packing order: the lower triangle
    from diagonal `offset` down, row by row (offset < 0, or 0 and lower), else the upper
    triangle from diagonal `offset` up, column by column."""
    rows, columns = np.tril_indices(size - abs(offset))
    rows = rows + abs(offset)
    return (rows, columns) if offset < 0 or (offset == 0 and lower) else (columns, rows)


def _extractable(a, op, offset):
    """The size of A's square matrices, checked to have a diagonal `offset`."""
    _square(a, op)
    if a.shape[-1] - abs(offset) <= 0:
        raise MXNetError('%s: offset %d is out of range for %dx%d matrices'
                         % (op, offset, a.shape[-1], a.shape[-1]))
    return a.shape[-1]


def _scatter_matrices(values, size, indices):
    """size x size zero matrices holding the last axis of `values` at (rows, columns)."""
    out = jnp.zeros(values.shape[:-1] + (size, size), values.dtype)
    return out.at[(Ellipsis,) + indices].set(values)


@register('_linalg_extractdiag', inputs=('A',), aliases=('linalg_extractdiag',),
          params=DIAG_PARAMS)
def linalg_extractdiag(params, ctx, a):
    """Diagonal `offset` of each square matrix (above the main one when offset > 0)."""
    indices = _diagonal_indices(_extractable(a, 'extractdiag', params.offset), params.offset)
    return (a[(Ellipsis,) + indices],)


@register('_linalg_makediag', inputs=('A',), aliases=('linalg_makediag',), params=DIAG_PARAMS)
def linalg_makediag(params, ctx, a):
    """Square matrices, zero but for diagonal `offset`, which holds the last axis of A."""
    if a.ndim < 1:
        raise MXNetError('makediag: A must have rank >= 1')
    size = a.shape[-1] + abs(params.offset)
    return (_scatter_matrices(a, size, _diagonal_indices(size, params.offset)),)


@register('_linalg_extracttrian', inputs=('A',), aliases=('linalg_extracttrian',),
          params=TRIAN_PARAMS)
def linalg_extracttrian(params, ctx, a):
    """The triangle of each square matrix from diagonal `offset` on (`_triangle_indices`),
    packed into a vector."""
    size = _extractable(a, 'extracttrian', params.offset)
    return (a[(Ellipsis,) + _triangle_indices(size, params.offset, params.lower)],)


@register('_linalg_maketrian', inputs=('A',), aliases=('linalg_maketrian',),
          params=TRIAN_PARAMS)
def linalg_maketrian(params, ctx, a):
    """Square matrices holding the packed triangles of A's last axis (extracttrian's
    inverse), zero elsewhere."""
    packed = a.shape[-1] if a.ndim else 0
    side = int(np.floor(0.5 + (np.sqrt(8 * packed + 1) - 1) / 2))
    if a.ndim < 1 or side * (side + 1) // 2 != packed:
        raise MXNetError('maketrian: the last axis of A (shape %s) must have a triangular '
                         'length n(n+1)/2' % (a.shape,))
    size = side + abs(params.offset)
    return (_scatter_matrices(a, size, _triangle_indices(size, params.offset, params.lower)),)
