"""``python -m mpcheck.suite.pytest_command ARGS``: pytest as the ``pytest`` command runs it.

``python -m pytest`` puts the current folder first on ``sys.path``; the ``pytest`` command does not.
That changes what a spawn or forkserver child can import by name (it gets the parent's ``sys.path``):
a test module that only ``python -m pytest`` makes importable would hide a failure users of the
``pytest`` command see. ``mpcheck suite`` runs pytest the way its users mostly type it.

A package's ``__main__``: spawn and forkserver children do not re-import it (multiprocessing skips a
main module named ``*.__main__``), as they do not re-import ``pytest.__main__``.
"""

import os
import sys

if __name__ == "__main__":
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
    import pytest

    sys.exit(int(pytest.main()))
