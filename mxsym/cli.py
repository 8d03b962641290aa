"""The ``mxsym`` command: look at, run and draw MXNet model files (``PREFIX-symbol.json`` and
``PREFIX-EPOCH.params``) from the shell.

Each subcommand is one `Command`: its name, help, an argument-adding function and a function
run with the parsed arguments; adding a subcommand is adding one to `COMMANDS`. Progress
(what is being loaded or compiled, and how long it took) goes to stderr, results to stdout.
"""
import argparse
import contextlib
import functools
import glob
import json
import os
import re
import sys
import time
from collections import Counter
from typing import Callable, NamedTuple

import numpy as np

from . import (audit, context, im2rec, launch, model, ndarray, profiler, symbol, util,
               visualization)
from .base import MXNetError
from .export import export
from .onnx.export import DEFAULT_OPSET, export_named_inputs


# ------------------------------------------------------------------------------ model files
@contextlib.contextmanager
def progress(what):
    """Say on stderr what is being done, then how long it took."""
    print('%s...' % what, end='', file=sys.stderr, flush=True)
    start = time.perf_counter()
    yield
    print(' %.2f s' % (time.perf_counter() - start), file=sys.stderr, flush=True)


def latest_epoch(prefix):
    """The highest N with a ``PREFIX-NNNN.params`` file, or None when there is none."""
    pattern = re.compile(re.escape(prefix) + r'-(\d+)\.params$')
    epochs = [int(m.group(1)) for m in map(pattern.match, glob.glob(glob.escape(prefix) +
                                                                     '-*.params')) if m]
    return max(epochs) if epochs else None


class Model(NamedTuple):
    """A loaded checkpoint: the symbol, its parameters (empty without a params file) and the
    params file's name (None without one)."""

    symbol: object
    arg_params: dict
    aux_params: dict
    params_file: object

    @property
    def data_inputs(self):
        """Arguments the parameters do not provide: what a run must be given."""
        return [n for n in self.symbol.list_arguments() if n not in self.arg_params]


def load_model(prefix, epoch=None):
    """The symbol and, for `epoch` (default: the latest saved), the parameters of PREFIX."""
    if epoch is None:
        epoch = latest_epoch(prefix)
    if epoch is None:
        with progress('loading %s-symbol.json' % prefix):
            return Model(symbol.load('%s-symbol.json' % prefix), {}, {}, None)
    params_file = '%s-%04d.params' % (prefix, epoch)
    with progress('loading %s-symbol.json and %s' % (prefix, params_file)):
        return Model(*model.load_checkpoint(prefix, epoch), params_file)


def parse_input_shape(text, batch_placeholder=False):
    """``name=1,3,224,224`` (or ``name=1x3x224x224``) -> ('name', (1, 3, 224, 224)); with
    `batch_placeholder`, ``?`` stands for a batch size left open (``data=?,3,224,224``)."""
    name, sep, dims = text.partition('=')
    try:
        shape = tuple('?' if batch_placeholder and d.strip() == '?' else int(d)
                      for d in dims.replace('x', ',').split(',') if d.strip())
    except ValueError:
        shape = ()
    if not sep or not name or not shape:
        form = ('NAME=D1,D2,... with ? for the batch size (like data=?,3,224,224)'
                if batch_placeholder else 'NAME=D1,D2,... (like data=1,3,224,224)')
        raise argparse.ArgumentTypeError('expected %s, got %r' % (form, text))
    return name, shape


# ------------------------------------------------------------------------------ info
def add_info_arguments(parser):
    parser.add_argument('--epoch', type=int, help='params epoch (default: the latest saved)')
    parser.add_argument('--json', action='store_true', help='print a JSON object instead')


