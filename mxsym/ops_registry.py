"""The operator registry: one `OpDef` per MXNet operator, declared once with everything about it.

An op declaration holds its MXNet name and aliases, its inputs (some of which may be aux states),
its parameters with MXNet's types and defaults, its outputs, the rule that infers parameter shapes
from data shapes, the dtype rule, and the JAX function that computes it. Parameters travel as
MXNet's attr strings (what ``str(value)`` gives in Python); `Param` types parse them back.
"""
import ast
import difflib
from typing import Any, NamedTuple

import numpy as np

from .base import MXNetError

REQUIRED = object()
# mxsym's own bound on parameters that count an op's outputs (MXNet sets none): a file of a few
# bytes must not ask for millions of output entries.
MAX_OUTPUTS = 1 << 16


# ----------------------------------------------------------------------------------------------
# Parameter types: parse MXNet attr strings, describe themselves as MXNet's docs do.

class ParamType:
    """Parses an attr string into a Python value; `describe` names the type in error messages;
    `violation` says which of the type's bounds a parsed value breaks (None when none)."""

    name = 'string'

    def parse(self, text):
        return text

    def describe(self):
        return self.name

    def violation(self, value):
        return None


def _bound_violation(value, lower, upper):
    """MXNet's wording for a value outside [lower, upper] (either may be None)."""
    if lower is not None and upper is not None and not lower <= value <= upper:
        return 'exceed bound [%s,%s]' % (lower, upper)
    if lower is not None and value < lower:
        return 'should be greater equal to %s' % lower
    if upper is not None and value > upper:
        return 'should be smaller equal to %s' % upper
    return None


class Str(ParamType):
    name = 'string'


class _Number(ParamType):
    """A number `convert` reads, within [lower, upper] where given (MXNet's
    ``set_lower_bound`` / ``set_range``); `invalid` words the error for other text."""

    convert = None
    invalid = ''

    def __init__(self, lower=None, upper=None):
        self.lower, self.upper = lower, upper

    def violation(self, value):
        return _bound_violation(value, self.lower, self.upper)

    def parse(self, text):
        try:
            return self.convert(text.strip())
        except ValueError:
            raise ValueError(self.invalid % text) from None


class Int(_Number):
    name = 'int'
    convert = int
    invalid = 'Invalid Parameter format for int: expect an integer but value=%r'


class Float(_Number):
    name = 'float'
    convert = float
    invalid = 'Invalid Parameter format for float: value=%r'


class Bool(ParamType):
    name = 'boolean'
    _values = {'true': True, 'false': False, '1': True, '0': False}

    def parse(self, text):
        key = text.strip().lower()
        if key not in self._values:
            raise ValueError('Invalid Parameter format for boolean: value=%r' % text)
        return self._values[key]


def _literal(text):
    """Python-literal parse of a tuple/list/int attr, accepting MXNet's spellings (`3L`)."""
    cleaned = text.strip().replace('L', '')
    try:
        return ast.literal_eval(cleaned) if cleaned else ()
    except (ValueError, SyntaxError):
        raise ValueError('Invalid Parameter format for Shape: value=%r' % text) from None


class Shape(ParamType):
    """A tuple of ints: ``(3, 3)``, ``[3,3]``, ``(3L, 3L)``, or a bare ``3`` for ``(3,)``."""

    name = 'Shape(tuple)'

    def __init__(self, allow_none=False, lower=None):
        self.allow_none = allow_none
        self.lower = lower

    def violation(self, value):
        if self.lower is not None and any(d is not None and d < self.lower for d in value):
            return 'should be greater equal to %s in every dimension' % self.lower
        return None

    def parse(self, text):
        value = _literal(text)
        if isinstance(value, (int, type(None))):
            value = (value,)
        if not isinstance(value, (tuple, list)):
            raise ValueError('Invalid Parameter format for Shape: value=%r' % text)
        for item in value:
            if not (isinstance(item, int) and not isinstance(item, bool)
                    or (self.allow_none and item is None)):
                raise ValueError('Invalid Parameter format for Shape: value=%r' % text)
        return tuple(value)


class Enum(ParamType):
    def __init__(self, *choices):
        self.choices = choices

    @property
    def name(self):
        return '{%s}' % ', '.join("'%s'" % c if c != 'None' else c for c in self.choices)

    def parse(self, text):
        if text not in self.choices:
            raise ValueError("Invalid Input: '%s', valid values are: %s" % (text, self.name))
        return None if text == 'None' else text


DTYPE_NAMES = ('bfloat16', 'bool', 'float16', 'float32', 'float64', 'int32', 'int64', 'int8',
               'uint8')


