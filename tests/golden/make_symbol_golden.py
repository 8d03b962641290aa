"""Write symbol.json and symbol_json.json: what MXNet 1.9.1 reports for small Symbol scripts.

Run with MXNet 1.9.1 (``import mxnet``), from any directory:
    python tests/golden/make_symbol_golden.py

symbol.json holds `cases` (a snippet building `out`, and the results of every probe in
symbol_probes.PROBES on it, plus optional infer_shape/infer_type calls) and `errors` (a snippet
that raises: exception class, its standard base class, a word the message must name).
symbol_json.json holds JSON texts MXNet reads: those it writes, hand-edited spellings it
accepts, a legacy v0.8 file, and texts it rejects; each with the probes of the loaded symbol.
"""
import json
import re
import sys
import textwrap
from pathlib import Path

import mxnet as mx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from symbol_probes import PROBES, infer, plain, run_snippet, standard_base  # noqa: E402

GOLDEN_DIR = Path(__file__).resolve().parent


def snippet(body):
    """A snippet whose body runs in a fresh NameManager, as in a new process; `a`, `b` exist."""
    return ("with mx.name.NameManager():\n"
            "    a = mx.sym.Variable('a')\n"
            "    b = mx.sym.Variable('b')\n"
            + textwrap.indent(textwrap.dedent(body).strip(), '    ') + '\n')


OPERATORS = {
    'add': 'a + b', 'sub': 'a - b', 'mul': 'a * b', 'div': 'a / b', 'mod': 'a % b',
    'pow': 'a ** b', 'add_scalar': 'a + 2', 'radd_scalar': '2 + a', 'sub_scalar': 'a - 2',
    'rsub_scalar': '2 - a', 'mul_scalar': 'a * 2', 'rmul_scalar': '2 * a', 'div_scalar': 'a / 2',
    'rdiv_scalar': '2 / a', 'mod_scalar': 'a % 2', 'rmod_scalar': '2 % a', 'pow_scalar': 'a ** 2',
    'rpow_scalar': '2 ** a', 'neg': '-a', 'abs': 'abs(a)',
    'eq': 'a == b', 'ne': 'a != b', 'gt': 'a > b', 'ge': 'a >= b', 'lt': 'a < b', 'le': 'a <= b',
    'eq_scalar': 'a == 2', 'ne_scalar': 'a != 2', 'gt_scalar': 'a > 2', 'ge_scalar': 'a >= 2',
    'lt_scalar': 'a < 2', 'le_scalar': 'a <= 2', 'reflected_lt_scalar': '2 < a',
    'reflected_eq_scalar': '2 == a',
    'float_scalar': 'a + 2.5', 'tiny_float_scalar': 'a * 1e-5', 'float_pow_scalar': 'a ** 0.5',
    'float_rdiv_scalar': '1.0 / a', 'numpy_float_scalar': 'a * np.float32(0.1)',
    'numpy_int_scalar': 'a + np.int64(3)', 'big_float_scalar': 'a * 1e20',
}

CASES = [dict(id='op_' + key, code=snippet('out = ' + expr), infer_shape={'a': [2, 3]},
              infer_type={'a': 'int32'}) for key, expr in OPERATORS.items()]

# mx.sym's Python-level helpers and fluent methods: which op, name and attrs each one produces.
HELPERS = {
    'maximum': 'mx.sym.maximum(a, b)', 'maximum_scalar': 'mx.sym.maximum(a, 2)',
    'rmaximum_scalar': 'mx.sym.maximum(2, a)', 'minimum_scalar': 'mx.sym.minimum(a, 2.5)',
    'pow': 'mx.sym.pow(a, b)', 'pow_scalar': 'mx.sym.pow(a, 2)', 'rpow_scalar': 'mx.sym.pow(2, a)',
    'power_scalar': 'mx.sym.power(a, 3)', 'hypot_scalar': 'mx.sym.hypot(a, 3)',
    'zeros': 'mx.sym.zeros((2, 3))', 'ones': "mx.sym.ones((2,), dtype='int32')",
    'full': 'mx.sym.full((2,), 3)', 'arange': 'mx.sym.arange(0, 5)', 'eye': 'mx.sym.eye(3)',
    'linspace': 'mx.sym.linspace(0, 1, 5)',
    'random_uniform': 'mx.sym.random.uniform(0, 1, shape=(2,))',
    'random_normal_symbols': 'mx.sym.random.normal(a, b, shape=(2,))',
    'random_exponential': 'mx.sym.random.exponential(2.0, shape=(3,))',
    'fluent_reshape_positional': 'a.reshape((1, -1))', 'fluent_sum': 'a.sum(axis=1)',
    'fluent_astype': "a.astype('int32')", 'fluent_flatten': 'a.flatten()',
    'fluent_transpose': 'a.transpose()', 'fluent_softmax': 'a.softmax(axis=0)',
}
CASES += [dict(id='helper_' + key, code=snippet('out = ' + expr)) for key, expr in HELPERS.items()]

