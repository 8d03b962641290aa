"""Tests for mxsym/ops/im2col.py: golden cases recorded from MXNet 1.9.1, and the shapes
col2im refuses."""
import pytest

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'im2col')


def test_col2im_refuses_columns_that_do_not_fit_output_size():
    net = mx.sym.col2im(mx.sym.var('data'), output_size=(4, 4), kernel=(2, 2))
    with pytest.raises(mx.MXNetError, match='does not fit output_size'):
        net.infer_shape(data=(1, 8, 10))


def test_kernel_larger_than_padded_input_is_refused():
    net = mx.sym.im2col(mx.sym.var('data'), kernel=(5, 5))
    with pytest.raises(mx.MXNetError, match='kernel size exceed input'):
        net.infer_shape(data=(1, 1, 3, 3))
