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


def children_of_failed_start(exc: BaseException) -> list[int]:
    """Observation for a ``start()`` that raised: the exit codes of the children it had already made, each
    waited for, so none outlives the scenario or holds its files.

    Windows' spawn creates the child *before* it pickles the Process (``popen_spawn_win32.py``: the
    ``CreateProcess`` call at :75-77, the pickling at :94-95 in 3.11.7; :73-75 and :92-93 in 3.9.18). When
    pickling fails, ``start()`` raises with a child already running: it reads the preparation data,
    re-imports the main module and dies on the pickle that never came (``spawn.py`` ``_main``). POSIX's
    spawn and forkserver pickle first (``popen_spawn_posix.py``:46-47 before :58, ``popen_forkserver.py``:46-47
    before :51), so there the list is empty. The child is found through the ``Popen`` object that the
    exception's traceback still holds (its own frame's ``self``, with a ``pid`` once a child exists).
    """
    codes = []
    seen = set()
    tb = exc.__traceback__
    while tb is not None:
        popen = tb.tb_frame.f_locals.get("self")
        tb = tb.tb_next
        if popen is None or id(popen) in seen or not type(popen).__module__.startswith("multiprocessing.popen_"):
            continue
        seen.add(id(popen))
        if getattr(popen, "pid", None) is None:
            continue  # no child was made
        codes.append(popen.wait())  # it exits on its own: the pipe it reads from is closed
        close = getattr(popen, "close", None)
        if close is not None:
            close()
    return codes
