"""Lowering: a Symbol's graph becomes one pure JAX function.

`GraphProgram.run(args, aux, key, is_train)` walks the nodes in topological order, looks each op
up in the registry, calls its JAX function with the input values and the node's parsed params,
and stores the outputs in a flat list of slots. No per-op branches: the graph is data. The
function is traced once per (shapes, dtypes, is_train) by `jax.jit` in the executor.

Inside the program, convolution networks keep their activations channels-last (NCHW held as
NHWC), the layout XLA's convolutions run in without a transpose on each side: a Convolution
moves its data's channels last, ops declaring a channels-last form (`OpDef.channels_last`) keep
them there, and any other consumer, and the program's results, get the value back channels-first.
"""
from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp

from .base import MXNetError
from .graph import aux_variable_ids, topo_order
from .ops_registry import run_context


class Step(NamedTuple):
    """One op node, prepared: where its inputs are, where its outputs and aux updates go."""

    op: Any              # the node's `OpDef`
    compute: Any
    params: Any
    input_slots: tuple
    first_output_slot: int
    nondiff: tuple       # input positions MXNet gives no gradient (indices, labels, ...)
    split_result: Any    # the op's `split_result`: (outputs, new aux values) of a compute
    aux_updates: tuple   # (position in the op's aux list, index into the aux values)
    node_index: int
    channels_last: Any   # the op's compute on channels-last activations, or None
    starts_channels_last: bool   # moves channels-first data channels-last (convolutions)
    elementwise: bool    # channels_last needs every input to have the activations' rank
    describe: str        # the node as errors name it: ``name (Op)``
    name: str            # the node's name, the scope of its XLA ops (what a profile shows)
    subgraphs: tuple     # a control-flow node's subgraphs, lowered (`Subgraph`)


class GraphProgram:
    """The lowered form of a symbol: argument and aux names, and a pure `run` function."""

    def __init__(self, symbol, channels_last=True):
        """`channels_last=False` keeps every value as the graph defines it (a reference)."""
        nodes = topo_order(symbol._outputs)
        aux_ids = aux_variable_ids(nodes)
        slots = {}
        self.arg_names, self.aux_names = [], []
        arg_slots, aux_slots = [], []
        next_slot = 0
        for node in nodes:
            if node.op is None:
                slots[(id(node), 0)] = next_slot
                if id(node) in aux_ids:
                    self.aux_names.append(node.name)
                    aux_slots.append(next_slot)
                else:
                    self.arg_names.append(node.name)
                    arg_slots.append(next_slot)
                next_slot += 1
        aux_index = {slot: i for i, slot in enumerate(aux_slots)}
        steps = []
        for index, node in enumerate(nodes):
            if node.op is None:
                continue
            input_slots = tuple(slots[(id(src), i)] for src, i in node.inputs)
            names = node.input_names()
            aux_updates = tuple(
                (node.op.aux.index(name), aux_index[slot])
                for name, slot in zip(names, input_slots)
                if name in node.op.aux and slot in aux_index)
            for i in range(node.num_outputs):
                slots[(id(node), i)] = next_slot + i
            nondiff = tuple(i for i, name in enumerate(names) if name in node.op.nondiff_inputs)
            channels_last, elementwise = (_channels_last_compute(node.op, node.params)
                                          if channels_last else (None, False))
            steps.append(Step(node.op, node.op.compute, node.params, input_slots, next_slot,
                              nondiff, node.op.split_result, aux_updates, index, channels_last,
                              node.op.starts_channels_last and channels_last is not None,
                              elementwise, node.describe(), node.name,
                              tuple(Subgraph(entries, channels_last)
                                    for entries in node.subgraphs)))
            next_slot += node.num_outputs
        self.steps = tuple(steps)

        def anywhere(op_flag, program_flag):
            """Whether an op of the graph or of a subgraph's (its program's flag) has it."""
            return any(getattr(step.op, op_flag) or any(getattr(subgraph.program, program_flag)
                                                        for subgraph in step.subgraphs)
                       for step in steps)
        self.uses_random = anywhere('random', 'uses_random')
        self.reads_mode = anywhere('reads_mode', 'reads_mode')
        self.calls_host = anywhere('runs_on_host', 'calls_host')
        self.num_slots = next_slot
        self.arg_slots, self.aux_slots = tuple(arg_slots), tuple(aux_slots)
        self.output_slots = tuple(slots[(id(n), i)] for n, i in symbol._outputs)

    def run(self, args, aux, key, is_train):
        """Outputs and new aux values for argument and aux values (lists of arrays)."""
        values, last, new_aux = self._execute(args, aux, key, is_train)
        return [_channels_first(values[s], last[s]) for s in self.output_slots], new_aux

    def run_all(self, args, aux, key, is_train):
        """Every slot's value (arguments, aux states, each op's outputs) and new aux values:
        what a monitor looks at."""
        values, last, new_aux = self._execute(args, aux, key, is_train)
        return [_channels_first(v, rank) for v, rank in zip(values, last)], new_aux

    def _execute(self, args, aux, key, is_train):
        """Every slot's value, the rank of those held channels-last (0 for the others), and
        the new aux values."""
        values = [None] * self.num_slots
        last = [0] * self.num_slots
        for slot, value in zip(self.arg_slots, args):
            values[slot] = value
        for slot, value in zip(self.aux_slots, aux):
            values[slot] = value
        new_aux = list(aux)
        for step in self.steps:
            node_key = None if key is None else jax.random.fold_in(key, step.node_index)
            inputs = [values[s] for s in step.input_slots]
            ranks = [last[s] for s in step.input_slots]
            for position in step.nondiff:
                inputs[position] = jax.lax.stop_gradient(inputs[position])
            rank = _channels_last_rank(step, inputs, ranks)
            if rank:
                inputs = [value if held or value.ndim != rank else _to_channels_last(value)
                          for value, held in zip(inputs, ranks)]
                compute = step.channels_last
            else:
                inputs = [_channels_first(value, held) for value, held in zip(inputs, ranks)]
                compute = step.compute
            try:
                subgraphs = tuple(partial(subgraph, is_train=is_train)
                                  for subgraph in step.subgraphs)
                with jax.named_scope(step.name):
                    result = compute(step.params,
                                     run_context(step.op, is_train, node_key, subgraphs),
                                     *inputs)
            except Exception as err:   # name the node, as shape inference does
                raise _node_error(step, inputs, err) from err
            result, aux_values = step.split_result(result)
            for position, target in step.aux_updates:
                new_aux[target] = aux_values[position]
            for i, value in enumerate(result):
                values[step.first_output_slot + i] = value
                last[step.first_output_slot + i] = rank if rank and value.ndim == rank else 0
        return values, last, new_aux


