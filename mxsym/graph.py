"""The graph data behind a Symbol: nodes, output entries and their traversal order.

A `Node` is a variable (``op is None``) or an operator application with parsed params and input
entries ``(node, output_index)``; a control-flow op's node also holds its subgraphs, each a list
of output entries of a graph of its own. Nodes are not changed once a symbol holding them
exists; a new symbol is a new set of output entries, sharing nodes with the symbols it was built
from.
"""
from .base import MXNetError
from .ops_registry import Params


class Node:
    """One graph node: a variable or an op applied to input entries."""

    __slots__ = ('op', 'name', 'attrs', 'inputs', 'params', 'input_versions', 'version',
                 'subgraphs')

    def __init__(self, op, name, attrs=None, inputs=(), params=None, input_versions=None,
                 subgraphs=()):
        self.op = op
        self.name = name
        self.attrs = dict(attrs or {})
        self.inputs = list(inputs)
        self.params = params if params is not None else Params()
        # MXNet's entry versions: how many ops had mutated a variable when it was wired in.
        self.input_versions = list(input_versions or [0] * len(self.inputs))
        self.version = 0
        self.subgraphs = tuple(tuple(entries) for entries in subgraphs)

    @property
    def is_variable(self):
        return self.op is None

    @property
    def num_outputs(self):
        return 1 if self.op is None else self.op.num_outputs(self.params)

    @property
    def num_visible_outputs(self):
        return 1 if self.op is None else self.op.num_visible_outputs(self.params)

    def output_name(self, index):
        """MXNet's name of one output: the variable's name or ``<node>_<output>``."""
        if self.op is None:
            return self.name
        return '%s_%s' % (self.name, self.op.output_names(self.params)[index])

    def input_names(self):
        return [] if self.op is None else self.op.input_names(self.params)

    def describe(self):
        """``name (Op)`` for error messages."""
        return self.name if self.op is None else '%s (%s)' % (self.name, self.op.name)

    def __repr__(self):
        return '<Node %s>' % self.describe()


def input_variable(node_name, input_name, attrs):
    """The variable MXNet creates for an input an op node is not given: named
    ``<node>_<input>`` and carrying the node's attrs."""
    return Node(None, '%s_%s' % (node_name, input_name), attrs)


def mark_input_variable(op, input_name, source):
    """Give a variable feeding `op`'s input `input_name` the attrs the op asks for (BatchNorm's
    ``__init__`` on its moving statistics), where not set already."""
    if source.op is None:
        for key, value in op.input_var_attrs.get(input_name, {}).items():
            source.attrs.setdefault(key, value)


def topo_order(entries):
    """Nodes reachable from the entries, inputs before users, in MXNet's depth-first order."""
    order, seen = [], set()
    for head, _ in entries:
        if id(head) in seen:
            continue
        stack = [(head, iter(head.inputs))]
        seen.add(id(head))
        while stack:
            node, pending = stack[-1]
            for source, _ in pending:
                if id(source) not in seen:
                    seen.add(id(source))
                    stack.append((source, iter(source.inputs)))
                    break
            else:
                stack.pop()
                order.append(node)
    return order


def subgraph_inputs(entries):
    """The variables of a subgraph in MXNet's ``list_inputs`` order: the order in which a
    control-flow op's locations (``in_data_locs``, ``cond_input_locs``, ...) count them."""
    return [node for node in topo_order(entries) if node.op is None]


def check_subgraphs(op, params, subgraphs):
    """MXNetError unless a node's subgraphs fit its op: as many as the op takes, with the
    numbers of inputs and outputs its params say."""
    if len(subgraphs) != op.num_subgraphs:
        raise MXNetError('%s takes %d subgraphs, not %d%s'
                         % (op.name, op.num_subgraphs, len(subgraphs),
                            ' (mx.sym.contrib builds its nodes)' if op.num_subgraphs else ''))
    if op.check_subgraphs is not None:
        op.check_subgraphs(params, [(len(subgraph_inputs(entries)), len(entries))
                                    for entries in subgraphs])


def aux_variable_ids(nodes):
    """Ids of variable nodes that feed an aux-state input of some op."""
    aux = set()
    for node in nodes:
        if node.op is None or not node.op.aux:
            continue
        names = node.input_names()
        for (source, _), input_name in zip(node.inputs, names):
            if input_name in node.op.aux and source.op is None:
                aux.add(id(source))
    return aux


def differentiated_inputs(node, carriers):
    """The input entries of an op node through which a gradient reaches it: fed by a node in
    `carriers` (ids), and not an input MXNet leaves undifferentiated (indices, labels)."""
    return [entry for entry, name in zip(node.inputs, node.input_names())
            if id(entry[0]) in carriers and name not in node.op.nondiff_inputs]


def gradient_path(nodes, heads, requested):
    """Ids of the nodes (`nodes` in topological order) on a gradient's path from the `heads`
    (output entries) back to the variables named in `requested`: gradient carriers that a
    head reaches through differentiated inputs (so not past BlockGrad)."""
    carriers = gradient_carriers(nodes, requested)
    on_path = {id(node) for node, _ in heads if id(node) in carriers}
    for node in reversed(nodes):
        if id(node) in on_path and node.op is not None:
            on_path.update(id(entry[0]) for entry in differentiated_inputs(node, carriers))
    return on_path


def gradient_carriers(nodes, requested):
    """Ids of the nodes (`nodes` in topological order) that a gradient of the variables named
    in `requested` passes through: those variables, and every op with a differentiated input
    from one of them."""
    carriers = set()
    for node in nodes:
        if node.op is None:
            if node.name in requested:
                carriers.add(id(node))
        elif differentiated_inputs(node, carriers):
            carriers.add(id(node))
    return carriers
