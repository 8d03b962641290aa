"""The ``mxsym`` command (mxsym/cli.py) on small MXNet 1.9.1 model files: a symbol-API
checkpoint (golden/checkpoint) and a Gluon export (golden/gluon)."""
import io
import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest

import mxsym as mx
from mxsym.cli import main

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'golden')
CHECKPOINT = os.path.join(GOLDEN, 'checkpoint', 'small')
EXPORT = os.path.join(GOLDEN, 'gluon', 'resnet18_v1')


def mxsym_cli(*argv):
    """(exit status, stdout, stderr text) of one in-process run."""
    out = io.StringIO()
    err = io.StringIO()
    saved, sys.stderr = sys.stderr, err
    try:
        status = main(list(argv), out=out)
    finally:
        sys.stderr = saved
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize('prefix, epoch, inputs', [
    (CHECKPOINT, 3, 'data unknown, softmax_label unknown'), (EXPORT, 0, 'data unknown')],
    ids=['checkpoint', 'gluon'])
def test_info_lists_inputs_outputs_ops_and_parameter_sizes(prefix, epoch, inputs):
    status, out, err = mxsym_cli('info', prefix)
    assert status == 0
    with open(prefix + '-symbol.json') as handle:
        graph = json.load(handle)
    ops = {}
    for node in graph['nodes']:
        if node['op'] != 'null':
            ops[node['op']] = ops.get(node['op'], 0) + 1
    listed = dict(re.findall(r'^  (\S+) +(\d+)$', out, re.M))
    assert {op: int(n) for op, n in listed.items()} == ops
    assert 'inputs:  %s\n' % inputs in out
    assert 'outputs: %s unknown\n' % ', '.join(
        mx.sym.load(prefix + '-symbol.json').list_outputs()) in out
    arrays = list(mx.nd.load('%s-%04d.params' % (prefix, epoch)).values())
    values = sum(a.size for a in arrays)
    size = sum(a.asnumpy().nbytes for a in arrays)
    assert '%d arrays' % len(arrays) in out
    assert '{:,} values, {:,} bytes (float32 {:,})\n'.format(values, size, size) in out
    assert re.search(r'loading .*-%04d\.params\.\.\. \d+\.\d\d s' % epoch, err)


def test_info_without_params_file(tmp_path):
    (tmp_path / 'net-symbol.json').write_bytes(open(CHECKPOINT + '-symbol.json', 'rb').read())
    status, out, _ = mxsym_cli('info', str(tmp_path / 'net'))
    assert status == 0
    assert 'inputs:  data unknown, conv1_weight unknown, conv1_bias unknown,' in out
    assert out.endswith('params:  none saved\n')


def test_run_prints_top_k_of_mxnet_outputs():
    status, out, err = mxsym_cli('run', CHECKPOINT, '--epoch', '3', '--npy',
                                 CHECKPOINT + '-input.npy', '--top-k', '2')
    assert status == 0, err
    expected = np.load(CHECKPOINT + '-output.npy')
    lines = out.splitlines()
    assert lines[0] == 'softmax_output: shape (2, 5), float32'
    for row, line in zip(expected, lines[1:]):
        pairs = re.findall(r'(\d+): (\S+?)(?:,|$)', line)
        assert [int(i) for i, _ in pairs] == list(np.argsort(-row)[:2])
        np.testing.assert_allclose([float(v) for _, v in pairs], np.sort(row)[::-1][:2],
                                   rtol=1e-4, atol=1e-5)
    assert 'compiling and running...' in err


def test_run_fills_inputs_given_only_a_shape():
    status, out, err = mxsym_cli('run', CHECKPOINT, '--input', 'data=1,3,6,6')
    assert status == 0, err
    assert out.startswith('softmax_output: shape (1, 5), float32\n[[')
    assert np.isclose(sum(float(v) for v in re.findall(r'[-\d.e+]+', out.split('\n', 1)[1])),
                      1.0, rtol=1e-5)


@pytest.mark.parametrize('argv, message', [
    (['run', CHECKPOINT], r'input data needs a shape \(--input data=D1,D2,...\)'),
    (['run', CHECKPOINT, '--input', 'image=1,3,6,6'], r'--input image: not an input'),
    (['run', CHECKPOINT, '--epoch', '7'], r'small-0007.params'),
    (['info', CHECKPOINT + 'x'], r'smallx-symbol.json'),
], ids=['no_shape', 'unknown_input', 'no_epoch', 'no_symbol'])
def test_errors_name_the_culprit(argv, message):
    status, _, err = mxsym_cli(*argv)
    assert status == 1
    assert re.search(r'mxsym %s: error: .*%s' % (argv[0], message), err)


