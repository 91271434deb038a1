"""Tables the child's code reads that the parent filled in place (MP103): a module-level dict, list or set
(or a module's or class's attribute holding one) with an entry that a module of the program put there, where
that module is one a spawn or forkserver child never imports.

A registry filled by a decorator (``@task`` puts the function in ``TASKS``) is filled wherever the module of
the decorated functions is imported. A fork child is a copy of the parent and has every entry. A spawn child
imports the script again as ``__mp_main__`` (outside its main guard), the modules of what it is sent (the
target, its arguments, pickled by reference) and what those import; a forkserver child, what its server
imported (the script, the preloaded modules) and what it is sent. A module the parent imported otherwise (a
test module pytest collected, a plugin the main guard imported) is never imported there: its entries are
missing and the child's lookup fails.

Said only where it is certain: the entry is a function or class of the program's own code (not the standard
library's or an installed package's), the imports from every module the child imports are followed through
the program's own files (statically, ``import`` statements outside main guards; a file that imports by a name
computed at run time, ``importlib.import_module(name)``, leaves it undecided), and the child's own code
neither imports anything that could bring the module in nor changes the table itself (the child sets it
again). Undecided is silent.

Loaded at a watched process's first start (see :mod:`.hook`). Stdlib only.
"""

from __future__ import annotations

import os
import sys

from .where import installed_or_stdlib, is_machinery_module, program_named, report, short

TYPE_CHECKING = False  # not typing's: see mpcheck.expect
if TYPE_CHECKING:
    from typing import Any, Dict, Iterable, List, Optional, Set, Tuple

    Location = Tuple[str, int]

#: methods that change a table in place: a child whose code names one on the table sets it itself
_MUTATORS = frozenset(
    ("update", "setdefault", "append", "add", "extend", "insert", "__setitem__", "register", "clear", "pop",
     "popitem", "remove", "discard")
)  # fmt: skip
#: how many entries of a table are looked at, how many objects the child is sent are looked at
_ENTRIES = 1000


class Undecided(Exception):
    """What the child imports cannot be told with certainty: nothing is reported."""


class Parts(tuple):
    """What a pool's worker is sent for a task, each part pickled alone: a part that does not pickle is a
    callback that stays in the parent, or fails the task under every method (a pool always pickles tasks)."""


def check_tables(
    reads: List[Tuple[Any, str, Optional[str]]],
    codes: List[Any],
    sent: Optional[Tuple[Any, ...]],
    package: str,
    start: Optional[Location],
) -> None:
    """MP103: the tables among ``reads`` (what the child's code, ``codes``, reads) holding an entry of a module
    the child does not import. ``sent``: what the child is sent (pickled by reference), None when unknown."""
    tables = [found for found in (_table(*read) for read in reads) if found is not None]
    if not tables or sent is None:
        return
    try:
        candidates = []
        for label, table, names in tables:
            if changed_by(codes, names):
                continue  # the child's own code fills or changes it: what it reads is its own
            entries = _foreign_entries(table)
            if entries:
                candidates.append((label, table, entries))
        if not candidates:
            return
        roots = _child_roots(reads, codes, sent, package)
        imported = _closure(roots)
    except Undecided:
        return
    keys = _keys_sent(sent)
    for label, table, entries in candidates:
        missing = [(key, obj, module) for key, obj, module in entries if module not in imported]
        missing.sort(key=lambda entry: not (isinstance(entry[0], (str, int)) and entry[0] in keys))  # its own first
        if missing:
            _report(label, table, missing, start)


def _keys_sent(sent: Tuple[Any, ...]) -> Set[Any]:
    """The strings and numbers among what the child is sent, two levels deep (deco's task is sent its function's
    name, ``concWrapper`` with ``[f_name, args, kwargs]``): the keys it may look a table up by."""
    import itertools

    def items(value: Any) -> Iterable[Any]:
        return itertools.islice(value, _ENTRIES) if isinstance(value, (list, tuple)) else (value,)

    return {
        inner for part in sent for value in items(part) for inner in items(value)
        if isinstance(inner, (str, int)) and not isinstance(inner, bool)
    }  # fmt: skip


def _table(globs: Any, name: str, attribute: Optional[str]) -> Optional[Tuple[str, Any, Tuple[str, ...]]]:
    """(how the child names it, the table, the names its code reads it by) for a read of a table."""
    import types

    if is_machinery_module(globs.get("__name__", "") or "") or name not in globs:
        return None
    value = globs[name]
    if attribute is None:
        table, label = value, f"`{name}`"
    elif isinstance(value, (types.ModuleType, type)):
        try:
            table = getattr(value, attribute)
        except Exception:
            return None
        label = f"`{name}.{attribute}`"
    else:
        return None
    if not isinstance(table, (dict, list, set)) or not table:
        return None
    return label, table, (name,) if attribute is None else (name, attribute)


