"""`mx.operator`: Python custom ops against MXNet 1.9.1, and operators written in jax.numpy."""
import json
import os

import jax.numpy as jnp
import numpy as np
import pytest

import mxsym as mx
from custom_op_defs import run_cases, values
from mxsym.base import MXNetError

# The module's tests share a costly fixture: one worker runs them all.
pytestmark = pytest.mark.xdist_group('custom_ops')

GOLDEN = np.load(os.path.join(os.path.dirname(__file__), 'golden', 'custom', 'custom_ops.npz'))
# MXNet stores what a custom op's forward writes into an aux state at that training forward;
# mxsym stores every aux update (BatchNorm's and custom ops') at the following backward, so the
# count reads 0 between the two. Every later reading agrees.
AUX_AT_FORWARD = 'scale_count_after_train_forward'


@pytest.fixture(scope='module')
def recorded():
    return run_cases(mx)


@pytest.mark.parametrize('key', sorted(k for k in GOLDEN.files if k != AUX_AT_FORWARD))
def test_custom_ops_match_mxnet(recorded, key):
    if GOLDEN[key].dtype.kind == 'U':
        assert list(recorded[key]) == list(GOLDEN[key])
    else:
        np.testing.assert_allclose(recorded[key], GOLDEN[key], rtol=1e-4, atol=1e-5)


def test_custom_aux_written_at_training_forward(recorded):
    np.testing.assert_array_equal(recorded[AUX_AT_FORWARD], GOLDEN[AUX_AT_FORWARD])


def test_custom_softmax_equals_softmax_output():
    """The loss-like custom op gives the built-in SoftmaxOutput's outputs and gradients."""
    fc = mx.sym.FullyConnected(mx.sym.Variable('data'), num_hidden=4, name='fc')
    ex = mx.sym.SoftmaxOutput(fc, name='sm').simple_bind(mx.cpu(), data=(3, 5))
    for seed, name in enumerate(['data', 'fc_weight', 'fc_bias']):
        ex.arg_dict[name][:] = values(ex.arg_dict[name].shape, seed)
    ex.arg_dict['sm_label'][:] = [0, 2, 3]
    output = ex.forward(is_train=True)[0].asnumpy()
    ex.backward()
    np.testing.assert_allclose(output, GOLDEN['softmax_output'], rtol=1e-4, atol=1e-5)
    for name in ['data', 'fc_weight', 'fc_bias']:
        np.testing.assert_allclose(ex.grad_dict[name].asnumpy(),
                                   GOLDEN['softmax_grad_' + name], rtol=1e-4, atol=1e-5)


def test_custom_runs_eagerly_and_survives_json(recorded):
    x = mx.nd.array(values((2, 3), 5))
    out = mx.nd.Custom(x, mx.nd.zeros((1,)), op_type='test_scale_count', scale=2.5)
    np.testing.assert_allclose(out.asnumpy(), GOLDEN['scale_output'], rtol=1e-6)
    net = mx.sym.Custom(mx.sym.Variable('x'), op_type='test_scale_count', scale=2.5, name='sc')
    loaded = mx.sym.load_json(net.tojson())
    assert loaded.tojson() == net.tojson()
    assert loaded.attr('scale') == '2.5'
    assert loaded.infer_shape(x=(4, 2))[1:] == ([(4, 2)], [(1,)])


@pytest.mark.parametrize('req, want', [('null', [1, 1]), ('write', [2, 3]),
                                       ('inplace', [2, 3]), ('add', [3, 4])])
def test_assign_honours_req(req, want):
    dst = mx.nd.ones((2,))
    mx.operator.CustomOp().assign(dst, req, mx.nd.array([2, 3]))
    assert dst.asnumpy().tolist() == want


@pytest.mark.parametrize('kwargs, message', [
    ({'op_type': 'no_such_op'}, 'Cannot find custom operator no_such_op'),
    ({}, 'op_type'),
])
def test_custom_errors(kwargs, message):
    with pytest.raises(MXNetError, match=message):
        mx.sym.Custom(mx.sym.Variable('x'), **kwargs)


@mx.operator.register_jax('test_scaled_tanh', params={'alpha': 1.0})
def scaled_tanh(data, alpha):
    return jnp.tanh(data * alpha)


