"""`mxsym.ndarray` against MXNet 1.9.1: every case in golden/ndarray.json is replayed here.

The cases (made by golden/make_ndarray_golden.py) are snippets that leave a result in ``out``;
the result, or the type of the exception raised, must be what MXNet gave.
"""
import json
import os
import pickle
import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import mxsym as mx
from mxsym import MXNetError, cpu, gpu, num_gpus
from mxsym import ndarray as nd

GOLDEN_PATH = os.path.join(os.path.dirname(__file__), 'golden', 'ndarray.json')
with open(GOLDEN_PATH) as golden_file:
    GOLDEN = json.load(golden_file)


def describe(out):
    """What a snippet's result is, in the golden file's JSON terms."""
    if isinstance(out, nd.NDArray):
        values = out.asnumpy()
        summary = {'dtype': np.dtype(out.dtype).name, 'shape': list(out.shape)}
        if values.size > 100:
            return dict(summary, sum=values.astype(np.float64).sum())
        return dict(summary, values=values)
    if isinstance(out, np.ndarray):
        return {'ndarray': out.tolist(), 'dtype': out.dtype.name}
    if isinstance(out, np.generic):
        return {'scalar': out.item(), 'dtype': out.dtype.name}
    if isinstance(out, (tuple, list)):
        return {'items': [describe(item) for item in out]}
    return {'value': json.loads(json.dumps(out))}


def assert_matches(got, expected):
    """`got` (from describe) equals MXNet's `expected`, NaNs and the sign of zero included."""
    assert set(got) == set(expected)
    if 'items' in expected:
        assert len(got['items']) == len(expected['items'])
        for got_item, expected_item in zip(got['items'], expected['items']):
            assert_matches(got_item, expected_item)
        return
    for key, want in expected.items():
        if key == 'values':
            want = np.array(want, dtype=expected['dtype']).reshape(expected['shape'])
            have = got['values']
            assert np.array_equal(have, want, equal_nan=have.dtype.kind == 'f')
            if have.dtype.kind == 'f':  # the sign of zeros; a NaN's sign means nothing
                numbers = ~np.isnan(want)
                assert np.array_equal(np.signbit(have[numbers]), np.signbit(want[numbers]))
        elif key == 'sum':
            assert got['sum'] == pytest.approx(want, rel=1e-12)
        else:
            assert got[key] == want


def run(code):
    """Runs a golden snippet with mxsym; its ``out``, or the exception it raised."""
    scope = dict(GOLDEN['inputs'], nd=nd, np=np, cpu=cpu)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        exec(code, scope)
    return scope['out']


def check_case(case):
    if 'error' in case:
        with pytest.raises(Exception) as raised:
            run(case['code'])
        assert type(raised.value).__name__ == case['error']
        return
    out = run(case['code'])
    expected = {key: value for key, value in case.items() if key not in ('code', 'repr')}
    assert_matches(describe(out), expected)
    if 'repr' in case:
        assert repr(out) == case['repr']


def golden_cases(section):
    cases = GOLDEN[section]
    return pytest.mark.parametrize('case', cases, ids=[case['code'] for case in cases])


@golden_cases('repr')
def test_repr_and_values(case):
    check_case(case)


@golden_cases('arithmetic')
def test_arithmetic(case):
    check_case(case)


@golden_cases('inplace')
def test_inplace_arithmetic(case):
    check_case(case)


@golden_cases('indexing')
def test_indexing_and_views(case):
    check_case(case)


@golden_cases('setitem')
def test_setitem(case):
    check_case(case)


@golden_cases('methods')
def test_methods(case):
    check_case(case)


@golden_cases('creation')
def test_creation(case):
    check_case(case)


# ---- what the rest of mxsym relies on, beyond MXNet's Python surface ----

def test_set_data_replaces_values_in_place():
    array = nd.zeros((2, 3))
    held = array
    array._set_data(jnp.full((2, 3), 4.0, jnp.float32))
    assert held is array
    assert held.asnumpy().tolist() == [[4.0] * 3] * 2


