"""Frames (mxsym/frames.py): a small elementwise graph's first run, on one program per frame
length, gives the bits the program compiled for its exact shapes gives."""
import numpy as np
import pytest

import mxsym as mx
from mxsym import compilation_cache, frames
from mxsym.compiled_graph import compiled_graph

SHAPE_PAIRS = [((3, 1, 4), (1, 5, 1)), ((2, 3), (3,)), ((4,), (4,)), ((1,), (2, 2, 3)),
               ((2, 1, 3, 1, 2), (1, 4, 1, 5, 1))]


def _graphs():
    a, b = mx.sym.Variable('a'), mx.sym.Variable('b')
    return {
        'div': mx.sym.broadcast_div(a, b),
        'power_tanh': mx.sym.broadcast_mul(mx.sym.broadcast_power(a, b), mx.sym.tanh(a)),
        'max_plus_scalar': mx.sym.broadcast_maximum(a, b) + 2,
        'mod_float64': mx.sym.broadcast_mod(mx.sym.cast(a, dtype='float64'),
                                            mx.sym.cast(b, dtype='float64')),
        'hypot_relu': mx.sym.relu(mx.sym.broadcast_hypot(a, b) - 1),
        'sub_block': mx.sym.broadcast_sub(a, mx.sym.BlockGrad(b)),
    }


def _run(graph, x, y, head, grad_req, runs):
    """Outputs and gradients of the `runs`-th training forward and backward of one executor."""
    grads = {'a': mx.nd.ones(x.shape), 'b': mx.nd.ones(y.shape)}
    executor = graph.bind(mx.cpu(), {'a': mx.nd.array(x), 'b': mx.nd.array(y)},
                          args_grad=grads, grad_req=grad_req)
    for _ in range(runs):
        for array in grads.values():
            array[:] = 1
        output = executor.forward(is_train=True)[0].asnumpy()
        executor.backward(mx.nd.array(head))
    return [output] + [g.asnumpy() for g in executor.grad_arrays]


@pytest.mark.parametrize('name', sorted(_graphs()))
@pytest.mark.parametrize('shapes', SHAPE_PAIRS, ids=str)
@pytest.mark.parametrize('grad_req', ['write', 'add'])
def test_first_training_run_on_a_frame_gives_the_exact_programs_bits(name, shapes, grad_req):
    graph = _graphs()[name]
    rng = np.random.RandomState(len(name))
    x, y = (rng.rand(*shape).astype(np.float32) + 0.5 for shape in shapes)
    head = rng.rand(*np.broadcast_shapes(*shapes)).astype(np.float32)
    on_frame = _run(graph, x, y, head, grad_req, runs=1)
    exact = _run(graph, x, y, head, grad_req, runs=2)
    for framed, compiled in zip(on_frame, exact):
        assert framed.dtype == compiled.dtype and framed.shape == compiled.shape
    np.testing.assert_array_equal(on_frame[0], exact[0])
    # the gradients' sums of several terms may round apart in the last bit: another program
    for framed, compiled in zip(on_frame[1:], exact[1:]):
        np.testing.assert_array_max_ulp(framed, compiled, maxulp=1)
    # and the values are right: the gradient of a broadcast argument sums over its copies
    if name == 'div':
        expected = _summed_to(head / np.broadcast_to(y, head.shape), x.shape)
        np.testing.assert_allclose(on_frame[1], expected + (grad_req == 'add'), rtol=1e-5)


def _summed_to(values, shape):
    """`values` summed over the axes `shape` was broadcast along."""
    values = values.sum(axis=tuple(range(values.ndim - len(shape))))
    return values.sum(axis=tuple(i for i, n in enumerate(shape) if n == 1), keepdims=True)


@pytest.mark.parametrize('is_train', [False, True])
def test_first_inference_run_on_a_frame_gives_the_exact_programs_bits(is_train):
    a, b = mx.sym.Variable('a'), mx.sym.Variable('b')
    graph = mx.sym.sqrt(mx.sym.broadcast_add(a, b)) / 3
    x = np.random.RandomState(0).rand(5, 1, 3).astype(np.float32)
    y = np.random.RandomState(1).rand(4, 1).astype(np.float32)
    executor = graph.bind(mx.cpu(), {'a': mx.nd.array(x), 'b': mx.nd.array(y)})
    first = executor.forward(is_train=is_train)[0].asnumpy()
    second = executor.forward(is_train=is_train)[0].asnumpy()
    np.testing.assert_array_equal(first, second)
    np.testing.assert_allclose(first, np.sqrt(x + y) / 3, rtol=1e-6)


