"""Quantization: ``_contrib_quantize``, ``_contrib_quantize_v2`` and ``_contrib_dequantize``.

Numerics follow MXNet 1.9.1 on CPU, whose kernels are oneDNN reorders: a value times
``quantized range / max(|min|, |max|)`` rounded half to even and saturated to the output type.
quantize scales to 255 (uint8) or 127 (int8); quantize_v2 and dequantize to 255.5 or 127.5.
The ranges travel as (1,) float32 arrays. No input gets a gradient.
"""
import jax.numpy as jnp
import numpy as np

from ..base import MXNetError
from ..ops_registry import Enum, Float, Optional, Param, register
from .integer_rules import zero_gradient

_UINT8_RANGE, _INT8_RANGE = 255.5, 127.5   # quantize_v2's and dequantize's ranges


def _saturated(values, dtype):
    """Values rounded half to even and clipped to `dtype`'s range."""
    info = np.iinfo(dtype)
    return jnp.clip(jnp.round(values), info.min, info.max).astype(dtype)


def _quantized(data, data_min, data_max, out_type, quantized_range):
    """(quantized data, min, max): uint8 keeps the given range, int8 reports ±max(|min|, |max|)."""
    real_range = jnp.maximum(jnp.abs(data_min), jnp.abs(data_max))
    scale = jnp.float32(quantized_range) / real_range
    out = _saturated(data.astype(jnp.float32) * scale, np.dtype(out_type))
    if out_type == 'uint8':
        return out, data_min, data_max
    return out, -real_range, real_range


def _ranges_shape(params, in_shapes, out_shapes, input_names):
    """The data's shape passes through; every range is (1,)."""
    data = in_shapes[0] if in_shapes[0] is not None else (out_shapes[0] if out_shapes else None)
    shapes = [data] + [(1,)] * (len(in_shapes) - 1)
    return shapes, [data] + [(1,)] * (len(out_shapes) - 1)


def _float_inputs(op_name):
    def rule(params, in_types, out_types):
        for name, dtype in zip(('data', 'min_range', 'max_range'), in_types):
            if dtype not in (None, 'float32'):
                raise MXNetError('%s: %s must be float32, got %s' % (op_name, name, dtype))
        return ['float32'] * len(in_types), [params.out_type, 'float32', 'float32']
    return rule


_RANGE_OUTPUTS = ('output0', 'output1', 'output2')


@register('_contrib_quantize', inputs=('data', 'min_range', 'max_range'),
          params={'out_type': Param(Enum('int8', 'uint8'), 'uint8')}, outputs=_RANGE_OUTPUTS,
          infer_shape=_ranges_shape, infer_type=_float_inputs('quantize'),
          nondiff_inputs=('data', 'min_range', 'max_range'), integer_backward=zero_gradient)
def quantize(params, ctx, data, min_range, max_range):
    """float32 data in [min_range, max_range] as uint8 (scaled to 255) or int8 (to 127),
    with the range the result stands for."""
    quantized_range = 255.0 if params.out_type == 'uint8' else 127.0
    out, low, high = _quantized(data, min_range[0], max_range[0], params.out_type,
                                quantized_range)
    return out, low.reshape(1), high.reshape(1)


def _v2_out_type(params):
    """int8, uint8, or for 'auto' uint8 exactly when a calibrated range starts at 0 or above."""
    if params.out_type != 'auto':
        return params.out_type
    calibrated = params.min_calib_range is not None and params.max_calib_range is not None
    return 'uint8' if calibrated and params.min_calib_range >= 0 else 'int8'


def _v2_type(params, in_types, out_types):
    if in_types[0] not in (None, 'float32', 'uint8', 'int8'):
        raise MXNetError('quantize_v2: data must be float32, uint8 or int8, got %s' % in_types[0])
    return in_types, [_v2_out_type(params), 'float32', 'float32']


@register('_contrib_quantize_v2', inputs=('data',), outputs=_RANGE_OUTPUTS,
          params={'out_type': Param(Enum('auto', 'int8', 'uint8'), 'int8'),
                  'min_calib_range': Param(Optional(Float()), None),
                  'max_calib_range': Param(Optional(Float()), None)},
          infer_shape=_ranges_shape, infer_type=_v2_type, nondiff_inputs=('data',),
          integer_backward=zero_gradient)
def quantize_v2(params, ctx, data):
    """float32 data quantized over the calibrated range, or without one over the data's own
    min and max (uint8 scaled to 255.5, int8 to 127.5). Integer data passes through with the
    calibrated range, else its type's (0 to 255.5, or ±127.5)."""
    out_type = _v2_out_type(params)
    calibrated = params.min_calib_range is not None and params.max_calib_range is not None
    if data.dtype != jnp.float32:
        if calibrated:
            low, high = params.min_calib_range, params.max_calib_range
        else:
            low, high = (0.0, _UINT8_RANGE) if data.dtype == jnp.uint8 else \
                (-_INT8_RANGE, _INT8_RANGE)
        return (data.astype(out_type), jnp.full((1,), low, jnp.float32),
                jnp.full((1,), high, jnp.float32))
    if calibrated:
        data_min, data_max = jnp.float32(params.min_calib_range), \
            jnp.float32(params.max_calib_range)
    else:
        data_min, data_max = jnp.min(data), jnp.max(data)
    quantized_range = _UINT8_RANGE if out_type == 'uint8' else _INT8_RANGE
    out, low, high = _quantized(data, data_min, data_max, out_type, quantized_range)
    return out, low.reshape(1), high.reshape(1)


def _dequantize_type(params, in_types, out_types):
    if in_types[0] not in (None, 'uint8', 'int8'):
        raise MXNetError('dequantize: the input data type must be uint8 or int8, got %s'
                         % in_types[0])
    return [in_types[0], 'float32', 'float32'], ['float32']


@register('_contrib_dequantize', inputs=('data', 'min_range', 'max_range'),
          params={'out_type': Param(Enum('float32'), 'float32')},
          infer_shape=_ranges_shape, infer_type=_dequantize_type,
          nondiff_inputs=('data', 'min_range', 'max_range'), integer_backward=zero_gradient)
def dequantize(params, ctx, data, min_range, max_range):
    """uint8 or int8 data back to float32: times max(|min|, |max|) / 255.5 (uint8) or
    / 127.5 (int8)."""
    quantized_range = _UINT8_RANGE if data.dtype == jnp.uint8 else _INT8_RANGE
    real_range = jnp.maximum(jnp.abs(min_range[0]), jnp.abs(max_range[0]))
    return (data.astype(jnp.float32) * (real_range / jnp.float32(quantized_range)),)
