"""Shape and dtype inference over a graph, in both directions, as MXNet's InferShape/InferType.

Each op contributes a rule: its declared parameter-shape rule (weights from data), a custom rule,
or by default `jax.eval_shape` of its JAX function once every input is known. Rules run over the
graph until nothing changes (MXNet's fixed point, no pass cap). Ops without their own rule
infer partial shapes by probing (`_probe_partial`). Inside, an unknown shape is None and an
unknown dim 0; results are written as MXNet writes them: ``()`` and 0 in legacy mode, None and
-1 with NumPy-shape semantics on (`mx.np_shape`).
"""
import functools
import warnings

import jax
import numpy as np

from . import util
from .base import MXNetError
from .dtype_codes import variable_dtype
from .graph import aux_variable_ids, subgraph_inputs, topo_order
from .ops.rules import merge_shapes
from .ops_registry import RunContext, Shape


class _EntryTable:
    """Values (shapes or dtypes) for every node output, merged with conflict checks."""

    def __init__(self, merge, describe):
        self.values = {}
        self.merge = merge
        self.describe = describe

    def get(self, entry):
        return self.values.get((id(entry[0]), entry[1]))

    def update(self, entry, value, node, what):
        """Merge a new value into an entry; True when it changed; error on a conflict."""
        if value is None:
            return False
        key = (id(entry[0]), entry[1])
        old = self.values.get(key)
        merged = self.merge(old, value)
        if merged is None:
            raise MXNetError('%s: %s is %s but %s was inferred elsewhere in the graph'
                             % (node.describe(), what, self.describe(value),
                                self.describe(old)))
        if merged != old:
            self.values[key] = merged
            return True
        return False


_HINT_SHAPE = Shape()
_LARGEST_DIM = 2 ** 63 - 1


def declared_shape(node):
    """The shape a variable's ``__shape__`` attr gives (0 for unknown dims), or None."""
    text = node.attrs.get('__shape__')
    if not text:
        return None
    try:
        shape = _HINT_SHAPE.parse(text)
    except ValueError:
        shape = None
    if shape is None or not all(-1 <= d <= _LARGEST_DIM for d in shape):
        raise MXNetError('variable %s: __shape__ %r is not a shape (a tuple of integers, 0 for '
                         'an unknown dimension)' % (node.name, text[:60]))
    return _unknown_as_zero(shape) if shape or util.is_np_shape() else None


def _unknown_as_zero(shape):
    """A user's shape with its unknown dims (-1, or 0 in legacy mode) written as 0."""
    return tuple(max(int(d), 0) for d in shape)


def _as_written(shape):
    """An inferred shape as MXNet returns it in the current shape mode."""
    if util.is_np_shape():
        return None if shape is None else tuple(d if d > 0 else -1 for d in shape)
    return () if shape is None else shape


def _known(shape):
    return shape is not None and all(d > 0 for d in shape)


@functools.lru_cache(maxsize=4096)
def _eval_output_shapes(op, params, in_shapes, in_dtypes):
    """Output shapes of an op for fully known input shapes, traced by `jax.eval_shape`."""
    specs = [jax.ShapeDtypeStruct(s, np.dtype(t)) for s, t in zip(in_shapes, in_dtypes)]
    result = jax.eval_shape(
        lambda *xs: op.compute(params, RunContext(False, None), *xs), *specs)
    outputs, _ = op.split_result(result)
    return tuple(tuple(o.shape) for o in outputs), tuple(o.dtype.name for o in outputs)


