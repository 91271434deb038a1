"""What the child's code reads (MP103): module globals and class attributes the child's functions read,
rebound by the parent at run time to a value a fresh import does not give.

Loaded at a watched process's first start (see :mod:`.hook`). Stdlib only.
"""

from __future__ import annotations

import sys

from .pickling import file_of
from .state import state
from .values import differs, names_in, plain_instance
from .where import installed, installed_or_stdlib, is_machinery_module, main_source, program_named, report, short
from .where import instructions as _instructions

TYPE_CHECKING = False  # not typing's: see mpcheck.expect
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Set, Tuple

    Location = Tuple[str, int]


def reads_of(
    functions: List[Any], limit: int = 200, visited: Optional[List[Any]] = None
) -> Tuple[List[Tuple[Any, str, Optional[str]]], Set[Tuple[int, str, Optional[str]]]]:
    """(globals dict, name, attribute) read by the functions' code, followed through the plain functions
    they call; and (id(globals dict), name, attribute) they store (an initializer that sets them again).
    Each code object read is appended to ``visited`` when given.

    The answer is kept for the same functions (a pool's tasks, a loop of starts of one target): it holds
    while each global its walk looked up is still the same object and each function still has its code."""
    key = (tuple(id(f) for f in functions), limit)
    kept = _walks.get(key)
    if kept is not None:
        same, looked_up, found = kept
        if (
            all(a is b for a, b in zip(same, functions))
            and all(f.__code__ is code for f, code in looked_up[0])
            and all(globs.get(name, _MISSING) is value for globs, name, value in looked_up[1])
        ):
            if visited is not None:
                visited.extend(found[2])
            return list(found[0]), set(found[1])
    codes: List[Any] = []
    reads, stores, looked_up = _walk(functions, limit, codes)
    _walks[key] = (tuple(functions), looked_up, (reads, stores, codes))
    if visited is not None:
        visited.extend(codes)
    return list(reads), set(stores)


#: (ids of the functions, limit) -> (the functions, what the walk looked up, its answer): see reads_of()
_walks: Dict[Any, Any] = {}
_MISSING = object()


def _walk(functions: List[Any], limit: int, visited: List[Any]) -> Any:
    import types

    reads: Set[Tuple[Any, str, Optional[str]]] = set()
    stores: Set[Tuple[int, str, Optional[str]]] = set()
    seen: Set[int] = set()
    todo = [(f, f.__globals__) for f in map(_function, functions) if isinstance(f, types.FunctionType)]
    classes = _classes_given(functions)
    codes_of = [(f, f.__code__) for f, _ in todo]
    looked_up: List[Tuple[Any, str, Any]] = []
    dicts: Dict[int, Any] = {}
    #: id of the code of a method of an object the child makes -> (its ``self``, the class's global name, the class)
    instances: Dict[int, Tuple[str, str, Any]] = {}
    while todo and len(seen) < limit:
        function, globs = todo.pop()
        codes = [function.__code__]
        while codes:
            code = codes.pop()
            if id(code) in seen:
                continue
            seen.add(id(code))
            visited.append(code)
            codes.extend(c for c in code.co_consts if isinstance(c, types.CodeType))
            given = classes.get(id(code))
            instance = instances.get(id(code))
            if given is None and instance is None and not any(name in globs for name in code.co_names):
                # every global it reads or stores is missing from its module (a builtin, a local's attribute):
                # nothing to check there, nothing to follow, no need to read its bytecode (unless one appears)
                looked_up.extend((globs, name, _MISSING) for name in code.co_names)
                continue
            previous: Optional[str] = None
            own: Optional[Tuple[str, Any]] = None  # the class of the object its ``self`` is, just loaded
            for opname, name in _instructions(code):
                if own is not None and opname in ("LOAD_ATTR", "LOAD_METHOD") and name:
                    # ``self.collect_dags(...)`` in the __init__ of a class the child makes: that class's method
                    # (airflow's DagBag, whose method the parent's mock.patch replaced), followed
                    held = inspect_static(own[1], name)
                    if callable(held) or isinstance(held, (classmethod, staticmethod)):
                        dicts[id(globs)] = globs
                        reads.add((id(globs), own[0], name))
                        method = _programs_method(own[1], name)
                        if (
                            method is not None
                            and method.__code__.co_argcount
                            and not isinstance(held, (classmethod, staticmethod))
                        ):
                            todo.append((method, method.__globals__))
                            codes_of.append((method, method.__code__))
                            instances[id(method.__code__)] = (method.__code__.co_varnames[0], *own)
                own = None
                if instance is not None and opname.startswith("LOAD_FAST") and name == instance[0]:
                    own = (instance[1], instance[2])
                    previous = None
                    continue
                if given is not None and opname.startswith("LOAD_FAST") and name == given[0]:
                    dicts[id(globs)] = globs
                    previous = given[1]  # a classmethod's ``cls``: the class, a global of its module
                    continue
                if opname in ("LOAD_GLOBAL", "LOAD_NAME") and name:
                    dicts[id(globs)] = globs
                    reads.add((id(globs), name, None))
                    value = globs.get(name, _MISSING)
                    looked_up.append((globs, name, value))
                    if isinstance(value, types.FunctionType) and not is_machinery_module(value.__module__ or ""):
                        todo.append((value, value.__globals__))
                        codes_of.append((value, value.__code__))
                    elif isinstance(value, type) and name in _called_by(code):
                        # ``Agent(name)``: the child makes an object of the program's class, and its __init__ reads
                        # what it reads (osbrain's agents read the module's config when they are made)
                        init = _programs_method(value, "__init__")
                        if init is not None:
                            todo.append((init, init.__globals__))
                            codes_of.append((init, init.__code__))
                            if init.__code__.co_argcount and init.__globals__.get(name) is value:
                                instances[id(init.__code__)] = (init.__code__.co_varnames[0], name, value)
                    previous = name
                    continue
                if opname in ("LOAD_ATTR", "LOAD_METHOD") and previous and name:
                    reads.add((id(globs), previous, name))
                    module = globs.get(previous)
                    method = _programs_method(module, name) if isinstance(module, type) else None
                    if method is not None and isinstance(module, type):
                        # ``FlashUtilities.check_tools()``: a classmethod of the program's class, whose ``cls.x``
                        # reads are that class's (meta-tegra#2231's flasher reads the paths its parent set)
                        todo.append((method, method.__globals__))
                        codes_of.append((method, method.__code__))
                        bound = isinstance(inspect_static(module, name), classmethod) and method.__code__.co_argcount
                        if bound and method.__globals__.get(module.__name__) is module:
                            classes[id(method.__code__)] = (method.__code__.co_varnames[0], module.__name__)
                    elif isinstance(module, types.ModuleType) and _programs_module(module):
                        # ``tmpfiles.get_tmp_filename(...)``: a function of another module of the program, followed
                        # as a global one is (ddSMT's task reads that module's run-time directory through it)
                        called = getattr(module, name, None)
                        if isinstance(called, types.FunctionType) and called.__module__ == module.__name__:
                            todo.append((called, called.__globals__))
                            codes_of.append((called, called.__code__))
                elif opname == "STORE_GLOBAL" and name:
                    stores.add((id(globs), name, None))
                elif opname == "STORE_ATTR" and previous and name:
                    stores.add((id(globs), previous, name))
                previous = None
    ordered = [(dicts[g], n, a) for g, n, a in sorted(reads, key=lambda r: (r[1], r[2] or ""))]
    return ordered, frozenset(stores), (codes_of, looked_up)


