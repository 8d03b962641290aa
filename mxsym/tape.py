"""The autograd tape: recording and training modes, the recorded computations, and gradients
by replaying them.

While recording (`mx.autograd.record`), each computation on an array that is already on the
tape (a marked `Variable`, or the result of a recorded computation) is appended as a
`TapeNode`: a pure JAX function, its argument values, and where each argument came from. An
array's place on the tape is its ``_entry``: ``(node, output index)``, or None.

`gradients` replays the nodes between the variables and the heads as one JAX function and
takes its `jax.vjp`. With ``create_graph`` the gradient computation is itself recorded as a
node (the pullback of the replay), so it can be differentiated again.
"""
import threading
import warnings
from types import SimpleNamespace

import jax
import jax.numpy as jnp
import numpy as np

from .base import MXNetError
from .integer_grad import op_gradients
from .ops.integer_rules import float64_vjp


# ---- recording and training modes (per thread, as MXNet's) ----

class _Modes(threading.local):
    recording = False
    training = False


_modes = _Modes()


def set_recording(is_recording):
    """Turn recording on or off; the previous state."""
    previous, _modes.recording = _modes.recording, bool(is_recording)
    return previous


def set_training(train_mode):
    """Turn training mode (Dropout drops, BatchNorm uses batch statistics) on or off; the
    previous state."""
    previous, _modes.training = _modes.training, bool(train_mode)
    return previous


def is_recording():
    return _modes.recording


def is_training():
    return _modes.training


# ---- the tape ----

class Variable:
    """An array marked for gradients: its gradient array, how it is written ('write', 'add',
    'null'), and whether a backward has written it since the flag was last cleared."""

    __slots__ = ('grad', 'grad_req', 'fresh')
    freed = False
    entries = ()

    def __init__(self, grad, grad_req):
        self.grad, self.grad_req, self.fresh = grad, grad_req, False


class TapeNode:
    """One recorded computation: ``fn(*values)`` gives a tuple of outputs (or one output).

    `entries` holds, per argument, the tape entry it came from, or None for a constant;
    `values` the arguments as they were. `op_name` and `attrs` name an operator for
    `autograd.get_symbol` (None for other computations); an operator's first argument is its
    PRNG key. A backward that does not retain the
    graph sets `freed`.
    """

    __slots__ = ('fn', 'entries', 'values', 'op_name', 'attrs', 'freed')

    def __init__(self, fn, entries, values, op_name, attrs):
        self.fn, self.entries, self.values = fn, entries, values
        self.op_name, self.attrs, self.freed = op_name, attrs, False


def entry_of(value):
    """The live tape entry of an argument; None for a constant or a freed graph's array."""
    entry = getattr(value, '_entry', None)
    return None if entry is None or entry[0].freed else entry


def record(fn, args, outputs, op_name=None, attrs=None, always=False):
    """Put ``outputs = fn(*args)`` on the tape when recording and an argument is on it (or
    `always`: a graph of gradients). Array arguments are taken by value now; other arguments
    (keys, indices) are passed as they are."""
    if not (always or _modes.recording):
        return
    entries = tuple(entry_of(arg) for arg in args)
    if not always and all(entry is None for entry in entries):
        return
    values = tuple(arg._data if hasattr(arg, '_entry') else arg for arg in args)
    node = TapeNode(fn, entries, values, op_name, attrs)
    for index, output in enumerate(outputs):
        output._entry = (node, index)


def check_assignable(array, value=None):
    """While recording, an array already on the tape may not be overwritten, nor part of an
    array be written from one on the tape (MXNet's rule: the written array would be both an
    input and an output of the recorded write)."""
    if _modes.recording and (entry_of(array) is not None or entry_of(value) is not None):
        raise MXNetError('Inplace operations (+=, -=, x[:]=, etc) are not supported when '
                         'recording with autograd: %s; do in-place updates outside '
                         'autograd.record() or after backward'
                         % ('the array is already in a computational graph'
                            if entry_of(array) is not None else
                            'the value written is in a computational graph'))


# ---- differentiation ----

def _history(heads):
    """(recorded nodes in topological order, variables reached, each with its value) behind
    the heads' entries; MXNetError for a head that is not on the tape."""
    order, variables, seen = [], {}, set()
    for position, head in enumerate(heads):
        if entry_of(head) is None:
            raise MXNetError('backward: head %d is not in a computational graph: compute it '
                             'inside autograd.record() from arrays with attach_grad(), and pass '
                             'retain_graph=True to differentiate the same graph twice'
                             % position)
    stack = [(head._entry[0], False) for head in heads]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, Variable):
            continue
        if node.freed:
            raise MXNetError('backward: the graph behind the heads was freed by an earlier '
                             'backward; pass retain_graph=True to differentiate it again')
        stack.append((node, True))
        for entry, value in zip(node.entries, node.values):
            if entry is None:
                continue
            if isinstance(entry[0], Variable):
                variables.setdefault(entry[0], value)
                seen.add(id(entry[0]))
            elif id(entry[0]) not in seen:
                stack.append((entry[0], False))
    for head in heads:
        if isinstance(head._entry[0], Variable):
            variables.setdefault(head._entry[0], head._data)
    return order, variables


