"""Each op's ONNX form (`OpDef.onnx`) checked by running both: onnxruntime on the exported op
gives mxsym's outputs, and `import_model` brings back a symbol that gives them too."""
import numpy as np
import pytest

import mxsym as mx

onnx = pytest.importorskip('onnx')
ort = pytest.importorskip('onnxruntime')

S = mx.sym
x, y, z = S.Variable('x'), S.Variable('y'), S.Variable('z')
IMAGE = {'x': (2, 3, 6, 5)}
ROWS = {'x': (2, 3, 4)}
PAIR = {'x': (2, 3, 4), 'y': (2, 3, 4)}
BROADCAST = {'x': (2, 3, 4), 'y': (1, 3, 1)}

# id: (symbol, input shapes, input values: 'normal' or a function of the rng and shape)
CASES = {
    'FullyConnected': (S.FullyConnected(x, num_hidden=5), ROWS),
    'FullyConnected-flatten=False': (S.FullyConnected(x, num_hidden=5, flatten=False), ROWS),
    'Activation-softrelu': (S.Activation(x, act_type='softrelu'), ROWS),
    'Activation-softsign': (S.Activation(x, act_type='softsign'), ROWS),
    'Convolution-grouped-dilated': (S.Convolution(x, kernel=(3, 2), num_filter=6, num_group=3,
                                                  pad=(1, 1), stride=(2, 1), dilate=(1, 2)),
                                    IMAGE),
    'Convolution-1d': (S.Convolution(x, kernel=(3,), num_filter=4, pad=(1,)), ROWS),
    'Deconvolution': (S.Deconvolution(x, kernel=(3, 3), num_filter=4, stride=(2, 2), pad=(1, 1),
                                      adj=(1, 0), no_bias=False), IMAGE),
    'Deconvolution-target_shape': (S.Deconvolution(x, kernel=(4, 4), num_filter=2,
                                                   stride=(2, 2), target_shape=(11, 9)), IMAGE),
    'Pooling-max-full': (S.Pooling(x, kernel=(3, 3), stride=(2, 2), pooling_convention='full'),
                         IMAGE),
    'Pooling-avg-pad': (S.Pooling(x, kernel=(3, 3), pad=(1, 1), pool_type='avg'), IMAGE),
    'Pooling-avg-excluding-pad': (S.Pooling(x, kernel=(3, 3), pad=(1, 1), pool_type='avg',
                                            count_include_pad=False), IMAGE),
    'Pooling-sum': (S.Pooling(x, kernel=(2, 2), stride=(2, 2), pool_type='sum'), IMAGE),
    'Pooling-lp': (S.Pooling(x, kernel=(2, 2), pool_type='lp', p_value=2), IMAGE),
    'Pooling-global-sum': (S.Pooling(x, global_pool=True, kernel=(1, 1), pool_type='sum'),
                           IMAGE),
    'BatchNorm': (S.BatchNorm(x, fix_gamma=False, eps=1e-3), IMAGE),
    'InstanceNorm': (S.InstanceNorm(x), IMAGE),
    'LayerNorm-axis1': (S.LayerNorm(x, axis=1), ROWS),
    'GroupNorm': (S.GroupNorm(x, num_groups=3), IMAGE),
    'L2Normalization-channel': (S.L2Normalization(x, mode='channel'), IMAGE),
    'L2Normalization-spatial': (S.L2Normalization(x, mode='spatial'), IMAGE),
    'LeakyReLU-prelu': (S.LeakyReLU(x, act_type='prelu'), IMAGE),
    'LeakyReLU-elu': (S.LeakyReLU(x, act_type='elu', slope=0.3), ROWS),
    'LeakyReLU-selu': (S.LeakyReLU(x, act_type='selu'), ROWS),
    'LeakyReLU-gelu': (S.LeakyReLU(x, act_type='gelu'), ROWS),
    'LeakyReLU-rrelu': (S.LeakyReLU(x, act_type='rrelu'), ROWS),
    'Embedding': (S.Embedding(x, input_dim=5, output_dim=3), {'x': (2, 4)}, 'indices'),
    'Dropout': (S.Dropout(x, p=0.3), ROWS),
    'elemwise_div': (x / y, PAIR, 'positive'),
    '_maximum': (S.maximum(x, y), PAIR),
    '_not_equal': (x != y, PAIR, 'integers'),
    '_rminus_scalar': (3 - x, ROWS),
    '_rdiv_scalar': (2 / x, ROWS, 'positive'),
    '_power_scalar': (x ** 2, ROWS),
    '_lesser_equal_scalar': (x <= 0.5, ROWS),
    'broadcast_sub': (S.broadcast_sub(x, y), BROADCAST),
    'broadcast_greater': (S.broadcast_greater(x, y), BROADCAST),
    'broadcast_logical_or': (S.broadcast_logical_or(x, y), BROADCAST, 'integers'),
    'unary-chain': (S.rsqrt(S.square(S.abs(x)) + 1) + S.erf(x) + S.arctan(x) - S.ones_like(x),
                    ROWS),
    'hard_sigmoid': (S.hard_sigmoid(x, alpha=0.3, beta=0.4), ROWS),
    'clip': (S.clip(x, -0.5, 0.7), ROWS),
    'softmax-temperature': (S.softmax(x, axis=1, temperature=2.0), ROWS),
    'softmax-length': (S.softmax(x, S.Variable('length'), axis=-1, use_length=True),
                       {'x': (2, 3, 4), 'length': (2, 3)}, 'lengths'),
    'log_softmax': (S.log_softmax(x, axis=0), ROWS),
    'softmin': (S.softmin(x), ROWS),
    'SoftmaxOutput-multi_output': (S.SoftmaxOutput(x, multi_output=True), IMAGE),
    'SoftmaxOutput-4d': (S.SoftmaxOutput(x), IMAGE),
    'LogisticRegressionOutput': (S.LogisticRegressionOutput(x), ROWS),
    'Reshape-codes': (S.Reshape(x, shape=(0, -3, -2)), IMAGE),
    'Reshape-reverse': (S.Reshape(x, shape=(-1, 0), reverse=True), ROWS),
    'broadcast_to': (S.broadcast_to(y, shape=(2, 3, 4)), {'y': (1, 3, 1)}),
    'Concat': (S.Concat(x, y, dim=2), PAIR),
    'SliceChannel-squeeze': (S.SliceChannel(x, num_outputs=3, axis=1, squeeze_axis=True), ROWS),
    'transpose': (S.transpose(x, axes=(2, 0, 1)), ROWS),
    'SwapAxis': (S.SwapAxis(x, dim1=0, dim2=2), ROWS),
    'expand_dims': (S.expand_dims(x, axis=-1), ROWS),
    'slice_axis': (S.slice_axis(x, axis=2, begin=1, end=None), ROWS),
    'stack': (S.stack(x, y, axis=1), PAIR),
    'tile': (S.tile(x, reps=(2, 1, 1, 2)), ROWS),
    'repeat': (S.repeat(x, repeats=2, axis=1), ROWS),
    'repeat-flat': (S.repeat(x, repeats=3), ROWS),
    'Pad-reflect': (S.Pad(x, mode='reflect', pad_width=(0, 0, 0, 0, 1, 2, 2, 1)), IMAGE),
    'Pad-constant': (S.Pad(x, mode='constant', constant_value=1.5,
                           pad_width=(0, 0, 0, 0, 1, 0, 0, 2)), IMAGE),
    'Cast': (S.Cast(x, dtype='float64'), ROWS),
    'batch_dot-transposed': (S.batch_dot(x, y, transpose_b=True), PAIR),
    'div_sqrt_dim': (S.contrib.div_sqrt_dim(x), ROWS),
    'interleaved_encdec': (S.contrib.interleaved_matmul_encdec_valatt(
        y, S.contrib.interleaved_matmul_encdec_qk(x, y, heads=2), heads=2),
        {'x': (3, 2, 4), 'y': (5, 2, 8)}),
    'SequenceMask': (S.SequenceMask(x, S.Variable('lengths'), use_sequence_length=True,
                                    value=-2.0, axis=1), {'x': (2, 3, 4), 'lengths': (2,)},
                     'lengths'),
    'arange_like': (x + S.contrib.arange_like(x, start=1.0, step=0.5, repeat=2), ROWS),
    'AdaptiveAvgPooling2D': (S.contrib.AdaptiveAvgPooling2D(x, output_size=(4, 3)), IMAGE),
    'BilinearResize2D-half-pixel': (S.contrib.BilinearResize2D(x, height=9, width=4,
                                                               align_corners=False), IMAGE),
    'MultiBoxPrior': (S.contrib.MultiBoxPrior(x, sizes=(0.5, 0.25), ratios=(1, 2)), IMAGE),
    '_zeros-like-batch': (x + S.zeros(shape=(0, 3, 4)), ROWS),
    'sum-exclude': (S.sum(x, axis=1, exclude=True, keepdims=True), ROWS),
    'max-all': (S.max(x), ROWS),
    'mean-prod-min': (S.mean(x, axis=(0, 2)) + S.prod(x, axis=0).min(axis=1), ROWS),
    'argmax': (S.argmax(x, axis=1), ROWS),
    'argmin-all': (S.argmin(x), ROWS),
    '_split_v2': (S.split_v2(x, indices_or_sections=(1, 3), axis=2)[1], ROWS),
    'numpy-reductions': (S._internal._np_sum(x, axis=(1,)) * S._internal._npi_mean(x, axis=(1,))
                         - S._internal._np_max(x, axis=(1,), keepdims=False), ROWS),
    '_npi_full_like': (S._internal._npi_add(x, S._internal._npi_full_like(x, fill_value=2.5)),
                       ROWS),
    '_npi_argmax': (S._internal._npi_argmax(x, axis=2), ROWS),
    'pick-wrap': (S.pick(x, y, axis=1, mode='wrap', keepdims=True), {'x': (2, 3, 4), 'y': (2, 4)},
                  'indices'),
    'take-clip': (S.take(x, y, axis=1), {'x': (2, 3, 4), 'y': (2, 2)}, 'indices'),
    'one_hot': (S.one_hot(y, depth=4, on_value=2.0, off_value=-1.0), {'y': (2, 3)}, 'indices'),
    'slice-steps': (S.slice(x, begin=(None, 2, 1), end=(None, 0, None), step=(1, -1, 2)), ROWS),
    '_npi_einsum': (S._internal._npi_einsum(x, y, subscripts='bij,bkj->bik'), PAIR),
    '_np_dot': (S._internal._np_dot(x, S.Variable('w')), {'x': (2, 3, 4), 'w': (4, 5)}),
    '_np_cumsum': (S._internal._np_cumsum(x, axis=1), ROWS),
    '_npi_var-_npi_std': (S._internal._npi_add(
        S._internal._npi_var(x, axis=(1,), ddof=1), S._internal._npi_std(x, axis=(1,))), ROWS),
    '_npi_norm': (S._internal._npi_norm(x, axis=(2,), flag=-1, ord=1.0), ROWS),
    '_npi_zeros-broadcast_to': (S._internal._npi_add(x, S._internal._npi_broadcast_to(
        S._internal._npi_zeros(shape=(3, 1)), shape=(2, 3, 4))), ROWS),
    'RNN-bidirectional-lstm': (S.RNN(x, S.Variable('params'), S.Variable('h'), S.Variable('c'),
                                     mode='lstm', state_size=3, num_layers=2, bidirectional=True,
                                     state_outputs=True), {'x': (5, 2, 4)}),
    'RNN-rnn_relu-lengths': (S.RNN(x, S.Variable('params'), S.Variable('h'),
                                   sequence_length=S.Variable('len'), mode='rnn_relu',
                                   state_size=3, num_layers=1, use_sequence_length=True),
                             {'x': (5, 2, 4), 'len': (2,)},
                             'lengths'),
}


