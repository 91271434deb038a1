"""mpcheck.sanitize.findings: a hazard's methods come from the pitfall table, asked with the context the hook
saw and the watched Python's version, as diagnosis asks it (one place for what a pitfall breaks where)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

from mpcheck.methods import MAIN_SCRIPT
from mpcheck.pitfalls import BY_CODE
from mpcheck.sanitize import findings


def hazard(code: str, context: Optional[str], python: Optional[List[int]]) -> Dict[str, Any]:
    return {
        "kind": "hazard", "code": code, "file": "/p/prog.py", "line": 3, "start": None, "evidence": "e",
        "context": context, "python": python, "nodeid": None, "pid": 1, "child": False,
    }  # fmt: skip


def methods_read(tmp_path: Path, record: Dict[str, Any], version: Tuple[int, ...]) -> Tuple[str, ...]:
    (tmp_path / "findings-1.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    (found,) = findings.read(tmp_path, "linux", version).hazards
    return found.methods


@pytest.mark.parametrize(
    "code, context, python",
    [
        ("MP113", MAIN_SCRIPT, [3, 14, 10]),  # the server preloads the script: spawn alone
        ("MP113", MAIN_SCRIPT, [3, 12, 1]),  # no preload: spawn and forkserver
        ("MP113", None, [3, 14, 10]),  # a module imported later: every re-importing child
        ("MP102", MAIN_SCRIPT, [3, 13, 18]),
        ("MP102", MAIN_SCRIPT, [3, 15, 2]),
        ("MP111", None, [3, 12, 1]),
    ],
)
def test_a_hazards_methods_are_the_pitfalls_for_its_context_and_the_watched_python(
    tmp_path: Path, code: str, context: Optional[str], python: List[int]
) -> None:
    # mpcheck itself runs another Python (3.11 here, say): the watched one's version decides
    got = methods_read(tmp_path, hazard(code, context, python), (3, 11, 7))
    assert got == BY_CODE[code].broken_methods("linux", tuple(python), context)
    assert got  # each of these breaks something there


def test_the_preloading_server_spares_forkserver_for_a_call_in_the_script() -> None:
    # the case diagnose() and the sanitizer now answer alike (issue 30): Linux 3.14.10, spawn alone fails
    assert BY_CODE["MP113"].broken_methods("linux", (3, 14, 10), MAIN_SCRIPT) == ("spawn",)
    assert BY_CODE["MP113"].broken_methods("linux", (3, 12, 1), MAIN_SCRIPT) == ("spawn", "forkserver")


def test_a_hazard_that_breaks_nothing_on_the_watched_python_is_not_reported(tmp_path: Path) -> None:
    # MP111 (atexit in a child) breaks nothing from 3.13: children of every method run atexit handlers there
    (tmp_path / "findings-1.jsonl").write_text(json.dumps(hazard("MP111", None, [3, 13, 0])) + "\n")
    assert findings.read(tmp_path, "linux", (3, 11, 7)).hazards == []


def test_a_record_without_the_python_is_read_with_the_version_given(tmp_path: Path) -> None:
    got = methods_read(tmp_path, hazard("MP111", None, None), (3, 12, 1))
    assert got == ("fork", "forkserver")


def test_a_hazard_names_every_test_it_was_seen_in(tmp_path: Path) -> None:
    # issue 34: "(+6 more)" left the user to find the others; each test is named, parametrizations together
    nodeids = [f"t.py::test_{i}" for i in range(5)] + ["t.py::test_p[1]", "t.py::test_p[2]"]
    records = [{**hazard("MP112", None, [3, 12, 1]), "nodeid": nodeid} for nodeid in nodeids]
    (tmp_path / "findings-1.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    (found,) = findings.read(tmp_path, "linux", (3, 12, 1)).hazards
    lines = findings.describe(found)
    start = next(i for i, line in enumerate(lines) if line.startswith("  tests:"))
    shown = [line.split("tests:")[-1].strip().rstrip(",") for line in lines[start : start + 6]]
    assert shown == [*nodeids[:5], "t.py::test_p[1, 2]"]
    assert not any("more" in line for line in lines)
