"""`mx.onnx.export_model`: a symbol and its parameters written as an ONNX model.

Each op's ONNX form is declared beside the op (`OpDef.onnx`, set by `ops_registry.onnx_form`):
``convert(g, params, *inputs)`` receives the node's parsed params and the ONNX value names of its
inputs (None for an input it is not given, such as a loss layer's label) and returns the names of
its outputs, built with the `OnnxGraph` `g`. Nodes whose inputs are all parameters are computed
here by mxsym and written as initializers (Gluon's ``_rnn_param_concat`` of RNN weights).

Dynamic dims (None in ``dynamic_input_shapes``) of the same size in `in_shapes` vary together
(the batch size of several inputs); those the graph does not let vary (channels, or a batch size
an op's params fix) stay fixed in the ONNX graph's inputs. Ops whose ONNX form needs a shape (a
``Reshape``, ``_zeros``) get it computed at run time from the dynamic sizes, for dims that are
affine in them (as a batch dim is); other dims are refused when asked for.
"""
import logging
import os

import jax.numpy as jnp
import numpy as np

from .. import model
from ..base import MXNetError
from ..graph import topo_order
from ..infer import infer_shape_table, infer_type_table
from ..ops import all_ops
from ..ops_registry import RunContext
from ..symbol import Symbol

DEFAULT_OPSET = 13
LOWEST_OPSET = 13


def require_onnx():
    """The `onnx` package, or an ImportError saying how to install it."""
    try:
        import onnx
    except ImportError:
        raise ImportError('mx.onnx needs the onnx package: pip install mxsym[onnx]') from None
    return onnx


class Dim:
    """A dim affine in the dynamic sizes: ``base + sum(slope * size)``, `slopes` {the size
    the dynamic dims have in the example shapes: slope}."""

    def __init__(self, base, slopes):
        self.base, self.slopes = base, slopes


