"""Skip markers shared by several test files (each with the reason a reviewer would accept)."""

from __future__ import annotations

import sys
from typing import Optional, Set

import pytest

#: PyPy 7.3.10/7.3.11's own concurrent/futures/process.py: submit() fails under spawn and forkserver
#: (AttributeError '_adjust_process_count', pypy/pypy#3873); the catalog observes it (mpcheck.scenarios._pypy)
EXECUTOR_BROKEN_HERE = sys.implementation.name == "pypy" and getattr(sys, "pypy_version_info", (9,)) < (7, 3, 12)
BROKEN_EXECUTOR_REASON = "this PyPy's ProcessPoolExecutor.submit() fails under spawn and forkserver (pypy/pypy#3873)"
BROKEN_EXECUTOR = pytest.mark.skipif(EXECUTOR_BROKEN_HERE, reason=BROKEN_EXECUTOR_REASON)


def unmet_need(needs: Set[str], method: Optional[str]) -> Optional[str]:
    """Why a program with these ``# needs:`` (tests/support/lint_marks.py) cannot run here under the forced
    ``method`` (None: unforced); None if it can."""
    if "spawn-executor" in needs and EXECUTOR_BROKEN_HERE and method in ("spawn", "forkserver"):
        return BROKEN_EXECUTOR_REASON
    return None
