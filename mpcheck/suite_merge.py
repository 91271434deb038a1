"""``mpcheck merge`` for ``mpcheck suite`` reports: several OS/Python jobs, one table of what differs.

Columns are platform × Python × start method; rows are the tests whose outcome is not the same in every
column (tests failing in every column fail everywhere: not a difference). Exit 1 when any test differs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .errors import EXIT_FAILED, EXIT_OK, UsageError
from .expect import METHODS
from .files import load_json_file
from .suite_report import _STYLE, FORMAT, changed

Column = Tuple[str, str, str]  # platform, python, method


def read(path: Path) -> Dict[str, Any]:
    data = load_json_file(path, "report")
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("tests"), list):
        raise UsageError(f"{path}: not an mpcheck suite report (format {FORMAT!r} with 'tests')")
    for i, test in enumerate(data["tests"]):
        if not isinstance(test, dict) or not isinstance(test.get("outcomes"), dict) or "nodeid" not in test:
            raise UsageError(f"{path}: test {i} lacks nodeid or outcomes: not an mpcheck suite report")
    return data


def is_suite_report(path: Path) -> bool:
    data = load_json_file(path, "report")
    return isinstance(data, dict) and data.get("format") == FORMAT


def _version_key(version: str) -> Tuple[int, ...]:
    return tuple(int("".join(c for c in p if c.isdigit()) or 0) for p in version.split("."))


def main(paths: Sequence[Path], markdown_path: Optional[Path] = None) -> int:
    outcomes: Dict[str, Dict[Column, str]] = {}
    reasons: Dict[str, List[str]] = {}
    columns: List[Column] = []
    seen: Dict[Tuple[str, str], Path] = {}
    for path in paths:
        data = read(Path(path))
        platform, python = str(data.get("platform", "?")), str(data.get("python", "?"))
        if (platform, python) in seen:
            raise UsageError(
                f"{path}: a second report for {platform} Python {python} (the first is {seen[(platform, python)]})"
            )
        seen[(platform, python)] = Path(path)
        for method in data.get("methods", []):
            columns.append((platform, python, str(method)))
        for test in data["tests"]:
            nodeid = str(test["nodeid"])
            for method, outcome in test["outcomes"].items():
                outcomes.setdefault(nodeid, {})[(platform, python, str(method))] = str(outcome)
            if test.get("reason") and test["reason"] not in reasons.setdefault(nodeid, []):
                reasons[nodeid].append(str(test["reason"]))
    columns.sort(key=lambda c: (c[0], _version_key(c[1]), METHODS.index(c[2]) if c[2] in METHODS else len(METHODS)))
    differ = [n for n, o in outcomes.items() if changed(o)]
    table = Table(title="mpcheck merge · suites · " + "; ".join(f"{p} {v}" for p, v in seen), title_justify="left")
    table.add_column("test", overflow="fold")
    for platform, python, method in columns:
        table.add_column(f"{platform}\n{python}\n{method}", justify="center")
    table.add_column("likely reason", overflow="fold")
    for nodeid in differ:
        cells = [outcomes[nodeid].get(c, "-") for c in columns]
        table.add_row(nodeid, *(Text(c, style=_STYLE.get(c, "")) for c in cells), "; ".join(reasons.get(nodeid, [])))
    summary = (
        f"{len(outcomes)} tests across {len(seen)} report(s): {len(outcomes) - len(differ)} agree, {len(differ)} differ"
    )
    console = Console()
    if differ:
        if not console.is_terminal:
            wanted = console.measure(table, options=console.options.update_width(10_000)).maximum
            console.width = max(console.width, min(wanted, 240))
        console.print(table)
    console.print(summary, highlight=False)
    if markdown_path is not None:
        head = ["test", *(f"{p} {v} {m}" for p, v, m in columns), "likely reason"]
        lines = ["## mpcheck suite: tests that differ", "", "| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
        for nodeid in differ:
            cells = [outcomes[nodeid].get(c, "–") for c in columns]
            lines.append(f"| `{nodeid}` | " + " | ".join(cells) + " | " + "; ".join(reasons.get(nodeid, [])) + " |")
        lines += ["", summary, ""]
        try:
            Path(markdown_path).write_text("\n".join(lines), encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {markdown_path}: {exc.strerror or exc}") from None
    return EXIT_FAILED if differ else EXIT_OK
