"""`mx.nd.CachedOp`: a Symbol run eagerly on NDArrays as one compiled program.

The symbol's lowered program (its `CompiledGraph`) is compiled once per training mode and input
shapes; while autograd records, each call goes on the tape as one node.
"""
import functools

import jax

from . import prng, tape
from .base import MXNetError
from .compiled_graph import compiled_graph
from .ndarray import NDArray


class CachedOp:
    """``op(*inputs, out=None)``: the symbol's outputs for NDArrays given in the order of
    ``symbol.list_inputs()`` (arguments and auxiliary states as the graph meets them)."""

    def __init__(self, sym, flags=()):
        self._symbol = sym
        self._program = compiled_graph(sym).program
        inputs = sym.list_inputs()
        aux_names = set(sym.list_auxiliary_states())
        self._arg_positions = [i for i, name in enumerate(inputs) if name not in aux_names]
        self._aux_positions = [i for i, name in enumerate(inputs) if name in aux_names]
        self._runs = {mode: _GraphRun(self._program, mode, len(self._arg_positions))
                      for mode in (False, True)}

    def __call__(self, *args, out=None):
        expected = len(self._arg_positions) + len(self._aux_positions)
        if len(args) != expected:
            raise MXNetError('CachedOp: %d inputs given, the symbol takes %d (%s)'
                             % (len(args), expected, ', '.join(self._symbol.list_inputs())))
        run = self._runs[tape.is_training()]
        inputs = [args[i] for i in self._arg_positions] + [args[i] for i in self._aux_positions]
        key = prng.next_key() if self._program.uses_random else None
        outputs, new_aux = run.with_aux(key, *[x._data for x in inputs])
        if run.is_train:
            for position, value in zip(self._aux_positions, new_aux):
                args[position]._set_data(value)
        ctx = args[0].context if args else None
        results = [NDArray(value, ctx) for value in outputs]
        tape.record(run, [key] + inputs, results)
        if out is not None:
            targets = out if isinstance(out, (list, tuple)) else [out]
            for target, value in zip(targets, results):
                target[:] = value
            return out
        return results[0] if len(results) == 1 else results


class _GraphRun:
    """The program in one mode: ``run(key, *args_then_aux)`` -> tuple of outputs (as the tape
    calls it); `with_aux` also gives the new aux values."""

    def __init__(self, program, is_train, num_args):
        self.is_train, self._num_args = is_train, num_args
        self._compiled = jax.jit(functools.partial(self._run, program))

    def _run(self, program, key, *inputs):
        outputs, new_aux = program.run(list(inputs[:self._num_args]),
                                       list(inputs[self._num_args:]), key, self.is_train)
        return tuple(outputs), tuple(new_aux)

    def with_aux(self, key, *inputs):
        return self._compiled(key, *inputs)

    def __call__(self, key, *inputs):
        return self._compiled(key, *inputs)[0]
