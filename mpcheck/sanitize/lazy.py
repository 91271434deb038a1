"""MP103 through a lazy getter: state the child reaches through a function that makes an object on first use.

``get_instance()`` returns the object a class attribute (or a global) holds, and makes it when that is still
None. The parent called it at run time and changed the object since (``args.batch_size = 8``). A fork child
gets the parent's object; a spawn or forkserver child finds the attribute None and makes a fresh one, with the
values its ``__init__`` gives. The getter stores the attribute itself, so the check of a global or class
attribute the child sets again (:func:`.reads.check_state`) says nothing of it: this module does.

Said only where the source settles it: the getter is ``if X is None: X = SomeClass(...)`` then ``return X``,
``X`` bound to None on import, the getter not called on import, the object a plain class's whose ``__init__``
gives a literal for an attribute the object now holds another value of, and the child's code naming no other
function that sets ``X``. Loaded at a watched process's first start, with :mod:`.reads`. Stdlib only.
"""

from __future__ import annotations

import inspect
import types

from .pickling import file_of
from .values import differs, names_in, plain_instance
from .where import is_machinery_module, report, short

TYPE_CHECKING = False  # not typing's: see mpcheck.expect
if TYPE_CHECKING:
    from typing import Any, List, Optional, Set, Tuple

    Location = Tuple[str, int]


def check_lazy(reads: List[Tuple[Any, str, Optional[str]]], codes: List[Any], start: Optional[Location]) -> None:
    """``reads``: what the child's code reads (:func:`.reads.reads_of`); ``codes``: the code objects it runs."""
    named: Set[str] = set()
    for code in codes:
        named |= names_in(code)
    seen: Set[int] = set()
    for globs, name, attribute in reads:
        value = globs.get(name)
        getter, owner = None, None
        if attribute is None and isinstance(value, types.FunctionType):
            getter = value
        elif attribute is not None and isinstance(value, type):
            static = inspect.getattr_static(value, attribute, None)
            if isinstance(static, (staticmethod, classmethod)) and isinstance(static.__func__, types.FunctionType):
                getter, owner = static.__func__, value
        if getter is None or id(getter) in seen or is_machinery_module(getter.__module__ or ""):
            continue
        seen.add(id(getter))
        _check_getter(getter, owner, named, start)


def _check_getter(
    getter: Any,
    owner: Any,
    named: Set[str],
    start: Optional[Location],
) -> None:
    from . import source

    src = source.parse(getter.__code__.co_filename)
    found = src.lazy_getter(getter.__name__, getter.__code__.co_firstlineno) if src is not None else None
    if src is None or found is None or src.called_on_import(getter.__name__):
        return
    written, name, made, store_line = found
    if written is None:
        holder: Any = None
        held = getter.__globals__.get(name)
        bindings = src.toplevel.get(name, [])
        setters = src.global_setters(name)
        shown = f"`{name}`"
    else:
        holder = owner if owner is not None and written not in getter.__globals__ else getter.__globals__.get(written)
        if not isinstance(holder, type):
            return
        stored = name
        if name.startswith("__") and not name.endswith("__") and "." in getter.__qualname__:
            stored = f"_{getter.__qualname__.split('.')[-2].lstrip('_')}{name}"  # a private name, as Python mangles it
        held = vars(holder).get(stored)
        bindings = src.class_attrs.get((holder.__name__, name), [])
        setters = src.attribute_setters(holder.__name__, name) | src.attribute_setters(written, name)
        shown = f"`{holder.__name__}.{name}`"
    if held is None or len(bindings) != 1 or bindings[0][1] is not None:
        return  # never made; or what a fresh import binds it to is not None alone
    if type(held).__name__ != made or not plain_instance(held) or named & (setters - {getter.__name__}):
        return  # another class's object; or the child's code may set it again itself
    class_src = source.parse(file_of(type(held)))
    if class_src is None:
        return
    for attribute, value in vars(held).items():
        fresh = class_src.instance_literal(type(held).__name__, attribute)
        if fresh is not None and differs(value, fresh[1]):
            report(
                "MP103",
                (src.path, store_line),
                f"`{getter.__qualname__}()` returns the `{made}` the parent made at run time and changed since "
                f"(`{attribute}` is {short(value)}); a spawn or forkserver child finds {shown} None "
                f"(line {bindings[0][0]}) and makes a fresh one (`{attribute}` = {short(fresh[1])}, line {fresh[0]})",
                start,
            )
            return
