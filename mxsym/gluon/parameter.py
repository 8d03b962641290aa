"""Gluon's `Parameter` (an array per context with its gradient, initialized now or at the first
forward once its unknown dimensions are known), `Constant` and `ParameterDict`."""
import re
import warnings
from collections import OrderedDict

import numpy as np

from .. import autograd, initializer
from .. import ndarray as nd
from .. import symbol
from ..base import MXNetError, mx_real_t
from ..context import Context, cpu, current_context

GRAD_REQS = ('write', 'add', 'null')


class DeferredInitializationError(MXNetError):
    """A parameter's data was asked for before its shape was known (deferred initialization)."""


def shape_is_known(shape):
    """Whether every dimension of `shape` is known (0 means unknown, as in MXNet)."""
    return shape is not None and all(dim > 0 for dim in shape)


def _merged_shape(name, old, new):
    """`new` where it is known, else `old`; MXNetError when known dimensions differ."""
    if old is None:
        return new
    if len(old) != len(new) or any(o > 0 and n > 0 and o != n for o, n in zip(old, new)):
        raise MXNetError("Parameter '%s': expected shape %s is incompatible with given shape %s"
                         % (name, new, old))
    return tuple(n if n > 0 else o for o, n in zip(old, new))


class Parameter:
    """A weight of a Block: its values on each context, their gradients, and how to initialize
    and update them (init, lr_mult, wd_mult, grad_req)."""

    def __init__(self, name, grad_req='write', shape=None, dtype=mx_real_t, lr_mult=1.0,
                 wd_mult=1.0, init=None, allow_deferred_init=False, differentiable=True,
                 stype='default', grad_stype='default'):
        self.name = name
        self._shape = (shape,) if isinstance(shape, int) else shape
        self.dtype = dtype
        self.lr_mult, self.wd_mult = lr_mult, wd_mult
        self.init = init
        self._allow_deferred_init = allow_deferred_init
        self._differentiable = differentiable
        self._stype, self._grad_stype = stype, grad_stype
        self._data = self._grad = None
        self._ctx_list = []
        self._deferred_init = ()
        self._var = None
        self._trainer = None
        self._grad_req = None
        self.grad_req = grad_req

    def __repr__(self):
        return 'Parameter %s (shape=%s, dtype=%s)' % (self.name, self.shape, self.dtype)

    # -- attributes --

    @property
    def grad_req(self):
        return self._grad_req

    @grad_req.setter
    def grad_req(self, req):
        if req not in GRAD_REQS:
            raise MXNetError("Parameter '%s': grad_req must be one of %s, got '%s'"
                             % (self.name, ', '.join(GRAD_REQS), req))
        if not self._differentiable:
            req = 'null'
        if self._grad_req == req:
            return
        self._grad_req = req
        if req == 'null' and self._grad is not None:
            self._grad = None
            self._data = [array.detach() for array in self._data]
        elif self._data is not None:
            self._init_grad()

    @property
    def shape(self):
        return self._shape

    @shape.setter
    def shape(self, new_shape):
        new_shape = tuple(new_shape)
        if self._shape is not None and (
                len(self._shape) != len(new_shape)
                or any(old not in (-1, 0, new) for new, old in zip(new_shape, self._shape))):
            raise MXNetError("Parameter '%s': expected shape %s is incompatible with given "
                             "shape %s" % (self.name, new_shape, self._shape))
        self._shape = new_shape

    @property
    def stype(self):
        return self._stype

    # -- initialization --

    def initialize(self, init=None, ctx=None, default_init=initializer.Uniform(),
                   force_reinit=False):
        """Make the data on `ctx` (one context or a list) with `init` (else the parameter's
        own init, else `default_init`); deferred to the first forward while the shape has
        unknown dimensions."""
        if self._data is not None and not force_reinit:
            warnings.warn("Parameter '%s' is already initialized, ignoring. Set "
                          "force_reinit=True to re-initialize." % self.name, stacklevel=2)
            return
        self._data = self._grad = None
        ctx = _context_list(ctx)
        if init is None:
            init = default_init if self.init is None else self.init
        self._deferred_init = (init, ctx, default_init, None)
        if not shape_is_known(self.shape):
            if self._allow_deferred_init:
                return
            self._deferred_init = ()
            raise MXNetError("Cannot initialize Parameter '%s' because it has invalid shape: %s."
                             % (self.name, self.shape))
        self._finish_deferred_init()

    def _finish_deferred_init(self):
        """Initialize now that the shape is known (after a deferred `initialize`)."""
        if not self._deferred_init:
            return
        init, ctx, default_init, data = self._deferred_init
        if not shape_is_known(self.shape):
            raise MXNetError("Cannot initialize Parameter '%s' because it has invalid shape: "
                             "%s. Please specify in_units, in_channels, etc for `Block`s."
                             % (self.name, self.shape))
        self._deferred_init = ()
        with autograd.pause():
            if data is None:
                data = nd.zeros(self.shape, ctx=cpu(), dtype=self.dtype)
                initializer.create(default_init)(
                    initializer.InitDesc(self.name, {'__init__': init}), data)
            self._init_impl(data, ctx)

    def _init_impl(self, data, ctx_list):
        self._ctx_list = list(ctx_list)
        self._data = [_copied(data, ctx, self.dtype) for ctx in self._ctx_list]
        self._init_grad()

    def _init_grad(self):
        if self.grad_req == 'null':
            self._grad = None
            return
        self._grad = [nd.zeros(array.shape, ctx=array.context, dtype=array.dtype)
                      for array in self._data]
        autograd.mark_variables(self._data, self._grad, self.grad_req)

    def _load_init(self, data, ctx, cast_dtype=False, dtype_source='current'):
        """Set the values from a loaded array, initializing the parameter if needed."""
        if self.shape:
            if len(self.shape) != len(data.shape) or any(
                    mine not in (0, -1, saved) for mine, saved in zip(self.shape, data.shape)):
                raise MXNetError("Failed loading Parameter '%s' from saved params: shape "
                                 "incompatible expected %s vs saved %s"
                                 % (self.name, self.shape, data.shape))
            self._shape = tuple(data.shape)
        if self.dtype is not None and np.dtype(self.dtype) != np.dtype(data.dtype):
            if not cast_dtype:
                raise MXNetError("Failed loading Parameter '%s' from saved params: dtype "
                                 "incompatible expected %s vs saved %s. Set cast_dtype=True "
                                 "to cast the dtype of saved params."
                                 % (self.name, np.dtype(self.dtype), np.dtype(data.dtype)))
            if dtype_source == 'current':
                data = data.astype(self.dtype)
            else:
                self.dtype = data.dtype
        ctx = [ctx] if isinstance(ctx, Context) else ctx
        if self._data is None:
            if self._deferred_init:
                ctx = self._deferred_init[1]
            self._deferred_init = ()
            self._init_impl(data, ctx or [cpu()])
        else:
            self.set_data(data)
        self._deferred_init = ()

    def reset_ctx(self, ctx):
        """Move the data (or the pending initialization) to other contexts."""
        ctx = _context_list(ctx)
        if self._data is not None:
            data = self._reduce()
            with autograd.pause():
                self._init_impl(data, ctx)
        elif self._deferred_init:
            init, _, default_init, data = self._deferred_init
            self._deferred_init = (init, ctx, default_init, data)
        else:
            raise MXNetError("Cannot reset context for Parameter '%s' because it has not been "
                             "initialized." % self.name)

    # -- data and gradients --

    def _check_and_get(self, arrays, ctx):
        if arrays is not None:
            if ctx is list:
                return arrays
            if ctx is None:
                if len(arrays) == 1:
                    return arrays[0]
                ctx = current_context()
            for known, array in zip(self._ctx_list, arrays):
                if known == ctx:
                    return array
            raise MXNetError("Parameter '%s' was not initialized on context %s. It was only "
                             "initialized on %s." % (self.name, ctx, self._ctx_list))
        if self._deferred_init:
            raise DeferredInitializationError(
                "Parameter '%s' has not been initialized yet because initialization was "
                "deferred. Actual initialization happens during the first forward pass. Please "
                "pass one batch of data through the network before accessing Parameters. You "
                "can also avoid deferred initialization by specifying in_units, num_features, "
                "etc., for network layers." % self.name)
        raise MXNetError("Parameter '%s' has not been initialized. Note that you should "
                         "initialize parameters and create Trainer with Block.collect_params() "
                         "instead of Block.params because the later does not include "
                         "Parameters of nested child Blocks" % self.name)

    def data(self, ctx=None):
        """The values on `ctx` (the only context when there is one)."""
        return self._check_and_get(self._data, ctx)

    def list_data(self):
        return self._check_and_get(self._data, list)

    def grad(self, ctx=None):
        """The gradient on `ctx`."""
        if self._data is not None and self._grad is None:
            raise MXNetError("Cannot get gradient array for Parameter '%s' because "
                             "grad_req='null'" % self.name)
        return self._check_and_get(self._grad, ctx)

    def list_grad(self):
        if self._data is not None and self._grad is None:
            raise MXNetError("Cannot get gradient array for Parameter '%s' because "
                             "grad_req='null'" % self.name)
        return self._check_and_get(self._grad, list)

    def list_ctx(self):
        if self._data is None:
            if self._deferred_init:
                return self._deferred_init[1]
            raise MXNetError("Parameter '%s' has not been initialized" % self.name)
        return self._ctx_list

    def set_data(self, data):
        """Set the values on every context (kept for the deferred initialization if the
        parameter has no data yet)."""
        self.shape = data.shape
        if self._data is None:
            if not self._deferred_init:
                raise MXNetError("Parameter '%s' has not been initialized" % self.name)
            self._deferred_init = self._deferred_init[:3] + (data,)
            return
        for array in self._data:
            array[:] = data

    def zero_grad(self):
        """Set the gradients to 0."""
        for gradient in self._grad or ():
            gradient[:] = 0

    def _reduce(self):
        """The values on the CPU, averaged over the contexts."""
        arrays = self.list_data()
        if len(arrays) == 1:
            return arrays[0].copyto(cpu())
        return nd.add_n(*[array.copyto(cpu()) for array in arrays]) / len(arrays)

    def var(self):
        """The parameter as a Symbol variable (with its shape, dtype, multipliers and init)."""
        if self._var is None:
            self._var = symbol.var(self.name, shape=self.shape, dtype=self.dtype,
                                   lr_mult=self.lr_mult, wd_mult=self.wd_mult, init=self.init,
                                   stype=self._stype)
        return self._var

    def cast(self, dtype):
        """Cast the data and gradients to `dtype`."""
        self.dtype = dtype
        self._var = None
        if self._data is None:
            return
        with autograd.pause():
            self._data = [array.astype(dtype) for array in self._data]
            if self._grad is not None:
                self._grad = [gradient.astype(dtype) for gradient in self._grad]
                autograd.mark_variables(self._data, self._grad, self.grad_req)


