"""``mpcheck suite``'s judgement on given outcomes (mpcheck.suite.findings, mpcheck.suite.output): statuses,
likely reasons, the summary line, merge."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Dict

from support.projects import PROJECTS

from mpcheck.pitfalls import BY_CODE
from mpcheck.suite.findings import MethodRun, Row, alone_plan, apply_alone, apply_reruns, build_rows, explain
from mpcheck.suite.output import summary_line, to_json
from mpcheck.suite.protocol import TestResult

LAMBDA = "AttributeError: Can't pickle local object 'test_x.<locals>.<lambda>'"


def runs(outcomes: Dict[str, Dict[str, str]], texts: Dict[str, Dict[str, str]] | None = None) -> list:
    """``{method: {nodeid: outcome}}`` as method runs; every test started one default-context process."""
    out = []
    for method, tests in outcomes.items():
        run = MethodRun(method)
        for nodeid, outcome in tests.items():
            text = (texts or {}).get(nodeid, {}).get(method, "")
            run.tests[nodeid] = TestResult(nodeid, outcome, text.splitlines()[0] if text else "", text,
                                           {"default": {method: 1}, "explicit": {}})  # fmt: skip
        out.append(run)
    return out


def judged(outcomes, texts=None, platform="linux", version=(3, 12, 0)):
    method_runs = runs(outcomes, texts)
    rows = build_rows(method_runs)
    explain(rows, method_runs, platform, version)
    return {r.nodeid: r for r in rows}, rows


def test_statuses_and_the_summary_line():
    outcomes = {
        "fork": {"a": "passed", "b": "passed", "c": "failed", "d": "passed", "e": "skipped"},
        "spawn": {"a": "passed", "b": "failed", "c": "failed", "d": "passed", "e": "passed"},
        "forkserver": {"a": "passed", "b": "failed", "c": "error", "d": "failed", "e": "passed"},
    }
    by_id, rows = judged(outcomes)
    assert {n: r.status for n, r in by_id.items()} == {
        "a": "agree",
        "b": "differ",
        "c": "fail-everywhere",
        "d": "differ",
        "e": "differ",
    }
    assert summary_line(rows) == (
        "5 tests: 2 agree, 3 differ (1 fails only under spawn and forkserver, 1 only under forkserver, "
        "1 differs in skips or expected failures); 1 fail under every method; 5 used the default context"
    )


def test_a_failing_test_not_rerun_is_said_to_have_used_what_it_used():
    """apscheduler's test_broken_pool (#34's evaluation) used a process through an explicit spawn context and
    failed under fork: not rerun, but not "used no process" either."""
    fork = runs({"fork": {"none": "failed", "explicit": "failed", "other": "failed", "third": "failed"}})[0]
    for nodeid in ("explicit", "other", "third"):
        fork.tests[nodeid].exposure.update(default={}, explicit={"spawn": 1})
    fork.tests["none"].exposure.update(default={})
    spawn = MethodRun("spawn")
    spawn.unexposed.append("none")
    spawn.explicit_only.extend(["explicit", "other", "third"])
    rows = build_rows([fork, spawn])
    explain(rows, [fork, spawn], "linux", (3, 12, 0))
    assert {r.status for r in rows} == {"fail-not-rerun"}
    assert "; 4 fail under fork, not rerun (1 used no process, 3 only explicit contexts);" in summary_line(rows)
    assert "; 3 fail under fork, not rerun (used only explicit contexts);" in summary_line(rows[1:])
    assert "; 1 fails under fork, not rerun (used only an explicit context);" in summary_line(rows[1:2])
    assert "; 1 fails under fork, not rerun (used no process);" in summary_line(rows[:1])


def test_a_pitfall_is_named_only_for_its_methods_and_its_signature():
    texts = {"lam": {"spawn": LAMBDA, "forkserver": LAMBDA}, "odd": {"forkserver": LAMBDA}}
    outcomes = {
        "fork": {"lam": "passed", "odd": "passed", "plain": "passed"},
        "spawn": {"lam": "failed", "odd": "passed", "plain": "failed"},
        "forkserver": {"lam": "failed", "odd": "failed", "plain": "failed"},
    }
    by_id, _ = judged(outcomes, texts)
    assert by_id["lam"].reason == f"MP101 {BY_CODE['MP101'].title}"
    assert by_id["odd"].reason is None  # MP101 breaks spawn too: failing under forkserver alone is not it
    assert by_id["plain"].reason is None  # the right methods, but no signature: no guess


def test_a_child_that_cannot_import_the_test_module():
    text = "assert 1 == 0\nModuleNotFoundError: No module named 'test_mod'"
    outcomes = {"fork": {"pkg/test_mod.py::t": "passed"}, "spawn": {"pkg/test_mod.py::t": "failed"}}
    by_id, _ = judged(outcomes, {"pkg/test_mod.py::t": {"spawn": text}})
    assert by_id["pkg/test_mod.py::t"].reason.startswith("a spawn child could not import the test module `test_mod`")
    other = "ModuleNotFoundError: No module named 'numpy'"
    by_id, _ = judged(outcomes, {"pkg/test_mod.py::t": {"spawn": other}})
    assert by_id["pkg/test_mod.py::t"].reason is None  # another module: not this cause


def test_a_test_whose_outcome_changes_on_rerun_is_flaky():
    first = runs({"fork": {"t": "passed", "u": "passed"}, "spawn": {"t": "failed", "u": "failed"}})
    rows = build_rows(first)
    again = runs({"fork": {"t": "passed", "u": "passed"}, "spawn": {"t": "passed", "u": "failed"}})
    apply_reruns(rows, again, ["t", "u"])
    assert {r.nodeid: r.status for r in rows} == {"t": "flaky", "u": "differ"}
    assert (
        summary_line(rows)
        == "2 tests: 0 agree, 1 differ (1 fails only under spawn), 1 flaky; 2 used the default context"
    )


def test_a_difference_seen_beside_other_methods_is_judged_on_the_rerun_alone():
    """spawn and forkserver ran at once (their sessions may collide); fork ran alone."""
    methods, beside = ["fork", "spawn", "forkserver"], ["spawn", "forkserver"]
    texts = {"pinned": {"spawn": LAMBDA, "forkserver": LAMBDA}}
    first = runs(
        {
            "fork": {"collide": "passed", "real": "passed", "mixed": "passed", "pinned": "passed", "both": "failed",
                     "hung": "passed"},
            "spawn": {"collide": "failed", "real": "failed", "mixed": "failed", "pinned": "failed", "both": "failed",
                      "hung": "timeout"},
            "forkserver": {"collide": "failed", "real": "passed", "mixed": "failed", "pinned": "failed",
                           "both": "failed", "hung": "timeout"},
        },
        texts,
    )  # fmt: skip
    rows = build_rows(first)
    explain(rows, first, "linux", (3, 12, 0))
    plan = alone_plan(rows, methods, beside)
    # no stated reason: rerun under every method (the flaky test's rerun, alone); a hang: under the methods
    # run beside another where it hung; MP101's signature in every failure: not rerun (no collision writes
    # it); failing everywhere: under those run beside another (the collision may be all that failed there)
    assert plan == {
        "fork": ["collide", "real", "mixed"],
        "spawn": ["collide", "real", "mixed", "both", "hung"],
        "forkserver": ["collide", "real", "mixed", "both", "hung"],
    }
    again = runs(
        {
            "fork": {"collide": "passed", "real": "passed", "mixed": "passed"},
            "spawn": {"collide": "passed", "real": "failed", "mixed": "failed", "both": "failed", "hung": "timeout"},
            "forkserver": {"collide": "passed", "real": "passed", "mixed": "passed", "both": "passed",
                           "hung": "passed"},
        }
    )  # fmt: skip
    apply_alone(rows, again, plan, beside)
    by_id = {r.nodeid: r for r in rows}
    assert {n: r.status for n, r in by_id.items()} == {
        "collide": "flaky",  # differed only beside the other methods: not a difference
        "real": "differ",
        "mixed": "differ",  # spawn differs alone too; forkserver's failure was only beside spawn
        "pinned": "differ",
        "both": "differ",  # failing everywhere was the collision under forkserver: alone it passes
        "hung": "differ",  # it hangs under spawn alone too; under forkserver only beside spawn
    }
    assert by_id["collide"].beside == {"spawn": "failed", "forkserver": "failed"}
    assert by_id["collide"].reruns == {"fork": "passed", "spawn": "passed", "forkserver": "passed"}
    assert by_id["collide"].outcomes == {"fork": "passed", "spawn": "failed", "forkserver": "failed"}  # seen first
    assert by_id["real"].beside == {} and by_id["pinned"].beside == {}
    assert by_id["mixed"].beside == {"forkserver": "failed"}
    assert by_id["mixed"].outcomes == {"fork": "passed", "spawn": "failed", "forkserver": "passed"}  # alone
    assert by_id["both"].outcomes == {"fork": "failed", "spawn": "failed", "forkserver": "passed"}
    assert by_id["hung"].outcomes == {"fork": "passed", "spawn": "timeout", "forkserver": "passed"}
    assert by_id["hung"].beside == {"forkserver": "timeout"} and by_id["hung"].reruns == {}
    assert summary_line(rows) == (
        "6 tests: 0 agree, 5 differ (3 fail only under spawn, 1 only under fork and spawn, 1 only under spawn and "
        "forkserver), 1 flaky; 6 used the default context"
    )
    assert to_json(rows, first, [], 1.0)["tests"][0]["beside_others"] == {"spawn": "failed", "forkserver": "failed"}


def test_a_change_under_the_method_that_ran_alone_is_flaky_whatever_ran_beside():
    methods, beside = ["fork", "spawn", "forkserver"], ["spawn", "forkserver"]
    first = runs({"fork": {"t": "failed"}, "spawn": {"t": "passed"}, "forkserver": {"t": "failed"}})
    rows = build_rows(first)
    plan = alone_plan(rows, methods, beside)
    assert plan == {m: ["t"] for m in methods}
    apply_alone(
        rows, runs({"fork": {"t": "passed"}, "spawn": {"t": "passed"}, "forkserver": {"t": "failed"}}), plan, beside
    )
    assert rows[0].status == "flaky" and rows[0].beside == {}


def test_a_test_that_failed_only_beside_the_later_methods_is_rerun_alone_and_does_not_fail_the_suite():
    """With the later methods beside the first method's run, every method ran beside another: a test that
    failed under the one method it ran under (``fail-not-rerun``), or under every method, may have failed
    from two sessions colliding (a port, a file): it is rerun alone, and one that passes then is flaky, not a
    failure of the suite (exit 1); one that fails alone too still is."""
    methods = beside = ["fork", "spawn", "forkserver"]
    first = runs(
        {
            "fork": {"once": "failed", "real": "failed", "all": "failed"},
            "spawn": {"all": "failed"},
            "forkserver": {"all": "failed"},
        }
    )
    rows = build_rows(first)
    assert {r.nodeid: r.status for r in rows} == {
        "once": "fail-not-rerun", "real": "fail-not-rerun", "all": "fail-everywhere",
    }  # fmt: skip
    plan = alone_plan(rows, methods, beside)
    assert plan == {"fork": ["once", "real", "all"], "spawn": ["all"], "forkserver": ["all"]}
    again = runs(
        {"fork": {"once": "passed", "real": "failed", "all": "passed"}, "spawn": {"all": "passed"},
         "forkserver": {"all": "passed"}}
    )  # fmt: skip
    apply_alone(rows, again, plan, beside)
    by_id = {r.nodeid: r for r in rows}
    assert {n: r.status for n, r in by_id.items()} == {"once": "flaky", "real": "fail-not-rerun", "all": "flaky"}
    assert by_id["once"].beside == {"fork": "failed"} and by_id["once"].reruns == {"fork": "passed"}
    assert by_id["all"].beside == {"fork": "failed", "spawn": "failed", "forkserver": "failed"}


def test_merge_of_suite_reports(tmp_path: Path):
    for python, spawn in (("3.13.1", "passed"), ("3.14.0", "failed")):
        method_runs = runs({"fork": {"t": "passed", "u": "passed"}, "spawn": {"t": spawn, "u": "passed"}})
        data = to_json(build_rows(method_runs), method_runs, [], 1.0)
        data["python"] = python
        (tmp_path / f"{python}.json").write_text(json.dumps(data))
    done = subprocess.run(
        [sys.executable, "-m", "mpcheck", "merge", str(tmp_path / "3.13.1.json"), str(tmp_path / "3.14.0.json")],
        capture_output=True,
        text=True,
        env={"COLUMNS": "200", "PATH": ""},
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "2 tests across 2 report(s): 1 agree, 1 differ"
    assert "│ t " in done.stdout and "│ u " not in done.stdout


def test_a_suite_report_names_its_interpreter_and_merge_keeps_pypy_apart(tmp_path: Path):
    """The envelope is every report's (implementation included): a PyPy report says PyPy, and merge puts its
    columns beside CPython's of the same Python version, never into them."""
    method_runs = runs({"fork": {"t": "passed"}, "spawn": {"t": "passed"}})
    data = to_json(build_rows(method_runs), method_runs, [], 1.0)
    assert data["implementation"] == sys.implementation.name
    assert {"format", "mpcheck", "python", "sys_version", "implementation_version", "platform"} <= set(data)
    cpython = dict(data, implementation="cpython", python="3.11.17", implementation_version="3.11.17")
    pypy = dict(data, implementation="pypy", python="3.11.17", implementation_version="8.0.1")
    pypy["tests"] = [dict(t, outcomes={"fork": "passed", "spawn": "failed"}) for t in data["tests"]]
    (tmp_path / "cpython.json").write_text(json.dumps(cpython))
    (tmp_path / "pypy.json").write_text(json.dumps(pypy))
    done = subprocess.run(
        [sys.executable, "-m", "mpcheck", "merge", str(tmp_path / "cpython.json"), str(tmp_path / "pypy.json")],
        capture_output=True,
        text=True,
        env={"COLUMNS": "250", "PATH": ""},
    )
    assert done.returncode == 1, done.stderr  # t fails under PyPy's spawn only: a difference
    assert "PyPy 8.0.1 (Python 3.11.17)" in done.stdout and "Python 3.11.17" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "1 tests across 2 report(s): 0 agree, 1 differ"