CASES += [
    dict(id='counters_operators', code=snippet('''
        c = a + b
        d = c + a
        e = d * 2
        f = e * 3
        out = mx.sym.Group([f - c, -f, -c, f / 2, 2 / f])
    ''')),
    dict(id='counters_fullyconnected', code=snippet('''
        fc = mx.sym.FullyConnected(a, num_hidden=4)
        fc = mx.sym.FullyConnected(fc, num_hidden=3, name='named')
        out = mx.sym.FullyConnected(fc, num_hidden=2)
    ''')),
    dict(id='counters_shared_by_case', code=snippet('''
        r = mx.sym.Reshape(a, shape=(2, 3))
        r = mx.sym.reshape(r, shape=(3, 2))
        c = mx.sym.Cast(r, dtype='float16')
        c = mx.sym.cast(c, dtype='float32')
        f = mx.sym.Flatten(c)
        out = mx.sym.flatten(f)
    ''')),
    dict(id='counter_used_by_failed_op', code=snippet('''
        try:
            mx.sym.FullyConnected(a)
        except mx.base.MXNetError:
            pass
        out = mx.sym.FullyConnected(a, num_hidden=2)
    ''')),
    dict(id='prefix', code=snippet('''
        with mx.name.Prefix('net_'):
            data = mx.sym.Variable('data')
            fc = mx.sym.FullyConnected(data, num_hidden=2)
            fc = mx.sym.FullyConnected(fc, num_hidden=3, name='fc2')
            out = fc + a
    ''')),
    dict(id='prefix_counters_fresh', code=snippet('''
        c = a + b
        with mx.name.Prefix('p_'):
            d = c + a
        out = d + c
    ''')),
    dict(id='fc_auto_inputs', code=snippet('''
        data = mx.sym.Variable('data')
        out = mx.sym.FullyConnected(data=data, num_hidden=10, name='fc1')
    '''), infer_shape={'data': [2, 5]}),
    dict(id='fc_no_bias', code=snippet('''
        out = mx.sym.FullyConnected(a, num_hidden=10, no_bias=True, name='fc1')
    '''), infer_shape={'a': [2, 3, 4]}),
    dict(id='fc_no_inputs', code=snippet('''
        out = mx.sym.FullyConnected(num_hidden=10, name='fc3')
    '''), infer_shape={}, infer_type={}),
    dict(id='fc_explicit_inputs_keyword', code=snippet('''
        w = mx.sym.Variable('w')
        out = mx.sym.FullyConnected(data=a, bias=b, weight=w, num_hidden=4, name='fc')
    ''')),
    dict(id='fc_explicit_inputs_positional', code=snippet('''
        w = mx.sym.Variable('w')
        out = mx.sym.FullyConnected(a, w, b, num_hidden=4, name='fc')
    ''')),
    dict(id='fc_weight_only_given', code=snippet('''
        w = mx.sym.Variable('w', shape=(4, 3))
        out = mx.sym.FullyConnected(a, weight=w, num_hidden=4)
    '''), infer_shape={'a': [5, 3]}),
    dict(id='softmax_output_label', code=snippet('''
        data = mx.sym.Variable('data')
        fc = mx.sym.FullyConnected(data, num_hidden=10, name='fc1')
        act = mx.sym.Activation(fc, act_type='relu', name='relu1')
        fc2 = mx.sym.FullyConnected(act, num_hidden=3, name='fc2')
        out = mx.sym.SoftmaxOutput(fc2, name='softmax')
    '''), infer_shape={'data': [8, 20]}, infer_type={'data': 'float32'}),
    dict(id='softmax_output_kwargs', code=snippet('''
        out = mx.sym.SoftmaxOutput(a, normalization='valid', use_ignore=True, ignore_label=-1,
                                   grad_scale=2, multi_output=False)
    ''')),
    dict(id='linear_regression_output', code=snippet('''
        fc = mx.sym.FullyConnected(a, num_hidden=1, name='fc')
        out = mx.sym.LinearRegressionOutput(fc, name='lro')
    '''), infer_shape={'a': [4, 7]}),
    dict(id='batchnorm_auto_inputs', code=snippet('''
        out = mx.sym.BatchNorm(a, name='bn')
    '''), infer_shape={'a': [2, 3, 4, 4]}),
    dict(id='batchnorm_kwargs_copied', code=snippet('''
        out = mx.sym.BatchNorm(a, eps=1e-5, fix_gamma=False, momentum=0.9)
    ''')),
    dict(id='batchnorm_shared_moving_stats', code=snippet('''
        mean = mx.sym.Variable('mean')
        var = mx.sym.Variable('var')
        bn1 = mx.sym.BatchNorm(a, moving_mean=mean, moving_var=var, name='bn1')
        bn2 = mx.sym.BatchNorm(bn1, moving_mean=mean, moving_var=var, name='bn2')
        out = mx.sym.BatchNorm(bn2, moving_mean=mean, moving_var=var, name='bn3')
    '''), infer_shape={'a': [2, 3]}),
    dict(id='batchnorm_output_mean_var', code=snippet('''
        out = mx.sym.BatchNorm(a, output_mean_var=True, name='bn')
    '''), infer_shape={'a': [2, 3, 5]}),
    dict(id='batchnorm_output_by_int', code=snippet('''
        out = mx.sym.BatchNorm(a, output_mean_var=True, name='bn')[2]
    ''')),
    dict(id='batchnorm_output_by_name', code=snippet('''
        out = mx.sym.BatchNorm(a, output_mean_var=True, name='bn')['bn_mean']
    ''')),
    dict(id='batchnorm_output_slice', code=snippet('''
        out = mx.sym.BatchNorm(a, output_mean_var=True, name='bn')[1:]
    ''')),
    dict(id='convolution', code=snippet('''
        out = mx.sym.Convolution(a, kernel=(3, 3), num_filter=8, pad=(1, 1), stride=(2, 2),
                                 name='conv1')
    '''), infer_shape={'a': [2, 3, 9, 9]}),
    dict(id='convolution_list_kernel_no_bias', code=snippet('''
        out = mx.sym.Convolution(a, kernel=[3, 3], num_filter=4, no_bias=True, layout=None)
    '''), infer_shape={'a': [1, 2, 5, 5]}),
    dict(id='convolution_1d', code=snippet('''
        out = mx.sym.Convolution(a, kernel=(3,), num_filter=2, num_group=1, dilate=(1,))
    '''), infer_shape={'a': [1, 4, 10]}),
    dict(id='pooling', code=snippet('''
        out = mx.sym.Pooling(a, kernel=(2, 2), pool_type='max', stride=(2, 2), name='pool1')
    '''), infer_shape={'a': [1, 3, 8, 8]}),
    dict(id='pooling_global_none', code=snippet('''
        out = mx.sym.Pooling(a, kernel=(1, 1), global_pool=True, pool_type='avg',
                             count_include_pad=None)
    '''), infer_shape={'a': [2, 3, 7, 7]}),
    dict(id='conv_bn_pool_net', code=snippet('''
        data = mx.sym.Variable('data')
        conv = mx.sym.Convolution(data, kernel=(3, 3), num_filter=4, name='conv')
        bn = mx.sym.BatchNorm(conv, fix_gamma=False, name='bn')
        act = mx.sym.Activation(bn, act_type='relu')
        pool = mx.sym.Pooling(act, kernel=(2, 2), stride=(2, 2), pool_type='max')
        flat = mx.sym.Flatten(pool)
        fc = mx.sym.FullyConnected(flat, num_hidden=10)
        out = mx.sym.SoftmaxOutput(fc, name='softmax')
    '''), infer_shape={'data': [2, 3, 10, 10]}),
    dict(id='concat', code=snippet('''
        out = mx.sym.Concat(a, b)
    '''), infer_shape={'a': [2, 3], 'b': [2, 4]}),
    dict(id='concat_dim_name', code=snippet('''
        c = mx.sym.Variable('c')
        out = mx.sym.Concat(a, b, c, dim=0, name='cat')
    '''), infer_shape={'a': [1, 3], 'b': [2, 3], 'c': [3, 3]}),
    dict(id='concat_extra_arg', code=snippet('''
        out = mx.sym.Concat(a, b, num_args=3)
    ''')),
    dict(id='activation_flatten', code=snippet('''
        out = mx.sym.Flatten(mx.sym.Activation(a, act_type='tanh'))
    '''), infer_shape={'a': [2, 3, 4]}),
    dict(id='dot', code=snippet('''
        out = mx.sym.dot(a, b)
    '''), infer_shape={'a': [2, 3], 'b': [3, 4]}),
    dict(id='dot_transpose', code=snippet('''
        out = mx.sym.dot(a, b, transpose_a=True, name='d')
    '''), infer_shape={'a': [3, 2], 'b': [3, 4]}),
    dict(id='reshape_special_codes', code=snippet('''
        out = mx.sym.reshape(a, shape=(-1, 0))
    '''), infer_shape={'a': [4, 6]}),
    dict(id='reshape_reverse', code=snippet('''
        out = mx.sym.Reshape(a, shape=(0, -1), reverse=True)
    '''), infer_shape={'a': [2, 3, 4]}),
    dict(id='reshape_fluent', code=snippet('''
        out = a.reshape((3, 2))
    '''), infer_shape={'a': [2, 3]}),
    dict(id='broadcast_to', code=snippet('''
        out = mx.sym.broadcast_to(a, shape=(2, 3))
    '''), infer_shape={'a': [1, 3]}),
    dict(id='cast_numpy_dtype', code=snippet('''
        out = mx.sym.cast(a, dtype=np.float16)
    '''), infer_type={'a': 'float32'}),
    dict(id='cast_string_dtype', code=snippet('''
        out = mx.sym.Cast(a, dtype='int32')
    '''), infer_type={'a': 'float64'}),
    dict(id='cast_dtype_object', code=snippet('''
        out = mx.sym.cast(a, dtype=np.dtype('float64'))
    ''')),
    dict(id='astype', code=snippet('''
        out = a.astype('float16')
    ''')),
    dict(id='kwargs_numpy_scalars', code=snippet('''
        bn = mx.sym.BatchNorm(a, momentum=np.float32(0.9), eps=np.float64(1e-5), fix_gamma=0)
        out = mx.sym.FullyConnected(bn, num_hidden=np.int64(4), no_bias=np.bool_(True))
    ''')),
    dict(id='variable_plain', code=snippet('''
        out = mx.sym.var('x')
    ''')),
    dict(id='variable_shape', code=snippet('''
        out = mx.sym.Variable('x', shape=(2, 3))
    '''), infer_shape={}),
    dict(id='variable_unknown_dim', code=snippet('''
        out = mx.sym.Variable('x', shape=(0, 3))
    '''), infer_shape={}),
    dict(id='variable_dtype_numpy', code=snippet('''
        out = mx.sym.Variable('x', dtype=np.float16)
    '''), infer_type={}),
    dict(id='variable_dtype_string', code=snippet('''
        out = mx.sym.Variable('x', dtype='int32')
    '''), infer_type={}),
    dict(id='variable_everything', code=snippet('''
        out = mx.sym.Variable('w', shape=(4, 3), dtype='float64', lr_mult=2, wd_mult=0.5,
                              init=mx.init.Xavier(), attr={'foo': 'bar'}, __bar__=1)
    ''')),
    dict(id='variable_init_string', code=snippet('''
        out = mx.sym.Variable('x', init='zeros', lr_mult=1.0)
    ''')),
    dict(id='variable_stype', code=snippet('''
        out = mx.sym.Variable('x', stype='row_sparse')
    ''')),
    dict(id='variable_attrs_through_op', code=snippet('''
        x = mx.sym.Variable('x', shape=(2, 3), dtype=np.float16, attr={'foo': 'bar'})
        out = x * 2
    '''), infer_shape={}, infer_type={}),
    dict(id='attr_scope', code=snippet('''
        with mx.AttrScope(ctx_group='dev1', lr_mult='0.1'):
            data = mx.sym.Variable('data')
            out = mx.sym.FullyConnected(data, num_hidden=2, name='fc')
    ''')),
    dict(id='attr_scope_nested', code=snippet('''
        with mx.AttrScope(ctx_group='dev1'):
            x = mx.sym.Variable('x')
            with mx.AttrScope(ctx_group='dev2', wd_mult='0.5'):
                y = x + a
            out = y * 2
    ''')),
    dict(id='attr_scope_with_variable_attr', code=snippet('''
        with mx.AttrScope(ctx_group='dev1'):
            out = mx.sym.Variable('x', attr={'ctx_group': 'dev9', '__foo__': 'bar'})
    ''')),
    dict(id='op_dunder_attr', code=snippet('''
        out = mx.sym.FullyConnected(a, num_hidden=2, name='fc', attr={'__foo__': 'bar'})
    ''')),
    dict(id='op_hidden_attrs', code=snippet('''
        out = mx.sym.Activation(a, act_type='relu', name='act',
                                attr={'lr_mult': '0.1', 'force_mirroring': 'True'})
    ''')),
    dict(id='group', code=snippet('''
        fc1 = mx.sym.FullyConnected(a, num_hidden=2, name='fc1')
        fc2 = mx.sym.FullyConnected(a, num_hidden=3, name='fc2')
        out = mx.sym.Group([fc1, fc2])
    '''), infer_shape={'a': [5, 4]}),
    dict(id='group_nested', code=snippet('''
        c = mx.sym.Variable('c')
        out = mx.sym.Group([mx.sym.Group([a, b]), a + c, mx.sym.Group([c])])
    ''')),
    dict(id='group_repeated', code=snippet('''
        out = mx.sym.Group([a, a, a * 2])
    ''')),
    dict(id='group_with_multi_output', code=snippet('''
        bn = mx.sym.BatchNorm(a, output_mean_var=True, name='bn')
        out = mx.sym.Group([bn, b])
    ''')),
    dict(id='internals', code=snippet('''
        fc1 = mx.sym.FullyConnected(a, num_hidden=2, name='fc1')
        out = mx.sym.Activation(fc1, act_type='relu', name='relu1').get_internals()
    ''')),
    dict(id='internals_by_name', code=snippet('''
        fc1 = mx.sym.FullyConnected(a, num_hidden=2, name='fc1')
        net = mx.sym.Activation(fc1, act_type='relu', name='relu1')
        out = net.get_internals()['fc1_output']
    ''')),
    dict(id='internals_by_int', code=snippet('''
        fc1 = mx.sym.FullyConnected(a, num_hidden=2, name='fc1')
        out = mx.sym.Activation(fc1, act_type='relu', name='relu1').get_internals()[1]
    ''')),
    dict(id='internals_with_batchnorm', code=snippet('''
        out = mx.sym.BatchNorm(a * 2, name='bn').get_internals()
    ''')),
    dict(id='index_single_output', code=snippet('''
        out = (a + b)[0]
    ''')),
    dict(id='index_by_output_name', code=snippet('''
        out = mx.sym.Group([a, a + b])['_plus0_output']
    ''')),
    dict(id='children', code=snippet('''
        fc = mx.sym.FullyConnected(a, num_hidden=2, name='fc')
        out = mx.sym.Activation(fc, act_type='relu', name='act').get_children()
    ''')),
    dict(id='children_of_group', code=snippet('''
        c = mx.sym.Variable('c')
        out = mx.sym.Group([a + b, c * 2]).get_children()
    ''')),
    dict(id='compose_keyword', code=snippet('''
        data = mx.sym.Variable('data')
        net1 = mx.sym.FullyConnected(data=data, name='fc1', num_hidden=10)
        net1 = mx.sym.FullyConnected(data=net1, name='fc2', num_hidden=100)
        data2 = mx.sym.Variable('data2')
        net2 = mx.sym.FullyConnected(data=data2, name='fc3', num_hidden=10)
        net2 = mx.sym.Activation(data=net2, act_type='relu')
        out = net2(data2=net1, name='composed')
    '''), infer_shape={'data': [2, 7]}),
    dict(id='compose_placeholder_op', code=snippet('''
        net1 = mx.sym.FullyConnected(data=a, name='fc1', num_hidden=10)
        net2 = mx.sym.FullyConnected(name='fc3', num_hidden=10)
        out = net2(fc3_data=net1, name='composed')
    ''')),
    dict(id='compose_keeps_original', code=snippet('''
        net = (a + b) * 2
        composed = net(a=b * 3)
        out = mx.sym.Group([net, composed])
    ''')),
]