class OnnxGraph:
    """The ONNX graph being built: nodes and initializers, and what an op's ONNX form may ask
    about the node it converts: `node`, `opset`, `in_shapes` and `out_shapes` (at the example
    sizes), `in_dtypes` and `out_dtypes` (numpy dtypes), `out_dims` (dynamic dims as `Dim`s)
    and `value` (a parameter's array)."""

    def __init__(self, onnx, opset):
        self.onnx, self.opset = onnx, opset
        self.nodes, self.initializers, self.values = [], [], {}
        self._count = 0
        self.node = None          # the mxsym node being converted
        self.in_shapes = self.out_shapes = self.in_dtypes = self.out_dtypes = ()
        self._out_dims = ()
        self._size_values = {}     # dynamic size -> the ONNX value holding it at run time
        self.dynamic_sources = {}  # dynamic size -> (input name, axis) where it is read

    def convert(self, node, inputs, shapes, dtypes):
        """The ONNX names of `node`'s outputs, from its op's ONNX form given the ONNX names of
        its inputs; while it runs, `node`, `in_shapes`, ... describe the node."""
        entries = [(node, i) for i in range(node.num_outputs)]
        self.node = node
        self.in_shapes = [shapes.static(e) for e in node.inputs]
        self.out_shapes = [shapes.static(e) for e in entries]
        self.in_dtypes = [np.dtype(dtypes.get(e)) for e in node.inputs]
        self.out_dtypes = [np.dtype(dtypes.get(e)) for e in entries]
        self._out_dims = [shapes.dims(e) for e in entries]
        outputs = node.op.onnx(self, node.params, *inputs)
        return [outputs] if isinstance(outputs, str) else list(outputs)

    def fresh(self, hint):
        """A new value or node name, after the node being converted."""
        self._count += 1
        return '%s_%s%d' % (self.node.name if self.node is not None else 'graph', hint,
                            self._count)

    def op(self, op_type, *inputs, outputs=1, **attrs):
        """Add an ONNX node; its output name (a list of `outputs` names when not 1). An input
        given as None is left empty (an optional input skipped)."""
        names = [self.fresh(op_type) for _ in range(outputs)]
        self.nodes.append(self.onnx.helper.make_node(
            op_type, ['' if i is None else i for i in inputs], names, name=self.fresh('node'),
            **{k: v for k, v in attrs.items() if v is not None}))
        return names[0] if outputs == 1 else names

    def const(self, value, dtype=None):
        """An initializer holding `value` (a numpy array or a list)."""
        value = np.asarray(value, dtype=dtype)
        name = self.fresh('const')
        self.add_initializer(name, value)
        return name

    def ints(self, values):
        """A 1-D int64 initializer (shapes, axes, starts and ends)."""
        return self.const(np.asarray(values, dtype=np.int64).reshape(-1))

    def add_initializer(self, name, value):
        self.initializers.append(self.onnx.numpy_helper.from_array(
            np.asarray(value, order='C'), name))
        self.values[name] = value

    def cast(self, x, dtype):
        return self.op('Cast', x, to=self.onnx.helper.np_dtype_to_tensor_dtype(np.dtype(dtype)))

    def filled(self, dims, value, dtype):
        """An array of shape `dims` (ints and `Dim`s) holding `value` everywhere."""
        fill = self.onnx.numpy_helper.from_array(np.asarray([value], dtype=dtype))
        return self.op('ConstantOfShape', self.shape_tensor(dims), value=fill)

    def computed_from_shapes(self):
        """The node's outputs as constants, computed on zeros of its inputs' shapes: the form
        of ops whose values depend on those shapes alone, where no dim is dynamic."""
        if any(not isinstance(d, (int, np.integer)) for dims in self._out_dims for d in dims):
            self.refuse('its values depend on the dynamic input dims')
        zeros = [np.zeros(s, t) for s, t in zip(self.in_shapes, self.in_dtypes)]
        return [self.const(value) for value in _fold(self.node, zeros)]

    def value(self, name):
        """The array an initializer holds, or None for a value computed at run time."""
        return self.values.get(name)

    def out_dims(self, index=0):
        """Output `index`'s dims: ints, `Dim`s for dims that vary with dynamic sizes, or None
        where a dim varies in a way no affine formula gives."""
        return self._out_dims[index]

    def shape_tensor(self, dims):
        """A 1-D int64 value holding a shape given by `dims` (ints and `Dim`s)."""
        if all(isinstance(d, (int, np.integer)) for d in dims):
            return self.ints(dims)
        parts = []
        for dim in dims:
            if dim is None:
                self.refuse('a dim of its shape varies with the dynamic input dims in a way '
                            'ONNX cannot compute (not affine in them)')
            if not isinstance(dim, Dim):
                parts.append(self.ints([dim]))
                continue
            total = self.ints([dim.base])
            for dynamic_size, slope in dim.slopes.items():
                size = self._size_value(dynamic_size)
                term = size if slope == 1 else self.op('Mul', size, self.ints([slope]))
                total = self.op('Add', total, term)
            parts.append(total)
        return self.op('Concat', *parts, axis=0)

    def _size_value(self, dynamic_size):
        """A 1-element int64 value: the run-time size of the dims of `dynamic_size`."""
        if dynamic_size not in self._size_values:
            source, axis = self.dynamic_sources[dynamic_size]
            self._size_values[dynamic_size] = self.op('Gather', self.op('Shape', source),
                                                      self.ints([axis]), axis=0)
        return self._size_values[dynamic_size]

    def axes_input(self, op_type, x, axes, **attrs):
        """A reduction (or Squeeze/Unsqueeze) over `axes`, the axes as an attribute or an
        input as the opset has it."""
        takes_input = {'ReduceSum': 13, 'Squeeze': 13, 'Unsqueeze': 13}.get(op_type, 18)
        if self.opset >= takes_input:
            return self.op(op_type, x, None if axes is None else self.ints(axes), **attrs)
        return self.op(op_type, x, axes=None if axes is None else list(axes), **attrs)

    def refuse(self, reason):
        """Give up on the node: the export names it, with `reason`, among the ops it cannot
        write."""
        raise MXNetError(reason)


