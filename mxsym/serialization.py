"""Symbol JSON: write the exact text MXNet 1.9.1 writes, read what MXNet reads.

Layout and formatting follow MXNet's writer: nodes in depth-first order, ``arg_nodes``,
``node_row_ptr`` counting hidden outputs, ``heads``, and the version attr; two-space indents,
``", "`` between items, small arrays and one-entry objects inline.
"""
import json
import re

import numpy as np

from . import ops, ops_registry, util
from .base import MXNetError
from .graph import Node, check_subgraphs, input_variable, mark_input_variable, topo_order

MXNET_VERSION = 10901
_INLINE_LIMIT = 10


def _text(value):
    return json.dumps(value, ensure_ascii=False)


def _inline(items):
    return '[%s]' % ', '.join(items)


def _array(items, indent):
    """An array of already-written items: inline when short, else one item per line."""
    if len(items) <= _INLINE_LIMIT:
        return _inline(items)
    pad = ' ' * (indent + 2)
    return '[\n%s\n%s]' % (', \n'.join(pad + item for item in items), ' ' * indent)


def _object(pairs, indent):
    """An object of (key, written value) pairs: inline with one entry, else multi-line."""
    if len(pairs) == 1:
        key, value = pairs[0]
        return '{%s: %s}' % (_text(key), value)
    pad = ' ' * (indent + 2)
    body = ', \n'.join('%s%s: %s' % (pad, _text(k), v) for k, v in pairs)
    return '{\n%s\n%s}' % (body, ' ' * indent)


def _entry(node_id, index, version):
    return '[%d, %d, %d]' % (node_id, index, version)


def to_json(outputs):
    """MXNet's JSON text for a graph of output entries ``(node, index)``."""
    return _object(_graph_pairs(outputs, 0) + [('attrs', _object(_graph_attrs(), 2))], 0)


def _lines(items, indent):
    """A multi-line array of already-written items, closed at `indent`."""
    pad = ' ' * (indent + 2)
    return '[\n%s\n%s]' % (', \n'.join(pad + item for item in items), ' ' * indent)


def _graph_pairs(outputs, indent):
    """The keys of a graph object written at `indent` (a control-flow node's subgraphs are
    graph objects too, without the file-level attrs)."""
    nodes = topo_order(outputs)
    ids = {id(node): i for i, node in enumerate(nodes)}
    written = []
    for node in nodes:
        pairs = [('op', _text(node.op.name if node.op else 'null')), ('name', _text(node.name))]
        if node.attrs:
            pairs.append(('attrs', _object([(k, _text(v)) for k, v in sorted(node.attrs.items())],
                                           indent + 6)))
        entries = [_entry(ids[id(source)], index, version)
                   for (source, index), version in zip(node.inputs, node.input_versions)]
        pairs.append(('inputs', _array(entries, indent + 6)))
        if node.subgraphs:
            pairs.append(('subgraphs', _lines(
                [_object(_graph_pairs(subgraph, indent + 8), indent + 8)
                 for subgraph in node.subgraphs], indent + 6)))
        written.append(_object(pairs, indent + 4))
    row_ptr = [0]
    for node in nodes:
        row_ptr.append(row_ptr[-1] + node.num_outputs)
    return [
        ('nodes', _lines(written, indent + 2)),
        ('arg_nodes', _array([str(i) for i, n in enumerate(nodes) if n.op is None], indent + 2)),
        ('node_row_ptr', _array([str(r) for r in row_ptr], indent + 2)),
        ('heads', _array([_entry(ids[id(n)], i, n.version) for n, i in outputs], indent + 2)),
    ]


def _graph_attrs():
    """The file-level attrs: NumPy-shape semantics (when on) and the MXNet version."""
    attrs = [('is_np_shape', '["int", 1]')] if util.is_np_shape() else []
    return attrs + [('mxnet_version', '["int", %d]' % MXNET_VERSION)]


# ---------------------------------------------------------------------------------- reading
# Symbol JSON nests about six deep (control-flow subgraphs a few more each); Python's JSON
# parser recurses, so deeper text is refused before it is parsed.
MAX_NESTING = 100
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')


_BRACKET_STEPS = np.zeros(256, np.int32)
_BRACKET_STEPS[list(b'[{')] = 1
_BRACKET_STEPS[list(b']}')] = -1


def _check_nesting(text):
    """Refuse text whose brackets nest deeper than MAX_NESTING, counted without recursion."""
    codes = np.frombuffer(_STRING.sub('""', text).encode('utf-8', 'replace'), np.uint8)
    depth = int(np.cumsum(_BRACKET_STEPS[codes]).max(initial=0))
    if depth > MAX_NESTING:
        raise MXNetError('symbol JSON is nested %d levels deep; symbol files nest at most %d'
                         % (depth, MAX_NESTING))


