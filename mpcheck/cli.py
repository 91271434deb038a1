"""``mpcheck`` / ``python -m mpcheck``: every command's flags, then one ``run(args)`` per command.

Exit codes: 0 every cell passed (or is unavailable), 1 a cell failed, timed out or crashed,
2 bad input (one line on stderr, never a traceback), 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path
from typing import Any, List, NoReturn, Optional, Sequence

from . import __version__
from .errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USAGE, Interrupted, UsageError
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
    path_help = "also load scenarios from PATH: a folder of scenario files, or one file (repeatable)"
    p_list.add_argument("--path", action="append", type=Path, default=[], metavar="PATH", help=path_help)
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


def _interrupt_on_sigterm() -> None:
    """CI cancellations send SIGTERM: treat it like Ctrl-C so that what runs is killed, not orphaned."""

    def handler(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, handler)


def cmd_list(args: argparse.Namespace) -> int:
    from .catalog import command

    return command.list_scenarios(args)


def cmd_run(args: argparse.Namespace) -> int:
    from .catalog import command

    return command.run(args)


def cmd_merge(args: argparse.Namespace) -> int:
    """Run reports and suite reports have tables of their own: the first report's format decides."""
    from .files import load_json_file
    from .suite.output import FORMAT as SUITE_FORMAT

    first = load_json_file(args.reports[0], "report")
    if isinstance(first, dict) and first.get("format") == SUITE_FORMAT:
        from .suite import merge as suite_merge

        return suite_merge.main(args.reports, args.markdown)
    from .catalog import merge

    return merge.main(args.reports, args.markdown)


def cmd_probe(args: argparse.Namespace) -> int:
    from . import probe

    return probe.run(args)


def cmd_lint(args: argparse.Namespace) -> int:
    from .lint import command

    return command.run(args)


def cmd_suite(args: argparse.Namespace) -> int:
    from .suite import command

    if args.pytest_args and args.pytest_args[0] == "--":
        args.pytest_args = args.pytest_args[1:]
    elif args.pytest_args:
        raise UsageError(f"unexpected argument {args.pytest_args[0]!r}: put pytest's arguments after `--`")
    return command.run(args)


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
    _interrupt_on_sigterm()
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"mpcheck: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Interrupted as exc:
        print(f"mpcheck: interrupted: {exc}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        print("mpcheck: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `mpcheck list | head`: the reader left; say nothing more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
