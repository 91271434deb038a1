"""Which line of the program to blame, and the findings written: what every check of the sanitizer shares.

Loaded at a watched process's first start (or at the first event a check needs), never at start-up
(see :mod:`.hook`). Stdlib only.
"""

from __future__ import annotations

import os
import sys

from .state import MACHINERY, RUNNER, in_packages, installed, state, write

TYPE_CHECKING = False  # not typing's: see mpcheck.expect
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Tuple

    Location = Tuple[str, int]

_STDLIB = os.path.dirname(os.__file__)
#: where the standard library's code is: its folder, and its frozen modules (``os.environ.pop()`` runs
#: ``MutableMapping.pop`` of ``<frozen _collections_abc>``)
_STDLIB_FILES = (_STDLIB, "<frozen ")


def installed_or_stdlib(filename: str) -> bool:
    """Whether a file is the standard library's or an installed package's (not the program's own code)."""
    return filename.startswith(_STDLIB_FILES) or installed(filename)


def in_stdlib(filename: str) -> bool:
    """Whether a file is the standard library's own: its folder (not the ``site-packages`` inside it, as under
    ``/usr/local/lib/python3.X``) or one of its frozen modules."""
    return filename.startswith(_STDLIB_FILES) and not installed(filename)


def program_named(name: str) -> bool:
    """Whether the module of this name is the program's own wherever its file is: the main script (``__main__``,
    a child's ``__mp_main__``) and the catalog's scenarios, which are programs even inside an installed mpcheck."""
    return name in ("__main__", "__mp_main__") or name.startswith("mpcheck.scenarios")


#: module name -> whether it is the machinery (asked at every frame of every check)
_machinery: Dict[str, bool] = {}
#: the sanitizer's own modules, whose frames stand between the program and what it called
_OWN = {f"{__package__}.{name}" for name in ("hook", "where", "starts", "pickling", "reads", "tables", "child")}


def is_machinery_module(name: str) -> bool:
    known = _machinery.get(name)
    if known is None:
        known = _machinery[name] = in_packages(name, MACHINERY) and not program_named(name)
    return known


def is_machinery(frame: Any) -> bool:
    name = frame.f_globals.get("__name__", "") or ""
    if name == "__main__" or name == "__mp_main__":
        return False
    if is_machinery_module(name):
        return True
    return in_stdlib(frame.f_code.co_filename)


def user_frame(frame: Any = None) -> Any:
    """The innermost frame of the program's own code (not the stdlib, multiprocessing or mpcheck)."""
    frame = frame or sys._getframe(1)
    while frame is not None and is_machinery(frame):
        frame = frame.f_back
    return frame


def owner(frame: Any) -> Optional[str]:
    """Whose code ``frame`` runs when it is not the program's own (the standard library's, the test runner's,
    mpcheck's, an installed package's), said for a finding; None for the program's code."""
    name = frame.f_globals.get("__name__", "") or ""
    if program_named(name):
        return None
    top = name.split(".")[0] or "?"
    filename = frame.f_code.co_filename or ""
    if in_packages(name, RUNNER):
        return f"the test runner's `{name}`"
    if installed(filename):
        return f"`{name}` (an installed package, `{top}`)"
    if is_machinery(frame):
        return f"the standard library's `{name}`"
    return None


def program_frame(frame: Any) -> Any:
    """The innermost frame of code the user owns: not the standard library, the test runner, mpcheck or an
    installed package."""
    while frame is not None and owner(frame) is not None:
        frame = frame.f_back
    return frame


def library_caller(frame: Any, package: str) -> Optional[Location]:
    """Where the program called library ``package`` (its first frame outside it): None when that caller is not
    the program's own code (the standard library, the test runner, another installed package)."""
    while frame is not None and (
        in_packages(frame.f_globals.get("__name__", "") or "", (package,)) or frame.f_globals.get("__name__") in _OWN
    ):
        frame = frame.f_back
    if frame is None or owner(frame) is not None:
        return None
    return (frame.f_code.co_filename, frame.f_lineno)


def user_site(frame: Any = None) -> Optional[Location]:
    """Where the innermost frame of the program's own code is."""
    found = user_frame(frame or sys._getframe(1))
    return (found.f_code.co_filename, found.f_lineno) if found is not None else None


def program_site(frame: Any) -> Optional[Location]:
    """Where the program itself did what is happening now: the first frame outside the standard library
    (``os.environ.update()``, ``logging.basicConfig()`` are the program's), or None when that frame is
    the machinery's (a test runner's own logging handlers and environment variables)."""
    while (
        frame is not None
        and not is_program(frame)
        and (frame.f_code.co_filename.startswith(_STDLIB_FILES) or frame.f_globals.get("__name__") in _OWN)
    ):
        frame = frame.f_back
    if frame is None or is_machinery(frame):
        return None
    return (frame.f_code.co_filename, frame.f_lineno)


def is_program(frame: Any) -> bool:
    return frame.f_globals.get("__name__") in ("__main__", "__mp_main__")


def nodeid() -> Optional[str]:
    """The test running now (``$PYTEST_CURRENT_TEST``), in a child the one that started it."""
    if state.in_child:
        return state.child_nodeid
    current = os.environ.get("PYTEST_CURRENT_TEST")
    return current.rsplit(" (", 1)[0] if current else None


