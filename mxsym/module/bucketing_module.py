"""`BucketingModule`: one symbol per bucket key (an unrolled RNN per sequence length, say),
each bound as its own `Module`, all sharing the default bucket's parameters, gradients, aux
states and optimizer.

Each bucket keeps its executor, so its compiled programs stay with it: switching back to a
bucket already seen is a dictionary lookup, never a new compile.
"""
import logging
import warnings

import numpy as np

from .. import context as ctx, ndarray as nd, symbol as sym
from ..base import MXNetError
from ..initializer import Uniform
from ..model import load_params
from ..name import NameManager
from .base_module import BaseModule, _check_input_names
from .module import Module


class BucketingModule(BaseModule):
    """A module whose symbol depends on each batch's ``bucket_key``: ``sym_gen(key)`` gives
    ``(symbol, data_names, label_names)``; the default bucket is bound first and holds the
    parameters every other bucket shares."""

    def __init__(self, sym_gen, default_bucket_key=None, logger=logging, context=ctx.cpu(),
                 work_load_list=None, fixed_param_names=None, state_names=None,
                 group2ctxs=None, compression_params=None):
        super().__init__(logger=logger)
        if default_bucket_key is None:
            raise MXNetError('BucketingModule: default_bucket_key must be given')
        self._default_bucket_key = default_bucket_key
        self._sym_gen = sym_gen
        symbol, data_names, label_names = self._call_sym_gen(default_bucket_key)
        data_names = list(data_names) if data_names is not None else []
        label_names = list(label_names) if label_names is not None else []
        state_names = list(state_names) if state_names is not None else []
        fixed_param_names = list(fixed_param_names) if fixed_param_names is not None else []
        _check_input_names(symbol, data_names, 'data', True)
        _check_input_names(symbol, label_names, 'label', False)
        _check_input_names(symbol, state_names, 'state', True)
        _check_input_names(symbol, fixed_param_names, 'fixed_param', True)
        self._module_kwargs = dict(
            logger=logger, context=context, work_load_list=work_load_list,
            fixed_param_names=fixed_param_names, state_names=state_names,
            group2ctxs=group2ctxs, compression_params=compression_params)
        self._buckets = {}
        self._curr_module = None
        self._curr_bucket_key = None
        self._params_dirty = False
        self._monitor = None
        self._grad_req = None

    def _reset_bind(self):
        self.binded = False
        self._buckets = {}
        self._curr_module = None
        self._curr_bucket_key = None

    def _call_sym_gen(self, bucket_key):
        """`sym_gen(bucket_key)` with fresh automatic names, so every bucket's symbol names
        its nodes (and so its parameters) alike."""
        with NameManager():
            return self._sym_gen(bucket_key)

    def _new_module(self, bucket_key):
        symbol, data_names, label_names = self._call_sym_gen(bucket_key)
        return Module(symbol, data_names, label_names, **self._module_kwargs)

    def _check_bound(self):
        if not self.binded:
            raise MXNetError('BucketingModule: call bind first')

    # ------------------------------------------------------------------ description
    @property
    def data_names(self):
        if self.binded:
            return self._curr_module.data_names
        return self._call_sym_gen(self._default_bucket_key)[1]

    @property
    def output_names(self):
        if self.binded:
            return self._curr_module.output_names
        return self._call_sym_gen(self._default_bucket_key)[0].list_outputs()

    @property
    def data_shapes(self):
        self._check_bound()
        return self._curr_module.data_shapes

    @property
    def label_shapes(self):
        self._check_bound()
        return self._curr_module.label_shapes

    @property
    def output_shapes(self):
        self._check_bound()
        return self._curr_module.output_shapes

    @property
    def symbol(self):
        """The symbol of the current bucket."""
        self._check_bound()
        return self._curr_module.symbol

    # ------------------------------------------------------------------ parameters
    def get_params(self):
        if not self.params_initialized:
            raise MXNetError('BucketingModule.get_params: parameters are not initialized')
        self._curr_module._params_dirty = self._params_dirty
        params = self._curr_module.get_params()
        self._params_dirty = False
        return params

    def set_params(self, arg_params, aux_params, allow_missing=False, force_init=True,
                   allow_extra=False):
        if not allow_missing:
            self.init_params(initializer=None, arg_params=arg_params, aux_params=aux_params,
                             allow_missing=allow_missing, force_init=force_init)
            return
        if self.params_initialized and not force_init:
            warnings.warn('Parameters already initialized and force_init=False. '
                          'set_params call ignored.', stacklevel=2)
            return
        self._curr_module.set_params(arg_params, aux_params, allow_missing=allow_missing,
                                     force_init=force_init, allow_extra=allow_extra)
        self._params_dirty = True
        self.params_initialized = True

    def init_params(self, initializer=Uniform(0.01), arg_params=None, aux_params=None,
                    allow_missing=False, force_init=False, allow_extra=False):
        if self.params_initialized and not force_init:
            return
        if not self.binded:
            raise MXNetError('BucketingModule.init_params: call bind before initializing the '
                             'parameters')
        self._curr_module.init_params(initializer=initializer, arg_params=arg_params,
                                      aux_params=aux_params, allow_missing=allow_missing,
                                      force_init=force_init, allow_extra=allow_extra)
        self._params_dirty = False
        self.params_initialized = True

    def get_states(self, merge_multi_context=True):
        self._check_ready()
        return self._curr_module.get_states(merge_multi_context=merge_multi_context)

    def set_states(self, states=None, value=None):
        self._check_ready()
        self._curr_module.set_states(states, value)

    # ------------------------------------------------------------------ binding
    def bind(self, data_shapes, label_shapes=None, for_training=True, inputs_need_grad=False,
             force_rebind=False, shared_module=None, grad_req='write'):
        """Bind the default bucket's module for these shapes; the other buckets are bound
        by `switch_bucket` as their keys come."""
        if self.params_initialized:
            arg_params, aux_params = self.get_params()
        if force_rebind:
            self._reset_bind()
        if self.binded:
            self.logger.warning('Already bound, ignoring bind()')
            return
        if shared_module is not None:
            raise MXNetError('BucketingModule.bind: shared_module is not supported')
        self.for_training = for_training
        self.inputs_need_grad = inputs_need_grad
        self.binded = True
        self._grad_req = grad_req
        key = self._default_bucket_key
        module = self._buckets.get(key) or self._new_module(key)
        module.bind(data_shapes, label_shapes, for_training, inputs_need_grad,
                    force_rebind=False, shared_module=None, grad_req=grad_req)
        self._curr_module = module
        self._curr_bucket_key = key
        self._buckets[key] = module
        if self.params_initialized:
            self.set_params(arg_params, aux_params)

    def switch_bucket(self, bucket_key, data_shapes, label_shapes=None):
        """Make `bucket_key`'s module the current one, binding it first (sharing the default
        bucket's arrays) the first time the key comes."""
        if not self.binded:
            raise MXNetError('BucketingModule.switch_bucket: call bind before switching bucket')
        module = self._buckets.get(bucket_key)
        if module is None:
            module = self._new_module(bucket_key)
            self._bind_bucket(module, data_shapes, label_shapes)
            if self._monitor is not None:
                module.install_monitor(self._monitor)
            self._buckets[bucket_key] = module
        elif not module.binded:
            self._bind_bucket(module, data_shapes, label_shapes)
        self._curr_module = module
        self._curr_bucket_key = bucket_key

    def _bind_bucket(self, module, data_shapes, label_shapes):
        module.bind(data_shapes, label_shapes, self._curr_module.for_training,
                    self._curr_module.inputs_need_grad, force_rebind=False,
                    shared_module=self._buckets[self._default_bucket_key],
                    grad_req=self._grad_req)

    # ------------------------------------------------------------------ optimizer
    def init_optimizer(self, kvstore='local', optimizer='sgd',
                       optimizer_params=(('learning_rate', 0.01),), force_init=False):
        """Create the optimizer on the current bucket; every bucket shares it (and its
        states)."""
        self._check_ready()
        if self.optimizer_initialized and not force_init:
            self.logger.warning('optimizer already initialized, ignoring.')
            return
        self._curr_module.init_optimizer(kvstore, optimizer, optimizer_params,
                                         force_init=force_init)
        for module in self._buckets.values():
            if module is not self._curr_module:
                module.borrow_optimizer(self._curr_module)
        self.optimizer_initialized = True

    # ------------------------------------------------------------------ running
    def _switch_to_batch(self, data_batch):
        self.switch_bucket(data_batch.bucket_key, data_batch.provide_data,
                           data_batch.provide_label)

    def prepare(self, data_batch, sparse_row_id_fn=None):
        """Bind the batch's bucket if it is new, leaving the current bucket unchanged."""
        self._check_ready()
        original_key = self._curr_bucket_key
        self._switch_to_batch(data_batch)
        self._curr_module.prepare(data_batch, sparse_row_id_fn=sparse_row_id_fn)
        self.switch_bucket(original_key, None, None)

    def forward(self, data_batch, is_train=None):
        self._check_ready()
        self._switch_to_batch(data_batch)
        self._curr_module.forward(data_batch, is_train=is_train)

    def backward(self, out_grads=None):
        self._check_ready()
        self._curr_module.backward(out_grads=out_grads)

    def update(self):
        if not (self.binded and self.params_initialized and self.optimizer_initialized):
            raise MXNetError('BucketingModule.update: call bind, init_params and '
                             'init_optimizer first')
        self._params_dirty = True
        self._curr_module.update()

    def _train_step(self, data_batch):
        """`fit`'s step on the batch's bucket: that bucket's own training step."""
        self._switch_to_batch(data_batch)
        self._params_dirty = True
        self._curr_module._train_step(data_batch)

    def get_outputs(self, merge_multi_context=True):
        self._check_ready()
        return self._curr_module.get_outputs(merge_multi_context=merge_multi_context)

    def get_input_grads(self, merge_multi_context=True):
        self._check_ready()
        return self._curr_module.get_input_grads(merge_multi_context=merge_multi_context)

    def update_metric(self, eval_metric, labels, pre_sliced=False):
        self._check_ready()
        self._curr_module.update_metric(eval_metric, labels, pre_sliced)

    def install_monitor(self, mon):
        """Install `mon` on every bucket's executor, and on those bound later."""
        self._check_bound()
        self._monitor = mon
        for module in self._buckets.values():
            module.install_monitor(mon)

    # ------------------------------------------------------------------ checkpoints
    def save_checkpoint(self, prefix, epoch, remove_amp_cast=False):
        """Write ``prefix-EPOCH.params``, one ``prefix-KEY-symbol.json`` per bucket and the
        bucket keys as ``prefix.buckets``."""
        if not self._buckets:
            raise MXNetError('BucketingModule.save_checkpoint: an empty BucketingModule '
                             'cannot be saved')
        self.save_params('%s-%04d.params' % (prefix, epoch))
        for bucket_key in self._buckets:
            symbol, _, _ = self._sym_gen(bucket_key)
            symbol.save('%s-%s-symbol.json' % (prefix, bucket_key),
                        remove_amp_cast=remove_amp_cast)
        nd.save('%s.buckets' % prefix, nd.array(list(self._buckets), dtype=np.int32))

    @staticmethod
    def load(prefix, epoch, sym_gen=None, default_bucket_key=None, **kwargs):
        """A BucketingModule over a checkpoint written by `save_checkpoint` (bind it before
        use); `kwargs` go to the constructor."""
        if sym_gen is None:
            raise MXNetError('BucketingModule.load: sym_gen is required')
        if default_bucket_key is None:
            raise MXNetError('BucketingModule.load: default_bucket_key is required')
        keys = nd.load('%s.buckets' % prefix)[0].asnumpy().astype('int32')
        symbols = {int(key): sym.load('%s-%s-symbol.json' % (prefix, key)) for key in keys}
        arg_params, aux_params = load_params(prefix, epoch)
        return BucketingModule._from_symbols(symbols, sym_gen, default_bucket_key, arg_params,
                                             aux_params, kwargs)

    @staticmethod
    def load_dict(sym_dict=None, sym_gen=None, default_bucket_key=None, arg_params=None,
                  aux_params=None, **kwargs):
        """A BucketingModule over ``{bucket_key: symbol}`` sharing `arg_params` and
        `aux_params` (bind it before use); `kwargs` go to the constructor."""
        for name, value in (('sym_dict', sym_dict), ('arg_params', arg_params),
                            ('aux_params', aux_params),
                            ('default_bucket_key', default_bucket_key)):
            if value is None:
                raise MXNetError('BucketingModule.load_dict: %s is required' % name)
        return BucketingModule._from_symbols(sym_dict, sym_gen, default_bucket_key, arg_params,
                                             aux_params, kwargs, names_key=default_bucket_key)

    @staticmethod
    def _from_symbols(symbols, sym_gen, default_bucket_key, arg_params, aux_params, kwargs,
                      names_key=None):
        """A module with one unbound Module per ``{bucket_key: symbol}``, its data and label
        names from ``sym_gen(names_key or bucket_key)``, the default bucket holding the
        parameters."""
        module = BucketingModule(sym_gen, default_bucket_key, **kwargs)
        for bucket_key, symbol in symbols.items():
            _, data_names, label_names = sym_gen(
                bucket_key if names_key is None else names_key)
            module._buckets[bucket_key] = Module(symbol, data_names, label_names, **kwargs)
        default = module._buckets[default_bucket_key]
        module._curr_module = default
        default._arg_params = arg_params
        default._aux_params = aux_params
        default.params_initialized = True
        module.params_initialized = True
        return module
