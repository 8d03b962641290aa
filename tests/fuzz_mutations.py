"""Mutations of valid inputs for tests/test_fuzz.py.

Every mutation takes a `random.Random` and one valid input and returns ``(description,
mutated)``; the description says exactly what changed, so that a failure report reads as its
own reproducer. Symbol JSON is mutated on its parsed structure (then written back) or as text;
NDArray files and pickles as bytes, knowing where the NDArray format's fields lie. The hostile
pickles at the end run a command, or change a module, if a loader lets them.
"""
import functools
import json
import math
import operator
import pickle
import struct

# ------------------------------------------------------------------------------ symbol JSON
OTHER_JSON_VALUES = [0, 1, -1, True, False, None, '', 'abc', [], {}, [0, 0], {'a': 1}, 0.5,
                     -7, 30000000, 10**30, float('inf')]
ATTR_VALUES = ['0', '-1', '(0,0)', '(-1,-1)', '99', '-99', '()', 'abc', '1e400', '',
               '(100000, 100000)', '30000000', 'None', 'True', '(1,)', '[1, 2]', '1.5', 'nan',
               '(1, -1, 1)', '((1, 2),)', '9' * 5000, 'float99']
EXTRA_PARAM_KEYS = ['num_group', 'stride', 'pad', 'dilate', 'kernel', 'axis', 'dim',
                    'num_outputs', 'num_args', 'num_filter', 'num_hidden', 'shape',
                    'target_shape', 'adj', 'squeeze_axis', 'layout', 'global_pool',
                    'input_dim', 'output_dim', '__dtype__', '__shape__', '__lr_mult__']
DELETABLE_KEYS = ('inputs', 'attrs', 'op', 'name', 'heads', 'nodes', 'arg_nodes',
                  'node_row_ptr')
OLD_STYLE_ATTR_KEYS = ('weight_lr_mult', 'bias_wd_mult', 'data_lr_mult', '_lr_mult',
                       'lr_mult', 'gamma_ctx_group')
DEEP_NESTING = (10_000, 100_000)
_SPLICE_MARK = '\x00splice\x00'


def _children(value):
    if isinstance(value, dict):
        return value.items()
    if isinstance(value, list):
        return enumerate(value)
    return ()


def _paths(value, prefix=()):
    """The path (a tuple of keys and indexes) of every value inside `value`, itself first."""
    yield prefix
    for key, child in _children(value):
        yield from _paths(child, prefix + (key,))


def _get(graph, path):
    return functools.reduce(operator.getitem, path, graph)


def _show(path):
    return ''.join('[%d]' % p if isinstance(p, int) else '.%s' % p for p in path).lstrip('.')


def _short(value):
    text = repr(value)
    return text if len(text) <= 40 else '%s...(%d chars)' % (text[:20], len(text))


def _op_nodes(graph):
    return [i for i, node in enumerate(graph['nodes']) if node['op'] != 'null']


def _entry_paths(graph):
    """Paths of every [node, index, version] entry: node inputs and heads."""
    paths = [('heads', i) for i in range(len(graph['heads']))]
    for n, node in enumerate(graph['nodes']):
        paths += [('nodes', n, 'inputs', i) for i in range(len(node['inputs']))]
    return paths


def replace_value(rng, graph):
    path = rng.choice(list(_paths(graph))[1:])
    value = rng.choice(OTHER_JSON_VALUES)
    _get(graph, path[:-1])[path[-1]] = value
    return '%s = %s' % (_show(path), _short(value)), json.dumps(graph)


def delete_key(rng, graph):
    path = rng.choice([p for p in _paths(graph) if p and p[-1] in DELETABLE_KEYS])
    del _get(graph, path[:-1])[path[-1]]
    return 'delete %s' % _show(path), json.dumps(graph)


