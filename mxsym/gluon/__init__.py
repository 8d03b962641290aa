"""`mx.gluon`: MXNet's imperative and hybrid model API (Blocks, Parameters, Trainer, losses,
layers) on mxsym's arrays, autograd tape and compiled graphs."""
from .parameter import Parameter, Constant, ParameterDict, DeferredInitializationError  # noqa: F401
from .block import Block, HybridBlock, SymbolBlock  # noqa: F401
from .trainer import Trainer  # noqa: F401
from . import nn, rnn, loss, utils  # noqa: F401
