"""Training over two worker processes on this machine with a dist_sync kvstore (CPU devices
talking through gloo): the weights of one process trained on the combined batch, with one or
two devices per worker; a worker that dies stops the other."""
import contextlib
import io
import json
import os
import subprocess
import sys
import time

import numpy as np
import pytest

import mxsym as mx
from mxsym import launch
from mxsym.launch import free_port
import kvstore_dist_worker as worker

# The module's tests share a costly fixture: one worker runs them all.
pytestmark = pytest.mark.xdist_group('kvstore_dist')

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(mx.__file__)))
WORKER = os.path.abspath(worker.__file__)
# float32 after three updates: the job sums each gradient over the workers' devices, one
# process over its batch, in another order (about 1e-7 apart seen)
RTOL, ATOL = 1e-5, 1e-6


def _worker_variables(devices):
    return {'PYTHONPATH': ROOT, 'MXSYM_HEARTBEAT_TIMEOUT': '3',
            'XLA_FLAGS': '--xla_force_host_platform_device_count=%d' % devices}


@contextlib.contextmanager
def _environment(devices):
    """The launcher's environment, which its workers inherit."""
    saved = dict(os.environ)
    os.environ.update(_worker_variables(devices))
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture(scope='module')
def single_process():
    """The parameters of each run trained in this process on the combined batches."""
    values = {}
    for name in worker.NETS:
        values.update(worker.train(name, [mx.cpu()], 'local', None)[1])
    plain = worker.train('mlp', [mx.cpu()], 'local', None, plain_api=True)[1]
    values.update({'plain/' + key: value for key, value in plain.items()})
    return values


@pytest.mark.parametrize('devices', [1, 2], ids=['1-device', '2-devices'])
def test_two_workers_train_as_one_process_over_their_combined_batch(tmp_path, devices,
                                                                     single_process):
    out = io.BytesIO()
    with _environment(devices):
        status = launch.launch(2, [sys.executable, WORKER, str(tmp_path), str(devices)], out=out)
    output = out.getvalue().decode()
    assert status == 0, output[-3000:]
    assert '[0] worker 0 of 2 ready' in output and '[1] worker 1 of 2 ready' in output
    reports = [json.loads((tmp_path / ('rank%d.json' % rank)).read_text()) for rank in (0, 1)]
    for rank, report in enumerate(reports):
        # init keeps worker 0's values; a push sums each worker's devices, then the workers
        assert report == {'type': 'dist_sync', 'rank': rank, 'num_workers': 2,
                          'init': [[5.0] * 3] * 2, 'push': [[5.0] * 3] * 2,
                          'pushpull': [10.0, 10.0], 'updated': [-0.5, -0.5]}
    trained = [np.load(tmp_path / ('rank%d.npz' % rank)) for rank in (0, 1)]
    assert sorted(trained[0].files) == sorted(single_process)
    for key, want in single_process.items():
        np.testing.assert_array_equal(trained[0][key], trained[1][key], err_msg=key)
        np.testing.assert_allclose(trained[0][key], want, rtol=RTOL, atol=ATOL, err_msg=key)
    # only worker 0 writes checkpoints
    assert (tmp_path / 'conv-rank0-0001.params').exists()
    assert not (tmp_path / 'conv-rank1-0001.params').exists()


def test_a_worker_that_dies_stops_the_other(tmp_path):
    port = free_port()
    workers = [subprocess.Popen(
        [sys.executable, WORKER, str(tmp_path), '1', '2'],
        env=dict(os.environ, DMLC_NUM_WORKER='2', DMLC_WORKER_ID=str(rank),
                 DMLC_PS_ROOT_URI='127.0.0.1', DMLC_PS_ROOT_PORT=str(port),
                 **_worker_variables(1)),
        cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for rank in (0, 1)]
    start = time.monotonic()
    _, survivor_err = workers[0].communicate(timeout=120)
    workers[1].communicate(timeout=120)
    assert workers[1].returncode == 7
    assert workers[0].returncode != 0 and time.monotonic() - start < 90
    assert 'Module training step failed on worker 0 of 2' in survivor_err, survivor_err[-3000:]