def run_info(args, out):
    loaded = load_model(args.prefix, args.epoch)
    sym = loaded.symbol
    ops = Counter(node.op.name for node in sym._nodes() if node.op is not None)
    inputs, outputs = audit.input_and_output_shapes(sym, loaded.arg_params, loaded.aux_params)
    arrays = list(loaded.arg_params.values()) + list(loaded.aux_params.values())
    by_dtype = Counter()
    for array in arrays:
        by_dtype[np.dtype(array.dtype).name] += array.size * np.dtype(array.dtype).itemsize
    params = None if loaded.params_file is None else {
        'file': loaded.params_file, 'arrays': len(arrays),
        'arguments': len(loaded.arg_params), 'aux_states': len(loaded.aux_params),
        'values': int(sum(a.size for a in arrays)), 'bytes': int(sum(by_dtype.values())),
        'bytes_by_dtype': dict(by_dtype.most_common())}
    if args.json:
        json.dump({'symbol': args.prefix + '-symbol.json', 'nodes': len(sym._nodes()),
                   'ops': dict(sorted(ops.items())), 'inputs': audit.shapes_json(inputs),
                   'outputs': audit.shapes_json(outputs), 'params': params}, out, indent=1)
        print(file=out)
        return
    print('symbol:  %s-symbol.json (%d nodes, %d ops)' % (args.prefix, len(sym._nodes()),
                                                          sum(ops.values())), file=out)
    for title, shapes in (('inputs', inputs), ('outputs', outputs)):
        print('%-8s %s' % (title + ':', ', '.join('%s %s' % (name, audit.shape_text(shape))
                                                  for name, shape in shapes.items())), file=out)
    print('ops:', file=out)
    width = max(map(len, ops), default=0)
    for name, count in sorted(ops.items(), key=lambda item: (-item[1], item[0])):
        print('  %-*s %d' % (width, name, count), file=out)
    if params is None:
        print('params:  none saved', file=out)
        return
    print('params:  %s: %d arrays (%d arguments, %d aux states), %s values, %s bytes (%s)'
          % (params['file'], params['arrays'], params['arguments'], params['aux_states'],
             '{:,}'.format(params['values']), '{:,}'.format(params['bytes']),
             '; '.join('%s {:,}'.format(size) % dtype for dtype, size in by_dtype.most_common())),
          file=out)


# ------------------------------------------------------------------------------ check
def add_check_arguments(parser):
    parser.add_argument('--epoch', type=int, help='params epoch (default: the latest saved)')
    parser.add_argument('--input', action='append', default=[], type=parse_input_shape,
                        metavar='NAME=SHAPE', help='shape of an input, e.g. data=1,3,224,224; '
                        'with it every other input the params lack is reported missing')
    parser.add_argument('--json', action='store_true', help='print a JSON object instead')


def run_check(args, out):
    epoch = latest_epoch(args.prefix) if args.epoch is None else args.epoch
    with progress('checking %s' % args.prefix):
        found = audit.audit(args.prefix, epoch, dict(args.input))
    if args.json:
        json.dump({'symbol': args.prefix + '-symbol.json', 'nodes': found.node_count,
                   'ops': [{'name': use.name, 'count': use.count, 'missing': use.missing}
                           for use in found.ops],
                   'inputs': audit.shapes_json(found.inputs),
                   'outputs': audit.shapes_json(found.outputs),
                   'params': found.params_file and {'file': found.params_file,
                                                    'arrays': found.param_arrays,
                                                    'values': int(found.param_values)},
                   'runnable': found.runnable, 'problems': found.problems}, out, indent=1)
        print(file=out)
        return 0 if found.runnable else 1
    missing = [use for use in found.ops if use.missing]
    print('symbol:  %s-symbol.json (%d nodes, %d ops of %d kinds, %d missing)'
          % (args.prefix, found.node_count, sum(use.count for use in found.ops),
             len(found.ops), len(missing)), file=out)
    print('ops:', file=out)
    width = max((len(use.name) for use in found.ops), default=0)
    for use in found.ops:
        print('  %-*s %4d  %s' % (width, use.name, use.count,
                                  'MISSING: ' + use.missing if use.missing else 'supported'),
              file=out)
    for title, shapes in (('inputs', found.inputs), ('outputs', found.outputs)):
        print('%s:%s' % (title, '' if shapes else ' unknown'), file=out)
        for name, shape in shapes.items():
            print('  %s %s' % (name, audit.shape_text(shape)), file=out)
    if found.params_file is None:
        print('params:  none saved (not checked)', file=out)
    else:
        print('params:  %s: %d arrays, %s values' % (found.params_file, found.param_arrays,
                                                    '{:,}'.format(found.param_values)),
              file=out)
    if found.runnable:
        open_inputs = [name for name, shape in found.inputs.items()
                       if not (shape and all(shape)) and not audit.is_label(name)]
        print('result:  runnable%s' % ('' if args.input or not open_inputs else
                                       ' as far as the params tell; give --input for %s to '
                                       'check shapes and missing params'
                                       % ', '.join(open_inputs)), file=out)
        return 0
    print('result:  not runnable, %d problem%s:' % (len(found.problems),
                                                    's' if len(found.problems) > 1 else ''),
          file=out)
    for problem in found.problems:
        print('  - %s' % ' '.join(problem.split()), file=out)
    return 1


