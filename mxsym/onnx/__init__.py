"""`mx.onnx`: models written as ONNX (`export_model`) and read back (`import_model`), so they
leave mxsym for onnxruntime, TensorRT, OpenVINO or another framework. Needs the onnx package."""
from .export import export_model, get_operator_support  # noqa: F401
from .import_ import get_model_metadata, import_model  # noqa: F401
