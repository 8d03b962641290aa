"""Loss layers and losses. Loss layers (the *Output ops, MakeLoss, make_loss) have a plain
forward and MXNet's own gradient, which ignores the head gradient; `with_loss_gradient` declares
it with `jax.custom_vjp`."""
import math

import jax
import jax.numpy as jnp
import numpy as np

from ..base import MXNetError
from ..ops_registry import Bool, Enum, Float, Param, onnx_form, register
from .elemwise import SCALAR_PARAMS
from .rules import merge_shapes, same_shape


def with_loss_gradient(forward, gradient):
    """A function (data, *others) -> forward(data) whose data gradient is
    gradient(output, *others), whatever the incoming head gradient; the other inputs (labels)
    get zero gradients."""
    @jax.custom_vjp
    def apply(data, *others):
        return forward(data)

    def apply_fwd(data, *others):
        out = forward(data)
        return out, (out, others)

    def apply_bwd(saved, head_grad):
        out, others = saved
        return (gradient(out, *others).astype(out.dtype),) + (None,) * len(others)

    apply.defvjp(apply_fwd, apply_bwd)
    return apply


def _float32(value):
    """A float parameter as MXNet holds it (its param structs store float32)."""
    return np.float32(value)


# ---------------------------------------------------------------------------- regression
def _label_like_data(params, in_shapes):
    """The label is shaped like the data; (n, 1) data takes an (n,) label."""
    data, label = in_shapes[0], in_shapes[1]
    if data is None or label is not None:
        return {}
    return {'label': data[:1] if len(data) == 2 and data[1] == 1 else data}


def _regression(name, forward, gradient, aliases=()):
    def compute(params, ctx, data, label):
        def scaled_gradient(out, label):
            label = label.reshape(out.shape)
            per_sample = label.size // label.shape[0]
            scale = _float32(params.grad_scale) / np.float32(per_sample)
            return gradient(out, label) * jnp.asarray(scale, out.dtype)
        return (with_loss_gradient(forward, scaled_gradient)(data, label),)
    compute.__doc__ = 'MXNet %s: forward and gradient as MXNet defines them.' % name
    register(name, inputs=('data', 'label'), aliases=aliases,
             params={'grad_scale': Param(Float(), 1.0)},
             param_shapes=_label_like_data, is_loss=True, nondiff_inputs=('label',))(compute)


_regression('LinearRegressionOutput', lambda x: x, lambda out, label: out - label,
            ('_sparse_LinearRegressionOutput',))
_regression('LogisticRegressionOutput', jax.nn.sigmoid, lambda out, label: out - label,
            ('_sparse_LogisticRegressionOutput',))
# A tie (out == label) takes gradient -1, as in MXNet.
_regression('MAERegressionOutput', lambda x: x,
            lambda out, label: jnp.where(out - label > 0, 1, -1).astype(out.dtype),
            ('_sparse_MAERegressionOutput',))


@onnx_form('LinearRegressionOutput', 'LogisticRegressionOutput', 'MAERegressionOutput')
def _regression_onnx(g, params, data, label=None):
    """The forward (the label only shapes the gradient)."""
    logistic = g.node.op.name == 'LogisticRegressionOutput'
    return g.op('Sigmoid' if logistic else 'Identity', data)


# ---------------------------------------------------------------------------- SoftmaxOutput
def _softmax_label_shape(params, in_shapes):
    """Class-index labels: the data's shape without its class axis (multi_output: also MXNet's
    (batch, spatial dims...) and (batch, 1, spatial dims...) spellings). A label shaped like
    the data holds probabilities."""
    data, label = in_shapes[0], in_shapes[1]
    if data is None or (label is not None and merge_shapes(label, data) is not None):
        return {}
    if params.multi_output:
        spatial = math.prod(data[2:]) if all(data[2:]) else 0
        other_spellings = [(data[0],) + tuple(data[2:]), (data[0], 1) + tuple(data[2:])]
        if label is not None and any(merge_shapes(label, s) for s in other_spellings):
            return {}
        return {'label': (data[0], spatial)}
    return {'label': tuple(data[:-1])}


