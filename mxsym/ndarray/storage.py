"""MXNet's storage-type rules for the results of ops run on csr and row_sparse arrays.

MXNet gives each op an output storage type from its inputs' (``FInferStorageType``): an op with
f(0) = 0 keeps a sparse input's storage (``abs``, ``square``, ``x * 2``), a sum of two arrays of
one sparse storage is of that storage, a product with a sparse factor is sparse, ``dot`` of a
csr matrix with a dense one is dense (row_sparse with ``transpose_a``), and every other op falls
back to dense. mxsym holds every array's values densely (see sparse.py), so these rules decide
only which storage type a result says it has, and refuse what MXNet refuses.
"""
from .. import ops
from ..base import MXNetError

DEFAULT, ROW_SPARSE, CSR = 'default', 'row_sparse', 'csr'


def _kept(arrays, params):
    """A zero-preserving op of one input: the input's storage."""
    return arrays[0].stype


def _sum(arrays, params):
    """Two arrays of one sparse storage add (or subtract) to that storage."""
    stypes = {array.stype for array in arrays}
    return stypes.pop() if len(stypes) == 1 else DEFAULT


def _sum_of_row_sparse(arrays, params):
    """add_n: row_sparse when every term is."""
    return ROW_SPARSE if all(array.stype == ROW_SPARSE for array in arrays) else DEFAULT


def _product(arrays, params):
    """A product with one kind of sparse factor (the other factor may be dense) is sparse."""
    sparse = {array.stype for array in arrays} - {DEFAULT}
    return sparse.pop() if len(sparse) == 1 else DEFAULT


def _broadcast_scaling(op_name):
    """broadcast_mul/div of a csr matrix by a dense array stay csr."""
    def rule(arrays, params):
        lhs, rhs = arrays
        if (lhs.stype, rhs.stype) != (CSR, DEFAULT):
            return DEFAULT
        if op_name == 'broadcast_div' and lhs.shape == rhs.shape:
            raise MXNetError('broadcast_div: use elemwise_div for division between csr and '
                             'dense arrays of the same shape')
        return CSR
    return rule


def _dot(arrays, params):
    lhs, rhs = (array.stype for array in arrays)
    if lhs == CSR and rhs != CSR:
        return ROW_SPARSE if params.transpose_a else DEFAULT
    if (lhs, rhs) == (DEFAULT, CSR) and not (params.transpose_a or params.transpose_b):
        return CSR
    return DEFAULT


def _clip(arrays, params):
    if arrays[0].stype != DEFAULT and not params.a_min <= 0 <= params.a_max:
        raise MXNetError('clip: a %s input needs a_min <= 0 <= a_max (zeros stay zeros), got '
                         'a_min=%s, a_max=%s' % (arrays[0].stype, params.a_min, params.a_max))
    return arrays[0].stype


def _cast_storage(arrays, params):
    source = arrays[0].stype
    if DEFAULT not in (source, params.stype) and source != params.stype:
        raise MXNetError('cast_storage from %s to %s is not supported' % (source, params.stype))
    return params.stype


def _retain(arrays, params):
    if arrays[0].stype != ROW_SPARSE:
        raise MXNetError('_sparse_retain: data must be row_sparse, got %s' % arrays[0].stype)
    return ROW_SPARSE


def _slice(arrays, params):
    return CSR if arrays[0].stype == CSR else DEFAULT


_ZERO_PRESERVING = (
    'abs', 'negative', 'sign', 'relu', 'round', 'rint', 'fix', 'trunc', 'floor', 'ceil',
    'square', 'sqrt', 'cbrt', 'expm1', 'log1p', 'sin', 'tan', 'arcsin', 'arctan', 'sinh', 'tanh',
    'arcsinh', 'arctanh', 'degrees', 'radians', 'zeros_like', 'BlockGrad', 'make_loss', '_copy',
    '_mul_scalar', '_div_scalar', '_contrib_round_ste', '_contrib_sign_ste')

RULES = dict(
    {name: _kept for name in _ZERO_PRESERVING},
    elemwise_add=_sum, elemwise_sub=_sum, add_n=_sum_of_row_sparse, elemwise_mul=_product,
    broadcast_mul=_broadcast_scaling('broadcast_mul'),
    broadcast_div=_broadcast_scaling('broadcast_div'),
    dot=_dot, clip=_clip, cast_storage=_cast_storage, _sparse_retain=_retain, slice=_slice)


def result_stype_rule(op_name):
    """For the op `op_name`: a function ``(args, kwargs, array_type) -> storage type`` of the
    result of ``mx.nd.<op_name>(*args, **kwargs)`` on arrays of `array_type`, or None for an op
    whose results are always dense."""
    op = ops.get(op_name)
    rule = RULES.get(op.name)
    if rule is None:
        return None

    def result_stype(args, kwargs, array_type):
        kwargs = {key: value for key, value in kwargs.items()
                  if key not in ('out', 'ctx', 'name')}
        given = [v for v in list(args) + list(kwargs.values()) if isinstance(v, array_type)]
        if rule is not _cast_storage and all(array.stype == DEFAULT for array in given):
            return DEFAULT
        specialized, inputs, attrs = op.call_attrs(args, kwargs,
                                                   lambda v: isinstance(v, array_type))
        arrays = inputs if isinstance(inputs, list) else [
            inputs[name] for name in specialized.inputs if inputs.get(name) is not None]
        return rule(arrays, specialized.parse_params(attrs))
    return result_stype
