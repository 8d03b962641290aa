"""mx.mod.Module: fit, score, predict and checkpoints against MXNet 1.9.1, the plain
forward/backward/update API, and data parallelism over two devices."""
import json
import os
import re
import subprocess
import sys

import jax
import numpy as np
import pytest

import mxsym as mx
from mxsym import ndarray_file, updater_states
from mxsym.module.fused_step import FusedTrainStep
from module_golden import generator, load_arrays, load_json, train_by_hand

FIT_GOLDEN = load_json('fit.json')
FIT_ARRAYS = load_arrays()
CASES = {case.name: case for case in generator.FIT_CASES}
# float32 weights after up to 12 updates: both sides round each step's sums differently, so
# the final values differ by a few ulps (about 4e-7 seen); the default float32 tolerances hold.
RTOL, ATOL = 1e-4, 1e-5
GOLDEN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'golden', 'module')
NUMBER = re.compile(r'-?\d+\.\d+')


def _assert_arrays_match(case_name, arrays, prefix=''):
    for key, value in arrays.items():
        if key.startswith(prefix):
            np.testing.assert_allclose(value, FIT_ARRAYS['%s/%s' % (case_name, key)],
                                       rtol=RTOL, atol=ATOL, err_msg=key)


def _assert_lines_match(lines, want_lines):
    assert [NUMBER.sub('#', line) for line in lines] == [NUMBER.sub('#', l) for l in want_lines]
    got = [float(x) for line in lines for x in NUMBER.findall(line)]
    want = [float(x) for line in want_lines for x in NUMBER.findall(line)]
    # printed with six decimals: the last one may round the other way
    np.testing.assert_allclose(got, want, rtol=0, atol=2e-6)


def _assert_same_contents(got, want, where):
    """Equal structure (keys in order, dtypes, shapes) and values within the tolerances."""
    assert type(got) is type(want), where
    if isinstance(want, dict):
        assert list(got) == list(want), where
        for key in want:
            _assert_same_contents(got[key], want[key], '%s/%s' % (where, key))
    elif isinstance(want, (list, tuple)):
        assert len(got) == len(want), where
        for i, (g, w) in enumerate(zip(got, want)):
            _assert_same_contents(g, w, '%s/%d' % (where, i))
    elif isinstance(want, mx.nd.NDArray):
        assert got.dtype == want.dtype, where
        np.testing.assert_allclose(got.asnumpy(), want.asnumpy(), rtol=RTOL, atol=ATOL,
                                   err_msg=where)
    else:
        assert got == want, where


def _read_params(content):
    return {k: mx.nd.array(v, dtype=v.dtype) for k, v in ndarray_file.loads(content).items()}


def _write_params(params):
    return ndarray_file.dumps(list(params), [value.asnumpy() for value in params.values()])


CHECKPOINT_CODECS = {'params': (_read_params, _write_params),
                     'states': (updater_states.loads, updater_states.dumps)}


def _assert_checkpoint_files_match(name, files):
    for suffix, (read, write) in CHECKPOINT_CODECS.items():
        with open(os.path.join(GOLDEN_DIR, '%s.%s' % (name, suffix)), 'rb') as f:
            want = f.read()
        # the format: MXNet's file read and written again by mxsym gives its bytes back
        assert write(read(want)) == want, suffix
        # the contents: ours holds the same entries; the values differ by float32 rounding
        _assert_same_contents(read(files[suffix]), read(want), suffix)


@pytest.mark.parametrize('name', sorted(CASES))
def test_fit_matches_mxnet(name):
    lines, arrays, checkpoint = generator.run_fit_case(mx, CASES[name])
    want = FIT_GOLDEN[name]
    _assert_lines_match(lines, want['lines'])
    _assert_arrays_match(name, arrays)
    assert checkpoint['symbol_json'] == want['checkpoint']['symbol_json']
    assert checkpoint['params'] == want['checkpoint']['params']
    _assert_checkpoint_files_match(name, checkpoint['files'])


