"""`mx.profiler`: MXNet 1.9.1's profiler API on JAX's profiler.

While the state is 'run', `jax.profiler` traces the process; each stop (or `pause`) reads the
trace back, XLA's kernels named by the graph nodes and operators they ran (profile_trace.py).
`dump` writes everything recorded as a Chrome trace (``filename``, for Perfetto or
chrome://tracing); `dumps` gives MXNet's aggregate table (per operator: count, total, min, max
and average milliseconds) when ``aggregate_stats`` is set. `Domain`, `Task`, `Frame`, `Event`,
`Counter` and `Marker` add the user's own events to both. A profiler left running at exit
writes its file, as MXNet's does.
"""
import atexit
import contextlib
import glob
import json
import os
import shutil
import tempfile
import time

import jax

from . import profile_trace
from .base import MXNetError
from .profile_stats import Stats

_DEFAULTS = {'profile_all': False, 'profile_symbolic': True, 'profile_imperative': True,
             'profile_memory': True, 'profile_api': True, 'filename': 'profile.json',
             'continuous_dump': True, 'dump_period': 1.0, 'aggregate_stats': False,
             'profile_process': 'worker'}
_STATES = {'stop': 0, 'run': 1}


class _Profiler:
    """The process's profiler: its settings, the events read so far, the running segment."""

    def __init__(self):
        self.config = dict(_DEFAULTS)
        self.running = False
        self.paused = False
        self.events = []
        self.stats = Stats()
        self.folder = None
        self.started = 0.0
        self.undumped = False

    def start_segment(self):
        self.folder = tempfile.mkdtemp(prefix='mxsym-profile-')
        options = jax.profiler.ProfileOptions()
        options.python_tracer_level = 0   # XLA's kernels and the runtime, not every Python call
        jax.profiler.start_trace(self.folder, create_perfetto_trace=True,
                                 profiler_options=options)
        self.started = time.perf_counter()
        everything = self.config['profile_all']
        profile_trace.RECORDING.symbolic = everything or self.config['profile_symbolic']
        profile_trace.RECORDING.imperative = everything or self.config['profile_imperative']

    def end_segment(self):
        """Stop tracing and take in what the segment recorded."""
        jax.profiler.stop_trace()
        try:
            for path in glob.glob(os.path.join(self.folder, '**', '*.trace.json.gz'),
                                  recursive=True):
                events = profile_trace.named_events(profile_trace.read_trace(path))
                self.events.extend(events)
                if self.config['aggregate_stats']:
                    self.stats.add_operators(events)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
            profile_trace.RECORDING.symbolic = profile_trace.RECORDING.imperative = False
        self.undumped = True

    def now_us(self):
        """Microseconds since the running segment started (where its trace events count)."""
        return (time.perf_counter() - self.started) * 1e6


_PROFILER = _Profiler()


def set_config(**kwargs):
    """Set the profiler's options (MXNet's names: ``profile_all``, ``profile_symbolic``,
    ``profile_imperative``, ``profile_memory``, ``profile_api``, ``filename``,
    ``continuous_dump``, ``dump_period``, ``aggregate_stats``, ``profile_process``)."""
    for name, value in kwargs.items():
        if name not in _DEFAULTS:
            raise MXNetError("Cannot find argument '%s', Possible Arguments: %s"
                             % (name, ', '.join(_DEFAULTS)))
        if name == 'profile_process' and value not in ('worker', 'server'):
            raise MXNetError("Invalid Input: '%s', valid values are: {'server', 'worker'}"
                             % value)
    _PROFILER.config.update(kwargs)


def profiler_set_config(mode='symbolic', filename='profile.json'):
    """The older form of `set_config`: ``mode`` 'symbolic' or 'all'."""
    if mode not in ('symbolic', 'all'):
        raise MXNetError("Invalid Input: '%s', valid values are: {'all', 'symbolic'}" % mode)
    set_config(profile_symbolic=True, profile_imperative=mode == 'all',
               profile_memory=mode == 'all', profile_api=mode == 'all', filename=filename)


def set_state(state='stop', profile_process='worker'):
    """'run' starts recording, 'stop' ends it (the process profiled is this one, whatever
    `profile_process` says: mxsym has no parameter server)."""
    running = bool(_STATES[state])
    if running == _PROFILER.running:
        return
    _PROFILER.running = running
    if _PROFILER.paused:
        _PROFILER.paused = False
    elif running:
        _PROFILER.start_segment()
    else:
        _PROFILER.end_segment()


def profiler_set_state(state='stop'):
    """The older form of `set_state`."""
    set_state(state)


def state():
    """'run' or 'stop'."""
    return 'run' if _PROFILER.running else 'stop'


def pause(profile_process='worker'):
    """Stop recording for a while, keeping the profiler's state 'run'."""
    if _PROFILER.running and not _PROFILER.paused:
        _PROFILER.end_segment()
        _PROFILER.paused = True


def resume(profile_process='worker'):
    """Record again after `pause`."""
    if _PROFILER.running and _PROFILER.paused:
        _PROFILER.paused = False
        _PROFILER.start_segment()


def dump(finished=True, profile_process='worker'):
    """Write what has been recorded to the configured file as a Chrome trace (with the
    profiler running, what it has recorded so far)."""
    if _PROFILER.running and not _PROFILER.paused:
        _PROFILER.end_segment()
        _PROFILER.start_segment()
    trace = {'traceEvents': _PROFILER.events, 'displayTimeUnit': 'ms'}
    with open(_PROFILER.config['filename'], 'w') as file:
        json.dump(trace, file)
    _PROFILER.undumped = False