def from_json(text):
    """The output entries ``(node, index)`` of the graph in MXNet JSON text; a clear error
    naming the node on anything malformed."""
    if isinstance(text, (bytes, bytearray)):
        text = _decode(text, 'the bytes given')
    if not isinstance(text, str):
        raise MXNetError('symbol JSON must be text, not %s' % type(text).__name__)
    _check_nesting(text)
    try:
        graph = json.loads(text)
    except ValueError as err:
        raise MXNetError('symbol JSON is not valid JSON: %s' % err) from None
    _check_graph(graph)
    return _read_graph(graph, _file_version(graph))


def _check_graph(graph):
    if not isinstance(graph, dict) or not isinstance(graph.get('nodes'), list) \
            or not isinstance(graph.get('heads'), list):
        found = 'keys %s' % (', '.join(map(repr, graph)) or 'none') if isinstance(graph, dict) \
            else 'a JSON %s' % _json_type(graph)
        raise MXNetError("symbol JSON must be an object with 'nodes' and 'heads' (found %s)"
                         % found)


def _read_graph(graph, version):
    """The output entries of a checked graph object (the file's, or a node's subgraph)."""
    nodes = []
    for position, spec in enumerate(graph['nodes']):
        nodes.append(_read_node(position, spec, nodes, version))
    return [_resolve_entry(head, nodes, len(nodes), 'heads') for head in graph['heads']]


def _read_subgraphs(spec, where, version):
    """A node's subgraphs, each read and checked as a graph of its own (in the file's
    version); errors name the node and the subgraph."""
    graphs = spec.get('subgraphs', [])
    if not isinstance(graphs, list):
        raise MXNetError("symbol JSON %s: 'subgraphs' must be a JSON array of graphs, not a "
                         "JSON %s" % (where, _json_type(graphs)))
    subgraphs = []
    for index, graph in enumerate(graphs):
        try:
            _check_graph(graph)
            subgraphs.append(_read_graph(graph, version))
        except MXNetError as err:
            inner = str(err)
            inner = inner[len('symbol JSON '):] if inner.startswith('symbol JSON ') else inner
            raise MXNetError('symbol JSON %s: subgraph %d: %s' % (where, index, inner)) from None
    return subgraphs


def from_file(fname):
    """The output entries of the graph in a JSON file; errors name the file."""
    try:
        with open(fname, 'rb') as src:
            raw = src.read()
    except OSError as err:
        raise MXNetError('cannot read symbol file %s: %s' % (fname, err.strerror or err)) \
            from None
    text = _decode(raw, fname)
    try:
        return from_json(text)
    except MXNetError as err:
        raise MXNetError('%s: %s' % (fname, err)) from None


def _decode(raw, source):
    try:
        return bytes(raw).decode('utf-8')
    except UnicodeDecodeError as err:
        raise MXNetError('%s is not symbol JSON: byte %d is not UTF-8 text (0x%02x; a .params '
                         'file?)' % (source, err.start, raw[err.start])) from None


def _json_type(value):
    names = {dict: 'object', list: 'array', str: 'string', bool: 'boolean', int: 'number',
             float: 'number', type(None): 'null'}
    return names.get(type(value), type(value).__name__)


def _file_version(graph):
    """The MXNet version that wrote the file (10901 for 1.9.1); files before 0.9 carry none."""
    try:
        version = graph['attrs']['mxnet_version'][1]
    except (KeyError, IndexError, TypeError):
        return _VERSION_NO_AUX_INPUTS - 100
    if not _is_index(version):
        raise MXNetError("symbol JSON attrs: mxnet_version %r is not [\"int\", VERSION]"
                         % (graph['attrs']['mxnet_version'],))
    return version


# Upgrades MXNet applies to files older than the version that changed each rule.
_VERSION_NO_AUX_INPUTS = 900   # 0.9.0: nodes list their aux states among their inputs
_VERSION_INIT_ATTRS = 904      # 0.9.4: aux-state variables gain their `__init__` attr


def _move_input_attrs(attrs, inputs, input_names):
    """Old files keep ``weight_lr_mult`` on the op: it becomes ``__lr_mult__`` on the input."""
    for key in [k for k in attrs if '_' in k]:
        for prefix_len in range(len(key)):
            input_name, hidden = key[:prefix_len], key[prefix_len + 1:]
            if key[prefix_len:prefix_len + 1] == '_' and hidden in ops_registry.HIDDEN_KEYS:
                break
        else:
            continue
        if input_name in input_names[:len(inputs)]:
            source = inputs[input_names.index(input_name)][0]
            if source.op is None:
                source.attrs['__%s__' % hidden] = attrs[key]
        del attrs[key]


