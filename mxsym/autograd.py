"""`mx.autograd`: record NDArray computations and differentiate them.

The tape and the replay that differentiates it are in tape.py; this module holds MXNet's
user-facing scopes and functions, `get_symbol` (the recorded history as a Symbol) and
`Function` (a computation with a gradient written by the user).
"""
import jax

from . import symbol as sym
from . import tape
from .base import MXNetError
from .ndarray import NDArray
from .ndarray.ndarray import GRAD_REQS
from .tape import is_recording, is_training, set_recording, set_training

__all__ = ['set_recording', 'set_training', 'is_recording', 'is_training', 'record', 'pause',
           'train_mode', 'predict_mode', 'mark_variables', 'backward', 'grad', 'get_symbol',
           'Function']


class _RecordingStateScope:
    """A ``with`` scope setting the recording and/or training state (None leaves it), and
    restoring both on exit."""

    def __init__(self, is_record, train_mode):
        self._enter_is_record, self._enter_train_mode = is_record, train_mode
        self._previous = None

    def __enter__(self):
        previous_record = previous_train = None
        if self._enter_is_record is not None:
            previous_record = set_recording(self._enter_is_record)
        if self._enter_train_mode is not None:
            previous_train = set_training(self._enter_train_mode)
        self._previous = (previous_record, previous_train)

    def __exit__(self, ptype, value, trace):
        previous_record, previous_train = self._previous
        if previous_record is not None:
            set_recording(previous_record)
        if previous_train is not None:
            set_training(previous_train)


def record(train_mode=True):
    """A scope that records computations for gradients (in training mode by default)."""
    return _RecordingStateScope(True, train_mode)


def pause(train_mode=False):
    """A scope that stops recording (in prediction mode by default)."""
    return _RecordingStateScope(False, train_mode)


def train_mode():
    """A scope in training mode (Dropout drops), recording state unchanged."""
    return _RecordingStateScope(None, True)


def predict_mode():
    """A scope in prediction mode, recording state unchanged."""
    return _RecordingStateScope(None, False)


def mark_variables(variables, gradients, grad_reqs='write'):
    """Mark arrays for gradients, each with the given gradient array and grad_req (one string
    for all, or one per variable)."""
    if isinstance(variables, NDArray):
        variables, gradients = [variables], [gradients]
    if isinstance(grad_reqs, str):
        grad_reqs = [grad_reqs] * len(variables)
    if not len(variables) == len(gradients) == len(grad_reqs):
        raise MXNetError('mark_variables: %d variables, %d gradients and %d grad_reqs differ '
                         'in number' % (len(variables), len(gradients), len(grad_reqs)))
    for variable, gradient, grad_req in zip(variables, gradients, grad_reqs):
        if grad_req not in GRAD_REQS:
            raise MXNetError("mark_variables: grad_req must be one of %s, got '%s'"
                             % (', '.join(GRAD_REQS), grad_req))
        variable._entry = (tape.Variable(gradient, grad_req), 0)


def _heads(heads, head_grads):
    """Heads and head gradients as equally long lists."""
    if isinstance(heads, NDArray):
        heads = [heads]
    if isinstance(head_grads, NDArray):
        head_grads = [head_grads]
    if head_grads is not None and len(heads) != len(head_grads):
        raise MXNetError('backward: %d heads but %d head gradients'
                         % (len(heads), len(head_grads)))
    return list(heads), None if head_grads is None else list(head_grads)


def backward(heads, head_grads=None, retain_graph=False, train_mode=True):
    """Write the gradients of `heads` (times `head_grads`, default ones) into the gradient
    arrays of the marked variables they depend on."""
    heads, head_grads = _heads(heads, head_grads)
    tape.backward(heads, head_grads, retain_graph, train_mode)


def grad(heads, variables, head_grads=None, retain_graph=None, create_graph=False,
         train_mode=True):
    """The gradients of `heads` with respect to `variables` as new arrays (the variables'
    gradient arrays are left alone). With `create_graph` the gradients are recorded, so they
    can be differentiated again; `retain_graph` defaults to `create_graph`."""
    heads, head_grads = _heads(heads, head_grads)
    if isinstance(variables, NDArray):
        variables = [variables]
    elif not variables:
        raise MXNetError('grad: variables cannot be an empty list')
    retain_graph = create_graph if retain_graph is None else retain_graph
    return tape.grad(heads, list(variables), head_grads, retain_graph, create_graph,
                     train_mode, NDArray)