#: id of a code object -> the names its function calls (from its source)
_called: Dict[int, Set[str]] = {}


def _called_by(code: Any) -> Set[str]:
    """The names the function of ``code`` calls (``Agent(...)``, ``x.bind(...)``: ``Agent``, ``bind``), read from its
    source once; empty when the source cannot be read."""
    found = _called.get(id(code))
    if found is None:
        from . import source

        src = source.parse(code.co_filename)
        found = _called[id(code)] = src.calls_in(code.co_firstlineno) if src is not None else set()
    return found


def inspect_static(owner: type, name: str) -> Any:
    """``name`` as the class ``owner`` (or a base) defines it, without running a descriptor (a classmethod object
    stays one): None when none does."""
    for klass in owner.__mro__:
        if name in vars(klass):
            return vars(klass)[name]
    return None


def _programs_method(owner: type, name: str) -> Any:
    """The plain function of ``owner.name`` when it is a classmethod, staticmethod or function of a class of the
    program's own modules (None otherwise)."""
    import types

    raw = inspect_static(owner, name)
    function = raw.__func__ if isinstance(raw, (classmethod, staticmethod)) else raw
    if not isinstance(function, types.FunctionType):
        return None
    module = sys.modules.get(function.__module__ or "")
    if not program_named(function.__module__ or "") and (module is None or not _programs_module(module)):
        return None  # (the main script's is the program's also where a runner made it ``__main__``: the catalog's)
    from . import source

    src = source.parse(function.__code__.co_filename)
    if src is None or src.lazy_getter(function.__name__, function.__code__.co_firstlineno) is not None:
        return None  # a lazy getter (``Settings.get_instance()``): what it makes is judged by :mod:`.lazy`
    return function


def _programs_module(module: Any) -> bool:
    """Whether ``module`` is one of the program's own files: Python source, not the standard library's, not an
    installed package's, not mpcheck's or multiprocessing's."""
    filename = getattr(module, "__file__", None)
    return (
        isinstance(filename, str) and filename.endswith(".py") and not is_machinery_module(module.__name__)
        and not installed_or_stdlib(filename)
    )  # fmt: skip


def set_first(functions: List[Any], depth: int = 0) -> Set[Tuple[int, str, Optional[str]]]:
    """(id(globals dict), name, attribute) that a child's first functions (its target, its run()) store before
    their own code reads them: the child sets that state again itself, as an initializer would (``COUNT += 1``
    reads first, and is not one)."""
    import types

    found: Set[Tuple[int, str, Optional[str]]] = set()
    classes = _classes_given(functions)
    for function in map(_function, functions):
        if not isinstance(function, types.FunctionType):
            continue
        given = classes.get(id(function.__code__))
        if given is None and not any(name in function.__globals__ for name in function.__code__.co_names):
            continue  # what it stores is missing from its module: no read of it is checked (see _walk)
        loaded: Set[Tuple[str, Optional[str]]] = set()
        previous: Optional[str] = None
        for opname, name in _instructions(function.__code__):
            if given is not None and opname.startswith("LOAD_FAST") and name == given[0]:
                previous = given[1]
                continue
            if opname in ("LOAD_GLOBAL", "LOAD_NAME") and name:
                loaded.add((name, None))
                previous = name
                continue
            if opname in ("LOAD_ATTR", "LOAD_METHOD") and previous and name:
                loaded.add((previous, name))
                # ``Settings.configure(...)``: a classmethod of a class of its module, whose ``cls.attr = ...``
                # sets that class's attributes again before this code reads them
                for store in _classmethod_stores(function.__globals__.get(previous), name, depth):
                    if (store[1], store[2]) not in loaded:
                        found.add(store)
            elif opname == "STORE_GLOBAL" and name and (name, None) not in loaded:
                found.add((id(function.__globals__), name, None))
            elif opname == "STORE_ATTR" and previous and name and (previous, name) not in loaded:
                found.add((id(function.__globals__), previous, name))
            previous = None
    return found


def _classmethod_stores(owner: Any, name: str, depth: int) -> Set[Tuple[int, str, Optional[str]]]:
    """What :func:`set_first` finds for classmethod ``owner.name`` (nothing: no classmethod, or too deep)."""
    import inspect

    if depth >= 3 or not isinstance(owner, type):
        return set()
    try:
        found = inspect.getattr_static(owner, name, None)
    except Exception:
        return set()
    if not isinstance(found, classmethod):
        return set()
    return set_first([getattr(owner, name)], depth + 1)


