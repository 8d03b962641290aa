"""`mx.onnx.import_model`: an ONNX model as a Symbol with its parameters, for the ONNX ops that
`export_model` writes (so exported models come back), and `get_model_metadata`.

Values computed from constants alone (the shape arithmetic an export holds) are computed here
with onnx's reference evaluator, and shapes onnx's shape inference fixes are constants; each
remaining node becomes mxsym ops by the function for its op type in `IMPORTERS`.
"""
import numpy as np

from ..base import MXNetError
from ..ndarray import array as nd_array
from ..symbol import Group, Variable, apply_op
from .export import require_onnx


def _op(op_name, *inputs, **params):
    return apply_op(op_name, op_name.lower().strip('_'), inputs, params)


class _Graph:
    """The import under way: constants by value name, symbols by value name, parameters."""

    def __init__(self, onnx, model):
        self.onnx = onnx
        self.constants = {i.name: onnx.numpy_helper.to_array(i)
                          for i in model.graph.initializer}
        self.symbols, self.arg_params, self.aux_params = {}, {}, {}
        inferred = onnx.shape_inference.infer_shapes(model)
        self.shapes = {}
        for info in list(inferred.graph.value_info) + list(inferred.graph.input):
            dims = info.type.tensor_type.shape.dim
            if all(d.HasField('dim_value') for d in dims):
                self.shapes[info.name] = tuple(d.dim_value for d in dims)

    def symbol(self, name, aux=False):
        """The symbol of a value: a parameter variable for a constant."""
        if name not in self.symbols:
            if self.constants[name].ndim == 0:   # MXNet's shapes are never 0-d
                self.constants[name] = self.constants[name].reshape(1)
            (self.aux_params if aux else self.arg_params)[name] = nd_array(
                self.constants[name], dtype=self.constants[name].dtype)
            self.symbols[name] = Variable(name, shape=self.constants[name].shape,
                                          dtype=self.constants[name].dtype)
        return self.symbols[name]

    def value(self, name):
        return self.constants.get(name)


def _attrs(onnx, node):
    """A node's attributes, strings decoded."""
    def plain(value):
        if isinstance(value, bytes):
            return value.decode()
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value
    return {a.name: plain(onnx.helper.get_attribute_value(a)) for a in node.attribute}


def _evaluate(onnx, node, values):
    from onnx.reference import ReferenceEvaluator
    outputs = ReferenceEvaluator(node).run(None, {n: v for n, v in zip(node.input, values) if n})
    return dict(zip(node.output, outputs))


# ------------------------------------------------------------------------- op importers
def _window(attrs, ndim):
    pads = list(attrs.get('pads', [0] * 2 * ndim))
    if pads[:ndim] != pads[ndim:]:
        raise MXNetError('pads %s: MXNet pads both sides alike' % pads)
    return dict(kernel=tuple(attrs['kernel_shape']), stride=tuple(attrs.get('strides', [1] * ndim)),
                pad=tuple(pads[:ndim]))


def _conv(g, node, attrs, data, weight, bias=None):
    shape = g.value(weight).shape
    window = _window(attrs, len(shape) - 2)
    window.update(dilate=tuple(attrs.get('dilations', [1] * (len(shape) - 2))),
                  num_group=attrs.get('group', 1), no_bias=bias is None)
    inputs = [g.symbol(data), g.symbol(weight)] + ([g.symbol(bias)] if bias else [])
    if node.op_type == 'Conv':
        return _op('Convolution', *inputs, num_filter=shape[0], **window)
    return _op('Deconvolution', *inputs, num_filter=shape[1] * window['num_group'],
               adj=tuple(attrs.get('output_padding', [0] * (len(shape) - 2))), **window)


def _pool(g, node, attrs, data):
    pool_type = {'MaxPool': 'max', 'AveragePool': 'avg', 'LpPool': 'lp'}[node.op_type]
    window = _window(attrs, len(attrs['kernel_shape']))
    extra = {'p_value': attrs.get('p', 2)} if pool_type == 'lp' else {}
    if pool_type == 'avg':
        extra['count_include_pad'] = bool(attrs.get('count_include_pad', 0))
    return _op('Pooling', g.symbol(data), pool_type=pool_type, pooling_convention='full'
               if attrs.get('ceil_mode') else 'valid', **window, **extra)