def get_symbol(x):
    """The recorded history of the array `x` as a Symbol: one variable per array it started
    from (``var0``, ``var1`` ...), one node per recorded operator."""
    if not isinstance(x, NDArray):
        raise MXNetError('get_symbol: expected an NDArray, got %s' % type(x).__name__)
    entry = tape.entry_of(x)
    if entry is None:
        raise MXNetError('get_symbol: the array is not in a computational graph')
    made = {}

    def symbol_of(entry, value):
        node, index = entry if entry is not None else (value, 0)
        if id(node) not in made:
            made[id(node)] = _node_symbol(node, symbol_of, len(made))
        built = made[id(node)]
        return built[index] if len(built.list_outputs()) > 1 else built
    return symbol_of(entry, None)


def _node_symbol(node, symbol_of, count):
    """The Symbol of one tape node (or a variable, for a leaf)."""
    if not isinstance(node, tape.TapeNode):
        return sym.Variable('var%d' % count)
    if node.op_name is None:
        raise MXNetError('get_symbol: the history holds a computation that is not an '
                         'operator (indexing, reshape, a custom Function, a gradient)')
    args = zip(node.entries[1:], node.values[1:])   # the first is the op's PRNG key
    inputs = [symbol_of(entry, value) for entry, value in args]
    namespace = sym._internal if node.op_name.startswith('_') else sym
    return getattr(namespace, node.op_name)(*inputs, **node.attrs)


class Function:
    """A computation whose gradient is given by the user.

    Subclasses define ``forward(*inputs)`` and ``backward(*output_grads)`` on NDArrays
    (backward returns one gradient per input); `save_for_backward` keeps arrays for backward
    as `saved_tensors`. Each instance is called once.
    """

    def __init__(self):
        self._used = False
        self.saved_tensors = ()

    def save_for_backward(self, *args):
        self.saved_tensors = args

    def __call__(self, *inputs):
        if self._used:
            raise MXNetError('autograd.Function: each instance can be called only once; '
                             'make another instance')
        self._used = True
        with pause(train_mode=is_training()):
            outputs = self.forward(*inputs)
        single = isinstance(outputs, NDArray)
        outputs = (outputs,) if single else tuple(outputs)
        if is_recording():
            gradient = _CustomGradient(self, [x._data for x in outputs], [x.dtype for x in inputs])
            tape.record(gradient, inputs, outputs)
        return outputs[0] if single else outputs

    def forward(self, *inputs):
        raise NotImplementedError

    def backward(self, *output_grads):
        raise NotImplementedError


class _CustomGradient:
    """A Function's outputs as a function of its inputs, whose pullback is the Function's
    backward (run eagerly on NDArrays)."""

    def __init__(self, function, outputs, input_dtypes):
        self._function, self._outputs = function, tuple(outputs)
        self._input_dtypes = input_dtypes
        self._call = jax.custom_vjp(self._forward)
        self._call.defvjp(self._forward_with_residuals, self._backward)

    def __call__(self, *inputs):
        return self._call(*inputs)

    def _forward(self, *inputs):
        return self._outputs

    def _forward_with_residuals(self, *inputs):
        return self._outputs, ()

    def _backward(self, _, output_grads):
        with pause(train_mode=is_training()):
            grads = self._function.backward(*[NDArray(g) for g in output_grads])
        grads = (grads,) if isinstance(grads, NDArray) else tuple(grads)
        if len(grads) != len(self._input_dtypes):
            raise MXNetError('%s.backward: returned %d gradients for %d inputs'
                             % (type(self._function).__name__, len(grads),
                                len(self._input_dtypes)))
        for gradient in grads:
            if not isinstance(gradient, NDArray):
                raise MXNetError('autograd.Function.backward must return NDArrays, not %s'
                                 % type(gradient).__name__)
        return tuple(g._data.astype(dtype) for g, dtype in zip(grads, self._input_dtypes))
