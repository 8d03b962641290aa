"""Golden cases for mxsym/ops/random.py (recorded from MXNet 1.9.1 by make_ops_golden.py).

Draws cannot match MXNet's generator: the tests replay only names, inferred shapes and dtypes
and tojson() from these cases; tests/ops/test_random.py checks the distributions directly.
"""
from op_cases import case


def cases():
    def sampler(case_id, op, kwargs):
        return case(case_id, op, {}, kwargs, variables=())

    def sample(case_id, op, shapes, kwargs=None, dtype='float32', values=None):
        return case(case_id, op, shapes, kwargs, variables=tuple(shapes), dtype=dtype,
                    values=values or {name: 'positive' for name in shapes})

    return [
        sampler('uniform', 'uniform', {'shape': (2, 3)}),
        sampler('random_uniform_range_float64', 'random_uniform',
                {'low': -2.0, 'high': 5.0, 'shape': (4,), 'dtype': 'float64'}),
        sampler('random_uniform_float16_ctx', 'random_uniform',
                {'shape': (2, 2), 'dtype': 'float16', 'ctx': 'cpu(0)'}),
        sampler('normal', 'normal', {'loc': 1.0, 'scale': 2.0, 'shape': (3, 2)}),
        sampler('random_normal_float64', 'random_normal', {'shape': (5,), 'dtype': 'float64'}),
        sampler('random_gamma', 'random_gamma', {'alpha': 2.0, 'beta': 0.5, 'shape': (5,)}),
        sampler('random_exponential', 'random_exponential', {'lam': 3.0, 'shape': (2, 2)}),
        sampler('random_poisson_float64', 'random_poisson',
                {'lam': 4.0, 'shape': (3,), 'dtype': 'float64'}),
        sampler('random_negative_binomial', 'random_negative_binomial',
                {'k': 3, 'p': 0.4, 'shape': (3,)}),
        sampler('random_generalized_negative_binomial', 'random_generalized_negative_binomial',
                {'mu': 2.0, 'alpha': 0.5, 'shape': (3, 1)}),
        sampler('random_randint', 'random_randint', {'low': -3, 'high': 7, 'shape': (2, 3)}),
        sampler('random_randint_int64', 'random_randint',
                {'low': 0, 'high': 100, 'shape': (4,), 'dtype': 'int64'}),
        sampler('sample_unique_zipfian', '_internal._sample_unique_zipfian',
                {'range_max': 10, 'shape': (2, 3)}),

        sample('sample_uniform', 'sample_uniform', {'low': (2,), 'high': (2,)}, {'shape': (3,)}),
        sample('sample_uniform_no_shape', 'sample_uniform', {'low': (2, 3), 'high': (2, 3)}),
        sample('sample_normal_float64_params', 'sample_normal', {'mu': (3,), 'sigma': (3,)},
               {'shape': (2, 2)}, dtype='float64'),
        sample('sample_normal_dtype_float64', 'sample_normal', {'mu': (2,), 'sigma': (2,)},
               {'shape': (4,), 'dtype': 'float64'}),
        sample('sample_normal_dtype_float16', 'sample_normal', {'mu': (2,), 'sigma': (2,)},
               {'dtype': 'float16'}),
        sample('sample_gamma', 'sample_gamma', {'alpha': (2,), 'beta': (2,)}, {'shape': (3,)}),
        sample('sample_exponential', 'sample_exponential', {'lam': (2, 2)}, {'shape': (2,)}),
        sample('sample_poisson', 'sample_poisson', {'lam': (3,)}, {'shape': (2,)}),
        sample('sample_negative_binomial', 'sample_negative_binomial',
               {'k': (2, 3), 'p': (2, 3)}, {'shape': (2,)},
               values={'k': 'positive', 'p': 'probs'}),
        sample('sample_generalized_negative_binomial', 'sample_generalized_negative_binomial',
               {'mu': (2,), 'alpha': (2,)}, {'shape': (3,)}),

        sample('sample_multinomial', 'sample_multinomial', {'data': (2, 3)},
               values={'data': 'probs'}),
        sample('sample_multinomial_get_prob', 'sample_multinomial', {'data': (2, 3)},
               {'shape': (4,), 'get_prob': True}, values={'data': 'probs'}),
        sample('sample_multinomial_1d', 'sample_multinomial', {'data': (4,)},
               values={'data': 'probs'}),
        sample('sample_multinomial_1d_shape', 'sample_multinomial', {'data': (4,)},
               {'shape': (2, 3)}, values={'data': 'probs'}),
        sample('sample_multinomial_float64_uint8', 'sample_multinomial', {'data': (3, 2)},
               {'dtype': 'uint8', 'get_prob': True}, dtype='float64', values={'data': 'probs'}),
    ]
