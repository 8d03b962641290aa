"""Graphs with control flow (foreach, while_loop, cond), written against MXNet's Python API.

Each case is ``builder(mx) -> (symbol, {argument: numpy value})``: the same code builds the
graph under MXNet 1.9.1 (make_control_flow_golden.py) and under mxsym
(tests/ops/test_control_flow.py). `VALID_ROWS` names the while_loop outputs whose rows past the
last step MXNet leaves unwritten: only their first rows are recorded.
"""
import numpy as np


def _values(seed, **shapes):
    rng = np.random.RandomState(seed)
    return {name: rng.uniform(-1, 1, shape).astype(np.float32)
            for name, shape in shapes.items()}


def foreach_rnn(mx):
    """An RNN cell over 4 steps: h = tanh(FC(x) + h U), outputs every h and the last one."""
    weight, bias, recurrent = mx.sym.var('W'), mx.sym.var('b'), mx.sym.var('U')

    def step(x, states):
        h = mx.sym.tanh(mx.sym.FullyConnected(x, weight, bias, num_hidden=5)
                        + mx.sym.dot(states[0], recurrent))
        return h, [h]
    outs, states = mx.sym.contrib.foreach(step, mx.sym.var('data'), [mx.sym.var('h0')])
    return (mx.sym.Group([outs, states[0]]),
            _values(0, data=(4, 2, 3), h0=(2, 5), W=(5, 3), b=(5,), U=(5, 5)))


def foreach_nested_lists(mx):
    """Two data arrays (one 1-D: its slices are (1,)), nested states, two outputs per step."""
    def step(data, states):
        d1, d2 = data
        s1, (s2,) = states
        return [d1 * s1, d2 + s2], [s1 + d1, [s2 * d2]]
    outs, states = mx.sym.contrib.foreach(step, [mx.sym.var('d1'), mx.sym.var('d2')],
                                          [mx.sym.var('s1'), [mx.sym.var('s2')]], name='nest')
    return (mx.sym.Group(outs + [states[0], states[1][0]]),
            _values(1, d1=(3, 2), d2=(3,), s1=(2,), s2=(1,)))


def foreach_states_only(mx):
    """A body giving no outputs, only the running sum and an outer graph's value."""
    bias = mx.sym.sum(mx.sym.FullyConnected(mx.sym.var('x'), num_hidden=2, name='fc'), axis=0)
    _, states = mx.sym.contrib.foreach(lambda d, s: ([], [s[0] + d * bias]), mx.sym.var('data'),
                                       [mx.sym.var('acc')])
    return states[0], _values(2, data=(3, 2), acc=(2,), x=(2, 4), fc_weight=(2, 4),
                              fc_bias=(2,))


def while_sum(mx):
    """i counts from 0 while i < 5 (5 of 7 steps); s sums i * w; the step output is 2 s."""
    outs, states = mx.sym.contrib.while_loop(
        cond=lambda i, s: i < 5,
        func=lambda i, s: ([s * 2], [i + 1, s + i * mx.sym.var('w')]),
        loop_vars=[mx.sym.var('i'), mx.sym.var('s')], max_iterations=7)
    values = _values(3, s=(1,), w=(1,))
    values['i'] = np.zeros((1,), np.float32)
    return mx.sym.Group(outs + states), values


def while_vector(mx):
    """x grows by 1.5 x + 0.5 while its sum stays under 10, at most 10 steps."""
    outs, states = mx.sym.contrib.while_loop(
        cond=lambda x: mx.sym.sum(x) < 10,
        func=lambda x: (x * x, x * 1.5 + 0.5),
        loop_vars=mx.sym.var('x'), max_iterations=10)
    return mx.sym.Group([outs, states]), {'x': np.array([0.5, 1, 1.5], np.float32)}


def while_never(mx):
    """A condition false from the start: no step runs, the loop variables come back (MXNet
    gives step outputs of such a loop no shape, so this one has none)."""
    outs, states = mx.sym.contrib.while_loop(
        cond=lambda i, s: i < 5,
        func=lambda i, s: ([], [i + 1, s * 2]),
        loop_vars=[mx.sym.var('i'), mx.sym.var('s')], max_iterations=3)
    values = _values(4, s=(2,))
    values['i'] = np.full((1,), 9, np.float32)
    return mx.sym.Group(outs + states), values


def _cond_graph(mx):
    a, b, w = mx.sym.var('a'), mx.sym.var('b'), mx.sym.var('w')
    return mx.sym.Group(mx.sym.contrib.cond(
        (a * b).sum() < 0.2, lambda: [(a + 5) * (b + 5), b], lambda: [(a - 5) * w, a]))


def cond_then(mx):
    """A comparison picks the then branch."""
    return _cond_graph(mx), {'a': np.full((2, 3), 0.1, np.float32),
                             'b': np.full((2, 3), 0.1, np.float32),
                             'w': _values(5, w=(2, 3))['w']}


def cond_else(mx):
    """The same graph with values that pick the else branch."""
    return _cond_graph(mx), _values(6, a=(2, 3), b=(2, 3), w=(2, 3)) | {
        'b': np.ones((2, 3), np.float32), 'a': np.ones((2, 3), np.float32)}


def foreach_nested(mx):
    """A foreach inside a foreach body, whose inner body reads the outer state: nested
    subgraphs. (MXNet cannot infer shapes through while_loop or cond nested in a foreach.)"""
    def step(x, states):
        s = states[0]
        inner, final = mx.sym.contrib.foreach(lambda r, t: (r * s, [t[0] + r]), x, [s * 0.5])
        return inner, [final[0]]
    outs, states = mx.sym.contrib.foreach(step, mx.sym.var('data'), [mx.sym.var('s')])
    return mx.sym.Group([outs, states[0]]), _values(7, data=(3, 2, 4), s=(4,))


CASES = {case.__name__: case for case in (
    foreach_rnn, foreach_nested_lists, foreach_states_only, while_sum, while_vector,
    while_never, cond_then, cond_else, foreach_nested)}

# Cases MXNet 1.9.1 cannot differentiate (its backward of nested foreach fails to infer
# storage types): outputs only.
FORWARD_ONLY = {'foreach_nested'}

# case -> {output index: rows MXNet writes}; the rest of a while_loop output is padding.
VALID_ROWS = {'while_sum': {0: 5}, 'while_vector': {0: 3}}
