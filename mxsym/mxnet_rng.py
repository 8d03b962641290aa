"""MXNet 1.9.1's CPU sampling generator, draw for draw: the samplers of `mx.nd.random` and the
initializers give, on CPU arrays, the numbers MXNet gives after the same `mx.random.seed`.

MXNet samples on CPU from 1024 ``std::mt19937`` states; ``mx.random.seed(s)`` seeds state i
with ``s * 127 + i`` (modulo 2^32; ``i`` before any seed). A draw of N values splits them into
``n = min(ceil(N / 64), 1024)`` consecutive runs of ``ceil(N / n)`` values, run t drawn from
state t: the split does not depend on the number of threads. A uniform value is libstdc++'s
``generate_canonical`` (one 32-bit output for float32, two for float64 and float16); a normal
value is a fresh ``normal_distribution``'s first value (Marsaglia's polar method, the second
value of the pair dropped).
"""
import math
import threading

import numpy as np

NUM_STATES = 1024
MIN_PER_STATE = 64
_SEED_MAGIC = 127
_GROUP_VALUES = 1 << 20       # values drawn per block of states, bounding the host memory


class CpuGenerator:
    """The 1024 MT19937 states, seeded on first use after a seed; outputs drawn ahead (normal's
    rejections) wait in `_ahead` for their state's next draw."""

    def __init__(self):
        self._engines = []     # kept across seeds: making one costs far more than seeding it
        self.seed(0)

    def seed(self, seed_state):
        self._base = (int(seed_state) * _SEED_MAGIC) & 0xFFFFFFFF
        self._seeded = [None] * NUM_STATES
        self._ahead = {}

    def _engine(self, state):
        engine = self._seeded[state]
        if engine is None:
            while len(self._engines) <= state:
                self._engines.append(np.random.MT19937(0))
            engine = self._seeded[state] = self._engines[state]
            # MT19937's legacy seeding is init_genrand, which std::mt19937::seed runs.
            engine._legacy_seeding((self._base + state) & 0xFFFFFFFF)
        return engine

    def outputs(self, first, counts):
        """The next counts[i] 32-bit outputs of state first + i, for each i, in one array."""
        parts = [self._next(state, count)
                 for state, count in enumerate(counts.tolist(), first) if count]
        return np.concatenate(parts) if parts else np.zeros(0, np.uint64)

    def _next(self, state, count):
        if state not in self._ahead:
            return self._engine(state).random_raw(count)
        ahead = self._ahead.pop(state)
        if len(ahead) > count:
            self._ahead[state] = ahead[count:]
            return ahead[:count]
        return np.concatenate([ahead, self._engine(state).random_raw(count - len(ahead))])

    def put_back(self, state, unused):
        """Outputs drawn but not consumed: `state`'s next draw starts with them."""
        if len(unused):
            unused = unused.astype(np.uint32)
            ahead = self._ahead.get(state)
            self._ahead[state] = unused if ahead is None else np.concatenate([unused, ahead])


_generator = CpuGenerator()
_lock = threading.Lock()


def seed(seed_state):
    """Seed the CPU states as ``mx.random.seed(seed_state)`` does."""
    with _lock:
        _generator.seed(seed_state)


