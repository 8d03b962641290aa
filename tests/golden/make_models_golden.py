"""Golden data for the example networks' test, recorded from Apache MXNet 1.9.1.

Run it with MXNet 1.9.1 installed (it needs numpy < 1.24):

    python tests/golden/make_models_golden.py                  # every case, and FULL_SIZE
    python tests/golden/make_models_golden.py lenet lstm_lm    # only these cases

It builds the networks of ``examples/models/`` with MXNet standing in for mxsym. For each
small network in CASES it writes ``models/<case>.json`` (argument, aux state and output names,
every inferred shape, ``tojson()``, and how far MXNet's float32 results are from its float64
results on the same inputs) and ``models/<case>.npz`` (float32 outputs of an inference and a
training forward, the gradient of every argument, and the aux states and any argument MXNet
rewrote, after backward, end to end in one vector; see ``load_golden``). For each
published-size network in FULL_SIZE it writes only names and inferred shapes, into
``models/full_size.json``.

The test imports ``CASES``, ``FULL_SIZE``, ``build``, ``describe``, ``run_case``,
``load_golden`` and ``golden_paths`` from here and runs them with mxsym, so both sides execute
the same code; hence MXNet is imported in ``main`` only.
"""
import collections
import importlib.util
import json
import os
import subprocess
import sys
import zlib

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN_DIR = os.path.join(HERE, 'models')
MODELS_DIR = os.path.join(HERE, os.pardir, os.pardir, 'examples', 'models')


def load_models(mx):
    """examples/models imported with `mx` as the module its files import as ``mxsym``:
    {family: module}."""
    package_name = 'example_models_' + mx.__name__
    if package_name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            package_name, os.path.join(MODELS_DIR, '__init__.py'),
            submodule_search_locations=[MODELS_DIR])
        package = importlib.util.module_from_spec(spec)
        sys.modules[package_name] = package
        saved = sys.modules.get('mxsym')
        sys.modules['mxsym'] = mx
        try:
            spec.loader.exec_module(package)
        finally:
            if saved is None:
                del sys.modules['mxsym']
            else:
                sys.modules['mxsym'] = saved
    return sys.modules[package_name].MODELS


Case = collections.namedtuple('Case', 'family kwargs shapes indices init',
                              defaults=(('softmax_label',), {}))
Case.__doc__ = """A network to run: its family's get_symbol keyword arguments, the input shapes,
the inputs holding class indices (below ``num_classes``), and inputs given values other than
`random_value`'s: a float is the bound of a uniform draw, a list the exact values."""

