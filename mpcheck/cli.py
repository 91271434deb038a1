"""``mpcheck`` / ``python -m mpcheck``: every command's flags, then one ``run(args)`` per command.

Exit codes: each command's are in :data:`mpcheck.errors.EXIT_CODES` (the one table, shown by each
command's --help and in docs/exit-codes.md); bad input is one line on stderr and 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path
from typing import Any, List, NoReturn, Optional, Sequence

from . import __version__
from .errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USAGE, Interrupted, UsageError, exit_codes_text
from .expect import IMPLEMENTATIONS, METHODS, PLATFORMS

#: ``mpcheck lint --format``: the keys of :data:`mpcheck.lint.output.FORMATS` (a test keeps them equal),
#: written here so that parsing the command line never imports the linter.
LINT_FORMATS = ("github", "json", "sarif", "text")


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


def _command(sub: Any, name: str, summary: str, what: str, doc: str) -> Parser:
    """A subcommand whose --help says what it does, its exit codes (from :data:`mpcheck.errors.EXIT_CODES`)
    and the doc to read (each paragraph wrapped here: the raw formatter keeps the usage line of the
    description as written)."""
    import textwrap

    description = "\n\n".join(textwrap.fill(par, 88) if not par.startswith("  ") else par for par in what.split("\n"))
    epilog = "\n".join(
        textwrap.fill(line, 88, subsequent_indent="  ")
        for line in (f"exit codes: {exit_codes_text(name)}", f"more: {doc}, in mpcheck's repository")
    )
    return sub.add_parser(
        name, help=summary, description=description, epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter
    )


def build_parser() -> Parser:
    parser = Parser(
        prog="mpcheck",
        description="How multiprocessing code behaves under fork, spawn and forkserver.",
        epilog="Each command has its own --help. Exit codes: 0 ok, 1 something found (a failed cell, a "
        "difference, a finding, a hazard, a watched command that failed), 2 bad input, 130 interrupted; each "
        "command's are in its --help and in docs/exit-codes.md. More: README.md in mpcheck's repository.",
    )
    parser.add_argument("--version", action="version", version=f"mpcheck {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    path_help = "also load scenarios from PATH: a folder of scenario files, or one file (repeatable; default: none)"
    method_help = "fork, spawn or forkserver (repeatable; default: every method the platform has)"
    html_help = "write the matrix as one self-contained HTML page here (default: none)"

    p_list = _command(
        sub,
        "list",
        "list the scenarios, or what each cell expects on a platform and Python",
        "List the catalog's scenarios (and those of --path) with the first line of each one's docstring.\n"
        "With --platform, --python, --implementation or --json: what every cell (scenario, start method) is "
        "expected to do there, resolved offline from each scenario's EXPECT (nothing runs), e.g. "
        "`mpcheck list --platform win32 --python 3.12`.",
        "docs/ci.md",
    )
    p_list.add_argument("--path", action="append", type=Path, default=[], metavar="PATH", help=path_help)
    p_list.add_argument("--no-builtin", action="store_true", help="only the scenarios from --path")
    p_list.add_argument(
        "--platform", choices=PLATFORMS, help="show what each cell expects on this platform (default: this one)"
    )
    p_list.add_argument(
        "--python",
        metavar="X.Y[.Z]",
        help="... with this Python version; X.Y spans its patch releases (default: this interpreter's)",
    )
    p_list.add_argument(
        "--implementation", choices=IMPLEMENTATIONS, help="... on this implementation (default: this interpreter's)"
    )
    p_list.add_argument(
        "--implementation-version",
        metavar="V",
        help="PyPy's own version (7.3.19), for PyPy's release-bound facts (default: none; this PyPy's own)",
    )
    p_list.add_argument("--free-threaded", action="store_true", help="... in a free-threaded build (3.14t)")
    p_list.add_argument(
        "--scenario", action="append", default=[], metavar="ID", help="only this scenario (repeatable; default: all)"
    )
    p_list.add_argument(
        "--method", action="append", choices=METHODS, help="fork, spawn or forkserver (repeatable; default: all three)"
    )
    p_list.add_argument("--json", action="store_true", help="print the expectations as JSON (default: text)")

    p_run = _command(
        sub,
        "run",
        "run scenarios under start methods and show the matrix",
        "Run each (scenario, start method) cell in a fresh interpreter with a hard timeout, judge what it observed "
        "against the scenario's EXPECT for this platform and Python, and show the matrix and every failure.",
        "README.md (Reading a failure), docs/regression-guard.md",
    )
    p_run.add_argument(
        "--scenario",
        action="append",
        default=[],
        metavar="ID",
        help="run only this scenario (repeatable; default: all)",
    )
    p_run.add_argument("--method", action="append", type=_method, default=[], metavar="METHOD", help=method_help)
    p_run.add_argument("--path", action="append", type=Path, default=[], metavar="PATH", help=path_help)
    p_run.add_argument("--no-builtin", action="store_true", help="only the scenarios from --path")
    p_run.add_argument("--json", type=Path, metavar="PATH", help="write the JSON report here (default: none)")
    p_run.add_argument("--junit", type=Path, metavar="PATH", help="write JUnit XML here (default: none)")
    p_run.add_argument("--html", type=Path, metavar="PATH", help=html_help)
    p_run.add_argument(
        "--jobs", type=_positive_int, metavar="N", help="cells run at once (default: twice the CPU count)"
    )
    p_run.add_argument(
        "--timeout",
        type=_positive_float,
        metavar="S",
        help="seconds per cell before its process tree is killed (default: 60, or the scenario's own)",
    )
    p_run.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="compare the observed facts with FILE and exit 1 on any change (default: no baseline)",
    )
    p_run.add_argument("--update", action="store_true", help="with --baseline: write FILE from this run instead")
    p_run.add_argument("--quiet", action="store_true", help="no progress bar (there is none off a terminal anyway)")

    p_merge = _command(
        sub,
        "merge",
        "merge JSON reports from several OSes/Pythons into one table",
        "Put the JSON reports of several machines (mpcheck run --json, or mpcheck suite --json: the first report's "
        "format decides) into one table: columns by OS, implementation, Python and start method.",
        "docs/ci.md",
    )
    p_merge.add_argument(
        "reports",
        nargs="+",
        type=Path,
        metavar="REPORT.json",
        help="reports written by `mpcheck run --json` (or all by `mpcheck suite --json`)",
    )
    p_merge.add_argument(
        "--markdown",
        type=Path,
        metavar="PATH",
        help="also write the table as Markdown (default: none; $GITHUB_STEP_SUMMARY gets a summary)",
    )
    p_merge.add_argument("--html", type=Path, metavar="PATH", help=html_help)

    p_probe = _command(
        sub,
        "probe",
        "run your function or script under every start method and diff",
        "Run your function (pkg.module:function, imported from the current folder) or script as the entry point "
        "of a fresh interpreter under each start method, several times each, and show what differs; under a "
        "difference, the likely cause when one is known.",
        "docs/regression-guard.md",
    )
    p_probe.add_argument("target", metavar="pkg.module:function | script.py", help="what to run")
    p_probe.add_argument(
        "--args", dest="args_json", metavar="JSON", help="positional arguments as a JSON list (default: none)"
    )
    p_probe.add_argument("--method", action="append", type=_method, default=[], metavar="METHOD", help=method_help)
    p_probe.add_argument(
        "--repeat",
        type=_positive_int,
        default=3,
        metavar="N",
        help="runs per method, to tell nondeterminism from divergence (default: 3)",
    )
    p_probe.add_argument(
        "--timeout",
        type=_positive_float,
        default=60.0,
        metavar="S",
        help="seconds per run before its process tree is killed (default: 60)",
    )
    p_probe.add_argument(
        "--compare-files",
        metavar="GLOB",
        help="also compare the files matching GLOB (from the current folder; ** for sub-folders) that each run "
        "creates or changes; the runs then go one at a time (default: files are not compared, and the output "
        "says so)",
    )
    p_probe.add_argument("--json", type=Path, metavar="PATH", help="write the probe's findings as JSON (default: none)")

    p_suite = _command(
        sub,
        "suite",
        "run your test suite once per start method and show the tests whose outcome differs",
        "Run your pytest suite once per start method (pytest --mp-start-method=M, each in its own process tree) "
        "and show the tests whose outcome differs, rerun to tell a difference from a flaky test. The first method "
        "runs every test, watched by the sanitizer; the others only the tests that started a process, asked for "
        "the start method or ran a subprocess (--all-tests: every test), at once where the CPUs allow "
        "(--sequential: one after another). Options for pytest go after `--`:\n"
        "  mpcheck suite --json suite.json -- -q tests/",
        "docs/moving-to-3.14.md",
    )
    p_suite.add_argument("--method", action="append", type=_method, default=[], metavar="METHOD", help=method_help)
    order = p_suite.add_mutually_exclusive_group()
    order.add_argument(
        "--parallel",
        action="store_true",
        default=None,
        help="run the methods after the first at once (with --all-tests: all at once); a test that differs "
        "there is rerun alone, one method at a time, before it is reported, unless its failure says why (default "
        "where this process may use 2 CPUs or more)",
    )
    order.add_argument(
        "--sequential",
        action="store_false",
        dest="parallel",
        help="run the methods one after another, never two of the project's pytest sessions at once "
        "(default with 1 usable CPU)",
    )
    p_suite.add_argument(
        "--all-tests",
        action="store_true",
        help="run every test under every method, not only those that started a process under the first "
        "(default: only those)",
    )
    p_suite.add_argument("--json", type=Path, metavar="PATH", help="write the JSON report here (default: none)")
    p_suite.add_argument("--junit", type=Path, metavar="PATH", help="write JUnit XML here (default: none)")
    p_suite.add_argument(
        "--html", type=Path, metavar="PATH", help="write the tests that differ as one HTML page here (default: none)"
    )
    p_suite.add_argument(
        "--timeout",
        type=_positive_float,
        metavar="S",
        help="seconds per test before it is marked timeout and killed (default: 300)",
    )
    p_suite.add_argument(
        "pytest_args",
        nargs=argparse.REMAINDER,
        metavar="-- PYTEST ARGS",
        help="everything after `--` goes to pytest as you would type it (default: none)",
    )

    p_sanitize = _command(
        sub,
        "sanitize",
        "run a command once and tell what the other start methods would break",
        "Run any command (a script, python -m pytest, a console script) once, under the start method it uses "
        "anyway, with every Python process it starts watched by mpcheck's start-up hook, and show what another "
        "start method would do differently: each hazard with its pitfall, the methods it breaks, where, the "
        "evidence and the fix. The command's own output and exit code are shown as they are:\n"
        "  mpcheck sanitize -- python my_job.py --workers 4",
        "docs/sanitize.md",
    )
    p_sanitize.add_argument("--json", type=Path, metavar="PATH", help="write the hazards as JSON (default: none)")
    p_sanitize.add_argument(
        "--method",
        type=_method,
        metavar="METHOD",
        help="make METHOD the command's default start method (default: the one it uses anyway)",
    )
    p_sanitize.add_argument(
        "--timeout",
        type=_positive_float,
        metavar="S",
        help="stop the command and everything it started after S seconds, and report (default: no limit)",
    )
    p_sanitize.add_argument(
        "argv",
        nargs=argparse.REMAINDER,
        metavar="-- CMD [ARGS...]",
        help="the command to run, after `--` (default: none; one is needed)",
    )

    p_lint = _command(
        sub,
        "lint",
        "find start-method pitfalls in Python files without running them",
        "Check Python files for the start-method pitfalls the catalog proves (one rule per pitfall, MP101-MP1xx), "
        "without running them.",
        "docs/lint.md",
    )
    p_lint.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: .)")
    p_lint.add_argument(
        "--format",
        choices=LINT_FORMATS,
        default="text",
        help="output format: text, json, sarif (code scanning) or github (annotations in a workflow) (default: text)",
    )
    p_lint.add_argument(
        "--select",
        type=_codes,
        metavar="CODES",
        help="only these rules, comma-separated codes or prefixes (default: the stable rules, those measured at "
        "90%% precision on real code; a preview rule runs with --preview or its own code)",
    )
    p_lint.add_argument("--ignore", type=_codes, default=[], metavar="CODES", help="skip these rules (default: none)")
    p_lint.add_argument(
        "--preview",
        action="store_true",
        help="also run the preview rules, not yet measured at 90%% precision on real code (default: off; "
        "a preview rule selected by its own code runs anyway)",
    )
    p_lint.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="skip matching paths (repeatable; default: none beyond .gitignore'd and hidden)",
    )
    p_lint.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="pyproject.toml to read [tool.mpcheck.lint] from (default: the nearest one upwards)",
    )
    p_lint.add_argument(
        "--target-version",
        metavar="VERSION",
        help="the oldest Python the code must run on, e.g. 3.12 or py312, said in every output with the grammar "
        "used (default: target-version in [tool.mpcheck.lint], else the lower bound of the nearest "
        "pyproject.toml's requires-python)",
    )
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

        return suite_merge.main(args.reports, args.markdown, args.html)
    from .catalog import merge

    return merge.main(args.reports, args.markdown, args.html)


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


def cmd_sanitize(args: argparse.Namespace) -> int:
    from .sanitize import command

    return command.run(args)


COMMANDS = {
    "list": cmd_list,
    "run": cmd_run,
    "merge": cmd_merge,
    "probe": cmd_probe,
    "suite": cmd_suite,
    "lint": cmd_lint,
    "sanitize": cmd_sanitize,
}


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        hint = ": put pytest's arguments after `--` (mpcheck suite [OPTIONS] -- PYTEST ARGS)"
        parser.error(f"unrecognized arguments: {' '.join(extra)}" + (hint if args.command == "suite" else ""))
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