def corrupt_entry(rng, graph):
    path = rng.choice(_entry_paths(graph))
    entry = _get(graph, path)
    position = path[1] if path[0] == 'nodes' else len(graph['nodes'])
    choices = {0: [len(graph['nodes']), len(graph['nodes']) + 5, -1, True, 10**30, 1.0, '0',
                   position, position + 1, None],
               1: [1, 2, 99, -1, True, 10**30, 0.0, None],
               2: [-1, 10**30, 'x', None, 1.5]}
    field = rng.choice([0, 1, 2, 'length'])
    if field == 'length':
        new_entry = rng.choice([[], entry[:1], entry + [0], entry + [0, 0]])
        _get(graph, path[:-1])[path[-1]] = new_entry
        return '%s = %r' % (_show(path), new_entry), json.dumps(graph)
    while len(entry) <= field:
        entry.append(0)
    entry[field] = rng.choice(choices[field])
    return '%s = %s' % (_show(path), _short(entry)), json.dumps(graph)


def set_attr(graph, node_index, key, value):
    graph['nodes'][node_index].setdefault('attrs', {})[key] = value
    return 'nodes[%d].attrs.%s = %s' % (node_index, key, _short(value)), json.dumps(graph)


def random_attrs(rng, graph):
    """One to three attrs of one node set to hostile attr strings."""
    node_index = rng.choice([i for i, n in enumerate(graph['nodes']) if n.get('attrs')])
    attrs = graph['nodes'][node_index]['attrs']
    changed = rng.sample(sorted(attrs), min(len(attrs), rng.randint(1, 3)))
    for key in changed:
        attrs[key] = rng.choice(ATTR_VALUES)
    return ('nodes[%d].attrs: %s' % (node_index, ', '.join(
        '%s = %s' % (key, _short(attrs[key])) for key in changed)), json.dumps(graph))


def add_param(rng, graph):
    node_index = rng.randrange(len(graph['nodes']))
    description, text = set_attr(graph, node_index, rng.choice(EXTRA_PARAM_KEYS),
                                 rng.choice(ATTR_VALUES))
    return description + ' (added)', text


def rename_op(rng, graph):
    node_index = rng.choice(_op_nodes(graph))
    ops = sorted({n['op'] for n in graph['nodes']} - {'null'})
    new_op = rng.choice(['NoSuchOp', '', 'null', 'fullyconnected'] + ops)
    graph['nodes'][node_index]['op'] = new_op
    return 'nodes[%d].op = %r' % (node_index, new_op), json.dumps(graph)


def non_string_name(rng, graph):
    node_index = rng.randrange(len(graph['nodes']))
    name = rng.choice([1, None, True, [], {}, 1.5])
    graph['nodes'][node_index]['name'] = name
    return 'nodes[%d].name = %r' % (node_index, name), json.dumps(graph)


def duplicate_node(rng, graph):
    nodes = graph['nodes']
    source = rng.randrange(len(nodes))
    target = rng.choice([source + 1, len(nodes)])
    nodes.insert(target, json.loads(json.dumps(nodes[source])))
    return 'copy of nodes[%d] inserted at %d' % (source, target), json.dumps(graph)


def old_file_attrs(rng, graph):
    """An old file (no or an early mxnet_version) with attrs the loader upgrades."""
    version = rng.choice([None, 800, 903, -1, 'abc'])
    if version is None:
        graph.pop('attrs', None)
    else:
        graph['attrs'] = {'mxnet_version': ['int', version]}
    node_index = rng.choice(_op_nodes(graph))
    spec = graph['nodes'][node_index]
    key, value = rng.choice(OLD_STYLE_ATTR_KEYS), rng.choice(ATTR_VALUES)
    spec.setdefault('attrs', {})[key] = value
    holder = rng.choice(['attrs', 'attr', 'param'])
    spec[holder] = spec.pop('attrs') if rng.random() < 0.7 else rng.choice([[1], 'abc', 5])
    return ('mxnet_version %r, nodes[%d].%s holds %s = %s' % (version, node_index, holder, key,
                                                             _short(value)), json.dumps(graph))