def _global_pool(g, node, attrs, data):
    pool_type = {'GlobalMaxPool': 'max', 'GlobalAveragePool': 'avg', 'GlobalLpPool': 'lp'}
    extra = {'p_value': attrs.get('p', 2)} if node.op_type == 'GlobalLpPool' else {}
    return _op('Pooling', g.symbol(data), global_pool=True, kernel=(1, 1),
               pool_type=pool_type[node.op_type], **extra)


def _batch_norm(g, node, attrs, data, gamma, beta, mean, var):
    return _op('BatchNorm', g.symbol(data), g.symbol(gamma), g.symbol(beta),
               g.symbol(mean, aux=True), g.symbol(var, aux=True),
               eps=attrs.get('epsilon', 1e-5), fix_gamma=False, use_global_stats=True)


def _gemm(g, node, attrs, a, b, c=None):
    if attrs.get('transA') or not attrs.get('transB') or attrs.get('alpha', 1) != 1 \
            or attrs.get('beta', 1) != 1:
        raise MXNetError('Gemm: only y = a b^T + c (FullyConnected) is read')
    inputs = [g.symbol(a), g.symbol(b)] + ([g.symbol(c)] if c else [])
    return _op('FullyConnected', *inputs, num_hidden=g.value(b).shape[0], no_bias=c is None)


def _constant_weight(g, name, matrix):
    g.constants[name] = np.ascontiguousarray(matrix)
    return g.symbol(name)


def _matmul(g, node, attrs, a, b):
    """Products by a constant matrix are FullyConnected layers (on swapped axes for a constant
    on the left); two computed arrays multiply with batch_dot."""
    if g.value(b) is not None and g.value(b).ndim == 2:
        weight = _constant_weight(g, b + '_transposed', g.value(b).T)
        return _op('FullyConnected', g.symbol(a), weight, num_hidden=g.value(b).shape[1],
                   flatten=False, no_bias=True)
    if g.value(a) is not None and g.value(a).ndim == 2:
        swapped = _op('SwapAxis', g.symbol(b), dim1=-1, dim2=-2)
        product = _op('FullyConnected', swapped, g.symbol(a), num_hidden=g.value(a).shape[0],
                      flatten=False, no_bias=True)
        return _op('SwapAxis', product, dim1=-1, dim2=-2)
    return _op('_npi_matmul', g.symbol(a), g.symbol(b))


# ONNX op: (broadcast op, scalar op, scalar op with the scalar first)
BINARY = {'Add': ('broadcast_add', '_plus_scalar', '_plus_scalar'),
          'Sub': ('broadcast_sub', '_minus_scalar', '_rminus_scalar'),
          'Mul': ('broadcast_mul', '_mul_scalar', '_mul_scalar'),
          'Div': ('broadcast_div', '_div_scalar', '_rdiv_scalar'),
          'Pow': ('broadcast_power', '_power_scalar', '_rpower_scalar'),
          'Max': ('broadcast_maximum', '_maximum_scalar', '_maximum_scalar'),
          'Min': ('broadcast_minimum', '_minimum_scalar', '_minimum_scalar'),
          'Equal': ('broadcast_equal', '_equal_scalar', '_equal_scalar'),
          'Greater': ('broadcast_greater', '_greater_scalar', '_lesser_scalar'),
          'GreaterOrEqual': ('broadcast_greater_equal', '_greater_equal_scalar',
                             '_lesser_equal_scalar'),
          'Less': ('broadcast_lesser', '_lesser_scalar', '_greater_scalar'),
          'LessOrEqual': ('broadcast_lesser_equal', '_lesser_equal_scalar',
                          '_greater_equal_scalar'),
          'And': ('broadcast_logical_and', '_logical_and_scalar', '_logical_and_scalar'),
          'Or': ('broadcast_logical_or', '_logical_or_scalar', '_logical_or_scalar'),
          'Xor': ('broadcast_logical_xor', '_logical_xor_scalar', '_logical_xor_scalar'),
          'Mod': ('broadcast_mod', '_mod_scalar', '_rmod_scalar')}


