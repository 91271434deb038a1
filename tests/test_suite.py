"""``mpcheck suite`` on the example projects under tests/data/suite_projects/ (real pytest runs, real children).

Each project is copied to a temporary folder and run through ``python -m mpcheck suite`` as a user
would; the tests assert the exact set of tests that differ, under which methods, their likely reasons
and their exposure. Linux has all three methods; elsewhere the expectations are restricted to the
methods the platform has.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Dict, List, Tuple

import psutil
import pytest
from support.installed import ALL_METHODS, HERE, SOURCE_ROOT, skip_without_pth
from support.interrupting import interruptible
from support.markers import BROKEN_EXECUTOR
from support.projects import PROJECTS, suite

from mpcheck.pitfalls import BY_CODE
from mpcheck.suite.supervisor import parallel_by_default

MP101 = f"MP101 {BY_CODE['MP101'].title}"
#: where faulthandler says the hanging test waits: CPython names the line running (event.wait()), PyPy
#: 8.0.1's faulthandler the function's first line (seen on sid's PyPy)
HANG_LINE = 17 if sys.implementation.name == "pypy" else 23


needs_pth = skip_without_pth("without its .pth hook the forced method cannot reach the subprocesses a test starts")
needs_all = pytest.mark.skipif(not ALL_METHODS, reason="needs fork, spawn and forkserver")


def by_id(report: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    return {t["nodeid"]: t for t in report["tests"]}


def failing(test: Dict[str, Any]) -> List[str]:
    return [m for m, o in test["outcomes"].items() if o in ("failed", "error", "timeout")]


@needs_pth
@needs_all
def test_tour_differences_reasons_and_exposure(tmp_path):
    state = tmp_path / "state"
    state.mkdir()
    done = suite(
        "tour", tmp_path, "--parallel", "--json", str(tmp_path / "r.json"), "--junit", str(tmp_path / "r.xml"),
        "--", "-p", "no:cacheprovider",
        env={"TOUR_STATE": str(state)},
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["methods"] == ["fork", "spawn", "forkserver"]
    tests = by_id(report)
    differ = {nid: failing(t) for nid, t in tests.items() if t["status"] == "differ"}
    assert differ == {
        "test_targets.py::test_lambda_target": ["spawn", "forkserver"],
        "test_state.py::test_runtime_global": ["spawn", "forkserver"],
        "test_state.py::test_monkeypatched": ["spawn", "forkserver"],
        "test_logs.py::test_child_logs": ["spawn", "forkserver"],
        "test_jobs.py::test_subprocess_job": ["spawn", "forkserver"],
        "test_environ.py::test_env_after_first_child": ["forkserver"],
    }
    assert {nid for nid, t in tests.items() if t["status"] == "flaky"} == {"test_flaky.py::test_flaky_under_forkserver"}
    assert tests["test_flaky.py::test_flaky_under_forkserver"]["reruns"] == {
        "fork": "passed",
        "spawn": "passed",
        "forkserver": "passed",
    }
    # forkserver ran beside spawn (--parallel): it failed there, and alone on its rerun it passed
    assert tests["test_flaky.py::test_flaky_under_forkserver"]["beside_others"] == {"forkserver": "failed"}
    assert {nid for nid, t in tests.items() if t["status"] == "fail-everywhere"} == {
        "test_own_method.py::test_fails_everywhere"
    }
    agree = {nid for nid, t in tests.items() if t["status"] == "agree"}
    assert agree == {"test_targets.py::test_module_level_target", "test_own_method.py::test_pinned_context"}
    # it sets its own method: under the others, its processes ran under that one
    own = tests["test_own_method.py::test_sets_own_method"]
    assert own["status"] == "not-compared" and len(own["not_compared"]) == 2
    # Reasons: named where the evidence is specific, nothing otherwise.
    reasons = {nid: t["reason"] for nid, t in tests.items() if t["reason"]}
    assert reasons == {
        "test_targets.py::test_lambda_target": MP101,
        "test_jobs.py::test_subprocess_job": MP101,
        # the sanitizer saw this test's child log through the handler the parent configured at run time
        "test_logs.py::test_child_logs": f"MP105 {BY_CODE['MP105'].title}",
    }
    job_line = tests["test_jobs.py::test_subprocess_job"]["first_line"]["spawn"]
    # up to 3.13: "Can't get attribute 'work' on <module '__mp_main__' ...>"; 3.14: "module '__mp_main__' has no
    # attribute 'work'"
    assert "'work'" in job_line and "'__mp_main__'" in job_line, job_line
    # Exposure: processes started through the default context and explicit ones, per method.
    every = {m: None for m in report["methods"]}

    def exposure(nodeid: str) -> Dict[str, Dict[str, int]]:
        return {m: {k: e[k] for k in ("default", "explicit")} for m, e in tests[nodeid]["exposure"].items()}

    # what else makes a test depend on the method: a subprocess, a question about the method
    assert tests["test_jobs.py::test_subprocess_job"]["exposure"]["fork"]["other"] >= 1
    assert tests["test_flaky.py::test_flaky_under_forkserver"]["exposure"]["fork"]["other"] >= 1

    for nodeid, default in [
        ("test_targets.py::test_lambda_target", 1),  # the attempt counts, even where the target does not pickle
        ("test_state.py::test_runtime_global", 1),
        ("test_environ.py::test_env_after_first_child", 2),
        ("test_own_method.py::test_sets_own_method", 1),
        ("test_jobs.py::test_subprocess_job", 0),  # the job's own process is another interpreter's
        ("test_flaky.py::test_flaky_under_forkserver", 0),
    ]:
        assert exposure(nodeid) == {m: {"default": default, "explicit": 0} for m in every}, nodeid
    assert exposure("test_own_method.py::test_pinned_context") == {m: {"default": 0, "explicit": 2} for m in every}
    last = done.stdout.strip().splitlines()[-1]
    assert last == (
        "11 tests: 3 agree, 6 differ (5 fail only under spawn and forkserver, 1 only under forkserver), 1 flaky, "
        "1 not compared (the project set its own start method); 1 fail under every method; tests compared under "
        "each method: fork 10, spawn 11, forkserver 10; 8 used the default context, 2 reached it otherwise (a "
        "subprocess, work sent to a process, a fixture's processes, asking for the method)"
    )
    cases = ET.parse(tmp_path / "r.xml").getroot().findall(".//testcase")
    assert len(cases) == 11 * 3
    # under the table, each differing test's cause, where and fix, in mpcheck sanitize's words
    lambda_line = (
        (PROJECTS / "tour" / "test_targets.py")
        .read_text()
        .splitlines()
        .index(
            next(line for line in (PROJECTS / "tour" / "test_targets.py").read_text().splitlines() if "=lambda" in line)
        )
    )
    assert (
        "test_targets.py::test_lambda_target: fails under spawn and forkserver only\n"
        f"  MP101 {BY_CODE['MP101'].title}\n  where:    test_targets.py:{lambda_line + 1}\n"
    ) in done.stdout
    assert f"  fix:      {BY_CODE['MP101'].fix}\n" in done.stdout
    assert (
        "test_state.py::test_runtime_global: fails under spawn and forkserver only\n  no known cause\n" in done.stdout
    )
    assert tests["test_state.py::test_runtime_global"]["where"].startswith("test_state.py:")


@needs_all
def test_hang_is_one_test_and_the_run_goes_on(tmp_path):
    semlog = tmp_path / "semaphores.txt"
    done = suite("hang", tmp_path, "--parallel", "--all-tests", "--timeout", "3", "--json", str(tmp_path / "r.json"),
                 "--", "-p",
                 "no:cacheprovider", env={"SEMLOG": str(semlog)})  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    tests = by_id(json.loads((tmp_path / "r.json").read_text()))
    hang = tests["test_hang.py::test_hangs_unless_forked"]
    assert hang["outcomes"] == {"fork": "passed", "spawn": "timeout", "forkserver": "timeout"}
    assert hang["status"] == "differ"
    for method in ("spawn", "forkserver"):
        # where it hung, from the traceback faulthandler dumped on the supervisor's signal
        assert hang["first_line"][method] == (
            f"still running after 3 s, in test_hang.py, line {HANG_LINE} in test_hangs_unless_forked"
        )
    for nodeid in ("test_hang.py::test_before", "test_hang.py::test_after", "test_hang.py::test_uses_sigalrm"):
        assert set(tests[nodeid]["outcomes"].values()) == {"passed"}, nodeid  # SIGALRM stays the tests'
    importlib_test = tests["test_importlib_mode.py::test_target_in_test_module"]
    assert failing(importlib_test) == ["spawn", "forkserver"]
    assert importlib_test["reason"].startswith(
        "a spawn and forkserver child could not import the test module `test_importlib_mode` by name"
    )
    assert left_in(tmp_path / "hang") == []
    # The named semaphores of the killed runs were unlinked (the resource tracker outlived the kill).
    names = semlog.read_text().split()
    assert names  # spawn and forkserver semaphores are named
    if os.path.isdir("/dev/shm"):
        assert [n for n in names if os.path.exists("/dev/shm/sem." + n.lstrip("/"))] == []


def turns(log: Path) -> List[Tuple[str, str]]:
    """The turns project's log: (method, event) in the order they happened."""
    return [(line.split()[0], line.split()[1]) for line in log.read_text().splitlines()]


