"""Golden data for the Symbol tutorial test, recorded from Apache MXNet 1.9.1.

Run it with MXNet 1.9.1 installed (it needs numpy < 1.24):

    python tests/golden/make_tutorial_golden.py

It writes, beside itself, ``tutorial.json``: for every tutorial block the reprs, argument,
output and aux names, ``tojson()`` texts, inferred shapes and types, ``plot_network`` DOT
sources, printed text and small results; and the output of ``examples/symbol_tutorial.py``.
And ``tutorial.npz``: outputs, gradients and state changes of the tutorial's networks run
forward and backward on random data.

The test imports ``tutorial_blocks``, ``resolve``, ``NUMERIC_CASES`` and ``run_numeric_case``
from here and runs them with mxsym, so both sides execute the same code; hence MXNet is imported
in ``main`` only.
"""
import collections
import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.join(HERE, os.pardir, os.pardir, 'examples', 'symbol_tutorial.py')
GOLDEN_JSON = os.path.join(HERE, 'tutorial.json')
GOLDEN_NPZ = os.path.join(HERE, 'tutorial.npz')


def array(value):
    """A small array as JSON: its dtype name and its values."""
    value = np.asarray(value)
    return {'dtype': value.dtype.name, 'array': value.tolist()}


def shapes(inferred):
    """infer_shape's (arg, out, aux) shapes as JSON lists."""
    return [[list(shape) for shape in group] for group in inferred]


def dtypes(inferred):
    """infer_type's (arg, out, aux) types as dtype names."""
    return [[np.dtype(dtype).name for dtype in group] for group in inferred]


def describe(sym):
    """What a symbol tells about itself without data."""
    return {
        'repr': lambda: repr(sym),
        'name': lambda: sym.name,
        'arguments': sym.list_arguments,
        'outputs': sym.list_outputs,
        'aux_states': sym.list_auxiliary_states,
        'internals': lambda: sym.get_internals().list_outputs(),
        'json': sym.tojson,
    }


def dot_source(digraph):
    """A plot's DOT text; graphviz before 0.9 leaves off the final newline later ones write."""
    return digraph.source.rstrip('\n')


@contextlib.contextmanager
def printed():
    """Capture what the block prints."""
    with contextlib.redirect_stdout(io.StringIO()) as out:
        yield out


def resolve(observed, keep_errors=False):
    """Call every callable in a block's observations; with `keep_errors`, an exception takes
    the place of the value it stopped, so that one failing query fails one check."""
    if isinstance(observed, dict):
        return {key: resolve(value, keep_errors) for key, value in observed.items()}
    if not callable(observed):
        return observed
    try:
        return observed()
    except Exception as error:  # handed to the caller's check of this value
        if not keep_errors:
            raise
        return error


