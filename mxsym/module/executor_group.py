"""Executor groups: MXNet's `DataParallelExecutorGroup` (one executor per context, each on
its slice of the batch, sharing parameters and input buffers with another group), and
`Module._exec_group`, the same names read off a bound Module.

A Module here runs one executor over all its contexts (`data_parallel.py`), so its
`ExecutorGroup` view holds that one executor and every array list has one entry per name, the
whole batch in one slice.
"""
import logging
from collections import OrderedDict

from .. import ndarray as nd
from ..base import MXNetError
from ..dtype_codes import variable_dtype
from ..io import DataDesc


def split_batch(batch_size, workload):
    """The slices of a batch of `batch_size` that contexts with these workloads take, in
    proportion to their workload (each at least one sample)."""
    total = sum(workload)
    sizes = [int(round(batch_size * w / total)) for w in workload]
    sizes[-1] = batch_size - sum(sizes[:-1])
    if any(size < 1 for size in sizes):
        raise MXNetError('DataParallelExecutorGroup: a batch of %d cannot be split over the '
                         'workload %s (each context needs a sample)' % (batch_size, workload))
    slices, start = [], 0
    for size in sizes:
        slices.append(slice(start, start + size))
        start += size
    return slices


def _desc(desc):
    return desc if isinstance(desc, DataDesc) else DataDesc(*desc)


def _along(value, axis, part):
    """The `part` slice of `value` along `axis` (the whole of it for axis -1)."""
    if axis < 0:
        return value
    if not isinstance(value, nd.NDArray):
        value = nd.array(value)
    if part.start == 0 and part.stop == value.shape[axis]:
        return value
    return nd.slice_axis(value, axis=axis, begin=part.start, end=part.stop)


def merge_parts(parts, axis):
    """One array from each context's part: concatenated along the batch axis (or the first
    part when the output has none)."""
    if axis < 0 or len(parts) == 1:
        return parts[0]
    return nd.concat(*[part.as_in_context(parts[0].context) for part in parts], dim=axis)



def grad_reqs_per_argument(grad_req, arg_names, param_names, fixed_param_names, data_names,
                           inputs_need_grad):
    """grad_req per argument as MXNet's executor group sets it: a list or tuple gives one per
    argument; otherwise parameters (unless fixed) get `grad_req` (a dict: 'write'), data only
    with `inputs_need_grad`, labels and states none, and a dict overrides per name."""
    if isinstance(grad_req, (list, tuple)):
        if len(grad_req) != len(arg_names):
            raise MXNetError('grad_req: %d entries for %d arguments'
                             % (len(grad_req), len(arg_names)))
        return dict(zip(arg_names, grad_req))
    if not isinstance(grad_req, (str, dict)):
        raise ValueError('grad_req must be one of str, list, tuple, or dict.')
    default = grad_req if isinstance(grad_req, str) else 'write'
    reqs = {}
    for name in arg_names:
        if name in param_names:
            reqs[name] = 'null' if name in fixed_param_names else default
        elif name in data_names:
            reqs[name] = default if inputs_need_grad else 'null'
        else:
            reqs[name] = 'null'
    if isinstance(grad_req, dict):
        reqs.update(grad_req)
    return reqs

