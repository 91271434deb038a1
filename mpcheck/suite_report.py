"""``mpcheck suite``'s findings: which tests differ between start methods, why, and the reports.

Input is what :mod:`mpcheck.suite` gathered: per start method, every test's outcome, the first line of
its failure, the failure's text (with what its children printed) and its exposure (processes started
through the default context and through explicit ones, per method). Output: the table of the tests
that differ, the summary line, the JSON report (``mpcheck-suite/1``) and JUnit XML.

Causes are named only where the evidence is specific: a pitfall from :mod:`mpcheck.pitfalls` when the
methods that fail are exactly those it breaks here *and* its runtime signature is in every failure;
the few causes that are about running a test suite rather than about multiprocessing (a hang, a child
that could not import the test module, a test that sets its own method) are recognised here. A wrong
cause is worse than none: otherwise the column stays empty.
"""

from __future__ import annotations

import json
import os
import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from . import __version__
from .diagnose import Diagnosis, diagnose
from .errors import UsageError
from .expect import METHODS

FORMAT = "mpcheck-suite/1"
FAILING = ("failed", "error", "timeout")
#: children that import the test module by name: what fails there when it cannot be imported
IMPORTING = ("spawn", "forkserver")
_NO_MODULE = re.compile(r"No module named '([\w.]+)'")
_STYLE = {
    "passed": "green",
    "failed": "bold red",
    "error": "bold magenta",
    "timeout": "bold yellow",
    "skipped": "dim",
    "xfailed": "dim",
    "xpassed": "yellow",
    "missing": "dim",
}


@dataclass
class TestResult:
    """One test under one start method."""

    __test__ = False  # not a pytest test class, though its name says Test

    nodeid: str
    outcome: str
    first_line: str = ""
    text: str = ""
    exposure: Dict[str, Dict[str, int]] = field(default_factory=lambda: {"default": {}, "explicit": {}})
    duration_s: float = 0.0
    path: str = ""

    @classmethod
    def from_line(cls, data: Dict[str, Any]) -> TestResult:
        found = data.get("exposure")
        exposure: Dict[str, Any] = found if isinstance(found, dict) else {}
        return cls(
            nodeid=str(data["nodeid"]),
            outcome=str(data.get("outcome", "missing")),
            first_line=str(data.get("first_line") or ""),
            text=str(data.get("text") or ""),
            exposure={k: dict(exposure.get(k) or {}) for k in ("default", "explicit")},
            duration_s=float(data.get("duration_s") or 0.0),
            path=str(data.get("path") or ""),
        )


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


