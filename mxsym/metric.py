"""`mx.metric`: evaluation metrics accumulated batch by batch, with MXNet 1.9.1's values.

Each metric keeps a local sum and count (`sum_metric`, `num_inst`; `reset_local` clears them, as
Speedometer does between progress lines) and global ones for the whole epoch (`get_global`).
Values are computed on the host with numpy, in the dtypes MXNet uses, so they agree with MXNet to
the last digit where its own arithmetic is numpy's.
"""
import json
import math
from collections import OrderedDict

import numpy

from . import ndarray as nd
from .base import MXNetError

_REGISTRY = {}


def register(klass, *aliases):
    """Make `klass` creatable by `create` under its lower-cased name and the given aliases."""
    for name in (klass.__name__,) + aliases:
        _REGISTRY[name.lower()] = klass
    return klass


def alias(*aliases):
    """Class decorator: register the metric under these extra names too."""
    return lambda klass: register(klass, *aliases)


def check_label_shapes(labels, preds, wrap=False, shape=False):
    """Check that labels and predictions agree in number (or in shape when `shape`); with
    `wrap`, single NDArrays become one-element lists."""
    if shape:
        label_shape, pred_shape = labels.shape, preds.shape
    else:
        label_shape, pred_shape = len(labels), len(preds)
    if label_shape != pred_shape:
        raise ValueError('Shape of labels {} does not match shape of predictions {}'
                         .format(label_shape, pred_shape))
    if wrap:
        if isinstance(labels, nd.NDArray):
            labels = [labels]
        if isinstance(preds, nd.NDArray):
            preds = [preds]
    return labels, preds


def _summed(values):
    """Sum as MXNet's `sum` gives it: compensated, so about the exact sum rounded to the
    array's dtype."""
    return values.dtype.type(values.sum(dtype=numpy.float64))


def _host(array):
    return array.asnumpy() if isinstance(array, nd.NDArray) else numpy.asarray(array)


class EvalMetric:
    """Base metric: `update(labels, preds)` adds a batch, `get()` gives ``(name, value)``."""

    def __init__(self, name, output_names=None, label_names=None, **kwargs):
        self.name = str(name)
        self.output_names = output_names
        self.label_names = label_names
        self._has_global_stats = kwargs.pop('has_global_stats', False)
        self._kwargs = kwargs
        self.reset()

    def __str__(self):
        return 'EvalMetric: {}'.format(dict(self.get_name_value()))

    def get_config(self):
        """The constructor arguments, for `create(config)` to rebuild the metric."""
        config = self._kwargs.copy()
        config.update({'metric': self.__class__.__name__, 'name': self.name,
                       'output_names': self.output_names, 'label_names': self.label_names})
        return config

    def update_dict(self, label, pred):
        """Update from dicts name -> NDArray, picking `label_names` / `output_names` if set."""
        pred = ([pred[name] for name in self.output_names] if self.output_names is not None
                else list(pred.values()))
        label = ([label[name] for name in self.label_names] if self.label_names is not None
                 else list(label.values()))
        self.update(label, pred)

    def update(self, labels, preds):
        raise NotImplementedError('%s does not define update' % self.__class__.__name__)

    def reset(self):
        self.num_inst = 0
        self.sum_metric = 0.0
        self.global_num_inst = 0
        self.global_sum_metric = 0.0

    def reset_local(self):
        self.num_inst = 0
        self.sum_metric = 0.0

    def _add(self, value, count):
        """Add a batch's value and count to the local and global sums. The value is summed as
        a Python float: MXNet ran under NumPy 1, where adding a float32 scalar to the float
        sums gave float64 arithmetic."""
        value = float(value)
        self.sum_metric += value
        self.global_sum_metric += value
        self.num_inst += count
        self.global_num_inst += count

    def get(self):
        if self.num_inst == 0:
            return (self.name, float('nan'))
        return (self.name, self.sum_metric / self.num_inst)

    def get_global(self):
        if not self._has_global_stats:
            return self.get()
        if self.global_num_inst == 0:
            return (self.name, float('nan'))
        return (self.name, self.global_sum_metric / self.global_num_inst)

    @staticmethod
    def _pairs(name, value):
        name = name if isinstance(name, list) else [name]
        value = value if isinstance(value, list) else [value]
        return list(zip(name, value))

    def get_name_value(self):
        return self._pairs(*self.get())

    def get_global_name_value(self):
        if not self._has_global_stats:
            return self.get_name_value()
        return self._pairs(*self.get_global())