def test_forward_backward_update_give_fits_weights():
    """The unfused step (three calls, the optimizer on NDArrays) trains as fit's fused one."""
    mod, _, arrays = train_by_hand(mx, 'mlp_adam')
    _assert_arrays_match('mlp_adam', arrays)
    assert mod.output_shapes == [('softmax_output', (8, 3))]
    assert [(d.name, d.shape) for d in mod.data_shapes] == [('data', (8, 8))]


def test_mxnet_checkpoint_loads_and_saves_back_the_same_bytes(tmp_path):
    name, epochs = 'mlp_adam', CASES['mlp_adam'].epochs
    mxnet_prefix, prefix = str(tmp_path / 'mxnet'), str(tmp_path / 'mxsym')
    with open(mxnet_prefix + '-symbol.json', 'w') as f:
        f.write(FIT_GOLDEN[name]['checkpoint']['symbol_json'])
    for suffix in CHECKPOINT_CODECS:
        with open(os.path.join(GOLDEN_DIR, '%s.%s' % (name, suffix)), 'rb') as src, \
                open('%s-%04d.%s' % (mxnet_prefix, epochs, suffix), 'wb') as dst:
            dst.write(src.read())
    mod = mx.mod.Module.load(mxnet_prefix, epochs, load_optimizer_states=True)
    data, label, _ = generator.fit_data('mlp')
    train = mx.io.NDArrayIter(data, label, batch_size=generator.BATCH_SIZE)
    mod.bind(train.provide_data, train.provide_label)
    mod.init_optimizer(optimizer='adam')
    np.testing.assert_allclose(mod.predict(train).asnumpy(), FIT_ARRAYS[name + '/predict'],
                               rtol=RTOL, atol=ATOL)
    mod.save_checkpoint(prefix, epochs, save_optimizer_states=True)
    for suffix in ('-symbol.json', '-%04d.params' % epochs, '-%04d.states' % epochs):
        with open(mxnet_prefix + suffix, 'rb') as mxnet_file, open(prefix + suffix, 'rb') as ours:
            assert ours.read() == mxnet_file.read(), suffix
    mod.set_params({k: v * 0 for k, v in mod.get_params()[0].items()}, {})
    mod.load_params('%s-%04d.params' % (prefix, epochs))
    np.testing.assert_allclose(mod.predict(train).asnumpy(), FIT_ARRAYS[name + '/predict'],
                               rtol=RTOL, atol=ATOL)
    # a batch of another size rebinds for it (without labels, which MXNet warns about)
    with pytest.warns(UserWarning, match="label_shapes don't match names"):
        assert mod.predict(mx.nd.ones((3, 8))).shape == (3, 3)


def test_input_gradients():
    net = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(mx.sym.Variable('data'), num_hidden=3,
                                                     no_bias=True, name='fc'), name='softmax')
    mod = mx.mod.Module(net)
    mod.bind([('data', (4, 5))], [('softmax_label', (4,))], inputs_need_grad=True)
    weight = np.random.RandomState(0).randn(3, 5).astype('float32')
    mod.init_params(arg_params={'fc_weight': mx.nd.array(weight)})
    data = np.random.RandomState(1).randn(4, 5).astype('float32')
    label = np.array([0, 2, 1, 2], dtype='float32')
    mod.forward_backward(mx.io.DataBatch([mx.nd.array(data)], [mx.nd.array(label)]))
    logits = data @ weight.T
    probs = np.exp(logits - logits.max(1, keepdims=True))
    probs /= probs.sum(1, keepdims=True)
    want = (probs - np.eye(3)[label.astype(int)]) @ weight
    np.testing.assert_allclose(mod.get_input_grads()[0].asnumpy(), want, rtol=RTOL, atol=ATOL)


def test_misuse_is_refused():
    net = generator.mlp(mx)
    with pytest.raises(ValueError, match="input with name 'x' is not found"):
        mx.mod.Module(net, data_names=('x',))
    mod = mx.mod.Module(net)
    with pytest.raises(mx.MXNetError, match='call bind before initializing'):
        mod.init_params()
    with pytest.raises(ValueError, match="don't match names specified by data_names"):
        mod.bind([('input', (2, 8))])
    with pytest.raises(mx.MXNetError, match='num_epoch'):
        mod.fit(mx.io.NDArrayIter(np.zeros((4, 8)), np.zeros(4)))


