"""Tests for mxsym/rnn/checkpoint.py: checkpoints hold the cells' unpacked weights and load
packed again."""
import numpy as np

import mxsym as mx


def fused_model():
    cell = mx.rnn.FusedRNNCell(3, num_layers=2, mode='lstm', prefix='m_')
    out, _ = cell.unroll(2, mx.sym.Variable('data'), layout='TNC', merge_outputs=True)
    args = {'m_parameters': mx.nd.array(np.arange(204, dtype=np.float32)),
            'data': mx.nd.zeros((2, 1, 4))}
    return cell, out, args


def test_save_writes_unpacked_weights_and_load_packs(tmp_path):
    cell, out, args = fused_model()
    prefix = str(tmp_path / 'model')
    mx.rnn.save_rnn_checkpoint(cell, prefix, 3, out, args, {})
    saved = mx.nd.load('%s-0003.params' % prefix)
    assert 'arg:m_parameters' not in saved
    assert saved['arg:m_l0_i2h_i_weight'].shape == (3, 4)
    assert saved['arg:m_l1_i2h_o_weight'].shape == (3, 3)
    sym, arg, aux = mx.rnn.load_rnn_checkpoint([cell], prefix, 3)
    assert sym.tojson() == out.tojson()
    assert sorted(arg) == ['data', 'm_parameters'] and aux == {}
    np.testing.assert_array_equal(arg['m_parameters'].asnumpy(),
                                  args['m_parameters'].asnumpy())


def test_do_rnn_checkpoint_every_period(tmp_path):
    cell, out, args = fused_model()
    prefix = str(tmp_path / 'cb')
    callback = mx.rnn.do_rnn_checkpoint(cell, prefix, period=2)
    for epoch in range(4):
        callback(epoch, out, args, {})
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        'cb-0002.params', 'cb-0004.params', 'cb-symbol.json']
