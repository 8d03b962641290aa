"""Graph pictures and layer tables for a Symbol, as ``mx.viz`` draws and prints them.

Both functions read the graph only through the Symbol's public API (its JSON, its internals and
their inferred shapes and types), so they show what MXNet 1.9.1 shows for the same graph: the
same Graphviz statements in the same order, and the same table, character for character.
"""
import json
import re
import warnings

import numpy as np
from graphviz import Digraph, ExecutableNotFound

_NODE_STYLE = {"shape": "box", "fixedsize": "true", "width": "1.3", "height": "0.8034",
               "style": "filled"}

# For mxsym's own pictures (the notebook's, ``mxsym plot``): MXNet's node size, with labels
# free to overflow it, where MXNet's fixed size makes Graphviz warn "size too small for label"
# for every long one.
LABELS_MAY_OVERFLOW = {"fixedsize": "shape"}

_VARIABLE_COLOUR = "#8dd3c7"
_OP_COLOURS = {
    "Convolution": "#fb8072", "FullyConnected": "#fb8072",
    "BatchNorm": "#bebada",
    "Activation": "#ffffb3", "LeakyReLU": "#ffffb3",
    "Pooling": "#80b1d3",
    "Concat": "#fdb462", "Flatten": "#fdb462", "Reshape": "#fdb462",
    "Softmax": "#b3de69",
}
_OTHER_OP_COLOUR = "#fccde5"

# Variables named like learned parameters are left out of the picture.
_WEIGHT_SUFFIXES = ('_weight', '_bias', '_beta', '_gamma',
                    '_moving_var', '_moving_mean', '_running_var', '_running_mean')

# Operators whose later inputs only carry a shape to copy: their edges are not drawn.
_FIRST_INPUT_ONLY = {"_contrib_BilinearResize2D"}

_SUMMARY_HEADER = ['Layer (type)', 'Output Shape', 'Param #', 'Previous Layer']

# The list and dict defaults below keep MXNet's signatures; they are only read, never changed.


def print_summary(symbol, shape=None, line_length=120, positions=[.44, .64, .74, 1.]):
    """Print a table of the graph's layers: output shape, parameter count, previous layers.

    `shape` maps input names to shapes and fills the shape and channel-dependent columns;
    `positions` are the column ends, as fractions of `line_length` or as absolute widths.
    """
    _require_symbol(symbol, "symbol must be Symbol")
    shapes = None
    if shape is not None:
        internals = symbol.get_internals()
        shapes = _by_output_name(internals, internals.infer_shape(**shape), "shape")
    graph = json.loads(symbol.tojson())
    nodes = graph["nodes"]
    # MXNet 1.9.1 reads the first head entry [node, output, version] as a set of node ids: a
    # variable is shown as a layer or a previous layer only when its id is in that set.
    heads = set(graph["heads"][0])
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    print('_' * line_length)
    _print_row(_SUMMARY_HEADER, positions)
    print('=' * line_length)
    total_params = 0
    for index, node in enumerate(nodes):
        if node["op"] == "null" and index > 0:
            continue
        total_params += _print_layer(node, nodes, heads, shapes, positions)
        print(('=' if index == len(nodes) - 1 else '_') * line_length)
    print("Total params: {params}".format(params=total_params))
    print('_' * line_length)


def plot_network(symbol, title="plot", save_format='pdf', shape=None, dtype=None, node_attrs={},
                 hide_weights=True):
    """Return a ``graphviz.Digraph`` of the graph that computes `symbol`.

    `shape` and `dtype` map input names to shapes and types; when given, each edge is labelled
    with the shape (batch axis dropped) and type of the tensor it carries. `node_attrs` are
    Graphviz attributes that override the default node style. With `hide_weights`, variables
    named like parameters (``*_weight``, ``*_bias``, ...) and their edges are left out.
    """
    _require_symbol(symbol, "symbol must be a Symbol")
    internals = symbol.get_internals()
    shapes = None if shape is None else _by_output_name(
        internals, internals.infer_shape(**shape), "shape")
    types = None if dtype is None else _by_output_name(
        internals, internals.infer_type(**dtype), "type")
    nodes = json.loads(symbol.tojson())["nodes"]
    _warn_repeated_names(nodes)
    style = {**_NODE_STYLE, **node_attrs}
    dot = Digraph(name=title, format=save_format)
    hidden = set()
    for node in nodes:
        if _looks_like_weight(node):
            # Never drawn as a styled node; when not hidden, its edges still make Graphviz
            # draw it as a plain one.
            if hide_weights:
                hidden.add(node["name"])
            continue
        dot.node(name=node["name"], label=_node_label(node), **_node_style(node, style))
    for node in nodes:
        if node["op"] == "null":
            continue
        inputs = node["inputs"][:1] if node["op"] in _FIRST_INPUT_ONLY else node["inputs"]
        for entry in inputs:
            source = nodes[entry[0]]
            if source["name"] in hidden:
                continue
            dot.edge(tail_name=node["name"], head_name=source["name"], dir="back",
                     arrowtail="open", label=_edge_label(source, shapes, types))
    return dot


def graph_svg(symbol):
    """`symbol`'s ``plot_network`` picture as SVG text, or None when Graphviz's ``dot`` is not
    installed (a notebook then shows the symbol's repr instead)."""
    try:
        return plot_network(symbol, node_attrs=LABELS_MAY_OVERFLOW).pipe(format='svg',
                                                                         encoding='utf-8')
    except ExecutableNotFound:
        return None


def _require_symbol(symbol, message):
    """Reject anything that is not a Symbol, with MXNet's TypeError."""
    if not (hasattr(symbol, "tojson") and hasattr(symbol, "get_internals")):
        raise TypeError(message)


