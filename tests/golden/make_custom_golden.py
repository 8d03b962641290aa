"""Run the Python custom operators of tests/custom_op_defs.py under MXNet 1.9.1.

Run with a Python that has mxnet==1.9.1 installed: python tests/golden/make_custom_golden.py
Writes tests/golden/custom/custom_ops.npz, every array `run_cases` records.
"""
import os
import sys

import mxnet as mx
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from custom_op_defs import run_cases  # noqa: E402

if __name__ == '__main__':
    os.makedirs(os.path.join(HERE, 'custom'), exist_ok=True)
    np.savez(os.path.join(HERE, 'custom', 'custom_ops.npz'), **run_cases(mx))