def tutorial_blocks(mx):
    """Run the tutorial's code blocks in order, in a fresh name scope.

    Yields, after each block, its name, what it shows and more, and the networks it built
    that NUMERIC_CASES run. What it shows is a dict of JSON values and of queries (callables)
    that `resolve` must call before the next block runs.
    """
    with mx.name.NameManager():
        a = mx.sym.Variable('a')
        b = mx.sym.Variable('b')
        c = a + b
        yield 'basic_operators', {'display': lambda: repr((a, b, c)), 'c': describe(c)}, {}

        # elemental wise multiplication
        d = a * b
        # matrix multiplication
        e = mx.sym.dot(a, b)
        # reshape
        f = mx.sym.reshape(d+e, shape=(1,4))
        # broadcast
        g = mx.sym.broadcast_to(f, shape=(2,4))
        yield 'more_operators', {
            'plot': lambda: dot_source(mx.viz.plot_network(symbol=g)),
            'd': describe(d), 'e': describe(e), 'f': describe(f), 'g': describe(g),
            'g_shapes': lambda: shapes(g.infer_shape(a=(2, 2), b=(2, 2))),
        }, {'operators': g}

        net = mx.sym.Variable('data')
        net = mx.sym.FullyConnected(data=net, name='fc1', num_hidden=128)
        net = mx.sym.Activation(data=net, name='relu1', act_type="relu")
        net = mx.sym.FullyConnected(data=net, name='fc2', num_hidden=10)
        net = mx.sym.SoftmaxOutput(data=net, name='out')
        yield 'basic_nn_plot', {
            'plot': lambda: dot_source(mx.viz.plot_network(net, shape={'data':(100,200)})),
            'net': describe(net),
            'shapes': lambda: shapes(net.infer_shape(data=(100, 200))),
            'types': lambda: dtypes(net.infer_type(data='float32')),
        }, {'mlp': net}

        yield 'basic_nn_arguments', {'display': lambda: repr(net.list_arguments())}, {}

        net = mx.symbol.Variable('data')
        w = mx.symbol.Variable('myweight')
        net = mx.symbol.FullyConnected(data=net, weight=w, name='fc1', num_hidden=128)
        yield 'explicit_names', {
            'display': lambda: repr(net.list_arguments()),
            'net': describe(net),
            'shapes': lambda: shapes(net.infer_shape(data=(4, 20))),
        }, {'explicit_names': net}

        lhs = mx.symbol.Variable('data1')
        rhs = mx.symbol.Variable('data2')
        net = mx.symbol.FullyConnected(data=lhs + rhs, name='fc1', num_hidden=128)
        yield 'fc_of_sum', {
            'display': lambda: repr(net.list_arguments()),
            'net': describe(net),
            'shapes': lambda: shapes(net.infer_shape(data1=(4, 20), data2=(4, 20))),
        }, {'fc_of_sum': net}

        data = mx.symbol.Variable('data')
        net1 = mx.symbol.FullyConnected(data=data, name='fc1', num_hidden=10)
        net2 = mx.symbol.Variable('data2')
        net2 = mx.symbol.FullyConnected(data=net2, name='fc2', num_hidden=10)
        composed = net2(data2=net1, name='composed')
        yield 'composed', {
            'net1_display': lambda: repr(net1.list_arguments()),
            'display': lambda: repr(composed.list_arguments()),
            'net1': describe(net1), 'net2': describe(net2), 'composed': describe(composed),
            'shapes': lambda: shapes(composed.infer_shape(data=(4, 20))),
        }, {'composed': composed}

        data = mx.sym.Variable("data")
        net = data
        n_layer = 2
        for i in range(n_layer):
            with mx.name.Prefix("layer%d_" % (i + 1)):
                net = mx.sym.FullyConnected(data=net, name="fc", num_hidden=100)
        yield 'prefix', {
            'display': lambda: repr(net.list_arguments()),
            'net': describe(net),
            'shapes': lambda: shapes(net.infer_shape(data=(4, 20))),
        }, {'prefix': net}

        def ConvFactory(data, num_filter, kernel, stride=(1,1), pad=(0, 0),name=None, suffix=''):
            conv = mx.sym.Convolution(data=data, num_filter=num_filter, kernel=kernel,
                                      stride=stride, pad=pad, name='conv_%s%s' %(name, suffix))
            bn = mx.sym.BatchNorm(data=conv, name='bn_%s%s' %(name, suffix))
            act = mx.sym.Activation(data=bn, act_type='relu', name='relu_%s%s'
                                      %(name, suffix))
            return act
        prev = mx.sym.Variable(name="Previous Output")
        conv_comp = ConvFactory(data=prev, num_filter=64, kernel=(7,7), stride=(2, 2))
        shape = {"Previous Output" : (128, 3, 28, 28)}
        yield 'conv_factory', {
            'plot': lambda: dot_source(mx.viz.plot_network(symbol=conv_comp, shape=shape)),
            'net': describe(conv_comp),
            'shapes': lambda: shapes(conv_comp.infer_shape(**shape)),
            'types': lambda: dtypes(conv_comp.infer_type(**{'Previous Output': 'float32'})),
        }, {'conv_factory': conv_comp}

        def InceptionFactoryA(data, num_1x1, num_3x3red, num_3x3, num_d3x3red, num_d3x3,
                              pool, proj, name):
            # 1x1
            c1x1 = ConvFactory(data=data, num_filter=num_1x1, kernel=(1, 1), name=('%s_1x1' % name))
            # 3x3 reduce + 3x3
            c3x3r = ConvFactory(data=data, num_filter=num_3x3red, kernel=(1, 1), name=('%s_3x3' % name), suffix='_reduce')
            c3x3 = ConvFactory(data=c3x3r, num_filter=num_3x3, kernel=(3, 3), pad=(1, 1), name=('%s_3x3' % name))
            # double 3x3 reduce + double 3x3
            cd3x3r = ConvFactory(data=data, num_filter=num_d3x3red, kernel=(1, 1), name=('%s_double_3x3' % name), suffix='_reduce')
            cd3x3 = ConvFactory(data=cd3x3r, num_filter=num_d3x3, kernel=(3, 3), pad=(1, 1), name=('%s_double_3x3_0' % name))
            cd3x3 = ConvFactory(data=cd3x3, num_filter=num_d3x3, kernel=(3, 3), pad=(1, 1), name=('%s_double_3x3_1' % name))
            # pool + proj
            pooling = mx.sym.Pooling(data=data, kernel=(3, 3), stride=(1, 1), pad=(1, 1), pool_type=pool, name=('%s_pool_%s_pool' % (pool, name)))
            cproj = ConvFactory(data=pooling, num_filter=proj, kernel=(1, 1), name=('%s_proj' % name))
            # concat
            concat = mx.sym.Concat(*[c1x1, c3x3, cd3x3, cproj], name='ch_concat_%s_chconcat' % name)
            return concat
        prev = mx.sym.Variable(name="Previous Output")
        in3a = InceptionFactoryA(prev, 64, 64, 64, 64, 96, "avg", 32, name="in3a")
        yield 'inception_a', {
            'plot': lambda: dot_source(mx.viz.plot_network(symbol=in3a, shape=shape)),
            'net': describe(in3a),
            'shapes': lambda: shapes(in3a.infer_shape(**shape)),
            'types': lambda: dtypes(in3a.infer_type(**{'Previous Output': 'float32'})),
        }, {'inception_a': in3a}

        net = mx.sym.Variable('data')
        fc1 = mx.sym.FullyConnected(data=net, name='fc1', num_hidden=128)
        net = mx.sym.Activation(data=fc1, name='relu1', act_type="relu")
        out1 = mx.sym.SoftmaxOutput(data=net, name='softmax')
        out2 = mx.sym.LinearRegressionOutput(data=net, name='regression')
        group = mx.sym.Group([out1, out2])
        yield 'group', {
            'display': lambda: repr(group.list_outputs()),
            'group': describe(group),
            'shapes': lambda: shapes(group.infer_shape(data=(100, 200))),
            'types': lambda: dtypes(group.infer_type(data='float32')),
        }, {'group': group}

        arg_name = c.list_arguments() # get the names of the inputs
        out_name = c.list_outputs() # get the names of the outputs
        # infers output shape given the shape of input arguments
        arg_shape, out_shape, _ = c.infer_shape(a=(2,3), b=(2,3))
        # infers output type given the type of input arguments
        arg_type, out_type, _ = c.infer_type(a='float32', b='float32')
        yield 'shape_type_inference', {
            'shape_display': lambda: repr({'input' : dict(zip(arg_name, arg_shape)),
                                           'output' : dict(zip(out_name, out_shape))}),
            'type_display': lambda: repr({'input' : dict(zip(arg_name, arg_type)),
                                          'output' : dict(zip(out_name, out_type))}),
            'shapes': lambda: shapes(c.infer_shape(a=(2, 3), b=(2, 3))),
            'types': lambda: dtypes(c.infer_type(a='float32', b='float32')),
        }, {}

        ex = c.bind(ctx=mx.cpu(), args={'a' : mx.nd.ones([2,3]),
                                      'b' : mx.nd.ones([2,3])})
        ex.forward()
        with printed() as shown:
            print('number of outputs = %d\nthe first output = \n%s' % (
                len(ex.outputs), ex.outputs[0].asnumpy()))
        yield 'bind', {
            'printed': shown.getvalue(),
            'arg_names': lambda: list(ex.arg_dict),
            'outputs': lambda: [array(o.asnumpy()) for o in ex.outputs],
        }, {}

        gpu_device = mx.cpu()  # the tutorial's mx.gpu(): golden data is recorded on the CPU
        ex_gpu = c.bind(ctx=gpu_device, args={'a' : mx.nd.ones([3,4], gpu_device)*2,
                                      'b' : mx.nd.ones([3,4], gpu_device)*3})
        ex_gpu.forward()
        yield 'gpu', {
            'display': lambda: repr(ex_gpu.outputs[0].asnumpy()),
            'outputs': lambda: [array(o.asnumpy()) for o in ex_gpu.outputs],
        }, {}

        ex = c.eval(ctx = mx.cpu(), a = mx.nd.ones([2,3]), b = mx.nd.ones([2,3]))
        with printed() as shown:
            print('number of outputs = %d\nthe first output = \n%s' % (
                len(ex), ex[0].asnumpy()))
        yield 'eval', {
            'printed': shown.getvalue(),
            'outputs': lambda: [array(o.asnumpy()) for o in ex],
        }, {}

        with tempfile.TemporaryDirectory() as tmpdir:
            fname = os.path.join(tmpdir, 'symbol-c.json')
            with printed() as shown:
                print(c.tojson())
            c.save(fname)
            with open(fname) as saved:
                saved_text = saved.read()
            c2 = mx.sym.load(fname)
        yield 'save_load', {
            'printed': shown.getvalue(),
            'saved_file': saved_text,
            'same_json': lambda: c.tojson() == c2.tojson(),
            'c2': describe(c2),
        }, {}

        a = mx.sym.Variable('data')
        b = mx.sym.cast(data=a, dtype='float16')
        with printed() as shown:
            arg, out, _ = b.infer_type(data='float32')
            print({'input':arg, 'output':out})

            c = mx.sym.cast(data=a, dtype='uint8')
            arg, out, _ = c.infer_type(data='int32')
            print({'input':arg, 'output':out})
        yield 'type_cast', {
            'printed': shown.getvalue(),
            'b': describe(b), 'c': describe(c),
            'b_types': lambda: dtypes(b.infer_type(data='float32')),
            'c_types': lambda: dtypes(c.infer_type(data='int32')),
        }, {'cast_float16': b, 'cast_uint8': c}

        a = mx.sym.Variable('a')
        b = mx.sym.Variable('b')
        b = a + a * a

        data = mx.nd.ones((2,3))*2
        ex = b.bind(ctx=mx.cpu(), args={'a':data, 'b':data})
        ex.forward()
        yield 'variable_sharing', {
            'display': lambda: repr(ex.outputs[0].asnumpy()),
            'arg_names': lambda: list(ex.arg_dict),
            'b': describe(b),
            'outputs': lambda: [array(o.asnumpy()) for o in ex.outputs],
        }, {'variable_sharing': b}


