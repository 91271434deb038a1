"""mpcheck in a project whose configuration makes every warning an error (``filterwarnings = ["error"]``,
``-W error``), with pytest-xdist, pytest-randomly and pytest-cov: tests/data/suite_projects/strict/.

What broke there: the start-up hook imports ``mpcheck`` before pytest starts; pytest, which rewrites the
asserts of every package that ships a pytest plugin *installed from a wheel*, then warned ``Module already
imported so cannot be rewritten; mpcheck``, an error under ``filterwarnings = error``: exit 2 before any
test, and every xdist worker dead ("no tests ran"). An editable install (this repository's own venv) hides
it, because pytest cannot list an editable install's modules; so each run here puts beside it the
metadata a wheel install has (``installed_like_a_wheel``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

import pytest
from support.installed import HERE, SOURCE_ROOT, skip_without_pth
from support.projects import PROJECTS

PROJECT = PROJECTS / "strict"
TESTS = 4  # tests/data/suite_projects/strict/test_strict.py


pytestmark = skip_without_pth("its .pth start-up hook is the point")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    where = tmp_path / "strict"
    shutil.copytree(PROJECT, where)
    return where


def installed_like_a_wheel(folder: Path) -> str:
    """A folder whose dist-info lists mpcheck's files and its pytest11 entry point, as a wheel install's does
    (what makes pytest mark ``mpcheck`` for rewriting)."""
    info = folder / "mpcheck_as_wheel-0.dist-info"
    info.mkdir(parents=True, exist_ok=True)  # run() may be called twice for one project
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: mpcheck-as-wheel\nVersion: 0\n")
    (info / "RECORD").write_text("mpcheck/__init__.py,,\nmpcheck/pytest_plugin.py,,\n")
    (info / "entry_points.txt").write_text("[pytest11]\nmpcheck = mpcheck.pytest_plugin\n")
    return str(folder)


def run(project: Path, argv: List[str], env: Dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full = dict(os.environ, **(env or {}))
    for name in ("MPCHECK_START_METHOD", "MPCHECK_SANITIZE", "PYTEST_ADDOPTS"):
        if name not in (env or {}):
            full.pop(name, None)
    paths = [SOURCE_ROOT, installed_like_a_wheel(project.parent / "site"), full.get("PYTHONPATH")]
    full["PYTHONPATH"] = os.pathsep.join(filter(None, paths))
    full["COLUMNS"] = "250"
    return subprocess.run(argv, cwd=project, env=full, capture_output=True, text=True, timeout=600)


def pytest_argv(*args: str, python_flags: tuple = ()) -> List[str]:
    return [sys.executable, *python_flags, "-m", "pytest", "-p", "no:cacheprovider", *args]


PLUGIN_RUNS = {
    "env": ([], {"MPCHECK_START_METHOD": "spawn"}),
    "option": (["--mp-start-method", "spawn"], {}),
    "sanitize": (["--mp-sanitize"], {}),
    "xdist-option": (["-n", "2", "--mp-start-method", "spawn"], {}),
    "xdist-sanitize": (["-n", "2", "--mp-sanitize"], {}),
    "xdist-auto-loadscope": (["-n", "auto", "--dist", "loadscope", "--mp-start-method", "forkserver"], {}),
    "W-error": (["-W", "error", "-n", "2", "--mp-start-method", "spawn"], {}),
}


@pytest.mark.parametrize("args, env", list(PLUGIN_RUNS.values()), ids=list(PLUGIN_RUNS))
def test_the_plugin_runs_every_test_where_warnings_are_errors(project, args, env):
    method = next((a for a in args if a in ("spawn", "forkserver")), "spawn")
    if method not in HERE:
        pytest.skip(f"this platform has no {method} start method")
    # pytest-xdist is in the test extra: a missing one fails this test, it does not skip it
    done = run(project, pytest_argv(*args), env)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "cannot be rewritten" not in out
    assert f"{TESTS} passed" in out


@pytest.mark.skipif("spawn" not in HERE, reason="needs spawn")
def test_python_dash_W_error_with_the_hook_set(project):
    done = run(project, pytest_argv(python_flags=("-W", "error")), {"MPCHECK_START_METHOD": "spawn"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{TESTS} passed" in done.stdout


def suite_report(project: Path, *pytest_args: str, code: int = 0) -> Dict[str, Any]:
    report = project.parent / "report.json"
    done = run(project, [sys.executable, "-m", "mpcheck", "suite", "--json", str(report), "--", *pytest_args])
    assert done.returncode == code, done.stdout + done.stderr
    return json.loads(report.read_text())


def statuses(report: Dict[str, Any]) -> Dict[str, str]:
    return {t["nodeid"]: t["status"] for t in report["tests"]}


@pytest.mark.skipif(len(HERE) < 2, reason="needs two start methods")
def test_suite_compares_every_test_where_warnings_are_errors(project):
    found = statuses(suite_report(project, "-p", "no:cacheprovider"))
    assert found == {
        "test_strict.py::test_pool": "agree",
        "test_strict.py::test_process[1]": "agree",
        "test_strict.py::test_process[2]": "agree",
        "test_strict.py::test_plain": "agree",
    }


FORKS_IN_A_WORKER = """\
import multiprocessing