def copy_checkpoint(tmp_path, drop=(), symbol_text=None):
    """The golden checkpoint copied to tmp_path/net, without the params named in `drop`, or
    with another symbol text; returns the new prefix."""
    params = mx.nd.load(CHECKPOINT + '-0003.params')
    mx.nd.save(str(tmp_path / 'net-0003.params'),
               {k: v for k, v in params.items() if k.split(':', 1)[1] not in drop})
    with open(CHECKPOINT + '-symbol.json') as handle:
        (tmp_path / 'net-symbol.json').write_text(symbol_text or handle.read())
    return str(tmp_path / 'net')


@pytest.mark.parametrize('drop', [('fc1_weight',), ('bn1_moving_var',), ('conv1_bias',
                                                                           'bn1_beta')])
def test_run_refuses_params_file_missing_a_parameter(tmp_path, drop):
    prefix = copy_checkpoint(tmp_path, drop)
    status, out, err = mxsym_cli('run', prefix, '--input', 'data=1,3,6,6')
    assert status == 1 and out == ''
    assert err.endswith('mxsym run: error: %s-0003.params has no %s: a run needs every '
                        'parameter (MXNet loads them with allow_missing=False)\n'
                        % (prefix, ', '.join(sorted(drop, key=lambda n: 'moving' not in n))))


@pytest.mark.parametrize('symbol_text, message', [
    ('{"nodes": [', 'symbol JSON is not valid JSON'),
    ('[' * 100000, 'nested'),
    ('{"nodes": [{"op": "FullyConnected", "name": "fc", "attrs": {"num_hidden": "0"}, '
     '"inputs": []}], "heads": [[0, 0, 0]]}', 'num_hidden should be greater equal to 1'),
], ids=['truncated', 'deep', 'bad_param'])
def test_errors_are_one_line(tmp_path, symbol_text, message):
    prefix = copy_checkpoint(tmp_path, symbol_text=symbol_text)
    status, out, err = mxsym_cli('info', prefix)
    assert status == 1 and out == ''
    last = err.split('\n')[-2]
    assert last.startswith('mxsym info: error: %s-symbol.json: ' % prefix) and message in last
    assert err.endswith(last + '\n') and 'Traceback' not in err


def test_bad_input_option_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(['run', CHECKPOINT, '--input', 'data'])
    assert exit_info.value.code == 2
    assert 'expected NAME=D1,D2,...' in capsys.readouterr().err


@pytest.mark.parametrize('fmt', ['gv', 'svg'])
def test_plot_writes_the_graph_picture(tmp_path, fmt):
    target = str(tmp_path / 'graph')
    status, out, err = mxsym_cli('plot', CHECKPOINT, '--input', 'data=2,3,6,6',
                                 '--format', fmt, '--output', target)
    assert status == 0, err
    assert out == target + '.' + fmt + '\n'
    with open(target + '.' + fmt) as handle:
        picture = handle.read()
    assert 'conv1' in picture and 'fc1' in picture
    assert '4x6x6' in picture      # an edge labelled with the shape it carries


