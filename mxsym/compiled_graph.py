"""A graph lowered once, with the compiled programs made from it built on first use.

`compiled_graph(symbol)` gives the one `CompiledGraph` of a graph's content: every executor
of the same graph shares its lowered `GraphProgram`. Its programs, each jit-compiled by XLA
once per (shapes, dtypes), are shared wider, by every graph of the same structure (the same
ops, attrs and edges, whatever the nodes' names: MXNet names each new ``sum`` node afresh,
``sum0``, ``sum1``, ..., and the programs take their arguments by position): the inference
and training forwards, the pullback of a training forward, the one-program training step of
loss-terminated graphs, the monitor's all-values forward and the integer backward. The
structure's digest (with the values of the environment settings its ops read) names the
programs in the on-disk compilation cache.
"""
import functools
import hashlib
import json
import os
from collections import OrderedDict

import jax
import jax.numpy as jnp

from . import compilation_cache, frames, profile_trace
from .base import MXNetError
from .graph import Node, topo_order
from .integer_grad import IntegerBackward
from .lower import Entries, GraphProgram
from .serialization import to_json

compilation_cache.enable()
_GRAPHS = OrderedDict()     # digest -> CompiledGraph, most recently used last
_PROGRAMS = OrderedDict()   # structure digest -> the programs of that structure
_MAX_GRAPHS = 256


def compiled_graph(symbol):
    """The `CompiledGraph` of the symbol's graph, shared with every graph of the same content
    (the most recently used few hundred are kept)."""
    text = to_json(symbol._outputs)
    settings = repr(_settings(topo_order(symbol._outputs)))
    digest = _digest(text + settings)
    graph = _recent(_GRAPHS, digest)
    if graph is None:
        structure = _digest(_without_names(text) + settings)
        programs = _recent(_PROGRAMS, structure)
        if programs is None:
            programs = _keep(_PROGRAMS, structure, {})
        graph = _keep(_GRAPHS, digest, CompiledGraph(symbol, structure, programs))
    return graph


def _digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


def _without_names(text):
    """A graph's JSON with its nodes' names left out: what its programs compute."""
    graph = json.loads(text)
    for node in graph['nodes']:
        node['name'] = ''
    return json.dumps(graph, sort_keys=True)


def _recent(cache, key):
    """The value cached under `key` (None if absent), now the most recently used."""
    value = cache.get(key)
    if value is not None:
        cache.move_to_end(key)
    return value


def _keep(cache, key, value):
    """Cache `value` under `key`, dropping the least recently used beyond the limit."""
    cache[key] = value
    if len(cache) > _MAX_GRAPHS:
        cache.popitem(last=False)
    return value


def _settings(nodes):
    """The environment settings the nodes' ops read when traced, with their values."""
    names = sorted({name for node in nodes if node.op is not None for name in node.op.settings})
    return [(name, os.environ.get(name)) for name in names]


def trainable_indices(grad_reqs):
    """Positions of the arguments whose gradient is requested."""
    return [i for i, req in enumerate(grad_reqs) if req != 'null']


def vectors_first(arrays):
    """Positions of `arrays` with the 1-D ones (biases, BatchNorm's gamma and beta) first,
    the order in which the one-program training step returns gradients: XLA's CPU scheduler
    breaks ties by output position, and so ordered runs each layer's cheap bias reduction
    before its weight-gradient product, not after it (an MLP step ~4% faster)."""
    return sorted(range(len(arrays)), key=lambda i: arrays[i].ndim > 1)


def _accumulate(grads, old_grads, grad_reqs):
    """'write' keeps the new gradient, 'add' adds it to the old one, either in the dtype of the
    gradient array (which may differ from its argument's: MXNet's softmax tests pass float64
    gradient arrays for float16 data). Integer arguments (which only feed inputs MXNet does
    not differentiate) get JAX's empty float0 gradient: zeros."""
    adds = [grad_reqs[i] == 'add' for i in trainable_indices(grad_reqs)]
    grads = [jnp.zeros_like(old) if g.dtype == jax.dtypes.float0 else g.astype(old.dtype)
             for g, old in zip(grads, old_grads)]
    return [g + old if add else g for g, old, add in zip(grads, old_grads, adds)]


def loss_head(output):
    """The head gradient of a loss output, which its own gradient ignores: ones."""
    return jnp.ones_like(output)


def differentiated(grad_reqs):
    """What of the grad_reqs shapes a program: which arguments are differentiated ('write'
    and 'add' differ only at run time, so they share programs)."""
    return tuple('null' if req == 'null' else 'write' for req in grad_reqs)


