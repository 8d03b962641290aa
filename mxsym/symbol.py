"""`mx.sym`: the Symbol class, variables, groups and one function per registered operator.

A Symbol is a list of output entries of an immutable graph (see `graph.py`). Operators are
applied through `apply_op`, the single place that turns a Python call into a graph node: naming,
attribute scopes, parameter strings, auto-created inputs.
"""
from numbers import Number
from types import SimpleNamespace

import numpy as np

from . import (attribute, executor, infer, name as _name, ops, ops_registry, serialization,
               visualization)
from .context import current_context
from .base import MXNetError, NotImplementedForSymbol, named_function
from .dtype_codes import code_of
from .graph import (Node, aux_variable_ids, check_subgraphs, input_variable,
                    mark_input_variable, topo_order)
from .graph_passes import remove_amp_casts
from .monitor import graph_listing
from .ops_registry import FLUENT_METHODS, HIDDEN_KEYS, SUBMODULE_PREFIXES, is_dunder, storage_key



def _python_operator(op_name, hint, scalar_op, scalar_hint):
    """A Symbol method for a Python operator: `op_name` with another symbol, `scalar_op` with
    a number (reflected operators have no symbol form: None)."""
    def method(self, other):
        return self._binary(other, op_name, hint, scalar_op, scalar_hint)
    return method


