"""`mx.kv`: key-value stores for parameters and gradients.

'local' and 'device' stores are accepted and behave alike: values pushed from several devices
are summed, then either stored or handed to the optimizer's updater with the stored weight.
Within a `Module`, gradients of a data-parallel batch are already reduced inside the compiled
program, so the store only has to exist for scripts that create one.

The dist stores ('dist_sync', 'dist_device_sync', 'dist_sync_device') make the process one
worker of a `jax.distributed` job (see `distributed.py`): a push sums the values of every
worker, `init` keeps worker 0's values, and every worker holds the stored values and applies
the optimizer to them alike, where MXNet's servers would.
"""
import numpy as np

from . import distributed, ndarray as nd
from .base import MXNetError, _as_list
from .optimizer import get_updater

_TYPES = ('local', 'device', 'local_allreduce_cpu', 'local_allreduce_device', 'local_update_cpu')
_DIST_TYPES = ('dist_sync', 'dist_device_sync', 'dist_sync_device')


class KVStore:
    """Values by key (int or str) with push (sum, then update or store) and pull (copy out)."""

    OPTIMIZER = 'optimizer'

    def __init__(self, kv_type='local'):
        self._type = kv_type
        self._store = {}
        self._updater = None
        self._optimizer = None

    @property
    def type(self):
        return self._type

    @property
    def rank(self):
        return 0

    @property
    def num_workers(self):
        return 1

    def is_capable(self, capability):
        if capability.lower() != self.OPTIMIZER:
            raise MXNetError('KVStore: unknown capability %r' % capability)
        return True

    def _pairs(self, key, value):
        """``(key, value)`` pairs of a call; a store takes int keys or str keys, not both."""
        pairs = (list(zip(key, value)) if isinstance(key, (list, tuple)) else [(key, value)])
        if isinstance(key, (list, tuple)) and len(key) != len(value):
            raise MXNetError('KVStore: %d keys but %d values' % (len(key), len(value)))
        if len({isinstance(k, str) for k in list(self._store) + [k for k, _ in pairs]}) > 1:
            raise MXNetError('KVStore: keys %s mix int and str keys with those it holds; a '
                             'store takes either int or str keys' % ([k for k, _ in pairs],))
        return pairs

    def init(self, key, value):
        """Store initial values (a copy) under new keys."""
        for k, v in self._pairs(key, value):
            if k in self._store:
                raise MXNetError('KVStore.init: key %r is already initialized' % (k,))
            self._store[k] = v.copy()

    def _stored(self, key):
        if key not in self._store:
            raise MXNetError('KVStore: key %r has not been initialized (call init first)'
                             % (key,))
        return self._store[key]

    def push(self, key, value, priority=0):
        """Sum the values given for each key (one per device, and in a dist store over the
        workers); update or replace the stored value with the sum."""
        pairs = self._pairs(key, value)
        stored = [self._stored(k) for k, _ in pairs]
        merged = []
        for _, v in pairs:
            parts = _as_list(v)
            total = parts[0].copy()
            for part in parts[1:]:
                total += part.as_in_context(total.context)
            merged.append(total)
        for (k, _), target, total in zip(pairs, stored, self._sum_over_workers(merged)):
            if self._updater is not None:
                self._updater(k, total, target)
            else:
                target[:] = total

    def _sum_over_workers(self, arrays):
        return arrays

    def barrier(self):
        """Wait for every worker (there is only this one)."""

    def pull(self, key, out=None, priority=0, ignore_sparse=True):
        """Copy each key's stored value into its output array(s)."""
        if out is None:
            raise MXNetError('KVStore.pull: out must be given')
        for k, targets in self._pairs(key, out):
            stored = self._stored(k)
            for target in _as_list(targets):
                if not (ignore_sparse and target.stype != 'default'):
                    target[:] = stored

    def row_sparse_pull(self, key, out=None, priority=0, row_ids=None):
        """Copy the rows `row_ids` of each key's stored value into row_sparse outputs (the
        other rows zero); per key, one `row_ids` array for all its outputs, or one each."""
        if out is None or row_ids is None:
            raise MXNetError('KVStore.row_sparse_pull: out and row_ids must be given')
        keyed_ids = row_ids if isinstance(key, (list, tuple)) else [row_ids]
        for (k, targets), ids in zip(self._pairs(key, out), keyed_ids):
            stored = self._stored(k).asnumpy()
            targets, ids = _as_list(targets), _as_list(ids)
            if len(ids) == 1:
                ids = ids * len(targets)
            if len(ids) != len(targets):
                raise MXNetError('KVStore.row_sparse_pull: %d row_ids for %d outputs of key %r'
                                 % (len(ids), len(targets), k))
            for target, rows in zip(targets, ids):
                if target.stype != 'row_sparse':
                    raise MXNetError('KVStore.row_sparse_pull: output for key %r has storage '
                                     'type %s, not row_sparse' % (k, target.stype))
                kept = np.unique(rows.asnumpy().astype(np.int64).ravel())
                values = np.zeros_like(stored)
                values[kept] = stored[kept]
                target[:] = nd.array(values, ctx=target.context, dtype=target.dtype)

    def pushpull(self, key, value, out=None, priority=0):
        """Push, then pull into `out` (into `value` itself when `out` is None)."""
        self.push(key, value, priority)
        self.pull(key, value if out is None else out, priority)

    def broadcast(self, key, value, out, priority=0):
        """Initialize keys with `value` and copy it into `out`."""
        self.init(key, value)
        self.pull(key, out, priority)

    def set_optimizer(self, optimizer):
        """Apply `optimizer` to pushed gradients from now on."""
        self._optimizer = optimizer
        self._updater = get_updater(optimizer)

    def _set_updater(self, updater):
        self._updater = updater

    def save_optimizer_states(self, fname, dump_optimizer=False):
        if self._updater is None:
            raise MXNetError('KVStore.save_optimizer_states: no optimizer is set')
        with open(fname, 'wb') as fout:
            fout.write(self._updater.get_states(dump_optimizer))

    def load_optimizer_states(self, fname):
        if self._updater is None:
            raise MXNetError('KVStore.load_optimizer_states: no optimizer is set')
        with open(fname, 'rb') as fin:
            self._updater.set_states(fin.read())


