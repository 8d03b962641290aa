"""A corpus of model files as MXNet 1.9.1 users hold them (Gluon model-zoo exports, GluonCV- and
GluonNLP-shaped networks, an ArcFace ResNet, an AMP conversion, Module checkpoints): each loads,
binds and computes what MXNet computed; for some, a training step's gradients match too.

Fixtures come from golden/make_corpus.py; golden/corpus/manifest.json describes each model.
"""
import contextlib
import json
import os

import numpy as np
import pytest

import mxsym as mx

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'golden', 'corpus')
with open(os.path.join(HERE, 'manifest.json')) as manifest_file:
    MANIFEST = json.load(manifest_file)
MODELS = sorted(MANIFEST)
# Loaded through Gluon as well, as users of an export usually load it.
THROUGH_SYMBOLBLOCK = ['bert_tiny', 'lstm_lm_fused', 'numpy_mode_net', 'resnet18_v1', 'ssd_tiny']


def record(name):
    return np.load(os.path.join(HERE, name + '.npz'))


def inputs(name):
    io = record(name)
    return {n: io['input:' + n] for n in MANIFEST[name]['inputs']}


def mode(name):
    """NumPy-shape mode for the models exported in MXNet's NumPy mode, whose params files
    are written in it (and load only in it)."""
    return mx.util.np_shape(True) if MANIFEST[name]['numpy_mode'] else contextlib.nullcontext()


def load(name):
    """The symbol and its parameters, as MXNet users load each kind of file."""
    prefix = os.path.join(HERE, name)
    if MANIFEST[name]['kind'] == 'module':
        return mx.model.load_checkpoint(prefix, 0)
    symbol = mx.sym.load(prefix + '-symbol.json')
    saved = mx.nd.load(prefix + '-0000.params')
    args = {k[len('arg:'):]: v for k, v in saved.items() if k.startswith('arg:')}
    aux = {k[len('aux:'):]: v for k, v in saved.items() if k.startswith('aux:')}
    return symbol, args, aux


def bind(name, for_training):
    symbol, args, aux = load(name)
    given = inputs(name)
    grad_req = {n: 'write' if for_training and n not in given else 'null'
                for n in symbol.list_arguments()}
    exe = symbol.simple_bind(mx.cpu(), grad_req=grad_req,
                             **{n: v.shape for n, v in given.items()})
    exe.copy_params_from(args, aux)
    return exe, {n: mx.nd.array(v) for n, v in given.items()}


def relative_distance(ours, theirs):
    return np.linalg.norm(ours - theirs) / max(np.linalg.norm(theirs), 1e-30)


def assert_matches(name, ours, theirs, what):
    """Elementwise (rtol 1e-4, atol 1e-5), or by the relative norm of the difference where the
    manifest gives one, with its reason (bfloat16 results)."""
    ours = ours.asnumpy()
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype, what
    compare = MANIFEST[name]['compare']
    if compare:
        distance = relative_distance(ours, theirs)
        assert distance < compare['relative_norm'], '%s: relative distance %g (%s)' % (
            what, distance, compare['why'])
    else:
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-5, err_msg=what)


@pytest.mark.slow
@pytest.mark.parametrize('name', MODELS)
def test_inference_matches_mxnet(name):
    with mode(name):
        exe, given = bind(name, for_training=False)
        outputs = exe.forward(is_train=False, **given)
    io = record(name)
    assert len(outputs) == len([k for k in io if k.startswith('output')])
    for i, out in enumerate(outputs):
        assert_matches(name, out, io['output%d' % i], 'output%d' % i)


@pytest.mark.slow
@pytest.mark.parametrize('name', [n for n in MODELS if MANIFEST[n]['grads']])
def test_training_step_matches_mxnet(name):
    io = record(name)
    with mode(name):
        exe, given = bind(name, for_training=True)
        outputs = exe.forward(is_train=True, **given)
        if MANIFEST[name]['loss']:
            exe.backward()
        else:
            exe.backward([mx.nd.array(io['head_grad%d' % i]) for i in range(len(outputs))])
    for i, out in enumerate(outputs):
        assert_matches(name, out, io['train_output%d' % i], 'train_output%d' % i)
    recorded = {k[len('grad:'):] for k in io if k.startswith('grad:')}
    assert recorded == {n for n, g in exe.grad_dict.items() if g is not None}
    # A parameter's gradient sums over the batch and every position, and where the terms
    # cancel, float32 keeps few digits of the sum: ArcFace's shared PReLU alpha gets 0.018195
    # from MXNet and 0.018226 from mxsym, where float64 gives 0.018226. So the gradients are
    # compared by norm: all together within 1e-4 relative, each within 2e-3 relative plus
    # 1e-5 per element (for gradients that are zero up to rounding, as a bias's before a
    # BatchNorm on batch statistics).
    ours = {param: exe.grad_dict[param].asnumpy() for param in recorded}
    for param in sorted(recorded):
        expected = io['grad:' + param]
        assert ours[param].shape == expected.shape and ours[param].dtype == expected.dtype
        assert (np.linalg.norm(ours[param] - expected)
                <= 2e-3 * np.linalg.norm(expected) + 1e-5 * np.sqrt(expected.size)), param
    everything = sorted(recorded)
    assert relative_distance(np.concatenate([ours[p].ravel() for p in everything]),
                             np.concatenate([io['grad:' + p].ravel() for p in everything])) < 1e-4


@pytest.mark.parametrize('name', MODELS)
def test_json_round_trips_byte_for_byte(name):
    """Kept whole, the loaded graph is the file byte for byte; ``tojson()`` leaves out AMP
    casts, as MXNet's does."""
    with open(os.path.join(HERE, name + '-symbol.json')) as f:
        text = f.read()
    with mode(name):
        symbol = mx.sym.load_json(text)
        assert symbol.tojson(remove_amp_cast=False) == text
        assert symbol.tojson() == str(record(name)['tojson'])


@pytest.mark.parametrize('name', THROUGH_SYMBOLBLOCK)
def test_symbolblock_imports_runs_the_export(name):
    prefix = os.path.join(HERE, name)
    given = inputs(name)
    with mode(name):
        net = mx.gluon.nn.SymbolBlock.imports(prefix + '-symbol.json', list(given),
                                              prefix + '-0000.params')
        outputs = net(*[mx.nd.array(v) for v in given.values()])
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    io = record(name)
    for i, out in enumerate(outputs):
        assert_matches(name, out, io['output%d' % i], 'output%d' % i)


@pytest.mark.parametrize('name', [n for n in MODELS if MANIFEST[n]['kind'] == 'module'])
def test_module_load_predicts_as_mxnet(name):
    """A Module checkpoint loaded with Module.load, bound for inference and run on a batch."""
    given = inputs(name)
    labels = [n for n in given if n != 'data']
    module = mx.mod.Module.load(os.path.join(HERE, name), 0, data_names=['data'],
                                label_names=labels)
    module.bind(data_shapes=[('data', given['data'].shape)],
                label_shapes=[(n, given[n].shape) for n in labels], for_training=False)
    module.forward(mx.io.DataBatch([mx.nd.array(given['data'])],
                                   [mx.nd.array(given[n]) for n in labels]), is_train=False)
    assert_matches(name, module.get_outputs()[0], record(name)['output0'], 'output0')
