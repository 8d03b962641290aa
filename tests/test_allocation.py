"""The allocation guard: arrays a graph's shapes ask for are checked against what the device
can hold before anything is allocated."""
import pytest

import mxsym as mx
from mxsym import allocation


def test_simple_bind_refuses_a_weight_larger_than_memory():
    net = mx.sym.FullyConnected(mx.sym.var('data'), num_hidden=10 ** 7, name='fc')
    with pytest.raises(mx.MXNetError, match=r'simple_bind: the arrays need 145\.5 TiB, more '
                       r'than the .* that cpu:0 can hold; the largest is fc_weight of shape '
                       r'\(10000000, 2000000\) \(72\.8 TiB\)'):
        net.simple_bind(mx.cpu(), data=(1, 2 * 10 ** 6))


def test_simple_bind_counts_gradients_and_aux_states(monkeypatch):
    net = mx.sym.BatchNorm(mx.sym.FullyConnected(mx.sym.var('data'), num_hidden=1000,
                                                 name='fc'), name='bn')
    # data 4 KB, fc_weight 400 KB, the rest a few KB each; gradients double the arguments.
    monkeypatch.setattr(allocation, '_host_memory_bytes', lambda: 600 * 1024)
    net.simple_bind(mx.cpu(), grad_req='null', data=(1, 100))
    with pytest.raises(mx.MXNetError, match=r'the largest is fc_weight of shape \(1000, 100\)'):
        net.simple_bind(mx.cpu(), data=(1, 100))


def test_bind_refuses_outputs_larger_than_memory():
    data = mx.nd.zeros((1, 1))
    net = mx.sym.broadcast_to(mx.sym.var('data'), shape=(10 ** 7, 10 ** 7), name='big')
    with pytest.raises(mx.MXNetError, match=r'bind: .* the largest is big_output of shape '
                       r'\(10000000, 10000000\) \(363\.8 TiB\)'):
        net.bind(mx.cpu(), {'data': data})


class FakeGPU:
    platform = 'gpu'

    def __init__(self, stats):
        self.stats = stats

    def memory_stats(self):
        return self.stats

    def __str__(self):
        return 'cuda:0'


def test_device_memory_is_the_gpus_limit_where_reported():
    assert allocation.device_memory_bytes(FakeGPU({'bytes_limit': 80 * 2 ** 30})) \
        == 80 * 2 ** 30
    assert allocation.device_memory_bytes(FakeGPU(None)) == allocation._host_memory_bytes()
    gpu = FakeGPU({'bytes_limit': 2 ** 30})
    allocation.check_fits([('v', (30, 2 ** 20, 8), 'float32')], gpu, 'bind')
    with pytest.raises(mx.MXNetError, match=r'bind: the arrays need 1\.2 GiB, more than the '
                       r'1\.0 GiB that cuda:0 can hold; the largest is v of shape '
                       r'\(30, 1048576, 8\) \(960\.0 MiB\)'):
        allocation.check_fits([('v', (30, 2 ** 20, 8), 'float32'),
                               ('w', (64, 2 ** 20), 'bfloat16'),
                               ('w2', (64, 2 ** 20), 'bfloat16')], gpu, 'bind')
