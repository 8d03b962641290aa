"""Gluon's `Block` (a tree of layers with named parameters), `HybridBlock` (a block written
once for ``F = mx.nd`` and ``F = mx.sym``: run eagerly, or after `hybridize` traced once into a
Symbol and run as one compiled graph through `CachedOp`) and `SymbolBlock` (a block around a
given Symbol)."""
import re
import threading
import warnings
from collections import OrderedDict

from .. import initializer
from .. import name as _name
from .. import ndarray
from .. import symbol
from ..base import MXNetError
from ..cached_op import CachedOp
from ..ndarray import NDArray
from ..symbol import Symbol
from .parameter import DeferredInitializationError, Parameter, ParameterDict, brief_names


class _BlockScope:
    """The scope in which a block's children are made: it names them after the block."""

    _current = threading.local()

    def __init__(self, block):
        self._block = block
        self._counter = {}
        self._old_scope = None
        self._name_scope = None

    @staticmethod
    def create(prefix, params, hint):
        """(prefix, ParameterDict) of a new block: ``hint`` numbered by the enclosing block's
        scope, or by the global name manager outside any."""
        current = getattr(_BlockScope._current, 'value', None)
        if current is None:
            if prefix is None:
                prefix = _name.current().get(None, hint) + '_'
            params = ParameterDict(prefix) if params is None else ParameterDict(params.prefix,
                                                                                params)
            return prefix, params
        if prefix is None:
            count = current._counter.get(hint, 0)
            prefix = '%s%d_' % (hint, count)
            current._counter[hint] = count + 1
        if params is None:
            parent = current._block.params
            params = ParameterDict(parent.prefix + prefix, parent._shared)
        else:
            params = ParameterDict(params.prefix, params)
        return current._block.prefix + prefix, params

    def __enter__(self):
        if self._block._empty_prefix:
            return self
        self._old_scope = getattr(_BlockScope._current, 'value', None)
        _BlockScope._current.value = self
        self._name_scope = _name.Prefix(self._block.prefix)
        self._name_scope.__enter__()
        return self

    def __exit__(self, ptype, value, trace):
        if self._block._empty_prefix:
            return
        self._name_scope.__exit__(ptype, value, trace)
        self._name_scope = None
        _BlockScope._current.value = self._old_scope


class _HookHandle:
    """Removes a forward hook with `detach`."""

    def __init__(self, hooks, hook):
        self._hooks, self._hook = hooks, hook

    def detach(self):
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)

    def __enter__(self):
        return self

    def __exit__(self, ptype, value, trace):
        self.detach()


