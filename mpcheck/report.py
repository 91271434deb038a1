"""Reports: the JSON report (the contract every other tool reads) and JUnit XML."""

from __future__ import annotations

import json
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Dict, List, Sequence

from . import __version__
from .errors import UsageError
from .runner import STATUSES, CellResult, current_platform, implementation_name, implementation_version, python_version

FORMAT = "mpcheck-report/1"


def to_json(results: Sequence[CellResult], **extra: Any) -> Dict[str, Any]:
    return {
        "format": FORMAT,
        "mpcheck": __version__,
        "python": python_version(),
        "sys_version": sys.version,
        # absent from reports before mpcheck recorded it: readers take those as CPython's
        "implementation": implementation_name(),
        "implementation_version": implementation_version(),
        "platform": current_platform(),
        **extra,
        "cells": [r.to_json() for r in results],
    }


def check_writable(option: str, path: Path) -> None:
    """Fail now, before a single cell runs, when ``path`` cannot be written later.

    A run's results are gone if its report cannot be written at the end, so every output is tried
    first: an existing file is opened for appending (not truncated), a new one by creating a
    temporary file in the deepest folder that exists (the rest is created when the report is written).
    Trying beats ``os.access``, which says yes to root on a read-only file system.
    """
    if path.is_dir():
        raise UsageError(f"{option} {path}: is a folder, expected a file path")
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        if path.exists():
            with open(path, "a", encoding="utf-8"):
                pass
        elif not folder.is_dir():
            raise NotADirectoryError(f"{folder} is not a folder")
        else:
            with tempfile.TemporaryFile(dir=folder, prefix=".mpcheck-check-"):
                pass
    except OSError as exc:
        raise UsageError(f"{option} {path}: cannot be written: {exc.strerror or exc}") from None


def prepare(path: Path) -> None:
    """Create the folders ``path`` needs; a failure is one line."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the folder for {path}: {exc.strerror or exc}") from None


def write_text(path: Path, text: str) -> None:
    """Write an output file the user named (folders created); a failure is one line."""
    prepare(path)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def write_json(path: Path, results: Sequence[CellResult], **extra: Any) -> None:
    write_text(path, json.dumps(to_json(results, **extra), indent=2) + "\n")


def load_json_file(path: Path, kind: str, missing_hint: str = "") -> Any:
    """Parse a JSON file the user named (a report, a baseline): every failure is one line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such {kind} file{missing_hint}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the {kind}: {exc}") from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise UsageError(f"{path}: not JSON ({exc})") from None


def read_json(path: Path) -> Dict[str, Any]:
    """Load and check a report; a missing, corrupt or foreign file is a :class:`UsageError`."""
    data = load_json_file(path, "report")
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list) or "platform" not in data:
        raise UsageError(f"{path}: not an mpcheck report (no 'platform' and 'cells')")
    if data.get("format") != FORMAT:
        raise UsageError(f"{path}: not an mpcheck report (format {data.get('format')!r}, expected {FORMAT!r})")
    for i, cell in enumerate(data["cells"]):
        if not isinstance(cell, dict) or not {"scenario", "method", "status"} <= set(cell):
            raise UsageError(f"{path}: cell {i} lacks scenario, method or status: not an mpcheck report")
        if cell["status"] not in STATUSES:
            raise UsageError(f"{path}: cell {i} has unknown status {cell['status']!r}")
    return data


def mismatch_text(cell: Dict[str, Any]) -> str:
    """Expected against observed, one fact a line: the body of a failure in every format."""
    lines: List[str] = []
    if cell.get("detail"):
        lines.append(str(cell["detail"]))
    for name, why in (cell.get("mismatches") or {}).items():
        lines.append(f"  {name}: {why}")
    if cell.get("status") in ("crashed", "timeout"):
        lines.append(f"  expected: {json.dumps(cell.get('expected', {}))}")
        lines.append(f"  observed: {json.dumps(cell.get('observed', {}))}")
    return "\n".join(lines)


def junit_suite_name() -> str:
    """``mpcheck-py3.11.7-linux``; another implementation says which: ``mpcheck-pypy8.0.1-py3.11.17-linux``."""
    impl = implementation_name()
    runtime = f"py{python_version()}" if impl == "cpython" else f"{impl}{implementation_version()}-py{python_version()}"
    return f"mpcheck-{runtime}-{current_platform()}"


def junit_classname(result: CellResult) -> str:
    """The scenario id; prefixed with the implementation when it is not CPython (``pypy.lambda_target``),
    so CPython's and PyPy's cells stay apart where CI tools gather JUnit files of many jobs."""
    impl = result.implementation
    return result.scenario if impl == "cpython" else f"{impl}.{result.scenario}"


def write_junit(path: Path, results: Sequence[CellResult]) -> None:
    """One testcase per cell: classname = scenario (``pypy.scenario`` on PyPy), name = method."""
    counts = {s: sum(r.status == s for r in results) for s in STATUSES}
    suite = ET.Element(
        "testsuite",
        name=junit_suite_name(),
        tests=str(len(results)),
        failures=str(counts["failed"]),
        errors=str(counts["crashed"] + counts["timeout"] + counts["interrupted"]),
        skipped=str(counts["unavailable"]),
        time=f"{sum(r.duration_s for r in results):.3f}",
    )
    for r in results:
        case = ET.SubElement(suite, "testcase", classname=junit_classname(r), name=r.method, time=f"{r.duration_s:.3f}")
        cell = r.to_json()
        if r.status == "failed":
            ET.SubElement(case, "failure", message=r.detail, type="mismatch").text = mismatch_text(cell)
        elif r.status in ("crashed", "timeout", "interrupted"):
            ET.SubElement(case, "error", message=r.detail, type=r.status).text = mismatch_text(cell)
        elif r.status == "unavailable":
            ET.SubElement(case, "skipped", message=r.detail)
        if r.stderr_tail and r.status != "passed":
            ET.SubElement(case, "system-err").text = r.stderr_tail
    suites = ET.Element("testsuites")
    suites.append(suite)
    xml = ET.tostring(suites, encoding="unicode")
    write_text(path, "<?xml version='1.0' encoding='utf-8'?>\n" + xml)