def _replay(order, variables, heads):
    """The recorded computation as a pure function: variable values -> head values."""
    head_entries = [head._entry for head in heads]

    def run(*variable_values):
        results = {var: (value,) for var, value in zip(variables, variable_values)}
        for node in order:
            args = [value if entry is None else results[entry[0]][entry[1]]
                    for entry, value in zip(node.entries, node.values)]
            outputs = node.fn(*args)
            results[node] = outputs if isinstance(outputs, tuple) else (outputs,)
        return [results[node][index] for node, index in head_entries]
    return run


def _cotangent(head_grad, head_value):
    """A head's gradient as jax.vjp takes it: ones when None, float0 for integer heads."""
    if not jnp.issubdtype(head_value.dtype, jnp.inexact):
        return np.zeros(head_value.shape, jax.dtypes.float0)
    if head_grad is None:
        return jnp.ones(head_value.shape, head_value.dtype)
    return _given_head_gradient(head_grad, head_value)


def _given_head_gradient(head_grad, head_value):
    """A head gradient given for a head, in the head's dtype and shape. One of more elements
    gives its first ones, with a warning, as MXNet reads as many elements as the head has
    whatever the array given; one of fewer is an MXNetError (MXNet would read past its end)."""
    size = np.size(head_grad)
    if size < head_value.size:
        raise MXNetError('backward: a head gradient of shape %s was given for a head of shape '
                         '%s (fewer elements)' % (np.shape(head_grad), head_value.shape))
    head_grad = jnp.asarray(head_grad, head_value.dtype)
    if size > head_value.size:
        warnings.warn('backward: a head gradient of shape %s was given for a head of shape %s: '
                      'its first %d elements are used, as MXNet does'
                      % (head_grad.shape, head_value.shape, head_value.size), stacklevel=4)
        head_grad = head_grad.reshape(-1)[:head_value.size]
    return head_grad.reshape(head_value.shape)


def _as_gradient(gradient, value):
    """A gradient as a value of the variable's dtype (float0 gradients become zeros)."""
    if gradient.dtype == jax.dtypes.float0:
        return jnp.zeros(value.shape, value.dtype)
    return gradient


def backward(heads, head_grads, retain_graph, train_mode):
    """Write the gradients of the heads into every variable they reach whose grad_req is not
    'null' (as 'write' or 'add' says)."""
    previous = set_training(train_mode)
    try:
        wanted, result, _ = _gradients(heads, head_grads, None, retain_graph)
    finally:
        set_training(previous)
    for var, gradient in zip(wanted, result):
        if var.grad_req == 'add':
            gradient = var.grad._data + gradient.astype(var.grad.dtype)
        var.grad._set_data(gradient.astype(var.grad.dtype))
        var.fresh = True


def grad(heads, variables, head_grads, retain_graph, create_graph, train_mode, array_type):
    """The gradients of the heads with respect to the arrays `variables`, as new arrays; with
    `create_graph` they are on the tape, to be differentiated again."""
    previous = set_training(train_mode)
    try:
        _, result, (pullback, args) = _gradients(heads, head_grads, variables, retain_graph)
    finally:
        set_training(previous)
    ctx = heads[0].context
    arrays = [array_type(value, ctx) for value in result]
    if create_graph:
        record(pullback, args, arrays, always=True)
    return arrays


def _gradients(heads, head_grads, targets, retain_graph):
    """(Variables differentiated, their gradient values, the pullback as a function of the
    variables' and head gradients' values with its arguments) for the heads (arrays).

    `targets`: None for every variable the heads reach whose grad_req is not 'null', or a list
    of arrays marked with attach_grad.
    """
    head_grads = [None] * len(heads) if head_grads is None else list(head_grads)
    if len(head_grads) != len(heads):
        raise MXNetError('backward: %d heads but %d head gradients'
                         % (len(heads), len(head_grads)))
    order, reached = _history(heads)
    if targets is None:
        wanted = [var for var in reached if var.grad_req != 'null']
        if not wanted:
            raise MXNetError('backward: no array in the computational graph requires a '
                             'gradient (mark one with attach_grad() with a grad_req other than '
                             "'null')")
    else:
        wanted = []
        for position, target in enumerate(targets):
            entry = entry_of(target)
            if entry is None or not isinstance(entry[0], Variable):
                raise MXNetError('grad: variable %d does not require a gradient (call '
                                 'attach_grad() on it before recording)' % position)
            if entry[0] not in reached:
                raise MXNetError('grad: variable %d is unreachable from the heads' % position)
            wanted.append(entry[0])
    variables = list(reached)
    positions = [variables.index(var) for var in wanted]
    if _touches_integers(order, reached):
        pullback = _integer_pullback(order, variables, heads, positions)
    else:
        pullback = _float_pullback(order, variables, heads, positions)
    args = [_VariableValue(var, reached[var]) for var in variables] + head_grads
    result = pullback(*[None if arg is None else arg._data for arg in args])
    if not retain_graph:
        for node in order:
            node.freed = True
    return wanted, result, (pullback, args)