# ------------------------------------------------------------------------------ run
def add_run_arguments(parser):
    parser.add_argument('--epoch', type=int, help='params epoch (default: the latest saved)')
    parser.add_argument('--input', action='append', default=[], type=parse_input_shape,
                        metavar='NAME=SHAPE', help='shape of an input, e.g. data=1,3,224,224')
    parser.add_argument('--npy', action='append', default=[], metavar='[NAME=]FILE',
                        help='values of an input from a .npy file (default: the first input); '
                        'inputs without one get uniform [0, 1) values from seed 0')
    parser.add_argument('--top-k', type=int, metavar='K',
                        help='print the K largest values of each output row and their indices')
    parser.add_argument('--profile', metavar='DIR',
                        help='profile the run (mx.profiler): write DIR/profile.json, a trace '
                        "whose kernels are named by the graph's nodes, and print the "
                        'per-operator table')


def _input_values(loaded, args):
    """{input name: numpy array} from --npy files, and seeded random values for inputs given
    only a shape; labels, given neither, follow from the others; every parameter must be in
    the params file."""
    inputs = loaded.data_inputs
    values = {}
    for spec in args.npy:
        name, sep, fname = spec.rpartition('=')
        name = name if sep else (inputs[0] if inputs else '')
        if name not in inputs:
            raise MXNetError('--npy %s: %r is not an input of the symbol (inputs: %s)'
                             % (spec, name, ', '.join(inputs)))
        values[name] = np.load(fname)
    rng = np.random.RandomState(0)
    for name, shape in args.input:
        if name not in inputs:
            raise MXNetError('--input %s: not an input of the symbol (inputs: %s)'
                             % (name, ', '.join(inputs)))
        if name not in values:
            values[name] = rng.uniform(0, 1, shape).astype('float32')
        elif values[name].shape != shape:
            raise MXNetError('--input %s=%s but its .npy file holds shape %s'
                             % (name, ','.join(map(str, shape)), values[name].shape))
    shapes = {name: value.shape for name, value in values.items()}
    shapes.update((name, a.shape) for name, a in loaded.arg_params.items())
    arg_shapes, _, _ = loaded.symbol.infer_shape_partial(**shapes)
    missing = [name for name in loaded.symbol.list_auxiliary_states()
               if name not in loaded.aux_params]
    for name, shape in zip(loaded.symbol.list_arguments(), arg_shapes):
        if name not in inputs or name in values:
            continue
        if not (shape and all(shape)):
            raise MXNetError('input %s needs a shape (--input %s=D1,D2,...) or values (--npy)'
                             % (name, name))
        if not name.endswith('label'):
            missing.append(name)
    if missing:
        raise MXNetError('%s has no %s: a run needs every parameter (MXNet loads them with '
                         'allow_missing=False)' % (loaded.params_file, audit.few(missing)))
    return values, shapes


def run_run(args, out):
    loaded = load_model(args.prefix, args.epoch)
    if loaded.params_file is None:
        raise MXNetError('no %s-NNNN.params file: run needs the parameters' % args.prefix)
    values, shapes = _input_values(loaded, args)
    with progress('binding'):
        exe = loaded.symbol.simple_bind(context.cpu(), grad_req='null', **shapes)
        exe.copy_params_from(loaded.arg_params, loaded.aux_params)
    inputs = {name: ndarray.array(value, dtype=value.dtype) for name, value in values.items()}
    with progress('compiling and running'):
        results = [o.asnumpy() for o in exe.forward(is_train=False, **inputs)]
    for name, result in zip(loaded.symbol.list_outputs(), results):
        print('%s: shape %s, %s' % (name, result.shape, result.dtype), file=out)
        if args.top_k:
            print_top_k(result, args.top_k, out)
        else:
            print(np.array2string(result, threshold=200, precision=6), file=out)
    if args.profile:
        print_profile(exe, inputs, args.profile, out)