EAGER_CASES = {
    'broadcast_add': lambda x, y: mx.nd.broadcast_add(x, y),
    'broadcast_div': lambda x, y: mx.nd.broadcast_div(x, y),
    'broadcast_mod': lambda x, y: mx.nd.broadcast_mod(x, y),
    'broadcast_power': lambda x, y: mx.nd.broadcast_power(x, y),
    'broadcast_equal': lambda x, y: mx.nd.broadcast_equal(x, y),
    'rdiv_scalar': lambda x, y: 3 / x,
    'exp': lambda x, y: mx.nd.exp(x),
    'clip': lambda x, y: mx.nd.clip(x, 1, 2),
}


@pytest.mark.parametrize('name', sorted(EAGER_CASES))
@pytest.mark.parametrize('dtype', ['float16', 'float32', 'float64', 'int32'])
def test_first_eager_call_on_a_frame_gives_the_exact_programs_bits(name, dtype):
    rng = np.random.RandomState(3)
    x = mx.nd.array(rng.rand(3, 1, 4) * 5 + 0.5, dtype=dtype)
    y = mx.nd.array(rng.rand(5, 1) * 3 + 0.5, dtype=dtype)
    if name in ('exp', 'clip', 'rdiv_scalar'):
        y = None
    first = EAGER_CASES[name](x, y).asnumpy()
    second = EAGER_CASES[name](x, y).asnumpy()
    assert first.dtype == second.dtype and first.shape == second.shape
    np.testing.assert_array_equal(first, second)


def test_random_shapes_share_a_program_per_frame_length():
    a, b = mx.sym.Variable('a'), mx.sym.Variable('b')
    graph = mx.sym.exp(mx.sym.broadcast_mul(a, b))
    rng = np.random.RandomState(7)
    shapes = set()
    while len(shapes) < 40:
        shape = tuple(rng.randint(1, 6, size=rng.randint(1, 5)))
        other = tuple(n if rng.rand() < 0.5 else 1 for n in shape)
        shapes.add((shape, other))
    lengths = {frames.frame_length(int(np.prod(s))) for s, _ in shapes}
    before = compilation_cache._compilations
    for x_shape, y_shape in sorted(shapes):
        x, y = rng.rand(*x_shape), rng.rand(*y_shape)
        executor = graph.bind(mx.cpu(), {'a': mx.nd.array(x), 'b': mx.nd.array(y)},
                              args_grad={'a': mx.nd.zeros(x_shape), 'b': mx.nd.zeros(y_shape)})
        out = executor.forward(is_train=True)[0].asnumpy()
        executor.backward(mx.nd.ones(out.shape))
        np.testing.assert_allclose(out, np.exp(x * y), rtol=1e-5)
        np.testing.assert_allclose(executor.grad_arrays[1].asnumpy(),
                                   _summed_to(x * np.exp(x * y), y_shape), rtol=1e-5)
    assert compilation_cache._compilations - before <= len(lengths)


@pytest.mark.parametrize('arg_shapes, out_shapes, length', [
    ([(3, 1), (1, 4)], [(3, 4)], 16),
    ([(17,), (17,)], [(17,)], 32),
    ([(2, 3)], [(2, 3), (2, 3)], 16),
    ([(3, 1), (1, 4)], [(3, 1)], None),        # an output smaller than the frame
    ([(2, 3), (3, 2)], [(2, 3)], None),        # shapes that do not broadcast
    ([(0, 3)], [(0, 3)], None),                # nothing to run
    ([(1025, 1024)], [(1025, 1024)], None),    # past the longest frame
])
def test_frame_of_shapes(arg_shapes, out_shapes, length):
    frame = frames.Frame.of(arg_shapes, out_shapes)
    assert (frame and frame.length) == length


def test_frame_indices_read_each_broadcast_position():
    frame = frames.Frame.of([(3, 1), (1, 4)], [(3, 4)])
    lhs, rhs = frame.indices
    np.testing.assert_array_equal(lhs[:12], np.repeat(np.arange(3), 4))
    np.testing.assert_array_equal(rhs[:12], np.tile(np.arange(4), 3))
    # the padding reads the element past each argument's end
    assert (lhs[12:] == frame.length).all() and (rhs[12:] == frame.length).all()


