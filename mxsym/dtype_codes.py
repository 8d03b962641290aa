"""MXNet's numeric dtype codes: in variables' ``__dtype__`` attrs, ``.params`` files and the
type lists of Python custom ops. One table for all of them."""
import jax.numpy as jnp

from .base import MXNetError

DTYPE_CODES = {0: 'float32', 1: 'float64', 2: 'float16', 3: 'uint8', 4: 'int32', 5: 'int8',
               6: 'int64', 7: 'bool', 12: 'bfloat16'}
CODE_OF_DTYPE = {name: code for code, name in DTYPE_CODES.items()}
UNKNOWN = -1


def code_of(dtype):
    """The code of a dtype given any way numpy or JAX accept (a name, a type, a dtype)."""
    name = jnp.dtype(dtype).name
    if name not in CODE_OF_DTYPE:
        raise MXNetError('dtype %s has no MXNet code (MXNet has %s)'
                         % (name, ', '.join(CODE_OF_DTYPE)))
    return CODE_OF_DTYPE[name]


def variable_dtype(node):
    """The dtype name a variable's ``__dtype__`` attr fixes, or None (no attr, or -1)."""
    text = node.attrs.get('__dtype__')
    if text is None:
        return None
    try:
        code = int(text)
    except ValueError:
        code = None
    if code == UNKNOWN:
        return None
    if code not in DTYPE_CODES:
        raise MXNetError('variable %s: __dtype__ %r is not an MXNet dtype code (%s)'
                         % (node.name, text, ', '.join('%d %s' % item
                                                       for item in DTYPE_CODES.items())))
    return DTYPE_CODES[code]
