"""Starting a process that a test will interrupt (Ctrl-C): with SIGINT restored, and never left behind.

A test suite run as a background job (``pytest ... &`` in a script, a CI runner's shell) starts with
SIGINT ignored, and every process it starts inherits that: a Ctrl-C sent to them does nothing, the test
waits out its timeout, and what it started keeps running. :func:`interruptible` starts the command in a
session of its own with SIGINT back to its default (Python then turns it into KeyboardInterrupt, as at a
terminal), and on the way out, whatever happened, kills the whole session and everything in it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from typing import Any, Iterator, List

import psutil


def restore_sigint() -> None:
    """``preexec_fn``: SIGINT as a terminal gives it, whatever the test run's own disposition."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextlib.contextmanager
def interruptible(cmd: List[str], **kwargs: Any) -> Iterator[subprocess.Popen]:
    """``subprocess.Popen(cmd, **kwargs)`` in a new session with SIGINT restored; on exit, the session and
    every process of the tree (also those that left the session) are killed."""
    proc = subprocess.Popen(cmd, start_new_session=True, preexec_fn=restore_sigint, **kwargs)
    tree: List[psutil.Process] = []
    try:
        yield proc
    finally:
        with contextlib.suppress(psutil.Error):
            tree = psutil.Process(proc.pid).children(recursive=True)
        with contextlib.suppress(OSError):  # the session outlives its leader while one of its processes lives
            os.killpg(proc.pid, signal.SIGKILL)
        for child in tree:
            with contextlib.suppress(psutil.Error):
                child.kill()
        with contextlib.suppress(Exception):  # pipes the test already read are closed
            proc.communicate(timeout=30)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=30)