def _binary(g, node, attrs, lhs, rhs):
    broadcast, scalar_op, scalar_first_op = BINARY[node.op_type]
    for data, scalar, op_name in ((lhs, rhs, scalar_op), (rhs, lhs, scalar_first_op)):
        value = g.value(scalar)
        if value is not None and value.size == 1 and g.value(data) is None:
            return _op(op_name, g.symbol(data), scalar=float(value.reshape(())))
    return _op(broadcast, g.symbol(lhs), g.symbol(rhs))


UNARY = {'Relu': 'relu', 'Sigmoid': 'sigmoid', 'Tanh': 'tanh', 'Softsign': 'softsign',
         'Exp': 'exp', 'Log': 'log', 'Sqrt': 'sqrt', 'Abs': 'abs', 'Neg': 'negative',
         'Erf': 'erf', 'Reciprocal': 'reciprocal', 'Floor': 'floor', 'Ceil': 'ceil',
         'Sin': 'sin', 'Cos': 'cos', 'Tan': 'tan', 'Asin': 'arcsin', 'Acos': 'arccos',
         'Atan': 'arctan', 'Sinh': 'sinh', 'Cosh': 'cosh', 'Asinh': 'arcsinh',
         'Acosh': 'arccosh', 'Atanh': 'arctanh', 'Sign': 'sign', 'Not': 'logical_not'}


def _unary(g, node, attrs, data):
    return _op(UNARY[node.op_type], g.symbol(data))


def _softplus(g, node, attrs, data):
    return _op('Activation', g.symbol(data), act_type='softrelu')


def _identity(g, node, attrs, data):
    return g.symbol(data)


def _leaky(g, node, attrs, data, slope=None):
    kind = {'LeakyRelu': 'leaky', 'Elu': 'elu', 'Selu': 'selu', 'PRelu': 'prelu',
            'Gelu': 'gelu'}[node.op_type]
    if attrs.get('approximate', 'none') != 'none':
        raise MXNetError("Gelu: MXNet's is the erf form (approximate='none')")
    if kind == 'prelu':
        gamma = _constant_weight(g, slope + '_per_channel', g.value(slope).reshape(-1))
        return _op('LeakyReLU', g.symbol(data), gamma, act_type='prelu')
    slope_value = {'leaky': attrs.get('alpha', 0.01), 'elu': attrs.get('alpha', 1.0)}
    return _op('LeakyReLU', g.symbol(data), act_type=kind, slope=slope_value.get(kind, 0.25))


def _hard_sigmoid(g, node, attrs, data):
    return _op('hard_sigmoid', g.symbol(data), alpha=attrs.get('alpha', 0.2),
               beta=attrs.get('beta', 0.5))


def _clip(g, node, attrs, data, low='', high=''):
    bounds = [float(g.value(b)) if b else limit for b, limit in ((low, -np.inf),
                                                                 (high, np.inf))]
    return _op('clip', g.symbol(data), a_min=bounds[0], a_max=bounds[1])


def _cast(g, node, attrs, data):
    dtype = g.onnx.helper.tensor_dtype_to_np_dtype(attrs['to'])
    return _op('Cast', g.symbol(data), dtype=np.dtype(dtype).name)


def _flatten(g, node, attrs, data):
    if attrs.get('axis', 1) != 1:
        raise MXNetError('Flatten: only axis 1 is read')
    return _op('Flatten', g.symbol(data))


def _reshape(g, node, attrs, data, shape):
    return _op('Reshape', g.symbol(data), shape=tuple(int(d) for d in g.value(shape)))


def _transpose(g, node, attrs, data):
    return _op('transpose', g.symbol(data), axes=tuple(attrs['perm']))


