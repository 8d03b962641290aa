"""`mx.kv`: a single-process key-value store for parameters and gradients.

'local' and 'device' stores are accepted and behave alike: values pushed from several devices
are summed, then either stored or handed to the optimizer's updater with the stored weight.
Within a `Module`, gradients of a data-parallel batch are already reduced inside the compiled
program, so the store only has to exist for scripts that create one.
"""
from .base import MXNetError, _as_list
from .optimizer import get_updater

_TYPES = ('local', 'device', 'local_allreduce_cpu', 'local_allreduce_device', 'local_update_cpu')


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

    @staticmethod
    def _pairs(key, value):
        if isinstance(key, (list, tuple)):
            if len(key) != len(value):
                raise MXNetError('KVStore: %d keys but %d values' % (len(key), len(value)))
            return list(zip(key, value))
        return [(key, value)]

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
        """Sum the values given for each key (one per device); update or replace the stored
        value with the sum."""
        for k, v in self._pairs(key, value):
            stored = self._stored(k)
            parts = _as_list(v)
            merged = parts[0].copy()
            for part in parts[1:]:
                merged += part
            if self._updater is not None:
                self._updater(k, merged, stored)
            else:
                stored[:] = merged

    def pull(self, key, out=None, priority=0, ignore_sparse=True):
        """Copy each key's stored value into its output array(s)."""
        if out is None:
            raise MXNetError('KVStore.pull: out must be given')
        for k, targets in self._pairs(key, out):
            stored = self._stored(k)
            for target in _as_list(targets):
                target[:] = stored

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


def create(name='local'):
    """A key-value store of type `name` ('local' or 'device'; distributed ones are not
    available in one process)."""
    if not isinstance(name, str):
        raise TypeError('name must be a string')
    name = name.lower()
    if name not in _TYPES:
        raise MXNetError("kv.create: store type %r is not supported; use 'local' or 'device'"
                         % name)
    return KVStore(name)
