"""mx.kv within one process: push sums the devices' values, pull copies out, row_sparse_pull
keeps the asked rows; the store types MXNet names, and the one it refuses here."""
import numpy as np
import pytest

import mxsym as mx
from mxsym.base import MXNetError


def test_push_sums_values_from_each_device_and_pull_copies_them_out():
    kv = mx.kv.create('device')
    kv.init(['w', 'v'], [mx.nd.zeros((2, 2))] * 2)
    kv.push(['w', 'v'], [[mx.nd.ones((2, 2))] * 3, [mx.nd.full((2, 2), 2)]])
    outs = [mx.nd.empty((2, 2)), mx.nd.empty((2, 2))]
    kv.pull('w', out=outs)
    for out in outs:
        np.testing.assert_array_equal(out.asnumpy(), 3)
    kv.pushpull('v', mx.nd.ones((2, 2)), out=outs[0])
    np.testing.assert_array_equal(outs[0].asnumpy(), 1)
    assert (kv.type, kv.rank, kv.num_workers) == ('device', 0, 1)
    kv.barrier()


def test_pull_leaves_row_sparse_outputs_to_row_sparse_pull():
    kv = mx.kv.create()
    kv.init(3, mx.nd.full((4, 2), 5))
    out = mx.nd.zeros((4, 2)).tostype('row_sparse')
    kv.pull(3, out=out)
    np.testing.assert_array_equal(out.asnumpy(), 0)
    kv.row_sparse_pull(3, out=out, row_ids=mx.nd.array([2, 0, 2]))
    np.testing.assert_array_equal(out.asnumpy(), [[5, 5], [0, 0], [5, 5], [0, 0]])
    assert out.stype == 'row_sparse'
    with pytest.raises(MXNetError, match='storage type default, not row_sparse'):
        kv.row_sparse_pull(3, out=mx.nd.zeros((4, 2)), row_ids=mx.nd.array([1]))


def test_a_store_takes_int_or_str_keys_not_both():
    kv = mx.kv.create()
    kv.init('a', mx.nd.zeros((2,)))
    with pytest.raises(MXNetError, match='mix int and str keys'):
        kv.init(3, mx.nd.zeros((2,)))
    with pytest.raises(MXNetError, match='mix int and str keys'):
        kv.push([3], [mx.nd.zeros((2,))])


@pytest.mark.parametrize('name, message', [
    ('dist_async', "'dist_async' is not supported: workers here update in lockstep"),
    ('nccl', "store type 'nccl' is not supported"),
])
def test_refused_store_types_say_what_to_use(name, message):
    with pytest.raises(MXNetError, match=message) as caught:
        mx.kv.create(name)
    assert 'dist_sync' in str(caught.value)