def _concat(g, node, attrs, *data):
    return _op('Concat', *[g.symbol(d) for d in data], dim=attrs['axis'])


def _axes(g, attrs, axes_input):
    return list(g.value(axes_input)) if axes_input else list(attrs.get('axes', []))


def _squeeze(g, node, attrs, data, axes=''):
    return _op('squeeze', g.symbol(data), axis=tuple(int(a) for a in _axes(g, attrs, axes)))


def _unsqueeze(g, node, attrs, data, axes=''):
    result = g.symbol(data)
    for axis in sorted(int(a) for a in _axes(g, attrs, axes)):
        result = _op('expand_dims', result, axis=axis)
    return result


def _split(g, node, attrs, data, sizes=''):
    axis = attrs.get('axis', 0)
    if not sizes:
        return list(_op('SliceChannel', g.symbol(data), num_outputs=len(node.output), axis=axis))
    starts = np.cumsum([0] + list(g.value(sizes)))
    return [_op('slice_axis', g.symbol(data), axis=axis, begin=int(b), end=int(e))
            for b, e in zip(starts[:-1], starts[1:])]


def _slice(g, node, attrs, data, starts, ends, axes='', steps=''):
    """MXNet's slice over the leading axes up to the last one sliced."""
    count = len(g.value(starts))
    axes = [int(a) for a in (g.value(axes) if axes else range(count))]
    if min(axes) < 0:
        raise MXNetError('Slice: negative axes are not read')
    steps = g.value(steps) if steps else np.ones(count, np.int64)
    begin, end, step = ([None] * (max(axes) + 1) for _ in range(3))
    for axis, b, e, s in zip(axes, g.value(starts), g.value(ends), steps):
        begin[axis], step[axis] = int(b), int(s)
        end[axis] = None if abs(e) >= np.iinfo(np.int64).max // 2 else int(e)
    return _op('slice', g.symbol(data), begin=tuple(begin), end=tuple(end), step=tuple(step))


def _gather(g, node, attrs, data, indices):
    axis = attrs.get('axis', 0)
    index = g.value(indices)
    if index is not None and index.ndim == 0:
        part = _op('slice_axis', g.symbol(data), axis=axis, begin=int(index),
                   end=int(index) + 1)
        return _op('squeeze', part, axis=(axis,))
    return _op('take', g.symbol(data), g.symbol(indices), axis=axis, mode='clip')


def _gather_elements(g, node, attrs, data, indices):
    axis = attrs.get('axis', 0)
    shape = g.shapes.get(indices)
    if shape is None or shape[axis] != 1:
        raise MXNetError('GatherElements: only one index along the axis (pick) is read')
    return _op('pick', g.symbol(data), g.symbol(indices), axis=axis, keepdims=True)


def _cumsum(g, node, attrs, data, axis):
    if attrs.get('exclusive') or attrs.get('reverse'):
        raise MXNetError('CumSum: exclusive and reverse sums are not read')
    return _op('_np_cumsum', g.symbol(data), axis=int(g.value(axis)))


def _einsum(g, node, attrs, *operands):
    return _op('_npi_einsum', *[g.symbol(o) for o in operands], subscripts=attrs['equation'])


def _softmax(g, node, attrs, data):
    name = 'softmax' if node.op_type == 'Softmax' else 'log_softmax'
    return _op(name, g.symbol(data), axis=attrs.get('axis', -1))


def _instance_norm(g, node, attrs, data, gamma, beta):
    return _op('InstanceNorm', g.symbol(data), g.symbol(gamma), g.symbol(beta),
               eps=attrs.get('epsilon', 1e-5))


def _layer_norm(g, node, attrs, data, gamma, beta):
    return _op('LayerNorm', g.symbol(data), g.symbol(gamma), g.symbol(beta),
               axis=attrs.get('axis', -1), eps=attrs.get('epsilon', 1e-5))


