"""mx.io.MNISTIter, CSVIter and LibSVMIter against MXNet 1.9.1's batches on the same files."""
import numpy as np
import pytest

import mxsym as mx
from mxsym.base import MXNetError
from recordio_golden import arrays, batches, golden, path

MNIST_CASES = {'shuffle_flat': dict(batch_size=8, shuffle=True, flat=True, seed=3),
               'shuffle_default_seed': dict(batch_size=10),
               'ordered_part': dict(batch_size=4, shuffle=False, num_parts=3, part_index=1)}


@pytest.mark.parametrize('name', sorted(MNIST_CASES))
def test_mnist_batches_match_mxnet(name):
    """MXNet's shuffle order (std::shuffle with mt19937), scaling by 1/256, whole batches only;
    labels read from a gzip file."""
    it = mx.io.MNISTIter(image=path('mnist-images-idx3-ubyte'),
                         label=path('mnist-labels-idx1-ubyte.gz'), silent=True,
                         **MNIST_CASES[name])
    assert list(it.provide_data[0].shape) == golden()['mnist/' + name]['provide_data']
    got = batches(it)
    np.testing.assert_array_equal(np.stack([b[0] for b in got]),
                                  arrays()['mnist/%s/data' % name])
    np.testing.assert_array_equal(np.stack([b[1] for b in got]),
                                  arrays()['mnist/%s/label' % name])


def test_mnist_iter_next_getlabel_and_bad_file(tmp_path):
    it = mx.io.MNISTIter(image=path('mnist-images-idx3-ubyte'),
                         label=path('mnist-labels-idx1-ubyte.gz'), batch_size=10, silent=True)
    assert it.iter_next()
    first = it.getlabel().asnumpy()
    it.iter_next()
    it.reset()
    it.iter_next()
    np.testing.assert_array_equal(it.getlabel().asnumpy(), first)
    (tmp_path / 'bad').write_bytes(b'\0\0\x08\x01' + b'\0' * 12)
    with pytest.raises(MXNetError, match='magic number 2049, expected 2051'):
        mx.io.MNISTIter(image=str(tmp_path / 'bad'), label=path('mnist-labels-idx1-ubyte.gz'))


CSV_CASES = {'wrap': dict(data_shape=(2, 3), label_csv='label.csv', label_shape=(2,),
                          batch_size=4),
             'no_round': dict(data_shape=(6,), batch_size=4, round_batch=False),
             'int32': dict(data_shape=(6,), batch_size=5, dtype='int32')}


@pytest.mark.parametrize('name', sorted(CSV_CASES))
def test_csv_batches_match_mxnet(name):
    kwargs = dict(CSV_CASES[name])
    if 'label_csv' in kwargs:
        kwargs['label_csv'] = path(kwargs['label_csv'])
    got = batches(mx.io.CSVIter(data_csv=path('data.csv'), **kwargs))
    assert [b[2] for b in got] == golden()['csv/' + name]['pads']
    data = np.stack([b[0] for b in got])
    assert data.dtype == arrays()['csv/%s/data' % name].dtype
    np.testing.assert_array_equal(data, arrays()['csv/%s/data' % name])
    np.testing.assert_array_equal(np.stack([b[1] for b in got]),
                                  arrays()['csv/%s/label' % name])


def test_csv_row_length_error():
    with pytest.raises(MXNetError, match=r'data\.csv line 1: .*shape=\[4\], the csv '
                                         r'row-length=6'):
        mx.io.CSVIter(data_csv=path('data.csv'), data_shape=(4,), batch_size=2)


@pytest.mark.parametrize('name', ['labels_in_data', 'label_file'])
def test_libsvm_batches_match_mxnet(name):
    kwargs = {} if name == 'labels_in_data' else dict(label_libsvm=path('label.libsvm'),
                                                      label_shape=(2,))
    it = mx.io.LibSVMIter(data_libsvm=path('data.libsvm'), data_shape=(5,), batch_size=3,
                          **kwargs)
    batch = it.next()
    assert batch.data[0].stype == 'csr'
    batch.data[0].check_format(True)
    it.reset()
    got = batches(it)
    assert [b[2] for b in got] == golden()['libsvm/' + name]['pads']
    np.testing.assert_allclose(np.stack([b[0] for b in got]),
                               arrays()['libsvm/%s/data' % name])
    np.testing.assert_allclose(np.stack([b[1] for b in got]),
                               arrays()['libsvm/%s/label' % name])


def test_libsvm_bad_index(tmp_path):
    bad = tmp_path / 'bad.t'
    bad.write_text('1 0:1\n2 -1:3\n')
    with pytest.raises(MXNetError, match=r'bad\.t line 2: feature index -1'):
        mx.io.LibSVMIter(data_libsvm=str(bad), data_shape=(3,), batch_size=1)
