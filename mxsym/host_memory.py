"""Freed host memory kept for reuse, as MXNet's pooled storage keeps it.

XLA's CPU programs allocate their temporaries afresh on every run (about 500 MB for a MobileNet
training step at batch 8). glibc's malloc serves blocks that big with mmap and unmaps them on
free, so each run first touches fresh pages: over a hundred thousand page faults, 10-15% of a
conv net's training step on CPU. `keep_freed_memory` makes malloc (glibc only) serve every block
from one heap that it never trims: the process keeps its peak memory and reuses it. It is done on
import; ``MXSYM_KEEP_HOST_MEMORY=0`` leaves malloc as it is.
"""
import ctypes
import os
import sys

from .base import switched_off

# mallopt's parameters (glibc's malloc.h).
M_TRIM_THRESHOLD = -1
M_MMAP_MAX = -4
M_ARENA_MAX = -8
_LARGEST_INT = 2 ** 31 - 1


def glibc():
    """The C library when it is glibc (whose mallopt takes these parameters), else None."""
    if not sys.platform.startswith('linux'):
        return None
    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version   # only glibc has it
    except (OSError, AttributeError):
        return None
    return libc


def keep_freed_memory(environ=os.environ):
    """Configure glibc's malloc to keep and reuse freed blocks; True if it was done."""
    libc = glibc()
    if switched_off(environ, 'MXSYM_KEEP_HOST_MEMORY') or libc is None:
        return False
    settings = [(M_ARENA_MAX, 1),        # one heap, so threads' frees return to it
                (M_MMAP_MAX, 0),         # big blocks from the heap, not from mmap
                (M_TRIM_THRESHOLD, _LARGEST_INT)]   # and the heap not given back
    return all(libc.mallopt(parameter, value) == 1 for parameter, value in settings)