def left_in(folder: Path) -> List[List[str]]:
    """The command lines of the processes whose working directory is ``folder``. One that exits while it is
    read is not left: psutil 7.0 on PyPy raised the FileNotFoundError of its vanished ``/proc/PID/cwd``
    instead of skipping it."""
    left = []
    for proc in psutil.process_iter():
        try:
            if proc.cwd() == str(folder):
                left.append(proc.cmdline())
        except (psutil.Error, FileNotFoundError):  # gone (or a zombie) between the listing and the read
            continue
    return left


@needs_pth
@needs_all
@pytest.mark.parametrize(
    "mode",
    [["--sequential"], [], ["--sequential", "--all-tests"]],
    ids=["one-at-a-time", "default", "all-tests-one-at-a-time"],
)
def test_later_methods_start_with_the_first_and_wait_their_turn_before_any_conftest(tmp_path, mode):
    log = tmp_path / "turns.log"
    env = {"TURNS_LOG": str(log), "PYTHONPATH": str(tmp_path / "turns")}
    done = suite("turns", tmp_path, *mode, "--", "-p", "no:cacheprovider", "-p", "turns_plugin", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    events = turns(log)
    last = {m: max(i for i, (method, _) in enumerate(events) if method == m) for m in HERE}
    first_done = events.index(("fork", "done"))
    for method in ("spawn", "forkserver"):
        # started during the first method's run (its test waited for them, bounded) ...
        assert events.index((method, "plugin")) < first_done
        if mode == [] and parallel_by_default():
            # ... by default where this process may use 2 CPUs, beside the first method's run: the project's
            # own code at once, and each test once the first method's run has ended it
            assert events.index((method, "test")) > first_done, events
        else:
            # ... and the project's own code ran only when its turn came: after every event of the method before
            before = "fork" if method == "spawn" else "spawn"
            assert events.index((method, "conftest")) > last[before], events
        assert (method, "done") in events
    assert left_in(tmp_path / "turns") == []


@needs_pth
@needs_all
def test_nothing_exposed_stops_the_waiting_pytests(tmp_path):
    log = tmp_path / "turns.log"
    env = {"TURNS_LOG": str(log), "PYTHONPATH": str(tmp_path / "turns")}
    done = suite("turns", tmp_path, "--json", str(tmp_path / "r.json"), "--", "-p", "no:cacheprovider",
                 "-p", "turns_plugin", "-k", "test_pure", env=env)  # fmt: skip
    assert done.returncode == 3, done.stdout + done.stderr  # nothing could differ: not a pass
    assert [e for e in turns(log) if e[1] in ("conftest", "pure")] == [("fork", "conftest"), ("fork", "pure")]
    assert [e for e in turns(log) if e[0] != "fork"] == []  # the later methods' pytest never started
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["runs"]["spawn"]["tests"] == report["runs"]["forkserver"]["tests"] == 0
    assert left_in(tmp_path / "turns") == []


@needs_pth
@needs_all
@pytest.mark.skipif(os.name != "posix", reason="SIGINT to a process group is POSIX")
def test_ctrl_c_during_the_first_method_stops_the_waiting_pytests_too(tmp_path):
    log = tmp_path / "turns.log"
    project = tmp_path / "turns"
    shutil.copytree(PROJECTS / "turns", project)
    env = dict(os.environ, TURNS_LOG=str(log), TURNS_HOLD="1")
    env["PYTHONPATH"] = os.pathsep.join([SOURCE_ROOT, str(project)])
    env.pop("MPCHECK_START_METHOD", None)
    cmd = [sys.executable, "-m", "mpcheck", "suite", "--", "-p", "no:cacheprovider", "-p", "turns_plugin"]
    with interruptible(cmd, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       stdin=subprocess.DEVNULL, text=True) as proc:  # fmt: skip
        deadline = time.monotonic() + 120
        # the first method's test is held; the later methods' pytest processes wait at their gate
        while not {("fork", "test"), ("spawn", "plugin"), ("forkserver", "plugin")} <= set(
            turns(log) if log.exists() else []
        ):
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 130, out + err
        assert "Traceback" not in err
        assert [e for e in turns(log) if e[0] != "fork" and e[1] not in ("plugin", "conftest")] == []
        if not parallel_by_default():  # (else the later methods' pytest run beside the first's, conftest and all)
            assert [e for e in turns(log) if e[1] == "conftest"] == [("fork", "conftest")]
        assert left_in(project) == []


@needs_pth
@needs_all
def test_a_collision_of_the_methods_run_at_once_is_not_a_difference(tmp_path):
    """The collide project's tests claim a fixed folder in the project: spawn's and forkserver's sessions,
    run at once, meet there (a barrier makes it certain) and both fail; alone, each passes. One test also
    fails under forkserver wherever it runs: that difference, and only it, is reported."""
    state = tmp_path / "state"
    state.mkdir()
    env = {"COLLIDE_STATE": str(state), "COLLIDE_METHODS": "spawn forkserver"}
    done = suite("collide", tmp_path, "--parallel", "--json", str(tmp_path / "r.json"), "--", "-p", "no:cacheprovider",
                 env=env)  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    tests = by_id(json.loads((tmp_path / "r.json").read_text()))
    collide, real = (
        tests["test_collide.py::test_fixed_folder"],
        tests["test_collide.py::test_fixed_folder_and_forkserver"],
    )
    # both sessions did meet: their first runs failed on the other's claim
    assert "is in use" in collide["first_line"]["spawn"] and "is in use" in collide["first_line"]["forkserver"]
    assert collide["status"] == "flaky"  # not a difference, not counted as one
    assert collide["beside_others"] == {"spawn": "failed", "forkserver": "failed"}
    assert collide["reruns"] == {"fork": "passed", "spawn": "passed", "forkserver": "passed"}
    assert real["status"] == "differ"
    assert real["outcomes"] == {"fork": "passed", "spawn": "passed", "forkserver": "failed"}  # as run alone
    assert real["first_line"]["forkserver"] == "AssertionError: this test does not hold under forkserver"
    assert real["beside_others"] == {"spawn": "failed"}
    assert (
        "test_collide.py::test_fixed_folder: fails under spawn and forkserver only (flaky: changed on rerun)\n"
        "  differed only when run beside the other methods (spawn failed beside them, passed alone; forkserver "
        "failed beside them, passed alone): not a difference\n"
    ) in done.stdout
    assert done.stdout.strip().splitlines()[-1] == (
        "2 tests: 0 agree, 1 differ (1 fails only under forkserver), 1 flaky; 2 used the default context"
    )
    assert sorted(p.name for p in state.iterdir() if p.name.startswith("looked-")) == [
        "looked-a-forkserver", "looked-a-spawn", "looked-b-forkserver", "looked-b-spawn"
    ]  # fmt: skip
    assert left_in(tmp_path / "collide") == []


@BROKEN_EXECUTOR
def test_pinned_contexts_agree_and_say_nothing_was_exercised(tmp_path):
    done = suite("pinned", tmp_path, "--parallel", "--", "-p", "no:cacheprovider")
    assert done.returncode == 3, done.stdout + done.stderr  # nothing could differ: not a pass
    out = " ".join(done.stdout.split())
    assert "warning: no test started a process through the default context: 2 test(s) started processes only" in out
    assert done.stdout.strip().splitlines()[-1] == (
        "3 tests: 3 agree (1 of them used no process and 2 only explicit contexts, so ran under the first method "
        "only), 0 differ; 0 used the default context"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--", "--no-such-option"], "mpcheck: error: pytest: unrecognized arguments: --no-such-option"),
        (["--", "no_such_file.py"], "mpcheck: error: pytest: file or directory not found: no_such_file.py"),
        (["--", "-k", "nothing_matches"], "mpcheck: error: pytest collected no tests"),
        (["stray"], "mpcheck: error: unexpected argument 'stray': put pytest's arguments after `--`"),
        (["--json", "."], "mpcheck: error: --json .: is a folder, expected a file path"),
        (["--timeout", "0"], "mpcheck suite: error: argument --timeout: must be a positive number of seconds"),
    ],
    ids=["pytest-option", "pytest-path", "no-tests", "no-dashes", "json-folder", "timeout"],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, args, message):
    done = suite("pinned", tmp_path, "--method", HERE[0], *args)
    assert done.returncode == 2, done.stdout + done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert done.stderr.startswith(message), done.stderr
    assert done.stdout == ""


