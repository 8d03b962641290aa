"""Settings for the whole test suite."""
import os

# Tests compile many small programs; none of them belongs in the user's compilation cache.
os.environ.setdefault('MXSYM_COMPILATION_CACHE', '0')


def pytest_collection_modifyitems(items):
    """The long end-to-end tests (marked ``slow``) first, so the workers share them instead of
    one worker finishing them alone after the rest."""
    items.sort(key=lambda item: item.get_closest_marker('slow') is None)
