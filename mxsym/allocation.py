"""A guard before allocating arrays whose shapes come from a file: an inferred weight of 72 TiB
is refused with an error naming it, instead of reaching numpy or XLA and failing somewhere
inside them (or swapping the machine to a halt)."""
import functools
import math
import os

import jax.numpy as jnp

from .base import MXNetError

_CGROUP_LIMITS = ('/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes')


@functools.lru_cache(maxsize=None)
def _host_memory_bytes():
    """The memory this process may use on the host: physical memory, or less under a cgroup
    limit."""
    limits = [os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE')]
    for path in _CGROUP_LIMITS:
        try:
            with open(path) as limit:
                text = limit.read().strip()
        except OSError:
            continue
        if text.isdigit():
            limits.append(int(text))
    return min(limits)


def device_memory_bytes(device):
    """The bytes `device` can hold: its memory limit where JAX reports one (GPUs), else the
    host's."""
    stats = device.memory_stats() if device.platform != 'cpu' else None
    if stats and stats.get('bytes_limit'):
        return int(stats['bytes_limit'])
    return _host_memory_bytes()


def _describe_bytes(count):
    for unit, size in (('TiB', 2 ** 40), ('GiB', 2 ** 30), ('MiB', 2 ** 20), ('KiB', 2 ** 10)):
        if count >= size:
            return '%.1f %s' % (count / size, unit)
    return '%d bytes' % count


def check_fits(arrays, device, what):
    """Refuse to allocate `arrays`, (name, shape, dtype) triples, when one of them or all
    together exceed what `device` can hold; the error names the largest and its size."""
    sizes = [(math.prod(shape) * jnp.dtype(dtype).itemsize, name, tuple(shape))
             for name, shape, dtype in arrays]
    if not sizes:
        return
    limit = device_memory_bytes(device)
    total = sum(size for size, _, _ in sizes)
    if total <= limit:
        return
    size, name, shape = max(sizes, key=lambda entry: entry[0])
    raise MXNetError('%s: the arrays need %s, more than the %s that %s can hold; the largest '
                     'is %s of shape %s (%s)' % (what, _describe_bytes(total),
                                                 _describe_bytes(limit), device,
                                                 name, shape, _describe_bytes(size)))
