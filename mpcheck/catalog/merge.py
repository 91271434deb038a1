"""``mpcheck merge``: JSON reports from many machines (one per OS × Python) as one cross-OS table.

Rows are scenarios; columns are platform × start method × implementation (CPython, PyPy side by side),
a free-threaded CPython (``3.14t``) apart from CPython with the GIL, as if it were an implementation.
A column whose statuses agree on every Python it ran on stays one column; a column where some
scenario's status differs between Pythons is split into one column per Python, so a version-specific
change is visible without a column per Python everywhere. Reports written before mpcheck recorded the
implementation are CPython's. Failures are listed under the table with expected against observed,
identical ones across Pythons grouped.

Exit codes: ``mpcheck.errors.EXIT_CODES["merge"]`` (the one table; docs/exit-codes.md): a failed cell
makes a CI job that merges the matrix go red with it.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional, Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .. import files
from ..errors import EXIT_FAILED, EXIT_OK
from ..render import github, styles
from .merged import Merged, first_cell, load, sources_line, summary_line, who
from .report import first_difference, likely_cause
from .results import BAD, DERIVED_MARK

# --- terminal ------------------------------------------------------------------------------------


def table(merged: Merged) -> Table:
    result = Table(title="mpcheck merge · " + sources_line(merged), title_justify="left")
    result.add_column("scenario", no_wrap=True)
    columns = merged.columns()
    for column in columns:
        result.add_column(Text(column.header()), justify="center")
    for scenario in merged.scenarios:
        row: List[Text] = [Text(scenario)]
        for column in columns:
            status = merged.column_status(scenario, column)
            mark = DERIVED_MARK if status and merged.column_derived(scenario, column) else ""
            row.append(styles.text(status) + mark if status else Text("-", style="dim"))
        result.add_row(*row)
    return result


def show(console: Console, merged: Merged) -> None:
    rendered = table(merged)
    if not console.is_terminal:
        # CI logs are not terminals (rich assumes 80 columns there): give the table the width it needs.
        wanted = console.measure(rendered, options=console.options.update_width(10_000)).maximum
        console.width = max(console.width, wanted)
    console.print(rendered)
    for problem in merged.problems():
        console.print(Text.assemble((problem.title() + " ", "bold"), styles.text(problem.status)))
        console.print(problem.text, markup=False, highlight=False)
        console.print()
    console.print(summary_line(merged), highlight=False)


# --- Markdown (--markdown, and the GitHub job summary) -------------------------------------------


def _md_status(status: Optional[str]) -> str:
    if status is None:
        return "–"
    return f"**{styles.label(status)}**" if status in BAD else styles.label(status)


def table_markdown(merged: Merged) -> List[str]:
    columns = merged.columns()
    headers = ["scenario", *(c.header().replace("\n", " ") for c in columns)]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join([" --- "] + [" :---: "] * len(columns)) + "|"]
    for scenario in merged.scenarios:
        cells = [
            _md_status(merged.column_status(scenario, c)) + (DERIVED_MARK if merged.column_derived(scenario, c) else "")
            for c in columns
        ]
        lines.append(f"| {github.md_code(scenario, table=True)} | " + " | ".join(cells) + " |")
    return lines


def markdown(merged: Merged) -> str:
    """``--markdown``: the whole table, then every cell that did not pass, expected against observed."""
    lines = ["## mpcheck: every OS and Python", "", sources_line(merged), "", *table_markdown(merged)]
    lines += ["", summary_line(merged), ""]
    problems = merged.problems()
    if problems:
        lines += ["### Not passed: expected against observed", ""]
        for problem in problems:
            lines += [f"**{problem.title()}**: {styles.label(problem.status)}", "", github.fence(problem.text), ""]
    return "\n".join(lines)


def problems_markdown(merged: Merged) -> List[str]:
    """Each cell that did not pass, in one table row: where, status, the first difference, the likely cause."""
    problems = merged.problems()
    if not problems:
        return []
    lines = ["| cell | status | what differs | likely cause |", "| --- | --- | --- | --- |"]
    shown = problems[: github.SUMMARY_ITEMS]
    for problem in shown:
        cell = first_cell(merged, problem)
        where = f"{github.md_code(f'{problem.scenario}[{problem.method}]', table=True)} {problem.platform} · "
        where += github.md_text(who(problem.pythons))
        cause = likely_cause(cell)
        lines.append(
            f"| {where} | **{styles.label(problem.status)}** | {github.md_text(first_difference(cell))} | "
            f"{github.md_text(cause) if cause else '–'} |"
        )
    more = github.more_line(len(problems), len(shown), "the full list is in the job's log and the HTML report")
    return lines + ([f"\n{more}"] if more else [])


def step_summary(merged: Merged, heading: str, table: bool = False, totals: Optional[str] = None) -> str:
    """The job summary: the totals, each cell that did not pass with its likely cause, and (``table``) the
    whole table folded under them."""
    lines = [f"## {heading}", "", sources_line(merged), "", f"**{totals or summary_line(merged)}**", ""]
    lines += problems_markdown(merged)
    if table:
        lines += ["", "<details><summary>The whole table</summary>", "", *table_markdown(merged), "", "</details>"]
    return "\n".join(lines) + "\n"


def main(reports: Sequence[Path], markdown_path: Optional[Path] = None, html_path: Optional[Path] = None) -> int:
    """``mpcheck merge`` of run reports (``mpcheck-report/1``): the table, Markdown, HTML, the job summary."""
    files.check_outputs([("--markdown", markdown_path), ("--html", html_path)])
    merged = load(reports)
    if markdown_path is not None:
        files.write_text(Path(markdown_path), markdown(merged))
    if html_path is not None:
        from .html import render_merged

        files.write_text(Path(html_path), render_merged(merged))
    github.append_summary(step_summary(merged, "mpcheck: every OS and Python", table=True))
    show(styles.console(), merged)
    return EXIT_OK if merged.ok else EXIT_FAILED
