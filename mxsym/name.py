"""Automatic naming of symbols: `NameManager` and `Prefix`, used as context managers."""
import threading


class NameManager:
    """Gives each unnamed symbol a unique name from a hint: ``fullyconnected0``, ``_plus1``."""

    _current = threading.local()

    def __init__(self):
        self._counter = {}
        self._old_manager = None

    def get(self, name, hint):
        """The user's name if given, else the hint followed by a per-hint counter."""
        if name:
            return name
        count = self._counter.get(hint, 0)
        self._counter[hint] = count + 1
        return '%s%d' % (hint, count)

    def __enter__(self):
        self._old_manager = current()
        NameManager._current.value = self
        return self

    def __exit__(self, ptype, value, trace):
        NameManager._current.value = self._old_manager


class Prefix(NameManager):
    """A name manager that puts a prefix in front of every name, given or generated."""

    def __init__(self, prefix):
        super().__init__()
        self._prefix = prefix

    def get(self, name, hint):
        return self._prefix + super().get(name, hint)


def current():
    """The name manager in force."""
    if not hasattr(NameManager._current, 'value'):
        NameManager._current.value = NameManager()
    return NameManager._current.value
