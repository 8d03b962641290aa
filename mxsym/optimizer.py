"""`mx.optimizer`: MXNet 1.9.1's optimizers, with its names, defaults, per-parameter learning
rate and weight decay multipliers, update counts and numerics.

Each optimizer's arithmetic lives in one pure JAX function, so that a training loop can compile
the update into the same XLA program as forward and backward:

- ``state = opt.create_state_jax(weight)``: the optimizer state for one weight (a `jax.Array`) as
  a pytree of arrays, or None. It has the structure of ``opt.create_state(index, weight_nd)``
  (MXNet's NDArray state: None, an array or a tuple), arrays in place of NDArrays.
- ``scalars = opt.step_scalars(index)``: counts one update of parameter `index` (as MXNet's
  ``update`` does) and returns the keyword arguments of `step` for it: ``lr`` and ``wd`` with the
  scheduler, ``lr_mult``/``wd_mult`` and any bias correction MXNet applies in Python already
  folded in (Adam, Adamax), plus the per-step values a few optimizers need (FTML's ``t``,
  Nadam's momentum schedule). Call it once per parameter per step, in the parameters' order.
- ``new_weight, new_state = opt.step(weight, grad, state, **scalars)``: pure; applies
  ``rescale_grad``, ``clip_gradient`` and ``wd`` in the order MXNet's update kernels do. The
  scalars may be traced (pass them as arguments of the jitted program, so a changing learning
  rate does not recompile; Python floats keep MXNet's rounding best); the attributes named in
  ``opt.step_constants`` (momentum, betas, rescale_grad, ...) are constants of the program, so
  a compiled step is valid while they keep their values.

`Optimizer.update(index, weight, grad, state)` is MXNet's in-place NDArray API, built from the
same three calls (the steps of one call compiled together); `Updater` / `get_updater` hold
per-index states as MXNet's updater does.
"""
import math
import os
import warnings

import jax
import jax.numpy as jnp
import numpy as np

from . import compile_options
from . import prng
from . import updater_states
from .ops import optimizer_ops
from .base import MXNetError
from .lr_scheduler import LRScheduler
from .ndarray import NDArray


