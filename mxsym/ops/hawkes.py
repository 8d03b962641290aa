"""The log likelihood of marked self-exciting (Hawkes) processes with exponential decay."""
import jax
import jax.numpy as jnp

from ..base import MXNetError
from ..ops_registry import register

INPUTS = ('lda', 'alpha', 'beta', 'state', 'lags', 'marks', 'valid_length', 'max_time')


def _hawkes_types(params, in_types, out_types):
    """Everything in lda's dtype except marks, which are int32."""
    dtype = in_types[0] or out_types[0] or next(
        (t for i, t in enumerate(in_types) if i != 5 and t is not None), None)
    if dtype is None:
        return in_types, out_types
    in_types = [dtype] * 5 + ['int32'] + [dtype] * 2
    return in_types, [dtype, dtype]


def _hawkes_one(mu, alpha, beta, state, lags, marks, valid_length, max_time):
    """(log likelihood, final state) of one sequence."""
    def event(carry, step):
        time, last, state, loglike = carry
        lag, mark, index = step
        active = index < valid_length
        now = time + lag
        since = now - last[mark]
        decay = jnp.exp(-beta[mark] * since)
        intensity = mu[mark] + alpha[mark] * beta[mark] * state[mark] * decay
        compensator = mu[mark] * since + alpha[mark] * state[mark] * (1 - decay)
        gain = jnp.log(jnp.where(active, intensity, 1)) - compensator
        loglike = loglike + jnp.where(active, gain, 0)
        state = jnp.where(active, state.at[mark].set(1 + state[mark] * decay), state)
        last = jnp.where(active, last.at[mark].set(now), last)
        return (jnp.where(active, now, time), last, state, loglike), None

    zero = jnp.zeros((), mu.dtype)
    steps = (lags, marks, jnp.arange(lags.shape[0], dtype=valid_length.dtype))
    (_, last, state, loglike), _ = jax.lax.scan(
        event, (zero, jnp.zeros_like(mu), state, zero), steps)
    since = max_time - last
    decay = jnp.exp(-beta * since)
    remaining = mu * since + alpha * state * (1 - decay)
    return loglike - jnp.sum(remaining), decay * state


@register('_contrib_hawkesll', inputs=INPUTS, outputs=('output', 'out_state'),
          infer_type=_hawkes_types, nondiff_inputs=INPUTS[3:])
def hawkesll(params, ctx, lda, alpha, beta, state, lags, marks, valid_length, max_time):
    """Log likelihood (N,) of N sequences of K-process Hawkes events and their states (N, K)
    at max_time. lda (N, K) are background intensities, alpha (K,) branching ratios, beta
    (K,) decay rates, state (N, K) the starting states; each sequence has valid_length of
    its T events, given as interarrival times lags (N, T) and process ids marks (N, T), and
    is observed until max_time (N,). Gradients reach lda, alpha and beta from the log
    likelihood only, as in MXNet; the state output passes none."""
    count, processes = lda.shape if lda.ndim == 2 else (None, None)
    expected = {'lda': (count, processes), 'alpha': (processes,), 'beta': (processes,),
                'state': (count, processes), 'lags': (count, lags.shape[-1]),
                'marks': (count, lags.shape[-1]), 'valid_length': (count,),
                'max_time': (count,)}
    given = dict(zip(INPUTS, (lda, alpha, beta, state, lags, marks, valid_length, max_time)))
    for name, shape in expected.items():
        if given[name].shape != shape:
            raise MXNetError('hawkesll: %s must have shape %s, got %s'
                             % (name, shape, given[name].shape))
    state = jax.lax.stop_gradient(state)
    marks = jnp.clip(marks.astype(jnp.int32), 0, processes - 1)
    loglike, final = jax.vmap(_hawkes_one, in_axes=(0, None, None, 0, 0, 0, 0, 0))(
        lda, alpha, beta, state, lags, marks, valid_length, max_time)
    return loglike, jax.lax.stop_gradient(final)
