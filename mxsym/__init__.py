"""mxsym: MXNet 1.x's Symbol API on JAX. ``import mxsym as mx`` and symbol scripts run unchanged."""
import sys

import numpy

# importing JAX draws from NumPy's global generator (its cluster detection); a script that
# seeds NumPy before `import mxnet` must see the same draws as with MXNet: restored below
_numpy_random_state = numpy.random.get_state()

from .logs import quiet_libraries  # noqa: E402

quiet_libraries()   # before JAX and Graphviz are imported: Graphviz logs at its import
import jax  # noqa: E402

from .host_memory import keep_freed_memory  # noqa: E402

keep_freed_memory()   # before XLA's threads start allocating
jax.config.update('jax_enable_x64', True)

from .base import MXNetError, NotImplementedForSymbol  # noqa: E402
from .context import Context, cpu, cpu_pinned, gpu, num_gpus, current_context  # noqa: E402
from . import name, attribute  # noqa: E402
from .attribute import AttrScope  # noqa: E402
from . import initializer  # noqa: E402
from . import initializer as init  # noqa: E402
from . import ndarray  # noqa: E402
from . import ndarray as nd  # noqa: E402
from . import ndarray_random  # noqa: E402
ndarray.random = ndarray_random   # mx.nd.random: built on mx.nd, so attached from above it
from . import random  # noqa: E402
from . import autograd  # noqa: E402
from . import runtime  # noqa: E402
from . import util  # noqa: E402
from .util import np_shape, set_np_shape, is_np_shape, use_np_shape  # noqa: E402
from .util import np_array, is_np_array, use_np_array, use_np, set_np, reset_np  # noqa: E402,F401
from . import lr_scheduler  # noqa: E402
from . import optimizer  # noqa: E402
from . import symbol  # noqa: E402
from . import symbol as sym  # noqa: E402
from . import symbol_random  # noqa: E402
symbol.random = symbol_random   # mx.sym.random: built on mx.sym, so attached from above it
from . import cached_op  # noqa: E402
ndarray.CachedOp = cached_op.CachedOp   # mx.nd.CachedOp runs a Symbol: attached from above both
from . import symbol_contrib  # noqa: E402
symbol.contrib = symbol_contrib   # mx.sym.contrib: the control-flow builders and _contrib_ ops
from . import contrib  # noqa: E402
from . import model  # noqa: E402
from . import visualization  # noqa: E402
from . import visualization as viz  # noqa: E402
from . import monitor  # noqa: E402
from . import monitor as mon  # noqa: E402
from .executor import Executor  # noqa: E402
from . import io, metric, callback  # noqa: E402
from . import recordio  # noqa: E402
from . import image  # noqa: E402
from . import image as img  # noqa: E402
from . import kvstore  # noqa: E402
from . import kvstore as kv  # noqa: E402
from . import module  # noqa: E402
from . import module as mod  # noqa: E402
from . import gluon  # noqa: E402
from . import rnn  # noqa: E402
initializer.FusedRNN = rnn.FusedRNN   # mx.init.FusedRNN is built on the cells: attached from above
from . import operator  # noqa: E402
from . import profiler  # noqa: E402
from .jax_interop import to_jax  # noqa: E402
from .export import export  # noqa: E402
from . import onnx  # noqa: E402
from . import test_utils  # noqa: E402
test_utils.mx = sys.modules[__name__]   # MXNet's test_utils hands its package out as `mx`
numpy.random.set_state(_numpy_random_state)
del _numpy_random_state

__version__ = '0.1.0'
