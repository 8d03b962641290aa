"""The on-disk program cache: where it lives, how it is turned off, and that a stored program
is loaded by a later binding without tracing, that one JAX's cache gave back is not stored, and
that only the user's own, private files are trusted."""
import os
import stat
import subprocess
import sys

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from mxsym import compilation_cache, compile_options
from mxsym.compilation_cache import CachedJit, cache_folder


@pytest.mark.parametrize('environ, expected', [
    ({}, os.path.join(os.path.expanduser('~'), '.cache', 'mxsym')),
    ({'XDG_CACHE_HOME': '/xdg'}, os.path.join('/xdg', 'mxsym')),
    ({'MXSYM_CACHE_DIR': '/cache', 'XDG_CACHE_HOME': '/xdg'}, '/cache'),
    ({'MXSYM_CACHE_DIR': '/cache', 'MXSYM_COMPILATION_CACHE': '0'}, None),
    ({'MXSYM_COMPILATION_CACHE': 'off'}, None),
    ({'MXSYM_COMPILATION_CACHE': '1', 'MXSYM_CACHE_DIR': '/cache'}, '/cache'),
])
def test_cache_folder(environ, expected):
    assert cache_folder(environ) == expected


def test_stored_program_is_loaded_without_tracing(tmp_path, monkeypatch):
    monkeypatch.setenv('MXSYM_COMPILATION_CACHE', '1')
    monkeypatch.setenv('MXSYM_CACHE_DIR', str(tmp_path))
    monkeypatch.setattr(compilation_cache, 'MIN_COMPILE_SECONDS', 0)
    monkeypatch.setattr(compile_options, 'QUICK_ELEMENTS', 0)
    traced = []

    def program():
        """A new function object each time, as a new process would have."""
        def scale(values, factor):
            traced.append(1)
            return [v * factor for v in values]
        return scale
    args = ([jnp.arange(3.0), jnp.ones((2, 2))], jnp.float32(2))
    first = CachedJit(program(), ('scale', 1))(*args)
    assert len(traced) == 1 and len(os.listdir(tmp_path / 'programs')) == 1
    second = CachedJit(program(), ('scale', 1))(*args)
    assert len(traced) == 1
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(second[0], [0, 2, 4])
    # Other shapes, or another name, are other programs.
    second_jit = CachedJit(program(), ('scale', 1))
    second_jit(*args)
    wider = second_jit([jnp.arange(4.0)], jnp.float32(2))
    np.testing.assert_array_equal(wider[0], [0, 2, 4, 6])
    CachedJit(program(), ('scale', 2))(*args)
    assert len(traced) == 3 and len(os.listdir(tmp_path / 'programs')) == 3


@pytest.mark.parametrize('min_seconds, quick_elements', [(1e9, 0), (0, 4096)])
def test_quickly_compiled_program_is_not_stored(tmp_path, monkeypatch, min_seconds,
                                                quick_elements):
    """Neither a program XLA compiled quickly nor a small one is worth a file."""
    monkeypatch.setenv('MXSYM_COMPILATION_CACHE', '1')
    monkeypatch.setenv('MXSYM_CACHE_DIR', str(tmp_path))
    monkeypatch.setattr(compilation_cache, 'MIN_COMPILE_SECONDS', min_seconds)
    monkeypatch.setattr(compile_options, 'QUICK_ELEMENTS', quick_elements)
    add = CachedJit(lambda a, b: a + b, ('add',))
    np.testing.assert_array_equal(add(jnp.ones(2), jnp.ones(2)), [2, 2])
    np.testing.assert_array_equal(add(jnp.ones(3), jnp.ones(3)), [2, 2, 2])
    assert not (tmp_path / 'programs').exists()


def test_executables_kept_in_memory_are_bounded(monkeypatch):
    """Shapes after shapes (a user's variable-length batches, an op checked on one random shape
    after another) do not pile up executables, across all programs together."""
    monkeypatch.setattr(compilation_cache, 'EXECUTABLES_KEPT', 3)
    double, triple = CachedJit(lambda x: x * 2), CachedJit(lambda x: x * 3)
    for size in (1, 2, 3, 1):
        np.testing.assert_array_equal(double(jnp.ones(size)), np.full(size, 2.0))
    assert len(double._executables) == 3
    np.testing.assert_array_equal(triple(jnp.ones(2)), [3, 3])
    assert len(double._executables) + len(triple._executables) == 3
    # the least recently used, double's for size 2, went first
    assert sorted(leaves[0][0] for _, leaves in double._executables) == [(1,), (3,)]
    np.testing.assert_array_equal(double(jnp.ones(1)), [2])


