"""Joining a job of several worker processes, on one host or many, with `jax.distributed`.

A dist key-value store (`mx.kv.create('dist_sync')`) makes its process one worker of a job.
Where the job is described comes from the environment, first found wins:

- MXNet's launcher variables: ``DMLC_NUM_WORKER``, ``DMLC_PS_ROOT_URI`` and
  ``DMLC_PS_ROOT_PORT`` (the coordinator, which worker 0 serves), the worker's rank in
  ``DMLC_WORKER_ID`` or ``DMLC_TASK_ID``; `mxsym launch` sets them;
- ``MXSYM_COORDINATOR`` (``host:port`` of worker 0), ``MXSYM_NUM_WORKERS``,
  ``MXSYM_WORKER_ID``;
- JAX's own cluster detection (SLURM's ``srun``, Open MPI, Kubernetes, cloud TPU).

``MXSYM_DIST_TIMEOUT`` bounds, in seconds, how long a worker waits for the others to join
(default 120; past it the worker exits with status 1, saying why); ``MXSYM_HEARTBEAT_TIMEOUT``
how long a silent worker is waited for before JAX stops every other worker with an error
naming it (default 30). A collective that loses its peer fails at once with an MXNetError
naming the worker it failed on. CPU devices talk through gloo, GPUs
through NCCL, both JAX's own.

The process must join before JAX makes its first array: create the store at the start of the
script, as MXNet's scripts do.
"""
import contextlib
import os
import socket
import sys
import threading
import time
from typing import NamedTuple

import jax
import numpy as np
from jax.experimental import multihost_utils

from .base import MXNetError


class Job(NamedTuple):
    """Where worker 0 serves the job, how many workers it has and which one this is."""

    coordinator: str
    num_workers: int
    rank: int


def _integer(environ, name):
    text = environ[name]
    try:
        return int(text)
    except ValueError:
        raise MXNetError('distributed: %s=%r is not an integer' % (name, text)) from None


def job_from_environment(environ=None):
    """The job the environment describes, or None where it names none (JAX may still
    detect a cluster)."""
    environ = os.environ if environ is None else environ
    if 'DMLC_NUM_WORKER' in environ:
        missing = [name for name in ('DMLC_PS_ROOT_URI', 'DMLC_PS_ROOT_PORT')
                   if name not in environ]
        rank_name = next((name for name in ('DMLC_WORKER_ID', 'DMLC_TASK_ID')
                          if name in environ), None)
        if rank_name is None:
            missing.append('DMLC_WORKER_ID (or DMLC_TASK_ID)')
        if missing:
            raise MXNetError('distributed: DMLC_NUM_WORKER is set but %s is not; start the '
                             'workers with `mxsym launch`' % ', '.join(missing))
        coordinator = '%s:%d' % (environ['DMLC_PS_ROOT_URI'],
                                 _integer(environ, 'DMLC_PS_ROOT_PORT'))
        job = Job(coordinator, _integer(environ, 'DMLC_NUM_WORKER'),
                  _integer(environ, rank_name))
    elif 'MXSYM_COORDINATOR' in environ:
        missing = [name for name in ('MXSYM_NUM_WORKERS', 'MXSYM_WORKER_ID')
                   if name not in environ]
        if missing:
            raise MXNetError('distributed: MXSYM_COORDINATOR is set but %s is not'
                             % ' and '.join(missing))
        job = Job(environ['MXSYM_COORDINATOR'], _integer(environ, 'MXSYM_NUM_WORKERS'),
                  _integer(environ, 'MXSYM_WORKER_ID'))
    else:
        return None
    if job.num_workers < 1 or not 0 <= job.rank < job.num_workers:
        raise MXNetError('distributed: worker rank %d is not in [0, %d)'
                         % (job.rank, job.num_workers))
    return job


def _seconds(name, default):
    return float(os.environ.get(name, default))