def changed_by(codes: List[Any], names: Tuple[str, ...]) -> bool:
    """True when a code object of the child names the table and changes something in place (``T[k] = v``,
    ``T.update(...)``, ``del T[k]``): the child may fill it itself."""
    from .where import instructions as _instructions

    last = names[-1]
    for code in codes:
        if last not in code.co_names:
            continue
        if _MUTATORS.intersection(code.co_names):
            return True
        if any(op in ("STORE_SUBSCR", "DELETE_SUBSCR") for op, _ in _instructions(code)):
            return True
    return False


def _foreign_entries(table: Any) -> List[Tuple[Any, Any, str]]:
    """(key, function or class, its module) of the entries that are a function or class of the program's own
    code (or wrap one: ``functools.wraps``, ``functools.partial``)."""
    import functools
    import types

    items = list(table.items())[:_ENTRIES] if isinstance(table, dict) else [(None, v) for v in list(table)[:_ENTRIES]]
    found = []
    for key, value in items:
        obj = value
        if isinstance(obj, functools.partial):
            obj = obj.func
        if not isinstance(obj, (types.FunctionType, type)):
            obj = getattr(obj, "__wrapped__", None)
        if not isinstance(obj, (types.FunctionType, type)):
            continue
        module = getattr(obj, "__module__", None)
        if not isinstance(module, str) or module in ("__main__", "__mp_main__"):
            continue  # the script's: a spawn child re-imports it
        if module in sys.modules and _program_file(module):
            found.append((key, obj, module))
    return found


def _child_roots(
    reads: List[Tuple[Any, str, Optional[str]]], codes: List[Any], sent: Tuple[Any, ...], package: str
) -> Set[str]:
    """The modules a spawn or forkserver child imports by itself: the script, the fork server's preloaded
    modules, site customisation, the modules of what it is sent, of the code it runs and what that code
    imports."""
    roots = {"sitecustomize", "usercustomize"} & set(sys.modules)
    main = sys.modules.get("__main__")
    if getattr(main, "__file__", None):
        roots.add("__main__")
    forkserver = sys.modules.get(f"{package}.forkserver")
    server = getattr(forkserver, "_forkserver", None)
    preload = getattr(server, "_preload_modules", None) or ()
    roots.update(name for name in preload if isinstance(name, str))
    roots.update(sent_modules(sent, package))
    roots.update(globs.get("__name__", "") or "" for globs, _, _ in reads)
    roots.update(_code_imports(codes))
    return {name for name in roots if name and name != "__mp_main__"}


def _code_imports(codes: List[Any]) -> Set[str]:
    """Modules the child's code imports as it runs (``import x`` inside a function)."""
    import dis

    from .source import DYNAMIC_IMPORTS

    found: Set[str] = set()
    for code in codes:
        if code.co_name in DYNAMIC_IMPORTS or DYNAMIC_IMPORTS.intersection(code.co_names):
            raise Undecided  # (an initializer that is importlib.import_module itself, too)
        if "IMPORT_NAME" not in {op for op, _ in _ops(code)}:
            continue
        consts: List[Any] = []
        for instruction in dis.get_instructions(code):
            if instruction.opname == "LOAD_CONST":
                consts.append(instruction.argval)
            elif instruction.opname == "IMPORT_NAME":
                level = consts[-2] if len(consts) >= 2 else None
                if level != 0 or not isinstance(instruction.argval, str):
                    raise Undecided  # a relative import inside a function: resolved against what, exactly?
                found.add(instruction.argval)
                fromlist = consts[-1]
                if isinstance(fromlist, tuple):
                    found.update(f"{instruction.argval}.{n}" for n in fromlist if isinstance(n, str) and n != "*")
    return found


def _ops(code: Any) -> List[Tuple[str, Optional[str]]]:
    from .where import instructions as _instructions

    return _instructions(code)


def sent_modules(sent: Tuple[Any, ...], package: str) -> Set[str]:
    """The modules of the functions, classes and objects pickled when the child is sent ``sent`` (a spawn child
    imports each to unpickle it)."""
    import io
    import types

    reduction = sys.modules.get(f"{package}.reduction")
    context = sys.modules.get(f"{package}.context")
    if reduction is None or context is None or not hasattr(context, "set_spawning_popen"):
        raise Undecided
    from .pickling import _is_shared, _placeholder, _SpawningPopen

    modules: Set[str] = set()

    class Recorder(reduction.ForkingPickler):  # type: ignore[name-defined]
        def reducer_override(self, value: Any) -> Any:
            if _is_shared(value):
                return _placeholder, ()
            if isinstance(value, (types.FunctionType, type, types.BuiltinFunctionType)):
                modules.add(getattr(value, "__module__", None) or "")
            else:
                modules.add(type(value).__module__ or "")
            return NotImplemented

    previous = context.get_spawning_popen()
    context.set_spawning_popen(_SpawningPopen())
    try:
        for part in sent if isinstance(sent, Parts) else (sent,):
            try:
                Recorder(io.BytesIO(), 4).dump(part)
            except Exception:
                if not isinstance(sent, Parts):
                    raise Undecided from None  # it does not pickle: MP101/MP108 say so, not this
    finally:
        context.set_spawning_popen(previous)
    return modules


