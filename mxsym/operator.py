"""`mx.operator`: operators written in Python, and operators written in `jax.numpy`.

Two ways to add an operator:

* MXNet's way, unchanged: subclass `CustomOpProp` (names, shapes, types, backward dependencies)
  and `CustomOp` (forward and backward on `mx.nd.NDArray`s), register the prop with
  ``@mx.operator.register('my_op')`` and use ``mx.sym.Custom(x, op_type='my_op', **kwargs)``.
  Keyword arguments reach the prop's constructor as strings, as in MXNet. The op runs inside the
  compiled program through host callbacks (`jax.pure_callback`): forward, and backward through a
  `jax.custom_vjp`. Aux states the forward writes become the node's aux update (stored as the
  executor stores BatchNorm's moving statistics). The executor creates one operator object per
  op_type, keyword arguments, input shapes and dtypes; backward receives the arrays the prop's
  `declare_backward_dependency` names and None in place of the others. With
  ``need_top_grad=False`` the op is a loss layer: backward gets no head gradient and
  `Executor.backward()` needs none.

* New here: ``@mx.operator.register_jax('my_op', inputs=('data',), params={'alpha': 1.0})``
  declares a function of `jax.numpy` arrays as a built-in operator: ``mx.sym.my_op`` and
  ``mx.nd.my_op`` exist at once, it is compiled into the program with no host round trip, and its
  gradient comes from JAX autodiff.
"""
import collections
import ctypes  # noqa: F401  (MXNet's mx.operator holds ctypes and NDArrayHandle too)
import functools
import warnings

import jax
import jax.numpy as jnp
import numpy as np

from . import ndarray as nd, ops, ops_registry, symbol
from .base import MXNetError, NDArrayHandle, record_host_failure  # noqa: F401
from .ndarray import NDArray
from .context import cpu
from .dtype_codes import CODE_OF_DTYPE
from .ops_registry import (REQUIRED, Bool, Float, Int, OpDef, Param, Shape, Str,
                           format_attr_value, is_dunder)



class CustomOp:
    """An operator's computation: `forward` fills `out_data`, `backward` fills `in_grad`."""

    def __init__(self):
        pass

    def forward(self, is_train, req, in_data, out_data, aux):
        """Compute `out_data` (and update `aux`) from `in_data`; `req` says how to write."""

    def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
        """Compute `in_grad` from the head gradients `out_grad` and the forward's arrays."""

    def assign(self, dst, req, src):
        """Write `src` into `dst` as `req` asks: 'null' skips, 'write'/'inplace' overwrite,
        'add' accumulates."""
        if req == 'null':
            return
        if req in ('write', 'inplace'):
            dst[:] = src
        elif req == 'add':
            dst[:] += src
        else:
            raise MXNetError("assign: req must be 'null', 'write', 'inplace' or 'add', got %r"
                             % (req,))


class CustomOpProp:
    """An operator's declaration: its argument, output and aux names, shape and type rules,
    backward dependencies, and the `CustomOp` that computes it."""

    def __init__(self, need_top_grad=True):
        self.need_top_grad_ = need_top_grad

    def infer_shape(self, in_shape):
        """(argument shapes, output shapes, aux shapes); by default every output has the first
        argument's shape."""
        return in_shape, (in_shape[0],) * len(self.list_outputs()), ()

    def infer_type(self, in_type):
        """(argument types, output types, aux types); by default all the first argument's."""
        return (in_type, [in_type[0]] * len(self.list_outputs()),
                [in_type[0]] * len(self.list_auxiliary_states()))

    def list_outputs(self):
        return ['output']

    def list_arguments(self):
        return ['data']

    def list_auxiliary_states(self):
        return []

    def declare_backward_dependency(self, out_grad, in_data, out_data):
        """Ids of the arrays backward needs: the head gradients when `need_top_grad`, and every
        input and output."""
        deps = list(out_grad) if self.need_top_grad_ else []
        return deps + list(in_data) + list(out_data)

    def create_operator(self, ctx, in_shapes, in_dtypes):
        return CustomOp()