def _function(function: Any) -> Any:
    """The plain function of a bound method (a classmethod given as a target or an initializer), or of a
    ``functools.partial`` (at's pool task ``partial(_atpass_one, None, nturns=...)``, whose function reads the
    global the parent set)."""
    import functools
    import types

    for _ in range(5):
        if not isinstance(function, functools.partial):
            break
        function = function.func
    return function.__func__ if isinstance(function, types.MethodType) else function


def called_object_parts(obj: Any) -> List[Any]:
    """What else runs when ``obj``, an object of a class of the program's (not a function), is a child's target or a
    pool's task: its class's ``__call__`` and the functions the object keeps (emcee's ``_FunctionWrapper``, whose
    ``__call__`` calls ``self.f``, the program's log-probability, which reads the global the parent set). Nothing
    for a function, or an object of the standard library's, an installed package's or mpcheck's."""
    import functools
    import types

    if obj is None or isinstance(obj, (types.FunctionType, types.MethodType, functools.partial, type)):
        return []
    call = next((vars(k)["__call__"] for k in type(obj).__mro__ if "__call__" in vars(k)), None)
    code = getattr(call, "__code__", None)
    if not isinstance(call, types.FunctionType) or code is None or installed_or_stdlib(code.co_filename):
        return []
    if is_machinery_module(call.__module__ or ""):
        return []
    kept = getattr(obj, "__dict__", None) or {}
    held = [v for v in kept.values() if isinstance(v, (types.FunctionType, types.MethodType, functools.partial))]
    return [call, *held]


def _classes_given(functions: List[Any]) -> Dict[int, Tuple[str, str]]:
    """id(code of a classmethod among the functions, bound to its class) -> (its ``cls`` parameter, the global
    name of that class in the method's module): ``cls.attr = ...`` there sets that global's attribute."""
    import types

    found: Dict[int, Tuple[str, str]] = {}
    for function in functions:
        if not (isinstance(function, types.MethodType) and isinstance(function.__self__, type)):
            continue
        plain, owner = function.__func__, function.__self__
        if not isinstance(plain, types.FunctionType) or not plain.__code__.co_argcount:
            continue
        if plain.__globals__.get(owner.__name__) is owner:
            found[id(plain.__code__)] = (plain.__code__.co_varnames[0], owner.__name__)
    return found


def _nothing_to_check(functions: List[Any]) -> bool:
    """The cheap test first (no bytecode read, no source parsed, neither ``dis`` nor ``ast`` imported): True
    when no global that any name of the functions' code could read (every name of their code counts,
    followed through the plain functions among them) is one :func:`check_state` would judge: a module of no
    Python source with no table among those names, a built-in class, or a global that is no table (see
    :mod:`.tables`) and whose module's text settles that nothing rebinds it at run time
    (:func:`.text.never_rebound`). False: not settled, read the code."""
    import types

    from .text import never_rebound

    todo = [f for f in map(_function, functions) if isinstance(f, types.FunctionType)]
    seen: Set[int] = set()
    while todo:
        function = todo.pop()
        if id(function) in seen:
            continue
        seen.add(id(function))
        if len(seen) > 200:
            return False
        globs = function.__globals__
        judged = not is_machinery_module(globs.get("__name__", "") or "")
        names = names_in(function.__code__)
        for name in names:
            if name not in globs:
                continue
            value = globs[name]
            if isinstance(value, types.FunctionType):
                if not is_machinery_module(value.__module__ or ""):
                    todo.append(value)
                continue
            if not judged:
                continue
            if isinstance(value, types.ModuleType):
                # its attributes the code reads: judged where it has Python source, a table in any case
                attrs = vars(value)
                source_file = attrs.get("__file__")
                if (isinstance(source_file, str) and source_file.endswith(".py")) or "__getattr__" in attrs:
                    return False
                if "__dict__" in names:
                    return False
                if any(_is_table(attrs.get(attr)) for attr in names):
                    return False
            elif isinstance(value, type):
                if value.__module__ != "builtins":
                    return False  # a class's attributes: ask the bytecode and the source
            elif (
                _is_table(value) or not never_rebound(globs.get("__file__"), name) or plain_instance(value)
                or _sync_kind(value) is not None
            ):  # fmt: skip
                return False
    return True


def _is_table(value: Any) -> bool:
    return isinstance(value, (dict, list, set)) and bool(value)


def check_state(
    functions: List[Any],
    initializer: Any,
    start: Optional[Location],
    sent: Optional[Tuple[Any, ...]] = None,
    package: str = "multiprocessing",
    forked: Any = None,
) -> None:
    """MP103: globals and class attributes the child's code reads that the parent rebound at run time, and
    tables it reads that the parent filled from a module the child does not import (:mod:`.tables`; ``sent``
    is what the child is sent, pickled, None when that is not known). ``forked``: for a pool's task, the state
    its fork workers were forked with (:mod:`.forked`); what changed since is missing under fork as well."""
    if state.mock_patches:
        check_patches([f for f in functions if f is not None], initializer, start, forked)
    if _nothing_to_check([f for f in (*functions, initializer) if f is not None]):
        return
    from . import source
    from .tables import check_tables

    codes: List[Any] = []
    reads, _ = reads_of([f for f in functions if f is not None], visited=codes)
    initializer_reads, restored = reads_of([initializer], visited=codes) if initializer is not None else ([], set())
    check_tables([*reads, *initializer_reads], codes, sent, package, start)
    restored = restored | set_first(functions)
    main_src = main_source()
    called: Set[str] = main_src.runtime_calls() if main_src is not None else set()
    from .forked import changed_since

    for globs, name, attribute in reads:
        if (id(globs), name, attribute) in restored or (attribute is None and (id(globs), name, None) in restored):
            continue
        if changed_since(forked, globs, name, attribute):
            continue
        module_name = globs.get("__name__", "")
        if is_machinery_module(module_name) or name not in globs:
            continue
        src = source.parse(globs.get("__file__"))
        if src is None:
            continue
        value = globs[name]
        if attribute is None:
            if _check_sync_object(src, module_name, name, value, called, start):
                continue
            _check_global(src, module_name, name, value, called, start)
            _check_mutated(src, module_name, name, value, called, start, codes)
        elif plain_instance(value):
            _check_instance(src, globs, name, value, attribute, called, start, codes)
        else:
            _check_attribute(src, globs, name, value, attribute, called, start, codes)
    from .lazy import check_lazy

    check_lazy(reads, codes, start)
    for globs, name, attribute in initializer_reads:
        # what an initializer reads of a module-level object (a global or class attribute it reads is judged
        # by the checks above only for the tasks and targets, as before)
        if attribute is None or (id(globs), name, attribute) in restored or name not in globs:
            continue
        if changed_since(forked, globs, name, attribute):
            continue
        value = globs[name]
        if is_machinery_module(globs.get("__name__", "")) or not plain_instance(value):
            continue
        src = source.parse(globs.get("__file__"))
        if src is not None:
            _check_instance(src, globs, name, value, attribute, called, start, codes)


