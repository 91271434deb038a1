"""``mpcheck run --html`` and ``mpcheck merge --html``: the matrix as one page (see :mod:`mpcheck.render.htmlpage`).

Rows are scenarios; columns are grouped by OS, implementation and Python (one group of Pythons where
they all agree, one per Python where they do not: :meth:`.merged.Merged.runtime_columns`), then start
method. A cell that did not pass opens to its facts: the detail line, each fact expected against
observed, the stderr and stdout tails, the likely cause when the failure's own text carries a known
pitfall's hint (:func:`mpcheck.diagnose.hint`), and what the scenario proves (its pitfall and fix, from
:mod:`mpcheck.pitfalls`). One run's report is drawn as a merge of one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from .. import __version__, pitfalls
from ..render import htmlpage, styles
from ..render.htmlpage import Html, section, tag
from ..runtime import method_order, report_runtime
from .merged import Column, Merged, first_cell, sources_line, who
from .report import likely_cause, mismatch_text
from .results import STATUSES

#: statuses that open to their facts (``unavailable`` opens to why)
OPENS = ("failed", "timeout", "crashed", "interrupted", "unavailable")


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def fact_table(cell: Dict[str, Any]) -> Optional[Html]:
    """Each fact that differs (a failed cell) or every expected fact (a crash, a timeout): expected against
    observed, and why they differ."""
    expected, observed, why = cell.get("expected") or {}, cell.get("observed") or {}, cell.get("mismatches") or {}
    loose = set(cell.get("loose") or ())
    names = list(why) if why else (list(expected) if cell.get("status") in ("crashed", "timeout") else [])
    if not names:
        return None
    rows = []
    for name in names:
        want = expected.get(name)
        shown = want if name in loose and isinstance(want, str) else _value(want) if name in expected else "–"
        seen = _value(observed[name]) if name in observed else "(not observed)"
        rows.append(
            tag("tr", tag("th", name, scope="row"), tag("td", shown), tag("td", seen), tag("td", why.get(name)))
        )
    head = tag("tr", *(tag("th", h, scope="col") for h in ("fact", "expected", "observed", "why")))
    return tag("table", tag("thead", head), tag("tbody", rows), class_="facts")


def cell_body(scenario: str, method: str, cell: Dict[str, Any]) -> Html:
    """Everything a cell's report says about why it did not pass, and what is known of the cause."""
    status = str(cell.get("status"))
    stderr, stdout = str(cell.get("stderr_tail") or ""), str(cell.get("stdout_tail") or "")
    parts: List[Any] = []
    if cell.get("detail"):
        parts.append(tag("p", str(cell["detail"])))
    table = fact_table(cell)
    if table is not None:
        parts.append(section("Expected against observed", table))
    if status == "unavailable":
        return htmlpage.join(parts)
    cause = likely_cause(cell)
    if cause:
        parts.append(section("Likely cause (from this cell's own output)", tag("p", cause)))
    if stderr.strip():
        parts.append(section("stderr (tail)", htmlpage.pre(stderr)))
    if stdout.strip():
        parts.append(section("stdout (tail)", htmlpage.pre(stdout)))
    proves = list(pitfalls.proving(scenario))
    if proves:
        items = [
            tag(
                "li",
                tag("b", p.code),
                f" {p.title}. Fix in your code: {p.fix} ",
                tag("code", f"mpcheck lint --explain {p.code}"),
            )
            for p in proves
        ]
        parts.append(section("What this scenario proves", tag("ul", items)))
    return htmlpage.join(parts)


def group_label(column: Column) -> str:
    """The interpreter group of a column: ``Python 3.9–3.13``, ``Python 3.14t``, ``PyPy 3.10–3.11``."""
    label = column.pythons_label()
    return f"Python {label}" if column.impl.startswith("cpython") else label


def _details(merged: Merged, scenario: str, column: Column) -> Optional[Html]:
    """The panel of a cell: its facts, grouped by identical failures across the column's Pythons."""
    groups: Dict[Tuple[str, str], List[Tuple[str, Dict[str, Any]]]] = {}
    for python in column.pythons:
        cell = merged.cells.get((scenario, column.platform, column.method, python))
        if cell is not None and cell["status"] in OPENS:
            key = (str(cell["status"]), mismatch_text(cell) + str(cell.get("stderr_tail", "")))
            groups.setdefault(key, []).append((python, cell))
    if not groups:
        return None
    parts = []
    for members in groups.values():
        pythons = [p for p, _ in members]
        heading = who(pythons) if len(column.pythons) > 1 or len(groups) > 1 else ""
        body = cell_body(scenario, column.method, members[0][1])
        parts.append(section(heading, body) if heading else body)
    return htmlpage.join(parts)


def build(merged: Merged, title: str, lines: Sequence[str]) -> htmlpage.Page:
    columns = merged.runtime_columns()
    grid_columns = [htmlpage.Column((c.platform, group_label(c), c.method)) for c in columns]
    rows = []
    for scenario in merged.scenarios:
        cells: List[Optional[htmlpage.Cell]] = []
        for column in columns:
            status = merged.column_status(scenario, column)
            if status is None:
                cells.append(None)
                continue
            where = f"{scenario} · {column.platform} · {group_label(column)} · {column.method}"
            if merged.column_derived(scenario, column):
                where += " · expected from CPython's source, never observed here"
            cells.append(htmlpage.Cell(status, where, _details(merged, scenario, column)))
        rows.append(htmlpage.Row(scenario, cells))
    counts = merged.counts()
    totals = [(s, counts[s]) for s in STATUSES if counts.get(s)]
    problems = []
    for problem in merged.problems():
        cell = first_cell(merged, problem)
        problems.append(
            tag(
                "article",
                tag(
                    "h3",
                    problem.title(),
                    " ",
                    tag("span", styles.label(problem.status), class_=htmlpage.status_classes(problem.status)),
                ),
                cell_body(problem.scenario, problem.method, cell),
            )
        )
    sections = (
        [tag("section", tag("h2", "Not passed: expected against observed"), problems, class_="problems")]
        if problems
        else []
    )
    return htmlpage.Page(
        title=title,
        lines=list(lines),
        totals=totals,
        grid=htmlpage.Grid("scenario", grid_columns, rows),
        sections=sections,
    )


def render_merged(merged: Merged) -> str:
    """``mpcheck merge --html``."""
    lines = [sources_line(merged), f"{len(merged.sources)} report(s), {len(merged.scenarios)} scenarios"]
    return htmlpage.render(build(merged, "mpcheck merge: every OS and Python", lines))


def render_report(report: Dict[str, Any]) -> str:
    """``mpcheck run --html``: one run's JSON report (``mpcheck-report/1``) as a merge of one."""
    merged = Merged()
    merged.add(Path("this run"), report)
    _, runtime = report_runtime(report)
    title = f"mpcheck {__version__} · {runtime} · {report.get('platform')}"
    methods = method_order(c.method for c in merged.runtime_columns())
    lines = [f"{len(merged.scenarios)} scenarios under {', '.join(methods)}", str(report.get("sys_version", ""))]
    return htmlpage.render(build(merged, title, lines))
