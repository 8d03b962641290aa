"""Golden cases for mxsym/ops/pdf.py (recorded from MXNet 1.9.1 by make_ops_golden.py)."""
from op_cases import case

COUNTS = 'ints:0:5'
# (op, {parameter input: value recipe}, sample recipe)
DENSITIES = [
    ('uniform', {'low': 'uniform:-2:-1', 'high': 'uniform:1:3'}, 'uniform:-1:1'),
    ('normal', {'mu': 'normal', 'sigma': 'positive'}, 'normal'),
    ('gamma', {'alpha': 'positive', 'beta': 'positive'}, 'positive'),
    ('exponential', {'lam': 'positive'}, 'positive'),
    ('poisson', {'lam': 'uniform:0.5:4'}, COUNTS),
    ('negative_binomial', {'k': 'uniform:1:4', 'p': 'uniform:0.2:0.8'}, COUNTS),
    ('generalized_negative_binomial', {'mu': 'uniform:0.5:3', 'alpha': 'uniform:0.2:1.5'},
     COUNTS),
]


def cases():
    def pdf(case_id, name, parameters, sample_recipe, sample, batch, kwargs=None, **options):
        shapes = dict({'sample': sample}, **{p: batch for p in parameters})
        return case(case_id, 'random_pdf_' + name, shapes, kwargs, variables=tuple(shapes),
                    values=dict(parameters, sample=sample_recipe), **options)

    cases = []
    for name, parameters, recipe in DENSITIES:
        cases += [
            pdf(name, name, parameters, recipe, (2, 3), (2,)),
            pdf(name + '_log', name, parameters, recipe, (2, 3, 2), (2, 3), {'is_log': True}),
            pdf(name + '_one_per_distribution_float64', name, parameters, recipe, (4,), (4,),
                dtype='float64'),
            pdf(name + '_log_float64', name, parameters, recipe, (3, 2), (3,),
                {'is_log': True}, dtype='float64'),
        ]
    dirichlet = {'alpha': 'positive'}
    return cases + [
        pdf('dirichlet', 'dirichlet', dirichlet, 'probs', (3, 4), (4,)),
        pdf('dirichlet_log', 'dirichlet', dirichlet, 'probs', (2, 3, 4), (2, 4),
            {'is_log': True}),
        pdf('dirichlet_single_vector', 'dirichlet', dirichlet, 'probs', (3,), (3,)),
        pdf('dirichlet_one_per_distribution_float64', 'dirichlet', dirichlet, 'probs', (2, 3),
            (2, 3), dtype='float64'),
        pdf('dirichlet_log_float64', 'dirichlet', dirichlet, 'probs', (2, 2, 3), (2, 2, 3),
            {'is_log': True}, dtype='float64'),
        pdf('normal_float16', 'normal', {'mu': 'normal', 'sigma': 'positive'}, 'normal', (2, 3),
            (2,), dtype='float16'),
        case('internal_name_made_input', '_internal._random_pdf_exponential',
             {'sample': (2, 2), '_random_pdf_exponential0_lam': (2,)}, {'is_log': True},
             variables=('sample',), values={'sample': 'positive', 'lam': 'positive'}),
    ]