def _program_file(name: str) -> Optional[str]:
    """The source file of module ``name`` when it is the program's own code (not the standard library's, an
    installed package's, the machinery's); None when it is not, or is no module at all. Raises
    :class:`Undecided` for the program's own module whose source cannot be read."""
    module = sys.modules.get(name)
    if module is not None:
        path = getattr(module, "__file__", None)
    else:
        spec = _spec(name)
        path = spec.origin if spec is not None and getattr(spec, "has_location", False) else None
    if not isinstance(path, str) or not _is_program(name, path):
        return None
    if not path.endswith(".py"):
        raise Undecided
    return path


def _is_program(name: str, path: str) -> bool:
    if program_named(name):
        return True
    return not is_machinery_module(name) and not installed_or_stdlib(os.path.abspath(path))


#: module name -> the spec a fresh import finds (only those found: sys.path may grow, a module not found
#: now may be found later)
_specs: Dict[str, Any] = {}


def _spec(name: str) -> Any:
    """The spec a fresh import of ``name`` finds, without importing anything (None: not found)."""
    if name in _specs:
        return _specs[name]
    parent = name.rpartition(".")[0]
    path = None
    if parent:
        module = sys.modules.get(parent)
        if module is not None:
            path = getattr(module, "__path__", None)
        else:
            parent_spec = _spec(parent)
            path = getattr(parent_spec, "submodule_search_locations", None) if parent_spec is not None else None
        if path is None:
            return None  # the parent is no package: `name` is an attribute, not a module
    for finder in sys.meta_path:
        find = getattr(finder, "find_spec", None)
        if find is None or type(finder).__module__ == "mpcheck.startup":
            continue
        try:
            spec = find(name, path)
        except Exception:
            raise Undecided from None
        if spec is not None:
            _specs[name] = spec
            return spec
    return None


def _closure(roots: Iterable[str]) -> Set[str]:
    """The modules importing ``roots`` imports, followed through the program's own files."""
    from . import source

    seen: Set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if not name or name in seen:
            continue
        seen.add(name)
        parent = name.rpartition(".")[0]
        if parent:
            todo.append(parent)  # a package's __init__ runs first
        if name == "__main__":
            main = sys.modules.get("__main__")
            path: Optional[str] = getattr(main, "__file__", None)
            package = getattr(main, "__package__", None) or ""
            src = source.parse(path, script=True)
        else:
            path = _program_file(name)
            if path is None:
                continue  # the standard library and installed packages import no module of the program by name
            package = name if os.path.basename(path) == "__init__.py" else parent
            src = source.parse(path)
        if src is None:
            raise Undecided
        statements, dynamic = src.imports()
        if dynamic:
            raise Undecided
        for statement in statements:
            todo.extend(_resolve(statement, package))
    return seen


def _resolve(statement: Any, package: str) -> List[str]:
    """The module names an import statement may import (``from p import x``: ``p`` and, if a module, ``p.x``)."""
    level, module, names, _ = statement
    if level:
        parts = package.split(".") if package else []
        if level - 1 >= len(parts):
            raise Undecided
        base = ".".join(parts[: len(parts) - (level - 1)])
        module = f"{base}.{module}" if module else base
    if not module:
        raise Undecided
    return [module, *(f"{module}.{name}" for name in names or ())]


def _report(label: str, table: Any, missing: List[Tuple[Any, Any, str]], start: Optional[Location]) -> None:
    from .pickling import definition
    from .where import main_source

    key, obj, module = missing[0]
    site = _runtime_import_site(module) or definition(obj)
    if site is None:
        return
    entry = f"{short(key)}: " if key is not None else ""
    others = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
    main = main_source()
    if main is not None and site[0] == main.path and site != definition(obj):
        how = f"put there when the main guard imported `{module}` at run time"
    else:
        how = f"put there by the import of `{module}` (which the parent imported: a test runner, a plugin loader)"
    report(
        "MP103",
        site,
        f"{label} holds {entry}{obj.__module__}.{obj.__qualname__}{others}, {how}; the child reads {label}: a spawn "
        f"or forkserver child imports only the script and what it is sent, never `{module}`, and its {label} "
        "lacks the entry",
        start,
    )


def _runtime_import_site(module: str) -> Optional[Location]:
    """The main script's run-time import of ``module`` (or of a package holding it), where there is one."""
    from .where import main_source

    src = main_source()
    if src is None:
        return None
    main = sys.modules.get("__main__")
    package = getattr(main, "__package__", None) or ""
    for statement in src.runtime_imports():
        try:
            names = _resolve(statement, package)
        except Undecided:
            continue
        if any(module == name or module.startswith(name + ".") for name in names):
            return (src.path, statement[3])
    return None