def test_jax_caches_are_cleared_every_so_many_compilations(monkeypatch):
    """JAX's caches are cleared now and then; the executables kept run on, uncompiled."""
    monkeypatch.setattr(compilation_cache, 'JAX_CACHES_CLEARED_EVERY', 3)
    monkeypatch.setattr(compilation_cache, '_compilations', 0)
    cleared = []
    clear = jax.clear_caches
    monkeypatch.setattr(jax, 'clear_caches', lambda: cleared.append(1) or clear())
    program = CachedJit(lambda x: x * 5)
    for size in range(1, 8):
        np.testing.assert_array_equal(program(jnp.ones(size)), np.full(size, 5.0))
    assert len(cleared) == 2
    compiles = []
    monkeypatch.setattr(compile_options, 'compile_lowered',
                        lambda lowered, quick=False: compiles.append(1) or (lowered.compile(), False))
    for size in range(1, 8):
        np.testing.assert_array_equal(program(jnp.ones(size)), np.full(size, 5.0))
    assert compiles == [] and len(cleared) == 2


@pytest.mark.parametrize('limit, dropped', [(10 ** 9, False), (2, True)])
def test_executables_are_dropped_near_the_mapping_limit(monkeypatch, limit, dropped):
    """Past a fraction of the memory mappings the system allows (each executable holds some),
    the kept executables and JAX's caches are dropped before the next compilation."""
    monkeypatch.setattr(compilation_cache, 'MAPPINGS_CHECKED_EVERY', 1)
    monkeypatch.setattr(compilation_cache, '_mapping_limit', lambda: limit)
    double, triple = CachedJit(lambda x: x * 2), CachedJit(lambda x: x * 3)
    np.testing.assert_array_equal(double(jnp.ones(2)), [2, 2])
    np.testing.assert_array_equal(triple(jnp.ones(3)), [3, 3, 3])
    assert (not double._executables and double._last is None) is dropped
    assert len(triple._executables) == 1
    np.testing.assert_array_equal(double(jnp.ones(2)), [2, 2])


def stored_scale_program(tmp_path, monkeypatch):
    """A cache in `tmp_path` holding one program; returns (path of its file, a function making
    and calling a CachedJit for it that returns how many times it traced)."""
    monkeypatch.setenv('MXSYM_COMPILATION_CACHE', '1')
    monkeypatch.setenv('MXSYM_CACHE_DIR', str(tmp_path))
    monkeypatch.setattr(compilation_cache, 'MIN_COMPILE_SECONDS', 0)
    monkeypatch.setattr(compile_options, 'QUICK_ELEMENTS', 0)
    traced = []

    def call():
        def scale(values):
            traced.append(1)
            return values * 3
        np.testing.assert_array_equal(CachedJit(scale, ('scale',))(jnp.arange(3.0)), [0, 3, 6])
        return len(traced)
    assert call() == 1
    (name,) = os.listdir(tmp_path / 'programs')
    return tmp_path / 'programs' / name, call


def test_cache_folders_are_private(tmp_path, monkeypatch):
    root = tmp_path / 'cache'
    path, _ = stored_scale_program(root, monkeypatch)
    for folder in (root, root / 'programs'):
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert not os.stat(path).st_mode & 0o077


@pytest.mark.parametrize('mode', [0o620, 0o602])
def test_file_writable_by_others_is_compiled_again(tmp_path, monkeypatch, mode):
    path, call = stored_scale_program(tmp_path, monkeypatch)
    os.chmod(path, mode)
    with pytest.warns(UserWarning, match='writable by others'):
        assert call() == 2
    os.chmod(path, 0o600)
    assert call() == 2


def test_file_of_another_user_is_compiled_again(tmp_path, monkeypatch):
    path, call = stored_scale_program(tmp_path, monkeypatch)
    monkeypatch.setattr(os, 'getuid', lambda: os.stat(path).st_uid + 1)
    with pytest.warns(UserWarning, match='not owned by this user'):
        assert call() == 2


