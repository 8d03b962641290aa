"""Checkpoints: load what MXNet 1.9.1 saved, run it, and save the same bytes back."""
import os

import numpy as np
import pytest

import mxsym as mx

PREFIX = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'golden', 'checkpoint', 'small')


def test_loaded_checkpoint_gives_mxnet_outputs():
    symbol, arg_params, aux_params = mx.model.load_checkpoint(PREFIX, 3)
    assert sorted(aux_params) == ['bn1_moving_mean', 'bn1_moving_var']
    data = np.load(PREFIX + '-input.npy')
    exe = symbol.simple_bind(mx.cpu(), grad_req='null', data=data.shape)
    exe.copy_params_from(arg_params, aux_params)
    exe.forward(is_train=False, data=mx.nd.array(data))
    np.testing.assert_allclose(exe.outputs[0].asnumpy(), np.load(PREFIX + '-output.npy'),
                               rtol=1e-5, atol=1e-6)


def test_save_checkpoint_writes_mxnet_bytes(tmp_path):
    symbol, arg_params, aux_params = mx.model.load_checkpoint(PREFIX, 3)
    prefix = str(tmp_path / 'small')
    mx.model.save_checkpoint(prefix, 3, symbol, arg_params, aux_params)
    for suffix in ('-symbol.json', '-0003.params'):
        with open(PREFIX + suffix, 'rb') as mxnet_file, open(prefix + suffix, 'rb') as ours:
            assert ours.read() == mxnet_file.read(), suffix


def test_params_without_kind_prefix_are_refused(tmp_path):
    mx.nd.save(str(tmp_path / 'bad-0001.params'), {'fc1_weight': mx.nd.ones((2,))})
    with pytest.raises(mx.MXNetError, match="'fc1_weight' is not named arg:<name>"):
        mx.model.load_params(str(tmp_path / 'bad'), 1)


def checkpoint_bind_args(**changes):
    """The checkpoint's arguments plus its recorded input, with some arrays replaced or (None)
    removed."""
    symbol, arg_params, aux_params = mx.model.load_checkpoint(PREFIX, 3)
    args = dict(arg_params, data=mx.nd.array(np.load(PREFIX + '-input.npy')),
                softmax_label=mx.nd.zeros((2,)))
    for name, value in changes.items():
        if value is None:
            del args[name]
        else:
            args[name] = value
    return symbol, args, aux_params


def test_bind_names_a_parameter_whose_shape_disagrees():
    symbol, args, aux_params = checkpoint_bind_args(conv1_weight=mx.nd.ones((4, 3, 5, 5)))
    with pytest.raises(mx.MXNetError, match=r'conv1 \(Convolution\): input weight has shape '
                       r'\(4, 3, 5, 5\) but .* needs \(4, 3, 3, 3\) \(argument conv1_weight\)'):
        symbol.bind(mx.cpu(), args, aux_states=aux_params)


def test_bind_names_a_missing_parameter():
    symbol, args, aux_params = checkpoint_bind_args(fc1_bias=None)
    with pytest.raises(mx.MXNetError, match=r"args misses \['fc1_bias'\]"):
        symbol.bind(mx.cpu(), args, aux_states=aux_params)


def test_copy_params_from_names_the_shape_mismatch_and_copies_nothing():
    symbol, arg_params, aux_params = mx.model.load_checkpoint(PREFIX, 3)
    exe = symbol.simple_bind(mx.cpu(), grad_req='null', data=(2, 3, 6, 6))
    bad = dict(arg_params, fc1_weight=mx.nd.ones((5, 3)))
    with pytest.raises(mx.MXNetError, match=r'argument fc1_weight has shape \(5, 3\) but the '
                       r'bound graph needs \(5, 36\)'):
        exe.copy_params_from(bad, aux_params)
    assert not exe.arg_dict['conv1_weight'].asnumpy().any()


def test_load_checkpoint_refuses_params_that_do_not_fit_the_graph(tmp_path):
    """A Gluon export records parameter shapes in the graph; a params file of another width
    is refused at load, naming the parameter and both shapes."""
    exported = os.path.join(os.path.dirname(PREFIX), '..', 'gluon', 'resnet18_v1')
    (tmp_path / 'net-symbol.json').write_bytes(open(exported + '-symbol.json', 'rb').read())
    params = mx.nd.load(exported + '-0000.params')
    params['arg:resnetv10_conv0_weight'] = mx.nd.ones((8, 3, 5, 5))
    mx.nd.save(str(tmp_path / 'net-0000.params'), params)
    with pytest.raises(mx.MXNetError, match=r'net-0000.params does not fit .*net-symbol.json: '
                       r'resnetv10_conv0_weight: given shape is \(8, 3, 5, 5\) but the graph '
                       r'declares \(8, 0, 7, 7\)'):
        mx.model.load_checkpoint(str(tmp_path / 'net'), 0)
