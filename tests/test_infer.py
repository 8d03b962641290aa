"""Inference errors name the node, the op, the input and the shapes involved."""
import pytest

import mxsym as mx


def fully_connected():
    return mx.sym.FullyConnected(mx.sym.Variable('data'), num_hidden=4, name='fc1')


def convolution():
    return mx.sym.Convolution(mx.sym.Variable('data'), kernel=(3, 3), num_filter=2, name='conv')


def elementwise_sum():
    return mx.sym.elemwise_add(mx.sym.Variable('a'), mx.sym.Variable('b'), name='sum')


def matrix_product():
    return mx.sym.dot(mx.sym.Variable('a'), mx.sym.Variable('b'), name='prod')


@pytest.mark.parametrize('build, shapes, message', [
    (fully_connected, {'data': (2, 3, 4), 'fc1_weight': (4, 10)},
     r'fc1 \(FullyConnected\): input weight has shape \(4, 10\) but data \(2, 3, 4\) needs '
     r'\(4, 12\)'),
    (convolution, {'data': (2, 3, 2, 2)},
     r'conv \(Convolution\): inputs data \(2, 3, 2, 2\).* give output shape \(2, 2, 0, 0\)'),
    (elementwise_sum, {'a': (2, 3), 'b': (1, 3)},
     r'sum \(elemwise_add\): rhs has shape \(1, 3\) but lhs has shape \(2, 3\)'),
    (matrix_product, {'a': (2, 3), 'b': (4, 5)},
     r'prod \(dot\): inputs lhs \(2, 3\), rhs \(4, 5\) do not fit together'),
], ids=['fc_weight', 'conv_window', 'elemwise', 'dot'])
def test_shape_errors_name_node_op_and_shapes(build, shapes, message):
    with pytest.raises(mx.MXNetError, match=message):
        build().infer_shape(**shapes)


def test_dtype_conflict_names_the_node():
    net = mx.sym.elemwise_add(mx.sym.Variable('a'), mx.sym.Variable('b'), name='sum')
    with pytest.raises(mx.MXNetError, match=r'sum \(elemwise_add\).*float16.*float32|'
                                            r'sum \(elemwise_add\).*float32.*float16'):
        net.infer_type(a='float32', b='float16')


def test_weights_inferred_backward_from_data_and_label_from_output():
    net = mx.sym.SoftmaxOutput(fully_connected(), name='out')
    arg_shapes, out_shapes, _ = net.infer_shape(data=(5, 7))
    assert dict(zip(net.list_arguments(), arg_shapes)) == {
        'data': (5, 7), 'fc1_weight': (4, 7), 'fc1_bias': (4,), 'out_label': (5,)}
    assert out_shapes == [(5, 4)]


def test_elementwise_input_inferred_from_its_sibling():
    arg_shapes, _, _ = elementwise_sum().infer_shape_partial(a=(2, 3))
    assert arg_shapes == [(2, 3), (2, 3)]