def _node_shape_rule(node, in_shapes, out_shapes, in_types):
    """Refined (in_shapes, out_shapes) for one op node."""
    op, params = node.op, node.params
    names = node.input_names()
    if node.subgraphs:
        return op.custom_infer_shape(params, in_shapes, out_shapes, _through_subgraphs(
            node, _subgraph_shape_rule, 'shape', lambda: _EntryTable(merge_shapes,
                                                                     _describe_shape)))
    if op.custom_infer_shape is not None:
        return op.custom_infer_shape(params, in_shapes, out_shapes, names)
    in_shapes = list(in_shapes)
    if op.param_shapes is not None:
        derived = op.param_shapes(params, in_shapes)
        for i, name in enumerate(names):
            if name not in derived:
                continue
            merged = merge_shapes(in_shapes[i], derived[name])
            if merged is None:
                others = [(n, s) for n, s in zip(names, in_shapes) if n not in derived]
                source = node.inputs[i][0]
                raise MXNetError('input %s has shape %s but %s needs %s%s'
                                 % (name, in_shapes[i],
                                    _describe_inputs(*zip(*others)) if others else 'the op',
                                    derived[name],
                                    '' if source.op is not None else ' (argument %s)'
                                    % source.name))
            in_shapes[i] = merged
    if all(_known(s) for s in in_shapes):
        dtypes = tuple(t or 'float32' for t in in_types)
        try:
            shapes, _ = _eval_output_shapes(op, params, tuple(map(tuple, in_shapes)), dtypes)
        except MXNetError as err:
            raise MXNetError('%s (inputs %s)' % (err, _describe_inputs(names, in_shapes))) \
                from None
        except (TypeError, ValueError) as err:
            raise MXNetError('inputs %s do not fit together: %s'
                             % (_describe_inputs(names, in_shapes), err)) from None
        for shape in shapes:
            if not all(d > 0 for d in shape):
                raise MXNetError('inputs %s give output shape %s, which has no elements '
                                 '(is a window larger than its padded input?)'
                                 % (_describe_inputs(names, in_shapes), shape))
        out_shapes = list(shapes)
    elif op.custom_infer_shape is None and all(s is not None for s in in_shapes):
        dtypes = tuple(t or 'float32' for t in in_types)
        in_shapes, out_shapes = _probe_partial(op, params, in_shapes, out_shapes, dtypes)
        if op.unknown_axes_kept and out_shapes and out_shapes[0] is not None:
            out_shapes = [tuple(d if known else 0 for d, known in zip(out_shapes[0],
                                                                      in_shapes[0]))]
    return in_shapes, out_shapes


_PROBE_BASES = (1009, 2003)   # stand-in sizes for unknown dims (position k adds 8 * k)


def _probe_partial(op, params, in_shapes, out_shapes, dtypes):
    """Partial shapes for an op without its own rule. Its output shapes are traced twice, the
    unknown dims standing in as two different sizes (dim k of every input gets the same
    stand-in): an output dim equal in both traces is known; one that is dim k's stand-in both
    times is dim k's size, so a known output dim there gives that size back to the inputs.
    Stand-ins an op refuses leave everything unknown, as MXNet's rules do."""
    traces = []
    for base in _PROBE_BASES:
        filled = tuple(tuple(d or base + 8 * k for k, d in enumerate(s)) for s in in_shapes)
        try:
            traces.append(_eval_output_shapes(op, params, filled, dtypes)[0])
        except Exception:   # any refusal of the stand-ins means: nothing to learn here
            return in_shapes, out_shapes
    sizes = {}
    new_out = []
    for index, (first, second) in enumerate(zip(*traces)):
        if len(first) != len(second):
            return in_shapes, out_shapes
        new_out.append(tuple(a if a == b else 0 for a, b in zip(first, second)))
        known = out_shapes[index] if index < len(out_shapes) else None
        if known is None or len(known) != len(first):
            continue
        for a, b, size in zip(first, second, known):
            k, rest = divmod(a - _PROBE_BASES[0], 8)
            if size and not rest and 0 <= k and b == _PROBE_BASES[1] + 8 * k:
                sizes[k] = size
    new_in = [tuple(d or sizes.get(k, 0) for k, d in enumerate(s)) for s in in_shapes]
    return new_in, new_out


def _subgraph_shape_rule(node, in_shapes, out_shapes):
    return _node_shape_rule(node, in_shapes, out_shapes, [None] * len(in_shapes))


def _describe_shape(shape):
    return str(tuple(shape)) if shape is not None else 'unknown'


def _through_subgraphs(node, rule, what, new_table):
    """A control-flow node's ``through(index, in_values, out_values)``: the values of subgraph
    `index`'s inputs (in `subgraph_inputs` order) and outputs, refined by running `rule` over
    it from the given ones; `new_table` makes an empty table of the values inferred."""
    def through(index, in_values, out_values):
        entries = node.subgraphs[index]
        nodes = topo_order(entries)
        variables = subgraph_inputs(entries)
        values = new_table()
        for variable, value in zip(variables, in_values):
            values.update((variable, 0), value, variable, what)
        for entry, value in zip(entries, out_values):
            values.update(entry, value, entry[0], what)
        _run_rules(nodes, values, rule, what)
        return [values.get((v, 0)) for v in variables], [values.get(e) for e in entries]
    return through