NumericCase = collections.namedtuple('NumericCase', 'shapes classes dtypes rounding_only',
                                     defaults=({}, {}, ()))
NumericCase.__doc__ = """How to run a tutorial network: input shapes, class-label inputs with their
class counts, input dtypes other than float32, and patterns of the arguments whose gradient is
zero but for float32 rounding (a convolution's bias under a training BatchNorm)."""

NUMERIC_CASES = {
    'operators': NumericCase({'a': (2, 2), 'b': (2, 2)}),
    'mlp': NumericCase({'data': (4, 20)}, {'out_label': 10}),
    'explicit_names': NumericCase({'data': (4, 20)}),
    'fc_of_sum': NumericCase({'data1': (4, 20), 'data2': (4, 20)}),
    'composed': NumericCase({'data': (4, 20)}),
    'prefix': NumericCase({'data': (4, 20)}),
    'conv_factory': NumericCase({'Previous Output': (2, 3, 12, 12)}, rounding_only=('conv_*_bias',)),
    'inception_a': NumericCase({'Previous Output': (2, 3, 4, 4)}, rounding_only=('conv_*_bias',)),
    'group': NumericCase({'data': (4, 20)}, {'softmax_label': 128}),
    'cast_float16': NumericCase({'data': (4, 5)}),
    'cast_uint8': NumericCase({'data': (4, 5)}, dtypes={'data': 'int32'}),
    'variable_sharing': NumericCase({'a': (2, 3)}),
}


