"""`mx.nd.random`: the samplers run eagerly, drawing from `mx.random`'s key sequence."""
from . import imperative
from .ndarray import NDArray
from .samplers import Samplers



def _draw(op_name, inputs, options):
    """Run a sampler eagerly; with neither inputs nor a shape it draws `out`'s shape, else one
    value, shape (1,), as MXNet's NDArray samplers do."""
    if not inputs and options.get('shape') in (None, ()):
        out = options.get('out')
        options = dict(options, shape=out.shape if isinstance(out, NDArray) else (1,))
    return imperative.invoke(op_name, inputs, options, NDArray)


_samplers = Samplers(NDArray, _draw)

uniform = _samplers.uniform
normal = _samplers.normal
randn = _samplers.randn
poisson = _samplers.poisson
exponential = _samplers.exponential
gamma = _samplers.gamma
negative_binomial = _samplers.negative_binomial
generalized_negative_binomial = _samplers.generalized_negative_binomial
randint = _samplers.randint
multinomial = _samplers.multinomial
shuffle = _samplers.shuffle
uniform_like = _samplers.like('uniform')
normal_like = _samplers.like('normal')
gamma_like = _samplers.like('gamma')
exponential_like = _samplers.like('exponential')
poisson_like = _samplers.like('poisson')
negative_binomial_like = _samplers.like('negative_binomial')
generalized_negative_binomial_like = _samplers.like('generalized_negative_binomial')
