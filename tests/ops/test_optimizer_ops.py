"""Tests for mxsym/ops/optimizer_ops.py: MXNet 1.9.1's update operators called eagerly as
recorded (tests/golden/make_optimizer_ops_golden.py): the output and the states they update in
place."""
import json
import os

import numpy as np
import pytest

import mxsym as mx

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, 'golden',
                      'optimizer_ops')
CASES = json.load(open(GOLDEN + '.json'))
ARRAYS = np.load(GOLDEN + '.npz')


def _tolerance(dtype):
    return {'rtol': 1e-2, 'atol': 1e-3} if dtype == np.float16 else {'rtol': 1e-5, 'atol': 1e-6}


@pytest.mark.parametrize('case', CASES, ids=[case['id'] for case in CASES])
def test_update_matches_mxnet(case):
    names = [name for name, _, _ in case['inputs']]
    inputs = [mx.nd.array(ARRAYS['%s:in:%s' % (case['id'], name)], dtype=dtype)
              for name, dtype, _ in case['inputs']]
    weights = [array for name, array in zip(names, inputs)
               if name.startswith('weight') and not name.startswith('weight32')]
    kwargs = dict(case['kwargs'])
    if case['out']:
        kwargs['out'] = weights if len(weights) > 1 else weights[0]
    result = getattr(mx.nd, case['op'])(*inputs, **kwargs)
    results = result if isinstance(result, list) else [result]
    for index, value in enumerate(results):
        expected = ARRAYS['%s:out:%d' % (case['id'], index)]
        assert value.dtype == expected.dtype
        np.testing.assert_allclose(value.asnumpy(), expected, **_tolerance(expected.dtype))
    for name, array in zip(names, inputs):
        expected = ARRAYS['%s:after:%s' % (case['id'], name)]
        np.testing.assert_allclose(array.asnumpy(), expected, err_msg=name,
                                   **_tolerance(expected.dtype))


def test_mutated_inputs_are_aux_states():
    net = mx.sym.adam_update(mx.sym.var('w'), mx.sym.var('g'), mx.sym.var('m'),
                             mx.sym.var('v'), lr=0.1)
    assert net.list_arguments() == ['w', 'g']
    assert net.list_auxiliary_states() == ['m', 'v']


def test_multi_update_names_its_inputs_by_group():
    net = mx.sym.multi_mp_sgd_mom_update(*[mx.sym.var('x%d' % i) for i in range(8)],
                                         lrs=(0.1, 0.1), wds=(0, 0), num_weights=2)
    assert net.list_auxiliary_states() == ['x2', 'x3', 'x6', 'x7']
    assert len(net.list_outputs()) == 2
    _, out_types, aux_types = net.infer_type(x0='float16', x4='float16')
    assert out_types == [np.float16, np.float16] and aux_types == [np.float32] * 4


def test_update_ops_have_no_gradient():
    weight, grad = mx.nd.ones(3), mx.nd.ones(3)
    net = mx.sym.sgd_update(mx.sym.var('w'), mx.sym.var('g'), lr=0.1)
    with pytest.raises(mx.MXNetError):
        net.simple_bind(mx.cpu(), w=weight.shape, g=grad.shape)


def test_weight_without_out_is_unchanged():
    weight, grad, mom = mx.nd.ones(3), mx.nd.ones(3), mx.nd.zeros(3)
    new = mx.nd.sgd_mom_update(weight, grad, mom, lr=0.5, momentum=0.9)
    np.testing.assert_allclose(weight.asnumpy(), 1)
    np.testing.assert_allclose(mom.asnumpy(), -0.5)
    np.testing.assert_allclose(new.asnumpy(), 0.5)