#: a code object -> (instruction name, its argument where a name) of its bytecode, read once
_bytecode: Dict[Any, List[Tuple[str, Optional[str]]]] = {}


def instructions(code: Any) -> List[Tuple[str, Optional[str]]]:
    """A code object's bytecode as (instruction name, its argument where a name), read once: what the
    checks of what a child reads (:mod:`.reads`, :mod:`.tables`) share."""
    found = _bytecode.get(code)
    if found is None:
        import dis

        found = [(i.opname, _name(i, code)) for i in dis.get_instructions(code)]
        _bytecode[code] = found
    return found


#: whether this interpreter's ``dis`` misreads ``LOAD_GLOBAL`` (:func:`_dis_misreads_globals`), once asked
_misreads: Optional[bool] = None


def _dis_misreads_globals() -> bool:
    """Whether this interpreter's ``dis`` names the wrong global for ``LOAD_GLOBAL``: PyPy 7.3.19 (Python
    3.11) decodes its argument as CPython 3.11 does (an index shifted by one bit), where PyPy's bytecode
    holds the plain index into ``co_names``: a function reading ``print`` and ``SETTINGS`` reads ``print``
    twice (Debian trixie's pypy3; PyPy 7.3.11 and 8.0.1 read it right). Asked of a probe once, and only
    for a ``LOAD_GLOBAL``: not when the sanitizer starts."""
    global _misreads
    if _misreads is None:
        import dis

        def probe() -> Any:
            return _mpcheck_first, _mpcheck_second  # type: ignore[name-defined] # noqa: F821

        read = [i.argval for i in dis.get_instructions(probe.__code__) if i.opname == "LOAD_GLOBAL"]
        _misreads = read != ["_mpcheck_first", "_mpcheck_second"]
    return _misreads


def _name(instruction: Any, code: Any) -> Optional[str]:
    opname, argval, arg = instruction.opname, instruction.argval, instruction.arg
    if opname == "LOAD_GLOBAL" and isinstance(arg, int) and 0 <= arg < len(code.co_names) and _dis_misreads_globals():
        return str(code.co_names[arg])
    if isinstance(argval, str):
        return argval
    if opname.startswith("LOAD_FAST") and isinstance(argval, tuple) and argval and isinstance(argval[-1], str):
        return argval[-1]  # 3.13's LOAD_FAST_LOAD_FAST (a, b): b is the one on top, as a LOAD_FAST b would be
    return None


def main_source() -> Any:
    """The main script's :class:`.source.Source` (None: no Python file, or it does not parse)."""
    from . import source

    return source.parse(getattr(sys.modules.get("__main__"), "__file__", None))


def main_toplevel_frame() -> Any:
    """The main script's frame running its top-level code, if it is on the stack."""
    main = sys.modules.get("__main__")
    frame: Any = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "<module>" and main is not None and frame.f_globals is vars(main):
            return frame
        frame = frame.f_back
    return None


def at_import_time() -> bool:
    """True while a module's top-level code runs (an import, or the main script outside its guard)."""
    main = sys.modules.get("__main__")
    frame: Any = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "<module>":
            if main is not None and frame.f_globals is vars(main):
                if not getattr(main, "__file__", None):
                    return False  # `python -c`, a REPL, a worker's bootstrap: no child re-runs this code
                src = main_source()
                return src is None or not src.in_guard(frame.f_lineno)
            module = sys.modules.get(frame.f_globals.get("__name__", "") or "")
            if module is not None and vars(module) is frame.f_globals and not is_machinery(frame):
                return True  # a module's import (not code exec'd in a namespace of its own)
        frame = frame.f_back
    return False


def report(
    code: str,
    where: Optional[Location],
    evidence: str,
    start: Optional[Location] = None,
    context: Optional[str] = None,
    once: bool = True,
) -> None:
    """Record a hazard of pitfall ``code`` caused at ``where`` (once per process, place and test: a Pool
    kept across tests is the hazard of every test that uses it, each parametrization included).

    ``context`` (:data:`mpcheck.methods.MAIN_SCRIPT`) is where the code ran, when the pitfall's methods depend
    on it; with this Python's version it is all the pitfall table needs to name the methods it breaks
    (``sanitize.findings.read``), as diagnosis asks the same table."""
    if where is None:
        return
    key = (code, where[0], where[1], nodeid())
    if once and key in state.reported:
        return
    state.reported.add(key)
    write(
        {
            "kind": "hazard",
            "code": code,
            "file": os.path.abspath(where[0]),
            "line": where[1],
            "start": [os.path.abspath(start[0]), start[1]] if start else None,
            "evidence": evidence,
            "context": context,
            "python": list(sys.version_info[:3]),
            "nodeid": nodeid(),
            "pid": os.getpid(),
            "child": state.in_child,
        }
    )


def display(path: str) -> str:
    """A path as the user would name it: relative to the current folder when inside it."""
    try:
        shown = os.path.relpath(path)
    except ValueError:
        return path
    return path if shown.startswith("..") else shown


def short(value: Any, limit: int = 80) -> str:
    try:
        text = repr(value)
    except Exception:
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"
