"""Executors: a symbol bound to arrays, run as compiled XLA programs.

An executor runs the programs of its graph's `CompiledGraph` (compiled_graph.py), shared by
every executor of the same graph and compiled once per (mode, grad_req, shapes, dtypes). A
training forward keeps JAX's VJP residuals, so `backward` applies the pullback without running
the forward again.
"""
import copy
import functools
import os
from collections import OrderedDict

import jax
import jax.numpy as jnp
import numpy as np

from . import allocation, compile_options, frames, ndarray as nd, profile_trace, prng
from .base import MXNetError, host_failures_raised, switched_off
from .compiled_graph import compiled_graph, loss_head, trainable_indices, vectors_first
from .context import Context
from .graph import differentiated_inputs, gradient_carriers, gradient_path
from .graph_passes import eliminate_common_expressions
from .infer import infer_shape_table, infer_type_table
from .monitor import debug_text, monitored_slots
from .ops.reduce import reduced_axes
from .ops.rules import c_cast
from .util import is_np_shape

GRAD_REQS = ('write', 'add', 'null')


def _in_order(values, positions):
    """Undo a reordering: values[k] belongs at positions[k]."""
    ordered = [None] * len(values)
    for position, value in zip(positions, values):
        ordered[position] = value
    return ordered


def _zeros(shape, dtype, ctx):
    """A zero-filled NDArray, copied from the host: filling it on the device would compile a
    program per shape, which costs more than the copy."""
    return nd.NDArray(jax.device_put(np.zeros(shape, jnp.dtype(dtype)), ctx.jax_device), ctx)


def _arrays_in_order(values, names, what, allow_missing=False):
    """A list of NDArrays (or None) in `names` order, from a list or a dict."""
    if values is None:
        if allow_missing:
            return [None] * len(names)
        values = {}
    if isinstance(values, dict):
        missing = [n for n in names if n not in values]
        if missing and not allow_missing:
            raise MXNetError('bind: %s misses %s (needs %s)' % (what, missing, names))
        return [values.get(n) for n in names]
    values = list(values)
    if len(values) != len(names):
        raise MXNetError('bind: %s has %d arrays but the symbol needs %d (%s)'
                         % (what, len(values), len(names), ', '.join(names)))
    return values


def _grad_reqs(grad_req, names, grad_arrays):
    if isinstance(grad_req, str):
        reqs = [grad_req] * len(names)
    elif isinstance(grad_req, dict):
        reqs = [grad_req.get(n, 'null') for n in names]
    else:
        reqs = list(grad_req)
        if len(reqs) != len(names):
            raise MXNetError('bind: grad_req has %d entries but the symbol has %d arguments'
                             % (len(reqs), len(names)))
    for req in reqs:
        if req not in GRAD_REQS:
            raise MXNetError("bind: grad_req %r is not one of 'write', 'add', 'null'" % req)
    return tuple('null' if array is None else req for req, array in zip(reqs, grad_arrays))


def _integer_values(nodes, type_table, requested_args):
    """Integer-typed values a requested gradient would have to pass through (JAX autodiff
    cannot; MXNet differentiates them in integer arithmetic). Integers feeding inputs that
    MXNet never differentiates (indices, labels) are fine: their gradient is zero."""
    def is_integer(entry):
        dtype = type_table.get(entry)
        return dtype is not None and not jnp.issubdtype(jnp.dtype(dtype), jnp.inexact)

    carriers, found = gradient_carriers(nodes, requested_args), []
    for node in nodes:
        if node.op is None or id(node) not in carriers:
            continue
        found += ['%s feeds %s' % (entry[0].describe(), node.describe())
                  for entry in differentiated_inputs(node, carriers) if is_integer(entry)]
        found += ['%s gives an integer output' % node.describe()
                  for i in range(node.num_visible_outputs) if is_integer((node, i))][:1]
    return found