def _wait_for_coordinator(job, timeout):
    """Return once worker 0's coordinator accepts connections; MXNetError after `timeout`."""
    host, _, port = job.coordinator.rpartition(':')
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection((host, int(port)), timeout=1.0).close()
            return
        except OSError as err:
            if time.monotonic() > deadline:
                raise MXNetError(
                    'distributed: worker %d of %d cannot reach the coordinator %s within %g s '
                    '(%s); is worker 0 running, and is the address right?'
                    % (job.rank, job.num_workers, job.coordinator, timeout, err)) from None
            time.sleep(0.2)


def _stop_if_still_joining(job, timeout):
    """A timer that ends the process (status 1) with the reason when the job has not formed
    within `timeout`: the wait happens inside JAX, where no Python error can reach it."""
    def stop():
        print('mxsym distributed: worker %d has waited %g s for all %d workers to join at %s; '
              'check that %d workers were started with this num_workers and coordinator, and '
              'that none of them died' % (job.rank, timeout, job.num_workers, job.coordinator,
                                          job.num_workers), file=sys.stderr, flush=True)
        os._exit(1)
    timer = threading.Timer(timeout, stop)
    timer.daemon = True
    return timer


def join():
    """Make this process a worker of the job the environment describes (once); its
    ``(rank, num_workers)``."""
    if jax.distributed.is_initialized():
        return jax.process_index(), jax.process_count()
    if jax.config.jax_cpu_collectives_implementation is None:   # older JAX: none by default
        jax.config.update('jax_cpu_collectives_implementation', 'gloo')
    job = job_from_environment()
    timeout = _seconds('MXSYM_DIST_TIMEOUT', 120)
    heartbeat = int(max(1, _seconds('MXSYM_HEARTBEAT_TIMEOUT', 30)))
    if job is None:
        try:
            jax.distributed.initialize(initialization_timeout=int(timeout),
                                       heartbeat_timeout_seconds=heartbeat)
        except (ValueError, RuntimeError) as err:
            raise MXNetError(
                'distributed: the environment names no job (%s); start the workers with '
                '`mxsym launch -n N -- python script.py`, or set MXSYM_COORDINATOR, '
                'MXSYM_NUM_WORKERS and MXSYM_WORKER_ID' % ' '.join(str(err).split())) from None
        return jax.process_index(), jax.process_count()
    if job.rank != 0:
        _wait_for_coordinator(job, timeout)
    timer = _stop_if_still_joining(job, timeout)
    timer.start()
    try:
        jax.distributed.initialize(job.coordinator, job.num_workers, job.rank,
                                   initialization_timeout=int(timeout) + 10,
                                   heartbeat_timeout_seconds=heartbeat)
    except RuntimeError as err:
        raise MXNetError('distributed: worker %d cannot join the job: %s; create the dist '
                         'kvstore before any array is made'
                         % (job.rank, ' '.join(str(err).split()).rstrip('.'))) from None
    finally:
        timer.cancel()
    return job.rank, job.num_workers


@contextlib.contextmanager
def collective(what):
    """Runs work that talks to the other workers; an MXNetError naming this worker when a
    peer is gone."""
    try:
        yield
    except jax.errors.JaxRuntimeError as err:
        raise MXNetError(
            '%s failed on worker %d of %d: %s; another worker has stopped (its output says '
            'why, and the coordinator names it once its heartbeat times out)'
            % (what, jax.process_index(), jax.process_count(),
               str(err).strip().splitlines()[0])) from None


def sum_over_workers(arrays):
    """The elementwise sums, over all workers, of each worker's list of NumPy arrays."""
    with collective('KVStore push'):
        gathered = multihost_utils.process_allgather([np.asarray(a) for a in arrays])
    return [np.sum(stack, axis=0, dtype=stack.dtype) for stack in gathered]


def from_worker_zero(arrays):
    """Worker 0's values of a list of NumPy arrays, on every worker."""
    with collective('KVStore init'):
        return list(multihost_utils.broadcast_one_to_all([np.asarray(a) for a in arrays]))


def barrier(name='mxsym_barrier'):
    """Return when every worker has reached the barrier of this name."""
    with collective('KVStore barrier'):
        multihost_utils.sync_global_devices(name)