def _softmax_layout(params, shape):
    """(shape softmax runs on, its class axis) for the three SoftmaxOutput modes."""
    if params.multi_output:
        n, k = shape[0], shape[1]
        return (n, k, math.prod(shape[2:])), 1
    if params.preserve_shape:
        return (-1, shape[-1]), 1
    return (shape[0], -1), 1


def _minus_one_at_labels(out, label_index):
    """out - onehot(label) along axis 1, labels outside [0, classes) matching no class. A
    scatter rather than a one-hot compare: XLA's CPU runtime runs the whole training step
    of a small network steadier with it (the one-hot form gave a 10-20% heavier tail)."""
    classes = out.shape[1]
    in_range = (label_index >= 0) & (label_index < classes)
    label_index = jnp.where(in_range, label_index, classes)   # out of bounds: dropped
    positions = [jnp.arange(size).reshape((-1,) + (1,) * (label_index.ndim - axis - 1))
                 for axis, size in enumerate(label_index.shape)]
    index = (positions[0], label_index) + tuple(positions[1:])
    return out.at[index].add(jnp.asarray(-1, out.dtype), mode='drop')


def _softmax_gradient(params, out, label):
    """MXNet's SoftmaxOutput data gradient for class-index labels."""
    classes = out.shape[1]
    label_index = label.astype(jnp.int32)
    if params.smooth_alpha and not params.multi_output:
        alpha = params.smooth_alpha
        onehot = jax.nn.one_hot(label_index, classes, axis=1, dtype=out.dtype)
        grad = out - (onehot * (1 - alpha) + (1 - onehot) * (alpha / (classes - 1)))
    else:
        grad = _minus_one_at_labels(out, label_index)
    if params.use_ignore:
        keep = (label != params.ignore_label).astype(out.dtype)
        grad = grad * jnp.expand_dims(keep, 1)
    if params.normalization == 'batch':
        count = label.shape[0]
    elif params.normalization == 'valid':
        ignored = (label.astype(jnp.int32) == int(params.ignore_label)).sum()
        count = jnp.maximum(label.size - ignored, 1)
    else:
        count = 1
    spatial = 1 if not params.multi_output or params.normalization == 'valid' else out.shape[2]
    # MXNet forms this factor in float32 whatever the data's dtype.
    scale = jnp.float32(params.grad_scale) / jnp.float32(spatial) / jnp.asarray(count, jnp.float32)
    grad = grad * scale.astype(out.dtype)
    return grad * out if params.out_grad else grad


@register('SoftmaxOutput', inputs=('data', 'label'), aliases=('Softmax',),
          params={'grad_scale': Param(Float(), 1.0), 'ignore_label': Param(Float(), -1.0),
                  'multi_output': Param(Bool(), False), 'use_ignore': Param(Bool(), False),
                  'preserve_shape': Param(Bool(), False),
                  'normalization': Param(Enum('batch', 'null', 'valid'), 'null'),
                  'out_grad': Param(Bool(), False), 'smooth_alpha': Param(Float(0, 1), 0.0)},
          param_shapes=_softmax_label_shape, is_loss=True, nondiff_inputs=('label',))
def softmax_output(params, ctx, data, label):
    """Softmax forward; gradient (softmax - onehot(label)) scaled as MXNet's normalization says.
    A label shaped like the data is a probability target: gradient (softmax - label)."""
    shape = data.shape

    def forward(x):
        work_shape, axis = _softmax_layout(params, shape)
        return jax.nn.softmax(x.reshape(work_shape), axis=axis).reshape(shape)

    if label.shape == shape:
        def gradient(out, target):
            return (out - target) * params.grad_scale
    else:
        def gradient(out, target):
            work_shape, _ = _softmax_layout(params, shape)
            out = out.reshape(work_shape)
            if params.multi_output:
                target = target.reshape(work_shape[0], work_shape[2])
            else:
                target = target.reshape(-1)[:out.shape[0]]
            return _softmax_gradient(params, out, target).reshape(shape)
    return (with_loss_gradient(forward, gradient)(data, label),)


