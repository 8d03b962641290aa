"""Mixed-precision conversion of a float32 symbol: casts to the low-precision dtype
(float16 or bfloat16) before the matrix-multiply ops, back to float32 before the ops that
need its range, and float32 for all inputs of an op that must not mix the two.

Casts are the graph's own `amp_cast` nodes, named as MXNet names them
(``<input>_amp_cast_<dtype>``, one per input and dtype), so converted graphs save and load
as MXNet's (`tojson` drops the casts unless ``remove_amp_cast=False``)."""
from ... import ops_registry
from ...base import MXNetError
from ...graph import Node
from ...graph_passes import _rebuilt, _rewrite
from ...module.bucketing_module import BucketingModule
from ...symbol import Symbol

__all__ = ['convert_symbol', 'convert_model', 'convert_bucketing_module', 'list_lp16_ops', 'list_fp32_ops',
           'list_widest_type_cast', 'list_conditional_fp32_ops']

TARGET_DTYPES = ('float16', 'bfloat16')

# the ops whose arithmetic is a matrix multiply: they gain most from low precision
_LP16_OPS = ['Convolution', 'Deconvolution', 'FullyConnected', 'RNN']
# ops whose results need float32's range or precision (exponentials, reductions, norms,
# losses)
_FP32_OPS = ['exp', 'expm1', 'log', 'log1p', 'log2', 'log10', 'rsqrt', 'square',
             'reciprocal', 'broadcast_power', 'sum', 'mean', 'prod', 'norm', 'softmax',
             'log_softmax', 'softmin', 'SoftmaxOutput', 'SoftmaxActivation',
             'LinearRegressionOutput', 'LogisticRegressionOutput', 'MAERegressionOutput',
             'MakeLoss', 'LayerNorm', 'InstanceNorm', 'GroupNorm', 'L2Normalization', 'LRN',
             'topk', 'argsort', 'CTCLoss', 'smooth_l1', 'erfinv', 'gamma', 'gammaln']
# ops over several inputs that must share one dtype: the widest of them
_WIDEST_OPS = ['elemwise_add', 'elemwise_sub', 'elemwise_mul', 'elemwise_div',
               'broadcast_add', 'broadcast_sub', 'broadcast_mul', 'broadcast_div',
               'broadcast_maximum', 'broadcast_minimum', 'Concat',
               'concat', 'stack', 'add_n', 'ElementWiseSum', 'where', 'dot', 'batch_dot',
               '_plus', '_minus', '_mul', '_div', '_Plus', '_Minus', '_Mul', '_Div']
# the ops whose outputs MXNet names (``fc_output``); casts of other ops' outputs name the
# output by its index (``tanh0_0``)
_NAMED_OUTPUT_OPS = {'Activation', 'BatchNorm', 'Concat', 'Convolution', 'Deconvolution',
                     'Dropout', 'FullyConnected', 'LeakyReLU', 'Pad', 'Pooling', 'RNN',
                     'SequenceLast', 'SequenceMask', 'SequenceReverse', 'SliceChannel',
                     'SoftmaxOutput', 'SwapAxis', 'UpSampling', 'elemwise_add'}
# ops whose output dtype is a parameter
_CASTS = ('Cast', 'amp_cast')
# (op, parameter, values): float32 when the parameter takes one of the values
_CONDITIONAL_FP32_OPS = [('Activation', 'act_type', ['softrelu']),
                         ('LeakyReLU', 'act_type', ['elu', 'selu'])]


def _checked_target(target_dtype):
    if target_dtype not in TARGET_DTYPES:
        raise MXNetError('amp: target_dtype must be one of %s, got %r'
                         % (TARGET_DTYPES, target_dtype))
    return target_dtype


def list_lp16_ops(target_dtype):
    """The ops converted to run in `target_dtype`."""
    _checked_target(target_dtype)
    return list(_LP16_OPS)


def list_fp32_ops(target_dtype):
    """The ops kept in float32."""
    _checked_target(target_dtype)
    return list(_FP32_OPS)


def list_widest_type_cast(target_dtype):
    """The ops whose inputs are cast to the widest dtype among them."""
    _checked_target(target_dtype)
    return list(_WIDEST_OPS)


def list_conditional_fp32_ops(target_dtype):
    """(op, parameter, values): the ops kept in float32 for those parameter values."""
    _checked_target(target_dtype)
    return [(op, param, list(values)) for op, param, values in _CONDITIONAL_FP32_OPS]


def _entry_name(node, index):
    if node.op is None or node.op.name in _NAMED_OUTPUT_OPS:
        return node.output_name(index)
    return '%s_%d' % (node.name, index)


class _Casts:
    """The cast nodes of one conversion, one per (input entry, dtype), and which entries
    hold low-precision values."""

    def __init__(self, target_dtype):
        self.target = target_dtype
        self.low = set()
        self._made = {}

    def cast(self, entry, dtype):
        key = (id(entry[0]), entry[1], dtype)
        if key not in self._made:
            op = ops_registry.get('amp_cast')
            node = Node(op, '%s_amp_cast_%s' % (_entry_name(*entry), dtype),
                        {'dtype': dtype}, [entry], op.parse_params({'dtype': dtype}))
            self._made[key] = (node, 0)
        cast = self._made[key]
        if dtype == self.target:
            self.low.add((id(cast[0]), 0))
        return cast

    def is_low(self, entry):
        return (id(entry[0]), entry[1]) in self.low



