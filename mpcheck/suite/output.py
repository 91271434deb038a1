"""How ``mpcheck suite``'s findings are shown and written: the table, the summary line, the exposure
warning, the JSON report (``mpcheck-suite/1``) and JUnit XML."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Dict, List, Optional, Protocol, Sequence, Tuple

from .. import files
from ..render import styles
from ..runtime import report_header
from .findings import EXPLICIT_ONLY, NO_PROCESS, MethodRun, Row, and_list

FORMAT = "mpcheck-suite/1"
#: a test's outcomes under one method, as the JUnit counts group them
OUTCOMES = (
    "passed", "failed", "error", "timeout", "skipped", "xfailed", "xpassed", "missing", "no-process", "explicit-only"
)  # fmt: skip


# --- the summary ---------------------------------------------------------------------------------


def _group_phrase(rows: Sequence[Row]) -> str:
    groups: Dict[Tuple[str, ...], int] = {}
    for row in rows:
        groups[row.failing] = groups.get(row.failing, 0) + 1
    parts = []
    for i, (failing, n) in enumerate(sorted(groups.items(), key=lambda kv: (not kv[0], -kv[1], -len(kv[0]), kv[0]))):
        if not failing:
            parts.append(f"{n} differ{'s' if n == 1 else ''} in skips or expected failures")
        else:
            verb = ("fails" if n == 1 else "fail") + " only under" if i == 0 else "only under"
            parts.append(f"{n} {verb} {and_list(failing)}")
    return ", ".join(parts)


def summary_line(rows: Sequence[Row]) -> str:
    differ = [r for r in rows if r.status == "differ"]
    flaky = [r for r in rows if r.status == "flaky"]
    everywhere = [r for r in rows if r.status == "fail-everywhere"]
    not_rerun = [r for r in rows if r.status == "fail-not-rerun"]
    not_compared = [r for r in rows if r.status == "not-compared"]
    agree = len(rows) - len(differ) - len(flaky) - len(not_compared) - len(not_rerun)
    unexposed = sum(1 for r in rows if NO_PROCESS in r.outcomes.values() and r.status == "agree")
    explicit = sum(1 for r in rows if EXPLICIT_ONLY in r.outcomes.values() and r.status == "agree")
    text = f"{len(rows)} tests: {agree} agree"
    if unexposed or explicit:
        if unexposed and explicit:
            what = f"{unexposed} of them used no process and {explicit} only explicit contexts"
        else:
            what = (
                f"{unexposed} of them used no process"
                if unexposed
                else f"{explicit} of them used only explicit contexts"
            )
        text += f" ({what}, so ran under the first method only)"
    text += f", {len(differ)} differ"
    if differ:
        text += f" ({_group_phrase(differ)})"
    if flaky:
        text += f", {len(flaky)} flaky"
    if not_compared:
        text += f", {len(not_compared)} not compared (the project set its own start method)"
    if everywhere:
        text += f"; {len(everywhere)} fail under every method"
    for method in dict.fromkeys(m for r in not_rerun for m in r.failing):
        failed = [r for r in not_rerun if method in r.failing]
        n = len(failed)
        explicit_only = sum(EXPLICIT_ONLY in r.outcomes.values() for r in failed)
        if not explicit_only:
            why = "used no process"
        elif explicit_only == n:
            why = "used only explicit contexts" if n > 1 else "used only an explicit context"
        else:
            why = f"{n - explicit_only} used no process, {explicit_only} only explicit contexts"
        text += f"; {n} fail{'s' if n == 1 else ''} under {method}, not rerun ({why})"
    if any(r.not_compared for r in rows):
        methods = list(rows[0].outcomes) if rows else []
        per = ", ".join(f"{m} {sum(m in r.compared for r in rows)}" for m in methods)
        text += f"; tests compared under each method: {per}"
    used = sum(r.used_default() for r in rows)
    text += f"; {used} used the default context"
    # a test can differ without a default-context process of its own: a Python subprocess, work sent to a
    # process an earlier test started, a fixture's processes, a question about the method
    otherwise = sum(1 for r in rows if r.used_other() and not r.used_default())
    if otherwise:
        how = "a subprocess, work sent to a process, a fixture's processes, asking for the method"
        text += f", {otherwise} reached it otherwise ({how})"
    return text


class Exposed(Protocol):
    """What the exposure warning asks of a test (a :class:`~.findings.Row`, or a test read from reports)."""

    def used_default(self) -> bool: ...
    def used_explicit(self) -> bool: ...
    def used_other(self) -> bool: ...


def exposure_warning(rows: Sequence[Exposed]) -> Optional[str]:
    """Say so when the methods were never exercised: 'agree' would mean nothing."""
    if not rows or any(r.used_default() or r.used_other() for r in rows):
        return None
    explicit = sum(r.used_explicit() for r in rows)
    if explicit:
        return (
            f"no test started a process through the default context: {explicit} test(s) started processes only "
            "through explicit contexts (their own method), so the start method chosen here never reached them "
            "and 'agree' says nothing about it"
        )
    return "no test started a process: 'agree' says nothing about start methods"


# --- terminal ------------------------------------------------------------------------------------


def _cell(outcome: str, first_line: str, width: int = 50) -> Any:
    text = styles.text(outcome)
    if first_line and outcome not in ("passed",):
        line = first_line if len(first_line) <= width else first_line[: width - 1] + "…"
        text.append("\n" + line, style="")
    return text


def show(console: Any, rows: Sequence[Row], runs: Sequence[MethodRun], title: str) -> None:
    from rich.table import Table

    console.print(title, highlight=False, soft_wrap=True)
    for run in runs:
        line = f"  {run.method}: {len(run.tests)} tests in {run.wall_s:.1f} s"
        if run.only_exposed_of:
            line += f" (the tests that used a process under {run.only_exposed_of})"
        if run.sessions > 1:
            line += f" (pytest resumed {run.sessions - 1}× after a timeout)"
        console.print(line, highlight=False)
        if run.project_method:
            console.print(
                f"  warning: under {run.method}, the project set the start method to {run.project_method} while "
                f"pytest collected; its default-context tests ran under {run.project_method}",
                style="yellow",
                highlight=False,
            )
        if run.incomplete:
            console.print(f"  warning: the {run.method} run did not finish: {run.incomplete}", style="yellow")
        if run.leftovers:
            console.print(
                f"  warning: {len(run.leftovers)} process(es) of the {run.method} run outlived pytest (killed): "
                + "; ".join(run.leftovers[:3]),
                style="yellow",
                highlight=False,
            )
    shown = [r for r in rows if r.status in ("differ", "flaky")]
    if shown:
        table = Table(title_justify="left")
        longest = max(len(r.nodeid) for r in shown)
        table.add_column("test", overflow="fold", min_width=min(longest, 60))
        methods = [run.method for run in runs]
        for method in methods:
            table.add_column(method)
        table.add_column("likely reason", overflow="fold")
        for row in shown:
            label = row.nodeid + (" (flaky: changed on rerun)" if row.status == "flaky" else "")
            cells = [_cell(row.outcomes[m], row.first_line[m]) for m in methods]
            table.add_row(label, *cells, row.reason or ("no known cause" if row.status == "differ" else ""))
        if not console.is_terminal and "COLUMNS" not in os.environ:  # a CI log: as wide as it needs
            wanted = console.measure(table, options=console.options.update_width(10_000)).maximum
            console.width = max(console.width, min(wanted, 240))
        console.print(table)
        for line in where_and_fix(shown):
            console.print(line, highlight=False, markup=False, soft_wrap=True, style="bold" if line[:1] != " " else "")
    warning = None if shown else exposure_warning(rows)  # a difference found: the method reached something
    if warning:
        console.print(f"warning: {warning}", style="yellow", highlight=False, soft_wrap=True)
    console.print(summary_line(rows), highlight=False, soft_wrap=True)


def where_and_fix(rows: Sequence[Row]) -> List[str]:
    """Each differing test: its cause, where and the fix, in the words of ``mpcheck sanitize``'s hazards
    (``where:``, ``evidence:``, ``fix:``); where no cause is known, where it fails."""
    lines: List[str] = []
    for row in rows:
        failing = [m for m in row.failing if m in row.compared]
        head = f"{row.nodeid}: fails under {and_list(failing)} only" if failing else f"{row.nodeid}: differs"
        lines.append(head + (" (flaky: changed on rerun)" if row.status == "flaky" else ""))
        if row.beside:
            lines.append(f"  {beside_phrase(row)}")
        for d in row.diagnoses:
            lines.append(f"  {d.pitfall.code} {d.pitfall.title}")
            lines.append(f"  where:    {d.location or row.where or 'unknown'}")
            lines.append(f"  evidence: {d.evidence}")
            lines.append(f"  fix:      {d.pitfall.fix}")
        if not row.diagnoses:
            lines.append(f"  {row.reason or 'no known cause'}")
            if row.where:
                lines.append(f"  where:    {row.where} (where it fails)")
    return lines


def beside_phrase(row: Row) -> str:
    """What a test did under the methods whose run shared the machine with another method's run, and
    alone (:attr:`Row.beside`)."""
    if row.status == "flaky":  # the outcomes are what was seen first, the reruns what was seen alone
        seen = "; ".join(f"{m} {o} beside them, {row.reruns.get(m, 'missing')} alone" for m, o in row.beside.items())
        return f"differed only when run beside the other methods ({seen}): not a difference"
    seen = "; ".join(f"{m} {o} beside them, {row.outcomes[m]} alone" for m, o in row.beside.items())
    return f"beside the other methods it had another outcome ({seen}): the outcome shown is the one alone"


# --- reports -------------------------------------------------------------------------------------


def to_json(
    rows: Sequence[Row], runs: Sequence[MethodRun], pytest_args: Sequence[str], wall_s: float
) -> Dict[str, Any]:
    tracebacks = {run.method: {nid: t.text for nid, t in run.tests.items() if t.outcome == "timeout"} for run in runs}
    return {
        **report_header(FORMAT),
        "methods": [run.method for run in runs],
        "pytest_args": list(pytest_args),
        "wall_s": round(wall_s, 3),
        "summary": summary_line(rows),
        "runs": {
            run.method: {
                "wall_s": round(run.wall_s, 3),
                "tests": len(run.tests),
                "sessions": run.sessions,
                "project_method": run.project_method,
                "leftovers": run.leftovers,
                "incomplete": run.incomplete,
                "only_exposed_of": run.only_exposed_of,
                "not_run_no_process": len(run.unexposed),
                "timeout_tracebacks": tracebacks[run.method],
            }
            for run in runs
        },
        "tests": [row.to_json() for row in rows],
    }


def write_junit(path: Path, rows: Sequence[Row], runs: Sequence[MethodRun]) -> None:
    """One testsuite per start method, one testcase per test (classname: the test file)."""
    suites = ET.Element("testsuites")
    for run in runs:
        counts = {o: sum(r.outcomes.get(run.method) == o for r in rows) for o in OUTCOMES}
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=f"mpcheck-suite-{run.method}",
            tests=str(len(rows)),
            failures=str(counts["failed"]),
            errors=str(counts["error"] + counts["timeout"]),
            skipped=str(sum(counts[o] for o in ("skipped", "xfailed", "missing", "no-process", "explicit-only"))),
            time=f"{run.wall_s:.3f}",
        )
        for row in rows:
            outcome = row.outcomes.get(run.method, "missing")
            result = run.tests.get(row.nodeid)
            path_part, _, name = row.nodeid.partition("::")
            case = ET.SubElement(
                suite,
                "testcase",
                classname=path_part,
                name=f"{name or path_part}[{run.method}]",
                time=f"{result.duration_s if result else 0:.3f}",
            )
            message = row.first_line.get(run.method, "")
            if outcome == "failed":
                ET.SubElement(case, "failure", message=message).text = result.text if result else ""
            elif outcome in ("error", "timeout"):
                ET.SubElement(case, "error", message=message, type=outcome).text = result.text if result else ""
            elif outcome == "explicit-only":
                ET.SubElement(case, "skipped", message="not run: only explicit contexts under the first method")
            elif outcome == "no-process":
                ET.SubElement(case, "skipped", message="not run: it used no process under the first method")
            elif outcome in ("skipped", "xfailed", "missing"):
                ET.SubElement(case, "skipped", message=message or outcome)
            props = ET.SubElement(case, "properties")
            ET.SubElement(props, "property", name="mp_status", value=row.status)
            ET.SubElement(props, "property", name="mp_exposure", value=json.dumps(row.exposure.get(run.method, {})))
            if row.reason:
                ET.SubElement(props, "property", name="mp_reason", value=row.reason)
    xml = ET.tostring(suites, encoding="unicode")
    files.write_text(path, "<?xml version='1.0' encoding='utf-8'?>\n" + xml)
