"""Optimizer-state files come from strangers: only the classes real states hold are rebuilt,
and a pickle naming anything else is refused before it runs."""
import pickle

import numpy as np
import pytest

import mxsym as mx
from mxsym import updater_states


def global_pickle(module, name, args):
    """A protocol-4 pickle calling module.name(*args)."""
    body = pickle.dumps(args, protocol=4)[2:-1]    # the args tuple, without PROTO and STOP
    return (b'\x80\x04' + pickle.dumps(module, protocol=4)[2:-1]
            + pickle.dumps(name, protocol=4)[2:-1] + b'\x93' + body + b'R.')


def marker_command(path):
    return 'touch %s' % path


@pytest.mark.parametrize('module, name, make_args', [
    ('os', 'system', lambda marker: (marker_command(marker),)),
    ('posix', 'system', lambda marker: (marker_command(marker),)),
    ('builtins', 'eval', lambda marker: ('open(%r, "w")' % str(marker),)),
    ('builtins', 'exec', lambda marker: ('open(%r, "w")' % str(marker),)),
    ('subprocess', 'call', lambda marker: (['touch', str(marker)],)),
    ('mxnet.optimizer.optimizer', 'os', lambda marker: ()),
    ('mxnet.optimizer.optimizer', 'create', lambda marker: ('sgd',)),
    ('mxnet.lr_scheduler', 'warnings', lambda marker: ()),
], ids=lambda value: value if isinstance(value, str) else '')
def test_pickle_naming_another_callable_is_refused_before_it_runs(tmp_path, module, name,
                                                                  make_args):
    marker = tmp_path / 'ran'
    payload = global_pickle(module, name, make_args(marker))
    updater = mx.optimizer.get_updater(mx.optimizer.SGD())
    with pytest.raises(mx.MXNetError, match=r'optimizer states: refusing to load %s\.%s'
                       % (module, name)):
        updater.set_states(payload)
    assert not marker.exists()
    assert updater.states == {}


def test_crafted_states_file_does_not_run_code_through_module(tmp_path):
    marker = tmp_path / 'ran'
    states = tmp_path / 'net-0001.states'
    states.write_bytes(global_pickle('os', 'system', (marker_command(marker),)))
    module = mx.mod.Module(mx.sym.FullyConnected(mx.sym.var('data'), num_hidden=2),
                           label_names=None)
    module.bind([('data', (1, 3))])
    module.init_params()
    module.init_optimizer()
    with pytest.raises(mx.MXNetError, match='refusing to load os.system'):
        module.load_optimizer_states(str(states))
    assert not marker.exists()


def test_bytearray_is_never_rebuilt_from_a_size():
    with pytest.raises(mx.MXNetError, match='a bytearray must be rebuilt from bytes'):
        updater_states.loads(global_pickle('builtins', 'bytearray', (2 ** 40,)))


@pytest.mark.parametrize('payload', [b'', b'\x80\x04', b'not a pickle', b'\x80\x04K\x01'],
                         ids=['empty', 'header', 'text', 'no_stop'])
def test_malformed_pickle_is_an_mxnet_error(payload):
    with pytest.raises(mx.MXNetError, match='optimizer states: not a valid states pickle'):
        updater_states.loads(payload)


def test_states_of_numpy_values_and_containers_load():
    value = {0: (np.arange(3, dtype=np.float32), np.float64(2.5)), 1: {1, 2}, 2: frozenset(),
             3: [slice(1, 2), complex(1, 2), bytearray(b'ab')]}
    loaded = updater_states.loads(pickle.dumps(value, protocol=4))
    np.testing.assert_array_equal(loaded[0][0], [0, 1, 2])
    assert loaded[0][0].dtype == np.float32 and loaded[0][1] == np.float64(2.5)
    assert [loaded[k] for k in (1, 2, 3)] == [value[k] for k in (1, 2, 3)]


def test_states_with_optimizer_and_scheduler_round_trip():
    optimizer = mx.optimizer.Adam(learning_rate=0.1,
                                  lr_scheduler=mx.lr_scheduler.FactorScheduler(step=3))
    updater = mx.optimizer.get_updater(optimizer)
    weight, grad = mx.nd.ones((2,)), mx.nd.ones((2,))
    updater(0, grad, weight)
    restored = mx.optimizer.get_updater(mx.optimizer.SGD())
    restored.set_states(updater.get_states(dump_optimizer=True))
    assert type(restored.optimizer) is mx.optimizer.Adam
    assert type(restored.optimizer.lr_scheduler) is mx.lr_scheduler.FactorScheduler
    assert restored.optimizer.lr_scheduler.step == 3
    np.testing.assert_array_equal(restored.states[0][0].asnumpy(),
                                  updater.states[0][0].asnumpy())


@pytest.mark.parametrize('payload, message', [
    # numpy's array rebuilder asked for a 1 TiB array instead of the empty one numpy pickles
    (b'cnumpy.core.multiarray\n_reconstruct\n(cnumpy\nndarray\n(L1099511627776L\ntVb\ntR.',
     r'a pickled numpy array must start empty, not with shape \(1099511627776,\)'),
    # numpy.ndarray called directly, with a 1 TiB shape
    (b'cnumpy\nndarray\n((L1099511627776L\nttR.', r'the pickle calls numpy.ndarray itself'),
    # a BINBYTES8 opcode claiming 1 TiB in a pickle of a few bytes
    (b'\x80\x04\x8e' + (2 ** 40).to_bytes(8, 'little') + b'abc.',
     r'expected 1099511627776 bytes in a bytes8, but only 4 remain'),
    # an NDArray whose handle is a size rather than bytes
    (b'cmxnet.ndarray.ndarray\nNDArray\n(NtR(dVhandle\nL1099511627776L\nsb.',
     r'a pickled NDArray holds int, not bytes'),
], ids=['numpy_size', 'numpy_ndarray_call', 'bytes8_length', 'ndarray_size'])
def test_sizes_a_pickle_claims_are_refused_before_allocating(payload, message):
    with pytest.raises(mx.MXNetError, match=message):
        updater_states.loads(payload)


def test_protocol_2_pickles_of_numpy_arrays_load():
    loaded = updater_states.loads(pickle.dumps({1: np.arange(3.0)}, protocol=2))
    np.testing.assert_array_equal(loaded[1], [0, 1, 2])


@pytest.mark.parametrize('value, found', [(5, 'a int'), ([1, 2], 'a list'),
                                          (({}, 5), 'a dict and a int')])
def test_set_states_refuses_what_is_not_states_and_keeps_its_own(value, found):
    updater = mx.optimizer.get_updater(mx.optimizer.SGD(momentum=0.9))
    updater(0, mx.nd.ones((2,)), mx.nd.ones((2,)))
    optimizer, states = updater.optimizer, updater.states
    with pytest.raises(mx.MXNetError, match='but the pickle holds %s' % found):
        updater.set_states(pickle.dumps(value))
    assert updater.optimizer is optimizer and updater.states is states