def _is_index(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _node_attrs(spec, where):
    """The node's attr strings, from ``attrs`` (and the older ``param`` / ``attr``)."""
    attrs = {}
    for key in ('param', 'attr', 'attrs'):
        table = spec.get(key)
        if table is None:
            continue
        if not isinstance(table, dict):
            raise MXNetError('symbol JSON %s: %r must be an object of strings, not a JSON %s'
                             % (where, key, _json_type(table)))
        for name, value in table.items():
            if not isinstance(value, str):
                raise MXNetError('symbol JSON %s: attr %r must be a string, not the JSON %s %s'
                                 % (where, name, _json_type(value), json.dumps(value)[:40]))
            attrs[ops_registry.storage_key(name)] = value
    return attrs


def _read_node(position, spec, nodes, file_version):
    if not isinstance(spec, dict):
        raise MXNetError('symbol JSON node %d must be an object, not a JSON %s'
                         % (position, _json_type(spec)))
    for key in ('op', 'name', 'inputs'):
        if key not in spec:
            raise MXNetError('symbol JSON node %d has no %r' % (position, key))
    name, op_name, entries = spec['name'], spec['op'], spec['inputs']
    for key, value, kind in (('name', name, str), ('op', op_name, str), ('inputs', entries, list)):
        if not isinstance(value, kind):
            raise MXNetError('symbol JSON node %d: %r must be a JSON %s, not the JSON %s %s'
                             % (position, key, _json_type(kind()), _json_type(value),
                                json.dumps(value)[:40]))
    where = 'node %d (%s)' % (position, name)
    attrs = _node_attrs(spec, where)
    inputs = [_resolve_entry(e, nodes, position, where) for e in entries]
    versions = [e[2] if len(e) == 3 else 0 for e in entries]
    if op_name == 'null':
        if inputs or 'subgraphs' in spec:
            raise MXNetError('symbol JSON %s is a variable (op "null") but has %s'
                             % (where, '%d inputs' % len(inputs) if inputs else 'subgraphs'))
        return Node(None, name, attrs)
    try:
        op = ops.get(op_name).specialize(attrs)
        if file_version < MXNET_VERSION:
            _move_input_attrs(attrs, inputs, list(op.inputs))
        params = op.parse_params(attrs, name)
    except MXNetError as err:
        raise MXNetError('symbol JSON node %d (%s): %s' % (position, name, err)) from None
    if op.variadic and params[op.variadic] != len(inputs):
        raise MXNetError('symbol JSON %s: %s declares %s=%d but lists %d inputs'
                         % (where, op.name, op.variadic, params[op.variadic], len(inputs)))
    expected = op.input_names(params)
    if len(inputs) != len(expected) and not (file_version < _VERSION_NO_AUX_INPUTS
                                             and len(inputs) < len(expected)):
        raise MXNetError('symbol JSON %s has %d inputs but %s takes %d (%s)'
                         % (where, len(inputs), op.name, len(expected), ', '.join(expected)))
    for missing in expected[len(inputs):]:   # files before 0.9 leave out the aux states
        inputs.append((input_variable(name, missing, attrs), 0))
        versions.append(0)
    for (source, _), version in zip(inputs, versions):
        source.version = max(source.version, version)
    if file_version < _VERSION_INIT_ATTRS:
        for (source, _), input_name in zip(inputs, expected):
            mark_input_variable(op, input_name, source)
    subgraphs = _read_subgraphs(spec, where, file_version)
    try:
        check_subgraphs(op, params, subgraphs)
    except MXNetError as err:
        raise MXNetError('symbol JSON %s: %s' % (where, err)) from None
    return Node(op, name, attrs, inputs, params, versions, subgraphs)


def _resolve_entry(entry, nodes, limit, where):
    """The (node, output index) an entry ``[node, index(, version)]`` names; `limit`: nodes
    at or after it may not be named (an input must come earlier: no cycles)."""
    if not isinstance(entry, list) or len(entry) not in (2, 3) \
            or not all(_is_index(item) for item in entry):
        raise MXNetError('symbol JSON %s: input entry %s is not [node, output(, version)] of '
                         'non-negative integers' % (where, json.dumps(entry)[:60]))
    node_id, index = entry[0], entry[1]
    if node_id >= limit:
        raise MXNetError('symbol JSON %s: entry %s refers to node %d, which is not an earlier '
                         'node' % (where, entry, node_id))
    if index >= nodes[node_id].num_outputs:
        raise MXNetError('symbol JSON %s: entry %s asks for output %d of %s, which has %d'
                         % (where, entry, index, nodes[node_id].describe(),
                            nodes[node_id].num_outputs))
    return (nodes[node_id], index)
