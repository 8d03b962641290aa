"""`mxsym.to_jax`: a Symbol as a pure JAX function, for `jax.grad`, `jax.vmap`, `jax.jit`, optax.

    model = mxsym.to_jax(symbol, arg_params, aux_params)
    outputs, new_aux = model.apply(model.params, model.aux, {'data': x, 'softmax_label': y},
                                   is_train=True, key=jax.random.key(0))

* ``model.params``: {name: jax.Array} for the arguments `arg_params` holds (the weights);
  ``model.aux``: {name: jax.Array} for every aux state (BatchNorm's moving statistics). Every other
  argument of the symbol (data, labels) is an input, passed by name in ``inputs``.
* ``apply(params, aux, inputs, is_train=False, key=None)`` returns ``(outputs, new_aux)``:
  the outputs in `Symbol.list_outputs` order, and the aux states after the call (training mode
  updates moving statistics; inference returns them unchanged). Aux states are explicit state,
  never part of ``params``, so an optimizer never touches them. `is_train` must be a Python bool
  (close over it, or mark it static under `jax.jit`); `key` is a PRNG key, needed when the graph
  draws random numbers (Dropout in training, samplers).
* Gradients are MXNet's: a loss layer (SoftmaxOutput, LinearRegressionOutput, MakeLoss, ...)
  ignores the gradient flowing into it, so ``jax.grad`` of any scalar function of the loss outputs
  (their sum, say) gives exactly what `Executor.backward` gives.
"""
from typing import Any, Callable, NamedTuple

import jax.numpy as jnp

from .base import MXNetError
from .compiled_graph import compiled_graph


class JaxModel(NamedTuple):
    """What `to_jax` returns: the pure function and its initial parameters and aux states."""

    apply: Callable
    params: Any
    aux: Any


def _as_jax(value):
    data = getattr(value, '_data', None)
    return jnp.asarray(value if data is None else data)


def _check_names(given, expected, what):
    """Error naming missing or unknown entries of a user's dict."""
    problems = []
    missing = [n for n in expected if n not in given]
    if missing:
        problems.append('misses %s' % missing)
    unknown = [n for n in given if n not in expected]
    if unknown:
        problems.append('has unknown %s' % unknown)
    if problems:
        raise MXNetError('to_jax: %s %s; expected %s'
                         % (what, ' and '.join(problems), list(expected)))


def to_jax(symbol, arg_params=None, aux_params=None):
    """`symbol` as ``JaxModel(apply, params, aux)``; see the module docstring."""
    program = compiled_graph(symbol).program
    arg_params = arg_params or {}
    params = {n: _as_jax(arg_params[n]) for n in program.arg_names if n in arg_params}
    input_names = [n for n in program.arg_names if n not in arg_params]
    aux = {n: _as_jax(v) for n, v in (aux_params or {}).items()}
    _check_names(aux, program.aux_names, 'aux_params')
    param_names = list(params)

    def apply(params, aux, inputs, is_train=False, key=None):
        _check_names(params, param_names, 'params')
        _check_names(aux, program.aux_names, 'aux')
        _check_names(inputs, input_names, 'inputs')
        if key is None and program.uses_random:
            raise MXNetError('to_jax: this symbol draws random numbers; pass a PRNG key')
        values = {**params, **inputs}
        outputs, new_aux = program.run([values[n] for n in program.arg_names],
                                       [aux[n] for n in program.aux_names], key, bool(is_train))
        return outputs, dict(zip(program.aux_names, new_aux))
    apply.__doc__ = ('(params, aux, inputs, is_train=False, key=None) -> (outputs, new_aux) '
                     'for %s; inputs: %s' % (symbol.name or 'the symbol', input_names))
    return JaxModel(apply, params, aux)
