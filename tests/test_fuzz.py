"""Fuzzing of the loaders of untrusted files: symbol JSON, NDArray files, optimizer states.

A model downloaded from anywhere reaches `mx.sym.load_json`, `mx.nd.load` and
`Updater.set_states`, so a malformed file must give an MXNetError: never another exception,
a hang, a huge allocation, a half-loaded result or code run by a pickle. Valid files made by
mxsym are mutated and loaded: every hostile value in every op parameter of the seed graphs, then
a few hundred random mutations per target, drawn with a fixed seed so that every run tries the
same cases (about 2800, in some 10 s).

Each target runs in a child process, so that its address space can be capped (RLIMIT_AS): a
loader asking for a huge buffer gets a MemoryError there instead of the machine's memory. Each
case gets CASE_SECONDS (SIGALRM), and a case that grows the peak RSS by more than
RSS_GROWTH_LIMIT is flagged. Replay one case with its traceback:

    python tests/test_fuzz.py TARGET CASE_INDEX
"""
import argparse
import dataclasses
import json
import math
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import traceback
from collections import defaultdict
from typing import Callable, Optional

import numpy as np
import pytest

import fuzz_mutations as mutations
import mxsym as mx

SEED = 1901
CASE_SECONDS = 2.0
RSS_GROWTH_LIMIT = 1 << 30
ADDRESS_SPACE_HEADROOM = 2 << 30
CHILD_SECONDS = 300
REPORTED_PER_GROUP = 3
SYMBOL_JSON_RANDOM_CASES = 300   # besides every hostile value in every attr
NDARRAY_FILE_CASES = 150
OPTIMIZER_STATES_CASES = 80
MXSYM_DIR = os.path.dirname(os.path.abspath(mx.__file__))


@dataclasses.dataclass
class Case:
    description: str
    run: Callable[[], None]
    must_raise: bool = False                          # even a valid parse of it is wrong
    harm: Callable[[], Optional[str]] = lambda: None  # what loading it did that it must not


class CaseTimeout(BaseException):
    """Raised by SIGALRM in a case running over CASE_SECONDS (a BaseException, so that no
    `except Exception` in the loader can swallow it)."""


class Violation(Exception):
    """A loader returned without error, but what it returned is wrong."""


# ------------------------------------------------------------------------------ symbol JSON
def symbol_seeds():
    """(name, symbol, shape of 'data') for small valid graphs covering the common layers,
    their parameters spelled out so that each one gets mutated."""
    data = mx.sym.var('data')
    fc = mx.sym.FullyConnected(data, num_hidden=8, no_bias=False, flatten=True, name='fc1')
    mlp = mx.sym.SoftmaxOutput(
        mx.sym.FullyConnected(mx.sym.Activation(fc, act_type='relu', name='relu1'),
                              num_hidden=4, name='fc2'),
        grad_scale=1.0, ignore_label=-1, use_ignore=False, multi_output=False,
        preserve_shape=False, normalization='batch', smooth_alpha=0.0, name='softmax')
    conv = mx.sym.Convolution(data, kernel=(3, 3), stride=(1, 1), pad=(1, 1), dilate=(1, 1),
                              num_filter=4, num_group=1, no_bias=False, layout='NCHW',
                              name='conv')
    normed = mx.sym.BatchNorm(conv, eps=1e-3, momentum=0.9, fix_gamma=False,
                              use_global_stats=False, output_mean_var=False, axis=1, name='bn')
    pooled = mx.sym.Pooling(mx.sym.Activation(normed, act_type='relu', name='relu'),
                            kernel=(2, 2), stride=(2, 2), pad=(0, 0), pool_type='max',
                            pooling_convention='valid', global_pool=False, layout='NCHW',
                            name='pool')
    convnet = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(
        mx.sym.Flatten(pooled, name='flat'), num_hidden=5, name='fc'), name='softmax')
    branches = mx.sym.Concat(mx.sym.FullyConnected(data, num_hidden=4, name='left'),
                             mx.sym.FullyConnected(data, num_hidden=6, name='right'),
                             dim=1, name='concat')
    grouped = mx.sym.Convolution(data, kernel=(3, 3), stride=(2, 2), pad=(1, 1),
                                 dilate=(2, 2), num_filter=6, num_group=3, no_bias=True,
                                 name='grouped')
    halves = mx.sym.SliceChannel(data, num_outputs=2, axis=1, squeeze_axis=False, name='split')
    activations = mx.sym.LeakyReLU(
        mx.sym.LeakyReLU(conv, act_type='prelu', name='prelu'),
        act_type='rrelu', lower_bound=0.125, upper_bound=0.334, name='rrelu')
    return [
        ('mlp', mlp, (2, 10)),
        ('convnet', convnet, (2, 3, 8, 8)),
        ('grouped-conv', grouped, (2, 3, 8, 8)),
        ('concat', branches, (2, 10)),
        ('slice', halves[0] + halves[1], (2, 10)),
        ('reshape', mx.sym.Reshape(data, shape=(0, 2, -1), reverse=False, name='reshape'),
         (2, 10)),
        ('embedding', mx.sym.Embedding(data, input_dim=20, output_dim=4, dtype='float32',
                                       sparse_grad=False, name='embed'), (2, 10)),
        ('dropout', mx.sym.Dropout(fc, p=0.5, mode='training', axes=(), name='drop'), (2, 10)),
        ('leaky', activations, (2, 3, 8, 8)),
        ('deconv', mx.sym.Deconvolution(data, kernel=(2, 2), stride=(2, 2), pad=(0, 0),
                                        adj=(0, 0), dilate=(1, 1), target_shape=(16, 16),
                                        num_filter=3, num_group=1, no_bias=False,
                                        name='deconv'), (2, 3, 8, 8)),
    ]