def nest_deeply(rng, graph):
    path = rng.choice(list(_paths(graph))[1:])
    depth = rng.choice(DEEP_NESTING)
    inner = json.dumps(_get(graph, path))
    _get(graph, path[:-1])[path[-1]] = _SPLICE_MARK
    text = json.dumps(graph).replace(json.dumps(_SPLICE_MARK), '[' * depth + inner + ']' * depth)
    return '%s wrapped in %d nested lists' % (_show(path), depth), text


def replace_root(rng, graph):
    value = rng.choice([[], None, 'nodes', 1, [graph], {'nodes': {}, 'heads': []}])
    return 'whole document = %s' % _short(value), json.dumps(value)


STRUCTURE_MUTATIONS = [replace_value, delete_key, corrupt_entry, random_attrs, add_param,
                       rename_op, non_string_name, duplicate_node, old_file_attrs,
                       nest_deeply, replace_root]


def truncate_text(rng, text):
    end = rng.randrange(len(text))
    return 'text cut to its first %d characters' % end, text[:end]


def replace_character(rng, text):
    at = rng.randrange(len(text))
    char = rng.choice('{}[]",:-0123456789ae \\\x00')
    return ('character %d (%r) replaced by %r' % (at, text[at], char),
            text[:at] + char + text[at + 1:])


def huge_number_literal(rng, text):
    digits = '9' * rng.choice([400, 5000])
    return ('first "inputs": [[0 replaced by a %d-digit node index' % len(digits),
            text.replace('[[0,', '[[%s,' % digits, 1))


def invalid_utf8_name(rng, text):
    """Bytes (for a file) whose first node name holds bytes that are not UTF-8."""
    bad = rng.choice([b'\xff', b'\xc3', b'\xed\xa0\x80', b'\x80abc'])
    name_at = text.index('"name": "') + len('"name": "')
    raw = text.encode('utf-8')
    return 'bytes %r in the first node name' % bad, raw[:name_at] + bad + raw[name_at:]


TEXT_MUTATIONS = [truncate_text, replace_character, huge_number_literal, invalid_utf8_name]


# ---------------------------------------------------------------------------- binary files
ITEM_SIZES = {0: 4, 1: 8, 2: 2, 3: 1, 4: 4, 5: 1, 6: 8, 7: 1, 12: 2}
ARRAY_MAGIC = struct.pack('<I', 0xF993FAC9)
INTERESTING = {
    'Q': [0, 1, 2, 3, 2**31, 2**32, 30000000, 2**63 - 1, 2**64 - 1],
    'q': [0, -1, 1, 2**31, 2**32, 30000000, 2**62, 2**63 - 1, -2**63],
    'I': [0, 1, 2, 32, 33, 99, 2**31, 2**32 - 1, 0xF993FAC8, 0xF993FACA],
    'i': [0, 1, 2, -1, 7, 12, 99, 2**31 - 1, -2**31],
}


class Field:
    """One fixed-size field of an NDArray file: what it is, where, and its struct format."""

    def __init__(self, name, offset, fmt):
        self.name, self.offset, self.fmt = name, offset, fmt

    def set(self, blob, value):
        return blob[:self.offset] + struct.pack('<' + self.fmt, value) + \
            blob[self.offset + struct.calcsize(self.fmt):]


def array_fields(blob, offset, label):
    """The fields of one array (MXNet's v2 layout, as mxsym writes it) starting at `offset`,
    and the offset after its data."""
    fields = []

    def read(name, fmt):
        nonlocal offset
        fields.append(Field('%s %s' % (label, name), offset, fmt))
        (value,) = struct.unpack_from('<' + fmt, blob, offset)
        offset += struct.calcsize(fmt)
        return value
    read('magic', 'I')
    read('storage type', 'i')
    ndim = read('ndim', 'I')
    shape = [read('dim %d' % d, 'q') for d in range(ndim)]
    read('device type', 'i')
    read('device id', 'i')
    code = read('dtype code', 'i')
    return fields, offset + math.prod(shape) * ITEM_SIZES[code]