def create(metric, *args, **kwargs):
    """A metric from a name ('acc', 'ce', 'mse', ...), a callable (a CustomMetric), a list
    (a CompositeEvalMetric), a config dict or JSON text, or an EvalMetric (returned as is)."""
    if callable(metric):
        return CustomMetric(metric, *args, **kwargs)
    if isinstance(metric, list):
        composite = CompositeEvalMetric()
        for child in metric:
            composite.add(create(child, *args, **kwargs))
        return composite
    if isinstance(metric, EvalMetric):
        if args or kwargs:
            raise MXNetError('metric.create: %s is already a metric; extra arguments are '
                             'invalid' % metric.name)
        return metric
    if isinstance(metric, dict):
        config = dict(metric)
        return create(config.pop('metric'), *args, **config)
    if not isinstance(metric, str):
        raise MXNetError('metric.create: expected a name, a callable, a list or an EvalMetric, '
                         'got %r' % (metric,))
    if metric.startswith('['):
        name, config = json.loads(metric)
        return create(name, **config)
    if metric.startswith('{'):
        return create(json.loads(metric))
    klass = _REGISTRY.get(metric.lower())
    if klass is None:
        raise MXNetError('metric.create: unknown metric %r; known: %s'
                         % (metric, ', '.join(sorted(_REGISTRY))))
    return klass(*args, **kwargs)


@alias('composite')
class CompositeEvalMetric(EvalMetric):
    """Several metrics updated together; `get` returns lists of names and values."""

    def __init__(self, metrics=None, name='composite', output_names=None, label_names=None):
        self.metrics = []
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self.metrics = [create(m) for m in metrics or []]

    def add(self, metric):
        self.metrics.append(create(metric))

    def get_metric(self, index):
        if not 0 <= index < len(self.metrics) and not -len(self.metrics) <= index < 0:
            raise ValueError('Metric index {} is out of range 0 and {}'
                             .format(index, len(self.metrics)))
        return self.metrics[index]

    def update_dict(self, labels, preds):
        if self.label_names is not None:
            labels = OrderedDict(i for i in labels.items() if i[0] in self.label_names)
        if self.output_names is not None:
            preds = OrderedDict(i for i in preds.items() if i[0] in self.output_names)
        for metric in self.metrics:
            metric.update_dict(labels, preds)

    def update(self, labels, preds):
        for metric in self.metrics:
            metric.update(labels, preds)

    def reset(self):
        for metric in getattr(self, 'metrics', []):
            metric.reset()

    def reset_local(self):
        for metric in self.metrics:
            metric.reset_local()

    def _collect(self, getter):
        names, values = [], []
        for metric in self.metrics:
            name, value = getter(metric)
            names.extend(name if isinstance(name, list) else [name])
            values.extend(value if isinstance(value, list) else [value])
        return (names, values)

    def get(self):
        return self._collect(lambda m: m.get())

    def get_global(self):
        return self._collect(lambda m: m.get_global())

    def get_config(self):
        config = super().get_config()
        config['metrics'] = [m.get_config() for m in self.metrics]
        return config