class DistKVStore(KVStore):
    """A store shared by the workers of a job: synchronous, every push summed over them."""

    def __init__(self, kv_type):
        super().__init__(kv_type)
        self._rank, self._num_workers = distributed.join()

    @property
    def rank(self):
        return self._rank

    @property
    def num_workers(self):
        return self._num_workers

    def init(self, key, value):
        """Store worker 0's initial values under new keys, on every worker."""
        pairs = self._pairs(key, value)
        for k, _ in pairs:
            if k in self._store:
                raise MXNetError('KVStore.init: key %r is already initialized' % (k,))
        values = distributed.from_worker_zero([v.asnumpy() for _, v in pairs])
        for (k, v), first in zip(pairs, values):
            self._store[k] = nd.array(first, ctx=v.context, dtype=v.dtype)

    def _sum_over_workers(self, arrays):
        sums = distributed.sum_over_workers([a.asnumpy() for a in arrays])
        return [nd.array(total, ctx=a.context, dtype=a.dtype) for a, total in zip(arrays, sums)]

    def barrier(self):
        """Wait for every worker to reach this call."""
        distributed.barrier()


def create(name='local'):
    """A key-value store of type `name`: 'local' or 'device' within this process, or
    'dist_sync' / 'dist_device_sync' over the workers of a job."""
    if not isinstance(name, str):
        raise TypeError('name must be a string')
    name = name.lower()
    if name in _DIST_TYPES:
        return DistKVStore(name)
    if 'dist' in name and 'async' in name:
        raise MXNetError("kv.create: %r is not supported: workers here update in lockstep "
                         "inside one compiled step, with no parameter server to apply "
                         "updates as they arrive; use 'dist_sync' (the same arithmetic as one "
                         "process over the workers' combined batch)" % name)
    if name not in _TYPES:
        raise MXNetError("kv.create: store type %r is not supported; use 'local', 'device' "
                         "or 'dist_sync'" % name)
    return KVStore(name)