EXPOSURE_DIFFER = {
    "test_asks.py::test_default_is_fork": ["spawn", "forkserver"],  # asked for the method, started nothing
    "test_fixture.py::test_pool_sees_runtime_state": ["spawn", "forkserver"],  # a module fixture's pool
    "test_requires.py::test_library_requires_fork": ["spawn", "forkserver"],
    "test_requires.py::test_local_target": ["spawn", "forkserver"],
    "test_subprocess.py::test_child_python_uses_fork": ["spawn", "forkserver"],  # another Python's process
    "test_subtests.py::TestMethods::test_each_case": ["spawn", "forkserver"],  # a subTest failed
}
#: pytest 9 reports subtests on their own (and has the subtests fixture); pytest 8 fails the test itself
PYTEST_SUBTESTS = int(pytest.__version__.split(".")[0]) >= 9
if PYTEST_SUBTESTS:
    EXPOSURE_DIFFER["test_subtests.py::test_each_case_with_the_fixture"] = ["spawn", "forkserver"]


@needs_pth
@needs_all
def test_only_the_tests_that_can_differ_run_under_the_other_methods(tmp_path):
    done = suite("exposure", tmp_path, "--json", str(tmp_path / "r.json"), "--", "-p", "no:cacheprovider")
    assert done.returncode == 1, done.stdout + done.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    tests = by_id(report)
    assert {nid: failing(t) for nid, t in tests.items() if t["status"] == "differ"} == EXPOSURE_DIFFER
    pure = {nid for nid in tests if nid.startswith("test_pure.py::")}
    assert len(pure) == 3
    for nid in pure:  # ran under the first method only, and said so
        assert tests[nid]["status"] == "agree"
        assert tests[nid]["outcomes"] == {"fork": "passed", "spawn": "no-process", "forkserver": "no-process"}
    assert tests["test_fixture.py::test_pool_starts"]["outcomes"] == dict.fromkeys(report["methods"], "passed")
    assert report["runs"]["spawn"]["tests"] == report["runs"]["forkserver"]["tests"] == 7 + PYTEST_SUBTESTS
    if PYTEST_SUBTESTS:  # which subtest failed, as pytest names it
        unittest_case = tests["test_subtests.py::TestMethods::test_each_case"]["first_line"]["spawn"]
        assert unittest_case.startswith("subtest (case='forked') failed: AssertionError: 'spawn' != 'fork'")
        fixture_case = tests["test_subtests.py::test_each_case_with_the_fixture"]["first_line"]["forkserver"]
        assert fixture_case.startswith("subtest [method] (case='forked') failed: "), fixture_case
    assert report["runs"]["spawn"]["only_exposed_of"] == "fork"
    assert "(3 of them used no process, so ran under the first method only)" in done.stdout
    # Each cause is the test's own: the library says it needs fork; the local function is the other test's.
    requires = tests["test_requires.py::test_library_requires_fork"]
    assert requires["reason"].startswith("the code under test requires the fork start method")
    assert requires["diagnoses"] == []
    assert tests["test_requires.py::test_local_target"]["reason"] == MP101
    for nid in ("test_asks.py::test_default_is_fork", "test_subprocess.py::test_child_python_uses_fork"):
        assert tests[nid]["reason"] is None, nid
    assert "no known cause" in done.stdout


