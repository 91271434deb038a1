"""A run's reports: the JSON report (``mpcheck-report/1``, the contract every other tool reads) and JUnit XML."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from .. import files
from ..diagnose import hint
from ..errors import UsageError
from ..expect import is_free_threaded
from ..runtime import current_platform, implementation_name, implementation_version, python_version, report_header
from .results import STATUSES, CellResult

FORMAT = "mpcheck-report/1"


def to_json(results: Sequence[CellResult], **extra: Any) -> Dict[str, Any]:
    return {**report_header(FORMAT), **extra, "cells": [r.to_json() for r in results]}


def write_json(path: Path, results: Sequence[CellResult], **extra: Any) -> None:
    files.write_json(path, to_json(results, **extra))


def read_json(path: Path) -> Dict[str, Any]:
    """Load and check a report; a missing, corrupt or foreign file is a :class:`UsageError`."""
    data = files.load_json_file(path, "report")
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


def likely_cause(cell: Dict[str, Any]) -> Optional[str]:
    """Why a cell did not pass, when its own output carries a known pitfall's hint (:func:`mpcheck.diagnose.hint`
    over its detail and stderr); None otherwise, never a guess."""
    if cell.get("status") in ("passed", "unavailable"):
        return None
    stderr = str(cell.get("stderr_tail") or "")
    line = hint(str(cell.get("method", "")), f"{cell.get('detail') or ''}\n{stderr}", stderr)
    return line[len("mpcheck: ") :] if line and line.startswith("mpcheck: ") else line


def first_difference(cell: Dict[str, Any]) -> str:
    """One line on what went wrong: the first fact that differs, else the detail."""
    why = cell.get("mismatches") or {}
    if why:
        name = next(iter(why))
        more = f" (+{len(why) - 1} more)" if len(why) > 1 else ""
        return f"{name}: {why[name]}{more}"
    return str(cell.get("detail") or cell.get("status", ""))


def junit_suite_name() -> str:
    """``mpcheck-py3.11.7-linux``, ``mpcheck-py3.14.0t-linux`` (free-threaded); another implementation says
    which: ``mpcheck-pypy8.0.1-py3.11.17-linux``."""
    impl = implementation_name()
    if impl == "cpython":
        runtime = f"py{python_version()}{'t' if is_free_threaded() else ''}"
    else:
        runtime = f"{impl}{implementation_version()}-py{python_version()}"
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
    files.write_text(path, "<?xml version='1.0' encoding='utf-8'?>\n" + xml)
