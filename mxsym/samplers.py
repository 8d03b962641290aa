"""The sampler functions of `mx.sym.random` and `mx.nd.random` (and `mx.random`), written once.

``<d>_like(data)`` samplers run ``_random_<d>_like`` (draws of data's shape and dtype).
Scalar parameters pick the ``_random_<d>`` op (a `shape` of draws); array parameters pick
``_sample_<d>`` (one draw of `shape` per parameter element), as MXNet's helpers do.
"""
from numbers import Number


class Samplers:
    """Samplers over one array type; `apply(op_name, inputs, options)` runs or records an op."""

    def __init__(self, array_type, apply):
        self._array_type = array_type
        self._apply = apply

    def _draw(self, name, parameters, shape, dtype, kwargs):
        options = dict(kwargs)
        if shape is not None:
            options['shape'] = shape
        if dtype is not None:
            options['dtype'] = dtype
        if all(isinstance(p, self._array_type) for p in parameters):
            return self._apply('_sample_' + name, tuple(parameters), options)
        if all(isinstance(p, Number) for p in parameters):
            return self._apply('_random_' + name, (), dict(zip(_SCALARS[name], parameters),
                                                           **options))
        raise ValueError('%s: parameters must be all numbers or all %ss, got %s'
                         % (name, self._array_type.__name__,
                            [type(p).__name__ for p in parameters]))

    def uniform(self, low=0, high=1, shape=None, dtype=None, **kwargs):
        """Draws from U[low, high)."""
        return self._draw('uniform', [low, high], shape, dtype, kwargs)

    def normal(self, loc=0, scale=1, shape=None, dtype=None, **kwargs):
        """Draws from N(loc, scale^2)."""
        return self._draw('normal', [loc, scale], shape, dtype, kwargs)

    def randn(self, *shape, loc=0, scale=1, dtype=None, **kwargs):
        """Normal draws of the shape given positionally."""
        return self._draw('normal', [loc, scale], shape, dtype, kwargs)

    def poisson(self, lam=1, shape=None, dtype=None, **kwargs):
        """Draws from Poisson(lam)."""
        return self._draw('poisson', [lam], shape, dtype, kwargs)

    def exponential(self, scale=1, shape=None, dtype=None, **kwargs):
        """Draws from the exponential distribution of mean `scale`."""
        return self._draw('exponential', [1.0 / scale], shape, dtype, kwargs)

    def gamma(self, alpha=1, beta=1, shape=None, dtype=None, **kwargs):
        """Draws from Gamma(shape alpha, scale beta)."""
        return self._draw('gamma', [alpha, beta], shape, dtype, kwargs)

    def negative_binomial(self, k=1, p=1, shape=None, dtype=None, **kwargs):
        """Failures before the k-th success, each trial succeeding with probability p."""
        return self._draw('negative_binomial', [k, p], shape, dtype, kwargs)

    def generalized_negative_binomial(self, mu=1, alpha=1, shape=None, dtype=None, **kwargs):
        """Draws of mean mu and variance mu + alpha * mu^2."""
        return self._draw('generalized_negative_binomial', [mu, alpha], shape, dtype, kwargs)

    def randint(self, low, high, shape=None, dtype=None, **kwargs):
        """Integers drawn uniformly from [low, high)."""
        return self._draw('randint', [low, high], shape, dtype, kwargs)

    def multinomial(self, data, shape=None, get_prob=False, dtype='int32', **kwargs):
        """Category indices drawn from the probabilities along data's last axis."""
        options = dict(kwargs, get_prob=get_prob, dtype=dtype)
        if shape is not None:
            options['shape'] = shape
        return self._apply('_sample_multinomial', (data,), options)

    def shuffle(self, data, **kwargs):
        """`data` with its first axis randomly permuted."""
        return self._apply('_shuffle', (data,), kwargs)

    def like(self, distribution):
        """The sampler ``<distribution>_like(data, *params, **params)``: draws of data's shape
        and dtype (the ``_random_<distribution>_like`` op)."""
        op_name = '_random_%s_like' % distribution

        def sampler(data=None, *args, **kwargs):
            return self._apply(op_name, (data,) + args, kwargs)
        sampler.__name__ = sampler.__qualname__ = distribution + '_like'
        sampler.__doc__ = 'Draws from the %s distribution of the shape and dtype of data.' % (
            distribution.replace('_', ' '))
        return sampler


_SCALARS = {'uniform': ('low', 'high'), 'normal': ('loc', 'scale'), 'poisson': ('lam',),
            'exponential': ('lam',), 'gamma': ('alpha', 'beta'), 'negative_binomial': ('k', 'p'),
            'generalized_negative_binomial': ('mu', 'alpha'), 'randint': ('low', 'high')}
