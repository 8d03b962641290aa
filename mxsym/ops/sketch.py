"""Operators of compact bilinear pooling and tensor decompositions: count_sketch, fft and
ifft over the last axis (complex values interleaved as re, im), and the Khatri-Rao product.
MXNet 1.9.1 runs count_sketch, fft and ifft on GPU only; mxsym runs them everywhere."""
import jax
import jax.numpy as jnp

from ..base import MXNetError
from ..ops_registry import Int, Param, register


def _check_rank(op_name, data):
    if data.ndim not in (2, 4):
        raise MXNetError('%s: data must be 2-D or 4-D, got shape %s' % (op_name, data.shape))


def _complex_type(dtype):
    return jnp.complex128 if dtype == jnp.float64 else jnp.complex64


@register('_contrib_count_sketch', inputs=('data', 'h', 's'),
          params={'out_dim': Param(Int()), 'processing_batch_size': Param(Int(), 32)},
          nondiff_inputs=('h', 's'))
def count_sketch(params, ctx, data, h, s):
    """Sketch the last axis of data (in_dim values) into out_dim buckets: out[.., h[i]] +=
    s[i] * data[.., i], with h (1, in_dim) bucket indices and s (1, in_dim) signs.
    processing_batch_size only paces MXNet's GPU kernel."""
    _check_rank('count_sketch', data)
    in_dim = data.shape[-1]
    if h.ndim != 2 or s.ndim != 2 or h.shape[1] != in_dim or s.shape[1] != in_dim:
        raise MXNetError('count_sketch: h %s and s %s must be 2-D with %d columns (data\'s last '
                         'axis)' % (h.shape, s.shape, in_dim))
    h, s = jax.lax.stop_gradient(h), jax.lax.stop_gradient(s)
    buckets = jax.nn.one_hot(h.reshape(-1)[:in_dim].astype(jnp.int32), params.out_dim,
                             dtype=data.dtype)
    sketch = buckets * s.reshape(-1)[:in_dim, None].astype(data.dtype)
    return (data @ sketch,)


def _fft_shapes(op_name, widen):
    def infer_shape(params, in_shapes, out_shapes, input_names):
        data = in_shapes[0]
        if data is None:
            return in_shapes, out_shapes
        if len(data) not in (2, 4):
            raise MXNetError('%s: data must be 2-D or 4-D, got shape %s' % (op_name, data))
        last = data[-1] * 2 if widen else data[-1] // 2
        return in_shapes, [tuple(data[:-1]) + (last,)]
    return infer_shape


@register('_contrib_fft', params={'compute_size': Param(Int(), 128)},
          infer_shape=_fft_shapes('fft', True))
def fft(params, ctx, data):
    """Unnormalised discrete Fourier transform of each row of real data (.., d): (.., 2d)
    holding re, im of each frequency in turn. compute_size only paces MXNet's GPU kernel."""
    _check_rank('fft', data)
    spectrum = jnp.fft.fft(data.astype(_complex_type(data.dtype)), axis=-1)
    parts = jnp.stack([jnp.real(spectrum), jnp.imag(spectrum)], axis=-1)
    return (parts.reshape(data.shape[:-1] + (2 * data.shape[-1],)).astype(data.dtype),)


@register('_contrib_ifft', params={'compute_size': Param(Int(), 128)},
          infer_shape=_fft_shapes('ifft', False))
def ifft(params, ctx, data):
    """Real part of the unnormalised inverse transform (no 1/d, as in MXNet) of each row of
    interleaved complex data (.., 2d): (.., d)."""
    _check_rank('ifft', data)
    pairs = data.reshape(data.shape[:-1] + (data.shape[-1] // 2, 2))
    spectrum = jax.lax.complex(*(pairs[..., i].astype(jnp.promote_types(data.dtype,
                                                                           jnp.float32))
                                 for i in range(2)))
    signal = jnp.real(jnp.fft.ifft(spectrum, axis=-1)) * spectrum.shape[-1]
    return (signal.astype(data.dtype),)


@register('khatri_rao', variadic='num_args', params={'num_args': Param(Int(lower=1))},
          has_gradient=False)
def khatri_rao(params, ctx, *matrices):
    """Column-wise Kronecker product of matrices (I_k, R): (prod I_k, R), the first matrix's
    row index the slowest."""
    columns = matrices[0].shape[1]
    for matrix in matrices:
        if matrix.ndim != 2 or matrix.shape[1] != columns:
            raise MXNetError('khatri_rao: every input must be 2-D with %d columns, got shapes %s'
                             % (columns, [m.shape for m in matrices]))
    product = matrices[0]
    for matrix in matrices[1:]:
        product = (product[:, None, :] * matrix[None, :, :]).reshape(-1, columns)
    return (product,)
