"""Networks and options for amp.convert_symbol, built with either library (``mx``)."""


def mlp(mx):
    data = mx.sym.Variable('data')
    fc = mx.sym.FullyConnected(data, num_hidden=3, name='fc')
    act = mx.sym.Activation(fc, act_type='softrelu', name='act')
    added = mx.sym.elemwise_add(act, fc, name='add')
    return mx.sym.softmax(added, name='sm'), {'data': (2, 4)}


def convnet(mx):
    data = mx.sym.Variable('data')
    conv = mx.sym.Convolution(data, num_filter=4, kernel=(3, 3), name='conv')
    bn = mx.sym.BatchNorm(conv, name='bn')
    relu = mx.sym.Activation(bn, act_type='relu', name='relu')
    pool = mx.sym.Pooling(relu, kernel=(2, 2), stride=(2, 2), pool_type='max', name='pool')
    fc = mx.sym.FullyConnected(pool, num_hidden=5, name='fc')
    return mx.sym.SoftmaxOutput(fc, name='softmax'), {'data': (2, 3, 8, 8)}


def two_branches(mx):
    data = mx.sym.Variable('data')
    left = mx.sym.FullyConnected(data, num_hidden=4, name='left')
    right = mx.sym.FullyConnected(data, num_hidden=4, name='right')
    both = mx.sym.broadcast_mul(left, mx.sym.tanh(right, name='tanh'), name='mul')
    return mx.sym.exp(both, name='exp'), {'data': (3, 5)}


NETWORKS = {'mlp': mlp, 'convnet': convnet, 'two_branches': two_branches}

# case name: (network, convert_symbol keyword arguments)
CASES = {
    'mlp_float16': ('mlp', {}),
    'mlp_bfloat16': ('mlp', {'target_dtype': 'bfloat16'}),
    'convnet_float16': ('convnet', {}),
    'two_branches_float16': ('two_branches', {}),
    'two_branches_excluded': ('two_branches', {'excluded_sym_names': ['right']}),
    'two_branches_own_lists': ('two_branches', {'target_dtype_ops': ['FullyConnected'],
                                                'fp32_ops': ['exp'],
                                                'conditional_fp32_ops': []}),
}