def print_profile(exe, inputs, folder, out):
    """Run the compiled forward again under the profiler; write its trace into `folder` and
    print where, and the per-operator table."""
    os.makedirs(folder, exist_ok=True)
    trace = os.path.join(folder, 'profile.json')
    profiler.set_config(profile_all=True, aggregate_stats=True, filename=trace)
    with progress('profiling'):
        profiler.set_state('run')
        for output in exe.forward(is_train=False, **inputs):
            output.wait_to_read()
        profiler.set_state('stop')
        profiler.dump()
    print('trace: %s' % trace, file=out)
    print(profiler.dumps(reset=True), end='', file=out)


def print_top_k(result, k, out):
    """One line per row (the first axis): the k largest values with their flat indices."""
    rows = result.reshape(result.shape[0], -1) if result.ndim > 1 else result[None]
    for i, row in enumerate(rows):
        best = np.argsort(-row, kind='stable')[:k]
        print('  [%d] %s' % (i, ', '.join('%d: %.6g' % (j, row[j]) for j in best)), file=out)


# ------------------------------------------------------------------------------ plot
def add_plot_arguments(parser):
    parser.add_argument('--epoch', type=int, help='params epoch whose shapes label the edges '
                        '(default: the latest saved)')
    parser.add_argument('--input', action='append', default=[], type=parse_input_shape,
                        metavar='NAME=SHAPE', help='input shape; with it edges carry shapes')
    parser.add_argument('--format', default='pdf', choices=('pdf', 'png', 'svg', 'gv'),
                        help="picture format ('gv': the Graphviz source; default: pdf)")
    parser.add_argument('--output', help='file name without extension (default: PREFIX-plot)')


def run_plot(args, out):
    loaded = load_model(args.prefix, args.epoch)
    shapes = None
    if args.input:
        shapes = {name: a.shape for name, a in loaded.arg_params.items()}
        shapes.update(args.input)
        shapes.update((name, a.shape) for name, a in loaded.aux_params.items())
    dot = visualization.plot_network(loaded.symbol, title=args.prefix.rsplit('/', 1)[-1],
                                     shape=shapes, node_attrs=visualization.LABELS_MAY_OVERFLOW)
    target = args.output or args.prefix + '-plot'
    if args.format == 'gv':
        written = target + '.gv'
        with open(written, 'w') as handle:
            handle.write(dot.source)
    else:
        with progress('rendering with Graphviz'):
            written = dot.render(target, format=args.format, cleanup=True)
    print(written, file=out)


# ------------------------------------------------------------------------------ export
def add_export_arguments(parser):
    parser.add_argument('--epoch', type=int, help='params epoch (default: the latest saved)')
    parser.add_argument('--input', action='append', required=True,
                        type=functools.partial(parse_input_shape, batch_placeholder=True),
                        metavar='NAME=SHAPE', help='shape of an input, ? for the batch size, '
                        'e.g. data=?,3,224,224; repeat for several inputs, in call order')
    parser.add_argument('--platform', action='append', metavar='NAME',
                        help="backend to lower for ('cpu', 'cuda', 'rocm', 'tpu'); repeat for "
                        'several (default: the current one)')
    parser.add_argument('--format', choices=('stablehlo', 'onnx'), default='stablehlo',
                        help="'stablehlo': a serialized JAX program (default); 'onnx': an ONNX "
                        'model (mx.onnx.export_model), ? making the batch dim dynamic')
    parser.add_argument('--opset', type=int, default=DEFAULT_OPSET,
                        help='ONNX opset of --format onnx (default: %d)' % DEFAULT_OPSET)
    parser.add_argument('-o', '--output', help='file to write (default: PREFIX.jaxexport, or '
                        'PREFIX.onnx)')


