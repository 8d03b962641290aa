"""The random draws recorded from MXNet 1.9.1 (make_mxnet_rng_golden.py) and replayed on mxsym
(tests/test_mxnet_rng.py): expressions over `mx`, run in order after mx.random.seed(seed)."""

LONG = 512   # draws longer than this are kept as a sample

# Sizes around MXNet's split: 64 values per state at least, 1024 states at most (65536).
SEQUENCE = [
    (42, [
        "mx.nd.random.uniform(shape=(10,))",
        "mx.nd.random.uniform(-2, 3, shape=(63,))",
        "mx.nd.random.normal(shape=(64,))",
        "mx.nd.random.normal(1, 2, shape=(65,))",
        "mx.nd.random.uniform(shape=(7, 150))",
        "mx.nd.random.normal(shape=(1000,))",
        "mx.nd.random.uniform(shape=(65537,))",
        "mx.nd.random.normal(0.5, 3, shape=(70001,))",
        "mx.nd.random.uniform(shape=(300,), dtype='float64')",
        "mx.nd.random.normal(shape=(300,), dtype='float64')",
        "mx.nd.random.uniform(-1, 1, shape=(200,), dtype='float16')",
        "mx.nd.random.normal(shape=(200,), dtype='float16')",
        "mx.nd.random.randn(3, 40)",
        "mx.nd.random.uniform(-1, 1, shape=(9, 9), out=mx.nd.zeros((9, 9), dtype='float64'))",
    ]),
    (7, [
        "mx.nd.random.exponential(2.0, shape=(500,))",
        "mx.nd.random.randint(-5, 1000, shape=(500,))",
        "mx.nd.random.randint(-5, 1 << 40, shape=(70,), dtype='int64')",
        "mx.nd.random.uniform_like(mx.nd.zeros((3, 50)), low=1, high=4)",
        "mx.nd.random.normal_like(mx.nd.zeros((3, 50), dtype='float64'))",
        "mx.nd.random.uniform(mx.nd.array([0, 1, 2]), mx.nd.array([1, 3, 7]), shape=(40,))",
        "mx.nd.random.normal(mx.nd.array([0, 10.]), mx.nd.array([1, 0.5]), shape=(3, 45))",
        "mx.nd.random.exponential(mx.nd.array([1, 5.]), shape=(100,))",
        "mx.nd.random.uniform(shape=(20,))",
    ]),
    (-3, ["mx.nd.random.uniform(shape=(100,))"]),
]

INITIALIZERS = [
    ('conv_weight', 'mx.init.Xavier()', (32, 16, 3, 3)),
    ('conv_weight', "mx.init.Xavier(rnd_type='gaussian', factor_type='in', magnitude=2)",
     (32, 16, 3, 3)),
    ('fc_weight', 'mx.init.Uniform(0.1)', (64, 100)),
    ('fc_weight', 'mx.init.Normal(0.02)', (64, 100)),
    ('conv_weight', 'mx.init.MSRAPrelu()', (16, 8, 5, 5)),
    ('fc_weight', 'mx.init.Orthogonal()', (20, 30)),
    ('fc_weight', "mx.init.Orthogonal(rand_type='normal')", (30, 20)),
]


def module_symbol(mx):
    """A small convolution network with batch norm, for Module.init_params."""
    data = mx.sym.Variable('data')
    net = mx.sym.Convolution(data, num_filter=8, kernel=(3, 3), name='conv1')
    net = mx.sym.BatchNorm(net, name='bn1')
    net = mx.sym.Activation(net, act_type='relu')
    net = mx.sym.FullyConnected(net, num_hidden=10, name='fc1')
    return mx.sym.SoftmaxOutput(net, name='softmax')