class Symbol:
    """A symbolic graph, seen through its output entries."""

    __slots__ = ('_outputs',)

    def __init__(self, outputs):
        self._outputs = list(outputs)

    # ------------------------------------------------------------------ structure and names
    def _nodes(self):
        return topo_order(self._outputs)

    def _head_node(self):
        """The one node all outputs come from, or None for a group of several nodes."""
        heads = {id(node): node for node, _ in self._outputs}
        return next(iter(heads.values())) if len(heads) == 1 else None

    @property
    def name(self):
        """The head node's name; None for a group of outputs of several nodes."""
        head = self._head_node()
        return head.name if head is not None else None

    def __repr__(self):
        if self._head_node() is not None:
            return '<Symbol %s>' % self.name
        return '<Symbol group [%s]>' % ', '.join(node.name for node, _ in self._outputs)

    def _repr_svg_(self):
        """Notebooks show a symbol as its graph picture; the repr stays ``<Symbol name>``."""
        return visualization.graph_svg(self)

    def list_arguments(self):
        """Names of the variables that are not aux states, in graph order."""
        nodes = self._nodes()
        aux = aux_variable_ids(nodes)
        return [n.name for n in nodes if n.op is None and id(n) not in aux]

    def list_auxiliary_states(self):
        """Names of the variables that ops mutate (BatchNorm's moving statistics)."""
        nodes = self._nodes()
        aux = aux_variable_ids(nodes)
        return [n.name for n in nodes if n.op is None and id(n) in aux]

    def list_inputs(self):
        """Names of every variable, arguments and aux states, in graph order."""
        return [n.name for n in self._nodes() if n.op is None]

    def list_outputs(self):
        return [node.output_name(index) for node, index in self._outputs]

    def __len__(self):
        return len(self._outputs)

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Group([self[i] for i in range(*index.indices(len(self)))])
        if isinstance(index, str):
            matches = [i for i, out in enumerate(self.list_outputs()) if out == index]
            if len(matches) > 1:
                raise ValueError('There are multiple outputs with name "%s"' % index)
            if not matches:
                raise ValueError('Cannot find output that matches name "%s"' % index)
            index = matches[0]
        if not isinstance(index, (int, np.integer)):
            raise TypeError('Symbol only support integer index to fetch i-th output')
        if index >= len(self):
            raise IndexError(index)
        return Symbol([self._outputs[index]])

    def get_internals(self):
        """Every visible output of every node, variables included, as one group."""
        return Symbol([(node, i) for node in self._nodes()
                       for i in range(node.num_visible_outputs)])

    def get_children(self):
        """The inputs of the head nodes as a group; None when they have none."""
        heads = {id(node): node for node, _ in self._outputs}
        entries = [entry for node in heads.values() for entry in node.inputs]
        return Symbol(entries) if entries else None

    def debug_str(self):
        """MXNet's listing of the graph: heads, variables, each op's inputs and attrs."""
        return graph_listing(self)

    def _gen_atomic_symbol(self):
        """The head op on its own: a node with the same op and attrs whose inputs are fresh
        variables."""
        head = self._head_node()
        if head is None or head.op is None:
            raise MXNetError('_gen_atomic_symbol: %s is not an operator output'
                             % self.list_outputs())
        return apply_op(head.op.name, head.op.name, (), dict(head.attrs, name=head.name))

    # ------------------------------------------------------------------ attributes
    def attr(self, key):
        """One attribute of the head node, or None."""
        head = self._head_node()
        if head is None:
            return None
        if key == 'name':
            return head.name
        return head.attrs.get(storage_key(key))

    def list_attr(self, recursive=False):
        """The first head node's attributes (hidden keys reported in both spellings)."""
        if recursive:
            raise DeprecationWarning('Symbol.list_attr with recursive=True has been deprecated. '
                                     'Please use attr_dict instead.')
        return _reported_attrs(self._outputs[0][0].attrs)

    def attr_dict(self):
        """{node name: attributes} for every node that has attributes."""
        return {node.name: _reported_attrs(node.attrs) for node in self._nodes() if node.attrs}

    def _set_attr(self, **kwargs):
        for key, value in kwargs.items():
            if not isinstance(value, str):
                raise ValueError('Set Attr only accepts string values')
            for node, _ in self._outputs:
                node.attrs[storage_key(key)] = value

    # ------------------------------------------------------------------ composition
    def __call__(self, *args, **kwargs):
        """A copy of this graph with its free variables replaced by the given symbols."""
        name = kwargs.pop('name', None)
        if args and kwargs:
            raise TypeError('compose only accept input Symbols either as positional or keyword '
                            'arguments, not both')
        for value in list(args) + list(kwargs.values()):
            if not isinstance(value, Symbol) or len(value) != 1:
                raise TypeError('Compose expect `Symbol` with one output as arguments')
        if args:
            raise MXNetError('General composition only support kwargs for now: pass the new '
                             'inputs by variable name, e.g. net(data=other)')
        nodes = self._nodes()
        variables = [n for n in nodes if n.op is None]
        names = {n.name for n in variables}
        unknown = [k for k in kwargs if k not in names]
        if unknown:
            raise MXNetError('compose: keyword argument %s is not an input of the symbol; '
                             'its inputs are %s' % (unknown[0], sorted(names)))
        replace = {id(var): kwargs[var.name]._outputs[0] for var in variables
                   if var.name in kwargs}
        copies = {}
        for node in nodes:
            if id(node) in replace:
                continue
            copies[id(node)] = Node(node.op, node.name, node.attrs,
                                    [replace.get(id(src)) or (copies[id(src)], i)
                                     for src, i in node.inputs], node.params,
                                    node.input_versions, node.subgraphs)
            copies[id(node)].version = node.version

        def remap(entry):
            return replace.get(id(entry[0])) or (copies[id(entry[0])], entry[1])
        outputs = [remap(e) for e in self._outputs]
        if name and len(outputs) == 1 and outputs[0][0].op is not None:
            outputs[0][0].name = name
        return Symbol(outputs)

    def __copy__(self):
        return self.__call__()

    def __deepcopy__(self, memo):
        return self.__call__()

    def __getstate__(self):
        return {'json': self.tojson()}

    def __setstate__(self, state):
        self._outputs = load_json(state['json'])._outputs

    # ------------------------------------------------------------------ Python operators
    def _binary(self, other, op_name, hint, scalar_op, scalar_hint):
        if isinstance(other, Symbol):
            return apply_op(op_name, hint, (self, other), {})
        if isinstance(other, Number):
            return apply_op(scalar_op, scalar_hint, (self,), {'scalar': other})
        raise TypeError('type %s not supported' % str(type(other)))

    __add__ = __radd__ = _python_operator('elemwise_add', '_plus', '_plus_scalar', '_plusscalar')
    __sub__ = _python_operator('elemwise_sub', '_minus', '_minus_scalar', '_minusscalar')
    __rsub__ = _python_operator(None, None, '_rminus_scalar', '_rminusscalar')
    __mul__ = __rmul__ = _python_operator('elemwise_mul', '_mul', '_mul_scalar', '_mulscalar')
    __truediv__ = _python_operator('elemwise_div', '_div', '_div_scalar', '_divscalar')
    __rtruediv__ = _python_operator(None, None, '_rdiv_scalar', '_rdivscalar')
    __mod__ = _python_operator('_mod', '_mod', '_mod_scalar', '_modscalar')
    __rmod__ = _python_operator(None, None, '_rmod_scalar', '_rmodscalar')
    __pow__ = _python_operator('_power', '_power', '_power_scalar', '_powerscalar')
    __rpow__ = _python_operator(None, None, '_rpower_scalar', '_rpower_scalar')

    def __neg__(self):
        return self.__mul__(-1.0)

    def __abs__(self):
        return apply_op('abs', 'abs', (self,), {})

    __eq__ = _python_operator('_equal', '_equal', '_equal_scalar', '_equal_scalar')
    __ne__ = _python_operator('_not_equal', '_not_equal', '_not_equal_scalar',
                              '_not_equal_scalar')
    __gt__ = _python_operator('_greater', '_greater', '_greater_scalar', '_greater_scalar')
    __ge__ = _python_operator('_greater_equal', '_greater_equal', '_greater_equal_scalar',
                              '_greater_equal_scalar')
    __lt__ = _python_operator('_lesser', '_lesser', '_lesser_scalar', '_lesser_scalar')
    __le__ = _python_operator('_lesser_equal', '_lesser_equal', '_lesser_equal_scalar',
                              '_lesser_equal_scalar')

    __hash__ = object.__hash__

    def __bool__(self):
        raise NotImplementedForSymbol(self.__bool__, 'bool')

    __nonzero__ = __bool__

    def __iadd__(self, other):
        raise NotImplementedForSymbol(self.__iadd__, '+=', other, 1)

    def __isub__(self, other):
        raise NotImplementedForSymbol(self.__isub__, '-=', other)

    def __imul__(self, other):
        raise NotImplementedForSymbol(self.__imul__, '*=', other)

    def __itruediv__(self, other):
        raise NotImplementedForSymbol(self.__itruediv__, '/=', other)

    def __imod__(self, other):
        raise NotImplementedForSymbol(self.__imod__, '%=', other)

    def __ipow__(self, other):
        raise NotImplementedForSymbol(self.__ipow__, '**=', other)

    def __round__(self, n=0):
        raise NotImplementedForSymbol(self.__round__, 'round')

    # ------------------------------------------------------------------ inference
    def infer_shape(self, *args, **kwargs):
        return infer.infer_shape(self, args, kwargs, partial=False)

    def infer_shape_partial(self, *args, **kwargs):
        return infer.infer_shape(self, args, kwargs, partial=True)

    def infer_type(self, *args, **kwargs):
        return infer.infer_type(self, args, kwargs, partial=False)

    def infer_type_partial(self, *args, **kwargs):
        return infer.infer_type(self, args, kwargs, partial=True)

    # ------------------------------------------------------------------ serialization
    def tojson(self, remove_amp_cast=True):
        """MXNet's JSON text of the graph; AMP casts are left out unless told to keep them."""
        outputs = remove_amp_casts(self._outputs) if remove_amp_cast else self._outputs
        return serialization.to_json(outputs)

    def save(self, fname, remove_amp_cast=True):
        with open(fname, 'w') as out:
            out.write(self.tojson(remove_amp_cast))

    # ------------------------------------------------------------------ execution
    def bind(self, ctx, args, args_grad=None, grad_req='write', aux_states=None,
             group2ctx=None, shared_exec=None):
        return executor.Executor(self, ctx, args, args_grad, grad_req, aux_states)

    def simple_bind(self, ctx, grad_req='write', type_dict=None, stype_dict=None,
                    group2ctx=None, shared_arg_names=None, shared_exec=None,
                    shared_buffer=None, **kwargs):
        """Bind zero-filled arrays of the shapes given as tuples in `kwargs`; other keywords
        are ignored, as MXNet ignores them (``force_rebind=True`` in its own tests)."""
        shapes = {k: v for k, v in kwargs.items() if isinstance(v, (tuple, list))}
        return executor.simple_bind(self, ctx, grad_req, type_dict, shapes)

    def eval(self, ctx=None, **kwargs):
        """Bind the given arrays, run forward once and return the outputs."""
        return self.bind(ctx or current_context(), kwargs).forward()


