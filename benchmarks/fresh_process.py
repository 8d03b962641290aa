"""Measurements taken in a fresh process: a benchmark script runs itself (or a worker) under
another Python, mxsym's or MXNet's, and reads the JSON object its last line prints."""
import json
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))


def measured(command):
    """The JSON object on the last line `command` prints, mxsym importable from this checkout."""
    env = dict(os.environ, PYTHONPATH=os.path.join(HERE, os.pardir))
    done = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])
