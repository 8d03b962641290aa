"""`BaseModule`: the training and evaluation loops shared by every module (`fit`, `score`,
`predict`, parameter files), written against the abstract bind/forward/backward/update API."""
import logging
import time
import warnings

import jax.numpy as jnp
import numpy as np

from .. import metric, ndarray as nd
from ..base import MXNetError
from ..initializer import Uniform
from ..io import DataBatch, DataDesc, DataIter
from ..model import BatchEndParam


def _call_each(callbacks, *args):
    """Call a callback, or each of a list of them, with `args` (None: nothing to call)."""
    if callbacks is None:
        return
    for callback in callbacks if isinstance(callbacks, list) else [callbacks]:
        callback(*args)


def _check_input_names(symbol, names, typename, throw):
    """Each name must be an argument of `symbol`; the message lists the likely candidates."""
    args = symbol.list_arguments()
    for name in names:
        if name in args:
            continue
        candidates = [arg for arg in args
                      if not arg.endswith(('_weight', '_bias', '_gamma', '_beta'))]
        msg = ("You created Module with Module(..., %s_names=%s) but input with name '%s' is "
               'not found in symbol.list_arguments(). Did you mean one of:\n\t%s'
               % (typename, str(names), name, '\n\t'.join(candidates)))
        if throw:
            raise ValueError(msg)
        warnings.warn(msg)


def _check_names_match(data_names, data_shapes, name, throw):
    actual = [x[0] for x in data_shapes]
    if sorted(data_names) != sorted(actual):
        msg = ("Data provided by %s_shapes don't match names specified by %s_names (%s vs. %s)"
               % (name, name, str(data_shapes), str(data_names)))
        if throw:
            raise ValueError(msg)
        warnings.warn(msg)


def _parse_data_desc(data_names, label_names, data_shapes, label_shapes):
    """Data and label shapes as DataDescs, checked against the module's input names."""
    data_shapes = [x if isinstance(x, DataDesc) else DataDesc(*x) for x in data_shapes]
    _check_names_match(data_names, data_shapes, 'data', True)
    if label_shapes is not None:
        label_shapes = [x if isinstance(x, DataDesc) else DataDesc(*x) for x in label_shapes]
        _check_names_match(label_names, label_shapes, 'label', False)
    else:
        _check_names_match(label_names, [], 'label', False)
    return data_shapes, label_shapes


def _concatenate(arrays):
    return nd.NDArray(jnp.concatenate([a._data for a in arrays], axis=0), arrays[0].context)


