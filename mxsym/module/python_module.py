"""`PythonModule`: a module computed in Python rather than from a symbol, and
`PythonLossModule`, a loss whose gradient a Python function gives; both usually close a
`SequentialModule`."""
import logging

from .. import ndarray as nd
from ..base import MXNetError
from ..initializer import Uniform
from .base_module import BaseModule


class PythonModule(BaseModule):
    """A module without parameters: bind records the shapes, the parameter and optimizer
    methods do nothing; subclasses give `_compute_output_shapes`, forward, backward and the
    outputs."""

    def __init__(self, data_names, label_names, output_names, logger=logging):
        super().__init__(logger=logger)
        self._data_names = list(data_names) if isinstance(data_names, tuple) else data_names
        self._label_names = list(label_names) if isinstance(label_names, tuple) else label_names
        self._output_names = output_names
        self._data_shapes = None
        self._label_shapes = None
        self._output_shapes = None

    @property
    def data_names(self):
        return self._data_names

    @property
    def output_names(self):
        return self._output_names

    @property
    def data_shapes(self):
        return self._data_shapes

    @property
    def label_shapes(self):
        return self._label_shapes

    @property
    def output_shapes(self):
        return self._output_shapes

    def get_params(self):
        return (dict(), dict())

    def init_params(self, initializer=Uniform(0.01), arg_params=None, aux_params=None,
                    allow_missing=False, force_init=False, allow_extra=False):
        """Nothing to initialize."""

    def init_optimizer(self, kvstore='local', optimizer='sgd',
                       optimizer_params=(('learning_rate', 0.01),), force_init=False):
        """Nothing to optimize."""

    def update(self):
        """Nothing to update."""

    def update_metric(self, eval_metric, labels, pre_sliced=False):
        """Update `eval_metric` with the outputs against `labels` (nothing without labels)."""
        if self._label_shapes is None:
            return
        if pre_sliced:
            raise RuntimeError('PythonModule does not support presliced labels')
        eval_metric.update(labels, self.get_outputs())

    def bind(self, data_shapes, label_shapes=None, for_training=True, inputs_need_grad=False,
             force_rebind=False, shared_module=None, grad_req='write'):
        """Record the data and label shapes (they must follow the module's names) and
        compute the output shapes."""
        if self.binded and not force_rebind:
            self.logger.warning('Already bound, ignoring bind()')
            return
        if grad_req != 'write':
            raise MXNetError('PythonModule.bind: only grad_req "write" is supported, got %r'
                             % (grad_req,))
        data_given = [x[0] for x in data_shapes]
        if data_given != self._data_names:
            raise MXNetError('PythonModule.bind: data_shapes name %s, the module takes %s'
                             % (data_given, self._data_names))
        if label_shapes is not None:
            label_given = [x[0] for x in label_shapes]
            if self._label_names is None or label_given != self._label_names:
                raise MXNetError('PythonModule.bind: label_shapes name %s, the module takes %s'
                                 % (label_given, self._label_names))
        self.for_training = for_training
        self.inputs_need_grad = inputs_need_grad
        self._data_shapes = data_shapes
        self._label_shapes = label_shapes
        self._output_shapes = self._compute_output_shapes()
        self.binded = True

    def _compute_output_shapes(self):
        """``[(name, shape)]`` of the outputs, from the bound data and label shapes."""
        raise NotImplementedError('%s does not implement _compute_output_shapes'
                                  % self.__class__.__name__)


class PythonLossModule(PythonModule):
    """A loss layer in Python: its output is its input (the scores, named
    ``name + '_output'``), and its input gradient is ``grad_func(scores, labels)``."""

    def __init__(self, name='pyloss', data_names=('data',), label_names=('softmax_label',),
                 logger=logging, grad_func=None):
        super().__init__(data_names, label_names, [name + '_output'], logger=logger)
        if len(data_names) != 1 or len(label_names) != 1:
            raise MXNetError('PythonLossModule: takes one data and one label input, got %s '
                             'and %s' % (list(data_names), list(label_names)))
        if grad_func is not None and not callable(grad_func):
            raise MXNetError('PythonLossModule: grad_func must be callable')
        self._name = name
        self._grad_func = grad_func
        self._scores = None
        self._labels = None
        self._scores_grad = None

    def _compute_output_shapes(self):
        return [(self._name + '_output', self._data_shapes[0][1])]

    def forward(self, data_batch, is_train=None):
        """Keep the scores (and, when training, the labels) for backward."""
        self._scores = data_batch.data[0]
        if is_train is None:
            is_train = self.for_training
        if is_train:
            self._labels = data_batch.label[0]

    def get_outputs(self, merge_multi_context=True):
        """The scores given to the last forward."""
        return [self._scores]

    def backward(self, out_grads=None):
        """The gradient of the loss with respect to the scores (a loss takes no
        out_grads)."""
        if out_grads is not None:
            raise MXNetError('PythonLossModule.backward: a loss module takes no out_grads')
        if not self.for_training:
            raise MXNetError('PythonLossModule.backward: bind with for_training=True')
        self._backward_impl()

    def _backward_impl(self):
        """Set ``self._scores_grad`` from ``self._scores`` and ``self._labels``: by default
        ``grad_func``'s result, as an NDArray."""
        if self._grad_func is None:
            raise NotImplementedError('PythonLossModule: give grad_func or override '
                                      '_backward_impl')
        grad = self._grad_func(self._scores, self._labels)
        self._scores_grad = grad if isinstance(grad, nd.NDArray) else nd.array(grad)

    def get_input_grads(self, merge_multi_context=True):
        """The gradient computed by the last backward."""
        return [self._scores_grad]

    def install_monitor(self, mon):
        raise NotImplementedError('PythonLossModule has no executor to monitor')
