"""What a Python file's text alone settles, before :mod:`.source` parses it with ``ast``: the cheap test the
checks ask first.

Importing ``ast`` (its node types) and parsing cost a watched program more than most of its checks' work
(issue #30), and most programs are plain: their processes start inside an ``if __name__ == "__main__":``
written on a line of its own, their targets are functions defined at the top of the script, and the
globals their children read are never rebound after import. Each answer here is ``True`` only where the
parse would give the same answer; ``False`` means "not settled: ask :mod:`.source`", never "no".

Only files in ASCII are read here (an identifier spelled otherwise is normalised by the compiler, not by
a byte search). Loaded at a watched process's first start with the checks. Stdlib only.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not typing's: see mpcheck.expect
if TYPE_CHECKING:
    from typing import Any, Dict, FrozenSet, List, Optional

_lines: Dict[str, Optional[List[bytes]]] = {}
_texts: Dict[str, Optional[bytes]] = {}
#: a main script's module code object -> the lines its instructions start on (a line of text with none is
#: no statement of it: a string's text, a comment's, code the compiler dropped)
_code_lines: Dict[Any, FrozenSet[int]] = {}
#: ``if __name__ == "__main__":`` with its spaces removed, either quote, either way round (what
#: source._is_main_guard recognises, on a line of its own)
_GUARDS = frozenset(
    (
        b'if__name__=="__main__":',
        b"if__name__=='__main__':",
        b'if"__main__"==__name__:',
        b"if'__main__'==__name__:",
    )
)


def _text(path: Optional[str]) -> Optional[bytes]:
    if not path or not path.endswith(".py"):
        return None
    if path not in _texts:
        try:
            with open(path, "rb") as fh:
                data: Optional[bytes] = fh.read()
        except OSError:
            data = None
        _texts[path] = data if data is not None and data.isascii() else None
    return _texts[path]


def _lines_of(path: Optional[str]) -> Optional[List[bytes]]:
    if path not in _lines:
        data = _text(path)
        _lines[path] = data.split(b"\n") if data is not None else None  # type: ignore[index]
    return _lines[path]  # type: ignore[index]


def _main_path() -> Optional[str]:
    return getattr(sys.modules.get("__main__"), "__file__", None)


def _lines_with_code(code: Any) -> FrozenSet[int]:
    """The lines on which an instruction of ``code`` starts (its line table; empty where the interpreter has
    no ``co_lines()``, before 3.10: the parse decides there)."""
    found = _code_lines.get(code)
    if found is None:
        table = getattr(code, "co_lines", None)
        found = frozenset(line for _, _, line in table() if line is not None) if table is not None else frozenset()
        _code_lines[code] = found
    return found


def in_main_guard(frame: Any) -> bool:
    """True when the main script's top-level ``frame`` runs a line of the body of an ``if __name__ ==
    "__main__":`` alone on its line at column 0: every line from there to this one is indented, blank or a
    comment (the first line at column 0 above this one is the guard), and the script's code has instructions
    on the guard's line (so that line is a statement, not a string's text)."""
    path = frame.f_globals.get("__file__")
    lines = _lines_of(path)
    line = frame.f_lineno
    if lines is None or not isinstance(line, int) or not 1 < line <= len(lines):
        return False
    for index in range(line - 1, -1, -1):
        text = lines[index]
        if text[:1] in (b" ", b"\t") or not text.strip() or text.startswith(b"#"):
            continue
        if index == line - 1:
            return False  # the line itself is at column 0: not in a guard's body
        return b"".join(text.split(b"#")[0].split()) in _GUARDS and index + 1 in _lines_with_code(frame.f_code)
    return False


def defined_at_top(function: Any) -> bool:
    """True when ``function`` of the main script is defined by a ``def`` (or its first decorator) at column 0,
    under its own name: a top-level statement outside any block, the guard included, so a child that
    re-imports the script binds that name too."""
    code = getattr(function, "__code__", None)
    if code is None or getattr(function, "__qualname__", None) != code.co_name or code.co_filename != _main_path():
        return False
    lines = _lines_of(code.co_filename)
    line = code.co_firstlineno
    if lines is None or not 1 <= line <= len(lines):
        return False
    return lines[line - 1].startswith((b"def ", b"async def ", b"@"))


def never_rebound(path: Optional[str], name: str) -> bool:
    """True when no statement of the file at ``path`` can rebind its global ``name`` at run time: the file has
    no ``global`` statement (a function rebinds a global only through one) and the name does not occur from
    the first line that mentions ``__main__`` on (where a main guard's statements are). Also True for a
    module with no Python source, which the checks never judge."""
    if not path or not path.endswith(".py"):
        return True
    data = _text(path)
    if data is None or not name.isascii() or b"global" in data:
        return False
    start = data.find(b"__main__")
    if start == -1:
        return True
    return name.encode() not in data[data.rfind(b"\n", 0, start) + 1 :]
