"""The catalog as pytest items: one per (scenario, start method), each in a fresh interpreter."""

from __future__ import annotations

import leaks
import pytest

from mpcheck.catalog.load import catalog
from mpcheck.catalog.report import mismatch_text
from mpcheck.catalog.runner import Run, cells_for
from mpcheck.expect import METHODS

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
def test_whole_catalog_leaves_no_semaphore_or_segment() -> None:
    """One run of every cell, as `mpcheck run` does it, then nothing of it left in /dev/shm.

    (Leftover processes fail their cell already: the runner kills and reports them.)
    """
    before = leaks.snapshot()
    results = Run().run(cells_for(SCENARIOS.values(), METHODS))
    not_ok = [f"{r.scenario}[{r.method}] {r.status}" for r in results if not r.ok]
    assert not not_ok
    assert leaks.leaked_since(before, settle=10.0) == set()


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