def _load(sym, params):
    """(symbol, {name: numpy array}) from objects or from file paths, as MXNet accepts them."""
    if isinstance(sym, str) and isinstance(params, str):
        if not (os.path.isfile(sym) and os.path.isfile(params)):
            raise ValueError('Symbol and params files provided are invalid')
        prefix = sym.rsplit('.', 1)[0].rsplit('-', 1)[0]
        stem = params.rsplit('.', 1)[0].rsplit('-', 1)
        sym, arg_params, aux_params = model.load_checkpoint(
            prefix, 0 if len(stem) == 1 else int(stem[1]))
        params = dict(arg_params, **aux_params)
    elif isinstance(sym, Symbol) and isinstance(params, dict):
        params = dict(params)
    elif isinstance(sym, Symbol) and isinstance(params, (list, tuple)) and len(params) == 2:
        params = dict(params[0], **params[1])
    else:
        raise ValueError('Input sym and params should either be files or objects')
    return sym, {k: np.asarray(v.asnumpy() if hasattr(v, 'asnumpy') else v)
                 for k, v in params.items()}


def model_inputs(symbol, params):
    """The inputs `in_shapes` describe, as MXNet's export orders them: the symbol's inputs
    that are not params, less the label of its last node."""
    output_label = topo_order(symbol._outputs)[-1].name + '_label'
    return [n for n in symbol.list_inputs() if n not in params and n != output_label]


def _output_names(symbol):
    """MXNet's names of the ONNX graph outputs: ``fc1`` for ``fc1_output``, ``rnn1`` and
    ``rnn2`` for an RNN's states, ``split3`` for ``split_output3``."""
    names = []
    for name in symbol.list_outputs():
        for suffix, tail in (('_state_output', '1'), ('_statecell_output', '2'),
                             ('_output', '')):
            if name.endswith(suffix):
                names.append(name[:-len(suffix)] + tail)
                break
        else:
            stem, _, index = name.rpartition('_output')
            names.append(stem + index if index.isdigit() and stem else name)
    return names


class _Shapes:
    """Every entry's shape at the given sizes and, for dynamic dims, as `Dim`s. Each size
    given to dynamic dims is one variable (the batch size of several inputs); a variable the
    graph does not let vary (channels given as dynamic) stays fixed."""

    def __init__(self, symbol, fixed, inputs, dynamic):
        def table(factor):
            given = dict(fixed)
            for name, shape in inputs.items():
                given[name] = tuple(d * factor.get(d, 1) if axis in dynamic.get(name, ())
                                    else d for axis, d in enumerate(shape))
            return infer_shape_table(symbol, given)[1]
        self.base = table({})
        self.probes = {}
        for size in sorted({shape[axis] for name, shape in inputs.items()
                            for axis in dynamic.get(name, ())}):
            try:
                self.probes[size] = table({size: 2})
            except MXNetError:
                continue
        try:
            self.check = table({size: 3 for size in self.probes}) if self.probes else None
        except MXNetError:
            self.check = None

    def static(self, entry):
        shape = self.base.get(entry)
        return None if shape is None else tuple(shape)

    def dims(self, entry):
        """The entry's dims: ints, `Dim`s ({size: slope}), None where not affine."""
        base = self.static(entry)
        if base is None or not self.probes:
            return base
        dims, checked = [], self.check.get(entry) if self.check else None
        for axis, dim in enumerate(base):
            slopes = {}
            for size, probe in self.probes.items():
                change = (probe.get(entry) or base)[axis] - dim
                if change:
                    slopes[size] = change // size if change % size == 0 else None
            if not slopes:
                dims.append(dim)
            elif None in slopes.values() or checked is None or checked[axis] != dim + sum(
                    2 * slope * size for size, slope in slopes.items()):
                dims.append(None)
            else:
                dims.append(Dim(dim - sum(s * size for size, s in slopes.items()), slopes))
        return dims


def _fold(node, values):
    """The outputs of a node whose inputs are all known arrays, computed by the op."""
    result = node.op.compute(node.params, RunContext(False, None), *map(jnp.asarray, values))
    outputs, _ = node.op.split_result(result)
    return [np.asarray(o) for o in outputs]