REDUCTIONS = {'ReduceMean': 'mean', 'ReduceSum': 'sum', 'ReduceProd': 'prod',
              'ReduceMax': 'max', 'ReduceMin': 'min'}


def _reduce(g, node, attrs, data, axes=''):
    return _op(REDUCTIONS[node.op_type], g.symbol(data),
               axis=tuple(int(a) for a in _axes(g, attrs, axes)),
               keepdims=bool(attrs.get('keepdims', 1)))


def _search(g, node, attrs, data):
    if attrs.get('select_last_index'):
        raise MXNetError('select_last_index: MXNet finds the first extreme')
    index = _op(node.op_type.lower(), g.symbol(data), axis=attrs.get('axis', 0),
                keepdims=bool(attrs.get('keepdims', 1)))
    return _op('Cast', index, dtype='int64')


def _pad(g, node, attrs, data, pads, value='', axes=''):
    pads = [int(p) for p in g.value(pads)]
    half = len(pads) // 2
    width = tuple(p for pair in zip(pads[:half], pads[half:]) for p in pair)
    return _op('Pad', g.symbol(data), mode=attrs.get('mode', 'constant'), pad_width=width,
               constant_value=float(g.value(value)) if value else 0.0)


def _tile(g, node, attrs, data, reps):
    return _op('tile', g.symbol(data), reps=tuple(int(r) for r in g.value(reps)))


def _expand(g, node, attrs, data, shape):
    return _op('broadcast_to', g.symbol(data), shape=tuple(int(d) for d in g.value(shape)))


def _where(g, node, attrs, condition, x, y):
    return _op('_npi_where', g.symbol(condition), g.symbol(x), g.symbol(y))


# ONNX op: (MXNet mode, ONNX's gate order as indices into MXNet's)
RECURRENT = {'LSTM': ('lstm', [0, 2, 3, 1]), 'GRU': ('gru', [1, 0, 2])}


def _recurrent(g, node, attrs, data, w, r, b, lengths='', initial_h='', initial_c=''):
    """One ONNX recurrent layer as MXNet's RNN op, its outputs laid out as ONNX's."""
    if node.op_type == 'RNN':
        mode, order = 'rnn_' + attrs.get('activations', ['Tanh'])[0].lower(), [0]
    else:
        mode, order = RECURRENT[node.op_type]
    size = attrs['hidden_size']

    def gates(array):
        return array.reshape((len(order), size) + array.shape[1:])[order].reshape(array.shape)

    weights, biases = [], []
    for wd, rd, bd in zip(g.value(w), g.value(r), g.value(b)):
        weights += [gates(wd).ravel(), gates(rd).ravel()]
        half = len(bd) // 2
        biases += [gates(bd[:half]), gates(bd[half:])]
    flat = _constant_weight(g, node.output[0] + '_parameters', np.concatenate(weights + biases))
    inputs = [g.symbol(data), flat, g.symbol(initial_h)] + (
        [g.symbol(initial_c)] if initial_c else [])
    extra = {'sequence_length': g.symbol(lengths)} if lengths else {}
    directions = len(g.value(w))
    outputs = _op('RNN', *inputs, **extra, mode=mode, state_size=size, num_layers=1,
                  bidirectional=directions == 2, state_outputs=True,
                  use_sequence_length=bool(lengths))
    per_direction = _op('Reshape', outputs[0], shape=(0, 0, directions, size))
    return [_op('transpose', per_direction, axes=(0, 2, 1, 3))] + list(outputs)[1:]