def _with_inferred_shapes(symbol, nodes, shape_table):
    """The symbol, or a copy of it in which the ops without inputs that leave their output
    shape to the graph (unknown dims in `shape`, arange's infer_range) have params completed
    from shape inference, as MXNet completes them."""
    fills = {}
    for i, node in enumerate(nodes):
        shape = shape_table.get((node, 0)) if node.op is not None and not node.op.inputs else None
        if shape and all(shape):
            attrs = node.op.completed_by_output(node.params, shape)
            if attrs:
                fills[i] = attrs
    if not fills:
        return symbol
    resolved = copy.copy(symbol)
    resolved_nodes = resolved._nodes()
    for i, attrs in fills.items():
        node = resolved_nodes[i]
        node.attrs.update(attrs)
        node.params = node.op.parse_params(node.attrs, node.name)
    return resolved


def _aux_stored_at_forward(symbol, aux_names):
    """Positions of the aux states whose op stores its update at the training forward."""
    names = set()
    for node in symbol._nodes():
        if node.op is not None and node.op.aux_at_forward:
            names.update(source.name for (source, _), name in zip(node.inputs, node.input_names())
                         if name in node.op.aux and source.op is None)
    return [i for i, name in enumerate(aux_names) if name in names]


def _planned_bytes(nodes, heads, gradient_path, size):
    """An estimate of the memory a graph executor plans for the intermediate values (the
    "Total N MB allocated" of `debug_str`): the peak of the values alive at once, each freed
    after its last use, except that values on a gradient path stay for the backward, which
    adds two buffers of gradients in flight."""
    last_use = {}
    for position, node in enumerate(nodes):
        for source, index in node.inputs:
            last_use[(id(source), index)] = position
    alive, peak, kept, largest = {}, 0, 0, 0
    for position, node in enumerate(nodes):
        if node.op is None:
            continue
        for index in range(node.num_outputs):
            entry = (node, index)
            if entry in heads:
                continue
            if id(node) in gradient_path:
                kept += size(entry)
                largest = max(largest, size(entry))
            else:
                alive[(id(node), index)] = size(entry)
        peak = max(peak, kept + sum(alive.values()))
        for key in [k for k in alive if last_use.get(k, -1) <= position]:
            del alive[key]
    return peak + 2 * largest


