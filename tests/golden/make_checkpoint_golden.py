"""Write a small MXNet 1.9.1 checkpoint (conv + BatchNorm + MLP) and its inference output.

Run with a Python that has mxnet==1.9.1 installed: python tests/golden/make_checkpoint_golden.py
"""
import os

import mxnet as mx
import numpy as np

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'checkpoint')


def network():
    data = mx.sym.Variable('data')
    net = mx.sym.Convolution(data, kernel=(3, 3), num_filter=4, pad=(1, 1), name='conv1')
    net = mx.sym.BatchNorm(net, fix_gamma=False, name='bn1')
    net = mx.sym.Activation(net, act_type='relu', name='relu1')
    net = mx.sym.Pooling(net, kernel=(2, 2), stride=(2, 2), pool_type='max', name='pool1')
    net = mx.sym.FullyConnected(net, num_hidden=5, name='fc1')
    return mx.sym.SoftmaxOutput(net, name='softmax')


def main():
    os.makedirs(HERE, exist_ok=True)
    rng = np.random.RandomState(0)
    net = network()
    exe = net.simple_bind(mx.cpu(), grad_req='null', data=(2, 3, 6, 6))
    for name, array in list(exe.arg_dict.items()) + list(exe.aux_dict.items()):
        values = rng.uniform(0.5, 1.5, array.shape) if 'var' in name else rng.randn(*array.shape)
        array[:] = values.astype('float32')
    arg_params = {k: v for k, v in exe.arg_dict.items() if k not in ('data', 'softmax_label')}
    mx.model.save_checkpoint(os.path.join(HERE, 'small'), 3, net, arg_params, exe.aux_dict)
    exe.forward(is_train=False)
    np.save(os.path.join(HERE, 'small-input.npy'), exe.arg_dict['data'].asnumpy())
    np.save(os.path.join(HERE, 'small-output.npy'), exe.outputs[0].asnumpy())


if __name__ == '__main__':
    main()
