"""`SequentialModule`: modules chained one after another, each one's outputs the next one's
data, gradients flowing back through their input gradients."""
import copy
import logging

from ..base import MXNetError
from ..initializer import Uniform
from .base_module import BaseModule


class SequentialModule(BaseModule):
    """A chain of modules trained as one. `add` takes each module's options: ``take_labels``
    (it gets the batch's labels and updates the metric) and ``auto_wiring`` (the previous
    module's outputs are renamed to its data names)."""

    META_TAKE_LABELS = 'take_labels'
    META_AUTO_WIRING = 'auto_wiring'
    _META_KEYS = (META_TAKE_LABELS, META_AUTO_WIRING)

    def __init__(self, logger=logging):
        super().__init__(logger=logger)
        self._modules = []
        self._metas = []
        self._label_shapes = None

    def add(self, module, **kwargs):
        """Append `module` to the chain (unbinding the chain); returns self, for chaining."""
        for key in kwargs:
            if key not in self._META_KEYS:
                raise MXNetError('SequentialModule.add: unknown meta "%s" (known: %s)'
                                 % (key, ', '.join(self._META_KEYS)))
        self._modules.append(module)
        self._metas.append(kwargs)
        self.binded = False
        self.params_initialized = False
        self.optimizer_initialized = False
        return self

    def _takes_labels(self, index):
        return bool(self._metas[index].get(self.META_TAKE_LABELS, False))

    def _check_bound(self):
        if not self.binded:
            raise MXNetError('SequentialModule: call bind first')

    # ------------------------------------------------------------------ description
    @property
    def data_names(self):
        return self._modules[0].data_names if self._modules else []

    @property
    def output_names(self):
        return self._modules[-1].output_names if self._modules else []

    @property
    def data_shapes(self):
        self._check_bound()
        return self._modules[0].data_shapes

    @property
    def label_shapes(self):
        self._check_bound()
        return self._label_shapes

    @property
    def output_shapes(self):
        self._check_bound()
        return self._modules[-1].output_shapes

    # ------------------------------------------------------------------ parameters
    def get_params(self):
        """Every module's parameters, merged into one pair of dicts."""
        self._check_ready()
        arg_params, aux_params = {}, {}
        for module in self._modules:
            args, auxs = module.get_params()
            arg_params.update(args)
            aux_params.update(auxs)
        return (arg_params, aux_params)

    def init_params(self, initializer=Uniform(0.01), arg_params=None, aux_params=None,
                    allow_missing=False, force_init=False, allow_extra=False):
        """Initialize each module's parameters; two modules may not share a parameter
        name."""
        if self.params_initialized and not force_init:
            return
        if not self.binded:
            raise MXNetError('SequentialModule.init_params: call bind before initializing the '
                             'parameters')
        for module in self._modules:
            module.init_params(initializer=initializer, arg_params=arg_params,
                               aux_params=aux_params, allow_missing=allow_missing,
                               force_init=force_init, allow_extra=allow_extra)
        owners = ({}, {})
        for index, module in enumerate(self._modules):
            for names, owner in zip(module.get_params(), owners):
                for name in names:
                    if name in owner:
                        first = owner[name]
                        raise MXNetError(
                            'Duplicated parameter names: name "%s" in layer %d (%s) is already '
                            'used in layer %d (%s).' % (name, index, type(module), first,
                                                        type(self._modules[first])))
                    owner[name] = index
        self.params_initialized = True

    # ------------------------------------------------------------------ binding
    def bind(self, data_shapes, label_shapes=None, for_training=True, inputs_need_grad=False,
             force_rebind=False, shared_module=None, grad_req='write'):
        """Bind each module to the previous one's output shapes; every module after the
        first computes its input gradients when training."""
        if self.binded and not force_rebind:
            self.logger.warning('Already bound, ignoring bind()')
            return
        if inputs_need_grad and not for_training:
            raise MXNetError('SequentialModule.bind: inputs_need_grad needs for_training=True')
        if shared_module is not None:
            raise MXNetError('SequentialModule.bind: shared_module is not supported')
        if not self._modules:
            raise MXNetError('SequentialModule.bind: the chain is empty')
        self.binded = True
        self.for_training = for_training
        self.inputs_need_grad = inputs_need_grad
        self._label_shapes = label_shapes
        my_data_shapes = data_shapes
        any_takes_labels = False
        for index, module in enumerate(self._modules):
            takes_labels = self._takes_labels(index)
            any_takes_labels = any_takes_labels or takes_labels
            if self._metas[index].get(self.META_AUTO_WIRING, False):
                data_names = module.data_names
                if len(data_names) != len(my_data_shapes):
                    raise MXNetError('SequentialModule.bind: layer %d takes %d data inputs, '
                                     'the previous layer gives %d'
                                     % (index, len(data_names), len(my_data_shapes)))
                my_data_shapes = [(name, shape) for name, (_, shape)
                                  in zip(data_names, my_data_shapes)]
            module.bind(data_shapes=my_data_shapes,
                        label_shapes=label_shapes if takes_labels else None,
                        for_training=for_training,
                        inputs_need_grad=bool(inputs_need_grad or (for_training and index > 0)),
                        force_rebind=force_rebind, shared_module=None, grad_req=grad_req)
            my_data_shapes = module.output_shapes
        if not any_takes_labels:
            self._label_shapes = None

    def init_optimizer(self, kvstore='local', optimizer='sgd',
                       optimizer_params=(('learning_rate', 0.01),), force_init=False):
        """Give each module its optimizer."""
        self._check_ready()
        if self.optimizer_initialized and not force_init:
            self.logger.warning('optimizer already initialized, ignoring.')
            return
        for module in self._modules:
            module.init_optimizer(kvstore=kvstore, optimizer=optimizer,
                                  optimizer_params=optimizer_params, force_init=force_init)
        self.optimizer_initialized = True

    # ------------------------------------------------------------------ running
    def forward(self, data_batch, is_train=None):
        """Run the modules in order, each on the previous one's outputs."""
        self._check_ready()
        data_batch = copy.copy(data_batch)
        for index, module in enumerate(self._modules):
            module.forward(data_batch, is_train=is_train)
            if index + 1 == len(self._modules):
                break
            data_batch.data = module.get_outputs()
            if hasattr(data_batch, 'provide_data'):
                names = [name for name, _ in module.output_shapes]
                data_batch.provide_data = [(name, array.shape)
                                           for name, array in zip(names, data_batch.data)]

    def backward(self, out_grads=None):
        """Run the modules' backward in reverse order, each on the next one's input
        gradients."""
        self._check_ready()
        for index in reversed(range(len(self._modules))):
            module = self._modules[index]
            module.backward(out_grads=out_grads)
            if index == 0:
                break
            out_grads = module.get_input_grads()

    def update(self):
        if not (self.binded and self.params_initialized and self.optimizer_initialized):
            raise MXNetError('SequentialModule.update: call bind, init_params and '
                             'init_optimizer first')
        for module in self._modules:
            module.update()

    def get_outputs(self, merge_multi_context=True):
        self._check_ready()
        return self._modules[-1].get_outputs(merge_multi_context=merge_multi_context)

    def get_input_grads(self, merge_multi_context=True):
        self._check_ready()
        if not self.inputs_need_grad:
            raise MXNetError('SequentialModule.get_input_grads: bind with '
                             'inputs_need_grad=True')
        return self._modules[0].get_input_grads(merge_multi_context=merge_multi_context)

    def update_metric(self, eval_metric, labels, pre_sliced=False):
        """Update the metric with each module that takes labels."""
        self._check_ready()
        for index, module in enumerate(self._modules):
            if self._takes_labels(index):
                module.update_metric(eval_metric, labels, pre_sliced)

    def install_monitor(self, mon):
        self._check_bound()
        for module in self._modules:
            module.install_monitor(mon)