ERRORS = [
    dict(id='bool', code=snippet('bool(a)'), culprit='bool'),
    dict(id='iadd', code=snippet('a += b'), culprit='+='),
    dict(id='imul', code=snippet('a *= 2'), culprit='*='),
    dict(id='concat_list_data', code=snippet('mx.sym.Concat(data=[a, b])'), culprit='num_args'),
    dict(id='unknown_kwarg', code=snippet('mx.sym.FullyConnected(a, num_hidden=2, foo=1)'),
         culprit='foo'),
    dict(id='unknown_attr_key', code=snippet(
        "mx.sym.FullyConnected(a, num_hidden=2, attr={'mood': 'happy'})"), culprit='mood'),
    dict(id='bad_enum', code=snippet("mx.sym.Activation(a, act_type='bogus')"), culprit='bogus'),
    dict(id='missing_required', code=snippet('mx.sym.FullyConnected(a)'), culprit='num_hidden'),
    dict(id='bad_int', code=snippet('mx.sym.FullyConnected(a, num_hidden=2.5)'),
         culprit='num_hidden'),
    dict(id='shape_mismatch', code=snippet('''
        x = mx.sym.Variable('x', shape=(2, 3))
        y = mx.sym.Variable('y', shape=(1, 3))
        (x + y).infer_shape()
    '''), culprit='_plus0'),
    dict(id='fc_shape_mismatch', code=snippet('''
        w = mx.sym.Variable('w', shape=(4, 5))
        mx.sym.FullyConnected(a, weight=w, num_hidden=4, name='fc').infer_shape(a=(2, 3))
    '''), culprit='fc'),
    dict(id='add_string', code=snippet("a + 'x'"), culprit='str'),
    dict(id='index_out_of_range', code=snippet('a[1]'), culprit=''),
    dict(id='index_unknown_name', code=snippet("a['zz']"), culprit='zz'),
    dict(id='variable_bad_kwarg', code=snippet("mx.sym.Variable('x', foo=1)"), culprit='foo'),
    dict(id='variable_name_not_string', code=snippet('mx.sym.Variable(1)'), culprit='name'),
    dict(id='group_empty', code=snippet('mx.sym.Group([])'), culprit='symbols'),
    dict(id='compose_positional', code=snippet('''
        net = mx.sym.FullyConnected(num_hidden=3, name='fc')
        net(a)
    '''), culprit='kwargs'),
    dict(id='compose_non_symbol', code=snippet('(a + b)(a=1)'), culprit='Symbol'),
    dict(id='infer_shape_not_tuple', code=snippet('(a + b).infer_shape(a=[2, 3])'),
         culprit="'a'"),
]