_PROPS = {}


def register(reg_name):
    """Class decorator registering a `CustomOpProp` subclass as op_type `reg_name`."""
    def do_register(prop_cls):
        _PROPS[reg_name] = prop_cls
        return prop_cls
    return do_register


# ---------------------------------------------------------------------------------- Custom op
class _DeclaredByAttrs(OpDef):
    """An op whose inputs, outputs and rules a Python object names in the node's attrs
    declares: `specialize` gives that object's `_PropOp`."""

    def sort_arguments(self, args, kwargs, is_array):
        """Inputs are named by the declaration's arguments and aux states."""
        attrs = {k: format_attr_value(k, v) for k, v in kwargs.items() if not is_array(v)}
        return self.specialize(attrs).sort_arguments(args, kwargs, is_array)


class _CustomDispatch(_DeclaredByAttrs):
    """The registry's `Custom`: each node runs the op its op_type and kwargs declare."""

    def __init__(self):
        super().__init__('Custom', None, inputs=(), params={'op_type': Param(Str())})

    def specialize(self, attrs):
        op_type = attrs.get('op_type')
        if op_type is None:
            raise MXNetError('Custom: Required argument `op_type` is missing.')
        if op_type not in _PROPS:
            raise MXNetError('Custom: Cannot find custom operator %s (registered: %s)'
                             % (op_type, ', '.join(sorted(_PROPS)) or 'none'))
        kwargs = tuple(sorted((k, v) for k, v in attrs.items()
                              if k != 'op_type' and not is_dunder(k)
                              and k not in ops_registry.HIDDEN_KEYS))
        return _custom_op(op_type, _PROPS[op_type], kwargs)


@functools.lru_cache(maxsize=None)
def _custom_op(op_type, prop_cls, kwargs):
    """The op declared by one prop instance (one per op_type, class and kwargs)."""
    try:
        prop = prop_cls(**dict(kwargs))
    except TypeError as err:
        raise MXNetError('Custom %s: its CustomOpProp does not accept the arguments %s: %s'
                         % (op_type, dict(kwargs), err)) from None
    params = {'op_type': Param(Str())}
    params.update({name: Param(Str()) for name, _ in kwargs})
    return _PropOp('Custom', op_type, prop, params)


def _as_shape(shape):
    """A prop's shape (list or tuple; empty when unknown) as mxsym's tuple or None."""
    shape = tuple(int(d) for d in shape)
    return shape or None


def _as_dtype_name(dtype):
    return None if dtype is None else np.dtype(dtype).name


