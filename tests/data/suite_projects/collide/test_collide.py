"""Tests that share a fixed path in the project folder, as many real suites do (a results file, a lock,
an sqlite database): two pytest sessions of the project running them at once collide there.

The collision is made certain, not left to timing: the first time a test runs under one of the
methods in $COLLIDE_METHODS (the methods ``mpcheck suite`` runs at once), it waits until each of those
methods' sessions has claimed the shared folder (a barrier in the folder $COLLIDE_STATE), looks, and
waits until each has looked before it releases its claim: each finds the other's claim. Any later run
(alone) finds the folder free.
"""

import multiprocessing
import os
import time
from pathlib import Path

import pytest

#: what the waiting is bounded by, only so that a broken harness cannot hang the run: with the methods
#: running at once, the other session arrives within its start-up
BARRIER_S = 120.0


def _together(name: str, method: str) -> bool:
    """Whether this run is the first of test ``name`` under ``method`` and ``method`` is one of those
    run at once (then the sessions of those methods meet in this test)."""
    state = os.environ.get("COLLIDE_STATE")
    if not state:
        pytest.skip("COLLIDE_STATE (a folder) not set: this project is run by tests/test_suite.py, which sets it")
    ran = Path(state, f"ran-{name}-{method}")
    first = not ran.exists()
    ran.touch()
    return first and method in os.environ.get("COLLIDE_METHODS", "").split()


def _barrier(step: str, name: str, method: str) -> None:
    """Wait until every session of $COLLIDE_METHODS has reached ``step`` of test ``name``."""
    state = os.environ["COLLIDE_STATE"]
    Path(state, f"{step}-{name}-{method}").touch()
    deadline = time.monotonic() + BARRIER_S
    while not all(Path(state, f"{step}-{name}-{m}").exists() for m in os.environ["COLLIDE_METHODS"].split()):
        assert time.monotonic() < deadline, f"the other sessions never reached {step}"
        time.sleep(0.02)


def _use_shared_folder(name: str) -> None:
    """Claim the project's fixed folder ``work-NAME`` for this test: a file of this process in it, the
    folder must hold nothing else (another session's claim), released at the end. Sessions that meet
    here each claim, wait for the others' claims, look, and wait for the others to have looked before
    releasing: each finds the others' claims."""
    method = multiprocessing.get_start_method()
    together = _together(name, method)
    work = Path(f"work-{name}")
    work.mkdir(exist_ok=True)
    mine = work / f"claim-{os.getpid()}"
    mine.touch()
    try:
        if together:
            _barrier("claimed", name, method)
        others = sorted(p.name for p in work.iterdir() if p != mine)
        if together:
            _barrier("looked", name, method)
        assert others == [], f"the shared folder {work} is in use: {others}"
    finally:
        mine.unlink()


def _start_a_process() -> None:
    p = multiprocessing.Process(target=time.sleep, args=(0,))
    p.start()
    p.join()
    assert p.exitcode == 0


def test_fixed_folder():
    """Agrees under every method run alone; two methods' sessions at once collide."""
    _start_a_process()
    _use_shared_folder("a")


def test_fixed_folder_and_forkserver():
    """Fails under forkserver wherever it runs (a real difference); also collides when two methods'
    sessions run it at once."""
    _start_a_process()
    _use_shared_folder("b")
    assert multiprocessing.get_start_method() != "forkserver", "this test does not hold under forkserver"
