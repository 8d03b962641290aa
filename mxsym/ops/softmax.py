"""The softmax family: softmax, log_softmax, softmin, SoftmaxActivation.

MXNet computes these in the data's dtype (float16 sums included); the `dtype` param only
changes the type the result is written in. With MXNET_SAFE_ACCUMULATION=1 (read when the op's
program is built) the sums, and softmax's quotients, are taken in a wider type: float32 for
float16, float64 for float32. The gradients are MXNet's formulas on the output,
declared with `jax.custom_vjp`: masked positions get exactly zero, and SoftmaxActivation's
gradient is MXNet's even where it is not the forward's.
"""
import os

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from ..base import MXNetError
from ..ops_registry import Bool, DType, Enum, Float, Int, Optional, Param, onnx_form, register
from .rules import check_axis

SAFE_ACCUMULATION = 'MXNET_SAFE_ACCUMULATION'
SOFTMAX_PARAMS = {
    'axis': Param(Int(), -1),
    'temperature': Param(Optional(Float()), None),
    'dtype': Param(DType('float16', 'float32', 'float64', none=True), None),
    'use_length': Param(Optional(Bool()), False),
}


class _Arithmetic:
    """The arithmetic of one softmax. Normally one working precision (float32 at least) with
    the result rounded once. When the result is written in another dtype than the data's
    (the dtype param), MXNet's own roundings show in it, so exact mode reproduces them: float64
    underneath, every intermediate rounded to the type MXNet holds it in, sums left to right."""

    def __init__(self, exact, *dtypes):
        self.exact = exact
        self.work = jnp.float64 if exact else np.result_type(jnp.float32, *dtypes)

    def round(self, value, dtype):
        if not self.exact or dtype == jnp.float64:
            return value
        info = jnp.finfo(dtype)
        return lax.reduce_precision(value, info.nexp, info.nmant)

    def sum(self, values, axis, dtype):
        """Sum along axis into an accumulator of dtype."""
        if not self.exact or dtype == jnp.float64:
            return values.sum(axis=axis, keepdims=True)

        def add(total, value):
            return self.round(total + value, dtype), None
        moved = jnp.moveaxis(values, axis, 0)
        total, _ = lax.scan(add, jnp.zeros(moved.shape[1:], values.dtype), moved)
        return jnp.expand_dims(total, axis)


def _result_type(*dtypes):
    """The type of C++ arithmetic on MXNet's values: any float16 operand gives float16."""
    if jnp.float16 in dtypes:
        return jnp.dtype(jnp.float16)
    return np.result_type(*dtypes)


def _float_math_type(dtype):
    """The type MXNet's exp and log give: float for float16 and float32, else double."""
    return jnp.dtype(jnp.float64 if dtype == jnp.float64 else jnp.float32)


def _accumulator_type(dtype, safe):
    """The type MXNet sums a row in: the dtype itself, or with safe accumulation a wider one."""
    if not safe:
        return jnp.dtype(dtype)
    return jnp.dtype(jnp.float32 if dtype == jnp.float16 else jnp.float64)


def _safe_accumulation():
    """Whether MXNET_SAFE_ACCUMULATION asks for wide sums (MXNet reads it as an integer)."""
    value = os.environ.get(SAFE_ACCUMULATION, '0').strip()
    return value.lstrip('-').isdigit() and int(value) != 0


def _valid_mask(data, axis, length):
    """True where a position counts: before `length` along axis (everywhere without one)."""
    if length is None:
        return None
    steps = lax.broadcasted_iota(jnp.int32, data.shape, axis)
    row_shape = data.shape[:axis] + (1,) + data.shape[axis + 1:]
    return steps < length.astype(jnp.int32).reshape(row_shape)