def _describe_inputs(names, shapes):
    return ', '.join('%s %s' % (n, tuple(s) if s is not None else '?')
                     for n, s in zip(names, shapes))


def _run_rules(nodes, table, rule, what):
    """Apply a per-node rule over the graph until a fixed point (values only ever get more
    specific, so this ends)."""
    changed = True
    while changed:
        changed = False
        for node in nodes:
            if node.op is None:
                continue
            in_values = [table.get(e) for e in node.inputs]
            out_entries = [(node, i) for i in range(node.num_outputs)]
            out_values = [table.get(e) for e in out_entries]
            try:
                new_in, new_out = rule(node, in_values, out_values)
            except MXNetError as err:
                if str(err).startswith(node.describe()):
                    raise
                raise MXNetError('%s: %s' % (node.describe(), err)) from None
            except Exception as err:   # a rule failing on inputs it does not expect
                raise MXNetError('%s: cannot infer the %s from inputs %s (%s: %s)'
                                 % (node.describe(), what,
                                    _describe_inputs(node.input_names(), in_values),
                                    type(err).__name__, err)) from err
            for entry, value, name in zip(node.inputs, new_in, node.input_names()):
                changed |= table.update(entry, value, node, '%s of input %s' % (what, name))
            for i, (entry, value) in enumerate(zip(out_entries, new_out)):
                changed |= table.update(entry, value, node, '%s of output %d' % (what, i))


def _given_values(symbol, args, kwargs, nodes, convert):
    """Map user-given values (positional in list_arguments order, or by name) to variables."""
    arg_names = symbol.list_arguments()
    given = {}
    if args:
        if kwargs:
            raise ValueError('Can only specify known argument shapes either by positional or '
                             'kwargs way.')
        for name, value in zip(arg_names, args):
            if value is not None:
                given[name] = convert(name, value)
    else:
        input_names = {n.name for n in nodes if n.op is None}
        for name, value in kwargs.items():
            if name not in input_names:
                raise MXNetError("infer: '%s' is not an input of the symbol; its inputs are %s"
                                 % (name, sorted(input_names)))
            if value is not None:
                given[name] = convert(name, value)
    return given


def _results(symbol, nodes, table):
    aux = aux_variable_ids(nodes)
    variables = [n for n in nodes if n.op is None]
    arg = [table.get((n, 0)) for n in variables if id(n) not in aux]
    aux_values = [table.get((n, 0)) for n in variables if id(n) in aux]
    out = [table.get(e) for e in symbol._outputs]
    return arg, out, aux_values


def infer_shape_table(symbol, given_shapes, given_types=None):
    """Inferred shapes of every entry: (nodes, table). Raises MXNetError on conflicts."""
    nodes = topo_order(symbol._outputs)
    table = _EntryTable(merge_shapes, lambda s: str(tuple(s)) if s is not None else 'unknown')
    types = infer_type_table(symbol, given_types or {})[1] if given_types is not None else None
    for node in nodes:
        if node.op is None:   # a shape given at inference overrides the declared one
            shape = given_shapes.get(node.name) or declared_shape(node)
            table.update((node, 0), shape, node, 'shape')

    def rule(node, in_shapes, out_shapes):
        in_types = [types.get(e) if types else None for e in node.inputs]
        return _node_shape_rule(node, in_shapes, out_shapes, in_types)
    _run_rules(nodes, table, rule, 'shape')
    return nodes, table


def _shape_argument(name, value):
    if not isinstance(value, tuple):
        raise TypeError("Arguments need to be shapes (tuple), but '%s' is %s."
                        % (name, type(value)))
    return _unknown_as_zero(value)