def runs(size):
    """(number of states, values per state) MXNet splits a draw of `size` values into."""
    states = min(-(-size // MIN_PER_STATE), NUM_STATES)
    return states, -(-size // states)


def _blocks(size):
    """(first state, counts per state) blocks of the states a draw of `size` values uses."""
    states, step = runs(size)
    counts = np.clip(size - step * np.arange(states), 0, step)
    per_block = max(1, _GROUP_VALUES // step)
    for first in range(0, states, per_block):
        yield first, counts[first:first + per_block]


def _canonical(raw, ftype):
    """libstdc++'s generate_canonical along the last axis of 32-bit outputs: one output per
    float32 value, two per float64 value (the first the low word)."""
    if ftype == np.float32:
        value = raw.astype(np.float32) * np.float32(2.0 ** -32)
        return np.minimum(value, np.float32(1 - 2.0 ** -24))
    low, high = raw[..., 0::2].astype(np.float64), raw[..., 1::2].astype(np.float64)
    return np.minimum((low + high * 2.0 ** 32) * 2.0 ** -64, 1 - 2.0 ** -53)


def _words(ftype):
    return 1 if ftype == np.float32 else 2


def uniform(size, ftype):
    """`size` uniform values in [0, 1) of `ftype` (float32 or float64), in MXNet's order."""
    out = np.empty(size, ftype)
    words = _words(ftype)
    position = 0
    with _lock:
        for first, counts in _blocks(size):
            raw = _generator.outputs(first, counts * words)
            out[position:position + raw.size // words] = _canonical(raw, ftype)
            position += raw.size // words
    return out


def raw_outputs(size, per_value):
    """`size` groups of `per_value` 32-bit outputs (uint64, shape (size, per_value))."""
    out = np.empty((size, per_value), np.uint64)
    position = 0
    with _lock:
        for first, counts in _blocks(size):
            raw = _generator.outputs(first, counts * per_value)
            out[position:position + raw.size // per_value] = raw.reshape(-1, per_value)
            position += raw.size // per_value
    return out


def normal(size, ftype):
    """`size` standard normal values of `ftype` (float32 or float64), in MXNet's order."""
    out = np.empty(size, ftype)
    position = 0
    with _lock:
        for first, counts in _blocks(size):
            values = _polar_block(first, counts, ftype)
            out[position:position + values.size] = values
            position += values.size
    return out


def _polar_block(first, counts, ftype):
    """The first values of the polar method's pairs for states first, first + 1, ... (counts
    values each): candidate pairs are drawn for all the block's states at once, and the
    outputs past each state's last accepted pair are put back."""
    words = 2 * _words(ftype)
    step = int(counts.max())
    pairs = int(step * 4 / np.pi + 4 * np.sqrt(step) + 8)   # short once in ~10^4 states
    block = np.full(len(counts), pairs * words)
    raw = _generator.outputs(first, block).reshape(len(counts), -1)
    while True:
        pair = ftype(2) * _canonical(raw, ftype).reshape(len(counts), -1, 2) - ftype(1)
        x, y = pair[..., 0], pair[..., 1]
        r2 = x * x + y * y
        accepted = (r2 <= 1) & (r2 != 0)
        taken = np.cumsum(accepted, axis=1, dtype=np.int32)
        short = taken[:, -1] < counts
        if not short.any():
            break
        more = _generator.outputs(first, block).reshape(len(counts), -1)
        raw = np.concatenate([raw, more], axis=1)
    used = np.where(counts > 0, np.argmax(taken >= counts[:, None], axis=1) + 1, 0)
    for i, n in enumerate(used):
        _generator.put_back(first + i, raw[i, n * words:])
    chosen = np.flatnonzero(accepted & (taken <= counts[:, None]))
    r2, y = r2.ravel()[chosen], pair.reshape(-1, 2)[chosen, 1]
    return y * np.sqrt(ftype(-2) * _log(r2) / r2)


def _log(values):
    """The natural log as MXNet's C library computes it: float64 values through `math.log`
    (the C library's log); float32 values correctly rounded, where the C library's logf rounds
    the other way for about 0.3% of the values (those normal values differ from MXNet's in
    their last bit)."""
    if values.dtype == np.float64:
        return np.fromiter(map(math.log, values.tolist()), np.float64, values.size)
    return np.log(values.astype(np.float64)).astype(values.dtype)


# ---------------------------------------------------------------------------- sampler ops
def sample(op_name, params, inputs, out_dtype=None):
    """The values (numpy) MXNet's CPU sampler `op_name` draws for these parsed params and input
    values, or None for a sampler drawn from the JAX key. `out_dtype` is the dtype of an `out`
    array, which MXNet's samplers draw in when no dtype is asked for."""
    family, distribution = _SAMPLERS.get(op_name, (None, None))
    if family is None:
        return None
    if family == 'like':
        shape, dtype = inputs[0].shape, np.dtype(inputs[0].dtype)
    else:
        dtype = np.dtype(params.dtype or out_dtype or
                         ('int32' if distribution == 'randint' else 'float32'))
        shape = (inputs[0].shape if family == 'sample' else ()) + tuple(params.shape or ())
    if family == 'sample':
        parameters = [np.asarray(value).ravel() for value in inputs]
    else:
        itype = np.int64 if distribution == 'randint' else np.float32
        parameters = [np.array([params[name]], itype) for name in _SCALARS[distribution]]
    size = math.prod(shape)
    if size == 0:
        return np.zeros(shape, dtype)
    per_parameter = size // parameters[0].size
    parameters = [np.repeat(p, per_parameter) for p in parameters]
    return _DRAWS[distribution](size, dtype, *parameters).reshape(shape)


def _ftype(dtype):
    """The float type MXNet draws in for an output dtype (double for float16)."""
    return np.float32 if dtype == np.float32 else np.float64


def _as_output(values, dtype):
    """Values cast to the output dtype as C++ does (float16 by way of float32)."""
    if dtype == np.float16:
        values = values.astype(np.float32)
    return values.astype(dtype)


def _computed(parameter, ftype):
    """A parameter as it enters arithmetic with `ftype` values (integers as floats)."""
    if parameter.dtype.kind in 'iub':
        return parameter.astype(ftype)
    return parameter.astype(np.result_type(parameter.dtype, ftype))


def _draw_uniform(size, dtype, low, high):
    ftype = _ftype(dtype)
    values = uniform(size, ftype)
    return _as_output(_computed(low, ftype) + _computed(high - low, ftype) * values, dtype)


def _draw_normal(size, dtype, loc, scale):
    ftype = _ftype(dtype)
    values = normal(size, ftype)
    return _as_output(values * _computed(scale, ftype) + _computed(loc, ftype), dtype)


def _draw_exponential(size, dtype, lam):
    values = uniform(size, _ftype(dtype)).astype(np.float64)
    return _as_output(-_log(1.0 - values) / lam.astype(np.float64), dtype)


def _draw_randint(size, dtype, low, high):
    words = raw_outputs(size, 2).astype(np.int64)
    value = (words[:, 0] << 31) + words[:, 1]
    return (low + value % (high - low)).astype(dtype)


_DRAWS = {'uniform': _draw_uniform, 'normal': _draw_normal,
          'exponential': _draw_exponential, 'randint': _draw_randint}
_SCALARS = {'uniform': ('low', 'high'), 'normal': ('loc', 'scale'), 'exponential': ('lam',),
            'randint': ('low', 'high')}
_SAMPLERS = dict(
    [('_random_' + name, ('random', name)) for name in _DRAWS] +
    [('_random_%s_like' % name, ('like', name)) for name in _DRAWS if name != 'randint'] +
    [('_sample_' + name, ('sample', name)) for name in _DRAWS if name != 'randint'])
