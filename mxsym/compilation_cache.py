"""Compiled programs kept on disk, on by default, so that a second process binding the same
graph loads its XLA programs instead of tracing and compiling them again.

Two caches share one folder, ``$MXSYM_CACHE_DIR`` (by default the user cache folder,
``$XDG_CACHE_HOME/mxsym`` or ``~/.cache/mxsym``): `CachedJit` stores an executor's serialized
executables by graph and argument shapes (``programs/``), which skips JAX's tracing too, and
JAX's own persistent cache (``jax-lru/``) catches every other program that took long enough
to compile. Small programs, compiled quickly (compile_options), are not stored by mxsym.
``MXSYM_COMPILATION_CACHE=0`` turns both off; a cache folder already given to JAX
(``JAX_COMPILATION_CACHE_DIR``) is kept.

A stored program is a pickle, run when loaded: the folders are made private (0700), and a file
not owned by the user, or writable by others, is refused and compiled afresh; an unreadable
entry is skipped with a warning.
"""
import functools
import gc
import hashlib
import os
import pickle
import platform
import tempfile
import time
import warnings
import weakref
from collections import OrderedDict

import jax
import numpy as np
from jax.experimental import serialize_executable

from . import compile_options
from .base import renamed, switched_off
from .logs import LOGGER

# Programs that compile faster than this are not worth a file: the tiny graphs of imperative
# calls would fill the folder. An MLP's training step takes about 0.1 s.
MIN_COMPILE_SECONDS = 0.05
# The most JAX's part of the folder holds.
JAX_CACHE_BYTES = 2 ** 30
# The most executables kept in memory, all CachedJits together (the least recently compiled
# or looked up go first; each CachedJit also keeps the one it ran last).
EXECUTABLES_KEPT = 1024
_KEPT = OrderedDict()   # (id of a CachedJit, signature) -> weak reference to that CachedJit
# An executable holds tens to hundreds of memory mappings (its kernels' machine code), which
# JAX's own caches keep alive a while longer, and a process may hold only so many (Linux:
# 65530): past them XLA crashes compiling the next program. Every this many compilations the
# process's mappings are counted; past this fraction of the limit every kept executable and
# JAX's caches are dropped (they compile again).
MAPPINGS_CHECKED_EVERY = 16
MAPPINGS_FRACTION = 0.5
_ALL = weakref.WeakSet()   # every CachedJit
_compilations = 0          # in this process, counted before each
# The most signatures a CachedJit with a `first_run` remembers meeting (then it forgets them).
SIGNATURES_KEPT = 4096
# JAX's tracing and lowering caches keep what each program was compiled from (its jaxpr, its
# MLIR module and context), which mxsym, holding the executable, never asks for again; every
# this many compilations they are cleared. Without it, an op checked on 200 random shapes
# after another grew the process by ~150,000 objects and ran 10-20% slower than the one before.
JAX_CACHES_CLEARED_EVERY = 512


def cache_folder(environ):
    """The cache folder, from the environment; None when caching is off."""
    if switched_off(environ, 'MXSYM_COMPILATION_CACHE'):
        return None
    base = environ.get('MXSYM_CACHE_DIR')
    if not base:
        user_cache = environ.get('XDG_CACHE_HOME') or os.path.join(
            os.path.expanduser('~'), '.cache')
        base = os.path.join(user_cache, 'mxsym')
    return base


def enable(environ=os.environ):
    """Point JAX's persistent cache into mxsym's folder unless caching is off or JAX has one.

    The cache is bounded (JAX_CACHE_BYTES, least recently used entries go first), which also
    has JAX lock the folder around every read and write: unbounded, JAX writes entries in
    place, and a process reading an entry another is still writing crashes inside XLA."""
    folder = cache_folder(environ)
    if folder is None or jax.config.jax_compilation_cache_dir is not None:
        return
    # (not 'jax', where earlier versions kept unbounded entries that JAX's bounded cache
    # cannot account for: it fails to store anything beside them)
    jax_folder = os.path.join(folder, 'jax-lru')
    _make_private_folder(jax_folder)
    jax.config.update('jax_compilation_cache_dir', jax_folder)
    jax.config.update('jax_persistent_cache_min_compile_time_secs', MIN_COMPILE_SECONDS)
    jax.config.update('jax_compilation_cache_max_size', JAX_CACHE_BYTES)


