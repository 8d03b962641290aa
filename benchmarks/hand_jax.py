"""The benchmark networks written directly in JAX (NCHW, jit, jax.grad): the baseline mxsym's
graph layer should cost nothing over. Each network reads its parameters and BatchNorm
statistics from dicts keyed by the MXNet names the example networks give them, so both sides
run on the same values; training uses batch statistics and returns the updated moving ones.
"""
import functools

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from workloads import WORKLOADS, example_models, initial_aux

_MODELS = example_models()
RESNET_BN_EPS = _MODELS.resnet.BN_EPS


class Net:
    """What a network body needs besides its input: parameters, BatchNorm statistics (read,
    and updated in training) and whether it is training."""

    def __init__(self, params, aux, train):
        self.params, self.aux, self.train = params, aux, train
        self.new_aux = {}

    def conv(self, x, name, stride=1, pad=0, groups=1):
        weight = self.params[name + '_weight']
        out = lax.conv_general_dilated(x, weight, (stride, stride), [(pad, pad)] * 2,
                                       dimension_numbers=('NCHW', 'OIHW', 'NCHW'),
                                       feature_group_count=groups)
        bias = self.params.get(name + '_bias')
        return out if bias is None else out + bias[:, None, None]

    def dense(self, x, name):
        return x.reshape(x.shape[0], -1) @ self.params[name + '_weight'].T \
            + self.params[name + '_bias']

    def batch_norm(self, x, name, eps, momentum=0.9):
        moving_mean, moving_var = self.aux[name + '_moving_mean'], self.aux[name + '_moving_var']
        if self.train:
            mean, var = x.mean((0, 2, 3)), x.var((0, 2, 3))
            self.new_aux[name + '_moving_mean'] = (
                moving_mean * momentum + lax.stop_gradient(mean) * (1 - momentum))
            self.new_aux[name + '_moving_var'] = (
                moving_var * momentum + lax.stop_gradient(var) * (1 - momentum))
        else:
            mean, var = moving_mean, moving_var
        scale = self.params[name + '_gamma'] * lax.rsqrt(var + eps)
        return (x - mean[:, None, None]) * scale[:, None, None] \
            + self.params[name + '_beta'][:, None, None]


def _pool(x, kind, kernel, stride, pad):
    window, strides = (1, 1, kernel, kernel), (1, 1, stride, stride)
    padding = ((0, 0), (0, 0), (pad, pad), (pad, pad))
    if kind == 'max':
        return lax.reduce_window(x, -jnp.inf, lax.max, window, strides, padding)
    return lax.reduce_window(x, 0., lax.add, window, strides, padding) / (kernel * kernel)


def _global_avg_pool(x):
    return x.mean((2, 3))


# ---------------------------------------------------------------------------- networks
def mlp(net, x):
    x = jax.nn.relu(net.dense(x, 'fc1'))
    x = jax.nn.relu(net.dense(x, 'fc2'))
    return net.dense(x, 'fc3')


def lenet(net, x):
    for name in ('conv1', 'conv2'):
        x = _pool(jnp.tanh(net.conv(x, name)), 'max', 2, 2, 0)
    x = jnp.tanh(net.dense(x, 'fc1'))
    return net.dense(x, 'fc2')


def _resnet(net, x, cifar):
    def conv_bn(x, name, bn_name, stride, pad):
        return net.batch_norm(net.conv(x, name, stride, pad), bn_name, RESNET_BN_EPS)

    if cifar:
        x = jax.nn.relu(conv_bn(x, 'conv0', 'bn0', 1, 1))
    else:
        x = jax.nn.relu(conv_bn(x, 'conv0', 'bn0', 2, 3))
        x = _pool(x, 'max', 3, 2, 1)
    units = [3, 3, 3] if cifar else _MODELS.resnet.IMAGENET_UNITS[18]
    channels = 16 if cifar else 64
    for stage, num_units in enumerate(units):
        num_filter = (16 if cifar else 64) * 2 ** stage
        for index in range(num_units):
            name = 'stage%d_unit%d' % (stage + 1, index + 1)
            stride = 2 if index == 0 and stage > 0 else 1
            body = jax.nn.relu(conv_bn(x, name + '_conv1', name + '_bn1', stride, 1))
            body = conv_bn(body, name + '_conv2', name + '_bn2', 1, 1)
            shortcut = x
            if index == 0 and (stride > 1 or channels != num_filter):
                shortcut = conv_bn(x, name + '_sc', name + '_sc_bn', stride, 0)
            x = jax.nn.relu(body + shortcut)
            channels = num_filter
    return net.dense(_global_avg_pool(x), 'fc1')


def _conv_bn_relu(net, x, name, stride=1, pad=0, groups=1, eps=1e-5):
    return jax.nn.relu(net.batch_norm(net.conv(x, name + '_conv', stride, pad, groups),
                                      name + '_bn', eps))