def dumps(reset=False, format='table', sort_by='total', ascending=False):
    """MXNet's aggregate statistics as text (``format`` 'table' or 'json'), sorted by
    'total', 'avg', 'min', 'max' or 'count'; '' unless ``aggregate_stats`` is set.
    ``reset`` clears them afterwards."""
    if format not in ('table', 'json'):
        raise MXNetError("Invalid value for format: %r ('table' or 'json')" % format)
    if sort_by not in ('total', 'avg', 'min', 'max', 'count'):
        raise MXNetError("Invalid value for sort_by: %r ('total', 'avg', 'min', 'max' or "
                         "'count')" % sort_by)
    if not _PROFILER.config['aggregate_stats']:
        return ''
    text = _PROFILER.stats.text(format, sort_by, ascending)
    if reset:
        _PROFILER.stats = Stats()
    return text


@contextlib.contextmanager
def scope(name='<unk>:', append_mode=False):
    """The profiler scope of the code inside (MXNet tags memory records with it); mxsym has no
    memory records, so it only keeps the name."""
    global _scope
    outer = _scope
    _scope = outer + name if append_mode and outer != '<unk>:' else name
    try:
        yield
    finally:
        _scope = outer


_scope = '<unk>:'


class Domain:
    """A named group of the user's own events (a section of the aggregate table)."""

    def __init__(self, name):
        self.name = name

    def __str__(self):
        return self.name

    def new_task(self, name):
        return Task(self, name)

    def new_frame(self, name):
        return Frame(self, name)

    def new_counter(self, name, value=None):
        return Counter(self, name, value)

    def new_marker(self, name):
        return Marker(self, name)


class _Duration:
    """An event with a start and a stop, recorded while the profiler runs."""

    category = 'event'

    def __init__(self, domain, name):
        self.domain, self.name = domain, name
        self._start = None

    def start(self):
        self._start = time.perf_counter()

    def stop(self):
        if self._start is None:
            raise MXNetError('%s %r: stop() without start()' % (type(self).__name__, self.name))
        seconds = time.perf_counter() - self._start
        self._start = None
        if not _PROFILER.running or _PROFILER.paused:
            return
        section = str(self.domain) if self.domain is not None else 'Custom Events'
        _PROFILER.events.append({'name': self.name, 'cat': section, 'ph': 'X', 'pid': 0,
                                 'tid': self.category, 'ts': _PROFILER.now_us() - seconds * 1e6,
                                 'dur': seconds * 1e6})
        if _PROFILER.config['aggregate_stats']:
            _PROFILER.stats.add(section, self.name, seconds * 1e3)

    def __str__(self):
        return self.name


class Task(_Duration):
    """A task of a domain: ``start()`` ... ``stop()``."""
    category = 'task'


class Frame(_Duration):
    """A frame of a domain (a step of a loop, say): ``start()`` ... ``stop()``."""
    category = 'frame'


class Event(_Duration):
    """An event outside any domain: ``start()`` ... ``stop()``."""

    def __init__(self, name):
        super().__init__(None, name)


class Counter:
    """A value of a domain followed over time: ``set_value``, ``increment``, ``decrement``,
    ``+=`` and ``-=``."""

    def __init__(self, domain, name, value=None):
        self.domain, self.name = domain, name
        self.value = 0
        if value is not None:
            self.set_value(value)

    def set_value(self, value):
        self.value = value
        if _PROFILER.running and not _PROFILER.paused:
            _PROFILER.events.append({'name': self.name, 'cat': str(self.domain), 'ph': 'C',
                                     'pid': 0, 'ts': _PROFILER.now_us(),
                                     'args': {self.name: value}})
            if _PROFILER.config['aggregate_stats']:
                _PROFILER.stats.add_value(str(self.domain), self.name, value)

    def increment(self, delta=1):
        self.set_value(self.value + delta)

    def decrement(self, delta=1):
        self.set_value(self.value - delta)

    def __iadd__(self, delta):
        self.increment(delta)
        return self

    def __isub__(self, delta):
        self.decrement(delta)
        return self

    def __str__(self):
        return self.name


class Marker:
    """An instant of a domain: ``mark(scope)``, scope 'global', 'process', 'thread', 'task'
    or 'marker'."""

    _SCOPES = {'global': 'g', 'process': 'p', 'thread': 't', 'task': 't', 'marker': 't'}

    def __init__(self, domain, name):
        self.domain, self.name = domain, name

    def mark(self, scope='process'):
        if scope not in self._SCOPES:
            raise MXNetError("Marker.mark: scope %r is not one of %s"
                             % (scope, ', '.join(self._SCOPES)))
        if not _PROFILER.running or _PROFILER.paused:
            return
        _PROFILER.events.append({'name': self.name, 'cat': str(self.domain), 'ph': 'i',
                                 's': self._SCOPES[scope], 'pid': 0, 'ts': _PROFILER.now_us()})
        if _PROFILER.config['aggregate_stats']:
            _PROFILER.stats.section(str(self.domain) + ',instant_marker')


@atexit.register
def _dump_at_exit():
    """A profiler still running, or holding events not yet written, writes its file."""
    if _PROFILER.running and not _PROFILER.paused:
        _PROFILER.end_segment()
        _PROFILER.running = False
    if _PROFILER.undumped and _PROFILER.config['continuous_dump']:
        dump()
