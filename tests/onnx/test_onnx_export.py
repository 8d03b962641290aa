"""`mx.onnx.export_model` on the model corpus (golden/corpus): every model ONNX can express
exports with a dynamic batch dim, passes onnx's full check, and onnxruntime's CPU provider gives
its outputs at two batch sizes (MXNet's recorded outputs, which test_corpus holds mxsym to; for
a few models mxsym's own, with the round trip through `import_model`). The models ONNX cannot
express are refused with every op that has no ONNX form named at once, and nothing written."""
import re

import numpy as np
import pytest

import mxsym as mx
from mxsym.base import MXNetError
from mxsym.cli import main
from test_corpus import HERE, MODELS, inputs, load, mode, record

onnx = pytest.importorskip('onnx')
ort = pytest.importorskip('onnxruntime')

# model: the ops without an ONNX form that its export names
REFUSED = {
    'faster_rcnn_tiny': {'_contrib_Proposal', '_contrib_ROIAlign'},
    'ssd_tiny': {'_contrib_MultiBoxDetection'},
    'yolo3_tiny': {'_contrib_box_nms'},
}
# model: why onnxruntime cannot run its export
NOT_RUNNABLE = {'resnet18_v1_amp_bf16': 'ONNX convolutions take bfloat16 only from opset 22, '
                                        "and onnxruntime's CPU provider has no bfloat16 kernels"}
EXPRESSED = [name for name in MODELS if name not in REFUSED and name not in NOT_RUNNABLE]
# model: the batch axis of each input (default: 0)
BATCH_AXES = {'gru_lm_fused': (1,), 'lstm_lm_fused': (1, 1, 1), 'numpy_mode_lstm': (1, 1, 1),
              'transformer_decoder_cell': (1, 1, 0)}
# the round trip of one model of each kind (test_onnx_ops.py round-trips every op)
# models whose graph fixes the batch size (here a broadcast_to's shape): their exports keep it
FIXED_BATCH = {'numpy_mode_attention'}
# models with outputs that reduce over the batch: at the larger batch, mxsym's outputs are run
MIXING_THE_BATCH = {'numpy_mode_net'}
ROUND_TRIPS = ['bert_tiny', 'fcn_tiny', 'gru_lm_fused', 'lenet_module', 'lstm_lm_fused',
               'transformer_decoder_cell']


def model_inputs(name):
    return {n: v for n, v in inputs(name).items() if not n.endswith('label')}


def export(name, path, dynamic=True):
    """The model written to `path` with its corpus shapes, the batch dims dynamic."""
    given = model_inputs(name)
    axes = BATCH_AXES.get(name, (0,) * len(given))
    dynamic_shapes = [tuple(None if a == axis else d for a, d in enumerate(v.shape))
                      for v, axis in zip(given.values(), axes)]
    with mode(name):
        symbol, args, aux = load(name)
        return mx.onnx.export_model(symbol, [args, aux], [v.shape for v in given.values()],
                                    onnx_file_path=str(path), dynamic=dynamic,
                                    dynamic_input_shapes=dynamic_shapes if dynamic else None)


def with_first_item_again(array, axis):
    return np.concatenate([array, np.take(array, [0], axis=axis)], axis=axis)


@pytest.mark.parametrize('name', EXPRESSED)
def test_onnxruntime_gives_the_outputs_at_two_batch_sizes(name, tmp_path):
    path = export(name, tmp_path / 'model.onnx')
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    session = ort.InferenceSession(path, providers=['CPUExecutionProvider'])
    given, io = model_inputs(name), record(name)
    axes = BATCH_AXES.get(name, (0,) * len(given))
    larger = {n: with_first_item_again(v, axis) for (n, v), axis in zip(given.items(), axes)}
    recorded = [io['output%d' % i] for i in range(len(model.graph.output))]
    dynamic = [d for i in model.graph.input for d in i.type.tensor_type.shape.dim
               if not d.HasField('dim_value')]
    assert bool(dynamic) != (name in FIXED_BATCH)
    runs = [(given, recorded)]
    if name in MIXING_THE_BATCH:
        with mode(name):
            runs.append((larger, mxsym_outputs(*load(name), larger)))
    elif name not in FIXED_BATCH:   # each output's dynamic dim is its batch axis
        runs.append((larger, [with_first_item_again(out, next(
            a for a, d in enumerate(info.type.tensor_type.shape.dim)
            if not d.HasField('dim_value'))) for out, info in zip(recorded, model.graph.output)]))
    for values, expected in runs:
        outputs = session.run(None, values)
        assert len(outputs) == len([k for k in io if k.startswith('output')])
        for i, (ours, theirs) in enumerate(zip(outputs, expected)):
            np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-5,
                                       err_msg='output%d' % i)


