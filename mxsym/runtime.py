"""`mx.runtime`: which of MXNet's compile-time features this build offers.

MXNet reports the options its library was compiled with; mxsym reports the same names, enabled
where it offers the behaviour: CUDA and CUDNN when JAX sees a GPU, LAPACK for the linalg ops.
"""
import collections

import jax

_FEATURE_NAMES = ('CUDA', 'CUDNN', 'NCCL', 'CUDA_RTC', 'TENSORRT', 'CPU_SSE', 'CPU_SSE2',
                  'CPU_SSE3', 'CPU_SSE4_1', 'CPU_SSE4_2', 'CPU_SSE4A', 'CPU_AVX', 'CPU_AVX2',
                  'OPENMP', 'SSE', 'F16C', 'JEMALLOC', 'BLAS_OPEN', 'BLAS_ATLAS', 'BLAS_MKL',
                  'BLAS_APPLE', 'LAPACK', 'MKLDNN', 'OPENCV', 'CAFFE', 'PROFILER', 'DIST_KVSTORE',
                  'CXX14', 'INT64_TENSOR_SIZE', 'SIGNAL_HANDLER', 'DEBUG', 'TVM_OP')


class Feature(collections.namedtuple('Feature', ['name', 'enabled'])):
    """One feature: its `name` and whether it is `enabled`."""

    def __repr__(self):
        return '%s %s' % ('\u2714' if self.enabled else '\u2716', self.name)


def _enabled():
    has_gpu = any(device.platform == 'gpu' for device in jax.devices())
    return {'CUDA': has_gpu, 'CUDNN': has_gpu, 'LAPACK': True}


def feature_list():
    """Every feature, as a list of `Feature`."""
    enabled = _enabled()
    return [Feature(name, enabled.get(name, False)) for name in _FEATURE_NAMES]


class Features(collections.OrderedDict):
    """{name: Feature}, made once."""

    instance = None

    def __new__(cls):
        if cls.instance is None:
            cls.instance = super().__new__(cls)
            super(Features, cls.instance).__init__((f.name, f) for f in feature_list())
        return cls.instance

    def __init__(self):
        """Filled once, by `__new__`."""

    def __repr__(self):
        return str(list(self.values()))

    def is_enabled(self, feature_name):
        """Whether the feature (case-insensitive name) is enabled; RuntimeError if unknown."""
        name = feature_name.upper()
        if name not in self:
            raise RuntimeError("Feature '%s' is unknown, known features are: %s"
                               % (name, list(self.keys())))
        return self[name].enabled