def test_set_data_on_a_view_writes_through_to_its_array():
    array = nd.arange(6).reshape((2, 3))
    row = array[1]
    row._set_data(jnp.array([7.0, 8.0, 9.0], jnp.float32))
    assert array.asnumpy().tolist() == [[0.0, 1.0, 2.0], [7.0, 8.0, 9.0]]


def test_set_data_on_an_array_is_seen_by_its_views():
    array = nd.arange(6)
    tail = array[3:]
    array._set_data(jnp.arange(10.0, 16.0, dtype=jnp.float32))
    assert tail.asnumpy().tolist() == [13.0, 14.0, 15.0]


def test_an_array_made_from_a_handle_shares_its_values():
    a = nd.ones((2, 3))
    b = nd.NDArray(a.handle, writable=False)
    assert isinstance(a.handle, mx.base.NDArrayHandle) and b.shape == (2, 3)
    a[0] = 5
    np.testing.assert_array_equal(b.asnumpy(), [[5, 5, 5], [1, 1, 1]])
    writer = nd.NDArray(b.handle)
    writer += 1
    np.testing.assert_array_equal(a.asnumpy(), [[6, 6, 6], [2, 2, 2]])


@pytest.mark.parametrize('update, message', [
    (lambda x: x.__iadd__(1), 'trying to add to a readonly NDArray'),
    (lambda x: x.__isub__(1), 'trying to subtract from a readonly NDArray'),
    (lambda x: x.__imul__(2), 'trying to multiply to a readonly NDArray'),
    (lambda x: x.__itruediv__(2), 'trying to divide from a readonly NDArray'),
    (lambda x: x.__imod__(2), 'trying to take modulo from a readonly NDArray')])
def test_readonly_arrays_refuse_in_place_arithmetic(update, message):
    a = nd.ones((2,))
    with pytest.raises(ValueError, match=message):
        update(nd.NDArray(a.handle, writable=False))
    with pytest.raises(ValueError, match=message):
        update(nd.NDArray(a.handle, writable=False)[0:1])
    np.testing.assert_array_equal(a.asnumpy(), [1, 1])


def test_a_handle_of_no_live_array_is_an_error():
    with pytest.raises(MXNetError, match='names no live array'):
        nd.NDArray(mx.base.NDArrayHandle(12345))


def test_wraps_a_jax_array_on_the_current_context():
    array = nd.NDArray(jnp.ones(2, jnp.float64))
    assert array.context == cpu(0)
    assert array.dtype is np.float64
    assert array._data.dtype == jnp.float64


@pytest.mark.parametrize('create', [
    lambda ctx: nd.ones(2, ctx=ctx), lambda ctx: nd.zeros(2, ctx),
    lambda ctx: nd.array([1, 2], ctx), lambda ctx: nd.arange(3, ctx=ctx),
    lambda ctx: nd.ones(2).copyto(ctx)])
def test_a_missing_gpu_is_a_clear_error(create):
    if num_gpus() > 0:
        assert create(gpu(0)).context == gpu(0)
    else:
        with pytest.raises(MXNetError, match='gpu'):
            create(gpu(0))


def test_float_int_and_numpy_conversion():
    assert float(nd.array([2.5])) == 2.5
    assert int(nd.array([[-2.5]])) == -2
    assert np.asarray(nd.array([[1, 2]], dtype='int32')).tolist() == [[1, 2]]
    with pytest.raises(TypeError):
        float(nd.array([1, 2]))


def test_unsupported_dtype_names_the_supported_ones():
    with pytest.raises(TypeError, match='int16.*float32'):
        nd.zeros(2, dtype='int16')


def test_waiting_returns_nothing():
    array = nd.ones(3) * 2
    assert array.wait_to_read() is None
    assert nd.waitall() is None
    assert array.asnumpy().tolist() == [2.0, 2.0, 2.0]


def test_pickle_and_dlpack_keep_values():
    a = mx.nd.arange(6).reshape((2, 3))
    assert np.array_equal(pickle.loads(pickle.dumps(a)).asnumpy(), a.asnumpy())
    assert np.array_equal(mx.nd.from_dlpack(a.to_dlpack_for_read()).asnumpy(), a.asnumpy())


