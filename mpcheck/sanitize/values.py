"""What the checks of :mod:`.reads` and :mod:`.lazy` ask of a value or a code object.

Loaded at a watched process's first start. Stdlib only.
"""

from __future__ import annotations

from .where import is_machinery_module

TYPE_CHECKING = False  # not typing's: see mpcheck.expect
if TYPE_CHECKING:
    from typing import Any, Dict, FrozenSet, Optional


def _plain_class(cls: type) -> bool:
    """A class of the program's with no metaclass and none of the attribute hooks of its own (see
    :func:`plain_instance`)."""
    if type(cls) is not type:
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


def plain_instance(value: Any, bases: bool = False) -> bool:
    """``value`` is an instance of a plain class of the program: no base but ``object`` (``bases``: or bases that are
    plain classes of the program too), no metaclass, none of ``__getattr__``, ``__getattribute__``, ``__setattr__``,
    ``__delattr__``, ``__slots__`` of its own, defined in a Python file that is the program's (not the standard
    library's, nor an installed package's)."""
    chain = type(value).__mro__[:-1]
    if not chain or type(value).__mro__[-1] is not object or (len(chain) != 1 and not bases):
        return False
    return all(_plain_class(cls) for cls in chain)


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
