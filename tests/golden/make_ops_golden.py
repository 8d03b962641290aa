"""Write the operator golden data in tests/golden/ops/ from MXNet 1.9.1.

Run with a Python that has ``mxnet==1.9.1`` (and numpy < 1.24) installed:

    python tests/golden/make_ops_golden.py            # every family in op_cases/
    python tests/golden/make_ops_golden.py nn loss    # only these families

Each case builds one symbol, records what MXNet says about it (arguments, outputs, aux states,
inferred shapes and types, ``tojson()``), binds it with ``simple_bind(grad_req='write')``, runs
an inference forward, a training forward and a backward with a fixed head gradient, and stores
inputs, head gradients, outputs, gradients and the aux states (and any argument MXNet rewrote)
after training. ``<family>.json`` holds the case metadata, ``<family>.npz`` the arrays, keyed
``<case id>:<kind>:<name>``.
"""
import json
import os
import sys
import zlib

import mxnet as mx
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, 'ops')
sys.path.insert(0, os.path.join(HERE, os.pardir, 'ops'))
sys.path.insert(0, HERE)
# The tests build and bind symbols with the same helpers.
from golden_case import build_symbol, case_environment, shapes_of  # noqa: E402
from op_cases import families  # noqa: E402

CAST_VALUES = [-300.5, -2.7, -1.0, -0.5, 0.0, 0.5, 2.7, 127.9, 255.9, 256.0, 300.0, 1000.3]
CAST_INT_VALUES = [-300, -129, -1, 0, 1, 127, 128, 255, 256, 300, 1000, 70000]


def make_value(recipe, shape, dtype, rng):
    """An input array from a recipe string: 'normal', 'positive', 'nonzero', 'uniform:LO:HI',
    'labels:K', 'labels:K:ignore:X' (every third label is X), 'probs' (rows sum to one),
    'ints:LO:HI', 'nonzero_ints:LO:HI', 'cast' or 'cast_int' (fixed values that hit rounding and
    wrap-around), 'spd' (well-conditioned symmetric positive definite matrices on the last two
    axes).
    """
    name, *args = recipe.split(':')
    size = int(np.prod(shape))
    if name == 'normal':
        value = rng.randn(*shape)
    elif name == 'uniform':
        value = rng.uniform(float(args[0]), float(args[1]), shape)
    elif name == 'positive':
        value = rng.uniform(0.5, 2.0, shape)
    elif name == 'nonzero':
        value = rng.uniform(0.5, 2.0, shape) * rng.choice([-1, 1], shape)
    elif name == 'labels':
        value = rng.randint(0, int(args[0]), shape)
        if args[1:2] == ['ignore']:
            value.reshape(-1)[::3] = float(args[2])
    elif name == 'spd':
        value = rng.randn(*shape)
        value = value @ np.swapaxes(value, -1, -2) + shape[-1] * np.eye(shape[-1])
    elif name == 'probs':
        value = rng.uniform(0.1, 1.0, shape)
        value /= value.reshape(shape[0], -1).sum(axis=1).reshape((-1,) + (1,) * (len(shape) - 1))
    elif name in ('ints', 'nonzero_ints'):
        low, high = int(args[0]), int(args[1])
        value = rng.randint(low, high + 1, shape)
        if name == 'nonzero_ints':
            value[value == 0] = high
    elif name in ('cast', 'cast_int'):
        table = CAST_VALUES if name == 'cast' else CAST_INT_VALUES
        value = np.resize(np.array(table), size).reshape(shape)
        if dtype == np.uint8:
            value = np.abs(value) % 256
    else:
        raise ValueError('unknown value recipe %r' % recipe)
    return np.asarray(value).astype(dtype)


def default_recipe(dtype):
    if dtype == np.uint8:
        return 'ints:0:255'
    if np.issubdtype(dtype, np.integer):
        return 'ints:-9:9'
    return 'normal'


def recipe_for(name, dtype, values):
    for key, recipe in values.items():
        if name == key or name.endswith('_' + key):
            return recipe
    return default_recipe(dtype)