class _PropOp(OpDef):
    """The op `name` (`Custom`, or a legacy Python op's) declared by one prop: the registry
    record plus host-callback forward and backward."""

    aux_at_forward = True   # MXNet's custom ops write their aux arrays as the forward runs
    runs_on_host = True

    def __init__(self, name, op_type, prop, params):
        self.op_type = op_type
        self.prop = prop
        self.arguments = list(prop.list_arguments())
        self.aux_names = list(prop.list_auxiliary_states())
        self.output_list = list(prop.list_outputs())
        n_out, n_in = len(self.output_list), len(self.arguments)
        ids = list(range(2 * n_out + n_in))
        self.backward_deps = set(prop.declare_backward_dependency(
            ids[:n_out], ids[n_out:n_out + n_in], ids[n_out + n_in:]))
        needs_head = any(i < n_out for i in self.backward_deps)
        super().__init__(name, self._compute, inputs=self.arguments + self.aux_names,
                         params=params, aux=self.aux_names, outputs=self.output_list,
                         infer_shape=self._infer_shape, infer_type=self._infer_type,
                         is_loss=not needs_head, reads_mode=True)
        self._operators = {}

    def __repr__(self):
        return '<OpDef %s %s>' % (self.name, self.op_type)

    # ------------------------------------------------------------------ inference
    def _prop_call(self, what, arguments, complete):
        """Run the prop's infer_shape/infer_type; None when it fails on partial information."""
        try:
            result = getattr(self.prop, what)(arguments)
        except Exception as err:  # noqa: BLE001 (user code: any failure means "not yet")
            if complete:
                raise MXNetError('%s %s: %s failed on %s: %s: %s'
                                 % (self.name, self.op_type, what, arguments,
                                    type(err).__name__, err)) from None
            return None
        if len(result) == 2:
            result = (result[0], result[1], [])
        if len(result) != 3:
            raise MXNetError('%s %s: %s must return 2 or 3 lists'
                             % (self.name, self.op_type, what))
        for values, names, kind in zip(result, (self.arguments, self.output_list, self.aux_names),
                                       ('input', 'output', 'aux state')):
            if len(values) != len(names):
                raise MXNetError('%s %s: %s returned %d %s entries, expected %d (%s)'
                                 % (self.name, self.op_type, what, len(values), kind,
                                    len(names), names))
        return result

    def _infer_shape(self, params, in_shapes, out_shapes, names):
        n_in = len(self.arguments)
        given = [list(s) if s is not None else [] for s in in_shapes[:n_in]]
        result = self._prop_call('infer_shape', given, all(s is not None for s in in_shapes[:n_in]))
        if result is None:
            return in_shapes, out_shapes
        args, outs, aux = result
        return [_as_shape(s) for s in list(args) + list(aux)], [_as_shape(s) for s in outs]

    def _infer_type(self, params, in_types, out_types):
        n_in = len(self.arguments)
        given = [np.dtype(t).type if t is not None else None for t in in_types[:n_in]]
        result = self._prop_call('infer_type', given, all(t is not None for t in given))
        if result is None:
            return in_types, out_types
        args, outs, aux = result
        return ([_as_dtype_name(t) for t in list(args) + list(aux)],
                [_as_dtype_name(t) for t in outs])

    def _output_specs(self, args):
        """Output and aux (shape, dtype) structs for concrete argument arrays."""
        shapes = self._prop_call('infer_shape', [list(a.shape) for a in args], True)
        types = self._prop_call('infer_type', [np.dtype(a.dtype).type for a in args], True)
        return [jax.ShapeDtypeStruct(tuple(int(d) for d in s), np.dtype(t))
                for part in (1, 2) for s, t in zip(shapes[part], types[part])]

    # ------------------------------------------------------------------ running
    def _operator(self, args):
        """The `CustomOp` for these argument shapes and dtypes (created once)."""
        key = tuple((tuple(a.shape), np.dtype(a.dtype).name) for a in args)
        if key not in self._operators:
            shapes = [list(shape) for shape, _ in key]
            dtypes = [CODE_OF_DTYPE[dtype] for _, dtype in key]
            self._operators[key] = self.prop.create_operator(cpu(), shapes, dtypes)
        return self._operators[key]

    def _compute(self, params, ctx, *inputs):
        n_in = len(self.arguments)
        args, aux = list(inputs[:n_in]), list(inputs[n_in:])
        outputs, new_aux = self._runner(bool(ctx.is_train))(args, aux)
        return (tuple(outputs), tuple(new_aux)) if self.aux_names else tuple(outputs)

    @functools.lru_cache(maxsize=None)
    def _runner(self, is_train):
        """(args, aux) -> (outputs, new aux) through host callbacks, differentiable."""
        n_out = len(self.output_list)

        def forward(args, aux):
            specs = self._output_specs(args)
            host = functools.partial(self._forward_on_host, is_train, len(args), specs)
            values = jax.pure_callback(host, specs, *args, *aux, vmap_method='sequential')
            return list(values[:n_out]), list(values[n_out:])

        @jax.custom_vjp
        def run(args, aux):
            return forward(args, aux)

        def run_forward(args, aux):
            outputs, new_aux = forward(args, aux)
            return (outputs, new_aux), (args, outputs, new_aux)

        def run_backward(saved, cotangents):
            args, outputs, new_aux = saved
            head_grads = cotangents[0]
            known = [(i, v) for i, v in enumerate(list(head_grads) + list(args) + list(outputs))
                     if i in self.backward_deps]
            specs = [jax.ShapeDtypeStruct(a.shape, a.dtype) for a in args]
            host = functools.partial(self._backward_on_host, [i for i, _ in known], specs)
            grads = jax.pure_callback(host, specs, *[v for _, v in known], *new_aux,
                                      vmap_method='sequential')
            grads = [g if jnp.issubdtype(a.dtype, jnp.inexact) else None
                     for g, a in zip(grads, args)]
            return grads, [None] * len(new_aux)
        run.defvjp(run_forward, run_backward)
        return run

    def _failed(self, stage, err):
        """Record, for the caller of the program, an MXNetError naming the op and its error."""
        error = MXNetError('%s operator %s failed in its %s: %s: %s'
                           % (self.name, self.op_type, stage, type(err).__name__, err))
        error.__cause__ = err
        record_host_failure(error)

    def _forward_on_host(self, is_train, n_in, specs, *values):
        try:
            return self._host_forward(is_train, n_in, specs, *values)
        except Exception as err:   # whatever the user's Python raised
            self._failed('forward', err)
            raise

    def _backward_on_host(self, positions, specs, *values):
        try:
            return self._host_backward(positions, specs, *values)
        except Exception as err:   # whatever the user's Python raised
            self._failed('backward', err)
            raise

    def _host_forward(self, is_train, n_in, specs, *values):
        args = [nd.array(v, dtype=v.dtype) for v in values[:n_in]]
        aux = [nd.array(v, dtype=v.dtype) for v in values[n_in:]]
        n_out = len(self.output_list)
        outputs = [nd.zeros(s.shape, dtype=s.dtype) for s in specs[:n_out]]
        self._operator(args).forward(is_train=is_train, req=['write'] * n_out, in_data=args,
                                     out_data=outputs, aux=aux)
        return tuple(np.asarray(a.asnumpy(), s.dtype) for a, s in zip(outputs + aux, specs))

    def _host_backward(self, positions, specs, *values):
        n_out, n_in = len(self.output_list), len(self.arguments)
        slots = [None] * (2 * n_out + n_in)
        for position, value in zip(positions, values):
            slots[position] = nd.array(value, dtype=value.dtype)
        aux = [nd.array(v, dtype=v.dtype) for v in values[len(positions):]]
        in_grad = [nd.zeros(s.shape, dtype=s.dtype) for s in specs]
        self._operator(specs).backward(req=['write'] * n_in, out_grad=slots[:n_out],
                          in_data=slots[n_out:n_out + n_in], out_data=slots[n_out + n_in:],
                          in_grad=in_grad, aux=aux)
        return tuple(np.asarray(g.asnumpy(), s.dtype) for g, s in zip(in_grad, specs))


