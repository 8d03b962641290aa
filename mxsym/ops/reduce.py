"""Reductions over axes: sum, mean, prod, max, min, norm, argmax, ... (never 0-d)."""
