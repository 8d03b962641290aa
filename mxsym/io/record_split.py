"""The order in which `ImageRecordIter` meets the records of a RecordIO file, as MXNet's
reader hands them over: the file's bytes cut into `num_parts` 4-aligned parts (a record
belongs to the part its head starts in), each part optionally cut into sub-parts visited in a
shuffled order (`shuffle_chunk_size`), and each (sub-)part read in chunks of 8 MiB that end at
a record head. With `shuffle` the records of each chunk are shuffled, by one engine seeded
from `seed` that runs on from chunk to chunk and from one pass over the file to the next."""
import bisect
import math

from .std_random import Mt19937

_CHUNK_WORDS = 2 << 20      # the reader's buffer in 4-byte words (its size hints do not reach it)
_SHUFFLE_MAGIC = 111         # added to `seed` for the record shuffle
_PART_SHUFFLE_MAGIC = 666    # added to the sub-part shuffle's seed


def part_bounds(file_size, num_parts, part_index):
    """Byte range [begin, end) of part `part_index` of `num_parts` equal, 4-aligned ranges."""
    step = (file_size + num_parts - 1) // num_parts
    step = (step + 3) // 4 * 4
    return min(step * part_index, file_size), min(step * (part_index + 1), file_size)


def chunks(offsets, file_size, begin, end):
    """Runs (range objects) of the record numbers whose heads lie in [begin, end), as the
    reader cuts them: a window of 8 MiB from the first record left; when the rest does not
    fit, the chunk ends at the last record head in the window (before its last 8 bytes; the
    window doubles when it holds none but the first)."""
    first = bisect.bisect_left(offsets, begin)
    stop = bisect.bisect_left(offsets, end)
    end_byte = offsets[stop] if stop < len(offsets) else file_size
    runs = []
    while first < stop:
        words = _CHUNK_WORDS
        while True:
            window = words * 4
            if end_byte - offsets[first] < window:
                cut = stop
                break
            cut = bisect.bisect_right(offsets, offsets[first] + window - 8, first + 1, stop) - 1
            if cut > first:
                break
            words = 2 * words + 1
        runs.append(range(first, cut))
        first = cut
    return runs


class RecordOrder:
    """The record numbers (indices into `offsets`, the heads of all the file's records) of
    each pass over part `part_index`, pass after pass."""

    def __init__(self, offsets, file_size, num_parts=1, part_index=0, shuffle=False, seed=0,
                 shuffle_chunk_size=0, shuffle_chunk_seed=0):
        sub_parts = 1
        if shuffle_chunk_size > 0:
            sub_parts = max(1, math.ceil(file_size * 1.1
                                         / (num_parts * (shuffle_chunk_size << 20))))
        self._sub_parts = sub_parts
        self._part_engine = Mt19937(_PART_SHUFFLE_MAGIC + part_index + num_parts + sub_parts
                                    + shuffle_chunk_seed) if sub_parts > 1 else None
        self._sub_order = list(range(sub_parts))
        if self._part_engine is not None:
            self._part_engine.shuffle(self._sub_order)
        self._chunks = [chunks(offsets, file_size,
                               *part_bounds(file_size, num_parts * sub_parts,
                                            part_index * sub_parts + sub))
                        for sub in range(sub_parts)]
        self._engine = Mt19937(_SHUFFLE_MAGIC + seed) if shuffle else None
        self.size = sum(len(run) for runs in self._chunks for run in runs)

    def in_file_order(self):
        """This part's record numbers in file order."""
        return sorted(n for runs in self._chunks for run in runs for n in run)

    def rewind(self):
        """Start over after a pass read for the mean image: the sub-parts are reshuffled."""
        if self._part_engine is not None:
            self._part_engine.shuffle(self._sub_order)

    def next_pass(self):
        """The record numbers of the next pass, in reading order."""
        order = []
        for sub in self._sub_order:
            for run in self._chunks[sub]:
                records = list(run)
                if self._engine is not None:
                    self._engine.shuffle(records)
                order.extend(records)
        if self._part_engine is not None:
            self._part_engine.shuffle(self._sub_order)
        return order


class IndexedOrder:
    """The same for a file read through its index: the records sorted by byte offset, part
    `part_index` of `num_parts` near-equal runs of them, and with `shuffle` a fresh shuffle
    of the part each pass, by one engine seeded from `seed`."""

    def __init__(self, num_records, num_parts=1, part_index=0, shuffle=False, seed=0):
        step = (num_records + num_parts - 1) // num_parts
        self._records = list(range(num_records))[step * part_index:step * (part_index + 1)]
        self._engine = Mt19937(_SHUFFLE_MAGIC + seed) if shuffle else None
        self.size = len(self._records)

    def in_file_order(self):
        return list(self._records)

    def rewind(self):
        """Start over after a pass read for the mean image: that pass drew a shuffle."""
        if self._engine is not None:
            self._engine.shuffle(list(self._records))

    def next_pass(self):
        order = list(self._records)
        if self._engine is not None:
            self._engine.shuffle(order)
        return order
