"""`mx.test_utils`: the helpers MXNet's tests and users' own tests are written with.

Comparisons take numpy arrays or NDArrays and use MXNet's per-dtype default tolerances; the
`check_*` functions bind a symbol, run it and compare forward results, backward results or
finite-difference gradients; the statistics helpers test samplers with chi-square tests.
Downloads read local files first; with no network they fail naming the URL and the file.
"""
import contextlib
import gzip
import json
import logging
import numbers
import os
import platform
import struct
import sys
import time
import traceback
import urllib.request
import zipfile

import numpy as np
import numpy.random as rnd
import numpy.testing as npt

from . import io
from .base import MXNetError
from .context import Context, current_context, num_gpus
from .ndarray import NDArray, array
from .ndarray import zeros as nd_zeros
from .random import uniform as random_uniform
from . import symbol as _sym
from .symbol import Symbol
from .util import getenv, setenv, use_np  # noqa: F401  (MXNet's tests import them here)


# ------------------------------------------------------------------------ contexts and tolerances
def default_context():
    """The context tests run on (the current context)."""
    return current_context()


def set_default_context(ctx):
    """Make `ctx` the context `default_context()` returns."""
    Context._default_ctx.value = ctx


def default_dtype():
    """The dtype test arrays are made with."""
    return np.float32


_FLOAT_RTOL = {np.float16: 1e-2, np.float32: 1e-4, np.float64: 1e-5}
_FLOAT_ATOL = {np.float16: 1e-1, np.float32: 1e-3, np.float64: 1e-20}
_EXACT = (np.bool_, np.int8, np.uint8, np.int32, np.uint32, np.int64, np.uint64)


def default_rtols():
    """Relative tolerance per dtype (0 for exact types)."""
    return {np.dtype(t): _FLOAT_RTOL.get(t, 0) for t in tuple(_FLOAT_RTOL) + _EXACT}


def default_atols():
    """Absolute tolerance per dtype (0 for exact types)."""
    return {np.dtype(t): _FLOAT_ATOL.get(t, 0) for t in tuple(_FLOAT_ATOL) + _EXACT}


def default_numeric_eps():
    """Finite-difference step per float dtype (powers of two: no bits lost in the delta)."""
    return {np.dtype(np.float16): 1.0 / 2 ** 6, np.dtype(np.float32): 1.0 / 2 ** 9,
            np.dtype(np.float64): 1.0 / 2 ** 14}


def effective_dtype(dat):
    """The dtype whose tolerance applies to `dat` (its own: JAX on CPU keeps full precision)."""
    return np.dtype(dat.dtype)


def get_tolerance(dat, tol, default_tol):
    """`tol` when a number; else its entry (or the default's) for `dat`'s dtype."""
    if isinstance(tol, numbers.Number):
        return tol
    tol = {} if tol is None else tol
    dtype = effective_dtype(dat)
    return tol.get(dtype, default_tol[dtype])


def get_tols(x, y, rtol, atol):
    """(rtol, atol) for comparing x and y: the looser of the two dtypes' defaults."""
    x = np.array(x) if isinstance(x, numbers.Number) else x
    y = np.array(y) if isinstance(y, numbers.Number) else y
    return (max(get_tolerance(x, rtol, default_rtols()), get_tolerance(y, rtol, default_rtols())),
            max(get_tolerance(x, atol, default_atols()), get_tolerance(y, atol, default_atols())))


def get_atol(atol=None, dtype=np.dtype(np.float64)):
    """`atol`, else the default for `dtype`."""
    return default_atols()[dtype] if atol is None else atol


def get_rtol(rtol=None, dtype=np.dtype(np.float64)):
    """`rtol`, else the default for `dtype`."""
    return default_rtols()[dtype] if rtol is None else rtol


def get_etol(etol=None):
    """The allowed fraction of mismatching elements (0 unless given)."""
    return 0 if etol is None else etol


# ------------------------------------------------------------------------------ random inputs
def random_arrays(*shapes):
    """Standard-normal float32 numpy arrays, one per shape (the array itself for one shape)."""
    arrays = [np.array(np.random.randn(), dtype=default_dtype()) if len(s) == 0
              else np.random.randn(*s).astype(default_dtype()) for s in shapes]
    return arrays[0] if len(arrays) == 1 else arrays


def random_uniform_arrays(*shapes, low=0.0, high=1.0, dtype=None):
    """Uniform numpy arrays on [low, high), one per shape."""
    dtype = default_dtype() if dtype is None else dtype
    return [np.random.uniform(low, high, size=s).astype(dtype) for s in shapes]


def random_sample(population, k):
    """`k` elements of `population` in random order."""
    assert 0 <= k <= len(population)
    shuffled = population[:]
    np.random.shuffle(shuffled)
    return shuffled[:k]


def rand_sparse_ndarray(shape, stype, density=None, dtype=None, distribution=None,
                        data_init=None, rsp_indices=None, modifier_func=None,
                        shuffle_csr_indices=False, ctx=None):
    """A random csr or row_sparse array whose elements (csr) or rows (row_sparse, or those at
    `rsp_indices`) are stored with probability `density` (random when None), uniform on
    [0, 1) (`data_init` when given, then `modifier_func` on each), and its parts:
    ``(data, indices)`` for row_sparse, ``(indptr, indices, data)`` for csr."""
    density = rnd.rand() if density is None else density
    dtype = default_dtype() if dtype is None else dtype
    if distribution not in (None, 'uniform'):
        raise MXNetError("rand_sparse_ndarray: distribution '%s' is not supported"
                         % distribution)
    if stype == 'row_sparse':
        rows = (np.asarray(rsp_indices) if rsp_indices is not None
                else np.argwhere(rnd.rand(shape[0]) < density).flatten())
        stored = np.zeros(shape[0], bool)
        stored[rows] = True
    elif stype == 'csr':
        stored = rnd.rand(*shape) < density
    else:
        raise MXNetError("rand_sparse_ndarray: unknown storage type '%s'" % stype)
    values = np.zeros(shape, dtype)
    picked = rnd.rand(*values[stored].shape).astype(dtype)
    if data_init is not None:
        picked.fill(data_init)
    if modifier_func is not None:
        picked = np.vectorize(modifier_func, otypes=[dtype])(picked)
    values[stored] = picked
    result = array(values, ctx=ctx or default_context(), dtype=dtype).tostype(stype)
    if stype == 'row_sparse':
        return result, (result.data.asnumpy(), result.indices.asnumpy())
    return result, (result.indptr, result.indices, result.data)


