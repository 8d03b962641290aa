"""MXNet's optimizer update operators: sgd_update, adam_update, ... and their mixed-precision
and multi-weight forms.

Each op returns the new weight and, as new values of its aux inputs, the optimizer states it
updates (MXNet's FMutateInputs: ``mom``, ``mean``/``var``, ``weight32``, ...), which the eager
call writes back into those arrays, so ``mx.nd.sgd_mom_update(w, g, mom, lr=.1, out=w)``
updates ``w`` and ``mom`` in place as in MXNet. The update formulas are plain functions of
arrays (``*_step``), shared with `mx.optimizer`'s optimizers: they take scalars as Python or
traced numbers and a clip bound as None (no clipping) or a number, and compute in the weight's
dtype with float32 parameters, in the order of MXNet's kernels.
"""
import functools

import jax.numpy as jnp
import numpy as np

from ..base import MXNetError
from ..ops_registry import Bool, Float, Int, OpDef, Param, add
from .contrib import FloatTuple


# ---------------------------------------------------------------------------- the formulas
def kernel_scalars(dtype, *values):
    """Scalars as MXNet's update kernels see them: float32 parameters cast to `dtype`."""
    return [jnp.asarray(jnp.asarray(value, jnp.float32), dtype) for value in values]


def _clipped(values, bound, dtype):
    if bound is None:
        return values
    bound = kernel_scalars(dtype, bound)[0]
    return jnp.clip(values, -bound, bound)


def _power(dtype, beta, t):
    """beta**t in `dtype`: on the host (as C's pow rounds it) for a known step `t`; XLA's
    power for a traced one."""
    if isinstance(t, (int, float, np.number)):
        return jnp.asarray(np.power(np.asarray(beta, np.float32).astype(dtype),
                                    np.asarray(t, dtype)))
    beta, t = kernel_scalars(dtype, beta, t)
    return jnp.power(beta, t)


def sgd_step(weight, grad, lr, wd, rescale_grad, clip):
    """``(1 - lr*wd)*w - lr*clip(rescale_grad*grad)``: the new weight."""
    lr, wd, rescale = kernel_scalars(weight.dtype, lr, wd, rescale_grad)
    if clip is None:
        descent = (lr * rescale) * grad
    else:
        descent = lr * _clipped(rescale * grad, clip, weight.dtype)
    return (1. - lr * wd) * weight - descent


def sgd_mom_step(weight, grad, mom, lr, wd, rescale_grad, clip, momentum):
    """``mom = momentum*mom - lr*wd*w - lr*clip(rescale_grad*grad); w += mom``: (new weight,
    new momentum); `mom` None for none (the momentum term drops)."""
    lr, wd, rescale, momentum = kernel_scalars(weight.dtype, lr, wd, rescale_grad, momentum)
    if clip is None:
        descent = (lr * rescale) * grad
    else:
        descent = lr * _clipped(rescale * grad, clip, weight.dtype)
    decay = (lr * wd) * weight
    new_mom = (momentum * mom - decay if mom is not None else -decay) - descent
    return weight + new_mom, (new_mom if mom is not None else None)


def nag_mom_step(weight, grad, mom, lr, wd, rescale_grad, clip, momentum,
                 mom_reads_new_weight=False):
    """Nesterov momentum: (new weight, new momentum). MXNet's kernel, called with the weight
    as its output (as its NAG optimizer does), decays the momentum by the new weight:
    `mom_reads_new_weight`."""
    lr, wd, rescale, momentum = kernel_scalars(weight.dtype, lr, wd, rescale_grad, momentum)
    scaled = _clipped(rescale * grad, clip, weight.dtype)
    mom = momentum * mom
    new_weight = weight - mom + (momentum + 1) * (mom - lr * (scaled + wd * weight))
    decayed = new_weight if mom_reads_new_weight else weight
    return new_weight, mom - lr * (scaled + wd * decayed)


def signsgd_step(weight, grad, lr, wd):
    """``(1 - lr*wd)*w - lr*sign(grad)`` (rescaling and clipping cannot change a sign)."""
    lr, wd = kernel_scalars(weight.dtype, lr, wd)
    return (1. - lr * wd) * weight - lr * jnp.sign(grad)


