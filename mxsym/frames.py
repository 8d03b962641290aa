"""Elementwise work at new shapes, run by one program per power-of-two size.

XLA compiles a program for one set of shapes, in 10-100 ms, and an elementwise graph over a few
thousand elements runs in microseconds (a million, in a millisecond or two): an op checked on
one random shape after another (MXNet's operator tests, a user's own) spends its time
compiling. Where every node of a graph computes per element (`OpDef.channels_last` is
'elementwise'; broadcasting aligns dims from the right, as NumPy does), each output element
comes from the argument elements at the same broadcast position. Such a graph runs on a
*frame*: each argument gathered to the output's positions, laid out flat and padded to a power
of two, so that the program depends on the frame's length and the dtypes only. A `Frame`, built
on the host, holds each argument's gather indices; the positions past the output read an extra
element past each argument's end, so that their values, and their gradients (JAX's transpose of
the gather adds each position's gradient into the element it read), never reach a real one.

A graph that is one reduction of its argument (an op with `OpDef.row_attrs`: sum, mean, max,
norm, ...) runs on a `RowFrame` instead: its argument gathered as the matrix of kept elements
by reduced elements, the rows padded to a power of two, so that the program depends on that
row count, the number of elements each output reduces, and the dtype. Reductions of small
matrices run as such row reductions in every program (ops/reduce.py), so the frame's results
are the exact program's, bit for bit.

A frame serves the first run of a shape: an executor's first forward (and the backward after
it) and an eager op's first call at its shapes. Later runs, the steady state of a loop, take
the program compiled for the exact shapes, which needs no packing on the host. Both give the
same outputs, bit for bit; gradients may differ in the last bit where XLA rounds a sum of
several terms in another order. A graph with an op before a broadcast (``exp(b)`` added to a
larger ``a``) trains on its exact program: on a frame, the op's derivative would be taken
before the sum over the broadcast copies, where MXNet takes it after.
"""
import math

import jax
import jax.numpy as jnp
import numpy as np

from . import compile_options

# Frame lengths are powers of two from SHORTEST to LONGEST: a first run of a million elements
# packs and gathers in milliseconds, a tenth of a compilation.
SHORTEST = 16
LONGEST = 2 ** 20


def frameable(op):
    """Whether an op can run on a frame: elementwise, with a shape rule, no aux state, no
    random draws, no mode, no Python on the host."""
    return (op.channels_last == 'elementwise' and op.custom_infer_shape is not None
            and not (op.aux or op.random or op.reads_mode or op.runs_on_host))


def elementwise(program):
    """Whether a lowered graph (`GraphProgram`) can run on a frame: every op frameable."""
    return not program.aux_slots and all(frameable(step.op) and not step.subgraphs
                                          for step in program.steps)


def frame_length(size):
    """The padded length of a frame of `size` elements."""
    return max(SHORTEST, 1 << (size - 1).bit_length())


def frame_rows(rows):
    """The padded row count of a frame of `rows` rows: the next power of two."""
    return 1 << (rows - 1).bit_length()


