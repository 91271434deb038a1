"""The ``mpcheck lint`` subcommand: parse its options, find the files, lint, print, pick the exit code.

Exit codes: 0 no finding, 1 findings, 2 bad input (a bad option or configuration, a missing path, a
file that cannot be read or parsed: each one line on stderr; the other files are still checked).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import Callable, Iterator, List

from .. import github
from ..errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError
from . import config as configuration
from . import discover, output
from .api import Finding, ParseError, check_source
from .explain import explain

#: a tree with at least this many files shows a progress bar (on a terminal)
PROGRESS_FILES = 200


@contextlib.contextmanager
def _progress(total: int) -> Iterator[Callable[[str], None]]:
    """``advance(name)`` per file: a bar on stderr while a large tree is read, when stderr is a terminal."""
    if total < PROGRESS_FILES or not sys.stderr.isatty():
        yield lambda name: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("[bold]mpcheck lint"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task("", total=total)
    with bar:
        yield lambda name: bar.update(task, advance=1, description=name)


def run(args: argparse.Namespace) -> int:
    if args.explain:
        sys.stdout.write(explain(args.explain))
        return EXIT_OK
    if args.config is not None and not args.config.is_file():
        raise UsageError(f"--config {args.config}: no such file")
    config = configuration.load(args.config)
    if args.select is not None:
        config.select = configuration.expand(args.select, "--select")
    if args.ignore:
        config.select = config.select - configuration.expand(args.ignore, "--ignore")
    paths = args.paths or [Path(".")]
    files = list(discover.python_files(paths, [*config.exclude, *args.exclude]))
    findings: List[Finding] = []
    bad = 0
    with _progress(len(files)) as advance:
        for file in files:
            name = file.as_posix()
            advance(name)
            try:
                source = file.read_bytes()
            except OSError as exc:
                print(f"mpcheck: error: {name}: cannot read: {exc.strerror or exc}", file=sys.stderr)
                bad += 1
                continue
            try:
                findings += check_source(source, name, config.codes_for(file))
            except ParseError as exc:
                print(f"mpcheck: error: {exc}", file=sys.stderr)
                bad += 1
    sys.stdout.write(output.FORMATS[args.format](findings))
    github.append_summary(output.step_summary(findings, len(files)))
    if bad:
        return EXIT_USAGE
    return EXIT_FAILED if findings else EXIT_OK