def convert_symbol(sym, target_dtype='float16', target_dtype_ops=None, fp32_ops=None,
                   conditional_fp32_ops=None, excluded_sym_names=None, data_names=None,
                   cast_optional_params=False):
    """`sym` (a float32 network) with the casts of mixed precision: inputs of
    `target_dtype_ops` cast to `target_dtype`, low-precision inputs of `fp32_ops` (and of the
    `conditional_fp32_ops` whose parameter matches) cast back to float32, as are the
    low-precision inputs of a widest-type op whose inputs mix the two. Ops named in `excluded_sym_names`
    are left alone. The lists default to `list_lp16_ops` etc."""
    _checked_target(target_dtype)
    if cast_optional_params:
        raise MXNetError('amp.convert_symbol: cast_optional_params=True is not supported; the '
                         'parameters stay float32 and are cast in the graph')
    lp16 = set(list_lp16_ops(target_dtype) if target_dtype_ops is None else target_dtype_ops)
    fp32 = set(list_fp32_ops(target_dtype) if fp32_ops is None else fp32_ops)
    conditional = (list_conditional_fp32_ops(target_dtype) if conditional_fp32_ops is None
                   else conditional_fp32_ops)
    for first, second in ((lp16, fp32), (lp16, {c[0] for c in conditional}),
                          (fp32, {c[0] for c in conditional})):
        if first & second:
            raise MXNetError('amp.convert_symbol: ops cannot be in two lists: %s'
                             % sorted(first & second))
    widest = set(list_widest_type_cast(target_dtype))
    excluded = set(excluded_sym_names or [])
    casts = _Casts(target_dtype)

    def in_fp32(node):
        if node.op.name in fp32:
            return True
        return any(node.op.name == op and str(node.attrs.get(param)) in values
                   for op, param, values in conditional)

    def convert(node, inputs):
        if node.op.name in _CASTS:
            new_inputs, low = inputs, str(node.attrs.get('dtype')) == target_dtype
        elif node.name in excluded:
            new_inputs, low = inputs, any(casts.is_low(e) for e in inputs)
        elif node.op.name in lp16:
            new_inputs = [e if casts.is_low(e) else casts.cast(e, target_dtype) for e in inputs]
            low = True
        elif in_fp32(node):
            new_inputs = [casts.cast(e, 'float32') if casts.is_low(e) else e for e in inputs]
            low = False
        elif node.op.name in widest and len({casts.is_low(e) for e in inputs}) > 1:
            new_inputs = [casts.cast(e, 'float32') if casts.is_low(e) else e for e in inputs]
            low = False
        else:
            new_inputs, low = inputs, any(casts.is_low(e) for e in inputs)
        kept = _rebuilt(node, new_inputs)
        outputs = [(kept, i) for i in range(node.num_outputs)]
        if low:
            casts.low.update((id(kept), i) for i in range(node.num_outputs))
        return outputs
    return Symbol(_rewrite(sym._outputs, convert))


def convert_model(sym, arg_params, aux_params, target_dtype='float16', target_dtype_ops=None,
                  fp32_ops=None, conditional_fp32_ops=None, excluded_sym_names=None,
                  cast_optional_params=False):
    """(converted symbol, arg_params, aux_params): `convert_symbol` of `sym`, the
    parameters kept in float32 (the graph casts them where needed)."""
    converted = convert_symbol(sym, target_dtype, target_dtype_ops, fp32_ops,
                               conditional_fp32_ops, excluded_sym_names,
                               cast_optional_params=cast_optional_params)
    return converted, arg_params, aux_params


def convert_bucketing_module(bucketing_mod, target_dtype='float16', target_dtype_ops=None,
                             fp32_ops=None, conditional_fp32_ops=None, excluded_sym_names=None,
                             cast_optional_params=False):
    """A new, unbound BucketingModule over `convert_symbol` of each bucket's symbol, holding
    `bucketing_mod`'s parameters (bind it before use; keys not seen yet come from its
    sym_gen unconverted)."""
    if not (bucketing_mod.binded and bucketing_mod.params_initialized):
        raise MXNetError('amp.convert_bucketing_module: bind the module and initialize its '
                         'parameters first')
    symbols = {key: convert_symbol(module.symbol, target_dtype, target_dtype_ops, fp32_ops,
                                   conditional_fp32_ops, excluded_sym_names,
                                   cast_optional_params=cast_optional_params)
               for key, module in bucketing_mod._buckets.items()}
    arg_params, aux_params = bucketing_mod.get_params()
    return BucketingModule.load_dict(symbols, bucketing_mod._sym_gen,
                                     bucketing_mod._default_bucket_key, arg_params,
                                     aux_params, **bucketing_mod._module_kwargs)