def mxsym_outputs(symbol, args, aux, given):
    shapes = {n: v.shape for n, v in given.items()}
    shapes.update((n, v.shape) for n, v in list(args.items()) + list(aux.items()))
    exe = symbol.simple_bind(mx.cpu(), grad_req='null', **shapes)
    exe.copy_params_from(args, aux, allow_extra_params=True)
    return [o.asnumpy() for o in exe.forward(is_train=False, **{
        n: mx.nd.array(v) for n, v in given.items()})]


@pytest.mark.parametrize('name', ROUND_TRIPS)
def test_onnxruntime_and_the_round_trip_give_mxsyms_outputs(name, tmp_path):
    path = export(name, tmp_path / 'model.onnx', dynamic=False)
    given = model_inputs(name)
    with mode(name):
        symbol, args, aux = load(name)
        expected = mxsym_outputs(symbol, args, aux, dict(inputs(name)))
        imported, arg_params, aux_params = mx.onnx.import_model(path)
        round_trip = mxsym_outputs(imported, arg_params, aux_params, given)
    from_runtime = ort.InferenceSession(path, providers=['CPUExecutionProvider']).run(None,
                                                                                      given)
    for theirs, back, ours in zip(from_runtime, round_trip, expected):
        np.testing.assert_allclose(theirs, ours, rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(back, ours, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize('name', sorted(REFUSED))
def test_ops_without_an_onnx_form_are_named_at_once(name, tmp_path):
    with pytest.raises(MXNetError, match='nothing was written') as err:
        export(name, tmp_path / 'model.onnx')
    assert set(re.findall(r'^  \S+ \((\w+)\): ', str(err.value), re.M)) == REFUSED[name]
    assert not (tmp_path / 'model.onnx').exists()


def test_files_a_chosen_opset_and_metadata(tmp_path):
    """Paths of a checkpoint's files as sym and params; opset 18 (LayerNormalization, axes
    as inputs); MXNet's output names; the inputs and outputs `get_model_metadata` reads."""
    prefix = '%s/bert_tiny' % HERE
    given = model_inputs('bert_tiny')
    path = mx.onnx.export_model(prefix + '-symbol.json', prefix + '-0000.params',
                                [v.shape for v in given.values()],
                                onnx_file_path=str(tmp_path / 'bert.onnx'), opset_version=18)
    model = onnx.load(path)
    assert model.opset_import[0].version == 18
    assert 'LayerNormalization' in {n.op_type for n in model.graph.node}
    outputs = ort.InferenceSession(path, providers=['CPUExecutionProvider']).run(None, given)
    np.testing.assert_allclose(outputs[1], record('bert_tiny')['output1'], rtol=1e-4,
                               atol=1e-5)
    metadata = mx.onnx.get_model_metadata(path)
    assert metadata['input_tensor_data'] == [(n, v.shape) for n, v in given.items()]
    assert [n for n, _ in metadata['output_tensor_data']] == [
        n[:-len('_output')] for n in mx.sym.load(prefix + '-symbol.json').list_outputs()]


def test_export_command_writes_onnx_with_a_dynamic_batch(tmp_path, capsys):
    target = str(tmp_path / 'net.onnx')
    assert main(['export', '%s/mobilenet0_25' % HERE, '--format', 'onnx', '--input',
                 'data=?,3,32,32', '-o', target]) == 0
    session = ort.InferenceSession(target, providers=['CPUExecutionProvider'])
    images = model_inputs('mobilenet0_25')['data']
    expected = record('mobilenet0_25')['output0']
    for count in (1, 2):
        np.testing.assert_allclose(session.run(None, {'data': images[:count]})[0],
                                   expected[:count], rtol=1e-4, atol=1e-5)
    assert main(['export', '%s/mobilenet0_25' % HERE, '--format', 'onnx', '--input',
                 'images=?,3,32,32', '-o', target]) == 1
    assert "the model's inputs are data" in capsys.readouterr().err
