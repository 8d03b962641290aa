"""Gluon's helpers: splitting a batch over contexts and clipping gradients by their norm."""
import math
import warnings

import numpy as np

from .. import ndarray
from ..base import MXNetError
from ..ndarray import NDArray

__all__ = ['split_data', 'split_and_load', 'clip_global_norm']


def split_data(data, num_slice, batch_axis=0, even_split=True):
    """`data` cut into `num_slice` slices along `batch_axis` (as numpy's array_split when the
    size does not divide and `even_split` is False)."""
    size = data.shape[batch_axis]
    if even_split and size % num_slice != 0:
        raise ValueError("data with shape %s cannot be evenly split into %d slices along axis "
                         "%d. Use a batch size that's multiple of %d or set even_split=False to "
                         "allow uneven partitioning of data."
                         % (data.shape, num_slice, batch_axis, num_slice))
    each, extras = divmod(size, num_slice)
    sizes = [each + 1] * extras + [each] * (num_slice - extras)
    bounds = list(zip(np.cumsum([0] + sizes[:-1]).tolist(), np.cumsum(sizes).tolist()))
    if batch_axis == 0:
        return [data[begin:end] for begin, end in bounds]
    return [ndarray.slice_axis(data, axis=batch_axis, begin=begin, end=end)
            for begin, end in bounds]


def split_and_load(data, ctx_list, batch_axis=0, even_split=True):
    """`data` split along `batch_axis` into one slice per context, each on its context."""
    if not isinstance(data, NDArray):
        data = ndarray.array(data, ctx=ctx_list[0])
    if len(ctx_list) == 1:
        return [data.as_in_context(ctx_list[0])]
    slices = split_data(data, len(ctx_list), batch_axis, even_split)
    return [piece.as_in_context(ctx) for piece, ctx in zip(slices, ctx_list)]


def clip_global_norm(arrays, max_norm, check_isfinite=True):
    """Scale `arrays` in place so that their joint 2-norm is at most `max_norm`; the norm
    before scaling (a float, or an NDArray when `check_isfinite` is False)."""
    if not arrays:
        raise MXNetError('clip_global_norm: no arrays given')
    ctx = arrays[0].context
    total = ndarray.add_n(*[ndarray.dot(x, x).as_in_context(ctx)
                            for x in (array.reshape((-1,)) for array in arrays)])
    total_norm = ndarray.sqrt(total)
    if check_isfinite and not math.isfinite(total_norm.asscalar()):
        warnings.warn(UserWarning('nan or inf is detected. Clipping results will be undefined.'),
                      stacklevel=2)
    scale = max_norm / (total_norm + 1e-8)
    scale = ndarray.min(ndarray.concat(scale, ndarray.ones(1, ctx=ctx), dim=0))
    for array in arrays:
        array *= scale.as_in_context(array.context)
    return total_norm.asscalar() if check_isfinite else total_norm
