"""XLA options for the programs mxsym compiles. On a CPU, XLA hands convolutions to YNNPACK by
default; XLA's own convolutions ran the benchmarked networks faster (ResNet-18 training 22%,
inference 29%; MobileNet training unchanged), so mxsym's programs keep YNNPACK for matrix
products and reductions only. A setting of the user's own in ``XLA_FLAGS`` wins."""
import functools
import os

import jax
import numpy as np

from .base import renamed

CPU_OPTIONS = {'xla_cpu_experimental_ynn_fusion_type':
               'LIBRARY_FUSION_TYPE_INDIVIDUAL_DOT,LIBRARY_FUSION_TYPE_REDUCE'}


@functools.lru_cache(maxsize=None)
def compiler_options():
    """The options for this process, or None where they do not apply: another default
    backend, the user's own setting, or a JAX or XLA that does not know them."""
    if jax.default_backend() != 'cpu' or any(
            name in os.environ.get('XLA_FLAGS', '') for name in CPU_OPTIONS):
        return None
    try:
        jax.jit(lambda x: x + 1, compiler_options=CPU_OPTIONS).lower(np.float32(0)).compile()
    except Exception:   # an older JAX (no compiler_options) or XLA (no such option)
        return None
    return CPU_OPTIONS


def jit(function, name=None):
    """`jax.jit(function)` compiling with mxsym's options; `name` names its XLA program
    (``jit_<name>``, what a profile shows)."""
    if name is not None:
        function = renamed(function, name)
    options = compiler_options()
    return jax.jit(function, compiler_options=options) if options else jax.jit(function)

