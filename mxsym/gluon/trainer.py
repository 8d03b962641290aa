"""Gluon's `Trainer`: applies an `mx.optimizer` to a set of Parameters after each backward,
summing gradients over the contexts first."""
from .. import ndarray
from .. import optimizer as opt
from ..base import MXNetError
from .parameter import Parameter, ParameterDict


class Trainer:
    """Updates `params` (a ParameterDict, dict or list of Parameters) with `optimizer` (a name
    with `optimizer_params`, or an Optimizer)."""

    def __init__(self, params, optimizer, optimizer_params=None, kvstore='device',
                 compression_params=None, update_on_kvstore=None):
        if isinstance(params, (dict, ParameterDict)):
            params = list(params.values())
        if not isinstance(params, (list, tuple)):
            raise MXNetError('First argument must be a list or dict of Parameters, got %s.'
                             % type(params))
        self._params = []
        self._param2idx = {}
        for param in params:
            if not isinstance(param, Parameter):
                raise MXNetError('First argument must be a list or dict of Parameters, got '
                                 'list of %s.' % type(param))
            if param.name in self._param2idx:
                continue
            self._param2idx[param.name] = len(self._params)
            self._params.append(param)
            param._trainer = self
        self._compression_params = compression_params
        self._kvstore_type = kvstore
        self._update_on_kvstore = bool(update_on_kvstore)
        self._contexts = self._check_contexts()
        optimizer_params = optimizer_params if optimizer_params else {}
        self._init_optimizer(optimizer, optimizer_params)
        self._scale = self._optimizer.rescale_grad

    def _check_contexts(self):
        contexts = None
        for param in self._params:
            ctx = param.list_ctx()
            if contexts is not None and contexts != ctx:
                raise MXNetError("All Parameters must be initialized on the same set of "
                                 "contexts, but Parameter %s is initialized on %s while previous "
                                 "Parameters are initialized on %s."
                                 % (param.name, ctx, contexts))
            contexts = ctx
        return contexts

    def _init_optimizer(self, optimizer, optimizer_params):
        param_dict = dict(enumerate(self._params))
        if isinstance(optimizer, opt.Optimizer):
            if optimizer_params:
                raise MXNetError('optimizer_params must be None if optimizer is an instance of '
                                 'Optimizer instead of str')
            self._optimizer = optimizer
            self._optimizer.param_dict = param_dict
        else:
            self._optimizer = opt.create(optimizer, param_dict=param_dict, **optimizer_params)
        self._updaters = [opt.get_updater(self._optimizer) for _ in self._contexts or [None]]

    @property
    def learning_rate(self):
        if not isinstance(self._optimizer, opt.Optimizer):
            raise UserWarning('Optimizer has to be defined before its learning rate can be '
                              'accessed.')
        return self._optimizer.learning_rate

    @property
    def optimizer(self):
        return self._optimizer

    def set_learning_rate(self, lr):
        """Set the optimizer's learning rate."""
        self._optimizer.set_learning_rate(lr)

    def step(self, batch_size, ignore_stale_grad=False):
        """One update with gradients rescaled by ``1 / batch_size`` (after the
        backward that computed them)."""
        self._optimizer.rescale_grad = self._scale / batch_size
        self._allreduce_grads()
        self._update(ignore_stale_grad)

    def allreduce_grads(self):
        """Sum the gradients over the contexts (for a manual `update` after)."""
        self._allreduce_grads()

    def _allreduce_grads(self):
        for param in self._params:
            if param.grad_req == 'null':
                continue
            grads = param.list_grad()
            if len(grads) < 2:
                continue
            total = ndarray.add_n(*[grad.as_in_context(grads[0].context) for grad in grads])
            for grad in grads:
                grad[:] = total.as_in_context(grad.context)

    def update(self, batch_size, ignore_stale_grad=False):
        """Apply the optimizer with the gradients as they are (after `allreduce_grads`)."""
        self._optimizer.rescale_grad = self._scale / batch_size
        self._update(ignore_stale_grad)

    def _update(self, ignore_stale_grad=False):
        updates = [[] for _ in self._updaters]
        for index, param in enumerate(self._params):
            if param.grad_req == 'null':
                continue
            if not ignore_stale_grad:
                for data in param.list_data():
                    if not data._fresh_grad:
                        raise UserWarning(
                            "Gradient of Parameter `%s` on context %s has not been updated by "
                            "backward since last `step`. This could mean a bug in your model "
                            "that made it only use a subset of the Parameters (Blocks) for this "
                            "iteration. If you are intentionally only using a subset, call step "
                            "with ignore_stale_grad=True to suppress this warning and skip "
                            "updating of Parameters with stale gradient"
                            % (param.name, str(data.context)))
            for pending, data, grad in zip(updates, param.list_data(), param.list_grad()):
                if not ignore_stale_grad or data._fresh_grad:
                    pending.append((index, grad, data))
                    data._fresh_grad = False
        for updater, pending in zip(self._updaters, updates):
            if pending:
                indices, grads, weights = zip(*pending)
                updater(list(indices), list(grads), list(weights))

    def save_states(self, fname):
        """Write the optimizer's states (and the optimizer) to `fname`."""
        with open(fname, 'wb') as out:
            out.write(self._updaters[0].get_states(dump_optimizer=True))

    def load_states(self, fname):
        """Read states written by `save_states` (by mxsym or MXNet)."""
        with open(fname, 'rb') as source:
            states = source.read()
        for updater in self._updaters:
            updater.set_states(states)
            updater.optimizer = self._updaters[0].optimizer
        self._optimizer = self._updaters[0].optimizer
        self._optimizer.param_dict = dict(enumerate(self._params))
