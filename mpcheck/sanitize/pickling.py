"""Pickling as spawn would (MP101, MP108): does the process object, or a pool task's function, reach a
spawn child?

Loaded at a watched process's first start (see :mod:`.hook`). Stdlib only.
"""

from __future__ import annotations

import sys

from .state import PACKAGES, state
from .text import defined_at_top
from .where import in_stdlib, installed_or_stdlib, main_source, report, short

TYPE_CHECKING = False  # not typing's: see mpcheck.expect
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Tuple

    Location = Tuple[str, int]


class _SpawningPopen:
    """What pickling reducers ask of the Popen of a spawn start: file descriptors to pass on."""

    @staticmethod
    def duplicate_for_child(fd: int) -> int:
        return fd

    @staticmethod
    def DupFd(fd: int) -> int:  # multiprocessing's name
        return fd


#: multiprocessing's own sharing objects pickle for a child of their context: stand-ins here, since this
#: run made them for its own method (a fork context's Lock or Value refuses a spawn child, rightly)
_SHARED_MODULES = ("synchronize", "connection", "queues", "heap", "sharedctypes", "managers", "shared_memory")


def _placeholder() -> None:
    return None


def _is_shared(obj: Any) -> bool:
    module = type(obj).__module__ or ""
    package, _, rest = module.partition(".")
    return package in PACKAGES and rest.split(".")[0] in _SHARED_MODULES


def by_reference_problem(obj: Any) -> Optional[str]:
    """Why a spawn child could not find this function, method or class by name, or None."""
    private = private_method(obj)
    if private is not None:
        return private
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    if not isinstance(module, str) or not isinstance(qualname, str):
        return None
    if "<lambda>" in qualname:
        return "a lambda has no name a child can look up"
    if "<locals>" in qualname:
        return f"`{qualname}` is local to a function: a child cannot look it up by name"
    named = _named(obj, module, qualname)
    if named is not None:
        return named
    top = qualname.split(".")[0]
    if module in ("__main__", "__mp_main__"):
        if defined_at_top(obj):
            return None  # (the text settles the plain case: no ast)
        src = main_source()
        if src is not None and top not in src.toplevel:
            bound = src.guard_bindings(top)
            if bound or src.in_guard(_code_line(obj) or 0):
                return (
                    f"`{qualname}` is defined in the main guard: a spawn child re-imports the script as "
                    "__mp_main__, where the guard does not run"
                )
        return None
    if not _importable(module):
        return f"its module `{module}` cannot be imported by name in a child (not on sys.path)"
    return None


def _named(obj: Any, module: str, qualname: str) -> Optional[str]:
    """Why a plain function or a class is not what its module and name give, or None: pickle looks it up so,
    and a child finds nothing (a namedtuple or class made inside a function without ``<locals>`` in its name:
    katdal's ``CPInfo``) or another object (a decorator's wrapper bound to the decorated name:
    task-multiprocess's; pickle says "it's not the same object")."""
    import types

    if not isinstance(obj, (types.FunctionType, type)):
        return None  # a bound method is made anew at each lookup, a builtin has its own reducer
    holder: Any = sys.modules.get(module)
    filename = getattr(holder, "__file__", None)
    if not filename or installed_or_stdlib(filename):
        return None  # the program's own code only (not a builtin module's: PyPy's `_thread.lock` class is found
        #              by no name), and mpcheck stands in for some of multiprocessing's classes
    for part in qualname.split("."):
        holder = getattr(holder, part, _MISSING)
        if holder is _MISSING:
            return (
                f"`{qualname}` is not found by its name in `{module}` (made inside a function): a child cannot find it"
            )
    if holder is not obj:
        return (
            f"`{module}.{qualname}` names another object (a decorator's wrapper, or the name bound again): a child "
            "that looks it up by name gets that one, and pickle refuses it"
        )
    return None


_MISSING = object()


def _program_class_problem(cls: type) -> Optional[str]:
    """:func:`by_reference_problem` of a class of the program's own code (its module's file outside the standard
    library and installed packages): not a generator's or a lock's type, which pickle refuses for what they are."""
    module = sys.modules.get(getattr(cls, "__module__", "") or "")
    filename = getattr(module, "__file__", None) or ""
    if not filename or installed_or_stdlib(filename):
        return None
    return by_reference_problem(cls)