def graph_json(body):
    """The tojson() text of the `out` a snippet body builds."""
    return run_snippet(mx, snippet(body))['out'].tojson()


def edited(text, old, new):
    """`text` with every occurrence of `old` (there must be one) replaced by `new`."""
    assert old in text, old
    return text.replace(old, new)


def restructured(text, change):
    """`text` parsed, changed in place by `change`, and written back with 2-space indents."""
    graph = json.loads(text)
    change(graph)
    return json.dumps(graph, indent=2)


def two_element_inputs(graph):
    """Input entries and heads as [node, index], without the version."""
    for node in graph['nodes']:
        node['inputs'] = [entry[:2] for entry in node['inputs']]
    graph['heads'] = [entry[:2] for entry in graph['heads']]


def legacy_layout(graph):
    """The v0.8 layout: attrs under `param`, an `attr` dict, no versions, no mxnet_version."""
    two_element_inputs(graph)
    for node in graph['nodes']:
        node.update(param=node.pop('attrs', {}), attr={}, backward_source_id=-1)
    del graph['attrs']


MLP = graph_json('''
    data = mx.sym.Variable('data')
    fc1 = mx.sym.FullyConnected(data, num_hidden=8, name='fc1')
    act = mx.sym.Activation(fc1, act_type='relu', name='relu1')
    fc2 = mx.sym.FullyConnected(act, num_hidden=3, name='fc2')
    out = mx.sym.SoftmaxOutput(fc2, name='softmax')
''')
CONV_NET = graph_json('''
    data = mx.sym.Variable('data')
    conv = mx.sym.Convolution(data, kernel=(3, 3), num_filter=4, pad=(1, 1), name='conv')
    bn = mx.sym.BatchNorm(conv, fix_gamma=True, eps=1e-5, name='bn')
    pool = mx.sym.Pooling(bn, kernel=(2, 2), stride=(2, 2), pool_type='max', name='pool')
    cat = mx.sym.Concat(pool, pool, dim=1, name='cat')
    out = mx.sym.Flatten(cat, name='flat')
''')
LEGACY_MLP = json.dumps({
    'nodes': [
        {'op': 'null', 'param': {}, 'name': 'data', 'inputs': [], 'backward_source_id': -1,
         'attr': {'ctx_group': 'stage1', 'lr_mult': '0.2'}},
        {'op': 'null', 'param': {}, 'name': 'fc1_weight', 'inputs': [], 'backward_source_id': -1,
         'attr': {'ctx_group': 'stage1', 'weight_lr_mult': '1.2'}},
        {'op': 'null', 'param': {}, 'name': 'fc1_bias', 'inputs': [], 'backward_source_id': -1,
         'attr': {'ctx_group': 'stage1', 'weight_lr_mult': '1.2'}},
        {'op': 'FullyConnected', 'param': {'no_bias': 'False', 'num_hidden': '6'}, 'name': 'fc1',
         'inputs': [[0, 0], [1, 0], [2, 0]], 'backward_source_id': -1,
         'attr': {'ctx_group': 'stage1', 'weight_lr_mult': '1.2'}},
        {'op': 'null', 'param': {}, 'name': 'bn_gamma', 'inputs': [], 'backward_source_id': -1,
         'attr': {}},
        {'op': 'null', 'param': {}, 'name': 'bn_beta', 'inputs': [], 'backward_source_id': -1,
         'attr': {}},
        {'op': 'BatchNorm', 'param': {'eps': '0.001', 'fix_gamma': 'True', 'momentum': '0.9'},
         'name': 'bn', 'inputs': [[3, 0], [4, 0], [5, 0]], 'backward_source_id': -1,
         'attr': {'wd_mult': '0.1'}},
        {'op': 'null', 'param': {}, 'name': 'softmax_label', 'inputs': [],
         'backward_source_id': -1, 'attr': {}},
        {'op': 'SoftmaxOutput', 'param': {'grad_scale': '1', 'multi_output': 'False'},
         'name': 'softmax', 'inputs': [[6, 0], [7, 0]], 'backward_source_id': -1, 'attr': {}},
    ],
    'arg_nodes': [0, 1, 2, 4, 5, 7],
    'heads': [[8, 0]],
}, indent=2)