class Executor:
    """A symbol bound to argument, gradient and aux arrays on one context."""

    def __init__(self, symbol, ctx, args, args_grad=None, grad_req='write', aux_states=None,
                 _inferred=None):
        """`_inferred`: the (shape nodes, shape table, type nodes, type table) simple_bind
        already computed for these arrays, so they are not inferred twice."""
        if not isinstance(ctx, Context):
            raise TypeError('bind: ctx must be a Context, got %r' % (ctx,))
        self._symbol = symbol
        self._ctx = ctx
        self._compiled = compiled_graph(symbol)
        program = self._compiled.program
        self._uses_random = program.uses_random
        self._arg_names = program.arg_names
        self._aux_names = program.aux_names
        self.arg_arrays = _arrays_in_order(args, self._arg_names, 'args')
        self.grad_arrays = _arrays_in_order(args_grad, self._arg_names, 'args_grad',
                                            allow_missing=True)
        self.aux_arrays = _arrays_in_order(aux_states, self._aux_names, 'aux_states')
        for name, array in zip(self._arg_names + self._aux_names,
                               self.arg_arrays + self.aux_arrays):
            if not isinstance(array, nd.NDArray):
                raise TypeError('bind: %s must be an NDArray, got %r' % (name, type(array)))
        self._grad_reqs = _grad_reqs(grad_req, self._arg_names, self.grad_arrays)
        self._grads_vectors_first = vectors_first(
            [self.grad_arrays[i] for i in trainable_indices(self._grad_reqs)])
        self.outputs = self._allocate_outputs(_inferred)
        self._filled_args = self._args_filled_on_forward()
        self._pullback = self._pending_grads = None
        # a training forward's inputs, for a backward that runs from them again: the integer
        # backward, or the one-program pass of a graph of small arrays
        self._integer_inputs = self._train_pass_inputs = None
        self._inference_inputs = None  # an inference forward's, for a backward after it
        self._frame_pass_inputs = None  # a first training forward's on a frame (frames.py)
        self._has_run = False
        self._pending_aux = None
        self._aux_at_forward = _aux_stored_at_forward(symbol, self._aux_names)
        self._monitor = None
        self._merges_common_expressions = not switched_off(os.environ,
                                                           'MXNET_ELIMINATE_COMMON_EXPR')

    def _args_filled_on_forward(self):
        """(array, value) pairs MXNet overwrites on each forward when gradients are bound:
        BatchNorm's gamma under fix_gamma is reset to ones."""
        if all(req == 'null' for req in self._grad_reqs):
            return []
        arrays = dict(zip(self._arg_names, self.arg_arrays))
        filled = []
        for node in self._symbol._nodes():
            if node.op is None or node.op.fills_inputs is None:
                continue
            for input_name, value in node.op.fills_inputs(node.params).items():
                source = node.inputs[node.input_names().index(input_name)][0]
                if source.op is None and source.name in arrays:
                    array = arrays[source.name]
                    filled.append((array, jax.device_put(
                        np.full(array.shape, value, array.dtype), self._ctx.jax_device)))
        return filled

    def _allocate_outputs(self, inferred=None):
        """Output arrays of the inferred shapes and dtypes (checks the bound shapes agree)."""
        if inferred is None:
            shapes = {n: a.shape for n, a in zip(self._arg_names + self._aux_names,
                                                  self.arg_arrays + self.aux_arrays)}
            types = {n: a.dtype for n, a in zip(self._arg_names + self._aux_names,
                                                 self.arg_arrays + self.aux_arrays)}
            shape_nodes, shape_table = infer_shape_table(self._symbol, shapes)
            nodes, type_table = infer_type_table(self._symbol, {k: jnp.dtype(v).name
                                                                for k, v in types.items()})
        else:
            shape_nodes, shape_table, nodes, type_table = inferred
        resolved = _with_inferred_shapes(self._symbol, shape_nodes, shape_table)
        self._op_shapes = {shape_table.get((node, i)) for node in shape_nodes
                           if node.op is not None for i in range(node.num_outputs)}
        if resolved is not self._symbol:
            self._compiled = compiled_graph(resolved)
        requested = {n for n, req in zip(self._arg_names, self._grad_reqs) if req != 'null'}
        self._integer_values = _integer_values(nodes, type_table, requested)
        on_path = gradient_path(nodes, self._symbol._outputs, requested)
        for node in nodes:
            if id(node) in on_path and node.op is not None and not node.op.has_gradient:
                raise MXNetError('bind: %s is on the gradient path of %s, but operator %s is '
                                 'non-differentiable (MXNet registers no gradient for it); '
                                 "set grad_req='null' for those arguments or stop the gradient "
                                 'with BlockGrad' % (node.describe(), ', '.join(sorted(requested)),
                                                      node.op.name))
        self._heads_carry_gradient = [id(node) in on_path for node, _ in self._symbol._outputs]
        self._gradient_path = on_path
        traced = None
        layouts = []
        for index, (entry, name) in enumerate(zip(self._symbol._outputs,
                                                  self._symbol.list_outputs())):
            shape, dtype = shape_table.get(entry), type_table.get(entry)
            if (shape is None or not all(shape)) and is_np_shape():
                # zero-size dims, which inference holds as unknown
                traced = traced or self._traced_output_shapes()
                shape = traced[index]
            elif shape is not None and not all(shape):
                shape = None
            if shape is None or dtype is None:
                raise MXNetError('bind: cannot infer the shape and dtype of output %s' % name)
            layouts.append((name, shape, dtype))
        allocation.check_fits(layouts, self._ctx.jax_device, 'bind')
        return [_zeros(shape, dtype, self._ctx) for _, shape, dtype in layouts]

    def _traced_output_shapes(self):
        """The output shapes a trace of the graph on the bound arrays gives (NumPy-shape
        mode, where zero-size dims are real)."""
        def spec(array):
            return jax.ShapeDtypeStruct(array.shape, jnp.dtype(array.dtype))
        key = jax.random.PRNGKey(0) if self._compiled.program.uses_random else None
        outputs, _ = jax.eval_shape(functools.partial(self._compiled.program.run, is_train=False),
                                    [spec(a) for a in self.arg_arrays],
                                    [spec(a) for a in self.aux_arrays], key)
        return [tuple(o.shape) for o in outputs]

    # ------------------------------------------------------------------ running
    def _values(self, arrays):
        return [a._data for a in arrays]

    def forward(self, is_train=False, **kwargs):
        """Run the graph. A training forward computes new aux states (BatchNorm's moving
        statistics); like MXNet 1.9.1 on CPU, they are stored by the following backward."""
        for name, value in kwargs.items():
            if name not in self.arg_dict:
                raise MXNetError('forward: unknown argument %s; arguments are %s'
                                 % (name, self._arg_names))
            self.arg_dict[name][:] = value
        # A monitor sees the arguments as given: MXNet fills them inside the op.
        given_args = self._values(self.arg_arrays) if self._monitor is not None else None
        for array, value in self._filled_args:
            array._set_data(value)
        args, aux = self._values(self.arg_arrays), self._values(self.aux_arrays)
        key = prng.next_key() if self._uses_random else None
        self._pullback = self._pending_grads = self._train_pass_inputs = None
        self._frame_pass_inputs = None
        self._integer_inputs = (args, aux, key) if is_train and self._integer_values else None
        self._inference_inputs = None if is_train else (args, aux, key)
        frame = None if self._has_run else self._first_frame(bool(is_train))
        self._has_run = True
        with host_failures_raised('forward'):
            if frame is not None:
                outputs, new_aux = self._run_on_frame(*frame, bool(is_train), args, key), aux
            else:
                outputs, new_aux = self._run(bool(is_train), args, aux, key)
        for array, value in zip(self.outputs, outputs):
            array._set_data(value)
        self._pending_aux = new_aux if is_train else None
        if is_train:
            for i in self._aux_at_forward:
                self.aux_arrays[i]._set_data(new_aux[i])
        if self._monitor is not None:
            self._report_to_monitor(given_args, aux, key, bool(is_train))
        return self.outputs

    def _run(self, is_train, args, aux, key):
        """(outputs, new aux) of one forward; a training forward of a differentiable graph
        also keeps what its backward needs (the gradients themselves for loss graphs)."""
        if is_train and self._differentiable and self._all_outputs_are_losses:
            old_grads = [self.grad_arrays[i]._data for i in trainable_indices(self._grad_reqs)]
            outputs, new_aux, grads = self._compiled.train_step(self._grad_reqs)(
                args, aux, key, old_grads)
            self._pending_grads = _in_order(grads, self._grads_vectors_first)
        elif (is_train and self._differentiable and self._small
              and not profile_trace.RECORDING.symbolic):   # (a profile shows one backward)
            # the outputs stand in for the heads: any arrays of their shapes and dtypes
            outputs, new_aux, _ = self._train_pass(
                args, aux, key, [output._data for output in self.outputs])
            self._train_pass_inputs = (args, aux, key)
        elif is_train and self._differentiable:
            train_forward = self._compiled.train_forward(self._grad_reqs)
            outputs, new_aux, self._pullback = train_forward(args, aux, key)
        else:
            outputs, new_aux = self._compiled.forward(is_train)(args, aux, key)
        return outputs, new_aux

    def _first_frame(self, is_train):
        """(the frame a first forward runs on, the `CompiledGraph` running it) for an
        elementwise graph (frames.Frame) or one reduction (frames.RowFrame); else None."""
        if self._monitor is not None or profile_trace.RECORDING.symbolic:
            return None
        program = self._compiled.program
        if frames.elementwise(program):
            frame = frames.Frame.of([a.shape for a in self.arg_arrays],
                                    [o.shape for o in self.outputs])
            if (frame is not None and is_train and self._differentiable
                    and self._op_shapes != {frame.shape}):
                # an op before a broadcast: on the frame its gradient would be summed over
                # the broadcast copies after that op's derivative, not before, as MXNet sums
                return None
            return None if frame is None else (frame, self._compiled)
        rows = self._compiled.row_graph
        if rows is None:
            return None
        (shape,), params = [a.shape for a in self.arg_arrays], program.steps[0].params
        frame = frames.RowFrame.of(shape, reduced_axes(len(shape), params.axis,
                                                       params.get('exclude', False)),
                                   self.outputs[0].shape)
        return None if frame is None else (frame, rows)

    def _run_on_frame(self, frame, graph, is_train, args, key):
        """The outputs of a forward on `frame` by `graph`'s programs; a training one also
        keeps what its backward needs."""
        device = self._ctx.jax_device
        if not (is_train and self._differentiable):
            return frame.forward(graph.frame_forward(), args, key, device)
        self._frame_pass_inputs = (frame, graph, frame.pack_args(args, device),
                                   frame.placed_indices(device), key)
        outputs, _ = self._frame_pass([np.zeros(frame.out_layout, output.dtype)
                                       for output in self.outputs])
        return frame.unpack_outputs(outputs, device)

    def _frame_pass(self, heads):
        """(frame outputs, flat gradients) of `CompiledGraph.frame_train_pass` on the last
        forward's frame, for head gradients of the output shape."""
        frame, graph, packed, indices, key = self._frame_pass_inputs
        device = self._ctx.jax_device
        wanted = trainable_indices(self._grad_reqs)
        old = frame.pack_args([self.grad_arrays[i]._data for i in wanted], device)
        return graph.frame_train_pass(self._grad_reqs)(
            packed, indices, key, frame.pack_frame(heads, device), old,
            [self._grad_reqs[i] == 'add' for i in wanted])

    def set_monitor_callback(self, callback, monitor_all=False):
        """Call ``callback(name, handle)`` on every later forward for each op's outputs (and,
        with `monitor_all`, first for its inputs), named and ordered as MXNet's executor does.
        As from MXNet's C API, the name is bytes and the array an ``NDArrayHandle`` value,
        read with ``NDArray(ctypes.cast(handle, NDArrayHandle))`` during the call. Backward
        reports nothing: JAX differentiates the graph as a whole, so MXNet's per-node
        ``*_backward_*`` values do not exist."""
        self._monitor = (callback, monitor_all,
                         monitored_slots(self._symbol, self._compiled.program, monitor_all))

    def _copy_monitor_to(self, executor):
        """Install this executor's monitor callback, if any, on `executor` (one reshaped from
        it), as MXNet's reshape does."""
        if self._monitor is not None:
            executor.set_monitor_callback(*self._monitor[:2])

    def _report_to_monitor(self, args, aux, key, is_train):
        callback, _, reports = self._monitor
        values, _ = self._compiled.all_values(is_train)(args, aux, key)
        for name, slot in reports:
            array = nd.NDArray(values[slot], self._ctx)
            callback(name.encode(), array.handle.value)

    def get_optimized_symbol(self):
        """The graph as MXNet runs it: common expressions merged unless
        MXNET_ELIMINATE_COMMON_EXPR=0 was set when it was bound."""
        if not self._merges_common_expressions:
            return self._symbol
        return type(self._symbol)(eliminate_common_expressions(self._symbol._outputs))

    def reshape(self, partial_shaping=False, allow_up_sizing=False, **kwargs):
        """An executor for new argument shapes (`kwargs`) sharing this one's memory: arrays
        whose shape stays are shared, smaller ones are views of the old ones, larger ones are
        new (only with `allow_up_sizing`). An argument not named whose shape changes is an
        error unless `partial_shaping`."""
        given = {k: tuple(v) for k, v in kwargs.items() if isinstance(v, tuple)}
        old_shapes = dict(zip(self._arg_names, (a.shape for a in self.arg_arrays)))
        partial, _, _ = self._symbol.infer_shape_partial(**given)
        known = {name: shape for name, shape in zip(self._arg_names, partial)
                 if shape and all(d > 0 for d in shape)}
        arg_shapes, _, aux_shapes = self._symbol.infer_shape(**{**old_shapes, **known})

        def resized(name, array, shape, named):
            if array is None or array.shape == shape:
                return array
            if not (named or partial_shaping):
                raise MXNetError('reshape: the shape of %s changes from %s to %s but it was not '
                                 'given; pass partial_shaping=True if this is intended'
                                 % (name, array.shape, shape))
            if int(np.prod(shape)) > array.size:
                if not allow_up_sizing:
                    raise MXNetError('reshape: %s grows from %s to %s; pass allow_up_sizing=True '
                                     'to allocate larger arrays' % (name, array.shape, shape))
                return _zeros(shape, array.dtype, self._ctx)
            return nd.NDArray._view(array, 0, shape)
        args = [resized(n, a, s, n in given)
                for n, a, s in zip(self._arg_names, self.arg_arrays, arg_shapes)]
        grads = [resized(n, g, s, n in given)
                 for n, g, s in zip(self._arg_names, self.grad_arrays, arg_shapes)]
        aux = [resized(n, a, s, False) for n, a, s in zip(self._aux_names, self.aux_arrays,
                                                             aux_shapes)]
        reshaped = Executor(self._symbol, self._ctx, args, grads,
                            dict(zip(self._arg_names, self._grad_reqs)), aux)
        reshaped.outputs = [nd.NDArray._view(old, 0, new.shape)
                            if new.size <= old.size and new.dtype == old.dtype else new
                            for old, new in zip(self.outputs, reshaped.outputs)]
        self._copy_monitor_to(reshaped)
        return reshaped

    def debug_str(self):
        """MXNet's listing of the bound graph: heads, variables, each op's inputs and attrs."""
        names = self._arg_names + self._aux_names
        arrays = self.arg_arrays + self.aux_arrays
        nodes, shapes = infer_shape_table(self._symbol, {n: a.shape for n, a in zip(names, arrays)})
        _, types = infer_type_table(self._symbol, {n: jnp.dtype(a.dtype).name
                                                   for n, a in zip(names, arrays)})
        def size(entry):
            return int(np.prod(shapes.get(entry))) * jnp.dtype(types.get(entry)).itemsize
        return debug_text(self._symbol, _planned_bytes(nodes, set(self._symbol._outputs),
                                                       self._gradient_path, size))

    @property
    def _all_outputs_are_losses(self):
        return all(node.op is not None and node.op.is_loss for node, _ in self._symbol._outputs)

    @property
    def _differentiable(self):
        return not self._integer_values and any(req != 'null' for req in self._grad_reqs)

    def backward(self, out_grads=None, is_train=True):
        """Gradients of the arguments for the last training forward, given head gradients
        (loss outputs need none). Also stores that forward's new aux states. Graphs with
        integer values on a gradient path run MXNet's integer backward (integer_grad.py)."""
        wanted = trainable_indices(self._grad_reqs)
        with host_failures_raised('backward'):
            grads = self._gradients(out_grads, wanted)
        if grads is None:
            return
        self._pullback = self._pending_grads = self._integer_inputs = None
        self._train_pass_inputs = self._frame_pass_inputs = None
        for i, value in zip(wanted, grads):
            self.grad_arrays[i]._set_data(value)
        if self._pending_aux is not None:
            for array, value in zip(self.aux_arrays, self._pending_aux):
                array._set_data(value)
            self._pending_aux = None

    def _gradients(self, out_grads, wanted):
        """The requested gradients of the last forward (None when none is requested)."""
        old_grads = [self.grad_arrays[i]._data for i in wanted]
        if self._integer_inputs is not None:
            return self._compiled.integer_backward(self._grad_reqs)(
                *self._integer_inputs, self._head_grads(out_grads), old_grads)
        if self._pending_grads is not None:
            return self._pending_grads
        if self._train_pass_inputs is not None:
            return self._train_pass(*self._train_pass_inputs, self._head_grads(out_grads))[2]
        if self._frame_pass_inputs is not None:
            frame = self._frame_pass_inputs[0]
            _, grads = self._frame_pass(self._head_grads(out_grads))
            return frame.unpack_args(grads, wanted, self._ctx.jax_device)
        if self._pullback is not None:
            return self._compiled.backward(self._grad_reqs)(
                self._pullback, self._head_grads(out_grads), old_grads)
        if not wanted:
            return None
        if not self._differentiable:
            raise MXNetError('backward: call forward(is_train=True) first')
        # MXNet differentiates the last forward whatever its mode (Dropout off, BatchNorm's
        # global statistics in an inference one), and, with none or after a backward, the
        # graph at the arguments' current values
        inputs = self._inference_inputs or (self._values(self.arg_arrays),
                                            self._values(self.aux_arrays),
                                            prng.next_key() if self._uses_random else None)
        _, _, pullback = self._compiled.train_forward(self._grad_reqs, False)(*inputs)
        return self._compiled.backward(self._grad_reqs)(
            pullback, self._head_grads(out_grads), old_grads)

    @functools.cached_property
    def _small(self):
        """Whether every argument, aux state and output is a small array
        (compile_options.QUICK_ELEMENTS), run by one program for forward and backward."""
        return all(array.size <= compile_options.QUICK_ELEMENTS
                   for array in self.arg_arrays + self.aux_arrays + self.outputs)

    def _train_pass(self, args, aux, key, heads):
        """(outputs, new aux, gradients) of `CompiledGraph.train_pass`."""
        wanted = trainable_indices(self._grad_reqs)
        return self._compiled.train_pass(self._grad_reqs)(
            args, aux, key, heads, [self.grad_arrays[i]._data for i in wanted],
            [self._grad_reqs[i] == 'add' for i in wanted])

    def _head_grads(self, out_grads):
        if out_grads is None:
            out_grads = []
        elif isinstance(out_grads, nd.NDArray):
            out_grads = [out_grads]
        elif isinstance(out_grads, dict):
            out_grads = [out_grads.get(name) for name in self._symbol.list_outputs()]
        out_grads = list(out_grads) + [None] * (len(self.outputs) - len(out_grads))
        heads = []
        for (node, _), given, output, carries in zip(self._symbol._outputs, out_grads,
                                                     self.outputs, self._heads_carry_gradient):
            if not carries:
                # no gradient reaches the arguments through it (BlockGrad, Proposal): MXNet
                # ignores its head gradient, whatever its shape
                heads.append(_zeros(output.shape, output.dtype, self._ctx)._data)
            elif given is not None:
                # copied into the output's dtype, as MXNet copies it into its head buffer
                given = given._data if isinstance(given, nd.NDArray) else given
                if tuple(np.shape(given)) != output.shape:
                    raise MXNetError('backward: the head gradient of output %d (%s) has shape '
                                     '%s, the output %s (MXNet: operands shape mismatch)'
                                     % (len(heads), node.name, tuple(np.shape(given)),
                                        output.shape))
                if getattr(given, 'dtype', None) != output.dtype:
                    # on the host: converting on the device compiles a program per shape
                    given = jax.device_put(c_cast(np.asarray(given), output.dtype, xp=np),
                                           self._ctx.jax_device)
                heads.append(jnp.asarray(given))
            elif node.op is not None and node.op.is_loss:
                heads.append(loss_head(output._data))
            else:
                raise MXNetError('backward: output %s is not a loss output, so its head '
                                 'gradient is required; pass out_grads (or end the network '
                                 'with a loss layer such as MakeLoss)' % node.name)
        return heads

    # ------------------------------------------------------------------ fused training
    @property
    def compiled_graph(self):
        """The `CompiledGraph` whose programs this executor runs."""
        return self._compiled

    def fused_train_program(self):
        """For a caller compiling more work into the training step (Module adds the optimizer
        update): a pure ``(args, aux, key) -> (outputs, new aux, gradients)``, the gradients
        those of the arguments whose grad_req is not 'null', in argument order. None unless
        every output is a loss layer, no grad_req is 'add' and no gradient is of an integer
        argument."""
        wanted = trainable_indices(self._grad_reqs)
        if (not (self._differentiable and self._all_outputs_are_losses)
                or 'add' in self._grad_reqs
                or any(not jnp.issubdtype(self.arg_arrays[i].dtype, jnp.inexact)
                       for i in wanted)):
            return None
        return functools.partial(self._compiled.loss_gradients, self._grad_reqs)

    def fused_train_inputs(self):
        """``(args, aux, key)`` for `fused_train_program`, prepared as a training forward
        prepares them."""
        for array, value in self._filled_args:
            array._set_data(value)
        key = prng.next_key() if self._uses_random else None
        return self._values(self.arg_arrays), self._values(self.aux_arrays), key

    def store_train_results(self, outputs, new_aux, grads):
        """Keep a fused training step's outputs, new aux states and gradients, as forward
        and backward would."""
        self._pullback = self._pending_grads = self._pending_aux = None
        for array, value in zip(self.outputs, outputs):
            array._set_data(value)
        for array, value in zip(self.aux_arrays, new_aux):
            array._set_data(value)
        for i, value in zip(trainable_indices(self._grad_reqs), grads):
            self.grad_arrays[i]._set_data(value)

    # ------------------------------------------------------------------ views
    @property
    def arg_dict(self):
        return OrderedDict(zip(self._arg_names, self.arg_arrays))

    @property
    def grad_dict(self):
        return OrderedDict(zip(self._arg_names, self.grad_arrays))

    @property
    def aux_dict(self):
        return OrderedDict(zip(self._aux_names, self.aux_arrays))

    @property
    def output_dict(self):
        return OrderedDict(zip(self._symbol.list_outputs(), self.outputs))

    def copy_params_from(self, arg_params, aux_params=None, allow_extra_params=False):
        """Copy parameter values into the bound arrays by name; every name and shape is
        checked before anything is copied."""
        copies = []
        for params, target, what in ((arg_params, self.arg_dict, 'argument'),
                                     (aux_params or {}, self.aux_dict, 'aux state')):
            for name, value in params.items():
                if name in target:
                    if tuple(value.shape) != tuple(target[name].shape):
                        raise MXNetError('copy_params_from: %s %s has shape %s but the bound '
                                         'graph needs %s' % (what, name, tuple(value.shape),
                                                             tuple(target[name].shape)))
                    copies.append((target[name], value))
                elif not allow_extra_params:
                    raise ValueError('Find name "%s" that is not in the %ss' % (name, what))
        for array, value in copies:
            array[:] = value