def check_symbol(load, data_shape):
    """Load a symbol, then use it as a model script would."""
    sym = load()
    names = sym.list_arguments() + sym.list_outputs()
    if not all(isinstance(name, str) for name in names):
        raise Violation('loaded with names that are not strings: %r' % names)
    sym.tojson()
    given = 'data' in sym.list_arguments()
    sym.infer_shape_partial(**({'data': data_shape} if given else {}))
    sym.infer_type_partial(**({'data': 'float32'} if given else {}))


def symbol_case(description, payload, data_shape, workdir):
    """Text goes to `mx.sym.load_json`; bytes (not always UTF-8) to `mx.sym.load` as a file."""
    if isinstance(payload, str):
        return Case(description, lambda: check_symbol(lambda: mx.sym.load_json(payload),
                                                      data_shape))
    path = os.path.join(workdir, 'symbol.json')

    def load():
        with open(path, 'wb') as out:
            out.write(payload)
        return mx.sym.load(path)
    return Case(description, lambda: check_symbol(load, data_shape))


def swept_attrs(graph):
    """(node index, key) of every attr of every op node, and the hints of the data variable:
    each gets every one of the hostile attr values."""
    for node_index, node in enumerate(graph['nodes']):
        if node['op'] != 'null':
            yield from ((node_index, key) for key in sorted(node.get('attrs', {})))
        elif node['name'] == 'data':
            yield from ((node_index, key) for key in ('__shape__', '__dtype__'))


def symbol_json_cases(rng, workdir):
    seeds = [(name, sym.tojson(), shape) for name, sym, shape in symbol_seeds()]
    cases = [symbol_case('%s, unmutated' % name, text, shape, workdir)
             for name, text, shape in seeds]
    for name, text, shape in seeds:
        for node_index, key in swept_attrs(json.loads(text)):
            for value in mutations.ATTR_VALUES:
                description, mutated = mutations.set_attr(json.loads(text), node_index, key,
                                                          value)
                cases.append(symbol_case('%s: %s' % (name, description), mutated, shape,
                                         workdir))
    random_cases = len(cases) + SYMBOL_JSON_RANDOM_CASES
    while len(cases) < random_cases:
        name, text, shape = rng.choice(seeds)
        if rng.random() < 0.8:
            mutate = rng.choice(mutations.STRUCTURE_MUTATIONS)
            description, mutated = mutate(rng, json.loads(text))
        else:
            description, mutated = rng.choice(mutations.TEXT_MUTATIONS)(rng, text)
        cases.append(symbol_case('%s: %s' % (name, description), mutated, shape, workdir))
    return cases


