"""Looking inside a run: what an executor reports to a monitor callback, ``mx.mon.Monitor``
statistics over those reports, and the executor's ``debug_str`` text.

Names and order follow MXNet 1.9.1's graph executor: after each op node runs, every output (hidden
ones included) as ``<node>_<output>``; with ``monitor_all``, before the op runs, each input as
``<node>_<input>``, preceded by the variable's own name when a variable feeds it.
"""
import ctypes
import logging
import os
import re
from math import sqrt

from . import ndarray as nd
from .base import NDArrayHandle, py_str, switched_off
from .graph import topo_order
from .graph_passes import common_expression_duplicates

def _monitor_input_names(node):
    if node.op.unnamed_inputs:
        return ['input%d' % i for i in range(len(node.inputs))]
    return node.input_names()


def monitored_slots(symbol, program, monitor_all):
    """(name, slot of `program`'s values) for each report, in MXNet's order. Nodes that
    MXNet's common-expression elimination merges away (on unless MXNET_ELIMINATE_COMMON_EXPR
    is 0) report nothing: MXNet never runs them."""
    nodes = topo_order(symbol._outputs)
    skipped = set() if switched_off(os.environ, 'MXNET_ELIMINATE_COMMON_EXPR') else \
        common_expression_duplicates(symbol._outputs)
    reports = []
    for step in program.steps:
        node = nodes[step.node_index]
        if id(node) in skipped:
            continue
        if monitor_all:
            for (source, _), input_name, slot in zip(
                    node.inputs, _monitor_input_names(node), step.input_slots):
                if source.op is None:
                    reports.append((source.name, slot))
                reports.append(('%s_%s' % (node.name, input_name), slot))
        reports += [(node.output_name(i), step.first_output_slot + i)
                    for i in range(node.num_outputs)]
    return reports


def debug_text(symbol, intermediate_bytes):
    """The text of ``Executor.debug_str()``: the graph listing and the memory lines. Only the
    forward graph is listed (MXNet adds its backward nodes when gradients are bound)."""
    return graph_listing(symbol) + ('Total %d MB allocated\nTotal 11 TempSpace resource '
                                    'requested\n' % (intermediate_bytes >> 20))


def graph_listing(symbol):
    """``Symbol.debug_str()``: MXNet's listing of a graph (heads, variables, each op with its
    inputs and attrs)."""
    nodes = topo_order(symbol._outputs)
    lines = ['Symbol Outputs:']
    lines += ['\toutput[%d]=%s(%d)' % (i, node.name, index)
              for i, (node, index) in enumerate(symbol._outputs)]
    for node in nodes:
        if node.op is None:
            lines.append('Variable:' + node.name)
            continue
        lines += ['-' * 20, 'Op:%s, Name=%s' % (node.op.name, node.name), 'Inputs:']
        for i, ((source, index), version) in enumerate(zip(node.inputs, node.input_versions)):
            line = '\targ[%d]=%s(%d)' % (i, source.name, index)
            lines.append(line + (' version=%d' % version if source.op is None else ''))
        if node.attrs:
            lines.append('Attrs:')
            lines += ['\t%s=%s' % item for item in sorted(node.attrs.items())]
    return '\n'.join(lines) + '\n'


def _norm_per_element(array):
    """The default statistic: the array's 2-norm over the square root of its size."""
    return nd.norm(array) / sqrt(array.size)


class Monitor:
    """Statistics of the values executors compute, collected every `interval` batches.

    `stat_func` maps an NDArray to an NDArray (or a list of them); `pattern` is a regular
    expression a name must match from its start; `sort` orders the results by name;
    `monitor_all` also reports each op's inputs. Between ``tic()`` and ``toc()`` every report
    of an installed executor is kept; ``toc()`` adds its arguments and aux states and returns
    ``(batch, name, statistic text)`` triples.
    """

    def __init__(self, interval, stat_func=None, pattern='.*', sort=False, monitor_all=False):
        self.interval = interval
        self.stat_func = stat_func or _norm_per_element
        self.re_prog = re.compile(pattern)
        self.sort = sort
        self.monitor_all = monitor_all
        self.activated = False
        self.queue = []
        self.step = 0
        self.exes = []

    def stat_helper(self, name, handle):
        """The executor callback: keep the statistic of a matching value while collecting."""
        name = py_str(name)
        if self.activated and self.re_prog.match(name):
            array = nd.NDArray(ctypes.cast(handle, NDArrayHandle), writable=False)
            self.queue.append((self.step, name, self.stat_func(array)))

    def install(self, exe):
        """Report `exe`'s values to this monitor (several executors may be installed)."""
        exe.set_monitor_callback(self.stat_helper, self.monitor_all)
        self.exes.append(exe)

    def tic(self):
        """Start a batch; collects when the batch number is a multiple of `interval`."""
        if self.step % self.interval == 0:
            self.queue = []
            self.activated = True
        self.step += 1

    def toc(self):
        """End the batch: the collected statistics, then those of the installed executors'
        arguments and aux states, as ``(batch, name, text)``; empty when not collecting."""
        if not self.activated:
            return []
        for exe in self.exes:
            for name, array in list(exe.arg_dict.items()) + list(exe.aux_dict.items()):
                if self.re_prog.match(name):
                    self.queue.append((self.step, name, self.stat_func(array)))
        self.activated = False
        if self.sort:
            self.queue.sort(key=lambda item: item[1])
        results = [(step, name, _stat_text(stat)) for step, name, stat in self.queue]
        self.queue = []
        return results

    def toc_print(self):
        """End the batch and log each statistic at INFO level."""
        for step, name, text in self.toc():
            logging.info('Batch: {:7d} {:30s} {:s}'.format(step, name, text))


def _stat_text(stat):
    """A statistic as MXNet prints it: each value tab-terminated, a one-element array as a
    scalar."""
    values = stat if isinstance(stat, list) else [stat]
    return ''.join((str(v.asscalar()) if v.shape == (1,) else str(v.asnumpy())) + '\t'
                   for v in values)
