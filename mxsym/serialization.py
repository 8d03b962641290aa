"""Symbol JSON: write the exact text MXNet 1.9.1 writes, read what MXNet reads.

Layout and formatting follow MXNet's writer: nodes in depth-first order, ``arg_nodes``,
``node_row_ptr`` counting hidden outputs, ``heads``, and the version attr; two-space indents,
``", "`` between items, small arrays and one-entry objects inline.
"""
import json

from . import ops_registry
from .base import MXNetError
from .graph import Node, topo_order

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


def to_json(symbol):
    """MXNet's JSON text for a symbol."""
    nodes = topo_order(symbol._outputs)
    ids = {id(node): i for i, node in enumerate(nodes)}
    written = []
    for node in nodes:
        pairs = [('op', _text(node.op.name if node.op else 'null')), ('name', _text(node.name))]
        if node.attrs:
            pairs.append(('attrs', _object([(k, _text(v)) for k, v in sorted(node.attrs.items())],
                                           6)))
        entries = [_entry(ids[id(source)], index, version)
                   for (source, index), version in zip(node.inputs, node.input_versions)]
        pairs.append(('inputs', _array(entries, 6)))
        written.append(_object(pairs, 4))
    row_ptr = [0]
    for node in nodes:
        row_ptr.append(row_ptr[-1] + node.num_outputs)
    top = [
        ('nodes', '[\n%s\n  ]' % ', \n'.join('    ' + n for n in written)),
        ('arg_nodes', _array([str(i) for i, n in enumerate(nodes) if n.op is None], 2)),
        ('node_row_ptr', _array([str(r) for r in row_ptr], 2)),
        ('heads', _array([_entry(ids[id(n)], i, n.version) for n, i in symbol._outputs], 2)),
        ('attrs', _object([('mxnet_version', '["int", %d]' % MXNET_VERSION)], 2)),
    ]
    return _object(top, 0)


# ---------------------------------------------------------------------------------- reading
def from_json(text):
    """A Symbol from MXNet JSON text; a clear error naming the node on anything malformed."""
    from .symbol import Symbol
    try:
        graph = json.loads(text)
    except (TypeError, ValueError) as err:
        raise MXNetError('symbol JSON is not valid JSON: %s' % err) from None
    if not isinstance(graph, dict) or not isinstance(graph.get('nodes'), list) \
            or 'heads' not in graph:
        found = 'keys %s' % (', '.join(map(repr, graph)) or 'none') if isinstance(graph, dict) \
            else 'a JSON %s' % type(graph).__name__
        raise MXNetError("symbol JSON must be an object with 'nodes' and 'heads' (found %s)"
                         % found)
    version = _file_version(graph)
    nodes = []
    for position, spec in enumerate(graph['nodes']):
        nodes.append(_read_node(position, spec, nodes, version))
    heads = []
    for head in graph['heads']:
        heads.append(_resolve_entry(head, nodes, 'heads'))
    return Symbol(heads)


def from_file(fname):
    """A Symbol from a JSON file; errors name the file."""
    with open(fname, 'rb') as src:
        raw = src.read()
    try:
        return from_json(raw.decode('utf-8'))
    except UnicodeDecodeError as err:
        raise MXNetError('%s is not symbol JSON: byte %d is not UTF-8 text (a .params file?)'
                         % (fname, err.start)) from None
    except MXNetError as err:
        raise MXNetError('%s: %s' % (fname, err)) from None


def _file_version(graph):
    """The MXNet version that wrote the file (10901 for 1.9.1); files before 0.9 carry none."""
    try:
        return int(graph['attrs']['mxnet_version'][1])
    except (KeyError, IndexError, TypeError, ValueError):
        return 800


# Upgrades MXNet applies to files older than the version that changed each rule.
_VERSION_INIT_ATTRS = 904   # 0.9.4: aux-state variables gain their `__init__` attr


def _move_input_attrs(attrs, inputs, input_names):
    """Old files keep ``weight_lr_mult`` on the op: it becomes ``__lr_mult__`` on the input."""
    for key in [k for k in attrs if '_' in k]:
        input_name, _, hidden = key.rpartition('_')
        for prefix_len in range(len(key)):
            input_name, hidden = key[:prefix_len], key[prefix_len + 1:]
            if key[prefix_len:prefix_len + 1] == '_' and hidden in ops_registry.HIDDEN_KEYS:
                break
        else:
            continue
        if input_name in input_names:
            source = inputs[input_names.index(input_name)][0]
            if source.op is None:
                source.attrs['__%s__' % hidden] = attrs[key]
        del attrs[key]


def _read_node(position, spec, nodes, file_version):
    if not isinstance(spec, dict) or 'op' not in spec or 'name' not in spec:
        raise MXNetError("symbol JSON node %d must be an object with 'op' and 'name'" % position)
    name = spec['name']
    attrs = {}
    for key in ('param', 'attr', 'attrs'):
        attrs.update({k: str(v) for k, v in (spec.get(key) or {}).items()})
    attrs = {ops_registry.storage_key(k): v for k, v in attrs.items()}
    entries = spec.get('inputs', [])
    inputs = [_resolve_entry(e, nodes, 'node %d (%s)' % (position, name)) for e in entries]
    versions = [e[2] if len(e) == 3 else 0 for e in entries]
    for (source, _), version in zip(inputs, versions):
        source.version = max(source.version, version)
    if spec['op'] == 'null':
        return Node(None, name, attrs)
    try:
        op = ops_registry.get(spec['op']).specialize(attrs)
    except MXNetError as err:
        raise MXNetError('symbol JSON node %d (%s): %s' % (position, name, err)) from None
    if file_version < MXNET_VERSION:
        _move_input_attrs(attrs, inputs, list(op.inputs))
    params = op.parse_params(attrs, name)
    expected = op.input_names(params)
    if len(inputs) > len(expected):
        raise MXNetError('symbol JSON node %d %s has %d inputs but %s takes %d (%s)'
                         % (position, name, len(inputs), op.name, len(expected),
                            ', '.join(expected)))
    for missing in expected[len(inputs):]:
        inputs.append((Node(None, '%s_%s' % (name, missing), attrs), 0))
        versions.append(0)
    if file_version < _VERSION_INIT_ATTRS:
        for (source, _), input_name in zip(inputs, expected):
            for key, value in op.input_var_attrs.get(input_name, {}).items():
                if source.op is None:
                    source.attrs.setdefault(key, value)
    return Node(op, name, attrs, inputs, params, versions)


def _resolve_entry(entry, nodes, where):
    if not isinstance(entry, list) or len(entry) not in (2, 3):
        raise MXNetError('symbol JSON %s: input entry %r is not [node, index(, version)]'
                         % (where, entry))
    node_id, index = entry[0], entry[1]
    if not (isinstance(node_id, int) and 0 <= node_id < len(nodes)):
        raise MXNetError('symbol JSON %s: entry %r refers to node %r, which is not an earlier '
                         'node' % (where, entry, node_id))
    if not (isinstance(index, int) and 0 <= index < nodes[node_id].num_outputs):
        raise MXNetError('symbol JSON %s: entry %r asks for output %r of %s, which has %d'
                         % (where, entry, index, nodes[node_id].describe(),
                            nodes[node_id].num_outputs))
    return (nodes[node_id], index)