ops_registry.add(_CustomDispatch())


# ------------------------------------------------------------------ legacy Python operators
_PYTHON_OPS = {}   # a node's `info` attr -> the PythonOp object it runs


class PythonOp:
    """MXNet's older Python operator, deprecated for `CustomOp`: one object declares the op
    (arguments, outputs, shapes) and computes it. ``op.get_symbol(*inputs, name=...)``, or
    ``op(...)``, makes a node running this object; the object stays alive for it."""

    _ref_holder = []

    def __init__(self, need_top_grad=True):
        self.info_ = None
        self.need_top_grad_ = need_top_grad
        warnings.warn('PythonOp has been deprecated. Please use CustomOp')

    def __call__(self, *args, **kwargs):
        return self.get_symbol(*args, **kwargs)

    def get_symbol(self, *args, **kwargs):
        raise NotImplementedError('Must override this')

    def forward(self, in_data, out_data):
        """Fill `out_data` from `in_data`; by default, copy the first input."""
        out_data[0][:] = in_data[0]

    def backward(self, out_grad, in_data, out_data, in_grad):
        """Fill `in_grad`; by default, ones."""
        in_grad[0][:] = 1.0

    def infer_shape(self, in_shape):
        """(argument shapes, output shapes); by default the output has the first input's."""
        return in_shape, [in_shape[0]]

    def list_outputs(self):
        return ['output']

    def list_arguments(self):
        return ['data']

    def need_top_grad(self):
        """Whether backward takes the head gradients (False for a loss layer)."""
        return self.need_top_grad_

    def _node(self, op_name, *args, **kwargs):
        """A node of registry op `op_name` running this object."""
        self.info_ = format(id(self), 'x')
        _PYTHON_OPS[self.info_] = self
        PythonOp._ref_holder.append(self)
        return getattr(symbol._internal, op_name)(*args, info=self.info_, **kwargs)


