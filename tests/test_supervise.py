"""Containment (mpcheck.engine.supervise, mpcheck.engine.proctree): hostile scenarios end within their limit,
with the right status, leaving nothing.

The scenarios in tests/data/hostile record every pid they start (``_pids.record``) and put a per-test tag
in the names of their named semaphores, so "nothing left" is checked exactly: no recorded process
alive, no process left in any cell's session (forkserver, resource tracker), no tagged semaphore or
pid-named heap arena in /dev/shm, whatever other runs on the machine are doing meanwhile.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Dict, List

import psutil
import pytest
from support import DATA, leaks
from support.interrupting import interruptible

from mpcheck.catalog.load import discover
from mpcheck.catalog.results import CellResult
from mpcheck.catalog.runner import Run, cells_for
from mpcheck.engine.launch import TAIL_BYTES
from mpcheck.engine.supervise import DRAIN_S
from mpcheck.expect import METHODS

HOSTILE = DATA / "hostile"
HANG_TIMEOUT = 10.0  # for scenarios that never end: the timeout is what is under test
KILL_ESCALATION = 3 * 1.0 + 1.0  # Tree.kill: three bounded steps (grace 1 s) and a last wait
SLACK = 20.0  # a loaded machine: start-up, scheduling, the judge's own work

pytestmark = pytest.mark.skipif(os.name != "posix", reason="pid and session checks are POSIX")


@pytest.fixture
def hostile(tmp_path, monkeypatch):
    """Environment for hostile cells: where they record pids, their semaphore tag, a private cache."""
    pids = tmp_path / "pids"
    pids.mkdir()
    tag = uuid.uuid4().hex[:8]
    monkeypatch.setenv("MPCHECK_HOSTILE_PIDS", str(pids))
    monkeypatch.setenv("MPCHECK_HOSTILE_TAG", tag)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return {"pids": pids, "tag": tag, "before": leaks.snapshot()}


def recorded(pids: Path) -> Dict[int, str]:
    """pid -> role, for every process the hostile scenarios recorded."""
    return {int(p.name): p.read_text() for p in pids.iterdir() if p.name.isdigit()}


def _still_ours(pid: int, recorded_at: float) -> bool:
    """Alive, not a zombie, and not a newer process that reuses the pid."""
    try:
        proc = psutil.Process(pid)
        return proc.status() != psutil.STATUS_ZOMBIE and proc.create_time() <= recorded_at + 1.0
    except psutil.Error:
        return False


def assert_contained(env: dict) -> None:
    pids_dir: Path = env["pids"]
    roles = recorded(pids_dir)
    alive = [
        f"{pid} ({role})" for pid, role in roles.items() if _still_ours(pid, (pids_dir / str(pid)).stat().st_mtime)
    ]
    assert not alive, f"processes of the run still alive: {alive}"
    # Each cell's interpreter leads its own session: nothing may be left in it (forkserver, tracker).
    leaders = {pid for pid, role in roles.items() if role == "main"}
    in_sessions = []
    for proc in psutil.process_iter():
        try:
            if os.getsid(proc.pid) in leaders and proc.status() != psutil.STATUS_ZOMBIE:
                in_sessions.append(f"{proc.pid} {' '.join(proc.cmdline())[:80]}")
        except (OSError, psutil.Error):
            continue
    assert not in_sessions, f"processes left in a cell's session: {in_sessions}"
    tag, known = env["tag"], set(roles)

    def mine(name: str) -> bool:
        if name.startswith(f"sem.mp-{tag}-"):
            return True
        parts = name.split("-")
        return name.startswith("pym-") and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) in known

    left = leaks.leaked_since(env["before"], settle=10.0, mine=mine)
    assert not left, f"left in /dev/shm: {sorted(left)}"


def run_hostile(scenario: str, timeout: float) -> List[CellResult]:
    """The scenario under every start method at once (the harness judges while they misbehave)."""
    found = discover([HOSTILE])
    results = Run(timeout=timeout, jobs=len(METHODS)).run(cells_for([found[scenario]], METHODS))
    assert [r.method for r in results] == list(METHODS)
    return [r for r in results if r.status != "unavailable"]


def assert_bounded(result: CellResult, timeout: float, drained: bool = False) -> None:
    bound = timeout + KILL_ESCALATION + (DRAIN_S if drained else 0) + SLACK
    assert result.duration_s <= bound, f"{result.scenario}[{result.method}] took {result.duration_s} s"


@pytest.mark.parametrize("scenario", ["infinite_loop", "queue_deadlock"])
def test_hang_times_out_and_leaves_nothing(hostile, scenario):
    for r in run_hostile(scenario, HANG_TIMEOUT):
        assert r.status == "timeout", (r.method, r.detail, r.stderr_tail)
        assert f"{HANG_TIMEOUT:g} s" in r.detail
        assert_bounded(r, HANG_TIMEOUT)
    assert "main" in recorded(hostile["pids"]).values()
    assert_contained(hostile)


def _tracker_waits_for_orphans() -> bool:
    """Whether this CPython's ``ResourceTracker.__del__`` waits without a bound for the tracker to exit
    at interpreter shutdown (gh-88887, in 3.13 releases until gh-146313 bounded the wait). The tracker
    exits once every holder of its pipe has: a grandchild orphaned under spawn or forkserver holds it,
    so the cell's main process hangs at exit (seen on Debian trixie's 3.13.5) instead of ending."""
    from multiprocessing.resource_tracker import ResourceTracker

    stop = getattr(ResourceTracker, "_stop_locked", None)
    return (
        "__del__" in vars(ResourceTracker)
        and stop is not None
        and "wait_timeout" not in inspect.signature(stop).parameters
    )


def assert_orphans_found(r: CellResult, timeout: float) -> None:
    """The cell that orphaned its grandchildren: its leftovers found and killed; or, where the main
    process's resource tracker waits for them at exit, the hang reported as one, with that frame."""
    if r.method != "fork" and _tracker_waits_for_orphans():
        assert r.status == "timeout", (r.method, r.detail, r.stderr_tail)
        assert "_stop_locked" in r.stderr_tail  # the dumped main thread waits in the tracker's stop
        assert_bounded(r, timeout)
        return
    assert r.status == "failed", (r.method, r.detail, r.stderr_tail)
    assert r.observed == {"child_exitcode": 0}
    assert "leftover_processes" in r.mismatches
    assert_bounded(r, 0, drained=True)  # it ends by itself; only the drain and the kill remain


