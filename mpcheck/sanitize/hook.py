"""The sanitizer inside every Python process of a watched command: at each process start, what would the
other start methods do differently?

Installed at interpreter start-up by the ``.pth`` line where ``$MPCHECK_SANITIZE`` names a folder (and by
``pytest --mp-sanitize`` in its own process). Each process appends its findings to
``FOLDER/findings-PID.jsonl``, one JSON object a line; :mod:`mpcheck.sanitize.findings` reads them,
removes repeats and ties each to its pitfall in :mod:`mpcheck.pitfalls` (here only the code is known:
importing the table would cost every Python start).

The checks, each a pitfall of the table and a catalog scenario that proves it:

- MP101/MP108: the process object (target, arguments, initializer, a subclass's attributes) is pickled
  as spawn would pickle it, with a stand-in for the spawning Popen so that Locks, Queues and pipes
  pickle as they would; a function that pickles by reference but that a spawn child cannot find (a
  lambda, a local function, one defined in the main guard, one of a module the child cannot import) is
  MP101; any other object that does not pickle, MP108. Pool and executor tasks' functions too.
- MP102: a start while the main script's top-level code, outside its main guard, is running.
- MP103: a module global or class attribute that the child's code reads (its bytecode, followed through
  the functions it calls), rebound at run time (a statement of the main guard, or a function run-time
  code calls) to a value other than the one a fresh import gives; a module function or class replaced
  at run time. Not when the child's initializer sets it again.
- MP105: log records a fork child emits through handlers the parent configured at run time, counted
  in the child (a spawn or forkserver child's root logger has none of them).
- MP106: environment variables the parent changed after its first process start that a later child
  reads (a fork server keeps the environment it started with).
- MP107: a Python signal handler of the parent that runs in a fork child (not reset there); under the
  other methods, one installed when the child started, for a signal the parent then sends it.
- MP109: a process start in a process made by ``os.fork()`` after its parent had started processes.
- MP110: a ``sys.path`` entry that is not a ``str`` at a start (the fork server's command line).
- MP111 (before 3.13): an ``atexit`` handler registered in a child that then ends normally.
- MP112: other threads alive at a start (a fork copies only the thread that forks).
- MP113: ``set_start_method()`` called by the main script's top-level code outside its guard (a spawn
  child re-imports the script and calls it again; a forkserver child too, where its server does not
  preload the script).

What cannot be decided is not reported. No check changes what the program does: every check is
wrapped, and an error inside one is dropped. Stdlib only.
"""

from __future__ import annotations

import os
import sys

from ..startup import when_imported

TYPE_CHECKING = False  # not typing's: see mpcheck.expect
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Set, Tuple

    Location = Tuple[str, int]

ENV = "MPCHECK_SANITIZE"
#: the copies of multiprocessing whose process starts are watched too
PACKAGES = ("multiprocessing", "multiprocess", "billiard")
IMPORTING = ["spawn", "forkserver"]
#: from 3.13.8 and 3.14.1 the fork server imports the main script itself, once, before it sets any start
#: method (gh-126631, GH-135295): its children find the script imported and do not run it again (the
#: scenarios missing_main_guard and set_start_method_import_time prove it; mpcheck.expect.server_preloads_main
#: says the same for expectations, which this stdlib-only hook does not import)
SERVER_PRELOADS_MAIN = (3, 13, 8) <= sys.version_info[:3] < (3, 14) or sys.version_info[:3] >= (3, 14, 1)
#: module prefixes that are the machinery, never the code to blame
_MACHINERY = (
    "multiprocessing",
    "multiprocess",
    "billiard",
    "concurrent.futures",
    "mpcheck.",
    "_pytest",
    "pytest",
    "pluggy",
    "execnet",
    "xdist",
    "importlib",
    "runpy",
    "threading",
    "logging",
    "unittest",
    "atexit",
)
#: threads these start reset themselves after a fork (a Queue's feeder, a Pool's handlers) or belong to the
#: test runner (pytest-xdist's execnet): not the program's threads
_INTERNAL_THREADS = (
    "multiprocessing",
    "multiprocess",
    "billiard",
    "concurrent.futures.process",
    "mpcheck.",
    "execnet",
    "xdist",
    "_pytest",
)
#: the test runner's own packages (its logging capture handlers are not the program's)
_RUNNER = ("_pytest", "pytest", "pluggy", "xdist", "execnet", "mpcheck")
_STDLIB = os.path.dirname(os.__file__)


class _State:
    def __init__(self) -> None:
        self.folder: Optional[str] = None
        self.pid = 0
        self.busy = False
        self.starts = 0
        #: env keys changed after the first start -> where
        self.late_env: Dict[str, Location] = {}
        #: handler id -> (handler, logger name, where it was added at run time)
        self.runtime_handlers: Dict[int, Tuple[Any, str, Location]] = {}
        #: signal number -> where its Python handler was installed
        self.signal_sites: Dict[int, Location] = {}
        #: set in a process made by os.fork(): where, and how many starts its parent had made
        self.os_forked: Optional[Tuple[Location, int]] = None
        #: in a child of multiprocessing: the test that started it, the atexit handlers it registered
        self.in_child = False
        self.child_nodeid: Optional[str] = None
        self.child_atexit: List[Location] = []
        self.child_configured_logging = False
        #: logging.basicConfig() called by logging itself (logging.info() with no handler)
        self.implicit_logging = False
        self.reported: Set[Tuple[str, str, int, Optional[str]]] = set()


_state = _State()


# --- where things happen --------------------------------------------------------------------------


