"""The PRNG state random operators draw from in graphs (Dropout, rrelu, samplers) and eagerly on
GPU; eager CPU samplers and initializers draw from MXNet's CPU generator (`mxnet_rng`).

Each forward of a graph that uses randomness takes a fresh key from here; `seed` makes the
sequence of draws repeatable and seeds both.
"""
import threading

import jax

from . import mxnet_rng

_state = threading.local()


def seed(seed_state, ctx='all'):
    """Restart the key sequence from an integer seed, and seed MXNet's CPU sampling states
    (which every context's seed reseeds in MXNet too)."""
    _state.key = jax.random.key(int(seed_state))
    mxnet_rng.seed(seed_state)


def next_key():
    """A new PRNG key; successive calls never repeat."""
    if not hasattr(_state, 'key'):
        seed(0)
    _state.key, key = jax.random.split(_state.key)
    return key
