"""Inference errors name the node, the op, the input, the shapes involved and the rule; partial
and unknown-dim inference as MXNet 1.9.1's."""
import json
import os
import warnings

import jax.numpy as jnp
import numpy as np
import pytest

import mxsym as mx
from mxsym.graph import Node
from mxsym.ops_registry import OpDef


def fully_connected():
    return mx.sym.FullyConnected(mx.sym.Variable('data'), num_hidden=4, name='fc1')


def convolution():
    return mx.sym.Convolution(mx.sym.Variable('data'), kernel=(3, 3), num_filter=2, name='conv')


def elementwise_sum():
    return mx.sym.elemwise_add(mx.sym.Variable('a'), mx.sym.Variable('b'), name='sum')


def matrix_product():
    return mx.sym.dot(mx.sym.Variable('a'), mx.sym.Variable('b'), name='prod')


def variables(*names):
    return [mx.sym.Variable(name) for name in names]


def two_layers():
    net = mx.sym.FullyConnected(mx.sym.Variable('data'), num_hidden=128, name='fc1')
    return mx.sym.FullyConnected(net, num_hidden=10, name='fc2')


def grouped_convolution():
    return mx.sym.Convolution(mx.sym.Variable('data'), kernel=(3, 3), num_filter=4, num_group=2,
                              name='conv')


def concat():
    return mx.sym.Concat(*variables('a', 'b'), dim=1, name='cat')


def reshape(shape):
    return lambda: mx.sym.Reshape(mx.sym.Variable('data'), shape=shape, name='rs')