# --- a cause is the test's own --------------------------------------------------------------------------

#: the exposure project's test file (tests/data/suite_projects/exposure), judged here as test_mod.py
TEST_FILE = (PROJECTS / "exposure" / "test_requires.py").read_text(encoding="utf-8")


def line_of(text: str) -> int:
    """The line of TEST_FILE that holds ``text``."""
    return next(n for n, line in enumerate(TEST_FILE.splitlines(), 1) if text in line)


REQUIRES = "AssertionError: This module only works with the 'fork' start method."


def own_rows(tmp_path: Path, texts: Dict[str, Dict[str, str]]) -> Dict[str, Row]:
    path = tmp_path / "test_mod.py"
    path.write_text(TEST_FILE, encoding="utf-8")
    outcomes = {m: {n: "failed" if m != "fork" else "passed" for n in texts} for m in ("fork", "spawn", "forkserver")}
    method_runs = runs(outcomes, texts)
    for run in method_runs:
        for result in run.tests.values():
            result.path = str(path)
    rows = build_rows(method_runs)
    explain(rows, method_runs, "linux", (3, 12, 0))
    return {r.nodeid: r for r in rows}


def test_a_failure_that_names_the_method_it_needs_is_that_cause_not_a_lint_finding_elsewhere(tmp_path: Path):
    at = line_of("assert needs_fork.install()")
    failure = f"test_mod.py:{at}: in test_library_requires_fork\n    assert needs_fork.install()\nE   {REQUIRES}"
    nodeid = "test_mod.py::test_library_requires_fork"
    by_id = own_rows(tmp_path, {nodeid: {"spawn": failure, "forkserver": failure}})
    row = by_id[nodeid]
    assert row.reason == f"the code under test requires the fork start method (it says so: {failure.splitlines()[0]})"
    assert row.diagnoses == []


