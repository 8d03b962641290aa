"""mx.callback: the progress lines and checkpoints `fit` callbacks produce, in MXNet's words."""
import logging
import os
import re

import mxsym as mx


def _param(nbatch, metric, epoch=1):
    return mx.model.BatchEndParam(epoch=epoch, nbatch=nbatch, eval_metric=metric, locals=None)


def _lines(caplog):
    return [r.getMessage() for r in caplog.records if r.name == 'root']


def _accuracy_half():
    metric = mx.metric.Accuracy()
    metric.update([mx.nd.array([1, 0])], [mx.nd.array([[0.2, 0.8], [0.3, 0.7]])])
    return metric


def test_speedometer_lines(caplog):
    caplog.set_level(logging.INFO)
    metric = _accuracy_half()
    speedometer = mx.callback.Speedometer(batch_size=4, frequent=2)
    for nbatch in range(5):
        speedometer(_param(nbatch, metric))
    lines = _lines(caplog)
    assert len(lines) == 2
    assert re.fullmatch(r'Epoch\[1\] Batch \[0-2\]\tSpeed: [\d.]+ samples/sec\taccuracy=0\.500000',
                        lines[0])
    # auto_reset cleared the local counts after the first line; the global ones remain
    assert lines[1].endswith('accuracy=nan') and metric.get_global() == ('accuracy', 0.5)

    caplog.clear()
    no_metric = mx.callback.Speedometer(batch_size=4, frequent=1)
    no_metric(_param(0, None))
    no_metric(_param(1, None))
    assert re.fullmatch(r'Iter\[1\] Batch \[1\]\tSpeed: [\d.]+ samples/sec',
                        _lines(caplog)[0])


def test_log_train_metric_and_progress_bar(caplog):
    caplog.set_level(logging.INFO)
    mx.callback.log_train_metric(period=2)(_param(4, _accuracy_half()))
    mx.callback.ProgressBar(total=4, length=8)(_param(1, None))
    assert _lines(caplog) == [
        'Iter[1] Batch[4] Train-accuracy=0.500000', '[==------] 25%\r']


def test_do_checkpoint_every_period(tmp_path):
    net = mx.sym.FullyConnected(mx.sym.Variable('data'), num_hidden=2, name='fc')
    args = {'fc_weight': mx.nd.ones((2, 3)), 'fc_bias': mx.nd.zeros(2)}
    prefix = str(tmp_path / 'net')
    callback = mx.callback.do_checkpoint(prefix, period=2)
    for epoch in range(4):
        callback(epoch, net, args, {})
    assert sorted(os.listdir(tmp_path)) == ['net-0002.params', 'net-0004.params',
                                            'net-symbol.json']
    _, loaded, _ = mx.model.load_checkpoint(prefix, 4)
    assert loaded['fc_weight'].asnumpy().tolist() == [[1, 1, 1], [1, 1, 1]]
