"""The casts that automatic mixed precision (AMP) inserts into converted models: amp_cast
and amp_multicast. They convert only from float32 and the low-precision floats; inputs of
other dtypes pass unchanged."""
import jax.numpy as jnp

from ..base import MXNetError
from ..ops_registry import MAX_OUTPUTS, Bool, DType, Int, Param, onnx_form, register
from .integer_rules import cast_back
from .rules import same_shape

AMP_TYPES = ('float32', 'float16', 'bfloat16')


def _converted(data, dtype):
    """data in dtype when data is one of AMP's floats, else unchanged. Integer targets take
    the nearest integer (ties to even) within their range, as MXNet's CPU (MKLDNN) reorder
    converts."""
    if data.dtype.name not in AMP_TYPES or data.dtype.name == dtype:
        return data
    target = jnp.dtype(dtype)
    if jnp.issubdtype(target, jnp.integer):
        limits = jnp.iinfo(target)
        data = jnp.clip(jnp.round(data.astype(jnp.float64)), limits.min, limits.max)
    return data.astype(target)


def _amp_cast_type(params, in_types, out_types):
    source = in_types[0]
    if source is None:
        return in_types, out_types
    return in_types, [params.dtype if source in AMP_TYPES else source]


@register('amp_cast', unnamed_inputs=True,
          params={'dtype': Param(DType('bfloat16', 'float16', 'float32', 'float64', 'int32',
                                       'int64', 'int8', 'uint8'))},
          infer_type=_amp_cast_type, infer_shape=same_shape, integer_backward=cast_back,
          channels_last='elementwise')
def amp_cast(params, ctx, data):
    """data in dtype if it is float32, float16 or bfloat16; other dtypes pass unchanged. The
    gradient comes back in data's dtype."""
    return (_converted(data, params.dtype),)


@onnx_form('amp_cast')
def _amp_cast_onnx(g, params, data):
    if g.in_dtypes[0] == g.out_dtypes[0]:
        return g.op('Identity', data)
    if g.out_dtypes[0].kind in 'iu':
        g.refuse('a cast of floats to integers rounds and saturates, which ONNX does not')
    return g.cast(data, g.out_dtypes[0])


def _common_type(params, types):
    """The dtype every AMP float among `types` becomes: float32 if any is float32 (else the
    first input's dtype); with cast_narrow, the last low-precision float seen (else
    float32)."""
    common = 'float32' if params.cast_narrow else types[0]
    for dtype in types:
        if not params.cast_narrow and dtype == 'float32':
            common = 'float32'
        elif params.cast_narrow and dtype in ('float16', 'bfloat16'):
            common = dtype
    return common


def _amp_multicast_type(params, in_types, out_types):
    if len(in_types) != params.num_outputs:
        raise MXNetError('amp_multicast: num_outputs is %d but %d inputs are given'
                         % (params.num_outputs, len(in_types)))
    if any(t is None for t in in_types):
        return in_types, out_types
    common = _common_type(params, in_types)
    return in_types, [common if t in AMP_TYPES else t for t in in_types]


@register('amp_multicast', variadic='num_outputs',
          used_inputs=lambda p: ['data_%d' % i for i in range(p.num_outputs)],
          params={'num_outputs': Param(Int(1, MAX_OUTPUTS)),
                  'cast_narrow': Param(Bool(), False)},
          outputs=lambda p: ['output%d' % i for i in range(p.num_outputs)],
          infer_type=_amp_multicast_type, integer_backward=cast_back)
def amp_multicast(params, ctx, *data):
    """The inputs with their AMP floats cast to one dtype: the widest (float32 when any
    input is float32), or with cast_narrow the narrowest. Gradients come back in each input's
    dtype."""
    common = _common_type(params, [x.dtype.name for x in data])
    return tuple(_converted(x, common) for x in data)


def _float32_flag(params, in_types, out_types):
    return in_types, ['float32']


@register('all_finite', params={'init_output': Param(Bool(), True)},
          infer_type=_float32_flag, has_gradient=False)
def all_finite(params, ctx, data):
    """AMP's overflow check: 1 (float32, shape (1,)) when no element is inf or NaN, else 0."""
    return (jnp.all(jnp.isfinite(data)).astype(jnp.float32).reshape(1),)


@register('multi_all_finite', variadic='num_arrays',
          used_inputs=lambda p: ['array_%d' % i for i in range(p.num_arrays)],
          params={'num_arrays': Param(Int(lower=1), 1), 'init_output': Param(Bool(), True)},
          infer_type=_float32_flag, has_gradient=False)
def multi_all_finite(params, ctx, *arrays):
    """all_finite over every input at once: 1 when none holds an inf or NaN, else 0."""
    finite = jnp.stack([jnp.all(jnp.isfinite(a)) for a in arrays]).all()
    return (finite.astype(jnp.float32).reshape(1),)