def test_kvstore_sums_pushes_and_applies_the_optimizer():
    kv = mx.kv.create('device')
    assert (kv.type, kv.rank, kv.num_workers) == ('device', 0, 1)
    kv.init(['w', 'u'], [mx.nd.ones((2,)), mx.nd.zeros((2,))])
    kv.push('w', [mx.nd.ones((2,)) * 2, mx.nd.ones((2,)) * 3])
    out = mx.nd.zeros((2,))
    kv.pull('w', out=out)
    assert out.asnumpy().tolist() == [5, 5]
    kv.set_optimizer(mx.optimizer.create('sgd', learning_rate=0.5))
    kv.pushpull('u', mx.nd.ones((2,)), out=out)
    assert out.asnumpy().tolist() == [-0.5, -0.5]
    with pytest.raises(mx.MXNetError, match="'dist_async' is not supported"):
        mx.kv.create('dist_async')
    with pytest.raises(mx.MXNetError, match="key 'v' has not been initialized"):
        kv.push('v', mx.nd.ones((2,)))


TWO_DEVICES = r'''
import json, sys
sys.path.insert(0, sys.argv[1])
import numpy as np
import mxsym as mx
from mxsym import ndarray_file, updater_states
from module_golden import generator, load_arrays, train_by_hand
contexts = [mx.cpu(0), mx.cpu(1)]
golden = load_arrays()
case = [c for c in generator.FIT_CASES if c.name == 'convnet_adam'][0]
lines, fitted, _ = generator.run_fit_case(mx, case, context=contexts)
mod, _, by_hand = train_by_hand(mx, 'mlp_sgd_momentum', context=contexts)
data = mod._exec.arg_dict['data']._data
report = {'lines': lines, 'devices': [c.jax_device.id for c in contexts],
          'data_shards': [list(shard.data.shape) for shard in data.addressable_shards]}
for name, arrays in (('convnet_adam', fitted), ('mlp_sgd_momentum', by_hand)):
    report[name] = max(float(np.max(np.abs(v - golden[name + '/' + k]))) for k, v in arrays.items())
print(json.dumps(report))
'''


def test_two_devices_give_single_device_results():
    """Module(context=[cpu(0), cpu(1)]) splits each batch over two (forced) CPU devices."""
    env = dict(os.environ, XLA_FLAGS='--xla_force_host_platform_device_count=2',
               PYTHONPATH=os.pathsep.join([os.path.dirname(os.path.dirname(mx.__file__)),
                                           os.environ.get('PYTHONPATH', '')]))
    tests_dir = os.path.dirname(os.path.abspath(__file__))
    result = subprocess.run([sys.executable, '-c', TWO_DEVICES, tests_dir], env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report['devices'] == [0, 1] and report['data_shards'] == [[4, 8], [4, 8]]
    # fit (fused step) and the plain API (unfused): the devices sum their halves of the batch
    # before adding them, a few ulps from the single-device sums
    for name in ('convnet_adam', 'mlp_sgd_momentum'):
        assert report[name] < ATOL, (name, report[name])
    _assert_lines_match(report['lines'], FIT_GOLDEN['convnet_adam']['lines'])


def test_cpu_contexts_beyond_the_devices_share_them():
    """As in MXNet, cpu(i) for any i is host memory: on one CPU device, a Module over three
    CPU contexts trains as on one."""
    assert mx.cpu(3).jax_device == mx.cpu(0).jax_device == jax.local_devices()[0]
    assert (mx.nd.ones((2,), ctx=mx.cpu(3)) + 1).context == mx.cpu(3)
    _, fitted, _ = generator.run_fit_case(mx, CASES['convnet_adam'],
                                          context=[mx.cpu(0), mx.cpu(1), mx.cpu(2)])
    assert max(float(np.max(np.abs(v - FIT_ARRAYS['convnet_adam/' + k])))
               for k, v in fitted.items()) < ATOL


@pytest.mark.parametrize('saved, message', [
    ([mx.nd.ones((2,))], 'it holds a list of arrays'),
    ({'weight': mx.nd.ones((2,))}, "key 'weight' is not arg:<name> or aux:<name>"),
], ids=['list', 'unprefixed'])
def test_load_params_refuses_files_without_arg_and_aux_names(tmp_path, saved, message):
    fname = str(tmp_path / 'other.params')
    mx.nd.save(fname, saved)
    mod = mx.mod.Module(mx.sym.FullyConnected(mx.sym.var('data'), num_hidden=2, name='fc'),
                        label_names=None)
    mod.bind([('data', (1, 2))])
    mod.init_params()
    before = mod.get_params()[0]['fc_weight'].asnumpy()
    with pytest.raises(ValueError, match='Invalid param file .*other.params: ' + message):
        mod.load_params(fname)
    np.testing.assert_array_equal(mod.get_params()[0]['fc_weight'].asnumpy(), before)


def _trained_mlp_module():
    net = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(mx.sym.var('data'), num_hidden=3,
                                                     name='fc'), name='softmax')
    data = mx.io.NDArrayIter(np.ones((4, 5), np.float32), np.zeros(4, np.float32),
                             batch_size=2)
    mod = mx.mod.Module(net)
    mod.fit(data, num_epoch=1, optimizer='sgd')
    return mod, data


