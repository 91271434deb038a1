"""``mpcheck run --baseline FILE``: fail when what the cells observe changes, e.g. after an upgrade.

A scenario's expectation may follow Python versions (``since("3.14", ...)``), so a new interpreter
can change behaviour and still pass the catalog. The baseline records what each cell observed and a
later run fails on every cell whose observations changed.

Keyed by (scenario, start method). The platform and Python version are recorded, not keyed: comparing
across Python versions is the point; comparing across platforms is allowed but announced, since
every difference may then be a platform's. Facts asserted by equality are compared exactly; facts
asserted by a matcher (a bound, ``contains``...) may vary run to run, so they are compared with
numbers and addresses masked. A cell's status counts only beyond passed/failed (the expectation, not
the behaviour, decides between those): a cell that now times out, crashes or became unavailable
has changed. Cells new since the baseline and baseline cells not run this time are listed, not failed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Sequence, Tuple

from rich.console import Console
from rich.text import Text

from ..errors import UsageError
from ..expect import masked
from ..files import load_json_file, write_text
from ..runtime import current_platform, report_header, report_runtime, runtime_label
from .results import STATUSES, CellResult

FORMAT = "mpcheck-baseline/1"
RAN = ("passed", "failed")

Cells = Dict[str, Dict[str, Dict[str, Any]]]


def _record(r: CellResult) -> Dict[str, Any]:
    if r.status == "unavailable":
        return {"status": r.status, "detail": r.detail}
    return {"status": r.status, "facts": r.observed, "loose": sorted(r.loose)}


def save(path: Path, results: Sequence[CellResult]) -> None:
    """Write every cell of this run (interrupted ones excepted) as the new baseline."""
    cells: Cells = {}
    for r in results:
        if r.status != "interrupted":
            cells.setdefault(r.scenario, {})[r.method] = _record(r)
    data = {**report_header(FORMAT), "cells": cells}
    write_text(path, json.dumps(data, indent=2, sort_keys=True) + "\n")


def load(path: Path) -> Dict[str, Any]:
    """Read and check a baseline; a missing, corrupt or foreign file is a :class:`UsageError`."""
    data = load_json_file(path, "baseline", f" (write one with --baseline {path} --update)")
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        raise UsageError(f"{path}: not an mpcheck baseline (format {found!r}, expected {FORMAT!r})")
    cells = data.get("cells")
    if not isinstance(cells, dict):
        raise UsageError(f"{path}: corrupt baseline: 'cells' is not a mapping")
    for scenario, methods in cells.items():
        if not isinstance(methods, dict):
            raise UsageError(f"{path}: corrupt baseline: cells of {scenario!r} are not a mapping")
        for method, cell in methods.items():
            if (
                not isinstance(cell, dict)
                or cell.get("status") not in STATUSES
                or not isinstance(cell.get("facts", {}), dict)
                or not isinstance(cell.get("loose", []), list)
            ):
                raise UsageError(f"{path}: corrupt baseline: cell {scenario}[{method}]")
    return data


def _same(name: str, old: Any, new: Any, loose: List[str]) -> bool:
    if old == new:
        return True
    if name not in loose:
        return False
    return masked(json.dumps(old, sort_keys=True)) == masked(json.dumps(new, sort_keys=True))


def changes(old: Dict[str, Any], new: CellResult) -> List[str]:
    """What changed in one cell since the baseline, one line each; empty when nothing did."""
    before, after = old.get("status"), new.status
    if before != after and not (before in RAN and after in RAN):
        shown = f"status: {before} → {after}"
        return [shown + (f" ({new.detail})" if new.detail else "")]
    if after == "unavailable":
        return []
    loose = sorted(set(old.get("loose", [])) | set(new.loose))
    old_facts, new_facts = old.get("facts", {}), new.observed
    lines = []
    for name in sorted(set(old_facts) | set(new_facts)):
        if name not in new_facts:
            lines.append(f"{name}: {json.dumps(old_facts[name])} → not reported")
        elif name not in old_facts:
            lines.append(f"{name}: not in the baseline → {json.dumps(new_facts[name])}")
        elif not _same(name, old_facts[name], new_facts[name], loose):
            lines.append(f"{name}: {json.dumps(old_facts[name])} → {json.dumps(new_facts[name])}")
    return lines


def compare(console: Console, old: Dict[str, Any], results: Sequence[CellResult]) -> bool:
    """Print old against new for every changed cell; True when any cell changed."""
    if old.get("platform") != current_platform():
        console.print(
            f"baseline: recorded on {old.get('platform')}, this run is on {current_platform()}: "
            "differences below may be the platform's",
            style="yellow",
            highlight=False,
        )
    _, recorded_with = report_runtime(old)
    where = f"{recorded_with} → {runtime_label()}"
    cells: Cells = old["cells"]
    changed: List[Tuple[str, List[str]]] = []
    new_cells: List[str] = []
    seen = set()
    for r in results:
        if r.status == "interrupted":
            continue
        seen.add((r.scenario, r.method))
        before = cells.get(r.scenario, {}).get(r.method)
        if before is None:
            new_cells.append(f"{r.scenario}[{r.method}]")
            continue
        lines = changes(before, r)
        if lines:
            changed.append((f"{r.scenario}[{r.method}]", lines))
    for cell_id, lines in changed:
        console.print(Text.assemble((f"{cell_id} ", "bold"), ("CHANGED", "bold red"), f" since the baseline ({where})"))
        console.print("\n".join("  " + line for line in lines), markup=False, highlight=False)
    if new_cells:
        console.print(
            f"baseline: {len(new_cells)} cell(s) not in it, not compared: {', '.join(new_cells)} "
            "(record them with --update)",
            style="yellow",
            markup=False,
            highlight=False,
        )
    missing = sum(1 for s, methods in cells.items() for m in methods if (s, m) not in seen)
    if missing:
        console.print(f"baseline: {missing} of its cell(s) not run this time", style="dim", highlight=False)
    if changed:
        console.print(f"baseline: {len(changed)} cell(s) changed", style="bold red", highlight=False)
    else:
        console.print(f"baseline: no cell changed ({where})", style="green", highlight=False)
    return bool(changed)
