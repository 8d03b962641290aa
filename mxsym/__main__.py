"""``python -m mxsym``: the ``mxsym`` command (see `mxsym.cli`)."""
import sys

from .cli import main

sys.exit(main())