class Entries:
    """Output entries seen as a symbol (what `GraphProgram` lowers)."""

    def __init__(self, entries):
        self._outputs = list(entries)


class Subgraph:
    """A control-flow node's subgraph, lowered: ``subgraph(inputs, key, is_train)`` gives its
    outputs for its inputs listed as `subgraph_inputs` lists its variables (a program gives its
    variables the first slots in that order, so input i fills slot i). Aux updates inside a
    subgraph are not kept."""

    def __init__(self, entries, channels_last):
        self.program = GraphProgram(Entries(entries), channels_last)

    def __call__(self, inputs, key, is_train):
        program = self.program
        outputs, _ = program.run([inputs[s] for s in program.arg_slots],
                                 [inputs[s] for s in program.aux_slots], key, is_train)
        return outputs


def _node_error(step, inputs, err):
    """An MXNetError saying which node failed, on which inputs, and why."""
    if isinstance(err, MXNetError) and str(err).startswith(step.describe):
        return err
    shapes = ', '.join('%s %s' % (jnp.dtype(value.dtype).name, tuple(value.shape))
                       for value in inputs)
    said = str(err) if isinstance(err, MXNetError) else '%s: %s' % (type(err).__name__, err)
    return MXNetError('%s, on inputs %s: %s' % (step.describe, shapes or 'none', said))


def _channels_last_compute(op, params):
    """(compute on channels-last activations or None, whether it is elementwise) for a node."""
    if op.channels_last is None:
        return None, False
    if op.channels_last == 'elementwise':
        return op.compute, True
    return op.channels_last(params), False


def _channels_last_rank(step, inputs, ranks):
    """The rank of the activations a step runs on channels-last, or 0 to run channels-first:
    an op with a channels-last form runs so when one of its inputs is held that way (or it
    starts the layout); an elementwise one only when its inputs all have that rank."""
    if step.channels_last is None:
        return 0
    rank = max(ranks)
    if not rank and step.starts_channels_last and inputs[0].ndim >= 3:
        rank = inputs[0].ndim
    if step.elementwise and any(value.ndim != rank for value in inputs):
        return 0
    return rank


def _to_channels_last(value):
    return jnp.moveaxis(value, 1, -1)


def _channels_first(value, rank):
    """A value as the graph defines it, from its channels-last form when `rank` is nonzero."""
    return jnp.moveaxis(value, -1, 1) if rank else value
