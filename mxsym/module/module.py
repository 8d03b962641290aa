"""`Module`: a symbol bound for training or inference, with parameters and an optimizer.

One executor runs the whole batch. With several contexts the batch is split over their devices
by `jax.sharding` (see `data_parallel.py`): XLA partitions the one compiled program and reduces
the gradients, so results equal the single-device ones. In `fit`, the optimizer's update is
compiled into the same XLA program as forward and backward (`fused_step.py`) when the graph
and optimizer allow it; the plain `forward` / `backward` / `update` API stays available.
"""
import functools
import logging
import warnings
from collections import OrderedDict

import jax

from .. import context as ctx, kvstore as kvs, ndarray as nd, optimizer as opt
from ..base import MXNetError
from ..dtype_codes import variable_dtype
from ..initializer import InitDesc, Uniform
from ..io import DataDesc
from ..model import load_checkpoint
from .base_module import BaseModule, _check_input_names, _parse_data_desc
from .data_parallel import DevicePlacement
from .executor_group import ExecutorGroup, grad_reqs_per_argument, merge_parts
from .fused_step import FusedTrainStep
from .multi_process import ProcessSpanningPlacement


_STYPES = ('default', 'row_sparse', 'csr')


def _first_context_groups(group2ctxs):
    """{ctx_group: context} for the first context from MXNet's group2ctxs (a dict, or a
    list of dicts, one per context; a list of contexts as a value has one per context)."""
    if not group2ctxs:
        return {}
    if isinstance(group2ctxs, (list, tuple)):
        group2ctxs = group2ctxs[0]
    return {group: ctxs[0] if isinstance(ctxs, (list, tuple)) else ctxs
            for group, ctxs in group2ctxs.items()}


