"""Tests for mxsym/host_memory.py: with mxsym imported, a big block freed and allocated again
is reused (no page faults); with MXSYM_KEEP_HOST_MEMORY=0, malloc maps fresh pages as usual."""
import os
import subprocess
import sys

import pytest

from mxsym.host_memory import glibc, keep_freed_memory

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir)

# Page faults while touching a 64 MB block malloc'd after a first such block was freed.
FAULTS_ON_REUSE = r'''
import ctypes, resource
import mxsym
libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
size = 64 * 2 ** 20

def touch_new_block():
    block = libc.malloc(size)
    ctypes.memset(block, 1, size)
    libc.free(block)
touch_new_block()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
touch_new_block()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
'''


def faults_on_reuse(keep):
    env = dict(os.environ, MXSYM_KEEP_HOST_MEMORY=keep,
               PYTHONPATH=os.pathsep.join([ROOT, os.environ.get('PYTHONPATH', '')]))
    out = subprocess.run([sys.executable, '-c', FAULTS_ON_REUSE], env=env, check=True,
                         capture_output=True, text=True)
    return int(out.stdout.split()[-1])


# mxsym configures glibc's malloc only (mallopt's parameters are glibc's); with another C
# library it leaves malloc alone and there is no reuse to observe. CI runs on glibc Linux.
@pytest.mark.slow
@pytest.mark.skipif(glibc() is None, reason='mxsym tunes glibc malloc only')
def test_freed_block_is_reused_without_page_faults():
    kept, given_back = faults_on_reuse('1'), faults_on_reuse('0')
    assert kept < 64 * 2 ** 20 // os.sysconf('SC_PAGE_SIZE') // 100
    assert kept * 10 < given_back   # fewer faults with transparent huge pages, still many more


@pytest.mark.parametrize('value', ['0', 'false', 'off'])
def test_turned_off_by_the_environment(value):
    assert keep_freed_memory({'MXSYM_KEEP_HOST_MEMORY': value}) is False
