"""Suite reports read back: one or many ``mpcheck-suite/1`` reports, as dicts, into columns and tests.

The one reader behind ``--html`` (:mod:`.html`) and the job summary (:func:`step_summary`) of
``mpcheck suite`` and of ``mpcheck merge`` of suite reports. It reads only the keys it knows, each
checked for its type: a report with more keys (rows, subtests, counts added later) reads the same.
Columns are platform × interpreter × start method; a test is shown when some report found it
differing or flaky, or its outcomes differ between the columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Sequence, Tuple

from ..render import github, styles
from ..runtime import method_key, platform_key, report_runtime
from .findings import FAILING, changed

#: a row status that puts a test in the grid
SHOWN = ("differ", "flaky")


@dataclass(frozen=True)
class Column:
    platform: str
    runtime: str
    method: str


@dataclass
class Test:
    """One test across every column of every report."""

    nodeid: str
    outcomes: Dict[Column, str] = field(default_factory=dict)
    first_line: Dict[Column, str] = field(default_factory=dict)
    exposure: Dict[Column, Dict[str, int]] = field(default_factory=dict)
    reruns: Dict[Column, str] = field(default_factory=dict)
    tracebacks: Dict[Column, str] = field(default_factory=dict)
    statuses: Dict[str, str] = field(default_factory=dict)  # report's runtime -> its row status
    reasons: List[str] = field(default_factory=list)
    diagnoses: List[Dict[str, Any]] = field(default_factory=list)
    #: where (``path:line``) each report places it: its cause's place, else where it fails
    where: List[str] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return any(s in SHOWN for s in self.statuses.values()) or changed(self.outcomes)

    # what output.exposure_warning asks of a row
    def used_default(self) -> bool:
        return any(e.get("default") for e in self.exposure.values())

    def used_explicit(self) -> bool:
        return any(e.get("explicit") for e in self.exposure.values())

    def used_other(self) -> bool:
        """It did something else the forced method can reach: sent work to a process, ran a subprocess,
        asked for the method, used a fixture that started processes."""
        return any(e.get("other") for e in self.exposure.values())


def _dict(value: Any) -> Dict[str, Any]:
    return value if isinstance(value, dict) else {}


@dataclass
class Suites:
    """Every test of every report, by column."""

    columns: List[Column] = field(default_factory=list)
    tests: Dict[str, Test] = field(default_factory=dict)
    lines: List[str] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)

    def add(self, source: str, report: Mapping[str, Any]) -> None:
        platform = str(report.get("platform", "?"))
        _, runtime = report_runtime(report)
        runs = _dict(report.get("runs"))
        methods = [str(m) for m in report.get("methods") or []]
        for test in report.get("tests") or []:
            for method in _dict(_dict(test).get("outcomes")):
                if str(method) not in methods:
                    methods.append(str(method))
        own = [Column(platform, runtime, m) for m in methods]
        self.columns.extend(c for c in own if c not in self.columns)
        args = " ".join(str(a) for a in report.get("pytest_args") or [])
        wall = report.get("wall_s")
        where = f"{platform} · {runtime} · {', '.join(methods)}"
        made = f"{where} · pytest {args or '(no arguments)'}"
        made += f" · {wall:.1f} s" if isinstance(wall, (int, float)) else ""
        made += f" ({source})" if source else ""
        self.lines.append(made + (f": {report['summary']}" if report.get("summary") else ""))
        for method in methods:
            run = _dict(runs.get(method))
            if run.get("incomplete"):
                self.warnings.append(f"{where}: the {method} run did not finish: {run['incomplete']}")
            if run.get("project_method"):
                self.warnings.append(
                    f"{where}: under {method}, the project set the start method to {run['project_method']} while "
                    f"pytest collected; its default-context tests ran under {run['project_method']}"
                )
            if run.get("leftovers"):
                self.warnings.append(
                    f"{where}: {len(run['leftovers'])} process(es) of the {method} run outlived pytest (killed)"
                )
        for raw in report.get("tests") or []:
            data = _dict(raw)
            if "nodeid" not in data:
                continue
            nodeid = str(data["nodeid"])
            test = self.tests.setdefault(nodeid, Test(nodeid))
            test.statuses[f"{platform} {runtime}"] = str(data.get("status", ""))
            first, exposure, reruns = (
                _dict(data.get("first_line")),
                _dict(data.get("exposure")),
                _dict(data.get("reruns")),
            )
            for method, outcome in _dict(data.get("outcomes")).items():
                column = Column(platform, runtime, str(method))
                test.outcomes[column] = str(outcome)
                test.first_line[column] = str(first.get(method) or "")
                test.exposure[column] = {
                    k: int(v) for k, v in _dict(exposure.get(method)).items() if isinstance(v, int)
                }
                if method in reruns:
                    test.reruns[column] = str(reruns[method])
                traceback = _dict(_dict(runs.get(method)).get("timeout_tracebacks")).get(nodeid)
                if traceback:
                    test.tracebacks[column] = str(traceback)
            placed = data.get("where")
            if placed and str(placed) not in test.where:
                test.where.append(str(placed))
            reason = data.get("reason")
            if reason and str(reason) not in test.reasons:
                test.reasons.append(str(reason))
            for diagnosis in data.get("diagnoses") or []:
                if isinstance(diagnosis, dict) and diagnosis not in test.diagnoses:
                    test.diagnoses.append(diagnosis)

    @property
    def shown(self) -> List[Test]:
        return [t for t in self.tests.values() if t.shown]


def read(reports: Sequence[Tuple[str, Mapping[str, Any]]]) -> Suites:
    """Every test of ``reports`` (``(source, report)``; source "" for this run's), columns in report order."""
    suites = Suites()
    keys: Dict[str, Tuple[Any, ...]] = {}
    for source, report in reports:
        key, label = report_runtime(report)
        keys[label] = key
        suites.add(source, report)
    suites.columns.sort(key=lambda c: (platform_key(c.platform), keys.get(c.runtime, ()), method_key(c.method)))
    return suites


def cause_line(test: Test) -> str:
    """The likely cause in one line: the reasons the reports gave, else nothing."""
    return "; ".join(test.reasons)


def first_failure(test: Test, columns: Sequence[Column]) -> str:
    """``under spawn: AssertionError: ...``: the first line of the first failing column."""
    for column in columns:
        if test.outcomes.get(column) in FAILING and test.first_line.get(column):
            return f"under {column.method}: {test.first_line[column]}"
    return ""


def step_summary(reports: Sequence[Tuple[str, Mapping[str, Any]]]) -> str:
    """The job summary: each report's summary line, then the tests that differ (outcome per column, the
    first failure, the likely cause)."""
    suites = read(reports)
    runtimes = sorted({f"{c.platform} · {c.runtime}" for c in suites.columns})
    heading = "mpcheck suite · " + "; ".join(runtimes) if len(runtimes) == 1 else "mpcheck suite: every OS and Python"
    lines = [f"## {heading}", ""]
    for _, report in reports:
        if report.get("summary"):
            lines.append(f"**{github.md_text(report['summary'], limit=500)}**" if len(reports) == 1 else
                         f"- {github.md_text(report.get('platform', '?'))} {github.md_text(report_runtime(report)[1])}"
                         f": "
                         f"{github.md_text(report['summary'], limit=500)}")  # fmt: skip
    shown = suites.shown
    if not shown:
        return "\n".join([*lines, "", "Every test agrees under every start method.", ""])
    columns = suites.columns
    single = len({(c.platform, c.runtime) for c in columns}) == 1
    heads = [c.method if single else f"{c.platform} {c.runtime} {c.method}" for c in columns]
    lines += ["", "| test | " + " | ".join(github.md_text(h) for h in heads) + " | first failure | likely cause |"]
    lines.append("| --- |" + " :---: |" * len(columns) + " --- | --- |")
    listed = shown[: github.SUMMARY_ITEMS]
    for test in listed:
        cells = []
        for column in columns:
            outcome = test.outcomes.get(column)
            label = styles.label(outcome) if outcome else "–"
            cells.append(f"**{label}**" if outcome in FAILING else label)
        badge = " (flaky)" if "flaky" in test.statuses.values() else ""
        cause = cause_line(test)
        lines.append(
            f"| {github.md_code(test.nodeid, table=True)}{badge} | " + " | ".join(cells)
            + f" | {github.md_text(first_failure(test, columns), limit=160) or '–'} | "
            + f"{github.md_text(cause) if cause else '–'} |"
        )  # fmt: skip
    more = github.more_line(len(shown), len(listed), "every test is in the JSON and HTML reports")
    return "\n".join(lines + ([f"\n{more}"] if more else [""])) + "\n"