def test_fork():
    process = multiprocessing.get_context("fork").Process(target=print)
    process.start()
    process.join()
"""


def fork_in_an_xdist_worker_warns(tmp_path: Path) -> bool:
    """Whether this Python calls a fork inside a pytest-xdist worker multi-threaded (its DeprecationWarning):
    asked of the interpreter, without mpcheck (seen on 3.15.2, not on 3.13.18 or 3.14.10: execnet's threads)."""
    (tmp_path / "test_forks.py").write_text(FORKS_IN_A_WORKER)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MPCHECK_", "PYTEST_ADDOPTS"))}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "-p", "no:mpcheck",
         "-n", "1", "-W", "error::DeprecationWarning", "test_forks.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stdout + done.stderr
    return done.returncode == 1 and "is multi-threaded, use of fork()" in done.stdout


@pytest.mark.skipif("fork" not in HERE or len(HERE) < 2, reason="needs fork and another start method")
def test_suite_under_xdist_with_W_error(project, tmp_path):
    warns = fork_in_an_xdist_worker_warns(tmp_path)
    report = suite_report(project, "-p", "no:cacheprovider", "-n", "2", "-W", "error", code=1 if warns else 0)
    found = statuses(report)
    starting = ("test_strict.py::test_pool", "test_strict.py::test_process[1]", "test_strict.py::test_process[2]")
    if not warns:
        assert found == dict.fromkeys([*starting, "test_strict.py::test_plain"], "agree")
        return
    # the interpreter's own warning is an error here: the tests that fork fail under fork alone, and the cause
    # named is the pitfall whose signature that is
    assert found == {**dict.fromkeys(starting, "differ"), "test_strict.py::test_plain": "agree"}
    for test in report["tests"]:
        if test["status"] == "differ":
            assert [d["code"] for d in test["diagnoses"]] == ["MP112"], test


@pytest.mark.skipif(len(HERE) < 2, reason="needs two start methods")
def test_suite_with_pytest_randomly(project):
    plain = run(project, pytest_argv())
    assert "randomly-seed" in plain.stdout, plain.stdout  # pytest-randomly (the test extra) shuffles this project
    found = statuses(suite_report(project, "-p", "no:cacheprovider"))  # and loads itself in every method's run
    assert len(found) == TESTS and set(found.values()) == {"agree"}


@pytest.mark.skipif("spawn" not in HERE, reason="needs spawn")
def test_forced_method_with_pytest_cov(project):
    done = run(project, pytest_argv("--cov=.", "-n", "2", "--mp-start-method", "spawn"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{TESTS} passed" in done.stdout


@pytest.mark.skipif(len(HERE) < 2, reason="needs two start methods")
def test_suite_says_what_to_do_where_the_project_turns_the_plugin_off(project):
    done = run(project, [sys.executable, "-m", "mpcheck", "suite", "--", "-p", "no:mpcheck"])
    assert done.returncode == 2, done.stdout + done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert "`-p no:mpcheck`: remove that, or pass `-- -p mpcheck.pytest_plugin`" in line
