"""``mpcheck list`` and ``mpcheck run``: the catalog's scenarios, and the matrix of their cells.

Exit codes: ``mpcheck.errors.EXIT_CODES["list"]`` and ``EXIT_CODES["run"]`` (the one table;
docs/exit-codes.md).
"""

from __future__ import annotations

import argparse
from typing import Any, Dict, List, Sequence

from .. import __version__, files
from ..errors import EXIT_FAILED, EXIT_OK, Interrupted, UsageError
from ..expect import METHODS
from ..render import github, styles
from ..runtime import current_platform, runtime_label
from .load import Scenario, catalog


def _dedupe(items: Sequence[str]) -> List[str]:
    return list(dict.fromkeys(items))


def _load(args: argparse.Namespace) -> Dict[str, Scenario]:
    for place in args.path:
        if not place.exists():
            raise UsageError(f"--path {place}: no such file or directory")
    found = catalog(args.path, builtin=not args.no_builtin)
    if not found:
        where = ", ".join(str(p) for p in args.path) or "the catalog"
        raise UsageError(f"no scenarios in {where} (a scenario is a .py file that declares EXPECT = Expect(...))")
    return found


def list_scenarios(args: argparse.Namespace) -> int:
    scenarios = _load(args)
    width = max((len(s) for s in scenarios), default=0)
    for sid, scenario in scenarios.items():
        print(f"{sid:<{width}}  {scenario.summary}")
    return EXIT_OK


def summary_markdown(report: Dict[str, Any], title: str, totals: str) -> str:
    """The job summary of one run: its totals and each cell that did not pass, with its likely cause."""
    from pathlib import Path

    from .merge import step_summary
    from .merged import Merged

    merged = Merged()
    merged.add(Path("this run"), report)
    return step_summary(merged, title, totals=totals)


def run(args: argparse.Namespace) -> int:

    from . import baseline, report, terminal
    from .runner import Run, cells_for

    if args.update and not args.baseline:
        raise UsageError("--update needs --baseline FILE")
    # a run whose results cannot be written is not started
    files.check_outputs(
        [
            ("--json", args.json),
            ("--junit", args.junit),
            ("--html", args.html),
            ("--baseline", args.baseline if args.update else None),
        ]
    )
    scenarios = _load(args)
    wanted = _dedupe(args.scenario) or list(scenarios)
    unknown = [s for s in wanted if s not in scenarios]
    if unknown:
        raise UsageError(f"unknown scenario {unknown[0]!r} (see 'mpcheck list')")
    old = baseline.load(args.baseline) if args.baseline and not args.update else None  # fails before any cell
    methods = _dedupe(args.method) or list(METHODS)
    cells = cells_for([scenarios[s] for s in wanted], methods)

    console = styles.console()
    err = styles.console(stderr=True)
    runner = Run(timeout=args.timeout, jobs=args.jobs)
    if not args.quiet and err.is_terminal:
        bar = terminal.progress(err, len(cells))
        task = bar.add_task("", total=len(cells))
        with bar:
            results = runner.run(
                cells, on_result=lambda r: bar.update(task, advance=1, description=f"{r.scenario}[{r.method}]")
            )
    else:
        results = runner.run(cells)

    title = f"mpcheck {__version__} · {runtime_label()} · {current_platform()}"
    console.print(terminal.matrix(results, title))
    terminal.explain(console, results)
    console.print(terminal.summary_line(results), highlight=False)
    if args.json:
        report.write_json(args.json, results)
    if args.junit:
        report.write_junit(args.junit, results)
    if args.html:
        from .html import render_report

        files.write_text(args.html, render_report(report.to_json(results)))
    github.append_summary(summary_markdown(report.to_json(results), title, terminal.summary_line(results)))
    if runner.cancelled:
        raise Interrupted("running cells were killed; the matrix above is partial")
    status = EXIT_OK if all(r.ok for r in results) else EXIT_FAILED
    if args.baseline:
        if args.update:
            baseline.save(args.baseline, results)
            console.print(f"baseline written: {args.baseline}", highlight=False)
        elif old is not None and baseline.compare(console, old, results):
            status = EXIT_FAILED
    return status
