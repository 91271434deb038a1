"""Fixtures shared by several test files (helpers that are not fixtures: tests/support/)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any, Dict, Iterator

import pytest
from support.installed import skip_unless_pth_and_all_methods
from support.projects import suite


def mpcheck(*args: str, **kwargs: Any) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mpcheck", *args], capture_output=True, text=True, timeout=600, **kwargs
    )


@pytest.fixture(scope="module")
def real_run(tmp_path_factory) -> Dict[str, Any]:
    """``mpcheck run`` of the hostile scenarios: JSON, HTML and the job summary of one real run."""
    from support.synthetic import hostile_scenarios  # it loads the catalog: only for the tests that need it

    where = tmp_path_factory.mktemp("run")
    hostile_scenarios(where / "scenarios")
    summary = where / "summary.md"
    summary.write_text("earlier step\n")
    env = dict(os.environ, GITHUB_STEP_SUMMARY=str(summary))
    proc = mpcheck(
        "run", "--path", str(where / "scenarios"), "--no-builtin", "--quiet",
        "--json", str(where / "r.json"), "--html", str(where / "r.html"), env=env, cwd=where,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stdout + proc.stderr
    return {
        "proc": proc,
        "json": json.loads((where / "r.json").read_text()),
        "html": (where / "r.html").read_text(encoding="utf-8"),
        "html_path": where / "r.html",
        "summary": summary.read_text(),
    }


@pytest.fixture(scope="module")
def tour(tmp_path_factory) -> Dict[str, Any]:
    """A real ``mpcheck suite --json --html`` of the tour project (tests/data/suite_projects/tour)."""
    skip_unless_pth_and_all_methods()
    where = tmp_path_factory.mktemp("tour")
    state = where / "state"
    state.mkdir()
    summary = where / "summary.md"
    done = suite(
        "tour", where, "--parallel", "--json", str(where / "r.json"), "--html", str(where / "r.html"),
        "--", "-p", "no:cacheprovider",
        env={"TOUR_STATE": str(state), "GITHUB_STEP_SUMMARY": str(summary)},
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    return {
        "json": json.loads((where / "r.json").read_text()),
        "html": (where / "r.html").read_text(encoding="utf-8"),
        "html_path": where / "r.html",
        "summary": summary.read_text(),
    }


@pytest.fixture
def mp101_alone_in_preview() -> Iterator[None]:
    """MP101 the only preview rule, for one test (lint's rule maturity, issue 29). The set itself is changed and
    restored: modules bind it by name at import, so a new object put in its place would stay behind in any of
    them first imported then."""
    from mpcheck.lint import core

    saved = set(core.PREVIEW)
    core.PREVIEW.clear()
    core.PREVIEW.add("MP101")
    try:
        yield
    finally:
        core.PREVIEW.clear()
        core.PREVIEW.update(saved)
