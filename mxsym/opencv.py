"""OpenCV (``opencv-python-headless``, the ``image`` extra): the decoder, encoder and resizer
of `mx.image`, `mx.recordio.pack_img` / `unpack_img` and `mx.io.ImageRecordIter`, as in
MXNet, whose image functions are OpenCV's."""
from .base import MXNetError

_cv2 = None


def cv2_module():
    """The `cv2` module, imported on first use; MXNetError naming the extra when missing."""
    global _cv2
    if _cv2 is None:
        try:
            import cv2
        except ImportError:
            raise MXNetError('mx.image needs OpenCV: pip install opencv-python-headless '
                             '(or mxsym[image])') from None
        _cv2 = cv2
    return _cv2
