"""Every operator, declared once per family; importing this package registers them all."""
from . import (broadcast, contrib, elemwise, indexing, linalg, loss, nn, random, reduce, rnn,  # noqa: F401
               sequence, shape, softmax, unary)
