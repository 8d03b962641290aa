"""The C++ standard library's shuffle as MXNet's iterators run it: ``std::shuffle`` with a
``std::mt19937`` engine (libstdc++'s algorithm), so a seeded iterator visits its examples in
MXNet's order."""
import numpy as np

_RANGE = 2 ** 32 - 1   # mt19937's max() - min()


def _mt19937_words(seed):
    """The 32-bit outputs of ``std::mt19937(seed)`` (NumPy's MT19937 seeded the same way)."""
    state = np.random.RandomState(seed & 0xffffffff)
    while True:
        yield from state.randint(0, 2 ** 32, size=1024, dtype=np.uint32).tolist()


def _uniform_int(words, upper):
    """libstdc++'s ``uniform_int_distribution(0, upper)`` on 32-bit words: the word range cut
    to a multiple of the target range (the rest redrawn), then divided down."""
    span = upper + 1
    scaling = _RANGE // span
    past = span * scaling
    for word in words:
        if word < past:
            return word // scaling


def std_shuffle(items, seed):
    """`items` (a list) shuffled in place as ``std::shuffle(begin, end, std::mt19937(seed))``."""
    words = _mt19937_words(seed)
    for i in range(1, len(items)):
        j = _uniform_int(words, i)
        items[i], items[j] = items[j], items[i]
    return items