def test_orphaned_grandchildren_are_found_and_killed(hostile):
    for r in run_hostile("orphans", 60):
        assert_orphans_found(r, 60)
    roles = list(recorded(hostile["pids"]).values())
    assert roles.count("grandchild") == 2 * len(METHODS)
    assert_contained(hostile)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="found by /proc/PID/environ: Linux only")
def test_grandchild_that_left_the_session_is_found_and_killed(hostile):
    for r in run_hostile("setsid_escape", 60):
        assert_orphans_found(r, 60)
    roles = recorded(hostile["pids"])
    escaped = [pid for pid, role in roles.items() if role == "escaped"]
    assert len(escaped) == len(METHODS)
    assert_contained(hostile)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="found by /proc/PID/stat: Linux only")
def test_detached_child_with_another_environment_is_killed_with_the_tree(hostile):
    # cotyledon's master: its own session, setproctitle over its environment; found by its parent
    for r in run_hostile("detached_new_environment", HANG_TIMEOUT):
        assert r.status == "timeout", (r.method, r.detail, r.stderr_tail)
        assert_bounded(r, HANG_TIMEOUT)
    roles = recorded(hostile["pids"])
    assert list(roles.values()).count("detached") == len(METHODS)
    assert_contained(hostile)


def test_abort_is_a_crash_and_its_child_is_killed(hostile):
    for r in run_hostile("aborts_with_child", 60):
        assert r.status == "crashed", (r.method, r.detail)
        assert "SIGABRT" in r.detail
        assert_bounded(r, 0, drained=True)
    assert list(recorded(hostile["pids"]).values()).count("child") == len(METHODS)
    assert_contained(hostile)


def test_megabytes_of_output_pass_and_only_tails_are_kept(hostile):
    for r in run_hostile("big_output", 60):
        assert r.status == "passed", (r.method, r.detail, r.stderr_tail[-500:])
        assert len(r.stdout_tail) <= TAIL_BYTES + 1 and len(r.stderr_tail) <= TAIL_BYTES + 1
        assert r.stdout_tail.endswith("end of main stdout\n")
        assert r.stderr_tail.endswith("end of main stderr\n")
    assert_contained(hostile)


def test_closed_stdout_does_not_confuse_the_harness(hostile):
    for r in run_hostile("closes_stdout", 60):
        assert r.status == "passed", (r.method, r.detail, r.stderr_tail)
    assert_contained(hostile)


def test_sys_exit_at_import_is_a_crash_with_its_code(hostile):
    # The catalog read the file without running it (else this process would have exited).
    for r in run_hostile("exit_at_import", 60):
        assert r.status == "crashed", (r.method, r.detail)
        assert "exit code 3" in r.detail
    assert_contained(hostile)


def test_ctrl_c_kills_every_cell_and_prints_the_partial_matrix(hostile, tmp_path):
    scenarios = ["infinite_loop", "queue_deadlock"]
    methods = [m for m in METHODS if m != "forkserver"]  # two methods keep it light on 2 cores
    cmd = [sys.executable, "-m", "mpcheck", "run", "--no-builtin", "--path", str(HOSTILE), "--timeout", "600",
           "--jobs", str(len(scenarios) * len(methods)), "--quiet"]  # fmt: skip
    for s in scenarios:
        cmd += ["--scenario", s]
    for m in methods:
        cmd += ["--method", m]
    out, err = tmp_path / "out", tmp_path / "err"
    temp = tmp_path / "temp"  # the harness's temporary folder: the cells' folders, and theirs inside
    temp.mkdir()
    env = dict(os.environ, TMPDIR=str(temp))
    with (
        open(out, "wb") as fo,
        open(err, "wb") as fe,
        interruptible(cmd, stdout=fo, stderr=fe, stdin=subprocess.DEVNULL, env=env) as harness,
    ):
        want = len(scenarios) * len(methods)
        deadline = 120.0
        while list(recorded(hostile["pids"]).values()).count("child") < want:
            assert harness.poll() is None, err.read_text()
            deadline -= 0.1
            assert deadline > 0, f"cells never all started: {recorded(hostile['pids'])}"
            with contextlib.suppress(subprocess.TimeoutExpired):
                harness.wait(0.1)
        harness.send_signal(signal.SIGINT)
        returncode = harness.wait(timeout=60)
        stdout, stderr = out.read_text(), err.read_text()
        assert returncode == 130, stdout + stderr
        assert "Traceback" not in stderr
        for s in scenarios:
            assert s in stdout
        assert stdout.count("interrupted") >= want, stdout
        assert "partial" in stderr
        assert_contained(hostile)
        if sys.platform.startswith("linux"):  # cells killed mid-run leave no temporary file (pymp-*, sockets)
            assert list(temp.iterdir()) == []
