"""`mx.nd.contrib`: the registry's ``_contrib_`` ops by their short names, and MXNet's
Python-level contrib helpers: the control flow `foreach`, `while_loop` and `cond` as plain
Python loops over NDArray ops (so autograd records what runs), and `rand_zipfian`."""
import math

import numpy as np

from .. import imperative
from ..base import MXNetAssertionError, MXNetError
from ..context import current_context
from . import ndarray
from .ndarray import NDArray


def flatten(args, what, leaf_type, leaf_format=lambda leaf: 0):
    """(leaves, format): a leaf or nested lists of leaves, flat; `regroup` rebuilds the nesting
    from the format (a leaf's own is `leaf_format(leaf)`)."""
    if isinstance(args, leaf_type):
        return [args], leaf_format(args)
    if not isinstance(args, (list, tuple)):
        raise MXNetAssertionError('%s must be (nested) list of %s, but got %s of type %s'
                                  % (what, leaf_type.__name__, args, type(args)))
    flat, formats = [], []
    for item in args:
        items, fmt = flatten(item, what, leaf_type, leaf_format)
        flat.extend(items)
        formats.append(fmt)
    return flat, formats


def regroup(args, fmt):
    """(the nested structure `fmt` describes, built from `args`; the items left over); an
    int format n > 0 takes n items as a list, 0 one item."""
    if isinstance(fmt, int):
        return (args[0], args[1:]) if fmt == 0 else (args[:fmt], args[fmt:])
    grouped = []
    for item in fmt:
        value, args = regroup(args, item)
        grouped.append(value)
    return grouped, args


def _op(name):
    return ndarray.op_functions()[name]


def _python_scalar(value, kind, what):
    """`value` (a one-element NDArray or a Python value) as a Python `kind`."""
    if isinstance(value, NDArray):
        value = value.asscalar()
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise ValueError('Cannot convert %s to python %s' % (what, kind.__name__)) from None


def foreach(body, data, init_states):
    """Runs ``outputs, states = body(data[i], states)`` for each i along data's first axis
    (data: an NDArray or a list of them); returns the outputs stacked along a new first axis,
    nested as `body` gives them, and the last states."""
    flat_data, _ = flatten(data, 'foreach input', NDArray)
    flatten(init_states, 'foreach states', NDArray)
    states, columns, out_fmt = init_states, [], []
    for step in range(flat_data[0].shape[0]):
        items = data[step] if isinstance(data, NDArray) else [one[step] for one in data]
        outputs, states = body(items, states)
        flat_outputs, out_fmt = flatten(outputs, 'foreach output', NDArray)
        columns.append(flat_outputs)
    stacked = [_op('stack')(*column) for column in zip(*columns)]
    return regroup(stacked, out_fmt)[0], states


def _as_list(values):
    if values is None:
        return []
    return [values] if isinstance(values, NDArray) else list(values)


def while_loop(cond, func, loop_vars, max_iterations=None):
    """Runs ``step_output, loop_vars = func(*loop_vars)`` while ``cond(*loop_vars)`` holds,
    at most `max_iterations` times; returns the step outputs stacked along a new first axis
    of length max_iterations (rows past the last step undefined: zeros here) and the last
    loop variables."""
    if max_iterations is None:
        raise ValueError('max_iterations should be specified')
    max_iterations = _python_scalar(max_iterations, int, 'max_iteration')
    single = isinstance(loop_vars, NDArray)
    loop_vars = _as_list(loop_vars)
    if not loop_vars:
        raise ValueError('loop_vars should contain at least one element')
    columns, out_fmt = [], None
    while len(columns) < max_iterations and _python_scalar(cond(*loop_vars), bool,
                                                          'Return value of cond'):
        step_output, new_vars = func(*loop_vars)
        new_vars = _as_list(new_vars)
        if len(new_vars) != len(loop_vars):
            raise ValueError('The length of loop_vars should be consistent during the loop')
        flat_outputs, out_fmt = flatten([] if step_output is None else step_output,
                                        'while output', NDArray)
        if columns and len(flat_outputs) != len(columns[0]):
            raise ValueError('Number of elements in step_output should be the same in each '
                             'step')
        columns.append(flat_outputs)
        loop_vars = new_vars
    stacked = []
    for index, column in enumerate(zip(*columns)):
        rows = [item.expand_dims(0) for item in column]
        if len(rows) < max_iterations:
            rows.append(ndarray.zeros((max_iterations - len(rows),) + column[0].shape,
                                      column[0].context, column[0].dtype))
        try:
            stacked.append(_op('concat')(*rows, dim=0))
        except MXNetError:
            raise ValueError('Shapes of %d-th elements in step_outputs are inconsistent, which '
                             'are: %s' % (index + 1, [x.shape for x in column])) from None
    if out_fmt is not None:
        stacked = regroup(stacked, out_fmt)[0]
    return stacked, (loop_vars[0] if single else loop_vars)


def cond(pred, then_func, else_func):
    """``then_func()`` if the scalar `pred` is true, else ``else_func()``."""
    return then_func() if _python_scalar(pred, bool, 'pred') else else_func()


def rand_zipfian(true_classes, num_sampled, range_max, ctx=None):
    """`num_sampled` classes drawn from [0, range_max) by the approximate Zipfian (log-uniform)
    distribution P(c) = log((c+2)/(c+1)) / log(range_max+1), with replacement; returns
    (sampled classes as int64, expected counts of `true_classes`, expected counts of the
    sampled classes), the counts float64."""
    ctx = ctx or current_context()
    log_range = math.log(range_max + 1)
    draws = imperative.invoke('_random_uniform', (), {
        'low': 0, 'high': log_range, 'shape': (num_sampled,), 'dtype': 'float64',
        'ctx': ctx}, NDArray)
    sampled = (draws.exp() - 1).astype('int64') % range_max
    return (sampled, expected_zipfian_count(true_classes.as_in_context(ctx), log_range,
                                            num_sampled),
            expected_zipfian_count(sampled, log_range, num_sampled))


def expected_zipfian_count(classes, log_range, num_sampled):
    """How often `num_sampled` log-uniform draws are expected to hit each class (arrays or
    symbols), in float64."""
    classes = classes.astype('float64')
    return ((classes + 2.0) / (classes + 1.0)).log() / log_range * num_sampled


def isinf(data):
    """1 where `data` is +inf or -inf, else 0."""
    return data.abs() == np.inf


def isfinite(data):
    """1 where `data` is neither infinite nor NaN, else 0."""
    return (data.abs() != np.inf) * (data == data)


def isnan(data):
    """1 where `data` is NaN, else 0."""
    return data != data


def __getattr__(name):
    try:
        return getattr(ndarray.op_functions()['contrib'], name)
    except AttributeError:
        raise AttributeError("module 'mxsym.ndarray.contrib' has no attribute '%s'"
                             % name) from None