def _is_machinery(frame: Any) -> bool:
    name = frame.f_globals.get("__name__", "") or ""
    if name == "__main__" or name == "__mp_main__":
        return False
    if _is_machinery_module(name):
        return True
    filename = frame.f_code.co_filename
    return filename.startswith(_STDLIB) and "site-packages" not in filename and "dist-packages" not in filename


def _user_frame(frame: Any = None) -> Any:
    """The innermost frame of the program's own code (not the stdlib, multiprocessing or mpcheck)."""
    frame = frame or sys._getframe(1)
    while frame is not None and _is_machinery(frame):
        frame = frame.f_back
    return frame


def _where(frame: Any = None) -> Optional[Location]:
    found = _user_frame(frame or sys._getframe(1))
    return (found.f_code.co_filename, found.f_lineno) if found is not None else None


def _program_site(frame: Any) -> Optional[Location]:
    """Where the program itself did what is happening now: the first frame outside the standard library
    (``os.environ.update()``, ``logging.basicConfig()`` are the program's), or None when that frame is
    the machinery's (a test runner's own logging handlers and environment variables)."""
    while (
        frame is not None
        and not _is_program(frame)
        and (frame.f_code.co_filename.startswith(_STDLIB) or frame.f_globals.get("__name__") == __name__)
    ):
        frame = frame.f_back
    if frame is None or _is_machinery(frame):
        return None
    return (frame.f_code.co_filename, frame.f_lineno)


def _is_program(frame: Any) -> bool:
    return frame.f_globals.get("__name__") in ("__main__", "__mp_main__")


def _nodeid() -> Optional[str]:
    if _state.in_child:
        return _state.child_nodeid
    current = os.environ.get("PYTEST_CURRENT_TEST")
    return current.rsplit(" (", 1)[0] if current else None


def _main_source() -> Any:
    from . import source

    main = sys.modules.get("__main__")
    return source.parse(getattr(main, "__file__", None))


def _main_toplevel_frame() -> Any:
    """The main script's frame running its top-level code, if it is on the stack."""
    main = sys.modules.get("__main__")
    frame: Any = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "<module>" and main is not None and frame.f_globals is vars(main):
            return frame
        frame = frame.f_back
    return None


def _at_import_time() -> bool:
    """True while a module's top-level code runs (an import, or the main script outside its guard)."""
    main = sys.modules.get("__main__")
    frame: Any = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "<module>":
            if main is not None and frame.f_globals is vars(main):
                if not getattr(main, "__file__", None):
                    return False  # `python -c`, a REPL, a worker's bootstrap: no child re-runs this code
                src = _main_source()
                return src is None or not src.in_guard(frame.f_lineno)
            module = sys.modules.get(frame.f_globals.get("__name__", "") or "")
            if module is not None and vars(module) is frame.f_globals and not _is_machinery(frame):
                return True  # a module's import (not code exec'd in a namespace of its own)
        frame = frame.f_back
    return False


# --- findings -------------------------------------------------------------------------------------


def _write(record: Dict[str, Any]) -> None:
    if not _state.folder:
        return
    import json

    try:
        with open(os.path.join(_state.folder, f"findings-{os.getpid()}.jsonl"), "a", encoding="utf-8") as fh:
            fh.write(json.dumps(record) + "\n")
    except (OSError, TypeError, ValueError):
        pass


def report(
    code: str,
    where: Optional[Location],
    evidence: str,
    start: Optional[Location] = None,
    methods: Optional[List[str]] = None,
    once: bool = True,
) -> None:
    """Record a hazard of pitfall ``code`` caused at ``where`` (once per process, place and test: a Pool
    kept across tests is the hazard of every test that uses it, each parametrization included)."""
    if where is None:
        return
    key = (code, where[0], where[1], _nodeid())
    if once and key in _state.reported:
        return
    _state.reported.add(key)
    _write(
        {
            "kind": "hazard",
            "code": code,
            "file": os.path.abspath(where[0]),
            "line": where[1],
            "start": [os.path.abspath(start[0]), start[1]] if start else None,
            "evidence": evidence,
            "methods": methods,
            "nodeid": _nodeid(),
            "pid": os.getpid(),
            "child": _state.in_child,
        }
    )


def _display(path: str) -> str:
    """A path as the user would name it: relative to the current folder when inside it."""
    try:
        shown = os.path.relpath(path)
    except ValueError:
        return path
    return path if shown.startswith("..") else shown


def _debug() -> None:
    """With ``$MPCHECK_SANITIZE_DEBUG`` set, a check's own error is printed (else it is dropped)."""
    if os.environ.get("MPCHECK_SANITIZE_DEBUG"):
        import traceback

        traceback.print_exc()


def _short(value: Any, limit: int = 80) -> str:
    try:
        text = repr(value)
    except Exception:
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- pickling as spawn would (MP101, MP108) -------------------------------------------------------


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


def _by_reference_problem(obj: Any) -> Optional[str]:
    """Why a spawn child could not find this function or class by name, or None."""
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    if not isinstance(module, str) or not isinstance(qualname, str):
        return None
    if "<lambda>" in qualname:
        return "a lambda has no name a child can look up"
    if "<locals>" in qualname:
        return f"`{qualname}` is local to a function: a child cannot look it up by name"
    top = qualname.split(".")[0]
    if module in ("__main__", "__mp_main__"):
        src = _main_source()
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


def _code_line(obj: Any) -> Optional[int]:
    code = getattr(obj, "__code__", None)
    if code is None:
        init = getattr(obj, "__init__", None)
        code = getattr(init, "__code__", None)
    return getattr(code, "co_firstlineno", None)


_importable_cache: Dict[str, bool] = {}