class ExecutorGroup:
    """A live view of `module`'s bound executor under the names of MXNet's
    ``DataParallelExecutorGroup``; it follows the Module through rebinds and reshapes."""

    def __init__(self, module):
        self._module = module

    @property
    def execs(self):
        return [self._module._exec]

    @property
    def output_layouts(self):
        return [DataDesc.get_batch_axis(self.symbol[i].attr('__layout__'))
                for i in range(len(self.output_names))]

    def per_context(self, arrays, axes):
        """Each whole-batch array as a list of the contexts' parts of it (split along its
        batch axis by the workload; whole for every context where it has none)."""
        contexts = self.contexts
        parts = []
        for array, axis in zip(arrays, axes):
            if axis < 0:
                parts.append([array] * len(contexts))
                continue
            slices = split_batch(array.shape[axis], self._module._work_load_list)
            parts.append([_along(array, axis, part).as_in_context(context)
                          for part, context in zip(slices, contexts)])
        return parts

    @property
    def contexts(self):
        return self._module._context

    @property
    def symbol(self):
        return self._module.symbol

    @property
    def for_training(self):
        return self._module.for_training

    @property
    def inputs_need_grad(self):
        return self._module.inputs_need_grad

    @property
    def batch_size(self):
        return self._module._placement.batch_size

    @property
    def slices(self):
        return None if self.batch_size is None else [slice(0, self.batch_size)]

    @property
    def data_shapes(self):
        return self._module.data_shapes

    @property
    def label_shapes(self):
        return self._module._label_shapes

    @property
    def data_names(self):
        return [desc.name for desc in self.data_shapes]

    @property
    def label_names(self):
        return None if self.label_shapes is None else [desc.name for desc in self.label_shapes]

    @property
    def param_names(self):
        return self._module._param_names

    @property
    def state_names(self):
        return self._module._state_names

    @property
    def arg_names(self):
        return self.symbol.list_arguments()

    @property
    def aux_names(self):
        return self.symbol.list_auxiliary_states()

    @property
    def output_names(self):
        return self.symbol.list_outputs()

    def _batch_arrays(self, descs):
        whole = self.slices[0] if self.slices else slice(0, 1)
        return [[(whole, self._module._exec.arg_dict[desc.name])] for desc in descs]

    @property
    def data_arrays(self):
        return self._batch_arrays(self.data_shapes)

    @property
    def label_arrays(self):
        return None if self.label_shapes is None else self._batch_arrays(self.label_shapes)

    @property
    def state_arrays(self):
        return [[self._module._exec.arg_dict[name]] for name in self.state_names]

    @property
    def param_arrays(self):
        return [[self._module._exec.arg_dict[name]] for name in self.arg_names
                if name in self.param_names]

    @property
    def grad_arrays(self):
        if not self.for_training:
            return None
        return [[self._module._exec.grad_dict[name]] for name in self.arg_names
                if name in self.param_names]

    @property
    def input_grad_arrays(self):
        if not self.inputs_need_grad:
            return None
        return [[self._module._exec.grad_dict[name]] for name in self.data_names
                if name in self.arg_names]

    @property
    def aux_arrays(self):
        return [[array] for array in self._module._exec.aux_arrays]


