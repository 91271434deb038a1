"""``mpcheck merge``: reports from several OSes and Pythons as one table, and its error contract.

The darwin and win32 reports here are synthetic: made from the catalog's own expectations resolved for
those platforms (every available cell passed, unavailable ones as the engine reports them), with a
failure injected where a test needs one. The linux report is a real run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support.synthetic import Failures, synthetic_report

from mpcheck.catalog import merge, report
from mpcheck.catalog.load import catalog
from mpcheck.expect import METHODS

SCENARIOS = catalog()


def mpcheck(*args: str, **kwargs: Any) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mpcheck", *args], capture_output=True, text=True, timeout=300, **kwargs
    )


@pytest.fixture(scope="module")
def linux_report(tmp_path_factory) -> Path:
    """A real run of one scenario on this machine."""
    out = tmp_path_factory.mktemp("linux") / "linux.json"
    proc = mpcheck("run", "--scenario", "default_start_method", "--quiet", "--json", str(out))
    assert out.exists(), proc.stdout + proc.stderr
    return out


def test_cross_os_table(tmp_path, linux_report):
    darwin = synthetic_report(tmp_path / "darwin.json", "darwin", "3.13.9")
    win = synthetic_report(tmp_path / "win.json", "win32", "3.13.9")
    md = tmp_path / "out" / "merged.md"
    proc = mpcheck("merge", str(linux_report), str(darwin), str(win), "--markdown", str(md))
    real = json.loads(linux_report.read_text())
    assert proc.returncode == (0 if all(c["status"] in ("passed", "unavailable") for c in real["cells"]) else 1)
    text = md.read_text()
    header = next(line for line in text.splitlines() if line.startswith("| scenario"))
    for platform in ("linux", "darwin", "win32"):
        for method in METHODS:
            assert f"{platform} {method}" in header
    row = next(line for line in text.splitlines() if line.startswith("| `default_start_method`"))
    # win32 fork and forkserver are unavailable; spawn passed like every darwin cell
    cells = [c.strip() for c in row.strip("|").split("|")][1:]
    assert cells[3:] == ["passed"] * 3 + ["n/a", "passed", "n/a"]  # spelled as in the run's matrix
    assert "win32" in proc.stdout and "darwin" in proc.stdout
    assert len([line for line in text.splitlines() if line.startswith("| `")]) == len(SCENARIOS)


def test_failure_shows_expected_against_observed_and_exits_1(tmp_path):
    failures: Failures = {("default_start_method", "spawn"): ("default", "fork")}
    darwin = synthetic_report(tmp_path / "darwin.json", "darwin", "3.12.10", failures)
    proc = mpcheck("merge", str(darwin), "--markdown", str(tmp_path / "m.md"))
    assert proc.returncode == 1, proc.stderr
    assert 'default: expected "spawn", observed "fork"' in proc.stdout
    text = (tmp_path / "m.md").read_text()
    assert "**FAILED**" in text
    assert "default_start_method · darwin · spawn · Python 3.12.10" in text
    assert 'default: expected "spawn", observed "fork"' in text


def test_columns_split_by_python_only_where_results_differ(tmp_path):
    failures: Failures = {("default_start_method", "spawn"): ("default", "fork")}
    paths = [
        synthetic_report(tmp_path / "a.json", "darwin", "3.12.10"),
        synthetic_report(tmp_path / "b.json", "darwin", "3.13.9", failures),
        synthetic_report(tmp_path / "c.json", "darwin", "3.11.9"),
    ]
    merged = merge.load(paths)
    columns = merged.columns()
    spawn = [c for c in columns if c.method == "spawn"]
    assert [c.pythons for c in spawn] == [("3.11.9",), ("3.12.10",), ("3.13.9",)]
    fork = [c for c in columns if c.method == "fork"]
    assert len(fork) == 1 and fork[0].pythons == ("3.11.9", "3.12.10", "3.13.9")
    assert fork[0].pythons_label() == "3.11–3.13"
    assert merged.column_status("default_start_method", spawn[2]) == "failed"
    assert merged.column_status("default_start_method", spawn[1]) == "passed"
    assert not merged.ok


def test_identical_failures_across_pythons_are_listed_once(tmp_path):
    failures: Failures = {("default_start_method", "fork"): ("default", "fork")}
    paths = [synthetic_report(tmp_path / f"{v}.json", "darwin", v, failures) for v in ("3.12.10", "3.13.9")]
    problems = merge.load(paths).problems()
    assert len(problems) == 1 and problems[0].pythons == ("3.12.10", "3.13.9")


def test_appends_to_the_github_step_summary(tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    darwin = synthetic_report(tmp_path / "darwin.json", "darwin", "3.13.9")
    assert merge.main([darwin]) == 0
    text = summary.read_text()
    assert text.startswith("earlier step\n")
    assert "## mpcheck: every OS and Python" in text and "| `default_start_method` |" in text


def _foreign(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content)
    return path


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: d / "missing.json", "no such report file"),
        (lambda d: _foreign(d, "corrupt.json", '{"format": "mpcheck-report/1", "cells": ['), "not JSON"),
        (lambda d: _foreign(d, "list.json", "[1, 2]"), "not an mpcheck report"),
        (lambda d: _foreign(d, "pkg.json", '{"name": "left-pad", "version": "1.3.0"}'), "not an mpcheck report"),
        (lambda d: _foreign(d, "other.json", '{"format": "other/2", "platform": "linux", "cells": []}'),
         "format 'other/2'"),
        (lambda d: _foreign(d, "status.json", json.dumps({"format": report.FORMAT, "platform": "linux", "cells": [
            {"scenario": "x", "method": "fork", "status": "great"}]})), "unknown status 'great'"),
        (lambda d: d, "is a folder, expected a report file"),
    ],
)  # fmt: skip
def test_bad_report_is_one_line_and_exit_2(tmp_path, make, message):
    good = synthetic_report(tmp_path / "good.json", "win32", "3.13.9")
    bad = make(tmp_path)
    proc = mpcheck("merge", str(good), str(bad))
    assert proc.returncode == 2
    assert message in proc.stderr
    assert str(bad) in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_two_reports_for_the_same_platform_and_python_is_exit_2(tmp_path):
    a = synthetic_report(tmp_path / "a.json", "win32", "3.13.9")
    b = synthetic_report(tmp_path / "b.json", "win32", "3.13.9")
    proc = mpcheck("merge", str(a), str(b))
    assert proc.returncode == 2
    assert "a second report for win32 Python 3.13.9" in proc.stderr


def test_needs_at_least_one_report():
    proc = mpcheck("merge")
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1


def test_cpython_and_pypy_columns_side_by_side_and_old_reports_are_cpython(tmp_path):
    failures: Failures = {("lambda_target", "spawn"): ("pool_map_lambda_error", "AttributeError")}
    paths = [
        synthetic_report(tmp_path / "old.json", "linux", "3.12.10", impl=None),  # no implementation recorded
        synthetic_report(tmp_path / "cp.json", "linux", "3.13.9"),
        synthetic_report(tmp_path / "pp.json", "linux", "3.11.17", failures, impl="pypy", impl_version="8.0.1"),
        synthetic_report(tmp_path / "pp39.json", "linux", "3.9.16", impl="pypy", impl_version="7.3.11"),
    ]
    merged = merge.load(paths)
    spawn = [c for c in merged.columns() if c.platform == "linux" and c.method == "spawn"]
    assert [(c.impl, c.pythons) for c in spawn] == [
        ("cpython", ("3.12.10", "3.13.9")),
        ("pypy", ("PyPy 7.3.11 (Python 3.9.16)",)),
        ("pypy", ("PyPy 8.0.1 (Python 3.11.17)",)),
    ]
    assert spawn[0].pythons_label() == "3.12–3.13"
    fork = [c for c in merged.columns() if c.platform == "linux" and c.method == "fork"]
    assert [c.pythons_label() for c in fork] == ["3.12–3.13", "PyPy 3.9–3.11"]
    assert merged.column_status("lambda_target", spawn[2]) == "failed"
    assert merge.sources_line(merged) == (
        "linux: Python 3.12.10, 3.13.9; PyPy 7.3.11 (Python 3.9.16); PyPy 8.0.1 (Python 3.11.17)"
    )
    (problem,) = merged.problems()
    assert problem.title() == "lambda_target · linux · spawn · PyPy 8.0.1 (Python 3.11.17)"
    md = merge.markdown(merged)
    assert "| linux spawn 3.12–3.13 | linux spawn PyPy 7.3.11 (Python 3.9.16) |" in md


def test_a_pypy_and_a_cpython_report_of_one_python_version_are_not_duplicates(tmp_path):
    paths = [
        synthetic_report(tmp_path / "cp.json", "linux", "3.11.9"),
        synthetic_report(tmp_path / "pp.json", "linux", "3.11.9", impl="pypy", impl_version="7.3.19"),
    ]
    assert len(merge.load(paths).sources) == 2
    proc = mpcheck("merge", str(paths[1]), str(paths[1]))
    assert proc.returncode == 2
    assert "a second report for linux PyPy 7.3.19 (Python 3.11.9)" in proc.stderr


def test_a_free_threaded_build_is_a_column_of_its_own(tmp_path):
    """A 3.14 and a 3.14t run: two columns (terminal, Markdown, HTML), never one report replacing the other."""
    failures: Failures = {("lambda_target", "spawn"): ("pool_map_lambda_error", "AttributeError")}
    paths = [
        synthetic_report(tmp_path / "gil.json", "linux", "3.14.0"),
        synthetic_report(tmp_path / "ft.json", "linux", "3.14.0", failures, free_threaded=True),
        synthetic_report(tmp_path / "old.json", "linux", "3.13.5", impl=None),  # no free_threaded recorded
    ]
    merged = merge.load(paths)
    assert merge.sources_line(merged) == "linux: Python 3.13.5, 3.14.0, 3.14.0t"
    fork = [c for c in merged.columns() if c.method == "fork"]
    assert [(c.impl, c.pythons, c.pythons_label()) for c in fork] == [
        ("cpython", ("3.13.5", "3.14.0"), "3.13–3.14"),
        ("cpython-t", ("3.14.0t",), "3.14.0t"),
    ]
    assert [c.header() for c in merged.runtime_columns() if c.method == "spawn"] == [
        "linux\nspawn\n3.13–3.14",
        "linux\nspawn\n3.14.0t",
    ]
    spawn_t = next(c for c in merged.columns() if c.method == "spawn" and c.impl == "cpython-t")
    assert merged.column_status("lambda_target", spawn_t) == "failed"
    (problem,) = merged.problems()
    assert problem.title() == "lambda_target · linux · spawn · Python 3.14.0t"
    assert "| linux fork 3.13–3.14 | linux fork 3.14.0t |" in merge.markdown(merged)
    proc = mpcheck("merge", "--html", str(tmp_path / "m.html"), *map(str, paths))
    assert proc.returncode == 1, proc.stderr
    assert "3.14.0t" in proc.stdout
    page = (tmp_path / "m.html").read_text(encoding="utf-8")
    assert "Python 3.13–3.14" in page and "Python 3.14.0t" in page
    assert "a second report" in mpcheck("merge", str(paths[1]), str(paths[1])).stderr
