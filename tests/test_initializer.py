"""Initializers against MXNet 1.9.1: descriptions, name dispatch, deterministic values, and the
distributions of random ones (their draws come from a different generator)."""
import json
import os

import numpy as np
import pytest

import mxsym as mx
from mxsym.base import MXNetError

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'golden', 'optimizer')
with open(os.path.join(GOLDEN, 'initializer.json')) as _f:
    SPEC = json.load(_f)
ARRAYS = np.load(os.path.join(GOLDEN, 'initializer.npz'))

DUMPS_INITIALIZERS = {
    'zero': lambda: mx.init.Zero(), 'one': lambda: mx.init.One(),
    'constant': lambda: mx.init.Constant(0.5), 'uniform': lambda: mx.init.Uniform(),
    'uniform_0.2': lambda: mx.init.Uniform(0.2), 'normal': lambda: mx.init.Normal(),
    'xavier': lambda: mx.init.Xavier(),
    'xavier_in': lambda: mx.init.Xavier(factor_type='in', magnitude=2.34),
    'msraprelu': lambda: mx.init.MSRAPrelu(),
    'msraprelu_out': lambda: mx.init.MSRAPrelu('out', 0.1),
    'orthogonal': lambda: mx.init.Orthogonal(), 'bilinear': lambda: mx.init.Bilinear(),
    'lstmbias': lambda: mx.init.LSTMBias(0.5),
    'constant_array': lambda: mx.init.Constant(mx.nd.array([1, 2])),
}


@pytest.mark.parametrize('key', sorted(SPEC['dumps']))
def test_dumps_matches_mxnet(key):
    init = DUMPS_INITIALIZERS[key]()
    assert init.dumps() == SPEC['dumps'][key]
    assert mx.init.create(SPEC['dumps'][key]).dumps() == SPEC['dumps'][key]


@pytest.mark.parametrize('case', SPEC['fills'], ids=lambda case: case['id'])
def test_deterministic_values_match_mxnet(case):
    """Name-suffix dispatch, ``__init__`` attrs and the deterministic initializers."""
    arr = mx.nd.full(tuple(case['shape']), 9.0)
    mx.init.create(case['init'])(mx.init.InitDesc(case['name'], case['attrs']), arr)
    np.testing.assert_array_equal(arr.asnumpy(), ARRAYS['fill/' + case['id']])


@pytest.mark.parametrize('case', SPEC['legacy'], ids=lambda case: case['name'])
def test_plain_string_names_dispatch_as_mxnet(case):
    arr = mx.nd.full((3,), 7.0)
    with pytest.warns(DeprecationWarning):
        mx.init.Constant(0.5)(case['name'], arr)
    assert arr.asnumpy().tolist() == case['values']


@pytest.mark.parametrize('name', sorted(SPEC['errors']))
def test_unknown_patterns_raise(name):
    assert SPEC['errors'][name] == 'ValueError'
    with pytest.raises(MXNetError, match='Unknown initialization pattern for %s' % name):
        mx.init.Uniform()(mx.init.InitDesc(name), mx.nd.zeros((2,)))


def is_uniform(init_json):
    name, kwargs = json.loads(init_json)
    return name == 'uniform' or (name == 'xavier'
                                 and kwargs.get('rnd_type', 'uniform') == 'uniform')


@pytest.mark.parametrize('case', SPEC['statistics'],
                         ids=lambda case: '%s-%s' % (case['init'], case['shape']))
def test_random_draws_have_mxnets_distribution(case):
    mx.random.seed(3)
    arr = mx.nd.zeros(tuple(case['shape']))
    mx.init.create(case['init'])(mx.init.InitDesc('conv_weight'), arr)
    assert arr.dtype == np.float32
    values = arr.asnumpy().astype(np.float64)
    spread = case['std'] / np.sqrt(values.size)
    # Two independent samples of the same distribution: means within 8 standard errors,
    # standard deviations within 3 % (both samples have 10^4 or more values).
    assert abs(values.mean() - case['mean']) < 8 * spread
    assert values.std() == pytest.approx(case['std'], rel=0.03)
    if is_uniform(case['init']):
        # The largest |value| of 10^4 uniform draws sits within 0.1 % of the bound.
        assert np.abs(values).max() == pytest.approx(case['max_abs'], rel=1e-3)
        assert np.abs(values).max() <= case['max_abs'] * (1 + 1e-3)


@pytest.mark.parametrize('case', SPEC['orthogonal'], ids=lambda case: str(case['shape']))
def test_orthogonal_rows_or_columns_are_orthonormal_times_scale(case):
    arr = mx.nd.zeros(tuple(case['shape']))
    mx.init.create(case['init'])(mx.init.InitDesc('fc_weight'), arr)
    flat = arr.asnumpy().reshape(case['shape'][0], -1).astype(np.float64)
    gram = flat @ flat.T if flat.shape[0] <= flat.shape[1] else flat.T @ flat
    np.testing.assert_allclose(gram, case['gram'], atol=1e-5)


