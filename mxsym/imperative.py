"""`mx.nd.<op>`: every registered operator as an eager function on arrays.

The same `OpDef` that a Symbol node lowers to runs here directly on the arrays' `jax.Array`s,
in inference mode, so ``mx.nd.FullyConnected(x, w, b, num_hidden=3)`` and a bound symbol agree.
The array class (`NDArray`, which holds a `jax.Array` as ``_data`` and builds from one and a
context) is given by ndarray.py, which sits above this module.
"""
from types import SimpleNamespace

from . import ops, prng
from .base import MXNetError, named_function
from .context import current_context
from .ops_registry import RunContext


def invoke(op_name, args, kwargs, array_type):
    """Run one op on arrays of `array_type`; one array per visible output (a list when there
    are several)."""
    op = ops.get(op_name)
    kwargs = dict(kwargs)
    out = kwargs.pop('out', None)
    placed = kwargs.pop('ctx', None)
    kwargs.pop('name', None)
    op, inputs, attrs = op.call_attrs(args, kwargs, lambda v: isinstance(v, array_type))
    params = op.parse_params(attrs)
    names = op.input_names(params)
    if not op.variadic:
        missing = [n for n in names if n not in inputs]
        if missing:
            raise TypeError('%s: missing input %s (inputs are %s)'
                            % (op.name, ', '.join(missing), ', '.join(names)))
        inputs = [inputs[n] for n in names]
    ctx = placed or (inputs[0].context if inputs else current_context())
    key = prng.next_key() if op.random else None
    try:
        result = op.compute(params, RunContext(False, key), *[x._data for x in inputs])
    except (TypeError, ValueError) as err:
        shapes = ', '.join(str(x.shape) for x in inputs)
        raise MXNetError('%s: inputs of shapes %s do not fit: %s' % (op.name, shapes, err)) \
            from None
    result, _ = op.split_result(result)
    visible = [array_type(value, ctx) for value in
               result[:op.num_visible_outputs(params)]]
    if out is not None:
        targets = out if isinstance(out, (list, tuple)) else [out]
        for target, value in zip(targets, visible):
            target[:] = value
        return out
    return visible[0] if len(visible) == 1 else visible


def _function(op_name, func_name, array_type):
    def function(*args, **kwargs):
        return invoke(op_name, args, kwargs, array_type)
    return named_function(function, func_name,
                          'Run the MXNet operator %s eagerly on NDArrays.' % op_name)


def op_functions(array_type):
    """{name: eager function on `array_type`} for every registered op name, plus
    `_internal`."""
    public, internal = {}, {}
    for func_name, op in ops.all_ops().items():
        target = internal if func_name.startswith('_') else public
        target[func_name] = _function(op.name, func_name, array_type)
    public['_internal'] = SimpleNamespace(**internal)
    return public
