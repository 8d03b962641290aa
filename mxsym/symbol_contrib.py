"""`mx.sym.contrib`: the control-flow builders `foreach`, `while_loop` and `cond`, beside the
registry's ``_contrib_*`` ops (served from `symbol.op_functions`).

A builder calls the user's function on fresh variables inside an attribute scope that marks
every node it makes with ``__subgraph_name__``; the marked nodes are cut out as a subgraph, each
entry they read from outside becoming a variable named as that entry's output. The node's
inputs and its ``*_locs`` params then say, in MXNet's order, which outer symbol feeds each
subgraph input. Names, attrs and input order are MXNet 1.9.1's, so ``tojson`` matches.
"""
import copy
import math

from . import attribute
from .attribute import AttrScope
from .base import MXNetAssertionError
from .graph import Node, subgraph_inputs, topo_order
from .ndarray.contrib import expected_zipfian_count, flatten, regroup
from .symbol import Group, Symbol, Variable, apply_op, op_functions

_MARK = '__subgraph_name__'


def __getattr__(name):
    """The registry's ``_contrib_*`` ops, as MXNet's ``mx.sym.contrib`` serves them."""
    try:
        return getattr(op_functions()['contrib'], name)
    except AttributeError:
        raise AttributeError("module 'mxsym.symbol_contrib' has no attribute '%s'"
                             % name) from None


def __dir__():
    return sorted(set(globals()) | set(vars(op_functions()['contrib'])))


# ---------------------------------------------------------------------- nested lists
def _flatten(args, what):
    """(symbols, format): a symbol or nested lists of symbols, flat; the format rebuilds it
    (a symbol's format is its number of outputs when above one, else 0)."""
    return flatten(args, what, Symbol, lambda sym: len(sym) if len(sym) > 1 else 0)


def _check_symbols(items, message):
    if not all(isinstance(item, Symbol) for item in items):
        raise MXNetAssertionError(message)


# ---------------------------------------------------------------------- subgraphs
def _unique_subgraph_name(name):
    """``name`` numbered by how many subgraphs of that name were made (under an enclosing
    subgraph, prefixed with its name and ``$``)."""
    outer = attribute.current().get(None).get(_MARK, '')
    if outer:
        name = '%s$%s' % (outer, name)
    AttrScope._subgraph_names[name] += 1
    return '%s%d' % (name, AttrScope._subgraph_names[name] - 1)


def _input_name(sym):
    """The name of the variable standing for an outer symbol inside a subgraph."""
    return '%s-%s' % (sym.name, ', '.join(str(index) for _, index in sym._outputs))


def _marked(sym, name):
    return sym._outputs[0][0].attrs.get(_MARK, '') == name


def _identity(sym):
    return apply_op('_copy', 'identity', (sym,), {})


def _graph(outputs, name, states=()):
    """The subgraph's outputs, then its states, as a group: one that is an input of the
    subgraph, or made outside it, or a state named as an output, goes through an identity
    (a subgraph's heads and inputs are distinct nodes)."""
    both = list(outputs) + list(states)
    inputs = set(Group(both).list_inputs()) if both else set()
    output_names = {out.name for out in outputs}

    def head(sym, avoid):
        if sym.name in inputs or sym.name in avoid or not _marked(sym, name):
            return _identity(sym)
        return sym
    return Group([head(out, ()) for out in outputs] + [head(s, output_names) for s in states])


def _cut(graph, name):
    """(the subgraph's entries, the outer entries it reads, one per read): the nodes marked
    `name` form the subgraph; each entry they read from an unmarked node becomes a variable
    named as that entry's output."""
    if not _marked(graph, name):
        return graph._outputs, []
    copies, variables, reads = {}, {}, []
    for node in topo_order(graph._outputs):
        if node.attrs.get(_MARK, '') != name or node.op is None:
            continue
        inputs = []
        for source, index in node.inputs:
            if id(source) in copies or source.attrs.get(_MARK, '') == name:
                inputs.append((copies.get(id(source), source), index))
                continue
            reads.append((source, index))
            key = (id(source), index)
            variables.setdefault(key, Node(None, source.output_name(index)))
            inputs.append((variables[key], 0))
        copies[id(node)] = Node(node.op, node.name, node.attrs, inputs, node.params,
                                node.input_versions, node.subgraphs)
    return [(copies.get(id(node), node), index) for node, index in graph._outputs], reads


def _subgraph_input_names(entries):
    names = [variable.name for variable in subgraph_inputs(entries)]
    if len(set(names)) != len(names):
        raise MXNetAssertionError("The inputs of the subgraph don't have unique names: %s"
                                  % names)
    return names


def _outer_symbols(reads):
    """{variable name: outer symbol} for the entries a cut subgraph reads."""
    return {source.output_name(index): Symbol([(source, index)]) for source, index in reads}


