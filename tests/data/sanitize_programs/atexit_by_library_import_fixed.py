"""An atexit handler the standard library registers for itself when the child first imports it (logging
registers logging.shutdown at import): not the program's, whatever the method; the sanitizer must not
blame the child's import line (issue 33: pytest 9 imports logging this way in a spawn child, and the
hazard landed on the test file's `import pytest`)."""

import sys
from multiprocessing import Process


def work():
    import logging  # the first import of logging in this process: logging registers its own atexit handler

    logging.getLogger("worker").debug("started")


if __name__ == "__main__":
    assert "logging" not in sys.modules  # so that the child's import is logging's first
    p = Process(target=work)
    p.start()
    p.join()
    assert p.exitcode == 0