def _forward(data, mask, axis, temperature, log, negate, out_dtype, safe):
    """(log-)softmax as MXNet computes it: logits shifted by the row maximum and divided by
    the temperature in the data's dtype, exponentials in float (double for float64), the sum
    and softmax's quotient in the accumulator type, the logarithm in float or double as the
    accumulator is."""
    dtype = data.dtype
    math_type = _float_math_type(dtype)
    accumulator = _accumulator_type(dtype, safe)
    arith = _Arithmetic(out_dtype != dtype, dtype)
    x = (-data if negate else data).astype(arith.work)
    valid = x if mask is None else jnp.where(mask, x, -jnp.inf)
    peak = jnp.max(valid, axis=axis, keepdims=True)
    shifted = arith.round(x - jnp.where(jnp.isfinite(peak), peak, 0), dtype)
    if temperature != 1.0:
        scale = arith.round(jnp.asarray(temperature, arith.work), dtype)
        shifted = arith.round(shifted / scale, dtype)
    exps = arith.round(jnp.exp(shifted), math_type)
    if mask is not None:
        exps = jnp.where(mask, exps, 0)
    total = arith.sum(exps, axis, accumulator)
    if log:
        log_type = _float_math_type(accumulator)
        out = arith.round(shifted - arith.round(jnp.log(total), log_type),
                          _result_type(dtype, log_type))
    else:
        out = arith.round(exps / total, accumulator)
        if mask is not None:
            out = jnp.where(mask, out, 0)
    return out.astype(out_dtype)


def _gradient(out, head, mask, axis, temperature, log, negate, data_dtype, safe):
    """MXNet's softmax backward on the output: out * (head - sum(head * out)), or for
    log_softmax head - exp(out) * sum(head); divided by the temperature, zero where masked.
    The sums accumulate in the data's dtype (with safe accumulation, in the wider type of the
    output's); out and head come in the output's dtype."""
    out_dtype = out.dtype
    accumulator = _accumulator_type(out_dtype, True) if safe else jnp.dtype(data_dtype)
    arith = _Arithmetic(out_dtype != data_dtype, out_dtype, data_dtype)
    out, head = out.astype(arith.work), head.astype(arith.work)
    if mask is not None:
        head = jnp.where(mask, head, 0)
    if log:
        total = arith.sum(head, axis, accumulator)
        exps = arith.round(jnp.exp(out), _float_math_type(out_dtype))
        product_type = _result_type(_float_math_type(out_dtype), accumulator)
        grad = arith.round(head - arith.round(exps * total, product_type), product_type)
    else:
        total = arith.sum(arith.round(head * out, out_dtype), axis, accumulator)
        difference_type = _result_type(out_dtype, accumulator)
        grad = arith.round(out * arith.round(head - total, difference_type), difference_type)
    grad = arith.round(arith.round(grad, accumulator), data_dtype)
    grad = -grad if negate else grad
    if temperature != 1.0:
        scale = arith.round(jnp.asarray(temperature, arith.work), data_dtype)
        grad = arith.round(grad / scale, data_dtype)
    if mask is not None:
        grad = jnp.where(mask, grad, 0)
    return grad.astype(data_dtype)


def _softmax_family(params, data, length, log=False, negate=False):
    axis = check_axis(params.axis, data.ndim)
    temperature = 1.0 if params.temperature is None else params.temperature
    out_dtype = jnp.dtype(params.dtype or data.dtype)
    options = dict(axis=axis, temperature=temperature, log=log, negate=negate,
                   safe=_safe_accumulation())

    @jax.custom_vjp
    def apply(data, length):
        return _forward(data, _valid_mask(data, axis, length), out_dtype=out_dtype, **options)

    def apply_fwd(data, length):
        mask = _valid_mask(data, axis, length)
        out = _forward(data, mask, out_dtype=out_dtype, **options)
        return out, (out, mask)

    def apply_bwd(saved, head):
        out, mask = saved
        return _gradient(out, head, mask, data_dtype=data.dtype, **options), None

    apply.defvjp(apply_fwd, apply_bwd)
    return (apply(data, length),)


def _softmax_types(params, in_types, out_types):
    """The output has the dtype param's type, else the data's; the length keeps its own."""
    data, out = in_types[0], out_types[0]
    if params.dtype is not None:
        return [data or params.dtype] + list(in_types[1:]), [params.dtype]
    common = data or out
    return [common] + list(in_types[1:]), [common]


def _length_shape(params, in_shapes):
    """One length per softmax row: the data's shape without the axis ((1,) for 1-D data)."""
    data = in_shapes[0]
    if data is None or not params.use_length:
        return {}
    axis = check_axis(params.axis, len(data))
    return {'length': tuple(d for i, d in enumerate(data) if i != axis) or (1,)}


