"""`mx.mod`: train and run a symbol with `Module` (bind, init_params, init_optimizer, fit, ...);
`BucketingModule` (a symbol per bucket key, parameters shared), `SequentialModule` (modules
chained) and `PythonModule` / `PythonLossModule` (computed in Python)."""
from .base_module import BaseModule
from .bucketing_module import BucketingModule
from .module import Module
from .python_module import PythonLossModule, PythonModule
from .sequential_module import SequentialModule

__all__ = ['BaseModule', 'BucketingModule', 'Module', 'PythonLossModule', 'PythonModule',
           'SequentialModule']