def _reported_attrs(attrs):
    """Attributes as MXNet reports them: hidden keys also under their plain name."""
    reported = dict(attrs)
    for key in HIDDEN_KEYS:
        if '__%s__' % key in attrs:
            reported[key] = attrs['__%s__' % key]
    return reported


# ---------------------------------------------------------------------- creating symbols
def Variable(name, attr=None, shape=None, lr_mult=None, wd_mult=None, dtype=None, init=None,
             stype=None, **kwargs):
    """A placeholder for an input or a parameter."""
    if not isinstance(name, str):
        raise TypeError('Expect a string for variable `name`')
    attrs = {storage_key(k): v for k, v in attribute.current().get(attr).items()}
    if shape is not None:
        attrs['__shape__'] = str(shape)
    if lr_mult is not None:
        attrs['__lr_mult__'] = str(lr_mult)
    if wd_mult is not None:
        attrs['__wd_mult__'] = str(wd_mult)
    if dtype is not None:
        attrs['__dtype__'] = str(code_of(dtype))
    if init is not None:
        attrs['__init__'] = init if isinstance(init, str) else init.dumps()
    if stype is not None:
        attrs['__storage_type__'] = str({'default': 0, 'row_sparse': 1, 'csr': 2}[stype])
    for key, value in kwargs.items():
        if not is_dunder(key):
            raise ValueError('Attribute name=%s is not supported. Additional attributes must '
                             'start and end with double underscores, e.g, __yourattr__' % key)
        attrs[key] = str(value)
    return Symbol([(Node(None, name, attrs), 0)])


