"""``mpcheck run``'s runner (mpcheck.catalog.runner) over the engine's cells: statuses, containment, the cell
as a script, and the command's contract (its report, JSON and JUnit)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import psutil
import pytest
from support import DATA, TESTS

from mpcheck.catalog.load import load
from mpcheck.catalog.runner import Run
from mpcheck.expect import implementation

ENGINE = DATA / "engine_scenarios"


def mpcheck(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mpcheck", *args], capture_output=True, text=True, timeout=120, **kwargs
    )


@pytest.mark.skipif(os.name != "posix", reason="the hang scenario forks a sleeper; POSIX process checks")
def test_hang_is_a_timeout_and_leaves_nothing(tmp_path, monkeypatch):
    pidfile = tmp_path / "pid"
    monkeypatch.setenv("MPCHECK_TEST_PIDFILE", str(pidfile))
    start = time.monotonic()
    result = Run(timeout=3).cell(load(ENGINE / "hangs.py"), "spawn")
    elapsed = time.monotonic() - start
    assert result.status == "timeout"
    assert "3 s" in result.detail
    assert elapsed < 3 + 3 * 1.0 + 2  # the limit plus the bounded kill escalation
    child = int(pidfile.read_text())
    assert not psutil.pid_exists(child) or psutil.Process(child).status() == psutil.STATUS_ZOMBIE
    # faulthandler's dump says where it hung
    assert "sleeper" in result.stderr_tail or "join" in result.stderr_tail


def test_abort_is_a_crash():
    result = Run(timeout=30).cell(load(ENGINE / "aborts.py"), "fork")
    assert result.status == "crashed"
    if os.name == "posix":
        assert "SIGABRT" in result.detail
    assert "Fatal Python error" in result.stderr_tail


def test_wrong_expectation_shows_expected_and_observed():
    result = Run(timeout=30).cell(load(ENGINE / "wrong_expectation.py"), "spawn")
    assert result.status == "failed"
    assert result.expected == {"total": 5}
    assert result.observed == {"total": 4}
    assert result.mismatches == {"total": "expected 5, observed 4"}


def test_cli_shows_expected_against_observed(tmp_path):
    reports = ["--json", str(tmp_path / "r.json"), "--junit", str(tmp_path / "r.xml")]
    proc = mpcheck(
        "run", "--no-builtin", "--path", str(ENGINE), "--scenario", "wrong_expectation", "--method", "fork", *reports
    )
    assert proc.returncode == 1, proc.stderr
    assert "total: expected 5, observed 4" in proc.stdout
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["cells"][0]["status"] == "failed"
    assert "expected 5, observed 4" in (tmp_path / "r.xml").read_text()


@pytest.mark.parametrize(
    "args, message",
    [
        (["run", "--scenario", "no_such_scenario"], "unknown scenario 'no_such_scenario'"),
        (["run", "--method", "vfork"], "unknown start method 'vfork'"),
    ],
)
def test_unknown_names_exit_2_in_one_line(args, message):
    proc = mpcheck(*args)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "Traceback" not in proc.stderr


def test_json_report_contract(tmp_path):
    out = tmp_path / "r.json"
    proc = mpcheck("run", "--scenario", "process_basics", "--json", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(out.read_text())
    assert report["python"] == ".".join(map(str, sys.version_info[:3]))
    assert report["platform"] == "linux" if sys.platform.startswith("linux") else sys.platform
    assert [(c["scenario"], c["method"]) for c in report["cells"]] == [
        ("process_basics", m) for m in ("fork", "spawn", "forkserver")
    ]
    impl, own = implementation()
    assert (report["implementation"], report["implementation_version"]) == (impl, ".".join(map(str, own)))
    for cell in report["cells"]:
        assert {"status", "duration_s", "expected", "observed", "stderr_tail"} <= set(cell)
        assert cell["sys_version"] == sys.version
        # what the cell's own interpreter wrote (mpcheck.facts), not the harness's guess
        assert (cell["implementation"], cell["implementation_version"]) == (impl, ".".join(map(str, own)))


def test_junit_names_the_implementation_beside_cpythons_classnames(tmp_path, monkeypatch):
    from mpcheck.catalog import report
    from mpcheck.catalog.results import CellResult

    results = [
        CellResult("process_basics", "spawn", "passed", implementation="cpython"),
        CellResult("process_basics", "spawn", "passed", implementation="pypy", implementation_version="8.0.1"),
    ]
    report.write_junit(tmp_path / "r.xml", results)
    cases = ET.parse(tmp_path / "r.xml").getroot().findall("./testsuite/testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        ("process_basics", "spawn"),
        ("pypy.process_basics", "spawn"),
    ]
    monkeypatch.setattr(report, "implementation_name", lambda: "pypy")
    monkeypatch.setattr(report, "implementation_version", lambda: "8.0.1")
    monkeypatch.setattr(report, "python_version", lambda: "3.11.17")
    monkeypatch.setattr(report, "current_platform", lambda: "linux")
    assert report.junit_suite_name() == "mpcheck-pypy8.0.1-py3.11.17-linux"
    monkeypatch.setattr(report, "implementation_name", lambda: "cpython")
    monkeypatch.setattr(report, "python_version", lambda: "3.14.0")
    monkeypatch.setattr(report, "is_free_threaded", lambda: True)
    assert report.junit_suite_name() == "mpcheck-py3.14.0t-linux"  # apart from 3.14.0's with the GIL


def test_scenario_helpers_import_nothing_multiprocessing_does_not():
    """Every cell and every spawn child imports these: a heavy import here is paid hundreds of
    times per run (typing and json cost ~4 ms a process; see bench/catalog.py)."""
    code = (
        "import json, sys, multiprocessing.queues, multiprocessing.synchronize\n"
        "before = set(sys.modules)\n"
        "import mpcheck.expect, mpcheck.facts\n"
        "print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    added = set(json.loads(out))
    # mpcheck.methods: the start-method facts expect.py reads, stdlib only (the import contracts hold it to that)
    allowed = {"mpcheck", "mpcheck.expect", "mpcheck.facts", "mpcheck.methods", "__future__", "collections.abc"}
    assert added <= allowed, added


def test_cell_runs_the_scenario_as_a_script_would(tmp_path):
    """``python script.py`` semantics: spawn's re-import keys on ``__file__`` and ``__spec__``."""
    path = tmp_path / "as_script.py"
    path.write_text(
        "import sys\n"
        "main = sys.modules['__main__']\n"
        "print(__name__, main.__file__ == __file__, main.__spec__, sys.argv[1:], sys.argv[0] == __file__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-m", "mpcheck.engine.cell", str(path), "spawn", "0", "0", "a1"],
        capture_output=True, text=True, check=True, env={**os.environ, "MPCHECK_RESULT": str(tmp_path / "r.json")},
        cwd=TESTS.parent,
    ).stdout  # fmt: skip
    assert out.split() == ["__main__", "True", "None", "['a1']", "True"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a fifo")
def test_report_to_a_device_writes_and_never_replaces_it(tmp_path):
    """``MPCHECK_RESULT=/dev/null`` by hand must not replace /dev/null with a file (as root it could)."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE, text=True)
    try:
        code = "from mpcheck.facts import report; report(answer=42)"
        env = {**os.environ, "MPCHECK_RESULT": str(fifo)}
        env.pop("MPCHECK_CELL_PID", None)
        subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=TESTS.parent, timeout=30)
        out, _ = reader.communicate(timeout=10)
    finally:
        reader.kill()
        reader.wait()
    assert fifo.is_fifo()  # still the fifo, not a regular file put in its place
    assert json.loads(out)["facts"] == {"answer": 42}


def test_the_header_names_the_runtime():
    from mpcheck.runtime import implementation_version, is_free_threaded, python_version, runtime_label

    assert runtime_label("pypy", "3.11.17", "8.0.1") == "PyPy 8.0.1 (Python 3.11.17)"
    assert runtime_label("cpython", "3.12.1", "3.12.1") == "Python 3.12.1"
    assert runtime_label("cpython", "3.14.0", "3.14.0", free_threaded=True) == "Python 3.14.0t"
    expected = (
        f"Python {python_version()}{'t' if is_free_threaded() else ''}"
        if sys.implementation.name == "cpython"
        else f"PyPy {implementation_version()} (Python {python_version()})"
    )
    assert runtime_label() == expected
    proc = mpcheck("run", "--scenario", "process_basics", "--method", "spawn")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    words = " ".join(proc.stdout.split())  # rich wraps a table's title to the table's width
    assert words.startswith(f"mpcheck 0.1.0 · {expected} · "), proc.stdout


@pytest.mark.skipif(os.name != "posix", reason="a background job's SIGINT is POSIX")
def test_a_cell_takes_ctrl_c_as_at_a_terminal_when_mpcheck_runs_as_a_background_job(tmp_path):
    """`mpcheck run &` in a script starts with SIGINT ignored, inherited by every cell: the harness's interrupt
    (the first step of its kill) did nothing, and each hung cell waited out its grace. A cell restores it."""
    program = tmp_path / "reports_sigint.py"
    program.write_text(
        "import signal\n"
        "if __name__ == '__main__':\n"
        "    handler = signal.getsignal(signal.SIGINT)\n"
        "    print(f\"SIGINT: {getattr(handler, '__name__', handler)}\")\n"
    )
    script = (
        "import signal, sys\n"
        "from mpcheck.engine.launch import launch\n"
        "from mpcheck.engine.supervise import Supervisor\n"
        "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        f"out = launch(Supervisor(), 'script:{program}', 'spawn', '0', 60)\n"
        "print(out.stdout_tail.strip())\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "SIGINT: default_int_handler"