def _pullback_program(wanted):
    def apply(pullback, head_grads, old_grads, adds):
        grads = _accumulate(pullback(head_grads)[0], old_grads, wanted)
        return [jnp.where(add, g + old, g) for g, old, add in zip(grads, old_grads, adds)]
    return apply


def _program(function, name, quick=False):
    """A program kept in memory only (its inputs or outputs are JAX's pullbacks, it serves
    the monitor, or its arrays are small, or it serves first runs: `quick`), named `name`."""
    return compilation_cache.CachedJit(function, None, name, quick)


def _errors_named_by(program, own_program):
    """`program`, built from another graph of the same structure, whose failures (a trace for
    new shapes that breaks an op's rule) are raised by `own_program()` instead, naming this
    graph's nodes."""
    def run(*args):
        try:
            return program(*args)
        except MXNetError:
            return own_program()(*args)
    return run


class CompiledGraph:
    """One graph: its nodes in topological order, its lowered program (argument and aux names
    included), and its compiled programs, each built on first use and shared by the graphs of
    the same structure (`programs`: {what: (the graph that built it, program)})."""

    def __init__(self, symbol, structure, programs):
        self.symbol = symbol
        self.structure = structure
        self.nodes = topo_order(symbol._outputs)
        self.program = GraphProgram(symbol)
        self._programs = programs
        self._own = {}

    def _cached(self, key, build):
        """The program `build` makes, named by `key` and the structure; the first graph of
        this structure to need it builds it."""
        builder, program = self._programs.get(key, (None, None))
        if builder is None:
            builder, program = self._programs[key] = (self, build(self.program_name(key)))
        runs = program if builder is self else _errors_named_by(
            program, lambda: self._own_program(key, build))
        if profile_trace.RECORDING.symbolic:
            return profile_trace.watched(runs, self.program_name(key), program,
                                         builder.op_of_node)
        return runs

    def program_name(self, key):
        """The XLA name of this graph's program for `key`."""
        return profile_trace.program_name(key, self.structure)

    @functools.cached_property
    def op_of_node(self):
        """{node name: op name}: what a profile reads a node's kernels as."""
        return {node.name: node.op.name for node in self.nodes if node.op is not None}

    def _own_program(self, key, build):
        if key not in self._own:
            self._own[key] = build(self.program_name(key))
        return self._own[key]

    def forward_with_pullback(self, grad_reqs, args, aux, key, is_train=True, indices=None):
        """(outputs, new aux, pullback): a forward keeping JAX's VJP residuals; with
        `indices`, of flat arguments gathered into a frame (frames.py)."""
        wanted = trainable_indices(grad_reqs)

        def run(trainable):
            full = list(args)
            for i, value in zip(wanted, trainable):
                full[i] = value
            if indices is not None:
                full = frames.gathered(full, indices)
            return self.program.run(full, aux, key, is_train=is_train)
        outputs, pullback, new_aux = jax.vjp(run, [args[i] for i in wanted], has_aux=True)
        return outputs, new_aux, pullback

    def loss_gradients(self, grad_reqs, args, aux, key):
        """(outputs, new aux, gradients) of a graph whose outputs are all loss layers."""
        outputs, new_aux, pullback = self.forward_with_pullback(grad_reqs, args, aux, key)
        return outputs, new_aux, pullback([loss_head(out) for out in outputs])[0]

    def forward(self, is_train):
        """``(args, aux, key) -> (outputs, new aux)``; one program for both modes unless an op
        of the graph reads the mode."""
        is_train = bool(is_train) and self.program.reads_mode
        return self._cached(('forward', is_train), lambda name: compilation_cache.CachedJit(
            functools.partial(self.program.run, is_train=is_train),
            ('forward', self.structure, is_train), name))

    def train_forward(self, grad_reqs, is_train=True):
        """``(args, aux, key) -> (outputs, new aux, pullback)``, for `backward`
        (`is_train` False: the inference forward, for a backward after it)."""
        wanted = differentiated(grad_reqs)
        return self._cached(('train forward', wanted, is_train), lambda name: _program(
            functools.partial(self.forward_with_pullback, wanted, is_train=is_train), name))

    def backward(self, grad_reqs):
        """``(pullback, head gradients, old gradients) -> gradients``, for a pullback of
        `train_forward` (which carries its graph with it)."""
        wanted = differentiated(grad_reqs)
        program = self._cached(('backward', wanted), lambda name: _program(
            _pullback_program(wanted), name))
        adds = [grad_reqs[i] == 'add' for i in trainable_indices(grad_reqs)]
        return lambda pullback, head_grads, old_grads: program(pullback, head_grads, old_grads,
                                                               adds)

    def train_pass(self, grad_reqs):
        """Forward and backward as one program, for graphs of small arrays:
        ``(args, aux, key, head gradients, old gradients, adds) -> (outputs, new aux,
        gradients)``. Their training forward runs it with stand-in heads and their backward
        runs it again on the same inputs: one compilation instead of two (an op checked on one
        random shape after another compiles for each), the forward computed twice in
        microseconds."""
        wanted = differentiated(grad_reqs)
        gradients = _pullback_program(wanted)

        def run(args, aux, key, head_grads, old_grads, adds):
            outputs, new_aux, pullback = self.forward_with_pullback(wanted, args, aux, key)
            return outputs, new_aux, gradients(pullback, head_grads, old_grads, adds)
        return self._cached(('train pass', wanted), lambda name: _program(run, name))

    def frame_forward(self):
        """``(flat args, indices, key) -> flat outputs``: an elementwise graph's forward on a
        frame (frames.py), one program per frame length and dtypes. (Such graphs read no
        mode.)"""
        def run(flat_args, indices, key):
            return self.program.run(frames.gathered(flat_args, indices), [], key, False)[0]
        return self._cached(('frame forward',), lambda name: _program(run, name, quick=True))

    def frame_train_pass(self, grad_reqs):
        """`train_pass` on a frame: ``(flat args, indices, key, flat heads, flat old
        gradients, adds) -> (flat outputs, flat gradients)``."""
        wanted = differentiated(grad_reqs)
        gradients = _pullback_program(wanted)

        def run(flat_args, indices, key, head_grads, old_grads, adds):
            outputs, _, pullback = self.forward_with_pullback(wanted, flat_args, [], key,
                                                              indices=indices)
            return outputs, gradients(pullback, head_grads, old_grads, adds)
        return self._cached(('frame train pass', wanted),
                            lambda name: _program(run, name, quick=True))

    @functools.cached_property
    def row_graph(self):
        """For a graph that is one reduction of its argument, the `CompiledGraph` of that
        reduction over axis 1 of a matrix (keeping it), which runs it on frames of rows
        (frames.RowFrame); else None."""
        node = self.nodes[-1]
        if (len(self.nodes) != 2 or len(self.symbol._outputs) != 1 or node.op is None
                or node.op.row_attrs is None):
            return None
        attrs = dict(node.attrs, **node.op.row_attrs)
        rows = Node(node.op, node.name, attrs, [(Node(None, 'data'), 0)],
                    node.op.parse_params(attrs, node.name))
        return compiled_graph(Entries([(rows, 0)]))

    def perturbed_outputs(self, position, is_train):
        """``(args, aux, key, values) -> the first output for each of `values` (a batch)
        taken in turn as argument `position```: a numeric gradient's perturbed forwards as one
        program."""
        is_train = bool(is_train) and self.program.reads_mode

        def run(args, aux, key, values):
            def one(value):
                full = list(args)
                full[position] = value
                return self.program.run(full, aux, key, is_train)[0][0]
            return jax.vmap(one)(values)
        return self._cached(('perturbed outputs', position, is_train),
                            lambda name: _program(run, name))

    def train_step(self, grad_reqs):
        """Forward and backward as one program, for graphs whose outputs are all loss layers:
        ``(args, aux, key, old gradients) -> (outputs, new aux, gradients)``, the gradients
        in `vectors_first` order."""
        def step(args, aux, key, old_grads):
            outputs, new_aux, grads = self.loss_gradients(grad_reqs, args, aux, key)
            grads = _accumulate(grads, old_grads, grad_reqs)
            return outputs, new_aux, [grads[i] for i in vectors_first(grads)]
        return self._cached(('train step', grad_reqs), lambda name: compilation_cache.CachedJit(
            step, ('train step', self.structure, grad_reqs), name))

    def all_values(self, is_train):
        """Every intermediate value of a forward, for a monitor: a program of its own, so
        runs without a monitor keep theirs."""
        return self._cached(('all values', is_train), lambda name: _program(
            functools.partial(self.program.run_all, is_train=is_train), name))

    def integer_backward(self, grad_reqs):
        """MXNet's backward through integer values (integer_grad.py):
        ``(args, aux, key, heads, old grads) -> gradients of the requested arguments``."""
        return self._cached(('integer backward', grad_reqs), lambda name: _program(
            IntegerBackward(self.program, self.nodes, grad_reqs), name))