def private_method(obj: Any) -> Optional[str]:
    """Why a bound method with a private (name-mangled) name cannot be rebuilt in a child, or None:
    multiprocessing's reducer for methods looks it up on its object by its ``__name__``, ``__work``, but the
    class keeps it as ``_Runner__work`` (AttributeError when the child unpickles it: CPython 3.9 to 3.15.2,
    PyPy 7.3.11 to 8.0.1, the catalog's private_method_target)."""
    func = getattr(obj, "__func__", None)
    owner = getattr(obj, "__self__", None)
    qualname = getattr(func if func is not None else obj, "__qualname__", None)
    if not isinstance(qualname, str) or "<locals>" in qualname or "." not in qualname:
        return None
    cls_name, name = qualname.rsplit(".", 1)
    if not name.startswith("__") or name.endswith("__"):
        return None
    mangled = f"_{cls_name.rsplit('.', 1)[-1].lstrip('_')}{name}"
    if func is None or owner is None or hasattr(owner, name):
        # a private staticmethod is a plain function pickled by its qualified name: PicklingError before 3.15,
        # whose pickle mangles private names (python/cpython#77188); multiprocessing's own reducer for bound
        # methods (reduction.py, _reduce_method) still looks a method up by its plain name there
        # (something answering to the plain name, a __getattr__ or an alias, finds it)
        return None
    return (
        f"a private method: pickle looks `{name}` up on its object by that name, which the class keeps as "
        f"`{mangled}` (AttributeError in a spawn or forkserver child)"
    )


def _code_line(obj: Any) -> Optional[int]:
    code = getattr(obj, "__code__", None)
    if code is None:
        init = getattr(obj, "__init__", None)
        code = getattr(init, "__code__", None)
    return getattr(code, "co_firstlineno", None)


def _importable(module: str) -> bool:
    top = module.split(".")[0]
    if top not in state.importable:
        state.importable[top] = _find(top)
    return state.importable[top]


def _find(top: str) -> bool:
    """Whether a fresh interpreter with this sys.path finds module ``top`` (sys.modules not consulted)."""
    if top in sys.builtin_module_names:
        return True
    for finder in sys.meta_path:
        find = getattr(finder, "find_spec", None)
        if find is None or type(finder).__module__ == "mpcheck.startup":
            continue
        try:
            if find(top, None) is not None:
                return True
        except Exception:
            continue
    return False


def _pickle_problem(obj: Any, reduction: Any, context: Any) -> Optional[Tuple[Any, str]]:
    """(the object at fault, why) when ``obj`` would not reach a spawn child, else None."""
    import io

    pickler = _pickler(reduction)(io.BytesIO(), 4)
    previous = context.get_spawning_popen()
    context.set_spawning_popen(_SpawningPopen())
    try:
        pickler.dump(obj)
    except Exception as exc:  # whatever pickling raises is what a spawn start would raise
        return obj, f"{type(exc).__name__}: {exc}".splitlines()[0]
    finally:
        context.set_spawning_popen(previous)
    return pickler.flagged[0] if pickler.flagged else None


#: the copy of multiprocessing's reduction module -> its pickler as spawn would pickle, made once
_picklers: Dict[Any, Any] = {}


def _pickler(reduction: Any) -> Any:
    """A ForkingPickler that stands in for multiprocessing's sharing objects and flags the functions and
    classes a spawn child could not find by name (in ``flagged``)."""
    made = _picklers.get(reduction)
    if made is None:
        import types

        # multiprocess's (dill) and cloudpickle-based picklers carry lambdas and local functions by value: what
        # they cannot pickle, dump() raises itself; only by-reference pickling is second-guessed here
        by_value = _by_value(reduction.ForkingPickler)

        class Pickler(reduction.ForkingPickler):
            def __init__(self, *args: Any) -> None:
                super().__init__(*args)
                self.flagged: List[Tuple[Any, str]] = []

            def reducer_override(self, value: Any) -> Any:
                if _is_shared(value):
                    if getattr(value, "closed", False) is True:  # a closed Connection: spawn cannot send it
                        raise OSError("handle is closed")
                    return _placeholder, ()
                if not by_value and isinstance(value, (types.FunctionType, type, types.MethodType)):
                    why = by_reference_problem(value)
                    if why is not None:
                        self.flagged.append((value, why))
                        return _placeholder, ()
                return NotImplemented

        made = _picklers[reduction] = Pickler
    return made


