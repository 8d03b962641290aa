"""`mxsym.export`: a checkpointed conv net serialized with jax.export, reloaded with plain JAX
and run at two batch sizes through its symbolic batch dimension."""
import io
import os

import jax
import numpy as np
import pytest

import mxsym as mx
from mxsym import cli
from mxsym.base import MXNetError

PREFIX = os.path.join(os.path.dirname(__file__), 'golden', 'checkpoint', 'small')
DATA = np.load(PREFIX + '-input.npy')


@pytest.fixture(scope='module')
def checkpoint():
    return mx.model.load_checkpoint(PREFIX, 3)


def mxsym_outputs(checkpoint, data):
    symbol, arg_params, aux_params = checkpoint
    ex = symbol.simple_bind(mx.cpu(), data=data.shape, grad_req='null')
    ex.copy_params_from(arg_params, aux_params)
    return ex.forward(data=data)[0].asnumpy()


def test_exported_program_runs_with_plain_jax(checkpoint, tmp_path):
    path = str(tmp_path / 'small.jax')
    blob = mx.export(*checkpoint, {'data': ('?', 3, 6, 6)}, path)
    with open(path, 'rb') as src:
        assert src.read() == blob
    exported = jax.export.deserialize(bytearray(blob))
    assert str(exported.in_avals[0]) == 'float32[batch,3,6,6]'
    outputs = exported.call(DATA)
    assert len(outputs) == 1
    np.testing.assert_allclose(outputs[0], np.load(PREFIX + '-output.npy'), rtol=1e-4, atol=1e-5)
    larger = np.concatenate([DATA, DATA[::-1] * 0.5, DATA[:1] + 1.0])
    np.testing.assert_allclose(exported.call(larger)[0], mxsym_outputs(checkpoint, larger),
                               rtol=1e-4, atol=1e-5)


def test_params_passed_as_inputs(checkpoint):
    symbol, arg_params, aux_params = checkpoint
    blob = mx.export(symbol, arg_params, aux_params, {'data': (None, 3, 6, 6)},
                     params_as_inputs=True)
    exported = jax.export.deserialize(bytearray(blob))
    doubled = {k: v.asnumpy() * 2 for k, v in arg_params.items()}
    aux = {k: v.asnumpy() for k, v in aux_params.items()}
    want = mxsym_outputs((symbol, {k: mx.nd.array(v) for k, v in doubled.items()}, aux_params),
                         DATA[:1])
    np.testing.assert_allclose(exported.call(doubled, aux, DATA[:1])[0], want,
                               rtol=1e-4, atol=1e-5)


def test_export_errors(checkpoint):
    symbol, arg_params, aux_params = checkpoint
    with pytest.raises(MXNetError, match=r"\['image'\] are not arguments"):
        mx.export(symbol, arg_params, aux_params, {'image': ('?', 3, 6, 6)})
    with pytest.raises(MXNetError, match=r"aux_params misses \['bn1_moving_var'\]"):
        mx.export(symbol, arg_params, {'bn1_moving_mean': aux_params['bn1_moving_mean']},
                  {'data': ('?', 3, 6, 6)})


def test_cli_export(tmp_path):
    path = str(tmp_path / 'small.jaxexport')
    out = io.StringIO()
    assert cli.main(['export', PREFIX, '--epoch', '3', '--input', 'data=?,3,6,6', '-o', path],
                    out=out) == 0
    assert out.getvalue() == path + '\n'
    with open(path, 'rb') as src:
        exported = jax.export.deserialize(bytearray(src.read()))
    np.testing.assert_allclose(exported.call(DATA)[0], np.load(PREFIX + '-output.npy'),
                               rtol=1e-4, atol=1e-5)