def DType(*names, none=False):
    """An enum of dtype names (MXNet accepts names only, never numeric codes)."""
    return Enum(*((('None',) if none else ()) + (names or DTYPE_NAMES)))


class Optional(ParamType):
    """``None`` or a value of the inner type (MXNet's ``int or None``, ``Shape or None``)."""

    def __init__(self, inner):
        self.inner = inner

    @property
    def name(self):
        return '%s or None' % self.inner.name

    def parse(self, text):
        if text.strip() == 'None':
            return None
        return self.inner.parse(text)

    def violation(self, value):
        return None if value is None else self.inner.violation(value)


class Param:
    """One operator parameter: its type and its default (`REQUIRED` when it must be given)."""

    def __init__(self, ptype, default=REQUIRED):
        self.ptype = ptype
        self.default = default

    @property
    def required(self):
        return self.default is REQUIRED


def format_attr_value(key, value):
    """The attr string MXNet's Python front end stores for a keyword argument."""
    if key == 'dtype':
        return np.dtype(value).name
    return str(_plain(value))


def _plain(value):
    """`value` with numpy scalars as Python numbers, so they print as MXNet's numpy printed
    them (``(1, 0)``, not ``(np.int64(1), np.int64(0))``)."""
    if isinstance(value, np.floating):
        return float(str(value))   # float32 0.1 stays 0.1, as numpy prints it
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (tuple, list)):
        return type(value)(_plain(v) for v in value)
    return value


# ----------------------------------------------------------------------------------------------
# Hidden attributes: keys stored in dunder form and reported twice.

HIDDEN_KEYS = ('ctx_group', 'lr_mult', 'wd_mult', 'force_mirroring', 'mirror_stage')

# Registry name prefixes MXNet also serves as sub-namespaces of mx.sym and mx.nd:
# _linalg_gemm2 is linalg.gemm2.
SUBMODULE_PREFIXES = {'_linalg_': 'linalg', '_contrib_': 'contrib', '_image_': 'image'}

# Symbol and NDArray methods that apply the op of the same name (``x.reshape(shape=...)``).
FLUENT_METHODS = (
    'reshape', 'reshape_like', 'zeros_like', 'ones_like', 'broadcast_axes', 'repeat', 'pad',
    'swapaxes', 'split', 'slice', 'slice_axis', 'slice_like', 'take', 'one_hot', 'pick', 'sort',
    'topk', 'argsort', 'argmax', 'argmax_channel', 'argmin', 'clip', 'abs', 'sign', 'flatten',
    'shape_array', 'size_array', 'expand_dims', 'broadcast_to', 'broadcast_like', 'tile',
    'transpose', 'flip', 'depth_to_space', 'space_to_depth', 'diag', 'sum', 'nansum', 'prod',
    'nanprod', 'mean', 'max', 'min', 'norm', 'round', 'rint', 'fix', 'floor', 'ceil', 'trunc',
    'sin', 'cos', 'tan', 'arcsin', 'arccos', 'arctan', 'degrees', 'radians', 'sinh', 'cosh',
    'tanh', 'arcsinh', 'arccosh', 'arctanh', 'exp', 'expm1', 'log', 'log10', 'log2', 'log1p',
    'sqrt', 'rsqrt', 'cbrt', 'rcbrt', 'square', 'reciprocal', 'relu', 'sigmoid', 'softmax',
    'log_softmax', 'softmin', 'squeeze')


def is_dunder(key):
    return key.startswith('__') and key.endswith('__') and len(key) > 4


def storage_key(key):
    """The key under which an attribute is stored: hidden keys gain double underscores."""
    return '__%s__' % key if key in HIDDEN_KEYS else key


# ----------------------------------------------------------------------------------------------
# Parsed parameters and the op record.

class Params(dict):
    """Parsed parameters of one node, readable as attributes: ``params.num_hidden``."""

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __hash__(self):
        return hash(tuple(sorted((k, repr(v)) for k, v in self.items())))


class RunContext(NamedTuple):
    """What an op's JAX function may ask about the run: training or not, a PRNG key, and a
    control-flow node's subgraphs, lowered (``subgraph(inputs, key) -> outputs``)."""

    is_train: bool
    key: Any
    subgraphs: tuple = ()


class _UndeclaredMode:
    """``ctx.is_train`` of an op that does not declare `reads_mode`: its programs serve
    training and inference alike, so reading the mode is an error in the op's declaration."""

    def __init__(self, op_name):
        self.op_name = op_name

    def __bool__(self):
        raise MXNetError('%s reads the training mode without declaring reads_mode'
                         % self.op_name)