def ndarray_file_fields(blob):
    """Every fixed-size field of an NDArray file, and the (offset, length) of each name."""
    fields = [Field('list magic', 0, 'Q'), Field('reserved', 8, 'Q'),
              Field('array count', 16, 'Q')]
    (count,) = struct.unpack_from('<Q', blob, 16)
    offset = 24
    for index in range(count):
        more, offset = array_fields(blob, offset, 'array %d' % index)
        fields += more
    fields.append(Field('name count', offset, 'Q'))
    (name_count,) = struct.unpack_from('<Q', blob, offset)
    offset += 8
    names = []
    for index in range(name_count):
        fields.append(Field('name %d length' % index, offset, 'Q'))
        (length,) = struct.unpack_from('<Q', blob, offset)
        names.append((offset + 8, length))
        offset += 8 + length
    return fields, names


def embedded_array_fields(blob):
    """The fields of every NDArray serialized inside a pickle (found by their magic)."""
    fields, start = [], blob.find(ARRAY_MAGIC)
    while start != -1:
        fields += array_fields(blob, start, 'array at byte %d' % start)[0]
        start = blob.find(ARRAY_MAGIC, start + 1)
    return fields


def set_field(rng, blob, fields):
    field = rng.choice(fields)
    value = rng.choice(INTERESTING[field.fmt])
    return '%s (%s at byte %d) = %d' % (field.name, field.fmt, field.offset, value), \
        field.set(blob, value)


def overflow_dims(rng, blob, fields):
    """Every dim of one array set so that their product overflows 64 bits (or one is 0)."""
    dims = [f for f in fields if ' dim ' in f.name]
    label = rng.choice(dims).name.rsplit(' dim ', 1)[0]
    mine = [f for f in dims if f.name.startswith(label + ' dim ')]
    values = rng.choice([[2**32, 2**32], [2**62, 4], [2**63 - 1, 2], [0, 2**62], [2**62, 0]])
    applied = (values * len(mine))[:len(mine)]
    for field, value in zip(mine, applied):
        blob = field.set(blob, value)
    return '%s dims = %s' % (label, applied), blob


def flip_bit(rng, blob, _fields):
    at, bit = rng.randrange(len(blob)), rng.randrange(8)
    return 'bit %d of byte %d flipped' % (bit, at), \
        blob[:at] + bytes([blob[at] ^ (1 << bit)]) + blob[at + 1:]


def set_byte(rng, blob, _fields):
    at, value = rng.randrange(len(blob)), rng.choice([0, 0x7f, 0x80, 0xff, rng.randrange(256)])
    return 'byte %d = 0x%02x' % (at, value), blob[:at] + bytes([value]) + blob[at + 1:]


def truncate(rng, blob, _fields):
    end = rng.randrange(len(blob))
    return 'cut to its first %d bytes' % end, blob[:end]


def append_junk(rng, blob, _fields):
    junk = rng.choice([b'\x00', b'\xff' * 8, ARRAY_MAGIC * 3, bytes(range(40))])
    return 'junk %s appended' % _short(junk), blob + junk


def insert_junk(rng, blob, _fields):
    at = rng.randrange(len(blob))
    junk = rng.choice([b'\x00', b'\xff\xff\xff\xff', b'(' * 8])
    return 'junk %r inserted at byte %d' % (junk, at), blob[:at] + junk + blob[at:]


BYTE_MUTATIONS = [flip_bit, set_byte, truncate, append_junk, insert_junk]


def invalid_utf8_in_name(rng, blob, names):
    offset, length = rng.choice(names)
    bad = rng.choice([b'\xff', b'\xc3', b'\xed\xa0\x80', b'\x80'])[:length]
    return 'name at byte %d starts with %r' % (offset, bad), \
        blob[:offset] + bad + blob[offset + len(bad):]