@pytest.mark.parametrize('spec, shape', [((-2,), (2, 3, 5)), ((-3, -1), (6, 5)),
                                         ((0, -4, 3, -1), (2, 3, 5)), ((-1, 0), (10, 3))])
def test_reshape_codes(spec, shape):
    source = mx.nd.arange(30).reshape((2, 3, 5))
    if spec == (0, -4, 3, -1):
        source = source.reshape((2, 15))
    assert source.reshape(spec).shape == shape


def test_contrib_helpers_and_runtime_features():
    x = mx.nd.array([1, np.inf, np.nan])
    assert mx.nd.contrib.isinf(x).asnumpy().tolist() == [0, 1, 0]
    assert mx.nd.contrib.isnan(x).asnumpy().tolist() == [0, 0, 1]
    assert mx.nd.contrib.isfinite(x).asnumpy().tolist() == [1, 0, 0]
    assert mx.runtime.Features().is_enabled('lapack')
    with pytest.raises(RuntimeError):
        mx.runtime.Features().is_enabled('NO_SUCH_FEATURE')


# ---- mx.nd.contrib control flow, rand_zipfian, mx.nd.random.*_like ----

def test_contrib_foreach_stacks_outputs_and_records_gradients():
    data = mx.nd.arange(6).reshape((2, 3))
    state = mx.nd.ones(3)
    state.attach_grad()
    with mx.autograd.record():
        outputs, states = mx.nd.contrib.foreach(
            lambda item, states: ([item + states[0]], [states[0] * 2]), data, [state])
        loss = outputs[0].sum() + states[0].sum()
    loss.backward()
    np.testing.assert_allclose(outputs[0].asnumpy(), [[1, 2, 3], [5, 6, 7]])
    np.testing.assert_allclose(states[0].asnumpy(), [4, 4, 4])
    np.testing.assert_allclose(state.grad.asnumpy(), [7, 7, 7])


def test_contrib_while_loop_pads_to_max_iterations():
    outputs, (i, s) = mx.nd.contrib.while_loop(
        lambda i, s: i <= 5, lambda i, s: ([i + s], [i + 1, s + i]),
        (mx.nd.array([0], dtype='int64'), mx.nd.array([1], dtype='int64')), max_iterations=10)
    assert outputs[0].shape == (10, 1)
    assert outputs[0].asnumpy()[:6, 0].tolist() == [1, 2, 4, 7, 11, 16]
    assert (i.asscalar(), s.asscalar()) == (6, 16)
    with pytest.raises(ValueError, match='max_iterations'):
        mx.nd.contrib.while_loop(lambda x: x < 1, lambda x: (x, x), mx.nd.zeros(1))


def test_contrib_cond_runs_one_branch():
    a, b = mx.nd.array([1]), mx.nd.array([2])
    result = mx.nd.contrib.cond(a * b < 5, lambda: (a + 5) * (b + 5), lambda: (a - 5) * (b - 5))
    assert result.asscalar() == 42


def test_rand_zipfian_nd_and_sym():
    mx.random.seed(0)
    sampled, count_true, count_sampled = mx.nd.contrib.rand_zipfian(mx.nd.array([3, 0]), 5, 10)
    assert sampled.dtype == np.int64 and sampled.shape == (5,)
    assert ((sampled.asnumpy() >= 0) & (sampled.asnumpy() < 10)).all()
    np.testing.assert_allclose(count_true.asnumpy(), np.log([5 / 4, 2]) / np.log(11) * 5)
    classes = sampled.asnumpy()
    np.testing.assert_allclose(count_sampled.asnumpy(),
                               np.log((classes + 2) / (classes + 1)) / np.log(11) * 5)
    symbols = mx.sym.contrib.rand_zipfian(mx.sym.var('true'), 5, 10)
    assert len(symbols) == 3
    exe = mx.sym.Group(list(symbols)).bind(mx.cpu(), {'true': mx.nd.array([3, 0])})
    np.testing.assert_allclose(exe.forward()[1].asnumpy(), count_true.asnumpy())