def _importable(module: str) -> bool:
    top = module.split(".")[0]
    if top not in _importable_cache:
        _importable_cache[top] = _find(top)
    return _importable_cache[top]


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
    import types

    flagged: List[Tuple[Any, str]] = []

    class Pickler(reduction.ForkingPickler):
        def reducer_override(self, value: Any) -> Any:
            if _is_shared(value):
                return _placeholder, ()
            if isinstance(value, (types.FunctionType, type)):
                why = _by_reference_problem(value)
                if why is not None:
                    flagged.append((value, why))
                    return _placeholder, ()
            return NotImplemented

    previous = context.get_spawning_popen()
    context.set_spawning_popen(_SpawningPopen())
    try:
        Pickler(io.BytesIO(), 4).dump(obj)
    except Exception as exc:  # whatever pickling raises is what a spawn start would raise
        return obj, f"{type(exc).__name__}: {exc}".splitlines()[0]
    finally:
        context.set_spawning_popen(previous)
    return flagged[0] if flagged else None


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
        return [(f"{label}.__self__", obj.__self__), (f"{label}.__func__", obj.__func__)]
    if isinstance(obj, (types.FunctionType, type, types.ModuleType)):
        return []
    attrs = getattr(obj, "__dict__", None)
    if isinstance(attrs, dict):
        return [(f"{label}.{k}", v) for k, v in attrs.items()]
    return []


