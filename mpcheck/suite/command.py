"""``mpcheck suite``: choose the methods, run the suite under each, rerun what changed, explain, show, write.

Exit codes: ``mpcheck.errors.EXIT_CODES["suite"]`` (the one table; docs/exit-codes.md): a flaky test is
reported and does not change the exit code.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from .. import files
from ..errors import EXIT_FAILED, EXIT_NOTHING, EXIT_OK, Interrupted, UsageError
from ..methods import default_method_here
from ..render import github, styles
from ..runtime import current_platform, method_order, methods_here, runtime_label
from .supervisor import DEFAULT_TIMEOUT, Suite, parallel_by_default

#: what only the report needs, imported while the first pytest runs (not before it starts: its start is
#: on the run's critical path)
REPORTING = ("rich.console", "rich.table", "mpcheck.suite.findings", "mpcheck.suite.output", "mpcheck.suite.reports")


def _import_reporting() -> None:
    import importlib

    for name in REPORTING:
        importlib.import_module(name)


class MethodBars:
    """A progress bar per start method on stderr while the suite runs: tests done of those collected."""

    def __init__(self, console: Any, methods: Sequence[str]) -> None:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            TextColumn("[bold]mpcheck suite"),
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[count]}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        width = max(len(m) for m in methods)
        self.tasks = {m: self.progress.add_task(f"{m:<{width}}", total=None, count="starting") for m in methods}

    def update(self, method: str, done: int, total: Optional[int]) -> None:
        count = f"{done} tests" if total is None else f"{done}/{total} tests"
        self.progress.update(self.tasks[method], completed=done, total=total, count=count)

    def __enter__(self) -> MethodBars:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.progress.__exit__(*exc)


def _hazards_by_test(folder: Path) -> Dict[str, List[Any]]:
    """What the sanitizer saw the first method's run do, by the nodeid of the test that did it."""
    from ..sanitize.findings import read

    by_test: Dict[str, List[Any]] = {}
    for hazard in read(folder, current_platform(), sys.version_info[:3]).hazards:
        for nodeid in hazard.nodeids:
            by_test.setdefault(nodeid, []).append(hazard.shown(os.getcwd()))  # where, as the user names it
    return by_test


def run(args: argparse.Namespace) -> int:

    here = methods_here()
    methods = method_order(args.method or here)
    lacking = [m for m in methods if m not in here]
    if lacking:
        raise UsageError(f"--method {lacking[0]}: this platform has no {lacking[0]!r} start method ({', '.join(here)})")
    files.check_outputs([("--json", args.json), ("--junit", args.junit), ("--html", args.html)])
    err = styles.console(stderr=True) if sys.stderr.isatty() else None  # rich only for a terminal's bars
    bar = MethodBars(err, methods) if err is not None and err.is_terminal else None
    watched = Path(tempfile.mkdtemp(prefix="mpcheck-suite-sanitize-"))
    loader = threading.Thread(target=_import_reporting, name="mpcheck-import", daemon=True)
    try:
        suite = Suite(
            args.pytest_args,
            timeout=args.timeout or DEFAULT_TIMEOUT,
            parallel=parallel_by_default() if args.parallel is None else args.parallel,
            methods=len(methods),
            on_progress=bar.update if bar else None,
            all_tests=args.all_tests,
            sanitize=watched,
        )
        started = time.monotonic()
        loader.start()
        with bar or contextlib.nullcontext():
            runs = suite.run(methods)
        observed = _hazards_by_test(watched)
    finally:
        shutil.rmtree(watched, ignore_errors=True)
    loader.join()
    from . import findings, output, reports

    rows = findings.build_rows(runs)
    platform, version = current_platform(), sys.version_info[:3]
    findings.explain(rows, runs, platform, tuple(version), observed)
    # Rerun what could be flaky: not a test that hung (its hang would cost the full timeout again, its
    # traceback says where), nor one whose failure itself says why (a pitfall's signature in it, the code
    # saying it requires a method, a child that cannot import the test module): that is no chance. Where
    # methods ran at once, a hang there may be two sessions waiting on each other: see alone_plan.
    hung = {r.nodeid for r in rows if "timeout" in r.outcomes.values()}
    context = [n for n in suite.exposed if n not in hung]
    if suite.beside and not suite.cancelled:
        # methods run at once: a difference seen there is rerun alone, one method at a time, before it is
        # reported (two sessions of the project may collide); that rerun also tells a flaky test
        plan = findings.alone_plan(rows, methods, suite.beside)
        if plan:
            findings.apply_alone(rows, suite.rerun_alone(plan, context), plan, suite.beside)
            again = {n for nodeids in plan.values() for n in nodeids}
            alone = [r for r in rows if r.nodeid in again and r.status == "differ"]  # shown as seen alone now
            findings.explain(alone, runs, platform, tuple(version), observed)
    else:
        changed = [r.nodeid for r in rows if r.status == "differ" and not findings.deterministic(r)]
        if changed and not suite.cancelled:
            last = max((context.index(n) for n in changed if n in context), default=-1)
            findings.apply_reruns(rows, suite.rerun(methods, changed, context[: last + 1]), changed)
    if suite.cancelled:
        raise Interrupted("pytest and everything it started were stopped")
    wall = time.monotonic() - started
    title = (
        f"mpcheck suite · {runtime_label()} · {platform} · {', '.join(methods)} "
        f"(default here: {default_method_here()}) · {wall:.1f} s"
    )
    output.show(styles.console(), rows, runs, title)
    report = output.to_json(rows, runs, args.pytest_args, wall)
    if args.json:
        files.write_json(args.json, report)
    if args.junit:
        output.write_junit(args.junit, rows, runs)
    if args.html:
        from . import html

        files.write_text(args.html, html.render([("", report)]))
    github.append_summary(reports.step_summary([("", report)]))
    if any(r.status == "differ" for r in rows):
        return EXIT_FAILED
    failing = sum(r.status in ("fail-everywhere", "fail-not-rerun") for r in rows)
    if failing:  # the suite fails as pytest would have it: a CI that runs this instead of pytest stays red
        styles.console(stderr=True).print(
            f"mpcheck: {failing} test(s) fail under every method they ran under (exit {EXIT_FAILED}: the suite "
            "fails, as it does under pytest alone)",
            style="yellow",
            highlight=False,
        )
        return EXIT_FAILED
    if any(r.status == "not-compared" for r in rows) and not any(len(r.compared) >= 2 for r in rows):
        styles.console(stderr=True).print(
            f"mpcheck: nothing was compared: the project set its own start method, so every test that could "
            f"differ ran under that one method (exit {EXIT_NOTHING}: 'agree' was not earned)",
            style="yellow",
            highlight=False,
        )
        return EXIT_NOTHING
    if len(runs) > 1 and output.exposure_warning(rows):
        return EXIT_NOTHING  # the warning above says why: the methods never reached a test
    return EXIT_OK