@register('softmax', inputs=('data', 'length'), params=SOFTMAX_PARAMS,
          used_inputs=lambda p: ('data', 'length') if p.use_length else ('data',),
          param_shapes=_length_shape, infer_type=_softmax_types, nondiff_inputs=('length',),
          settings=(SAFE_ACCUMULATION,))
def softmax(params, ctx, data, length=None):
    """softmax(data / temperature) along axis; with use_length, only the first length[i]
    positions of each row take part and the rest are 0."""
    return _softmax_family(params, data, length)


def _without_length(name, **variant):
    def compute(params, ctx, data):
        if params.use_length:
            raise MXNetError('%s takes no length input; use_length must be False' % name)
        return _softmax_family(params, data, None, **variant)
    return compute


register('log_softmax', params=SOFTMAX_PARAMS, infer_type=_softmax_types,
         settings=(SAFE_ACCUMULATION,))(_without_length('log_softmax', log=True))
register('softmin', unnamed_inputs=True, params=SOFTMAX_PARAMS, infer_type=_softmax_types,
         settings=(SAFE_ACCUMULATION,))(_without_length('softmin', negate=True))


@onnx_form('softmax', 'log_softmax', 'softmin')
def _softmax_onnx(g, params, data, length=None):
    """ONNX's Softmax or LogSoftmax of data / temperature (negated for softmin), positions
    past a row's length set to minus infinity first and to 0 after."""
    axis = check_axis(params.axis, len(g.in_shapes[0]))
    if g.out_dtypes[0] != g.in_dtypes[0]:
        data = g.cast(data, g.out_dtypes[0])
    dtype = g.out_dtypes[0]
    if params.temperature is not None and params.temperature != 1:
        data = g.op('Div', data, g.const(params.temperature, dtype))
    if g.node.op.name == 'softmin':
        data = g.op('Neg', data)
    valid = None
    if length is not None:
        size = g.op('Gather', g.op('Shape', data), g.const(axis, np.int64))
        positions = g.op('Range', g.const(0, np.int64), size, g.const(1, np.int64))
        ndim = len(g.in_shapes[0])
        positions = g.op('Reshape', positions, g.ints([-1] + [1] * (ndim - 1 - axis)))
        valid = g.op('Less', positions, g.axes_input('Unsqueeze', g.cast(length, np.int64),
                                                     [axis]))
        data = g.op('Where', valid, data, g.const(-np.inf, dtype))
    out = g.op('LogSoftmax' if g.node.op.name == 'log_softmax' else 'Softmax', data,
               axis=axis)
    return out if valid is None else g.op('Where', valid, out, g.const(0, dtype))


@register('SoftmaxActivation', unnamed_inputs=True,
          params={'mode': Param(Enum('channel', 'instance'), 'instance')})
def softmax_activation(params, ctx, data):
    """Softmax over the last axis ('instance': MXNet views the data as 2-D rows) or over axis 1
    ('channel'). In both modes MXNet's gradient is the channel-wise one (over axis 1), which for
    'instance' on data of rank 3 or more is not the gradient of the forward."""
    least_rank = 3 if params.mode == 'channel' else 2
    if data.ndim < least_rank:
        raise MXNetError('SoftmaxActivation with mode=%s needs data of rank %d or more, got '
                         'rank %d' % (params.mode, least_rank, data.ndim))
    channels = (data.shape[0], data.shape[1], -1)

    @jax.custom_vjp
    def apply(data):
        if params.mode == 'instance':
            return jax.nn.softmax(data, axis=-1)
        return jax.nn.softmax(data.reshape(channels), axis=1).reshape(data.shape)

    def apply_fwd(data):
        out = apply(data)
        return out, out

    def apply_bwd(out, head):
        out3, head3 = out.reshape(channels), head.reshape(channels)
        grad = out3 * (head3 - (head3 * out3).sum(axis=1, keepdims=True))
        return (grad.reshape(out.shape),)

    apply.defvjp(apply_fwd, apply_bwd)
    return (apply(data),)
