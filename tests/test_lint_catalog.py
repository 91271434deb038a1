"""The catalog lints itself: every line of a scenario that demonstrates a pitfall carries a trailing
``# lint: MPxxx`` mark, and ``mpcheck lint`` finds exactly the marked lines, no more, no less, so the
working variants beside each pitfall in the same file stay clean. A new scenario needs only its marks."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.lint_marks import findings, marks

import mpcheck
from mpcheck import pitfalls

SCENARIOS = Path(mpcheck.__file__).resolve().parent / "scenarios"
FILES = sorted(SCENARIOS.glob("*.py"))

#: Pitfalls whose proving scenarios have no line of the pitfall's code form (with the reason).
NO_CODE_FORM = {
    "MP116": "default_start_method proves that the default moved; it has no code that branches on the method",
    "MP114": (
        "queue_join_deadlock shows the deadlock through a bounded join (a plain join() would hang the catalog); "
        "lint flags only a join without a timeout, the one that waits for ever"
    ),
}


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_findings_are_exactly_the_marked_lines(path):
    source = path.read_text(encoding="utf-8")
    assert findings(source, str(path)) == marks(source)


@pytest.mark.parametrize("pitfall", pitfalls.PITFALLS, ids=[p.code for p in pitfalls.PITFALLS])
def test_each_pitfall_is_marked_in_a_proving_scenario(pitfall):
    present = [s for s in pitfall.scenarios if (SCENARIOS / f"{s}.py").is_file()]
    assert present == list(pitfall.scenarios), f"{pitfall.code}: scenarios missing from the catalog"
    marked = {s for s in present if any(code == pitfall.code for _, code in marks((SCENARIOS / f"{s}.py").read_text()))}
    if pitfall.code in NO_CODE_FORM:
        assert not marked, f"{pitfall.code} is marked now: drop it from NO_CODE_FORM"
    else:
        assert marked, f"none of {present} marks a line with {pitfall.code}"


def test_marks_name_existing_rules():
    """A mark may name a pitfall a scenario shows in passing (logging_in_child forks while its
    QueueListener thread runs: MP112); it must name a rule that exists."""
    for path in FILES:
        for _, code in marks(path.read_text(encoding="utf-8")):
            assert pitfalls.get(code) is not None, f"{path.name}: unknown code {code}"