def build_model(sym, params, in_shapes, in_types=np.float32, dynamic=False,
                dynamic_input_shapes=None, opset_version=DEFAULT_OPSET, verbose=False):
    """The ONNX ModelProto of `export_model` (see there), not yet written."""
    onnx = require_onnx()
    if not LOWEST_OPSET <= opset_version <= onnx.defs.onnx_opset_version():
        raise MXNetError('export_model: opset_version %s is not in [%d, %d] (the onnx '
                         'package\'s newest)' % (opset_version, LOWEST_OPSET,
                                                 onnx.defs.onnx_opset_version()))
    symbol, params = _load(sym, params)
    nodes = topo_order(symbol._outputs)
    input_names = model_inputs(symbol, params)
    in_shapes = [tuple(s) for s in in_shapes or ()]
    if len(in_shapes) != len(input_names):
        raise MXNetError('export_model: %d shapes in in_shapes for the %d inputs %s'
                         % (len(in_shapes), len(input_names), input_names))
    in_types = list(in_types) if isinstance(in_types, (list, tuple)) else \
        [in_types] * len(in_shapes)
    if len(in_types) != len(in_shapes):
        raise MXNetError('export_model: the lengths of in_types and in_shapes must be equal')
    if dynamic_input_shapes is not None and not dynamic:
        raise MXNetError('export_model: dynamic_input_shapes is given: pass dynamic=True')
    if dynamic:
        dynamic_input_shapes = dynamic_input_shapes or [(None,) * len(s) for s in in_shapes]
        if [len(s) for s in dynamic_input_shapes] != [len(s) for s in in_shapes]:
            raise MXNetError('export_model: dynamic_input_shapes %s do not have the ranks of '
                             'in_shapes %s' % (dynamic_input_shapes, in_shapes))
    dynamic_axes = {name: [a for a, d in enumerate(shape) if d is None]
                    for name, shape in zip(input_names, dynamic_input_shapes or in_shapes)}
    inputs = dict(zip(input_names, in_shapes))
    arguments = set(symbol.list_inputs())
    params = {k: v for k, v in params.items() if k in arguments}
    shapes = _Shapes(symbol, {k: v.shape for k, v in params.items()}, inputs, dynamic_axes)
    # the graph's inputs: dynamic dims stay fixed where the graph does not let them vary
    declared = [tuple(None if axis in dynamic_axes[name] and d in shapes.probes else d
                      for axis, d in enumerate(inputs[name])) for name in input_names]
    dtypes = infer_type_table(symbol, dict(
        {k: v.dtype.name for k, v in params.items()},
        **{n: np.dtype(t).name for n, t in zip(input_names, in_types)}))[1]

    g = OnnxGraph(onnx, opset_version)
    for name in input_names:
        for axis in dynamic_axes[name]:
            g.dynamic_sources.setdefault(inputs[name][axis], (name, axis))
    names, known = {}, {}
    for name, value in params.items():
        g.add_initializer(name, value)
    refused = []
    for node in nodes:
        entries = [(node, i) for i in range(node.num_outputs)]
        if node.op is None:
            names[entries[0]] = node.name
            if node.name in params:
                known[entries[0]] = params[node.name]
            continue
        in_values = [known.get(e) for e in node.inputs]
        if node.inputs and all(v is not None for v in in_values) and not node.op.random \
                and not node.subgraphs:
            for entry, value in zip(entries, _fold(node, in_values)):
                known[entry] = value
                names[entry] = '%s_output%d' % (node.name, entry[1])
                g.add_initializer(names[entry], value)
            continue
        if node.op.onnx is None:
            refused.append('%s: the op has no ONNX form' % node.describe())
            continue
        if verbose:
            logging.info('Converting %s', node.describe())
        try:
            names.update(zip(entries, g.convert(node, [names.get(e) for e in node.inputs],
                                                shapes, dtypes)))
        except MXNetError as err:
            refused.append('%s: %s' % (node.describe(), err))
    if refused:
        raise MXNetError('export_model: %d ops have no ONNX form; nothing was written:\n  %s'
                         % (len(refused), '\n  '.join(refused)))
    g.node = None
    helper = onnx.helper
    graph_inputs = [helper.make_tensor_value_info(
        name, helper.np_dtype_to_tensor_dtype(np.dtype(t)), list(shape))
        for name, t, shape in zip(input_names, in_types, declared)]
    graph_outputs = []
    for entry, out_name in zip(symbol._outputs, _output_names(symbol)):
        g.nodes.append(helper.make_node('Identity', [names[entry]], [out_name],
                                        name=out_name + '_identity'))
        dims = shapes.dims(entry) if dynamic else shapes.static(entry)
        graph_outputs.append(helper.make_tensor_value_info(
            out_name, helper.np_dtype_to_tensor_dtype(np.dtype(dtypes.get(entry))),
            [d if isinstance(d, (int, np.integer)) else None for d in dims]))
    used = {name for node in g.nodes for name in node.input}
    graph_initializers = [i for i in g.initializers if i.name in used]
    graph = helper.make_graph(g.nodes, 'mxnet_converted_model', graph_inputs, graph_outputs,
                              initializer=graph_initializers)
    return helper.make_model(graph, producer_name='mxsym',
                             opset_imports=[helper.make_opsetid('', opset_version)])