@onnx_form('SoftmaxOutput')
def _softmax_output_onnx(g, params, data, label=None):
    """The forward's softmax (the label only shapes the gradient)."""
    if len(g.in_shapes[0]) == 2 or params.preserve_shape:
        return g.op('Softmax', data, axis=-1 if params.preserve_shape else 1)
    if params.multi_output:
        return g.op('Softmax', data, axis=1)
    flat = g.op('Softmax', g.op('Flatten', data, axis=1), axis=1)
    return g.op('Reshape', flat, g.op('Shape', data))


# ---------------------------------------------------------------------------- MakeLoss, make_loss
def _make_loss_gradient(params):
    """MakeLoss's constant gradient: grad_scale, divided by the rows of the data seen as 2-D
    (every axis but the last: 'batch') or by the count of elements above valid_thresh
    ('valid', at least 1)."""
    def gradient(data):
        dtype = data.dtype
        if params.normalization == 'valid':
            threshold = jnp.asarray(_float32(params.valid_thresh), dtype)
            count = jnp.maximum((data > threshold).sum().astype(dtype), jnp.ones((), dtype))
            value = jnp.asarray(_float32(params.grad_scale), dtype) / count
        elif params.normalization == 'batch':
            rows = math.prod(data.shape[:-1])
            value = jnp.asarray(_float32(params.grad_scale) / np.float32(rows), dtype)
        else:
            value = jnp.asarray(_float32(params.grad_scale), dtype)
        return jnp.broadcast_to(value, data.shape)
    return gradient


@register('MakeLoss',
          params={'grad_scale': Param(Float(), 1.0), 'valid_thresh': Param(Float(), 0.0),
                  'normalization': Param(Enum('batch', 'null', 'valid'), 'null')},
          infer_shape=same_shape, is_loss=True)
def make_loss_layer(params, ctx, data):
    """Identity forward; the gradient is grad_scale, normalized, whatever the head gradient."""
    return (with_loss_gradient(lambda x: x, _make_loss_gradient(params))(data),)


@register('make_loss', unnamed_inputs=True, aliases=('_sparse_make_loss',), outputs=('loss',),
          infer_shape=same_shape, is_loss=True)
def make_loss(params, ctx, data):
    """Identity forward; the gradient is ones, whatever the head gradient."""
    return (with_loss_gradient(lambda x: x, jnp.ones_like)(data),)


# ---------------------------------------------------------------------------- smooth_l1
@register('smooth_l1', unnamed_inputs=True, params=SCALAR_PARAMS, infer_shape=same_shape)
def smooth_l1(params, ctx, data):
    """Huber-like loss with sigma = scalar: 0.5 (sigma x)^2 inside |x| < 1/sigma^2, else
    |x| - 0.5/sigma^2; computed in the data's dtype, sigma first cast to it."""
    sigma = jnp.asarray(np.asarray(params.scalar).astype(data.dtype))
    sigma_sq = sigma * sigma
    bound = 1 / sigma_sq
    inside = 0.5 * data * data * sigma_sq
    return (jnp.where(data > bound, data - 0.5 * bound,
                      jnp.where(data < -bound, -data - 0.5 * bound, inside)),)


# ---------------------------------------------------------------------------- softmax_cross_entropy
def _cross_entropy_shapes(params, in_shapes, out_shapes, input_names):
    data, label = in_shapes
    if data is not None and len(data) != 2:
        raise MXNetError('softmax_cross_entropy takes 2-D data, got shape %s' % (data,))
    if label is not None and len(label) != 1:
        raise MXNetError('softmax_cross_entropy takes a 1-D label, got shape %s' % (label,))
    if data and label and data[0] and label[0] and data[0] != label[0]:
        raise MXNetError('softmax_cross_entropy: data %s and label %s have different batch '
                         'sizes' % (data, label))
    return in_shapes, [(1,)]