def _context_list(ctx):
    if ctx is None:
        return [current_context()]
    return [ctx] if isinstance(ctx, Context) else list(ctx)


def _copied(data, ctx, dtype):
    """A fresh array of `data` (NDArray or array-like) on `ctx`."""
    if isinstance(data, nd.NDArray):
        return data.copyto(ctx)
    return nd.array(data, ctx=ctx, dtype=dtype)


class Constant(Parameter):
    """A parameter that is never updated (grad_req 'null'), initialized to `value`."""

    def __init__(self, name, value):
        if not isinstance(value, nd.NDArray):
            value = nd.array(value)
        self.value = value

        class Init(initializer.Initializer):
            def _init_weight(self, _, arr):
                value.copyto(arr)
        init_name = 'Constant_{}'.format(id(self))
        initializer.alias(init_name)(Init)
        super().__init__(name, grad_req='null', shape=value.shape, dtype=value.dtype,
                         init=init_name)

    def __repr__(self):
        return 'Constant %s (shape=%s, dtype=%s)' % (self.name, self.shape, self.dtype)


class ParameterDict:
    """Parameters by full name; names given to `get` are put after `prefix`, and parameters
    of the `shared` dict are reused."""

    def __init__(self, prefix='', shared=None):
        self._prefix = prefix
        self._params = OrderedDict()
        self._shared = shared

    def __repr__(self):
        name = self._prefix + ' ' if self._prefix else ''
        return '%s(\n%s\n)' % (name, '\n'.join('  %r' % v for v in self.values()))

    def __getitem__(self, key):
        return self._params[key]

    def __iter__(self):
        return iter(self._params)

    def __len__(self):
        return len(self._params)

    def __contains__(self, key):
        return key in self._params

    def items(self):
        return self._params.items()

    def keys(self):
        return self._params.keys()

    def values(self):
        return self._params.values()

    @property
    def prefix(self):
        return self._prefix

    def _get_impl(self, name):
        if name in self._params:
            return self._params[name]
        if self._shared is not None and name in self._shared._params:
            self._params[name] = self._shared._params[name]
            return self._params[name]
        return None

    def get(self, name, **kwargs):
        """The parameter ``prefix + name``, made with `kwargs` if it does not exist; an existing
        one must agree with `kwargs` (unknown shape dimensions are completed)."""
        name = self._prefix + name
        param = self._get_impl(name)
        if param is None:
            param = self._params[name] = Parameter(name, **kwargs)
            return param
        for key, value in kwargs.items():
            existing = getattr(param, key, None)
            if existing is None:
                setattr(param, key, value)
            elif key == 'shape' and value is not None:
                param._shape = _merged_shape(name, existing, tuple(value))
            elif key == 'dtype' and np.dtype(value) == np.dtype(existing):
                continue
            elif value is not None and value != existing:
                raise MXNetError("Cannot retrieve Parameter '%s' because desired attribute does "
                                 "not match with stored for attribute '%s': desired '%s' vs "
                                 "stored '%s'." % (name, key, value, existing))
        return param

    def get_constant(self, name, value=None):
        """The constant ``prefix + name``, made from `value` if it does not exist."""
        name = self._prefix + name
        param = self._get_impl(name)
        if param is None:
            if value is None:
                raise MXNetError("No constant named '%s'. Please specify value if you want to "
                                 "create a new constant." % name)
            param = self._params[name] = Constant(name, value)
        elif value is not None and not isinstance(param, Constant):
            raise MXNetError("Parameter '%s' already exists but it is not a constant." % name)
        return param

    def update(self, other):
        """Add the parameters of `other` (a name may not name two different parameters)."""
        for key, value in other.items():
            if key in self._params and self._params[key] is not value:
                raise MXNetError("Cannot update self with other because they have different "
                                 "Parameters with the same name '%s'" % key)
        for key, value in other.items():
            self._params[key] = value

    def initialize(self, init=initializer.Uniform(), ctx=None, verbose=False,
                   force_reinit=False):
        """Initialize every parameter, `init` for those without an init of their own."""
        if verbose:
            init.set_verbosity(verbose=verbose)
        for param in self.values():
            param.initialize(None, ctx, init, force_reinit=force_reinit)

    def zero_grad(self):
        for param in self.values():
            param.zero_grad()

    def reset_ctx(self, ctx):
        for param in self.values():
            param.reset_ctx(ctx)

    def list_ctx(self):
        found = []
        for param in self.values():
            found.extend(ctx for ctx in param.list_ctx() if ctx not in found)
        return found

    def setattr(self, name, value):
        """Set an attribute (grad_req, lr_mult, ...) of every parameter."""
        for param in self.values():
            setattr(param, name, value)

    def select(self, pattern):
        """The parameters whose names match the regular expression `pattern`."""
        selected = ParameterDict(self._prefix)
        matcher = re.compile(pattern)
        selected._params.update((k, v) for k, v in self.items() if matcher.match(k))
        return selected

    def save(self, filename, strip_prefix=''):
        """Write the parameters to an MXNet .params file, `strip_prefix` taken off names."""
        arrays = {}
        for param in self.values():
            if not param.name.startswith(strip_prefix):
                raise MXNetError("Prefix '%s' is to be striped before saving, but Parameter's "
                                 "name '%s' does not start with '%s'."
                                 % (strip_prefix, param.name, strip_prefix))
            arrays[param.name[len(strip_prefix):]] = param._reduce()
        nd.save(filename, arrays)

    def load(self, filename, ctx=None, allow_missing=False, ignore_extra=False,
             restore_prefix='', cast_dtype=False, dtype_source='current'):
        """Read parameters from an MXNet .params file (``arg:``/``aux:`` names included),
        `restore_prefix` put before the names in the file."""
        loaded = {restore_prefix + _without_kind(k): v for k, v in nd.load(filename).items()}
        if not allow_missing:
            for name in self.keys():
                if name not in loaded:
                    raise MXNetError("Parameter '%s' is missing in file '%s', which contains "
                                     "parameters: %s. Please make sure source and target "
                                     "networks have the same prefix."
                                     % (name[len(restore_prefix):], filename,
                                        brief_names(loaded.keys())))
        for name, value in loaded.items():
            if name not in self._params:
                if not ignore_extra:
                    raise MXNetError("Parameter '%s' loaded from file '%s' is not present in "
                                     "ParameterDict, choices are: %s. Set ignore_extra to True "
                                     "to ignore. Please make sure source and target networks "
                                     "have the same prefix."
                                     % (name[len(restore_prefix):], filename,
                                        brief_names(self.keys())))
                continue
            self[name]._load_init(value, ctx, cast_dtype=cast_dtype, dtype_source=dtype_source)


def _without_kind(name):
    """A name of a checkpoint file without its ``arg:``/``aux:`` kind."""
    return name[4:] if name.startswith(('arg:', 'aux:')) else name


def brief_names(names):
    """The first few names, quoted, for an error message."""
    names = list(names)
    return "'%s'" % "', '".join(names[:10]) + (', ...' if len(names) > 10 else '')
