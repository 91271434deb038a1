"""The ``# lint: MP101`` and ``# sanitize: MP101`` conventions shared by the lint and sanitizer tests: a
trailing comment names the findings expected on its line; a file's findings must be exactly its marks."""

from __future__ import annotations

import re
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