# Small enough for a few MB of golden data: narrow layers, two samples, and one input channel
# where the image is larger than 32x32 (the input gradient is often the largest array).
# Dropout is kept in the graph with p=0, an identity, since its masks are random. Inception
# inputs leave a last grid of 3x3: at 2x2 a padded 3x3 pooling makes a branch spatially
# constant, and a BatchNorm over its two distinct values has a gradient of pure rounding. LRN
# layers get at least `nsize` (5) channels, which MXNet's generic LRN requires.
CASES = {
    'alexnet': Case('alexnet', dict(num_classes=10, multiplier=1 / 16, num_hidden=64,
                                    dropout=0.0),
                    {'data': (2, 1, 67, 67)}),
    'googlenet': Case('googlenet', dict(num_classes=10, multiplier=1 / 12, dropout=0.0),
                      {'data': (2, 3, 32, 32)}),
    'inception_bn': Case('inception_bn', dict(num_classes=10, multiplier=1 / 16),
                         {'data': (2, 1, 96, 96)}),
    'inception_v3': Case('inception_v3', dict(num_classes=10, multiplier=1 / 32, dropout=0.0),
                         {'data': (2, 1, 139, 139)}),
    'lenet': Case('lenet', dict(num_classes=10, num_filters=(4, 8), num_hidden=32),
                  {'data': (2, 1, 28, 28)}),
    'lenet_stn': Case('lenet', dict(num_classes=10, num_filters=(4, 8), num_hidden=32,
                                    spatial_transformer=True, stn_filters=4, stn_hidden=16),
                      {'data': (2, 1, 28, 28)},
                      init={'stn_fc2_weight': 0.05, 'stn_fc2_bias': [1, 0, 0, 0, 1, 0]}),
    'lstm_lm': Case('lstm_lm', dict(num_classes=20, num_embed=8, num_hidden=8, num_layers=2),
                    {'data': (5, 2), 'softmax_label': (5, 2)}, ('data', 'softmax_label'),
                    init={'lstm_parameters': 0.35}),
    'mobilenet_v1': Case('mobilenet', dict(num_classes=10, multiplier=1 / 16),
                         {'data': (2, 1, 64, 64)}),
    'mobilenet_v2': Case('mobilenet', dict(num_classes=10, version=2, multiplier=1 / 16),
                         {'data': (2, 1, 64, 64)}),
    'resnet_v1_cifar': Case('resnet', dict(num_classes=10, num_layers=20,
                                           image_shape=(3, 32, 32), multiplier=1 / 4),
                            {'data': (2, 3, 32, 32)}),
    'resnet_v2_cifar': Case('resnet', dict(num_classes=10, num_layers=20,
                                           image_shape=(3, 32, 32), version=2, multiplier=1 / 4),
                            {'data': (2, 3, 32, 32)}),
    'resnet_v2_imagenet': Case('resnet', dict(num_classes=10, num_layers=50,
                                              image_shape=(3, 64, 64), version=2,
                                              multiplier=1 / 32),
                               {'data': (2, 1, 64, 64)}),
    'resnext_cifar': Case('resnet', dict(num_classes=10, num_layers=29, num_group=4,
                                         image_shape=(3, 32, 32), multiplier=1 / 4),
                          {'data': (2, 3, 32, 32)}),
    'vgg_bn': Case('vgg', dict(num_classes=10, num_layers=11, batch_norm=True,
                               multiplier=1 / 32, num_hidden=64, dropout=0.0),
                   {'data': (2, 3, 32, 32)}),
}

# Recorded with MXNet's generic CPU operators (MKLDNN off, in a subprocess): MKLDNN's LRN
# gradient is off by up to 1e-3 of the values in these networks, the generic one agrees with a
# float64 finite difference to 1e-7. The others need MKLDNN: without it MXNet 1.9.1's fused
# LSTM refuses to run ("in_data.size() == num_inputs").
GENERIC_CPU = ('alexnet', 'googlenet')

# Published sizes: (family, get_symbol keyword arguments, input shapes)
FULL_SIZE = {
    'alexnet': ('alexnet', dict(num_classes=1000), {'data': (1, 3, 227, 227)}),
    'googlenet': ('googlenet', dict(num_classes=1000), {'data': (1, 3, 224, 224)}),
    'inception_bn': ('inception_bn', dict(num_classes=1000), {'data': (1, 3, 224, 224)}),
    'inception_v3': ('inception_v3', dict(num_classes=1000), {'data': (1, 3, 299, 299)}),
    'lenet': ('lenet', dict(num_classes=10), {'data': (1, 1, 28, 28)}),
    'lenet_stn': ('lenet', dict(num_classes=10, spatial_transformer=True),
                  {'data': (1, 1, 28, 28)}),
    'lstm_lm': ('lstm_lm', dict(num_classes=10000), {'data': (35, 20), 'softmax_label': (35, 20)}),
    'mobilenet_v1': ('mobilenet', dict(num_classes=1000), {'data': (1, 3, 224, 224)}),
    'mobilenet_v2': ('mobilenet', dict(num_classes=1000, version=2), {'data': (1, 3, 224, 224)}),
    'resnet50_v1': ('resnet', dict(num_classes=1000), {'data': (1, 3, 224, 224)}),
    'resnet152_v2': ('resnet', dict(num_classes=1000, num_layers=152, version=2),
                     {'data': (1, 3, 224, 224)}),
    'resnext50_32x4d': ('resnet', dict(num_classes=1000, num_group=32),
                        {'data': (1, 3, 224, 224)}),
    'resnet110_cifar': ('resnet', dict(num_classes=10, num_layers=110, image_shape=(3, 32, 32)),
                        {'data': (1, 3, 32, 32)}),
    'vgg16': ('vgg', dict(num_classes=1000), {'data': (1, 3, 224, 224)}),
    'vgg19_bn': ('vgg', dict(num_classes=1000, num_layers=19, batch_norm=True),
                 {'data': (1, 3, 224, 224)}),
}