class Block:
    """A layer or a model: child blocks and parameters, named under `prefix`."""

    def __init__(self, prefix=None, params=None):
        self._empty_prefix = prefix == ''
        self._prefix, self._params = _BlockScope.create(prefix, params, self._alias())
        self._name = self._prefix[:-1] if self._prefix.endswith('_') else self._prefix
        self._scope = _BlockScope(self)
        self._children = OrderedDict()
        self._reg_params = {}
        self._forward_hooks = []
        self._forward_pre_hooks = []

    def __repr__(self):
        lines = ['  (%s): %s' % (key, _indent(repr(block), 2))
                 for key, block in self._children.items()]
        return '%s(\n%s\n)' % (self.__class__.__name__, '\n'.join(lines))

    def __setattr__(self, name, value):
        """Blocks and Parameters set as attributes become children and parameters."""
        existing = self.__dict__.get(name)
        if isinstance(existing, (Parameter, Block)) and not isinstance(value, type(existing)):
            raise TypeError('Changing attribute type for %s from %s to %s is not allowed.'
                            % (name, type(existing), type(value)))
        if isinstance(value, Block):
            self.register_child(value, name)
        elif isinstance(value, Parameter):
            if name in self._reg_params:
                raise MXNetError("Overriding Parameter attribute %s is not allowed. If you want "
                                 "to share parameters between blocks, please set 'params' at "
                                 "Block construction instead." % name)
            self._reg_params[name] = value
        super().__setattr__(name, value)

    def _alias(self):
        return self.__class__.__name__.lower()

    @property
    def prefix(self):
        return self._prefix

    @property
    def name(self):
        return self._name

    @property
    def params(self):
        """This block's own parameters (not its children's)."""
        return self._params

    def name_scope(self):
        """A scope in which new blocks and symbols are named after this block."""
        return self._scope

    def collect_params(self, select=None):
        """This block's and its descendants' parameters, those whose names match the regular
        expression `select` if given."""
        self._check_container_with_block()
        found = ParameterDict(self._params.prefix)
        if select is None:
            found.update(self.params)
        else:
            pattern = re.compile(select)
            found.update({k: v for k, v in self.params.items() if pattern.match(k)})
        for child in self._children.values():
            found.update(child.collect_params(select=select))
        return found

    def _check_container_with_block(self):
        """Warn about Blocks kept in a list, tuple or dict attribute: they are not children,
        so their parameters are not collected."""
        children = set(self._children.values())

        def unregistered(data):
            if isinstance(data, (list, tuple)):
                return any(unregistered(item) for item in data)
            if isinstance(data, dict):
                return any(unregistered(item) for item in data.values())
            return isinstance(data, Block) and data not in children
        for key, value in self.__dict__.items():
            if isinstance(value, (list, tuple, dict)) and not key.startswith('__') \
                    and key != '_children' and unregistered(value):
                warnings.warn('"%s.%s" is an unregistered container with Blocks. Note that '
                              'Blocks inside the list, tuple or dict will not be registered '
                              'automatically. Make sure to register them using '
                              'register_child() or switching to nn.Sequential/'
                              'nn.HybridSequential instead.'
                              % (self.__class__.__name__, key), stacklevel=3)

    def _collect_params_with_prefix(self, prefix=''):
        """{structural name (``0.weight``, ``features.1.bias``): parameter}."""
        if prefix:
            prefix += '.'
        found = {prefix + key: value for key, value in self._reg_params.items()}
        for name, child in self._children.items():
            found.update(child._collect_params_with_prefix(prefix + name))
        return found

    def save_parameters(self, filename, deduplicate=False):
        """Write the parameters under their structural names to an MXNet .params file."""
        params = self._collect_params_with_prefix()
        if deduplicate:
            first_names = {}
            for key, param in params.items():
                first_names.setdefault(param, key)
            params = {key: param for param, key in first_names.items()}
        ndarray.save(filename, {key: param._reduce() for key, param in params.items()})

    def load_parameters(self, filename, ctx=None, allow_missing=False, ignore_extra=False,
                        cast_dtype=False, dtype_source='current'):
        """Read parameters written by `save_parameters` (or, with full names, by
        `ParameterDict.save` or `export`)."""
        loaded = ndarray.load(filename)
        params = self._collect_params_with_prefix()
        if not loaded and not params:
            return
        if not any('.' in key for key in loaded):
            self.collect_params().load(filename, ctx, allow_missing, ignore_extra, self.prefix,
                                       cast_dtype=cast_dtype, dtype_source=dtype_source)
            return
        if not allow_missing:
            names_of = {}
            for key, param in params.items():
                names_of.setdefault(param, []).append(key)
            for key, param in params.items():
                if not any(name in loaded for name in names_of[param]):
                    raise MXNetError("Parameter '%s' is missing in file '%s', which contains "
                                     "parameters: %s. Set allow_missing=True to ignore missing "
                                     "parameters." % (key, filename, brief_names(loaded)))
        for key, value in loaded.items():
            if key not in params:
                if not ignore_extra:
                    raise MXNetError("Parameter '%s' loaded from file '%s' is not present in "
                                     "ParameterDict, which contains parameters %s. Set "
                                     "ignore_extra=True to ignore. "
                                     % (key, filename, brief_names(params)))
                continue
            params[key]._load_init(value, ctx, cast_dtype=cast_dtype, dtype_source=dtype_source)

    def save_params(self, filename):
        """Deprecated: the parameters under their full names less this block's prefix."""
        warnings.warn('save_params is deprecated. Please use save_parameters. Note that if you '
                      'want load from SymbolBlock later, please use export instead.',
                      stacklevel=2)
        self.collect_params().save(filename, strip_prefix=self.prefix)

    def load_params(self, filename, ctx=None, allow_missing=False, ignore_extra=False):
        """Deprecated: `load_parameters`."""
        warnings.warn('load_params is deprecated. Please use load_parameters.', stacklevel=2)
        self.load_parameters(filename, ctx, allow_missing, ignore_extra)

    def register_child(self, block, name=None):
        """Add a child block (named by its position unless `name` is given)."""
        if name is None:
            name = str(len(self._children))
        self._children[name] = block

    def register_forward_pre_hook(self, hook):
        """``hook(block, inputs)`` before each forward; a handle to detach it."""
        self._forward_pre_hooks.append(hook)
        return _HookHandle(self._forward_pre_hooks, hook)

    def register_forward_hook(self, hook):
        """``hook(block, inputs, outputs)`` after each forward; a handle to detach it."""
        self._forward_hooks.append(hook)
        return _HookHandle(self._forward_hooks, hook)

    def apply(self, fn):
        """Call `fn` on every descendant and then on this block."""
        for child in self._children.values():
            child.apply(fn)
        fn(self)
        return self

    def initialize(self, init=initializer.Uniform(), ctx=None, verbose=False,
                   force_reinit=False):
        """Initialize every parameter of the block and its descendants."""
        self.collect_params().initialize(init, ctx, verbose, force_reinit)

    def hybridize(self, active=True, **kwargs):
        """Hybridize the HybridBlocks among the descendants (a Block itself runs eagerly)."""
        for child in self._children.values():
            child.hybridize(active, **kwargs)

    def cast(self, dtype):
        """Cast every parameter to `dtype`."""
        for child in self._children.values():
            child.cast(dtype)
        for param in self.params.values():
            param.cast(dtype)

    def __call__(self, *args):
        for hook in self._forward_pre_hooks:
            hook(self, args)
        out = self.forward(*args)
        for hook in self._forward_hooks:
            hook(self, args, out)
        return out

    def forward(self, *args):
        """The computation; to be written by subclasses."""
        raise NotImplementedError


