"""Joining a job: where the environment describes it, and the errors of a job that cannot
start (unreachable coordinator, too few workers, arrays made before the store)."""
import os
import subprocess
import sys

import pytest

import mxsym as mx
from mxsym import distributed
from mxsym.base import MXNetError
from mxsym.launch import free_port

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(mx.__file__)))


@pytest.mark.parametrize('environ, job', [
    ({'DMLC_NUM_WORKER': '2', 'DMLC_PS_ROOT_URI': '10.0.0.1', 'DMLC_PS_ROOT_PORT': '9091',
      'DMLC_WORKER_ID': '1', 'MXSYM_COORDINATOR': 'x:1'}, ('10.0.0.1:9091', 2, 1)),
    ({'DMLC_NUM_WORKER': '3', 'DMLC_PS_ROOT_URI': 'h', 'DMLC_PS_ROOT_PORT': '1',
      'DMLC_TASK_ID': '2'}, ('h:1', 3, 2)),
    ({'MXSYM_COORDINATOR': 'train-0.train:7077', 'MXSYM_NUM_WORKERS': '4',
      'MXSYM_WORKER_ID': '0'}, ('train-0.train:7077', 4, 0)),
    ({'PATH': '/bin'}, None),
], ids=['dmlc', 'dmlc-task-id', 'mxsym', 'none'])
def test_the_job_comes_from_mxnets_launcher_variables_then_mxsyms(environ, job):
    assert distributed.job_from_environment(environ) == job


@pytest.mark.parametrize('environ, message', [
    ({'DMLC_NUM_WORKER': '2', 'DMLC_PS_ROOT_URI': 'h'},
     'DMLC_PS_ROOT_PORT, DMLC_WORKER_ID \\(or DMLC_TASK_ID\\) is not'),
    ({'MXSYM_COORDINATOR': 'h:1', 'MXSYM_NUM_WORKERS': '2', 'MXSYM_WORKER_ID': '2'},
     'rank 2 is not in \\[0, 2\\)'),
    ({'MXSYM_COORDINATOR': 'h:1', 'MXSYM_NUM_WORKERS': 'two', 'MXSYM_WORKER_ID': '0'},
     "MXSYM_NUM_WORKERS='two' is not an integer"),
], ids=['dmlc-incomplete', 'rank', 'count'])
def test_an_incomplete_job_description_is_refused(environ, message):
    with pytest.raises(MXNetError, match=message):
        distributed.job_from_environment(environ)


def test_an_unreachable_coordinator_times_out_with_its_address(monkeypatch):
    address = '127.0.0.1:%d' % free_port()
    for name, value in (('MXSYM_COORDINATOR', address), ('MXSYM_NUM_WORKERS', '2'),
                        ('MXSYM_WORKER_ID', '1'), ('MXSYM_DIST_TIMEOUT', '0.5')):
        monkeypatch.setenv(name, value)
    with pytest.raises(MXNetError, match='worker 1 of 2 cannot reach the coordinator %s '
                       'within 0.5 s' % address):
        mx.kv.create('dist_sync')


def test_a_store_made_after_arrays_cannot_join(monkeypatch):
    for name, value in (('MXSYM_COORDINATOR', '127.0.0.1:%d' % free_port()),
                        ('MXSYM_NUM_WORKERS', '2'), ('MXSYM_WORKER_ID', '0')):
        monkeypatch.setenv(name, value)
    mx.nd.ones((1,)).asnumpy()
    with pytest.raises(MXNetError, match='create the dist kvstore before any array is made'):
        mx.kv.create('dist_sync')


def test_too_few_workers_time_out_with_a_clear_message(tmp_path):
    env = dict(os.environ, MXSYM_COORDINATOR='127.0.0.1:%d' % free_port(),
               MXSYM_NUM_WORKERS='2', MXSYM_WORKER_ID='0', MXSYM_DIST_TIMEOUT='2',
               PYTHONPATH=ROOT)
    result = subprocess.run([sys.executable, '-c', 'import mxsym; mxsym.kv.create("dist_sync")'],
                            env=env, cwd=str(tmp_path), capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1, result.stderr[-2000:]
    assert 'worker 0 has waited 2 s for all 2 workers to join' in result.stderr