@functools.lru_cache(maxsize=None)
def _environment_key():
    """What besides the graph decides which program it compiles to and whether a stored
    executable can run here: mxsym's own code (its ops' implementations), JAX, the machine."""
    package = os.path.dirname(os.path.abspath(__file__))
    code = hashlib.sha256()
    for folder, _, files in sorted(os.walk(package)):
        for name in sorted(f for f in files if f.endswith('.py')):
            with open(os.path.join(folder, name), 'rb') as source:
                code.update(name.encode() + source.read())
    return repr((code.hexdigest(), jax.__version__, jax.default_backend(),
                 jax.devices()[0].client.platform_version, platform.machine(),
                 platform.processor(), jax.config.jax_enable_x64,
                 os.environ.get('XLA_FLAGS', '')))


class CachedJit:
    """`jax.jit(function)` compiled by mxsym (compile_options: small programs compiled
    quickly) once per argument structure, shapes, dtypes and placement, its executables also
    stored on disk under `name` (which must identify the function, e.g. by its graph; None:
    never stored) and loaded from there by a later process without tracing. Small programs,
    and others that compile quickly, are not stored. Called inside a JAX transformation, it is
    a plain `jax.jit` (where compiler options cannot be set), and under `jax.disable_jit` it
    runs op by op. `program_name` names the XLA program; `quick` compiles it quickly whatever
    the size of its arrays (a program for first runs, frames.py). `first_run(*args)`, where
    given, serves the first call at each new signature instead of a compilation when it
    returns a result (not None); the next call at that signature compiles."""

    def __init__(self, function, name=None, program_name=None, quick=False, first_run=None):
        self._quick = quick
        self._first_run = first_run
        self._signatures_met = set()
        self._jit = compile_options.jit(function, program_name)
        self._nested = jax.jit(renamed(function, program_name) if program_name else function)
        self._name = name
        self._executables = {}
        self._last = None
        _ALL.add(self)

    def __call__(self, *args):
        if self._last is not None:
            try:
                return self._last(*args)
            except (TypeError, ValueError):   # other shapes or dtypes than the last call's,
                pass                          # or under jax.disable_jit
        leaves, structure = jax.tree_util.tree_flatten(args)
        if jax.config.jax_disable_jit or any(isinstance(x, jax.core.Tracer) for x in leaves):
            return self._nested(*args)   # inside a JAX transformation, or op by op
        signature = (structure, tuple((np.shape(x), getattr(x, 'dtype', type(x)),
                                       getattr(x, 'weak_type', False),
                                       getattr(x, 'sharding', None)) for x in leaves))
        executable = self._executables.get(signature)
        if executable is None and self._first_run is not None and self._first_met(signature):
            result = self._first_run(*args)
            if result is not None:
                return result
        if executable is None:
            _before_compiling()
            executable = self._executables[signature] = self._load_or_compile(args, signature)
        _kept(self, signature)
        self._last = executable
        return executable(*args)

    def _first_met(self, signature):
        """Whether this is the first call at `signature` (as far as the last
        SIGNATURES_KEPT remember)."""
        if signature in self._signatures_met:
            return False
        if len(self._signatures_met) >= SIGNATURES_KEPT:
            self._signatures_met.clear()
        self._signatures_met.add(signature)
        return True

    def lower(self, *args):
        """The function lowered for these arguments, as `jax.jit`'s ``lower``."""
        return self._jit.lower(*args)

    def _load_or_compile(self, args, signature):
        """The stored executable, else a new one (stored if XLA compiled it, slowly)."""
        path = self._path(signature)
        stored = None if path is None else _load(path)
        if stored is not None:
            LOGGER.debug('loaded %s from the compilation cache', self._name[0])
            return stored
        return self._compile(self._jit.lower(*args), path)

    def _path(self, signature):
        """Where the executable for `signature` is stored; None when it is not."""
        folder = cache_folder(os.environ) if self._name is not None else None
        if folder is None:
            return None
        digest = hashlib.sha256(repr((self._name, signature, _environment_key())).encode())
        return os.path.join(folder, 'programs', digest.hexdigest())

    def _compile(self, lowered, path):
        """The executable, stored at `path` (unless None) if XLA compiled it, slowly."""
        start = time.perf_counter()
        executable, small, from_jax_cache = _compile(lowered, self._quick)
        seconds = time.perf_counter() - start
        LOGGER.debug('compiled %s in %.3f s%s', (self._name or ('a program',))[0], seconds,
                     " (from JAX's cache)" if from_jax_cache else '')
        if path is not None and not (small or from_jax_cache or seconds < MIN_COMPILE_SECONDS):
            _store(path, executable)
        return executable