# ---- nested inputs and outputs ----

def _flatten(args, inout_str):
    """(flat list of arrays/symbols/None, format to `_regroup` them with)."""
    if isinstance(args, NDArray):
        return [args], 0
    if isinstance(args, Symbol):
        length = len(args.list_outputs())
        return [args], length if length > 1 else 0
    if args is None:
        return [None], -1
    if not isinstance(args, (list, tuple)):
        raise ValueError('HybridBlock %s must be (nested) lists of Symbol or NDArray, but got '
                         '%s of type %s' % (inout_str, args, type(args)))
    flat, formats = [], []
    for arg in args:
        items, fmt = _flatten(arg, inout_str)
        flat.extend(items)
        formats.append(fmt)
    return flat, formats


def _regroup(args, fmt):
    """(nested structure of `fmt` from the front of `args`, rest of `args`)."""
    if isinstance(fmt, int):
        if fmt == 0:
            return args[0], args[1:]
        if fmt == -1:
            return None, args[1:]
        return args[:fmt], args[fmt:]
    grouped = []
    for item in fmt:
        res, args = _regroup(args, item)
        grouped.append(res)
    return grouped, args


def _arrays_in(args):
    """The NDArrays and Symbols in nested lists of arguments (other values left out)."""
    if isinstance(args, (NDArray, Symbol)):
        return [args]
    if isinstance(args, (list, tuple)):
        return [array for arg in args for array in _arrays_in(arg)]
    return []


