"""XLA options for the programs mxsym compiles. On a CPU, XLA hands convolutions to YNNPACK by
default; XLA's own convolutions ran the benchmarked networks faster (ResNet-18 training 22%,
inference 29%; MobileNet training unchanged), so mxsym's programs keep YNNPACK for matrix
products and reductions only.

A program over small arrays (an op tried on one random shape after another, a graph bound for
a few values) runs in microseconds however XLA compiles it, while compiling it takes tens of
milliseconds: such programs are compiled without LLVM's optimisations and with XLA's older
loop emitters, a third of the compile time. A setting of the user's own in ``XLA_FLAGS``
wins."""
import functools
import math
import os

import jax
import numpy as np

from .base import renamed

CPU_OPTIONS = {'xla_cpu_experimental_ynn_fusion_type':
               'LIBRARY_FUSION_TYPE_INDIVIDUAL_DOT,LIBRARY_FUSION_TYPE_REDUCE'}
# What a small program is compiled with besides, and how small it is: no input or output
# array of more elements than this.
QUICK_OPTIONS = {'xla_backend_optimization_level': 0, 'xla_cpu_use_fusion_emitters': False,
                 'xla_cpu_parallel_codegen_split_count': 1}
QUICK_ELEMENTS = 4096


def _usable(options):
    """`options` where they apply, else None: another default backend than the CPU, the
    user's own setting of one of them, or a JAX or XLA that does not know them."""
    if jax.default_backend() != 'cpu' or any(
            name in os.environ.get('XLA_FLAGS', '') for name in options):
        return None
    try:
        jax.jit(lambda x: x + 1, compiler_options=options).lower(np.float32(0)).compile()
    except Exception:   # an older JAX (no compiler_options) or XLA (no such option)
        return None
    return options


@functools.lru_cache(maxsize=None)
def compiler_options():
    """The options of every program in this process, or None where they do not apply."""
    return _usable(CPU_OPTIONS)


@functools.lru_cache(maxsize=None)
def quick_options():
    """The options a small program adds, or None where they do not apply."""
    return _usable(QUICK_OPTIONS)


def is_small(lowered):
    """Whether a lowered program's inputs and outputs are all small arrays."""
    arrays = jax.tree_util.tree_leaves((lowered.in_avals, lowered.out_info))
    return all(math.prod(array.shape) <= QUICK_ELEMENTS for array in arrays)


def compile_lowered(lowered, quick=False):
    """(executable, whether it was compiled quickly) of a lowered program: quickly when its
    arrays are small, or where `quick`."""
    options = quick_options() if quick or is_small(lowered) else None
    return (lowered.compile(options), True) if options else (lowered.compile(), False)


def jit(function, name=None):
    """`jax.jit(function)` compiling with mxsym's options; `name` names its XLA program
    (``jit_<name>``, what a profile shows)."""
    if name is not None:
        function = renamed(function, name)
    options = compiler_options()
    return jax.jit(function, compiler_options=options) if options else jax.jit(function)