@register('softmax_cross_entropy', inputs=('data', 'label'), infer_shape=_cross_entropy_shapes,
          nondiff_inputs=('label',))
def softmax_cross_entropy(params, ctx, data, label):
    """The summed cross entropy of softmax(data) rows against class-index labels, shape (1,).
    Its data gradient is head * (softmax - onehot(label)), even where the clamp of
    probabilities at 1e-8 flattens the loss; the label gets none."""
    @jax.custom_vjp
    def loss(data, label):
        return _cross_entropy(data, label)[0]

    def loss_fwd(data, label):
        total, probs, onehot = _cross_entropy(data, label)
        return total, (probs, onehot)

    def loss_bwd(saved, head_grad):
        probs, onehot = saved
        return (head_grad[0] * (probs - onehot)).astype(probs.dtype), None

    loss.defvjp(loss_fwd, loss_bwd)
    return (loss(data, label),)


def _cross_entropy(data, label):
    probs = jax.nn.softmax(data, axis=1)
    onehot = jax.nn.one_hot(label.astype(jnp.int32), data.shape[1], dtype=data.dtype)
    picked = (probs * onehot).sum(axis=1)
    floor = jnp.asarray(1e-8, data.dtype)
    return -jnp.log(jnp.maximum(picked, floor)).sum(keepdims=True), probs, onehot


# ---------------------------------------------------------------------------- SVMOutput
def _label_per_row(params, in_shapes):
    """The label holds one class index per row: the data's shape without its last axis."""
    data = in_shapes[0]
    return {} if data is None else {'label': tuple(data[:-1])}


def _svm_gradient(params):
    """MXNet's hinge gradients on the data seen as (rows, classes), in the data's dtype:
    L1-SVM (use_linear) or squared hinge (L2-SVM)."""
    def gradient(out, label):
        shape, dtype = out.shape, out.dtype
        scores = out.reshape(-1, shape[-1])
        target = jax.nn.one_hot(label.reshape(-1).astype(jnp.int32), shape[-1], dtype=bool)
        margin = jnp.asarray(_float32(params.margin), dtype)
        coefficient = jnp.asarray(_float32(params.regularization_coefficient), dtype)
        signed = jnp.where(target, scores, -scores)
        violated = margin > signed
        if params.use_linear:
            grad = jnp.where(violated, coefficient, jnp.zeros((), dtype))
        else:
            grad = jnp.where(violated, 2 * (margin - signed) * coefficient, jnp.zeros((), dtype))
        return jnp.where(target, -grad, grad).reshape(shape)
    return gradient


@register('SVMOutput', inputs=('data', 'label'),
          params={'margin': Param(Float(), 1.0),
                  'regularization_coefficient': Param(Float(), 1.0),
                  'use_linear': Param(Bool(), False)},
          param_shapes=_label_per_row, is_loss=True, nondiff_inputs=('label',))
def svm_output(params, ctx, data, label):
    """Identity forward; the gradient is the multi-class hinge loss's, whatever the head
    gradient."""
    return (with_loss_gradient(lambda x: x, _svm_gradient(params))(data, label),)


# ---------------------------------------------------------------------------- CTCLoss
def _ctc_inputs(params):
    names = ['data', 'label']
    if params.use_data_lengths:
        names.append('data_lengths')
    if params.use_label_lengths:
        names.append('label_lengths')
    return tuple(names)


def _ctc_types(params, in_types, out_types):
    """Both outputs (loss, gradient) take the data's dtype; the other inputs keep theirs."""
    data = in_types[0]
    return in_types, [data, data]


# A finite stand-in for log(0): keeps log-sum-exp and its gradient free of NaNs.
_LOG_ZERO = -1e30


