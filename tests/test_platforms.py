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
import re
import shutil
import subprocess
import sys
from multiprocessing import get_context, popen_fork
from pathlib import Path
from typing import ClassVar, List, Tuple

import pytest
from rich.console import Console

from mpcheck import cli
from mpcheck.catalog import provenance, runner, terminal
from mpcheck.catalog.load import catalog
from mpcheck.catalog.runner import Run
from mpcheck.expect import METHODS, compare, describe
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


@pytest.mark.skipif(
    not hasattr(os, "posix_spawn"), reason="the double starts its child with os.posix_spawn (PyPy 7.3.11 has none)"
)
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
    code, out, _ = _list(capsys, "--platform", "win32", "--python", "3.12.1", "--implementation", "cpython", "--json")
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
    assert re.search(r"\n  forkserver on 3\.13\.0-3\.13\.7: \(derived from .*\)\n    exitcode: 1\n", out)
    assert re.search(
        r"\n  forkserver on 3\.13\.8\+: \(derived from forkserver.py:132-143 .*\n    exitcode: null\n", out
    )
    assert re.search(r"\n  spawn: \(derived from .*\)\n    exitcode: 1\n", out)


def test_list_for_pypy_says_which_facts_need_pypys_own_release(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--platform", "win32", "--python", "3.11", "--implementation", "pypy", "--scenario", "lambda_target"]
    code, out, _ = _list(capsys, *argv, "--method", "spawn")
    assert code == 0
    assert "    lambda_start_error: depends on PyPy's own release: give --implementation-version  (derived" in out
    code, out, _ = _list(capsys, *argv, "--method", "spawn", "--implementation-version", "8.0.1")
    assert '    lambda_start_error: "_pickle.PicklingError"  (derived' in out


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--platform", "freebsd"], "invalid choice: 'freebsd'"),
        (["--python", "abc"], "--python abc: expected a version like 3.12 or 3.11.5"),
        (["--python", "2.7"], "--python 2.7: expected a Python 3 version"),
        (["--implementation", "cpython", "--implementation-version", "7.3.19"], "it goes with --implementation pypy"),
        (["--scenario", "nope", "--json"], "unknown scenario 'nope'"),
    ],
)
def test_list_bad_input_is_one_line_and_exit_2(argv: List[str], says: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mpcheck", "list", *argv], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1 and says in proc.stderr, proc.stderr


#: every CPython minor at its first and a late patch, and the PyPys CI and this machine run
RUNTIMES = [("cpython", None, (3, minor, patch)) for minor in range(9, 16) for patch in (0, 30)] + [
    ("pypy", "7.3.11", (3, 9, 16)),
    ("pypy", "7.3.19", (3, 10, 16)),
    ("pypy", "7.3.19", (3, 11, 11)),
    ("pypy", "8.0.1", (3, 11, 17)),
]


def test_every_darwin_and_win32_fact_has_a_provenance() -> None:
    assert provenance.missing(SCENARIOS.values(), RUNTIMES, METHODS) == []


def test_a_darwin_or_win32_fact_without_a_provenance_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    derived = {k: dict(v) for k, v in provenance.DERIVED.items()}
    del derived["stdin_in_child"]["win32"]
    derived["lambda_target"]["darwin"] = {"main_block_function_exitcode": "a source for one fact only"}
    monkeypatch.setattr(provenance, "DERIVED", derived)
    gaps = provenance.missing([SCENARIOS["stdin_in_child"], SCENARIOS["lambda_target"]], RUNTIMES[:1], METHODS)
    assert "stdin_in_child[spawn] on win32 cpython (3, 9, 0): child_stdin" in gaps
    assert "lambda_target[fork] on darwin cpython (3, 9, 0): lambda_exitcode" in gaps
    assert not any("main_block_function_exitcode" in gap for gap in gaps)
    assert not any("stdin_in_child[spawn] on darwin" in gap for gap in gaps)


def test_a_derived_expectation_contradicted_says_so_with_its_source_and_other_cells_are_unaffected(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """This Linux machine faked as macOS: default_start_method expects spawn there (derived from context.py) and
    sees fork; the first real run on a Mac would say the same of any derived fact it contradicts."""
    monkeypatch.setattr(runner, "current_platform", lambda: "darwin")
    contradicted, same = Run().run([(SCENARIOS["default_start_method"], "fork"), (SCENARIOS["process_basics"], "fork")])
    if sys.version_info < (3, 14):  # Linux's default is fork up to 3.13; darwin's is spawn
        assert contradicted.status == "failed"
        why = contradicted.mismatches["default"]
        assert why.startswith("derived expectation contradicted (from context.py:313-316 (darwin: spawn)")
        assert why.endswith('expected "spawn", observed "fork"')
    assert "default" in contradicted.derived
    assert same.status == "passed" and same.mismatches == {}
    assert set(same.derived) == set(same.expected)  # all derived on darwin, none contradicted
    assert terminal.summary_line([same]) == (
        "1 passed (* 1 cell(s) expected what was never observed on this platform: derived from CPython's source, "
        "see mpcheck list --platform)"
    )
    console = Console(width=100, record=True)
    console.print(terminal.matrix([same], "faked darwin"))
    assert "passed *" in console.export_text()


def test_linux_cells_are_not_marked_derived() -> None:
    result = Run().cell(SCENARIOS["process_basics"], "spawn")
    assert result.status == "passed" and result.derived == []


OBSERVATIONS = sorted(provenance.OBSERVATIONS.glob("*.json"))


@pytest.mark.parametrize("path", OBSERVATIONS, ids=[p.name for p in OBSERVATIONS])
def test_every_stored_observation_still_agrees_with_the_catalog(path: Path) -> None:
    """A report in observations/ is what an interpreter did: an expectation changed since must still hold there."""
    from mpcheck.catalog.report import read_json

    data = read_json(path)
    platform, python = data["platform"], data["python"]
    impl, own = data.get("implementation") or "cpython", data.get("implementation_version")
    for cell in data["cells"]:
        if cell["scenario"] not in SCENARIOS or cell["status"] != "passed":
            continue
        resolved = SCENARIOS[cell["scenario"]].expect.resolve(cell["method"], platform, python, impl, own)
        assert compare(resolved.facts, cell["observed"]) == {}, (path.name, cell["scenario"], cell["method"])


def test_a_stored_observation_makes_a_fact_observed(capsys: pytest.CaptureFixture[str]) -> None:
    assert [p.name for p in OBSERVATIONS] == ["linux-cpython-3.11.7.json"]
    code, out, _ = _list(
        capsys,
        "--platform",
        "linux",
        "--python",
        "3.11",
        "--implementation",
        "cpython",
        "--scenario",
        "process_basics",
        "--json",
    )
    assert code == 0
    cells = json.loads(out)["cells"]
    prov = cells[0]["provenance"]["exitcodes"]
    assert prov == {"kind": "observed", "on": ["linux cpython 3.11.7 (observations/linux-cpython-3.11.7.json)"]}
    code, out, _ = _list(
        capsys,
        "--platform",
        "darwin",
        "--python",
        "3.11",
        "--implementation",
        "cpython",
        "--scenario",
        "process_basics",
        "--json",
    )
    assert json.loads(out)["cells"][0]["provenance"]["exitcodes"]["kind"] == "derived"


def test_merge_and_the_html_page_mark_a_cell_whose_expectation_was_never_observed(tmp_path: Path) -> None:
    from support.synthetic import synthetic_report

    from mpcheck.catalog.html import build
    from mpcheck.catalog.merge import table_markdown
    from mpcheck.catalog.merged import load
    from mpcheck.render.htmlpage import render

    darwin = synthetic_report(tmp_path / "darwin.json", "darwin", "3.13.9")
    linux = synthetic_report(tmp_path / "linux.json", "linux", "3.13.9")
    data = json.loads(darwin.read_text(encoding="utf-8"))
    for cell in data["cells"]:
        if (cell["scenario"], cell["method"]) == ("process_basics", "spawn"):
            cell["derived"] = ["exitcodes"]
    darwin.write_text(json.dumps(data), encoding="utf-8")
    merged = load([darwin, linux])
    row = next(line for line in table_markdown(merged) if "`process_basics`" in line)
    assert row.count("passed *") == 1, row
    page = render(build(merged, "t", []))
    assert page.count("never observed here") == 1  # in the cell's title (the apostrophe is escaped)
