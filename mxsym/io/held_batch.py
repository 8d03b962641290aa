"""The iterators MXNet implements in C++ (`MNISTIter`, `CSVIter`, `LibSVMIter`,
`ImageRecordIter`) share one Python face: `next` gives a DataBatch, and between calls
`getdata` / `getlabel` (one NDArray each), `getpad` and `getindex` read the batch last made."""
import logging

import numpy as np

from ..base import MXNetError
from .io import DataIter

# the C++ iterators' messages: a logger of their own, so that logging from them does not
# configure the root logger before a script's logging.basicConfig
LOG = logging.getLogger('mxsym.io')


def ignore_unknown(iterator, kwargs):
    """MXNet's C++ iterators accept and ignore arguments they do not know (scripts pass
    `data_shape` to MNISTIter); a warning names them."""
    if kwargs:
        LOG.warning('%s: ignoring unknown arguments %s', iterator, sorted(kwargs))


class HeldBatchIter(DataIter):
    """Subclasses make batches in `_load_batch` (a DataBatch, or None at the end of the
    epoch) and restart in `_restart`."""

    def __init__(self, batch_size):
        super().__init__(batch_size)
        self._batch = None

    def _load_batch(self):
        raise NotImplementedError

    def _restart(self):
        raise NotImplementedError

    def reset(self):
        self._batch = None
        self._restart()

    def iter_next(self):
        self._batch = self._load_batch()
        return self._batch is not None

    def next(self):
        if not self.iter_next():
            raise StopIteration
        return self._batch

    def _current(self):
        if self._batch is None:
            raise MXNetError('%s: no current batch; call iter_next() or next() first'
                             % type(self).__name__)
        return self._batch

    def getdata(self):
        return self._current().data[0]

    def getlabel(self):
        return self._current().label[0]

    def getpad(self):
        return self._current().pad

    def getindex(self):
        return self._current().index


class RowCursor:
    """Which rows of `num_rows` make each batch, as MXNet's batch loader picks them: in order;
    a last, short batch is completed from the start with `round_batch` (the next epoch then
    begins after those rows, empty when they were all the rows) and otherwise keeps the
    previous batch's rows in its unfilled slots; `pad` counts the completing rows either way."""

    def __init__(self, num_rows, batch_size, round_batch):
        if num_rows == 0:
            raise MXNetError('the data has no rows')
        self.num_rows = num_rows
        self.batch_size = batch_size
        self.round_batch = round_batch
        self.start = 0
        self.head = 0
        self._previous = np.zeros(batch_size, dtype=np.int64)

    def restart(self):
        """Begin the next epoch (after any rows a wrapped batch took)."""
        self.head = self.start
        self.start = 0

    def next_rows(self):
        """(row numbers, pad) of the next batch, or None at the end of the epoch."""
        if self.head >= self.num_rows:
            return None
        taken = min(self.batch_size, self.num_rows - self.head)
        rows = self._previous.copy()
        rows[:taken] = np.arange(self.head, self.head + taken)
        self.head += taken
        pad = self.batch_size - taken
        if pad and self.round_batch:
            rows[taken:] = np.arange(pad) % self.num_rows
            self.start = min(pad, self.num_rows)
        self._previous = rows
        return rows, pad