class Frame:
    """Where each argument's elements go in the flat, padded frame of an output shape."""

    def __init__(self, arg_shapes, shape):
        self.shape = tuple(shape)
        self.size = math.prod(self.shape)
        self.length = frame_length(self.size)
        self.out_layout = (self.length,)
        self.arg_shapes = [tuple(s) for s in arg_shapes]
        self.indices = []
        for arg_shape in self.arg_shapes:
            index = np.full(self.length, self.length, np.int32)
            positions = np.arange(math.prod(arg_shape), dtype=np.int32).reshape(arg_shape)
            index[:self.size] = np.broadcast_to(positions, self.shape).ravel()
            self.indices.append(index)

    @classmethod
    def of(cls, arg_shapes, out_shapes):
        """The frame of arguments and outputs of these shapes, or None where the outputs are
        not all the arguments' broadcast shape or are larger than LONGEST."""
        try:
            shape = np.broadcast_shapes(*arg_shapes)
        except ValueError:
            return None
        size = math.prod(shape)
        if (not 0 < size <= LONGEST or not out_shapes
                or any(tuple(s) != shape for s in out_shapes)
                or any(math.prod(s) == 0 for s in arg_shapes)):
            return None
        return cls(arg_shapes, shape)

    def placed_indices(self, device):
        """The gather indices, on `device`."""
        return [jax.device_put(index, device) for index in self.indices]

    def forward(self, program, values, key, device):
        """The outputs, shaped, of ``program(flat values, indices, key)``: a forward on this
        frame of argument-shaped `values`."""
        flats = program(self.pack_args(values, device), self.placed_indices(device), key)
        return self.unpack_outputs(flats, device)

    def pack_args(self, values, device):
        """Argument-shaped arrays, flat and padded to ``length + 1`` (pads are ones)."""
        return [_padded(value, self.length + 1, 1, device) for value in values]

    def pack_frame(self, values, device):
        """Output-shaped arrays (head gradients), padded with zeros and laid out as the
        frame's outputs (`out_layout`)."""
        return [_padded(value, math.prod(self.out_layout), 0, device, self.out_layout)
                for value in values]

    def unpack_outputs(self, flats, device):
        """Frame outputs as arrays of the output shape."""
        return [_cut(flat, self.size, self.shape, device) for flat in flats]

    def unpack_args(self, flats, positions, device):
        """Flat argument-shaped results (gradients) of the arguments at `positions`."""
        return [_cut(flat, math.prod(self.arg_shapes[i]), self.arg_shapes[i], device)
                for flat, i in zip(flats, positions)]


class RowFrame(Frame):
    """Where a reduction's argument elements go in a frame of rows: row r, column c holds the
    c-th element reduced into output element r; rows past the output read the element past
    the argument's end. The outputs are a column (`out_layout`)."""

    def __init__(self, arg_shape, axes, shape):
        arg_shape = tuple(arg_shape)
        kept = [i for i in range(len(arg_shape)) if i not in axes]
        self.shape = tuple(shape)
        self.size, columns = matrix_shape(arg_shape, axes)
        rows = frame_rows(self.size)
        self.length = rows * columns
        self.out_layout = (rows, 1)
        self.arg_shapes = [arg_shape]
        index = np.full((rows, columns), self.length, np.int32)
        positions = np.arange(math.prod(arg_shape), dtype=np.int32).reshape(arg_shape)
        index[:self.size] = positions.transpose(kept + list(axes)).reshape(self.size, columns)
        self.indices = [index]

    @classmethod
    def of(cls, arg_shape, axes, out_shape):
        """The frame of a reduction over `axes` of an argument of `arg_shape`, or None where
        the reduction does not run on rows (`on_rows`)."""
        return cls(arg_shape, axes, out_shape) if on_rows(arg_shape, axes) else None


def matrix_shape(shape, axes):
    """(kept elements, reduced elements) of a reduction over `axes` of `shape`."""
    return (math.prod(n for i, n in enumerate(shape) if i not in axes),
            math.prod(n for i, n in enumerate(shape) if i in axes))


def on_rows(shape, axes):
    """Whether a reduction over `axes` of `shape` runs as a row reduction (ops/reduce.py) and
    so on a `RowFrame`: a nonempty matrix of at most compile_options.QUICK_ELEMENTS once its
    rows are padded, so that frame and exact program are compiled alike."""
    rows, columns = matrix_shape(shape, axes)
    return rows > 0 and 0 < frame_rows(rows) * columns <= compile_options.QUICK_ELEMENTS


def _padded(value, length, pad, device, layout=None):
    host = np.asarray(value)
    flat = np.full(length, pad, host.dtype)
    flat[:host.size] = host.ravel()
    return jax.device_put(flat if layout is None else flat.reshape(layout), device)


def _cut(flat, size, shape, device):
    return jax.device_put(np.asarray(flat).reshape(-1)[:size].reshape(shape), device)


def gathered(flat_args, indices):
    """Each flat argument read at its frame positions."""
    return [flat.at[index].get(mode='promise_in_bounds')
            for flat, index in zip(flat_args, indices)]