def run_export(args, out):
    loaded = load_model(args.prefix, args.epoch)
    if loaded.params_file is None:
        raise MXNetError('no %s-NNNN.params file: export needs the parameters' % args.prefix)
    onnx = args.format == 'onnx'
    target = args.output or args.prefix + ('.onnx' if onnx else '.jaxexport')
    with progress('exporting'):
        if onnx:
            export_named_inputs(loaded.symbol, loaded.arg_params, loaded.aux_params,
                                dict(args.input), target, args.opset)
        else:
            export(loaded.symbol, loaded.arg_params, loaded.aux_params, dict(args.input),
                   target, platforms=args.platform)
    print(target, file=out)


# ------------------------------------------------------------------------------ entry point
class Command(NamedTuple):
    """A subcommand: ``run(args, out)`` writes its results to `out` and may return an exit
    status (None: 0)."""

    name: str
    help: str
    add_arguments: Callable
    run: Callable
    prefix_help: str = 'model files prefix: PREFIX-symbol.json, PREFIX-NNNN.params'


COMMANDS = [
    Command('info', 'inputs, outputs, op counts and parameter sizes of a model',
            add_info_arguments, run_info),
    Command('check', 'audit a model without running it: every op it uses and whether mxsym '
            'has it, input and output shapes, whether the params fit (exit status 1 when it '
            'cannot run)', add_check_arguments, run_check),
    Command('run', 'run a model on given or random inputs and print its outputs',
            add_run_arguments, run_run),
    Command('plot', 'draw the graph of a model (mx.viz.plot_network)',
            add_plot_arguments, run_plot),
    Command('export', 'write a model as a serialized JAX program (jax.export) or as ONNX, '
            'to run without mxsym', add_export_arguments, run_export),
    Command('im2rec', 'make an image list (.lst) from a folder, or pack the images of lists '
            "into RecordIO files (.rec, .idx), as MXNet's tools/im2rec.py",
            im2rec.add_arguments, im2rec.run,
            prefix_help='lists prefix: PREFIX.lst (or PREFIX*.lst to pack), giving '
            'PREFIX.rec and PREFIX.idx'),
]


def build_parser():
    parser = argparse.ArgumentParser(
        prog='mxsym', description='Look at, run and draw MXNet model files '
        '(PREFIX-symbol.json, PREFIX-EPOCH.params); `mxsym launch -n N -- COMMAND...` starts '
        'the workers of a training job (see `mxsym launch --help`).')
    subcommands = parser.add_subparsers(dest='command', required=True, metavar='COMMAND')
    for command in COMMANDS:
        sub = subcommands.add_parser(command.name, help=command.help,
                                     description=command.help)
        sub.add_argument('prefix', metavar='PREFIX', help=command.prefix_help)
        command.add_arguments(sub)
        sub.set_defaults(run=command.run)
    return parser


def model_prefix(args):
    """Take a ``PREFIX-symbol.json`` or ``PREFIX-NNNN.params`` path given as the prefix for the
    prefix it names (the epoch too, where none is given), and say so on stderr."""
    match = re.match(r'(.+)-(?:symbol\.json|(\d{4})\.params)$', args.prefix)
    if match is None or os.path.exists(args.prefix + '-symbol.json'):
        return
    args.prefix, epoch = match.group(1), match.group(2)
    said = 'taking PREFIX %s' % args.prefix
    if epoch is not None and args.epoch is None:
        args.epoch = int(epoch)
        said += ' and --epoch %d' % args.epoch
    print('%s (from %s)' % (said, match.group(0)), file=sys.stderr)


def main(argv=None, out=None):
    """Run one subcommand, in NumPy-shape mode for a model saved in it; its exit status (0 on
    success), 1 with the reason in one line on stderr when it fails."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ['launch']:
        return launch.main(argv[1:])
    args = build_parser().parse_args(argv)
    if hasattr(args, 'epoch'):
        model_prefix(args)
    try:
        with util.np_shape(audit.saved_in_np_shape(args.prefix)):
            status = args.run(args, out or sys.stdout)
    except Exception as err:   # a model file's fault or ours: one line, never a traceback
        said = ' '.join(str(err).split())
        if not isinstance(err, (MXNetError, OSError)):
            said = '%s: %s' % (type(err).__name__, said)
        print('\nmxsym %s: error: %s' % (args.command, said), file=sys.stderr)
        return 1
    return status or 0