def _same_structure(fmt, stored):
    """Whether inputs nested as `fmt` fit a graph traced for `stored`: the same, or differing
    only by trailing None arguments (left to their default values)."""
    if fmt == stored or isinstance(fmt, int) or isinstance(stored, int):
        return fmt == stored
    shorter, longer = sorted((fmt, stored), key=len)
    return longer[:len(shorter)] == shorter and all(f == -1 for f in longer[len(shorter):])


class HybridBlock(Block):
    """A block written as ``hybrid_forward(F, x, *args, **params)``: eager with ``F = mx.nd``;
    after `hybridize`, traced once with ``F = mx.sym`` and run as one compiled graph (compiled
    per input shapes, dtypes and training mode), differentiable as one step of the tape."""

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self._cached_graph = ()
        self._cached_op = None
        self._active = False
        self._flags = []
        self._in_format = None
        self._out_format = None

    def __setattr__(self, name, value):
        super().__setattr__(name, value)
        if isinstance(value, HybridBlock):
            self._clear_cached_op()

    def register_child(self, block, name=None):
        if not isinstance(block, HybridBlock):
            raise ValueError('Children of HybridBlock must also be HybridBlock, but %s has type '
                             '%s. If you are using Sequential, please try HybridSequential '
                             'instead.' % (block, type(block)))
        super().register_child(block, name)
        self._clear_cached_op()

    def _clear_cached_op(self):
        self._cached_graph = ()
        self._cached_op = None

    def hybridize(self, active=True, **kwargs):
        """Trace the block into a Symbol at its next call and run it as a compiled graph
        (keyword flags of MXNet's CachedOp, static_alloc etc., are accepted)."""
        self._active = active
        self._flags = list(kwargs.items())
        self._clear_cached_op()
        super().hybridize(active, **kwargs)

    def cast(self, dtype):
        self._clear_cached_op()
        super().cast(dtype)

    def _get_graph(self, *args):
        """(input variables, output Symbol): the block traced with ``F = mx.sym`` (once)."""
        if not self._cached_graph:
            flat, self._in_format = _flatten(args, 'input')
            real = [arg for arg in flat if arg is not None]
            if not real:
                raise ValueError('HybridBlock: at least one input must be an NDArray or a '
                                 'Symbol, but all are None')
            names = ['data'] if len(real) == 1 else ['data%d' % i for i in range(len(real))]
            names.reverse()
            inputs = [None if arg is None else symbol.var(names.pop()) for arg in flat]
            grouped, _ = _regroup(inputs, self._in_format)
            params = {key: param.var() for key, param in self._reg_params.items()}
            with self.name_scope():
                out = self.hybrid_forward(symbol, *grouped, **params)
            outputs, self._out_format = _flatten(out, 'output')
            self._cached_graph = ([x for x in inputs if x is not None],
                                  symbol.Group(outputs))
        return self._cached_graph

    def _infer_attrs(self, infer_fn, attr, *args):
        """Set the `attr` (shape or dtype) of every parameter from those of the inputs."""
        inputs, out = self._get_graph(*args)
        flat = [arg for arg in _flatten(args, 'input')[0] if arg is not None]
        arg_attrs, _, aux_attrs = getattr(out, infer_fn)(
            **{var.name: getattr(arg, attr) for var, arg in zip(inputs, flat)})
        if arg_attrs is None:
            raise MXNetError('%s: the parameters of %s cannot be decided from the inputs'
                             % (infer_fn, self.name))
        found = dict(zip(out.list_arguments(), arg_attrs))
        found.update(zip(out.list_auxiliary_states(), aux_attrs))
        for param in self.collect_params().values():
            if param.name in found:
                setattr(param, attr, found[param.name])

    def infer_shape(self, *args):
        """Complete the parameters' shapes from the inputs."""
        self._infer_attrs('infer_shape', 'shape', *args)

    def infer_type(self, *args):
        """Set the parameters' dtypes from the inputs'."""
        self._infer_attrs('infer_type', 'dtype', *args)

    def _deferred_infer_shape(self, *args):
        try:
            self.infer_shape(*args)
        except Exception as err:
            raise ValueError('Deferred initialization failed because shape cannot be '
                             'inferred. %s' % err) from err

    def _finish_deferred(self, args):
        """Complete the shapes and initialize every parameter still waiting for them."""
        self._deferred_infer_shape(*args)
        for param in self.collect_params().values():
            param._finish_deferred_init()

    def _build_cache(self, *args):
        """The CachedOp of the traced graph, and where each of its inputs comes from: an
        input position (int) or a parameter."""
        data, out = self._get_graph(*args)
        positions = {var.name: i for i, var in enumerate(data)}
        params = {param.name: param for param in self.collect_params().values()}
        sources = []
        for name in out.list_inputs():
            if name in positions:
                sources.append(positions[name])
            elif name in params:
                sources.append(params[name])
            else:
                raise MXNetError("HybridBlock %s: the graph's input '%s' is neither an input "
                                 'of the block nor one of its parameters' % (self.name, name))
        self._cached_op = (CachedOp(out, self._flags), sources)

    def _call_cached_op(self, *args):
        if self._cached_op is None:
            self._build_cache(*args)
        op, sources = self._cached_op
        flat, fmt = _flatten(args, 'input')
        if not _same_structure(fmt, self._in_format):
            raise ValueError('The argument structure of HybridBlock does not match the cached '
                             'version. Stored format = %s, input format = %s'
                             % (fmt, self._in_format))
        flat = [arg for arg in flat if arg is not None]
        ctx = flat[0].context
        try:
            inputs = [flat[s] if isinstance(s, int) else s.data(ctx) for s in sources]
        except DeferredInitializationError:
            self._finish_deferred(args)
            inputs = [flat[s] if isinstance(s, int) else s.data(ctx) for s in sources]
        out = op(*inputs)
        if isinstance(out, NDArray):
            out = [out]
        return _regroup(list(out), self._out_format)[0]

    def forward(self, x, *args):
        """Run `hybrid_forward` on NDArrays (compiled when hybridized) or on Symbols."""
        flat = _arrays_in([x] + list(args))
        if not flat:
            raise ValueError('In HybridBlock, there must be one NDArray or one Symbol in the '
                             'input. Please check the type of the args.')
        has_symbol = any(isinstance(arg, Symbol) for arg in flat)
        if has_symbol and not all(isinstance(arg, Symbol) for arg in flat):
            raise ValueError('In HybridBlock, we do not support mixed NDArrays and Symbols types '
                             'for the input. Please check the type of the args.')
        if not has_symbol:
            if self._active:
                return self._call_cached_op(x, *args)
            ctx = flat[0].context
            try:
                params = {key: param.data(ctx) for key, param in self._reg_params.items()}
            except DeferredInitializationError:
                self._finish_deferred([x] + list(args))
                params = {key: param.data(ctx) for key, param in self._reg_params.items()}
            return self.hybrid_forward(ndarray, x, *args, **params)
        params = {key: param.var() for key, param in self._reg_params.items()}
        with self.name_scope():
            return self.hybrid_forward(symbol, x, *args, **params)

    def hybrid_forward(self, F, x, *args, **kwargs):
        """The computation with ``F`` = mx.nd or mx.sym; to be written by subclasses."""
        raise NotImplementedError

    def export(self, path, epoch=0, remove_amp_cast=True):
        """Write the traced graph to ``path-symbol.json`` and the parameters to
        ``path-%04d.params`` (``arg:``/``aux:`` names), as MXNet's checkpoints; needs one
        forward after `hybridize`."""
        if not self._cached_graph:
            raise MXNetError('Please first call block.hybridize() and then run forward with '
                             'this block at least once before calling export.')
        sym = self._cached_graph[1]
        sym_filename = '%s-symbol.json' % path
        sym.save(sym_filename, remove_amp_cast=remove_amp_cast)
        arg_names = set(sym.list_arguments())
        aux_names = set(sym.list_auxiliary_states())
        arrays = {}
        for name, param in self.collect_params().items():
            if name in arg_names:
                arrays['arg:%s' % name] = param._reduce()
            elif name in aux_names:
                arrays['aux:%s' % name] = param._reduce()
            else:
                raise MXNetError("export: parameter '%s' is not used by the traced graph"
                                 % name)
        params_filename = '%s-%04d.params' % (path, epoch)
        ndarray.save(params_filename, arrays)
        return sym_filename, params_filename


