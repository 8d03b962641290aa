"""Every operator, declared once per family; importing this package registers them all, so
`get` and `all_ops` here see every built-in op."""
from ..ops_registry import all_ops, get  # noqa: F401
from . import (broadcast, contrib, correlation, deformable, elemwise, im2col,  # noqa: F401
               indexing, linalg, loss, nn, norm, pdf, pooling, random, reduce, region, rnn,
               sequence, shape, softmax, sparse_reg, spatial, storage, unary)
from . import amp, attention, boxes, hawkes, image, indices, pointwise, proposal  # noqa: F401
from . import quantization, sketch  # noqa: F401
from . import control_flow  # noqa: F401
from . import optimizer_ops  # noqa: F401
from . import numpy_mode  # noqa: F401
