"""The operator golden-case tables, one module per mxsym/ops family, each with a `cases()`.

A case names an ``mx.sym`` function (or a Python expression over the variables), its kwargs, the
input shapes and dtype, and value recipes; make_ops_golden.py records what MXNet 1.9.1 does.
"""
import importlib
import pkgutil


def case(case_id, op, shapes, kwargs=None, variables=('data',), dtype='float32', values=None,
         positional=False, grad_req='write', environment=None):
    """One table entry.

    op: an ``mx.sym`` function name, called with the variables as keyword inputs (positionally
    when ``positional``), or a Python expression over the variables (``'a + 2.5'``).
    shapes: the shapes given to infer_shape and simple_bind; dtype is the type of each of them.
    values: recipes (see ``make_value``) keyed by argument name or name suffix; other arguments
    get 'normal' (float) or small integers.
    grad_req: 'null' for ops MXNet registers without a gradient (it cannot bind them with
    gradients): the forwards are recorded, the backward is not.
    environment: variables set while the case is recorded and replayed (MXNet settings such
    as MXNET_SAFE_ACCUMULATION); give such a case shapes no other case of its op has, as mxsym
    reads the settings when it builds a program.
    """
    spec = {'id': case_id, 'op': op, 'kwargs': kwargs or {}, 'variables': list(variables),
            'positional': positional, 'shapes': shapes,
            'types': {name: dtype for name in shapes}, 'values': values or {},
            'grad_req': grad_req}
    if environment:
        spec['environment'] = environment
    return spec


def expr(case_id, op, shapes, **options):
    """A case built from Python operators on the variables named in shapes."""
    return case(case_id, op, shapes, variables=tuple(shapes), **options)


def families():
    """{family name: cases function} for every table module in this package."""
    return {info.name: importlib.import_module('op_cases.' + info.name).cases
            for info in pkgutil.iter_modules(__path__)}