var = Variable


def Group(symbols):
    """One symbol whose outputs are the outputs of all the given symbols."""
    if not symbols or any(not isinstance(s, Symbol) for s in symbols):
        raise TypeError('Expected a list of symbols as input')
    return Symbol([entry for s in symbols for entry in s._outputs])


def apply_op(op_name, hint, args, kwargs, subgraphs=()):
    """Apply a registered op to symbols: MXNet's naming, attrs and auto-created inputs
    (`subgraphs`: a control-flow op's graphs, as lists of output entries)."""
    op = ops.get(op_name)
    kwargs = dict(kwargs)
    attr = kwargs.pop('attr', None)
    name = kwargs.pop('name', None)
    kwargs.pop('out', None)
    kwargs.update(attribute.current().get(attr))
    op, inputs, attrs = op.call_attrs(args, kwargs, lambda v: isinstance(v, Symbol))
    name = _name.current().get(name, hint)
    params = op.parse_params(attrs, name)
    node = _make_node(op, name, attrs, params, inputs, subgraphs)
    return Symbol([(node, i) for i in range(node.num_visible_outputs)])


def _make_node(op, name, attrs, params, given, subgraphs=()):
    """The op node; inputs not given become variables named ``<node>_<input>``."""
    try:
        check_subgraphs(op, params, subgraphs)
    except MXNetError as err:
        raise MXNetError('%s (%s): %s' % (name, op.name, err)) from None
    input_names = op.input_names(params)
    if op.variadic:
        given = dict(zip(input_names, given))
    unknown = [k for k in given if k not in input_names]
    if unknown and input_names:   # an op without inputs ignores them, as MXNet's compose does
        raise MXNetError('%s (%s): %s is not an input; inputs are %s'
                         % (name, op.name, unknown[0], input_names))
    inputs = []
    for input_name in input_names:
        source = given.get(input_name)
        if source is None:
            source = Symbol([(input_variable(name, input_name, attrs), 0)])
        if len(source) != 1:
            raise MXNetError('%s (%s): input %s must have one output, but %r has %d'
                             % (name, op.name, input_name, source, len(source)))
        entry = source._outputs[0]
        mark_input_variable(op, input_name, entry[0])
        if entry[0].op is None and input_name in op.aux:
            entry[0].version += 1
        inputs.append(entry)
    return Node(op, name, attrs, inputs, params, [src.version for src, _ in inputs], subgraphs)


