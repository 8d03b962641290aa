"""Measurements taken in a fresh process: a benchmark script runs itself (or a worker) under
another Python, mxsym's or MXNet's, and reads the JSON object its last line prints."""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def measured(command):
    """The JSON object on the last line `command` prints, mxsym importable from this checkout."""
    env = dict(os.environ, PYTHONPATH=os.path.join(HERE, os.pardir))
    done = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def measured_or_none(command, env, label):
    """The JSON object on the last line `command` prints (run with `env`), or None where it
    fails there, after printing the failure's last line after `label`."""
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode:
        print('%s failed: %s' % (label, done.stderr.strip().splitlines()[-1:]), file=sys.stderr,
              flush=True)
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])