def rand_ndarray(shape, stype='default', density=None, dtype=None, modifier_func=None,
                 shuffle_csr_indices=False, distribution=None, ctx=None):
    """A standard-normal NDArray of `shape`, or a random csr or row_sparse one
    (`rand_sparse_ndarray`)."""
    if stype != 'default':
        return rand_sparse_ndarray(shape, stype, density, dtype, distribution,
                                   modifier_func=modifier_func, ctx=ctx)[0]
    return array(random_arrays(shape), ctx=ctx or default_context(), dtype=dtype)


def rand_shape_2d(dim0=10, dim1=10, allow_zero_size=False):
    """A random 2-d shape with sizes up to (dim0, dim1)."""
    low = 0 if allow_zero_size else 1
    return rnd.randint(low, dim0 + 1), rnd.randint(low, dim1 + 1)


def rand_shape_3d(dim0=10, dim1=10, dim2=10, allow_zero_size=False):
    """A random 3-d shape with sizes up to (dim0, dim1, dim2)."""
    low = 0 if allow_zero_size else 1
    return rnd.randint(low, dim0 + 1), rnd.randint(low, dim1 + 1), rnd.randint(low, dim2 + 1)


def rand_shape_nd(num_dim, dim=10, allow_zero_size=False):
    """A random `num_dim`-d shape with sizes up to `dim`."""
    low = 0 if allow_zero_size else 1
    return tuple(rnd.randint(low, dim + 1, size=num_dim))


def rand_coord_2d(x_low, x_high, y_low, y_high):
    """A random integer point in [x_low, x_high) x [y_low, y_high)."""
    return (np.random.randint(x_low, x_high, dtype=np.int64),
            np.random.randint(y_low, y_high, dtype=np.int64))


def np_reduce(dat, axis, keepdims, numpy_reduce_func):
    """Reduce `dat` over `axis` (int, sequence or None) one axis at a time."""
    axes = [axis] if isinstance(axis, int) else \
        (list(axis) if axis is not None else list(range(dat.ndim)))
    result = dat
    for a in sorted(axes, reverse=True):
        result = numpy_reduce_func(result, axis=a)
    if keepdims:
        result = result.reshape([1 if i in axes else n for i, n in enumerate(dat.shape)])
    return result


# -------------------------------------------------------------------------------- comparisons
def _numpy(value):
    return value.asnumpy() if isinstance(value, NDArray) else value


def same(a, b):
    """Whether two arrays are exactly equal (shape and values)."""
    return np.array_equal(_numpy(a), _numpy(b))


def checkShapes(a, b):
    """AssertionError unless `a` and `b` have the same shape."""
    if a.shape != b.shape:
        raise AssertionError(npt.build_err_msg(
            [a, b], err_msg='a.shape = %s and b.shape = %s are not equal' % (a.shape, b.shape)))


def almost_equal(a, b, rtol=None, atol=None, equal_nan=False, use_broadcast=True):
    """Whether two arrays agree within rtol/atol (numpy.allclose)."""
    a, b = _numpy(a), _numpy(b)
    if not use_broadcast:
        checkShapes(a, b)
    return np.allclose(a, b, rtol=get_rtol(rtol), atol=get_atol(atol), equal_nan=equal_nan)


def _find_max_violation(a, b, rtol, atol):
    """(index, ratio) of the element furthest outside the tolerance (infs equal count as 0).
    Zero-dimensional values are compared in float64, as NumPy before 2.0 did under MXNet."""
    if np.ndim(a) == 0:
        a, b = np.float64(a), np.float64(b)
    difference = np.where(np.equal(a, b), 0, np.abs(a - b))
    violation = difference / (atol + rtol * np.abs(b) + 1e-20)
    index = np.unravel_index(np.argmax(violation), violation.shape)
    return index, np.max(violation)


def locationError(a, b, index, names, maxError=False):
    """A line naming where `a` and `b` differ."""
    plain_index = tuple(i.item() if isinstance(i, np.generic) else i for i in index)
    return 'Location of %serror: %s, %s=%.8f, %s=%.8f' % (
        'maximum ' if maxError else '', plain_index, names[0], a[index], names[1], b[index])


def _mismatch_message(a, b, rtol, atol, names, equal_nan, mismatches):
    """Print the worst `mismatches[0]` mismatches (counting up to `mismatches[1]`, all if 0)
    and return the message naming the largest."""
    index, ratio = _find_max_violation(a, b, rtol, atol)
    if index == ():
        return 'Error %f exceeds tolerance rtol=%e, atol=%e.\n' % (ratio, rtol, atol)
    print('\n*** Maximum errors for vector of size {}:  rtol={}, atol={}\n'.format(
        a.size, rtol, atol))
    worst, worst_ratio = index, ratio
    remaining_a, remaining_b = a.copy(), b.copy()
    count = 1
    while count <= a.size:
        if count <= mismatches[0]:
            print('%3d: Error %f  %s' % (count, ratio, locationError(a, b, index, names)))
        remaining_a[index] = remaining_b[index] = 0
        if almost_equal(remaining_a, remaining_b, rtol, atol, equal_nan=equal_nan):
            break
        count += 1
        if count > mismatches[1] > 0:
            break
        index, ratio = _find_max_violation(remaining_a, remaining_b, rtol, atol)
    degree = 'at least ' if mismatches[1] > 0 and count > mismatches[1] else ''
    return 'Error %f exceeds tolerance rtol=%e, atol=%e (mismatch %s%f%%).\n%s' % (
        worst_ratio, rtol, atol, degree, 100 * count / a.size,
        locationError(a, b, worst, names, maxError=True))


def _raise_mismatch(a, b, message):
    with np.printoptions(threshold=4, suppress=True):
        raise AssertionError(npt.build_err_msg([a, b], err_msg=message))


