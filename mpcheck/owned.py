"""Which code is the project's own: the frames of a failure that are in it (:func:`frames`), and whether
an object a failure names by qualified name is defined in it (:func:`own_object`). A cause is named for
the project's own code only: pickle names the first object it cannot pickle, which may be pytest's or the
standard library's, deep in an object the program handed over (:mod:`mpcheck.diagnose`). Stdlib only.
"""

from __future__ import annotations

import ast
import contextlib
import os
import re
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Set, Tuple

#: a frame in a failure's text: pytest's ``path:line: ...`` entry ends, or Python's ``File "path", line N``
_FRAME = re.compile(
    r'^(?:\s*File "(?P<file>[^"]+\.py)", line (?P<line>\d+)|(?P<path>[^\s:"<>]+\.py):(?P<lineno>\d+): )', re.M
)


def frames(text: str, cwd: Path) -> List[Tuple[Path, int]]:
    """Each ``(file, line)`` of the failure's frames that is the project's own code (not a library's)."""
    found = []
    for m in _FRAME.finditer(text):
        name, line = (m.group("file"), m.group("line")) if m.group("file") else (m.group("path"), m.group("lineno"))
        path = Path(name)
        path = path if path.is_absolute() else cwd / path
        if "site-packages" in path.parts or "dist-packages" in path.parts or _in_stdlib(path):
            continue
        found.append((path, int(line)))
    return found


def _in_stdlib(path: Path) -> bool:
    import sysconfig

    stdlib = Path(sysconfig.get_paths()["stdlib"])
    try:
        path.resolve().relative_to(stdlib.resolve())
    except (ValueError, OSError):
        return False
    return True


#: the parts of a qualified name that define nothing: a function's ``<locals>``, comprehensions
_NOT_DEFINITIONS = {"<locals>", "<listcomp>", "<setcomp>", "<dictcomp>", "<genexpr>"}
#: a file -> the qualified names it defines (as :func:`_plain`), read once per run
_defined: Dict[Path, Set[Tuple[str, ...]]] = {}
#: (a project's folder, a qualified name) -> whether one of its files defines it
_defined_under: Dict[Tuple[Path, Tuple[str, ...]], bool] = {}
#: folders that hold no code of the project's own
_NOT_OWN_DIRS = {"site-packages", "dist-packages", "__pycache__", "node_modules"}


def _plain(qualname: str) -> Tuple[str, ...]:
    """A qualified name's definitions, outermost first: ``f.<locals>.g`` -> ``("f", "g")``."""
    return tuple(part for part in qualname.split(".") if part not in _NOT_DEFINITIONS)


def _definitions(path: Path) -> Set[Tuple[str, ...]]:
    """Every function, class and lambda ``path`` defines, by qualified name (:func:`_plain`)."""
    if path not in _defined:
        found: Set[Tuple[str, ...]] = set()

        def walk(node: ast.AST, outer: Tuple[str, ...]) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                    name = (*outer, "<lambda>" if isinstance(child, ast.Lambda) else child.name)
                    found.add(name)
                    walk(child, name)
                else:
                    walk(child, outer)

        with contextlib.suppress(OSError, SyntaxError, ValueError, RecursionError):  # unreadable: defines nothing
            walk(ast.parse(path.read_bytes()), ())
        _defined[path] = found
    return _defined[path]


def _project_files(cwd: Path) -> Iterable[Path]:
    """The project's own Python files under ``cwd`` (not a virtual environment's, nor a hidden folder's)."""
    for folder, dirs, names in os.walk(cwd):
        dirs[:] = [
            d
            for d in dirs
            if not d.startswith(".") and d not in _NOT_OWN_DIRS and not (Path(folder) / d / "pyvenv.cfg").exists()
        ]
        yield from (Path(folder) / n for n in names if n.endswith(".py"))


def own_object(path: Optional[str], texts: Iterable[str], cwd: Path) -> Callable[[str], Optional[bool]]:
    """Whether an object a failure names by qualified name (``f.<locals>.g``, :attr:`Pitfall.names`) is
    defined in the project's own code: ``path`` (the test's file, the probed code's), the project's files
    the failure ``texts`` pass through, or any Python file under ``cwd`` (the project's folder). A local
    function of pytest's or of the standard library's (pickle met it inside a TestCase's state, or an
    ``ArgumentParser`` the program handed over) is defined in none of them. None: not known."""
    first = [Path(path)] if path else []
    for text in texts:
        first += [where for where, _ in frames(text, cwd)]

    def defined_in(wanted: Tuple[str, ...], paths: Iterable[Path]) -> bool:
        key = b"lambda" if wanted[-1] == "<lambda>" else wanted[-1].encode()
        for one in paths:
            one = one if one.is_absolute() else cwd / one
            try:
                if key not in one.read_bytes():
                    continue
            except OSError:
                continue
            if wanted in _definitions(one):
                return True
        return False

    def own(qualname: str) -> Optional[bool]:
        wanted = _plain(qualname)
        if not wanted or not path:  # not knowing the code's file, nothing is known
            return None
        if defined_in(wanted, first):
            return True
        if (cwd, wanted) not in _defined_under:
            _defined_under[(cwd, wanted)] = defined_in(wanted, _project_files(cwd))
        return _defined_under[(cwd, wanted)]

    return own
