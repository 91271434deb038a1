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
    if any(
        (args.platform, args.python, args.implementation, args.implementation_version, args.free_threaded, args.json)
    ) or (args.scenario or args.method):  # asking for a scenario's or a method's cells shows them, here
        return _list_expectations(args, scenarios)
    width = max((len(s) for s in scenarios), default=0)
    for sid, scenario in scenarios.items():
        print(f"{sid:<{width}}  {scenario.summary}")
    return EXIT_OK


def _list_expectations(args: argparse.Namespace, scenarios: Dict[str, Scenario]) -> int:
    """``mpcheck list --platform/--python/--implementation/--json``: every cell's expectation there, offline."""
    import json
    import sys

    from ..expect import ExpectationError, implementation, is_free_threaded, judged_as, parse_version
    from . import expected

    wanted = _dedupe(args.scenario)
    unknown = [s for s in wanted if s not in scenarios]
    if unknown:
        raise UsageError(f"--scenario: unknown scenario {unknown[0]!r} (mpcheck list shows them)")
    here_impl, here_own = implementation()
    impl = args.implementation or judged_as(here_impl)
    python = args.python or ".".join(map(str, sys.version_info[:3]))
    try:
        version = parse_version(python)
    except ExpectationError:
        raise UsageError(f"--python {python}: expected a version like 3.12 or 3.11.5") from None
    if len(version) < 2 or version[0] != 3:
        raise UsageError(f"--python {python}: expected a Python 3 version like 3.12 or 3.11.5")
    impl_version = args.implementation_version
    if impl_version is None and impl == here_impl == "pypy" and not args.python:
        impl_version = ".".join(map(str, here_own))
    if impl_version is not None:
        if impl != "pypy":
            raise UsageError("--implementation-version is PyPy's own version: it goes with --implementation pypy")
        try:
            parse_version(impl_version)
        except ExpectationError:
            raise UsageError(f"--implementation-version {impl_version}: expected a version like 7.3.19") from None
    free = args.free_threaded or (not args.python and not args.platform and is_free_threaded())
    platform = args.platform or current_platform()
    methods = _dedupe(args.method or []) or list(METHODS)
    chosen = [scenarios[s] for s in wanted] if wanted else list(scenarios.values())
    cells = expected.expectations(chosen, methods, platform, python, impl, impl_version, free)
    if args.json:
        data = {
            "format": expected.FORMAT,
            "mpcheck": __version__,
            "platform": platform,
            "python": python,
            "implementation": impl,
            "implementation_version": impl_version,
            "free_threaded": free,
            "cells": cells,
        }
        print(json.dumps(data, indent=2))
        return EXIT_OK
    who = "PyPy" + (f" {impl_version}" if impl_version else "") if impl == "pypy" else "CPython"
    build = " (free-threaded)" if free else ""
    print(f"expected on {platform}, {who} for Python {python}{build} (each scenario's EXPECT resolved; nothing run)")
    print()
    print(expected.text(cells, {s.id: s.summary for s in chosen}, python))
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
