"""Shape and dtype rules shared by several op families, and MXNet's numeric conversions."""
import functools

import jax
import jax.numpy as jnp
import numpy as np

from ..base import MXNetError, defer_failure


def c_cast(values, dtype, xp=jnp):
    """`values` converted to `dtype` as C++ does on x86 (MXNet's ``DType(x)``), with numpy or
    jax.numpy as `xp`.

    Float to integer truncates; a value out of range (or NaN) becomes the most negative int32
    (int64 for 64-bit targets) before narrowing, so 300.0 -> uint8 is 44 and 1e10 is 0, where
    XLA would saturate.
    """
    dtype = np.dtype(dtype)
    if values.dtype.kind != 'f' or dtype.kind not in 'iu':
        return values.astype(dtype)
    wide = np.dtype(np.int64 if dtype.itemsize == 8 else np.int32)
    limit = 2.0 ** (8 * wide.itemsize - 1)
    in_range = (values > -limit - 1) & (values < limit)
    truncated = xp.where(in_range, values, 0).astype(wide)
    return xp.where(in_range, truncated, np.iinfo(wide).min).astype(dtype)


def check_axis(axis, ndim, op_name=None):
    """A possibly negative axis as a position in [0, ndim); an error (naming the op, if given)
    when it is out of range."""
    if not -ndim <= axis < ndim:
        raise MXNetError('%saxis %d is out of range for an input with %d dimensions'
                         % ('%s: ' % op_name if op_name else '', axis, ndim))
    return axis % ndim


def merge_shapes(known, new):
    """Combine two partial shapes (None = unknown, 0 = unknown dim); None when they conflict."""
    if known is None:
        return new
    if new is None:
        return known
    if len(known) != len(new):
        return None
    merged = []
    for a, b in zip(known, new):
        if a and b and a != b:
            return None
        merged.append(a or b)
    return tuple(merged)


def same_shape(params, in_shapes, out_shapes, input_names):
    """Every input and output has one shape (elementwise ops): any known one fills the others."""
    everything = list(in_shapes) + list(out_shapes)
    names = list(input_names) + ['output'] * len(out_shapes)
    common = None
    first = None
    for name, shape in zip(names, everything):
        if shape is None:
            continue
        merged = merge_shapes(common, shape)
        if merged is None:
            raise MXNetError('%s has shape %s but %s has shape %s; the shapes must be equal'
                             % (name, shape, first, common))
        if common is None:
            first = name
        common = merged
    return [common] * len(in_shapes), [common] * len(out_shapes)


def with_local_gradient(function, local_gradient):
    """`function(x)` whose gradient is head * local_gradient(x, function(x)): the rule MXNet's
    backward kernels apply where autodiff of `function` would choose differently."""
    @jax.custom_vjp
    def apply(x):
        return function(x)

    def forward(x):
        out = function(x)
        return out, (x, out)

    def backward(saved, head):
        x, out = saved
        return ((head * local_gradient(x, out)).astype(x.dtype),)

    apply.defvjp(forward, backward)
    return apply


def check_window_params(kind, names, longer_ok=False):
    """A check_params rule: a 1-D, 2-D or 3-D kernel, and `names` (stride, pad, ...) each
    either left out or as long as the kernel, as MXNet's parameter parsers check; with
    `longer_ok` (pooling) they may also be longer, their extra values unused."""
    def check(params):
        kernel = params.kernel
        if not kernel and getattr(params, 'global_pool', False):
            return
        if len(kernel) not in (1, 2, 3):
            raise MXNetError('%dD %s not supported (kernel %s)' % (len(kernel), kind, kernel))
        for name in names:
            given = params[name]
            if not given or len(given) == len(kernel):
                continue
            if not longer_ok:
                raise MXNetError('%s must have the same number of dimensions with kernel_size, '
                                 'but kernel_size is set to %s while %s is %s'
                                 % (name, tuple(kernel), name, tuple(given)))
            if len(given) < len(kernel):
                raise MXNetError('%s needs a value for each of the %d dimensions of kernel_size, '
                                 'but kernel_size is set to %s while %s is %s'
                                 % (name, len(kernel), tuple(kernel), name, tuple(given)))
    return check


def report_when(condition, error):
    """Has the program, when it runs, keep `error` for the next read of a result (asnumpy,
    wait_to_read) wherever the traced boolean `condition` holds, as MXNet raises the errors
    its asynchronous kernels find in their values."""
    jax.debug.callback(functools.partial(_keep_if, error), condition)


def _keep_if(error, condition):
    if condition:
        defer_failure(error)
