"""The catalog is the sanitizer's oracle.

Every scenario runs once under fork and once under spawn with the sanitizer watching (the installed
``.pth`` hook carries it into every child). What it reports must be exactly the divergences the
catalog proves for the other methods on this Python: each scenario line marked ``# sanitize: MPxxx``
is reported with that pitfall, and nothing else is, so the working variants beside each pitfall in
the same file stay silent. A mark whose pitfall breaks no start method on this Python, or every one
(MP111 from 3.13), is expected to stay silent here.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import List, Set, Tuple

import pytest
from support.installed import skip_without_pth
from support.lint_marks import sanitize_marks, sanitizer_expected

from mpcheck import pitfalls
from mpcheck.catalog.load import catalog
from mpcheck.engine.launch import launch
from mpcheck.engine.supervise import Supervisor
from mpcheck.expect import METHODS
from mpcheck.methods import sample_versions
from mpcheck.runtime import current_platform, methods_here
from mpcheck.sanitize import findings
from mpcheck.sanitize.hook import ENV

SCENARIOS = catalog()
RUNS = [m for m in ("fork", "spawn") if m in methods_here()]


pytestmark = skip_without_pth("its .pth hook is what carries the sanitizer into every child")


def observed(scenario_id: str) -> Set[Tuple[int, str]]:
    """(line, code) of every hazard the sanitizer reports in the scenario's file, over both runs."""
    scenario = SCENARIOS[scenario_id]
    supervisor = Supervisor(jobs=len(RUNS))
    found: Set[Tuple[int, str]] = set()

    def one(method: str) -> List[findings.Hazard]:
        with tempfile.TemporaryDirectory(prefix="mpcheck-sanitize-") as folder:
            set_method = "1" if scenario.expect.set_method else "0"
            out = launch(supervisor, str(scenario.path), method, set_method, 60, env={ENV: folder})
            assert out is not None and out.returncode is not None, f"{scenario_id}[{method}] did not finish"
            return findings.read(folder, current_platform(), sys.version_info[:3]).hazards

    for hazards in supervisor.map(one, RUNS):
        assert hazards is not None
        for hazard in hazards:
            assert Path(hazard.path) == scenario.path, f"a hazard outside the scenario: {hazard.where()}"
            found.add((hazard.line, hazard.code))
    return found


def expected(scenario_id: str) -> Set[Tuple[int, str]]:
    return sanitizer_expected(SCENARIOS[scenario_id].path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("scenario_id", sorted(SCENARIOS))
def test_the_sanitizer_predicts_exactly_what_the_catalog_proves(scenario_id):
    assert observed(scenario_id) == expected(scenario_id)


def test_every_method_dependent_pitfall_is_marked_in_a_proving_scenario():
    """The sanitizer has a check for each pitfall that makes methods differ (but MP116, a branch on the
    method name, which no run can tell from a branch that is right)."""
    no_runtime_form = {"MP116"}
    for pitfall in pitfalls.PITFALLS:
        broken = {m for v in sample_versions() for m in pitfall.broken_methods("linux", v)}
        if not broken or broken == set(METHODS) or pitfall.code in no_runtime_form:
            continue
        marked = [
            s
            for s in pitfall.scenarios
            if (pitfall.code in {c for _, c in sanitize_marks(SCENARIOS[s].path.read_text())})
        ]
        assert marked, f"{pitfall.code}: none of {pitfall.scenarios} marks a line for the sanitizer"
