"""The cell's side channel: a scenario reports what it observed here, never on stdout.

The scenario's stdout and stderr are data (what a child logged is often the point), so facts go to
a JSON file whose path the cell's bootstrap puts in ``MPCHECK_RESULT``. Run by hand
(``python scenario.py``), a scenario prints its facts instead. Imported by every cell: stdlib only.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # not typing's: see mpcheck.expect
if TYPE_CHECKING:
    from typing import Any, Dict

RESULT_ENV = "MPCHECK_RESULT"
OWNER_ENV = "MPCHECK_CELL_PID"
METHOD_ENV = "MPCHECK_METHOD"
#: set (by a test's leak check): the cell's named semaphores and shared-memory segments carry this tag in
#: their names, so the check counts its own cells' entries and no other program's
NAME_TAG_ENV = "MPCHECK_NAME_TAG"
#: set by :func:`capture_reimports` in a scenario's first run: the file its later runs write their stderr to
REIMPORT_STDERR_ENV = "MPCHECK_REIMPORT_STDERR"

_facts: Dict[str, Any] = {}


def report(**facts: Any) -> None:
    """Record observed facts (plain JSON values) for the harness to compare with ``EXPECT``."""
    import json  # here, not at the top: spawn children re-import the scenario, and never report

    owner = os.environ.get(OWNER_ENV)
    if owner is not None and int(owner) != os.getpid():
        raise RuntimeError(
            "mpcheck.facts.report() called in a child process: report facts from the scenario's "
            "main process (send them back through a Queue, a Pipe or a shared Value)"
        )
    try:
        json.dumps(facts)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"facts must be plain JSON values: {exc}") from None
    _facts.update(facts)
    path = os.environ.get(RESULT_ENV)
    if path is None:
        for name, value in facts.items():
            print(f"fact {name} = {json.dumps(value)}", file=sys.stderr)
        return
    from .expect import implementation  # loaded already: every scenario declares its EXPECT with it

    impl, own = implementation()
    data = json.dumps(
        {
            "facts": _facts,
            "sys_version": sys.version,
            "implementation": impl,
            "implementation_version": ".".join(map(str, own)),
        }
    )
    if os.path.exists(path) and not os.path.isfile(path):
        with open(path, "w", encoding="utf-8") as fh:  # /dev/null, a pipe: write, never replace it
            fh.write(data)
        return
    tmp = f"{path}.tmp"  # the harness's file: replaced whole, so it never reads half a result
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(data)
    os.replace(tmp, path)


def cell_method() -> str:
    """The start method this cell runs under (for scenarios that set it themselves)."""
    method = os.environ.get(METHOD_ENV)
    if method:
        return method
    import multiprocessing

    return multiprocessing.get_start_method()


def error_name(exc: BaseException) -> str:
    """An exception's type as a fact: ``"ZeroDivisionError"``, or ``"pickle.PicklingError"``."""
    cls = type(exc)
    if cls.__module__ in ("builtins", "__main__", "__mp_main__"):
        return cls.__qualname__
    return f"{cls.__module__}.{cls.__qualname__}"


def capture_reimports() -> bool:
    """Observation for a scenario whose later runs may die before reporting: a spawn child re-importing
    the script as ``__mp_main__``, or the fork server preloading it. Call it first thing at module level.

    In the first run it names a fresh file in the environment (children and the fork server inherit it)
    and returns True; every later run sends its stderr there (fd 2 for what the interpreter writes itself,
    ``sys.stderr`` for tracebacks: it may be None on Windows) and returns False. The first run reads the
    error with :func:`reimports_error`.
    """
    path = os.environ.get(REIMPORT_STDERR_ENV)
    if path is None:
        import tempfile

        fd, path = tempfile.mkstemp(suffix=".stderr")
        os.close(fd)
        os.environ[REIMPORT_STDERR_ENV] = path
        return True
    sys.stderr = open(path, "a", encoding="utf-8")  # noqa: SIM115 - for the rest of this process's life
    os.dup2(sys.stderr.fileno(), 2)
    return False


def reimports_error() -> str | None:
    """In the first run: the last exception the later runs wrote (``Type: message``, whitespace collapsed),
    or None; the file is removed."""
    import re

    path = os.environ[REIMPORT_STDERR_ENV]
    with open(path, encoding="utf-8", errors="replace") as fh:
        captured = fh.read()
    os.unlink(path)
    errors = list(re.finditer(r"^\w+(\.\w+)*(Error|Exception): ", captured, re.MULTILINE))
    return " ".join(captured[errors[-1].start() :].split()) if errors else None
