"""Learning rate schedulers against MXNet 1.9.1: the rate at each update count."""
import json
import os

import pytest

import mxsym as mx
from mxsym.base import MXNetError

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'golden', 'optimizer')
with open(os.path.join(GOLDEN, 'lr_scheduler.json')) as _f:
    CASES = json.load(_f)


@pytest.mark.parametrize('case', CASES,
                         ids=lambda case: '%s-%s' % (case['scheduler'], sorted(case['kwargs'])))
def test_rates_match_mxnet(case):
    scheduler = getattr(mx.lr_scheduler, case['scheduler'])(**case['kwargs'])
    rates = [scheduler(num_update) for num_update in range(len(case['rates']))]
    assert rates == pytest.approx(case['rates'], rel=1e-12, abs=1e-15)


@pytest.mark.parametrize('make, message', [
    (lambda: mx.lr_scheduler.FactorScheduler(step=0), 'greater or equal than 1'),
    (lambda: mx.lr_scheduler.FactorScheduler(step=2, factor=1.5), 'no more than 1'),
    (lambda: mx.lr_scheduler.MultiFactorScheduler(step=[3, 2]), 'increasing integer list'),
    (lambda: mx.lr_scheduler.PolyScheduler(max_update=0), 'strictly positive'),
    (lambda: mx.lr_scheduler.CosineScheduler(max_update=5, warmup_mode='cubic'),
     'linear and constant'),
    (lambda: mx.lr_scheduler.CosineScheduler(max_update=5, warmup_begin_lr=1.0),
     'higher than warmup_begin_lr'),
])
def test_bad_settings_raise(make, message):
    with pytest.raises(MXNetError, match=message):
        make()


def test_optimizer_learning_rate_overrides_scheduler_base_rate(capsys):
    scheduler = mx.lr_scheduler.FactorScheduler(step=1, factor=0.5)
    optimizer = mx.optimizer.SGD(learning_rate=0.2, lr_scheduler=scheduler)
    assert 'overwritten by ``learning_rate``' in capsys.readouterr().out
    assert scheduler.base_lr == 0.2
    assert optimizer.learning_rate == 0.2
    optimizer.num_update = 3
    assert optimizer.learning_rate == 0.05
    with pytest.raises(UserWarning):
        optimizer.set_learning_rate(0.1)
