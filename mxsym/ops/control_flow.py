"""Control flow: `_foreach`, `_while_loop` and `_cond`, whose nodes hold subgraphs.

A node's subgraphs come lowered in ``ctx.subgraphs``: ``function(inputs, key)`` runs one on its
inputs, listed in the subgraph's ``list_inputs`` order, and gives its outputs. The params say
where each subgraph input comes from among the node's inputs (the ``*_locs``).

`_foreach` is a `lax.scan` over axis 0 of its data. `_while_loop` is a `lax.while_loop` of at
most ``max_iterations`` steps, whose per-step outputs fill ``max_iterations`` rows (zeros past
the last step, as MXNet pads them); in training it runs as a `lax.scan` of guarded steps, the
form reverse-mode autodiff passes through. `_cond` is a `lax.cond`.
"""
from functools import partial
from typing import Any, Callable, NamedTuple

import jax
import jax.numpy as jnp
from jax import lax

from ..base import MXNetError
from ..ops_registry import MAX_OUTPUTS, Int, Param, Shape, register
from .rules import merge_shapes


def _count(lower):
    # MXNet bounds neither count from above; mxsym's bound keeps a small file from asking
    # for millions of inputs or outputs.
    return Param(Int(lower, MAX_OUTPUTS))


_LOCS = Param(Shape())


def _pick(values, locs):
    return [values[loc] for loc in locs]


def _arrange(size, groups):
    """A subgraph's input list of `size` items from (locations, values) groups."""
    placed = [None] * size
    for locs, values in groups:
        for loc, value in zip(locs, values):
            placed[loc] = value
    return placed


def _fold(key, *items):
    """A key of its own for one subgraph run (None when the program draws no randomness)."""
    for item in items:
        key = None if key is None else jax.random.fold_in(key, item)
    return key


def _as_bool(pred, what):
    """A condition subgraph's output as a boolean scalar; it must hold one value."""
    if pred.size != 1:
        raise MXNetError('%s must give one value, but gives shape %s' % (what, pred.shape))
    return jnp.reshape(pred, ()) != 0


def _outputs(params):
    """MXNet's names for outputs of an op that declares none."""
    if params.num_outputs == 1:
        return ['output']
    return ['output%d' % i for i in range(params.num_outputs)]


# ---------------------------------------------------------------------- inference kinds
class _Kind(NamedTuple):
    """One kind of value the rules infer (shapes or dtypes): how two partial values merge
    (None on a conflict), and how a value of one step relates to its stack along axis 0."""

    what: str
    merge: Callable
    step: Callable       # the value of one step of a stacked value
    stacked: Callable    # (step value, number of steps) -> the stacked value
    length: Callable     # the number of steps in a stacked value (0: unknown)
    data: Callable       # (data value given, value of its slices, length) -> the data's value
    describe: Any = str


def _merge_dtypes(known, new):
    if known is None or new is None or known == new:
        return new if new is not None else known
    return None


def _step_shape(shape):
    """A slice along axis 0; 1-D data gives (1,)-shaped slices, as MXNet's ``At``."""
    if shape is None:
        return None
    return tuple(shape[1:]) if len(shape) > 1 else (1,)


def _stacked_shape(shape, length):
    return None if shape is None else (length,) + tuple(shape)


def _data_shape(given, step, length):
    """1-D data keeps its shape: its slices are (1,) whatever it is."""
    return given if given is not None and len(given) == 1 else _stacked_shape(step, length)


SHAPES = _Kind('shape', merge_shapes, _step_shape, _stacked_shape,
               lambda s: s[0] if s else 0, _data_shape,
               lambda s: 'unknown' if s is None else str(tuple(s)))
DTYPES = _Kind('dtype', _merge_dtypes, lambda t: t, lambda t, _: t, lambda t: 0,
               lambda given, step, _: step)


def _merged(kind, known, new, what):
    merged = kind.merge(known, new)
    if merged is None and known is not None and new is not None:
        raise MXNetError('%s is %s in one place and %s in another'
                         % (what, kind.describe(known), kind.describe(new)))
    return merged