def load_json(json_str):
    """A symbol from MXNet's JSON text."""
    return Symbol(serialization.from_json(json_str))


def load(fname):
    """A symbol from a JSON file written by `Symbol.save` or MXNet."""
    return Symbol(serialization.from_file(fname))


def _op_function(op_name, func_name):
    """The `mx.sym.<func_name>` function that applies one op."""
    hint = func_name.lower()

    def creator(*args, **kwargs):
        return apply_op(op_name, hint, args, kwargs)
    return named_function(creator, func_name,
                          'Apply the MXNet operator %s (see MXNet 1.9.1 docs).' % op_name)


@ops_registry.cached_per_registry
def op_functions():
    """{name: function} for every registered op name, plus `_internal` and the sub-namespaces.

    They are served by the module's `__getattr__` rather than stored as globals, so op names
    such as ``slice`` or ``max`` never shadow Python's builtins inside this module."""
    public, internal = {}, {}
    submodules = {name: {} for name in SUBMODULE_PREFIXES.values()}
    for func_name, op in ops.all_ops().items():
        function = _op_function(op.name, func_name)
        if func_name.startswith('_'):
            internal[func_name] = function
            for prefix, submodule in SUBMODULE_PREFIXES.items():
                if func_name.startswith(prefix):
                    short = func_name[len(prefix):]   # MXNet names nodes from the short name
                    submodules[submodule][short] = _op_function(op.name, short)
        else:
            public[func_name] = function
    public['_internal'] = SimpleNamespace(**internal)
    public.update({name: SimpleNamespace(**functions) for name, functions in submodules.items()})
    return public


def __getattr__(name):
    try:
        return op_functions()[name]
    except KeyError:
        raise AttributeError("module 'mxsym.symbol' has no attribute '%s'" % name) from None


def __dir__():
    return sorted(set(globals()) | set(op_functions()))


# ---------------------------------------------------------------------- Python-level helpers
def _symbol_or_scalar(left, right, op_name, scalar_op, reverse_op, hints, python):
    """A binary helper such as mx.sym.maximum: the op for two symbols, a scalar op otherwise."""
    hint, scalar_hint, reverse_hint = hints
    if isinstance(left, Symbol) and isinstance(right, Symbol):
        return apply_op(op_name, hint, (left, right), {})
    if isinstance(left, Symbol) and isinstance(right, Number):
        return apply_op(scalar_op, scalar_hint, (left,), {'scalar': right})
    if isinstance(left, Number) and isinstance(right, Symbol):
        return apply_op(reverse_op, reverse_hint, (right,), {'scalar': left})
    if isinstance(left, Number) and isinstance(right, Number):
        return python(left, right)
    raise TypeError('types (%s, %s) not supported' % (type(left), type(right)))


def maximum(left, right):
    """Elementwise maximum of symbols and/or scalars."""
    return _symbol_or_scalar(left, right, '_maximum', '_maximum_scalar', '_maximum_scalar',
                             ('_maximum', '_maximumscalar', '_maximumscalar'), max)


def minimum(left, right):
    """Elementwise minimum of symbols and/or scalars."""
    return _symbol_or_scalar(left, right, '_minimum', '_minimum_scalar', '_minimum_scalar',
                             ('_minimum', '_minimumscalar', '_minimumscalar'), min)