def export_model(sym, params, in_shapes=None, in_types=np.float32, onnx_file_path='model.onnx',
                 verbose=False, dynamic=False, dynamic_input_shapes=None,
                 run_shape_inference=False, input_type=None, input_shape=None,
                 opset_version=DEFAULT_OPSET):
    """Write `sym` with `params` as an ONNX model at `onnx_file_path`; returns the path.

    sym: a Symbol or the path of its JSON file; params: a dict of arg and aux params, a list
    [arg_params, aux_params], or the path of a .params file (with a JSON path). in_shapes and
    in_types (one dtype or one per input) describe the inputs: the symbol's inputs that are not
    params, in `list_inputs` order, less the label of its last node. With ``dynamic=True`` the
    dims given as None in `dynamic_input_shapes` (every dim when not given) are left free;
    `input_type` and `input_shape` are the older names of in_types and in_shapes;
    `opset_version` (13 unless given, up to the onnx package's newest) picks the ONNX opset.
    Ops without an ONNX form are all named in one MXNetError before anything is written.
    """
    onnx = require_onnx()
    in_types = input_type if input_type is not None else in_types
    in_shapes = input_shape if input_shape is not None else in_shapes
    proto = build_model(sym, params, in_shapes, in_types, dynamic, dynamic_input_shapes,
                        opset_version, verbose)
    if run_shape_inference:
        try:
            proto = onnx.shape_inference.infer_shapes(proto)
        except Exception:   # as MXNet: the model without inferred shapes is kept
            logging.info('Shape inference failed, original export is kept.')
    with open(onnx_file_path, 'wb') as handle:
        handle.write(proto.SerializeToString())
    logging.info('Exported ONNX file %s saved to disk', onnx_file_path)
    return onnx_file_path


def export_named_inputs(symbol, arg_params, aux_params, input_shapes, path,
                        opset_version=DEFAULT_OPSET):
    """`export_model` with the input shapes by name, ``'?'`` for a dynamic (batch) dim, as
    `mxsym.export` takes them (the `mxsym export --format onnx` command)."""
    params = dict(arg_params, **aux_params)
    names = model_inputs(symbol, params)
    if sorted(input_shapes) != sorted(names):
        raise MXNetError('export: the model\'s inputs are %s; shapes are given for %s'
                         % (', '.join(names), ', '.join(input_shapes)))
    shapes = [input_shapes[name] for name in names]
    dynamic = any('?' in shape for shape in shapes)
    return export_model(symbol, params, [tuple(2 if d == '?' else d for d in shape)
                                         for shape in shapes],
                        onnx_file_path=path, dynamic=dynamic,
                        dynamic_input_shapes=[tuple(None if d == '?' else d for d in shape)
                                              for shape in shapes] if dynamic else None,
                        opset_version=opset_version)


def get_operator_support(opset_version=None):
    """The sorted names of the ops with an ONNX form (every opset from 13 has them all)."""
    return sorted(name for name, op in all_ops().items() if op.onnx is not None)