@needs_pth
@needs_all
def test_all_tests_runs_every_test_and_finds_the_same_differences(tmp_path):
    done = suite(
        "exposure", tmp_path, "--all-tests", "--json", str(tmp_path / "r.json"), "--", "-p", "no:cacheprovider"
    )
    assert done.returncode == 1, done.stdout + done.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    tests = by_id(report)
    assert {nid: failing(t) for nid, t in tests.items() if t["status"] == "differ"} == EXPOSURE_DIFFER
    assert all("no-process" not in t["outcomes"].values() for t in tests.values())
    assert report["runs"]["spawn"]["tests"] == report["runs"]["forkserver"]["tests"] == 10 + PYTEST_SUBTESTS


@needs_pth
@needs_all
def test_a_project_that_pins_its_method_is_not_compared_and_does_not_pass(tmp_path):
    done = suite("pinned_method", tmp_path, "--json", str(tmp_path / "r.json"), "--junit", str(tmp_path / "r.xml"),
                 "--", "-p", "no:cacheprovider")  # fmt: skip
    assert done.returncode == 3, done.stdout + done.stderr
    assert "mpcheck: nothing was compared: the project set its own start method" in done.stderr
    tests = by_id(json.loads((tmp_path / "r.json").read_text()))
    for name in ("test_pool", "test_process"):
        test = tests[f"test_pinned_method.py::{name}"]
        assert test["status"] == "not-compared"
        assert test["not_compared"] == {"fork": "spawn", "forkserver": "spawn"}
    last = done.stdout.strip().splitlines()[-1]
    assert "2 not compared (the project set its own start method)" in last
    assert "tests compared under each method: fork 1, spawn 2, forkserver 0" in last
    statuses = {}
    for case in ET.parse(tmp_path / "r.xml").getroot().findall(".//testcase"):
        status = case.find("properties/property[@name='mp_status']")
        assert status is not None, case.get("name")
        statuses[case.get("name")] = status.get("value")
    assert statuses["test_pool[fork]"] == "not-compared"


