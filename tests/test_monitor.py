"""Monitor callbacks, mx.mon.Monitor and Executor.debug_str against MXNet 1.9.1
(tests/golden/monitor/, written by tests/golden/make_monitor_golden.py)."""
import ctypes
import importlib.util
import json
import logging
import os
import sys

import numpy as np
import pytest

import mxsym as mx
from mxsym.compiled_graph import CompiledGraph
from mxsym.lower import GraphProgram
from mxsym.monitor import monitored_slots

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'golden')
sys.path.insert(0, GOLDEN)
sys.path.insert(0, os.path.join(GOLDEN, os.pardir, 'ops'))
from golden_case import build_symbol  # noqa: E402
from op_cases import families  # noqa: E402


def _load_generator():
    spec = importlib.util.spec_from_file_location(
        'make_monitor_golden', os.path.join(GOLDEN, 'make_monitor_golden.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


golden = _load_generator()
with open(os.path.join(golden.OUT_DIR, 'nets.json')) as f:
    NETS = json.load(f)
with open(os.path.join(golden.OUT_DIR, 'op_names.json')) as f:
    OP_NAMES = json.load(f)


@pytest.mark.parametrize('family', sorted(families()))
def test_every_op_reports_inputs_and_outputs_under_mxnet_names(family):
    wrong = {}
    for spec in families()[family]():
        spec = json.loads(json.dumps(spec))
        sym = build_symbol(mx, spec)
        names = [name for name, _ in monitored_slots(sym, GraphProgram(sym), monitor_all=True)]
        if names != OP_NAMES[family][spec['id']]:
            wrong[spec['id']] = (names, OP_NAMES[family][spec['id']])
    assert not wrong, 'mxsym names, MXNet names: %s' % wrong


@pytest.mark.parametrize('case', sorted(OP_NAMES['without_golden_cases']))
def test_more_ops_report_under_mxnet_names(case):
    recorded = OP_NAMES['without_golden_cases'][case]
    sym = mx.sym.load_json(recorded['symbol'])
    names = [name for name, _ in monitored_slots(sym, GraphProgram(sym), monitor_all=True)]
    assert names == recorded['names']


def assert_stat_close(got, want, name):
    assert got == pytest.approx(want, rel=1e-4, abs=1e-5), name


@pytest.mark.parametrize('net', sorted(golden.NETS))
@pytest.mark.parametrize('key', ['infer/outputs', 'infer/all', 'train/outputs', 'train/all'])
def test_callback_sees_each_value_as_mxnet_does(net, key):
    build, shapes = golden.NETS[net]
    mode, which = key.split('/')
    seen = golden.reports(mx, golden.bind(mx, build, shapes), mode == 'train', which == 'all')
    want = NETS[net]['reports'][key]
    assert [(n, s) for n, s, _ in seen] == [(n, s) for n, s, _ in want]
    for (name, _, got), (_, _, expected) in zip(seen, want):
        if expected is not None:
            assert_stat_close(got, expected, name)


@pytest.mark.parametrize('net', sorted(golden.NETS))
@pytest.mark.parametrize('case', sorted(golden.MONITOR_CASES))
def test_monitor_statistics_match_mxnet(net, case):
    build, shapes = golden.NETS[net]
    got = golden.monitor_batches(mx, golden.bind(mx, build, shapes), **golden.MONITOR_CASES[case])
    want = NETS[net]['monitor'][case]
    assert [[item[:2] for item in batch] for batch in got] == \
        [[item[:2] for item in batch] for batch in want]
    for batch, expected_batch in zip(got, want):
        for (_, name, text), (_, _, expected) in zip(batch, expected_batch):
            if expected is not None:
                assert text.endswith('\t'), name
                assert_stat_close(float(text), float(expected), name)


def _array_of(handle):
    return mx.nd.NDArray(ctypes.cast(handle, mx.base.NDArrayHandle), writable=False)


def test_callback_gets_the_name_as_bytes_and_the_array_as_a_handle():
    build, shapes = golden.NETS['mlp']
    exe = golden.bind(mx, build, shapes, grad_req='null')
    seen = []
    exe.set_monitor_callback(
        lambda name, handle: seen.append((name, handle, _array_of(handle).asnumpy())))
    out = exe.forward()[0].asnumpy()
    name, handle, values = seen[-1]
    assert name == b'softmax_output' and isinstance(handle, int)
    np.testing.assert_array_equal(values, out)


def test_callback_stays_installed_through_executor_and_module_reshapes():
    data = mx.sym.Variable('data')
    sym = mx.sym.Convolution(data, kernel=(1, 1), num_filter=1, name='conv')
    seen = []

    def callback(name, handle):
        seen.append((name.decode(), _array_of(handle).shape))
    exe = sym.simple_bind(mx.cpu(), grad_req='null', data=(1, 3, 4, 4))
    exe.set_monitor_callback(callback)
    exe.reshape(allow_up_sizing=True, data=(2, 3, 4, 4)).forward()
    assert seen == [('conv_output', (2, 1, 4, 4))]

    seen.clear()
    mod = mx.mod.Module(sym, label_names=None)
    mod.bind(for_training=False, data_shapes=[('data', (1, 3, 4, 4))])
    mod.init_params()
    mod._exec_group.execs[0].set_monitor_callback(callback, monitor_all=True)
    mod.forward(mx.io.DataBatch([mx.nd.ones((1, 3, 4, 6))]), is_train=False)
    assert seen == [('data', (1, 3, 4, 6)), ('conv_data', (1, 3, 4, 6)),
                    ('conv_weight', (1, 3, 1, 1)), ('conv_weight', (1, 3, 1, 1)),
                    ('conv_bias', (1,)), ('conv_bias', (1,)), ('conv_output', (1, 1, 4, 6))]


def test_toc_print_logs_one_line_per_statistic(caplog):
    build, shapes = golden.NETS['mlp']
    exe = golden.bind(mx, build, shapes)
    mon = mx.mon.Monitor(1, pattern='fc1_output')
    mon.install(exe)
    mon.tic()
    exe.forward(is_train=False)
    with caplog.at_level(logging.INFO):
        mon.toc_print()
    want = [item for item in NETS['mlp']['reports']['infer/outputs'] if item[0] == 'fc1_output']
    assert len(caplog.records) == 1 and len(want) == 1
    message = caplog.records[0].getMessage()
    assert message.startswith('Batch:       1 fc1_output                     ')
    assert_stat_close(float(message.split()[-1]), want[0][2], 'fc1_output')


def test_custom_statistic_may_give_several_arrays():
    build, shapes = golden.NETS['mlp']
    exe = golden.bind(mx, build, shapes)
    mon = mx.mon.Monitor(1, stat_func=lambda x: [mx.nd.max(x), mx.nd.min(x, axis=0)],
                         pattern='fc1_output')
    mon.install(exe)
    mon.tic()
    exe.forward()
    [(step, name, text)] = mon.toc()
    args = {k: v.asnumpy() for k, v in exe.arg_dict.items()}
    fc1 = args['data'] @ args['fc1_weight'].T + args['fc1_bias']
    assert (step, name) == (1, 'fc1_output')
    scalar, array, tail = text.split('\t')
    assert tail == '' and array.startswith('[') and array.endswith(']')
    np.testing.assert_allclose(np.array(array[1:-1].split(), dtype=np.float32), fc1.min(axis=0),
                               rtol=1e-4, atol=1e-5)
    assert_stat_close(float(scalar), float(fc1.max()), name)


@pytest.mark.parametrize('net', sorted(NETS))
def test_debug_str_is_mxnets_text(net):
    if net == 'docstring_example':
        with mx.name.NameManager():
            exe = golden.docstring_example(mx).bind(mx.cpu(), {'a': mx.nd.array([1, 2])})
    else:
        build, shapes = golden.NETS[net]
        exe = golden.bind(mx, build, shapes, grad_req='null')
    assert exe.debug_str() == NETS[net]['debug_str']


def test_runs_without_a_callback_compile_no_monitor_program(monkeypatch):
    asked = []
    all_values = CompiledGraph.all_values
    monkeypatch.setattr(CompiledGraph, 'all_values',
                        lambda self, is_train: asked.append(is_train) or all_values(self, is_train))
    build, shapes = golden.NETS['mlp']
    exe = golden.bind(mx, build, shapes)
    plain = exe.forward(is_train=False)[0].asnumpy()
    exe.forward(is_train=True)
    assert asked == []
    seen = []
    exe.set_monitor_callback(lambda name, array: seen.append(name.decode()))
    np.testing.assert_array_equal(exe.forward(is_train=False)[0].asnumpy(), plain)
    assert seen[-1] == 'softmax_output'
    assert asked == [False]