def _put_back(kind, values, locs, found, what):
    """Merge a subgraph's inferred input values back into the node's inputs at `locs`."""
    for loc, value in zip(locs, found):
        values[loc] = _merged(kind, values[loc], value, '%s of input data%d' % (what, loc))


# ---------------------------------------------------------------------- _foreach
def _foreach_parts(params, values):
    """(data, states, remaining inputs) among a `_foreach` node's inputs."""
    num_data, num_states = len(params.in_data_locs), len(params.in_state_locs)
    return (list(values[:num_data]), list(values[num_data:num_data + num_states]),
            list(values[num_data + num_states:]))


def _foreach_body_inputs(params, data, states, remaining):
    return _arrange(len(data) + len(states) + len(remaining),
                    ((params.in_data_locs, data), (params.in_state_locs, states),
                     (params.remain_locs, remaining)))


def _foreach_rule(kind, params, in_values, out_values, through):
    """Values through the body: data as one step's slice, states the same in and out."""
    data, states, remaining = _foreach_parts(params, in_values)
    num_out = params.num_out_data
    states = [_merged(kind, s, o, 'loop state %d %s' % (i, kind.what))
              for i, (s, o) in enumerate(zip(states, out_values[num_out:]))]
    body_in, body_out = through(
        0, _foreach_body_inputs(params, [kind.step(d) for d in data], states, remaining),
        [kind.step(o) for o in out_values[:num_out]] + states)
    length = kind.length(data[0])
    new_data = [kind.data(d, body_in[loc], length) for d, loc in zip(data, params.in_data_locs)]
    new_states = [_merged(kind, body_in[loc], out, 'loop state %d %s' % (i, kind.what))
                  for i, (loc, out) in enumerate(zip(params.in_state_locs, body_out[num_out:]))]
    new_in = new_data + new_states + _pick(body_in, params.remain_locs)
    new_out = [kind.stacked(o, length) for o in body_out[:num_out]] + new_states
    return new_in, new_out


def _check_foreach(params, signatures):
    (num_inputs, num_outputs), = signatures
    locs = tuple(params.in_data_locs) + tuple(params.in_state_locs) + tuple(params.remain_locs)
    if sorted(locs) != list(range(num_inputs)) or num_inputs != params.num_args - 1:
        raise MXNetError('in_data_locs %s, in_state_locs %s and remain_locs %s must place the '
                         '%d inputs (num_args - 1) on the body\'s %d inputs, one each'
                         % (params.in_data_locs, params.in_state_locs, params.remain_locs,
                            params.num_args - 1, num_inputs))
    if not params.in_data_locs:
        raise MXNetError('in_data_locs is empty: foreach needs data to iterate over')
    if num_outputs != params.num_outputs or not \
            0 <= params.num_out_data == num_outputs - len(params.in_state_locs):
        raise MXNetError('the body gives %d outputs, but num_outputs is %d and num_out_data '
                         '%d with %d states' % (num_outputs, params.num_outputs,
                                                params.num_out_data, len(params.in_state_locs)))


@register('_foreach', num_subgraphs=1, check_subgraphs=_check_foreach,
          used_inputs=lambda p: ['data%d' % i for i in range(p.num_args - 1)],
          params={'num_args': _count(1), 'num_outputs': _count(0),
                  'num_out_data': _count(0), 'in_state_locs': _LOCS,
                  'in_data_locs': _LOCS, 'remain_locs': _LOCS},
          outputs=_outputs, infer_shape=partial(_foreach_rule, SHAPES),
          infer_type=partial(_foreach_rule, DTYPES))
def foreach(params, ctx, *inputs):
    """Run the body on each slice of the data along axis 0, carrying the states."""
    body, = ctx.subgraphs
    data, states, remaining = _foreach_parts(params, inputs)
    length = data[0].shape[0]
    if any(d.ndim == 0 or d.shape[0] != length for d in data):
        raise MXNetError('foreach data must share the length of axis 0; got shapes %s'
                         % ', '.join(str(d.shape) for d in data))
    num_out = params.num_out_data

    def step(carry, item):
        index, slices = item
        outputs = body(_foreach_body_inputs(params, slices, list(carry), remaining),
                       _fold(ctx.key, index))
        return tuple(outputs[num_out:]), tuple(outputs[:num_out])
    slices = [d if d.ndim > 1 else d[:, None] for d in data]
    final, stacked = lax.scan(step, tuple(states), (jnp.arange(length), slices))
    return tuple(stacked) + tuple(final)


