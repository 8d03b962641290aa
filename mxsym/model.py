"""`mx.model` checkpoints: ``prefix-symbol.json`` plus ``prefix-EPOCH.params``, as MXNet writes.

The params file holds arguments as ``arg:<name>`` and aux states as ``aux:<name>``.
"""
import logging
from collections import namedtuple

from . import ndarray as nd
from .base import MXNetError
from .infer import declared_shape, infer_shape_table
from .ops.rules import merge_shapes
from .symbol import load as load_symbol

BatchEndParam = namedtuple('BatchEndParams', ['epoch', 'nbatch', 'eval_metric', 'locals'])
BatchEndParam.__doc__ = 'What a batch-end (or score-end) callback is given.'


def save_checkpoint(prefix, epoch, symbol, arg_params, aux_params, remove_amp_cast=True):
    """Write the symbol (when given) and the parameters of one epoch."""
    if symbol is not None:
        symbol.save('%s-symbol.json' % prefix, remove_amp_cast=remove_amp_cast)
    saved = {'arg:%s' % k: v for k, v in arg_params.items()}
    saved.update({'aux:%s' % k: v for k, v in aux_params.items()})
    param_name = '%s-%04d.params' % (prefix, epoch)
    nd.save(param_name, saved)
    logging.info('Saved checkpoint to "%s"', param_name)


def load_params(prefix, epoch):
    """(arg_params, aux_params) from ``prefix-EPOCH.params``."""
    fname = '%s-%04d.params' % (prefix, epoch)
    loaded = nd.load(fname)
    if not isinstance(loaded, dict):
        raise MXNetError('%s holds no parameter names (a list of arrays was saved)' % fname)
    arg_params, aux_params = {}, {}
    for key, value in loaded.items():
        kind, sep, name = key.partition(':')
        if not sep or kind not in ('arg', 'aux'):
            raise MXNetError("%s: parameter '%s' is not named arg:<name> or aux:<name>"
                             % (fname, key))
        (arg_params if kind == 'arg' else aux_params)[name] = value
    return arg_params, aux_params


def load_checkpoint(prefix, epoch):
    """(symbol, arg_params, aux_params) of a checkpoint."""
    symbol = load_symbol('%s-symbol.json' % prefix)
    arg_params, aux_params = load_params(prefix, epoch)
    _check_params_fit(symbol, arg_params, aux_params, prefix, epoch)
    return symbol, arg_params, aux_params


def _check_params_fit(symbol, arg_params, aux_params, prefix, epoch):
    """Refuse parameters whose shapes the graph rules out (a params file of another model or
    width), naming the node, the parameter and both shapes."""
    inputs = set(symbol.list_arguments()) | set(symbol.list_auxiliary_states())
    shapes = {name: tuple(value.shape) for params in (arg_params, aux_params)
              for name, value in params.items() if name in inputs}
    try:
        for node in symbol._nodes():   # shapes given at inference override declared ones
            declared = declared_shape(node) if node.op is None else None
            given = shapes.get(node.name)
            if declared and given and merge_shapes(declared, given) is None:
                raise MXNetError('%s: given shape is %s but the graph declares %s'
                                 % (node.name, given, declared))
        infer_shape_table(symbol, shapes)
    except MXNetError as err:
        raise MXNetError('%s-%04d.params does not fit %s-symbol.json: %s'
                         % (prefix, epoch, prefix, err)) from None
