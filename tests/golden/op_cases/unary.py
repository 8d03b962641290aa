"""Golden cases for mxsym/ops/unary.py (recorded from MXNet 1.9.1 by make_ops_golden.py).

Value recipes: 'cast' holds halves (-300.5, -0.5, 0.5) for the rounding rules, 0 and -1, and
values outside most domains (NaN and inf results); 'ints:LO:HI' puts exact zeros, ones and
bounds where gradients have special values; 'cast_int' holds powers of 2 and 10, 0, +-1 and
values that overflow int32 once squared or exponentiated.
"""
from op_cases import case, expr

SHAPE = {'data': (3, 4)}
A = {'a': (3, 4)}

# op: the value recipe its domain needs in float cases ('normal' when absent)
FLOAT_OPS = {
    'abs': 'normal', 'negative': 'normal', 'sign': 'normal', 'relu': 'normal',
    'sigmoid': 'normal', 'softsign': 'normal', 'round': 'normal', 'rint': 'normal',
    'fix': 'normal', 'trunc': 'normal', 'floor': 'normal', 'ceil': 'normal', 'square': 'normal',
    'sqrt': 'positive', 'rsqrt': 'positive', 'cbrt': 'normal', 'rcbrt': 'nonzero',
    'reciprocal': 'nonzero', 'exp': 'normal', 'expm1': 'normal', 'log': 'positive',
    'log10': 'positive', 'log2': 'positive', 'log1p': 'positive', 'sin': 'normal',
    'cos': 'normal', 'tan': 'normal', 'arcsin': 'probs', 'arccos': 'probs', 'arctan': 'normal',
    'degrees': 'normal', 'radians': 'normal', 'sinh': 'normal', 'cosh': 'normal',
    'tanh': 'normal', 'arcsinh': 'normal', 'arccosh': 'positive', 'arctanh': 'probs',
    'erf': 'normal', 'erfinv': 'probs', 'gamma': 'positive', 'gammaln': 'positive',
    'hard_sigmoid': 'normal', 'logical_not': 'ints:-2:2', 'zeros_like': 'normal',
    'ones_like': 'normal', 'BlockGrad': 'normal', 'stop_gradient': 'normal',
    'identity': 'normal',
}

# Special points, where MXNet's gradient or result takes a chosen value: 0 for relu, abs,
# sign and the rounding ops; inf at sqrt(0); the poles of log, reciprocal, arctanh, erfinv,
# gamma; both bounds of hard_sigmoid and clip.
AT_INTEGERS = {
    'abs': 'ints:-2:2', 'sign': 'ints:-2:2', 'relu': 'ints:-2:2', 'sqrt': 'ints:0:3',
    'rsqrt': 'ints:0:3', 'cbrt': 'ints:-2:2', 'rcbrt': 'ints:-2:2', 'reciprocal': 'ints:-2:2',
    'log': 'ints:-1:2', 'log10': 'ints:-1:2', 'log2': 'ints:-1:2', 'log1p': 'ints:-2:1',
    'arcsin': 'ints:-1:1', 'arccos': 'ints:-1:1', 'arctanh': 'ints:-1:1',
    'arccosh': 'ints:0:2', 'erfinv': 'ints:-1:1', 'gamma': 'ints:-3:4', 'gammaln': 'ints:-3:4',
    'sigmoid': 'ints:-2:2', 'softsign': 'ints:-2:2', 'floor': 'ints:-2:2',
}

# Values kept in the domain by an op applied first (the fluent methods build the chain).
CHAINS = {
    'arcsin_of_sin': 'a.sin().arcsin()',
    'arccos_of_cos': 'a.cos().arccos()',
    'arctanh_of_tanh': 'a.tanh().arctanh()',
    'arccosh_of_cosh': 'a.cosh().arccosh()',
    'relu_of_log_nan': 'a.log().relu()',
    'clip_of_log_nan_positional_bounds': 'a.log().clip(-1.0, 1.0)',
    'sqrt_of_square': 'a.square().sqrt()',
    'abs_python': 'abs(a)',
}

FLOAT16_OPS = ['abs', 'relu', 'sigmoid', 'softsign', 'exp', 'log', 'sqrt', 'rsqrt', 'square',
               'reciprocal', 'tanh', 'sin', 'arctan', 'degrees', 'erf', 'gamma', 'rint',
               'round', 'hard_sigmoid', 'BlockGrad', 'identity']

FLOAT64_OPS = ['abs', 'sigmoid', 'softsign', 'exp', 'expm1', 'log', 'log10', 'log2', 'log1p',
               'sqrt', 'rsqrt', 'cbrt', 'rcbrt', 'reciprocal', 'tanh', 'sin', 'cos', 'tan',
               'arctan', 'arcsin', 'arccos', 'arcsinh', 'arccosh', 'arctanh', 'degrees',
               'radians', 'sinh', 'cosh', 'erf', 'erfinv', 'gamma', 'gammaln', 'hard_sigmoid',
               'rint', 'round', 'fix']

