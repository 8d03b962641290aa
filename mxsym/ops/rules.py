"""Shape and dtype rules shared by several op families."""
from ..base import MXNetError


def merge_shapes(known, new):
    """Combine two partial shapes (None = unknown, 0 = unknown dim); None when they conflict."""
    if known is None:
        return new
    if new is None:
        return known
    if len(known) != len(new):
        return None
    merged = []
    for a, b in zip(known, new):
        if a and b and a != b:
            return None
        merged.append(a or b)
    return tuple(merged)


def same_shape(params, in_shapes, out_shapes, input_names):
    """Every input and output has one shape (elementwise ops): any known one fills the others."""
    everything = list(in_shapes) + list(out_shapes)
    names = list(input_names) + ['output'] * len(out_shapes)
    common = None
    first = None
    for name, shape in zip(names, everything):
        if shape is None:
            continue
        merged = merge_shapes(common, shape)
        if merged is None:
            raise MXNetError('%s has shape %s but %s has shape %s; the shapes must be equal'
                             % (name, shape, first, common))
        if common is None:
            first = name
        common = merged
    return [common] * len(in_shapes), [common] * len(out_shapes)