def run_context(op, is_train, key, subgraphs=()):
    """The `RunContext` `op` computes with: the mode only where the op declares it reads it."""
    return RunContext(bool(is_train) if op.reads_mode else _UndeclaredMode(op.name), key,
                      subgraphs)


class OpDef:
    """Everything mxsym knows about one MXNet operator.

    inputs:      every input name in MXNet's order (the Python signature)
    used_inputs: function of the params giving the inputs a node actually has (``no_bias``)
    input_var_attrs: input name -> attrs given to the variable feeding it, unless already set
                 (BatchNorm's ``__init__`` on moving statistics)
    variadic:    name of the count parameter for ops taking ``*data`` (``num_args``)
    aux:         input names that are auxiliary states (MXNet's mutated inputs): an eager call
                 writes the new values `compute` returns for them back into their arrays
    outputs:     output names (hidden ones included), or a function of the params
    num_visible: how many outputs a user sees (function of params; default all)
    params:      name -> `Param`
    compute:     ``compute(params, ctx, *inputs)`` -> tuple of outputs; an op with aux states
                 returns ``(outputs, new_aux_values)``
    param_shapes: ``param_shapes(params, in_shapes)`` -> {input name: shape} for inputs whose
                 shape follows from the others (weights from data); shapes may hold 0 for unknown
    infer_shape: full custom rule ``(params, in_shapes, out_shapes) -> (in_shapes, out_shapes)``
    infer_type:  ``(params, in_types, out_types) -> (in_types, out_types)``; default: all equal
    is_loss:     a loss layer: its gradient ignores the head gradient, which may be omitted
    fills_inputs: function of the params giving {input name: value} for argument arrays MXNet
                 overwrites on each forward when gradients are bound (fix_gamma's gamma = 1)
    random:      the op draws random numbers from ``ctx.key``
    reads_mode:  the compute reads ``ctx.is_train`` (Dropout, BatchNorm): only programs holding
                 such an op differ between training and inference (`run_context` enforces it)
    nondiff_inputs: inputs MXNet gives a zero gradient (indices, labels, lengths): the lowering
                 stops gradients there, and integer arrays may feed them when gradients are
                 requested
    integer_backward: MXNet's backward where integer values take part (JAX autodiff carries
                 no gradient through integers): ``(params, inputs, outputs, heads, forward)``
                 -> one gradient per input (None: zero), each in its input's dtype; `forward`
                 maps inputs to the op's outputs, for rules that differentiate it
                 (mxsym/ops/integer_rules.py builds the common ones)
    channels_last: how the op runs inside a program that holds channels-first activations
                 channels-last (see mxsym/lower.py): 'elementwise' for ops computing per
                 element, run unchanged when every input has the activations' rank; or a
                 function of the params giving the compute for inputs of the data's rank
                 moved channels-last (a weight too: OIHW comes as OHWI), returning outputs of
                 that rank so, or None where the params rule it out
    starts_channels_last: the op moves channels-first data channels-last itself
                 (convolutions, which XLA runs channels-last)
    check_params: ``check_params(params)`` raises MXNetError when the parsed params break a
                 rule that spans several of them (kernel, stride and pad lengths agreeing)
    unnamed_inputs: MXNet registers the op without input names, so a monitor calls its inputs
                 ``input0``, ``input1``, ... rather than the names its function takes
    has_gradient: False for ops MXNet registers without a gradient: binding a graph where a
                 requested gradient would pass through one is an error, as in MXNet
    num_subgraphs: how many graphs a control-flow op's node holds (MXNet's FInputGraph): its
                 compute finds them lowered in ``ctx.subgraphs``, and its shape and dtype rules
                 take a fourth argument, ``through(index, in_values, out_values)``, that infers
                 through subgraph `index` (mxsym/infer.py)
    check_subgraphs: ``check_subgraphs(params, signatures)`` raises MXNetError when the
                 subgraphs, as (number of inputs, number of outputs), do not fit the params
    unknown_axes_kept: partial shape inference leaves output axis i unknown wherever the
                 first input's axis i is, even where the op fixes its size (MXNet's slice rules)
    fills_from_output: for an op without inputs whose params leave its output shape to the
                 graph, ``fills_from_output(params, shape)`` -> {param: attr string} completing
                 them from the inferred output shape (default: unknown dims of `shape`)
    row_attrs:   for a reduction over axes, the attrs that make a node of it reduce axis 1 of
                 a matrix, keeping it: its form on frames of rows (frames.RowFrame)
    settings:    environment variables the compute reads when traced (MXNet's, such as
                 MXNET_SAFE_ACCUMULATION): programs of graphs holding the op are kept apart
                 by their values
    onnx:        the op's ONNX form, ``convert(g, params, *inputs)`` -> its output names, built
                 with `g`, an `mxsym.onnx.export.OnnxGraph` (None: the op has none); declared
                 beside the op with `onnx_form`

    Class attributes: `aux_at_forward`, the op's aux updates are stored at the training
    forward itself (Python custom ops), where other ops' are stored by the following backward,
    as MXNet 1.9.1 stores BatchNorm's moving statistics on CPU; `runs_on_host`, the op calls
    Python on the host (Python custom ops), so no serialized program can hold it.
    """

    aux_at_forward = False
    runs_on_host = False
    onnx = None

    def __init__(self, name, compute, inputs=('data',), params=None, aliases=(), aux=(),
                 outputs=('output',), num_visible=None, variadic=None, param_shapes=None,
                 infer_shape=None, infer_type=None, used_inputs=None, input_var_attrs=None,
                 is_loss=False, fills_inputs=None, random=False, reads_mode=False,
                 nondiff_inputs=(),
                 integer_backward=None, channels_last=None, starts_channels_last=False,
                 check_params=None, unnamed_inputs=False, has_gradient=True, num_subgraphs=0,
                 check_subgraphs=None, unknown_axes_kept=False, settings=(),
                 fills_from_output=None, row_attrs=None):
        self.name = name
        self.aliases = tuple(aliases)
        self.compute = compute
        self.inputs = tuple(inputs)
        self._used_inputs = used_inputs
        self.input_var_attrs = dict(input_var_attrs or {})
        self.params = dict(params or {})
        self.aux = tuple(aux)
        self._outputs = outputs
        self._num_visible = num_visible
        self.variadic = variadic
        self.param_shapes = param_shapes
        self.custom_infer_shape = infer_shape
        self.custom_infer_type = infer_type
        self.is_loss = is_loss
        self.fills_inputs = fills_inputs
        self.random = random
        self.reads_mode = reads_mode
        self.nondiff_inputs = tuple(nondiff_inputs)
        self.integer_backward = integer_backward
        self.channels_last = channels_last
        self.starts_channels_last = starts_channels_last
        self.check_params = check_params
        self.unnamed_inputs = unnamed_inputs
        self.has_gradient = has_gradient
        self.num_subgraphs = num_subgraphs
        self.check_subgraphs = check_subgraphs
        self.unknown_axes_kept = unknown_axes_kept
        self.fills_from_output = fills_from_output
        self.settings = tuple(settings)
        self.row_attrs = row_attrs

    def __repr__(self):
        return '<OpDef %s>' % self.name

    def specialize(self, attrs):
        """The op a node with these attr strings runs: this op itself, except for ops whose
        declaration depends on the attrs (`Custom` takes its op_type's Python declaration)."""
        return self

    def input_names(self, params):
        if self._used_inputs is not None:
            return list(self._used_inputs(params))
        if self.variadic:
            return ['arg%d' % i for i in range(params[self.variadic])]
        return list(self.inputs)

    def output_names(self, params):
        names = self._outputs(params) if callable(self._outputs) else self._outputs
        return list(names)

    def num_outputs(self, params):
        return len(self.output_names(params))

    def num_visible_outputs(self, params):
        if self._num_visible is None:
            return self.num_outputs(params)
        return self._num_visible(params)

    def split_result(self, result):
        """(outputs, new aux values) from what `compute` returned (aux values: () for ops
        without aux states)."""
        return result if self.aux else (result, ())

    def completed_by_output(self, params, shape):
        """{param: attr string} completing the params of an op without inputs from its
        inferred output `shape`, as MXNet fills them (Gluon's RNN begin states
        ``_zeros((L, 0, H))``); {} when they are complete."""
        if self.fills_from_output is not None:
            return self.fills_from_output(params, shape)
        given = params.get('shape')
        if isinstance(given, tuple) and not (given and all(d > 0 for d in given)):
            return {'shape': str(tuple(shape))}
        return {}

    def is_aux_input(self, params, index):
        return self.input_names(params)[index] in self.aux

    def sort_arguments(self, args, kwargs, is_array):
        """MXNet's calling convention for an op function: (inputs, parameter values).

        Positional arrays fill the inputs in order (for variadic ops every positional argument is
        an input); further positional values fill the parameters in declaration order. Keyword
        arrays are named inputs (None: not given); every other keyword is a parameter or an
        attribute. Inputs come
        back as a list for variadic ops, else as {input name: array}.
        """
        arrays = {k: v for k, v in kwargs.items() if is_array(v)}
        values = {k: v for k, v in kwargs.items()
                  if not is_array(v) and not (v is None and k in self.inputs)}
        if self.variadic:
            if arrays:
                raise TypeError('%s takes its inputs as positional arguments only' % self.name)
            for arg in args:
                if not is_array(arg):
                    raise TypeError('Positional arguments must be Symbol instances, but got %s'
                                    % str(arg))
            return list(args), values
        if len(args) > len(self.inputs) + len(self.params):
            raise TypeError('%s takes at most %d positional arguments'
                            % (self.name, len(self.inputs) + len(self.params)))
        for input_name, arg in zip(self.inputs, args):
            if arg is None:
                continue
            if not is_array(arg):
                raise TypeError('%s: argument %s must be an array or symbol, but got %r'
                                % (self.name, input_name, arg))
            arrays[input_name] = arg
        values.update(zip(self.params, args[len(self.inputs):]))
        return arrays, values

    def call_attrs(self, args, kwargs, is_array):
        """A Python call of the op, as `mx.sym.<op>` and `mx.nd.<op>` take it: (the op its
        attrs make it, the inputs as `sort_arguments` gives them, the attr strings MXNet
        stores, with a variadic op's count filled in)."""
        inputs, values = self.sort_arguments(args, kwargs, is_array)
        attrs = {storage_key(k): format_attr_value(k, v) for k, v in values.items()}
        if self.variadic:
            attrs.setdefault(self.variadic, str(len(inputs)))
        return self.specialize(attrs), inputs, attrs

    def parse_params(self, attrs, node_name=''):
        """Parse a node's attr strings into `Params`, filling defaults; MXNet's errors on misuse."""
        parsed = Params()
        where = '%s (%s)' % (node_name, self.name) if node_name else self.name
        for key, text in attrs.items():
            if is_dunder(key) or key in HIDDEN_KEYS:
                continue
            if key not in self.params:
                raise MXNetError(
                    "%s: Cannot find argument '%s'. Possible arguments: %s%s"
                    % (where, key, ', '.join(self.params) or '(none)', _suggest(key, self.params)))
            ptype = self.params[key].ptype
            try:
                parsed[key] = ptype.parse(text)
            except ValueError as err:
                raise MXNetError('%s: parameter %s: %s' % (where, key, err)) from None
            problem = ptype.violation(parsed[key])
            if problem:
                raise MXNetError('%s: value %s for Parameter %s %s' % (where, text, key, problem))
        for key, param in self.params.items():
            if key in parsed:
                continue
            if param.required:
                raise MXNetError('%s: Required parameter %s of %s is not presented'
                                 % (where, key, param.ptype.describe()))
            parsed[key] = param.default
        if self.check_params is not None:
            try:
                self.check_params(parsed)
            except MXNetError as err:
                raise MXNetError('%s: %s' % (where, err)) from None
        return parsed


