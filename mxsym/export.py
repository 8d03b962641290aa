"""`mxsym.export`: a symbol and its parameters as a portable serialized program (`jax.export`).

    mxsym.export(symbol, arg_params, aux_params, {'data': ('?', 3, 224, 224)}, 'net.jax')

writes StableHLO that runs anywhere JAX runs, without mxsym:

    exported = jax.export.deserialize(bytearray(open('net.jax', 'rb').read()))
    outputs = exported.call(images)           # one array per output, list_outputs order

* Inputs are passed positionally, in the order of `input_shapes`. A dimension given as ``'?'`` or
  None is symbolic: every such dimension is one batch size, chosen at call time. Inputs are
  float32 unless `input_dtypes` ({name: dtype}) says otherwise.
* The program is the symbol's inference forward. Parameters are baked in as constants; with
  ``params_as_inputs=True`` they are not, and the call is
  ``exported.call(arg_params, aux_params, *inputs)`` with dicts of arrays keyed by name.
* Arguments that are neither parameters nor inputs (labels of loss layers, which inference does
  not read) are zeros of their inferred shape.
* `platforms` (e.g. ``('cpu', 'cuda')``) lists the backends the program is lowered for; default:
  the current one.
"""
import jax
import jax.numpy as jnp
import numpy as np

from .base import MXNetError
from .compiled_graph import compiled_graph
from .infer import infer_shape_table, infer_type_table

_BATCH_PROBES = (2, 3)


def _is_batch(dim):
    return dim is None or dim == '?'


def _entry_values(symbol, table, names):
    variables = {n.name: n for n in symbol._nodes() if n.op is None}
    return {name: table.get((variables[name], 0)) for name in names}


def _filler_specs(symbol, input_shapes, input_dtypes, names):
    """(dtype, [(slope, intercept) per dim]) for arguments filled with zeros: each dim is
    slope * batch + intercept, found by inferring shapes at two batch sizes."""
    probes = []
    for batch in _BATCH_PROBES:
        given = {k: tuple(batch if _is_batch(d) else int(d) for d in shape)
                 for k, shape in input_shapes.items()}
        _, table = infer_shape_table(symbol, given)
        probes.append(_entry_values(symbol, table, names))
    _, types = infer_type_table(symbol, dict(input_dtypes))
    dtypes = _entry_values(symbol, types, names)
    specs = {}
    for name in names:
        small, large = probes[0][name], probes[1][name]
        if small is None or not all(small):
            raise MXNetError('export: cannot infer the shape of argument %s; give it in '
                             'input_shapes or arg_params' % name)
        dims = []
        for a, b in zip(small, large):
            slope = (b - a) // (_BATCH_PROBES[1] - _BATCH_PROBES[0])
            dims.append((slope, a - slope * _BATCH_PROBES[0]))
        specs[name] = (dtypes[name] or 'float32', dims)
    return specs


def export(symbol, arg_params, aux_params, input_shapes, path=None, input_dtypes=None,
           params_as_inputs=False, platforms=None):
    """Serialize `symbol`'s inference forward with `jax.export`; returns the bytes and writes
    them to `path` when given. See the module docstring for the calling convention."""
    python_ops = [node.describe() for node in symbol._nodes()
                  if node.op is not None and node.op.runs_on_host]
    if python_ops:
        raise MXNetError('export: %s run Python code on the host, which a serialized program '
                         'cannot hold; declare them with mx.operator.register_jax instead'
                         % ', '.join(python_ops))
    program = compiled_graph(symbol).program
    arg_params = {k: jnp.asarray(getattr(v, '_data', v)) for k, v in (arg_params or {}).items()}
    aux_params = {k: jnp.asarray(getattr(v, '_data', v)) for k, v in (aux_params or {}).items()}
    input_names = list(input_shapes)
    unknown = [n for n in input_names if n not in program.arg_names]
    if unknown:
        raise MXNetError('export: inputs %s are not arguments of the symbol (%s)'
                         % (unknown, program.arg_names))
    missing_aux = [n for n in program.aux_names if n not in aux_params]
    if missing_aux:
        raise MXNetError('export: aux_params misses %s' % missing_aux)
    input_dtypes = {n: np.dtype((input_dtypes or {}).get(n, 'float32')).name for n in input_names}
    fillers = _filler_specs(symbol, input_shapes, input_dtypes,
                            [n for n in program.arg_names
                             if n not in arg_params and n not in input_shapes])
    batch, = jax.export.symbolic_shape('batch')
    specs = [jax.ShapeDtypeStruct(tuple(batch if _is_batch(d) else int(d) for d in shape),
                                  input_dtypes[name]) for name, shape in input_shapes.items()]
    key = jax.random.PRNGKey(0) if program.uses_random else None

    def forward(params, aux, *inputs):
        size = next((x.shape[i] for x, shape in zip(inputs, input_shapes.values())
                     for i, d in enumerate(shape) if _is_batch(d)), 0)
        values = dict(params, **dict(zip(input_names, inputs)))
        for name, (dtype, dims) in fillers.items():
            values[name] = jnp.zeros(tuple(slope * size + base for slope, base in dims), dtype)
        outputs, _ = program.run([values[n] for n in program.arg_names],
                                 [aux[n] for n in program.aux_names], key, False)
        return outputs

    if params_as_inputs:
        def to_spec(tree):
            return {k: jax.ShapeDtypeStruct(v.shape, v.dtype) for k, v in tree.items()}
        exported = jax.export.export(jax.jit(forward), platforms=platforms)(
            to_spec(arg_params), to_spec(aux_params), *specs)
    else:
        exported = jax.export.export(
            jax.jit(lambda *inputs: forward(arg_params, aux_params, *inputs)),
            platforms=platforms)(*specs)
    blob = bytes(exported.serialize())
    if path is not None:
        with open(path, 'wb') as out:
            out.write(blob)
    return blob