def _values(rng, shapes, kind):
    values = {}
    for name, shape in shapes.items():
        if kind == 'indices' or (kind == 'lengths' and name in ('length', 'lengths', 'len')):
            low = 1 if kind == 'lengths' else -1   # out-of-range indices clip
            values[name] = rng.randint(low, 6, shape).astype('float32')
        elif kind == 'integers':
            values[name] = rng.randint(0, 3, shape).astype('float32')
        else:
            values[name] = rng.normal(size=shape).astype('float32')
            if kind == 'positive':
                values[name] = np.abs(values[name]) + 0.5
    return values


def _outputs(symbol, values, params):
    values = {n: v for n, v in values.items() if n in symbol.list_arguments()}
    exe = symbol.simple_bind(mx.cpu(), grad_req='null', **{n: v.shape for n, v in values.items()})
    exe.copy_params_from({k: v for k, v in params.items() if k in exe.arg_dict},
                         {k: v for k, v in params.items() if k in exe.aux_dict})
    return [o.asnumpy() for o in exe.forward(is_train=False, **{
        n: mx.nd.array(v) for n, v in values.items()})]


# cases whose ONNX form changes with the opset, also run at a recent one
NEWER_OPSET_CASES = ['GroupNorm', 'L2Normalization-channel', 'LayerNorm-axis1', 'LeakyReLU-gelu',
                     'SliceChannel-squeeze', 'expand_dims', 'mean-prod-min']