class NumpyOp(PythonOp):
    """A `PythonOp` computing on numpy arrays (registry op `_Native`): forward and backward
    get numpy copies and what they write into `out_data` / `in_grad` is kept. Backward of an
    op without `need_top_grad` gets no head gradients (an empty `out_grad`)."""

    def __init__(self, need_top_grad=True):
        super().__init__(need_top_grad)
        warnings.warn('NumpyOp has been deprecated. Please use CustomOp')

    def get_symbol(self, *args, **kwargs):
        return self._node('_Native', *args, need_top_grad=self.need_top_grad(), **kwargs)

    @staticmethod
    def _run(method, read, written):
        outputs = {key: [array.asnumpy() for array in arrays] for key, arrays in written.items()}
        method(**{key: [array.asnumpy() for array in arrays if array is not None]
                  for key, arrays in read.items()}, **outputs)
        for key, arrays in written.items():
            for array, values in zip(arrays, outputs[key]):
                array[:] = values


class NDArrayOp(PythonOp):
    """A `PythonOp` computing on NDArrays (registry op `_NDArray`): the arrays it reads are
    read-only, and backward gets the arrays `declare_backward_dependency` names (None for the
    others)."""

    def __init__(self, need_top_grad=True):
        super().__init__(need_top_grad)
        warnings.warn('NDArrayOp has been deprecated. Please use CustomOp')

    def get_symbol(self, *args, **kwargs):
        return self._node('_NDArray', *args, **kwargs)

    def declare_backward_dependency(self, out_grad, in_data, out_data):
        """Ids of the arrays backward needs: the head gradients when `need_top_grad`, and every
        input and output."""
        deps = list(out_grad) if self.need_top_grad() else []
        return deps + list(in_data) + list(out_data)

    @staticmethod
    def _run(method, read, written):
        method(**{key: [None if array is None else NDArray(array.handle, writable=False)
                        for array in arrays] for key, arrays in read.items()}, **written)


class _PythonOpProp(CustomOpProp):
    """A `PythonOp` as the `CustomOpProp` that `_PropOp` runs."""

    def __init__(self, python_op):
        super().__init__(python_op.need_top_grad())
        self.python_op = python_op

    def list_arguments(self):
        return self.python_op.list_arguments()

    def list_outputs(self):
        return self.python_op.list_outputs()

    def infer_shape(self, in_shape):
        return self.python_op.infer_shape(in_shape)

    def declare_backward_dependency(self, out_grad, in_data, out_data):
        declared = getattr(self.python_op, 'declare_backward_dependency', None)
        if declared is None:
            return super().declare_backward_dependency(out_grad, in_data, out_data)
        return declared(out_grad, in_data, out_data)

    def create_operator(self, ctx, in_shapes, in_dtypes):
        return _PythonOpRun(self.python_op)