def assert_almost_equal(a, b, rtol=None, atol=None, names=('a', 'b'), equal_nan=False,
                        use_broadcast=True, mismatches=(10, 10)):
    """AssertionError, with the worst mismatches listed, unless a and b agree within
    tolerance (defaults per dtype)."""
    if not use_broadcast:
        checkShapes(a, b)
    rtol, atol = get_tols(a, b, rtol, atol)
    a, b = np.asarray(_numpy(a)), np.asarray(_numpy(b))
    if a.dtype == np.bool_ and b.dtype == np.bool_:
        np.testing.assert_equal(a, b)
        return
    if almost_equal(a, b, rtol, atol, equal_nan=equal_nan):
        return
    a, b = np.broadcast_arrays(a, b)
    _raise_mismatch(a, b, _mismatch_message(a, b, rtol, atol, names, equal_nan, mismatches))


def assert_allclose(a, b, rtol=1e-07, atol=0, equal_nan=True):
    """assert_almost_equal with numpy.testing.assert_allclose's defaults."""
    assert_almost_equal(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)


def assert_almost_equal_with_err(a, b, rtol=None, atol=None, etol=None, names=('a', 'b'),
                                 equal_nan=False, mismatches=(10, 10)):
    """Like assert_almost_equal, but a fraction `etol` of the elements may mismatch (NaNs
    count as mismatches then, as MXNet's)."""
    etol = get_etol(etol)
    if etol <= 0:
        assert_almost_equal(a, b, rtol, atol, names, equal_nan, mismatches=mismatches)
        return
    rtol, atol = get_tols(a, b, rtol, atol)
    a, b = np.asarray(_numpy(a)), np.asarray(_numpy(b))
    close = np.isclose(a, b, rtol=rtol, atol=atol)
    if close.size and 1 - np.count_nonzero(close) / close.size > etol:
        a, b = np.broadcast_arrays(a, b)
        _raise_mismatch(a, b, _mismatch_message(a, b, rtol, atol, names, equal_nan,
                                                mismatches))


def assert_almost_equal_ignore_nan(a, b, rtol=None, atol=None, names=('a', 'b')):
    """assert_almost_equal on the elements where neither array is NaN."""
    a, b = np.copy(_numpy(a)), np.copy(_numpy(b))
    nan_mask = np.logical_or(np.isnan(a), np.isnan(b))
    a[nan_mask] = 0
    b[nan_mask] = 0
    assert_almost_equal(a, b, rtol, atol, names)


def assert_exception(f, exception_type, *args, **kwargs):
    """AssertionError unless ``f(*args, **kwargs)`` raises `exception_type`."""
    try:
        f(*args, **kwargs)
    except exception_type:
        return
    raise AssertionError('%s did not raise %s' % (getattr(f, '__name__', f),
                                                  exception_type.__name__))


def retry(n):
    """Decorator: run a stochastic test up to `n` times until it passes."""
    assert n > 0

    def decorate(f):
        def wrapper(*args, **kwargs):
            for attempt in range(n):
                try:
                    return f(*args, **kwargs)
                except AssertionError:
                    if attempt == n - 1:
                        raise
        return wrapper
    return decorate


def same_array(array1, array2):
    """Whether two NDArrays share memory (a change to one shows in the other)."""
    array1[:] += 1
    if not same(array1.asnumpy(), array2.asnumpy()):
        array1[:] -= 1
        return False
    array1[:] -= 1
    return same(array1.asnumpy(), array2.asnumpy())


def compare_ndarray_tuple(t1, t2, rtol=None, atol=None):
    """assert_almost_equal over two (nested) tuples of arrays; None skips."""
    if t1 is None or t2 is None:
        return
    if isinstance(t1, tuple):
        for s1, s2 in zip(t1, t2):
            compare_ndarray_tuple(s1, s2, rtol, atol)
    else:
        assert_almost_equal(t1, t2, rtol=rtol, atol=atol)


def compare_optimizer(opt1, opt2, shape, dtype, w_stype='default', g_stype='default',
                      rtol=1e-4, atol=1e-5, compare_states=True, ntensors=1):
    """One update by each optimizer from the same random weights and gradients gives the same
    weights (and states). With a list of shapes, `opt2` updates the first `ntensors` weights in
    one multi-tensor call and `opt1` one at a time."""
    if w_stype != 'default' or g_stype != 'default':
        raise MXNetError('compare_optimizer: only dense weights and gradients are supported')
    ctx = default_context()
    if not isinstance(shape, list):
        assert ntensors == 1
        w2 = random_uniform(shape=shape, ctx=ctx, dtype=dtype)
        g2 = random_uniform(shape=shape, ctx=ctx, dtype=dtype)
        w1, g1 = w2.copy(), g2.copy()
        state1 = opt1.create_state_multi_precision(0, w1)
        state2 = opt2.create_state_multi_precision(0, w2)
        if compare_states:
            compare_ndarray_tuple(state1, state2)
        opt1.update_multi_precision(0, w1, g1, state1)
        opt2.update_multi_precision(0, w2, g2, state2)
        if compare_states:
            compare_ndarray_tuple(state1, state2, rtol=rtol, atol=atol)
        assert_almost_equal(w1, w2, rtol=rtol, atol=atol)
        return
    w1, g1 = [], []
    for one_shape in shape:
        w1.append(random_uniform(shape=one_shape, ctx=ctx, dtype=dtype))
        g1.append(random_uniform(shape=one_shape, ctx=ctx, dtype=dtype))
    w2, g2 = tuple(w.copy() for w in w1), tuple(g.copy() for g in g1)
    state2 = [opt2.create_state_multi_precision(0, w2[i]) for i in range(ntensors)]
    opt2.update_multi_precision(list(range(ntensors)), w2, g2, state2)
    for i in range(ntensors):
        state1 = opt1.create_state_multi_precision(i, w1[i])
        opt1.update_multi_precision(i, w1[i], g1[i], state1)
        if compare_states:
            compare_ndarray_tuple(state1, state2[i], rtol, atol)
        compare_ndarray_tuple(w1[i], w2[i], rtol, atol)


def same_symbol_structure(sym1, sym2):
    """Whether two symbols have the same op at every node position."""
    return all(a.get('op') == b.get('op') for a, b in
               zip(_nodes(sym1), _nodes(sym2)))


def _nodes(sym):
    return json.loads(sym.tojson())['nodes']


def collapse_sum_like(a, shape):
    """Sum `a` over the axes broadcasting added to reach it from `shape`."""
    assert len(a.shape) >= len(shape)
    if np.prod(shape) == 0 or a.size == 0:
        return np.zeros(shape, dtype=a.dtype)
    lead = a.ndim - len(shape)
    axes = list(range(lead))
    for i, size in enumerate(shape):
        if size != a.shape[i + lead]:
            assert size == 1
            axes.append(i + lead)
    return np.sum(a, axis=tuple(axes)).reshape(shape)


