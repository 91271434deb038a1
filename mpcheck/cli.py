"""``mpcheck`` / ``python -m mpcheck``: a thin front end over the runner.

Exit codes: 0 every cell passed (or is unavailable), 1 a cell failed, timed out or crashed,
2 bad input (one line on stderr, never a traceback), 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path
from typing import Any, Dict, List, NoReturn, Optional, Sequence

from . import __version__
from .errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, UsageError
from .expect import METHODS

#: ``mpcheck lint --format``: the keys of :data:`mpcheck.lint.output.FORMATS` (a test keeps them equal),
#: written here so that parsing the command line never imports the linter.
LINT_FORMATS = ("json", "sarif", "text")


class Parser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line and exit 2 (no usage dump)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not value > 0 or value != value or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text!r}")
    return value


def _method(text: str) -> str:
    if text not in METHODS:
        raise argparse.ArgumentTypeError(f"unknown start method {text!r} (choose from {', '.join(METHODS)})")
    return text


def build_parser() -> Parser:
    parser = Parser(prog="mpcheck", description="How multiprocessing code behaves under fork, spawn and forkserver.")
    parser.add_argument("--version", action="version", version=f"mpcheck {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p_list = sub.add_parser("list", help="list the scenario ids with their summaries")
    p_list.add_argument("--path", action="append", type=Path, default=[], metavar="DIR",
                        help="also load scenario files from DIR (repeatable)")  # fmt: skip
    p_list.add_argument("--no-builtin", action="store_true", help="only the scenarios from --path")

    p_run = sub.add_parser("run", help="run scenarios under start methods and show the matrix")
    p_run.add_argument(
        "--scenario", action="append", default=[], metavar="ID", help="run only this scenario (repeatable)"
    )
    p_run.add_argument("--method", action="append", type=_method, default=[], metavar="METHOD",
                       help="fork, spawn or forkserver (repeatable; default: all three)")  # fmt: skip
    p_run.add_argument("--path", action="append", type=Path, default=[], metavar="DIR",
                       help="also load scenario files from DIR (repeatable)")  # fmt: skip
    p_run.add_argument("--no-builtin", action="store_true", help="only the scenarios from --path")
    p_run.add_argument("--json", type=Path, metavar="PATH", help="write the JSON report here")
    p_run.add_argument("--junit", type=Path, metavar="PATH", help="write JUnit XML here")
    p_run.add_argument(
        "--jobs", type=_positive_int, metavar="N", help="cells run at once (default: twice the CPU count)"
    )
    p_run.add_argument("--timeout", type=_positive_float, metavar="S",
                       help="seconds per cell before its process tree is killed (default: 60)")  # fmt: skip
    p_run.add_argument("--baseline", type=Path, metavar="FILE",
                       help="compare observed facts with FILE (exit 1 on any change)")  # fmt: skip
    p_run.add_argument("--update", action="store_true", help="with --baseline: write FILE from this run")
    p_run.add_argument("--quiet", action="store_true", help="no progress bar")

    p_merge = sub.add_parser("merge", help="merge JSON reports from several OSes/Pythons into one table")
    p_merge.add_argument("reports", nargs="+", type=Path, metavar="REPORT.json")
    p_merge.add_argument("--markdown", type=Path, metavar="PATH", help="also write the table as Markdown")

    p_probe = sub.add_parser("probe", help="run your function or script under every start method and diff")
    p_probe.add_argument("target", metavar="pkg.module:function | script.py")
    p_probe.add_argument("--args", dest="args_json", metavar="JSON", help="positional arguments as a JSON list")
    p_probe.add_argument("--method", action="append", type=_method, default=[], metavar="METHOD")
    p_probe.add_argument("--repeat", type=_positive_int, default=3, metavar="N",
                         help="runs per method, to tell nondeterminism from divergence (default: 3)")  # fmt: skip
    p_probe.add_argument("--timeout", type=_positive_float, default=60.0, metavar="S")
    p_probe.add_argument("--json", type=Path, metavar="PATH", help="write the probe's findings as JSON")
    p_suite = sub.add_parser(
        "suite",
        help="run your test suite once per start method and show the tests whose outcome differs",
        description="Run your pytest suite once per start method (pytest --mp-start-method=M) and show the tests "
        "whose outcome differs. Arguments after `--` go to pytest.",
    )
    p_suite.add_argument("--method", action="append", type=_method, default=[], metavar="METHOD",
                         help="fork, spawn or forkserver (repeatable; default: all the platform has)")  # fmt: skip
    p_suite.add_argument("--parallel", action="store_true", help="run the methods at once")
    p_suite.add_argument("--json", type=Path, metavar="PATH", help="write the JSON report here")
    p_suite.add_argument("--junit", type=Path, metavar="PATH", help="write JUnit XML here")
    p_suite.add_argument("--timeout", type=_positive_float, metavar="S",
                         help="seconds per test before it is marked timeout (default: 300)")  # fmt: skip
    p_suite.add_argument("pytest_args", nargs=argparse.REMAINDER, metavar="-- PYTEST ARGS")

    p_lint = sub.add_parser("lint", help="find start-method pitfalls in Python files without running them")
    p_lint.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: .)")
    p_lint.add_argument("--format", choices=LINT_FORMATS, default="text", help="output format (default: text)")
    p_lint.add_argument("--select", type=_codes, metavar="CODES", help="only these rules (comma-separated prefixes)")
    p_lint.add_argument("--ignore", type=_codes, default=[], metavar="CODES", help="skip these rules")
    p_lint.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                        help="skip matching paths (repeatable)")  # fmt: skip
    p_lint.add_argument("--config", type=Path, metavar="FILE", help="pyproject.toml to read [tool.mpcheck.lint] from")
    p_lint.add_argument("--explain", metavar="CODE", help="explain a rule and show the scenario that proves it")
    return parser


def _codes(text: str) -> List[str]:
    return [c for c in text.split(",") if c.strip()]


def _dedupe(items: Sequence[str]) -> List[str]:
    return list(dict.fromkeys(items))


def _load_catalog(args: argparse.Namespace) -> Dict[str, Any]:
    from .catalog import catalog

    for folder in args.path:
        if not folder.is_dir():
            raise UsageError(f"--path {folder}: no such directory")
    return catalog(args.path, builtin=not args.no_builtin)


def cmd_list(args: argparse.Namespace) -> int:
    scenarios = _load_catalog(args)
    width = max((len(s) for s in scenarios), default=0)
    for sid, scenario in scenarios.items():
        print(f"{sid:<{width}}  {scenario.summary}")
    return EXIT_OK


def _interrupt_on_sigterm() -> None:
    """CI cancellations send SIGTERM: treat it like Ctrl-C so cells are killed, not orphaned."""

    def handler(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, handler)


def cmd_run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from . import display, report
    from .runner import Run, cells_for, current_platform, runtime_label

    if args.update and not args.baseline:
        raise UsageError("--update needs --baseline FILE")
    outputs = [("--json", args.json), ("--junit", args.junit), ("--baseline", args.baseline if args.update else None)]
    for option, path in outputs:
        if path is not None:
            report.check_writable(option, path)  # now: a run whose results cannot be written is not started
    scenarios = _load_catalog(args)
    wanted = _dedupe(args.scenario) or list(scenarios)
    unknown = [s for s in wanted if s not in scenarios]
    if unknown:
        raise UsageError(f"unknown scenario {unknown[0]!r} (see 'mpcheck list')")
    if not wanted:
        raise UsageError("no scenarios to run")
    if args.baseline and not args.update:
        from . import baseline

        old = baseline.load(args.baseline)  # bad baseline files fail before any cell runs
    methods = _dedupe(args.method) or list(METHODS)
    cells = cells_for([scenarios[s] for s in wanted], methods)

    console = Console()
    err = Console(stderr=True)
    runner = Run(timeout=args.timeout, jobs=args.jobs)
    _interrupt_on_sigterm()
    show_progress = not args.quiet and err.is_terminal
    if show_progress:
        bar = display.progress(err, len(cells))
        task = bar.add_task("", total=len(cells))
        with bar:
            results = runner.run(
                cells, on_result=lambda r: bar.update(task, advance=1, description=f"{r.scenario}[{r.method}]")
            )
    else:
        results = runner.run(cells)

    title = f"mpcheck {__version__} · {runtime_label()} · {current_platform()}"
    console.print(display.matrix(results, title))
    display.explain(console, results)
    console.print(display.summary_line(results), highlight=False)
    if args.json:
        report.write_json(args.json, results)
    if args.junit:
        report.write_junit(args.junit, results)
    if runner.cancelled:
        err.print("interrupted: running cells were killed; the matrix above is partial", highlight=False)
        return EXIT_INTERRUPTED
    status = EXIT_OK if all(r.ok for r in results) else EXIT_FAILED
    if args.baseline:
        from . import baseline

        if args.update:
            baseline.save(args.baseline, results)
            console.print(f"baseline written: {args.baseline}", highlight=False)
        elif baseline.compare(console, old, results):
            status = EXIT_FAILED
    return status


def cmd_merge(args: argparse.Namespace) -> int:
    from . import merge

    return merge.main(args.reports, args.markdown)


def cmd_probe(args: argparse.Namespace) -> int:
    from . import probe

    _interrupt_on_sigterm()
    return probe.main(args)


def cmd_lint(args: argparse.Namespace) -> int:
    from .lint import command

    return command.run(args)


def cmd_suite(args: argparse.Namespace) -> int:
    from . import suite

    if args.pytest_args and args.pytest_args[0] == "--":
        args.pytest_args = args.pytest_args[1:]
    elif args.pytest_args:
        raise UsageError(f"unexpected argument {args.pytest_args[0]!r}: put pytest's arguments after `--`")
    _interrupt_on_sigterm()
    return suite.main(args)


COMMANDS = {
    "list": cmd_list,
    "run": cmd_run,
    "merge": cmd_merge,
    "probe": cmd_probe,
    "suite": cmd_suite,
    "lint": cmd_lint,
}


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        print(f"mpcheck: error: a command is needed: {', '.join(COMMANDS)} (see --help)", file=sys.stderr)
        return EXIT_USAGE
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"mpcheck: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("mpcheck: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `mpcheck list | head`: the reader left; say nothing more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