def random_value(rng, name, shape, dtype, classes):
    """Data for one input: class indices for labels, integers around the uint8 range for
    integer inputs, positive scales and variances for BatchNorm, weights scaled by their fan-in
    to keep activations near 1, else uniform in [-1, 1)."""
    if name in classes:
        value = rng.randint(0, classes[name], size=shape)
    elif np.dtype(dtype).kind in 'iu':
        value = rng.randint(-300, 300, size=shape)
    elif name.endswith(('_gamma', '_moving_var')):
        value = rng.uniform(0.5, 1.5, size=shape)
    elif name.endswith('weight'):
        value = rng.uniform(-1, 1, size=shape) / np.sqrt(np.prod(shape[1:]))
    else:
        value = rng.uniform(-1, 1, size=shape)
    return value.astype(dtype)


def run_numeric_case(mx, sym, case, seed=0):
    """Bind `sym` with random inputs, run inference, a training forward, and backward with random
    head gradients; return every array seen, by name.

    Keys: infer/OUTPUT and train/OUTPUT for the outputs of either forward, grad/ARG, and
    infer_changed/NAME, train_changed/NAME and changed/NAME (after backward) for the arguments
    and aux states that differ from their initial values at that point.
    """
    rng = np.random.RandomState(seed)
    # MXNet takes an empty type_dict as 'no dtype known', None as 'float32 for all'
    exe = sym.simple_bind(mx.cpu(), grad_req='write', type_dict=case.dtypes or None,
                          **case.shapes)
    arg_names = sym.list_arguments()
    state = {name: exe.arg_dict[name] for name in arg_names}
    state.update((name, exe.aux_dict[name]) for name in sym.list_auxiliary_states())
    initial = {}
    for name, arr in state.items():
        initial[name] = random_value(rng, name, arr.shape, arr.dtype, case.classes)
        arr[:] = initial[name]

    def outputs(prefix):
        return {prefix + name: out.asnumpy() for name, out in zip(sym.list_outputs(), exe.outputs)}

    def changed(prefix):
        # MXNet's BatchNorm writes ones into a fixed gamma behind its engine's back: let it finish.
        mx.nd.waitall()
        current = {name: arr.asnumpy() for name, arr in state.items()}
        return {prefix + name: value for name, value in current.items()
                if not np.array_equal(value, initial[name])}

    exe.forward(is_train=False)
    seen = {**outputs('infer/'), **changed('infer_changed/')}
    exe.forward(is_train=True)
    seen.update({**outputs('train/'), **changed('train_changed/')})
    head_grads = [mx.nd.array(random_value(rng, 'head', out.shape, out.dtype, {}), dtype=out.dtype)
                  for out in exe.outputs]
    exe.backward(head_grads)
    seen.update({'grad/' + name: exe.grad_dict[name].asnumpy() for name in arg_names})
    seen.update(changed('changed/'))
    return seen


def example_output():
    """What examples/symbol_tutorial.py prints when run with MXNet."""
    with open(EXAMPLE) as f:
        source = f.read().replace('import mxsym as mx\n', 'import mxnet as mx\n')
    with tempfile.TemporaryDirectory() as cwd:
        run = subprocess.run([sys.executable, '-c', source], cwd=cwd, check=True,
                             capture_output=True, text=True)
    return run.stdout


def main():
    import mxnet as mx

    blocks, nets = {}, {}
    for name, observed, block_nets in tutorial_blocks(mx):
        blocks[name] = resolve(observed)
        nets.update(block_nets)
    arrays = {}
    for case_name, case in NUMERIC_CASES.items():
        for key, value in run_numeric_case(mx, nets[case_name], case).items():
            arrays['%s/%s' % (case_name, key)] = value
    with open(GOLDEN_JSON, 'w') as f:
        json.dump({'mxnet_version': mx.__version__, 'blocks': blocks,
                   'example_stdout': example_output()}, f, indent=1)
        f.write('\n')
    np.savez_compressed(GOLDEN_NPZ, **arrays)


if __name__ == '__main__':
    main()
