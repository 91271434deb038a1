"""Which files ``mpcheck lint`` reads: the Python files under the given paths, minus what is not the
project's own code (virtualenvs, VCS and tool folders, build output) and what ``.gitignore`` or the
configuration excludes. A file named explicitly is always read, if it is Python source: a ``.py``,
``.pyw`` or ``.pyi`` file, or a script whose first line is a ``python`` shebang; any other file (a
``notes.txt``) is bad input, never an "All checks passed!" over nothing.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path, PurePosixPath
from typing import Iterator, List, Sequence, Tuple

from ..errors import UsageError

SKIPPED_DIRS = frozenset(
    {".git", ".hg", ".svn", ".nox", ".tox", ".venv", "venv", ".env", "__pycache__", "build", "dist",
     ".mypy_cache", ".ruff_cache", ".pytest_cache", "node_modules", "site-packages", ".eggs"}
)  # fmt: skip


class Ignore:
    """``.gitignore``-style patterns of one folder (no negation: a ``!`` line is skipped, so nothing
    is excluded that git would keep)."""

    def __init__(self, base: Path, patterns: Sequence[str]) -> None:
        self.base = base.absolute()
        self.rules: List[Tuple[str, bool, bool]] = []  # pattern, only directories, anchored
        for raw in patterns:
            line = raw.strip()
            if not line or line.startswith(("#", "!")):
                continue
            only_dirs = line.endswith("/")
            line = line.rstrip("/")
            anchored = line.startswith("/") or "/" in line
            self.rules.append((line.lstrip("/"), only_dirs, anchored))

    @classmethod
    def of(cls, folder: Path) -> Ignore:
        try:
            text = (folder / ".gitignore").read_text(encoding="utf-8", errors="replace")
        except OSError:
            text = ""
        return cls(folder, text.splitlines())

    def matches(self, path: Path, is_dir: bool) -> bool:
        try:
            rel = PurePosixPath(path.absolute().relative_to(self.base)).as_posix()
        except ValueError:
            return False
        for pattern, only_dirs, anchored in self.rules:
            if only_dirs and not is_dir:
                continue
            if fnmatch.fnmatch(rel, pattern) if anchored else fnmatch.fnmatch(path.name, pattern):
                return True
        return False


def _is_virtualenv(folder: Path) -> bool:
    return (folder / "pyvenv.cfg").is_file() or (folder / "conda-meta").is_dir()


PYTHON_SUFFIXES = (".py", ".pyw", ".pyi")


def is_python_source(path: Path) -> bool:
    """A file named explicitly that lint reads: a Python suffix, or a ``#!...python`` first line."""
    if path.suffix in PYTHON_SUFFIXES:
        return True
    try:
        with path.open("rb") as fh:
            first = fh.readline(200)
    except OSError:
        return True  # unreadable: the run says so for this file
    return first.startswith(b"#!") and b"python" in first


def python_files(paths: Sequence[Path], exclude: Sequence[str] = ()) -> Iterator[Path]:
    """The files to lint under ``paths`` (files given are yielded as they are); sorted per folder."""
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
        if path.is_file() and not is_python_source(path):
            raise UsageError(
                f"{path}: not a Python file (a .py, .pyw or .pyi file, or a script with a python shebang): "
                "nothing to check"
            )
    extra = Ignore(Path.cwd(), list(exclude))
    for path in paths:
        if path.is_file():
            yield path
            continue
        yield from _walk(path, [Ignore.of(path), extra])


def _walk(root: Path, ignores: List[Ignore]) -> Iterator[Path]:
    inherited = {root: ignores}  # each folder's patterns: its parent's plus its own .gitignore
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        mine = inherited.pop(here, ignores)
        keep = []
        for name in sorted(dirnames):
            sub = here / name
            if name in SKIPPED_DIRS or name.endswith(".egg-info") or _is_virtualenv(sub):
                continue
            if any(i.matches(sub, True) for i in mine):
                continue
            keep.append(name)
            inherited[sub] = [*mine, Ignore.of(sub)] if (sub / ".gitignore").is_file() else mine
        dirnames[:] = keep
        for name in sorted(filenames):
            file = here / name
            if name.endswith(".py") and not any(i.matches(file, False) for i in mine):
                yield file
