"""`mx.contrib`: MXNet's other spelling of the contrib namespaces, `mx.contrib.nd` (also
`ndarray`) for `mx.nd.contrib` and `mx.contrib.sym` (also `symbol`) for `mx.sym.contrib`."""
from .. import symbol_contrib
from ..ndarray import contrib as ndarray_contrib

nd = ndarray = ndarray_contrib
sym = symbol = symbol_contrib
