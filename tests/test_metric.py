"""mx.metric: values after updates and resets as MXNet 1.9.1 gives them; create and errors."""
import numpy as np
import pytest

import mxsym as mx
from module_golden import generator, load_json

METRIC_GOLDEN = load_json('metric.json')


def _assert_same(got, want):
    """Names equal; values within rtol 1e-6 (MXNet's float32 log and sum kernels may round
    the last bit differently from numpy's; everything else is summed in float64)."""
    if isinstance(want, list):
        assert isinstance(got, (list, tuple)) and len(got) == len(want)
        for g, w in zip(got, want):
            _assert_same(g, w)
    elif isinstance(want, str):
        assert got == want
    else:
        np.testing.assert_allclose(got, want, rtol=1e-6)


@pytest.mark.parametrize('case', generator.METRIC_CASES,
                         ids=[c[0] for c in generator.METRIC_CASES])
def test_metric_values_match_mxnet(case):
    got = generator.run_metric_case(mx, case)
    assert sorted(got) == sorted(METRIC_GOLDEN[case[0]])
    for key, want in METRIC_GOLDEN[case[0]].items():
        _assert_same(got[key], want)


def test_create_accepts_names_configs_and_instances():
    acc = mx.metric.create('acc', axis=0)
    assert isinstance(acc, mx.metric.Accuracy) and acc.axis == 0
    assert mx.metric.create(acc) is acc
    rebuilt = mx.metric.create(mx.metric.create('ce', eps=0.5, name='xe').get_config())
    assert isinstance(rebuilt, mx.metric.CrossEntropy)
    assert (rebuilt.name, rebuilt.eps) == ('xe', 0.5)
    assert isinstance(mx.metric.create('["mse", {}]'), mx.metric.MSE)
    composite = mx.metric.create(['acc', mx.metric.CrossEntropy()])
    assert [m.name for m in composite.metrics] == ['accuracy', 'cross-entropy']
    assert mx.metric.np(lambda label, pred: 0.).name == 'custom(<lambda>)'


def test_nan_before_any_update_and_reset():
    metric = mx.metric.Accuracy()
    assert np.isnan(metric.get()[1])
    metric.update([mx.nd.array([1, 0])], [mx.nd.array([[0.2, 0.8], [0.3, 0.7]])])
    assert metric.get() == ('accuracy', 0.5)
    metric.reset()
    assert (metric.num_inst, metric.global_num_inst) == (0, 0)


def test_bad_input_is_refused():
    with pytest.raises(mx.MXNetError, match="unknown metric 'accuracyy'"):
        mx.metric.create('accuracyy')
    with pytest.raises(mx.MXNetError, match='top_k must be > 1'):
        mx.metric.TopKAccuracy(top_k=1)
    with pytest.raises(ValueError, match='does not match shape of predictions'):
        mx.metric.Accuracy().update([mx.nd.zeros(2)] * 2, [mx.nd.zeros((2, 2))])
    with pytest.raises(ValueError, match='only supports binary classification'):
        mx.metric.F1().update([mx.nd.array([0, 1, 2])], [mx.nd.zeros((3, 2))])


def test_perplexity_picks_the_nearest_class_for_labels_out_of_range():
    """Labels past either end pick the last or first class (MXNet's `pick` clips); the value
    was recorded from MXNet 1.9.1."""
    pred = mx.nd.array([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1], [0.1, 0.1, 0.8]])
    metric = mx.metric.Perplexity(ignore_label=None)
    metric.update([mx.nd.array([2, 3, -1])], [pred])
    assert metric.get()[1] == pytest.approx(5.848035604800888, rel=1e-6)