# Each case: the node and op, the input at fault with its shape, the shape it conflicts with,
# and the rule.
SHAPE_ERRORS = {
    'fc_weight': (fully_connected, {'data': (2, 3, 4), 'fc1_weight': (4, 10)},
                  r'fc1 \(FullyConnected\): input weight has shape \(4, 10\) but data '
                  r'\(2, 3, 4\) needs \(4, 12\)'),
    'fc_weight_after_a_layer': (two_layers, {'data': (2, 5), 'fc2_weight': (10, 64)},
                                r'fc2 \(FullyConnected\): input weight has shape \(10, 64\) '
                                r'but data \(2, 128\) needs \(10, 128\)'),
    'fc_bias': (fully_connected, {'data': (2, 12), 'fc1_bias': (5,)},
                r'fc1 \(FullyConnected\): input bias has shape \(5,\) but data \(2, 12\) '
                r'needs \(4,\)'),
    'conv_channels': (convolution, {'data': (2, 3, 8, 8), 'conv_weight': (2, 4, 3, 3)},
                      r'conv \(Convolution\): input weight has shape \(2, 4, 3, 3\) but data '
                      r'\(2, 3, 8, 8\) needs \(2, 3, 3, 3\)'),
    'conv_groups': (grouped_convolution, {'data': (2, 3, 8, 8)},
                    r'conv \(Convolution\): input data has 3 channels \(shape \(2, 3, 8, 8\)\), '
                    r'which num_group=2 does not divide'),
    'conv_rank': (convolution, {'data': (2, 3, 8)},
                  r'conv \(Convolution\): input data has shape \(2, 3, 8\) but kernel '
                  r'\(3, 3\) needs 4-D data'),
    'conv_window': (convolution, {'data': (2, 3, 2, 2)},
                    r'conv \(Convolution\): inputs data \(2, 3, 2, 2\).* give output shape '
                    r'\(2, 2, 0, 0\), which has no elements'),
    'elemwise': (elementwise_sum, {'a': (2, 3), 'b': (1, 3)},
                 r'sum \(elemwise_add\): rhs has shape \(1, 3\) but lhs has shape \(2, 3\); '
                 r'the shapes must be equal'),
    'broadcast': (lambda: mx.sym.broadcast_add(*variables('a', 'b'), name='bsum'),
                  {'a': (2, 3), 'b': (4, 3)},
                  r'bsum \(broadcast_add\): .*lhs \(2, 3\) and rhs \(4, 3\) differ in axis 0 '
                  r'\(2 vs 4\), where one of them must be 1'),
    'concat': (concat, {'a': (2, 3, 4), 'b': (2, 5, 6)},
               r'cat \(Concat\): inputs arg0 \(2, 3, 4\), arg1 \(2, 5, 6\) do not fit '
               r'together: .*differ in dimensions other than the one being concatenated'),
    'concat_rank': (concat, {'a': (2, 3, 4), 'b': (2, 5)},
                    r'cat \(Concat\): inputs arg0 \(2, 3, 4\), arg1 \(2, 5\) do not fit '
                    r'together: .*different numbers of dimensions'),
    'reshape_size': (reshape((5, 7)), {'data': (2, 3, 4)},
                     r'rs \(Reshape\): .*target shape \(5, 7\) \(from shape=\(5, 7\)\) does '
                     r'not have the 24 elements of input shape \(2, 3, 4\)'),
    'reshape_two_unknown_dims': (reshape((-1, -1)), {'data': (2, 3, 4)},
                                 r'rs \(Reshape\): .*shape=\(-1, -1\) has more than one -1, but '
                                 r'only one dim can be inferred \(inputs data \(2, 3, 4\)\)'),
    'batchnorm_gamma': (lambda: mx.sym.BatchNorm(mx.sym.Variable('data'), name='bn'),
                        {'data': (2, 3, 4, 4), 'bn_gamma': (4,)},
                        r'bn \(BatchNorm\): input gamma has shape \(4,\) but data '
                        r'\(2, 3, 4, 4\) needs \(3,\)'),
    'softmax_label': (lambda: mx.sym.SoftmaxOutput(mx.sym.Variable('data'), name='sm'),
                      {'data': (2, 3), 'sm_label': (3,)},
                      r'sm \(SoftmaxOutput\): input label has shape \(3,\) but data '
                      r'\(2, 3\) needs \(2,\)'),
    'embedding_weight': (lambda: mx.sym.Embedding(mx.sym.Variable('data'), input_dim=10,
                                                  output_dim=4, name='emb'),
                         {'data': (2, 3), 'emb_weight': (10, 5)},
                         r'emb \(Embedding\): input weight has shape \(10, 5\) but data '
                         r'\(2, 3\) needs \(10, 4\)'),
    'pooling_window': (lambda: mx.sym.Pooling(mx.sym.Variable('data'), kernel=(5, 5),
                                              pool_type='max', name='pool'),
                       {'data': (2, 3, 4, 4)},
                       r'pool \(Pooling\): inputs data \(2, 3, 4, 4\) give output shape '
                       r'\(2, 3, 0, 0\), which has no elements'),
    'dot': (matrix_product, {'a': (2, 3), 'b': (4, 5)},
            r'prod \(dot\): inputs lhs \(2, 3\), rhs \(4, 5\) do not fit together: .*'
            r'contracting dimensions to have the same shape'),
}


@pytest.mark.parametrize('case', list(SHAPE_ERRORS))
def test_shape_errors_name_node_op_inputs_shapes_and_rule(case, capsys):
    build, shapes, message = SHAPE_ERRORS[case]
    with pytest.raises(mx.MXNetError, match=message):
        build().infer_shape(**shapes)
    # as MXNet does, the arguments are printed before the error propagates
    printed = capsys.readouterr().out.splitlines()
    assert printed == ['infer_shape error. Arguments:'] + [
        '  %s: %s' % item for item in shapes.items()]


def test_partial_inference_raises_without_printing(capsys):
    with pytest.raises(mx.MXNetError, match=r'sum \(elemwise_add\)'):
        elementwise_sum().infer_shape_partial(a=(2, 3), b=(1, 3))
    assert capsys.readouterr().out == ''