def test_jax_op_matches_builtin_ops():
    """A jax.numpy op trains inside simple_bind like the same math in built-in ops."""
    x = mx.sym.Variable('x')
    custom = mx.sym.test_scaled_tanh(x, alpha=0.5, name='st')
    builtin = mx.sym.tanh(x * 0.5)
    assert custom.list_outputs() == ['st_output']
    assert custom.tojson().count('"alpha": "0.5"') == 1
    head = values((2, 3), 2)
    results = []
    for net in (custom, builtin):
        ex = net.simple_bind(mx.cpu(), x=(2, 3))
        ex.arg_dict['x'][:] = values((2, 3), 1)
        results.append(ex.forward(is_train=True)[0].asnumpy())
        ex.backward(mx.nd.array(head))
        results.append(ex.grad_dict['x'].asnumpy())
    np.testing.assert_allclose(results[0], results[2], rtol=1e-6)
    np.testing.assert_allclose(results[1], results[3], rtol=1e-6)
    eager = mx.nd.test_scaled_tanh(mx.nd.array(values((2, 3), 1)), alpha=0.5)
    np.testing.assert_allclose(eager.asnumpy(), results[0], rtol=1e-6)


def test_jax_op_registration_errors():
    with pytest.raises(MXNetError, match='already exists'):
        mx.operator.register_jax('FullyConnected')(lambda data: data)
    with pytest.raises(MXNetError, match='parameter axis'):
        mx.operator.register_jax('test_bad_param', params={'axis': None})


@pytest.mark.parametrize('op_name, names, types', [
    ('Activation', ['data', 'act_type'],
     ['NDArray-or-Symbol', "{'relu', 'sigmoid', 'softrelu', 'softsign', 'tanh'}, required"]),
    ('Concat', ['data', 'num_args', 'dim'],
     ['NDArray-or-Symbol[]', 'int, required', 'int, optional, default=1']),
    ('elemwise_add', ['lhs', 'rhs'], ['NDArray-or-Symbol', 'NDArray-or-Symbol']),
])
def test_operator_arguments_list_inputs_then_params(op_name, names, types):
    arguments = mx.operator.get_operator_arguments(op_name)
    assert arguments == mx.operator.OperatorArguments(len(names), names, types)


def test_registered_operators_include_aliases_and_unknown_names_are_errors():
    names = mx.operator.get_all_registered_operators()
    assert {'Activation', 'FullyConnected', 'linalg_gemm2', '_linalg_gemm2'} <= set(names)
    with pytest.raises(mx.MXNetError, match='nope'):
        mx.operator.get_operator_arguments('nope')


class _Failing(mx.operator.CustomOp):
    def forward(self, is_train, req, in_data, out_data, aux):
        raise ValueError('no forward today')

    def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
        raise ValueError('no backward today')


@mx.operator.register('failing_identity')
class _FailingProp(mx.operator.CustomOpProp):
    def infer_shape(self, in_shape):
        return in_shape, in_shape, []

    def create_operator(self, ctx, shapes, dtypes):
        return _Failing()


def test_an_error_in_a_custom_op_is_an_mxnet_error_naming_it():
    with pytest.raises(mx.MXNetError, match='failing_identity failed in its forward: '
                                            'ValueError: no forward today'):
        mx.nd.Custom(mx.nd.ones((2, 2)), op_type='failing_identity')
    net = mx.sym.Custom(mx.sym.var('x'), op_type='failing_identity')
    exe = net.simple_bind(mx.cpu(), x=(2, 2))
    with pytest.raises(mx.MXNetError, match='failed in its forward') as raised:
        exe.forward()
    assert isinstance(raised.value.__cause__, ValueError)


class _SoftmaxLoss(mx.operator.NumpyOp):
    """A loss layer on numpy arrays: softmax forward, softmax minus one-hot backward."""

    def __init__(self):
        super().__init__(need_top_grad=False)
        self.backward_got = None

    def list_arguments(self):
        return ['data', 'label']

    def infer_shape(self, in_shape):
        return [in_shape[0], [in_shape[0][0]]], [in_shape[0]]

    def forward(self, in_data, out_data):
        assert all(isinstance(a, np.ndarray) for a in in_data + out_data)
        e = np.exp(in_data[0])
        out_data[0][:] = e / e.sum(axis=1, keepdims=True)

    def backward(self, out_grad, in_data, out_data, in_grad):
        self.backward_got = [len(out_grad), len(in_data), len(out_data), len(in_grad)]
        grad = out_data[0].copy()
        grad[np.arange(len(grad)), in_data[1].astype(int)] -= 1
        in_grad[0][:] = grad