def test_only_elementwise_graphs_run_on_frames():
    a, b = mx.sym.Variable('a'), mx.sym.Variable('b')
    elementwise = mx.sym.broadcast_add(a, mx.sym.exp(b))
    reduced = mx.sym.sum(mx.sym.broadcast_add(a, b), axis=1, keepdims=True)
    drawn = mx.sym.broadcast_add(a, mx.sym.random.uniform(shape=(2, 3)))
    assert frames.elementwise(compiled_graph(elementwise).program)
    assert not frames.elementwise(compiled_graph(reduced).program)
    assert not frames.elementwise(compiled_graph(drawn).program)


def test_integer_graphs_forward_on_a_frame_and_backward_as_mxnet():
    """A graph through int32 values runs its first forward on a frame; its backward is
    MXNet's integer one (integer_grad.py): zero through the cast."""
    a, b = mx.sym.Variable('a'), mx.sym.Variable('b')
    graph = mx.sym.broadcast_mod(mx.sym.cast(a, dtype='int32'), mx.sym.cast(b, dtype='int32'))
    x, y = np.array([[7.0, 9.0, 12.0]]), np.array([[4.0], [5.0]])
    executor = graph.bind(mx.cpu(), {'a': mx.nd.array(x), 'b': mx.nd.array(y)},
                          args_grad={'a': mx.nd.ones((1, 3)), 'b': mx.nd.ones((2, 1))})
    out = executor.forward(is_train=True)[0].asnumpy()
    executor.backward(mx.nd.ones((2, 3), dtype='int32'))
    np.testing.assert_array_equal(out, [[3, 1, 0], [2, 4, 2]])
    assert out.dtype == np.int32
    for grad in executor.grad_arrays:
        np.testing.assert_array_equal(grad.asnumpy(), np.zeros(grad.shape))


# ---------------------------------------------------------------------------- row frames
REDUCTION_CASES = [   # (op, params, data shape)
    ('sum', {}, (4, 3, 5)),
    ('sum', {'axis': (0, 2), 'keepdims': True}, (5, 3, 5, 2, 3)),
    ('mean', {'axis': 1}, (3, 4, 4)),
    ('mean', {'axis': (0, 2), 'exclude': True}, (2, 3, 4, 5)),
    ('prod', {'axis': (1, 2)}, (3, 4, 3, 5)),
    ('nansum', {'axis': (0, 1)}, (4, 5, 4)),
    ('nanprod', {'axis': 2, 'keepdims': True}, (3, 5, 4)),
    ('max', {'axis': (0, 3)}, (5, 2, 3, 4)),
    ('min', {}, (5, 5, 4)),
    ('norm', {'axis': (1,)}, (3, 4, 5)),
    ('norm', {'ord': 1, 'keepdims': True}, (5, 3, 5, 3)),
    ('sum', {'axis': 0}, (7,)),
]


def _reduction_runs(op, params, x, head, grad_req):
    """[(output, gradient) of the first training run, ... of the second] of one executor."""
    graph = getattr(mx.sym, op)(mx.sym.Variable('a'), **params)
    grad = mx.nd.ones(x.shape)
    executor = graph.bind(mx.cpu(), {'a': mx.nd.array(x)}, args_grad={'a': grad},
                          grad_req=grad_req)
    runs = []
    for _ in range(2):
        grad[:] = 1
        output = executor.forward(is_train=True)[0].asnumpy()
        executor.backward(mx.nd.array(head.reshape(output.shape)))
        runs.append((output, grad.asnumpy()))
    return runs