def _kept(owner, signature):
    """Note that `owner` keeps an executable for `signature`, now the most recently used;
    drop the least recently used beyond EXECUTABLES_KEPT."""
    key = (id(owner), signature)
    reference = _KEPT.get(key)
    if reference is not None and reference() is owner:
        _KEPT.move_to_end(key)
        return
    _KEPT.pop(key, None)   # (a CachedJit gone, whose id a new one took)
    _KEPT[key] = weakref.ref(owner)
    while len(_KEPT) > EXECUTABLES_KEPT:
        (_, old_signature), reference = _KEPT.popitem(last=False)
        old_owner = reference()
        if old_owner is not None:
            old_owner._executables.pop(old_signature, None)


def _before_compiling():
    """Every MAPPINGS_CHECKED_EVERY compilations, release memory mappings if needed; every
    JAX_CACHES_CLEARED_EVERY, clear JAX's caches (the executables mxsym keeps stay)."""
    global _compilations
    _compilations += 1
    if _compilations % MAPPINGS_CHECKED_EVERY == 0:
        _release_mappings_if_needed()
    if _compilations % JAX_CACHES_CLEARED_EVERY == 0:
        jax.clear_caches()


def _release_mappings_if_needed():
    """Drop every executable kept (each CachedJit's included) and JAX's caches, which keep
    executables alive too, when the process holds more than MAPPINGS_FRACTION of the memory
    mappings the system allows; past the limit XLA crashes compiling the next program."""
    limit = _mapping_limit()
    if limit is None or _mappings() <= limit * MAPPINGS_FRACTION:
        return
    LOGGER.debug('more than %d of %d memory mappings held: dropping compiled programs',
                 limit * MAPPINGS_FRACTION, limit)
    for owner in list(_ALL):
        owner._executables.clear()
        owner._last = None
    _KEPT.clear()
    jax.clear_caches()
    gc.collect()


@functools.lru_cache(maxsize=None)
def _mapping_limit():
    """The most memory mappings a process may hold; None where unknown (not Linux)."""
    try:
        with open('/proc/sys/vm/max_map_count') as limit:
            return int(limit.read())
    except (OSError, ValueError):
        return None


def _mappings():
    """How many memory mappings this process holds."""
    with open('/proc/self/maps', 'rb') as maps:
        return maps.read().count(b'\n')


_JAX_CACHE_HIT = '/jax/compilation_cache/cache_hits'


def _compile(lowered, quick):
    """(executable, whether it was compiled as a small program, whether JAX's persistent
    cache gave it back rather than XLA compiling it). What JAX's cache gave back is not stored
    again: serialized a second time, an XLA:CPU executable can lack some of its kernels, and
    fails when run ("Function ... not found")."""
    hits = []

    def listen(event, **kwargs):
        if event == _JAX_CACHE_HIT:
            hits.append(event)
    jax.monitoring.register_event_listener(listen)
    try:
        return compile_options.compile_lowered(lowered, quick) + (bool(hits),)
    finally:
        jax.monitoring.unregister_event_listener(listen)


def _make_private_folder(folder):
    """Create the cache folder and `folder` inside it readable and writable by the user alone;
    a folder that cannot be made leaves caching to fail quietly, as JAX's does."""
    try:
        os.makedirs(os.path.dirname(folder), mode=0o700, exist_ok=True)
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError:
        pass


def _trusted(stored):
    """Whether an open cache file is the user's own and writable by nobody else."""
    info = os.fstat(stored.fileno())
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def _load(path):
    """The executable stored at `path`; None when absent, refused or unreadable."""
    try:
        stored = open(path, 'rb')
    except OSError:
        return None
    with stored:
        if not _trusted(stored):
            warnings.warn('mxsym compilation cache: ignoring %s, which is not owned by this user '
                          'or is writable by others; the program is compiled again' % path)
            return None
        try:
            return serialize_executable.deserialize_and_load(*pickle.load(stored))
        except Exception as err:   # from another version, or damaged: compile instead
            warnings.warn('mxsym compilation cache: ignoring unreadable %s (%s: %s)'
                          % (path, type(err).__name__, err))
            return None


def _store(path, executable):
    """Write atomically; a program that cannot be serialized is simply not stored."""
    try:
        payload = pickle.dumps(serialize_executable.serialize(executable))
        _make_private_folder(os.path.dirname(path))
        with tempfile.NamedTemporaryFile(dir=os.path.dirname(path), delete=False) as file:
            file.write(payload)
        os.replace(file.name, path)
    except Exception:
        pass