class _Square(mx.operator.NDArrayOp):
    def __init__(self):
        super().__init__()
        self.forward_got = None

    def forward(self, in_data, out_data):
        self.forward_got = (type(in_data[0]), in_data[0].writable, out_data[0].writable)
        out_data[0][:] = in_data[0] * in_data[0]

    def backward(self, out_grad, in_data, out_data, in_grad):
        in_grad[0][:] = 2 * in_data[0] * out_grad[0]

    def declare_backward_dependency(self, out_grad, in_data, out_data):
        return out_grad + in_data


def test_python_ops_are_deprecated_and_named_as_mxnet_names_them():
    x = mx.sym.Variable('X')
    with pytest.warns(UserWarning, match='NumpyOp has been deprecated'):
        native = _SoftmaxLoss()
    assert native(x).list_arguments() == ['X', '_native0_label']
    assert native.get_symbol(x, name='loss').list_outputs() == ['loss_output']
    with pytest.warns(UserWarning, match='NDArrayOp has been deprecated'):
        square = _Square()(x)
    assert square.name == '_ndarray0' and list(square.attr_dict()['_ndarray0']) == ['info']
    assert mx.sym.load_json(square.tojson()).list_outputs() == ['_ndarray0_output']


@pytest.mark.filterwarnings('ignore::UserWarning')
def test_default_numpy_op_copies_forward_and_gives_ones_backward():
    x, dx, dy = mx.nd.ones((10,)) * 10, mx.nd.zeros((10,)), mx.nd.ones((10,)) * 3
    sym = mx.operator.NumpyOp().get_symbol(mx.sym.Variable('X'), name='numpy_op')
    assert sym.tojson().count('"need_top_grad": "True"') == 1
    exe = sym.bind(mx.cpu(), args=[x], args_grad={'X': dx})
    exe.forward(is_train=True)
    np.testing.assert_array_equal(exe.outputs[0].asnumpy(), x.asnumpy())
    exe.backward(dy)
    np.testing.assert_array_equal(dx.asnumpy(), np.ones(10))


@pytest.mark.filterwarnings('ignore::UserWarning')
def test_numpy_loss_layer_trains_without_head_gradients():
    op = _SoftmaxLoss()
    sym = op.get_symbol(mx.sym.Variable('X'), name='loss')
    data = np.random.RandomState(0).rand(3, 4).astype(np.float32)
    dx = mx.nd.zeros((3, 4))
    exe = sym.bind(mx.cpu(), args={'X': mx.nd.array(data), 'loss_label': mx.nd.array([0, 1, 2])},
                   args_grad={'X': dx})
    exe.forward(is_train=True)
    exe.backward()
    softmax = np.exp(data) / np.exp(data).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(exe.outputs[0].asnumpy(), softmax, rtol=1e-6)
    np.testing.assert_allclose(dx.asnumpy(), softmax - np.eye(3, 4), rtol=1e-6, atol=1e-7)
    assert op.backward_got == [0, 2, 1, 2]


@pytest.mark.filterwarnings('ignore::UserWarning')
def test_ndarray_op_reads_readonly_arrays_and_backward_gets_its_dependencies():
    op = _Square()
    x, dx = mx.nd.ones((4,)) * 3, mx.nd.zeros((4,))
    exe = op.get_symbol(mx.sym.Variable('X')).bind(mx.cpu(), args=[x], args_grad=[dx])
    exe.forward(is_train=True)
    exe.backward(mx.nd.ones((4,)))
    assert op.forward_got == (mx.nd.NDArray, False, True)
    np.testing.assert_array_equal(exe.outputs[0].asnumpy(), [9] * 4)
    np.testing.assert_array_equal(dx.asnumpy(), [6] * 4)


@pytest.mark.filterwarnings('ignore::UserWarning')
def test_a_python_op_node_runs_only_where_its_object_lives():
    json_text = mx.operator.NumpyOp()(mx.sym.Variable('X')).tojson()
    live = json.loads(json_text)['nodes'][1]['attrs']['info']
    with pytest.raises(MXNetError, match='_Native: info=0 names no PythonOp'):
        mx.sym.load_json(json_text.replace(live, '0'))
