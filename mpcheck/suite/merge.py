"""``mpcheck merge`` for ``mpcheck suite`` reports: several OS/Python jobs, one table of what differs.

Columns are platform × interpreter (CPython and PyPy apart) × start method; rows are the tests whose
outcome is not the same in every column (tests failing in every column fail everywhere: not a
difference). Exit 1 when any test differs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from rich.table import Table

from .. import files
from ..errors import EXIT_FAILED, EXIT_OK, UsageError
from ..render import github, styles
from ..runtime import method_key, platform_key, report_runtime
from . import reports
from .findings import changed
from .output import FORMAT

#: platform, interpreter (``Python 3.12.10`` / ``PyPy 8.0.1 (Python 3.11.17)``), method
Column = Tuple[str, str, str]


def read(path: Path) -> Dict[str, Any]:
    data = files.load_json_file(path, "report")
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("tests"), list):
        raise UsageError(f"{path}: not an mpcheck suite report (format {FORMAT!r} with 'tests')")
    for i, test in enumerate(data["tests"]):
        if not isinstance(test, dict) or not isinstance(test.get("outcomes"), dict) or "nodeid" not in test:
            raise UsageError(f"{path}: test {i} lacks nodeid or outcomes: not an mpcheck suite report")
    return data


def main(paths: Sequence[Path], markdown_path: Optional[Path] = None, html_path: Optional[Path] = None) -> int:
    files.check_outputs([("--markdown", markdown_path), ("--html", html_path)])
    read_back: List[Tuple[str, Dict[str, Any]]] = []
    outcomes: Dict[str, Dict[Column, str]] = {}
    reasons: Dict[str, List[str]] = {}
    columns: List[Column] = []
    seen: Dict[Tuple[str, str], Path] = {}
    keys: Dict[str, Tuple[Any, ...]] = {}
    for path in paths:
        data = read(Path(path))
        read_back.append((str(path), data))
        platform = str(data.get("platform", "?"))
        keys_of, python = report_runtime(data)
        keys[python] = keys_of
        if (platform, python) in seen:
            raise UsageError(
                f"{path}: a second report for {platform} {python} (the first is {seen[(platform, python)]})"
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
    columns.sort(key=lambda c: (platform_key(c[0]), keys[c[1]], method_key(c[2])))
    differ = [n for n, o in outcomes.items() if changed(o)]
    table = Table(title="mpcheck merge · suites · " + "; ".join(f"{p} {v}" for p, v in seen), title_justify="left")
    table.add_column("test", overflow="fold")
    for platform, python, method in columns:
        table.add_column(f"{platform}\n{python}\n{method}", justify="center")
    table.add_column("likely reason", overflow="fold")
    for nodeid in differ:
        cells = [outcomes[nodeid].get(c, "-") for c in columns]
        table.add_row(nodeid, *(styles.text(c) for c in cells), "; ".join(reasons.get(nodeid, [])))
    summary = (
        f"{len(outcomes)} tests across {len(seen)} report(s): {len(outcomes) - len(differ)} agree, {len(differ)} differ"
    )
    console = styles.console()
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
            cells = [styles.label(outcomes[nodeid][c]) if c in outcomes[nodeid] else "–" for c in columns]
            lines.append(f"| `{nodeid}` | " + " | ".join(cells) + " | " + "; ".join(reasons.get(nodeid, [])) + " |")
        lines += ["", summary, ""]
        files.write_text(Path(markdown_path), "\n".join(lines))
    if html_path is not None:
        from . import html

        files.write_text(Path(html_path), html.render(read_back))
    github.append_summary(reports.step_summary(read_back))
    return EXIT_FAILED if differ else EXIT_OK
