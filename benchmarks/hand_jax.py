"""The same computations written directly in JAX (NCHW, jit, jax.grad): the baseline mxsym's
graph layer should cost nothing over. Parameters come from the mxsym executor, by name."""
import jax
import jax.numpy as jnp
from jax import lax


def _dense(x, params, name):
    return x @ params[name + '_weight'].T + params[name + '_bias']


def _mlp_logits(params, data):
    hidden = jax.nn.relu(_dense(data, params, 'fc1'))
    hidden = jax.nn.relu(_dense(hidden, params, 'fc2'))
    return _dense(hidden, params, 'fc3')


def _conv(x, params, name):
    out = lax.conv_general_dilated(x, params[name + '_weight'], (1, 1), 'VALID',
                                   dimension_numbers=('NCHW', 'OIHW', 'NCHW'))
    return out + params[name + '_bias'].reshape(1, -1, 1, 1)


def _max_pool(x):
    return lax.reduce_window(x, -jnp.inf, lax.max, (1, 1, 2, 2), (1, 1, 2, 2), 'VALID')


def _lenet_logits(params, data):
    body = _max_pool(jnp.tanh(_conv(data, params, 'conv1')))
    body = _max_pool(jnp.tanh(_conv(body, params, 'conv2')))
    body = jnp.tanh(_dense(body.reshape(body.shape[0], -1), params, 'fc1'))
    return _dense(body, params, 'fc2')


LOGITS = {'mlp': _mlp_logits, 'lenet': _lenet_logits}


def step_functions(workload):
    """(train step, inference) jitted functions of (params, data, label), or None."""
    logits = LOGITS.get(workload)
    if logits is None:
        return None

    def loss(params, data, label):
        log_probs = jax.nn.log_softmax(logits(params, data))
        return -jnp.take_along_axis(log_probs, label.astype(jnp.int32)[:, None], 1).sum()

    train = jax.jit(lambda params, data, label: (jax.nn.softmax(logits(params, data)),
                                                 jax.grad(loss)(params, data, label)))
    infer = jax.jit(lambda params, data, label: jax.nn.softmax(logits(params, data)))
    return train, infer
