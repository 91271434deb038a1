"""What a pool's workers were forked with (MP103 for the tasks of a pool made earlier).

A ``Pool`` forks its workers when it is made, a ``ProcessPoolExecutor`` under fork at its first submit. A task
sent later runs, under fork, in a worker holding the parent's state as it was then, not as it is when the task
is sent: state the parent set in between is missing in a fork worker too. That is not a difference between the
start methods, and MP103 (which says a fork child sees it and a spawn or forkserver child does not) says
nothing of it.

:func:`take` is called when a process pool is made; :func:`changed_since` when its tasks are judged. Stdlib
only.
"""

from __future__ import annotations

import contextlib
import sys

from .where import installed_or_stdlib, is_machinery_module

TYPE_CHECKING = False  # not typing's: see mpcheck.expect
if TYPE_CHECKING:
    from typing import Any, Dict, Optional, Tuple

    #: id(a module's globals) -> (a copy of the globals then, for the program's own modules what each value
    #: held then: see _held(); None for the others)
    Snapshot = Dict[int, Tuple[Dict[str, Any], Optional[Dict[str, Any]]]]

_ATTRIBUTE = "_mpcheck_forked_with"
_PROGRAM_LIMIT = 10_000  # containers larger than this are compared by identity only


def take(pool: Any) -> None:
    """Keep on ``pool`` the state its fork workers get: every module's globals (a shallow copy), and for the
    program's own modules what their lists, dicts, sets, classes and plain objects held."""
    taken: Snapshot = {}
    for name, module in list(sys.modules.items()):
        globs = getattr(module, "__dict__", None)
        path = getattr(module, "__file__", None)
        if not isinstance(globs, dict) or not isinstance(path, str) or is_machinery_module(name):
            continue
        program = not installed_or_stdlib(path)
        copy = dict(globs)
        taken[id(globs)] = (copy, {key: _held(value) for key, value in copy.items()} if program else None)
    with contextlib.suppress(Exception):
        setattr(pool, _ATTRIBUTE, taken)


def taken_nothing(pool: Any) -> None:
    """Say on ``pool`` that nothing was taken for it (a pool the program chose to fork: its tasks are not
    judged)."""
    with contextlib.suppress(Exception):
        setattr(pool, _ATTRIBUTE, None)


def taken_for(pool: Any) -> Optional[Snapshot]:
    return getattr(pool, _ATTRIBUTE, None)


def _held(value: Any) -> Any:
    """What a container held (by identity), or a class's or an object's own attributes; None otherwise."""
    import types

    if type(value) in (list, set, frozenset, tuple):
        return tuple(value) if len(value) <= _PROGRAM_LIMIT else None
    if type(value) is dict:
        return tuple(x for item in value.items() for x in item) if len(value) <= _PROGRAM_LIMIT else None
    if isinstance(value, (types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.MethodType)):
        return None
    try:
        held = vars(value)
        return dict(held) if len(held) <= _PROGRAM_LIMIT else None
    except Exception:  # no __dict__, or a property of that name that raises
        return None


def changed_since(taken: Optional[Snapshot], globs: Dict[str, Any], name: str, attribute: Optional[str]) -> bool:
    """Whether ``name`` (or its ``attribute``) of the module with globals ``globs`` is not what the pool's fork
    workers were given: bound later, rebound, changed in place (a container of the program's module), or an
    attribute set since (a class or object of the program's module). False where that is not known."""
    if taken is None:
        return False
    then = taken.get(id(globs))
    if then is None:
        return False
    values, holds = then
    if name not in values:
        return True
    now = globs.get(name, _MISSING)
    if now is not values[name]:
        return True
    if attribute is not None and isinstance(now, type(sys)):  # `module.name`: that module's own global
        return changed_since(taken, vars(now), attribute, None)
    held = holds.get(name) if holds is not None else None
    if held is None:
        return False
    if isinstance(held, dict):  # a class's or an object's attributes
        if attribute is None:
            return False
        before = held.get(attribute, _MISSING)
        after = _held(now)
        return not isinstance(after, dict) or after.get(attribute, _MISSING) is not before
    after = _held(now)
    return not isinstance(after, tuple) or len(after) != len(held) or any(a is not b for a, b in zip(after, held))


_MISSING = object()