MLP_SHAPES = {'data': [4, 5]}
CONV_SHAPES = {'data': [2, 3, 8, 8]}

LOADS = [
    dict(id='written_mlp', json=MLP, infer_shape=MLP_SHAPES),
    dict(id='written_conv_net', json=CONV_NET, infer_shape=CONV_SHAPES),
    dict(id='written_group', json=graph_json('''
        bn = mx.sym.BatchNorm(a, output_mean_var=True, name='bn')
        out = mx.sym.Group([bn, a * 2, mx.sym.cast(b, dtype='float16')])
    '''), infer_shape={'a': [2, 3], 'b': [4]}),
    dict(id='written_shared_moving_stats', json=graph_json('''
        mean = mx.sym.Variable('mean')
        var = mx.sym.Variable('var')
        bn1 = mx.sym.BatchNorm(a, moving_mean=mean, moving_var=var, name='bn1')
        out = mx.sym.BatchNorm(bn1, moving_mean=mean, moving_var=var, name='bn2')
    '''), infer_shape={'a': [2, 3]}),
    dict(id='written_variable_attrs', json=graph_json('''
        with mx.AttrScope(ctx_group='dev1'):
            w = mx.sym.Variable('w', shape=(3, 2), dtype=np.float16, lr_mult=0.5,
                                init=mx.init.Xavier(), attr={'foo': 'bar'})
            out = mx.sym.dot(a, w, attr={'__mood__': 'calm'})
    '''), infer_shape={'a': [4, 3]}),
    dict(id='written_scalar_ops', json=graph_json('''
        out = mx.sym.reshape(2 / (a * 1e-5 - 2.5) ** 2, shape=(-1, 0))
    '''), infer_shape={'a': [2, 3, 4]}),
    dict(id='kernel_list_no_spaces', json=edited(CONV_NET, '"kernel": "(3, 3)"',
                                                  '"kernel": "[3,3]"'), infer_shape=CONV_SHAPES),
    dict(id='kernel_python2_longs', json=edited(CONV_NET, '"kernel": "(3, 3)"',
                                                 '"kernel": "(3L, 3L)"'), infer_shape=CONV_SHAPES),
    dict(id='kernel_bare_int', json=edited(graph_json('''
        out = mx.sym.Pooling(a, kernel=(2,), stride=(2,), pool_type='avg', name='pool')
    '''), '"kernel": "(2,)"', '"kernel": "2"'), infer_shape={'a': [1, 2, 6]}),
    dict(id='bool_upper_case', json=edited(CONV_NET, '"fix_gamma": "True"',
                                            '"fix_gamma": "TRUE"'), infer_shape=CONV_SHAPES),
    dict(id='bool_lower_case_and_digit', json=edited(
        edited(CONV_NET, '"fix_gamma": "True"', '"fix_gamma": "true"'),
        '"pool_type": "max"', '"pool_type": "max", \n        "global_pool": "0"'),
        infer_shape=CONV_SHAPES),
    dict(id='int_with_spaces', json=edited(MLP, '"num_hidden": "8"', '"num_hidden": " 8"'),
         infer_shape=MLP_SHAPES),
    dict(id='optional_none', json=edited(CONV_NET, '"pool_type": "max"',
                                          '"pool_type": "max", "count_include_pad": "None"'),
         infer_shape=CONV_SHAPES),
    dict(id='dunder_attr_kept', json=edited(MLP, '"act_type": "relu"',
                                             '"act_type": "relu", \n        "__mood__": "calm"'),
         infer_shape=MLP_SHAPES),
    dict(id='missing_node_row_ptr', json=restructured(
        CONV_NET, lambda graph: graph.pop('node_row_ptr')), infer_shape=CONV_SHAPES),
    dict(id='wrong_node_row_ptr', json=restructured(
        CONV_NET, lambda graph: graph.update(node_row_ptr=[0, 1])), infer_shape=CONV_SHAPES),
    dict(id='two_element_inputs', json=restructured(CONV_NET, two_element_inputs),
         infer_shape=CONV_SHAPES),
    dict(id='compact_json', json=json.dumps(json.loads(MLP), separators=(',', ':')),
         infer_shape=MLP_SHAPES),
    dict(id='legacy_v080_layout', json=restructured(MLP, legacy_layout), infer_shape=MLP_SHAPES),
    dict(id='legacy_v080_hand_written', json=LEGACY_MLP, infer_shape={'data': [2, 4]}),
]

