"""What the checks of :mod:`.reads` and :mod:`.lazy` ask of a value or a code object.

Loaded at a watched process's first start. Stdlib only.
"""

from __future__ import annotations

from .where import is_machinery_module

TYPE_CHECKING = False  # not typing's: see mpcheck.expect
if TYPE_CHECKING:
    from typing import Any, Dict, FrozenSet, Optional


def plain_instance(value: Any) -> bool:
    """``value`` is an instance of a plain class of the program: no base but ``object``, no metaclass, none of
    ``__getattr__``, ``__getattribute__``, ``__setattr__``, ``__delattr__``, ``__slots__`` of its own, defined in a
    Python file that is the program's (not the standard library's, nor an installed package's)."""
    cls = type(value)
    if len(cls.__mro__) != 2 or type(cls) is not type:
        return False
    import sys

    path = getattr(sys.modules.get(cls.__module__ or ""), "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return False  # builtins, an extension's classes
    attrs = vars(cls)
    if any(hook in attrs for hook in ("__getattr__", "__getattribute__", "__setattr__", "__delattr__", "__slots__")):
        return False
    if is_machinery_module(cls.__module__ or ""):
        return False  # (multiprocessing's own objects: a Queue given to a target; tables is not imported)
    from .tables import _is_program

    return _is_program(cls.__module__, path)


#: a code object -> the names of it and of the code objects inside it
_code_names: Dict[Any, FrozenSet[str]] = {}


def names_in(code: Any) -> FrozenSet[str]:
    """The names a code object and the code objects inside it use."""
    found = _code_names.get(code)
    if found is None:
        names = set(code.co_names)
        for const in code.co_consts:
            if hasattr(const, "co_names"):
                names |= names_in(const)
        found = _code_names[code] = frozenset(names)
    return found


def differs(value: Any, literal: Any) -> Optional[bool]:
    """Whether ``value`` is not ``literal`` (another type, or unequal); None where comparing raised."""
    try:
        return bool(type(value) is not type(literal) or value != literal)
    except Exception:
        return None
