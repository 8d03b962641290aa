"""`mx.random`: seeding the key sequence and MXNet's CPU generator, and the NDArray samplers of
`mx.nd.random`."""
from .ndarray_random import (exponential, gamma, generalized_negative_binomial,
                             multinomial, negative_binomial, normal, poisson, randint, randn,
                             shuffle, uniform)
from .prng import seed

__all__ = ['seed', 'uniform', 'normal', 'randn', 'poisson', 'exponential', 'gamma',
           'negative_binomial', 'generalized_negative_binomial', 'randint', 'multinomial',
           'shuffle']
