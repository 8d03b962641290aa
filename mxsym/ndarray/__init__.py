"""`mx.nd`: MXNet's imperative arrays (ndarray.py) and the registry's ops run eagerly on them,
as ``mx.nd.<op>``, ``mx.nd.linalg.<op>`` ... (imperative.py); contrib.py adds MXNet's
Python-level contrib helpers to the ``_contrib_`` ops; sparse.py holds ``mx.nd.sparse``, csr and
row_sparse arrays (held densely)."""
from . import ndarray
from .ndarray import *  # noqa: F401,F403
from . import contrib, sparse


def __getattr__(name):
    try:
        return ndarray.op_functions()[name]
    except KeyError:
        raise AttributeError("module 'mxsym.ndarray' has no attribute '%s'" % name) from None


def __dir__():
    return sorted(set(globals()) | set(ndarray.op_functions()))