@alias('acc')
class Accuracy(EvalMetric):
    """Fraction of predictions equal to the label; class scores are argmax-ed over `axis`."""

    def __init__(self, axis=1, name='accuracy', output_names=None, label_names=None):
        super().__init__(name, axis=axis, output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self.axis = axis

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            pred = _host(pred)
            label = _host(label)
            if pred.shape != label.shape:
                pred = numpy.argmax(pred, axis=self.axis)
            pred = pred.astype('int32').ravel()
            label = label.astype('int32').ravel()
            check_label_shapes(label, pred)
            self._add((pred == label).sum(), len(pred))


@alias('top_k_accuracy', 'top_k_acc')
class TopKAccuracy(EvalMetric):
    """Fraction of labels among the `top_k` highest scores (`top_k` > 1)."""

    def __init__(self, top_k=1, name='top_k_accuracy', output_names=None, label_names=None):
        super().__init__(name, top_k=top_k, output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self.top_k = top_k
        if self.top_k <= 1:
            raise MXNetError('TopKAccuracy: top_k must be > 1 (use Accuracy for 1), got %d'
                             % top_k)
        self.name += '_%d' % self.top_k

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            if len(pred.shape) > 2:
                raise MXNetError('TopKAccuracy: predictions must have at most 2 dimensions, '
                                 'got shape %s' % (pred.shape,))
            ranked = numpy.argpartition(_host(pred).astype('float32'), -self.top_k)
            label = _host(label).astype('int32')
            check_label_shapes(label, ranked)
            num_samples = ranked.shape[0]
            if ranked.ndim == 1:
                # MXNet counts this case in the local sum only, not in the global one
                self.sum_metric += (ranked.flat == label.flat).sum()
            else:
                num_classes = ranked.shape[1]
                for j in range(min(num_classes, self.top_k)):
                    correct = (ranked[:, num_classes - 1 - j].flat == label.flat).sum()
                    self.sum_metric += correct
                    self.global_sum_metric += correct
            self.num_inst += num_samples
            self.global_num_inst += num_samples


class _BinaryCounts:
    """True/false positive/negative counts of a binary classifier, local and global."""

    FIELDS = ('true_positives', 'false_positives', 'false_negatives', 'true_negatives')

    def __init__(self):
        self.reset_stats()

    def update_binary_stats(self, label, pred):
        pred = _host(pred)
        label = _host(label).astype('int32')
        pred_label = numpy.argmax(pred, axis=1)
        check_label_shapes(label, pred)
        if len(numpy.unique(label)) > 2:
            raise ValueError('F1 currently only supports binary classification.')
        pred_true = pred_label == 1
        pred_false = 1 - pred_true
        label_true = label == 1
        label_false = 1 - label_true
        counts = ((pred_true * label_true).sum(), (pred_true * label_false).sum(),
                  (pred_false * label_true).sum(), (pred_false * label_false).sum())
        for field, count in zip(self.FIELDS, counts):
            setattr(self, field, getattr(self, field) + count)
            setattr(self, 'global_' + field, getattr(self, 'global_' + field) + count)

    def fscore(self, prefix=''):
        tp, fp, fn = (getattr(self, prefix + f) for f in self.FIELDS[:3])
        precision = float(tp) / (tp + fp) if tp + fp > 0 else 0.
        recall = float(tp) / (tp + fn) if tp + fn > 0 else 0.
        if precision + recall > 0:
            return 2 * precision * recall / (precision + recall)
        return 0.

    def total_examples(self, prefix=''):
        return sum(getattr(self, prefix + f) for f in self.FIELDS)

    def local_reset_stats(self):
        for field in self.FIELDS:
            setattr(self, field, 0)

    def reset_stats(self):
        for field in self.FIELDS:
            setattr(self, field, 0)
            setattr(self, 'global_' + field, 0)


@register
class F1(EvalMetric):
    """F1 score of a binary classifier. 'macro' averages the per-batch scores; 'micro' scores
    all examples seen so far together."""

    def __init__(self, name='f1', output_names=None, label_names=None, average='macro'):
        self.average = average
        self.metrics = _BinaryCounts()
        super().__init__(name=name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            self.metrics.update_binary_stats(label, pred)
        if self.average == 'macro':
            self.sum_metric += self.metrics.fscore()
            self.global_sum_metric += self.metrics.fscore('global_')
            self.num_inst += 1
            self.global_num_inst += 1
            self.metrics.reset_stats()
        else:
            self.sum_metric = self.metrics.fscore() * self.metrics.total_examples()
            self.global_sum_metric = (self.metrics.fscore('global_')
                                      * self.metrics.total_examples('global_'))
            self.num_inst = self.metrics.total_examples()
            self.global_num_inst = self.metrics.total_examples('global_')

    def reset(self):
        super().reset()
        self.metrics.reset_stats()

    def reset_local(self):
        super().reset_local()
        self.metrics.local_reset_stats()


@register
class Perplexity(EvalMetric):
    """exp of the mean negative log probability of the labels (labels equal to
    `ignore_label` are left out)."""

    def __init__(self, ignore_label, axis=-1, name='perplexity', output_names=None,
                 label_names=None):
        super().__init__(name, ignore_label=ignore_label, output_names=output_names,
                         label_names=label_names, has_global_stats=True)
        self.ignore_label = ignore_label
        self.axis = axis

    def update(self, labels, preds):
        if len(labels) != len(preds):
            raise ValueError('Perplexity: %d labels but %d predictions'
                             % (len(labels), len(preds)))
        loss, num = 0., 0
        for label, pred in zip(labels, preds):
            if label.size != pred.size / pred.shape[-1]:
                raise ValueError('shape mismatch: %s vs. %s' % (label.shape, pred.shape))
            pred = _host(pred)
            label = _host(label).reshape(-1)
            axis = self.axis % pred.ndim
            # out-of-range labels pick the nearest class, as MXNet's `pick` (mode 'clip')
            index = numpy.clip(label.astype('int32'), 0, pred.shape[axis] - 1).reshape(
                pred.shape[:axis] + (1,) + pred.shape[axis + 1:])
            picked = numpy.take_along_axis(pred, index, axis=axis).reshape(-1)
            if self.ignore_label is not None:
                ignore = (label == self.ignore_label).astype(picked.dtype)
                num -= float(ignore.sum())
                picked = picked * (1 - ignore) + ignore
            logs = numpy.log(numpy.maximum(picked.dtype.type(1e-10), picked))
            loss -= _summed(logs)
            num += picked.size
        self._add(loss, num)

    def get(self):
        if self.num_inst == 0:
            return (self.name, float('nan'))
        return (self.name, math.exp(self.sum_metric / self.num_inst))

    def get_global(self):
        if self.global_num_inst == 0:
            return (self.name, float('nan'))
        return (self.name, math.exp(self.global_sum_metric / self.global_num_inst))


class _Regression(EvalMetric):
    """Base of MAE, MSE and RMSE: one value per (label, prediction) pair, averaged over
    batches (not over examples), as MXNet 1.9.1 does."""

    def __init__(self, name, output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            label, pred = _host(label), _host(pred)
            if label.ndim == 1:
                label = label.reshape(label.shape[0], 1)
            if pred.ndim == 1:
                pred = pred.reshape(pred.shape[0], 1)
            self._add(self._batch_value(label - pred), 1)


@register
class MAE(_Regression):
    """Mean absolute error."""

    def __init__(self, name='mae', output_names=None, label_names=None):
        super().__init__(name, output_names, label_names)

    @staticmethod
    def _batch_value(diff):
        return numpy.abs(diff).mean()


@register
class MSE(_Regression):
    """Mean squared error."""

    def __init__(self, name='mse', output_names=None, label_names=None):
        super().__init__(name, output_names, label_names)

    @staticmethod
    def _batch_value(diff):
        return (diff ** 2.0).mean()


@register
class RMSE(_Regression):
    """Root mean squared error of each batch, averaged over batches."""

    def __init__(self, name='rmse', output_names=None, label_names=None):
        super().__init__(name, output_names, label_names)

    @staticmethod
    def _batch_value(diff):
        return numpy.sqrt((diff ** 2.0).mean())


class _LabelLogLoss(EvalMetric):
    """Base of CrossEntropy and NegativeLogLikelihood: -log(p[label] + eps) summed over
    examples, averaged per example."""

    def __init__(self, eps, name, output_names=None, label_names=None):
        super().__init__(name, eps=eps, output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self.eps = eps

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            label, pred = _host(label).ravel(), _host(pred)
            if label.shape[0] != pred.shape[0]:
                raise ValueError('%s: %d labels for %d predictions'
                                 % (self.name, label.shape[0], pred.shape[0]))
            prob = pred[numpy.arange(label.shape[0], dtype=numpy.int64), numpy.int64(label)]
            self._add((-numpy.log(prob + self.eps)).sum(), label.shape[0])


@alias('ce')
class CrossEntropy(_LabelLogLoss):
    """Cross entropy of class probabilities against integer labels."""

    def __init__(self, eps=1e-12, name='cross-entropy', output_names=None, label_names=None):
        super().__init__(eps, name, output_names, label_names)


@alias('nll_loss')
class NegativeLogLikelihood(_LabelLogLoss):
    """Negative log likelihood of integer labels under class probabilities."""

    def __init__(self, eps=1e-12, name='nll-loss', output_names=None, label_names=None):
        super().__init__(eps, name, output_names, label_names)


@register
class Loss(EvalMetric):
    """Mean of the outputs themselves (for networks ending in a loss such as MakeLoss)."""

    def __init__(self, name='loss', output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)

    def update(self, _, preds):
        if isinstance(preds, nd.NDArray):
            preds = [preds]
        for pred in preds:
            self._add(_summed(_host(pred)), pred.size)


@register
class CustomMetric(EvalMetric):
    """A metric from ``feval(label, pred)`` on numpy arrays, returning a value or a
    ``(sum, count)`` pair."""

    def __init__(self, feval, name=None, allow_extra_outputs=False, output_names=None,
                 label_names=None):
        if name is None:
            name = feval.__name__
            if '<' in name:
                name = 'custom(%s)' % name
        super().__init__(name, feval=feval, allow_extra_outputs=allow_extra_outputs,
                         output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self._feval = feval
        self._allow_extra_outputs = allow_extra_outputs

    def update(self, labels, preds):
        if not self._allow_extra_outputs:
            labels, preds = check_label_shapes(labels, preds, True)
        for pred, label in zip(preds, labels):
            result = self._feval(_host(label), _host(pred))
            if isinstance(result, tuple):
                self._add(*result)
            else:
                self._add(result, 1)

    def get_config(self):
        raise NotImplementedError('CustomMetric cannot be serialized')


def np(numpy_feval, name=None, allow_extra_outputs=False):
    """A CustomMetric from a function of numpy arrays ``(label, pred) -> value``."""
    def feval(label, pred):
        return numpy_feval(label, pred)
    feval.__name__ = numpy_feval.__name__
    return CustomMetric(feval, name, allow_extra_outputs)
