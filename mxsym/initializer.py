"""`mx.init` / `mx.initializer`: the first values of parameters, with MXNet 1.9.1's names,
defaults, dispatch on parameter names and JSON descriptions.

An initializer is called as ``init(InitDesc(name, attrs), arr)`` and fills the NDArray `arr` in
place. A variable's ``__init__`` attr (written by ``Variable(init=...)``, or by operators such as
BatchNorm for their moving statistics) wins over the name: it is the ``[name, kwargs]`` JSON that
`Initializer.dumps` produces and `create` reads back. Otherwise the name's suffix decides:
``weight`` gets the initializer's own rule, ``bias``/``beta``/``min`` zeros, ``gamma``/``max``
ones. Random initializers draw as MXNet's do: on a CPU context MXNet's own numbers for the same
`mx.random.seed` (`mxnet_rng`), on a GPU context the same distributions from the JAX key.
"""
import json
import logging
import math
import re
import warnings

import jax
import jax.numpy as jnp
import numpy as np

from . import ndarray as nd, prng
from .base import MXNetError
from .context import current_context
from .ndarray import NDArray

_REGISTRY = {}


class InitDesc(str):
    """A parameter's name, with its attrs (from ``Symbol.attr_dict()``) and the global
    initializer that a variable-specific one may fall back to."""

    def __new__(cls, name, attrs=None, global_init=None):
        desc = super().__new__(cls, name)
        desc.attrs = attrs or {}
        desc.global_init = global_init
        return desc


class Initializer:
    """Base class: dispatches on the parameter's ``__init__`` attr or name suffix."""

    def __init__(self, **kwargs):
        self._kwargs = kwargs
        self._verbose = False
        self._print_func = None

    def set_verbosity(self, verbose=False, print_func=None):
        """Log each initialized array with `print_func(arr)` (default: its root mean square)."""
        self._verbose = verbose
        self._print_func = print_func or _root_mean_square
        return self

    def _verbose_print(self, desc, pattern, arr):
        if self._verbose and self._print_func:
            logging.info('Initialized %s as %s: %s', desc, pattern, self._print_func(arr))

    def dumps(self):
        """The ``[name, kwargs]`` JSON text that `create` turns back into this initializer."""
        return json.dumps([self.__class__.__name__.lower(), self._kwargs])

    def __eq__(self, other):
        if not isinstance(other, Initializer):
            return NotImplemented
        return type(self) is type(other) and self._kwargs == other._kwargs

    def __call__(self, desc, arr):
        if not isinstance(desc, InitDesc):
            self._legacy_init(desc, arr)
            return
        if desc.global_init is None:
            desc.global_init = self
        init = desc.attrs.get('__init__', '')
        if init:
            create(init)._init_weight(desc, arr)
            self._verbose_print(desc, init, arr)
            return
        for suffix, method in _SUFFIX_RULES:
            if desc.endswith(suffix):
                getattr(self, method)(desc, arr)
                self._verbose_print(desc, suffix, arr)
                return
        self._init_default(desc, arr)

    def _legacy_init(self, name, arr):
        """Plain-string names, as MXNet's older API called initializers (deprecated there)."""
        warnings.warn('Calling initializer with init(str, NDArray) has been deprecated. '
                      'please use init(mx.init.InitDesc(...), NDArray) instead.',
                      DeprecationWarning, stacklevel=3)
        if not isinstance(name, str):
            raise TypeError('name must be string')
        if not isinstance(arr, NDArray):
            raise TypeError('arr must be NDArray')
        if name.startswith('upsampling'):
            self._init_bilinear(name, arr)
        elif name.startswith('stn_loc') and name.endswith('weight'):
            self._init_zero(name, arr)
        elif name.startswith('stn_loc') and name.endswith('bias'):
            self._init_loc_bias(name, arr)
        else:
            for suffix, method in _LEGACY_SUFFIX_RULES:
                if name.endswith(suffix):
                    getattr(self, method)(name, arr)
                    return
            self._init_default(name, arr)

    def _init_bilinear(self, _, arr):
        arr[:] = _bilinear_kernel(arr.shape)

    def _init_loc_bias(self, name, arr):
        if arr.shape[0] != 6:
            raise MXNetError('%s: a spatial transformer localisation bias needs 6 values, '
                             'got shape %s' % (name, arr.shape))
        arr[:] = np.array([1.0, 0, 0, 0, 1.0, 0])

    def _init_zero(self, _, arr):
        arr[:] = 0.0

    def _init_one(self, _, arr):
        arr[:] = 1.0

    _init_bias = _init_zero
    _init_beta = _init_zero
    _init_gamma = _init_one

    def _init_quantized_bias(self, _, arr):
        arr[:] = 0

    def _init_quantized_weight(self, _, arr):
        # MXNet draws one integer in [-127, 127) and fills the whole array with it.
        if _draws_on_cpu():
            value = nd.random.randint(-127, 127, dtype='int32').asnumpy()[0]
        else:
            value = jax.random.randint(prng.next_key(), (), -127, 127, dtype=jnp.int32)
        arr[:] = int(value)

    def _init_weight(self, name, arr):
        raise NotImplementedError('Must override it')

    def _init_default(self, name, _):
        raise MXNetError(
            'Unknown initialization pattern for %s. Default initialization is now limited to '
            '"weight", "bias", "gamma" (1.0), and "beta" (0.0).Please use '
            'mx.sym.Variable(init=mx.init.*) to set initialization pattern' % name)