class DataParallelExecutorGroup:
    """`symbol` bound once per context, each executor on its workload's slice of the batch.

    With `shared_group`, each executor uses the arrays of the shared group's executor on the
    same context for the parameters in `param_names` (values and gradients) and for the aux
    states, and both groups draw their other arguments (data, labels, parameters the shared
    group lacks) from one buffer per context, `shared_data_arrays`."""

    def __init__(self, symbol, contexts, workload, data_shapes, label_shapes, param_names,
                 for_training, inputs_need_grad, shared_group=None, logger=logging,
                 fixed_param_names=None, grad_req='write', state_names=None, group2ctxs=None):
        self.symbol = symbol
        self.contexts = list(contexts)
        self.workload = list(workload)
        self.param_names = list(param_names)
        self.arg_names = symbol.list_arguments()
        self.aux_names = symbol.list_auxiliary_states()
        self.output_names = symbol.list_outputs()
        self.for_training = for_training
        self.inputs_need_grad = inputs_need_grad
        self.logger = logger
        self.fixed_param_names = list(fixed_param_names or [])
        self.state_names = list(state_names or [])
        data_shapes = [_desc(d) for d in data_shapes]
        label_shapes = None if label_shapes is None else [_desc(d) for d in label_shapes]
        self.grad_req = grad_reqs_per_argument(
            grad_req if for_training else 'null', self.arg_names, self.param_names,
            self.fixed_param_names, [d.name for d in data_shapes], self.inputs_need_grad)
        self.shared_data_arrays = (shared_group.shared_data_arrays if shared_group is not None
                                   else [{} for _ in self.contexts])
        self.output_layouts = [DataDesc.get_batch_axis(symbol[i].attr('__layout__'))
                               for i in range(len(self.output_names))]
        self.execs = []
        self.batch_size = self.slices = None
        self.bind_exec(data_shapes, label_shapes, shared_group)


    # ------------------------------------------------------------------ binding
    def decide_slices(self, data_shapes):
        """Each input's batch axis (-1 where it has none); sets the batch size and the
        contexts' slices of it."""
        axes = [DataDesc.get_batch_axis(d.layout) for d in data_shapes]
        for desc, axis in zip(data_shapes, axes):
            if axis < 0:
                continue
            size = desc.shape[axis]
            if self.batch_size is None:
                self.batch_size = size
                self.slices = split_batch(size, self.workload)
            elif size != self.batch_size:
                raise MXNetError('DataParallelExecutorGroup: all data must have the same batch '
                                 'size: batch_size = %d, but %s has shape %s'
                                 % (self.batch_size, desc.name, desc.shape))
        return axes

    def bind_exec(self, data_shapes, label_shapes, shared_group=None, reshape=False):
        """Bind one executor per context for these shapes; with `reshape`, the new executors
        keep the current ones' parameters."""
        if self.execs and not reshape:
            raise MXNetError('DataParallelExecutorGroup.bind_exec: already bound; use reshape')
        data_shapes = [_desc(d) for d in data_shapes]
        label_shapes = None if label_shapes is None else [_desc(d) for d in label_shapes]
        self.batch_size = self.slices = None
        self.data_layouts = self.decide_slices(data_shapes)
        self.label_layouts = (None if label_shapes is None
                              else self.decide_slices(label_shapes))
        previous = self.execs
        self.execs = []
        for i in range(len(self.contexts)):
            shapes = self._sliced(data_shapes, i, self.data_layouts)
            if label_shapes is not None:
                shapes += self._sliced(label_shapes, i, self.label_layouts)
            shared = previous[i] if reshape else (
                None if shared_group is None else shared_group.execs[i])
            self.execs.append(self._bind_ith_exec(i, shapes, shared))
        self.data_shapes, self.label_shapes = data_shapes, label_shapes
        self.data_names = [d.name for d in data_shapes]
        self.label_names = None if label_shapes is None else [d.name for d in label_shapes]

    def reshape(self, data_shapes, label_shapes):
        """Rebind for new input shapes, keeping the parameters."""
        if data_shapes == self.data_shapes and label_shapes == self.label_shapes:
            return
        self.bind_exec(data_shapes, label_shapes, reshape=True)

    def _sliced(self, descs, i, axes):
        sliced = []
        for desc, axis in zip(descs, axes):
            shape = list(desc.shape)
            if axis >= 0:
                shape[axis] = self.slices[i].stop - self.slices[i].start
            sliced.append(DataDesc(desc.name, tuple(shape), desc.dtype, desc.layout))
        return sliced

    def _bind_ith_exec(self, i, input_descs, shared_exec):
        """Context i's executor: parameters and aux states from `shared_exec` where it has
        them, other arguments from the context's shared buffer where it holds one of the same
        shape and dtype (else this executor's own, which the buffer then holds)."""
        variables = {node.name: node for node in self.symbol._nodes() if node.op is None}
        types = {}
        for desc in input_descs:
            fixed = variable_dtype(variables[desc.name]) if desc.name in variables else None
            types[desc.name] = fixed or desc.dtype
        executor = self.symbol.simple_bind(ctx=self.contexts[i], grad_req=self.grad_req,
                                           type_dict=types,
                                           **{d.name: tuple(d.shape) for d in input_descs})
        buffer = self.shared_data_arrays[i]
        args, grads = [], []
        for name, arg, grad in zip(self.arg_names, executor.arg_arrays, executor.grad_arrays):
            if name in self.param_names:
                if shared_exec is not None and name in shared_exec.arg_dict:
                    arg = shared_exec.arg_dict[name]
                    grad = shared_exec.grad_dict.get(name) if grad is not None else None
            else:
                held = buffer.get(name)
                if held is not None and held.shape == arg.shape and held.dtype == arg.dtype:
                    arg = held
                else:
                    buffer[name] = arg
            args.append(arg)
            grads.append(grad)
        aux = executor.aux_arrays
        if shared_exec is not None:
            aux = [shared_exec.aux_dict.get(name, own) for name, own in zip(self.aux_names, aux)]
        return self.symbol.bind(self.contexts[i], args, grads, self.grad_req, aux)

    # ------------------------------------------------------------------ arrays
    @property
    def data_arrays(self):
        return self._input_arrays(self.data_shapes)

    @property
    def label_arrays(self):
        return None if self.label_shapes is None else self._input_arrays(self.label_shapes)

    def _input_arrays(self, descs):
        slices = self.slices or [slice(i, i + 1) for i in range(len(self.execs))]
        return [[(part, e.arg_dict[d.name]) for part, e in zip(slices, self.execs)]
                for d in descs]

    @property
    def param_arrays(self):
        return [[e.arg_dict[name] for e in self.execs] for name in self.arg_names
                if name in self.param_names]

    @property
    def grad_arrays(self):
        if not self.for_training:
            return None
        return [[e.grad_dict.get(name) for e in self.execs] for name in self.arg_names
                if name in self.param_names]

    @property
    def state_arrays(self):
        return [[e.arg_dict[name] for e in self.execs] for name in self.state_names]

    @property
    def input_grad_arrays(self):
        if not self.inputs_need_grad:
            return None
        return [[e.grad_dict[name] for e in self.execs] for name in self.data_names
                if name in self.arg_names]

    @property
    def aux_arrays(self):
        return [[e.aux_dict[name] for e in self.execs] for name in self.aux_names]

    def set_params(self, arg_params, aux_params, allow_extra=False):
        """Copy the parameters into every executor."""
        for executor in self.execs:
            executor.copy_params_from(arg_params, aux_params, allow_extra_params=allow_extra)

    def get_params(self, arg_params, aux_params):
        """Write the executors' parameters, averaged over the contexts, into `arg_params`
        and `aux_params` in place."""
        for names, blocks, targets in ((self.param_names, self.param_arrays, arg_params),
                                       (self.aux_names, self.aux_arrays, aux_params)):
            for name, block in zip(names, blocks):
                mean = sum(w.as_in_context(targets[name].context) for w in block) / len(block)
                mean.astype(targets[name].dtype).copyto(targets[name])

    # ------------------------------------------------------------------ running
    def _load(self, values, targets, axes):
        for value, parts, axis in zip(values, targets, axes):
            for part, target in parts:
                target[:] = _along(value, axis, part)

    def forward(self, data_batch, is_train=None):
        """Each context's slice of the batch through its executor."""
        self._load(data_batch.data, self.data_arrays, self.data_layouts)
        if self.label_shapes is not None and data_batch.label:
            self._load(data_batch.label, self.label_arrays, self.label_layouts)
        for executor in self.execs:
            executor.forward(is_train=self.for_training if is_train is None else is_train)

    def backward(self, out_grads=None):
        """Each executor's backward, given its slice of `out_grads`."""
        if not self.for_training:
            raise MXNetError('DataParallelExecutorGroup.backward: bound with '
                             'for_training=False')
        if out_grads is None:
            out_grads = []
        elif not isinstance(out_grads, (list, tuple)):
            out_grads = [out_grads]
        for part, executor in zip(self.slices, self.execs):
            executor.backward(out_grads=[
                _along(grad, axis, part).as_in_context(executor._ctx)
                for grad, axis in zip(out_grads, self.output_layouts)])

    def get_output_shapes(self):
        """(name, shape) of each output over the whole batch."""
        shapes = []
        for name, out, axis in zip(self.output_names, self.execs[0].outputs,
                                   self.output_layouts):
            shape = list(out.shape)
            if axis >= 0:
                shape[axis] = self.batch_size
            shapes.append((name, tuple(shape)))
        return shapes

    def _per_exec(self, lists, merge_multi_context, axes=None):
        if not merge_multi_context:
            return lists
        axes = axes or [0] * len(lists)
        return [merge_parts(parts, axis) for parts, axis in zip(lists, axes)]

    def get_outputs(self, merge_multi_context=True, begin=0, end=None):
        """Outputs `begin` to `end`: one list per output of each context's part, or each
        merged over the contexts."""
        end = len(self.output_names) if end is None else end
        outputs = [[e.outputs[i] for e in self.execs] for i in range(begin, end)]
        return self._per_exec(outputs, merge_multi_context, self.output_layouts[begin:end])

    def get_states(self, merge_multi_context=True):
        if merge_multi_context:
            raise MXNetError('DataParallelExecutorGroup.get_states: merge_multi_context=True '
                             'is not supported for states')
        return self.state_arrays

    def set_states(self, states=None, value=None):
        """Set the state inputs from lists (one array per context) or fill them with
        `value`."""
        if (states is None) == (value is None):
            raise MXNetError('DataParallelExecutorGroup.set_states: give exactly one of '
                             'states and value')
        for i, targets in enumerate(self.state_arrays):
            for j, target in enumerate(targets):
                target[:] = states[i][j] if states is not None else value

    def get_input_grads(self, merge_multi_context=True):
        if not self.inputs_need_grad:
            raise MXNetError('DataParallelExecutorGroup.get_input_grads: bound with '
                             'inputs_need_grad=False')
        return self._per_exec(self.input_grad_arrays, merge_multi_context, self.data_layouts)

    def update_metric(self, eval_metric, labels, pre_sliced=False):
        """Add each context's outputs against its slice of `labels` (or its own list of
        labels with `pre_sliced`) to `eval_metric`."""
        for i, (executor, part) in enumerate(zip(self.execs, self.slices)):
            if pre_sliced:
                sliced = labels[i]
            else:
                axes = self.label_layouts or [0] * len(labels)
                sliced = [_along(label, axis, part) if isinstance(label, nd.NDArray) else label
                          for label, axis in zip(labels, axes)]
            eval_metric.update_dict(OrderedDict(zip(self.label_names or [], sliced)),
                                    OrderedDict(zip(self.output_names, executor.outputs)))

    def install_monitor(self, mon):
        for executor in self.execs:
            mon.install(executor)