NEWER_OPSET = 21


@pytest.mark.parametrize('case, opset', [(case, 13) for case in sorted(CASES)]
                         + [(case, NEWER_OPSET) for case in NEWER_OPSET_CASES])
def test_onnxruntime_and_import_give_mxsyms_outputs(case, opset, tmp_path):
    symbol, shapes, kind = (CASES[case] + ('normal',))[:3]
    rng = np.random.RandomState(0)
    arg_shapes, _, aux_shapes = symbol.infer_shape(**shapes)
    params = {n: mx.nd.array(rng.uniform(0.5, 1.5, s).astype('float32'))
              for n, s in zip(symbol.list_arguments() + symbol.list_auxiliary_states(),
                              arg_shapes + aux_shapes) if n not in shapes}
    values = _values(rng, shapes, kind)
    expected = _outputs(symbol, values, params)
    path = str(tmp_path / 'op.onnx')
    in_shapes = [shapes[n] for n in symbol.list_arguments() if n in shapes]
    mx.onnx.export_model(symbol, params, in_shapes, onnx_file_path=path, opset_version=opset)
    onnx.checker.check_model(onnx.load(path), full_check=True)
    session = ort.InferenceSession(path, providers=['CPUExecutionProvider'])
    for ours, theirs in zip(session.run(None, values), expected):
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-5)
    imported, arg_params, aux_params = mx.onnx.import_model(path)
    for ours, theirs in zip(_outputs(imported, values, dict(arg_params, **aux_params)),
                            expected):
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-5)