#: the picklers that carry functions and classes by value, not by name
_BY_VALUE = frozenset({"dill", "cloudpickle"})


def _by_value(pickler: type) -> bool:
    """Whether ``pickler`` is (made from) dill's or cloudpickle's, which carry functions by value."""
    return any((getattr(cls, "__module__", None) or "").split(".")[0] in _BY_VALUE for cls in pickler.__mro__)


def pickles_by_value(package: str) -> bool:
    """Whether the process package's own pickler carries functions by value (multiprocess: dill)."""
    pickler = getattr(sys.modules.get(f"{package}.reduction"), "ForkingPickler", None)
    return isinstance(pickler, type) and _by_value(pickler)


def _children(label: str, obj: Any) -> List[Tuple[str, Any]]:
    import functools
    import types

    if isinstance(obj, (tuple, list)):
        return [(f"{label}[{i}]", v) for i, v in enumerate(obj)]
    if isinstance(obj, dict):
        return [(f"{label}[{k!r}]", v) for k, v in obj.items()]
    if isinstance(obj, functools.partial):
        return [(f"{label}.func", obj.func), (f"{label}.args", obj.args), (f"{label}.keywords", obj.keywords)]
    if isinstance(obj, types.MethodType):
        if private_method(obj) is not None:
            return []  # the method itself is what a child cannot find
        return [(f"{label}.__self__", obj.__self__), (f"{label}.__func__", obj.__func__)]
    if isinstance(obj, (types.FunctionType, type, types.ModuleType)):
        return []
    attrs = getattr(obj, "__dict__", None)
    if isinstance(attrs, dict):
        return [(f"{label}.{k}", v) for k, v in attrs.items()]
    return []


def _locate(label: str, obj: Any, reduction: Any, context: Any, depth: int = 0) -> Optional[Tuple[str, Any, str]]:
    """The innermost part of ``obj`` that would not reach a spawn child: (path, object, why); the object is a
    function pickled by reference found on the way where that is what fails."""
    problem = _pickle_problem(obj, reduction, context)
    if problem is None:
        return None
    if depth < 6:
        for child_label, child in _children(label, obj):
            found = _locate(child_label, child, reduction, context, depth + 1)
            if found is not None:
                return found
    return label, problem[0], problem[1]


#: Process attributes of the machinery, not of the user's subclass
_PROCESS_ATTRS = {
    "_config",
    "_parent_pid",
    "_parent_name",
    "_popen",
    "_closed",
    "_target",
    "_name",
    "_args",
    "_kwargs",
    "_identity",
    "_sentinel",
    "_start_method",
    "_mpcheck_nodeid",
    "_mpcheck_late_env",
    "_mpcheck_sigterm",
    "_mpcheck_logging",
    "_mpcheck_logs_itself",
    "_mpcheck_loguru",
    "_mpcheck_parent",
    "_daemonic",
    "_tempdir",
    "_counter",
    "_children",
}
#: (target module, target name) -> names of its positional arguments, for the path shown
WORKERS: Dict[Tuple[Any, Any], Tuple[str, ...]] = {
    ("multiprocessing.pool", "worker"): (
        "Pool inqueue",
        "Pool outqueue",
        "Pool(initializer=...)",
        "Pool(initargs=...)",
    ),
    ("concurrent.futures.process", "_process_worker"): (
        "executor call queue",
        "executor result queue",
        "ProcessPoolExecutor(initializer=...)",
        "ProcessPoolExecutor(initargs=...)",
    ),
}