def build(mx, family, kwargs):
    """The network, named as in a fresh process."""
    with mx.name.NameManager():
        return load_models(mx)[family].get_symbol(**kwargs)


def describe(sym, shapes):
    """Names and inferred shapes of a network."""
    arg_shapes, out_shapes, aux_shapes = sym.infer_shape(**shapes)
    return {
        'arguments': sym.list_arguments(),
        'aux_states': sym.list_auxiliary_states(),
        'outputs': sym.list_outputs(),
        'arg_shapes': [list(shape) for shape in arg_shapes],
        'aux_shapes': [list(shape) for shape in aux_shapes],
        'out_shapes': [list(shape) for shape in out_shapes],
    }


def random_value(rng, name, shape, case):
    """float32 values for one input: class indices; the case's own values; BatchNorm scales and
    variances near 1; BatchNorm shifts in [1, 2); means and biases near 0; weights uniform with
    variance 2 / fan-in (He et al.), so that activations stay near 1 through ReLU layers; else
    uniform in [-1, 1).

    The shifts keep most ReLUs after a BatchNorm on. Centred at 0 they leave half of them near
    off, and in a deep network trained on two samples float32 rounding then switches a few
    of those: MXNet's own float32 gradients of inception_v3 came out up to 1e4 times the test's
    tolerance away from its float64 ones; with these shifts, within it."""
    if name in case.indices:
        value = rng.randint(0, case.kwargs['num_classes'], size=shape)
    elif isinstance(case.init.get(name), float):
        value = rng.uniform(-case.init[name], case.init[name], size=shape)
    elif name in case.init:
        value = np.reshape(case.init[name], shape)
    elif name.endswith(('_gamma', '_moving_var')):
        value = rng.uniform(0.8, 1.2, size=shape)
    elif name.endswith('_beta'):
        value = rng.uniform(1, 2, size=shape)
    elif name.endswith(('_moving_mean', '_bias')):
        value = rng.uniform(-0.2, 0.2, size=shape)
    elif name.endswith('_weight'):
        bound = np.sqrt(6.0 / np.prod(shape[1:]))
        value = rng.uniform(-bound, bound, size=shape)
    else:
        value = rng.uniform(-1, 1, size=shape)
    return value.astype(np.float32)


def run_case(mx, sym, case_name, dtype='float32'):
    """Bind the case's network in `dtype` with its seeded float32 inputs, run an inference
    forward, a training forward and backward; every array seen, by key.

    Keys: infer/OUTPUT and train/OUTPUT, the outputs of either forward; grad/ARG for every
    argument but class indices (Embedding refuses a gradient for its indices); aux/AUX, the
    aux states after backward; arg_after/ARG, the arguments that changed by then.
    """
    case = CASES[case_name]
    rng = np.random.RandomState(zlib.crc32(case_name.encode()))
    arg_names, aux_names = sym.list_arguments(), sym.list_auxiliary_states()
    grad_req = {name: 'null' if name in case.indices else 'write' for name in arg_names}
    exe = sym.simple_bind(mx.cpu(), grad_req=grad_req, type_dict=dict.fromkeys(arg_names, dtype),
                          **case.shapes)
    initial = {}
    for name in arg_names + aux_names:
        target = exe.arg_dict[name] if name in exe.arg_dict else exe.aux_dict[name]
        initial[name] = random_value(rng, name, target.shape, case)
        target[:] = initial[name]

    def outputs(prefix):
        return {prefix + name: out.asnumpy() for name, out in zip(sym.list_outputs(), exe.outputs)}

    exe.forward(is_train=False)
    seen = outputs('infer/')
    exe.forward(is_train=True)
    seen.update(outputs('train/'))
    exe.backward()
    # MXNet's BatchNorm writes ones into a fixed gamma behind its engine's back: let it finish.
    mx.nd.waitall()
    seen.update(('grad/' + name, exe.grad_dict[name].asnumpy()) for name in arg_names
                if grad_req[name] == 'write')
    seen.update(('aux/' + name, exe.aux_dict[name].asnumpy()) for name in aux_names)
    for name in arg_names:
        value = exe.arg_dict[name].asnumpy()
        if not np.array_equal(value, initial[name]):
            seen['arg_after/' + name] = value
    return seen


