"""Write viz.json: MXNet 1.9.1's plot_network DOT source and print_summary table for some graphs.

Run with MXNet 1.9.1 installed (``python make_viz_golden.py``); tests/test_visualization.py
checks that mxsym reproduces every case exactly.
"""
import contextlib
import io
import json
import os

import mxnet as mx

GOLDEN_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "viz.json")


def conv_factory(data, num_filter, kernel, stride=(1, 1), pad=(0, 0), name=None, suffix=''):
    """Convolution, BatchNorm and ReLU, named as in MXNet's symbol tutorial."""
    conv = mx.sym.Convolution(data=data, num_filter=num_filter, kernel=kernel, stride=stride,
                              pad=pad, name='conv_%s%s' % (name, suffix))
    bn = mx.sym.BatchNorm(data=conv, name='bn_%s%s' % (name, suffix))
    return mx.sym.Activation(data=bn, act_type='relu', name='relu_%s%s' % (name, suffix))


def inception_a(data, num_1x1, num_3x3red, num_3x3, num_d3x3red, num_d3x3, pool, proj, name):
    """The tutorial's Inception-A module: four branches joined by Concat."""
    c1x1 = conv_factory(data, num_1x1, (1, 1), name='%s_1x1' % name)
    c3x3r = conv_factory(data, num_3x3red, (1, 1), name='%s_3x3' % name, suffix='_reduce')
    c3x3 = conv_factory(c3x3r, num_3x3, (3, 3), pad=(1, 1), name='%s_3x3' % name)
    cd3x3r = conv_factory(data, num_d3x3red, (1, 1), name='%s_double_3x3' % name,
                          suffix='_reduce')
    cd3x3 = conv_factory(cd3x3r, num_d3x3, (3, 3), pad=(1, 1), name='%s_double_3x3_0' % name)
    cd3x3 = conv_factory(cd3x3, num_d3x3, (3, 3), pad=(1, 1), name='%s_double_3x3_1' % name)
    pooling = mx.sym.Pooling(data=data, kernel=(3, 3), stride=(1, 1), pad=(1, 1), pool_type=pool,
                             name='%s_pool_%s_pool' % (pool, name))
    cproj = conv_factory(pooling, proj, (1, 1), name='%s_proj' % name)
    return mx.sym.Concat(c1x1, c3x3, cd3x3, cproj, name='ch_concat_%s_chconcat' % name)


def tutorial_basic_ops():
    a = mx.sym.Variable('a')
    b = mx.sym.Variable('b')
    f = mx.sym.reshape(a * b + mx.sym.dot(a, b), shape=(1, 4))
    return mx.sym.broadcast_to(f, shape=(2, 4))


def mlp(data=None):
    net = mx.sym.Variable('data') if data is None else data
    net = mx.sym.FullyConnected(data=net, name='fc1', num_hidden=128)
    net = mx.sym.Activation(data=net, name='relu1', act_type="relu")
    net = mx.sym.FullyConnected(data=net, name='fc2', num_hidden=10)
    return mx.sym.SoftmaxOutput(data=net, name='out')


def pooling_stack():
    net = mx.sym.Variable('img')
    net = mx.sym.Pooling(net, kernel=(3, 3), stride=(2, 2), pool_type='max', name='pool_max')
    net = mx.sym.Pooling(net, kernel=(2, 2), pad=(1, 1), pool_type='avg', name='pool_avg')
    net = mx.sym.Pooling(net, global_pool=True, pool_type='max', name='pool_global')
    net = mx.sym.Flatten(net, name='flatten')
    net = mx.sym.Dropout(net, p=0.3, name='dropout')
    return mx.sym.FullyConnected(net, num_hidden=5, no_bias=True, name='fc')


def activations():
    x = mx.sym.Variable('x')
    net = mx.sym.LeakyReLU(x, name='leaky')
    net = mx.sym.LeakyReLU(net, act_type='elu', name='elu')
    net = mx.sym.LeakyReLU(net, act_type='prelu', name='prelu')
    net = mx.sym.BatchNorm(net, fix_gamma=False, name='bn')
    net = mx.sym.Reshape(net, shape=(0, -1), name='reshape')
    return mx.sym.concat(net, mx.sym.Flatten(x, name='skip'), dim=1, name='concat')