# ---------------------------------------------------------------------------- NDArray files
def ndarray_seeds():
    """(name, what `mx.nd.save` takes) for small files of every common dtype and layout."""
    def array(values, dtype):
        return mx.nd.array(np.asarray(values), dtype=dtype)
    return [
        ('dict-float32', {'arg:fc_weight': array(np.arange(12).reshape(3, 4), 'float32'),
                          'aux:bn_moving_mean': array([0.5, 1.5], 'float32')}),
        ('list-mixed', [array([[1, 2], [3, 4]], 'float16'), array([1, 2, 3], 'int32'),
                        array([[7], [8]], 'int64'), array([0, 255], 'uint8')]),
        ('dict-empty-and-scalar', {'empty': array(np.zeros((0,)), 'float32'),
                                   'hollow': array(np.zeros((2, 0, 3)), 'float32'),
                                   'scalar': array(np.ones(()), 'float32')}),
        ('empty-list', []),
    ]


def check_ndarray_file(path):
    """Load a file; what comes back must be whole: names and arrays that can be read."""
    loaded = mx.nd.load(path)
    if isinstance(loaded, dict):
        if not all(isinstance(name, str) for name in loaded):
            raise Violation('names that are not strings: %r' % list(loaded))
        arrays = list(loaded.values())
    elif isinstance(loaded, list):
        arrays = loaded
    else:
        raise Violation('loaded a %s, not a dict or a list' % type(loaded).__name__)
    for array in arrays:
        if array is not None and array.asnumpy().shape != array.shape:
            raise Violation('half-loaded array: shape %s, data %s'
                            % (array.shape, array.asnumpy().shape))


def ndarray_file_case(description, payload, workdir):
    path = os.path.join(workdir, 'fuzz.params')

    def run():
        with open(path, 'wb') as out:
            out.write(payload)
        check_ndarray_file(path)
    return Case(description, run)


def special_path_cases(workdir):
    """Paths that are not NDArray files at all: each must be refused, and quickly."""
    fifo = os.path.join(workdir, 'fifo')
    os.mkfifo(fifo)
    empty = os.path.join(workdir, 'empty.params')
    open(empty, 'wb').close()
    paths = [('/dev/zero', '/dev/zero'), ('a directory', workdir), ('a FIFO with no writer', fifo),
             ('a missing file', os.path.join(workdir, 'missing.params')), ('an empty file', empty)]
    return [Case('mx.nd.load(%s)' % what, lambda path=path: mx.nd.load(path), must_raise=True)
            for what, path in paths]


def ndarray_file_cases(rng, workdir):
    path = os.path.join(workdir, 'seed.params')
    seeds = []
    for name, contents in ndarray_seeds():
        mx.nd.save(path, contents)
        with open(path, 'rb') as src:
            seeds.append((name, src.read()))
    cases = [ndarray_file_case('%s, unmutated' % name, blob, workdir) for name, blob in seeds]
    cases += special_path_cases(workdir)
    while len(cases) < NDARRAY_FILE_CASES:
        name, blob = rng.choice(seeds)
        fields, names = mutations.ndarray_file_fields(blob)
        kind = rng.random()
        if kind < 0.55:
            description, mutated = mutations.set_field(rng, blob, fields)
        elif kind < 0.65 and any(' dim ' in f.name for f in fields):
            description, mutated = mutations.overflow_dims(rng, blob, fields)
        elif kind < 0.75 and names:
            description, mutated = mutations.invalid_utf8_in_name(rng, blob, names)
        else:
            description, mutated = rng.choice(mutations.BYTE_MUTATIONS)(rng, blob, fields)
        cases.append(ndarray_file_case('%s: %s' % (name, description), mutated, workdir))
    return cases


# ------------------------------------------------------------------------ optimizer states
def trained_updater(optimizer):
    """An updater that has applied `optimizer` to two weights, so that it holds states."""
    updater = mx.optimizer.get_updater(optimizer)
    for index, shape in enumerate([(2, 3), (4,)]):
        weight = mx.nd.array(np.ones(shape), dtype='float32')
        updater(index, mx.nd.array(np.full(shape, 0.5), dtype='float32'), weight)
    return updater


def states_seeds():
    """(name, payload) of the states pickles of Adam, SGD with momentum and plain SGD."""
    optimizers = {
        'adam': lambda: mx.optimizer.create('adam', learning_rate=0.01),
        'sgd-momentum': lambda: mx.optimizer.create(
            'sgd', momentum=0.9, lr_scheduler=mx.lr_scheduler.FactorScheduler(step=10)),
        'sgd': lambda: mx.optimizer.create('sgd'),
    }
    return [('%s%s' % (name, ' with optimizer' if dump else ''),
             trained_updater(make()).get_states(dump_optimizer=dump))
            for name, make in optimizers.items() for dump in (False, True)]


