"""macOS and Windows where CPython's source decides (issue 31), checked here on Linux by simulation.

Nothing here runs on macOS or Windows: each test fakes the one platform behaviour it is about (a clean-up
that fails as Windows' does when a straggler holds a file, a child made before the pickling fails) and
checks that the harness and the scenarios handle it as the source says.
"""

from __future__ import annotations

import errno
import json
import os
import pickle
import shutil
import subprocess
import sys
from multiprocessing import get_context, popen_fork
from pathlib import Path
from typing import ClassVar, List, Tuple

import pytest

from mpcheck import cli
from mpcheck.catalog import runner
from mpcheck.catalog.load import catalog
from mpcheck.catalog.runner import Run
from mpcheck.expect import METHODS, describe
from mpcheck.facts import children_of_failed_start

HELD_MARKER = "this cell's stdout is held open"
SCENARIO = '''"""A cell that passes."""

from mpcheck.expect import Expect
from mpcheck.facts import report

EXPECT = Expect(facts={{"answer": 42}})

if __name__ == "__main__":
    print({text!r})
    report(answer=42)
'''


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the double reads /proc/self/fd")
def test_a_temp_folder_that_will_not_go_is_a_leftover_of_its_cell_and_the_run_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows cannot delete a file another process holds; 3.9's TemporaryDirectory then raised and ended
    the whole run. Faked: unlinking one cell's ``stdout`` fails as Windows' does (WinError 32's text)."""
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    (scenarios / "held.py").write_text(SCENARIO.format(text=HELD_MARKER), encoding="utf-8")
    (scenarios / "free.py").write_text(SCENARIO.format(text="nothing holds me"), encoding="utf-8")
    real_unlink = os.unlink
    refused = []

    def unlink(path, *, dir_fd=None):  # shutil.rmtree's call, as it makes it on Linux
        full = os.path.join(f"/proc/self/fd/{dir_fd}", path) if dir_fd is not None else path
        if os.path.basename(path) == "stdout":
            with open(full, encoding="utf-8", errors="replace") as fh:
                if HELD_MARKER in fh.read():
                    refused.append(os.path.realpath(full))
                    message = "The process cannot access the file because it is being used by another process"
                    raise PermissionError(errno.EACCES, message, full)
        return real_unlink(path, dir_fd=dir_fd)

    monkeypatch.setattr(os, "unlink", unlink)
    out = tmp_path / "report.json"
    code = cli.main(
        ["run", "--no-builtin", "--path", str(scenarios), "--method", "spawn", "--json", str(out), "--quiet"]
    )
    monkeypatch.undo()
    try:
        assert code == 1
        cells = {c["scenario"]: c for c in json.loads(out.read_text(encoding="utf-8"))["cells"]}
        assert cells["free"]["status"] == "passed" and "leftover_files" not in cells["free"]["mismatches"]
        held = cells["held"]
        assert held["status"] == "failed", held
        assert held["observed"] == {"answer": 42}
        (refused_path,) = refused
        why = held["mismatches"]["leftover_files"]
        assert why.startswith("could not be removed after the cell ended: ")
        assert "stdout: PermissionError: " in why and "being used by another process" in why
        assert os.path.dirname(refused_path) in why
    finally:
        for path in refused:
            shutil.rmtree(os.path.dirname(path), ignore_errors=True)


class _MadeBeforePickling(popen_fork.Popen):
    """Windows' order (popen_spawn_win32: CreateProcess, then the pickling) on POSIX: the child exists,
    reads from a pipe until its end, and exits 1 as a spawn child does on the pickle that never came."""

    __module__ = "multiprocessing.popen_made_before_pickling"  # a Popen, as children_of_failed_start looks for
    made: ClassVar[List[int]] = []

    def _launch(self, process_obj: object) -> None:
        read_end, write_end = os.pipe()
        code = "import os, sys; os.read(int(sys.argv[1]), 1); sys.exit(1)"
        os.set_inheritable(read_end, True)
        self.pid = os.posix_spawn(sys.executable, [sys.executable, "-c", code, str(read_end)], os.environ)
        self.made.append(self.pid)
        os.close(read_end)
        try:
            pickle.dumps(process_obj)
        finally:
            os.close(write_end)  # the child reads its end and exits 1


@pytest.mark.skipif(os.name != "posix", reason="the double starts its child with posix_spawn")
def test_a_failed_start_that_had_made_its_child_waits_for_it() -> None:
    with pytest.raises(Exception) as info:
        _MadeBeforePickling(lambda: None)  # type: ignore[arg-type]
    assert children_of_failed_start(info.value) == [1]
    assert children_of_failed_start(info.value) == [1]  # the same child, waited for once, reported again
    (pid,) = _MadeBeforePickling.made
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: nothing of it left


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_posix_spawn_and_forkserver_pickle_before_any_child(method: str) -> None:
    process = get_context(method).Process(target=lambda: None)  # type: ignore[attr-defined]
    with pytest.raises((pickle.PicklingError, AttributeError)) as info:
        process.start()
    assert children_of_failed_start(info.value) == []


SCENARIOS = catalog()


def test_a_method_the_table_promises_but_the_interpreter_lacks_is_unavailable_saying_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A macOS build without fork server support (reduction.HAVE_SEND_HANDLE false) lists no forkserver:
    faked here, the cell is not run (no crash) and says the table and the interpreter disagree."""
    monkeypatch.setattr(runner, "methods_here", lambda: ["fork", "spawn"])
    result = Run().cell(SCENARIOS["process_basics"], "forkserver")
    assert result.status == "unavailable" and result.ok
    assert result.detail == (
        "the table and the interpreter disagree: mpcheck.methods.AVAILABLE says linux has 'forkserver', "
        "but this interpreter's multiprocessing.get_all_start_methods() lists fork, spawn"
    )
    requires = Run().cell(SCENARIOS["mixed_context_lock"], "spawn")  # needs fork and spawn: fork is there
    assert requires.status == "passed", requires.detail
    monkeypatch.setattr(runner, "methods_here", lambda: ["spawn", "forkserver"])
    lacks_fork = Run().cell(SCENARIOS["mixed_context_lock"], "spawn")
    assert lacks_fork.status == "unavailable" and "says linux has 'fork'," in lacks_fork.detail


def test_a_method_the_table_denies_but_the_interpreter_has_is_unavailable_saying_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(runner, "current_platform", lambda: "win32")
    monkeypatch.setattr(runner, "methods_here", lambda: ["fork", "spawn", "forkserver"])
    result = Run().cell(SCENARIOS["process_basics"], "fork")
    assert result.status == "unavailable"
    assert result.detail == (
        "win32 has no 'fork' start method; yet this interpreter's multiprocessing.get_all_start_methods() lists "
        "fork, spawn, forkserver: mpcheck's table has no expectation for it on win32"
    )
    monkeypatch.setattr(runner, "methods_here", lambda: ["spawn"])
    assert Run().cell(SCENARIOS["process_basics"], "fork").detail == "win32 has no 'fork' start method"


def _list(capsys: pytest.CaptureFixture[str], *argv: str) -> Tuple[int, str, str]:
    code = cli.main(["list", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_every_cells_expectation_on_windows_offline(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _list(capsys, "--platform", "win32", "--python", "3.12.1", "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["format"], data["platform"], data["python"], data["implementation"]) == (
        "mpcheck-expectations/1",
        "win32",
        "3.12.1",
        "cpython",
    )
    cells = {(c["scenario"], c["method"]): c for c in data["cells"]}
    assert set(cells) == {(s, m) for s in SCENARIOS for m in METHODS}
    for (sid, method), cell in cells.items():
        resolved = SCENARIOS[sid].expect.resolve(method, "win32", "3.12.1", "cpython")
        assert cell["status"] == ("unavailable" if resolved.unavailable else "expected")
        assert cell["expected"] == {k: describe(v) for k, v in resolved.facts.items()}
    assert cells[("stdin_in_child", "fork")]["detail"] == "win32 has no 'fork' start method"
    assert cells[("lambda_target", "spawn")]["expected"]["failed_start_children"] == [1, 1]


def test_list_splits_a_cell_at_a_patch_release_when_only_the_minor_is_given(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _list(capsys, "--platform", "darwin", "--python", "3.13", "--scenario", "missing_main_guard")
    assert code == 0
    assert "  forkserver on 3.13.0-3.13.7:\n    exitcode: 1\n" in out
    assert "  forkserver on 3.13.8+:\n    exitcode: null\n" in out
    assert "  spawn:\n    exitcode: 1\n" in out


def test_list_for_pypy_says_which_facts_need_pypys_own_release(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--platform", "win32", "--python", "3.11", "--implementation", "pypy", "--scenario", "lambda_target"]
    code, out, _ = _list(capsys, *argv, "--method", "spawn")
    assert code == 0
    assert "    lambda_start_error: depends on PyPy's own release: give --implementation-version\n" in out
    code, out, _ = _list(capsys, *argv, "--method", "spawn", "--implementation-version", "8.0.1")
    assert '    lambda_start_error: "_pickle.PicklingError"\n' in out


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--platform", "freebsd"], "invalid choice: 'freebsd'"),
        (["--python", "abc"], "--python abc: expected a version like 3.12 or 3.11.5"),
        (["--python", "2.7"], "--python 2.7: expected a Python 3 version"),
        (["--implementation-version", "7.3.19"], "it goes with --implementation pypy"),
        (["--scenario", "nope", "--json"], "unknown scenario 'nope'"),
    ],
)
def test_list_bad_input_is_one_line_and_exit_2(argv: List[str], says: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mpcheck", "list", *argv], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1 and says in proc.stderr, proc.stderr
