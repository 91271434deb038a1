"""``mpcheck suite``'s findings: which tests differ between start methods, and why.

Input is what :mod:`.supervisor` gathered: per start method, every test's outcome, the first line of
its failure, the failure's text (with what its children printed) and its exposure (processes started
through the default context and through explicit ones, per method). Output: one :class:`Row` per
test, judged (agree, differ, flaky, fail-everywhere), with its likely reason. :mod:`.output` shows them.

Causes are named only where the evidence is specific: a pitfall from :mod:`mpcheck.pitfalls` when the
methods that fail are exactly those it breaks here *and* its runtime signature is in every failure;
the few causes that are about running a test suite rather than about multiprocessing (a hang, a child
that could not import the test module, a test that sets its own method) are recognised here. A wrong
cause is worse than none: otherwise the column stays empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ..diagnose import Diagnosis, lint_and_diagnose
from ..pitfalls import IMPORTING, hint_named
from .protocol import TestResult

FAILING = ("failed", "error", "timeout")
#: what such a child says when it cannot import the test module (mpcheck.pitfalls: MP101's hint)
_NO_MODULE = re.compile(hint_named("MP101", "missing-module").pattern)


@dataclass
class MethodRun:
    """One start method's run of the suite (possibly resumed after timeouts)."""

    method: str
    tests: Dict[str, TestResult] = field(default_factory=dict)
    wall_s: float = 0.0
    sessions: int = 0
    #: the method the project itself set while pytest collected (conftest, test module), if not ours
    project_method: Optional[str] = None
    leftovers: List[str] = field(default_factory=list)
    #: pytest ended without finishing (killed, crashed): its last output line
    incomplete: Optional[str] = None


@dataclass
class Row:
    """One test across the methods, judged."""

    nodeid: str
    outcomes: Dict[str, str]
    first_line: Dict[str, str]
    exposure: Dict[str, Dict[str, int]]
    #: agree | differ | flaky | fail-everywhere
    status: str = "agree"
    reason: Optional[str] = None
    reruns: Dict[str, str] = field(default_factory=dict)
    #: default-context processes per method actually used, per run method (own-method detection)
    default_methods: Dict[str, Dict[str, int]] = field(default_factory=dict)
    text: Dict[str, str] = field(default_factory=dict)
    #: the test's file
    path: str = ""
    #: the pitfalls that explain the difference (see :mod:`mpcheck.diagnose`)
    diagnoses: List[Diagnosis] = field(default_factory=list)

    @property
    def failing(self) -> Tuple[str, ...]:
        return tuple(m for m, o in self.outcomes.items() if o in FAILING)

    def used_default(self) -> bool:
        return any(e["default"] for e in self.exposure.values())

    def used_explicit(self) -> bool:
        return any(e["explicit"] for e in self.exposure.values())

    def to_json(self) -> Dict[str, Any]:
        return {
            "nodeid": self.nodeid,
            "status": self.status,
            "outcomes": self.outcomes,
            "first_line": self.first_line,
            "exposure": self.exposure,
            "reason": self.reason,
            "diagnoses": [d.to_json() for d in self.diagnoses],
            "reruns": self.reruns,
        }


def changed(outcomes: Mapping[Any, str]) -> bool:
    """The outcomes differ and the test does not fail under every method."""
    values = set(outcomes.values()) - {"missing"}  # a run that did not finish says nothing of the test
    return len(values) > 1 and not values <= set(FAILING)


