"""`mx.contrib.amp`: automatic mixed precision for symbols (`amp.convert_symbol`,
`amp.convert_model`), importable as ``from mxnet.contrib.amp import amp`` too."""
from . import amp
from .amp import *  # noqa: F401,F403