def test_damaged_file_is_skipped_with_a_warning(tmp_path, monkeypatch):
    path, call = stored_scale_program(tmp_path, monkeypatch)
    path.write_bytes(path.read_bytes()[:100])
    with pytest.warns(UserWarning, match='unreadable'):
        assert call() == 2


# A small convolutional network's inference, bound and run in a process of its own; prints a
# checksum of its output. Its program holds channel transposes, the kernels that went missing.
CONV_NET_SCRIPT = '''
import jax
import numpy as np
import mxsym as mx
from mxsym import compilation_cache, compile_options
compilation_cache.MIN_COMPILE_SECONDS = 0
compile_options.QUICK_ELEMENTS = 0
jax.config.update('jax_persistent_cache_min_compile_time_secs', 0)
net = mx.sym.Convolution(mx.sym.Variable('data'), kernel=(3, 3), num_filter=8, pad=(1, 1))
net = mx.sym.Activation(mx.sym.BatchNorm(net), act_type='relu')
net = mx.sym.Pooling(net, kernel=(2, 2), stride=(2, 2), pool_type='max')
net = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(net, num_hidden=10), name='softmax')
exe = net.simple_bind(mx.cpu(), data=(4, 3, 8, 8))
rng = np.random.RandomState(0)
for array in exe.arg_arrays + exe.aux_arrays:
    array[:] = rng.uniform(0.5, 1.5, array.shape)
print(repr(exe.forward()[0].asnumpy().sum(axis=0).tolist()))
'''


@pytest.mark.slow
def test_program_from_jax_cache_is_not_stored_again(tmp_path):
    """After an upgrade mxsym's own entries are gone but JAX's cache still holds the program:
    what JAX hands back is used, not stored (re-serialized, it would lack kernels)."""
    env = dict(os.environ, MXSYM_COMPILATION_CACHE='1', MXSYM_CACHE_DIR=str(tmp_path))

    def run():
        return subprocess.run([sys.executable, '-c', CONV_NET_SCRIPT], env=env, check=True,
                              capture_output=True, text=True).stdout
    first = run()
    programs = tmp_path / 'programs'
    assert os.listdir(programs) and os.listdir(tmp_path / 'jax-lru')
    for name in os.listdir(programs):
        os.remove(programs / name)
    assert run() == first
    assert not os.listdir(programs)
    assert run() == first


@pytest.mark.slow
def test_jax_cache_is_bounded_and_locked(tmp_path):
    """JAX's part of the folder has a size bound, under which JAX locks every read and write
    (unbounded, it writes entries in place, and a process reading a half-written entry
    crashes inside XLA)."""
    env = dict(os.environ, MXSYM_COMPILATION_CACHE='1', MXSYM_CACHE_DIR=str(tmp_path))
    script = CONV_NET_SCRIPT + 'print(jax.config.jax_compilation_cache_max_size)\n'
    out = subprocess.run([sys.executable, '-c', script], env=env, check=True,
                         capture_output=True, text=True).stdout
    assert out.split()[-1] == str(compilation_cache.JAX_CACHE_BYTES)
    assert (tmp_path / 'jax-lru' / '.lockfile').exists()


def test_runs_op_by_op_under_disable_jit():
    """Under jax.disable_jit, even after a compiled call of the same shapes, the function runs
    op by op (a compiled executable refuses to run there)."""
    seen = []

    def double(x):
        seen.append(type(x).__name__)
        return x * 2
    run = CachedJit(double)
    assert np.asarray(run(jnp.ones(3))).tolist() == [2, 2, 2]
    traced = len(seen)
    with jax.disable_jit():
        assert np.asarray(run(jnp.ones(3))).tolist() == [2, 2, 2]
    assert len(seen) == traced + 1 and seen[-1] == 'ArrayImpl'   # called on the values


def test_first_run_serves_each_new_signature_once():
    """A `first_run` answers the first call at each signature; the second compiles."""
    served = []

    def first_run(x):
        served.append(x.shape)
        return None if x.shape == (3,) else 'first'
    program = CachedJit(lambda x: x * 2, first_run=first_run)
    assert program(jnp.ones(2)) == 'first'
    np.testing.assert_array_equal(program(jnp.ones(2)), [2, 2])
    np.testing.assert_array_equal(program(jnp.ones(3)), [2, 2, 2])   # none: compiled at once
    np.testing.assert_array_equal(program(jnp.ones(3)), [2, 2, 2])
    assert served == [(2,), (3,)]
