"""`mxsym launch`: workers started with MXNet's launcher variables, their output prefixed by
rank, all stopped when one fails; the ssh command line of a hosts file."""
import io
import shlex
import sys
import time

from mxsym import cli, launch

SHOW_ENV = ('import os; print(" ".join(os.environ[n] for n in ("DMLC_ROLE", "DMLC_NUM_WORKER", '
            '"DMLC_WORKER_ID", "DMLC_PS_ROOT_URI")))')


def test_workers_get_mxnets_launcher_variables_and_their_output_is_prefixed():
    out = io.BytesIO()
    status = launch.launch(2, [sys.executable, '-c', SHOW_ENV], out=out)
    lines = sorted(out.getvalue().decode().splitlines())
    assert status == 0
    assert lines == ['[0] worker 2 0 127.0.0.1', '[1] worker 2 1 127.0.0.1']


def test_one_failing_worker_stops_the_others():
    script = ('import os, sys, time\n'
              'if os.environ["DMLC_WORKER_ID"] == "1": sys.exit(3)\n'
              'time.sleep(60)\n')
    out = io.BytesIO()
    start = time.monotonic()
    status = launch.launch(3, [sys.executable, '-c', script], out=out)
    assert status == 3 and time.monotonic() - start < 30
    assert b'mxsym launch: worker 1 exited with status 3; stopping the others' in out.getvalue()


def test_the_command_line_runs_the_launcher(capfdbinary):
    assert cli.main(['launch', '-n', '1', '--', sys.executable, '-c', 'print("hi")']) == 0
    assert capfdbinary.readouterr().out == b'[0] hi\n'


def test_a_hosts_file_runs_each_worker_over_ssh(tmp_path):
    hosts = tmp_path / 'hosts'
    hosts.write_text('# the job\nnode-a\n\nnode-b  # second\n')
    assert launch.read_hosts(str(hosts)) == ['node-a', 'node-b']
    env = launch.worker_environment(1, 2, 'node-a', 9000)
    argv = launch.ssh_command('node-b', env, ['python', 'train.py', '--lr', '0.1 x'], '/work dir')
    assert argv[:-1] == ['ssh', '-o', 'StrictHostKeyChecking=no', 'node-b']
    words = shlex.split(argv[-1])
    assert words[:3] == ['cd', '/work dir', '&&']
    assert 'DMLC_PS_ROOT_URI=node-a' in words and 'DMLC_WORKER_ID=1' in words
    assert words[-4:] == ['python', 'train.py', '--lr', '0.1 x']