def test_mixed_picks_the_first_matching_pattern():
    mixed = mx.init.Mixed(['bias', 'fc.*', '.*'],
                          [mx.init.Zero(), mx.init.Constant(2.0), mx.init.One()])
    for name, expected in SPEC['mixed'].items():
        arr = mx.nd.full((2,), 9.0)
        mixed(mx.init.InitDesc(name), arr)
        assert arr.asnumpy().tolist() == expected, name
    with pytest.raises(MXNetError, match='did not match any pattern'):
        mx.init.Mixed(['fc.*'], [mx.init.One()])(mx.init.InitDesc('conv_weight'),
                                                 mx.nd.zeros((2,)))


def test_variable_init_attr_wins_over_the_global_initializer():
    weight = mx.sym.Variable('fc_weight', init=mx.init.Constant(3.0))
    net = mx.sym.FullyConnected(mx.sym.Variable('data'), weight=weight, num_hidden=2, name='fc')
    net = mx.sym.BatchNorm(net, name='bn')
    attrs = net.attr_dict()
    expected = {'fc_weight': 3.0, 'fc_bias': 0.0, 'bn_gamma': 1.0, 'bn_beta': 0.0,
                'bn_moving_mean': 0.0, 'bn_moving_var': 1.0}
    for name, value in expected.items():
        arr = mx.nd.full((2, 2) if name == 'fc_weight' else (2,), 9.0)
        desc = mx.init.InitDesc(name, attrs.get(name))
        mx.init.Uniform(0.01)(desc, arr)
        assert np.all(arr.asnumpy() == value), name
        assert isinstance(desc.global_init, mx.init.Uniform)


def test_seed_makes_draws_repeatable_and_dtype_is_kept():
    draws = []
    for seed in (5, 5, 6):
        mx.random.seed(seed)
        arr = mx.nd.zeros((3, 4), dtype='float16')
        mx.init.Xavier()(mx.init.InitDesc('fc_weight'), arr)
        assert arr.dtype == np.float16
        draws.append(arr.asnumpy())
    np.testing.assert_array_equal(draws[0], draws[1])
    assert not np.array_equal(draws[0], draws[2])


def test_load_strips_prefixes_and_falls_back_to_default():
    loaded = mx.init.Load({'arg:fc_weight': mx.nd.array([[1, 2], [3, 4]]),
                           'aux:bn_moving_var': mx.nd.array([5, 6])},
                          default_init=mx.init.One())
    weight, moving_var, bias = mx.nd.zeros((2, 2)), mx.nd.zeros((2,)), mx.nd.zeros((2,))
    loaded('fc_weight', weight)
    loaded('bn_moving_var', moving_var)
    loaded(mx.init.InitDesc('other_weight'), bias)
    assert weight.asnumpy().tolist() == [[1, 2], [3, 4]]
    assert moving_var.asnumpy().tolist() == [5, 6]
    assert bias.asnumpy().tolist() == [1, 1]
    with pytest.raises(MXNetError, match='Shape mismatch'):
        loaded('fc_weight', mx.nd.zeros((3,)))


def test_create_and_register():
    assert isinstance(mx.init.create('Xavier', magnitude=2), mx.init.Xavier)
    assert mx.init.create({'initializer': 'zeros'}) == mx.init.Zero()
    assert mx.init.create('["normal", {"sigma": 0.5}]') == mx.init.Normal(0.5)

    @mx.init.register
    class HalfInit(mx.init.Initializer):
        def _init_weight(self, _, arr):
            arr[:] = 0.5

    arr = mx.nd.zeros((2,))
    mx.init.create('halfinit')(mx.init.InitDesc('x_weight'), arr)
    assert arr.asnumpy().tolist() == [0.5, 0.5]
    with pytest.raises(MXNetError, match='nosuch is not registered'):
        mx.init.create('nosuch')
    with pytest.raises(MXNetError, match='cannot be applied to vector'):
        mx.init.Xavier()(mx.init.InitDesc('fc_weight'), mx.nd.zeros((3,)))


def test_verbose_mode_logs_each_array(caplog):
    init = mx.init.Constant(0.5).set_verbosity(True)
    with caplog.at_level('INFO'):
        init(mx.init.InitDesc('fc_weight'), mx.nd.zeros((2, 2)))
        init(mx.init.InitDesc('fc_bias'), mx.nd.zeros((2,)))
    # MXNet's message, with the root mean square of the values.
    messages = [m for m in caplog.messages if m.startswith('Initialized')]
    assert messages == ['Initialized fc_weight as weight: 0.5', 'Initialized fc_bias as bias: 0.0']