def signum_step(weight, grad, mom, lr, wd, rescale_grad, clip, momentum, wd_lh):
    """Signum: the momentum-averaged gradient's sign, with decoupled decay `wd_lh`."""
    dtype = weight.dtype
    lr, wd, rescale, momentum, wd_lh = kernel_scalars(dtype, lr, wd, rescale_grad, momentum,
                                                      wd_lh)
    if clip is None:
        gradient_part = ((1 - momentum) * rescale) * grad
    else:
        gradient_part = (1 - momentum) * _clipped(rescale * grad, clip, dtype)
    mom = momentum * mom - ((1 - momentum) * wd) * weight - gradient_part
    return (1. - lr * wd_lh) * weight + lr * jnp.sign(mom), mom


def ftml_step(weight, grad, d, v, z, lr, wd, rescale_grad, clip, beta1, beta2, epsilon, t):
    """Follow the Moving Leader at step `t`: (new weight, (d, v, z))."""
    dtype = weight.dtype
    beta1_t, beta2_t = (_power(dtype, beta, t) for beta in (beta1, beta2))
    lr, wd, rescale, beta1, beta2, epsilon = kernel_scalars(
        dtype, lr, wd, rescale_grad, beta1, beta2, epsilon)
    gradient = _clipped(rescale * grad + wd * weight, clip, dtype)
    v = beta2 * v + (1 - beta2) * jnp.square(gradient)
    d_t = (1 - beta1_t) / lr * (jnp.sqrt(v / (1 - beta2_t)) + epsilon)
    z = beta1 * z + (1 - beta1) * gradient - (d_t - beta1 * d) * weight
    return -z / d_t, (d_t, v, z)


def adam_step(weight, grad, mean, var, lr, wd, rescale_grad, clip, beta1, beta2, epsilon):
    """Adam without bias correction (MXNet folds it into `lr`): (new weight, (mean, var))."""
    dtype = weight.dtype
    lr, wd, rescale, beta1, beta2, epsilon = kernel_scalars(
        dtype, lr, wd, rescale_grad, beta1, beta2, epsilon)
    gradient = _clipped(grad * rescale + weight * wd, clip, dtype)
    mean = beta1 * mean + (1. - beta1) * gradient
    var = beta2 * var + (1. - beta2) * gradient * gradient
    return weight - lr * mean / (jnp.sqrt(var) + epsilon), (mean, var)


def rmsprop_step(weight, grad, n, lr, wd, rescale_grad, clip, gamma1, epsilon, clip_weights):
    """Tieleman & Hinton's RMSProp: (new weight, new n)."""
    dtype = weight.dtype
    lr, wd, rescale, gamma1, epsilon = kernel_scalars(dtype, lr, wd, rescale_grad, gamma1,
                                                      epsilon)
    gradient = _clipped(rescale * grad + wd * weight, clip, dtype)
    n = (1. - gamma1) * (gradient * gradient) + gamma1 * n
    new_weight = weight - lr * (gradient / jnp.sqrt(n + epsilon))
    return _clipped(new_weight, clip_weights, dtype), n


def rmspropalex_step(weight, grad, n, g, delta, lr, wd, rescale_grad, clip, gamma1, gamma2,
                     epsilon, clip_weights):
    """Graves's centered RMSProp with momentum `gamma2`: (new weight, (n, g, delta))."""
    dtype = weight.dtype
    lr, wd, rescale, gamma1, gamma2, epsilon = kernel_scalars(
        dtype, lr, wd, rescale_grad, gamma1, gamma2, epsilon)
    gradient = _clipped(rescale * grad + wd * weight, clip, dtype)
    n = (1. - gamma1) * gradient * gradient + gamma1 * n
    g = (1. - gamma1) * gradient + gamma1 * g
    delta = gamma2 * delta - lr * gradient / jnp.sqrt(n - g * g + epsilon)
    return _clipped(weight + delta, clip_weights, dtype), (n, g, delta)


def ftrl_step(weight, grad, z, n, lr, wd, rescale_grad, clip, lamda1, beta):
    """FTRL-proximal: (new weight, (z, n))."""
    dtype = weight.dtype
    lr, wd, rescale, lamda1, beta = kernel_scalars(dtype, lr, wd, rescale_grad, lamda1, beta)
    gradient = _clipped(grad * rescale, clip, dtype)
    z = z + (gradient - (jnp.sqrt(n + jnp.square(gradient)) - jnp.sqrt(n)) * weight / lr)
    n = n + jnp.square(gradient)
    active = (jnp.abs(z) > lamda1).astype(dtype)
    return (jnp.sign(z) * lamda1 - z) / ((beta + jnp.sqrt(n)) / lr + wd) * active, (z, n)