IMPORTERS = {
    'Conv': _conv, 'ConvTranspose': _conv, 'MaxPool': _pool, 'AveragePool': _pool,
    'LpPool': _pool, 'GlobalMaxPool': _global_pool, 'GlobalAveragePool': _global_pool,
    'GlobalLpPool': _global_pool, 'BatchNormalization': _batch_norm, 'Gemm': _gemm,
    'MatMul': _matmul, 'Softplus': _softplus, 'Identity': _identity, 'Dropout': _identity,
    'LeakyRelu': _leaky, 'Elu': _leaky, 'Selu': _leaky, 'PRelu': _leaky, 'Gelu': _leaky,
    'HardSigmoid': _hard_sigmoid, 'Clip': _clip, 'Cast': _cast, 'Flatten': _flatten,
    'Reshape': _reshape, 'Transpose': _transpose, 'Concat': _concat, 'Squeeze': _squeeze,
    'Unsqueeze': _unsqueeze, 'Split': _split, 'Slice': _slice, 'Gather': _gather,
    'Softmax': _softmax, 'LogSoftmax': _softmax, 'InstanceNormalization': _instance_norm,
    'LayerNormalization': _layer_norm, 'ArgMax': _search, 'ArgMin': _search,
    'Pad': _pad, 'Tile': _tile, 'Expand': _expand, 'Where': _where, 'LSTM': _recurrent,
    'GRU': _recurrent, 'RNN': _recurrent, 'GatherElements': _gather_elements,
    'CumSum': _cumsum, 'Einsum': _einsum,
    **{op_type: _binary for op_type in BINARY}, **{op_type: _unary for op_type in UNARY},
    **{op_type: _reduce for op_type in REDUCTIONS},
}


def _load(model_file):
    onnx = require_onnx()
    model = onnx.load(model_file) if isinstance(model_file, str) else model_file
    return onnx, model


def import_model(model_file):
    """(sym, arg_params, aux_params) of an ONNX model file (or ModelProto), for the ops
    `export_model` writes; an MXNetError names every node of another op type at once."""
    onnx, model = _load(model_file)
    g = _Graph(onnx, model)
    unknown = sorted({n.op_type for n in model.graph.node if n.op_type not in IMPORTERS
                      and n.op_type not in ('Shape', 'Size', 'Constant', 'ConstantOfShape',
                                            'Range')})
    if unknown:
        raise MXNetError('import_model: no mxsym form for ONNX ops %s' % ', '.join(unknown))
    for graph_input in model.graph.input:
        if graph_input.name not in g.constants:
            g.symbols[graph_input.name] = Variable(graph_input.name)
    for node in model.graph.node:
        attrs = _attrs(onnx, node)
        if node.op_type in ('Shape', 'Size') and node.input[0] in g.shapes:
            shape = np.asarray(g.shapes[node.input[0]], np.int64)
            g.constants[node.output[0]] = shape if node.op_type == 'Shape' else np.prod(shape)
            continue
        if all(not name or name in g.constants for name in node.input):
            g.constants.update(_evaluate(onnx, node, [g.constants.get(n) for n in node.input]))
            continue
        if node.op_type not in IMPORTERS:
            raise MXNetError('import_model: %s (%s) needs the static shape of %s'
                             % (node.name, node.op_type, node.input[0]))
        try:
            result = IMPORTERS[node.op_type](g, node, attrs, *node.input)
        except MXNetError as err:
            raise MXNetError('import_model: %s (%s): %s' % (node.name, node.op_type, err)) \
                from None
        results = result if isinstance(result, list) else [result]
        for name, value in zip(node.output, results):
            g.symbols[name] = value
    outputs = [g.symbol(o.name) for o in model.graph.output]
    sym = outputs[0] if len(outputs) == 1 else Group(outputs)
    used = set(sym.list_inputs())
    return (sym, {k: v for k, v in g.arg_params.items() if k in used},
            {k: v for k, v in g.aux_params.items() if k in used})


def get_model_metadata(model_file):
    """{'input_tensor_data': [(name, shape)], 'output_tensor_data': [(name, shape)]} of an
    ONNX model's inputs (less its initializers) and outputs; unknown dims are None."""
    _, model = _load(model_file)
    initializers = {i.name for i in model.graph.initializer}

    def described(values):
        return [(v.name, tuple(d.dim_value if d.HasField('dim_value') else None
                               for d in v.type.tensor_type.shape.dim)) for v in values]
    return {'input_tensor_data': described(i for i in model.graph.input
                                           if i.name not in initializers),
            'output_tensor_data': described(model.graph.output)}
