"""mpcheck as the tests find it: installed with its start-up hook or not, its source, the start methods here."""

from __future__ import annotations

import multiprocessing
import sys
import sysconfig
from pathlib import Path
from typing import Tuple

import pytest

import mpcheck
from mpcheck.methods import METHODS

#: the checkout mpcheck is imported from (a subprocess given it on PYTHONPATH imports the same mpcheck)
SOURCE_ROOT = str(Path(mpcheck.__file__).resolve().parent.parent)
#: the start methods this platform has, in mpcheck's order
HERE: Tuple[str, ...] = tuple(
    m for m in ("fork", "spawn", "forkserver") if m in multiprocessing.get_all_start_methods()
)
#: this platform has every start method (Linux)
ALL_METHODS = HERE == METHODS


def pth_installed() -> bool:
    """Whether mpcheck is installed here with its ``.pth`` start-up hook (``pip install .``; an editable
    install may lack it): what carries the forced method and the sanitizer into every Python started."""
    dirs = {sysconfig.get_paths()[k] for k in ("purelib", "platlib")}
    dirs |= {p for p in sys.path if p.endswith(("site-packages", "dist-packages"))}
    return any((Path(d) / "mpcheck_start_method.pth").exists() for d in dirs)


def skip_without_pth(why: str) -> pytest.MarkDecorator:
    """Skip unless :func:`pth_installed`; ``why``: what the hook does for the tests marked."""
    return pytest.mark.skipif(not pth_installed(), reason=f"mpcheck is not installed here (pip install .): {why}")


def skip_unless_pth_and_all_methods() -> None:
    """Skip the test (inside it, or a fixture) unless the hook is installed and every start method is here."""
    if not pth_installed():
        pytest.skip("mpcheck is not installed here with its .pth start-up hook (pip install .): it forces the method")
    if not ALL_METHODS:
        pytest.skip(f"this platform has {', '.join(HERE)} only: the test compares all three start methods")