def lamb_phase1_step(weight, grad, mean, var, wd, rescale_grad, clip, beta1, beta2, epsilon,
                     t, bias_correction):
    """LAMB's first phase: (the update direction g, (mean, var))."""
    dtype = weight.dtype
    beta1_t, beta2_t = (np.float32(beta1) ** t, np.float32(beta2) ** t)
    wd, rescale, beta1, beta2, epsilon = kernel_scalars(dtype, wd, rescale_grad, beta1, beta2,
                                                        epsilon)
    gradient = _clipped(grad * rescale, clip, dtype)
    mean = beta1 * mean + (1. - beta1) * gradient
    var = beta2 * var + (1. - beta2) * gradient * gradient
    if bias_correction:
        mean_hat = mean / jnp.asarray(1. - beta1_t, dtype)
        var_hat = var / jnp.asarray(1. - beta2_t, dtype)
    else:
        mean_hat, var_hat = mean, var
    return mean_hat / (jnp.sqrt(var_hat) + epsilon) + wd * weight, (mean, var)


def lamb_phase2_step(weight, g, r1, r2, lr, lower_bound, upper_bound):
    """LAMB's second phase: the weight moved by `g` scaled with the trust ratio r1/r2."""
    dtype = g.dtype
    lr, = kernel_scalars(dtype, lr)
    r1, r2 = r1.reshape(-1)[0].astype(dtype), r2.reshape(-1)[0].astype(dtype)
    if lower_bound >= 0:
        r1 = jnp.maximum(r1, kernel_scalars(dtype, lower_bound)[0])
    if upper_bound >= 0:
        r1 = jnp.minimum(r1, kernel_scalars(dtype, upper_bound)[0])
    ratio = jnp.where((r1 == 0) | (r2 == 0), jnp.ones((), dtype), r1 / r2)
    return weight.astype(dtype) - (lr * ratio) * g


# ---------------------------------------------------------------------------- declarations
def _bound(value):
    """A kernel's clip parameter: clipping only at values >= 0."""
    return None if value < 0 else value


_COMMON = {'wd': Param(Float(), 0.0), 'rescale_grad': Param(Float(), 1.0),
           'clip_gradient': Param(Float(), -1.0)}
_SGD = dict({'lr': Param(Float())}, **_COMMON, lazy_update=Param(Bool(), True))
_SGD_MOM = dict(_SGD, momentum=Param(Float(), 0.0))
_NAG_MOM = dict({'lr': Param(Float()), 'momentum': Param(Float(), 0.0)}, **_COMMON)
_ADAM = dict({'lr': Param(Float()), 'beta1': Param(Float(), 0.9),
              'beta2': Param(Float(), 0.999), 'epsilon': Param(Float(), 1e-8)}, **_COMMON,
             lazy_update=Param(Bool(), True))
_RMSPROP = dict({'lr': Param(Float()), 'gamma1': Param(Float(), 0.95),
                 'epsilon': Param(Float(), 1e-8)}, **_COMMON,
                clip_weights=Param(Float(), -1.0))
_LAMB1 = {'beta1': Param(Float(), 0.9), 'beta2': Param(Float(), 0.999),
          'epsilon': Param(Float(), 1e-6), 't': Param(Int()),
          'bias_correction': Param(Bool(), True), 'wd': Param(Float()),
          'rescale_grad': Param(Float(), 1.0), 'clip_gradient': Param(Float(), -1.0)}
_LAMB2 = {'lr': Param(Float()), 'lower_bound': Param(Float(), -1.0),
          'upper_bound': Param(Float(), -1.0)}
_MULTI = {'lrs': Param(FloatTuple()), 'wds': Param(FloatTuple()),
          'rescale_grad': Param(Float(), 1.0), 'clip_gradient': Param(Float(), -1.0),
          'num_weights': Param(Int(), 1)}
_MULTI_MOM = dict(_MULTI, momentum=Param(Float(), 0.0))


def _mixed_types(group, float32_positions):
    """The dtype rule of updates whose inputs come in groups of `group` (one group per
    output), those at `float32_positions` float32 and the others of the output's dtype."""
    def infer(params, in_types, out_types):
        in_types, out_types = list(in_types), list(out_types)
        for index, start in enumerate(range(0, len(in_types), group)):
            known = [t for i, t in enumerate(in_types[start:start + group])
                     if i not in float32_positions and t is not None]
            common = out_types[index] or (known[0] if known else None)
            for i in range(group):
                if i in float32_positions:
                    in_types[start + i] = 'float32'
                elif common is not None:
                    in_types[start + i] = common
            out_types[index] = common
        return in_types, out_types
    return infer