def head_value(shape, dtype, rng):
    if np.issubdtype(dtype, np.integer):
        return rng.randint(0, 4, shape).astype(dtype)
    return np.asarray(rng.randn(*shape)).astype(dtype)


def dtype_names(types):
    return [np.dtype(t).name for t in types]


def run_case(spec):
    """Record one case: (metadata, {array key: array})."""
    spec = json.loads(json.dumps(spec))  # the form the tests read back
    sym = build_symbol(mx, spec)
    shapes = shapes_of(spec)
    arg_shapes, out_shapes, aux_shapes = sym.infer_shape(**shapes)
    arg_types, out_types, aux_types = sym.infer_type(**spec['types'])
    expected = {
        'list_arguments': sym.list_arguments(),
        'list_outputs': sym.list_outputs(),
        'list_auxiliary_states': sym.list_auxiliary_states(),
        'infer_shape': {'arg': arg_shapes, 'out': out_shapes, 'aux': aux_shapes},
        'infer_type': {'arg': dtype_names(arg_types), 'out': dtype_names(out_types),
                       'aux': dtype_names(aux_types)},
        'tojson': sym.tojson(),
    }
    rng = np.random.RandomState(zlib.crc32(spec['id'].encode()))
    arrays = {}
    grad_req = spec.get('grad_req', 'write')
    exe = sym.simple_bind(mx.cpu(), grad_req=grad_req, type_dict=spec['types'], **shapes)
    for kind, names, kind_shapes, kind_types, targets in [
            ('arg', sym.list_arguments(), arg_shapes, arg_types, exe.arg_dict),
            ('aux', sym.list_auxiliary_states(), aux_shapes, aux_types, exe.aux_dict)]:
        for name, shape, dtype in zip(names, kind_shapes, kind_types):
            value = make_value(recipe_for(name, dtype, spec['values']), shape, dtype, rng)
            targets[name][:] = value
            arrays['%s:%s' % (kind, name)] = value
    heads = [head_value(shape, dtype, rng) for shape, dtype in zip(out_shapes, out_types)]
    for index, head in enumerate(heads):
        arrays['head:%d' % index] = head
    exe.forward(is_train=False)
    for index, out in enumerate(exe.outputs):
        arrays['out_infer:%d' % index] = out.asnumpy()
    exe.forward(is_train=True)
    for index, out in enumerate(exe.outputs):
        arrays['out_train:%d' % index] = out.asnumpy()
    if grad_req != 'null':
        exe.backward([mx.nd.array(head, dtype=head.dtype) for head in heads])
    for name, grad in exe.grad_dict.items():
        if grad is not None:
            arrays['grad:%s' % name] = grad.asnumpy()
    for name, aux in exe.aux_dict.items():
        arrays['aux_after:%s' % name] = aux.asnumpy()
    for name, arg in exe.arg_dict.items():
        if not np.array_equal(arg.asnumpy(), arrays['arg:' + name]):
            arrays['arg_after:%s' % name] = arg.asnumpy()
    return dict(spec, expected=expected), arrays


def main(wanted):
    os.makedirs(OUT_DIR, exist_ok=True)
    tables = families()
    unknown = set(wanted) - set(tables)
    if unknown:
        raise SystemExit('unknown families %s; known: %s' % (sorted(unknown), sorted(tables)))
    for family, make_cases in tables.items():
        if wanted and family not in wanted:
            continue
        records, arrays = [], {}
        for spec in make_cases():
            with case_environment(spec):
                record, case_arrays = run_case(spec)
            records.append(record)
            arrays.update({'%s:%s' % (spec['id'], key): value
                           for key, value in case_arrays.items()})
        ids = [record['id'] for record in records]
        assert len(ids) == len(set(ids)), 'duplicate case ids in ' + family
        with open(os.path.join(OUT_DIR, family + '.json'), 'w') as handle:
            json.dump(records, handle, indent=1)
            handle.write('\n')
        np.savez_compressed(os.path.join(OUT_DIR, family + '.npz'), **arrays)
        print('%s: %d cases' % (family, len(records)))


if __name__ == '__main__':
    main(sys.argv[1:])