class BaseModule:
    """A trainable computation: subclasses provide bind, init_params, init_optimizer,
    forward, backward, update, get_outputs, update_metric and get/set params."""

    def __init__(self, logger=logging):
        self.logger = logger
        self.binded = False
        self.for_training = False
        self.inputs_need_grad = False
        self.params_initialized = False
        self.optimizer_initialized = False
        self._symbol = None
        self._total_exec_bytes = 0

    @property
    def symbol(self):
        return self._symbol

    # ------------------------------------------------------------------ loops
    def forward_backward(self, data_batch):
        """A training forward followed by backward."""
        self.forward(data_batch, is_train=True)
        self.backward()

    def _train_step(self, data_batch):
        """One training step of `fit`: forward, backward and the parameter update."""
        self.forward_backward(data_batch)
        self.update()

    def score(self, eval_data, eval_metric, num_batch=None, batch_end_callback=None,
              score_end_callback=None, reset=True, epoch=0, sparse_row_id_fn=None):
        """Run inference over `eval_data` and return the metric's ``[(name, value)]``."""
        self._check_ready()
        if reset:
            eval_data.reset()
        if not isinstance(eval_metric, metric.EvalMetric):
            eval_metric = metric.create(eval_metric)
        eval_metric.reset()
        actual_num_batch = 0
        for nbatch, eval_batch in enumerate(eval_data):
            if num_batch is not None and nbatch == num_batch:
                break
            self.prepare(eval_batch, sparse_row_id_fn=sparse_row_id_fn)
            self.forward(eval_batch, is_train=False)
            self.update_metric(eval_metric, eval_batch.label)
            if batch_end_callback is not None:
                _call_each(batch_end_callback, BatchEndParam(
                    epoch=epoch, nbatch=nbatch, eval_metric=eval_metric, locals=locals()))
            actual_num_batch += 1
        if score_end_callback:
            _call_each(score_end_callback, BatchEndParam(
                epoch=epoch, nbatch=actual_num_batch, eval_metric=eval_metric, locals=locals()))
        return eval_metric.get_name_value()

    def iter_predict(self, eval_data, num_batch=None, reset=True, sparse_row_id_fn=None):
        """Yield ``(outputs without padding, batch index, batch)`` for each batch."""
        self._check_ready()
        if reset:
            eval_data.reset()
        for nbatch, eval_batch in enumerate(eval_data):
            if num_batch is not None and nbatch == num_batch:
                break
            self.prepare(eval_batch, sparse_row_id_fn=sparse_row_id_fn)
            self.forward(eval_batch, is_train=False)
            pad = eval_batch.pad or 0
            outputs = [out[0:out.shape[0] - pad] for out in self.get_outputs()]
            yield (outputs, nbatch, eval_batch)

    def predict(self, eval_data, num_batch=None, merge_batches=True, reset=True,
                always_output_list=False, sparse_row_id_fn=None):
        """Outputs over a DataIter (padding removed, batches concatenated when
        `merge_batches`) or for one array."""
        self._check_ready()
        if isinstance(eval_data, (nd.NDArray, np.ndarray)):
            if isinstance(eval_data, np.ndarray):
                eval_data = nd.array(eval_data)
            self.forward(DataBatch([eval_data]))
            return self.get_outputs()[0]
        if not isinstance(eval_data, DataIter):
            raise ValueError('eval_data must be of type NDArray or DataIter')
        output_list = [[out.copy() for out in outputs] for outputs, _, _ in
                       self.iter_predict(eval_data, num_batch, reset, sparse_row_id_fn)]
        if not output_list or not merge_batches:
            return output_list
        num_outputs = len(output_list[0])
        if any(len(out) != num_outputs for out in output_list):
            raise MXNetError('predict: cannot merge batches with different numbers of outputs')
        merged = [_concatenate([out[i] for out in output_list]) for i in range(num_outputs)]
        if num_outputs == 1 and not always_output_list:
            return merged[0]
        return merged

    def fit(self, train_data, eval_data=None, eval_metric='acc', epoch_end_callback=None,
            batch_end_callback=None, kvstore='local', optimizer='sgd',
            optimizer_params=(('learning_rate', 0.01),), eval_end_callback=None,
            eval_batch_end_callback=None, initializer=Uniform(0.01), arg_params=None,
            aux_params=None, allow_missing=False, force_rebind=False, force_init=False,
            begin_epoch=0, num_epoch=None, validation_metric=None, monitor=None,
            sparse_row_id_fn=None):
        """Train for epochs ``begin_epoch .. num_epoch-1``, logging the training metric and
        time of each epoch and, with `eval_data`, the validation metric."""
        if num_epoch is None:
            raise MXNetError('fit: please specify number of epochs (num_epoch)')
        self.bind(data_shapes=train_data.provide_data, label_shapes=train_data.provide_label,
                  for_training=True, force_rebind=force_rebind)
        if monitor is not None:
            self.install_monitor(monitor)
        self.init_params(initializer=initializer, arg_params=arg_params, aux_params=aux_params,
                         allow_missing=allow_missing, force_init=force_init)
        self.init_optimizer(kvstore=kvstore, optimizer=optimizer,
                            optimizer_params=optimizer_params)
        if validation_metric is None:
            validation_metric = eval_metric
        if not isinstance(eval_metric, metric.EvalMetric):
            eval_metric = metric.create(eval_metric)
        for epoch in range(begin_epoch, num_epoch):
            tic = time.time()
            eval_metric.reset()
            nbatch = 0
            data_iter = iter(train_data)
            end_of_batch = False
            next_data_batch = next(data_iter)
            while not end_of_batch:
                data_batch = next_data_batch
                if monitor is not None:
                    monitor.tic()
                self._train_step(data_batch)
                self.update_metric(eval_metric, data_batch.label)
                try:
                    next_data_batch = next(data_iter)
                    self.prepare(next_data_batch, sparse_row_id_fn=sparse_row_id_fn)
                except StopIteration:
                    end_of_batch = True
                if monitor is not None:
                    monitor.toc_print()
                if end_of_batch:
                    eval_name_vals = eval_metric.get_global_name_value()
                if batch_end_callback is not None:
                    _call_each(batch_end_callback, BatchEndParam(
                        epoch=epoch, nbatch=nbatch, eval_metric=eval_metric, locals=locals()))
                nbatch += 1
            for name, value in eval_name_vals:
                self.logger.info('Epoch[%d] Train-%s=%f', epoch, name, value)
            self.logger.info('Epoch[%d] Time cost=%.3f', epoch, time.time() - tic)
            arg_params, aux_params = self.get_params()
            self.set_params(arg_params, aux_params)
            _call_each(epoch_end_callback, epoch, self.symbol, arg_params, aux_params)
            if eval_data is not None:
                res = self.score(eval_data, validation_metric,
                                 score_end_callback=eval_end_callback,
                                 batch_end_callback=eval_batch_end_callback, epoch=epoch)
                for name, value in res:
                    self.logger.info('Epoch[%d] Validation-%s=%f', epoch, name, value)
            train_data.reset()

    # ------------------------------------------------------------------ parameters
    def _check_ready(self):
        if not (self.binded and self.params_initialized):
            raise MXNetError('%s: call bind and init_params first' % self.__class__.__name__)

    def set_params(self, arg_params, aux_params, allow_missing=False, force_init=True,
                   allow_extra=False):
        """Assign parameter values (copies)."""
        self.init_params(initializer=None, arg_params=arg_params, aux_params=aux_params,
                         allow_missing=allow_missing, force_init=force_init,
                         allow_extra=allow_extra)

    def save_params(self, fname):
        """Write the parameters as an MXNet ``.params`` file (``arg:`` / ``aux:`` names)."""
        arg_params, aux_params = self.get_params()
        saved = {'arg:%s' % k: v for k, v in arg_params.items()}
        saved.update({'aux:%s' % k: v for k, v in aux_params.items()})
        nd.save(fname, saved)

    def load_params(self, fname):
        """Assign the parameters stored in an MXNet ``.params`` file."""
        loaded = nd.load(fname)
        if not isinstance(loaded, dict):
            raise ValueError('Invalid param file %s: it holds a list of arrays, not arg:<name> '
                             'and aux:<name> entries' % fname)
        arg_params, aux_params = {}, {}
        for key, value in loaded.items():
            kind, _, name = key.partition(':')
            if kind == 'arg':
                arg_params[name] = value
            elif kind == 'aux':
                aux_params[name] = value
            else:
                raise ValueError('Invalid param file %s: key %r is not arg:<name> or aux:<name>'
                                 % (fname, key))
        self.set_params(arg_params, aux_params)

    def get_states(self, merge_multi_context=True):
        self._check_ready()
        return []

    def set_states(self, states=None, value=None):
        self._check_ready()
        if states or value:
            raise MXNetError('%s has no states to set' % self.__class__.__name__)

    def prepare(self, data_batch, sparse_row_id_fn=None):
        """Get ready for a batch (nothing to do without sparse parameters)."""
        if sparse_row_id_fn is not None:
            warnings.warn(UserWarning('sparse_row_id_fn is not invoked for BaseModule.'))

    # ------------------------------------------------------------------ abstract API
    def _abstract(self, what):
        raise NotImplementedError('%s does not implement %s' % (self.__class__.__name__, what))

    data_names = property(lambda self: self._abstract('data_names'))
    output_names = property(lambda self: self._abstract('output_names'))
    data_shapes = property(lambda self: self._abstract('data_shapes'))
    label_shapes = property(lambda self: self._abstract('label_shapes'))
    output_shapes = property(lambda self: self._abstract('output_shapes'))

    def get_params(self):
        self._abstract('get_params')

    def init_params(self, initializer=Uniform(0.01), arg_params=None, aux_params=None,
                    allow_missing=False, force_init=False, allow_extra=False):
        self._abstract('init_params')

    def install_monitor(self, mon):
        self._abstract('install_monitor')

    def forward(self, data_batch, is_train=None):
        self._abstract('forward')

    def backward(self, out_grads=None):
        self._abstract('backward')

    def get_outputs(self, merge_multi_context=True):
        self._abstract('get_outputs')

    def get_input_grads(self, merge_multi_context=True):
        self._abstract('get_input_grads')

    def update(self):
        self._abstract('update')

    def update_metric(self, eval_metric, labels, pre_sliced=False):
        self._abstract('update_metric')

    def bind(self, data_shapes, label_shapes=None, for_training=True, inputs_need_grad=False,
             force_rebind=False, shared_module=None, grad_req='write'):
        self._abstract('bind')

    def init_optimizer(self, kvstore='local', optimizer='sgd',
                       optimizer_params=(('learning_rate', 0.01),), force_init=False):
        self._abstract('init_optimizer')
