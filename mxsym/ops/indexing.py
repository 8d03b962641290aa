"""Picking elements by index: take, pick, one_hot, where, topk, sort, ..."""
