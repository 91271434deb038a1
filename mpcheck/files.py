"""Files the user names: outputs tried before the work starts, written whole, and inputs read in one line.

One writer for every file a command writes at the user's request (``--json``, ``--junit``,
``--markdown``, ``--baseline``...) and one reader for every JSON or Python file a user names (a report,
a baseline, a scenario, a probe's script). Every failure is a :class:`~mpcheck.errors.UsageError`
whose message is one line naming the file.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable, Optional, Tuple

from .errors import UsageError


def check_writable(option: str, path: Path) -> None:
    """Fail now, before any work, when ``path`` cannot be written later; leave nothing behind.

    Results are gone if their report cannot be written at the end, so every output is tried first:
    an existing file is opened for appending (not truncated), a new one by creating a temporary file
    in the deepest folder that exists (the rest is created when the file is written). Trying beats
    ``os.access``, which says yes to root on a read-only file system.
    """
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"{option} {path}: is a folder, expected a file path")
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        if path.exists():
            with open(path, "a", encoding="utf-8"):
                pass
        elif not folder.is_dir():
            raise NotADirectoryError(f"{folder} is not a folder")
        else:
            with tempfile.TemporaryFile(dir=folder, prefix=".mpcheck-check-"):
                pass
    except OSError as exc:
        raise UsageError(f"{option} {path}: cannot be written: {exc.strerror or exc}") from None


def check_outputs(outputs: Iterable[Tuple[str, Optional[Path]]]) -> None:
    """:func:`check_writable` for each ``(option, path)`` given (``None`` paths are not asked for)."""
    for option, path in outputs:
        if path is not None:
            check_writable(option, path)


def write_text(path: Path, text: str, append: bool = False) -> None:
    """Write (or append to) a file the user named, creating its folders; a failure is one line.

    A new file is written to a temporary name beside it and renamed, so a reader never sees half of it.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if append:
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(text)
            return
        if path.exists() and not path.is_file():  # /dev/stdout, a pipe: write to it, never replace it
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
            return
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            # mkstemp makes the file private (0600): give it the mode a plain open() would (the old file's,
            # or what the umask allows), so a report can be served or shared as any other file
            os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_json(path: Path, data: Any) -> None:
    write_text(path, json.dumps(data, indent=2) + "\n")


def load_json_file(path: Path, kind: str, missing_hint: str = "") -> Any:
    """Parse a JSON file the user named (a report, a baseline): every failure is one line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such {kind} file{missing_hint}") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a folder, expected a {kind} file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the {kind}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise UsageError(f"{path}: not JSON ({exc})") from None


def parse_python(path: Path, kind: str, error: type = UsageError) -> ast.Module:
    """Read and parse a Python file the user named, running none of it; every failure is one line
    (raised as ``error``, a :class:`UsageError` subclass)."""
    try:
        source = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read the {kind}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        return ast.parse(source, filename=str(path))
    except SyntaxError as exc:
        raise error(f"{path}:{exc.lineno}: syntax error: {exc.msg}") from None
    except ValueError as exc:  # null bytes, before 3.12
        raise error(f"{path}: not Python source ({exc})") from None