def _by_output_name(internals, inferred, what):
    """Map each internal output name to its inferred shape or type; fail if inference is partial."""
    _, outputs, _ = inferred
    if outputs is None:
        raise ValueError("Input {} is incomplete".format(what))
    return dict(zip(internals.list_outputs(), outputs))


def _output_name(node):
    """The name a node's (first) output has in ``get_internals().list_outputs()``."""
    return node["name"] if node["op"] == "null" else node["name"] + "_output"


def _digits(text):
    """The numbers written in an attribute string such as ``(3, 3)``, as strings."""
    return re.findall(r"\d+", text)


def _joined_digits(text):
    """An attribute tuple written as MXNet labels it: ``(3, 3)`` -> ``3x3``."""
    return "x".join(_digits(text))


def _looks_like_weight(node):
    """Whether a node is a variable named like a learned parameter."""
    return node["op"] == "null" and node["name"].endswith(_WEIGHT_SUFFIXES)


def _node_label(node):
    """The text inside a node: its name, or the op with its key settings."""
    op, attrs = node["op"], node.get("attrs", {})
    if op == "Convolution":
        stride = _joined_digits(attrs["stride"]) if "stride" in attrs else "1"
        return "Convolution\n{}/{}, {}".format(_joined_digits(attrs["kernel"]), stride,
                                               attrs["num_filter"])
    if op == "FullyConnected":
        return "FullyConnected\n{}".format(attrs["num_hidden"])
    if op == "Activation":
        return "Activation\n{}".format(attrs["act_type"])
    if op == "LeakyReLU":
        return "LeakyReLU\n{}".format(attrs.get("act_type", "Leaky"))
    if op == "Pooling":
        kernel = _joined_digits(attrs["kernel"]) if "kernel" in attrs else "[]"
        stride = _joined_digits(attrs["stride"]) if "stride" in attrs else "1"
        return "Pooling\n{}, {}/{}".format(attrs["pool_type"], kernel, stride)
    if op == "Custom":
        return attrs["op_type"]
    return node["name"]


def _node_style(node, style):
    """A node's Graphviz attributes: common style, ovals for variables, a colour per op family."""
    if node["op"] == "null":
        return {**style, "shape": "oval", "fillcolor": _VARIABLE_COLOUR}
    return {**style, "fillcolor": _OP_COLOURS.get(node["op"], _OTHER_OP_COLOUR)}


def _edge_label(source, shapes, types):
    """Shape (without the batch axis) and type of the tensor an edge carries, as far as known.

    Like MXNet, an edge from a node with ``num_outputs`` shows that node's last output.
    """
    key = _output_name(source)
    if source["op"] != "null" and "num_outputs" in source.get("attrs", {}):
        key += str(int(source["attrs"]["num_outputs"]) - 1)
    label = ""
    if shapes is not None:
        label = "x".join(str(size) for size in shapes[key][1:])
    if types is not None:
        label += "(" + _type_name(types[key]) + ")"
    return label


def _type_name(dtype):
    """A dtype named as MXNet 1.9.1 prints it, by numpy 1.x's scalar type: bool is ``bool_``."""
    name = np.dtype(dtype).name
    return "bool_" if name == "bool" else name


def _warn_repeated_names(nodes):
    """Warn when two nodes share a name: Graphviz would merge them, maybe into a cycle."""
    seen, repeated = set(), []
    for node in nodes:
        if node["name"] in seen and node["name"] not in repeated:
            repeated.append(node["name"])
        seen.add(node["name"])
    if repeated:
        warnings.warn("There are multiple variables with the same name in your graph, this may "
                      "result in cyclic graph. Repeated names: " + ','.join(repeated),
                      RuntimeWarning)


def _print_layer(node, nodes, heads, shapes, positions):
    """Print a node's rows of the summary table and return its parameter count."""
    previous = []
    in_channels = 0
    if node["op"] != "null":
        for entry in node["inputs"]:
            source = nodes[entry[0]]
            if source["op"] != "null" or entry[0] in heads:
                previous.append(source["name"])
                source_shape = _layer_shape(source, shapes)
                if source_shape is not None:
                    in_channels += int(source_shape[0])
    params = _param_count(node, in_channels, shapes)
    out_shape = _layer_shape(node, shapes) or ()
    _print_row([node["name"] + "(" + node["op"] + ")", "x".join(str(size) for size in out_shape),
                params, previous[0] if previous else ""], positions)
    for name in previous[1:]:
        _print_row(["", "", "", name], positions)
    return params


def _layer_shape(node, shapes):
    """A node's output shape without the batch axis, or None when no shape is known."""
    if shapes is None or _output_name(node) not in shapes:
        return None
    return shapes[_output_name(node)][1:]


def _param_count(node, in_channels, shapes):
    """Number of learned values of a layer, counted as MXNet's summary counts them."""
    op, attrs = node["op"], node.get("attrs", {})
    has_bias = attrs.get("no_bias") != "True"
    if op == "Convolution":
        count = in_channels * int(attrs["num_filter"]) // int(attrs.get("num_group", "1"))
        for size in _digits(attrs["kernel"]):
            count *= int(size)
        return count + (int(attrs["num_filter"]) if has_bias else 0)
    if op == "FullyConnected":
        return (in_channels + (1 if has_bias else 0)) * int(attrs["num_hidden"])
    if op == "BatchNorm":
        return 0 if shapes is None else 2 * int(shapes[_output_name(node)][1])
    if op == "Embedding":
        return int(attrs["input_dim"]) * int(attrs["output_dim"])
    return 0


def _print_row(fields, positions):
    """Print fields left-aligned, each cut or padded to end at its column position."""
    line = ''
    for index, field in enumerate(fields):
        line = (line + str(field))[:positions[index]]
        line += ' ' * (positions[index] - len(line))
    print(line)