def _ctc_loss(log_probs, label, label_lengths, data_lengths, blank):
    """Per-sequence CTC loss -log p(label | data) by the forward (alpha) recursion in log space,
    over the label interleaved with blanks; time steps past a sequence's length are skipped."""
    steps, batch, _ = log_probs.shape
    extended_size = 2 * label.shape[1] + 1
    position = jnp.arange(extended_size)
    on_label = position % 2 == 1
    extended = jnp.where(on_label, label[:, (position - 1) // 2], blank)
    # A label may also be reached from two positions back, unless it repeats that label.
    skip = on_label & (position >= 2) & (extended != jnp.roll(extended, 2, axis=1))
    emit = jnp.take_along_axis(jnp.moveaxis(log_probs, 0, 1), extended[:, None, :], axis=2)
    emit = jnp.moveaxis(emit, 1, 0)
    used = position < 2 * label_lengths[:, None] + 1
    zero = jnp.full((batch, extended_size), _LOG_ZERO, log_probs.dtype)
    alpha = jnp.where((position < 2) & used, emit[0], zero)

    def advance(alpha, step):
        emit_t, t = step
        from_one = jnp.concatenate([zero[:, :1], alpha[:, :-1]], axis=1)
        from_two = jnp.where(skip, jnp.concatenate([zero[:, :2], alpha[:, :-2]], axis=1), zero)
        updated = jnp.logaddexp(jnp.logaddexp(alpha, from_one), from_two) + emit_t
        updated = jnp.where(used, updated, zero)
        return jnp.where((t < data_lengths)[:, None], updated, alpha), None

    alpha, _ = jax.lax.scan(advance, alpha, (emit[1:], jnp.arange(1, steps)))
    last = 2 * label_lengths
    final_blank = jnp.take_along_axis(alpha, last[:, None], axis=1)[:, 0]
    final_label = jnp.take_along_axis(alpha, jnp.maximum(last - 1, 0)[:, None], axis=1)[:, 0]
    final_label = jnp.where(label_lengths > 0, final_label, _LOG_ZERO)
    return -jnp.logaddexp(final_blank, final_label)


@register('CTCLoss', inputs=('data', 'label', 'data_lengths', 'label_lengths'),
          aliases=('ctc_loss', '_contrib_CTCLoss', '_contrib_ctc_loss'),
          params={'use_data_lengths': Param(Bool(), False),
                  'use_label_lengths': Param(Bool(), False),
                  'blank_label': Param(Enum('first', 'last'), 'first')},
          used_inputs=_ctc_inputs, outputs=('output0', 'output1'), num_visible=lambda p: 1,
          infer_type=_ctc_types, nondiff_inputs=('label', 'data_lengths', 'label_lengths'))
def ctc_loss(params, ctx, data, label, *lengths):
    """Connectionist Temporal Classification loss of (time, batch, alphabet) activations
    against (batch, labels) class indices; outputs the per-sequence loss and, hidden, its
    gradient. The blank is class 0 ('first', labels padded with 0) or the last class ('last',
    padded with -1); lengths come from the padding unless given as inputs."""
    steps, batch, alphabet = data.shape
    lengths = list(lengths)
    data_lengths = (lengths.pop(0).astype(jnp.int32) if params.use_data_lengths
                    else jnp.full((batch,), steps, jnp.int32))
    label = label.astype(jnp.int32)
    if params.use_label_lengths:
        label_lengths = lengths.pop(0).astype(jnp.int32)
    else:
        padding = label == (0 if params.blank_label == 'first' else -1)
        label_lengths = jnp.where(padding.any(axis=1), padding.argmax(axis=1), label.shape[1])
    blank = 0 if params.blank_label == 'first' else alphabet - 1

    within = (jnp.arange(steps)[:, None] < data_lengths[None, :])[..., None]

    def loss(data):   # steps past a sequence's length take no part (they may hold NaN)
        log_probs = jax.nn.log_softmax(jnp.where(within, data, 0), axis=2)
        return _ctc_loss(log_probs, label, label_lengths, data_lengths, blank)

    gradient = jax.grad(lambda data: loss(data).sum())(jax.lax.stop_gradient(data))
    return loss(data), gradient
