"""Train an MXNet checkpoint with optax: load it, take it out as a JAX function, train, save back.

    python3 examples/train_with_optax.py [--prefix PREFIX --epoch N] [--steps 60]

Without ``--prefix`` the script first writes a small MXNet checkpoint (a conv net with BatchNorm
ending in SoftmaxOutput, 3x8x8 inputs, 4 classes) to a temporary folder, as an MXNet 1.x script
would with `mx.model.save_checkpoint`. A given checkpoint must take ``data`` of shape
(batch, 3, 8, 8) and a ``softmax_label``. The task is synthetic: the class of an image is the
quadrant holding its brightest pixel. Training updates the weights with optax's Adam and the
BatchNorm moving statistics from the training forward passes; the result is saved as the
checkpoint's next epoch, readable by MXNet.
"""
import argparse
import os
import tempfile

import jax
import jax.numpy as jnp
import numpy as np
import optax

import mxsym as mx

IMAGE_SHAPE = (3, 8, 8)
NUM_CLASSES = 4


def build_checkpoint(prefix):
    """Write epoch 0 of a small conv net, weights drawn from a fixed numpy seed."""
    data = mx.sym.Variable('data')
    net = mx.sym.Convolution(data, kernel=(3, 3), pad=(1, 1), num_filter=8, name='conv1')
    net = mx.sym.BatchNorm(net, fix_gamma=False, name='bn1')
    net = mx.sym.Activation(net, act_type='relu', name='relu1')
    net = mx.sym.Pooling(net, kernel=(2, 2), stride=(2, 2), pool_type='max', name='pool1')
    net = mx.sym.FullyConnected(net, num_hidden=NUM_CLASSES, name='fc1')
    net = mx.sym.SoftmaxOutput(net, name='softmax')
    arg_shapes, _, aux_shapes = net.infer_shape(data=(1,) + IMAGE_SHAPE)
    rng = np.random.RandomState(0)
    arg_params = {name: mx.nd.array(rng.normal(0, 0.1, shape))
                  for name, shape in zip(net.list_arguments(), arg_shapes)
                  if name not in ('data', 'softmax_label')}
    arg_params['bn1_gamma'] = mx.nd.ones(arg_params['bn1_gamma'].shape)
    aux_params = {name: (mx.nd.ones if name.endswith('var') else mx.nd.zeros)(shape)
                  for name, shape in zip(net.list_auxiliary_states(), aux_shapes)}
    mx.model.save_checkpoint(prefix, 0, net, arg_params, aux_params)


def batches(rng, batch_size):
    """Endless (images, labels): the label is the quadrant of the brightest pixel."""
    while True:
        images = rng.uniform(0, 1, (batch_size,) + IMAGE_SHAPE).astype(np.float32)
        brightest = images.sum(axis=1).reshape(batch_size, -1).argmax(axis=1)
        row, col = np.divmod(brightest, IMAGE_SHAPE[2])
        labels = (row >= IMAGE_SHAPE[1] // 2) * 2 + (col >= IMAGE_SHAPE[2] // 2)
        images[np.arange(batch_size), :, row, col] += 2.0
        yield images, labels.astype(np.float32)


def train(prefix, epoch, steps, batch_size=32):
    symbol, arg_params, aux_params = mx.model.load_checkpoint(prefix, epoch)
    model = mx.to_jax(symbol, arg_params, aux_params)
    optimizer = optax.adam(1e-2)

    @jax.jit
    def step(params, aux, opt_state, images, labels, key):
        def loss(p):
            (probs,), new_aux = model.apply(p, aux, {'data': images, 'softmax_label': labels},
                                            is_train=True, key=key)
            # SoftmaxOutput's gradient is MXNet's (softmax - onehot), whatever is computed from
            # its output; the cross entropy here is for reporting.
            picked = probs[jnp.arange(labels.shape[0]), labels.astype(jnp.int32)]
            return -jnp.log(picked).mean(), (new_aux, probs)
        (value, (new_aux, probs)), grads = jax.value_and_grad(loss, has_aux=True)(params)
        updates, opt_state = optimizer.update(grads, opt_state, params)
        accuracy = (probs.argmax(axis=1) == labels).mean()
        return optax.apply_updates(params, updates), new_aux, opt_state, value, accuracy

    params, aux = model.params, model.aux
    opt_state = optimizer.init(params)
    key = jax.random.key(0)
    data = batches(np.random.RandomState(1), batch_size)
    for index in range(steps):
        images, labels = next(data)
        key, step_key = jax.random.split(key)
        params, aux, opt_state, loss, accuracy = step(params, aux, opt_state, images, labels,
                                                      step_key)
        if index % 10 == 0 or index == steps - 1:
            print('step %3d  cross-entropy %.4f  accuracy %.3f' % (index, loss, accuracy))
    mx.model.save_checkpoint(prefix, epoch + 1, None,
                             {k: mx.nd.array(np.asarray(v)) for k, v in params.items()},
                             {k: mx.nd.array(np.asarray(v)) for k, v in aux.items()})
    print('saved %s-%04d.params' % (prefix, epoch + 1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--prefix', help='checkpoint prefix (default: build one)')
    parser.add_argument('--epoch', type=int, default=0)
    parser.add_argument('--steps', type=int, default=60)
    options = parser.parse_args()
    if options.prefix:
        train(options.prefix, options.epoch, options.steps)
        return
    with tempfile.TemporaryDirectory() as folder:
        prefix = os.path.join(folder, 'convnet')
        build_checkpoint(prefix)
        train(prefix, 0, options.steps)


if __name__ == '__main__':
    main()
