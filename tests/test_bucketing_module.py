"""mx.mod.BucketingModule: an LSTM language model trained over three buckets against MXNet
1.9.1, compiled once per bucket, checkpoints, and the buckets' shared parameters and
gradients."""
import contextlib

import jax
import numpy as np
import pytest

import mxsym as mx
from module_golden import assert_family_run_matches as assert_run_matches, family

# The module's tests share a costly fixture: one worker runs them all.
pytestmark = pytest.mark.xdist_group('bucketing_module')


@contextlib.contextmanager
def counted_compiles():
    """A list that gets one entry per program XLA compiles inside the block."""
    compiles = []

    def listen(event, duration, **kwargs):
        if event == '/jax/core/compile/backend_compile_duration':
            compiles.append(duration)
    jax.monitoring.register_event_duration_secs_listener(listen)
    try:
        yield compiles
    finally:
        jax.monitoring.unregister_event_duration_listener(listen)


@pytest.fixture(scope='module')
def trained():
    """The golden run: (log lines, score, arrays, the trained module)."""
    return family.run_bucketing(mx)


def test_lstm_over_three_buckets_matches_mxnet(trained):
    lines, score, arrays, mod = trained
    assert sorted(mod._buckets) == family.BUCKETS
    assert_run_matches('bucketing', lines, score, arrays)


def test_buckets_share_parameters_gradients_and_optimizer(trained):
    mod = trained[-1]
    default = mod._buckets[mod._default_bucket_key]
    for key, bucket in mod._buckets.items():
        for name in default._param_names:
            assert bucket._exec.arg_dict[name] is default._exec.arg_dict[name], (key, name)
            assert bucket._exec.grad_dict[name] is default._exec.grad_dict[name], (key, name)
        assert bucket._updater is default._updater
        assert bucket._optimizer is default._optimizer


def test_switching_back_to_a_seen_bucket_compiles_nothing(trained):
    """After fit and score (every bucket trained and run for inference), switching among the
    buckets again keeps their executors and compiles nothing."""
    mod = trained[-1]
    batches = list(family.bucket_sentences(mx))
    assert sorted({batch.bucket_key for batch in batches}) == family.BUCKETS
    executors = {key: bucket._exec for key, bucket in mod._buckets.items()}
    with counted_compiles() as compiles:
        for batch in reversed(batches):
            mod._train_step(batch)
            mod.forward(batch, is_train=False)
    assert compiles == []
    assert {key: bucket._exec for key, bucket in mod._buckets.items()} == executors


def test_checkpoint_round_trip(trained, tmp_path):
    mod = trained[-1]
    prefix = str(tmp_path / 'lm')
    mod.save_checkpoint(prefix, 3)
    assert mx.nd.load(prefix + '.buckets')[0].asnumpy().tolist() == [12, 8, 4]  # default first
    for key in family.BUCKETS:
        saved = mx.sym.load('%s-%d-symbol.json' % (prefix, key))
        assert saved.list_arguments() == mod._buckets[key].symbol.list_arguments()
    loaded = mx.mod.BucketingModule.load(prefix, 3, sym_gen=family.lstm_sym_gen(mx),
                                         default_bucket_key=max(family.BUCKETS))
    train = family.bucket_sentences(mx)
    loaded.bind(train.provide_data, train.provide_label, for_training=False)
    np.testing.assert_array_equal(loaded.predict(train).asnumpy(),
                                  mod.predict(family.bucket_sentences(mx)).asnumpy())
    assert sorted(loaded._buckets) == family.BUCKETS


def test_load_dict_shares_the_given_parameters(trained):
    mod = trained[-1]
    arg_params, aux_params = mod.get_params()
    sym_gen = family.lstm_sym_gen(mx)
    loaded = mx.mod.BucketingModule.load_dict(
        {key: sym_gen(key)[0] for key in family.BUCKETS}, sym_gen=sym_gen,
        default_bucket_key=12, arg_params=arg_params, aux_params=aux_params)
    train = family.bucket_sentences(mx)
    loaded.bind(train.provide_data, train.provide_label, for_training=False)
    for name, value in loaded.get_params()[0].items():
        np.testing.assert_array_equal(value.asnumpy(), arg_params[name].asnumpy())


def _grad_req_module(grad_req):
    def sym_gen(_):
        data = mx.sym.Variable('data')
        weight = mx.sym.Variable('a', shape=(1,), init=mx.init.One())
        return mx.sym.make_loss(mx.sym.broadcast_mul(data, weight)), ('data',), None
    mod = mx.mod.BucketingModule(sym_gen=sym_gen, default_bucket_key=10)
    mod.bind(data_shapes=[('data', (2,))], grad_req=grad_req)
    mod.init_params()
    return mod


@pytest.mark.parametrize('grad_req, second', [('write', 2), ('add', 4)])
def test_gradients_shared_across_buckets_follow_grad_req(grad_req, second):
    mod = _grad_req_module(grad_req)
    grads = []
    for key in (10, 5):
        mod.forward_backward(mx.io.DataBatch([mx.nd.ones((2,))], None, bucket_key=key,
                                             provide_data=[mx.io.DataDesc('data', (2,))]))
        grads.append(mod._curr_module._exec.grad_dict['a'].asscalar())
    assert grads == [2, second]
    assert mod._curr_module._grad_req == grad_req


def test_names_and_errors_before_bind():
    mod = mx.mod.BucketingModule(family.lstm_sym_gen(mx), default_bucket_key=4)
    assert mod.data_names == ('data',)
    assert mod.output_names == ['softmax_output']
    with pytest.raises(mx.MXNetError, match='call bind'):
        mod.switch_bucket(8, [('data', (4, 8))])
    with pytest.raises(mx.MXNetError, match='default_bucket_key'):
        mx.mod.BucketingModule(family.lstm_sym_gen(mx))
