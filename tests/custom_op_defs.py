"""Python custom operators used by tests/test_operator.py, written against MXNet's API so the
same definitions run under MXNet 1.9.1 (tests/golden/make_custom_golden.py) and under mxsym."""
import numpy as np


def define_ops(mx):
    """Register the test ops with `mx.operator` (MXNet's or mxsym's)."""

    class Softmax(mx.operator.CustomOp):
        """Softmax forward; backward (softmax - onehot(label)), ignoring head gradients."""

        def forward(self, is_train, req, in_data, out_data, aux):
            x = in_data[0].asnumpy()
            y = np.exp(x - x.max(axis=1, keepdims=True))
            self.assign(out_data[0], req[0], mx.nd.array(y / y.sum(axis=1, keepdims=True)))

        def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
            label = in_data[1].asnumpy().astype(np.int64)
            y = out_data[0].asnumpy()
            y[np.arange(label.shape[0]), label] -= 1.0
            self.assign(in_grad[0], req[0], mx.nd.array(y))
            self.assign(in_grad[1], req[1], 0)

    @mx.operator.register('test_softmax')
    class SoftmaxProp(mx.operator.CustomOpProp):
        def __init__(self):
            super().__init__(need_top_grad=False)

        def list_arguments(self):
            return ['data', 'label']

        def infer_shape(self, in_shape):
            return [in_shape[0], (in_shape[0][0],)], [in_shape[0]], []

        def create_operator(self, ctx, shapes, dtypes):
            return Softmax()

    class ScaleCount(mx.operator.CustomOp):
        """out = data * scale; every forward adds one to the aux state `count`."""

        def __init__(self, scale):
            super().__init__()
            self.scale = scale

        def forward(self, is_train, req, in_data, out_data, aux):
            self.assign(out_data[0], req[0], in_data[0] * self.scale)
            aux[0][:] = aux[0] + 1

        def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
            self.assign(in_grad[0], req[0], out_grad[0] * self.scale)

    @mx.operator.register('test_scale_count')
    class ScaleCountProp(mx.operator.CustomOpProp):
        def __init__(self, scale='1.0'):
            super().__init__(need_top_grad=True)
            self.scale = float(scale)

        def list_auxiliary_states(self):
            return ['count']

        def infer_shape(self, in_shape):
            return in_shape, [in_shape[0]], [(1,)]

        def create_operator(self, ctx, shapes, dtypes):
            return ScaleCount(self.scale)

    class SumDiff(mx.operator.CustomOp):
        """Two outputs, a + b and a - b; backward reads only the head gradients."""

        def forward(self, is_train, req, in_data, out_data, aux):
            self.assign(out_data[0], req[0], in_data[0] + in_data[1])
            self.assign(out_data[1], req[1], in_data[0] - in_data[1])

        def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
            self.assign(in_grad[0], req[0], out_grad[0] + out_grad[1])
            self.assign(in_grad[1], req[1], out_grad[0] - out_grad[1])

    @mx.operator.register('test_sum_diff')
    class SumDiffProp(mx.operator.CustomOpProp):
        def list_arguments(self):
            return ['a', 'b']

        def list_outputs(self):
            return ['sum', 'diff']

        def infer_shape(self, in_shape):
            return in_shape, [in_shape[0], in_shape[0]], []

        def declare_backward_dependency(self, out_grad, in_data, out_data):
            return list(out_grad)

        def create_operator(self, ctx, shapes, dtypes):
            return SumDiff()


def values(shape, seed):
    """Deterministic float32 test values."""
    return np.random.RandomState(seed).uniform(-1, 1, shape).astype(np.float32)


def run_cases(mx):
    """Every case's recorded arrays: {key: numpy array}. Same steps under MXNet and mxsym."""
    define_ops(mx)
    record = {}
    # A loss-like op (need_top_grad=False) after a FullyConnected layer.
    data = mx.sym.Variable('data')
    fc = mx.sym.FullyConnected(data, num_hidden=4, name='fc')
    net = mx.sym.Custom(fc, op_type='test_softmax', name='sm')
    record['softmax_names'] = np.array(net.list_arguments() + net.list_outputs())
    ex = net.simple_bind(mx.cpu(), data=(3, 5))
    for seed, name in enumerate(['data', 'fc_weight', 'fc_bias']):
        ex.arg_dict[name][:] = values(ex.arg_dict[name].shape, seed)
    ex.arg_dict['sm_label'][:] = np.array([0, 2, 3], np.float32)
    record['softmax_output'] = ex.forward(is_train=True)[0].asnumpy()
    ex.backward()
    for name in ['data', 'fc_weight', 'fc_bias']:
        record['softmax_grad_' + name] = ex.grad_dict[name].asnumpy()
    # An op with a string kwarg and an aux state its forward writes.
    net = mx.sym.Custom(mx.sym.Variable('x'), op_type='test_scale_count', scale=2.5, name='sc')
    record['scale_names'] = np.array(net.list_arguments() + net.list_auxiliary_states())
    ex = net.simple_bind(mx.cpu(), x=(2, 3))
    ex.arg_dict['x'][:] = values((2, 3), 5)
    record['scale_output'] = ex.forward(is_train=True)[0].asnumpy()
    record['scale_count_after_train_forward'] = ex.aux_dict['sc_count'].asnumpy()
    ex.backward(mx.nd.array(values((2, 3), 6)))
    record['scale_grad_x'] = ex.grad_dict['x'].asnumpy()
    record['scale_count_after_backward'] = ex.aux_dict['sc_count'].asnumpy()
    ex.forward(is_train=False)
    record['scale_count_after_inference'] = ex.aux_dict['sc_count'].asnumpy()
    # Two outputs; backward declares only the head gradients as its dependency.
    net = mx.sym.Custom(mx.sym.Variable('a'), mx.sym.Variable('b'), op_type='test_sum_diff')
    record['sum_diff_names'] = np.array(net.list_arguments() + net.list_outputs())
    ex = net.simple_bind(mx.cpu(), a=(2, 2), b=(2, 2))
    ex.arg_dict['a'][:] = values((2, 2), 7)
    ex.arg_dict['b'][:] = values((2, 2), 8)
    outputs = ex.forward(is_train=True)
    record['sum_diff_outputs'] = np.stack([o.asnumpy() for o in outputs])
    ex.backward([mx.nd.array(values((2, 2), 9)), mx.nd.array(values((2, 2), 10))])
    record['sum_diff_grads'] = np.stack([ex.grad_dict[n].asnumpy() for n in ['a', 'b']])
    return record
