"""mx.profiler: JAX's trace read as MXNet's profiler reports it."""
import json

import numpy as np
import pytest

import mxsym as mx
from mxsym import profiler
from mxsym.base import MXNetError

# MXNet 1.9.1's table header, column titles and rules, as its dumps() prints them.
MXNET_HEADER = '\nProfile Statistics:\n\tNote the difference in units for different entries.\n'
MXNET_COLUMNS = ('Name                          Total Count        Time (ms)    Min Time (ms)'
                 '    Max Time (ms)    Avg Time (ms)\n'
                 '----                          -----------        ---------    -------------'
                 '    -------------    -------------\n')


@pytest.fixture(autouse=True)
def fresh_profiler(tmp_path, monkeypatch):
    """Each test its own profiler state, and its trace file in its own folder."""
    monkeypatch.setattr(profiler, '_PROFILER', profiler._Profiler())
    profiler.set_config(filename=str(tmp_path / 'profile.json'), aggregate_stats=True)
    yield
    profiler.set_state('stop')
    profiler._PROFILER.undumped = False


def _mlp():
    data = mx.sym.Variable('data')
    net = mx.sym.FullyConnected(data, num_hidden=4, name='fc1')
    net = mx.sym.Activation(net, act_type='relu', name='relu1')
    return mx.sym.FullyConnected(net, num_hidden=5, name='fc2')


def _rows(section):
    """{name: count} of a section of the aggregate table."""
    text = profiler.dumps()
    body = text.split('\n%s\n=================\n' % section, 1)[1].split('\n\n', 1)[0]
    return {line.split()[0]: int(line.split()[1]) for line in body.splitlines()[2:]}


@pytest.mark.parametrize('is_train,backward', [(False, False), (True, False), (True, True)])
def test_counts_follow_the_calls(is_train, backward):
    ex = _mlp().simple_bind(mx.cpu(), data=(2, 3))
    ex.forward(is_train=is_train)
    profiler.set_state('run')
    for _ in range(3):
        ex.forward(is_train=is_train)
        if backward:
            ex.backward(mx.nd.ones((2, 5)))
    mx.nd.waitall()
    profiler.set_state('stop')
    expected = {'FullyConnected': 6, 'Activation': 3}
    if backward:
        expected.update(_backward_FullyConnected=6, _backward_Activation=3)
    assert _rows('operator') == expected


def test_trace_file_names_graph_nodes(tmp_path):
    ex = _mlp().simple_bind(mx.cpu(), data=(2, 3))
    profiler.set_state('run')
    ex.forward(is_train=True)
    ex.backward(mx.nd.ones((2, 5)))
    ex.outputs[0].asnumpy()
    profiler.set_state('stop')
    profiler.dump()
    events = json.load(open(tmp_path / 'profile.json'))['traceEvents']
    named = {(e['name'], e['args']['node']) for e in events if e.get('cat') == 'operator'}
    assert named == {('FullyConnected', 'fc1'), ('FullyConnected', 'fc2'),
                     ('Activation', 'relu1'), ('_backward_FullyConnected', 'fc1'),
                     ('_backward_FullyConnected', 'fc2'), ('_backward_Activation', 'relu1')}
    assert all(e['dur'] >= 0 for e in events if e.get('cat') == 'operator')


def test_eager_ops_and_pause():
    x = mx.nd.ones((3, 3))
    mx.nd.relu(x).wait_to_read()
    profiler.set_state('run')
    mx.nd.relu(x).wait_to_read()
    profiler.pause()
    mx.nd.relu(x).wait_to_read()
    profiler.resume()
    mx.nd.relu(x).wait_to_read()
    profiler.set_state('stop')
    assert _rows('operator') == {'relu': 2}


def test_imperative_off_leaves_eager_ops_out():
    profiler.set_config(profile_imperative=False)
    profiler.set_state('run')
    mx.nd.relu(mx.nd.ones((2,))).wait_to_read()
    profiler.set_state('stop')
    assert 'operator' not in profiler.dumps()


def test_module_fit_counts_each_batch():
    data = mx.sym.Variable('data')
    net = mx.sym.FullyConnected(data, num_hidden=2, name='fc')
    net = mx.sym.SoftmaxOutput(net, name='softmax')
    train = mx.io.NDArrayIter(np.ones((8, 3), 'float32'), np.zeros(8, 'float32'), batch_size=2)
    mod = mx.mod.Module(net)
    profiler.set_state('run')
    mod.fit(train, num_epoch=1, optimizer_params={'learning_rate': 0.1, 'momentum': 0.9})
    mx.nd.waitall()
    profiler.set_state('stop')
    rows = _rows('operator')
    assert rows['FullyConnected'] == 4 and rows['_backward_FullyConnected'] == 4


def test_user_events_and_table_layout():
    domain = profiler.Domain('mydomain')
    profiler.set_state('run')
    task = profiler.Task(domain, 'mytask')
    task.start()
    task.stop()
    counter = profiler.Counter(domain, 'ctr', 5)
    counter += 2
    profiler.Marker(domain, 'mark').mark('process')
    profiler.set_state('stop')
    text = profiler.dumps(reset=True)
    assert text.startswith(MXNET_HEADER + 'mydomain\n=================\n' + MXNET_COLUMNS)
    assert _rows_of(text, 'mydomain') == {'ctr': 2, 'mytask': 1}
    assert 'mydomain,instant_marker\n=================\n' + MXNET_COLUMNS + '\n' in text
    assert profiler.dumps() == MXNET_HEADER
    assert counter.value == 7


def _rows_of(text, section):
    body = text.split('\n%s\n=================\n' % section, 1)[1].split('\n\n', 1)[0]
    return {line.split()[0]: int(line.split()[1]) for line in body.splitlines()[2:]}


def test_json_format_and_sorting():
    ex = _mlp().simple_bind(mx.cpu(), data=(2, 3))
    profiler.set_state('run')
    for _ in range(2):
        ex.forward()
    mx.nd.waitall()
    profiler.set_state('stop')
    stats = json.loads(profiler.dumps(format='json'))
    assert stats['Time']['operator']['FullyConnected']['Count'] == 4
    assert stats['Unit'] == {'Time': 'ms'}
    text = profiler.dumps(sort_by='count', ascending=True)
    body = text.split('operator\n=================\n')[1].splitlines()[2:4]
    assert [line.split()[0] for line in body] == ['Activation', 'FullyConnected']


def test_without_aggregate_stats_dumps_is_empty():
    profiler.set_config(aggregate_stats=False)
    profiler.set_state('run')
    profiler.set_state('stop')
    assert profiler.dumps() == ''


def test_bad_settings():
    with pytest.raises(MXNetError, match="Cannot find argument 'foo'"):
        profiler.set_config(foo=1)
    with pytest.raises(KeyError):
        profiler.set_state('walk')
    with pytest.raises(MXNetError, match='sort_by'):
        profiler.dumps(sort_by='name')
