"""mx.gluon.utils: splitting batches over contexts, clipping by the global norm."""
import numpy as np
import pytest

import mxsym as mx
from mxsym import gluon


def test_split_and_load_over_contexts():
    data = np.arange(12).reshape(6, 2)
    pieces = gluon.utils.split_and_load(data, [mx.cpu(0), mx.cpu(0)])
    assert [p.context for p in pieces] == [mx.cpu(0), mx.cpu(0)]
    np.testing.assert_array_equal(pieces[1].asnumpy(), data[3:])
    uneven = gluon.utils.split_data(mx.nd.array(data), 4, even_split=False)
    assert [p.shape[0] for p in uneven] == [2, 2, 1, 1]
    along = gluon.utils.split_data(mx.nd.array(data), 2, batch_axis=1)
    np.testing.assert_array_equal(along[0].asnumpy(), data[:, :1])
    with pytest.raises(ValueError, match="evenly split"):
        gluon.utils.split_data(mx.nd.array(data), 4)


def test_clip_global_norm():
    arrays = [mx.nd.array([3.0, 0.0]), mx.nd.array([[4.0]])]
    norm = gluon.utils.clip_global_norm(arrays, 1.0)
    assert norm == pytest.approx(5.0)
    np.testing.assert_allclose(arrays[0].asnumpy(), [0.6, 0.0], rtol=1e-5)