# ---------------------------------------------------------------------- _while_loop
def _loop_var_positions(params):
    """Where each loop variable sits among the node's inputs."""
    return [params.func_input_locs[loc] for loc in params.func_var_locs]


def _while_loop_rule(kind, params, in_values, out_values, through):
    """Values through cond and func: loop variables the same in and out, step outputs
    stacked into max_iterations rows."""
    values = list(in_values)
    num_out = params.num_out_data
    positions = _loop_var_positions(params)
    for j, position in enumerate(positions):
        values[position] = _merged(kind, values[position], out_values[num_out + j],
                                   'loop variable %d %s' % (j, kind.what))
    cond_in, _ = through(0, _pick(values, params.cond_input_locs), [None])
    _put_back(kind, values, params.cond_input_locs, cond_in, kind.what)
    func_in, func_out = through(1, _pick(values, params.func_input_locs),
                                [kind.step(o) for o in out_values[:num_out]]
                                + _pick(values, positions))
    _put_back(kind, values, params.func_input_locs, func_in, kind.what)
    for j, position in enumerate(positions):
        values[position] = _merged(kind, values[position], func_out[num_out + j],
                                   'loop variable %d %s' % (j, kind.what))
    return values, ([kind.stacked(o, params.max_iterations) for o in func_out[:num_out]]
                    + _pick(values, positions))


def _check_locs(name, locs, limit):
    if any(not 0 <= loc < limit for loc in locs):
        raise MXNetError('%s %s must lie in [0, %d)' % (name, tuple(locs), limit))


def _check_while_loop(params, signatures):
    (cond_inputs, cond_outputs), (func_inputs, func_outputs) = signatures
    num_inputs = params.num_args - 2
    for name, locs, count in (('cond_input_locs', params.cond_input_locs, cond_inputs),
                              ('func_input_locs', params.func_input_locs, func_inputs)):
        if len(locs) != count:
            raise MXNetError('%s lists %d inputs, but its subgraph has %d'
                             % (name, len(locs), count))
        _check_locs(name, locs, num_inputs)
    _check_locs('func_var_locs', params.func_var_locs, func_inputs)
    if cond_outputs != 1:
        raise MXNetError('the cond subgraph must give one output, not %d' % cond_outputs)
    if func_outputs != params.num_outputs or \
            params.num_out_data + len(params.func_var_locs) != params.num_outputs:
        raise MXNetError('the func subgraph gives %d outputs, but num_outputs is %d and '
                         'num_out_data %d with %d loop variables'
                         % (func_outputs, params.num_outputs, params.num_out_data,
                            len(params.func_var_locs)))


@register('_while_loop', num_subgraphs=2, check_subgraphs=_check_while_loop, reads_mode=True,
          used_inputs=lambda p: ['data%d' % i for i in range(p.num_args - 2)],
          params={'num_args': _count(2), 'num_outputs': _count(1),
                  'num_out_data': _count(0), 'max_iterations': Param(Int(lower=1)),
                  'cond_input_locs': _LOCS, 'func_input_locs': _LOCS,
                  'func_var_locs': _LOCS},
          outputs=_outputs, infer_shape=partial(_while_loop_rule, SHAPES),
          infer_type=partial(_while_loop_rule, DTYPES))
