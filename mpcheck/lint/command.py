"""The ``mpcheck lint`` subcommand: find the files, lint them as one program, print, pick the exit code.

Exit codes: ``mpcheck.errors.EXIT_CODES["lint"]`` (the one table; docs/exit-codes.md): input with
nothing to check (no Python file, or none that parses) is bad input, never a pass.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path
from typing import Callable, Iterator, List, Optional, Tuple

from ..errors import EXIT_FAILED, EXIT_OK, UsageError
from ..render import github
from . import config as configuration
from . import discover, output
from .api import SourceFile, check_program
from .core import PREVIEW, RULES
from .explain import explain

#: Files whose folder is searched for console-script entry points (pyproject.toml, setup.cfg, setup.py).
_METADATA = ("pyproject.toml", "setup.cfg", "setup.py")


def metadata_folders(paths: List[Path]) -> List[Path]:
    """Each given folder (a file's folder), and its parents up to the first that holds project metadata."""
    found: List[Path] = []
    for path in paths:
        folder = (path if path.is_dir() else path.parent).absolute()
        for candidate in [folder, *folder.parents][:6]:
            found.append(candidate)
            if any((candidate / name).is_file() for name in _METADATA):
                break
    return list(dict.fromkeys(found))


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


def _target(
    args: argparse.Namespace, config: configuration.Config, paths: List[Path]
) -> Tuple[Optional[Tuple[int, int]], Optional[str]]:
    """The project's target version and where it was read: --target-version, the configuration's
    target-version, or the lower bound of the nearest pyproject.toml's requires-python."""
    if getattr(args, "target_version", None):
        return configuration.target_version(args.target_version, "--target-version"), "--target-version"
    if config.target_version is not None:
        return config.target_version, f"target-version in {config.source}"
    start = paths[0] if paths[0].is_dir() else paths[0].parent
    found = configuration.requires_python(start.resolve())
    if found is None:
        return None, None
    version, pyproject = found
    return version, f"requires-python in {_shown(pyproject)}"


def _shown(path: Path) -> str:
    """``pyproject.toml``, ``../../pyproject.toml``: relative to the working folder where it can be."""
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:  # another drive (Windows)
        return path.as_posix()


def _no_rule(args: argparse.Namespace, config: configuration.Config) -> str:
    """Why no rule runs: a run that checks nothing is bad input, never "All checks passed!" (a green CI job)."""
    chose = args.select is not None or args.ignore or config.preview or config.chose_rules
    if not chose and set(RULES) <= PREVIEW:
        return (
            "no rule to run: every rule is a preview rule (precision on real code not yet shown to reach 90 %); "
            f"--preview runs them all, --select with codes ({min(RULES)} to {max(RULES)}) the ones named"
        )
    return (
        "no rule to run: the selection (--select, --ignore, [tool.mpcheck.lint]) leaves none; "
        "a preview rule runs with --preview or its own code"
    )


def run(args: argparse.Namespace) -> int:
    if args.explain:
        sys.stdout.write(explain(args.explain))
        return EXIT_OK
    if args.config is not None and not args.config.is_file():
        raise UsageError(f"--config {args.config}: no such file")
    config = configuration.load(args.config, preview=getattr(args, "preview", False))
    if args.select is not None:
        config.select = configuration.expand(args.select, "--select", config.preview)
    if args.ignore:
        config.select = config.select - configuration.expand(args.ignore, "--ignore")
    paths = args.paths or [Path(".")]
    files = list(discover.python_files(paths, [*config.exclude, *args.exclude]))
    if not files:
        where = ", ".join(p.as_posix() for p in paths)
        raise UsageError(f"no Python file under {where}: nothing to check")
    if not config.select:  # (after the paths: a path that does not exist is said first)
        raise UsageError(_no_rule(args, config))
    sources: List[SourceFile] = []
    unreadable: List[str] = []
    for file in files:
        try:
            source = SourceFile(file, file.read_bytes(), on_disk=True)
        except OSError as exc:
            unreadable.append(f"{file.as_posix()}: cannot read: {exc.strerror or exc}")
            continue
        source.drop_source()  # its flags are learnt; the bytes are read again when it is parsed
        sources.append(source)
    with _progress(len(sources)) as advance:
        report = check_program(sources, lambda f: config.codes_for(f.path), metadata_folders(paths), advance)
    report.errors[:0] = unreadable
    report.files = len(files)
    target, target_from = _target(args, config, paths)
    coverage = output.Coverage.of(
        report,
        len(unreadable),
        target=target,
        target_from=target_from,
        preview_off=sorted(PREVIEW - config.select) if args.select is None else [],
    )
    if not report.findings and not report.errors and all(s.parse_failure is not None for s in sources):
        where = ", ".join(p.as_posix() for p in paths)
        raise UsageError(
            f"nothing to check under {where}: no file parses as Python (with {coverage.grammar_text()}) "
            "or names a process library"
        )
    for line in report.errors:
        print(f"mpcheck: error: {line}", file=sys.stderr)
    sys.stdout.write(output.FORMATS[args.format](report.findings, report, coverage))
    github.append_summary(output.step_summary(report.findings, report.files, coverage))
    return EXIT_FAILED if report.findings or report.errors else EXIT_OK