def build_rows(runs: Sequence[MethodRun]) -> List[Row]:
    """Every test any method ran, in the order of the first run that has it."""
    order: Dict[str, None] = {}
    for run in runs:
        order.update(dict.fromkeys(run.tests))
    rows = []
    for nodeid in order:
        outcomes, first, exposure, text, used = {}, {}, {}, {}, {}
        path = ""
        for run in runs:
            result = run.tests.get(nodeid)
            path = path or (result.path if result else "")
            outcomes[run.method] = result.outcome if result else "missing"
            first[run.method] = result.first_line if result else ""
            text[run.method] = result.text if result else ""
            exp = result.exposure if result else {"default": {}, "explicit": {}}
            exposure[run.method] = {"default": sum(exp["default"].values()), "explicit": sum(exp["explicit"].values())}
            used[run.method] = dict(exp["default"])
        row = Row(nodeid, outcomes, first, exposure, default_methods=used, text=text, path=path)
        if changed(outcomes):
            row.status = "differ"
        elif set(outcomes.values()) - {"missing"} <= set(FAILING) and set(outcomes.values()) != {"missing"}:
            row.status = "fail-everywhere"
        rows.append(row)
    return rows


def apply_reruns(rows: Sequence[Row], reruns: Sequence[MethodRun]) -> None:
    """A differing test whose outcome under some method changed when rerun is flaky, not a difference."""
    by_method = {run.method: run for run in reruns}
    for row in rows:
        if row.status != "differ" or not by_method:
            continue
        for method, run in by_method.items():
            result = run.tests.get(row.nodeid)
            row.reruns[method] = result.outcome if result else "missing"
        if any(row.reruns[m] != row.outcomes[m] for m in by_method):
            row.status = "flaky"


# --- likely reasons ------------------------------------------------------------------------------


def and_list(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _module_names(nodeid: str) -> Tuple[str, ...]:
    """The names a child may fail to import for this test: the test file's module, dotted or not."""
    path = nodeid.split("::", 1)[0]
    if not path.endswith(".py"):
        return ()
    parts = path[:-3].replace("\\", "/").split("/")
    return tuple(".".join(parts[i:]) for i in range(len(parts)))


def likely_reason(row: Row, forced: Dict[str, str]) -> Optional[str]:
    """The likely cause of a difference, or None when nothing specific is known.

    ``forced``: run method -> the method the project actually had in force (its own, if it set one).
    """
    timed_out = [m for m, o in row.outcomes.items() if o == "timeout"]
    if timed_out:
        return f"hangs under {and_list(timed_out)}: killed at the per-test timeout (traceback in the JSON report)"
    failing = row.failing
    if not failing:
        return None
    names = _module_names(row.nodeid)
    missing = [_NO_MODULE.search(row.text.get(m, "")) for m in failing]
    if set(failing) <= set(IMPORTING) and names and all(found and found.group("module") in names for found in missing):
        module = missing[0].group("module") if missing[0] else names[-1]
        return (
            f"a {and_list(failing)} child could not import the test module `{module}` by name (not on the child's "
            "sys.path: rootdir/conftest layout or --import-mode=importlib); define the target in an importable module"
        )
    if row.diagnoses:
        return "; ".join(f"{d.pitfall.code} {d.pitfall.title}" for d in row.diagnoses)
    own = {
        method
        for run_method, used in row.default_methods.items()
        for method in used
        if method != forced.get(run_method, run_method)
    }
    if own:
        return f"the test sets its own start method ({and_list(sorted(own))}) for some of its processes"
    return None


def diagnoses(row: Row, platform: str, version: Tuple[int, ...]) -> List[Diagnosis]:
    """The pitfalls behind a differing test: its outcomes and failure texts, and lint on its own file.

    Only the test's file is linted: a finding elsewhere in the project says nothing of this test, and
    with the common spawn-and-forkserver split it would name a cause without evidence.
    """
    ran = {m: (o,) for m, o in row.outcomes.items() if o != "missing"}
    return lint_and_diagnose(ran, {m: row.text.get(m, "") for m in ran}, platform, version, row.path)


def explain(rows: Sequence[Row], runs: Sequence[MethodRun], platform: str, version: Tuple[int, ...]) -> None:
    forced = {run.method: run.project_method or run.method for run in runs}
    for row in rows:
        if row.status in ("differ", "flaky"):
            if not any(o == "timeout" for o in row.outcomes.values()):
                row.diagnoses = diagnoses(row, platform, version)
            row.reason = likely_reason(row, forced)