class _PythonOpRun(CustomOp):
    """A `PythonOp`'s forward and backward, called as its class passes arrays."""

    def __init__(self, python_op):
        super().__init__()
        self.python_op = python_op

    def forward(self, is_train, req, in_data, out_data, aux):
        op = self.python_op
        op._run(op.forward, {'in_data': in_data}, {'out_data': out_data})

    def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
        op = self.python_op
        op._run(op.backward, {'out_grad': out_grad, 'in_data': in_data, 'out_data': out_data},
                {'in_grad': in_grad})


class _PythonOpDispatch(_DeclaredByAttrs):
    """The registry's `_Native` and `_NDArray`: a node runs the live `PythonOp` its `info`
    attr names."""

    def specialize(self, attrs):
        info = attrs.get('info')
        if info not in _PYTHON_OPS:
            raise MXNetError('%s: info=%s names no PythonOp made in this process (the op '
                             'object runs the node, so such a graph cannot be loaded elsewhere)'
                             % (self.name, info))
        return _python_op_def(self.name, info)


@functools.lru_cache(maxsize=None)
def _python_op_def(name, info):
    python_op = _PYTHON_OPS[info]
    return _PropOp(name, type(python_op).__name__, _PythonOpProp(python_op),
                   ops.get(name).params)


ops_registry.add(_PythonOpDispatch('_Native', None, inputs=(), params={
    'info': Param(Str()), 'need_top_grad': Param(Bool(), True)}))
ops_registry.add(_PythonOpDispatch('_NDArray', None, inputs=(), params={'info': Param(Str())}))


# ------------------------------------------------------------------------------ jnp operators
_PARAM_TYPES = ((bool, Bool), (int, Int), (float, Float), (tuple, Shape), (str, Str))


def _declared_param(name, spec):
    """A `Param` from a default value, or from a type (a required parameter)."""
    for python_type, param_type in _PARAM_TYPES:
        if spec is python_type:
            return Param(param_type(), REQUIRED)
        if isinstance(spec, python_type):
            return Param(param_type(), spec)
    raise MXNetError('register_jax: parameter %s needs a default of type bool, int, float, '
                     'tuple or str (or the type itself when it is required), got %r'
                     % (name, spec))


def register_jax(name, inputs=('data',), params=None, outputs=('output',)):
    """Decorator declaring `function(*inputs, **params)`, written in `jax.numpy`, as operator
    `name`: `mx.sym.<name>` and `mx.nd.<name>` call it; it compiles into the program like a
    built-in, and JAX differentiates it. `params` maps each parameter to its default (or to its
    type when it has none); the function returns one array or a tuple, one per output."""
    declared = {key: _declared_param(key, spec) for key, spec in (params or {}).items()}

    def decorate(function):
        def compute(parsed, ctx, *values):
            result = function(*values, **parsed)
            return tuple(result) if isinstance(result, (tuple, list)) else (result,)
        compute.__doc__ = function.__doc__
        if name in ops.all_ops():
            raise MXNetError('register_jax: an operator named %s already exists' % name)
        ops_registry.add(OpDef(name, compute, inputs=inputs, params=declared, outputs=outputs))
        return function
    return decorate


OperatorArguments = collections.namedtuple('OperatorArguments', ['narg', 'names', 'types'])


def get_all_registered_operators():
    """Every registered operator name, aliases included."""
    return sorted(ops.all_ops())


def get_operator_arguments(op_name):
    """An operator's inputs and parameters, in order, with MXNet's type descriptions."""
    op = ops.get(op_name)
    if op.variadic:
        names, types = ['data'], ['NDArray-or-Symbol[]']
    else:
        names, types = list(op.inputs), ['NDArray-or-Symbol'] * len(op.inputs)
    for name, param in op.params.items():
        names.append(name)
        types.append('%s, %s' % (param.ptype.describe(), 'required' if param.required else
                                 'optional, default=%s'
                                 % ops_registry.format_attr_value(name, param.default)))
    return OperatorArguments(len(names), names, types)
