"""Graph rewrites MXNet applies to a graph before running or saving it: common-expression
elimination (reported by `Executor.get_optimized_symbol`; XLA makes its own) and the removal
of AMP casts that `tojson` and `save` perform by default."""
from . import ops
from .graph import Node, topo_order


def _rebuilt(node, inputs):
    """`node` itself, or a copy reading `inputs` when they differ from its own."""
    if inputs == node.inputs:
        return node
    copy = Node(node.op, node.name, node.attrs, inputs, node.params, node.input_versions,
                node.subgraphs)
    copy.version = node.version
    return copy


def _rewrite(outputs, replace):
    """Walk the graph in topological order; `replace(node, inputs)` returns, for a node whose
    inputs are already rewritten, either None (keep it, rebuilt on those inputs) or a list of
    entries standing for its outputs. Returns the rewritten heads."""
    standing = {}

    def entry(source, index):
        return standing.get(id(source), {}).get(index, (source, index))

    for node in topo_order(outputs):
        if node.op is None:
            continue
        inputs = [entry(*e) for e in node.inputs]
        replaced = replace(node, inputs)
        if replaced is None:
            kept = _rebuilt(node, inputs)
            replaced = [(kept, i) for i in range(node.num_outputs)]
        standing[id(node)] = dict(enumerate(replaced))
    return [entry(*e) for e in outputs]


def _merge_common(outputs):
    """(rewritten heads, ids of the nodes merged into an earlier twin)."""
    seen, merged = {}, set()

    def merge(node, inputs):
        if node.op.random or node.op.aux or node.op.runs_on_host or node.subgraphs:
            return None
        key = (node.op.name, tuple(sorted(node.attrs.items())),
               tuple((id(source), index) for source, index in inputs))
        if key in seen:
            merged.add(id(node))
            return seen[key]
        kept = _rebuilt(node, inputs)
        seen[key] = [(kept, i) for i in range(node.num_outputs)]
        return seen[key]
    return _rewrite(outputs, merge), merged


def eliminate_common_expressions(outputs):
    """`outputs` with ops that compute the same thing once: same op, attrs and inputs. Ops that
    draw random numbers, mutate aux states, run Python or hold subgraphs are never merged.
    Heads that become one entry are told apart by ``_copy`` nodes, as MXNet does."""
    heads, taken = [], set()
    for source, index in _merge_common(outputs)[0]:
        if (id(source), index) in taken:
            copy = ops.get('_copy')
            source, index = Node(copy, '%s_copy' % source.name, {}, [(source, index)],
                                 copy.parse_params({})), 0
        taken.add((id(source), index))
        heads.append((source, index))
    return heads


def common_expression_duplicates(outputs):
    """Ids of the nodes common-expression elimination merges away (MXNet never runs them)."""
    return _merge_common(outputs)[1]


_AMP_CASTS = ('amp_cast', 'amp_multicast')


def remove_amp_casts(outputs):
    """`outputs` with every amp_cast / amp_multicast node bypassed: ops read the inputs those
    nodes cast, as MXNet writes AMP-converted graphs by default. A cast that is itself a head
    stays (its inputs rewired), as in MXNet."""
    casts = {}

    def bypass(node, inputs):
        if node.op.name not in _AMP_CASTS:
            return None
        casts[id(node)] = _rebuilt(node, inputs)
        return list(inputs)
    heads = _rewrite(outputs, bypass)
    return [(casts[id(source)], index) if id(source) in casts else head
            for (source, index), head in zip(outputs, heads)]