def test_python_dash_m_runs_the_command():
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [os.path.dirname(os.path.dirname(mx.__file__))] + sys.path))
    done = subprocess.run([sys.executable, '-m', 'mxsym', 'info', EXPORT],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert 'outputs: resnetv10_dense0_fwd_output' in done.stdout


def check_lines(out):
    """{section: [its indented lines]} of `mxsym check` output, and its result line."""
    sections, current = {}, None
    for line in out.splitlines():
        if line.startswith('  '):
            sections[current].append(line.strip())
        else:
            current = line.split(':')[0]
            sections[current] = []
    return sections, re.search(r'^result:  (.*)$', out, re.M).group(1)


def test_check_lists_every_missing_op_at_once(tmp_path):
    with open(CHECKPOINT + '-symbol.json') as handle:
        text = handle.read()
    text = text.replace('"op": "Activation"', '"op": "FancyActivation"')
    text = text.replace('"op": "Pooling"', '"op": "_contrib_Mystery"')
    prefix = copy_checkpoint(tmp_path, symbol_text=text)
    status, out, _ = mxsym_cli('check', prefix)
    assert status == 1
    sections, result = check_lines(out)
    assert '6 ops of 6 kinds, 2 missing' in out
    for op in ('FancyActivation', '_contrib_Mystery'):
        assert any(re.match(r"%s +1  MISSING: unknown operator '%s'" % (op, op), line)
                   for line in sections['ops'])
    assert sum('MISSING' in line for line in sections['ops']) == 2
    assert sum(line.endswith('supported') for line in sections['ops']) == 4
    assert result == 'not runnable, 2 problems:'
    assert [p.split(':')[0] for p in sections['result']] == [
        '- op FancyActivation is missing', '- op _contrib_Mystery is missing']


def test_check_of_a_runnable_model_gives_shapes_and_parameter_count():
    status, out, _ = mxsym_cli('check', CHECKPOINT, '--input', 'data=2,3,6,6')
    assert status == 0
    sections, result = check_lines(out)
    assert result == 'runnable'
    assert sections['inputs'] == ['data (2, 3, 6, 6)', 'softmax_label (2,)']
    assert sections['outputs'] == ['softmax_output (2, 5)']
    arrays = mx.nd.load(CHECKPOINT + '-0003.params').values()
    assert 'small-0003.params: %d arrays, %d values' % (len(arrays), sum(a.size for a in arrays)) \
        in out
    with open(CHECKPOINT + '-symbol.json') as handle:
        ops = {node['op'] for node in json.load(handle)['nodes']} - {'null'}
    assert sorted(line.split()[0] for line in sections['ops']) == sorted(ops)


def test_check_without_input_shapes_says_what_it_could_not_check():
    status, out, _ = mxsym_cli('check', CHECKPOINT)
    assert status == 0
    sections, result = check_lines(out)
    assert sections['inputs'] == ['data unknown', 'softmax_label unknown']
    assert result == ('runnable as far as the params tell; give --input for data to check '
                      'shapes and missing params')


def _params_with(tmp_path, **changes):
    """A copy of the golden checkpoint whose params file has `changes` (name: array or None
    to drop it); returns the new prefix."""
    prefix = copy_checkpoint(tmp_path)
    params = mx.nd.load(prefix + '-0003.params')
    for name, value in changes.items():
        key = name.replace('__', ':')
        if value is None:
            del params[key]
        else:
            params[key] = value
    mx.nd.save(prefix + '-0003.params', params)
    return prefix


@pytest.mark.parametrize('changes, given, problems', [
    ({'arg__fc1_weight': None}, ['--input', 'data=2,3,6,6'],
     ['net-0003.params has no fc1_weight (the graph needs (5, 36))']),
    ({'aux__bn1_moving_var': None, 'arg__stray': mx.nd.zeros((2,))}, [],
     ['net-0003.params has no aux state bn1_moving_var',
      'net-0003.params holds arg:stray, which the graph does not use']),
    ({'arg__fc1_weight': mx.nd.zeros((5, 35))}, ['--input', 'data=2,3,6,6'],
     ['fc1_weight has shape (5, 35) in the params file but the graph needs (5, 36)']),
    ({}, ['--input', 'data=2,3,6'],
     ['shapes: conv1 (Convolution): input data has shape (2, 3, 6) but kernel (3, 3) needs 4-D '
      'data']),
], ids=['missing_arg', 'missing_aux_and_extra', 'misshaped_given_input', 'input_shape'])
def test_check_reports_params_that_do_not_fit(tmp_path, changes, given, problems):
    prefix = _params_with(tmp_path, **changes)
    status, out, _ = mxsym_cli('check', prefix, *given)
    assert status == 1
    sections, result = check_lines(out)
    assert result.startswith('not runnable, %d problem' % len(problems))
    found = [line[2:].replace(str(tmp_path) + '/', '') for line in sections['result']]
    assert len(found) == len(problems)
    for line, expected in zip(found, problems):
        assert line.startswith(expected)


def test_info_shows_input_shapes_the_file_determines(tmp_path):
    data = mx.sym.Variable('data', shape=(0, 8))
    net = mx.sym.FullyConnected(mx.sym.FullyConnected(data, num_hidden=4, name='fc1'),
                                num_hidden=2, name='fc2')
    params = {'fc1_weight': mx.nd.ones((4, 8)), 'fc1_bias': mx.nd.ones((4,)),
              'fc2_weight': mx.nd.ones((2, 4)), 'fc2_bias': mx.nd.ones((2,))}
    mx.model.save_checkpoint(str(tmp_path / 'mlp'), 0, net, params, {})
    status, out, _ = mxsym_cli('info', str(tmp_path / 'mlp'))
    assert status == 0
    assert 'inputs:  data (?, 8)\n' in out
    status, out, _ = mxsym_cli('check', str(tmp_path / 'mlp'), '--input', 'data=3,8')
    assert status == 0 and 'outputs:\n  fc2_output (3, 2)\n' in out


def test_commands_read_a_numpy_mode_export_in_numpy_shape_mode():
    """A Gluon export made under npx.set_np() records is_np_shape in its JSON and writes its
    params file in NumPy-shape mode, which loads only in that mode: the command switches to it."""
    prefix = os.path.join(GOLDEN, 'corpus', 'numpy_mode_net')
    status, out, err = mxsym_cli('check', prefix, '--input', 'data0=2,3,8,8',
                                 '--input', 'data1=2,3')
    assert status == 0, err
    assert '0 missing' in out
    status, out, err = mxsym_cli('info', prefix)
    assert status == 0, err
    assert not mx.util.is_np_shape()


def test_run_profile_writes_a_trace_named_by_nodes(tmp_path):
    status, out, err = mxsym_cli('run', CHECKPOINT, '--input', 'data=1,3,6,6',
                                 '--profile', str(tmp_path / 'prof'))
    assert status == 0, err
    trace = tmp_path / 'prof' / 'profile.json'
    assert 'trace: %s\n' % trace in out
    events = json.loads(trace.read_text())['traceEvents']
    nodes = {e['args']['node'] for e in events if e.get('cat') == 'operator'}
    graph_nodes = {n['name'] for n in json.load(open(CHECKPOINT + '-symbol.json'))['nodes']}
    assert nodes and nodes <= graph_nodes
    table = dict(re.findall(r'^(\w+) +(\d+) ', out.split('operator\n=================\n')[1],
                            re.M))
    assert table.get('Convolution') == '1', out


def _shaped_model(tmp_path):
    """A checkpoint whose data variable declares its shape (``__shape__``), with float16 and
    float32 parameters."""
    data = mx.sym.Variable('data', shape=(2, 3))
    net = mx.sym.FullyConnected(data, num_hidden=4, name='fc')
    net = mx.sym.FullyConnected(mx.sym.Cast(net, dtype='float16'), num_hidden=5, name='half')
    args = {'fc_weight': mx.nd.ones((4, 3)), 'fc_bias': mx.nd.zeros((4,)),
            'half_weight': mx.nd.ones((5, 4), dtype='float16'),
            'half_bias': mx.nd.zeros((5,), dtype='float16')}
    prefix = str(tmp_path / 'shaped')
    mx.model.save_checkpoint(prefix, 1, net, args, {})
    return prefix


def test_info_shows_declared_shapes_and_bytes_by_dtype(tmp_path):
    prefix = _shaped_model(tmp_path)
    status, out, err = mxsym_cli('info', prefix)
    assert status == 0, err
    assert 'inputs:  data (2, 3)\noutputs: half_output (2, 5)\n' in out
    assert '4 arrays (4 arguments, 0 aux states), 41 values, 114 bytes (float32 64; float16 50)' \
        in out
    status, out, _ = mxsym_cli('info', '--json', prefix)
    info = json.loads(out)
    assert info['inputs'] == {'data': [2, 3]} and info['outputs'] == {'half_output': [2, 5]}
    assert info['params']['bytes_by_dtype'] == {'float32': 64, 'float16': 50}
    assert info['ops'] == {'Cast': 1, 'FullyConnected': 2}


@pytest.mark.parametrize('suffix, said', [
    ('-symbol.json', 'taking PREFIX {p} (from {p}-symbol.json)'),
    ('-0001.params', 'taking PREFIX {p} and --epoch 1 (from {p}-0001.params)')])
def test_file_name_given_as_prefix(tmp_path, suffix, said):
    prefix = _shaped_model(tmp_path)
    status, out, err = mxsym_cli('info', prefix + suffix)
    assert status == 0, err
    assert said.format(p=prefix) + '\n' in err
    assert out.startswith('symbol:  %s-symbol.json' % prefix)


def test_params_of_another_model_are_summarised(tmp_path):
    prefix = _shaped_model(tmp_path)
    other = {'arg:other%d_weight' % i: mx.nd.ones((2,)) for i in range(40)}
    mx.nd.save(prefix + '-0001.params', other)
    status, out, _ = mxsym_cli('check', prefix)
    assert status == 1
    problems = out.split('problems:\n')[1].splitlines()
    assert problems == [
        '  - %s-0001.params holds 40 arrays (arg:other0_weight, arg:other1_weight, '
        'arg:other2_weight, ...), which the graph does not use' % prefix,
        '  - %s-0001.params lacks 4 arrays (fc_weight, fc_bias, half_weight, ...), which the '
        'graph has: are these the params of another model?' % prefix]
    status, out, _ = mxsym_cli('check', '--json', prefix)
    report = json.loads(out)
    assert status == 1 and report['runnable'] is False and len(report['problems']) == 2
    assert report['ops'] == [{'name': 'Cast', 'count': 1, 'missing': None},
                             {'name': 'FullyConnected', 'count': 2, 'missing': None}]