def load_states(payload):
    mx.optimizer.get_updater(mx.optimizer.create('sgd')).set_states(payload)


def command_harm(marker):
    """What a hostile pickle did when loaded: started a process, or ran a command that created
    `marker` (removed again, so that each case starts clean)."""
    def harm():
        try:
            os.waitpid(-1, 0)   # a process it started has done its work once this returns
            started = True
        except ChildProcessError:
            started = False
        if os.path.exists(marker):
            os.remove(marker)
            return 'the pickle ran a command (it created %s)' % marker
        return 'the pickle started a process' if started else None
    return harm


def math_pi_harm():
    if math.pi == 3.141592653589793:
        return None
    math.pi = 3.141592653589793
    return 'the pickle set math.pi'


def optimizer_states_cases(rng, workdir):
    seeds = states_seeds()
    cases = [Case('%s, unmutated' % name, lambda p=payload: load_states(p))
             for name, payload in seeds]
    marker = os.path.join(workdir, 'MARKER')
    cases += [Case('hostile pickle: %s' % what, lambda p=payload: load_states(p),
                   must_raise=True, harm=command_harm(marker))
              for what, payload in mutations.hostile_pickles(marker)]
    cases.append(Case('hostile pickle: BUILD on the math module, reached through a mapped path',
                      lambda: load_states(mutations.module_tampering_pickle()),
                      must_raise=True, harm=math_pi_harm))
    cases += [Case('not states: %s' % what, lambda p=payload: load_states(p), must_raise=True)
              for what, payload in mutations.malformed_states_pickles()]
    while len(cases) < OPTIMIZER_STATES_CASES:
        name, payload = rng.choice(seeds)
        arrays = mutations.embedded_array_fields(payload)
        if arrays and rng.random() < 0.4:
            description, mutated = mutations.set_field(rng, payload, arrays)
        else:
            description, mutated = rng.choice(mutations.BYTE_MUTATIONS)(rng, payload, arrays)
        cases.append(Case('%s: %s' % (name, description), lambda p=mutated: load_states(p)))
    return cases


TARGETS = {'symbol-json': symbol_json_cases, 'ndarray-file': ndarray_file_cases,
           'optimizer-states': optimizer_states_cases}


# ---------------------------------------------------------------------------- running cases
def peak_rss_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024   # Linux: KiB


def cap_address_space():
    """Cap this process's address space at what it maps now plus ADDRESS_SPACE_HEADROOM."""
    with open('/proc/self/status') as status:
        mapped_kib = next(int(line.split()[1]) for line in status if line.startswith('VmSize:'))
    limit = mapped_kib * 1024 + ADDRESS_SPACE_HEADROOM
    resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))


def raise_timeout(_signum, _frame):
    raise CaseTimeout()


def where(err):
    """file:line of the innermost frame inside mxsym (else the innermost frame at all)."""
    frames = traceback.extract_tb(err.__traceback__)
    ours = [f for f in frames if os.path.abspath(f.filename).startswith(MXSYM_DIR + os.sep)]
    frame = (ours or frames)[-1]
    path = os.path.relpath(frame.filename, os.path.dirname(MXSYM_DIR)) if ours \
        else os.path.basename(frame.filename)
    return '%s:%d' % (path, frame.lineno)


def memory_error_behind(err):
    """The MemoryError in the chain of exceptions behind `err` (itself included), if any."""
    while err is not None and not isinstance(err, MemoryError):
        err = err.__cause__ or err.__context__
    return err


def failure_record(kind, error, place='-', message=''):
    return {'kind': kind, 'type': error, 'where': place, 'message': message}


def classify(err):
    """The failure that an exception out of a case stands for; None for an MXNetError."""
    message = (str(err).splitlines() or [''])[0][:200]
    memory_error = memory_error_behind(err)
    if memory_error is not None:
        return failure_record('huge allocation', type(err).__name__, where(memory_error),
                              message)
    if isinstance(err, Violation):
        return failure_record('returned bad result', 'Violation', message=message)
    if isinstance(err, mx.base.MXNetError):
        return None
    return failure_record('wrong exception', type(err).__name__, where(err), message)


