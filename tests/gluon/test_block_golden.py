"""Gluon blocks against MXNet 1.9.1 (golden/gluon_blocks_cases.py, recorded by
golden/make_gluon_blocks_golden.py): parameter names, outputs, gradients, running statistics
and exported symbol JSON of small networks, imperative and hybridized."""
import json
import os
import sys

import numpy as np
import pytest

import mxsym as mx

GOLDEN = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'golden')
sys.path.insert(0, GOLDEN)
from gluon_blocks_cases import CASES, run  # noqa: E402

ARRAYS = np.load(os.path.join(GOLDEN, 'gluon_blocks.npz'))
with open(os.path.join(GOLDEN, 'gluon_blocks.json')) as _texts:
    TEXTS = json.load(_texts)


@pytest.mark.parametrize('hybridize', [False, True], ids=['imperative', 'hybrid'])
@pytest.mark.parametrize('name', CASES)
def test_block_matches_mxnet(name, hybridize):
    mode = 'hybrid' if hybridize else 'imperative'
    prefix = '%s/%s/' % (name, mode)
    result = run(mx, name, hybridize)
    expected_keys = {k[len(prefix):] for k in list(ARRAYS.keys()) + list(TEXTS)
                     if k.startswith(prefix)}
    assert set(result) == expected_keys
    for key, value in result.items():
        if isinstance(value, str):
            assert value == TEXTS[prefix + key], key
        else:
            np.testing.assert_allclose(value, ARRAYS[prefix + key], rtol=1e-4, atol=1e-5,
                                       err_msg=key)