def _copied_variable(entries, name):
    """A copy, for the outer graph, of a variable made inside the user's function."""
    variable = next(v for v in subgraph_inputs(entries) if v.name == name)
    return Symbol([(Node(None, variable.name, variable.attrs), 0)])


def _node_inputs(symbols):
    return {'data%d' % i: sym for i, sym in enumerate(symbols)}


# ---------------------------------------------------------------------- builders
def foreach(body, data, init_states, name='foreach'):
    """Run `body` on each slice of `data` along axis 0, carrying states: ``out, states =
    body(data_slice, states)``; gives (outputs stacked along axis 0, final states)."""
    flat_data, data_fmt = _flatten(data, 'foreach input')
    _check_symbols(flat_data, 'data should be a symbol or a nested list of symbols')
    flat_states, state_fmt = _flatten(init_states, 'foreach states')
    _check_symbols(flat_states, 'init_states should be a symbol or a nested list of symbols')
    name = _unique_subgraph_name(name)
    with AttrScope(**{_MARK: name}):
        data_vars, _ = regroup([Variable(_input_name(s)) for s in flat_data], data_fmt)
        state_vars, _ = regroup([Variable(_input_name(s)) for s in flat_states],
                                 copy.deepcopy(state_fmt))
        outs, states = body(data_vars, state_vars)
        outs, out_fmt = _flatten(outs, 'foreach output')
        states, new_state_fmt = _flatten(states, 'foreach loop_vars')
        if new_state_fmt != state_fmt:
            raise MXNetAssertionError('The input and output loop_vars have different format')
        _check_symbols(outs, 'the output should be an NDArray or a nested list of NDArrays')
        _check_symbols(states, 'the output states should be an NDArray or a nested list of '
                       'NDArrays')
        graph = _graph(outs, name, states)
    entries, reads = _cut(graph, name)
    names = _subgraph_input_names(entries)
    data_names = [_input_name(s) for s in flat_data]
    state_names = [_input_name(s) for s in flat_states]
    for kind, wanted in (('data', data_names), ('state', state_names)):
        if any(n not in names for n in wanted):
            raise MXNetAssertionError('foreach %s: the %s arrays have to be used in the loop '
                                      'body' % (name, kind))
    outer = _outer_symbols(reads)
    inputs = flat_data + flat_states
    remain_locs = []
    for loc, input_name in enumerate(names):
        if input_name in outer:
            inputs.append(outer[input_name])
        elif input_name in data_names or input_name in state_names:
            continue
        else:
            inputs.append(_copied_variable(entries, input_name))
        remain_locs.append(loc)
    result = apply_op('_foreach', '_foreach', (), dict(
        _node_inputs(inputs), num_args=len(inputs) + 1, num_outputs=len(outs) + len(states),
        num_out_data=len(outs), in_state_locs=[names.index(n) for n in state_names],
        in_data_locs=[names.index(n) for n in data_names], remain_locs=remain_locs),
        subgraphs=(entries,))
    outputs, _ = regroup([result[i] for i in range(len(outs))], out_fmt)
    final, _ = regroup([result[len(outs) + i] for i in range(len(states))], state_fmt)
    return outputs, final


def _subgraph(graph_vars, graph_func, name):
    """A while_loop/cond subgraph: `graph_func` on variables standing for `graph_vars`, in a
    scope of its own; (graph, number of data outputs, number of outputs, output format)."""
    name = _unique_subgraph_name(name)
    with AttrScope(**{_MARK: name}):
        flat, fmt = _flatten(graph_vars, 'while loop_vars')
        new_vars, _ = regroup([Variable(_input_name(s)) for s in flat], fmt)
        outputs, states, out_fmt = graph_func(new_vars)
        graph = _graph(outputs + states, name)
    return graph, name, len(outputs), len(outputs) + len(states), out_fmt


def _union_inputs(graphs, key_of):
    """The node's inputs for several subgraphs (graph, name) read, and each subgraph's input
    locations among them. `key_of(input name, outer symbol)` says which earlier input an
    input is (None: a new one)."""
    inputs, locs = [], []
    for graph, name in graphs:
        entries, reads = _cut(graph, name)
        outer = _outer_symbols(reads)
        known = list(inputs)
        input_locs = []
        for input_name in _subgraph_input_names(entries):
            sym = key_of(input_name, known)
            if sym is None:
                sym = outer[input_name] if input_name in outer else \
                    _copied_variable(entries, input_name)
            if not any(sym is known for known in inputs):
                inputs.append(sym)
            input_locs.append(next(i for i, known in enumerate(inputs) if known is sym))
        locs.append((entries, input_locs))
    return inputs, locs