class Optimizer:
    """Base class: learning rate (or scheduler), weight decay, gradient rescaling and clipping,
    per-parameter multipliers and update counts."""

    step_constants = ('rescale_grad', 'clip_gradient')
    opt_registry = {}

    def __init__(self, rescale_grad=1., param_idx2name=None, wd=0., clip_gradient=None,
                 learning_rate=None, lr_scheduler=None, sym=None, begin_num_update=0,
                 multi_precision=False, param_dict=None):
        self.rescale_grad = rescale_grad
        self.lr_scheduler = lr_scheduler
        if lr_scheduler is None and learning_rate is None:
            learning_rate = 0.01
        self.lr = learning_rate
        if lr_scheduler is not None and learning_rate is not None:
            if lr_scheduler.base_lr != learning_rate:
                print(UserWarning('learning rate from ``lr_scheduler`` has been overwritten by '
                                  '``learning_rate`` in optimizer.'))
                lr_scheduler.base_lr = learning_rate
        self.wd = wd
        self.lr_mult = {}
        self.wd_mult = {}
        self.begin_num_update = begin_num_update
        self.num_update = begin_num_update
        self._all_index_update_counts = {0: {}}
        self._index_update_count = self._all_index_update_counts[0]
        self.clip_gradient = clip_gradient
        self.multi_precision = multi_precision
        self.aggregate_num = 0
        if param_idx2name is None:
            param_idx2name = {}
        if not isinstance(param_idx2name, dict):
            raise MXNetError('param_idx2name should be a dict of param indexes to names.')
        self.idx2name = param_idx2name.copy()
        self.sym_info = (sym.attr_dict(), sym.list_arguments()) if sym is not None else ()
        self.param_dict = param_dict if param_dict else {}
        self.set_lr_mult({})
        self.set_wd_mult({})

    # -- registry --

    @staticmethod
    def register(klass):
        """Makes `klass` creatable by its lower-cased class name."""
        if not isinstance(klass, type):
            raise MXNetError('Optimizer.register takes a class, got %r' % (klass,))
        name = klass.__name__.lower()
        if name in Optimizer.opt_registry:
            previous = Optimizer.opt_registry[name]
            warnings.warn('WARNING: New optimizer %s.%s is overriding existing optimizer %s.%s'
                          % (klass.__module__, klass.__name__, previous.__module__,
                             previous.__name__))
        Optimizer.opt_registry[name] = klass
        return klass

    @staticmethod
    def create_optimizer(name, **kwargs):
        """An instance of the optimizer registered as `name` (case-insensitive)."""
        if name.lower() not in Optimizer.opt_registry:
            raise MXNetError('Cannot find optimizer %s' % name)
        return Optimizer.opt_registry[name.lower()](**kwargs)

    # -- learning rate, weight decay and their multipliers --

    @property
    def learning_rate(self):
        if self.lr_scheduler is not None:
            return self.lr_scheduler(self.num_update)
        return self.lr

    def set_learning_rate(self, lr):
        """Sets the learning rate; refused when a scheduler decides it."""
        if self.lr_scheduler is not None:
            raise UserWarning('LRScheduler of the optimizer has already been defined. Note that '
                              'set_learning_rate can mutate the value of the learning rate of '
                              'the optimizer only when the LRScheduler of the optimizer is '
                              'undefined.')
        self.lr = lr

    def set_lr_scale(self, args_lrscale):
        """Deprecated in MXNet; use `set_lr_mult`."""
        raise DeprecationWarning

    def set_lr_mult(self, args_lr_mult):
        """Learning rate multipliers by parameter name or index; the graph's ``__lr_mult__``
        attrs (from `sym`) come first, `args_lr_mult` overrides them."""
        self.lr_mult = self._graph_multipliers('__lr_mult__')
        self.lr_mult.update(args_lr_mult)

    def set_wd_mult(self, args_wd_mult):
        """Weight decay multipliers: 0 for named parameters (`param_idx2name`) not ending in
        ``_weight`` or ``_gamma``, then the graph's ``__wd_mult__`` attrs, then `args_wd_mult`."""
        self.wd_mult = {name: 0.0 for name in self.idx2name.values()
                        if not (name.endswith('_weight') or name.endswith('_gamma'))}
        self.wd_mult.update(self._graph_multipliers('__wd_mult__'))
        self.wd_mult.update(args_wd_mult)

    def _graph_multipliers(self, attr_key):
        if not self.sym_info:
            return {}
        attrs, arg_names = self.sym_info
        return {name: float(attrs[name][attr_key]) for name in arg_names
                if name in attrs and attr_key in attrs[name]}

    def _set_current_context(self, device_id):
        """Switches to the update counts of device `device_id` (one set per device)."""
        self._index_update_count = self._all_index_update_counts.setdefault(device_id, {})

    def _update_count(self, index):
        """Counts one update of each index; `num_update` is the largest count."""
        for idx in index if isinstance(index, (list, tuple)) else [index]:
            count = self._index_update_count.get(idx, self.begin_num_update) + 1
            self._index_update_count[idx] = count
            self.num_update = max(count, self.num_update)

    def _multiplied(self, base, indices, multipliers, param_attr):
        values = [base] * len(indices)
        for i, index in enumerate(indices):
            if index in self.param_dict:
                values[i] *= getattr(self.param_dict[index], param_attr)
            elif index in multipliers:
                values[i] *= multipliers[index]
            elif index in self.idx2name:
                values[i] *= multipliers.get(self.idx2name[index], 1.0)
        return values

    def _get_lrs(self, indices):
        return self._multiplied(self.learning_rate, indices, self.lr_mult, 'lr_mult')

    def _get_lr(self, index):
        return self._get_lrs([index])[0]

    def _get_wds(self, indices):
        return self._multiplied(self.wd, indices, self.wd_mult, 'wd_mult')

    def _get_wd(self, index):
        return self._get_wds([index])[0]

    # -- the pure step --

    def create_state_jax(self, weight):
        """The state for `weight` (a jax array): a pytree of arrays, or None."""
        return None

    def step_scalars(self, index):
        """Counts one update of `index` and returns `step`'s scalar keyword arguments."""
        self._update_count(index)
        return self._scalars(index)

    def _scalars(self, index):
        """`step`'s scalars for `index`, its update already counted."""
        return {'lr': self._get_lr(index), 'wd': self._get_wd(index)}

    def step(self, weight, grad, state, lr, wd):
        """``(new_weight, new_state)`` after one update; pure."""
        raise NotImplementedError()

    def _kernel_clip(self):
        """The clip bound MXNet's update kernels apply: set only when truthy and not negative."""
        bound = self.clip_gradient
        return bound if bound and bound >= 0 else None

    # -- MXNet's NDArray API --

    def create_state(self, index, weight):
        """The state for NDArray `weight`: None, an NDArray or a tuple of them."""
        state = self.create_state_jax(weight._data)
        device = weight.context.jax_device
        return jax.tree_util.tree_map(
            lambda array: NDArray(jax.device_put(array, device), weight.context), state)

    def create_state_multi_precision(self, index, weight):
        """As `create_state`, plus a float32 master copy for float16 weights when
        `multi_precision` is set."""
        if self.multi_precision and weight.dtype == np.float16:
            master = weight.astype(np.float32)
            return self._with_master_copy(master, self.create_state(index, master))
        if weight.dtype == np.float16:
            warnings.warn('Accumulating with float16 in optimizer can lead to poor accuracy or '
                          'slow convergence. Consider using multi_precision=True option of the '
                          '%s optimizer' % type(self).__name__)
        return self.create_state(index, weight)

    @staticmethod
    def _with_master_copy(master, state):
        return (master, state)

    @staticmethod
    def _split_master_copy(state):
        return state

    def update(self, index, weight, grad, state):
        """Updates `weight` (and `state`) in place from `grad`; `index` may be a list, with
        lists of weights, grads and states."""
        indices, weights, grads, states = _as_lists(index, weight, grad, state)
        for one in weights + grads:
            if not isinstance(one, NDArray):
                raise MXNetError('%s.update takes NDArrays, got %s'
                                 % (type(self).__name__, type(one).__name__))
        self._update_count(indices)
        scalars = [self._scalars(idx) for idx in indices]
        arrays = jax.tree_util.tree_map(lambda nd: nd._data, states)
        new_weights, new_states = self._compiled_steps()(
            [one._data for one in weights], [one._data for one in grads], arrays, scalars)
        for one_weight, new_weight in zip(weights, new_weights):
            one_weight._set_data(new_weight)
        for nd, array in zip(jax.tree_util.tree_leaves(states),
                             jax.tree_util.tree_leaves(new_states)):
            nd._set_data(array)

    def _compiled_steps(self):
        """`step` over lists of parameters as one compiled program, one per value of the
        `step_constants` (and, by jit, per set of shapes)."""
        programs = self.__dict__.setdefault('_step_programs', {})
        constants = tuple(getattr(self, name) for name in self.step_constants)
        if constants not in programs:
            def steps(weights, grads, states, scalars):
                results = [self.step(*args, **one) for *args, one
                           in zip(weights, grads, states, scalars)]
                return [weight for weight, _ in results], [state for _, state in results]
            programs[constants] = compile_options.jit(steps)
        return programs[constants]

    def update_multi_precision(self, index, weight, grad, state):
        """`update`, through the float32 master copy for float16 weights with
        `multi_precision`."""
        indices, weights, grads, states = _as_lists(index, weight, grad, state)
        if not (self.multi_precision and weights[0].dtype == np.float16):
            self.update(index, weight, grad, state)
            return
        masters, inner = zip(*(self._split_master_copy(one) for one in states))
        grads32 = [one.astype(np.float32) for one in grads]
        if isinstance(index, (list, tuple)):
            self.update(indices, list(masters), grads32, list(inner))
        else:
            self.update(index, masters[0], grads32[0], inner[0])
        for one_weight, master in zip(weights, masters):
            one_weight._set_data(master._data.astype(one_weight._data.dtype))

    def __getstate__(self):
        state = self.__dict__.copy()
        del state['param_dict']
        state.pop('_step_programs', None)
        return state

    def __setstate__(self, state):
        self.__dict__ = state
        self.param_dict = {}