def run_case(case):
    """A failure record for the case, or None when it behaved."""
    rss_before = peak_rss_bytes()
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, CASE_SECONDS)
            case.run()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except CaseTimeout:
        failure = failure_record('hang', 'over %.0f s' % CASE_SECONDS)
    except Exception as err:
        failure = classify(err)
    else:
        failure = failure_record('accepted', 'no MXNetError') if case.must_raise else None
    harm = case.harm()
    if harm:
        failure = failure_record('harm', 'side effect', message=harm)
    growth = peak_rss_bytes() - rss_before
    if failure is None and growth > RSS_GROWTH_LIMIT:
        failure = failure_record('huge allocation', 'peak RSS +%d MiB' % (growth >> 20))
    return failure


def fuzz(target, workdir):
    """Run every case of `target`; the failures, each with its case index and description."""
    cases = TARGETS[target](random.Random(SEED), workdir)
    cap_address_space()
    signal.signal(signal.SIGALRM, raise_timeout)
    failures = []
    for index, case in enumerate(cases):
        print('case %d: %s' % (index, case.description), file=sys.stderr, flush=True)
        failure = run_case(case)
        if failure:
            failures.append(dict(failure, case=index, description=case.description))
    return failures


def replay(target, index, workdir):
    """Run one case with nothing caught, so that its full traceback shows."""
    case = TARGETS[target](random.Random(SEED), workdir)[index]
    print('case %d: %s' % (index, case.description))
    case.run()
    print('returned without error; %s' % (case.harm() or 'no harm done'))


# ---------------------------------------------------------------------------------- the test
def failure_report(target, failures):
    """The failures grouped by what failed where, a few cases of each written out."""
    groups = defaultdict(list)
    for failure in failures:
        groups[failure['kind'], failure['type'], failure['where']].append(failure)
    lines = ['%d of the %s cases failed (replay one: python tests/test_fuzz.py %s CASE_INDEX)'
             % (len(failures), target, target)]
    for (kind, error, place), members in sorted(groups.items()):
        lines.append('%s: %s at %s (%d cases)' % (kind, error, place, len(members)))
        lines += ['    case %d: %s -> %s' % (f['case'], f['description'], f['message'])
                  for f in members[:REPORTED_PER_GROUP]]
        if len(members) > REPORTED_PER_GROUP:
            lines.append('    and cases %s' % ', '.join(
                str(f['case']) for f in members[REPORTED_PER_GROUP:]))
    return '\n'.join(lines)


# The child caps its address space with RLIMIT_AS and reads its own size from /proc, which
# only Linux offers as used here; CI and the project's machines are Linux, so it always runs
# there.
@pytest.mark.skipif(not sys.platform.startswith('linux'),
                    reason='caps memory with RLIMIT_AS and reads /proc')
@pytest.mark.slow
@pytest.mark.parametrize('target', sorted(TARGETS))
def test_malformed_files_raise_only_mxnet_error(target, tmp_path):
    command = [sys.executable, '-X', 'faulthandler', __file__, target,
               '--workdir', str(tmp_path)]
    try:
        child = subprocess.run(command, capture_output=True, text=True, timeout=CHILD_SECONDS)
    except subprocess.TimeoutExpired as err:
        pytest.fail('the %s fuzz ran over %d s; it ended with:\n%s'
                    % (target, CHILD_SECONDS, (err.stderr or b'').decode()[-3000:]))
    assert child.returncode == 0, 'the %s fuzz died (exit %d); it ended with:\n%s' \
        % (target, child.returncode, child.stderr[-3000:])
    failures = json.loads(child.stdout.splitlines()[-1])
    if failures:
        pytest.fail(failure_report(target, failures), pytrace=False)


def main():
    parser = argparse.ArgumentParser(description='Run (or replay one case of) a fuzz target.')
    parser.add_argument('target', choices=sorted(TARGETS))
    parser.add_argument('case', nargs='?', type=int, help='replay this case, uncaught')
    parser.add_argument('--workdir', help='where cases write files (default: a new temp dir)')
    args = parser.parse_args()
    workdir = args.workdir or tempfile.mkdtemp(prefix='mxsym-fuzz-')
    if args.case is None:
        print(json.dumps(fuzz(args.target, workdir)))
    else:
        replay(args.target, args.case, workdir)


if __name__ == '__main__':
    main()