def while_loop(cond, func, loop_vars, max_iterations=None, name='while_loop'):
    """Run ``step_output, loop_vars = func(*loop_vars)`` while ``cond(*loop_vars)`` holds, at
    most `max_iterations` times; gives (step outputs stacked into max_iterations rows, final
    loop variables)."""
    flat_vars, var_fmt = _flatten(loop_vars, 'while loop_vars')
    _check_symbols(flat_vars, 'loop_vars should be a symbol or a nested list of symbols')
    if max_iterations is None:
        raise ValueError('max_iterations should be specified')
    if hasattr(max_iterations, 'asscalar'):
        max_iterations = max_iterations.asscalar()
    try:
        max_iterations = int(max_iterations)
    except (TypeError, ValueError):
        raise ValueError('Cannot convert max_iteration to python int') from None
    if len(loop_vars) == 0:
        raise ValueError('loop_vars should contain at least one element')

    def cond_wrapper(new_vars):
        result = cond(*new_vars)
        if not isinstance(result, Symbol):
            raise ValueError('Return of cond must be a Symbol')
        return [], [result], []

    def func_wrapper(new_vars):
        step_output, new_loop_vars = func(*new_vars)
        step_output, out_fmt = _flatten([] if step_output is None else step_output,
                                        'while output')
        new_loop_vars, _ = _flatten([] if new_loop_vars is None else new_loop_vars,
                                    'while loop_vars')
        if len(new_vars) != len(new_loop_vars):
            raise ValueError('The number of loop_vars should be consistent during the loop')
        return step_output, new_loop_vars, out_fmt

    cond_graph, cond_name, _, _, _ = _subgraph(loop_vars, cond_wrapper, name + '_cond')
    func_graph, func_name, num_out_data, num_outputs, out_fmt = _subgraph(
        loop_vars, func_wrapper, name + '_func')
    by_name = {_input_name(s): s for s in flat_vars}
    inputs, ((cond_entries, cond_locs), (func_entries, func_locs)) = _union_inputs(
        ((cond_graph, cond_name), (func_graph, func_name)),
        lambda input_name, _: by_name.get(input_name))
    func_names = _subgraph_input_names(func_entries)
    var_locs = [func_names.index(n) if n in func_names else -1
                for n in (_input_name(s) for s in flat_vars)]
    for i_th, loc in enumerate(var_locs, 1):
        if loc == -1:
            raise ValueError("The %d-th loop_var doesn't involve into the computation" % i_th)
    result = apply_op('_while_loop', '_while_loop', (), dict(
        _node_inputs(inputs), num_args=len(inputs) + 2, max_iterations=max_iterations,
        cond_input_locs=cond_locs, func_input_locs=func_locs, func_var_locs=var_locs,
        num_out_data=num_out_data, num_outputs=num_outputs),
        subgraphs=(cond_entries, func_entries))
    outputs, _ = regroup([result[i] for i in range(num_out_data)], out_fmt)
    final, _ = regroup([result[i] for i in range(num_out_data, num_outputs)], var_fmt)
    return outputs, final


def cond(pred, then_func, else_func, name='cond'):
    """``then_func()`` where the scalar `pred` is nonzero, else ``else_func()``."""
    def outputs_of(function):
        def wrapper(_):
            outputs, fmt = _flatten(function(), 'cond outputs')
            return outputs, [], fmt
        return wrapper

    pred_graph, pred_name, num_pred, _, _ = _subgraph([], outputs_of(lambda: pred),
                                                     name + '_pred')
    if num_pred != 1:
        raise ValueError('pred should always be a single output')
    then_graph, then_name, num_then, _, then_fmt = _subgraph([], outputs_of(then_func),
                                                             name + '_then')
    else_graph, else_name, num_else, _, _ = _subgraph([], outputs_of(else_func),
                                                      name + '_else')
    if num_then != num_else:
        raise ValueError('Number of outputs differs between then-branch and else-branch')
    inputs, locs = _union_inputs(
        ((pred_graph, pred_name), (then_graph, then_name), (else_graph, else_name)),
        lambda input_name, known: {s.name: s for s in known}.get(input_name))
    result = apply_op('_cond', '_cond', (), dict(
        _node_inputs(inputs), num_args=len(inputs) + 3, cond_input_locs=locs[0][1],
        then_input_locs=locs[1][1], else_input_locs=locs[2][1], num_outputs=num_then),
        subgraphs=tuple(entries for entries, _ in locs))
    outputs, _ = regroup([result[i] for i in range(num_then)], then_fmt)
    return outputs


def rand_zipfian(true_classes, num_sampled, range_max):
    """Symbols of `num_sampled` classes drawn from [0, range_max) by the approximate Zipfian
    (log-uniform) distribution, with replacement, and the expected counts of `true_classes`
    and of the sampled classes (as `mx.nd.contrib.rand_zipfian`)."""
    log_range = math.log(range_max + 1)
    draws = apply_op('_random_uniform', '_random_uniform', (), {
        'low': 0, 'high': log_range, 'shape': (num_sampled,), 'dtype': 'float64'})
    sampled = (draws.exp() - 1).astype('int64') % range_max
    return (sampled, expected_zipfian_count(true_classes, log_range, num_sampled),
            expected_zipfian_count(sampled, log_range, num_sampled))
