"""`mx.nd.<op>`: every registered operator as an eager function on arrays.

The same `OpDef` that a Symbol node lowers to runs here directly on the arrays' `jax.Array`s,
so ``mx.nd.FullyConnected(x, w, b, num_hidden=3)`` and a bound symbol agree. Each (op, attrs,
training mode) gets one `OpProgram`, compiled once per input shapes and dtypes (quickly where
the arrays are small: compile_options); while autograd records, each call goes on the tape
(tape.py) with its program. The array class (`NDArray`, which holds a `jax.Array` as ``_data``
and builds from one and a context) is given by ndarray/, which sits above this module.
"""
import os
from types import SimpleNamespace

import jax

from . import frames, mxnet_rng, ops, prng, profile_trace, tape
from .base import MXNetError, host_failures_raised, named_function
from .compilation_cache import CachedJit
from .context import current_context
from .ops.reduce import reduced_axes
from .ops_registry import SUBMODULE_PREFIXES, run_context
from .util import is_np_shape


# ---- one compiled program per (op, attrs, mode) ----

# What jax.jit raises for an op whose result needs its inputs' values on the host.
_NEEDS_VALUES = (jax.errors.ConcretizationTypeError, jax.errors.TracerArrayConversionError,
                 jax.errors.TracerIntegerConversionError)


class OpProgram:
    """An op with parsed params in one mode: ``program(key, *inputs)`` -> outputs followed by
    new aux values, compiled once per input shapes and dtypes.

    Ops that call Python on the host, or whose output shapes depend on input values, run
    uncompiled (found out on the first call that needs concrete values)."""

    def __init__(self, op, attrs, is_train):
        self.op, self.attrs, self.is_train = op, attrs, is_train
        self.params = params = op.parse_params(attrs)
        self.num_outputs = op.num_outputs(params)
        self.num_visible = op.num_visible_outputs(params)
        names = op.input_names(params)
        self.nondiff = tuple(i for i, name in enumerate(names) if name in op.nondiff_inputs)
        self.aux_positions = tuple(i for i, name in enumerate(names) if name in op.aux)
        # an elementwise op's or a reduction's first call at new shapes runs on a frame
        # (frames.py)
        frameable = frames.frameable(op) or op.row_attrs is not None
        self._on_frames = CachedJit(self._run_on_frame, None,
                                    profile_trace.op_program_name(op.name), quick=True) \
            if frameable else None
        self._compiled = None if op.runs_on_host else CachedJit(
            self._run, None, profile_trace.op_program_name(op.name),
            first_run=self._first_run if frameable else None)

    def _run(self, key, *inputs):
        inputs = list(inputs)
        for position in self.nondiff:
            inputs[position] = jax.lax.stop_gradient(inputs[position])
        result = self.op.compute(self.params, run_context(self.op, self.is_train, key), *inputs)
        outputs, aux_values = self.op.split_result(result)
        return tuple(outputs) + tuple(aux_values)

    def _run_on_frame(self, flat_inputs, indices, key):
        return self._run(key, *frames.gathered(flat_inputs, indices))

    def _first_run(self, key, *inputs):
        """The outputs of a first call at these input shapes and dtypes, on a frame; None
        where none fits."""
        shapes = [x.shape for x in inputs]
        try:
            _, out_shapes = self.op.custom_infer_shape(
                self.params, shapes, [None] * self.num_outputs, self.op.input_names(self.params))
        except MXNetError:
            return None   # the exact program's trace raises it, naming the op
        if self.op.row_attrs is None:
            frame, program = frames.Frame.of(shapes, out_shapes), self._on_frames
        else:   # run by the op reducing rows, whatever axes this call reduces
            axes = reduced_axes(len(shapes[0]), self.params.axis,
                                self.params.get('exclude', False))
            frame = frames.RowFrame.of(shapes[0], axes, out_shapes[0])
            program = op_program(self.op, dict(self.attrs, **self.op.row_attrs),
                                 self.is_train)._on_frames
        if frame is None:
            return None
        return tuple(frame.forward(program, inputs, key, inputs[0].devices().pop()))

    def __call__(self, key, *inputs):
        if self._compiled is not None:
            try:
                return self._compiled(key, *inputs)
            except _NEEDS_VALUES:
                self._compiled = None
        return self._run(key, *inputs)


