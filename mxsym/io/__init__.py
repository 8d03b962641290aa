"""`mx.io`: data descriptions, batches and the iterators that feed `mx.mod.Module`: in-memory
arrays (`NDArrayIter`), MNIST, CSV and LibSVM files, and RecordIO image files
(`ImageRecordIter`)."""
from .io import (DataDesc, DataBatch, DataIter, ResizeIter, PrefetchingIter, NDArrayIter)
from .mnist_iter import MNISTIter
from .text_iters import CSVIter, LibSVMIter
from .image_record_iter import ImageRecordIter, ImageRecordUInt8Iter, ImageRecordInt8Iter

__all__ = ['DataDesc', 'DataBatch', 'DataIter', 'ResizeIter', 'PrefetchingIter', 'NDArrayIter',
           'MNISTIter', 'CSVIter', 'LibSVMIter', 'ImageRecordIter',
           'ImageRecordUInt8Iter', 'ImageRecordInt8Iter']