LOAD_ERRORS = [
    dict(id='enum_upper_case', json=edited(MLP, '"act_type": "relu"', '"act_type": "RELU"'),
         culprit='RELU'),
    dict(id='enum_quoted', json=edited(MLP, '"act_type": "relu"', '''"act_type": "'relu'"'''),
         culprit='relu'),
    dict(id='unknown_param', json=edited(MLP, '"act_type": "relu"',
                                         '"act_type": "relu", \n        "mood": "calm"'),
         culprit='mood'),
    dict(id='float_for_int', json=edited(MLP, '"num_hidden": "8"', '"num_hidden": "8.0"'),
         culprit='num_hidden'),
    dict(id='bool_yes', json=edited(CONV_NET, '"fix_gamma": "True"', '"fix_gamma": "yes"'),
         culprit='fix_gamma'),
    dict(id='unknown_op', json=edited(MLP, '"op": "Activation"', '"op": "NoSuchOp"'),
         culprit='NoSuchOp'),
]


def record(case, out):
    """`case` with the probes and the requested inferences of `out` added."""
    result = dict(case, probes={name: plain(probe(out)) for name, probe in PROBES.items()})
    for method in ('infer_shape', 'infer_type'):
        if method in case:
            result[method + '_result'] = infer(out, method, case[method])
    return result


