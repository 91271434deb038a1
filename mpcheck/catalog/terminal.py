"""What a person sees of a run: progress while cells run, then the matrix and the reasons for failures."""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from ..expect import METHODS
from ..render.styles import text as status_text
from .report import mismatch_text
from .results import DERIVED_MARK, CellResult

STDERR_LINES = 12


def progress(console: Console, total: int) -> Progress:
    return Progress(
        TextColumn("[bold]mpcheck"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
    )


def matrix(results: Sequence[CellResult], title: str) -> Table:
    """Rows scenarios, columns start methods, each cell its status."""
    methods = [m for m in METHODS if any(r.method == m for r in results)]
    table = Table(title=title, title_justify="left")
    table.add_column("scenario", no_wrap=True)
    for m in methods:
        table.add_column(m, justify="center")
    rows: Dict[str, Dict[str, CellResult]] = {}
    for r in results:
        rows.setdefault(r.scenario, {})[r.method] = r
    for scenario, cells in rows.items():
        row: List[Text] = [Text(scenario)]
        for m in methods:
            cell: Optional[CellResult] = cells.get(m)
            if cell is None:
                row.append(Text("-", style="dim"))
            else:
                row.append(status_text(cell.status) + (DERIVED_MARK if cell.derived else ""))
        table.add_row(*row)
    return table


def explain(console: Console, results: Sequence[CellResult]) -> None:
    """For each cell that is not passed or unavailable: why, expected vs observed, stderr tail.

    Cells an interrupt kept from starting have nothing to explain: the matrix shows them.
    """
    for r in results:
        if r.ok or (r.status == "interrupted" and not r.duration_s):
            continue
        console.print(Text.assemble((f"{r.scenario}[{r.method}] ", "bold"), status_text(r.status)))
        console.print(mismatch_text(r.to_json()), markup=False, highlight=False)
        tail = r.stderr_tail.strip().splitlines()[-STDERR_LINES:]
        if tail:
            console.print("  stderr (tail):", style="dim")
            console.print("\n".join("    " + line for line in tail), markup=False, highlight=False, style="dim")
        console.print()


def summary_line(results: Sequence[CellResult]) -> str:
    counts: Dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    order = ["passed", "failed", "timeout", "crashed", "unavailable", "interrupted"]
    line = ", ".join(f"{counts[s]} {s}" for s in order if counts.get(s)) or "no cells"
    derived = sum(1 for r in results if r.derived)
    if derived:
        line += (
            f" ({DERIVED_MARK.strip()} {derived} cell(s) expected what was never observed on this platform: derived"
            " from CPython's source, see mpcheck list --platform)"
        )
    return line
