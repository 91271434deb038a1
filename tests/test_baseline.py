"""``mpcheck run --baseline FILE [--update]``: a run fails when what the cells observe changed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import DATA

from mpcheck.catalog import baseline
from mpcheck.catalog.results import CellResult
from mpcheck.errors import UsageError
from mpcheck.expect import implementation
from mpcheck.runtime import current_platform, runtime_label

USER = DATA / "user_scenarios"
QUICK = ["run", "--no-builtin", "--path", str(USER), "--method", "spawn", "--quiet"]


def mpcheck(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200"}  # rich wraps long lines at the (unknown) terminal width
    return subprocess.run(
        [sys.executable, "-m", "mpcheck", *args], capture_output=True, text=True, timeout=300, env=env
    )


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("baseline") / "baseline.json"
    proc = mpcheck(*QUICK, "--baseline", str(path), "--update")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"baseline written: {path}" in proc.stdout
    return path


def test_update_records_every_cells_observed_facts(recorded):
    data = json.loads(recorded.read_text())
    assert data["format"] == baseline.FORMAT
    assert data["platform"] == current_platform()
    assert data["python"] == ".".join(map(str, sys.version_info[:3]))
    impl, own = implementation()
    assert (data["implementation"], data["implementation_version"]) == (impl, ".".join(map(str, own)))
    cells = data["cells"]
    assert cells["triple_in_pool"]["spawn"] == {"status": "passed", "facts": {"tripled": [0, 3, 6, 9, 12]}, "loose": []}
    assert cells["child_sees_main_change"]["spawn"]["loose"] == ["child_pid_digits"]


def test_a_matching_baseline_passes(recorded):
    proc = mpcheck(*QUICK, "--baseline", str(recorded))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "baseline: no cell changed" in proc.stdout


def test_an_edited_baseline_fails_showing_old_against_new(recorded, tmp_path):
    data = json.loads(recorded.read_text())
    data["cells"]["triple_in_pool"]["spawn"]["facts"]["tripled"] = [0, 2, 4, 6, 8]
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data))
    proc = mpcheck(*QUICK, "--baseline", str(edited))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "triple_in_pool[spawn] CHANGED" in proc.stdout
    assert "tripled: [0, 2, 4, 6, 8] → [0, 3, 6, 9, 12]" in proc.stdout
    assert "child_sees_main_change[spawn] CHANGED" not in proc.stdout
    assert "baseline: 1 cell(s) changed" in proc.stdout


def test_a_baseline_from_another_interpreter_says_which(recorded, tmp_path):
    """A baseline recorded on PyPy (or before mpcheck recorded the implementation: CPython) names it."""
    data = json.loads(recorded.read_text())
    data.update(implementation="pypy", implementation_version="7.3.19", python="3.11.11")
    pypy = tmp_path / "pypy.json"
    pypy.write_text(json.dumps(data))
    proc = mpcheck(*QUICK, "--baseline", str(pypy))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"baseline: no cell changed (PyPy 7.3.19 (Python 3.11.11) → {runtime_label()})" in proc.stdout
    del data["implementation"], data["implementation_version"]
    data.pop("free_threaded")  # nor the build: CPython with the GIL
    pypy.write_text(json.dumps(data))
    proc = mpcheck(*QUICK, "--baseline", str(pypy))
    assert f"baseline: no cell changed (Python 3.11.11 → {runtime_label()})" in proc.stdout


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "no such baseline file"),
        ("{", "not JSON"),
        ('{"format": "mpcheck-report/1", "platform": "linux", "cells": []}', "not an mpcheck baseline"),
        ('{"format": "mpcheck-baseline/1", "cells": {"s": {"spawn": {"status": "great"}}}}', "corrupt baseline"),
    ],
)
def test_an_unusable_baseline_is_one_line_before_any_cell_runs(tmp_path, content, message):
    path = tmp_path / "baseline.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(UsageError, match=message):
        baseline.load(path)
    proc = mpcheck(*QUICK, "--baseline", str(path))
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and message in proc.stderr
    assert proc.stdout == ""  # no matrix: refused before the cells ran


# -- what counts as a change, on recorded cells ---------------------------------------------


def cell(status="passed", loose=(), **facts) -> CellResult:
    return CellResult("s", "spawn", status, observed=facts, loose=list(loose))


def old(status="passed", loose=(), **facts) -> dict:
    return {"status": status, "facts": facts, "loose": list(loose)}


def test_exact_facts_compare_exactly():
    assert baseline.changes(old(count=4), cell(count=4)) == []
    assert baseline.changes(old(count=4), cell(count=0)) == ["count: 4 → 0"]


def test_loose_facts_ignore_pids_counts_and_addresses_but_not_words():
    assert baseline.changes(old(loose=["n"], n=3), cell(loose=["n"], n=4)) == []
    msg = "Error sending result: '<lock object at 0x7f00>'"
    assert baseline.changes(old(loose=["m"], m=msg), cell(loose=["m"], m=msg.replace("7f00", "7fa9"))) == []
    assert baseline.changes(old(loose=["m"], m="Can't pickle x"), cell(loose=["m"], m="Can't get x")) == [
        'm: "Can\'t pickle x" → "Can\'t get x"'
    ]


def test_added_and_removed_facts_are_changes():
    assert baseline.changes(old(a=1), cell(a=1, b=2)) == ["b: not in the baseline → 2"]
    assert baseline.changes(old(a=1, b=2), cell(a=1)) == ["b: 2 → not reported"]


def test_status_counts_beyond_passed_and_failed():
    assert baseline.changes(old(a=1), cell("failed", a=1)) == []  # the expectation moved, not the behaviour
    assert baseline.changes(old(a=1), cell("timeout", a=1))[0].startswith("status: passed → timeout")
    assert baseline.changes({"status": "unavailable"}, cell("unavailable")) == []


def test_new_cells_are_listed_not_failed_and_platforms_are_announced():
    from rich.console import Console

    console = Console(record=True, width=200)
    recorded = {"platform": "win32", "python": "3.12.1", "cells": {"s": {"fork": old(a=1)}}}
    assert baseline.compare(console, recorded, [cell(a=1)]) is False
    text = console.export_text()
    assert "recorded on win32" in text
    assert "1 cell(s) not in it, not compared: s[spawn]" in text
    assert "1 of its cell(s) not run this time" in text