register = Optimizer.register
create = Optimizer.create_optimizer


def _as_lists(index, weight, grad, state):
    if isinstance(index, (list, tuple)):
        return list(index), list(weight), list(grad), list(state)
    return [index], [weight], [grad], [state]


def _zeros_like(weight, dtype=None):
    return jnp.zeros(weight.shape, weight.dtype if dtype is None else dtype)


def _scalars_as(dtype, *values):
    """Python scalars as NDArray scalar operators apply them: cast to the array's type."""
    return [jnp.asarray(value, dtype) for value in values]


def _clip(values, bound):
    return jnp.clip(values, -bound, bound)


@register
class SGD(Optimizer):
    """Stochastic gradient descent, with momentum when `momentum` > 0:
    ``mom = momentum*mom - lr*wd*w - lr*clip(rescale_grad*grad); w += mom``.
    `lazy_update` matters only for sparse gradients, which mxsym does not have."""

    step_constants = Optimizer.step_constants + ('momentum',)

    def __init__(self, momentum=0.0, lazy_update=True, **kwargs):
        super().__init__(**kwargs)
        self.momentum = momentum
        self.lazy_update = lazy_update
        self.aggregate_num = int(os.getenv('MXNET_OPTIMIZER_AGGREGATION_SIZE', '4'))

    def create_state_jax(self, weight):
        return _zeros_like(weight) if self.momentum != 0.0 else None

    def step(self, weight, grad, state, lr, wd):
        momentum = self.momentum if state is not None and self.momentum > 0 else 0.0
        return optimizer_ops.sgd_mom_step(weight, grad, state, lr, wd, self.rescale_grad,
                                          self._kernel_clip(), momentum)

    @staticmethod
    def _with_master_copy(master, state):
        return (state, master)

    @staticmethod
    def _split_master_copy(state):
        return state[1], state[0]


