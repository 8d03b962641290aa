"""`mx.gluon.nn`: neural network layers."""
from ..block import Block, HybridBlock, SymbolBlock  # noqa: F401
from .activations import Activation, LeakyReLU, PReLU, ELU, SELU, GELU, Swish  # noqa: F401
from .basic_layers import (Sequential, HybridSequential, Dense, Dropout,  # noqa: F401
                           BatchNorm, LayerNorm, InstanceNorm, GroupNorm, Embedding,
                           Flatten, ReflectionPad2D, Lambda, HybridLambda)
from .conv_layers import (Conv1D, Conv2D, Conv3D, Conv1DTranspose, Conv2DTranspose,  # noqa: F401
                          Conv3DTranspose, MaxPool1D, MaxPool2D, MaxPool3D, AvgPool1D,
                          AvgPool2D, AvgPool3D, GlobalMaxPool1D, GlobalMaxPool2D,
                          GlobalMaxPool3D, GlobalAvgPool1D, GlobalAvgPool2D, GlobalAvgPool3D)