def test_a_lint_finding_in_another_test_of_the_file_is_no_cause(tmp_path: Path):
    at = line_of("assert needs_fork.install()")
    failure = f"test_mod.py:{at}: in test_library_requires_fork\nE   AssertionError: assert None == 'fast'"
    nodeid = "test_mod.py::test_library_requires_fork"
    by_id = own_rows(tmp_path, {nodeid: {"spawn": failure, "forkserver": failure}})
    assert by_id[nodeid].reason is None and by_id[nodeid].diagnoses == []  # MP101 is test_local_target's


def test_a_lint_finding_in_the_tests_own_function_is_its_cause(tmp_path: Path):
    failure = f"test_mod.py:{line_of('assert p.exitcode == 0')}: in test_local_target\nE   assert 1 == 0"
    nodeid = "test_mod.py::test_local_target"
    by_id = own_rows(tmp_path, {nodeid: {"spawn": failure, "forkserver": failure}})
    assert [d.pitfall.code for d in by_id[nodeid].diagnoses] == ["MP101"]
    location = by_id[nodeid].diagnoses[0].location
    assert location is not None and location.endswith(f"test_mod.py:{line_of('multiprocessing.Process(target=work)')}")


def test_a_method_named_in_passing_is_not_a_requirement():
    from mpcheck.suite.findings import Row, requires_method

    for text in ("AssertionError: assert 'spawn' == 'fork'", "the fork start method is deprecated with threads"):
        row = Row("t", {"fork": "passed", "spawn": "failed"}, {"spawn": text}, {}, text={"spawn": text})
        assert requires_method(row) is None, text
    # naming the method it ran under is not a requirement of another one either
    text = "RuntimeError: requires the spawn start method"
    row = Row("t", {"fork": "passed", "spawn": "failed"}, {"spawn": text}, {}, text={"spawn": text})
    assert requires_method(row) is None