@register
class SGLD(Optimizer):
    """Stochastic gradient Langevin dynamics: half a gradient step plus N(0, lr) noise. The
    noise key comes from `mx.random` through `step_scalars`, so `step` stays pure."""

    def _scalars(self, index):
        return dict(super()._scalars(index), key=prng.next_key())

    def step(self, weight, grad, state, lr, wd, key):
        half_lr, wd, rescale = _scalars_as(weight.dtype, -lr / 2, wd, self.rescale_grad)
        gradient = grad * rescale
        if self.clip_gradient is not None:
            gradient = _clip(gradient, _scalars_as(weight.dtype, self.clip_gradient)[0])
        weight = weight + (gradient + weight * wd) * half_lr
        noise = jnp.sqrt(jnp.asarray(lr, jnp.float32)) * jax.random.normal(key, weight.shape)
        return weight + noise.astype(weight.dtype), None


@register
class ccSGD(SGD):
    """Deprecated in MXNet: the same as `SGD`."""


@register
class NAG(Optimizer):
    """Nesterov accelerated gradient; plain SGD when `momentum` is 0."""

    step_constants = Optimizer.step_constants + ('momentum',)

    def __init__(self, momentum=0.0, **kwargs):
        super().__init__(**kwargs)
        self.momentum = momentum

    def create_state_jax(self, weight):
        return _zeros_like(weight) if self.momentum != 0.0 else None

    def step(self, weight, grad, state, lr, wd):
        bound = self._kernel_clip()
        if state is None:
            return optimizer_ops.sgd_step(weight, grad, lr, wd, self.rescale_grad, bound), None
        # MXNet's optimizer passes the weight as the kernel's output, which its momentum
        # update then reads.
        return optimizer_ops.nag_mom_step(weight, grad, state, lr, wd, self.rescale_grad, bound,
                                          max(self.momentum, 0.0), mom_reads_new_weight=True)

    _with_master_copy = staticmethod(SGD._with_master_copy)
    _split_master_copy = staticmethod(SGD._split_master_copy)


