"""Tests decided at different times for the later methods (``--parallel``): one through the default
context (as soon as the first method's run ends it), one through an explicit context only (once that
run has ended: whether a child started processes of its own is known only then), one that starts
nothing, and one the first method's run never collects. Each later test logs that it ran."""

import multiprocessing
import os
from pathlib import Path


def _ran(name: str) -> None:
    Path(os.environ["UNDECIDED_STATE"], f"{name}-{os.environ['MPCHECK_START_METHOD']}").touch()


def _start(context) -> None:
    p = context.Process(target=os.getpid)
    p.start()
    p.join()
    assert p.exitcode == 0


def test_default_context():
    _start(multiprocessing)
    _ran("default")


def test_explicit_context():
    _start(multiprocessing.get_context("spawn"))
    _ran("explicit")


def test_no_process():
    _ran("pure")


if os.environ.get("MPCHECK_START_METHOD") != "fork":

    def test_collected_by_the_later_methods_only():
        _ran("later-only")