def _declare(name, inputs, params, aux=(), float32_inputs=()):
    """Declare an update op whose JAX function is the decorated one; no gradient, as in
    MXNet."""
    infer_type = None
    if float32_inputs:
        infer_type = _mixed_types(len(inputs), [inputs.index(n) for n in float32_inputs])

    def decorate(compute):
        add(OpDef(name, compute, inputs=inputs, params=params, aux=aux, has_gradient=False,
                  infer_type=infer_type))
        return compute
    return decorate


@_declare('sgd_update', ('weight', 'grad'), _SGD)
def sgd_update(params, ctx, weight, grad):
    """weight - lr*(clip(rescale_grad*grad) + wd*weight)."""
    return (sgd_step(weight, grad, params.lr, params.wd, params.rescale_grad,
                     _bound(params.clip_gradient)),)


@_declare('sgd_mom_update', ('weight', 'grad', 'mom'), _SGD_MOM, aux=('mom',))
def sgd_mom_update(params, ctx, weight, grad, mom):
    """SGD with momentum; updates `mom`."""
    new_weight, new_mom = sgd_mom_step(weight, grad, mom, params.lr, params.wd,
                                       params.rescale_grad, _bound(params.clip_gradient),
                                       params.momentum)
    return (new_weight,), (new_mom,)


@_declare('mp_sgd_update', ('weight', 'grad', 'weight32'), _SGD, aux=('weight32',),
          float32_inputs=('weight32',))
def mp_sgd_update(params, ctx, weight, grad, weight32):
    """`sgd_update` on the float32 master copy `weight32`, which it updates."""
    new32 = sgd_step(weight32, grad.astype(jnp.float32), params.lr, params.wd,
                     params.rescale_grad, _bound(params.clip_gradient))
    return (new32.astype(weight.dtype),), (new32,)


@_declare('mp_sgd_mom_update', ('weight', 'grad', 'mom', 'weight32'), _SGD_MOM,
          aux=('mom', 'weight32'), float32_inputs=('mom', 'weight32'))
def mp_sgd_mom_update(params, ctx, weight, grad, mom, weight32):
    """`sgd_mom_update` on the float32 master copy `weight32`; updates `mom` and it."""
    new32, new_mom = sgd_mom_step(weight32, grad.astype(jnp.float32), mom, params.lr,
                                  params.wd, params.rescale_grad,
                                  _bound(params.clip_gradient), params.momentum)
    return (new32.astype(weight.dtype),), (new_mom, new32)


@_declare('nag_mom_update', ('weight', 'grad', 'mom'), _NAG_MOM, aux=('mom',))
def nag_mom_update(params, ctx, weight, grad, mom):
    """Nesterov momentum; updates `mom`."""
    new_weight, new_mom = nag_mom_step(weight, grad, mom, params.lr, params.wd,
                                       params.rescale_grad, _bound(params.clip_gradient),
                                       params.momentum)
    return (new_weight,), (new_mom,)


@_declare('mp_nag_mom_update', ('weight', 'grad', 'mom', 'weight32'), _NAG_MOM,
          aux=('mom', 'weight32'), float32_inputs=('mom', 'weight32'))
def mp_nag_mom_update(params, ctx, weight, grad, mom, weight32):
    """`nag_mom_update` on the float32 master copy `weight32`; updates `mom` and it (MXNet's
    kernel decays the momentum by the new weight here)."""
    new32, new_mom = nag_mom_step(weight32, grad.astype(jnp.float32), mom, params.lr,
                                  params.wd, params.rescale_grad,
                                  _bound(params.clip_gradient), params.momentum,
                                  mom_reads_new_weight=True)
    return (new32.astype(weight.dtype),), (new_mom, new32)


@_declare('signsgd_update', ('weight', 'grad'),
          dict({'lr': Param(Float())}, **_COMMON))
def signsgd_update(params, ctx, weight, grad):
    """A step of lr against the gradient's sign."""
    return (signsgd_step(weight, grad, params.lr, params.wd),)


@_declare('signum_update', ('weight', 'grad', 'mom'),
          dict(_NAG_MOM, wd_lh=Param(Float(), 0.0)), aux=('mom',))
