"""The linter's core: parse a file once, build its :class:`~.model.Module`, run the selected rules, drop
what ``# noqa`` silences. Rules register here with :func:`rule`; they only read the model.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass
from typing import Callable, Dict, FrozenSet, Iterable, Iterator, List, Optional, Tuple

from .. import pitfalls
from . import names
from .model import Module

#: What a rule yields: the node to point at and the message.
Hit = Tuple[ast.AST, str]
RuleFunc = Callable[[Module], Iterator[Hit]]
RULES: Dict[str, RuleFunc] = {}

_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)


def line_of(node: ast.AST) -> int:
    """The line a node starts on (every node a rule reports has one)."""
    return int(getattr(node, "lineno", 1))


def rule(code: str) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule for pitfall ``code`` (which must exist in :mod:`mpcheck.pitfalls`)."""
    if pitfalls.get(code) is None:
        raise ValueError(f"no pitfall {code} in mpcheck.pitfalls")

    def register(func: RuleFunc) -> RuleFunc:
        RULES[code] = func
        return func

    return register


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    col: int  # 1-based, like ruff
    code: str
    message: str

    @property
    def scenarios(self) -> Tuple[str, ...]:
        pitfall = pitfalls.get(self.code)
        return pitfall.scenarios if pitfall else ()


class ParseError(Exception):
    """A file that cannot be read or parsed; ``str()`` is the one line to show."""


def noqa_codes(line: str) -> Optional[FrozenSet[str]]:
    """The codes a ``# noqa`` comment on ``line`` silences: None if there is none, empty for a bare one (all)."""
    match = _NOQA.search(line)
    if match is None:
        return None
    codes = match.group("codes")
    return frozenset(c.upper() for c in re.split(r"[\s,]+", codes) if c) if codes else frozenset()


def check_source(source: bytes, path: str = "<string>", select: Optional[Iterable[str]] = None) -> List[Finding]:
    """Lint one file's bytes; ``select`` is the rule codes to run (default: all). Raises :class:`ParseError`."""
    try:
        with warnings.catch_warnings():  # invalid escapes and the like: not ours to report
            warnings.simplefilter("ignore")
            tree = ast.parse(source, filename=path)
    except (SyntaxError, ValueError) as exc:  # ValueError: null bytes
        line = getattr(exc, "lineno", None) or 1
        col = max(getattr(exc, "offset", None) or 1, 1)
        raise ParseError(f"{path}:{line}:{col}: cannot parse: {getattr(exc, 'msg', exc)}") from None
    if not any(word in source for word in names.TRIGGERS):
        return []  # no rule applies to a file that never names multiprocessing or concurrent.futures
    model = Module(tree)
    if not model.uses_multiprocessing:
        return []
    codes = sorted(RULES if select is None else set(select) & set(RULES))
    found = set()
    for code in codes:
        for node, message in RULES[code](model):
            found.add(Finding(path, getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1, code, message))
    if not found:
        return []
    lines = source.splitlines()
    kept = []
    for f in sorted(found):
        raw = lines[f.line - 1] if f.line <= len(lines) else b""
        silenced = noqa_codes(raw.decode("utf-8", errors="replace"))
        if silenced is not None and (not silenced or f.code in silenced):
            continue
        # ast counts columns in UTF-8 bytes; editors, ruff and SARIF count characters
        col = len(raw[: f.col - 1].decode("utf-8", errors="replace")) + 1
        kept.append(Finding(f.path, f.line, col, f.code, f.message))
    return kept
