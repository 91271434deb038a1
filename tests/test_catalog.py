"""The catalog as pytest items: one per (scenario, start method), each in a fresh interpreter."""

from __future__ import annotations

import pytest

from mpcheck.catalog import catalog
from mpcheck.expect import METHODS
from mpcheck.report import mismatch_text
from mpcheck.runner import Run

SCENARIOS = catalog()


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("scenario_id", sorted(SCENARIOS))
def test_cell(scenario_id: str, method: str) -> None:
    result = Run().cell(SCENARIOS[scenario_id], method)
    if result.status == "unavailable":
        pytest.skip(result.detail)
    assert result.status == "passed", (
        f"{scenario_id}[{method}] {result.status}\n{mismatch_text(result.to_json())}\n"
        f"stderr tail:\n{result.stderr_tail}"
    )