def _common_prefix(names):
    if not names:
        return ''
    prefix = names[0]
    for name in names:
        length = 0
        while length < min(len(prefix), len(name)) and prefix[length] == name[length]:
            length += 1
        prefix = prefix[:length]
    return prefix


class SymbolBlock(HybridBlock):
    """A block running a given Symbol: `inputs` are its input variables, every other
    argument and auxiliary state a parameter (shared from `params` where it has them)."""

    def __init__(self, outputs, inputs, params=None):
        super().__init__(prefix=None, params=None)
        self._prefix = ''
        self._params = ParameterDict('', params)
        if isinstance(inputs, Symbol) and len(inputs.list_outputs()) == 1:
            inputs = [inputs]
        if isinstance(outputs, (list, tuple)) and len(outputs) == 1:
            outputs = outputs[0]
        syms, self._in_format = _flatten(inputs, 'input')
        out, self._out_format = _flatten(outputs, 'output')
        out = symbol.Group(out)
        input_names = set()
        for sym in syms:
            if len(sym.get_internals().list_outputs()) != 1:
                raise MXNetError('Input symbols must be variable, but %s is an output of '
                                 'operators' % sym.name)
            input_names.add(sym.name)
        for name in out.list_arguments():
            if name not in input_names:
                self.params.get(name, allow_deferred_init=True)
        for name in out.list_auxiliary_states():
            if name not in input_names:
                self.params.get(name, grad_req='null', allow_deferred_init=True)
        self._cached_graph = syms, out
        prefix_length = len(_common_prefix(list(self._params.keys())))
        self._reg_params = {key[prefix_length:]: value for key, value in self._params.items()}

    @staticmethod
    def imports(symbol_file, input_names, param_file=None, ctx=None, allow_missing=False,
                ignore_extra=False):
        """A SymbolBlock from an exported ``-symbol.json`` (and ``.params``) file."""
        sym = symbol.load(symbol_file)
        if isinstance(input_names, str):
            input_names = [input_names]
        if param_file is None:
            inputs = [symbol.var(name, dtype='float32') for name in input_names]
        else:
            inputs = [symbol.var(name) for name in input_names]
        block = SymbolBlock(sym, inputs)
        if param_file is not None:
            block.collect_params().load(param_file, ctx, allow_missing, ignore_extra,
                                        cast_dtype=True, dtype_source='saved')
        return block

    def forward(self, x, *args):
        if isinstance(x, NDArray):
            return self._call_cached_op(x, *args)
        flat, fmt = _flatten([x] + list(args), 'input')
        if fmt != self._in_format:
            raise MXNetError('SymbolBlock: the inputs are not nested as at construction')
        composed = self._cached_graph[1](**{var.name: arg
                                            for var, arg in zip(self._cached_graph[0], flat)})
        return _regroup(list(composed), self._out_format)[0]

    def _clear_cached_op(self):
        graph = getattr(self, '_cached_graph', ())
        super()._clear_cached_op()
        self._cached_graph = graph

    def cast(self, dtype):
        self._clear_cached_op()
        super().cast(dtype)

    def hybrid_forward(self, F, x, *args, **kwargs):
        raise NotImplementedError


def _indent(text, spaces):
    lines = text.split('\n')
    return '\n'.join(lines[:1] + [' ' * spaces + line for line in lines[1:]])
