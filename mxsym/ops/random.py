"""Random samplers drawing from the executor's PRNG key: _random_*, _sample_*."""