# ------------------------------------------------------------------------------ symbol checks
def simple_forward(sym, ctx=None, is_train=False, **inputs):
    """Bind `sym` to numpy inputs, run forward, return the output(s) as numpy."""
    executor = sym.bind(ctx or default_context(),
                         args={k: array(v) for k, v in inputs.items()})
    executor.forward(is_train=is_train)
    outputs = [x.asnumpy() for x in executor.outputs]
    return outputs[0] if len(outputs) == 1 else outputs


def _as_ndarrays(values, ctx, dtype):
    return {k: array(v, ctx=ctx, dtype=v.dtype if dtype == 'asnumpy' else dtype)
            if isinstance(v, np.ndarray) else v for k, v in values.items()}


def _parse_location(sym, location, ctx, dtype=default_dtype()):
    """{argument name: NDArray} from a list (in list_arguments order) or a dict."""
    assert isinstance(location, (dict, list, tuple))
    assert dtype == 'asnumpy' or dtype in (np.float16, np.float32, np.float64)
    if isinstance(location, dict):
        if set(location) != set(sym.list_arguments()):
            raise ValueError('Symbol arguments and keys of the given location do not match.'
                             'symbol args:%s, location.keys():%s'
                             % (set(sym.list_arguments()), set(location)))
    else:
        location = dict(zip(sym.list_arguments(), location))
    return dict(sorted(_as_ndarrays(location, ctx, dtype).items()))


def _parse_aux_states(sym, aux_states, ctx, dtype=default_dtype()):
    """{aux name: NDArray} from a list or a dict (None stays None)."""
    assert dtype == 'asnumpy' or dtype in (np.float16, np.float32, np.float64)
    if aux_states is None:
        return None
    names = sym.list_auxiliary_states()
    if isinstance(aux_states, dict):
        if set(aux_states) != set(names):
            raise ValueError('Symbol aux_states names and given aux_states do not match.'
                             'symbol aux_names:%s, aux_states.keys:%s'
                             % (set(names), set(aux_states)))
    else:
        aux_states = dict(zip(names, aux_states))
    return {k: array(v, ctx=ctx, dtype=v.dtype if dtype == 'asnumpy' else dtype)
            for k, v in aux_states.items()}


# An argument of at least this many elements has its perturbed forwards run by one program,
# batch after batch of PERTURBED_ELEMENTS_PER_BATCH elements in all, rather than one forward
# at a time: below it, the forwards cost less than compiling that program.
PERTURBED_AT_ONCE_FROM = 256
PERTURBED_ELEMENTS_PER_BATCH = 1 << 21


def numeric_grad(executor, location, aux_states=None, eps=1e-4, use_forward_train=True,
                 dtype=default_dtype()):
    """Central-difference gradient of sum(output 0) for every float argument in `location`
    (a dict of numpy arrays), element by element: the argument's element plus eps / 2, then
    that minus eps, each a forward. Graphs that draw no random numbers and call nothing on
    the host run the forwards of large arguments batched (`_perturbed_sums`)."""
    assert dtype in (np.float16, np.float32, np.float64)
    gradients = {k: np.zeros(v.shape, dtype=dtype) for k, v in location.items()}
    location = {k: np.array(v, order='C') for k, v in location.items()}
    for k, v in location.items():
        executor.arg_dict[k][:] = v.astype(dtype)

    def set_aux():
        if aux_states is not None:
            for key, value in aux_states.items():
                executor.aux_dict[key][:] = value

    def output_sum():
        set_aux()
        executor.forward(is_train=use_forward_train)
        return executor.outputs[0].asnumpy()

    program = executor.compiled_graph.program
    batched = not (program.uses_random or program.calls_host)
    for k, v in location.items():
        if v.dtype.kind != 'f':
            continue
        if batched and v.size >= PERTURBED_AT_ONCE_FROM:
            set_aux()
            gradients[k][...] = _perturbed_sums(executor, k, v, eps, use_forward_train,
                                                dtype).reshape(v.shape) / eps
            continue
        original = v.copy()
        flat = v.reshape(-1)
        for i in range(flat.size):
            flat[i] += eps / 2.0
            executor.arg_dict[k][:] = v.astype(dtype)
            plus = output_sum()
            flat[i] -= eps
            executor.arg_dict[k][:] = v.astype(dtype)
            minus = output_sum()
            gradients[k].reshape(-1)[i] = (plus - minus).sum() / eps
            flat[i] = original.reshape(-1)[i]
        executor.arg_dict[k][:] = original.astype(dtype)
    return gradients