@pytest.mark.parametrize('op, params, shape', REDUCTION_CASES, ids=str)
@pytest.mark.parametrize('grad_req', ['write', 'add'])
def test_first_reduction_on_a_row_frame_gives_the_exact_programs_bits(op, params, shape,
                                                                      grad_req):
    rng = np.random.RandomState(len(shape))
    x = (rng.rand(*shape) - 0.3).astype(np.float32)
    if op.startswith('nan'):
        x[rng.rand(*shape) < 0.2] = np.nan
    reference = {'sum': np.sum, 'mean': np.mean, 'prod': np.prod, 'nansum': np.nansum,
                 'nanprod': np.nanprod, 'max': np.max, 'min': np.min,
                 'norm': lambda v, axis, keepdims: (
                     np.sum(np.abs(v), axis=axis, keepdims=keepdims) if params.get('ord') == 1
                     else np.sqrt(np.sum(v * v, axis=axis, keepdims=keepdims)))}[op]
    axis = params.get('axis')
    axis = (axis,) if isinstance(axis, int) else axis
    if params.get('exclude'):
        axis = tuple(i for i in range(len(shape)) if i not in axis)
    expected = np.asarray(reference(x, axis=axis, keepdims=params.get('keepdims', False)))
    head = rng.rand(max(expected.size, 1)).astype(np.float32)
    (framed, framed_grad), (exact, exact_grad) = _reduction_runs(op, params, x, head, grad_req)
    assert framed.shape == exact.shape == (expected.shape or (1,))
    np.testing.assert_array_equal(framed, exact)
    np.testing.assert_allclose(framed.reshape(-1), expected.reshape(-1), rtol=1e-5)
    np.testing.assert_array_max_ulp(framed_grad, exact_grad, maxulp=1)


def test_row_frame_indices_read_each_reduced_element_by_rows():
    frame = frames.RowFrame.of((2, 3, 4), (0, 2), (3,))
    (index,) = frame.indices
    assert frame.out_layout == (4, 1) and index.shape == (4, 8) and frame.length == 32
    positions = np.arange(24).reshape(2, 3, 4)
    for row in range(3):
        np.testing.assert_array_equal(index[row], positions[:, row, :].reshape(-1))
    # the padded row reads the element past the argument's end
    assert (index[3] == frame.length).all()


@pytest.mark.parametrize('shape, axes, length', [
    ((5,), (0,), 5), ((3, 4), (1,), 16), ((5, 3), (0,), 20), ((0, 3), (1,), None),
    ((1024, 5), (1,), None)])      # a matrix past compile_options.QUICK_ELEMENTS
def test_row_frame_of_shapes(shape, axes, length):
    frame = frames.RowFrame.of(shape, axes, (1,))
    assert (frame and frame.length) == length


def test_random_reductions_share_a_program_per_row_frame():
    graph = mx.sym.sum(mx.sym.Variable('a'), axis=(0, 2))
    rng = np.random.RandomState(3)
    cases = {(int(a), int(b), int(c)) for a, b, c in rng.randint(1, 6, size=(40, 3))}
    layouts = {(frames.frame_rows(b), a * c) for a, b, c in cases}
    before = compilation_cache._compilations
    for shape in sorted(cases):
        x = rng.rand(*shape)
        executor = graph.bind(mx.cpu(), {'a': mx.nd.array(x)}, args_grad={'a': mx.nd.zeros(shape)})
        out = executor.forward(is_train=True)[0].asnumpy()
        executor.backward(mx.nd.ones(out.shape))
        np.testing.assert_allclose(out, x.sum(axis=(0, 2)), rtol=1e-5)
        np.testing.assert_array_equal(executor.grad_arrays[0].asnumpy(), np.ones(shape))
    assert compilation_cache._compilations - before <= len(layouts) < len(cases)


@pytest.mark.parametrize('op, params, shape', REDUCTION_CASES, ids=str)
def test_first_eager_reduction_on_a_row_frame_gives_the_exact_programs_bits(op, params, shape):
    x = mx.nd.array(np.random.RandomState(len(shape)).rand(*shape) - 0.3)
    first = getattr(mx.nd, op)(x, **params).asnumpy()
    second = getattr(mx.nd, op)(x, **params).asnumpy()
    assert first.shape == second.shape
    np.testing.assert_array_equal(first, second)


def test_eager_reductions_over_other_axes_share_row_frame_programs():
    x = np.random.RandomState(5).rand(3, 4, 5)
    mx.nd.sum(mx.nd.array(x), axis=(0, 2)).asnumpy()     # rows of 4, 15 columns: compiled
    before = compilation_cache._compilations
    for params in [{'axis': (2, 0), 'keepdims': True}, {'axis': 1, 'exclude': True}]:
        out = mx.nd.sum(mx.nd.array(x), **params).asnumpy()
        np.testing.assert_allclose(out.reshape(-1), x.sum(axis=(0, 2)), rtol=1e-6)
    # first calls of other attrs, run by the same row program
    assert compilation_cache._compilations == before