# Integer inputs keep their dtype: MXNet computes in float64 (square, reciprocal, degrees,
# radians in float32) and truncates, NaN and overflow giving -2**31. hard_sigmoid takes floats
# only.
INT_OPS = [op for op in FLOAT_OPS if op != 'hard_sigmoid']
INT_RECIPES = {'gamma': 'ints:1:12', 'gammaln': 'ints:-2:13', 'sin': 'ints:-9:9',
               'cos': 'ints:-9:9', 'tan': 'ints:-9:9', 'erf': 'ints:-3:3',
               'erfinv': 'ints:-2:2', 'arcsin': 'ints:-2:2', 'arccos': 'ints:-2:2',
               'arctanh': 'ints:-2:2', 'tanh': 'ints:-9:9', 'sigmoid': 'ints:-9:9'}

ROUNDING_OPS = ['round', 'rint', 'fix', 'trunc', 'floor', 'ceil']

# An internal op has no mx.sym.<name>; the expression reaches mx.sym._internal through the
# variable's class, whose module is mxnet's (or mxsym's) symbol module.
INTERNAL = "__import__(type(%s).__module__.split('.')[0]).sym._internal.%s"


def unary(case_id, op, recipe, dtype='float32', **kwargs):
    return case(case_id, op, SHAPE, kwargs, dtype=dtype, values={'data': recipe})


def cases():
    cases = [unary(op, op, recipe) for op, recipe in FLOAT_OPS.items()]
    cases += [unary(op + '_at_integers', op, recipe) for op, recipe in AT_INTEGERS.items()]
    cases += [unary(op + '_halves', op, 'cast') for op in ROUNDING_OPS]
    cases += [unary(op + '_outside_domain', op, 'cast')
              for op in ['sqrt', 'log', 'arcsin', 'arccosh', 'arctanh', 'erfinv', 'gammaln',
                         'exp', 'cosh']]
    cases += [expr(case_id, formula, A) for case_id, formula in CHAINS.items()]
    cases += [unary(op + '_float16', op, FLOAT_OPS[op], 'float16') for op in FLOAT16_OPS]
    cases += [unary(op + '_halves_float16', op, 'cast', 'float16') for op in ['rint', 'round']]
    cases += [unary(op + '_float64', op, FLOAT_OPS[op], 'float64') for op in FLOAT64_OPS]
    cases += [unary(op + '_int32', op, INT_RECIPES.get(op, 'cast_int'), 'int32')
              for op in INT_OPS]
    cases += [
        unary('sqrt_int32_small', 'sqrt', 'ints:-9:9', 'int32'),
        unary('cbrt_int32_small', 'cbrt', 'ints:-9:9', 'int32'),
        unary('log2_int32_small', 'log2', 'ints:1:9', 'int32'),
        unary('square_int32_above_float32_precision', 'square', 'ints:4097:9000', 'int32'),
        unary('relu_int64', 'relu', 'cast_int', 'int64'),
        unary('sqrt_uint8', 'sqrt', 'ints:0:255', 'uint8'),
        unary('exp_uint8_wraps', 'exp', 'ints:0:9', 'uint8'),
        unary('negative_int8', 'negative', 'ints:-9:9', 'int8'),
        # hard_sigmoid: alpha and beta are float32 even for float64 data; the slope is alpha
        # strictly inside (0, 1) and 0 at both bounds.
        unary('hard_sigmoid_clipped', 'hard_sigmoid', 'cast'),
        unary('hard_sigmoid_at_bounds', 'hard_sigmoid', 'ints:-2:2', alpha=0.25, beta=0.5),
        unary('hard_sigmoid_params', 'hard_sigmoid', 'normal', alpha=0.3, beta=0.1),
        unary('hard_sigmoid_params_float64', 'hard_sigmoid', 'normal', 'float64', alpha=0.3,
              beta=0.1),
        unary('hard_sigmoid_float16_at_bounds', 'hard_sigmoid', 'ints:-2:2', 'float16',
              alpha=0.25, beta=0.5),
        # clip: bounds are float32; the gradient passes on the closed interval.
        unary('clip', 'clip', 'normal', a_min=-0.5, a_max=0.5),
        unary('clip_at_bounds', 'clip', 'ints:-3:3', a_min=-1, a_max=2),
        unary('clip_float_bounds', 'clip', 'cast', a_min=-0.7, a_max=127.3),
        unary('clip_empty_interval', 'clip', 'normal', a_min=0.5, a_max=-0.5),
        unary('clip_float64', 'clip', 'normal', 'float64', a_min=-0.1, a_max=0.7),
        unary('clip_float16', 'clip', 'normal', 'float16', a_min=-0.1, a_max=0.7),
        unary('clip_int32', 'clip', 'ints:-9:9', 'int32', a_min=-2.5, a_max=3.7),
        case('clip_4d', 'clip', {'data': (2, 3, 2, 2)}, {'a_min': 0.0, 'a_max': 6.0}),
        case('relu_4d', 'relu', {'data': (2, 3, 2, 2)}),
        case('identity_with_attr_like_rhs',
             INTERNAL % ('lhs', '_identity_with_attr_like_rhs(lhs=lhs, rhs=rhs)'),
             {'lhs': (3, 4), 'rhs': (3, 4)}, variables=('lhs', 'rhs')),
        case('identity_with_attr_like_rhs_shape_from_rhs',
             INTERNAL % ('lhs', '_identity_with_attr_like_rhs(lhs=lhs, rhs=rhs)'),
             {'rhs': (2, 5)}, variables=('lhs', 'rhs')),
    ]
    return cases