def _float_pullback(order, variables, heads, positions):
    """The gradients of the wanted variables (`positions`) as one JAX vjp of the replay: a
    function of the variables' values followed by the head gradients."""
    run = _replay(order, variables, heads)

    def pullback(*values):
        variable_values, cotangent_values = values[:len(variables)], values[len(variables):]
        head_values, vjp = jax.vjp(run, *variable_values)
        cotangents = [_cotangent(cotangent, value)
                      for cotangent, value in zip(cotangent_values, head_values)]
        found = vjp(cotangents)
        return tuple(_as_gradient(found[p], variable_values[p]) for p in positions)
    return pullback


def _is_float(value):
    return jnp.issubdtype(value.dtype, jnp.inexact)


def _touches_integers(order, variables):
    """Whether an integer value lies on the recorded path (a variable or a recorded input)."""
    return (any(not _is_float(value) for value in variables.values())
            or any(entry is not None and not _is_float(value)
                   for node in order for entry, value in zip(node.entries, node.values)))


def _integer_pullback(order, variables, heads, positions):
    """The gradients of the wanted variables as MXNet computes them where integers take
    part: a reverse sweep over the recorded nodes, one cotangent per value in the value's own
    dtype (integer_grad.py's rules per op; recorded array methods as float64 vjps)."""
    head_entries = [head._entry for head in heads]

    def pullback(*values):
        variable_values, head_grads = values[:len(variables)], values[len(variables):]
        results = {var: (value,) for var, value in zip(variables, variable_values)}
        for node in order:
            outputs = node.fn(*_node_args(node, results))
            results[node] = outputs if isinstance(outputs, tuple) else (outputs,)
        cotangents = {}

        def accumulate(entry, gradient):
            if gradient is not None:
                previous = cotangents.get(entry)
                cotangents[entry] = gradient if previous is None else previous + gradient

        for (node, index), head_grad in zip(head_entries, head_grads):
            value = results[node][index]
            accumulate((node, index), jnp.ones(value.shape, value.dtype) if head_grad is None
                       else _given_head_gradient(head_grad, value))
        for node in reversed(order):
            outputs = results[node]
            node_heads = [cotangents.get((node, i)) for i in range(len(outputs))]
            if all(head is None for head in node_heads):
                continue
            args = _node_args(node, results)
            for entry, gradient in zip(node.entries,
                                       _recorded_gradients(node, args, outputs, node_heads)):
                if entry is not None:
                    accumulate(entry, gradient)
        return tuple(_wanted_gradient(cotangents.get((variables[p], 0)), variable_values[p])
                     for p in positions)
    return pullback


def _node_args(node, results):
    return [value if entry is None else results[entry[0]][entry[1]]
            for entry, value in zip(node.entries, node.values)]


def _wanted_gradient(gradient, value):
    return jnp.zeros(value.shape, value.dtype) if gradient is None else gradient.astype(
        value.dtype)


def _recorded_gradients(node, args, outputs, heads):
    """One gradient per argument of a recorded node (None where none): an operator call by
    its op's rules, an array method (indexing, reshape, astype) as a float64 vjp."""
    on_tape = [i for i, entry in enumerate(node.entries) if entry is not None]
    program = node.fn
    if hasattr(program, 'op'):   # an operator call: (key, *inputs) -> outputs + aux values
        key, inputs = args[0], args[1:]
        count = program.num_outputs
        positions = [i - 1 for i in on_tape if i - 1 not in program.nondiff]
        found = op_gradients(program.op, program.params,
                             lambda *values: program(key, *values)[:count], inputs,
                             outputs[:count], heads[:count], positions, program.op.name)
        return [None] + found
    rule = SimpleNamespace(integer_backward=float64_vjp())
    return op_gradients(rule, None, lambda *values: _as_tuple(program(*values)), args,
                        outputs, heads, on_tape, 'a recorded array operation')


def _as_tuple(outputs):
    return outputs if isinstance(outputs, tuple) else (outputs,)


class _VariableValue:
    """A variable as an argument of a recorded gradient: its entry and value."""

    __slots__ = ('_entry', '_data')

    def __init__(self, variable, value):
        self._entry, self._data = (variable, 0), value