def while_loop(params, ctx, *inputs):
    """Run func while cond holds, at most max_iterations times."""
    cond_graph, func_graph = ctx.subgraphs
    positions = _loop_var_positions(params)
    num_out = params.num_out_data

    def with_vars(loop_vars):
        values = list(inputs)
        for position, value in zip(positions, loop_vars):
            values[position] = value
        return values

    def holds(loop_vars, step):
        pred, = cond_graph(_pick(with_vars(loop_vars), params.cond_input_locs),
                           _fold(ctx.key, step, 0))
        return _as_bool(pred, 'the while_loop condition')

    def run(loop_vars, step):
        outputs = func_graph(_pick(with_vars(loop_vars), params.func_input_locs),
                             _fold(ctx.key, step, 1))
        return list(outputs[:num_out]), list(outputs[num_out:])

    loop_vars = _pick(inputs, positions)
    step_specs, var_specs = jax.eval_shape(run, loop_vars, 0)
    for j, (value, spec) in enumerate(zip(loop_vars, var_specs)):
        if (value.shape, value.dtype) != (spec.shape, spec.dtype):
            raise MXNetError('loop variable %d goes in as %s %s but func gives %s %s'
                             % (j, value.dtype, value.shape, spec.dtype, spec.shape))
    limit = params.max_iterations
    if ctx.is_train:
        def guarded(carry, step):
            running, current = carry
            running = running & holds(current, step)
            outputs, current = lax.cond(
                running, run, lambda v, _: ([jnp.zeros(s.shape, s.dtype) for s in step_specs],
                                            v), current, step)
            return (running, current), outputs
        (_, final), stacked = lax.scan(guarded, (jnp.bool_(True), loop_vars),
                                       jnp.arange(limit))
        return tuple(stacked) + tuple(final)

    def body(carry):
        step, current, rows = carry
        outputs, current = run(current, step)
        return step + 1, current, [r.at[step].set(o) for r, o in zip(rows, outputs)]
    rows = [jnp.zeros((limit,) + s.shape, s.dtype) for s in step_specs]
    _, final, stacked = lax.while_loop(
        lambda carry: (carry[0] < limit) & holds(carry[1], carry[0]), body,
        (jnp.asarray(0), loop_vars, rows))
    return tuple(stacked) + tuple(final)


# ---------------------------------------------------------------------- _cond
_BRANCH_LOCS = ('cond_input_locs', 'then_input_locs', 'else_input_locs')


def _cond_rule(kind, params, in_values, out_values, through):
    """Values through the condition and both branches, which give the same outputs."""
    values, outputs = list(in_values), list(out_values)
    cond_in, _ = through(0, _pick(values, params.cond_input_locs), [None])
    _put_back(kind, values, params.cond_input_locs, cond_in, kind.what)
    for index, name in ((1, 'then'), (2, 'else')):
        locs = params[_BRANCH_LOCS[index]]
        branch_in, branch_out = through(index, _pick(values, locs), outputs)
        _put_back(kind, values, locs, branch_in, kind.what)
        outputs = [_merged(kind, o, b, 'output %d %s (%s branch)' % (i, kind.what, name))
                   for i, (o, b) in enumerate(zip(outputs, branch_out))]
    return values, outputs


def _check_cond(params, signatures):
    for name, (num_inputs, num_outputs) in zip(_BRANCH_LOCS, signatures):
        locs = params[name]
        if len(locs) != num_inputs:
            raise MXNetError('%s lists %d inputs, but its subgraph has %d'
                             % (name, len(locs), num_inputs))
        _check_locs(name, locs, params.num_args - 3)
        wanted = 1 if name == 'cond_input_locs' else params.num_outputs
        if num_outputs != wanted:
            raise MXNetError('the subgraph of %s gives %d outputs, not %d'
                             % (name, num_outputs, wanted))


@register('_cond', num_subgraphs=3, check_subgraphs=_check_cond,
          used_inputs=lambda p: ['data%d' % i for i in range(p.num_args - 3)],
          params={'num_args': _count(3), 'num_outputs': _count(1),
                  'cond_input_locs': _LOCS, 'then_input_locs': _LOCS,
                  'else_input_locs': _LOCS},
          outputs=_outputs, infer_shape=partial(_cond_rule, SHAPES),
          infer_type=partial(_cond_rule, DTYPES))
def cond(params, ctx, *inputs):
    """Run the then branch where the condition holds, else the else branch."""
    pred_graph, then_graph, else_graph = ctx.subgraphs
    pred, = pred_graph(_pick(inputs, params.cond_input_locs), _fold(ctx.key, 0))
    return tuple(lax.cond(
        _as_bool(pred, 'the cond condition'),
        lambda values: list(then_graph(_pick(values, params.then_input_locs), _fold(ctx.key, 1))),
        lambda values: list(else_graph(_pick(values, params.else_input_locs), _fold(ctx.key, 2))),
        list(inputs)))
