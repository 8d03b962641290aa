"""The C++ standard library's shuffle as MXNet's iterators run it: ``std::shuffle`` with a
``std::mt19937`` engine (the one-index-per-draw algorithm of the libstdc++ MXNet 1.9.1 is
built with), so a seeded iterator visits its examples in MXNet's order."""
import numpy as np

_RANGE = 2 ** 32 - 1   # mt19937's max() - min()


class Mt19937:
    """A ``std::mt19937(seed)`` engine whose state carries over from one shuffle to the next
    (NumPy's MT19937 is seeded the same way and gives the same 32-bit words)."""

    def __init__(self, seed):
        self._state = np.random.RandomState(seed & 0xffffffff)
        self._words = iter(())

    def __next__(self):
        word = next(self._words, None)
        if word is None:
            self._words = iter(self._state.randint(0, 2 ** 32, size=1024,
                                                   dtype=np.uint32).tolist())
            word = next(self._words)
        return word

    def uniform_int(self, upper):
        """libstdc++'s ``uniform_int_distribution(0, upper)``: the word range cut to a
        multiple of the target range (the rest redrawn), then divided down."""
        span = upper + 1
        scaling = _RANGE // span
        past = span * scaling
        while True:
            word = next(self)
            if word < past:
                return word // scaling

    def shuffle(self, items):
        """`items` (a list) shuffled in place as ``std::shuffle(begin, end, engine)``."""
        for i in range(1, len(items)):
            j = self.uniform_int(i)
            items[i], items[j] = items[j], items[i]
        return items


def std_shuffle(items, seed):
    """`items` (a list) shuffled in place as ``std::shuffle(begin, end, std::mt19937(seed))``."""
    return Mt19937(seed).shuffle(items)