def check_patches(functions: List[Any], initializer: Any, start: Optional[Location], forked: Any = None) -> None:
    """MP103 for an attribute a ``mock.patch`` of the parent holds replaced while a child starts (or a pool's task
    is sent) that the child's code reads: ``Config.load`` (``patch.object(Config, "load")``), ``module.func``
    (``patch("module.func")``; read as ``module.func``, or as ``func`` by the module's own code), a method of a
    class the child makes (airflow#8794: the DagFileProcessor child builds a ``DagBag``, whose ``collect_dags``
    the test patched). A fork child is a copy of the parent, patch included; a spawn or forkserver child imports
    the module afresh and runs the original. Not where the child's code (or its initializer) patches it itself,
    nor for the tasks of a pool whose fork workers were forked before the patch (they lack it too: ``forked``)."""
    import types

    from .forked import changed_since

    reads, stores = reads_of(functions)
    if initializer is not None:
        initializer_reads, initializer_stores = reads_of([initializer])
        reads, stores = [*reads, *initializer_reads], stores | initializer_stores
    for _, target, attribute, site in list(state.mock_patches.values()):
        if target is None or isinstance(target, (dict, list)):
            continue
        module = target if isinstance(target, types.ModuleType) else None
        hit = next(
            (
                (globs, name, read)
                for globs, name, read in reads
                if (read == attribute and globs.get(name, _MISSING) is target)
                or (module is not None and read is None and name == attribute and globs is vars(module))
            ),
            None,
        )
        if hit is None or (id(hit[0]), hit[1], hit[2]) in stores or changed_since(forked, *hit):
            continue
        owner = getattr(target, "__name__", None) or type(target).__name__
        where = owner if module is not None else getattr(target, "__module__", None) or owner
        report(
            "MP103",
            site or start,
            f"`{owner}.{attribute}` is replaced by a mock.patch while the child starts, and the child's code reads "
            f"it: a fork child is a copy with the patch, a spawn or forkserver child imports "
            f"{'the main script' if where == '__main__' else f'`{where}`'} afresh and runs the original",
            start,
        )


def _sync_kind(value: Any) -> Optional[str]:
    """What multiprocessing object ``value`` is (``Queue``, ``Lock``, ``Event``, ``Value``...), when a process shares
    it only by inheriting it (a pipe, semaphores, shared memory); None for anything else."""
    from ..methods import PROCESS_PACKAGES

    kind = type(value)
    package, _, module = (kind.__module__ or "").partition(".")
    if package not in PROCESS_PACKAGES:
        return None
    if module in ("queues", "synchronize"):
        return kind.__name__
    if module == "sharedctypes" and kind.__name__.startswith("Synchronized"):
        return "Array" if "Array" in kind.__name__ else "Value"
    return None


def _check_sync_object(
    src: Any, module: str, name: str, value: Any, called: Set[str], start: Optional[Location]
) -> bool:
    """MP120: a Queue, Lock, Event or Value the module's top-level code made, read by the child through its global
    (not bound again at run time): a spawn or forkserver child's import makes its own. Whether it was one."""
    what = _sync_kind(value)
    if what is None:
        return False
    if not program_named(module) and installed(src.path):
        return True  # an installed package's own object: what it does with it is the package's, not known here
    toplevel = src.toplevel.get(name, [])
    if not toplevel:
        return False  # bound only at run time (PasteHunter's queues, made in the main block): MP103's, as any global
    if len(toplevel) != 1 or src.runtime_sites(None, name, called):
        return True  # bound again somewhere: not the import's object alone
    line = toplevel[0][0]
    importing = (
        "re-imports the script as __mp_main__" if module in ("__main__", "__mp_main__") else f"imports `{module}`"
    )
    article = "an" if what[0] in "AEIOU" else "a"
    report(
        "MP120",
        (src.path, line),
        f"global `{name}` is {article} {what} made at import (line {line}); the child uses it through the global: a "
        f"spawn or forkserver child {importing} and makes its own, not the parent's",
        start,
    )
    return True


def _generator_kind(value: Any) -> Optional[str]:
    """What random generator ``value`` is, when a fork copies its state: a ``random.Random`` of the program's (not
    ``SystemRandom``, which keeps none; the ``random`` module's own is reseeded in each fork child), numpy's
    ``RandomState`` or ``Generator``."""
    kind = type(value)
    random = sys.modules.get("random")
    if random is not None and isinstance(value, random.Random):
        if isinstance(value, random.SystemRandom) or value is getattr(random, "_inst", None):
            return None
        return f"random.{kind.__name__}" if kind.__module__ == "random" else kind.__name__
    if (kind.__module__ or "").startswith("numpy.random") and kind.__name__ in ("RandomState", "Generator"):
        return f"numpy.random.{kind.__name__}"
    return None


