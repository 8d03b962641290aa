"""Devices: `mx.cpu()`, `mx.gpu(i)` and the `Context` they build, mapped onto JAX devices."""
import threading

import jax

from .base import MXNetError


class Context:
    """A device an array lives on and a graph runs on: ``cpu(i)`` or ``gpu(i)``."""

    devtype2str = {1: 'cpu', 2: 'gpu', 3: 'cpu_pinned', 5: 'cpu_shared'}
    devstr2type = {v: k for k, v in devtype2str.items()}
    _default_ctx = threading.local()

    def __init__(self, device_type, device_id=0):
        if isinstance(device_type, Context):
            device_type, device_id = device_type.device_type, device_type.device_id
        if device_type not in self.devstr2type:
            raise MXNetError("unknown device type '%s'" % device_type)
        self.device_type = device_type
        self.device_id = device_id
        self._old_ctx = None

    @property
    def device_typeid(self):
        return self.devstr2type[self.device_type]

    @property
    def jax_device(self):
        """The JAX device behind this context; a clear error when it does not exist. Every
        CPU context is host memory, as in MXNet, so ``cpu(i)`` for any i is valid: beyond
        JAX's CPU devices it shares device ``i mod count`` (one, unless
        ``--xla_force_host_platform_device_count`` makes more)."""
        platform = 'gpu' if self.device_type == 'gpu' else 'cpu'
        try:
            devices = jax.local_devices(backend=platform)
        except RuntimeError:
            raise MXNetError('%s: no %s device is available to JAX on this machine'
                             % (self, platform.upper())) from None
        if platform == 'cpu' and self.device_id >= 0:
            return devices[self.device_id % len(devices)]
        if not 0 <= self.device_id < len(devices):
            raise MXNetError('%s: only %d %s device(s) are available'
                             % (self, len(devices), platform))
        return devices[self.device_id]

    def __hash__(self):
        return hash((self.device_type, self.device_id))

    def __eq__(self, other):
        return (isinstance(other, Context) and self.device_type == other.device_type
                and self.device_id == other.device_id)

    def __repr__(self):
        return '%s(%d)' % (self.device_type, self.device_id)

    __str__ = __repr__

    def __enter__(self):
        self._old_ctx = current_context()
        Context._default_ctx.value = self
        return self

    def __exit__(self, ptype, value, trace):
        Context._default_ctx.value = self._old_ctx

    @classmethod
    def default_ctx(cls):
        return current_context()


def cpu(device_id=0):
    """The CPU context."""
    return Context('cpu', device_id)


def cpu_pinned(device_id=0):
    """Pinned CPU memory; on JAX this is ordinary CPU memory."""
    return Context('cpu_pinned', device_id)


def gpu(device_id=0):
    """The GPU context with the given ordinal (checked when it is first used)."""
    return Context('gpu', device_id)


def num_gpus():
    """How many GPUs JAX can see."""
    try:
        return len(jax.devices('gpu'))
    except RuntimeError:
        return 0


def current_context():
    """The context set by the innermost ``with ctx:``, else ``cpu(0)``."""
    return getattr(Context._default_ctx, 'value', None) or Context('cpu', 0)