def signum_update(params, ctx, weight, grad, mom):
    """Signum; updates `mom`."""
    new_weight, new_mom = signum_step(weight, grad, mom, params.lr, params.wd,
                                      params.rescale_grad, _bound(params.clip_gradient),
                                      params.momentum, params.wd_lh)
    return (new_weight,), (new_mom,)


@_declare('ftml_update', ('weight', 'grad', 'd', 'v', 'z'),
          {'lr': Param(Float()), 'beta1': Param(Float(), 0.6), 'beta2': Param(Float(), 0.999),
           'epsilon': Param(Float(), 1e-8), 't': Param(Int()), 'wd': Param(Float(), 0.0),
           'rescale_grad': Param(Float(), 1.0), 'clip_grad': Param(Float(), -1.0)},
          aux=('d', 'v', 'z'))
def ftml_update(params, ctx, weight, grad, d, v, z):
    """FTML at step t; updates d, v and z."""
    new_weight, states = ftml_step(weight, grad, d, v, z, params.lr, params.wd,
                                   params.rescale_grad, _bound(params.clip_grad), params.beta1,
                                   params.beta2, params.epsilon, params.t)
    return (new_weight,), states


@_declare('adam_update', ('weight', 'grad', 'mean', 'var'), _ADAM, aux=('mean', 'var'))
def adam_update(params, ctx, weight, grad, mean, var):
    """Adam (no bias correction); updates mean and var."""
    new_weight, states = adam_step(weight, grad, mean, var, params.lr, params.wd,
                                   params.rescale_grad, _bound(params.clip_gradient),
                                   params.beta1, params.beta2, params.epsilon)
    return (new_weight,), states


@_declare('rmsprop_update', ('weight', 'grad', 'n'), _RMSPROP, aux=('n',))
def rmsprop_update(params, ctx, weight, grad, n):
    """RMSProp; updates n."""
    new_weight, new_n = rmsprop_step(weight, grad, n, params.lr, params.wd, params.rescale_grad,
                                     _bound(params.clip_gradient), params.gamma1,
                                     params.epsilon, _bound(params.clip_weights))
    return (new_weight,), (new_n,)


@_declare('rmspropalex_update', ('weight', 'grad', 'n', 'g', 'delta'),
          dict(_RMSPROP, gamma2=Param(Float(), 0.9)), aux=('n', 'g', 'delta'))
def rmspropalex_update(params, ctx, weight, grad, n, g, delta):
    """Centered RMSProp; updates n, g and delta."""
    new_weight, states = rmspropalex_step(
        weight, grad, n, g, delta, params.lr, params.wd, params.rescale_grad,
        _bound(params.clip_gradient), params.gamma1, params.gamma2, params.epsilon,
        _bound(params.clip_weights))
    return (new_weight,), states


@_declare('ftrl_update', ('weight', 'grad', 'z', 'n'),
          dict({'lr': Param(Float()), 'lamda1': Param(Float(), 0.01),
                'beta': Param(Float(), 1.0)}, **_COMMON), aux=('z', 'n'))
def ftrl_update(params, ctx, weight, grad, z, n):
    """FTRL-proximal; updates z and n."""
    new_weight, states = ftrl_step(weight, grad, z, n, params.lr, params.wd,
                                   params.rescale_grad, _bound(params.clip_gradient),
                                   params.lamda1, params.beta)
    return (new_weight,), states


def _lamb_phase1(params, weight, grad, mean, var):
    return lamb_phase1_step(weight, grad, mean, var, params.wd, params.rescale_grad,
                            _bound(params.clip_gradient), params.beta1, params.beta2,
                            params.epsilon, params.t, params.bias_correction)


@_declare('lamb_update_phase1', ('weight', 'grad', 'mean', 'var'), _LAMB1,
          aux=('mean', 'var'))
def lamb_update_phase1(params, ctx, weight, grad, mean, var):
    """LAMB's update direction; updates mean and var."""
    g, states = _lamb_phase1(params, weight, grad, mean, var)
    return (g,), states


@_declare('mp_lamb_update_phase1', ('weight', 'grad', 'mean', 'var', 'weight32'), _LAMB1,
          aux=('mean', 'var'), float32_inputs=('mean', 'var', 'weight32'))
def mp_lamb_update_phase1(params, ctx, weight, grad, mean, var, weight32):
    """`lamb_update_phase1` in float32 from the master copy; its output is float32."""
    g, states = _lamb_phase1(params, weight32, grad.astype(jnp.float32), mean, var)
    return (g,), states