_programs = {}


def op_program(op, attrs, is_train):
    """The `OpProgram` of an op called with these attr strings in the current shape mode and
    under the current values of the settings it reads (parsed once, checked on every call
    until it parses); one for both modes unless the op reads the mode."""
    is_train = bool(is_train) and op.reads_mode
    settings = tuple(map(os.environ.get, op.settings)) if op.settings else ()
    cache_key = (op, tuple(sorted(attrs.items())), is_train, is_np_shape(), settings)
    program = _programs.get(cache_key)
    if program is None:
        program = _programs[cache_key] = OpProgram(op, attrs, is_train)
    return program


def invoke(op_name, args, kwargs, array_type):
    """Run one op on arrays of `array_type`; one array per visible output (a list when there
    are several)."""
    op = ops.get(op_name)
    kwargs = dict(kwargs)
    out = kwargs.pop('out', None)
    placed = kwargs.pop('ctx', None)
    kwargs.pop('name', None)
    op, inputs, attrs = op.call_attrs(args, kwargs, lambda v: isinstance(v, array_type))
    program = op_program(op, attrs, tape.is_training())
    names = op.input_names(program.params)
    if not op.variadic:
        missing = [n for n in names if n not in inputs]
        if missing:
            raise TypeError('%s: missing input %s (inputs are %s)'
                            % (op.name, ', '.join(missing), ', '.join(names)))
        inputs = [inputs[n] for n in names]
    ctx = placed or (inputs[0].context if inputs else current_context())
    if op.random and ctx.device_type != 'gpu':
        drawn = mxnet_rng.sample(op.name, program.params, [x._data for x in inputs],
                                 getattr(out, 'dtype', None))
        if drawn is not None:   # MXNet's CPU draws: constants, as samplers pass no gradient
            if out is None:
                return array_type(jax.device_put(drawn, ctx.jax_device), ctx)
            return _returned(drawn, out)
    key = prng.next_key() if op.random else None
    try:
        with host_failures_raised(op.name):
            result = program(key, *[x._data for x in inputs])
    except (TypeError, ValueError) as err:
        shapes = ', '.join(str(x.shape) for x in inputs)
        raise MXNetError('%s: inputs of shapes %s do not fit: %s' % (op.name, shapes, err)) \
            from None
    for position, value in zip(program.aux_positions, result[program.num_outputs:]):
        inputs[position]._set_data(value)
    visible = [array_type(value, ctx) for value in result[:program.num_visible]]
    tape.record(program, [key] + inputs, visible, op.name, attrs)
    return _returned(visible[0] if len(visible) == 1 else visible, out)


def _returned(result, out):
    """`result` (an array, a list of them or host values), or `out` after the result is written
    into it."""
    if out is None:
        return result
    targets = out if isinstance(out, (list, tuple)) else [out]
    for target, value in zip(targets, result if isinstance(result, list) else [result]):
        target[:] = value
    return out


def _function(op_name, func_name, array_type):
    def function(*args, **kwargs):
        return invoke(op_name, args, kwargs, array_type)
    return named_function(function, func_name,
                          'Run the MXNet operator %s eagerly on NDArrays.' % op_name)


def op_functions(array_type):
    """{name: eager function on `array_type`} for every registered op name, plus `_internal`
    and the sub-namespaces (``contrib``, ``linalg``, ...) under their short names."""
    public, internal = {}, {}
    submodules = {name: {} for name in SUBMODULE_PREFIXES.values()}
    for func_name, op in ops.all_ops().items():
        function = _function(op.name, func_name, array_type)
        if func_name.startswith('_'):
            internal[func_name] = function
            for prefix, submodule in SUBMODULE_PREFIXES.items():
                if func_name.startswith(prefix):
                    short = func_name[len(prefix):]
                    submodules[submodule][short] = _function(op.name, short, array_type)
        else:
            public[func_name] = function
    public['_internal'] = SimpleNamespace(**internal)
    public.update({name: SimpleNamespace(**functions) for name, functions in submodules.items()})
    return public
