"""`mx.mod`: train and run a symbol with `Module` (bind, init_params, init_optimizer, fit, ...)."""
from .base_module import BaseModule
from .module import Module

__all__ = ['BaseModule', 'Module']