def embedding_convolution():
    net = mx.sym.Embedding(mx.sym.Variable('tokens'), input_dim=100, output_dim=16, name='embed')
    net = mx.sym.Reshape(net, shape=(0, 1, 8, 16), name='to_image')
    net = mx.sym.Convolution(net, kernel=(3, 3), num_filter=8, no_bias=True, name='conv1')
    return mx.sym.Convolution(net, kernel=(1, 3), stride=(1, 2), num_filter=8, num_group=4,
                              name='conv2')


def slice_channel():
    parts = mx.sym.SliceChannel(mx.sym.Variable('s'), num_outputs=3, axis=1, name='slice')
    return mx.sym.Concat(parts[0], parts[1] * 2, parts[2], name='concat')


def two_heads():
    data = mx.sym.Variable('data')
    hidden = mx.sym.Activation(mx.sym.FullyConnected(data, num_hidden=3, name='fc'),
                               act_type='tanh', name='tanh')
    return mx.sym.Group([mlp(data), mx.sym.LinearRegressionOutput(hidden, name='regression')])


IMAGE = {"Previous Output": [128, 3, 28, 28]}

# name, symbol, plot_network keyword arguments, print_summary keyword arguments
CASES = [
    ("tutorial_basic_ops", tutorial_basic_ops, {}, {}),
    ("tutorial_mlp", mlp, {"shape": {"data": [100, 200]}}, {"shape": {"data": [100, 200]}}),
    ("tutorial_conv_factory",
     lambda: conv_factory(mx.sym.Variable("Previous Output"), 64, (7, 7), stride=(2, 2)),
     {"shape": IMAGE}, {"shape": IMAGE}),
    ("tutorial_inception_a",
     lambda: inception_a(mx.sym.Variable("Previous Output"), 64, 64, 64, 64, 96, "avg", 32,
                         name="in3a"),
     {"shape": IMAGE}, {"shape": IMAGE}),
    ("conv_factory_weights_and_types",
     lambda: conv_factory(mx.sym.Variable("Previous Output"), 32, (3, 3), name="c1"),
     {"hide_weights": False, "dtype": {"Previous Output": "float32"}}, {}),
    ("pooling_flatten_dropout", pooling_stack, {"shape": {"img": [4, 3, 16, 16]}},
     {"shape": {"img": [4, 3, 16, 16]}, "line_length": 80, "positions": [30, 50, 60, 80]}),
    ("activations_batchnorm_concat", activations,
     {"shape": {"x": [2, 3, 4, 5]}, "hide_weights": False}, {"shape": {"x": [2, 3, 4, 5]}}),
    ("embedding_convolution", embedding_convolution, {"shape": {"tokens": [2, 8]}},
     {"shape": {"tokens": [2, 8]}}),
    ("slice_channel_last_output", slice_channel,
     {"shape": {"s": [2, 6, 4]}, "dtype": {"s": "float64"}}, {"shape": {"s": [2, 6, 4]}}),
    ("mlp_node_attrs_title", mlp,
     {"title": "mlp", "save_format": "png",
      "node_attrs": {"shape": "oval", "fixedsize": "false"}}, {"line_length": 65}),
    ("mlp_dtype_only", mlp, {"dtype": {"data": "float16"}}, {}),
    ("two_heads", two_heads, {"shape": {"data": [100, 200]}}, {"shape": {"data": [100, 200]}}),
    ("single_variable", lambda: mx.sym.Variable('v'), {"shape": {"v": [3, 4]}},
     {"shape": {"v": [3, 4]}}),
]


def with_tuple_shapes(kwargs):
    """MXNet wants shapes as tuples; the golden file stores them as lists."""
    if "shape" not in kwargs:
        return kwargs
    return {**kwargs, "shape": {name: tuple(dims) for name, dims in kwargs["shape"].items()}}


def summary_text(symbol, kwargs):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        mx.viz.print_summary(symbol, **with_tuple_shapes(kwargs))
    return out.getvalue()


def main():
    cases = []
    for name, build, plot_args, summary_args in CASES:
        symbol = build()
        cases.append({
            "name": name,
            "symbol": json.dumps(json.loads(symbol.tojson()), separators=(",", ":")),
            "plot_args": plot_args,
            "dot": mx.viz.plot_network(symbol, **with_tuple_shapes(plot_args)).source,
            "summary_args": summary_args,
            "summary": summary_text(symbol, summary_args),
        })
    with open(GOLDEN_PATH, "w") as golden:
        json.dump({"mxnet_version": mx.__version__, "cases": cases}, golden, indent=1)
        golden.write("\n")


if __name__ == "__main__":
    main()