# --------------------------------------------------------------------------- hostile pickles
def call_pickle(module, name, args):
    """Protocol-0 pickle calling ``module.name(*args)`` when loaded."""
    return b'c%s\n%s\n%sR.' % (module.encode(), name.encode(), pickle.dumps(args, 0)[:-1])


def stack_global_call_pickle(module, name, args):
    """Protocol-4 pickle (STACK_GLOBAL, as MXNet's states use) calling ``module.name(*args)``."""
    def text(value):
        raw = value.encode()
        return b'\x8c' + bytes([len(raw)]) + raw
    return b'\x80\x04' + text(module) + text(name) + pickle.STACK_GLOBAL + \
        pickle.dumps(args, 2)[2:-1] + pickle.REDUCE + pickle.STOP


def hostile_pickles(marker):
    """(description, payload) of pickles that create the file `marker` if loading runs them."""
    command = 'touch %s' % marker
    via_getattr = (b'cbuiltins\ngetattr\n(cbuiltins\n__import__\n(Vos\ntRVsystem\ntR'
                   + pickle.dumps((command,), 0)[:-1] + b'R.')
    return [
        ('os.system via GLOBAL', call_pickle('os', 'system', (command,))),
        ('posix.system via GLOBAL', call_pickle('posix', 'system', (command,))),
        ('os.system via STACK_GLOBAL', stack_global_call_pickle('os', 'system', (command,))),
        ('builtins.eval', stack_global_call_pickle(
            'builtins', 'eval', ("__import__('os').system(%r)" % command,))),
        ('builtins.exec', call_pickle('builtins', 'exec',
                                      ("import os; os.system(%r)" % command,))),
        ('subprocess.Popen', call_pickle('subprocess', 'Popen', (['touch', marker],))),
        ('getattr(__import__("os"), "system")', via_getattr),
        ('os.system inside a states dict', b'(dI0\n' + call_pickle(
            'os', 'system', (command,))[:-1] + b's.'),
        ('os.system through a mapped MXNet module path',
         call_pickle('mxnet.optimizer.optimizer', 'os.system', (command,))),
    ]


def module_tampering_pickle():
    """A pickle that, if allowed to reach the `math` module, sets math.pi to 3 (BUILD on a
    module updates its globals)."""
    return b'cmxnet.optimizer.optimizer\nmath\n(dVpi\nF3.0\nsb.'


def malformed_states_pickles():
    """(description, payload) of pickles that are valid pickles but not valid states."""
    ndarray_with = b'cmxnet.ndarray.ndarray\nNDArray\n(NtR%sb.'
    return [
        ('plain int', pickle.dumps(5, 4)),
        ('plain list', pickle.dumps([1, 2], 4)),
        ('tuple of two ints (states, optimizer)', pickle.dumps((1, 2), 4)),
        ('(states, optimizer) whose optimizer is an int', pickle.dumps(({}, 5), 4)),
        ('100000 nested lists', b'(' * 100_000 + b'l' * 100_000 + b'.'),
        ('100000 nested tuples', b'(' * 100_000 + b't' * 100_000 + b'.'),
        ('NDArray state is a list', ndarray_with % b'(lp0\n'),
        ('NDArray handle is the int 2**40', ndarray_with % b'(dVhandle\nL1099511627776L\ns'),
        ('NDArray handle is text', ndarray_with % b'(dVhandle\nVabc\ns'),
        ('NDArray without a handle', ndarray_with % b'(d'),
        ('bytearray of size 2**40', b'cbuiltins\nbytearray\n(L1099511627776L\ntR.'),
        ('numpy _reconstruct of shape (2**40,)', b'cnumpy.core.multiarray\n_reconstruct\n'
         b'(cnumpy\nndarray\n(L1099511627776L\ntVb\ntR.'),
        ('BINBYTES8 claiming 2**40 bytes', b'\x80\x04\x8e' + struct.pack('<Q', 2**40) + b'abc.'),
    ]
