"""The on-disk program cache: where it lives, how it is turned off, and that a stored program
is loaded by a later binding without tracing."""
import os

import jax.numpy as jnp
import numpy as np
import pytest

from mxsym import compilation_cache
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


def test_quickly_compiled_program_is_not_stored(tmp_path, monkeypatch):
    monkeypatch.setenv('MXSYM_COMPILATION_CACHE', '1')
    monkeypatch.setenv('MXSYM_CACHE_DIR', str(tmp_path))
    monkeypatch.setattr(compilation_cache, 'MIN_COMPILE_SECONDS', 1e9)
    add = CachedJit(lambda a, b: a + b, ('add',))
    np.testing.assert_array_equal(add(jnp.ones(2), jnp.ones(2)), [2, 2])
    np.testing.assert_array_equal(add(jnp.ones(3), jnp.ones(3)), [2, 2, 2])
    assert not (tmp_path / 'programs').exists()