def _reseeded(codes: List[Any]) -> Set[str]:
    """The globals whose ``seed()`` the code calls (``rng.seed()``): a generator the child reseeds itself."""
    found: Set[str] = set()
    for code in codes:
        previous: Optional[str] = None
        for opname, name in _instructions(code):
            if opname in ("LOAD_ATTR", "LOAD_METHOD") and name == "seed" and previous:
                found.add(previous)
            previous = name if opname in ("LOAD_GLOBAL", "LOAD_NAME") else None
    return found


def check_generators(functions: List[Any], initializer: Any, start: Optional[Location]) -> None:
    """MP121: a random generator a module's import made seeded from the OS (``rng = random.Random()``), which the
    child's code draws from through the global and never reseeds: a fork child starts from a copy of its state, so
    every child draws the same numbers. A spawn child's import seeds its own; so does a forkserver child's, unless
    its server made the script's (:data:`mpcheck.methods.SERVER_PRELOADS_MAIN`, the main script's context)."""
    codes: List[Any] = []
    reads, _ = reads_of([f for f in functions if f is not None], visited=codes)
    made = [(globs, name) for globs, name, _ in reads if _generator_kind(globs.get(name)) is not None]
    if not made:
        return
    if initializer is not None:
        reads_of([initializer], visited=codes)
        owner = getattr(initializer, "__self__", None)  # ``initializer=rng.seed``
        if owner is not None and getattr(initializer, "__name__", None) == "seed":
            made = [(globs, name) for globs, name in made if globs.get(name) is not owner]
    reseeded = _reseeded(codes)
    from ..methods import MAIN_SCRIPT
    from . import source

    for globs, name in made:
        module = globs.get("__name__", "") or ""
        if name in reseeded or is_machinery_module(module):
            continue
        src = source.parse(globs.get("__file__"))
        line = src.made_unseeded(name) if src is not None else None
        if src is None or line is None or src.runtime_sites(None, name, set()):
            continue  # seeded with a value (every import makes the same), or bound again at run time
        what = _generator_kind(globs[name])
        report(
            "MP121",
            (src.path, line),
            f"global `{name}` is a {what} seeded from the OS at import (line {line}); the child draws from it "
            "through the global and never reseeds it: a fork child starts from a copy of its state, so every child "
            "draws the same numbers",
            start,
            context=MAIN_SCRIPT if module in ("__main__", "__mp_main__") else None,
        )


def _check_global(src: Any, module: str, name: str, value: Any, called: Set[str], start: Optional[Location]) -> None:
    import types

    from . import source

    if isinstance(value, (types.ModuleType, types.FunctionType, type)):
        return
    toplevel = src.toplevel.get(name, [])
    sites = [line for line in src.runtime_sites(None, name, called) if not src.only_under_fork(line)]
    if not sites:
        return
    literals = [lit for _, lit in toplevel if lit is not source.NOT_LITERAL]
    is_main = module in ("__main__", "__mp_main__")
    importing = "re-imports the script as __mp_main__" if is_main else f"imports `{module}` afresh"
    if toplevel and literals and len(literals) == len(toplevel):
        if not any(differs(value, lit) for lit in literals):
            return  # what the run-time statement set equals what a fresh import gives
        before = f"import-time value {short(literals[-1])} (line {toplevel[-1][0]})"
    elif toplevel:
        before = f"the value its import-time code gives (line {toplevel[-1][0]})"
    else:
        before = "no value at all: the name is bound only at run time, so the child gets a NameError"
    report(
        "MP103",
        (src.path, sites[0]),
        f"global `{name}` is {short(value)}, set at run time (line {sites[0]}); the child reads it: a spawn or "
        f"forkserver child {importing} and sees {before}",
        start,
    )


def _check_mutated(
    src: Any, module: str, name: str, value: Any, called: Set[str], start: Optional[Location], codes: List[Any]
) -> None:
    """MP103 for a module-level list, dict or set bound to a literal (``set()`` included) on import and changed in
    place by run-time code only (``SETTINGS.update(...)``, ``NAMES.append(...)``, ``TABLE[key] = ...``,
    ``GROUPS.add(...)`` in the main guard, a function it calls, a test): not when the import changes it too, nor
    when the child's code does."""
    from . import source
    from .tables import changed_by

    if not isinstance(value, (dict, list, set)):
        return
    toplevel = src.toplevel.get(name, [])
    if len(toplevel) != 1:
        return
    line, literal = toplevel[0]
    if literal is source.NOT_LITERAL:
        # a dict display not all literal (osbrain's config): its literal entries, and its keys, still tell
        entries = src.dict_entries(name) if isinstance(value, dict) else None
        if entries is None or not isinstance(value, dict):
            return
        known, keys = entries
        if not (any(k not in value or differs(value[k], v) for k, v in known.items()) or set(value) - set(keys)):
            return
        literal = {k: known.get(k, "…") for k in keys}  # "…": an entry computed on import
    elif not differs(value, literal):
        return
    sites = src.runtime_mutations(name, called)
    if not sites or src.import_time_mutates(name) or changed_by(codes, (name,)):
        return
    importing = "re-imports the script as __mp_main__" if module in ("__main__", "__mp_main__") else (
        f"imports `{module}` afresh")  # fmt: skip
    report(
        "MP103",
        (src.path, sites[0]),
        f"global `{name}` is {short(value)}, changed in place at run time (line {sites[0]}); the child reads it: a "
        f"spawn or forkserver child {importing} and sees its import-time value {short(literal)} (line {line})",
        start,
    )


