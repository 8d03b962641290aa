"""A pre-flight audit of a model file (``PREFIX-symbol.json`` and its params), made without
running it (``mxsym check``): every op the graph uses and whether mxsym has it, all missing ops
at once, the shapes of the inputs and outputs, and whether the params file fits the graph.

The op inventory is read from the JSON itself, so a graph with missing ops is still inventoried
whole; the rest needs the symbol built, and is checked by name only when it cannot be.
"""
import json
from collections import Counter
from typing import NamedTuple

from . import model, ops, symbol
from .base import MXNetError


class OpUse(NamedTuple):
    """An op the graph uses: how many nodes, and why mxsym cannot run it (None: it can)."""
    name: str
    count: int
    missing: object


class Audit(NamedTuple):
    """What `audit` found; `problems` says, one line each, what keeps the model from running."""
    node_count: int
    ops: list
    inputs: dict           # input name -> shape (None where unknown, 0 for an unknown dim)
    outputs: dict          # output name -> shape (as inputs)
    params_file: object    # None without one
    param_arrays: int
    param_values: int
    problems: list

    @property
    def runnable(self):
        return not self.problems


def is_label(name):
    """Inputs a run infers rather than needs (MXNet's loss layers name them *label)."""
    return name.endswith('label')


def raw_graph(fname):
    """The JSON object of a symbol file, for an inventory of what it holds; a file that is not
    JSON gets the detailed error of building the symbol."""
    try:
        with open(fname, 'rb') as src:
            graph = json.loads(src.read().decode('utf-8'))
        if isinstance(graph, dict) and isinstance(graph.get('nodes'), list):
            return graph
    except (OSError, ValueError):
        pass
    symbol.load(fname)   # raises the error naming what is wrong
    raise MXNetError('%s: not a symbol file' % fname)


def saved_in_np_shape(prefix):
    """Whether PREFIX-symbol.json was written in NumPy-shape mode (MXNet records
    ``is_np_shape`` in the graph's attrs): its params file then loads only in that mode.
    An unreadable file says no, leaving its error to the command that reads it."""
    try:
        graph = raw_graph('%s-symbol.json' % prefix)
    except (MXNetError, OSError, RecursionError):
        return False
    attrs = graph.get('attrs')
    flag = attrs.get('is_np_shape') if isinstance(attrs, dict) else None
    return isinstance(flag, list) and len(flag) == 2 and flag[1] == 1


def op_uses(graph):
    """The ops of a graph and its subgraphs, with their node counts and missing reasons."""
    counts = Counter()
    pending = [graph]
    while pending:
        current = pending.pop()
        for node in current.get('nodes', []) if isinstance(current, dict) else []:
            if isinstance(node, dict) and isinstance(node.get('op'), str) and node['op'] != 'null':
                counts[node['op']] += 1
                pending.extend(node.get('subgraphs') or [])
    return [OpUse(name, count, _missing_reason(name)) for name, count in sorted(counts.items())]


def _missing_reason(op_name):
    try:
        ops.get(op_name)
    except MXNetError as err:
        return str(err)
    return None


def infer_shapes(sym, given):
    """{argument or aux state: shape} and {output: shape} from the `given` shapes (None for an
    unknown shape)."""
    arg_shapes, out_shapes, aux_shapes = sym.infer_shape_partial(**given)
    names = sym.list_arguments() + sym.list_auxiliary_states()
    known = lambda shape: tuple(shape) if shape else None   # noqa: E731
    return ({name: known(shape) for name, shape in zip(names, arg_shapes + aux_shapes)},
            {name: known(shape) for name, shape in zip(sym.list_outputs(), out_shapes)})


def input_and_output_shapes(sym, arg_params, aux_params):
    """{input the params do not hold: its shape} and {output: its shape}, as far as the file
    (``__shape__`` attrs) and the params determine them (None where unknown)."""
    given = {name: a.shape for params in (arg_params, aux_params)
             for name, a in params.items()}
    try:
        shapes, outputs = infer_shapes(sym, given)
    except MXNetError:
        shapes, outputs = {}, {}
    return ({name: shapes.get(name) for name in sym.list_arguments() if name not in arg_params},
            {name: outputs.get(name) for name in sym.list_outputs()})


