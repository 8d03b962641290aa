"""Settings for the whole test suite."""
import os

# Tests compile many small programs; none of them belongs in the user's compilation cache.
os.environ.setdefault('MXSYM_COMPILATION_CACHE', '0')
