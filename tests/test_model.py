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