def record_error(case, action):
    """`case` with the class of the exception `action()` raises; checks the culprit is named."""
    try:
        action()
    except Exception as exc:  # noqa: BLE001 - recording whatever MXNet raises
        assert case['culprit'] in str(exc), (case['id'], str(exc))
        message = re.sub(r'\[\d\d:\d\d:\d\d\] ', '', str(exc).split('\n')[0])
        return dict(case, exception=type(exc).__name__, base=standard_base(type(exc), mx.base),
                    message=message)
    raise AssertionError('%s did not raise' % case['id'])


def main():
    cases = [record(case, run_snippet(mx, case['code'])['out']) for case in CASES]
    errors = [record_error(case, lambda: run_snippet(mx, case['code'])) for case in ERRORS]
    loads = [record(case, mx.sym.load_json(case['json'])) for case in LOADS]
    load_errors = [record_error(case, lambda: mx.sym.load_json(case['json']))
                   for case in LOAD_ERRORS]
    for name, content in [('symbol.json', {'cases': cases, 'errors': errors}),
                          ('symbol_json.json', {'loads': loads, 'errors': load_errors})]:
        with open(GOLDEN_DIR / name, 'w') as f:
            json.dump(content, f, indent=1)
            f.write('\n')
    print('%d cases, %d errors, %d loads, %d load errors'
          % (len(cases), len(errors), len(loads), len(load_errors)))


if __name__ == '__main__':
    main()
