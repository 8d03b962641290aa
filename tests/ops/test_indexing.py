"""Golden tests for mxsym/ops/indexing.py against MXNet 1.9.1: pick, take, one_hot, where, topk,
sort, argsort, gather_nd, scatter_nd; batch_take, which MXNet cannot bind with gradients,
against its MXNet values."""
import numpy as np

import mxsym as mx
from golden_case import golden_tests

test_symbol, test_forward_backward = golden_tests(mx, 'indexing')


def test_batch_take():
    """batch_take has no gradient in MXNet, so the golden recorder (which binds gradients)
    cannot record it. MXNet 1.9.1 clips out-of-range indices and types indices int32."""
    a, indices = mx.sym.var('a'), mx.sym.var('indices')
    sym = mx.sym.batch_take(a, indices)
    assert sym.infer_type(a='float32') == ([np.float32, np.int32], [np.float32], [])
    assert sym.infer_shape(a=(3, 4), indices=(3,)) == ([(3, 4), (3,)], [(3,)], [])
    exe = sym.simple_bind(mx.cpu(), grad_req='null', a=(3, 4), indices=(3,),
                          type_dict={'a': 'float32', 'indices': 'int32'})
    exe.forward(a=np.arange(12).reshape(3, 4), indices=np.array([0, 5, -1]))
    np.testing.assert_array_equal(exe.outputs[0].asnumpy(), [0, 7, 8])