def infer_shape(symbol, args, kwargs, partial):
    """`Symbol.infer_shape` / `infer_shape_partial`: (arg_shapes, out_shapes, aux_shapes)."""
    nodes, table = _inferred_table('infer_shape', infer_shape_table, _shape_argument,
                                   symbol, args, kwargs, partial)
    arg, out, aux = _results(symbol, nodes, table)
    if partial or all(_known(s) for s in arg + out + aux):
        return ([_as_written(s) for s in arg], [_as_written(s) for s in out],
                [_as_written(s) for s in aux])
    unknown = [(n.name, table.get((n, 0))) for n in nodes
               if n.op is None and not _known(table.get((n, 0)))]
    warnings.warn('Cannot decide shape for the following arguments (0s in shape means unknown '
                  'dimensions). Consider providing them as input:\n'
                  + '\n'.join('\t%s: %s' % (name, shape or ()) for name, shape in unknown),
                  stacklevel=3)
    return None, None, None


def _inferred_table(method, build_table, convert, symbol, args, kwargs, partial):
    """(nodes, table) for the user's arguments. When a full inference fails, the arguments are
    printed as given before the error propagates, as MXNet prints them (scripts' logs show
    them the same way); partial inference prints nothing, as in MXNet."""
    given = _given_values(symbol, args, kwargs, topo_order(symbol._outputs), convert)
    try:
        return build_table(symbol, given)
    except MXNetError:
        if not partial:
            print('%s error. Arguments:' % method)
            for i, value in enumerate(args):
                print('  #%d: %s' % (i, value))
            for name, value in kwargs.items():
                print('  %s: %s' % (name, value))
        raise


# ------------------------------------------------------------------------------ dtypes
def _merge_types(old, new):
    if old is None or old == new:
        return new
    return None


def _shared_type_rule(node, in_types, out_types):
    """The default rule: all inputs and outputs share one dtype."""
    named = [('input ' + name, t) for name, t in zip(node.input_names(), in_types)]
    named += [('output %d' % i, t) for i, t in enumerate(out_types)]
    known = [(name, t) for name, t in named if t is not None]
    if not known:
        return in_types, out_types
    first_name, first = known[0]
    for name, t in known:
        if t != first:
            raise MXNetError('%s is %s but %s is %s; %s needs one dtype for all its inputs '
                             'and outputs' % (name, t, first_name, first, node.op.name))
    return [first] * len(in_types), [first] * len(out_types)


def infer_type_table(symbol, given_types):
    nodes = topo_order(symbol._outputs)
    table = _EntryTable(_merge_types, str)
    for node in nodes:
        if node.op is None:   # a dtype given at inference overrides the declared one
            dtype = given_types.get(node.name) or variable_dtype(node)
            table.update((node, 0), dtype, node, 'dtype')

    _run_rules(nodes, table, _node_type_rule, 'dtype')
    return nodes, table


def _node_type_rule(node, in_types, out_types):
    """Refined (in_types, out_types) for one op node."""
    if node.subgraphs:
        return node.op.custom_infer_type(node.params, in_types, out_types, _through_subgraphs(
            node, _node_type_rule, 'dtype', lambda: _EntryTable(_merge_types, str)))
    if node.op.custom_infer_type is not None:
        return node.op.custom_infer_type(node.params, in_types, out_types)
    return _shared_type_rule(node, in_types, out_types)


def dtype_name(value):
    """Normalise a user dtype (string, numpy type, np.dtype) to its name."""
    return np.dtype(value).name


def infer_type(symbol, args, kwargs, partial):
    """`Symbol.infer_type` / `infer_type_partial`: lists of numpy types (None when unknown)."""
    nodes, table = _inferred_table('infer_type', infer_type_table,
                                   lambda name, value: dtype_name(value),
                                   symbol, args, kwargs, partial)
    arg, out, aux = _results(symbol, nodes, table)
    if not partial and any(t is None for t in arg + out + aux):
        unknown = [n.name for n in nodes if n.op is None and table.get((n, 0)) is None]
        warnings.warn('Cannot decide type for the following arguments. Consider providing them '
                      'as input:\n' + '\n'.join('\t%s: None' % name for name in unknown),
                      stacklevel=3)
        return None, None, None
    to_type = lambda t: np.dtype(t).type if t is not None else None  # noqa: E731
    return [to_type(t) for t in arg], [to_type(t) for t in out], [to_type(t) for t in aux]