# Suffix -> method, in the order MXNet tests them.
_SUFFIX_RULES = (
    ('weight', '_init_weight'), ('bias', '_init_bias'), ('gamma', '_init_gamma'),
    ('beta', '_init_beta'), ('min', '_init_zero'), ('max', '_init_one'),
    ('weight_quantize', '_init_quantized_weight'), ('bias_quantize', '_init_quantized_bias'),
)
_LEGACY_SUFFIX_RULES = (
    ('bias', '_init_bias'), ('gamma', '_init_gamma'), ('beta', '_init_beta'),
    ('weight', '_init_weight'), ('moving_mean', '_init_zero'), ('moving_var', '_init_one'),
    ('moving_inv_var', '_init_zero'), ('moving_avg', '_init_zero'), ('min', '_init_zero'),
    ('max', '_init_one'),
)


def _root_mean_square(arr):
    values = arr.asnumpy().astype(np.float64)
    return str(np.float32(np.linalg.norm(values) / math.sqrt(values.size)))


def _bilinear_kernel(shape):
    """The bilinear-interpolation weights MXNet gives upsampling (deconvolution) filters."""
    size = int(np.prod(shape))
    factor = np.ceil(shape[3] / 2.)
    center = (2 * factor - 1 - factor % 2) / (2. * factor)
    flat = np.arange(size)
    x = flat % shape[3]
    y = (flat // shape[3]) % shape[2]
    weight = (1 - abs(x / factor - center)) * (1 - abs(y / factor - center))
    return weight.astype(np.float32).reshape(shape)


def _draws_on_cpu():
    """Whether the initializers' draws are MXNet's CPU draws (`mxnet_rng`): MXNet draws in the
    current context, CPU unless a GPU context is entered."""
    return current_context().device_type != 'gpu'


def _draws(sample, shape):
    """`sample(key, block_shape)` for `shape`'s values, as a float32 numpy array, on a GPU
    context. Draws come in power-of-two blocks of at least 2^15 values, so that parameters of
    all sizes share a few compiled samplers; the rest is host work, compiling nothing per
    shape."""
    size = int(np.prod(shape))
    block = max(1 << 15, 1 << max(size - 1, 0).bit_length())
    return np.asarray(sample(prng.next_key(), (block,)))[:size].reshape(shape)


def _draw_uniform(arr, low, high):
    """`arr` filled as MXNet's ``random.uniform(low, high, arr.shape, out=arr)``."""
    if _draws_on_cpu():
        nd.random.uniform(low, high, arr.shape, out=arr)
    else:
        arr[:] = _draws(lambda key, shape: jax.random.uniform(key, shape, jnp.float32, low,
                                                              high), arr.shape)


def _draw_normal(arr, sigma):
    """`arr` filled as MXNet's ``random.normal(0, sigma, arr.shape, out=arr)``."""
    if _draws_on_cpu():
        nd.random.normal(0, sigma, arr.shape, out=arr)
    else:
        values = _draws(lambda key, shape: jax.random.normal(key, shape, jnp.float32),
                        arr.shape)
        arr[:] = np.float32(sigma) * values


def register(klass, name=None):
    """Makes `klass` creatable by its lower-cased class name (or `name`) through `create`."""
    if not (isinstance(klass, type) and issubclass(klass, Initializer)):
        raise MXNetError('Can only register subclass of Initializer, got %r' % (klass,))
    name = (name or klass.__name__).lower()
    if name in _REGISTRY:
        warnings.warn('New initializer %s.%s registered with name %s is overriding existing '
                      'initializer %s.%s' % (klass.__module__, klass.__name__, name,
                                             _REGISTRY[name].__module__,
                                             _REGISTRY[name].__name__), UserWarning, stacklevel=2)
    _REGISTRY[name] = klass
    return klass


def alias(*names):
    """Class decorator registering extra names for an initializer."""
    def register_aliases(klass):
        for name in names:
            register(klass, name)
        return klass
    return register_aliases


def create(*args, **kwargs):
    """An initializer from an instance (returned as is), a registered name with kwargs, a
    ``[name, kwargs]`` JSON string (as `dumps` writes), a ``{"initializer": ...}`` JSON or dict."""
    if args:
        spec, args = args[0], args[1:]
    else:
        spec = kwargs.pop('initializer')
    if isinstance(spec, Initializer):
        if args or kwargs:
            raise MXNetError('initializer is already an instance. Additional arguments are '
                             'invalid')
        return spec
    if isinstance(spec, dict):
        return create(**spec)
    if not isinstance(spec, str):
        raise MXNetError('initializer must be of string type, got %r' % (spec,))
    if spec.startswith('['):
        name, params = json.loads(spec)
        return create(name, **params)
    if spec.startswith('{'):
        return create(**json.loads(spec))
    name = spec.lower()
    if name not in _REGISTRY:
        raise MXNetError('%s is not registered. Please register with initializer.register '
                         'first' % name)
    return _REGISTRY[name](*args, **kwargs)


class Load:
    """Values from a ``.params`` file or a dict of NDArrays (``arg:``/``aux:`` prefixes dropped);
    names not found go to `default_init`."""

    def __init__(self, param, default_init=None, verbose=False):
        if isinstance(param, str):
            param = nd.load(param)
        if not isinstance(param, dict):
            raise MXNetError('Load needs a dict of name -> NDArray or a .params file of named '
                             'arrays')
        self.param = {}
        for name, arr in param.items():
            if name.startswith('arg:') or name.startswith('aux:'):
                name = name[4:]
            self.param[name] = arr
        self.default_init = default_init
        self.verbose = verbose

    def __call__(self, name, arr):
        if name in self.param:
            if arr.shape != self.param[name].shape:
                raise MXNetError('Parameter %s cannot be initialized from loading. Shape '
                                 'mismatch, target %s vs loaded %s'
                                 % (name, arr.shape, self.param[name].shape))
            arr[:] = self.param[name]
            if self.verbose:
                logging.info('Initialized %s by loading', name)
            return
        if self.default_init is None:
            raise MXNetError('Cannot Initialize %s. Not found in loaded param and no default '
                             'Initializer is provided.' % name)
        self.default_init(name, arr)
        if self.verbose:
            logging.info('Initialized %s by default', name)


class Mixed:
    """The initializer of the first regular expression (``re.match``) matching the name."""

    def __init__(self, patterns, initializers):
        if len(patterns) != len(initializers):
            raise MXNetError('Mixed needs one initializer per pattern, got %d patterns and %d '
                             'initializers' % (len(patterns), len(initializers)))
        self.map = list(zip([re.compile(p) for p in patterns], initializers))

    def __call__(self, name, arr):
        for pattern, init in self.map:
            if pattern.match(name):
                init(name, arr)
                return
        raise MXNetError('Parameter name %s did not match any pattern. Consider add a ".*" '
                         'pattern at the and with default Initializer.' % name)


@register
@alias('zeros')
class Zero(Initializer):
    """Weights set to 0."""

    def __init__(self):
        super().__init__()

    def _init_weight(self, _, arr):
        arr[:] = 0


@register
@alias('ones')
class One(Initializer):
    """Weights set to 1."""

    def __init__(self):
        super().__init__()

    def _init_weight(self, _, arr):
        arr[:] = 1


@register
class Constant(Initializer):
    """Weights set to `value`: a scalar, or an array broadcast to the weight's shape."""

    def __init__(self, value):
        super().__init__(value=value)
        self.value = value

    def _init_weight(self, _, arr):
        arr[:] = self.value

    def dumps(self):
        value = self._kwargs['value']
        if isinstance(value, NDArray):
            self._kwargs['value'] = value.asnumpy().tolist()
        elif not np.isscalar(value):
            self._kwargs['value'] = np.asarray(value).tolist()
        return json.dumps([self.__class__.__name__.lower(), self._kwargs])


@register
class Uniform(Initializer):
    """Weights drawn uniformly from [-scale, scale]."""

    def __init__(self, scale=0.07):
        super().__init__(scale=scale)
        self.scale = scale

    def _init_weight(self, _, arr):
        _draw_uniform(arr, -self.scale, self.scale)


@register
class Normal(Initializer):
    """Weights drawn from N(0, sigma^2)."""

    def __init__(self, sigma=0.01):
        super().__init__(sigma=sigma)
        self.sigma = sigma

    def _init_weight(self, _, arr):
        _draw_normal(arr, self.sigma)


@register
class Orthogonal(Initializer):
    """Weights set to `scale` times an orthonormal matrix (of the flattened weight) from the SVD
    of a random draw."""

    def __init__(self, scale=1.414, rand_type='uniform'):
        super().__init__(scale=scale, rand_type=rand_type)
        self.scale = scale
        self.rand_type = rand_type

    def _init_weight(self, name, arr):
        rows, cols = arr.shape[0], int(np.prod(arr.shape[1:]))
        if self.rand_type not in ('uniform', 'normal'):
            raise MXNetError('Orthogonal initializer of %s: unknown rand_type %r (uniform or '
                             'normal)' % (name, self.rand_type))
        draw = nd.zeros((rows, cols))
        if self.rand_type == 'uniform':
            _draw_uniform(draw, -1.0, 1.0)
        else:
            _draw_normal(draw, 1.0)
        draw = draw.asnumpy()
        left, _, right = np.linalg.svd(draw, full_matrices=False)
        basis = left if left.shape == draw.shape else right
        arr[:] = self.scale * basis.reshape(arr.shape)


@register
class Xavier(Initializer):
    """Weights with variance scaled to the fan-in/fan-out: uniform in [-c, c] or N(0, c^2) with
    ``c = sqrt(magnitude / factor)``, factor the fan-in, fan-out or their mean (`factor_type`),
    fans counting the kernel's spatial size."""

    def __init__(self, rnd_type='uniform', factor_type='avg', magnitude=3):
        super().__init__(rnd_type=rnd_type, factor_type=factor_type, magnitude=magnitude)
        self.rnd_type = rnd_type
        self.factor_type = factor_type
        self.magnitude = float(magnitude)

    def _init_weight(self, name, arr):
        scale = xavier_scale(arr.shape, self.factor_type, self.magnitude, name)
        if self.rnd_type == 'uniform':
            _draw_uniform(arr, -scale, scale)
        elif self.rnd_type == 'gaussian':
            _draw_normal(arr, scale)
        else:
            raise MXNetError('Unknown random type %r for %s (uniform or gaussian)'
                             % (self.rnd_type, name))


def xavier_scale(shape, factor_type, magnitude, name=''):
    """Xavier's bound (uniform) or standard deviation (gaussian) for a weight of `shape`."""
    if len(shape) < 2:
        raise MXNetError('Xavier initializer cannot be applied to vector {0}. It requires at '
                         'least 2D.'.format(name))
    receptive_field = float(np.prod(shape[2:])) if len(shape) > 2 else 1.
    fan_in, fan_out = shape[1] * receptive_field, shape[0] * receptive_field
    factors = {'avg': (fan_in + fan_out) / 2.0, 'in': fan_in, 'out': fan_out}
    if factor_type not in factors:
        raise MXNetError('Incorrect factor type %r for %s (avg, in or out)' % (factor_type, name))
    return float(np.sqrt(magnitude / factors[factor_type]))


@register
class MSRAPrelu(Xavier):
    """Xavier with gaussian draws and magnitude ``2 / (1 + slope^2)`` (He et al., for PReLU)."""

    def __init__(self, factor_type='avg', slope=0.25):
        super().__init__('gaussian', factor_type, 2. / (1 + slope ** 2))
        self._kwargs = {'factor_type': factor_type, 'slope': slope}


@register
class Bilinear(Initializer):
    """Bilinear-interpolation weights for upsampling deconvolutions."""

    def __init__(self):
        super().__init__()

    def _init_weight(self, _, arr):
        arr[:] = _bilinear_kernel(arr.shape)


@register
class LSTMBias(Initializer):
    """An LSTM cell's bias: 0 except the forget gate (the second of four) set to `forget_bias`."""

    def __init__(self, forget_bias=1.0):
        super().__init__(forget_bias=forget_bias)
        self.forget_bias = forget_bias

    def _init_weight(self, name, arr):
        arr[:] = 0.0
        num_hidden = int(arr.shape[0] / 4)
        arr[num_hidden:2 * num_hidden] = self.forget_bias