def _check_attribute(
    src: Any,
    globs: Dict[str, Any],
    owner: str,
    holder: Any,
    attribute: str,
    called: Set[str],
    start: Optional[Location],
    codes: List[Any],
) -> None:
    import types

    from . import source

    try:
        value = getattr(holder, attribute)
    except Exception:
        return
    if isinstance(holder, types.ModuleType):
        target_src = source.parse(getattr(holder, "__file__", None))
        key_literals = target_src.toplevel.get(attribute, []) if target_src else []
        defs = target_src.defs.get(attribute, []) if target_src else []
        what = f"`{owner}.{attribute}`"
    elif isinstance(holder, type):
        target_src = source.parse(file_of(holder))
        key_literals = target_src.class_attrs.get((holder.__name__, attribute), []) if target_src else []
        defs = []
        what = f"class attribute `{holder.__qualname__}.{attribute}`"
    else:
        return
    if target_src is None:
        return
    sites = src.runtime_sites(owner, attribute, called)
    main_src = main_source()
    if not sites and main_src is not None and main_src is not src:
        sites, src = main_src.runtime_sites(owner, attribute, called), main_src
    if not sites and target_src is not src and isinstance(holder, type):
        # the class's own methods (``cls.attribute = ...`` in a classmethod) that run-time code calls
        sites, src = target_src.runtime_sites(owner, attribute, called), target_src
    if not sites:
        if isinstance(holder, type) and not defs:
            _check_class_table(target_src, holder, attribute, value, key_literals, called, start, codes)
        return
    if defs:  # a function or class of the module: replaced?
        original = getattr(value, "__qualname__", None) == attribute and getattr(value, "__module__", None) == getattr(
            holder, "__name__", None
        )
        if original or getattr(value, "__qualname__", None) is None:
            return
        before = f"its own `{attribute}` (line {defs[0]})"
    elif not key_literals and _created_at_run_time(target_src, holder, owner, attribute):
        report(
            "MP103",
            (src.path, sites[0]),
            f"{what} is {short(value)}, created at run time (line {sites[0]}); the child's code reads it: a spawn "
            "or forkserver child imports afresh and has no such attribute (AttributeError)",
            start,
        )
        return
    else:
        literals = [lit for _, lit in key_literals if lit is not source.NOT_LITERAL]
        if not key_literals or len(literals) != len(key_literals):
            return
        if not any(differs(value, lit) for lit in literals):
            return
        before = f"the import-time value {short(literals[-1])} (line {key_literals[-1][0]})"
    report(
        "MP103",
        (src.path, sites[0]),
        f"{what} is {short(value)}, set at run time (line {sites[0]}); the child's code reads it: a spawn or "
        f"forkserver child imports afresh and sees {before}",
        start,
    )


def _created_at_run_time(src: Any, holder: Any, owner: str, attribute: str) -> bool:
    """Whether the class ``holder`` has ``attribute`` only because run-time code set it: it is in the class's own
    namespace, no base has it, the class body does not bind it, the class has no metaclass of its own (which
    could make it), and nothing its file's import runs binds it (deco#63: ``SingleRunResultKeeper.runInput``
    set in the main block, read by a ProcessPoolExecutor task: AttributeError under spawn and forkserver, run)."""
    if type(holder) is not type or attribute not in vars(holder):
        return False
    if any(attribute in vars(base) for base in holder.__mro__[1:]):
        return False
    return not src.import_time_attribute_binds(owner, attribute)


def _check_instance(
    src: Any,
    globs: Dict[str, Any],
    owner: str,
    holder: Any,
    attribute: str,
    called: Set[str],
    start: Optional[Location],
    codes: List[Any],
) -> None:
    """MP103 for an attribute of a module-level object of a plain class of the program (``config = Config()``
    on import), set at run time (``config.precision = 2`` in the main path) to a value a new instance does not
    have: a spawn or forkserver child re-imports the module and reads the value ``__init__`` or the class body
    gives. Silent where that value is not settled by the source (:meth:`.source.Source.instance_literal`),
    where the child's code hands the object on or calls its methods (what they do is not read), and where it
    names a function of the file that sets the attribute (it may set it again itself)."""
    import inspect

    from . import source

    cls = type(holder)
    own = vars(holder)
    if attribute not in own and attribute not in vars(cls):
        return
    static = inspect.getattr_static(cls, attribute, _MISSING)
    if static is not _MISSING and _is_descriptor(static):
        return  # a property's or a method's name: not a plain value
    made = src.instance_made_on_import(owner)
    if made is None or globs.get(made[1]) is not cls or cls.__qualname__ != cls.__name__:
        return
    class_src = source.parse(file_of(cls))
    if class_src is None:
        return
    known = class_src.instance_literal(cls.__name__, attribute)
    if known is None:
        return
    line, literal = known
    try:
        value = getattr(holder, attribute)
    except Exception:
        return
    if not differs(value, literal):
        return
    if _handled_otherwise(codes, owner, holder):
        return
    sites = src.runtime_sites(owner, attribute, called)
    setters = src.attribute_setters(owner, attribute)
    main_src = main_source()
    if not sites and main_src is not None and main_src is not src:
        sites, src = main_src.runtime_sites(owner, attribute, called), main_src
        setters |= main_src.attribute_setters(owner, attribute)
    if not sites:
        return
    names_read = {name for code in codes for name in code.co_names}
    if setters & names_read:
        return  # the child's code names a function that sets it: it may set it again itself
    report(
        "MP103",
        (src.path, sites[0]),
        f"`{owner}.{attribute}` is {short(value)}, set at run time (line {sites[0]}) on the module-level "
        f"`{cls.__name__}` object (line {made[0]}); the child's code reads it: a spawn or forkserver child imports "
        f"afresh, makes a new `{cls.__name__}`, and sees {short(literal)} (line {line})",
        start,
    )


def _is_descriptor(value: Any) -> bool:
    kind = type(value)
    return any(hasattr(kind, hook) for hook in ("__get__", "__set__", "__delete__"))


