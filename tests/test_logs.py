"""Logging hygiene: a script logging at DEBUG sees its own records and mxsym's, not JAX's."""
import os
import subprocess
import sys

import pytest

# Runs a small network in a fresh process (the loggers are set at import) and prints the
# names of the loggers that emitted records, one per line.
SCRIPT = r'''
import logging, sys
names = set()
class Collect(logging.Handler):
    def emit(self, record):
        names.add(record.name)
logging.basicConfig(level=logging.DEBUG, handlers=[Collect()])
import mxsym as mx
if sys.argv[1] == 'jax-on':
    logging.getLogger('jax').setLevel(logging.DEBUG)
data = mx.sym.Variable('data')
net = mx.sym.FullyConnected(mx.sym.relu(data), num_hidden=3, name='fc')
ex = net.simple_bind(mx.cpu(), data=(2, 5))
ex.forward(is_train=True)
ex.backward(mx.nd.ones((2, 3)))
ex.outputs[0].asnumpy()
mx.viz.plot_network(net)
print('\n'.join(sorted(names)))
'''


def _loggers(mode, **environ):
    env = {name: value for name, value in os.environ.items() if name != 'MXSYM_LOG_LEVEL'}
    env.update(MXSYM_COMPILATION_CACHE='0', **environ)
    done = subprocess.run([sys.executable, '-c', SCRIPT, mode], env=env, capture_output=True,
                          text=True, timeout=300, check=True)
    return set(done.stdout.split())


@pytest.mark.parametrize('mode,environ,foreign', [
    ('quiet', {}, False),
    ('jax-on', {}, True),                               # the user's own setLevel wins
    ('quiet', {'MXSYM_LOG_LEVEL': 'DEBUG'}, True),      # so does MXSYM_LOG_LEVEL
])
def test_debug_logging_shows_libraries_only_when_asked(mode, environ, foreign):
    names = _loggers(mode, **environ)
    outside = {name for name in names if name != 'mxsym' and not name.startswith('mxsym.')}
    if foreign:
        assert any(name.startswith('jax') for name in outside), names
    else:
        assert outside == set(), outside


def test_unknown_level_name_warns_and_keeps_warning():
    from mxsym.logs import _level
    with pytest.warns(UserWarning, match='MXSYM_LOG_LEVEL'):
        assert _level('LOUD') == 30
    assert _level('debug') == 10
    assert _level('15') == 15