def simple_bind(symbol, ctx, grad_req, type_dict, shapes):
    """Bind with zero-filled arrays allocated from inferred shapes and dtypes."""
    arg_names = symbol.list_arguments()
    aux_names = symbol.list_auxiliary_states()
    shape_nodes, shape_table = infer_shape_table(symbol,
                                                 {k: tuple(v) for k, v in shapes.items()})
    given_types = {k: jnp.dtype(v).name for k, v in (type_dict or {}).items()}
    variables = {n.name: n for n in symbol._nodes() if n.op is None}
    if type_dict is None:
        for name in arg_names:
            if '__dtype__' not in variables[name].attrs:
                given_types[name] = 'float32'
    type_nodes, type_table = infer_type_table(symbol, given_types)

    def layout(name):
        entry = (variables[name], 0)
        shape, dtype = shape_table.get(entry), type_table.get(entry)
        if shape is None or not all(shape):
            raise MXNetError('simple_bind: cannot infer the shape of %s (got %s); pass its '
                             'shape as a keyword argument' % (name, shape or '?'))
        return name, shape, dtype or 'float32'
    arg_layouts = [layout(n) for n in arg_names]
    aux_layouts = [layout(n) for n in aux_names]
    reqs = _grad_reqs(grad_req, arg_names, arg_layouts)
    grad_layouts = [(name + ' (gradient)', shape, dtype)
                    for (name, shape, dtype), req in zip(arg_layouts, reqs) if req != 'null']
    allocation.check_fits(arg_layouts + grad_layouts + aux_layouts, ctx.jax_device,
                          'simple_bind')
    args = [_zeros(shape, dtype, ctx) for _, shape, dtype in arg_layouts]
    grads = [_zeros(shape, dtype, ctx) if req != 'null' else None
             for (_, shape, dtype), req in zip(arg_layouts, reqs)]
    aux = [_zeros(shape, dtype, ctx) for _, shape, dtype in aux_layouts]
    dtypes_known = all(type_table.get((variables[n], 0)) for n in arg_names + aux_names)
    return Executor(symbol, ctx, args, grads, grad_req, aux, _inferred=(
        shape_nodes, shape_table, type_nodes, type_table) if dtypes_known else None)
