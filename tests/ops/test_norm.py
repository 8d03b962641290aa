"""Golden tests for mxsym/ops/norm.py against MXNet 1.9.1: InstanceNorm, LayerNorm, GroupNorm,
L2Normalization and LRN."""
import pytest

import mxsym as mx
from golden_case import case_id, check_executor, check_symbol, executor_params, load_cases

CASES = load_cases('norm')


@pytest.mark.parametrize('case', CASES, ids=case_id)
def test_symbol(case):
    check_symbol(mx, case)


@pytest.mark.parametrize('case', executor_params(mx, CASES))
def test_forward_backward(case):
    check_executor(mx, case)