def audit(prefix, epoch=None, given=None):
    """Audit ``PREFIX-symbol.json`` and, for an `epoch`, ``PREFIX-EPOCH.params``, with input
    shapes `given` ({name: shape}) where the file leaves them open."""
    fname = '%s-symbol.json' % prefix
    graph = raw_graph(fname)
    used = op_uses(graph)
    problems = ['op %s is missing: %s' % (use.name, use.missing) for use in used if use.missing]
    params_file, arg_params, aux_params = None, {}, {}
    if epoch is not None:
        params_file = '%s-%04d.params' % (prefix, epoch)
        arg_params, aux_params = model.load_params(prefix, epoch)
    arrays = list(arg_params.values()) + list(aux_params.values())
    found = dict(node_count=len(graph['nodes']), ops=used, params_file=params_file,
                 param_arrays=len(arrays), param_values=sum(a.size for a in arrays))
    sym = None
    if not problems:
        try:
            sym = symbol.load(fname)
        except MXNetError as err:
            problems.append(str(err))
    given = dict(given or {})
    if sym is None:   # checked by name only
        variables = [node.get('name') for node in graph['nodes']
                     if isinstance(node, dict) and node.get('op') == 'null']
        arguments = [name for name in variables if name not in aux_params]
        aux_states = [name for name in variables if name in aux_params]
        shapes, outputs = given, {}
    else:
        arguments, aux_states = sym.list_arguments(), sym.list_auxiliary_states()
        shapes, outputs, shape_problems = _shapes(sym, arg_params, aux_params, given)
        problems += shape_problems
    problems += _name_problems(arguments, aux_states, arg_params, aux_params, given,
                               params_file)
    if given and params_file:
        problems += ['%s has no %s (the graph needs %s)'
                     % (params_file, name, shape_text(shapes.get(name)))
                     for name in arguments
                     if name not in arg_params and name not in given and not is_label(name)]
    inputs = {name: shapes.get(name) for name in arguments if name not in arg_params}
    return Audit(inputs=inputs, outputs=outputs, problems=problems, **found)


def _name_problems(arguments, aux_states, arg_params, aux_params, given, params_file):
    """Given inputs the graph lacks, aux states the params lack, and params the graph lacks
    (counted, with the first of each, where there are many: the params of another model)."""
    problems = ['--input %s: not an input of the graph' % name
                for name in given if name not in arguments or name in arg_params]
    if params_file is None:
        return problems
    missing_aux = [name for name in aux_states if name not in aux_params]
    extra = (['arg:' + name for name in arg_params if name not in arguments]
             + ['aux:' + name for name in aux_params if name not in aux_states])
    if missing_aux:
        problems.append('%s has no aux state %s' % (params_file, few(missing_aux)))
    if extra:
        problems.append('%s holds %s, which the graph does not use' % (params_file, few(extra)))
        unmatched = [name for name in arguments if name not in arg_params and
                     name not in given and name.endswith(PARAMETER_SUFFIXES)]
        if unmatched:
            problems.append('%s lacks %s, which the graph has: are these the params of '
                            'another model?' % (params_file, few(unmatched)))
    return problems


# How MXNet's layers name their learned arguments.
PARAMETER_SUFFIXES = ('_weight', '_bias', '_gamma', '_beta', '_alpha')


def few(names, shown=3):
    """Names for a message: all of a few, or how many and the first ones."""
    if len(names) <= shown:
        return ', '.join(names)
    return '%d arrays (%s, ...)' % (len(names), ', '.join(names[:shown]))


def _shapes(sym, arg_params, aux_params, given):
    """Inferred shapes of the variables and outputs, and the params whose shapes the graph
    rules out: checked against the shapes `given` inputs imply where any are given, else
    against each other."""
    used = set(sym.list_arguments()) | set(sym.list_auxiliary_states())
    held = {name: tuple(a.shape) for params in (arg_params, aux_params)
            for name, a in params.items() if name in used}
    problems = []
    try:
        if given:
            implied, _ = infer_shapes(sym, given)
            problems = ['%s has shape %s in the params file but the graph needs %s'
                        % (name, held[name], implied[name]) for name in implied
                        if name in held and implied[name] and all(implied[name])
                        and implied[name] != held[name]]
        if problems:
            return implied, {}, problems
        shapes, outputs = infer_shapes(sym, dict(held, **given))
    except MXNetError as err:
        return {}, {}, ['shapes: %s' % err]
    return shapes, outputs, problems


def shapes_json(shapes):
    """{name: shape} for JSON: a list with null for each unknown dim, null for an unknown
    shape."""
    return {name: [d or None for d in shape] if shape else None
            for name, shape in shapes.items()}


def shape_text(shape):
    """``(?, 3, 224, 224)``: a shape with its unknown dims as ?; 'unknown' for None."""
    if not shape:
        return 'unknown'
    dims = [str(d) if d else '?' for d in shape]
    return '(%s)' % (dims[0] + ',' if len(dims) == 1 else ', '.join(dims))