def _and(items: Sequence[str]) -> str:
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
        return f"hangs under {_and(timed_out)}: killed at the per-test timeout (traceback in the JSON report)"
    failing = row.failing
    if not failing:
        return None
    names = _module_names(row.nodeid)
    missing = [_NO_MODULE.search(row.text.get(m, "")) for m in failing]
    if set(failing) <= set(IMPORTING) and names and all(found and found.group(1) in names for found in missing):
        module = missing[0].group(1) if missing[0] else names[-1]
        return (
            f"a {_and(failing)} child could not import the test module `{module}` by name (not on the child's "
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
        return f"the test sets its own start method ({_and(sorted(own))}) for some of its processes"
    return None


def diagnoses(row: Row, platform: str, version: Tuple[int, ...]) -> List[Diagnosis]:
    """The pitfalls behind a differing test: its outcomes and failure texts, and lint on its own file.

    Only the test's file is linted: a finding elsewhere in the project says nothing of this test, and
    with the common spawn-and-forkserver split it would name a cause without evidence.
    """
    ran = {m: (o,) for m, o in row.outcomes.items() if o != "missing"}
    findings: List[Any] = []
    if row.path.endswith(".py"):
        from .lint.api import ParseError, check_source

        try:
            findings = check_source(Path(row.path).read_bytes(), row.path)
        except (OSError, ParseError):
            findings = []
    return diagnose(ran, {m: row.text.get(m, "") for m in ran}, platform, version, findings)


def explain(rows: Sequence[Row], runs: Sequence[MethodRun], platform: str, version: Tuple[int, ...]) -> None:
    forced = {run.method: run.project_method or run.method for run in runs}
    for row in rows:
        if row.status in ("differ", "flaky"):
            if not any(o == "timeout" for o in row.outcomes.values()):
                row.diagnoses = diagnoses(row, platform, version)
            row.reason = likely_reason(row, forced)


# --- the summary ---------------------------------------------------------------------------------


def _group_phrase(rows: Sequence[Row]) -> str:
    groups: Dict[Tuple[str, ...], int] = {}
    for row in rows:
        groups[row.failing] = groups.get(row.failing, 0) + 1
    parts = []
    for i, (failing, n) in enumerate(sorted(groups.items(), key=lambda kv: (not kv[0], -kv[1], -len(kv[0]), kv[0]))):
        if not failing:
            parts.append(f"{n} differ{'s' if n == 1 else ''} in skips or expected failures")
        else:
            verb = ("fails" if n == 1 else "fail") + " only under" if i == 0 else "only under"
            parts.append(f"{n} {verb} {_and(failing)}")
    return ", ".join(parts)


def summary_line(rows: Sequence[Row]) -> str:
    differ = [r for r in rows if r.status == "differ"]
    flaky = [r for r in rows if r.status == "flaky"]
    everywhere = [r for r in rows if r.status == "fail-everywhere"]
    agree = len(rows) - len(differ) - len(flaky)
    text = f"{len(rows)} tests: {agree} agree, {len(differ)} differ"
    if differ:
        text += f" ({_group_phrase(differ)})"
    if flaky:
        text += f", {len(flaky)} flaky"
    if everywhere:
        text += f"; {len(everywhere)} fail under every method"
    used = sum(r.used_default() for r in rows)
    return text + f"; {used} used the default context"


def exposure_warning(rows: Sequence[Row]) -> Optional[str]:
    """Say so when the methods were never exercised: 'agree' would mean nothing."""
    if not rows or any(r.used_default() for r in rows):
        return None
    explicit = sum(r.used_explicit() for r in rows)
    if explicit:
        return (
            f"no test started a process through the default context: {explicit} test(s) started processes only "
            "through explicit contexts (their own method), so the start method chosen here never reached them "
            "and 'agree' says nothing about it"
        )
    return "no test started a process: 'agree' says nothing about start methods"


# --- terminal ------------------------------------------------------------------------------------


def _cell(outcome: str, first_line: str, width: int = 50) -> Any:
    from rich.text import Text

    text = Text(outcome, style=_STYLE.get(outcome, ""))
    if first_line and outcome not in ("passed",):
        line = first_line if len(first_line) <= width else first_line[: width - 1] + "…"
        text.append("\n" + line, style="")
    return text


def show(console: Any, rows: Sequence[Row], runs: Sequence[MethodRun], title: str) -> None:
    from rich.table import Table

    console.print(title, highlight=False, soft_wrap=True)
    for run in runs:
        line = f"  {run.method}: {len(run.tests)} tests in {run.wall_s:.1f} s"
        if run.sessions > 1:
            line += f" (pytest resumed {run.sessions - 1}× after a timeout)"
        console.print(line, highlight=False)
        if run.project_method:
            console.print(
                f"  warning: under {run.method}, the project set the start method to {run.project_method} while "
                f"pytest collected; its default-context tests ran under {run.project_method}",
                style="yellow",
                highlight=False,
            )
        if run.incomplete:
            console.print(f"  warning: the {run.method} run did not finish: {run.incomplete}", style="yellow")
        if run.leftovers:
            console.print(
                f"  warning: {len(run.leftovers)} process(es) of the {run.method} run outlived pytest (killed): "
                + "; ".join(run.leftovers[:3]),
                style="yellow",
                highlight=False,
            )
    shown = [r for r in rows if r.status in ("differ", "flaky")]
    if shown:
        table = Table(title_justify="left")
        longest = max(len(r.nodeid) for r in shown)
        table.add_column("test", overflow="fold", min_width=min(longest, 60))
        methods = [run.method for run in runs]
        for method in methods:
            table.add_column(method)
        table.add_column("likely reason", overflow="fold")
        for row in shown:
            label = row.nodeid + (" (flaky: changed on rerun)" if row.status == "flaky" else "")
            cells = [_cell(row.outcomes[m], row.first_line[m]) for m in methods]
            table.add_row(label, *cells, row.reason or "")
        if not console.is_terminal and "COLUMNS" not in os.environ:  # a CI log: as wide as it needs
            wanted = console.measure(table, options=console.options.update_width(10_000)).maximum
            console.width = max(console.width, min(wanted, 240))
        console.print(table)
    warning = exposure_warning(rows)
    if warning:
        console.print(f"warning: {warning}", style="yellow", highlight=False, soft_wrap=True)
    console.print(summary_line(rows), highlight=False, soft_wrap=True)


# --- reports -------------------------------------------------------------------------------------


def to_json(
    rows: Sequence[Row], runs: Sequence[MethodRun], platform: str, pytest_args: Sequence[str], wall_s: float
) -> Dict[str, Any]:
    tracebacks = {run.method: {nid: t.text for nid, t in run.tests.items() if t.outcome == "timeout"} for run in runs}
    return {
        "format": FORMAT,
        "mpcheck": __version__,
        "python": ".".join(map(str, sys.version_info[:3])),
        "sys_version": sys.version,
        "platform": platform,
        "methods": [run.method for run in runs],
        "pytest_args": list(pytest_args),
        "wall_s": round(wall_s, 3),
        "summary": summary_line(rows),
        "runs": {
            run.method: {
                "wall_s": round(run.wall_s, 3),
                "tests": len(run.tests),
                "sessions": run.sessions,
                "project_method": run.project_method,
                "leftovers": run.leftovers,
                "incomplete": run.incomplete,
                "timeout_tracebacks": tracebacks[run.method],
            }
            for run in runs
        },
        "tests": [row.to_json() for row in rows],
    }


def write_json(path: Path, data: Dict[str, Any]) -> None:
    try:
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def write_junit(path: Path, rows: Sequence[Row], runs: Sequence[MethodRun]) -> None:
    """One testsuite per start method, one testcase per test (classname: the test file)."""
    suites = ET.Element("testsuites")
    for run in runs:
        counts = {o: sum(r.outcomes.get(run.method) == o for r in rows) for o in _STYLE}
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=f"mpcheck-suite-{run.method}",
            tests=str(len(rows)),
            failures=str(counts["failed"]),
            errors=str(counts["error"] + counts["timeout"]),
            skipped=str(counts["skipped"] + counts["xfailed"] + counts["missing"]),
            time=f"{run.wall_s:.3f}",
        )
        for row in rows:
            outcome = row.outcomes.get(run.method, "missing")
            result = run.tests.get(row.nodeid)
            path_part, _, name = row.nodeid.partition("::")
            case = ET.SubElement(
                suite,
                "testcase",
                classname=path_part,
                name=f"{name or path_part}[{run.method}]",
                time=f"{result.duration_s if result else 0:.3f}",
            )
            message = row.first_line.get(run.method, "")
            if outcome == "failed":
                ET.SubElement(case, "failure", message=message).text = result.text if result else ""
            elif outcome in ("error", "timeout"):
                ET.SubElement(case, "error", message=message, type=outcome).text = result.text if result else ""
            elif outcome in ("skipped", "xfailed", "missing"):
                ET.SubElement(case, "skipped", message=message or outcome)
            props = ET.SubElement(case, "properties")
            ET.SubElement(props, "property", name="mp_status", value=row.status)
            ET.SubElement(props, "property", name="mp_exposure", value=json.dumps(row.exposure.get(run.method, {})))
            if row.reason:
                ET.SubElement(props, "property", name="mp_reason", value=row.reason)
    try:
        ET.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def method_order(methods: Sequence[str]) -> List[str]:
    return sorted(dict.fromkeys(methods), key=lambda m: METHODS.index(m) if m in METHODS else len(METHODS))
