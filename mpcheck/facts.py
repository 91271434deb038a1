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