@pytest.mark.parametrize('build, types, message', [
    (elementwise_sum, {'a': 'float32', 'b': 'float16'},
     r'^sum \(elemwise_add\): input rhs is float16 but input lhs is float32; elemwise_add needs '
     r'one dtype for all its inputs and outputs$'),
    (fully_connected, {'data': 'float32', 'fc1_weight': 'float64'},
     r'^fc1 \(FullyConnected\): input weight is float64 but input data is float32; '
     r'FullyConnected needs one dtype'),
], ids=['elemwise', 'fc_weight'])
def test_dtype_conflict_names_node_op_and_both_inputs(build, types, message, capsys):
    with pytest.raises(mx.MXNetError, match=message):
        build().infer_type(**types)
    assert capsys.readouterr().out.splitlines() == ['infer_type error. Arguments:'] + [
        '  %s: %s' % item for item in types.items()]


def test_positional_arguments_are_printed_by_position(capsys):
    with pytest.raises(mx.MXNetError):
        elementwise_sum().infer_shape((2, 3), (1, 3))
    assert capsys.readouterr().out.splitlines() == [
        'infer_shape error. Arguments:', '  #0: (2, 3)', '  #1: (1, 3)']


def test_probability_labels_may_take_the_data_shape():
    net = mx.sym.SoftmaxOutput(mx.sym.Variable('data'), name='sm')
    assert net.infer_shape(data=(2, 3), sm_label=(2, 3))[0] == [(2, 3), (2, 3)]
    multi = mx.sym.SoftmaxOutput(mx.sym.Variable('data'), multi_output=True, name='sm')
    for label in [(2, 20), (2, 4, 5), (2, 1, 4, 5)]:
        assert multi.infer_shape(data=(2, 3, 4, 5), sm_label=label)[0][1] == label
    with pytest.raises(mx.MXNetError, match=r'sm \(SoftmaxOutput\): input label has shape '
                                            r'\(2, 4\) but data \(2, 3, 4, 5\) needs \(2, 20\)'):
        multi.infer_shape(data=(2, 3, 4, 5), sm_label=(2, 4))


def test_weights_inferred_backward_from_data_and_label_from_output():
    net = mx.sym.SoftmaxOutput(fully_connected(), name='out')
    arg_shapes, out_shapes, _ = net.infer_shape(data=(5, 7))
    assert dict(zip(net.list_arguments(), arg_shapes)) == {
        'data': (5, 7), 'fc1_weight': (4, 7), 'fc1_bias': (4,), 'out_label': (5,)}
    assert out_shapes == [(5, 4)]


def test_elementwise_input_inferred_from_its_sibling():
    arg_shapes, _, _ = elementwise_sum().infer_shape_partial(a=(2, 3))
    assert arg_shapes == [(2, 3), (2, 3)]


@pytest.mark.parametrize('attr, value, message', [
    ('__dtype__', '99', r"variable data: __dtype__ '99' is not an MXNet dtype code"),
    ('__dtype__', 'float32', r"variable data: __dtype__ 'float32' is not an MXNet dtype code"),
    ('__shape__', 'abc', r"variable data: __shape__ 'abc' is not a shape"),
    ('__shape__', '((1, 2),)', r"variable data: __shape__ '\(\(1, 2\),\)' is not a shape"),
    ('__shape__', '(-2, 3)', r"variable data: __shape__ '\(-2, 3\)' is not a shape"),
])
def test_bad_variable_hints_name_the_variable(attr, value, message):
    net = mx.sym.Activation(mx.sym.var('data', attr={attr: value}), act_type='relu')
    infer = net.infer_type_partial if attr == '__dtype__' else net.infer_shape_partial
    with pytest.raises(mx.MXNetError, match=message):
        infer()


@pytest.mark.parametrize('code, dtype', [('0', 'float32'), ('12', 'bfloat16'), ('-1', None)])
def test_variable_dtype_codes_as_mxnet_writes_them(code, dtype):
    net = mx.sym.Activation(mx.sym.var('data', attr={'__dtype__': code}), act_type='relu')
    (arg_type,), _, _ = net.infer_type_partial()
    assert (None if arg_type is None else jnp.dtype(arg_type).name) == dtype


