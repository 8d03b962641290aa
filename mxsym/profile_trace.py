"""JAX's profiler trace read as MXNet's profiler reports it: XLA's kernels named by the graph
nodes and operators they ran.

On a CPU, XLA's runtime records one trace event per kernel (``fusion.3``, ``dot``) with the
name of its program. mxsym names its programs (``jit_train_step_<digest>``, ``jit_op_<op>`` for
eager calls) and lowers every node under a scope of its name, which XLA keeps as each
instruction's metadata. While the profiler records, the programs a call runs are noted with
the shapes of their arguments; when the trace is read, each noted program's compiled text maps
its kernels to nodes: ``transpose(jvp(fc1))`` is fc1's backward, shown as
``_backward_FullyConnected``. A fused kernel counts once for every node it holds, its time
shared among them. A program compiled from another graph of the same structure shows that
graph's node names.
"""
import collections
import gzip
import hashlib
import json
import re

import jax


class _Recording:
    """What the profiler records now (set by `mx.profiler` while it runs)."""
    symbolic = False
    imperative = False


RECORDING = _Recording()

# XLA program name -> (something with `lower`, abstract arguments, {node name: op name}).
_graph_programs = {}
# XLA program name -> the operator an eager call of it runs.
_op_programs = {}


def program_name(key, structure):
    """The name of a graph's program: what it does (``key[0]``) and a digest of the rest of
    its key and the graph's structure."""
    digest = hashlib.sha256(repr((key, structure)).encode()).hexdigest()
    return '%s_%s' % (key[0].replace(' ', '_'), digest[:12])


def op_program_name(op_name):
    """The name of an eager call's program, noted so that its kernels read as the op."""
    name = 'op_' + re.sub(r'\W', '_', op_name)
    _op_programs['jit_' + name] = op_name
    return name


def watched(program, name, lowerable, op_of_node):
    """`program`, whose first call notes how to read the kernels of the XLA program `name`
    (`lowerable.lower(*args)` compiles it); for callers to use while the profiler records
    symbolic programs (``RECORDING.symbolic``)."""
    if 'jit_' + name in _graph_programs:
        return program

    def run(*args):
        _graph_programs.setdefault('jit_' + name, (lowerable, _abstract(args), op_of_node))
        return program(*args)
    return run


def _abstract(args):
    def shape_of(value):
        if isinstance(value, jax.Array):
            return jax.ShapeDtypeStruct(value.shape, value.dtype, sharding=value.sharding,
                                        weak_type=value.weak_type)
        return value
    return jax.tree_util.tree_map(shape_of, args)


def read_trace(path):
    """The events of a JAX trace file (Chrome's JSON trace format, gzipped)."""
    with gzip.open(path, 'rt') as trace:
        return json.load(trace).get('traceEvents', [])


def named_events(events):
    """The trace's events with XLA's kernel events of mxsym's programs renamed to their
    operators (category ``operator``, the node and kernel in ``args``), split one per node
    for a fused kernel; other events as they are."""
    kernels = {}
    named = []
    for event in events:
        args = event.get('args') or {}
        module, kernel = args.get('hlo_module'), args.get('hlo_op')
        if event.get('ph') != 'X' or module is None or kernel is None:
            named.append(event)
            continue
        if module in _op_programs:
            runs = [(_op_programs[module], '')] if RECORDING.imperative else None
        else:
            if module not in kernels:
                kernels[module] = _kernel_nodes(module)
            runs = kernels[module].get(kernel)
        if runs is None:
            named.append(event)
            continue
        for operator, node in runs:
            named.append(dict(event, name=operator, cat='operator', dur=event['dur'] / len(runs),
                              args=dict(args, node=node)))
    return named


def _kernel_nodes(module):
    """{kernel: [(operator, node), ...]} for a graph's program: what each kernel ran."""
    if module not in _graph_programs:
        return {}
    lowerable, args, op_of_node = _graph_programs[module]
    try:
        text = lowerable.lower(*args).compile().as_text()
    except Exception:   # a program that can no longer be compiled keeps XLA's names
        return {}
    return _runs_of_kernels(text, op_of_node)


_INSTRUCTION = re.compile(r'^\s*(?:ROOT\s+)?%?([\w.\-]+)\s*=')
_CALLS = re.compile(r'calls=%?([\w.\-]+)')
_OP_NAME = re.compile(r'op_name="([^"]*)"')


def _runs_of_kernels(text, op_of_node):
    """{instruction: [(operator, node), ...]} from a compiled program's HLO text, a fusion
    standing for every node its fused instructions came from."""
    computations, instructions = collections.defaultdict(list), {}
    current = None
    for line in text.splitlines():
        match = _INSTRUCTION.match(line)
        if match is None:
            if line.rstrip().endswith('{'):
                current = line.split()[1 if line.startswith('ENTRY') else 0].lstrip('%')
            continue
        calls, op_name = _CALLS.search(line), _OP_NAME.search(line)
        run = _run_of(op_name and op_name.group(1), op_of_node)
        instructions[match.group(1)] = (run, calls and calls.group(1))
        if run is not None:
            computations[current].append(run)
    runs = {}
    for name, (run, calls) in instructions.items():
        found = list(dict.fromkeys(computations.get(calls, ()))) or ([run] if run else [])
        if found:
            runs[name] = found
    return runs


def _run_of(op_name, op_of_node):
    """(operator, node) for an instruction's scope path (``jit(p)/transpose(jvp(fc1))/dot``),
    or None where it ran no node of the graph."""
    if not op_name:
        return None
    parts = op_name.split('/')
    if len(parts) < 2:
        return None
    scope = parts[1]
    node = re.sub(r'^(?:\w+\()*', '', scope).rstrip(')')
    if node not in op_of_node:
        return None
    operator = op_of_node[node]
    return ('_backward_' + operator if 'transpose(' in scope else operator), node