def test_a_pytest_that_cannot_run_is_one_line_and_exit_2_not_an_empty_agreement():
    """pytest exits 5 when it collects nothing; 0 or 1 with no result line means it never ran the agent
    (pytest not installed in that Python): bad input, not "0 tests agree"."""
    from mpcheck.errors import UsageError
    from mpcheck.suite.findings import MethodRun
    from mpcheck.suite.supervisor import Session, Suite

    suite_ = Suite([])
    failed = Session(returncode=1, stderr="/venv/bin/python: No module named pytest\n")
    with pytest.raises(UsageError) as raised:
        suite_._check("fork", failed, MethodRun("fork"), first=True)
    assert str(raised.value) == (
        "pytest did not run any test mpcheck could see (exit code 1): /venv/bin/python: No module named pytest"
    )


def test_a_module_only_the_current_folder_makes_importable_gets_a_hint(tmp_path):
    """multiprocessing-logging's layout: the module beside tests/, importable by ``python -m pytest`` only."""
    project = tmp_path / "flat"
    (project / "tests").mkdir(parents=True)
    (project / "flatmod.py").write_text("VALUE = 1\n")
    (project / "tests" / "test_flat.py").write_text(
        "import flatmod\n\n\ndef test_value():\n    assert flatmod.VALUE == 1\n"
    )
    env = dict(os.environ, PYTHONPATH=SOURCE_ROOT)
    env.pop("MPCHECK_START_METHOD", None)
    done = subprocess.run(
        [sys.executable, "-m", "mpcheck", "suite", "--", "-p", "no:cacheprovider"],
        cwd=project, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 2, done.stdout + done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("mpcheck: error: pytest stopped before running any test")
    assert line.endswith("without the current folder on sys.path, as a child process would see it: install the "
                         "project, or set PYTHONPATH)")  # fmt: skip


@needs_pth
@needs_all
def test_a_pool_kept_across_tests_exposes_every_test_that_sends_it_work(tmp_path):
    """A decorator keeps one Pool: the first test starts it, the others only send it work; run-time state
    the parent set before the workers started is missing in spawn and forkserver workers. A heartbeat
    thread runs meanwhile: MP112 (breaks fork only) is a hazard, never the cause of tests that pass under fork."""
    report_path = tmp_path / "r.json"
    done = suite(
        "shared_pool", tmp_path, "--json", str(report_path), "--", "-p", "no:cacheprovider", "-p", "no:randomly"
    )
    assert done.returncode == 1, done.stdout + done.stderr
    report = json.loads(report_path.read_text())
    tests = by_id(report)
    sends = [f"test_shared_pool.py::test_async_only_sends_work[{n}]" for n in range(1, 5)]
    differ = [
        "test_shared_pool.py::test_first_starts_the_pool",
        "test_shared_pool.py::test_map_only_sends_work",
        *sends,
    ]
    assert {nid for nid, t in tests.items() if t["status"] == "differ"} == set(differ)
    for nid in differ:
        assert failing(tests[nid]) == ["spawn", "forkserver"]
        assert tests[nid]["reason"] is None and tests[nid]["diagnoses"] == []  # not MP112: it breaks fork only
    # ran under fork only (it used no process): it fails there, and that is all that is said
    alone = tests["test_shared_pool.py::test_fails_without_a_process"]
    assert alone["status"] == "fail-not-rerun"
    assert alone["outcomes"] == {"fork": "failed", "spawn": "no-process", "forkserver": "no-process"}
    assert "1 fails under fork, not rerun (used no process)" in report["summary"]
    assert "every method" not in report["summary"]


@needs_pth
@needs_all
@pytest.mark.skipif(not hasattr(os, "setpgrp"), reason="POSIX process groups")
def test_a_test_that_makes_a_process_group_of_its_own_passes_as_under_pytest(tmp_path):
    """pytest is not the leader of the session the suite runs it in: os.setpgrp() in a session leader is
    EPERM, and a seventh evaluation's aiotools suite had 48 tests "fail under fork" that pass under pytest."""
    done = suite("own_group", tmp_path, "--json", str(tmp_path / "g.json"), "--", "-p", "no:cacheprovider")
    assert done.returncode == 0, done.stdout + done.stderr
    test = by_id(json.loads((tmp_path / "g.json").read_text()))["test_own_group.py::test_own_process_group"]
    assert test["outcomes"] == {"fork": "passed", "spawn": "passed", "forkserver": "passed"}


@needs_pth
@needs_all
def test_the_later_methods_run_each_test_beside_the_first_once_it_is_decided(tmp_path):
    """With --parallel the later methods run a test as soon as the first method's run has ended it, while
    that run goes on: the first method's third test finds what the later methods' first test wrote."""
    state = tmp_path / "state"
    state.mkdir()
    done = suite("beside", tmp_path, "--parallel", "--json", str(tmp_path / "r.json"), "--", "-p", "no:cacheprovider",
                 env={"BESIDE_STATE": str(state)})  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    tests = by_id(json.loads((tmp_path / "r.json").read_text()))
    every = {"fork": "passed", "spawn": "passed", "forkserver": "passed"}
    assert {n: (t["status"], t["outcomes"]) for n, t in tests.items()} == {
        "test_beside.py::test_first": ("agree", every),
        "test_beside.py::test_second": ("agree", every),
        "test_beside.py::test_third": ("agree", every),
    }
    assert sorted(p.name for p in state.iterdir()) == ["first-forkserver", "first-spawn"]
    assert left_in(tmp_path / "beside") == []


@needs_pth
@needs_all
def test_tests_decided_late_or_never_by_the_first_method_end_the_later_runs_as_after_it(tmp_path):
    """The later methods' pytest collects its tests in another order, and one the first method's run never
    reports: each waits until the first's run has decided it (an explicit-context test, until that run
    has ended); what they run and what is reported is what a run after the first's would give."""
    state = tmp_path / "state"
    state.mkdir()
    done = suite("undecided", tmp_path, "--parallel", "--json", str(tmp_path / "r.json"), "--",
                 "-p", "no:cacheprovider", env={"UNDECIDED_STATE": str(state)})  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    tests = by_id(report)
    assert {n: t["outcomes"] for n, t in tests.items()} == {
        "test_undecided.py::test_default_context": {"fork": "passed", "spawn": "passed", "forkserver": "passed"},
        "test_undecided.py::test_explicit_context": {
            "fork": "passed", "spawn": "explicit-only", "forkserver": "explicit-only"
        },
        "test_undecided.py::test_no_process": {"fork": "passed", "spawn": "no-process", "forkserver": "no-process"},
    }  # fmt: skip
    assert [report["runs"][m]["tests"] for m in ("fork", "spawn", "forkserver")] == [3, 1, 1]
    assert sorted(p.name for p in state.iterdir()) == [
        "default-fork", "default-forkserver", "default-spawn", "explicit-fork", "pure-fork"
    ]  # fmt: skip
    assert left_in(tmp_path / "undecided") == []


@BROKEN_EXECUTOR  # the pinned project's executor test fails there, and a failing suite exits 1
@needs_pth
@needs_all
def test_explicit_contexts_only_are_not_rerun_unless_a_child_starts_its_own(tmp_path):
    """A test whose processes all come from explicit contexts runs the same under every forced method (a
    child of get_context("spawn") has spawn for its default, a fork one fork): not rerun. But when a child
    runs a Python that starts processes through its default (the forced method reaches it through the
    environment), every exposed test runs under every method, and its real difference is found."""
    done = suite("pinned", tmp_path, "--json", str(tmp_path / "p.json"), "--", "-p", "no:cacheprovider")
    assert done.returncode == 3, done.stdout + done.stderr
    report = json.loads((tmp_path / "p.json").read_text())
    assert [report["runs"][m]["tests"] for m in ("fork", "spawn", "forkserver")] == [3, 0, 0]
    pool = by_id(report)["test_pinned.py::test_pool_with_its_own_context"]
    assert pool["outcomes"] == {"fork": "passed", "spawn": "explicit-only", "forkserver": "explicit-only"}
    done = suite("explicit_child", tmp_path, "--json", str(tmp_path / "c.json"), "--", "-p", "no:cacheprovider")
    assert done.returncode == 1, done.stdout + done.stderr
    tests = by_id(json.loads((tmp_path / "c.json").read_text()))
    child = tests["test_explicit_child.py::test_explicit_child_runs_a_script_that_starts_its_own"]
    assert child["status"] == "differ" and failing(child) == ["spawn", "forkserver"]
    assert tests["test_explicit_child.py::test_explicit_only"]["outcomes"]["spawn"] == "passed"  # it ran too


@needs_pth
@needs_all
def test_a_subclass_of_process_uses_the_default_context(tmp_path):
    """``class Task(Process)`` resolves the default context at start() as ``Process()`` does: the forced
    method reaches it, so its tests are rerun and a real difference is found and explained (a subclass was
    taken for an explicit context: nothing was rerun and the run exited 3, having compared nothing)."""
    done = suite("subclass", tmp_path, "--json", str(tmp_path / "s.json"), "--", "-p", "no:cacheprovider")
    assert done.returncode == 1, done.stdout + done.stderr
    report = json.loads((tmp_path / "s.json").read_text())
    assert [report["runs"][m]["tests"] for m in ("fork", "spawn", "forkserver")] == [2, 2, 2]
    tests = by_id(report)
    differs = tests["test_subclass.py::test_subclass_reads_state_set_at_run_time"]
    assert differs["status"] == "differ" and failing(differs) == ["spawn", "forkserver"]
    assert [cause["code"] for cause in differs["diagnoses"]] == ["MP103"]
    assert tests["test_subclass.py::test_subclass_that_agrees"]["status"] == "agree"


@needs_pth
@needs_all
def test_state_the_parent_built_in_place_is_named_as_the_cause(tmp_path):
    """Issue 29: a table a test module's decorator fills when pytest collects it (a worker sent only the
    library's entry point never imports the test module), and sinks a fixture adds at run time to a named
    logger of the standard library and to loguru's logger: each test passes under fork alone, and the
    sanitizer names the line that built the state. A worker whose target is the test module's own function
    imports it and agrees."""
    done = suite("mutated", tmp_path, "--json", str(tmp_path / "m.json"), "--", "-p", "no:cacheprovider")
    assert done.returncode == 1, done.stdout + done.stderr
    tests = by_id(json.loads((tmp_path / "m.json").read_text()))
    causes = {
        nodeid: (test["status"], failing(test), [(d["code"], d["location"]) for d in test["diagnoses"]])
        for nodeid, test in tests.items()
    }
    assert causes == {
        "test_registry.py::test_worker_runs_a_registered_task": (
            "differ",
            ["spawn", "forkserver"],
            [("MP103", "test_registry.py:6")],
        ),
        "test_registry.py::test_worker_of_this_module_runs_it": ("agree", [], []),
        "test_sinks.py::test_child_logs_to_the_sink_of_a_named_logger": (
            "differ",
            ["spawn", "forkserver"],
            [("MP105", "test_sinks.py:22")],
        ),
        "test_sinks.py::test_child_logs_to_a_loguru_sink": (
            "differ",
            ["spawn", "forkserver"],
            [("MP105", "test_sinks.py:33")],
        ),
    }


@needs_pth
@needs_all
def test_a_test_failing_under_every_method_fails_the_suite(tmp_path):
    """Nothing differs, yet a test fails under every method: exit 1, as pytest alone gives, so a CI job that
    runs mpcheck suite instead of pytest stays red (it exited 0)."""
    done = suite("fails_alike", tmp_path, "--json", str(tmp_path / "f.json"), "--", "-p", "no:cacheprovider")
    assert done.returncode == 1, done.stdout + done.stderr
    tests = by_id(json.loads((tmp_path / "f.json").read_text()))
    assert tests["test_fails_alike.py::test_fails_under_every_method"]["status"] == "fail-everywhere"
    assert tests["test_fails_alike.py::test_passes_under_every_method"]["status"] == "agree"
    assert "1 test(s) fail under every method they ran under" in done.stderr


def coverage_data(folder: Path) -> Dict[str, Dict[str, List[int]]]:
    """The lines each context of the project's ``.coverage`` measured in the project's own files, by file
    name (not mpcheck's modules the first run's sanitizer runs in its children: coverage may match a
    checkout of mpcheck on PYTHONPATH, as here, to the project's ``--cov`` source)."""
    from coverage import CoverageData

    data = CoverageData(str(folder / ".coverage"))
    data.read()
    measured: Dict[str, Dict[str, List[int]]] = {}
    for context in data.measured_contexts():
        data.set_query_contexts([context])
        measured[context] = {
            Path(f).name: sorted(data.lines(f) or [])
            for f in data.measured_files()
            if Path(f).resolve().parent == folder.resolve()
        }
    return measured


@needs_all
def test_the_projects_coverage_is_its_own_runs_and_breaks_no_session(tmp_path):
    """pytest-cov in every session of the project's configuration (trio-parallel's: ``parallel = true``,
    ``concurrency = multiprocessing``, ``--cov-context=test``): a seventh evaluation's trio-parallel had 45
    tests "fail under every method" and 11 "flaky" (coverage ``DataError: no such table: context``), as the
    later methods' pytest-cov started while the first method's run was going erased its data files. The
    later sessions only compare outcomes: pytest-cov is off there, so every run finishes, and the project's
    ``.coverage`` is what pytest alone writes (it was the last session's: the test without a process and
    its lines gone, and a run ended "No data was collected", exit code 3)."""
    pytest.importorskip("pytest_cov", reason="pytest-cov is not installed here")
    plain = tmp_path / "plain" / "coverage"
    shutil.copytree(PROJECTS / "coverage", plain)
    env = {k: v for k, v in os.environ.items() if k not in ("MPCHECK_START_METHOD", "PYTEST_ADDOPTS")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [SOURCE_ROOT, env.get("PYTHONPATH")]))
    pytest_run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"],
        cwd=plain,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert pytest_run.returncode == 0, pytest_run.stdout + pytest_run.stderr
    done = suite("coverage", tmp_path, "--json", str(tmp_path / "c.json"), "--", "-p", "no:cacheprovider")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads((tmp_path / "c.json").read_text())
    assert {m: r["incomplete"] for m, r in report["runs"].items()} == dict.fromkeys(("fork", "spawn", "forkserver"))
    tests = by_id(report)
    child = tests["test_coverage.py::test_a_child_through_the_default_context"]
    assert child["outcomes"] == {"fork": "passed", "spawn": "passed", "forkserver": "passed"}
    assert tests["test_coverage.py::test_no_process"]["outcomes"] == {
        "fork": "passed",
        "spawn": "no-process",
        "forkserver": "no-process",
    }
    project = tmp_path / "coverage"
    assert coverage_data(project) == coverage_data(plain)
    assert "test_coverage.py::test_no_process|run" in coverage_data(project)
    assert sorted(p.name for p in project.glob(".coverage*")) == sorted(p.name for p in plain.glob(".coverage*"))


