"""The catalog as pytest items: one per (scenario, start method), each in a fresh interpreter."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from support import leaks

from mpcheck.catalog.load import catalog
from mpcheck.catalog.report import mismatch_text
from mpcheck.catalog.runner import Run, cells_for
from mpcheck.engine.cell import tag_prefixes
from mpcheck.expect import METHODS
from mpcheck.facts import NAME_TAG_ENV

SCENARIOS = catalog()


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("scenario_id", sorted(SCENARIOS))
def test_cell(scenario_id: str, method: str) -> None:
    result = Run().cell(SCENARIOS[scenario_id], method)
    if result.status == "unavailable":
        pytest.skip(result.detail)
    assert result.status == "passed", (
        f"{scenario_id}[{method}] {result.status}\n{mismatch_text(result.to_json())}\n"
        f"stderr tail:\n{result.stderr_tail}"
    )


@pytest.mark.skipif(not leaks.supported(), reason="no /dev/shm to inspect on this platform")
def test_whole_catalog_leaves_no_semaphore_or_segment(monkeypatch) -> None:
    """One run of every cell, as `mpcheck run` does it, then nothing of it left in /dev/shm.

    (Leftover processes fail their cell already: the runner kills and reports them.)
    """
    tag = f"leakcheck{os.getpid()}"  # in the names of this run's cells' entries: others' are not counted
    monkeypatch.setenv(NAME_TAG_ENV, tag)
    before = leaks.snapshot()
    results = Run().run(cells_for(SCENARIOS.values(), METHODS))
    not_ok = [f"{r.scenario}[{r.method}] {r.status}" for r in results if not r.ok]
    assert not not_ok
    assert leaks.leaked_since(before, settle=10.0, mine=lambda name: name.startswith(tag_prefixes(tag))) == set()


@pytest.mark.skipif(not leaks.supported(), reason="no /dev/shm to inspect on this platform")
def test_the_leak_check_sees_what_this_python_creates() -> None:
    """The leak check is only as true as its name patterns: this Python's own entries must match them.

    A named semaphore (a spawn-context Lock is not unlinked at creation) and a SharedMemory segment,
    made here, must show up in a snapshot while they live and be gone once released, so a rename in a
    new CPython turns this red instead of the whole-catalog check going silently blind.
    """
    import gc
    import multiprocessing
    from multiprocessing import shared_memory

    before = leaks.snapshot()
    lock = multiprocessing.get_context("spawn").Lock()
    segment = shared_memory.SharedMemory(create=True, size=64)
    try:
        made = leaks.snapshot() - before
        assert any(n.startswith("sem.") for n in made), made
        assert f"{segment.name.lstrip('/')}" in made, (segment.name, made)
        assert leaks.in_use(made) >= {segment.name.lstrip("/")}
    finally:
        segment.close()
        segment.unlink()
        del lock
        gc.collect()  # PyPy frees (and so unlinks) the semaphore at a collection, not at the last reference
    assert leaks.leaked_since(before, settle=5.0, mine=made.__contains__) == set()


@pytest.mark.skipif(not leaks.supported(), reason="no /dev/shm to inspect on this platform")
def test_a_tagged_cell_names_its_semaphores_and_segments_with_the_tag() -> None:
    """What lets the whole-catalog check count only its own cells' entries (others run beside it)."""
    tag = f"tagcheck{os.getpid()}"
    code = (
        "import os, sys\n"
        "from mpcheck.engine.cell import _tag_names\n"
        "_tag_names(sys.argv[1])\n"
        "import multiprocessing\n"
        "from multiprocessing import shared_memory\n"
        "lock = multiprocessing.get_context('spawn').Lock()\n"
        "segment = shared_memory.SharedMemory(create=True, size=64)\n"
        "from mpcheck.engine.cell import tag_prefixes\n"
        "print(sorted(p for p in tag_prefixes(sys.argv[1]) for n in os.listdir('/dev/shm') if n.startswith(p)))\n"
        "segment.close()\n"
        "segment.unlink()\n"
    )
    done = subprocess.run([sys.executable, "-c", code, tag], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(sorted(tag_prefixes(tag)))
