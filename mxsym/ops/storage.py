"""MXNet's storage-type operators on values held densely: `cast_storage` changes only the storage
type an array is said to have (its values stay), `_sparse_retain` keeps the rows of a
row_sparse array named by an index array. Storage types themselves belong to arrays
(mxsym/ndarray/storage.py)."""
import jax.numpy as jnp

from ..ops_registry import Enum, Param, register

STORAGE_TYPES = ('default', 'row_sparse', 'csr')


@register('cast_storage', aliases=('_sparse_cast_storage',), unnamed_inputs=True,
          params={'stype': Param(Enum(*STORAGE_TYPES))})
def cast_storage(params, ctx, data):
    """The same values: held densely, every storage type has the same numbers."""
    return (data,)


@register('_sparse_retain', inputs=('data', 'indices'), nondiff_inputs=('indices',))
def sparse_retain(params, ctx, data, indices):
    """data's rows whose index is among `indices`; other rows are zeros."""
    rows = jnp.arange(data.shape[0])
    kept = jnp.isin(rows, indices.astype(jnp.int64).reshape(-1))
    return (jnp.where(kept.reshape((-1,) + (1,) * (data.ndim - 1)), data, 0).astype(data.dtype),)
