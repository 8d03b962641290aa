"""mx.viz against MXNet 1.9.1: the same DOT source and summary table for each golden graph."""
import json
import os
import shutil
import struct

import pytest

import mxsym as mx

GOLDEN_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden", "viz.json")
with open(GOLDEN_PATH) as golden_file:
    CASES = json.load(golden_file)["cases"]
CASE_IDS = [case["name"] for case in CASES]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def with_tuple_shapes(kwargs):
    """The golden file stores shapes as lists; scripts pass tuples."""
    if "shape" not in kwargs:
        return kwargs
    return {**kwargs, "shape": {name: tuple(dims) for name, dims in kwargs["shape"].items()}}


def mlp():
    data = mx.sym.Variable('data')
    net = mx.sym.FullyConnected(data=data, name='fc1', num_hidden=128)
    net = mx.sym.Activation(data=net, name='relu1', act_type="relu")
    return mx.sym.SoftmaxOutput(data=net, name='out')


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_plot_network_source_matches_mxnet(case):
    symbol = mx.sym.load_json(case["symbol"])
    dot = mx.viz.plot_network(symbol, **with_tuple_shapes(case["plot_args"]))
    # graphviz >= 0.20 ends the source with a newline; graphviz 0.8, which MXNet 1.9.1 pins,
    # does not. The statements themselves must match exactly.
    assert dot.source.rstrip("\n") == case["dot"]


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_print_summary_matches_mxnet(case, capsys):
    symbol = mx.sym.load_json(case["symbol"])
    mx.viz.print_summary(symbol, **with_tuple_shapes(case["summary_args"]))
    assert capsys.readouterr().out == case["summary"]


def test_plot_network_rejects_non_symbol():
    with pytest.raises(TypeError, match="symbol must be a Symbol"):
        mx.viz.plot_network("data")


def test_print_summary_rejects_non_symbol():
    with pytest.raises(TypeError, match="symbol must be Symbol"):
        mx.viz.print_summary("data")


@pytest.mark.parametrize("function", [mx.viz.plot_network, mx.viz.print_summary])
def test_shape_must_be_a_mapping(function):
    with pytest.raises(TypeError, match="must be a mapping"):
        function(mlp(), shape=(100, 200))


@pytest.mark.parametrize("function", [mx.viz.plot_network, mx.viz.print_summary])
def test_incomplete_shape_is_reported(function):
    with pytest.raises(ValueError, match="Input shape is incomplete"):
        function(mlp(), shape={})


def test_incomplete_dtype_is_reported():
    with pytest.raises(ValueError, match="Input type is incomplete"):
        mx.viz.plot_network(mlp(), dtype={})


def test_repeated_names_warn():
    twice = mx.sym.Variable('x') + mx.sym.Variable('x')
    with pytest.warns(RuntimeWarning, match="Repeated names: x"):
        mx.viz.plot_network(twice)


# Rendering runs the Graphviz program, a system package that pip cannot install; CI has it.
@pytest.mark.skipif(shutil.which("dot") is None, reason="needs the Graphviz 'dot' program")
def test_render_png(tmp_path):
    dot = mx.viz.plot_network(mlp(), save_format="png", shape={"data": (100, 200)})
    path = dot.render(filename="mlp", directory=str(tmp_path), cleanup=True)
    with open(path, "rb") as png:
        content = png.read()
    assert content.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", content[16:24])
    assert 50 < width < 2000 and 200 < height < 5000
    assert 2000 < len(content) < 5_000_000


# The picture is rendered by Graphviz's `dot` too (CI installs it, so there it always runs); the
# fallback without `dot` is tested below.
@pytest.mark.skipif(shutil.which("dot") is None, reason="needs the Graphviz 'dot' program")
def test_notebook_shows_the_graph_picture():
    svg = mlp()._repr_svg_()
    assert svg.startswith("<?xml") and "<svg" in svg
    # node titles, label lines and op-family colours of the plot_network picture
    for text in ("<title>fc1</title>", ">FullyConnected</text>", ">128</text>",
                 ">Activation</text>", ">relu</text>", 'fill="#fb8072"', 'fill="#ffffb3"'):
        assert text in svg
    assert repr(mlp()) == "<Symbol out>"


# The warnings come from Graphviz's `dot` itself, a system package; CI installs it, so there
# this always runs.
@pytest.mark.skipif(shutil.which("dot") is None, reason="needs the Graphviz 'dot' program")
def test_long_labels_draw_without_graphviz_warnings(capfd):
    data = mx.sym.Variable("data")
    net = mx.sym.elemwise_add(data, data, name="a_rather_long_node_name_for_one_box")
    mx.viz.plot_network(net).pipe(format="svg")      # MXNet's style: dot complains
    assert "too small for label" in capfd.readouterr().err
    svg = net._repr_svg_()
    assert "a_rather_long_node_name_for_one_box" in svg
    assert capfd.readouterr().err == ""


def test_notebook_without_dot_shows_the_repr(monkeypatch):
    monkeypatch.setenv("PATH", "")
    assert mlp()._repr_svg_() is None
