"""Logging: mxsym's own events (compilations, cache loads) go to the ``mxsym`` logger at DEBUG;
the libraries it runs on stay quiet.

A script that calls ``logging.basicConfig(level=logging.DEBUG)`` sees MXNet's lines and its own,
not the hundreds of records JAX, Graphviz and filelock write at DEBUG and INFO (MXNet wrote none
of them). Their loggers are set to WARNING unless the user has set them already, or
``MXSYM_LOG_LEVEL`` names the level they should have; a later ``setLevel`` of the user's wins.
"""
import logging
import os
import warnings

LOGGER = logging.getLogger('mxsym')

# The libraries whose records are theirs, not the user's program's.
LIBRARY_LOGGERS = ('jax', 'jaxlib', 'absl', 'graphviz', 'filelock')


def quiet_libraries(environ=os.environ):
    """Set the libraries' loggers the user has left unset to ``MXSYM_LOG_LEVEL`` or WARNING."""
    level = _level(environ.get('MXSYM_LOG_LEVEL'))
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:
            logger.setLevel(level)


def _level(text):
    """The level a ``MXSYM_LOG_LEVEL`` value names (a name such as DEBUG, or a number);
    WARNING when unset, and with a warning when it names none."""
    if not text:
        return logging.WARNING
    level = int(text) if text.strip().isdigit() else logging.getLevelName(text.strip().upper())
    if not isinstance(level, int):
        warnings.warn('MXSYM_LOG_LEVEL=%r names no logging level (DEBUG, INFO, WARNING, '
                      'ERROR, CRITICAL or a number); WARNING is used' % text)
        return logging.WARNING
    return level
