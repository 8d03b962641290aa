"""Builders of `OpDef.integer_backward` rules: MXNet's backward where integers take part.

MXNet runs an op's backward kernel in the dtype of its values: an integer input gets an integer
gradient, computed with C's integer arithmetic (products wrap around, a local derivative such
as ``0.5f / y`` is truncated to the dtype before it multiplies the head gradient). A rule takes
``(params, inputs, outputs, heads, forward)`` and returns one gradient per input (None: zero).
"""
import jax
import jax.numpy as jnp
import numpy as np

from .rules import c_cast


def zero_gradient(params, inputs, outputs, heads, forward):
    """MXNet gives every input a zero gradient (index-valued or shape-valued outputs, samples)."""
    return [None] * len(inputs)


def float64_vjp(*positions):
    """The rule of an op that only moves, copies or sums the values of its inputs at
    `positions` (reshape, slice, tile, take, sort, sum; no positions: every input): JAX's
    gradient of the op, taken with integer inputs widened to float64, is exact while integers
    stay below 2**53 in magnitude (the range this rule relies on); each gradient goes back to
    its input's dtype, integers wrapping around as C's integer sums do. Integer outputs
    (indices, samples) pass no gradient: MXNet ignores their head gradients."""
    def rule(params, inputs, outputs, heads, forward):
        varying = positions or range(len(inputs))

        def partial(*varied):
            values = list(inputs)
            for position, value in zip(varying, varied):
                values[position] = value
            return list(forward(*values))

        wide = [_widened(inputs[p]) for p in varying]
        results, pullback = jax.vjp(partial, *wide)
        varied = pullback([_cotangent(head, out) for head, out in zip(heads, results)])
        gradients = [None] * len(inputs)
        for position, gradient in zip(varying, varied):
            gradients[position] = _back_to(gradient, inputs[position].dtype)
        return gradients
    return rule


def _widened(values):
    return values if jnp.issubdtype(values.dtype, jnp.inexact) else values.astype(jnp.float64)


def _cotangent(head, result):
    if jnp.issubdtype(result.dtype, jnp.inexact):
        return head.astype(result.dtype)
    return np.zeros(result.shape, jax.dtypes.float0)


def _back_to(values, dtype):
    """A gradient to `dtype`; a float64 gradient of integer values goes through int64, so
    integers wrap around."""
    if jnp.issubdtype(dtype, jnp.inexact):
        return values.astype(dtype)
    return values.astype(jnp.int64).astype(dtype)


def sum_to_shape(values, shape):
    """`values` summed over the axes broadcasting stretched to reach their shape from `shape`,
    in their own dtype (integer sums wrap around, as MXNet's reduction kernel's do)."""
    if values.shape == tuple(shape):
        return values
    extra = values.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(
        extra + i for i, size in enumerate(shape) if size == 1 and values.shape[extra + i] != 1)
    return jnp.sum(values, axis=axes, dtype=values.dtype).reshape(shape)


def scaled_by(*local_gradients):
    """The rule of an elementwise op whose input i gets ``head * local_gradients[i](inputs,
    outputs)``, the local gradient already in the input's dtype (None: a zero gradient), the
    product taken in that dtype and summed back over broadcast axes."""
    def rule(params, inputs, outputs, heads, forward):
        gradients = []
        for x, local in zip(inputs, local_gradients):
            if local is None:
                gradients.append(None)
                continue
            full = heads[0].astype(x.dtype) * local(inputs, outputs)
            gradients.append(sum_to_shape(full.astype(x.dtype), x.shape))
        return gradients
    return rule


def cast_back(params, inputs, outputs, heads, forward):
    """The gradient of dtype conversions (output i converts input i): each head gradient
    converted back to its input's dtype as C converts (floats truncated to integers, integers
    wrapping). float16 goes through float32 (exactly), whose range holds the integer limits
    the conversion checks."""
    widened = [head.astype(jnp.float32) if head.dtype in (jnp.float16, jnp.bfloat16) else head
               for head in heads]
    return [c_cast(head, x.dtype) for head, x in zip(widened, inputs)]