@needs_pth
@needs_all
@pytest.mark.skipif(not hasattr(os, "setpgrp"), reason="POSIX process groups")
@pytest.mark.parametrize(
    "args, env",
    [(["-p", "no:cov"], {}), (["-p", "no:pytest_cov"], {}), ([], {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"})],
    ids=["no-cov-plugin", "no-pytest_cov-plugin", "no-autoload"],
)
def test_pytest_cov_turned_off_or_not_loaded_breaks_no_session(tmp_path, args, env):
    """The later sessions pass pytest-cov's --no-cov only where its plugin is loaded: elsewhere it is an
    unrecognized argument (pytest's exit 4 in every session but the first)."""
    done = suite(
        "own_group", tmp_path, "--json", str(tmp_path / "g.json"), "--", "-p", "no:cacheprovider", *args, env=env
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads((tmp_path / "g.json").read_text())
    assert {m: r["incomplete"] for m, r in report["runs"].items()} == dict.fromkeys(("fork", "spawn", "forkserver"))
    test = by_id(report)["test_own_group.py::test_own_process_group"]
    assert test["outcomes"] == {"fork": "passed", "spawn": "passed", "forkserver": "passed"}


@needs_pth
@needs_all
def test_a_bound_method_of_a_test_case_is_an_unpicklable_object_not_a_local_function(tmp_path):
    """pexpect's ``Process(target=self.socket_server)`` in a unittest ``setUp`` (a seventh evaluation): under
    spawn and forkserver pickle fails on a local function of pytest's or of the standard library's inside
    the TestCase's state ("Can't pickle local object 'ArgumentParser.__init__.<locals>.identity'"). The
    sanitizer saw the start (MP108, the bound method's TestCase does not pickle): that is the cause, not
    MP101 from the text, whose fix ("define it at module level") has nothing of the project's to move. The
    program's own local function in the same file is still MP101."""
    done = suite("bound_method", tmp_path, "--json", str(tmp_path / "b.json"), "--", "-p", "no:cacheprovider")
    assert done.returncode == 1, done.stdout + done.stderr
    tests = by_id(json.loads((tmp_path / "b.json").read_text()))
    bound = tests["test_bound_method.py::ServerTestCase::test_server_ran"]
    assert bound["status"] == "differ" and failing(bound) == ["spawn", "forkserver"], bound
    # the error names a local object up to 3.13 ("Can't pickle local object", "Can't get local object": the text
    # MP101's signature matches); 3.14.10's and 3.15.2's pickler meet a module in its state first ("cannot pickle
    # 'module' object"). Either way the cause is the start the sanitizer saw:
    assert [cause["code"] for cause in bound["diagnoses"]] == ["MP108"], bound
    assert bound["diagnoses"][0]["location"] == "test_bound_method.py:19"
    assert "MP101" not in done.stdout.split("test_bound_method.py::test_local_function_target")[0]
    local = tests["test_bound_method.py::test_local_function_target"]
    assert failing(local) == ["spawn", "forkserver"]
    assert [cause["code"] for cause in local["diagnoses"]] == ["MP101"], local


@needs_all
def test_a_pipe_between_threads_is_not_exposed_one_to_a_running_child_is(tmp_path):
    """A seventh evaluation's maxminddb: 8 tests whose threads talk over get_context("fork").Pipe() were
    counted as work sent to a process (exposure {"other": 32}) and rerun under spawn and forkserver for
    nothing. A send on a Pipe counts where a child of the test's process runs, whoever started it."""
    done = suite(
        "pipes", tmp_path, "--json", str(tmp_path / "p.json"), "--", "-p", "no:cacheprovider", "-p", "no:randomly"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    tests = by_id(json.loads((tmp_path / "p.json").read_text()))
    threads = tests["test_threads.py::test_threads_talk_over_a_pipe"]
    assert threads["outcomes"] == {"fork": "passed", "spawn": "no-process", "forkserver": "no-process"}
    assert threads["exposure"]["fork"] == {"default": 0, "explicit": 0, "other": 0}
    every = dict.fromkeys(("fork", "spawn", "forkserver"), "passed")
    assert tests["test_child.py::test_child_starts"]["outcomes"] == every
    sends = tests["test_child.py::test_sends_to_the_running_child"]
    assert sends["outcomes"] == every
    exposure = sends["exposure"]["fork"]
    assert (exposure["default"], exposure["explicit"]) == (0, 0) and exposure["other"] >= 1  # its sends alone
