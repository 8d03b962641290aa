"""`mx.nd.contrib`: the registry's ``_contrib_`` ops by their short names, and MXNet's
Python-level contrib helpers."""
import numpy as np

from . import ndarray


def isinf(data):
    """1 where `data` is +inf or -inf, else 0."""
    return data.abs() == np.inf


def isfinite(data):
    """1 where `data` is neither infinite nor NaN, else 0."""
    return (data.abs() != np.inf) * (data == data)


def isnan(data):
    """1 where `data` is NaN, else 0."""
    return data != data


def __getattr__(name):
    try:
        return getattr(ndarray.op_functions()['contrib'], name)
    except AttributeError:
        raise AttributeError("module 'mxsym.ndarray.contrib' has no attribute '%s'"
                             % name) from None