class Module(BaseModule):
    """A symbol with named data, label and parameter inputs, trained and run as MXNet's
    `mx.mod.Module`. `group2ctxs` places the arrays of the variables of each ``ctx_group``
    on that group's context (of the first context's mapping); `compression_params` is
    accepted for MXNet's signature and changes nothing."""

    def __init__(self, symbol, data_names=('data',), label_names=('softmax_label',),
                 logger=logging, context=ctx.cpu(), work_load_list=None,
                 fixed_param_names=None, state_names=None, group2ctxs=None,
                 compression_params=None):
        super().__init__(logger=logger)
        if isinstance(context, ctx.Context):
            context = [context]
        self._context = list(context)
        if work_load_list is None:
            work_load_list = [1] * len(self._context)
        if len(work_load_list) != len(self._context):
            raise MXNetError('Module: work_load_list has %d entries for %d contexts'
                             % (len(work_load_list), len(self._context)))
        self._work_load_list = work_load_list
        self._group2ctx = _first_context_groups(group2ctxs)
        self._symbol = symbol
        data_names = list(data_names) if data_names is not None else []
        label_names = list(label_names) if label_names is not None else []
        state_names = list(state_names) if state_names is not None else []
        fixed_param_names = list(fixed_param_names) if fixed_param_names is not None else []
        _check_input_names(symbol, data_names, 'data', True)
        _check_input_names(symbol, label_names, 'label', False)
        _check_input_names(symbol, state_names, 'state', True)
        _check_input_names(symbol, fixed_param_names, 'fixed_param', True)
        input_names = data_names + label_names + state_names
        self._param_names = [x for x in symbol.list_arguments() if x not in input_names]
        self._fixed_param_names = fixed_param_names
        self._aux_names = symbol.list_auxiliary_states()
        self._data_names = data_names
        self._label_names = label_names
        self._state_names = state_names
        self._output_names = symbol.list_outputs()
        self._arg_params = None
        self._aux_params = None
        self._params_dirty = False
        self._optimizer = None
        self._kvstore = None
        self._update_on_kvstore = None
        self._updater = None
        self._preload_opt_states = None
        self._grad_req = None
        self._grad_req_dict = None
        self._exec = None
        self._placement = None
        self._monitor = None
        self._data_shapes = None
        self._label_shapes = None

    # ------------------------------------------------------------------ checkpoints
    @staticmethod
    def load(prefix, epoch, load_optimizer_states=False, **kwargs):
        """A Module over the checkpoint ``prefix-symbol.json`` / ``prefix-EPOCH.params``
        (bind it before use); `kwargs` go to the constructor."""
        sym, args, auxs = load_checkpoint(prefix, epoch)
        mod = Module(symbol=sym, **kwargs)
        mod._arg_params = args
        mod._aux_params = auxs
        mod.params_initialized = True
        if load_optimizer_states:
            mod._preload_opt_states = '%s-%04d.states' % (prefix, epoch)
        return mod

    def save_checkpoint(self, prefix, epoch, save_optimizer_states=False, remove_amp_cast=True):
        """Write ``prefix-symbol.json``, ``prefix-EPOCH.params`` and, if asked,
        ``prefix-EPOCH.states``; with a dist kvstore only worker 0 writes (all hold the same
        values)."""
        if self._spans_workers and self._kvstore.rank != 0:
            return
        self._symbol.save('%s-symbol.json' % prefix, remove_amp_cast=remove_amp_cast)
        param_name = '%s-%04d.params' % (prefix, epoch)
        self.save_params(param_name)
        logging.info('Saved checkpoint to "%s"', param_name)
        if save_optimizer_states:
            state_name = '%s-%04d.states' % (prefix, epoch)
            self.save_optimizer_states(state_name)
            logging.info('Saved optimizer state to "%s"', state_name)

    # ------------------------------------------------------------------ description
    @property
    def data_names(self):
        return self._data_names

    @property
    def label_names(self):
        return self._label_names

    @property
    def output_names(self):
        return self._output_names

    def _check_bound(self):
        if not self.binded:
            raise MXNetError('Module: call bind first')

    @property
    def data_shapes(self):
        self._check_bound()
        return self._data_shapes

    @property
    def label_shapes(self):
        self._check_bound()
        return self._label_shapes

    @property
    def output_shapes(self):
        self._check_bound()
        return [(name, out.shape) for name, out in zip(self._output_names, self._exec.outputs)]

    # ------------------------------------------------------------------ parameters
    def get_params(self):
        """(arg_params, aux_params): the module's own copies, refreshed from the executor."""
        if not self.params_initialized:
            raise MXNetError('Module.get_params: parameters are not initialized')
        if self._params_dirty:
            self._sync_params_from_devices()
        return (self._arg_params, self._aux_params)

    def init_params(self, initializer=Uniform(0.01), arg_params=None, aux_params=None,
                    allow_missing=False, force_init=False, allow_extra=False):
        """Fill the parameters from `arg_params` / `aux_params`, drawing the missing ones
        (all of them when none are given) from `initializer`, in sorted name order."""
        if self.params_initialized and not force_init:
            warnings.warn('Parameters already initialized and force_init=False. '
                          'init_params call ignored.', stacklevel=2)
            return
        if not self.binded:
            raise MXNetError('Module.init_params: call bind before initializing the parameters')

        def fill(desc, array, given):
            if given is None:
                initializer(desc, array)
            elif desc in given:
                if given[desc] is not array:
                    given[desc].copyto(array)
            elif not allow_missing:
                raise RuntimeError('%s is not presented' % desc)
            elif initializer is not None:
                initializer(desc, array)

        attrs = self._symbol.attr_dict()
        for params, given in ((self._arg_params, arg_params), (self._aux_params, aux_params)):
            for name, array in sorted(params.items()):
                fill(InitDesc(name, attrs.get(name, None)), array, given)
        self.params_initialized = True
        self._params_dirty = False
        self._copy_params_to_executor(self._arg_params, self._aux_params, allow_extra)

    def set_params(self, arg_params, aux_params, allow_missing=False, force_init=True,
                   allow_extra=False):
        """Assign parameter values by name (copies)."""
        if not allow_missing:
            self.init_params(initializer=None, arg_params=arg_params, aux_params=aux_params,
                             allow_missing=allow_missing, force_init=force_init,
                             allow_extra=allow_extra)
            return
        if self.params_initialized and not force_init:
            warnings.warn('Parameters already initialized and force_init=False. '
                          'set_params call ignored.', stacklevel=2)
            return
        self._copy_params_to_executor(arg_params, aux_params, allow_extra)
        self._params_dirty = True
        self.params_initialized = True

    def _copy_params_to_executor(self, arg_params, aux_params, allow_extra=False):
        self._exec.copy_params_from(arg_params, aux_params, allow_extra_params=allow_extra)
        self._placement.place_params(self._exec)

    def _sync_params_from_devices(self):
        """Copy the executor's current parameters and aux states into the module's own."""
        for names, params, arrays in ((self._param_names, self._arg_params, self._exec.arg_dict),
                                      (self._aux_names, self._aux_params, self._exec.aux_dict)):
            for name in names:
                target = params[name]
                target._set_data(jax.device_put(arrays[name]._data.astype(target.dtype),
                                                target.context.jax_device))
        self._params_dirty = False

    # ------------------------------------------------------------------ binding
    @property
    def _exec_group(self):
        """MXNet's executor group of the bound Module (None before `bind`)."""
        return ExecutorGroup(self) if self.binded else None

    def _reset_bind(self):
        self.binded = False
        self._exec = None
        self._forget_fused_step()
        self._data_shapes = None
        self._label_shapes = None

    def _grad_reqs(self, grad_req, for_training):
        """grad_req per argument (`grad_reqs_per_argument`); none when not training."""
        return grad_reqs_per_argument(
            grad_req if for_training else 'null', self._symbol.list_arguments(),
            self._param_names, self._fixed_param_names,
            [x.name for x in self._data_shapes], self.inputs_need_grad)

    def _bind_executor(self, shared=None):
        """An executor for the current data and label shapes; with `shared`, one that uses
        `shared`'s parameter, gradient and aux arrays."""
        descs = self._data_shapes + (self._label_shapes or [])
        input_shapes = {d.name: tuple(d.shape) for d in descs}
        self._placement.check_batch(descs)
        input_types = {d.name: d.dtype for d in self._data_shapes}
        variables = {node.name: node for node in self._symbol._nodes() if node.op is None}
        for name in input_types:
            fixed = variable_dtype(variables[name]) if name in variables else None
            if fixed is not None:
                input_types[name] = fixed
        input_types.update({d.name: d.dtype for d in self._label_shapes or []})
        executor = self._symbol.simple_bind(ctx=self._context[0], grad_req=self._grad_req_dict,
                                            type_dict=input_types, **input_shapes)
        groups = {name: self._group2ctx[node.attrs['__ctx_group__']]
                  for name, node in variables.items()
                  if node.attrs.get('__ctx_group__') in self._group2ctx}
        if shared is not None or groups:
            reuse = set(self._param_names) if shared is not None else set()

            def placed(name, array, shared_arrays):
                if name in reuse:
                    return shared_arrays[name]
                if name in groups and array is not None:
                    return array.as_in_context(groups[name])
                return array
            args = [placed(n, a, shared and shared.arg_dict)
                    for n, a in executor.arg_dict.items()]
            grads = [placed(n, g, shared and shared.grad_dict)
                     for n, g in executor.grad_dict.items()]
            executor = self._symbol.bind(self._context[0], args, grads, self._grad_req_dict,
                                         executor.aux_arrays if shared is None
                                         else shared.aux_arrays)
        self._placement.place_inputs(executor, self._input_names)
        return executor

    @property
    def _input_names(self):
        return [d.name for d in self._data_shapes + (self._label_shapes or [])]

    def bind(self, data_shapes, label_shapes=None, for_training=True, inputs_need_grad=False,
             force_rebind=False, shared_module=None, grad_req='write'):
        """Allocate the executor for these data and label shapes (DataDescs or
        ``(name, shape)`` pairs)."""
        if force_rebind:
            self._reset_bind()
        if self.binded:
            self.logger.warning('Already bound, ignoring bind()')
            return
        if not for_training and inputs_need_grad:
            raise MXNetError('Module.bind: inputs_need_grad needs for_training=True')
        self.for_training = for_training
        self.inputs_need_grad = inputs_need_grad
        self._grad_req = grad_req
        self._data_shapes, self._label_shapes = _parse_data_desc(
            self.data_names, self.label_names, data_shapes, label_shapes)
        self._grad_req_dict = self._grad_reqs(grad_req, for_training)
        self._placement = DevicePlacement(self._context, self._work_load_list)
        shared_exec = None
        if shared_module is not None:
            if not (isinstance(shared_module, Module) and shared_module.binded
                    and shared_module.params_initialized):
                raise MXNetError('Module.bind: shared_module must be a bound Module with '
                                 'initialized parameters')
            shared_exec = shared_module._exec
        self._exec = self._bind_executor(shared_exec)
        if shared_module is not None:
            self.params_initialized = True
            self._arg_params = shared_module._arg_params
            self._aux_params = shared_module._aux_params
        elif self.params_initialized:
            self._copy_params_to_executor(self._arg_params, self._aux_params)
        else:
            stypes = {node.name: _STYPES[int(node.attrs.get('__storage_type__', 0))]
                      for node in self._symbol._nodes() if node.op is None}
            self._arg_params = {name: nd.zeros(self._exec.arg_dict[name].shape,
                                               dtype=self._exec.arg_dict[name].dtype,
                                               stype=stypes[name])
                                for name in self._param_names}
            self._aux_params = {name: nd.zeros(self._exec.aux_dict[name].shape,
                                               dtype=self._exec.aux_dict[name].dtype)
                                for name in self._aux_names}
        if shared_module is not None and shared_module.optimizer_initialized:
            self.borrow_optimizer(shared_module)
        self.binded = True

    def reshape(self, data_shapes, label_shapes=None):
        """Rebind for new input shapes, keeping the parameters."""
        self._check_bound()
        self._data_shapes, self._label_shapes = _parse_data_desc(
            self.data_names, self.label_names, data_shapes, label_shapes)
        reshaped = self._bind_executor(self._exec)
        self._exec._copy_monitor_to(reshaped)
        self._exec = reshaped
        self._forget_fused_step()

    # ------------------------------------------------------------------ optimizer
    def init_optimizer(self, kvstore='local', optimizer='sgd',
                       optimizer_params=(('learning_rate', 0.01),), force_init=False):
        """Create the optimizer (gradients are rescaled by 1/batch_size unless
        `optimizer_params` sets rescale_grad) and its updater."""
        if not (self.binded and self.params_initialized):
            raise MXNetError('Module.init_optimizer: call bind and init_params first')
        if self.optimizer_initialized and not force_init:
            self.logger.warning('optimizer already initialized, ignoring...')
            return
        if self._params_dirty:
            self._sync_params_from_devices()
        self._kvstore = self._create_kvstore(kvstore)
        batch_size = self._placement.batch_size
        if self._spans_workers and '_sync' in self._kvstore.type:
            batch_size *= self._kvstore.num_workers
        rescale_grad = 1.0 / batch_size
        idx2name = dict(enumerate(self._param_names))
        if isinstance(optimizer, str):
            optimizer_params = dict(optimizer_params)
            optimizer_params.setdefault('rescale_grad', rescale_grad)
            optimizer = opt.create(optimizer, sym=self.symbol, param_idx2name=idx2name,
                                   **optimizer_params)
        else:
            if not isinstance(optimizer, opt.Optimizer):
                raise MXNetError('Module.init_optimizer: optimizer must be a name or an '
                                 'Optimizer, got %r' % (optimizer,))
            if optimizer.rescale_grad != rescale_grad:
                warnings.warn('Optimizer created manually outside Module but rescale_grad is '
                              'not normalized to 1.0/batch_size/num_workers (%s vs. %s). Is '
                              'this intended?' % (optimizer.rescale_grad, rescale_grad),
                              stacklevel=2)
            if not optimizer.idx2name:
                optimizer.idx2name = idx2name.copy()
        self._optimizer = optimizer
        self._update_on_kvstore = False
        self._updater = opt.get_updater(optimizer)
        if self._kvstore is not None and not self._spans_workers:
            # MXNet updates on the store over several devices: the store holds the updater
            # (one and the same here, the update itself runs in the Module's program)
            self._kvstore._set_updater(self._updater)
        self._forget_fused_step()
        self.optimizer_initialized = True
        if self._preload_opt_states is not None:
            self.load_optimizer_states(self._preload_opt_states)
            self._preload_opt_states = None

    def _create_kvstore(self, kvstore):
        """The store a script asked for. Gradients are reduced inside the compiled program
        and updated here, so it only holds the initial parameters (MXNet itself makes none
        for a single device)."""
        if kvstore is None or isinstance(kvstore, kvs.KVStore):
            store = kvstore
        elif isinstance(kvstore, str):
            needed = len(self._context) > 1 or 'dist' in kvstore
            store = kvs.create(kvstore) if needed else None
        else:
            raise TypeError('kvstore must be KVStore, str or None')
        if store is not None:
            store.init(self._param_names, [self._arg_params[n] for n in self._param_names])
        if store is not None and 'dist' in store.type:
            # every worker starts from worker 0's parameters, as MXNet's workers pull them
            store.pull(self._param_names, [self._arg_params[n] for n in self._param_names])
            self._copy_params_to_executor(self._arg_params, self._aux_params)
        return store

    @property
    def _spans_workers(self):
        """Whether training sums gradients over the workers of a dist kvstore."""
        return (self._kvstore is not None and 'dist' in self._kvstore.type
                and self._kvstore.num_workers > 1)

    def borrow_optimizer(self, shared_module):
        """Share `shared_module`'s optimizer, store and updater."""
        if not shared_module.optimizer_initialized:
            raise MXNetError('Module.borrow_optimizer: the shared module has no optimizer')
        self._optimizer = shared_module._optimizer
        self._kvstore = shared_module._kvstore
        self._update_on_kvstore = shared_module._update_on_kvstore
        self._updater = shared_module._updater
        self._forget_fused_step()
        self.optimizer_initialized = True

    def save_optimizer_states(self, fname):
        """Write the updater's states (pickled, as MXNet does)."""
        if not self.optimizer_initialized:
            raise MXNetError('Module.save_optimizer_states: no optimizer is initialized')
        with open(fname, 'wb') as fout:
            fout.write(self._updater.get_states())

    def load_optimizer_states(self, fname):
        """Read updater states written by `save_optimizer_states`."""
        if not self.optimizer_initialized:
            raise MXNetError('Module.load_optimizer_states: no optimizer is initialized')
        with open(fname, 'rb') as fin:
            self._updater.set_states(fin.read())
        self._forget_fused_step()

    # ------------------------------------------------------------------ running
    def forward(self, data_batch, is_train=None):
        """Run the network on a batch (rebinding first if its shapes changed)."""
        self._check_ready()
        self._load_batch(data_batch)
        if is_train is None:
            is_train = self.for_training
        self._exec.forward(is_train=is_train)

    def _load_batch(self, data_batch):
        current = tuple(d.shape for d in self._data_shapes)
        new_shapes = tuple(d.shape for d in data_batch.data)
        if current != new_shapes:
            if getattr(data_batch, 'provide_data', None):
                new_dshape = data_batch.provide_data
            else:
                new_dshape = [DataDesc(d.name, shape, d.dtype, d.layout)
                              for d, shape in zip(self._data_shapes, new_shapes)]
            if getattr(data_batch, 'provide_label', None):
                new_lshape = data_batch.provide_label
            elif getattr(data_batch, 'label', None) and self._label_shapes:
                new_lshape = [DataDesc(d.name, array.shape, d.dtype, d.layout)
                              for d, array in zip(self._label_shapes, data_batch.label)]
            else:
                new_lshape = None
            self.reshape(new_dshape, new_lshape)
        arrays = self._exec.arg_dict
        for desc, value in zip(self._data_shapes, data_batch.data):
            self._placement.load_input(arrays[desc.name], value)
        if self._label_shapes and data_batch.label:
            for desc, value in zip(self._label_shapes, data_batch.label):
                self._placement.load_input(arrays[desc.name], value)

    def backward(self, out_grads=None):
        """Gradients for the last training forward."""
        self._check_ready()
        self._exec.backward(out_grads=out_grads)

    def update(self):
        """Apply the optimizer to every parameter that has a gradient."""
        if not (self.binded and self.params_initialized and self.optimizer_initialized):
            raise MXNetError('Module.update: call bind, init_params and init_optimizer first')
        self._params_dirty = True
        grads, weights = self._exec.grad_dict, self._exec.arg_dict
        indices = [i for i, name in enumerate(self._param_names) if grads[name] is not None]
        names = [self._param_names[i] for i in indices]
        if self._spans_workers:
            # the store sums each gradient over the workers (it holds the sums, not weights)
            self._kvstore.pushpull(names, [grads[n] for n in names])
        if not self._placement.split:
            self._updater(indices, [grads[n] for n in names], [weights[n] for n in names])
            return
        # with a split batch the optimizer runs on the first device, then the new weights
        # are replicated again
        local = self._placement.gather
        for index in indices:
            for state in jax.tree_util.tree_leaves(self._updater.states.get(index)):
                state._set_data(local(state._data))
        local_weights = [nd.NDArray(local(weights[n]._data), self._context[0]) for n in names]
        self._updater(indices, [nd.NDArray(local(grads[n]._data), self._context[0])
                                for n in names], local_weights)
        for name, weight in zip(names, local_weights):
            weights[name]._set_data(self._placement.replicate(weight._data))

    def _train_step(self, data_batch):
        """One step of `fit`: one compiled program for forward, backward and update where
        the graph and optimizer allow it (`FusedTrainStep`), else the three calls."""
        self._load_batch(data_batch)
        fused = self._fused_step
        if fused is not None:
            fused.run()
            self._params_dirty = True
        else:
            self._exec.forward(is_train=True)
            self._exec.backward()
            self.update()

    def get_outputs(self, merge_multi_context=True):
        """The outputs over the whole batch; without `merge_multi_context`, one list per
        output of each context's part of it."""
        self._check_ready()
        outputs = [nd.NDArray(self._placement.gather(out._data), out.context)
                   for out in self._exec.outputs]
        if merge_multi_context:
            return outputs
        return self._exec_group.per_context(outputs, self._exec_group.output_layouts)

    def get_input_grads(self, merge_multi_context=True):
        """The data inputs' gradients; without `merge_multi_context`, one list per input of
        each context's part."""
        self._check_ready()
        if not self.inputs_need_grad:
            raise MXNetError('Module.get_input_grads: bind with inputs_need_grad=True')
        grads = [self._exec.grad_dict[name] for name in self._data_names]
        if merge_multi_context:
            return grads
        return self._exec_group.per_context(
            grads, [self._placement.batch_axis(name) for name in self._data_names])

    def get_states(self, merge_multi_context=True):
        """The arrays of the inputs named in `state_names` (e.g. RNN states); without
        `merge_multi_context`, one list per state of each context's part (along axis 0)."""
        self._check_ready()
        states = [self._exec.arg_dict[name] for name in self._state_names]
        if merge_multi_context:
            return states
        return self._exec_group.per_context(states, [0] * len(states))

    def set_states(self, states=None, value=None):
        """Set the state inputs from a list of arrays (each whole, or a list of the contexts'
        parts, as `get_states(merge_multi_context=False)` gives them), or fill them all with
        `value`."""
        self._check_ready()
        if (states is None) == (value is None):
            raise MXNetError('Module.set_states: give exactly one of states and value')
        targets = self.get_states()
        for i, target in enumerate(targets):
            if states is None:
                state = nd.full(target.shape, value, dtype=target.dtype)
            elif isinstance(states[i], (list, tuple)):
                state = merge_parts(states[i], 0)
            else:
                state = states[i]
            self._placement.load_input(target, state)

    def update_metric(self, eval_metric, labels, pre_sliced=False):
        """Add the current outputs against `labels` to `eval_metric`."""
        eval_metric.update_dict(OrderedDict(zip(self._label_names, labels or [])),
                                OrderedDict(zip(self._output_names, self.get_outputs())))

    def install_monitor(self, mon):
        self._check_bound()
        mon.install(self._exec)
        self._monitor = mon
        self._forget_fused_step()

    @functools.cached_property
    def _fused_step(self):
        """`fit`'s training step as one XLA program (forward, backward and update), or None
        where it cannot be used: a monitor watches the values in between, or the graph or
        optimizer rules it out (`FusedTrainStep.build`). Built on first use."""
        if self._monitor is not None:
            return None
        placement = self._placement
        if self._spans_workers:
            placement = ProcessSpanningPlacement(placement)
        return FusedTrainStep.build(self._exec, self._param_names, self._optimizer,
                                    self._updater, placement)

    def _forget_fused_step(self):
        """Drop the fused step: the executor, optimizer or its states changed."""
        self.__dict__.pop('_fused_step', None)