@_declare('lamb_update_phase2', ('weight', 'g', 'r1', 'r2'), _LAMB2)
def lamb_update_phase2(params, ctx, weight, g, r1, r2):
    """The weight moved by LAMB's direction `g` with trust ratio r1/r2."""
    return (lamb_phase2_step(weight, g, r1, r2, params.lr, params.lower_bound,
                             params.upper_bound),)


@_declare('mp_lamb_update_phase2', ('weight', 'g', 'r1', 'r2', 'weight32'), _LAMB2,
          aux=('weight32',))
def mp_lamb_update_phase2(params, ctx, weight, g, r1, r2, weight32):
    """`lamb_update_phase2` from the float32 master copy. MXNet declares the copy mutated
    but leaves it unchanged."""
    new32 = lamb_phase2_step(weight32, g, r1, r2, params.lr, params.lower_bound,
                             params.upper_bound)
    return (new32.astype(weight.dtype),), (weight32,)


# ---------------------------------------------------------------------------- multi-weight
class _MultiUpdate(OpDef):
    """An update of `num_weights` weights at once, inputs in groups (weight_i, grad_i, and
    the group's states): each node runs the op declared for its num_weights."""

    def __init__(self, name, group, params, momentum, mixed_precision):
        super().__init__(name, None, inputs=(), params=params, has_gradient=False)
        self.group, self.momentum, self.mixed_precision = group, momentum, mixed_precision

    def specialize(self, attrs):
        return _multi_op(self, self._count(attrs.get('num_weights', '1')))

    def sort_arguments(self, args, kwargs, is_array):
        """Inputs are named by the weights' groups: weight_0, grad_0, ..."""
        count = self._count(str(kwargs.get('num_weights', 1)))
        return _multi_op(self, count).sort_arguments(args, kwargs, is_array)

    def _count(self, text):
        try:
            return self.params['num_weights'].ptype.parse(text)
        except ValueError as err:
            raise MXNetError('%s: parameter num_weights: %s' % (self.name, err)) from None


@functools.lru_cache(maxsize=None)
def _multi_op(multi, num_weights):
    """The op of one multi-weight update for `num_weights` weights."""
    states = (('mom',) if multi.momentum else ()) + (('weight32',) if multi.mixed_precision
                                                     else ())
    names = [('weight_%d' % i, 'grad_%d' % i) + tuple('%s_%d' % (s, i) for s in states)
             for i in range(num_weights)]
    inputs = [name for group in names for name in group]
    aux = [name for group in names for name in group[2:]]
    float32 = [2 + i for i in range(len(states))] if multi.mixed_precision else []

    def compute(params, ctx, *arrays):
        if len(params.lrs) < num_weights or len(params.wds) < num_weights:
            raise ValueError('multi update: %d weights but %d lrs and %d wds'
                             % (num_weights, len(params.lrs), len(params.wds)))
        outputs, new_states = [], []
        for index in range(num_weights):
            weight, grad, *state = arrays[index * multi.group:(index + 1) * multi.group]
            mom = state[0] if multi.momentum else None
            master = state[-1] if multi.mixed_precision else weight
            new_weight, new_mom = sgd_mom_step(
                master, grad.astype(master.dtype), mom, params.lrs[index], params.wds[index],
                params.rescale_grad, _bound(params.clip_gradient),
                params.get('momentum', 0.0))
            outputs.append(new_weight.astype(weight.dtype))
            new_states += ([new_mom] if multi.momentum else []) + (
                [new_weight] if multi.mixed_precision else [])
        return (tuple(outputs), tuple(new_states)) if aux else tuple(outputs)
    return OpDef(multi.name, compute, inputs=inputs, params=multi.params, aux=aux,
                 outputs=['output%d' % i for i in range(num_weights)], has_gradient=False,
                 infer_type=_mixed_types(multi.group, float32) if float32 else None)


add(_MultiUpdate('multi_sgd_update', 2, _MULTI, momentum=False, mixed_precision=False))
add(_MultiUpdate('multi_sgd_mom_update', 3, _MULTI_MOM, momentum=True, mixed_precision=False))
add(_MultiUpdate('multi_mp_sgd_update', 3, _MULTI, momentum=False, mixed_precision=True))
add(_MultiUpdate('multi_mp_sgd_mom_update', 4, _MULTI_MOM, momentum=True,
                 mixed_precision=True))
