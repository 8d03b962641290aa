"""mx.gluon.Parameter and ParameterDict: deferred shapes, initialization, data and gradients,
grad_req, casting, and .params files."""
import numpy as np
import pytest

import mxsym as mx
from mxsym import gluon
from mxsym.base import MXNetError


def test_deferred_shape_is_completed_at_first_forward():
    param = gluon.Parameter('w', shape=(3, 0), allow_deferred_init=True)
    param.initialize()
    with pytest.raises(gluon.DeferredInitializationError, match="'w'"):
        param.data()
    param.shape = (3, 4)
    param._finish_deferred_init()
    assert param.data().shape == (3, 4) and param.grad().shape == (3, 4)
    with pytest.raises(MXNetError, match='incompatible'):
        param.shape = (2, 4)


def test_initialize_without_a_shape_fails_unless_deferred():
    with pytest.raises(MXNetError, match='invalid shape'):
        gluon.Parameter('w', shape=(0, 2)).initialize()


def test_init_set_data_zero_grad_and_grad_req():
    param = gluon.Parameter('w', shape=(2, 2), init=mx.init.One(), lr_mult=2.0)
    param.initialize()
    np.testing.assert_array_equal(param.data().asnumpy(), np.ones((2, 2)))
    param.set_data(mx.nd.array([[1, 2], [3, 4]]))
    with mx.autograd.record():
        y = (param.data() * param.data()).sum()
    y.backward()
    np.testing.assert_array_equal(param.grad().asnumpy(), [[2, 4], [6, 8]])
    param.zero_grad()
    assert param.grad().asnumpy().sum() == 0
    param.grad_req = 'null'
    with pytest.raises(MXNetError, match="grad_req='null'"):
        param.grad()
    with pytest.raises(MXNetError, match='grad_req must be one of'):
        param.grad_req = 'sometimes'


def test_cast_changes_data_and_gradient_dtypes():
    param = gluon.Parameter('w', shape=(2,))
    param.initialize()
    param.cast('float64')
    assert param.data().dtype == np.float64 and param.grad().dtype == np.float64


def test_parameter_dict_get_shares_and_checks(tmp_path):
    params = gluon.ParameterDict('net_')
    weight = params.get('weight', shape=(2, 0))
    assert weight.name == 'net_weight' and params.get('weight', shape=(2, 3)) is weight
    assert weight.shape == (2, 3)
    with pytest.raises(MXNetError, match="attribute 'lr_mult'"):
        params.get('weight', lr_mult=3.0)
    shared = gluon.ParameterDict('net_', shared=params)
    assert shared.get('weight') is weight
    params.get('bias', shape=(2,))
    assert list(params.select('.*bias').keys()) == ['net_bias']
    params.initialize()
    fname = str(tmp_path / 'p.params')
    params.save(fname, strip_prefix='net_')
    assert sorted(mx.nd.load(fname)) == ['bias', 'weight']
    other = gluon.ParameterDict('net_')
    other.get('weight', shape=(2, 3))
    with pytest.raises(MXNetError, match="'bias' loaded from file"):
        other.load(fname, restore_prefix='net_')
    other.load(fname, restore_prefix='net_', ignore_extra=True)
    np.testing.assert_array_equal(other['net_weight'].data().asnumpy(),
                                  weight.data().asnumpy())


def test_constant_is_not_updated():
    const = gluon.Constant('c', mx.nd.array([1.0, 2.0]))
    const.initialize()
    assert const.grad_req == 'null'
    np.testing.assert_array_equal(const.data().asnumpy(), [1.0, 2.0])