def _handled_otherwise(codes: List[Any], name: str, holder: Any) -> bool:
    """Whether the child's code (``codes``) does anything with global ``name`` (``holder``) but read or assign
    its plain attributes: hands it on (``f(config)``, ``vars(config)``, ``obj = config``) or calls its methods
    (``config.load(values)``), whose effect on it is not read here."""
    cls = type(holder)
    own = vars(holder)
    for code in codes:
        if name not in code.co_names:
            continue
        found = _instructions(code)
        for index, (opname, argument) in enumerate(found):
            if opname not in ("LOAD_GLOBAL", "LOAD_NAME") or argument != name:
                continue
            following, attribute = found[index + 1] if index + 1 < len(found) else ("", None)
            if following == "STORE_ATTR":
                continue
            if following not in ("LOAD_ATTR", "LOAD_METHOD") or attribute is None:
                return True
            if attribute in own:
                continue
            if attribute not in vars(cls) or _is_descriptor(vars(cls)[attribute]):
                return True
    return False


#: what a class defines to pickle its objects its own way (its class's state may go with them)
_PICKLE_HOOKS = ("__reduce__", "__reduce_ex__", "__getstate__", "__setstate__", "__getnewargs__", "__getnewargs_ex__")


def _class_value(cls: type, attribute: str) -> Optional[Tuple[type, Any]]:
    """The class of ``cls``'s MRO whose namespace holds ``attribute`` first, and the value there."""
    return next(((k, vars(k)[attribute]) for k in cls.__mro__ if attribute in vars(k)), None)


def _use_of(opname: str, argval: Any, name: str) -> Optional[str]:
    """How an instruction uses the local ``name``: "load" where it leaves it on top of the stack (``LOAD_FAST``,
    ``LOAD_DEREF``, and 3.13's ``LOAD_FAST_LOAD_FAST (a, name)`` and ``STORE_FAST_LOAD_FAST (p, name)``, 3.14's
    ``_BORROW`` forms), "other" where it stores, deletes or loads it under something else, None where it does not
    name it."""
    if isinstance(argval, tuple):
        if name in argval[:-1]:
            return "other"
        if not argval or argval[-1] != name:
            return None
        return "load" if opname.endswith(("LOAD_FAST", "LOAD_FAST_BORROW")) else "other"
    if argval != name:
        return None
    return "load" if opname.startswith(("LOAD_FAST", "LOAD_DEREF")) else "other"


#: the code objects a comprehension makes (3.11 and before; inlined since 3.12, PEP 709)
_COMPREHENSIONS = ("<listcomp>", "<setcomp>", "<dictcomp>", "<genexpr>")


def _self_reads(function: Any, obj: Any, followed: List[Any], depth: int = 0) -> Optional[List[str]]:
    """The class attributes (data, not methods) that method ``function`` of ``obj``'s class reads through its
    ``self`` (in its comprehensions too), following the methods it calls on it (three deep); None where it does
    anything else with ``self`` (hands it on, ``type(self)``, a property) or has a function of its own inside."""
    import dis
    import types

    if function in followed or depth > 3:
        return []
    followed.append(function)
    code = function.__code__
    if not code.co_argcount:
        return None
    me = code.co_varnames[0]
    codes = [code]
    for inner in codes:
        for const in inner.co_consts:
            if isinstance(const, types.CodeType):
                if const.co_name not in _COMPREHENSIONS:
                    return None  # a nested function or lambda: not read here
                codes.append(const)
    attributes: List[str] = []
    for inner in codes:
        found = [(i.opname, i.argval) for i in dis.get_instructions(inner)]
        for index, (opname, name) in enumerate(found):
            if opname in ("MAKE_CELL", "LOAD_CLOSURE"):  # (a comprehension's closure over it, 3.11)
                continue
            use = _use_of(opname, name, me)
            if use is None:
                continue
            if use != "load":
                return None  # rebound, deleted, handed on
            following, attribute = found[index + 1] if index + 1 < len(found) else ("", None)
            if following == "STORE_ATTR" or (isinstance(attribute, str) and attribute in vars(obj)):
                continue  # its own attributes: pickled with it
            if following not in ("LOAD_ATTR", "LOAD_METHOD") or not isinstance(attribute, str):
                return None  # handed on
            held = _class_value(type(obj), attribute)
            if held is None or (not isinstance(held[1], types.FunctionType) and _is_descriptor(held[1])):
                return None
            if isinstance(held[1], types.FunctionType):
                more = _self_reads(held[1], obj, followed, depth + 1)
                if more is None:
                    return None
                attributes += more
            else:
                attributes.append(attribute)
    return attributes