def _suggest(key, names):
    close = difflib.get_close_matches(key, list(names), n=1)
    return "; did you mean '%s'?" % close[0] if close else ''


_REGISTRY = {}


def register(name, **kwargs):
    """Decorator declaring an operator whose JAX function is the decorated one."""
    def decorate(compute):
        add(OpDef(name, compute, **kwargs))
        return compute
    return decorate


def onnx_form(*names):
    """Decorator declaring the ONNX form (`OpDef.onnx`) of the registered ops `names`."""
    def decorate(convert):
        for name in names:
            get(name).onnx = convert
        return convert
    return decorate


def add(op):
    """Add a declared op under its name and aliases."""
    for key in (op.name,) + op.aliases:
        if key in _REGISTRY:
            raise ValueError('operator %s is registered twice' % key)
        _REGISTRY[key] = op
    return op


def get(name):
    """The op registered under a name or alias; an error suggesting near names otherwise.
    (Reach it as `mxsym.ops.get`, whose import declares every built-in op.)"""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise MXNetError("unknown operator '%s'%s" % (name, _suggest(name, _REGISTRY))) from None


def all_ops():
    """Registered names (canonical and aliases) mapped to their ops (as `get`, reach it as
    `mxsym.ops.all_ops`)."""
    return dict(_REGISTRY)


def cached_per_registry(build):
    """Memoise a function of the registry, rebuilding it whenever ops were added since (a
    lookup made while the op modules are still importing must not freeze a partial view)."""
    memo = {}

    def cached():
        size = len(_REGISTRY)
        if memo.get('size') != size:
            memo['value'], memo['size'] = build(), size
        return memo['value']
    cached.__doc__ = build.__doc__
    return cached