def power(base, exp):
    """base ** exp for symbols and/or scalars."""
    return _symbol_or_scalar(base, exp, '_power', '_power_scalar', '_rpower_scalar',
                             ('_power', '_powerscalar', '_rpowerscalar'), lambda a, b: a ** b)


pow = power  # noqa: A001  (MXNet has both names)


def hypot(left, right):
    """sqrt(left**2 + right**2) for symbols and/or scalars."""
    return _symbol_or_scalar(left, right, '_hypot', '_hypot_scalar', '_hypot_scalar',
                             ('_hypot', '_hypotscalar', '_hypotscalar'),
                             lambda a, b: (a * a + b * b) ** 0.5)


def _creation(op_name, hint):
    def create(shape, dtype=None, **kwargs):
        return apply_op(op_name, hint, (), dict(kwargs, shape=shape, dtype=dtype or 'float32'))
    create.__name__ = hint.strip('_')
    return create


zeros = _creation('_zeros', '_zeros')
ones = _creation('_ones', '_ones')


def full(shape, val, dtype=None, **kwargs):
    """A symbol of `shape` filled with `val`."""
    return apply_op('_full', '_full', (), dict(kwargs, shape=shape, dtype=dtype or 'float32',
                                                 value=float(val)))


def arange(start, stop=None, step=1.0, repeat=1, infer_range=False, name=None, dtype=None):
    """Evenly spaced values in [start, stop)."""
    return apply_op('_arange', '_arange', (), dict(
        start=start, stop=stop, step=step, repeat=repeat, infer_range=infer_range, name=name,
        dtype=dtype or 'float32'))


def linspace(start, stop, num, endpoint=True, name=None, dtype=None):
    """`num` evenly spaced values from start to stop."""
    return apply_op('_linspace', '_linspace', (), dict(
        start=start, stop=stop, num=num, endpoint=endpoint, name=name,
        dtype=dtype or 'float32'))


def eye(N, M=0, k=0, dtype=None, **kwargs):
    """A 2-D symbol with ones on the k-th diagonal."""
    return apply_op('_eye', '_eye', (), dict(kwargs, N=N, M=M, k=k, dtype=dtype or 'float32'))


def histogram(a, bins=10, range=None, **kwargs):  # noqa: A002  (MXNet's argument name)
    """Counts of a's elements in `bins` equal bins over `range` (both needed here), or
    between the edges a `bins` symbol holds; outputs (counts, edges)."""
    if isinstance(bins, Symbol):
        return apply_op('_histogram', '_histogram', (), dict(kwargs, data=a, bins=bins))
    if range is None:
        raise ValueError('histogram: a symbol needs range when bins is a count')
    return apply_op('_histogram', '_histogram', (), dict(kwargs, data=a, bin_cnt=bins,
                                                         range=range))


def split_v2(ary, indices_or_sections, axis=0, squeeze_axis=False):
    """Split along `axis` into equal sections (an int) or at the given indices (a tuple)."""
    indices, sections = [], 0
    if isinstance(indices_or_sections, int):
        sections = indices_or_sections
    elif isinstance(indices_or_sections, tuple):
        indices = [0] + list(indices_or_sections)
    else:
        raise ValueError('indices_or_sections must either int or tuple of ints')
    return apply_op('_split_v2', '_split_v2', (ary, indices, axis, squeeze_axis, sections), {})


def _fluent(method_name):
    def method(self, *args, **kwargs):
        function = op_functions().get(method_name)
        if function is None:
            raise NotImplementedError('mxsym has no %s operator yet' % method_name)
        return function(self, *args, **kwargs)
    method.__name__ = method_name
    method.__doc__ = 'x.%s(...) is mx.sym.%s(x, ...).' % (method_name, method_name)
    return method


for _method_name in FLUENT_METHODS:
    setattr(Symbol, _method_name, _fluent(_method_name))


Symbol.split_v2 = split_v2


def _astype(self, dtype):
    """Cast to another dtype (the ``cast`` op)."""
    return op_functions()['cast'](self, dtype=dtype)


Symbol.astype = _astype

