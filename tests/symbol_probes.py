"""What the symbol goldens record about a Symbol, shared by the generator (run under MXNet 1.9.1)
and the tests (run under mxsym), so both sides compute every probe the same way."""
import builtins
import json
import warnings
from pathlib import Path

import numpy as np

ATTR_KEYS = ['name', 'num_hidden', 'kernel', 'act_type', '__shape__', '__dtype__', '__init__',
             'lr_mult', '__lr_mult__', 'ctx_group', '__ctx_group__', '__foo__']

PROBES = {
    'repr': repr,
    'name': lambda sym: sym.name,
    'list_arguments': lambda sym: sym.list_arguments(),
    'list_outputs': lambda sym: sym.list_outputs(),
    'list_auxiliary_states': lambda sym: sym.list_auxiliary_states(),
    'list_inputs': lambda sym: sym.list_inputs(),
    'len': len,
    'iter': lambda sym: [repr(item) for item in sym],
    'internals': lambda sym: sym.get_internals().list_outputs(),
    'children': lambda sym: repr(sym.get_children()),
    'attr_dict': lambda sym: sym.attr_dict(),
    'list_attr': lambda sym: sym.list_attr(),
    'attr': lambda sym: {key: sym.attr(key) for key in ATTR_KEYS},
    'tojson': lambda sym: sym.tojson(),
}


def golden(name):
    """The content of golden/<name>."""
    return json.loads((Path(__file__).parent / 'golden' / name).read_text())


def plain(value):
    """`value` as JSON data: tuples become lists, numpy scalar types their dtype names."""
    return json.loads(json.dumps(value, default=lambda t: np.dtype(t).name))


def run_snippet(mx, source):
    """Execute a golden snippet with `mx` and `np` in scope; returns its namespace."""
    namespace = {'mx': mx, 'np': np}
    exec(source, namespace)
    return namespace


def infer(sym, method, kwargs):
    """`sym.infer_shape(**kwargs)` or `sym.infer_type(**kwargs)` with the warnings it gives;
    shapes come as lists (from JSON) and are passed as tuples."""
    if method == 'infer_shape':
        kwargs = {name: tuple(shape) for name, shape in kwargs.items()}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        result = getattr(sym, method)(**kwargs)
    return {'result': plain(result), 'warnings': [str(w.message) for w in caught]}


def standard_base(exc_type, mx_base):
    """The most specific class of `exc_type` that is builtin or one of MXNet's own errors."""
    for cls in exc_type.__mro__:
        if cls in (getattr(builtins, cls.__name__, None), getattr(mx_base, cls.__name__, None)):
            return cls.__name__
    raise AssertionError(exc_type)


def resolve_base(name, mx_base):
    """The class named by `standard_base`, looked up among the builtins, then in `mx.base`."""
    return getattr(builtins, name, None) or getattr(mx_base, name)
