"""The ``# lint: MP101`` convention shared by the lint tests: a trailing comment names the findings
expected on its line; a file's findings must be exactly its marks (no more, no less)."""

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