@pytest.mark.parametrize('build, message', [
    (lambda d: mx.sym.BatchNorm(d, axis=4, name='bn'),
     r'bn \(BatchNorm\): .*axis 4 is out of range for an input with 4 dimensions'),
    (lambda d: mx.sym.LayerNorm(d, axis=-5, name='ln'),
     r'ln \(LayerNorm\): .*axis -5 is out of range for an input with 4 dimensions'),
    (lambda d: mx.sym.SliceChannel(d, num_outputs=2, axis=7, name='split'),
     r'split \(SliceChannel\): .*axis 7 is out of range'),
])
def test_axes_out_of_range_are_errors_not_wrapped(build, message):
    with pytest.raises(mx.MXNetError, match=message):
        build(mx.sym.var('data')).infer_shape(data=(2, 3, 8, 8))


def _failing_param_shapes(params, in_shapes):
    return {'weight': (in_shapes[0][9],)}   # an index the data does not have


def test_a_rule_failing_unexpectedly_is_named_with_its_node():
    op = OpDef('_odd_rule', lambda params, ctx, data, weight: (data,),
               inputs=('data', 'weight'), param_shapes=_failing_param_shapes)
    data, weight = mx.sym.var('data'), mx.sym.var('weight')
    net = mx.sym.Symbol([(Node(op, 'odd', inputs=data._outputs + weight._outputs), 0)])
    with pytest.raises(mx.MXNetError, match=r'^odd \(_odd_rule\): cannot infer the shape from '
                       r'inputs data \(2, 3\), weight \? \(IndexError: tuple index out of range\)'):
        net.infer_shape_partial(data=(2, 3))


PARTIAL_CASES = json.load(open(os.path.join(os.path.dirname(__file__), 'golden',
                                            'infer_partial.json')))


def _as_lists(shapes):
    return None if shapes is None else [None if s is None else list(s) for s in shapes]


@pytest.mark.parametrize('case', PARTIAL_CASES, ids=[c['id'] for c in PARTIAL_CASES])
def test_partial_and_unknown_dims_infer_as_mxnet(case):
    """Unknown dims (0, or -1 with NumPy shapes) carried through ops in both directions; a
    full inference of an incomplete graph gives (None, None, None), as MXNet 1.9.1's does."""
    with mx.np_shape(case['np_shape']):
        given = {k: tuple(-1 if (case['np_shape'] and d == 0) else d for d in v)
                 for k, v in case['shapes'].items()}
        with mx.name.NameManager():
            sym = eval(case['expr'], {'mx': mx})
        assert sym.list_arguments() == case['arguments']
        assert [_as_lists(p) for p in sym.infer_shape_partial(**given)] == case['partial']
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            full = sym.infer_shape(**given)
        assert [_as_lists(f) for f in full] == case['full']


def test_np_shape_mode_is_recorded_in_json_as_mxnet_records_it():
    net = mx.sym.FullyConnected(mx.sym.var('data'), num_hidden=4)
    with mx.np_shape(True):
        assert json.loads(net.tojson())['attrs'] == {'is_np_shape': ['int', 1],
                                                      'mxnet_version': ['int', 10901]}
    assert json.loads(net.tojson())['attrs'] == {'mxnet_version': ['int', 10901]}


def test_inference_has_no_pass_cap():
    """A chain whose shape reaches the start only from its far end needs one pass per link."""
    head = mx.sym.Variable('x')
    net = head
    for _ in range(20):
        net = mx.sym.sin(net)
    net = net + mx.sym.Variable('y', shape=(2, 3))
    assert net.infer_shape()[0] == [(2, 3), (2, 3)]


def test_a_dtype_given_at_inference_overrides_the_declared_one():
    net = mx.sym.Pad(mx.sym.Variable('X', dtype='float16'), mode='constant',
                     pad_width=(0, 0, 0, 0, 1, 1, 1, 1))
    assert net.infer_type()[1] == [np.float16]
    assert net.infer_type(X='float32')[1] == [np.float32]