def inception_bn(net, x):
    x = _conv_bn_relu(net, x, 'conv1', 2, 3)
    x = _pool(x, 'max', 3, 2, 1)
    x = _conv_bn_relu(net, x, 'conv2_reduce')
    x = _conv_bn_relu(net, x, 'conv2', 1, 1)
    x = _pool(x, 'max', 3, 2, 1)
    for module, filters in _MODELS.inception_bn.MODULES:
        num_1x1, pool_type, num_proj = filters[0], filters[5], filters[6]
        name = 'inception_' + module
        stride = 1 if num_1x1 else 2
        branches = [_conv_bn_relu(net, x, name + '_1x1')] if num_1x1 else []
        branch = _conv_bn_relu(net, x, name + '_3x3_reduce')
        branches.append(_conv_bn_relu(net, branch, name + '_3x3', stride, 1))
        branch = _conv_bn_relu(net, x, name + '_double_3x3_reduce')
        branch = _conv_bn_relu(net, branch, name + '_double_3x3_0', 1, 1)
        branches.append(_conv_bn_relu(net, branch, name + '_double_3x3_1', stride, 1))
        pool = _pool(x, pool_type, 3, stride, 1)
        branches.append(_conv_bn_relu(net, pool, name + '_proj') if num_proj else pool)
        x = jnp.concatenate(branches, axis=1)
    return net.dense(_global_avg_pool(x), 'fc1')


def mobilenet(net, x):
    x = _conv_bn_relu(net, x, 'conv1', 2, 1)
    channels = 32
    for index, (num_filter, stride) in enumerate(_MODELS.mobilenet.V1_BLOCKS):
        name = 'block%d' % (index + 1)
        x = _conv_bn_relu(net, x, name + '_dw', stride, 1, groups=channels)
        x = _conv_bn_relu(net, x, name + '_pw')
        channels = num_filter
    return net.dense(_global_avg_pool(x), 'fc1')


NETWORKS = {'mlp': mlp, 'lenet': lenet, 'resnet20': functools.partial(_resnet, cifar=True),
            'resnet18': functools.partial(_resnet, cifar=False), 'inception_bn': inception_bn,
            'mobilenet': mobilenet}


def step_functions(workload):
    """(train step, inference), jitted functions of (params, aux, data, label): the train step
    gives (softmax output, parameter gradients, new BatchNorm statistics), inference the
    softmax output; None for a workload without a hand-written network."""
    network = NETWORKS.get(workload)
    if network is None:
        return None

    def loss(params, aux, data, label):
        net = Net(params, aux, train=True)
        logits = network(net, data)
        log_probs = jax.nn.log_softmax(logits)
        picked = jnp.take_along_axis(log_probs, label.astype(np.int32)[:, None], 1)
        return -picked.sum(), (jnp.exp(log_probs), net.new_aux)

    def train(params, aux, data, label):
        grads, (probs, new_aux) = jax.grad(loss, has_aux=True)(params, aux, data, label)
        return probs, grads, new_aux

    def infer(params, aux, data, label):
        return jax.nn.softmax(network(Net(params, aux, train=False), data))
    return jax.jit(train), jax.jit(infer)


def initial_values(mx, workload):
    """(parameters with data and label, BatchNorm statistics) as numpy dicts: the values the
    benchmark binds on every side (`symbol_values` of the workload's network)."""
    build, shape = WORKLOADS[workload]
    return symbol_values(build(mx), shape)


def symbol_values(symbol, shape):
    """(parameters with data and label, BatchNorm statistics) of `symbol` on data of `shape`
    as numpy dicts: uniform in +-0.05 from seed 0 in argument order, labels drawn after them,
    statistics from `initial_aux`."""
    arg_shapes, _, aux_shapes = symbol.infer_shape(data=shape)
    rng = np.random.RandomState(0)
    args = {name: rng.uniform(-0.05, 0.05, arg_shape).astype(np.float32)
            for name, arg_shape in zip(symbol.list_arguments(), arg_shapes)}
    args['softmax_label'] = rng.randint(0, 10, shape[0]).astype(np.float32)
    aux = {name: initial_aux(name, aux_shape)
           for name, aux_shape in zip(symbol.list_auxiliary_states(), aux_shapes)}
    return args, aux


def hand_runner(mx, workload, mode):
    """A function running one training step or inference of the hand-written network and
    returning its result's arrays (`mx` builds the symbol that gives the parameter shapes)."""
    build, shape = WORKLOADS[workload]
    return network_runner(workload, build(mx), shape, mode)


def network_runner(network, symbol, shape, mode):
    """`hand_runner` for the hand-written `network` (a key of NETWORKS) on data of `shape`,
    its parameters shaped as `symbol`'s."""
    args, aux = symbol_values(symbol, shape)
    data, label = jnp.asarray(args.pop('data')), jnp.asarray(args.pop('softmax_label'))
    params = {name: jnp.asarray(value) for name, value in args.items()}
    aux = {name: jnp.asarray(value) for name, value in aux.items()}
    train, infer = step_functions(network)
    function = train if mode == 'train' else infer
    return lambda: jax.tree_util.tree_leaves(function(params, aux, data, label))