def float64_error(mx, sym, case_name, float32_arrays):
    """For each array, the largest difference between MXNet's float32 result and its float64
    result on the same (float32-representable) inputs: the rounding float32 itself costs.
    None where MXNet cannot run the network in float64 (its LRN is float32 only)."""
    try:
        float64_arrays = run_case(mx, sym, case_name, dtype='float64')
    except mx.MXNetError:
        return None
    return {key: float('%.2g' % np.max(np.abs(value - float64_arrays[key]), initial=0.0))
            for key, value in float32_arrays.items()}


def golden_paths(name):
    return (os.path.join(GOLDEN_DIR, name + '.json'), os.path.join(GOLDEN_DIR, name + '.npz'))


def write_json(path, record):
    """`record` as JSON, one line per key: readable diffs at a fraction of the indented size."""
    with open(path, 'w') as f:
        f.write('{\n%s\n}\n' % ',\n'.join(
            '%s: %s' % (json.dumps(key), json.dumps(value, separators=(',', ':')))
            for key, value in record.items()))


def load_golden(case_name):
    """A case's record and its arrays by key. The .npz holds them end to end in one float32
    vector ('values'), which saves a zip entry per array; the record's 'arrays' lists each
    array's key and shape in that order."""
    json_path, npz_path = golden_paths(case_name)
    with open(json_path) as f:
        record = json.load(f)
    with np.load(npz_path) as npz:
        values = npz['values']
    arrays, offset = {}, 0
    for key, shape in record['arrays']:
        size = int(np.prod(shape))
        arrays[key] = values[offset:offset + size].reshape(shape)
        offset += size
    assert offset == values.size, npz_path
    return record, arrays


def record_case(mx, case_name):
    case = CASES[case_name]
    sym = build(mx, case.family, case.kwargs)
    arrays = run_case(mx, sym, case_name)
    record = dict(case._asdict(), mxnet_version=mx.__version__,
                  mkldnn=os.environ.get('MXNET_MKLDNN_ENABLED') != '0',
                  **describe(sym, case.shapes), tojson=sym.tojson(),
                  float64_error=float64_error(mx, sym, case_name, arrays),
                  arrays=[[key, list(value.shape)] for key, value in arrays.items()])
    json_path, npz_path = golden_paths(case_name)
    write_json(json_path, record)
    np.savez_compressed(npz_path, values=np.concatenate(
        [value.astype(np.float32).ravel() for value in arrays.values()]))
    print(case_name, sum(value.size for value in arrays.values()), 'values')


def main(case_names):
    """Record the named cases, or all of them and the full-size shapes."""
    import mxnet as mx

    os.makedirs(GOLDEN_DIR, exist_ok=True)
    generic_cpu = os.environ.get('MXNET_MKLDNN_ENABLED') == '0'
    for case_name in case_names or CASES:
        if case_name in GENERIC_CPU and not generic_cpu:
            subprocess.run([sys.executable, os.path.abspath(__file__), case_name], check=True,
                           env=dict(os.environ, MXNET_MKLDNN_ENABLED='0',
                                    MXNET_STORAGE_FALLBACK_LOG_VERBOSE='0'))
        else:
            record_case(mx, case_name)
    if not case_names:
        full_size = {name: describe(build(mx, family, kwargs), shapes)
                     for name, (family, kwargs, shapes) in FULL_SIZE.items()}
        write_json(golden_paths('full_size')[0], full_size)


if __name__ == '__main__':
    main(sys.argv[1:])
