"""`mx.sym.random`: samplers that pick `_random_*` ops for scalar parameters and `_sample_*` ops
for symbol parameters (one draw per parameter element), as MXNet's helpers do."""
from numbers import Number

from .symbol import Symbol, apply_op


def _draw(name, parameters, shape, dtype, kwargs):
    """`_random_<name>` with scalar parameters or `_sample_<name>` with symbol parameters."""
    options = dict(kwargs)
    if shape is not None:
        options['shape'] = shape
    if dtype is not None:
        options['dtype'] = dtype
    if all(isinstance(p, Symbol) for p in parameters):
        return apply_op('_sample_' + name, '_sample_' + name, tuple(parameters), options)
    if all(isinstance(p, Number) for p in parameters):
        return apply_op('_random_' + name, '_random_' + name, tuple(parameters), options)
    raise ValueError('%s: parameters must be all numbers or all symbols, got %s'
                     % (name, [type(p).__name__ for p in parameters]))


def uniform(low=0, high=1, shape=None, dtype=None, **kwargs):
    return _draw('uniform', [low, high], shape, dtype, kwargs)


def normal(loc=0, scale=1, shape=None, dtype=None, **kwargs):
    return _draw('normal', [loc, scale], shape, dtype, kwargs)


def randn(*shape, loc=0, scale=1, dtype=None, **kwargs):
    return _draw('normal', [loc, scale], shape, dtype, kwargs)


def poisson(lam=1, shape=None, dtype=None, **kwargs):
    return _draw('poisson', [lam], shape, dtype, kwargs)


def exponential(scale=1, shape=None, dtype=None, **kwargs):
    rate = 1.0 / scale if isinstance(scale, Number) else scale
    return _draw('exponential', [rate], shape, dtype, kwargs)


def gamma(alpha=1, beta=1, shape=None, dtype=None, **kwargs):
    return _draw('gamma', [alpha, beta], shape, dtype, kwargs)


def negative_binomial(k=1, p=1, shape=None, dtype=None, **kwargs):
    return _draw('negative_binomial', [k, p], shape, dtype, kwargs)


def generalized_negative_binomial(mu=1, alpha=1, shape=None, dtype=None, **kwargs):
    return _draw('generalized_negative_binomial', [mu, alpha], shape, dtype, kwargs)


def randint(low, high, shape=None, dtype=None, **kwargs):
    return _draw('randint', [low, high], shape, dtype, kwargs)


def multinomial(data, shape=None, get_prob=False, dtype='int32', **kwargs):
    options = dict(kwargs, get_prob=get_prob, dtype=dtype)
    if shape is not None:
        options['shape'] = shape
    return apply_op('_sample_multinomial', '_sample_multinomial', (data,), options)


def shuffle(data, **kwargs):
    return apply_op('_shuffle', '_shuffle', (data,), kwargs)