@register
class Signum(Optimizer):
    """signSGD (momentum 0) and Signum: steps by the sign of the (momentum-averaged) gradient,
    with decoupled weight decay `wd_lh`."""

    step_constants = Optimizer.step_constants + ('momentum', 'wd_lh')

    def __init__(self, learning_rate=0.01, momentum=0.9, wd_lh=0.0, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.momentum = momentum
        self.wd_lh = wd_lh

    def create_state_jax(self, weight):
        return _zeros_like(weight) if self.momentum != 0.0 else None

    def step(self, weight, grad, state, lr, wd):
        if state is None:
            return optimizer_ops.signsgd_step(weight, grad, lr, wd), None
        return optimizer_ops.signum_step(weight, grad, state, lr, wd, self.rescale_grad,
                                         self._kernel_clip(), max(self.momentum, 0.0),
                                         self.wd_lh or 0.0)


@register
class FTML(Optimizer):
    """Follow the Moving Leader; state ``(d, v, z)``; needs the update count ``t``."""

    step_constants = Optimizer.step_constants + ('beta1', 'beta2', 'epsilon')

    def __init__(self, beta1=0.6, beta2=0.999, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon

    def create_state_jax(self, weight):
        return (_zeros_like(weight), _zeros_like(weight), _zeros_like(weight))

    def _scalars(self, index):
        return dict(super()._scalars(index), t=self._index_update_count[index])

    def step(self, weight, grad, state, lr, wd, t):
        return optimizer_ops.ftml_step(weight, grad, *state, lr, wd, self.rescale_grad,
                                       self._kernel_clip(), self.beta1, self.beta2,
                                       self.epsilon, t)


@register
class DCASGD(Optimizer):
    """Delay-compensated asynchronous SGD; state ``(momentum or None, previous weight)``."""

    step_constants = Optimizer.step_constants + ('momentum', 'lamda')

    def __init__(self, momentum=0.0, lamda=0.04, **kwargs):
        super().__init__(**kwargs)
        self.momentum = momentum
        self.lamda = lamda

    def create_state_jax(self, weight):
        return (_zeros_like(weight) if self.momentum != 0.0 else None, weight)

    def step(self, weight, grad, state, lr, wd):
        lr, wd, rescale, lamda, momentum = _scalars_as(
            weight.dtype, lr, wd, self.rescale_grad, self.lamda, self.momentum)
        gradient = grad * rescale
        if self.clip_gradient is not None:
            gradient = _clip(gradient, _scalars_as(weight.dtype, self.clip_gradient)[0])
        mom, previous = state
        change = (gradient + weight * wd + (gradient * lamda) * gradient * (weight - previous))
        change = change * -lr
        if mom is not None:
            change = mom * momentum + change
        return weight + change, (change if mom is not None else None, weight)


@register
class Adam(Optimizer):
    """Adam; MXNet folds the bias correction into the learning rate: ``lr *
    sqrt(1 - beta2^t) / (1 - beta1^t)``, computed in Python per update."""

    step_constants = Optimizer.step_constants + ('beta1', 'beta2', 'epsilon')

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 lazy_update=True, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.lazy_update = lazy_update

    def create_state_jax(self, weight):
        return (_zeros_like(weight), _zeros_like(weight))

    def _scalars(self, index):
        scalars = super()._scalars(index)
        t = self._index_update_count[index]
        scalars['lr'] *= math.sqrt(1. - self.beta2 ** t) / (1. - self.beta1 ** t)
        return scalars

    def step(self, weight, grad, state, lr, wd):
        return optimizer_ops.adam_step(weight, grad, *state, lr, wd, self.rescale_grad,
                                       self._kernel_clip(), self.beta1, self.beta2,
                                       self.epsilon)


@register
class AdaGrad(Optimizer):
    """AdaGrad: steps scaled by the root of the summed squared gradients (state: that sum, in
    float32 as MXNet keeps it)."""

    step_constants = Optimizer.step_constants + ('float_stable_eps',)

    def __init__(self, eps=1e-7, **kwargs):
        super().__init__(**kwargs)
        self.float_stable_eps = eps

    def create_state_jax(self, weight):
        return _zeros_like(weight, jnp.float32)

    def step(self, weight, grad, state, lr, wd):
        neg_lr, wd, rescale, eps = _scalars_as(weight.dtype, -lr, wd, self.rescale_grad,
                                               self.float_stable_eps)
        gradient = grad * rescale
        if self.clip_gradient is not None:
            gradient = _clip(gradient, _scalars_as(weight.dtype, self.clip_gradient)[0])
        history = state + jnp.square(gradient)
        ratio = gradient / jnp.sqrt(history + eps)
        return weight + (ratio + weight * wd) * neg_lr, history


@register
class RMSProp(Optimizer):
    """RMSProp: Tieleman & Hinton's (state ``(n,)``), or Graves's centered version with momentum
    `gamma2` (state ``(n, g, delta)``); weights optionally clipped to `clip_weights`."""

    step_constants = Optimizer.step_constants + ('gamma1', 'gamma2', 'epsilon', 'centered',
                                                 'clip_weights')

    def __init__(self, learning_rate=0.001, gamma1=0.9, gamma2=0.9, epsilon=1e-8,
                 centered=False, clip_weights=None, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.gamma1 = gamma1
        self.gamma2 = gamma2
        self.centered = centered
        self.epsilon = epsilon
        self.clip_weights = clip_weights

    def create_state_jax(self, weight):
        count = 3 if self.centered else 1
        return tuple(_zeros_like(weight, jnp.float32) for _ in range(count))

    def step(self, weight, grad, state, lr, wd):
        clip_weights = self.clip_weights if self.clip_weights and self.clip_weights >= 0 \
            else None
        scalars = (lr, wd, self.rescale_grad, self._kernel_clip(), self.gamma1)
        if self.centered:
            return optimizer_ops.rmspropalex_step(weight, grad, *state, *scalars, self.gamma2,
                                                  self.epsilon, clip_weights)
        new_weight, n = optimizer_ops.rmsprop_step(weight, grad, state[0], *scalars,
                                                   self.epsilon, clip_weights)
        return new_weight, (n,)


@register
class AdaDelta(Optimizer):
    """AdaDelta; state ``(accumulated g^2, accumulated delta^2)``. It takes no learning rate."""

    step_constants = Optimizer.step_constants + ('rho', 'epsilon')

    def __init__(self, rho=0.90, epsilon=1e-5, **kwargs):
        super().__init__(**kwargs)
        self.rho = rho
        self.epsilon = epsilon

    def create_state_jax(self, weight):
        return (_zeros_like(weight, jnp.float32), _zeros_like(weight, jnp.float32))

    def step(self, weight, grad, state, lr, wd):
        wd, rescale, rho, keep, epsilon = _scalars_as(
            weight.dtype, wd, self.rescale_grad, self.rho, 1. - self.rho, self.epsilon)
        gradient = grad * rescale
        if self.clip_gradient is not None:
            gradient = _clip(gradient, _scalars_as(weight.dtype, self.clip_gradient)[0])
        acc_g, acc_delta = state
        acc_g = acc_g * rho + keep * gradient * gradient
        delta = jnp.sqrt(acc_delta + epsilon) / jnp.sqrt(acc_g + epsilon) * gradient
        acc_delta = acc_delta * rho + keep * delta * delta
        return weight - (delta + weight * wd), (acc_g, acc_delta)

    def update(self, index, weight, grad, state):
        super().update(index, weight, grad, state)
        # MXNet's AdaDelta rescales the caller's gradient array in place.
        for one_grad in _as_lists(index, weight, grad, state)[2]:
            one_grad *= self.rescale_grad


@register
class Ftrl(Optimizer):
    """Follow the regularized leader (FTRL-proximal); state ``(z, n)``."""

    step_constants = Optimizer.step_constants + ('lamda1', 'beta')

    def __init__(self, lamda1=0.01, learning_rate=0.1, beta=1, **kwargs):
        super().__init__(**kwargs)
        self.lamda1 = lamda1
        self.beta = beta
        self.lr = learning_rate

    def create_state_jax(self, weight):
        return (_zeros_like(weight, jnp.float32), _zeros_like(weight, jnp.float32))

    def step(self, weight, grad, state, lr, wd):
        return optimizer_ops.ftrl_step(weight, grad, *state, lr, wd, self.rescale_grad,
                                       self._kernel_clip(), self.lamda1, self.beta)


@register
class Adamax(Optimizer):
    """AdaMax (Adam with the infinity norm); the learning rate is divided by ``1 - beta1^t``
    in Python per update."""

    step_constants = Optimizer.step_constants + ('beta1', 'beta2')

    def __init__(self, learning_rate=0.002, beta1=0.9, beta2=0.999, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta1 = beta1
        self.beta2 = beta2

    def create_state_jax(self, weight):
        return (_zeros_like(weight), _zeros_like(weight))

    def _scalars(self, index):
        scalars = super()._scalars(index)
        scalars['lr'] /= (1. - self.beta1 ** self._index_update_count[index])
        return scalars

    def step(self, weight, grad, state, lr, wd):
        lr, wd, rescale, beta1, keep, beta2 = _scalars_as(
            weight.dtype, lr, wd, self.rescale_grad, self.beta1, 1. - self.beta1, self.beta2)
        gradient = grad * rescale + weight * wd
        if self.clip_gradient is not None:
            gradient = _clip(gradient, _scalars_as(weight.dtype, self.clip_gradient)[0])
        m, u = state
        m = m * beta1 + keep * gradient
        u = jnp.maximum(u * beta2, jnp.abs(gradient))
        return weight - m * lr / u, (m, u)


@register
class Nadam(Optimizer):
    """Adam with Nesterov momentum. Its momentum schedule (``m_schedule``) is one product shared
    by all parameters, advanced at every update, as in MXNet."""

    step_constants = Optimizer.step_constants + ('beta1', 'beta2', 'epsilon')

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 schedule_decay=0.004, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.schedule_decay = schedule_decay
        self.m_schedule = 1.

    def create_state_jax(self, weight):
        return (_zeros_like(weight), _zeros_like(weight))

    def _scalars(self, index):
        t = self._index_update_count[index]
        momentum_t = self.beta1 * (1. - 0.5 * (pow(0.96, t * self.schedule_decay)))
        momentum_next = self.beta1 * (1. - 0.5 * (pow(0.96, (t + 1) * self.schedule_decay)))
        self.m_schedule = self.m_schedule * momentum_t
        return dict(super()._scalars(index), grad_coef=1. - momentum_t, mean_coef=momentum_next,
                    grad_denom=1. - self.m_schedule,
                    mean_denom=1. - self.m_schedule * momentum_next,
                    var_denom=1. - pow(self.beta2, t))

    def step(self, weight, grad, state, lr, wd, grad_coef, mean_coef, grad_denom, mean_denom,
             var_denom):
        (lr, wd, rescale, beta1, keep1, beta2, keep2, epsilon, grad_coef, mean_coef, grad_denom,
         mean_denom, var_denom) = _scalars_as(
            weight.dtype, lr, wd, self.rescale_grad, self.beta1, 1. - self.beta1, self.beta2,
            1. - self.beta2, self.epsilon, grad_coef, mean_coef, grad_denom, mean_denom,
            var_denom)
        gradient = grad * rescale + weight * wd
        if self.clip_gradient is not None:
            gradient = _clip(gradient, _scalars_as(weight.dtype, self.clip_gradient)[0])
        m, v = state
        m = m * beta1 + keep1 * gradient
        v = v * beta2 + keep2 * gradient * gradient
        mean_bar = grad_coef * (gradient / grad_denom) + mean_coef * (m / mean_denom)
        return weight - mean_bar * lr / (jnp.sqrt(v / var_denom) + epsilon), (m, v)


@register
class Test(Optimizer):
    """MXNet's test optimizer: ``w += rescale_grad * grad``; the state mirrors the weight."""

    def create_state_jax(self, weight):
        return _zeros_like(weight, jnp.float32)

    def step(self, weight, grad, state, lr, wd):
        new_weight = weight + grad * _scalars_as(weight.dtype, self.rescale_grad)[0]
        return new_weight, new_weight.astype(state.dtype)


class Updater:
    """Applies an optimizer by parameter index, creating each index's state on first use;
    `get_states`/`set_states` pickle the states (and optionally the optimizer)."""

    def __init__(self, optimizer):
        self.optimizer = optimizer
        self.states = {}
        self.states_synced = {}
        self.aggregate_updates = optimizer.aggregate_num > 0

    def __call__(self, index, grad, weight):
        indices, grads, weights = ((list(index), list(grad), list(weight))
                                   if isinstance(index, (list, tuple))
                                   else ([index], [grad], [weight]))
        if weights:
            self.optimizer._set_current_context(weights[0].context.device_id)
        for idx, one_weight in zip(indices, weights):
            if idx not in self.states:
                self.states[idx] = self.optimizer.create_state_multi_precision(idx, one_weight)
                self.states_synced[idx] = True
            elif not self.states_synced[idx]:
                self.states[idx] = self.sync_state_context(self.states[idx],
                                                           one_weight.context)
                self.states_synced[idx] = True
        if not self.aggregate_updates:
            for idx, one_weight, one_grad in zip(indices, weights, grads):
                self.optimizer.update_multi_precision(idx, one_weight, one_grad,
                                                      self.states[idx])
            return
        by_dtype = {}
        for entry in zip(indices, weights, grads):
            by_dtype.setdefault(entry[1].dtype, []).append(entry)
        size = self.optimizer.aggregate_num
        for entries in by_dtype.values():
            for start in range(0, len(entries), size):
                chunk_indices, chunk_weights, chunk_grads = zip(*entries[start:start + size])
                self.optimizer.update_multi_precision(
                    chunk_indices, chunk_weights, chunk_grads,
                    [self.states[idx] for idx in chunk_indices])

    def sync_state_context(self, state, context):
        """`state` moved to `context`, keeping its structure."""
        if isinstance(state, NDArray):
            return state.as_in_context(context)
        if isinstance(state, (tuple, list)):
            synced = [self.sync_state_context(one, context) for one in state]
            return tuple(synced) if isinstance(state, tuple) else synced
        return state

    def set_states(self, states):
        """Restores states pickled by `get_states` or by MXNet (with the optimizer, if it was
        saved)."""
        states = updater_states.loads(states, _state_classes())
        optimizer = self.optimizer
        if isinstance(states, tuple) and len(states) == 2:
            states, optimizer = states
        if not isinstance(states, dict) or not isinstance(optimizer, Optimizer):
            raise MXNetError('optimizer states: expected a dict of states by index, or that '
                             'and an optimizer, but the pickle holds %s'
                             % _describe_pickled(states, optimizer))
        self.states, self.optimizer = states, optimizer
        self.states_synced = dict.fromkeys(self.states.keys(), False)

    def get_states(self, dump_optimizer=False):
        """The states pickled as MXNet pickles them; with the optimizer too when
        `dump_optimizer`."""
        return updater_states.dumps((self.states, self.optimizer) if dump_optimizer
                                    else self.states)


def _state_classes():
    """{(module, qualified name): class} of what a states pickle may hold besides arrays:
    every registered optimizer and every learning-rate scheduler."""
    schedulers, pending = [], [LRScheduler]
    while pending:
        klass = pending.pop()
        schedulers.append(klass)
        pending.extend(klass.__subclasses__())
    return {(klass.__module__, klass.__qualname__): klass
            for klass in list(Optimizer.opt_registry.values()) + schedulers}


def _describe_pickled(states, optimizer):
    if isinstance(optimizer, Optimizer):
        return 'a %s' % type(states).__name__
    return 'a %s and a %s' % (type(states).__name__, type(optimizer).__name__)


def get_updater(optimizer):
    """An `Updater` applying `optimizer`."""
    return Updater(optimizer)