def _perturbed_sums(executor, name, value, eps, is_train, dtype):
    """``sum(plus_i - minus_i)`` for every element i of argument `name` (at `value`), where
    plus_i and minus_i are output 0 with element i perturbed as numeric_grad perturbs it (in
    the argument's dtype): the perturbed forwards run in batches, by one program
    (`CompiledGraph.perturbed_outputs`) for the argument."""
    flat = value.reshape(-1)
    plus = flat + eps / 2.0
    minus = plus - eps
    position = list(executor.arg_dict).index(name)
    run = executor.compiled_graph.perturbed_outputs(position, bool(is_train))
    args = [a._data for a in executor.arg_arrays]
    aux = [a._data for a in executor.aux_arrays]
    out_size = executor.outputs[0].size
    batch = max(1, min(flat.size, PERTURBED_ELEMENTS_PER_BATCH // (2 * max(flat.size, out_size))))
    sums = np.zeros(flat.size, executor.outputs[0].dtype)
    for first in range(0, flat.size, batch):
        # the last batch is filled up with its last element again: one program for all
        indices = np.minimum(np.arange(first, first + batch), flat.size - 1)
        rows = np.tile(flat, (2 * batch, 1))
        rows[np.arange(batch), indices] = plus[indices]
        rows[np.arange(batch, 2 * batch), indices] = minus[indices]
        outputs = np.asarray(run(args, aux, None, rows.astype(dtype).reshape(
            (2 * batch,) + value.shape))).reshape(2 * batch, -1)
        count = min(batch, flat.size - first)
        sums[first:first + count] = (outputs[:count] - outputs[batch:batch + count]).sum(axis=1)
    return sums


def _grad_requests(grad_nodes, arguments):
    if grad_nodes is None:
        return {k: 'write' for k in arguments}
    if isinstance(grad_nodes, (list, tuple)):
        return {k: 'write' for k in grad_nodes}
    if isinstance(grad_nodes, dict):
        return dict(grad_nodes)
    raise ValueError('grad_nodes must be None, a list or a dict, got %r' % (grad_nodes,))


def check_numeric_gradient(sym, location, aux_states=None, numeric_eps=None, rtol=None,
                           atol=None, grad_nodes=None, use_forward_train=True, ctx=None,
                           grad_stype_dict=None, dtype=default_dtype()):
    """The backward pass of sum(sym * random projection) agrees with finite differences."""
    assert dtype in (np.float16, np.float32, np.float64)
    ctx = ctx or default_context()
    location = _parse_location(sym, location, ctx, dtype)
    location_npy = {k: v.asnumpy() for k, v in location.items()}
    aux_states = _parse_aux_states(sym, aux_states, ctx, dtype)
    aux_npy = None if aux_states is None else {k: v.asnumpy() for k, v in aux_states.items()}
    grad_req = _grad_requests(grad_nodes, sym.list_arguments())
    _, out_shapes, _ = sym.infer_shape(**{k: v.shape for k, v in location.items()})
    projected = _sym.make_loss(sym * _sym.Variable('__random_proj'))
    location['__random_proj'] = array(np.random.rand(*out_shapes[0]) + 0.1, ctx=ctx, dtype=dtype)
    start_grads = {k: np.random.normal(0, 0.01, size=location[k].shape)
                   for k in list(grad_req) + ['__random_proj']}
    args_grad = {k: array(v, ctx=ctx, dtype=dtype) for k, v in start_grads.items()}
    executor = projected.bind(ctx, grad_req=grad_req, args=location, args_grad=args_grad,
                              aux_states=aux_states)
    if len(executor.arg_arrays) != len(location):
        raise ValueError('Executor arg_arrays and and location len do not match.'
                         'Got %d inputs and %d locations'
                         % (len(executor.arg_arrays), len(location)))
    assert len(executor.outputs) == 1
    executor.forward(is_train=True)
    eps = get_tolerance(executor.outputs[0], numeric_eps, default_numeric_eps())
    if dtype in (np.float32, np.float16):
        assert eps >= 1e-5
    executor.backward()
    symbolic = executor.grad_dict
    numeric = numeric_grad(executor, location_npy, aux_npy, eps=eps,
                           use_forward_train=use_forward_train, dtype=dtype)
    for name, req in grad_req.items():
        names = ('NUMERICAL_%s' % name, 'BACKWARD_%s' % name)
        if req == 'write':
            assert_almost_equal(numeric[name], symbolic[name], rtol, atol, names)
        elif req == 'add':
            assert_almost_equal(numeric[name], symbolic[name].asnumpy() - start_grads[name],
                                rtol, atol, names)
        elif req == 'null':
            assert_almost_equal(start_grads[name], symbolic[name], rtol, atol, names)
        else:
            raise ValueError('Invalid grad_req %s for argument %s' % (req, name))


def check_symbolic_forward(sym, location, expected, rtol=None, atol=None, aux_states=None,
                           ctx=None, equal_nan=False, dtype=default_dtype()):
    """The inference forward of `sym` at `location` gives `expected` (list or dict)."""
    assert dtype == 'asnumpy' or dtype in (np.float16, np.float32, np.float64)
    ctx = ctx or default_context()
    location = _parse_location(sym, location, ctx, dtype)
    aux_states = _parse_aux_states(sym, aux_states, ctx, dtype)
    if isinstance(expected, dict):
        expected = [expected[k] for k in sym.list_outputs()]
    args_grad = {k: nd_zeros(v.shape, ctx=ctx, dtype=v.dtype if dtype == 'asnumpy' else dtype)
                 for k, v in location.items()}
    executor = sym.bind(ctx=ctx, args=location, args_grad=args_grad, aux_states=aux_states)
    executor.forward(is_train=False)
    for name, expect, output in zip(sym.list_outputs(), expected, executor.outputs):
        assert_almost_equal(expect, output, rtol, atol, ('EXPECTED_%s' % name,
                                                         'FORWARD_%s' % name),
                            equal_nan=equal_nan)
    return executor.outputs


def check_symbolic_backward(sym, location, out_grads, expected, rtol=None, atol=None,
                            aux_states=None, grad_req='write', ctx=None, grad_stypes=None,
                            equal_nan=False, dtype=default_dtype()):
    """A training forward then backward with `out_grads` gives the `expected` gradients;
    'add' adds to the gradient buffers' random start, 'null' leaves them as they were."""
    assert dtype == 'asnumpy' or dtype in (np.float16, np.float32, np.float64)
    ctx = ctx or default_context()
    location = _parse_location(sym, location, ctx, dtype)
    aux_states = _parse_aux_states(sym, aux_states, ctx, dtype)
    if isinstance(expected, (list, tuple)):
        expected = dict(zip(sym.list_arguments(), expected))
    start_grads = {k: np.random.normal(size=np.shape(v)) for k, v in sorted(expected.items())}
    args_grad = {k: array(v, ctx=ctx, dtype=expected[k].dtype if dtype == 'asnumpy' else dtype)
                 for k, v in start_grads.items()}
    if isinstance(grad_req, str):
        grad_req = {k: grad_req for k in sym.list_arguments()}
    elif isinstance(grad_req, (list, tuple)):
        grad_req = dict(zip(sym.list_arguments(), grad_req))
    executor = sym.bind(ctx=ctx, args=location, args_grad=args_grad, aux_states=aux_states,
                         grad_req=grad_req)
    executor.forward(is_train=True)
    if isinstance(out_grads, (list, tuple)):
        out_grads = [array(g, ctx=ctx, dtype=g.dtype if dtype == 'asnumpy' else dtype)
                     if isinstance(g, np.ndarray) else g for g in out_grads]
    elif isinstance(out_grads, dict):
        out_grads = _as_ndarrays(out_grads, ctx, dtype)
    else:
        assert out_grads is None
    executor.backward(out_grads)
    for name in expected:
        names = ('EXPECTED_%s' % name, 'BACKWARD_%s' % name)
        if grad_req[name] == 'write':
            assert_almost_equal(expected[name], args_grad[name], rtol, atol, names,
                                equal_nan=equal_nan)
        elif grad_req[name] == 'add':
            assert_almost_equal(expected[name], args_grad[name].asnumpy() - start_grads[name],
                                rtol, atol, names, equal_nan=equal_nan)
        elif grad_req[name] == 'null':
            assert_almost_equal(start_grads[name], args_grad[name], rtol, atol, names,
                                equal_nan=equal_nan)
        else:
            raise ValueError('Invalid grad_req %s for argument %s' % (grad_req[name], name))
    return args_grad


def check_speed(sym, location=None, ctx=None, N=20, grad_req=None, typ='whole', **kwargs):
    """Seconds per call of forward+backward ('whole') or forward ('forward'), after warm-up."""
    ctx = ctx or default_context()
    grad_req = grad_req or 'write'
    if location is None:
        executor = sym.simple_bind(grad_req=grad_req, ctx=ctx, **kwargs)
        location = {k: np.random.normal(size=a.shape, scale=1.0)
                    for k, a in executor.arg_dict.items()}
    else:
        assert isinstance(location, dict), 'Expect dict, get "location"=%s' % (location,)
        executor = sym.simple_bind(grad_req=grad_req, ctx=ctx,
                                    **{k: v.shape for k, v in location.items()})
    for name, value in location.items():
        executor.arg_dict[name][:] = value.astype(executor.arg_dict[name].dtype)
    if typ == 'whole':
        def step():
            executor.forward(is_train=True)
            executor.backward(out_grads=executor.outputs)
    elif typ == 'forward':
        def step():
            executor.forward(is_train=False)
    else:
        raise ValueError('typ can only be "whole" or "forward".')
    step()
    for output in executor.outputs:
        output.wait_to_read()
    tic = time.time()
    for _ in range(N):
        step()
    for output in executor.outputs:
        output.wait_to_read()
    return (time.time() - tic) / N


def check_consistency(sym, ctx_list, scale=1.0, grad_req='write', arg_params=None,
                      aux_params=None, rtol=None, atol=None, raise_on_err=True,
                      ground_truth=None, equal_nan=False, use_uniform=False,
                      rand_type=np.float64):
    """The same symbol bound per entry of `ctx_list` (context, shapes, type_dict) gives the
    same outputs and gradients as the most precise binding (or `ground_truth`)."""
    assert len(ctx_list) > 1
    symbols = [sym] * len(ctx_list) if isinstance(sym, Symbol) else list(sym)
    assert len(symbols) == len(ctx_list)
    output_names = symbols[0].list_outputs()
    arg_names = symbols[0].list_arguments()
    executors = []
    for s, spec in zip(symbols, ctx_list):
        assert s.list_arguments() == arg_names
        assert s.list_outputs() == output_names
        executors.append(s.simple_bind(grad_req=grad_req, **spec))
    arg_params = {} if arg_params is None else arg_params
    aux_params = {} if aux_params is None else aux_params
    for name, arr in sorted(executors[0].arg_dict.items()):
        if name not in arg_params:
            if use_uniform:
                value = np.random.uniform(-0.92 * scale, 0.92 * scale, size=arr.shape)
            else:
                value = np.random.normal(size=arr.shape, scale=scale)
            arg_params[name] = value.astype(rand_type)
    for name in executors[0].aux_dict:
        aux_params.setdefault(name, 0)
    for executor in executors:
        for name, arr in executor.arg_dict.items():
            arr[:] = arg_params[name]
        for name, arr in executor.aux_dict.items():
            arr[:] = aux_params[name]
        if grad_req == 'add':
            for arr in executor.grad_arrays:
                if arr is not None:
                    arr[:] = 0
    dtypes = [np.dtype(e.outputs[0].dtype) for e in executors]
    truth_index = int(np.argmax(dtypes))
    truth = ground_truth
    if truth is None:
        truth = dict(executors[truth_index].output_dict)
        if grad_req != 'null':
            truth.update(executors[truth_index].grad_dict)

    def compare(where, arr, expected, rt, at):
        try:
            assert_almost_equal(arr, expected, rtol=rt, atol=at, equal_nan=equal_nan)
        except AssertionError as err:
            print(where)
            traceback.print_exc()
            if raise_on_err:
                raise
            print(str(err))

    for executor in executors:
        executor.forward(is_train=False)
    for i, executor in enumerate(executors):
        if i != truth_index:
            for name, arr in zip(output_names, executor.outputs):
                compare('Predict Err: ctx %d vs ctx %d at %s' % (i, truth_index, name), arr,
                        truth[name], rtol, atol)
    if grad_req == 'null':
        return truth
    for executor in executors:
        executor.forward(is_train=True)
    least_precise = [min((e.outputs[j].dtype for e in executors),
                         key=lambda d: np.dtype(d).itemsize)
                     for j in range(len(output_names))]
    head_grads = [out.asnumpy().astype(dt) for out, dt in zip(executors[0].outputs,
                                                                least_precise)]
    for executor in executors:
        executor.backward([array(g, ctx=out.context, dtype=out.dtype)
                           for g, out in zip(head_grads, executor.outputs)])
    for i, executor in enumerate(executors):
        if i == truth_index:
            continue
        for name, arr in zip(output_names + arg_names,
                             executor.outputs + executor.grad_arrays):
            expected = truth[name]
            if expected is None:
                assert arr is None
                continue
            rt, at = rtol, atol
            if np.dtype(arr.dtype).itemsize > dtypes[i].itemsize or \
                    np.dtype(expected.dtype).itemsize > dtypes[truth_index].itemsize:
                rt, at = get_tols(arr.astype(_smaller(arr.dtype, dtypes[i])),
                                  expected.astype(_smaller(expected.dtype,
                                                           dtypes[truth_index])), rtol, atol)
            compare('Train Err: {} {} ctx {} vs {} {} ctx {} at {}'.format(
                np.dtype(arr.dtype).name, arr.context, i, np.dtype(expected.dtype).name,
                getattr(expected, 'context', 'numpy'), truth_index, name),
                arr, expected, rt, at)
    return truth


def _smaller(dtype1, dtype2):
    return dtype1 if np.dtype(dtype1).itemsize < np.dtype(dtype2).itemsize else dtype2


# ------------------------------------------------------------------------------ environment
@contextlib.contextmanager
def environment(*args):
    """`with environment(name, value)` or `with environment({name: value})`: set (None:
    unset) environment variables for the body, restoring them afterwards."""
    if len(args) == 1 and isinstance(args[0], dict):
        wanted = args[0]
    else:
        assert len(args) == 2, 'Expecting one dict arg or two args: env var name and value'
        wanted = {args[0]: args[1]}
    snapshot = {name: os.environ.get(name) for name in wanted}
    for name, value in wanted.items():
        setenv(name, value)
    try:
        yield
    finally:
        for name, value in snapshot.items():
            setenv(name, value)


@contextlib.contextmanager
def discard_stderr():
    """Send everything written to standard error's file descriptor (where native code writes)
    to /dev/null inside the block; descriptor 2 when sys.stderr has none."""
    try:
        stderr_fd = sys.stderr.fileno()
    except (AttributeError, ValueError, OSError):
        stderr_fd = 2
    sys.stderr.flush()
    saved = os.dup(stderr_fd)
    with open(os.devnull, 'w') as bit_bucket:
        os.dup2(bit_bucket.fileno(), stderr_fd)
        try:
            yield
        finally:
            os.dup2(saved, stderr_fd)
            os.close(saved)


def list_gpus():
    """Indices of the GPUs available (a range)."""
    return range(num_gpus())


def is_cd_run():
    """Whether tests run as part of a continuous-delivery job (CD_JOB=1)."""
    return os.environ.get('CD_JOB', 0) == '1'


def is_aarch64_run():
    """Whether this machine is aarch64."""
    return platform.machine() == 'aarch64'


def has_tvm_ops():
    """TVM-generated operators are never present."""
    return False


def is_op_runnable():
    """Whether the TVM-only operators can run here (never)."""
    return False


# -------------------------------------------------------------------------------- data files
def download(url, fname=None, dirname=None, overwrite=False, retries=5):
    """`url` saved as `fname` (in `dirname`); an existing file is kept unless `overwrite`.
    Tries `retries` times (at least once); the OSError at the end names the URL and the file
    to put in place to work offline. A failed download leaves no file behind."""
    assert retries >= 0, 'Number of retries should be at least 0'
    fname = fname or url.split('/')[-1]
    if dirname is None:
        dirname = os.path.dirname(fname)
    else:
        fname = os.path.join(dirname, fname)
    if dirname:
        os.makedirs(dirname, exist_ok=True)
    if not overwrite and os.path.exists(fname):
        logging.info('%s exists, skipping download', fname)
        return fname
    attempts = max(retries, 1)
    partial = fname + '.part'
    for left in reversed(range(attempts)):
        try:
            with urllib.request.urlopen(url) as response, open(partial, 'wb') as out:
                while True:
                    chunk = response.read(1 << 16)
                    if not chunk:
                        break
                    out.write(chunk)
            os.replace(partial, fname)
            logging.info('downloaded %s into %s successfully', url, fname)
            return fname
        except OSError as err:
            if os.path.exists(partial):
                os.remove(partial)
            if not left:
                raise OSError('download: could not fetch %s (%s); put the file at %s to use '
                              'it offline' % (url, err, os.path.abspath(fname))) from err
            print('download failed, retrying, {} attempt{} left'.format(
                left, 's' if left > 1 else ''))


_MNIST_URL = 'http://data.mxnet.io/data/mnist/'


def get_mnist():
    """MNIST as {'train_data', 'train_label', 'test_data', 'test_label'} numpy arrays (images
    N x 1 x 28 x 28 float32 in [0, 1]), from the gzipped idx files (downloaded if missing)."""
    def read(label_file, image_file):
        with gzip.open(download(_MNIST_URL + label_file)) as labels:
            struct.unpack('>II', labels.read(8))
            label = np.frombuffer(labels.read(), dtype=np.int8)
        with gzip.open(download(_MNIST_URL + image_file)) as images:
            _, _, rows, cols = struct.unpack('>IIII', images.read(16))
            image = np.frombuffer(images.read(), dtype=np.uint8).reshape(len(label), 1, rows,
                                                                         cols)
        return label, image.astype(np.float32) / 255
    train_label, train_data = read('train-labels-idx1-ubyte.gz', 'train-images-idx3-ubyte.gz')
    test_label, test_data = read('t10k-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz')
    return {'train_data': train_data, 'train_label': train_label,
            'test_data': test_data, 'test_label': test_label}


def _fetch_zip(url, needed):
    os.makedirs('data', exist_ok=True)
    if not all(os.path.exists(os.path.join('data', f)) for f in needed):
        with zipfile.ZipFile(download(url, dirname='data')) as archive:
            archive.extractall('data')


def get_mnist_pkl():
    """data/mnist.pkl.gz (downloaded if missing)."""
    os.makedirs('data', exist_ok=True)
    if not os.path.exists('data/mnist.pkl.gz'):
        download('http://deeplearning.net/data/mnist/mnist.pkl.gz', dirname='data')


def get_mnist_ubyte():
    """The four MNIST idx files under data/ (the zip downloaded and extracted if missing)."""
    _fetch_zip('http://data.mxnet.io/mxnet/data/mnist.zip',
               ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte',
                't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'])


def get_cifar10():
    """CIFAR-10 record files under data/cifar/ (downloaded and extracted if missing)."""
    _fetch_zip('http://data.mxnet.io/mxnet/data/cifar10.zip',
               ['cifar/train.rec', 'cifar/test.rec', 'cifar/train.lst', 'cifar/test.lst'])


def _read_idx(path):
    with open(path, 'rb') as f:
        magic = struct.unpack('>I', f.read(4))[0]
        dims = struct.unpack('>' + 'I' * (magic & 0xff), f.read(4 * (magic & 0xff)))
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(dims)


def get_mnist_iterator(batch_size, input_shape, num_parts=1, part_index=0):
    """(train, val) iterators over MNIST from data/ (images scaled to [0, 1], shaped
    `input_shape` per sample; the training set shuffled; part `part_index` of `num_parts`)."""
    get_mnist_ubyte()

    def make(prefix, shuffle):
        images = _read_idx('data/%s-images-idx3-ubyte' % prefix).astype(np.float32) / 255
        labels = _read_idx('data/%s-labels-idx1-ubyte' % prefix).astype(np.float32)
        part = slice(len(labels) * part_index // num_parts,
                     len(labels) * (part_index + 1) // num_parts)
        images = images[part].reshape((-1,) + tuple(input_shape))
        return io.NDArrayIter(images, labels[part], batch_size, shuffle=shuffle,
                              last_batch_handle='discard')
    return make('train', True), make('t10k', False)


class DummyIter(io.DataIter):
    """Returns the first batch of `real_iter` forever (for speed tests)."""

    def __init__(self, real_iter):
        super().__init__()
        self.real_iter = real_iter
        self.provide_data = real_iter.provide_data
        self.provide_label = real_iter.provide_label
        self.batch_size = real_iter.batch_size
        self.the_batch = next(real_iter)

    def __iter__(self):
        return self

    def next(self):
        return self.the_batch


# ------------------------------------------------------------------------ sampler statistics
def gen_buckets_probs_with_ppf(ppf, nbuckets):
    """`nbuckets` equal-probability buckets from a quantile function."""
    assert nbuckets > 0
    probs = [1.0 / nbuckets] * nbuckets
    buckets = [(ppf(i / float(nbuckets)), ppf((i + 1) / float(nbuckets)))
               for i in range(nbuckets)]
    return buckets, probs


def mean_check(generator, mu, sigma, nsamples=1000000):
    """Whether the sample mean lies within mu +- 3 sigma / sqrt(n)."""
    mean = np.array(generator(nsamples)).mean()
    bound = 3 * sigma / np.sqrt(nsamples)
    return mu - bound < mean < mu + bound


def var_check(generator, sigma, nsamples=1000000):
    """Whether the sample variance lies within sigma^2 +- 3 sqrt(2 sigma^4 / (n - 1))."""
    var = np.array(generator(nsamples)).var(ddof=1)
    bound = 3 * np.sqrt(2 * sigma ** 4 / (nsamples - 1))
    return sigma ** 2 - bound < var < sigma ** 2 + bound


def chi_square_check(generator, buckets, probs, nsamples=1000000):
    """(p value, observed, expected) of a chi-square test of `generator`'s samples against
    `probs` over `buckets` (ranges for continuous values, values for discrete ones)."""
    import scipy.stats as ss  # optional: only the statistics helpers need scipy
    samples = np.asarray(generator(nsamples))
    assert len(probs) == len(buckets)
    expected = (nsamples * np.array(probs, dtype=np.float32)).astype(np.int32)
    observed = np.zeros(len(buckets), dtype=np.int64)
    if isinstance(buckets[0], (list, tuple)):
        edges = np.array(buckets, dtype=np.float32).reshape(-1)
        for i in range(len(buckets) - 1):
            assert buckets[i][0] <= buckets[i][1] <= buckets[i + 1][0]
        ids = np.searchsorted(edges, samples, side='right')
        inside = ids % 2 == 1
        ids = ids // 2
        for i in range(len(buckets)):
            observed[i] = np.sum(inside & (ids == i))
    else:
        for i, value in enumerate(buckets):
            observed[i] = np.sum(samples == value)
    _, p = ss.chisquare(f_obs=observed, f_exp=expected)
    return p, observed, expected


def verify_generator(generator, buckets, probs, nsamples=1000000, nrepeat=5, success_rate=0.2,
                     alpha=0.05):
    """Repeat the chi-square test `nrepeat` times; AssertionError unless at least
    `success_rate` of them have p > alpha. Returns the p values."""
    results = [chi_square_check(generator, buckets, probs, nsamples) for _ in range(nrepeat)]
    p_values = [r[0] for r in results]
    if (np.array(p_values) > alpha).sum() < nrepeat * success_rate:
        raise AssertionError('Generator test fails, Chi-square p=%s, obs_freq=%s, '
                             'expected_freq=%s.\nbuckets=%s, probs=%s'
                             % (p_values, [r[1] for r in results], [r[2] for r in results],
                                buckets, probs))
    return p_values


# --------------------------------------------------------------------------- matrix builders
def assign_each(the_input, function):
    """`function` applied to every element of a numpy array."""
    return np.vectorize(function)(the_input) if function is not None else np.array(the_input)


def assign_each2(input1, input2, function):
    """`function` applied elementwise to two numpy arrays."""
    return np.vectorize(function)(input1, input2) if function is not None else np.array(input1)


def create_2d_tensor(rows, columns, dtype=np.int64):
    """NDArray whose row i is filled with i."""
    return array(np.repeat(np.arange(rows, dtype=dtype)[:, None], columns, axis=1), dtype=dtype)


def create_vector(size, dtype=np.int64):
    """NDArray 0 .. size-1."""
    return array(np.arange(size, dtype=dtype), dtype=dtype)


def get_identity_mat(size):
    """NDArray identity matrix."""
    return array(np.eye(size))


def get_identity_mat_batch(size):
    """NDArray of two stacked identity matrices."""
    return array(np.stack([np.eye(size)] * 2))


def new_matrix_with_real_eigvals_2d(n):
    """A random n x n matrix with real, well-separated eigenvalues."""
    shape = (n, n)
    q = np.ones(shape)
    while 1:
        d = np.random.randint(-20, 20, n).astype(float)
        d[d == 0] = 1
        if len(np.unique(d)) == n:
            break
    while abs(np.linalg.det(q)) < 1e-2:
        q = np.random.uniform(-1, 1, shape)
    return np.dot(np.dot(q, np.diag(d)), np.linalg.inv(q))


def new_matrix_with_real_eigvals_nd(shape):
    """A batch of matrices with real eigenvalues."""
    n = shape[-1]
    return np.array([new_matrix_with_real_eigvals_2d(n)
                     for _ in range(int(np.prod(shape[:-2])))]).reshape(shape)


def new_orthonormal_matrix_2d(n):
    """A random n x n orthonormal matrix."""
    q, _ = np.linalg.qr(np.random.uniform(-1, 1, (n, n)))
    return q


def new_sym_matrix_with_real_eigvals_2d(n):
    """A random symmetric n x n matrix."""
    q = new_orthonormal_matrix_2d(n)
    return np.dot(np.dot(q, np.diag(np.random.uniform(-1, 1, n))), q.T)


def new_sym_matrix_with_real_eigvals_nd(shape):
    """A batch of random symmetric matrices."""
    n = shape[-1]
    return np.array([new_sym_matrix_with_real_eigvals_2d(n)
                     for _ in range(int(np.prod(shape[:-2])))]).reshape(shape)
