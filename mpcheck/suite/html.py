"""``mpcheck suite --html`` and ``mpcheck merge --html`` of suite reports: the tests that differ, as one page.

Everything is read from suite reports (``mpcheck-suite/1``) as dicts, through :func:`build` alone, and
only the keys it knows: a report with more keys (rows, subtests, counts added later) draws the same.
Columns are grouped by OS, interpreter and start method; rows are the tests whose outcome differs
(or that some report found flaky). A test's name opens to its likely cause, the pitfall's fix and its
exposure (processes started through the default context and through explicit ones, per method); each
cell that did not pass opens to its outcome, the first line of its failure, its exposure there, its
rerun and, after a timeout, where it hung.
"""

from __future__ import annotations

from typing import Any, List, Mapping, Optional, Sequence, Tuple

from ..render import htmlpage, styles
from ..render.htmlpage import Html, section, tag
from .output import exposure_warning
from .reports import SHOWN, Column, Test, read

#: outcomes that need nothing opened
QUIET = ("passed",)


def _cause(test: Test) -> Html:
    """The likely cause: the pitfalls with evidence, where and fix; else the reason; else a plain no."""
    parts: List[Any] = []
    for d in test.diagnoses:
        where = d.get("location") or (test.where[0] if test.where else None)
        rows = [("where", where), ("evidence", d.get("evidence")), ("fix", d.get("fix"))]
        scenarios = ", ".join(str(s) for s in d.get("scenarios") or [])
        if scenarios:
            rows.append(("proven by", f"the catalog's {scenarios} (mpcheck run --scenario {d.get('scenario', '')})"))
        parts += [
            tag("p", tag("b", str(d.get("code", ""))), " ", str(d.get("title", ""))),
            htmlpage.facts([(k, str(v)) for k, v in rows if v]),
        ]
    known = {f"{d.get('code')} {d.get('title')}" for d in test.diagnoses}
    for reason in test.reasons:
        if reason not in known and not any(reason.startswith(k) for k in known):
            parts.append(tag("p", reason))
    if not parts:
        parts.append(tag("p", "no known cause"))
    if not test.diagnoses and test.where:
        parts.append(htmlpage.facts([("where", f"{test.where[0]} (where it fails)")]))
    return section("Likely cause", parts)


def _where_and_fix(shown: Sequence[Test]) -> Html:
    """Under the grid, open at first sight: each differing test with its cause, where and the fix."""
    items = [tag("div", tag("h3", tag("code", test.nodeid)), _cause(test)) for test in shown]
    return section("Where and the fix", items)


def _exposure(test: Test, columns: Sequence[Column]) -> Html:
    head = tag("tr", [tag("th", h, scope="col") for h in ("where", "outcome", "default context", "explicit contexts")])
    rows = [
        tag(
            "tr",
            tag("th", f"{c.platform} · {c.runtime} · {c.method}", scope="row"),
            tag("td", styles.label(test.outcomes[c])),
            tag("td", str(test.exposure.get(c, {}).get("default", "–"))),
            tag("td", str(test.exposure.get(c, {}).get("explicit", "–"))),
        )
        for c in columns
        if c in test.outcomes
    ]
    note = "processes the test started, through the default context (the method mpcheck forces) and explicit ones"
    return section("Exposure", tag("p", note), tag("table", tag("thead", head), tag("tbody", rows), class_="facts"))


def _cell_body(test: Test, column: Column, columns: Sequence[Column]) -> Html:
    outcome = test.outcomes[column]
    rows: List[Tuple[str, Any]] = [("outcome", styles.label(outcome))]
    if test.first_line.get(column):
        rows.append(("first line", test.first_line[column]))
    exposure = test.exposure.get(column, {})
    if exposure:
        rows.append(("processes", f"{exposure.get('default', 0)} through the default context, "
                                  f"{exposure.get('explicit', 0)} through explicit ones"))  # fmt: skip
    if column in test.reruns:
        rows.append(("rerun", test.reruns[column]))
    parts: List[Any] = [htmlpage.facts(rows)]
    if column in test.tracebacks:
        parts.append(section("Where it hung (every thread's traceback)", htmlpage.pre(test.tracebacks[column])))
    parts.append(_cause(test))
    return htmlpage.join(parts)


def build(reports: Sequence[Tuple[str, Mapping[str, Any]]]) -> htmlpage.Page:
    """The page of one or more suite reports (``(source, report)``; source "" for this run's)."""
    suites = read(reports)
    columns = suites.columns
    shown = suites.shown
    rows = []
    for test in shown:
        cells: List[Optional[htmlpage.Cell]] = []
        for column in columns:
            outcome = test.outcomes.get(column)
            if outcome is None:
                cells.append(None)
                continue
            where = f"{test.nodeid} · {column.platform} · {column.runtime} · {column.method}"
            details = None if outcome in QUIET else _cell_body(test, column, columns)
            cells.append(htmlpage.Cell(outcome, where, details, note=test.first_line.get(column, "")))
        statuses = sorted(set(test.statuses.values()) - {"differ"})
        badge = ", ".join(s for s in statuses if s in SHOWN)
        rows.append(htmlpage.Row(test.nodeid, cells, htmlpage.join([_cause(test), _exposure(test, columns)]), badge))
    warning = None if shown else exposure_warning(list(suites.tests.values()))
    total = len(suites.tests)
    note = (
        f"{len(shown)} of {total} tests differ between start methods (or were flaky) and are shown; "
        f"the other {total - len(shown)} do not differ (they agree, fail alike, or ran under one method)."
    )
    grid_columns = [htmlpage.Column((c.platform, c.runtime, c.method)) for c in columns]
    return htmlpage.Page(
        title="mpcheck suite: the tests whose outcome depends on the start method",
        lines=suites.lines,
        totals=[],
        grid=htmlpage.Grid("test", grid_columns, rows, ok=("passed", "skipped", "xfailed")),
        note=note,
        warnings=suites.warnings + ([warning] if warning else []),
        sections=[_where_and_fix(shown)] if shown else [],
    )


def render(reports: Sequence[Tuple[str, Mapping[str, Any]]]) -> str:
    return htmlpage.render(build(reports))
