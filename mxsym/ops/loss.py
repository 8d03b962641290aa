"""Loss output layers. Their forward is a plain transform; their gradient is MXNet's own
(it ignores the head gradient), declared with `jax.custom_vjp`."""
import math

import jax
import jax.numpy as jnp

from ..ops_registry import Bool, Enum, Float, Param, register


def with_loss_gradient(forward, gradient):
    """A function (data, label) -> output whose data gradient is gradient(output, label),
    whatever the incoming head gradient; the label gets a zero gradient."""
    @jax.custom_vjp
    def apply(data, label):
        return forward(data)

    def apply_fwd(data, label):
        out = forward(data)
        return out, (out, label)

    def apply_bwd(saved, head_grad):
        out, label = saved
        return gradient(out, label).astype(out.dtype), jnp.zeros_like(label)

    apply.defvjp(apply_fwd, apply_bwd)
    return apply


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
            return gradient(out, label) * (params.grad_scale / per_sample)
        return (with_loss_gradient(forward, scaled_gradient)(data, label),)
    compute.__doc__ = 'MXNet %s: forward and gradient as MXNet defines them.' % name
    register(name, inputs=('data', 'label'), aliases=aliases,
             params={'grad_scale': Param(Float(), 1.0)},
             param_shapes=_label_like_data, is_loss=True)(compute)


_regression('LinearRegressionOutput', lambda x: x, lambda out, label: out - label,
            ('_sparse_LinearRegressionOutput',))
_regression('LogisticRegressionOutput', jax.nn.sigmoid, lambda out, label: out - label,
            ('_sparse_LogisticRegressionOutput',))
_regression('MAERegressionOutput', lambda x: x, lambda out, label: jnp.sign(out - label),
            ('_sparse_MAERegressionOutput',))


# ---------------------------------------------------------------------------- SoftmaxOutput
def _softmax_label_shape(params, in_shapes):
    data, label = in_shapes[0], in_shapes[1]
    if data is None or label is not None:
        return {}
    if params.multi_output:
        spatial = math.prod(data[2:]) if all(data[2:]) else 0
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


def _softmax_gradient(params, out, label):
    """MXNet's SoftmaxOutput data gradient for class-index labels."""
    classes = out.shape[1]
    label_index = label.astype(jnp.int32)
    onehot = jax.nn.one_hot(label_index, classes, axis=1, dtype=out.dtype)
    if params.smooth_alpha and not params.multi_output:
        alpha = params.smooth_alpha
        target = onehot * (1 - alpha) + (1 - onehot) * (alpha / (classes - 1))
    else:
        target = onehot
    grad = out - target
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
                  'out_grad': Param(Bool(), False), 'smooth_alpha': Param(Float(), 0.0)},
          param_shapes=_softmax_label_shape, is_loss=True)
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
