"""The ``# lint: MP101`` and ``# sanitize: MP101`` conventions shared by the lint and sanitizer tests: a
trailing comment names the findings expected on its line; a file's findings must be exactly its marks. And a
program's ``# needs:`` lines: what it needs of the Python that runs it."""

from __future__ import annotations

import re
import sys
from typing import Set, Tuple

from mpcheck.lint.api import check_source

MARK = re.compile(r"#\s*lint:\s*(MP\d+(?:\s*,\s*MP\d+)*)\s*$")


def marks(source: str) -> Set[Tuple[int, str]]:
    found = set()
    for number, line in enumerate(source.splitlines(), 1):
        match = MARK.search(line)
        if match:
            found |= {(number, code.strip()) for code in match.group(1).split(",")}
    return found


def findings(source: str, path: str = "snippet.py") -> Set[Tuple[int, str]]:
    return {(f.line, f.code) for f in check_source(source.encode(), path)}


#: ``# sanitize: MP101``: the sanitizer's hazards expected on the line (before any ``# lint:`` mark)
SANITIZE_MARK = re.compile(r"#\s*sanitize:\s*(MP\d+(?:\s*,\s*MP\d+)*)")


def sanitize_marks(source: str) -> Set[Tuple[int, str]]:
    found = set()
    for number, line in enumerate(source.splitlines(), 1):
        match = SANITIZE_MARK.search(line)
        if match:
            found |= {(number, code.strip()) for code in match.group(1).split(",")}
    return found


#: (code, text on the marked line) a sanitizer check cannot see on this implementation, with the reason
SANITIZER_BLIND = (
    {("MP108", "sqlite3.connect("): "PyPy's cffi sqlite3 connection pickles; its child dies unpickling it, "
     "which the parent cannot see"}
    if sys.implementation.name == "pypy"
    else {}
)  # fmt: skip


#: ``# needs: spawn-executor``, a comment line of its own: what a program needs of the Python that runs it, by
#: name (:data:`NEEDS`); a test skips it where that is missing (tests/support/markers.py says where)
NEEDS_MARK = re.compile(r"^\s*#\s*needs:\s*(.+?)\s*$")
#: each need a program may name, and what it is
NEEDS = {
    "spawn-executor": "a ProcessPoolExecutor whose workers the spawn and forkserver methods start",
}


def program_needs(source: str) -> Set[str]:
    """The needs a program names with ``# needs:`` lines (ValueError on a name :data:`NEEDS` does not know)."""
    found: Set[str] = set()
    for line in source.splitlines():
        match = NEEDS_MARK.match(line)
        if match:
            found |= {name.strip() for name in match.group(1).split(",")}
    unknown = found - NEEDS.keys()
    if unknown:
        raise ValueError(f"unknown # needs: {', '.join(sorted(unknown))} (known: {', '.join(NEEDS)})")
    return found


def sanitizer_expected(source: str) -> Set[Tuple[int, str]]:
    """The marked hazards the sanitizer must report here: those whose pitfall makes start methods differ
    on this platform and Python, and that this implementation lets it see."""
    from mpcheck import pitfalls
    from mpcheck.expect import METHODS
    from mpcheck.runtime import current_platform

    lines = source.splitlines()
    kept = set()
    for line, code in sanitize_marks(source):
        broken = set(pitfalls.BY_CODE[code].broken_methods(current_platform(), sys.version_info[:3]))
        blind = any(c == code and text in lines[line - 1] for c, text in SANITIZER_BLIND)
        if broken and broken != set(METHODS) and not blind:
            kept.add((line, code))
    return kept