def _locate(label: str, obj: Any, reduction: Any, context: Any, depth: int = 0) -> Optional[Tuple[str, Any, str]]:
    """The innermost part of ``obj`` that would not reach a spawn child: (path, object, why)."""
    problem = _pickle_problem(obj, reduction, context)
    if problem is None:
        return None
    if problem[0] is not obj:  # a function pickled by reference, found on the way
        inner = problem[0]
        if depth < 6:
            for child_label, child in _children(label, obj):
                found = _locate(child_label, child, reduction, context, depth + 1)
                if found is not None:
                    return found
        return label, inner, problem[1]
    if depth < 6:
        for child_label, child in _children(label, obj):
            found = _locate(child_label, child, reduction, context, depth + 1)
            if found is not None:
                return found
    return label, obj, problem[1]


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
    "_mpcheck_parent",
    "_daemonic",
    "_tempdir",
    "_counter",
    "_children",
}
#: (target module, target name) -> names of its positional arguments, for the path shown
_WORKERS: Dict[Tuple[Any, Any], Tuple[str, ...]] = {
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
    names = _WORKERS.get((getattr(target, "__module__", None), getattr(target, "__name__", None)), ())
    parts: List[Tuple[str, Any]] = [("target", target)]
    for i, arg in enumerate(getattr(process, "_args", ()) or ()):
        parts.append((names[i] if i < len(names) else f"args[{i}]", arg))
    for key, value in (getattr(process, "_kwargs", {}) or {}).items():
        parts.append((f"kwargs[{key!r}]", value))
    for key, value in vars(process).items():
        if key not in _PROCESS_ATTRS:
            parts.append((f"self.{key}", value))
    return parts


def _check_pickling(process: Any, package: str, start: Optional[Location]) -> None:
    reduction = sys.modules.get(f"{package}.reduction")
    context = sys.modules.get(f"{package}.context")
    if reduction is None or context is None or not hasattr(context, "set_spawning_popen"):
        return
    if _pickle_problem(process, reduction, context) is None:
        return
    for label, part in _process_parts(process):
        found = _locate(label, part, reduction, context)
        if found is None:
            continue
        path, culprit, why = found
        function_like = callable(culprit) and (hasattr(culprit, "__code__") or isinstance(culprit, type))
        if function_like and _by_reference_problem(culprit) is not None:
            where = _definition(culprit) or start
            evidence = f"{path}: {_short(culprit)}: {why}"
            report("MP101", where, evidence, start)
        else:
            where = _attribute_site(process, path) or start
            evidence = f"{path} ({type(culprit).__module__}.{type(culprit).__qualname__}) does not pickle: {why}"
            report("MP108", where, evidence, start)
        return


def _definition(obj: Any) -> Optional[Location]:
    """Where a function or class is defined."""
    filename = getattr(getattr(obj, "__code__", None), "co_filename", None) or _file_of(obj)
    line = _code_line(obj)
    return (filename, line) if filename and line else None


def _file_of(obj: Any) -> Optional[str]:
    module = sys.modules.get(getattr(obj, "__module__", "") or "")
    return getattr(module, "__file__", None)


def _attribute_site(process: Any, path: str) -> Optional[Location]:
    """Where a Process subclass assigns the attribute at fault (``self.db = ...``)."""
    if not path.startswith("self."):
        return None
    from . import source

    attribute = path[5:].split(".")[0].split("[")[0]
    for cls in type(process).__mro__:
        src = source.parse(_file_of(cls))
        if src is not None:
            lines = src.self_assignments(cls.__name__, attribute)
            if lines:
                return (src.path, lines[0])
    return None


# --- what the child's code reads (MP103) ----------------------------------------------------------


def _reads(
    functions: List[Any], limit: int = 200
) -> Tuple[List[Tuple[Any, str, Optional[str]]], Set[Tuple[int, str, Optional[str]]]]:
    """(globals dict, name, attribute) read by the functions' code, followed through the plain functions
    they call; and (id(globals dict), name, attribute) they store (an initializer that sets them again)."""
    import dis
    import types

    reads: Set[Tuple[Any, str, Optional[str]]] = set()
    stores: Set[Tuple[int, str, Optional[str]]] = set()
    seen: Set[int] = set()
    todo = [(f, f.__globals__) for f in functions if isinstance(f, types.FunctionType)]
    dicts: Dict[int, Any] = {}
    while todo and len(seen) < limit:
        function, globs = todo.pop()
        codes = [function.__code__]
        while codes:
            code = codes.pop()
            if id(code) in seen:
                continue
            seen.add(id(code))
            codes.extend(c for c in code.co_consts if isinstance(c, types.CodeType))
            previous: Optional[str] = None
            for ins in dis.get_instructions(code):
                name = ins.argval if isinstance(ins.argval, str) else None
                if ins.opname in ("LOAD_GLOBAL", "LOAD_NAME") and name:
                    dicts[id(globs)] = globs
                    reads.add((id(globs), name, None))
                    value = globs.get(name)
                    if isinstance(value, types.FunctionType) and not _is_machinery_module(value.__module__ or ""):
                        todo.append((value, value.__globals__))
                    previous = name
                    continue
                if ins.opname in ("LOAD_ATTR", "LOAD_METHOD") and previous and name:
                    reads.add((id(globs), previous, name))
                elif ins.opname == "STORE_GLOBAL" and name:
                    stores.add((id(globs), name, None))
                elif ins.opname == "STORE_ATTR" and previous and name:
                    stores.add((id(globs), previous, name))
                previous = None
    return [(dicts[g], n, a) for g, n, a in sorted(reads, key=lambda r: (r[1], r[2] or ""))], stores


def _in_packages(name: str, packages: Tuple[str, ...]) -> bool:
    """``name`` is one of ``packages`` or inside one (``multiprocessing_logging`` is not ``multiprocessing``)."""
    for package in packages:
        package = package.rstrip(".")
        if name == package or name.startswith(package + "."):
            return True
    return False


def _is_machinery_module(name: str) -> bool:
    return _in_packages(name, _MACHINERY) and not name.startswith("mpcheck.scenarios")


def _differs(value: Any, literal: Any) -> Optional[bool]:
    try:
        return bool(type(value) is not type(literal) or value != literal)
    except Exception:
        return None


def _check_state(functions: List[Any], initializer: Any, start: Optional[Location]) -> None:
    """MP103: globals and class attributes the child's code reads that the parent rebound at run time."""
    from . import source

    reads, _ = _reads([f for f in functions if f is not None])
    _, restored = _reads([initializer]) if initializer is not None else ([], set())
    main_src = _main_source()
    called: Set[str] = main_src.runtime_calls() if main_src is not None else set()
    for globs, name, attribute in reads:
        if (id(globs), name, attribute) in restored or (attribute is None and (id(globs), name, None) in restored):
            continue
        module_name = globs.get("__name__", "")
        if _is_machinery_module(module_name) or name not in globs:
            continue
        src = source.parse(globs.get("__file__"))
        if src is None:
            continue
        value = globs[name]
        if attribute is None:
            _check_global(src, module_name, name, value, called, start)
        else:
            _check_attribute(src, globs, name, value, attribute, called, start)


def _check_global(src: Any, module: str, name: str, value: Any, called: Set[str], start: Optional[Location]) -> None:
    import types

    from . import source

    if isinstance(value, (types.ModuleType, types.FunctionType, type)):
        return
    toplevel = src.toplevel.get(name, [])
    sites = src.runtime_sites(None, name, called)
    if not sites:
        return
    literals = [lit for _, lit in toplevel if lit is not source.NOT_LITERAL]
    is_main = module in ("__main__", "__mp_main__")
    importing = "re-imports the script as __mp_main__" if is_main else f"imports `{module}` afresh"
    if toplevel and literals and len(literals) == len(toplevel):
        if not any(_differs(value, lit) for lit in literals):
            return  # what the run-time statement set equals what a fresh import gives
        before = f"import-time value {_short(literals[-1])} (line {toplevel[-1][0]})"
    elif toplevel:
        before = f"the value its import-time code gives (line {toplevel[-1][0]})"
    else:
        before = "no value at all: the name is bound only at run time, so the child gets a NameError"
    report(
        "MP103",
        (src.path, sites[0]),
        f"global `{name}` is {_short(value)}, set at run time (line {sites[0]}); the child reads it: a spawn or "
        f"forkserver child {importing} and sees {before}",
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
        target_src = source.parse(_file_of(holder))
        key_literals = target_src.class_attrs.get((holder.__name__, attribute), []) if target_src else []
        defs = []
        what = f"class attribute `{holder.__qualname__}.{attribute}`"
    else:
        return
    if target_src is None:
        return
    sites = src.runtime_sites(owner, attribute, called)
    main_src = _main_source()
    if not sites and main_src is not None and main_src is not src:
        sites, src = main_src.runtime_sites(owner, attribute, called), main_src
    if not sites:
        return
    if defs:  # a function or class of the module: replaced?
        original = getattr(value, "__qualname__", None) == attribute and getattr(value, "__module__", None) == getattr(
            holder, "__name__", None
        )
        if original or getattr(value, "__qualname__", None) is None:
            return
        before = f"its own `{attribute}` (line {defs[0]})"
    else:
        literals = [lit for _, lit in key_literals if lit is not source.NOT_LITERAL]
        if not key_literals or len(literals) != len(key_literals):
            return
        if not any(_differs(value, lit) for lit in literals):
            return
        before = f"the import-time value {_short(literals[-1])} (line {key_literals[-1][0]})"
    report(
        "MP103",
        (src.path, sites[0]),
        f"{what} is {_short(value)}, set at run time (line {sites[0]}); the child's code reads it: a spawn or "
        f"forkserver child imports afresh and sees {before}",
        start,
    )


# --- at each start ----------------------------------------------------------------------------------


def _method_of(process: Any, package: str) -> Optional[str]:
    method = getattr(process, "_start_method", None)
    if method:
        return str(method)
    context = sys.modules.get(f"{package}.context")
    default = getattr(context, "_default_context", None)
    if default is None:
        return None
    try:
        return default.get_start_method(allow_none=True) or default._default_context._name
    except Exception:
        return None


def _roots(process: Any) -> Tuple[List[Any], Any]:
    """The functions a child runs first (its target, a Process subclass's run()) and its initializer."""
    target = getattr(process, "_target", None)
    key = (getattr(target, "__module__", None), getattr(target, "__name__", None))
    if key in _WORKERS:
        args = getattr(process, "_args", ()) or ()
        initializer = args[2] if len(args) > 2 else None  # type: ignore[misc]
        return [], initializer
    functions = [target]
    run = getattr(type(process), "run", None)
    if run is not None and getattr(run, "__module__", "").split(".")[0] not in PACKAGES:
        functions.append(run)
    return functions, None


def _before_start(process: Any, package: str) -> None:
    start = _where(sys._getframe(1))
    process._mpcheck_nodeid = _nodeid()
    process._mpcheck_parent = os.getpid()
    method = _method_of(process, package)
    if _state.starts and _state.late_env:
        process._mpcheck_late_env = dict(_state.late_env)
    if _state.runtime_handlers:
        process._mpcheck_logging = _logging_config()
    _state.starts += 1
    frame = _main_toplevel_frame()
    if frame is not None:
        src = _main_source()
        if src is not None and not src.in_guard(frame.f_lineno):
            report(
                "MP102",
                (src.path, frame.f_lineno),
                "a process starts while the script's top-level code runs, outside `if __name__ == '__main__':`; "
                "a spawn or forkserver child re-imports the script and reaches this start() again",
                start,
            )
    if _state.os_forked is not None and _state.os_forked[1]:
        report(
            "MP109",
            _state.os_forked[0],
            f"this process was made by os.fork() after its parent had started {_state.os_forked[1]} process(es), "
            "and now starts one: under forkserver the fork server belongs to the parent and start() fails here",
            start,
        )
    bad = [entry for entry in sys.path if not isinstance(entry, str)]
    if bad:
        site = _syspath_sites.get(id(bad[0])) or start
        report(
            "MP110",
            site,
            f"sys.path holds {_short(bad[0])} ({type(bad[0]).__name__}, not str): the fork server is started with a "
            "command line that spells sys.path with repr(), and dies on it",
            start,
        )
    _check_threads(start)
    _check_pickling(process, package, start)
    functions, initializer = _roots(process)
    if functions or initializer is not None:
        _check_state(functions, initializer, start)
    signal = sys.modules.get("signal")
    handler = _python_handler(signal.SIGTERM) if signal is not None else None
    if handler is not None and method != "fork" and not _resets_sigterm([*functions, initializer]):
        process._mpcheck_sigterm = _state.signal_sites.get(15)


def _check_threads(start: Optional[Location]) -> None:
    threading = sys.modules.get("threading")
    if threading is None:
        return
    current = threading.current_thread()
    others = []
    for thread in threading.enumerate():
        if thread is current or not thread.is_alive():
            continue
        starter = getattr(thread, "_mpcheck_started_by", None)
        if starter is not None and _in_packages(starter[2], _INTERNAL_THREADS):
            continue  # multiprocessing's own threads (a Queue's feeder, a Pool's handlers) reset after a fork
        if starter is None and isinstance(thread, getattr(threading, "_DummyThread", ())):
            continue
        others.append(thread)
    if not others:
        return
    names = ", ".join(sorted(t.name for t in others)[:3])
    started = [getattr(t, "_mpcheck_started_by", None) for t in others]
    site = next(((s[0], s[1]) for s in started if s), None)
    report(
        "MP112",
        start,
        f"{len(others)} other thread(s) alive at this start ({names}"
        + (f", started at {_display(site[0])}:{site[1]}" if site else "")
        + "): a fork child has only the forking thread, and locks the others held stay held",
        start,
    )


def _python_handler(signum: int) -> Any:
    signal = sys.modules.get("signal")
    if signal is None:
        return None
    try:
        handler = signal.getsignal(signum)
    except (ValueError, OSError):
        return None
    if handler in (signal.SIG_DFL, signal.SIG_IGN, None, signal.default_int_handler):
        return None
    return handler if callable(handler) else None


def _resets_sigterm(functions: List[Any]) -> bool:
    """True when the child's first code installs signal handlers itself (its initializer or target)."""
    reads, _ = _reads([f for f in functions if f is not None])
    return any(name == "signal" and attr in ("signal", "SIG_DFL") for _, name, attr in reads)


# --- in the child -------------------------------------------------------------------------------------


def _child_begins(process: Any) -> None:
    # a copy of the watched parent's memory (not a spawn child, which installed its own, nor a fork
    # server's child, whose memory is the server's)
    forked = _state.pid == getattr(process, "_mpcheck_parent", None) and _state.pid != os.getpid()
    _state.in_child = True
    _state.os_forked = None
    _state.child_nodeid = getattr(process, "_mpcheck_nodeid", None)
    _state.child_atexit = []
    _state.child_configured_logging = False
    late = getattr(process, "_mpcheck_late_env", None)
    if late:
        _watch_env_reads(late)
    if not forked:
        parent_logging = getattr(process, "_mpcheck_logging", None)
        if parent_logging:
            _watch_unconfigured_logging(parent_logging)
        return
    _write({"kind": "process", "pid": os.getpid(), "ppid": os.getppid(), "argv": ["(forked)"]})
    for handler, logger, site in list(_state.runtime_handlers.values()):
        _count_records(handler, logger, site)
    signal = sys.modules.get("signal")
    if signal is not None:
        for signum, site in list(_state.signal_sites.items()):
            original = _python_handler(signum)
            if original is not None:
                try:
                    _original_signal(signum, _InheritedHandler(original, signum, site))
                except (ValueError, OSError):
                    pass


def _child_ends(process: Any) -> None:
    if _state.child_atexit and sys.version_info < (3, 13):
        for site in _state.child_atexit:
            report(
                "MP111",
                site,
                "the child registered an atexit handler and ended normally: before 3.13 a fork or forkserver "
                "child ends with os._exit() and never runs it, a spawn child does",
                methods=["fork", "forkserver"],
            )


class _InheritedHandler:
    """A fork child's copy of the parent's Python signal handler: says when it runs, then runs it."""

    def __init__(self, handler: Any, signum: int, site: Location) -> None:
        self.handler, self.signum, self.site = handler, signum, site

    def __call__(self, signum: int, frame: Any) -> Any:
        name = getattr(self.handler, "__qualname__", None) or _short(self.handler)
        report(
            "MP107",
            self.site,
            f"the fork child ran the parent's handler `{name}` for signal {signum}: a spawn or forkserver child "
            "starts with the default action (for SIGTERM: it ends)",
        )
        return self.handler(signum, frame)


def _count_records(handler: Any, logger: str, site: Location) -> None:
    original = handler.handle

    def handle(record: Any) -> Any:
        if not _state.child_configured_logging:
            level = getattr(record, "levelname", "?")
            report(
                "MP105",
                site,
                f"the fork child logged a record at {level} through the {type(handler).__name__} the parent added to "
                f"logger {logger or 'root'!r} at run time; a spawn or forkserver child's logging has no such "
                "handler (records below WARNING vanish, others reach stderr unformatted)",
            )
        return original(record)

    try:
        handler.handle = handle
    except Exception:
        pass


def _logging_config() -> List[Tuple[str, Location, int]]:
    """(logger name, where a handler was added at run time, the logger's level then) of the parent."""
    logging = sys.modules.get("logging")
    if logging is None:
        return []
    found = []
    for handler, name, site in _state.runtime_handlers.values():
        logger = logging.getLogger(name or None)
        if handler in logger.handlers:
            found.append((name, site, logger.getEffectiveLevel()))
    return found


def _watch_unconfigured_logging(parent: List[Tuple[str, Location, int]]) -> None:
    """A spawn or forkserver child: a record the parent's run-time logging would have handled, which this
    child's logging (not configured by the child itself) drops or hands to logging's last resort."""
    import logging

    original = logging.Logger.isEnabledFor

    def is_enabled_for(self: Any, level: int) -> bool:
        enabled = original(self, level)
        if not _state.child_configured_logging and not _state.busy:
            name = "" if self.name == "root" else self.name
            for owner, site, parent_level in parent:
                if (not owner or name == owner or name.startswith(owner + ".")) and level >= parent_level:
                    if not enabled or not self.hasHandlers():
                        dropped = not enabled or level < logging.WARNING
                        report(
                            "MP105",
                            site,
                            f"the child logged a record at {logging.getLevelName(level)} that the parent's logging, "
                            "configured at run time, would handle; this child has none of it (the record "
                            f"{'is dropped' if dropped else 'reaches only stderr'}), a fork child inherits it",
                        )
                    break
        return enabled

    logging.Logger.isEnabledFor = is_enabled_for  # type: ignore[method-assign]


def _watch_env_reads(late: Dict[str, Location]) -> None:
    environ_type = type(os.environ)
    original = environ_type.__getitem__
    if getattr(original, "_mpcheck", False):
        return

    def getitem(self: Any, key: str) -> Any:
        try:
            return original(self, key)
        finally:
            if self is os.environ and key in late and not _state.busy:
                _report_late(key)

    def _report_late(key: str) -> None:
        report(
            "MP106",
            late[key],
            f"the child read ${key}, which the parent set after its first process had started (line "
            f"{late[key][1]}): a forkserver child is forked from a server started before, with the old value",
        )

    getitem._mpcheck = True  # type: ignore[attr-defined]
    environ_type.__getitem__ = getitem  # type: ignore[method-assign]


# --- the patches ------------------------------------------------------------------------------------


def _patch_process(module: Any) -> None:
    base = getattr(module, "BaseProcess", None)
    if base is None or getattr(base.start, "_mpcheck_sanitize", False):
        return
    package = module.__name__.split(".")[0]
    start, bootstrap, terminate = base.start, base._bootstrap, base.terminate

    def checked_start(self: Any) -> Any:
        if not _state.busy:
            _state.busy = True
            try:
                _before_start(self, package)
            except Exception:
                _debug()
            finally:
                _state.busy = False
        return start(self)

    def watched_bootstrap(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            _child_begins(self)
        except Exception:
            _debug()
        code = bootstrap(self, *args, **kwargs)
        try:
            _child_ends(self)
        except Exception:
            _debug()
        return code

    def watched_terminate(self: Any) -> Any:
        site = getattr(self, "_mpcheck_sigterm", None)
        if site is not None:
            report(
                "MP107",
                site,
                "the parent sends SIGTERM to a child started while its own Python SIGTERM handler was installed: "
                "a fork child inherits that handler and runs it instead of ending",
                _where(sys._getframe(1)),
            )
        return terminate(self)

    for wrapper, original in ((checked_start, start), (watched_bootstrap, bootstrap), (watched_terminate, terminate)):
        wrapper.__wrapped__ = original  # type: ignore[attr-defined]
        wrapper.__doc__ = original.__doc__
    checked_start._mpcheck_sanitize = True  # type: ignore[attr-defined]
    base.start, base._bootstrap, base.terminate = checked_start, watched_bootstrap, watched_terminate


def _patch_pool(module: Any) -> None:
    pool = getattr(module, "Pool", None)
    if pool is None or getattr(pool.apply_async, "_mpcheck_sanitize", False):
        return
    threads = getattr(module, "ThreadPool", ())

    def initializer_of(self: Any) -> Any:
        if isinstance(self, threads):
            raise _NotProcesses  # a ThreadPool's tasks run in this process: nothing is pickled
        return getattr(self, "_initializer", None)

    for name in ("apply_async", "_map_async", "imap", "imap_unordered"):
        original = getattr(pool, name, None)
        if original is not None:
            setattr(pool, name, _task_checker(original, initializer_of))


class _NotProcesses(Exception):
    """A pool whose workers are threads: no check applies."""


def _patch_executor(module: Any) -> None:
    executor = getattr(module, "ProcessPoolExecutor", None)
    if executor is None or getattr(executor.submit, "_mpcheck_sanitize", False):
        return
    executor.submit = _task_checker(executor.submit, lambda self: getattr(self, "_initializer", None))


def _task_checker(original: Any, initializer_of: Any) -> Any:
    def checked(self: Any, func: Any, *args: Any, **kwargs: Any) -> Any:
        if not _state.busy:
            _state.busy = True
            try:
                _check_task(func, initializer_of(self))
            except _NotProcesses:
                pass
            except Exception:
                _debug()
            finally:
                _state.busy = False
        return original(self, func, *args, **kwargs)

    checked.__wrapped__ = original  # type: ignore[attr-defined]
    checked._mpcheck_sanitize = True  # type: ignore[attr-defined]
    return checked


def _check_task(func: Any, initializer: Any) -> None:
    """A task's function pickles under every method; what differs is whether a spawn worker finds it,
    and what it reads."""
    start = _where(sys._getframe(1))
    why = _by_reference_problem(func)
    if why is not None and "lambda" not in why and "local" not in why:  # those fail under every method
        report("MP101", _definition(func) or start, f"task function {_short(func)}: {why}", start)
    _check_state([func], initializer, start)


def _patch_logging(module: Any) -> None:
    logger = module.Logger
    if getattr(logger.addHandler, "_mpcheck_sanitize", False):
        return
    add = logger.addHandler

    def add_handler(self: Any, handler: Any) -> Any:
        try:
            if _state.in_child:
                if not _state.implicit_logging:
                    _state.child_configured_logging = True
            elif not _state.busy and not _in_packages(type(handler).__module__, _RUNNER) and not _at_import_time():
                # (a test runner's own capture handler, even put back by the program, is not the program's)
                site = _program_site(sys._getframe(1))
                if site is not None:
                    _state.runtime_handlers[id(handler)] = (handler, self.name if self.name != "root" else "", site)
        except Exception:
            pass
        return add(self, handler)

    add_handler._mpcheck_sanitize = True  # type: ignore[attr-defined]
    logger.addHandler = add_handler
    basic = module.basicConfig

    def basic_config(*args: Any, **kwargs: Any) -> Any:
        # logging.info() and friends call basicConfig() themselves when the root has no handler: that is
        # the unconfigured default, not the child configuring its logging
        implicit = sys._getframe(1).f_globals.get("__name__") == "logging"
        if _state.in_child and not implicit:
            _state.child_configured_logging = True
        _state.implicit_logging = implicit
        try:
            return basic(*args, **kwargs)
        finally:
            _state.implicit_logging = False

    module.basicConfig = basic_config


def _patch_logging_config(module: Any) -> None:
    for name in ("dictConfig", "fileConfig"):
        original = getattr(module, name, None)
        if original is None or getattr(original, "_mpcheck_sanitize", False):
            continue

        def configure(*args: Any, __original: Any = original, **kwargs: Any) -> Any:
            if _state.in_child:
                _state.child_configured_logging = True
            return __original(*args, **kwargs)

        configure._mpcheck_sanitize = True  # type: ignore[attr-defined]
        setattr(module, name, configure)


def _patch_threading(module: Any) -> None:
    thread = module.Thread
    if getattr(thread.start, "_mpcheck_sanitize", False):
        return
    original = thread.start

    def start(self: Any) -> Any:
        try:
            frame: Any = sys._getframe(1)
            while frame is not None and frame.f_globals.get("__name__") == "threading":
                frame = frame.f_back
            if frame is not None:
                where = _where(frame) or (frame.f_code.co_filename, frame.f_lineno)
                self._mpcheck_started_by = (where[0], where[1], frame.f_globals.get("__name__", "") or "")
        except Exception:
            pass
        return original(self)

    start._mpcheck_sanitize = True  # type: ignore[attr-defined]
    thread.start = start


def _original_signal(signum: int, handler: Any) -> Any:
    signal = sys.modules["signal"]
    return getattr(signal.signal, "__wrapped__", signal.signal)(signum, handler)


def _patch_signal(module: Any) -> None:
    if getattr(module.signal, "_mpcheck_sanitize", False):
        return
    original, getsignal = module.signal, module.getsignal

    def set_handler(signum: int, handler: Any) -> Any:
        try:
            if callable(handler) and not _state.in_child:
                site = _where(sys._getframe(1))
                if site is not None:
                    _state.signal_sites[int(signum)] = site
            elif not callable(handler):
                _state.signal_sites.pop(int(signum), None)
        except Exception:
            pass
        previous = original(signum, handler)
        return previous.handler if isinstance(previous, _InheritedHandler) else previous

    def get_handler(signum: int) -> Any:
        handler = getsignal(signum)
        return handler.handler if isinstance(handler, _InheritedHandler) else handler

    set_handler.__wrapped__ = original  # type: ignore[attr-defined]
    set_handler._mpcheck_sanitize = True  # type: ignore[attr-defined]
    module.signal, module.getsignal = set_handler, get_handler


def _patch_context(module: Any) -> None:
    """MP113: set_start_method() by the script's top-level code, outside its guard."""
    for cls_name in ("BaseContext", "DefaultContext"):
        cls = getattr(module, cls_name, None)
        original = getattr(cls, "set_start_method", None)
        if cls is None or original is None or getattr(original, "_mpcheck_sanitize", False):
            continue

        def set_start_method(self: Any, method: Any, force: bool = False, __original: Any = original) -> Any:
            try:
                frame = _main_toplevel_frame()
                src = _main_source() if frame is not None else None
                if src is not None and not force and not src.in_guard(frame.f_lineno):
                    children = "a spawn child" if SERVER_PRELOADS_MAIN else "a spawn or forkserver child"
                    report(
                        "MP113",
                        (src.path, frame.f_lineno),
                        f"set_start_method() runs in the script's top-level code, outside its main guard: {children} "
                        "re-imports the script and calls it again after its method was set "
                        "(RuntimeError: context has already been set)",
                        methods=["spawn"] if SERVER_PRELOADS_MAIN else list(IMPORTING),
                    )
            except Exception:
                pass
            return __original(self, method, force)

        set_start_method._mpcheck_sanitize = True  # type: ignore[attr-defined]
        cls.set_start_method = set_start_method


#: id of a non-str object added to sys.path -> where
_syspath_sites: Dict[int, Location] = {}


class _WatchedPath(list):
    """sys.path, remembering where an entry that is not a str was added (MP110)."""

    def _note(self, items: Any) -> None:
        for item in items:
            if not isinstance(item, str):
                site = _where(sys._getframe(2))
                if site is not None:
                    _syspath_sites[id(item)] = site

    def append(self, item: Any) -> None:
        self._note([item])
        super().append(item)

    def insert(self, index: Any, item: Any) -> None:
        self._note([item])
        super().insert(index, item)

    def extend(self, items: Any) -> None:
        items = list(items)
        self._note(items)
        super().extend(items)


def _watch_environ() -> None:
    environ_type = type(os.environ)
    if getattr(environ_type.__setitem__, "_mpcheck", False):
        return
    setitem, delitem = environ_type.__setitem__, environ_type.__delitem__

    def note(self: Any, key: Any) -> None:
        if self is os.environ and _state.starts and not _state.in_child and isinstance(key, str):
            if key.startswith(("PYTEST_", "MPCHECK_")):
                return  # the test runner's and mpcheck's own bookkeeping
            site = _program_site(sys._getframe(2))
            if site is not None:  # not the test runner's or multiprocessing's own
                _state.late_env[key] = site

    def set_item(self: Any, key: Any, value: Any) -> None:
        setitem(self, key, value)
        note(self, key)

    def del_item(self: Any, key: Any) -> None:
        delitem(self, key)
        note(self, key)

    set_item._mpcheck = True  # type: ignore[attr-defined]
    environ_type.__setitem__, environ_type.__delitem__ = set_item, del_item  # type: ignore[method-assign]


def _patch_atexit() -> None:
    import atexit

    original = atexit.register
    if getattr(original, "_mpcheck_sanitize", False):
        return

    def register(func: Any, *args: Any, **kwargs: Any) -> Any:
        if _state.in_child:
            site = _where(sys._getframe(1))
            if site is not None:
                _state.child_atexit.append(site)
        return original(func, *args, **kwargs)

    register._mpcheck_sanitize = True  # type: ignore[attr-defined]
    atexit.register = register  # type: ignore[assignment]


def _after_os_fork() -> None:
    caller = sys._getframe(1)
    if _in_packages(caller.f_globals.get("__name__", "") or "", PACKAGES):
        return  # multiprocessing's own fork (a fork start, a fork server's child): not the program's os.fork()
    _state.os_forked = (_where(caller) or ("?", 0), _state.starts)
    _state.starts = 0


def install(folder: str) -> None:
    """Watch this interpreter: findings go to ``folder``."""
    first = _state.folder is None
    _state.folder = folder
    _state.pid = os.getpid()
    if not first:
        return
    _write({"kind": "process", "pid": os.getpid(), "ppid": os.getppid(), "argv": list(sys.argv[:4])})
    for package in PACKAGES:
        when_imported(f"{package}.process", _patch_process)
        when_imported(f"{package}.pool", _patch_pool)
        when_imported(f"{package}.context", _patch_context)
    when_imported("concurrent.futures.process", _patch_executor)
    when_imported("logging", _patch_logging)
    when_imported("logging.config", _patch_logging_config)
    when_imported("threading", _patch_threading)
    when_imported("signal", _patch_signal)
    _watch_environ()
    _patch_atexit()
    if type(sys.path) is list:
        sys.path = _WatchedPath(sys.path)
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_after_os_fork)


def install_from_env() -> None:
    """The ``.pth`` hook's entry: watch this interpreter when ``$MPCHECK_SANITIZE`` names a folder."""
    folder = os.environ.get(ENV)
    if folder:
        install(folder)