@pytest.mark.parametrize('name, params', [('uniform', {'low': 2, 'high': 3}),
                                          ('normal', {}), ('gamma', {'alpha': 2.0}),
                                          ('exponential', {}), ('poisson', {'lam': 3.0}),
                                          ('negative_binomial', {'k': 2, 'p': 0.5}),
                                          ('generalized_negative_binomial', {})])
def test_random_like_samplers(name, params):
    data = mx.nd.zeros((3, 4), dtype='float64')
    drawn = getattr(mx.nd.random, name + '_like')(data, **params)
    assert drawn.shape == (3, 4) and drawn.dtype == np.float64
    net = getattr(mx.sym.random, name + '_like')(mx.sym.var('data'), **params)
    assert json.loads(net.tojson())['nodes'][1]['op'] == '_random_%s_like' % name
    assert net.infer_shape(data=(3, 4))[1] == [(3, 4)]


@pytest.mark.parametrize('make', [mx.nd.zeros, mx.nd.ones])
@pytest.mark.parametrize('shape', [(), (0, 1, 3, 0)])
def test_zeros_and_ones_refuse_unknown_shapes_in_legacy_mode(make, shape):
    with pytest.raises(mx.MXNetError, match='inferring shapes failed'):
        make(shape)
    with mx.np_shape():
        assert make(shape).shape == shape


def test_filled_arrays_of_new_shapes_compile_nothing():
    compiles = []

    def listen(event, duration, **kwargs):
        if event == '/jax/core/compile/backend_compile_duration':
            compiles.append(event)
    mx.nd.full((1,), 2.5, dtype='float16')
    jax.monitoring.register_event_duration_secs_listener(listen)
    try:
        made = [mx.nd.zeros((2, 7, 3)), mx.nd.ones((5, 1), dtype='int32'),
                mx.nd.empty((3, 3, 3, 2)), mx.nd.full((4, 6), 2.5, dtype='float16')]
    finally:
        jax.monitoring.unregister_event_duration_listener(listen)
    assert compiles == []
    for array, value, dtype in zip(made, (0, 1, 0, 2.5),
                                   (np.float32, np.int32, np.float32, np.float16)):
        assert array.dtype == dtype
        np.testing.assert_array_equal(array.asnumpy(), np.full(array.shape, value, dtype))


def test_samplers_without_a_shape_draw_one_value_or_fill_out():
    drawn = mx.nd.random.randint(low=5, high=10)
    assert drawn.shape == (1,) and drawn.dtype == np.int32 and 5 <= drawn.asscalar() < 10
    out = mx.nd.zeros((50,))
    mx.nd.random.uniform(out=out)
    assert len(set(out.asnumpy().tolist())) == 50


def test_mx_contrib_is_the_other_spelling_of_the_contrib_namespaces():
    assert mx.contrib.nd.box_nms is mx.nd.contrib.box_nms
    assert mx.contrib.sym.foreach is mx.sym.contrib.foreach
    boxes = mx.nd.array([[0.9, 0, 0, 1, 1], [0.8, 0, 0, 1, 1]])
    kept = mx.contrib.ndarray.box_nms(boxes, overlap_thresh=0.5, coord_start=1,
                                      score_index=0, id_index=-1)
    assert kept.asnumpy()[1].tolist() == [-1] * 5


@pytest.mark.parametrize('key', [(slice(None, 2), Ellipsis, None, 0), (1, slice(2, 5), None),
                                 (slice(1, 3), None, slice(1, 3), slice(None), None)])
def test_setitem_takes_values_shaped_with_the_new_axes_of_none(key):
    """As NumPy, a[key] = v accepts v of a[key]'s shape, the axes None adds included."""
    base = np.arange(4 * 5 * 3, dtype='int32').reshape(4, 5, 3)
    values = -np.arange(base[key].size, dtype='int32').reshape(base[key].shape)
    array = mx.nd.array(base, dtype='int32')
    array[key] = values
    base[key] = values
    np.testing.assert_array_equal(array.asnumpy(), base)
