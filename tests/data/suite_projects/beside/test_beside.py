"""The later methods run beside the first (``--parallel``): each test as soon as the first method's run
has decided it, while that run goes on. The first method's third test waits for a file that only the
later methods' copies of the first test write (they run it once the first method's run has decided the
second too: pytest tears a test's fixtures down knowing the next test). Under the old order (the later
methods after the first's whole run) it could never appear. The wait is bounded only so that a broken
harness cannot hang."""

import multiprocessing
import os
import time
from pathlib import Path

LATER = [m for m in ("spawn", "forkserver") if m in multiprocessing.get_all_start_methods()]
LIMIT_S = 120.0


def _start_a_process() -> None:
    p = multiprocessing.Process(target=time.sleep, args=(0,))
    p.start()
    p.join()
    assert p.exitcode == 0


def test_first():
    _start_a_process()
    method = os.environ["MPCHECK_START_METHOD"]
    if method != "fork":
        Path(os.environ["BESIDE_STATE"], f"first-{method}").touch()


def test_second():
    _start_a_process()


def test_third():
    _start_a_process()
    if os.environ["MPCHECK_START_METHOD"] == "fork":
        wanted = [Path(os.environ["BESIDE_STATE"], f"first-{m}") for m in LATER]
        deadline = time.monotonic() + LIMIT_S
        while not all(p.exists() for p in wanted) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert [p.name for p in wanted if not p.exists()] == [], "the later methods did not run beside the first"
