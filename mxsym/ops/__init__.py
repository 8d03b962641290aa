"""Every operator, declared once per family; importing this package registers them all."""
from . import (broadcast, contrib, elemwise, indexing, linalg, loss, nn, norm,  # noqa: F401
               random, reduce, rnn, sequence, shape, softmax, spatial, unary)
