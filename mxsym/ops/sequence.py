"""Sequence ops over (time, batch, ...) data: SequenceMask, SequenceLast, SequenceReverse.

With use_sequence_length, a `sequence_length` input holds each batch item's length (fractions
are truncated toward zero); it gets a zero gradient. `axis` names the time axis; the batch axis
is the other one of the first two.
"""
import jax.numpy as jnp
import numpy as np

from ..base import MXNetError
from ..ops_registry import Bool, Float, Int, Param, onnx_form, register


def _with_length(params):
    return ('data', 'sequence_length') if params.use_sequence_length else ('data',)


def _time_axis(params, data_ndim, allowed):
    if params.axis not in allowed:
        raise MXNetError('the sequence axis must be %s, got %d'
                         % (' or '.join(map(str, allowed)), params.axis))
    if data_ndim < 2:
        raise MXNetError('the data must have rank 2 or more, got rank %d' % data_ndim)
    return params.axis


def _length_per_batch_item(params, in_shapes):
    data = in_shapes[0]
    if data is None or not params.use_sequence_length:
        return {}
    return {'sequence_length': (data[1 - params.axis],)}


def _types_follow_data(params, in_types, out_types):
    """The output has the data's dtype; a sequence_length of unknown dtype takes it too."""
    data = in_types[0]
    if data is None:
        return in_types, out_types
    return [data] + [t or data for t in in_types[1:]], [data]


def _lengths(sequence_length):
    """Integer lengths, truncated toward zero like MXNet's index casts."""
    return sequence_length.astype(jnp.int32)


def _time_index(data, axis):
    """The time step of every element, shaped to broadcast against the data."""
    shape = [1] * data.ndim
    shape[axis] = data.shape[axis]
    return jnp.arange(data.shape[axis]).reshape(shape)


def _per_batch_item(lengths, data, axis):
    """Per-batch-item lengths, shaped to broadcast against the data."""
    shape = [1] * data.ndim
    shape[1 - axis] = data.shape[1 - axis]
    return lengths.reshape(shape)


SEQUENCE_PARAMS = {'use_sequence_length': Param(Bool(), False), 'axis': Param(Int(), 0)}


@register('SequenceMask', inputs=('data', 'sequence_length'),
          params={'use_sequence_length': Param(Bool(), False), 'value': Param(Float(), 0.0),
                  'axis': Param(Int(), 0)},
          used_inputs=_with_length, param_shapes=_length_per_batch_item,
          infer_type=_types_follow_data, nondiff_inputs=('sequence_length',))
def sequence_mask(params, ctx, data, sequence_length=None):
    """Steps at or past each item's length become `value`; without lengths, the identity."""
    axis = _time_axis(params, data.ndim, (0, 1))
    if sequence_length is None:
        return (data,)
    length = _per_batch_item(_lengths(sequence_length), data, axis)
    value = jnp.asarray(np.float32(params.value), data.dtype)
    return (jnp.where(_time_index(data, axis) < length, data, value),)


@onnx_form('SequenceMask')
def _sequence_mask_onnx(g, params, data, sequence_length=None):
    if sequence_length is None:
        return g.op('Identity', data)
    ndim, axis = len(g.in_shapes[0]), params.axis
    steps = g.op('Gather', g.op('Shape', data), g.const(axis, np.int64))
    time = g.op('Range', g.const(0, np.int64), steps, g.const(1, np.int64))
    time = g.op('Reshape', time, g.ints([-1] + [1] * (ndim - 1 - axis)))
    length_shape = [-1] + [1] * (ndim - 2 + axis)
    length = g.op('Reshape', g.cast(sequence_length, np.int64), g.ints(length_shape))
    value = g.const(np.asarray(np.float32(params.value), g.in_dtypes[0]))
    return g.op('Where', g.op('Less', time, length), data, value)


@register('SequenceLast', inputs=('data', 'sequence_length'), params=SEQUENCE_PARAMS,
          used_inputs=_with_length, param_shapes=_length_per_batch_item,
          infer_type=_types_follow_data, nondiff_inputs=('sequence_length',))
def sequence_last(params, ctx, data, sequence_length=None):
    """Each batch item's last step (step length - 1; the final step without lengths)."""
    axis = _time_axis(params, data.ndim, (0, 1))
    time_major = data if axis == 0 else jnp.swapaxes(data, 0, 1)
    steps, batch = time_major.shape[:2]
    if sequence_length is None:
        return (time_major[steps - 1],)
    last = _lengths(sequence_length) - 1
    return (time_major[last, jnp.arange(batch)],)


@register('SequenceReverse', inputs=('data', 'sequence_length'), params=SEQUENCE_PARAMS,
          used_inputs=_with_length, param_shapes=_length_per_batch_item,
          infer_type=_types_follow_data, nondiff_inputs=('sequence_length',))
def sequence_reverse(params, ctx, data, sequence_length=None):
    """Reverse the first `length` steps of each batch item; padding steps stay in place."""
    axis = _time_axis(params, data.ndim, (0,))
    if sequence_length is None:
        return (jnp.flip(data, axis),)
    length = _per_batch_item(_lengths(sequence_length), data, axis)
    step = _time_index(data, axis)
    source = jnp.where(step < length, length - 1 - step, step)
    source = jnp.broadcast_to(source, data.shape[:2] + (1,) * (data.ndim - 2))
    return (jnp.take_along_axis(data, source, axis=0),)
