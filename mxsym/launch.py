"""`mxsym launch`: start the workers of a training job, as MXNet's ``tools/launch.py`` did.

    mxsym launch -n 2 -- python train.py --kv-store dist_sync
    mxsym launch -n 4 --hosts hosts.txt -- python train.py --kv-store dist_sync

Each worker gets MXNet's launcher variables (``DMLC_ROLE=worker``, ``DMLC_NUM_WORKER``,
``DMLC_WORKER_ID``, ``DMLC_PS_ROOT_URI`` / ``DMLC_PS_ROOT_PORT``: the coordinator, served by
worker 0), which `mx.kv.create('dist_sync')` reads (see `distributed.py`). Without
``--hosts`` the workers run on this machine; with it, worker i runs on line ``i % lines`` of
the file over ``ssh`` (keys set up, the same paths on every host), in the current directory.
Their output comes back line by line, prefixed with the worker's rank. When a worker fails, the
others are stopped and the launcher exits with the failed worker's status.

Without the launcher, one process per host started by a cluster's scheduler joins the same
way:

- SLURM: ``srun --nodes=N --ntasks-per-node=1 python train.py --kv-store dist_sync``; JAX
  reads the job from SLURM's variables (the first node serves as coordinator).
- Kubernetes: an Indexed Job of N pods (``completionMode: Indexed``) with a headless Service
  ``train``; each pod sets ``MXSYM_COORDINATOR=train-0.train:7077``, ``MXSYM_NUM_WORKERS=N``
  and ``MXSYM_WORKER_ID`` from the ``batch.kubernetes.io/job-completion-index`` annotation
  (``JOB_COMPLETION_INDEX``), and exposes port 7077.
- Anywhere else: set ``MXSYM_COORDINATOR`` (host:port of worker 0), ``MXSYM_NUM_WORKERS`` and
  ``MXSYM_WORKER_ID`` in each process.
"""
import argparse
import os
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time

STOP_GRACE_S = 5.0


def free_port():
    """A TCP port no one listens on now."""
    with socket.socket() as probe:
        probe.bind(('', 0))
        return probe.getsockname()[1]


def worker_environment(rank, num_workers, coordinator_host, port):
    """MXNet's launcher variables for worker `rank`."""
    return {'DMLC_ROLE': 'worker', 'DMLC_NUM_WORKER': str(num_workers),
            'DMLC_NUM_SERVER': '0', 'DMLC_WORKER_ID': str(rank), 'DMLC_TASK_ID': str(rank),
            'DMLC_PS_ROOT_URI': coordinator_host, 'DMLC_PS_ROOT_PORT': str(port),
            'PYTHONUNBUFFERED': '1'}


def ssh_command(host, environment, command, directory):
    """The ssh command line that runs `command` on `host` with `environment`, in
    `directory`."""
    assignments = ' '.join('%s=%s' % (name, shlex.quote(value))
                           for name, value in sorted(environment.items()))
    remote = 'cd %s && env %s %s' % (shlex.quote(directory), assignments,
                                     ' '.join(shlex.quote(part) for part in command))
    return ['ssh', '-o', 'StrictHostKeyChecking=no', host, remote]


def read_hosts(path):
    """The host names in a hosts file: one a line, blank lines and ``#`` comments skipped."""
    with open(path) as lines:
        hosts = [line.split('#')[0].strip() for line in lines]
    hosts = [host for host in hosts if host]
    if not hosts:
        raise SystemExit('mxsym launch: %s names no host' % path)
    return hosts


def _relay(rank, stream, out, lock):
    for line in iter(stream.readline, b''):
        with lock:
            out.write(b'[%d] ' % rank + line)
            out.flush()
    stream.close()


def _stop(processes):
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_S
    for process in processes:
        try:
            process.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def launch(num_workers, command, hosts=None, port=None, out=None):
    """Run `command` as `num_workers` workers; the exit status of the first that fails, else
    0."""
    out = out or sys.stdout.buffer
    coordinator = hosts[0] if hosts else '127.0.0.1'
    port = port or free_port()
    processes, relays, lock = [], [], threading.Lock()
    for rank in range(num_workers):
        environment = worker_environment(rank, num_workers, coordinator, port)
        if hosts:
            argv = ssh_command(hosts[rank % len(hosts)], environment, command, os.getcwd())
            env = None
        else:
            argv, env = command, dict(os.environ, **environment)
        process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT)
        processes.append(process)
        relay = threading.Thread(target=_relay, args=(rank, process.stdout, out, lock),
                                 daemon=True)
        relay.start()
        relays.append(relay)
    status = 0
    try:
        while True:
            codes = [p.poll() for p in processes]
            failed = [(rank, code) for rank, code in enumerate(codes) if code not in (None, 0)]
            if failed:
                rank, status = failed[0]
                with lock:
                    out.write(b'mxsym launch: worker %d exited with status %d; stopping the '
                              b'others\n' % (rank, status))
                    out.flush()
                break
            if None not in codes:
                break
            time.sleep(0.05)
    except KeyboardInterrupt:
        status = 130
    finally:
        _stop(processes)
        for relay in relays:
            relay.join(timeout=1.0)
    return status if status >= 0 else 128 - status   # killed by a signal: the shell's status


def build_parser():
    parser = argparse.ArgumentParser(
        prog='mxsym launch', description='Start the workers of a training job with a dist '
        'kvstore: `mxsym launch -n N [--hosts FILE] -- COMMAND...`')
    parser.add_argument('-n', '--num-workers', type=int, required=True,
                        help='number of worker processes')
    parser.add_argument('-H', '--hosts', help='file of host names, one a line (ssh); '
                        'without it every worker runs on this machine')
    parser.add_argument('-p', '--port', type=int, help='the coordinator port on worker 0 '
                        '(default: a free port)')
    parser.add_argument('command', nargs=argparse.REMAINDER,
                        help='the command each worker runs, after --')
    return parser


def main(argv=None):
    """The `mxsym launch` command; its exit status."""
    args = build_parser().parse_args(argv)
    command = args.command[1:] if args.command[:1] == ['--'] else args.command
    if not command:
        raise SystemExit('mxsym launch: give the command to run after --')
    if args.num_workers < 1:
        raise SystemExit('mxsym launch: -n must be at least 1')
    hosts = read_hosts(args.hosts) if args.hosts else None
    return launch(args.num_workers, command, hosts, args.port)