def _process_parts(process: Any) -> List[Tuple[str, Any]]:
    target = getattr(process, "_target", None)
    names = WORKERS.get((getattr(target, "__module__", None), getattr(target, "__name__", None)), ())
    parts: List[Tuple[str, Any]] = [("target", target)]
    for i, arg in enumerate(getattr(process, "_args", ()) or ()):
        parts.append((names[i] if i < len(names) else f"args[{i}]", arg))
    for key, value in (getattr(process, "_kwargs", {}) or {}).items():
        parts.append((f"kwargs[{key!r}]", value))
    for key, value in vars(process).items():
        if key not in _PROCESS_ATTRS:
            parts.append((f"self.{key}", value))
    return parts


def check_pickling(process: Any, package: str, start: Optional[Location]) -> None:
    reduction = sys.modules.get(f"{package}.reduction")
    context = sys.modules.get(f"{package}.context")
    if reduction is None or context is None or not hasattr(context, "set_spawning_popen"):
        return
    if _pickle_problem(process, reduction, context) is None:
        return
    # The process object pickles with its class, by name, before anything it holds: a Process subclass
    # defined in a function (a test's own) is what a spawn or forkserver start fails on first.
    cls = type(process)
    why = None if pickles_by_value(package) else by_reference_problem(cls)
    if why is not None:
        report("MP101", class_definition(cls) or start, f"the process's class {short(cls)}: {why}", start)
        return
    for label, part in _process_parts(process):
        found = _locate(label, part, reduction, context)
        if found is None:
            continue
        path, culprit, why = found
        function_like = callable(culprit) and (hasattr(culprit, "__code__") or isinstance(culprit, type))
        of_class = None if function_like or pickles_by_value(package) else _program_class_problem(type(culprit))
        if function_like and _stdlib_internal(culprit):
            # a function the standard library keeps inside one of its objects (os.environ's encoders, local to
            # os._createenviron): the object is what the program hands over (ypkg#145), not a function of its own
            where = _attribute_site(process, path) or start
            evidence = f"{path} ({short(culprit)}, inside an object of the standard library's) does not pickle: {why}"
            report("MP108", where, evidence, start)
        elif function_like and by_reference_problem(culprit) is not None:
            where = definition(culprit) or start
            evidence = f"{path}: {short(culprit)}: {why}"
            report("MP101", where, evidence, start)
        elif of_class is not None:  # an object of a class a child cannot find by name (katdal's local namedtuple)
            where = class_definition(type(culprit)) or start
            report("MP101", where, f"{path}: an object of {short(type(culprit))}: {of_class}", start)
        else:
            where = _attribute_site(process, path) or start
            evidence = f"{path} ({type(culprit).__module__}.{type(culprit).__qualname__}) does not pickle: {why}"
            report("MP108", where, evidence, start)
        return


def _stdlib_internal(obj: Any) -> bool:
    """Whether a function or class is the standard library's own (its file, or a frozen module of it)."""
    return in_stdlib(getattr(getattr(obj, "__code__", None), "co_filename", None) or file_of(obj) or "")


def definition(obj: Any) -> Optional[Location]:
    """Where a function or class is defined."""
    filename = getattr(getattr(obj, "__code__", None), "co_filename", None) or file_of(obj)
    line = _code_line(obj)
    return (filename, line) if filename and line else None


def class_definition(cls: type) -> Optional[Location]:
    """Where a class is defined (its ``class`` statement, a local one's too: inspect finds it by qualified
    name), or None."""
    filename = file_of(cls)
    line = getattr(cls, "__firstlineno__", None)  # 3.13+
    if filename and line is None:
        import inspect

        try:
            line = inspect.getsourcelines(cls)[1]
        except (OSError, TypeError, IndexError):
            return None
    return (filename, line) if filename and line else None


def file_of(obj: Any) -> Optional[str]:
    module = sys.modules.get(getattr(obj, "__module__", "") or "")
    return getattr(module, "__file__", None)


def _attribute_site(process: Any, path: str) -> Optional[Location]:
    """Where a Process subclass assigns the attribute at fault (``self.db = ...``)."""
    if not path.startswith("self."):
        return None
    from . import source

    attribute = path[5:].split(".")[0].split("[")[0]
    for cls in type(process).__mro__:
        src = source.parse(file_of(cls))
        if src is not None:
            lines = src.self_assignments(cls.__name__, attribute)
            if lines:
                return (src.path, lines[0])
    return None