def check_arguments(target: Any, args: Any, kwargs: Any, start: Optional[Location]) -> None:
    """MP103 for a class attribute a child's target reads through an object it is given, an instance of a plain
    class of the program's (its bases too) that has no such attribute of its own: directly (``config.X``) or in
    the object's methods the target calls (``model.dfun()`` reading ``self.P``, neuronumba#28), set on the class at
    run time (``Config.X = 5`` in the main path; a classmethod's ``cls.P = ...``, on a subclass too) to a value other
    than the one the class bodies give it: the object is pickled with its own attributes only, and a spawn or
    forkserver child's classes are as importing left them. Silent where the target or a method it follows does
    anything with the object but read its attributes and call its methods (hands it on, rebinds it), where it calls
    a function of the program it does not follow (which may set the attribute again), where it sets the class
    attribute itself, or where the file's import may set it too."""
    import types

    if not isinstance(target, types.FunctionType):
        return
    code = target.__code__
    given: Dict[str, Any] = dict(zip(code.co_varnames[: code.co_argcount], args or ()))
    names = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
    given.update((name, value) for name, value in (kwargs or {}).items() if name in names)
    objects = {
        name: value
        for name, value in given.items()
        if plain_instance(value, bases=True)
        and not any(hook in vars(k) for k in type(value).__mro__[:-1] for hook in _PICKLE_HOOKS)
        and hasattr(value, "__dict__")
    }
    if not objects:
        return
    import dis

    reads: List[Tuple[str, str]] = []
    followed: List[Any] = []  # the methods read
    found = [(i.opname, i.argval) for i in dis.get_instructions(code)]
    for index, (opname, name) in enumerate(found):
        uses = {one: _use_of(opname, name, one) for one in list(objects)}
        for one in [one for one, use in uses.items() if use == "other"]:
            objects.pop(one)  # rebound, deleted, handed on, or a cell of a nested function: not followed
        name = next((one for one, use in uses.items() if use == "load"), None)
        if name is None:
            continue
        following, attribute = found[index + 1] if index + 1 < len(found) else ("", None)
        if following not in ("LOAD_ATTR", "LOAD_METHOD") or not isinstance(attribute, str):
            objects.pop(name)  # handed on
            continue
        if attribute in vars(objects[name]):
            continue
        held = _class_value(type(objects[name]), attribute)
        method = held[1] if held is not None and isinstance(held[1], types.FunctionType) else None
        via = _self_reads(method, objects[name], followed) if method is not None else None
        if via is not None:
            reads += [(name, one) for one in via]
        elif held is None or method is not None or _is_descriptor(held[1]):
            objects.pop(name)  # an attribute it lacks, a property, a method not followed
        else:
            reads.append((name, attribute))
    reads = [(name, attribute) for name, attribute in reads if name in objects]
    if not reads or any(isinstance(const, types.CodeType) for const in code.co_consts):
        return
    from . import source

    main_src = main_source()
    called: Set[str] = main_src.runtime_calls() if main_src is not None else set()
    restored = set_first([target])
    followed_names = {f.__name__ for f in followed}
    used = set(code.co_names).union(*(f.__code__.co_names for f in followed))
    for name, attribute in dict.fromkeys(reads):
        holder = objects[name]
        cls = type(holder)
        chain = cls.__mro__[:-1]
        if any(k.__qualname__ != k.__name__ for k in chain) or any(
            (id(target.__globals__), k.__name__, attribute) in restored for k in chain
        ):
            continue
        parsed = [source.parse(file_of(k)) for k in chain]
        sources = [src for k, src in zip(chain, parsed) if src is not None and k.__name__ in src.defs]
        held = _class_value(cls, attribute)
        if len(sources) != len(chain) or held is None:
            continue
        owner, value = held
        # what a fresh import gives: the first class body of the MRO that binds it
        bodies = [src.class_attrs.get((k.__name__, attribute), []) for k, src in zip(chain, sources)]
        in_body = next((found for found in bodies if found), [])
        if len(in_body) != 1 or in_body[0][1] is source.NOT_LITERAL:
            continue
        line, literal = in_body[0]
        if not differs(value, literal):
            continue
        sites: List[int] = []
        site_src = sources[0]
        for k, src in zip(chain, sources):
            for where in (src, main_src):
                if where is not None and not sites:
                    sites, site_src = where.runtime_sites(k.__name__, attribute, called), where
        if not sites or any(src.import_time_attribute_binds(k.__name__, attribute) for k, src in zip(chain, sources)):
            continue
        setters = {f for f, nodes in site_src.functions.items() for n in nodes
                   if getattr(n, "lineno", 0) <= sites[0] <= getattr(n, "end_lineno", 0)}  # fmt: skip
        if any(src.called_on_import(f) for src in sources for f in setters):
            continue  # the file's import calls the classmethod that sets it: a fresh import has it too
        programs = set().union(*(src.functions for src in sources))
        if main_src is not None:
            programs |= set(main_src.functions)
        target_src = source.parse(target.__globals__.get("__file__"))
        if target_src is not None:
            programs |= set(target_src.functions)
        if (programs & used) - followed_names:
            continue  # the target calls a function of the program not read here: it may set the attribute again
        through = "" if not followed else f" (in `{followed[0].__qualname__}()` and the methods it calls)"
        report(
            "MP103",
            (site_src.path, sites[0]),
            f"class attribute `{owner.__name__}.{attribute}` is {short(value)}, set at run time (line {sites[0]}); the "
            f"child's code reads it through `{name}`, a `{cls.__name__}` it is sent{through}: pickling carries the "
            f"object's own attributes, not its class's, and a spawn or forkserver child imports afresh and sees the "
            f"import-time value {short(literal)} (line {line})",
            start,
        )


def _check_class_table(
    class_src: Any,
    cls: type,
    attribute: str,
    value: Any,
    key_literals: List[Tuple[int, Any]],
    called: Set[str],
    start: Optional[Location],
    codes: List[Any],
) -> None:
    """MP103 for a class attribute holding a dict, list or set, bound in the class body to a literal once and
    changed in place only by run-time code (``cls.registry[name] = factory`` in a classmethod the main path
    calls, ``Registry.table.update(...)`` in the main guard), whatever its entries are: a spawn or forkserver
    child imports afresh and gets the class body's value. The class is plain (no base but ``object``, no
    metaclass, no ``__init_subclass__``); silent where its file's import changes it (a decorator that
    registers), where the child's code changes it itself (an initializer that installs the table), and where
    the main script does not show the change either."""
    from . import source
    from .tables import changed_by

    if not isinstance(value, (dict, list, set)) or len(key_literals) != 1:
        return
    line, literal = key_literals[0]
    if literal is source.NOT_LITERAL or not differs(value, literal):
        return
    if cls.__mro__ != (cls, object) or type(cls) is not type or "__init_subclass__" in vars(cls):
        return
    if cls.__qualname__ != cls.__name__ or class_src.import_time_attribute_mutates(cls.__name__, attribute):
        return
    if changed_by(codes, (attribute,)):
        return  # the child's own code changes it: what it reads is its own
    src = class_src
    sites = src.runtime_attribute_mutations(cls.__name__, attribute, called)
    main_src = main_source()
    if not sites and main_src is not None and main_src is not src:
        if main_src.import_time_attribute_mutates(cls.__name__, attribute):
            return
        sites, src = main_src.runtime_attribute_mutations(cls.__name__, attribute, called), main_src
    if not sites:
        return
    report(
        "MP103",
        (src.path, sites[0]),
        f"class attribute `{cls.__name__}.{attribute}` is {short(value)}, changed in place at run time (line "
        f"{sites[0]}); the child's code reads it: a spawn or forkserver child imports afresh and sees the "
        f"import-time value {short(literal)} (line {line})",
        start,
    )
