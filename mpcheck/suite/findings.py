"""``mpcheck suite``'s findings: which tests differ between start methods, and why.

Input is what :mod:`.supervisor` gathered: per start method, every test's outcome, the first line of
its failure, the failure's text (with what its children printed) and its exposure (processes started
through the default context and through explicit ones, per method). Output: one :class:`Row` per
test, judged (agree, differ, flaky, fail-everywhere, fail-not-rerun), with its likely reason. :mod:`.output` shows them.

Causes are named only where the evidence is specific: a pitfall from :mod:`mpcheck.pitfalls` when the
methods that fail are exactly those it breaks here *and* its runtime signature is in every failure;
the few causes that are about running a test suite rather than about multiprocessing (a hang, a child
that could not import the test module, a test that sets its own method) are recognised here. A wrong
cause is worse than none: otherwise the column stays empty.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

from ..diagnose import Diagnosis, LintFinding, diagnose, frames, lint_findings, own_object
from ..methods import IMPORTING
from ..pitfalls import hint_named
from .protocol import TestResult

FAILING = ("failed", "error", "timeout")
#: a method's outcome for a test it did not run: it used no process under the first method
NO_PROCESS = "no-process"
#: ... it started processes only through explicit contexts under the first method (and no child started
#: processes of its own): the forced method does not reach it
EXPLICIT_ONLY = "explicit-only"
#: outcomes that say nothing of how the test fares under that method
NOT_COMPARED = ("missing", NO_PROCESS, EXPLICIT_ONLY)
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
    #: the tests this method did not run because under the first method they started no process (nor
    #: asked for a method, nor ran a subprocess): they cannot differ
    unexposed: List[str] = field(default_factory=list)
    #: the tests this method did not run because under the first method they started processes only
    #: through explicit contexts
    explicit_only: List[str] = field(default_factory=list)
    #: a process this run's pytest started started processes of its own
    children_started: bool = False
    #: the method whose run chose the exposed tests this one ran (None: it ran every test)
    only_exposed_of: Optional[str] = None


@dataclass
class Row:
    """One test across the methods, judged."""

    nodeid: str
    outcomes: Dict[str, str]
    first_line: Dict[str, str]
    exposure: Dict[str, Dict[str, int]]
    #: agree | differ | flaky | fail-everywhere | fail-not-rerun (failed under the one method it ran under)
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
    #: run method -> the method the test's processes actually ran under, where the project's own
    #: set_start_method() overrode the run's: that run says nothing of the run's method
    not_compared: Dict[str, str] = field(default_factory=dict)
    #: where (``path:line``): the cause's place when a cause is named, else where the test fails in the
    #: project's own code
    where: Optional[str] = None
    #: method -> the outcome the test had when its method's run shared the machine with another method's
    #: run, where rerun alone it had another (then :attr:`outcomes` holds the alone one, unless the test
    #: agreed alone: then it is flaky and :attr:`outcomes` holds what was seen first)
    beside: Dict[str, str] = field(default_factory=dict)

    @property
    def compared(self) -> Tuple[str, ...]:
        """The methods whose outcome counts in the comparison."""
        return tuple(m for m, o in self.outcomes.items() if o not in NOT_COMPARED and m not in self.not_compared)

    @property
    def failing(self) -> Tuple[str, ...]:
        return tuple(m for m, o in self.outcomes.items() if o in FAILING)

    def used_default(self) -> bool:
        return any(e["default"] for e in self.exposure.values())

    def used_explicit(self) -> bool:
        return any(e["explicit"] for e in self.exposure.values())

    def used_other(self) -> bool:
        """It did something else the forced method can reach: sent work to a process, ran a subprocess,
        asked for the method, used a fixture that started processes."""
        return any(e["other"] for e in self.exposure.values())

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
            "not_compared": self.not_compared,
            "where": self.where,
            "beside_others": self.beside,
        }


def changed(outcomes: Mapping[Any, str]) -> bool:
    """The outcomes differ and the test does not fail under every method."""
    values = set(outcomes.values()) - set(NOT_COMPARED)  # a run that did not finish says nothing of the test
    return len(values) > 1 and not values <= set(FAILING)


def _actual_method(run: MethodRun, used: Dict[str, int], exposure: Dict[str, int]) -> Optional[str]:
    """The method a test really ran under in ``run``, when the project's own choice overrode the run's
    (None when the run's method is what the test got): set while pytest collected (a conftest), or by the
    test itself (every default-context process it started ran under another method)."""
    if run.project_method and run.project_method != run.method and (used or exposure.get("other")):
        return run.project_method
    if used and run.method not in used:
        return ", ".join(sorted(used))
    return None


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
            outcomes[run.method] = (
                result.outcome
                if result
                else NO_PROCESS
                if nodeid in run.unexposed
                else EXPLICIT_ONLY
                if nodeid in run.explicit_only
                else "missing"
            )
            first[run.method] = result.first_line if result else ""
            text[run.method] = result.text if result else ""
            exp = result.exposure if result else {}
            exposure[run.method] = {k: sum((exp.get(k) or {}).values()) for k in ("default", "explicit", "other")}
            used[run.method] = dict(exp.get("default") or {})
        row = Row(nodeid, outcomes, first, exposure, default_methods=used, text=text, path=path)
        for run in runs:
            actual = _actual_method(run, used[run.method], exposure[run.method])
            if actual is not None and outcomes[run.method] not in NOT_COMPARED:
                row.not_compared[run.method] = actual
        if row.not_compared:
            outcomes = {m: outcomes[m] for m in row.compared}
            if len(outcomes) < 2:
                row.status = "not-compared"
                rows.append(row)
                continue
        if changed(outcomes):
            row.status = "differ"
        elif set(outcomes.values()) - set(NOT_COMPARED) <= set(FAILING) and set(outcomes.values()) - set(NOT_COMPARED):
            # under every method it ran: under one only (a test that used no process is not rerun), that is
            # all that was seen
            ran = [m for m, o in outcomes.items() if o not in NOT_COMPARED]
            row.status = "fail-everywhere" if len(ran) > 1 else "fail-not-rerun"
        rows.append(row)
    return rows


def apply_reruns(rows: Sequence[Row], reruns: Sequence[MethodRun], rerun: Sequence[str]) -> None:
    """A differing test whose outcome under some method changed when rerun is flaky, not a difference.
    ``rerun``: the tests that were rerun (a hung one is not)."""
    by_method = {run.method: run for run in reruns}
    wanted = set(rerun)
    for row in rows:
        if row.status != "differ" or not by_method or row.nodeid not in wanted:
            continue
        for method, run in by_method.items():
            result = run.tests.get(row.nodeid)
            row.reruns[method] = result.outcome if result else "missing"
        if any(row.reruns[m] != row.outcomes[m] for m in by_method):
            row.status = "flaky"


def alone_plan(rows: Sequence[Row], methods: Sequence[str], beside: Sequence[str]) -> Dict[str, List[str]]:
    """What to rerun alone (one method at a time) after a run where the methods of ``beside`` ran at once:
    method -> tests. A test that differs for no stated reason is rerun under every method (the rerun that
    tells a flaky test, as after a run one method at a time); one that hung, under the methods that ran
    beside another where it hung (two sessions can wait on each other: a lock file, a port); one whose
    failure says why (a pitfall's signature in every failure, the code naming the method it needs, a
    child that cannot import the test module: nothing a collision writes) is not rerun; one that fails
    under every method it ran under (all of them, or the first alone: the later methods beside the first
    method's run) is rerun under those that ran beside another (the collision may be all that failed
    there)."""
    plan: Dict[str, List[str]] = {m: [] for m in methods}
    for row in rows:
        ran = [m for m in methods if m in row.compared]
        if row.status == "differ" and not deterministic(row):
            again = ran
        elif row.status == "differ":
            again = [m for m in ran if m in beside and row.outcomes[m] == "timeout"]
        elif row.status in ("fail-everywhere", "fail-not-rerun"):
            again = [m for m in ran if m in beside]
        else:
            continue
        for method in again:
            plan[method].append(row.nodeid)
    return {m: nodeids for m, nodeids in plan.items() if nodeids}


def apply_alone(
    rows: Sequence[Row], reruns: Sequence[MethodRun], plan: Mapping[str, Sequence[str]], beside: Sequence[str]
) -> None:
    """Judge the tests rerun alone (:func:`alone_plan`). A method that ran alone both times and changed
    outcome makes the test flaky (as :func:`apply_reruns`). A method that ran beside another and has
    another outcome alone: that outcome counts (the first may come from two sessions colliding), and the
    one seen beside is kept in :attr:`Row.beside`; a test that then agrees is flaky, not a difference
    (it differed only when run beside the other methods), and so is one that failed under every method it
    ran under and passes alone (it failed only beside them: the suite does not fail for it)."""
    by_method = {run.method: run for run in reruns}
    for row in rows:
        again = [m for m, nodeids in plan.items() if row.nodeid in nodeids and m in by_method]
        if not again:
            continue
        results = {m: by_method[m].tests.get(row.nodeid) for m in again}
        outcome = {m: r.outcome if r else "missing" for m, r in results.items()}
        full = row.status == "differ" and not deterministic(row)  # the flaky test's rerun
        if full:
            row.reruns = dict(outcome)
        if any(outcome[m] != row.outcomes[m] for m in again if m not in beside):
            row.status = "flaky"
            continue
        alone = [m for m in again if m in beside and outcome[m] not in NOT_COMPARED]
        moved = [m for m in alone if outcome[m] != row.outcomes[m]]
        if not changed({m: outcome[m] if m in alone else row.outcomes[m] for m in row.compared}):
            if moved and row.status in ("differ", "fail-everywhere", "fail-not-rerun"):  # alone: no difference
                row.beside = {m: row.outcomes[m] for m in moved}
                row.reruns = dict(outcome)
                row.status = "flaky"
            continue
        # it differs alone: what each method that ran beside another did alone is what counts
        row.beside = {m: row.outcomes[m] for m in moved}
        for m in alone:
            result = results[m]
            assert result is not None
            row.outcomes[m], row.first_line[m], row.text[m] = result.outcome, result.first_line, result.text
        row.status = "differ"


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
    required = requires_method(row)
    if required:
        return required
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


#: a failure that says the code needs a start method: "only works with the 'fork' start method",
#: "requires the spawn start method", "start method must be forkserver", ...
_REQUIRES = re.compile(
    r"(?i)(?:\b(?:only|requires?|required|needs?|must|supported|works?)\b[^\n]{0,60}?"
    r"['\"`]?\b(?P<m1>fork|spawn|forkserver)\b['\"`]?[^\n]{0,20}?\bstart(?:[ _]method)?\b"
    r"|\bstart[ _]method\b[^\n]{0,40}?\b(?:must|should|needs? to|has to|to) be\b"
    r"[^\n]{0,10}?['\"`]?(?P<m2>fork|spawn|forkserver)\b)"
)


def _spans(tree: ast.Module, lines: Iterable[int], test: Sequence[str]) -> List[Tuple[int, int]]:
    """The line spans of the top-level functions (or methods) that hold ``lines``, and of the test named by
    ``test`` (its class and function names): the code this test ran in that file."""
    spans = []
    for node in tree.body:
        defs = [node]
        if isinstance(node, ast.ClassDef):
            defs = [n for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for d in defs:
            if not isinstance(d, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            start = min([d.lineno, *(x.lineno for x in d.decorator_list)])
            end = d.end_lineno or d.lineno
            named = list(test) == ([node.name, d.name] if isinstance(node, ast.ClassDef) else [d.name])
            if named or any(start <= line <= end for line in lines):
                spans.append((start, end))
    return spans


def failure_where(row: Row, cwd: Path) -> Optional[str]:
    """Where the test fails in the project's own code: the innermost such frame of a failing method's
    text (``path:line``, relative to ``cwd`` when inside it)."""
    for method in row.failing:
        found = frames(row.text.get(method, ""), cwd)
        if found:
            path, line = found[-1]
            try:
                shown = str(path.resolve().relative_to(cwd.resolve()))
            except (ValueError, OSError):
                shown = str(path)
            return f"{shown}:{line}"
    return None


def own_findings(row: Row, cwd: Path) -> List[LintFinding]:
    """Lint findings in the code this test ran: the test function itself and the functions its failure's
    frames are in, in the project's own files. A finding elsewhere in the same file is another test's."""
    by_file: Dict[Path, Set[int]] = {}
    for method in row.failing:
        for path, line in frames(row.text.get(method, ""), cwd):
            by_file.setdefault(path, set()).add(line)
    test_file = Path(row.path) if row.path else None
    if test_file is not None:
        by_file.setdefault(test_file, set())
    names = [n.split("[", 1)[0] for n in row.nodeid.split("::")[1:]]
    kept: List[LintFinding] = []
    for path, lines in by_file.items():
        try:
            tree = ast.parse(path.read_bytes())
        except (OSError, SyntaxError, ValueError, RecursionError):
            continue
        own_test = names if test_file is not None and path.resolve() == test_file.resolve() else []
        spans = _spans(tree, lines, own_test)
        if not spans:
            continue
        kept += [
            f
            for f in lint_findings(str(path), row.path if own_test else None)
            if any(a <= f.line <= b for a, b in spans)
        ]
    return kept


def requires_method(row: Row) -> Optional[str]:
    """When every failure says the code needs a start method that is not the method it ran under (and the
    methods that pass include it): the code under test is pinned to that method."""
    failing = row.failing
    passing = [m for m, o in row.outcomes.items() if o not in FAILING and o not in NOT_COMPARED]
    if not failing or not passing:
        return None
    named = set()
    for method in failing:
        found = _REQUIRES.search(row.text.get(method, "") or row.first_line.get(method, ""))
        if found is None:
            return None
        need = (found.group("m1") or found.group("m2")).lower()
        if need == method:
            return None
        named.add(need)
    if len(named) != 1 or not named <= set(passing):
        return None
    need = named.pop()
    line = next((row.first_line[m] for m in failing if row.first_line.get(m)), "")
    return f"the code under test requires the {need} start method (it says so: {line})"


def diagnoses(
    row: Row, platform: str, version: Tuple[int, ...], observed: Sequence[LintFinding] = (), cwd: Optional[Path] = None
) -> List[Diagnosis]:
    """The pitfalls behind a differing test: its outcomes and failure texts, what the sanitizer saw this test
    do (``observed``, first: it saw the start), lint findings in the code the test ran (:func:`own_findings`),
    and whether an object the failure names is the project's (:func:`own_object`)."""
    cwd = cwd or Path.cwd()
    ran = {m: (o,) for m, o in row.outcomes.items() if o not in NOT_COMPARED}
    texts = {m: row.text.get(m, "") for m in ran}
    return diagnose(
        ran,
        texts,
        platform,
        version,
        own_findings(row, cwd),
        failing=[m for m in row.failing if m in ran],
        observed=observed,
        own=own_object(row.path, [row.text.get(m, "") for m in row.failing], cwd),
    )


def deterministic(row: Row) -> bool:
    """The difference says why it happened, in the failure itself: it hung, or a pitfall's runtime
    signature is in the failure, or the code says it requires a method, or the child could not import
    the test module. A rerun would only repeat it (a test that differs for no stated reason is rerun)."""
    if any(o == "timeout" for o in row.outcomes.values()):
        return True
    if any(d.signed for d in row.diagnoses):
        return True
    return row.reason is not None and not row.diagnoses and not row.reason.startswith("the test sets its own")


def explain(
    rows: Sequence[Row],
    runs: Sequence[MethodRun],
    platform: str,
    version: Tuple[int, ...],
    observed: Optional[Mapping[str, Sequence[LintFinding]]] = None,
) -> None:
    """Each differing test's likely reason. ``observed``: the sanitizer's hazards, by the nodeid that caused them."""
    forced = {run.method: run.project_method or run.method for run in runs}
    for row in rows:
        if row.status in ("differ", "flaky"):
            if not any(o == "timeout" for o in row.outcomes.values()) and not requires_method(row):
                row.diagnoses = diagnoses(row, platform, version, (observed or {}).get(row.nodeid, ()))
            located = [d.location for d in row.diagnoses if d.location]
            row.where = located[0] if located else failure_where(row, Path.cwd())
            row.reason = likely_reason(row, forced)