def test_an_object_the_failure_names_is_the_projects_own_only_where_its_files_define_it(tmp_path: Path):
    """MP101's signature counts where the local object it names is defined in the project (the test's file,
    another file of it); a local function of pytest's or of argparse's, defined in none, is no evidence."""
    from mpcheck.diagnose import own_object
    from mpcheck.suite.findings import diagnoses

    (tmp_path / "helpers.py").write_text("def make():\n    class Job:\n        pass\n    return Job\n")
    (tmp_path / "test_mod.py").write_text(
        "import multiprocessing\n\n\nclass TestX:\n    def test_lam(self):\n"
        "        f = [lambda: 1 for _ in range(1)][0]\n        multiprocessing.Process(target=f).start()\n"
    )
    venv = tmp_path / "venv" / "lib"
    venv.mkdir(parents=True)
    (tmp_path / "venv" / "pyvenv.cfg").write_text("")
    (venv / "argparse.py").write_text("class ArgumentParser:\n    def __init__(self):\n        def identity(): pass\n")
    foreign = "E   AttributeError: Can't pickle local object 'ArgumentParser.__init__.<locals>.identity'"
    row = Row("test_mod.py::TestX::test_lam", {"fork": "passed", "spawn": "failed", "forkserver": "failed"}, {}, {},
              status="differ", text={"spawn": foreign, "forkserver": foreign}, path="test_mod.py")  # fmt: skip
    own = own_object(row.path, row.text.values(), tmp_path)
    assert own("TestX.test_lam.<locals>.<listcomp>.<lambda>") is True
    assert own("TestX.test_lam.<locals>.<lambda>") is True  # 3.12 inlines the comprehension
    assert own("make.<locals>.Job") is True  # another file of the project
    assert own("ArgumentParser.__init__.<locals>.identity") is False  # only a virtual environment's
    assert own("TestX.other.<locals>.<lambda>") is False
    assert diagnoses(row, "linux", (3, 11, 7), cwd=tmp_path) == []
    mine = "E   AttributeError: Can't pickle local object 'TestX.test_lam.<locals>.<listcomp>.<lambda>'"
    row.text = {"spawn": mine, "forkserver": mine}
    assert [d.pitfall.code for d in diagnoses(row, "linux", (3, 11, 7), cwd=tmp_path)] == ["MP101"]
    row.path = ""  # the test's file not known: nothing is known of the object, the signature counts
    row.text = {"spawn": foreign, "forkserver": foreign}
    assert [d.pitfall.code for d in diagnoses(row, "linux", (3, 11, 7), cwd=tmp_path)] == ["MP101"]