def test_fit_runs_one_fused_program_until_a_monitor_watches():
    mod, data = _trained_mlp_module()
    assert isinstance(mod._fused_step, FusedTrainStep)
    monitor = mx.mon.Monitor(1)
    mod.install_monitor(monitor)
    assert mod._fused_step is None
    data.reset()
    monitor.tic()
    mod.forward_backward(next(data))
    assert 'fc_output' in [name for _, name, _ in monitor.toc()]


def test_fused_step_is_rebuilt_after_the_optimizer_changes():
    mod, _ = _trained_mlp_module()
    first = mod._fused_step
    mod.init_optimizer(optimizer='adam', force_init=True)
    assert isinstance(mod._fused_step, FusedTrainStep) and mod._fused_step is not first
    assert mod._fused_step.optimizer is mod._optimizer


@pytest.mark.parametrize('for_training', [True, False])
def test_exec_group_shows_the_bound_executor_as_mxnets_group(for_training):
    fc = mx.sym.FullyConnected(mx.sym.Variable('data'), num_hidden=3, name='fc')
    out = mx.sym.SoftmaxOutput(mx.sym.BatchNorm(fc, name='bn'), name='softmax')
    mod = mx.mod.Module(out)
    assert mod._exec_group is None
    mod.bind(data_shapes=[('data', (4, 5))], label_shapes=[('softmax_label', (4,))],
             for_training=for_training)
    group = mod._exec_group
    [exe] = group.execs
    assert exe is mod._exec and group.contexts == [mx.cpu()] and group.symbol is out
    assert (group.batch_size, group.slices) == (4, [slice(0, 4)])
    assert (group.data_names, group.label_names) == (['data'], ['softmax_label'])
    assert group.param_names == ['fc_weight', 'fc_bias', 'bn_gamma', 'bn_beta']
    assert group.aux_names == ['bn_moving_mean', 'bn_moving_var']
    assert group.output_names == ['softmax_output'] and group.state_names == []
    assert (group.for_training, group.inputs_need_grad) == (for_training, False)
    assert [[(s, a.shape) for s, a in x] for x in group.data_arrays] == [[(slice(0, 4), (4, 5))]]
    assert [[(s, a.shape) for s, a in x] for x in group.label_arrays] == [[(slice(0, 4), (4,))]]
    assert [[a.shape for a in x] for x in group.param_arrays] == [[(3, 5)], [(3,)], [(3,)], [(3,)]]
    assert group.param_arrays[0][0] is exe.arg_dict['fc_weight']
    grads = group.grad_arrays
    assert ([[a.shape for a in x] for x in grads] if for_training else grads) == \
        ([[(3, 5)], [(3,)], [(3,)], [(3,)]] if for_training else None)
    assert [[a.shape for a in x] for x in group.aux_arrays] == [[(3,)], [(3,)]]
    assert group.input_grad_arrays is None and group.state_arrays == []
