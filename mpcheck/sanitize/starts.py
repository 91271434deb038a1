"""What each process start checks (MP102, MP109, MP110, MP112, MP119; MP101, MP108 and MP103 through
:mod:`.pickling` and :mod:`.reads`), what a pool task's function is checked for, and MP113 at
``set_start_method()``; what a child will need to know is put on the process object.

Loaded at a watched process's first start (see :mod:`.hook`). Stdlib only.
"""

from __future__ import annotations

import os
import sys

from ..methods import MAIN_SCRIPT, reimporting_main_here
from ..start_method.hook import is_default_context, is_default_process
from .child import asks_which_process, only_reaps, python_handler, reaps_any_child
from .pickling import WORKERS, by_reference_problem, check_pickling, definition, pickles_by_value
from .reads import called_object_parts, check_arguments, check_generators, check_state, reads_of
from .state import INTERNAL_THREADS, PACKAGES, POOL_MODULES, in_packages, state
from .text import in_main_guard
from .where import display, is_machinery_module, main_source, main_toplevel_frame, nodeid, report, short, user_site

TYPE_CHECKING = False  # not typing's: see mpcheck.expect
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Tuple

    Location = Tuple[str, int]


def _method_of(process: Any, package: str) -> Optional[str]:
    """The start method ``process`` will start with, whoever chose it (the default's included): not the
    question of :func:`chosen_for_process`."""
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
    if key in WORKERS:
        args = getattr(process, "_args", ()) or ()
        initializer = args[2] if len(args) > 2 else None  # type: ignore[misc]
        return [], initializer
    functions = [target, *called_object_parts(target), *_handed_functions(process)]
    run = getattr(type(process), "run", None)
    if run is not None and getattr(run, "__module__", "").split(".")[0] not in PACKAGES:
        functions.append(run)
    return functions, None


def _handed_functions(process: Any) -> List[Any]:
    """The program's plain functions a Process is handed as arguments, for its target to call in the child
    (pyphi's ``Process(target=self.worker, args=(evaluate_cut, ...))``, whose worker calls ``compute(obj)``)."""
    import types

    args = getattr(process, "_args", ()) or ()
    kwargs = getattr(process, "_kwargs", {}) or {}
    return [
        value for value in (*args, *kwargs.values())
        if isinstance(value, types.FunctionType) and not is_machinery_module(value.__module__ or "")
    ]  # fmt: skip


def before_start(process: Any, package: str) -> None:
    start = user_site(sys._getframe(1))
    process._mpcheck_nodeid = nodeid()
    process._mpcheck_parent = os.getpid()
    method = _method_of(process, package)
    # the method the program chose itself: one that never forks this process has no thread to lose; one that
    # forks pickles and re-imports nothing (a local target, an unpicklable attribute, state set at run time, the
    # environment and logging are all the child's, as the parent has them)
    chosen = chosen_for_process(process)
    if chosen == "fork":
        process._mpcheck_fork_chosen = True  # its fork child logs through the parent's handlers by the program's choice
    if state.starts and state.late_env and chosen != "fork":
        process._mpcheck_late_env = dict(state.late_env)
    functions, initializer = _roots(process)
    if state.runtime_handlers and chosen != "fork":
        if _configures_logging([*functions, initializer]):
            process._mpcheck_logs_itself = True  # the child's own code sets its logging up: not the parent's
        else:
            process._mpcheck_logging = _logging_config()
    state.starts += 1
    frame = main_toplevel_frame()
    if frame is not None and not in_main_guard(frame):  # (the text settles the plain case: no ast)
        src = main_source()
        if src is not None and not src.in_guard(frame.f_lineno):
            report(
                "MP102",
                (src.path, frame.f_lineno),
                "a process starts while the script's top-level code runs, outside `if __name__ == '__main__':`; "
                "a child that re-imports the script reaches this start() again (a fork server that preloads the "
                "script runs it itself)",
                start,
                context=MAIN_SCRIPT,
            )
    if state.os_forked is not None and state.os_forked[1]:
        report(
            "MP109",
            state.os_forked[0],
            f"this process was made by os.fork() after its parent had started {state.os_forked[1]} process(es), "
            "and now starts one: under forkserver the fork server belongs to the parent and start() fails here",
            start,
        )
    bad = [entry for entry in sys.path if not isinstance(entry, str)]
    if bad:
        site = state.syspath_sites.get(id(bad[0])) or start
        report(
            "MP110",
            site,
            f"sys.path holds {short(bad[0])} ({type(bad[0]).__name__}, not str): the fork server is started with a "
            "command line that spells sys.path with repr(), and dies on it",
            start,
        )
    if chosen in (None, "fork"):
        _check_threads(start)
        if functions or initializer is not None:
            check_generators(functions, initializer, start)
    if chosen != "fork" and state.runtime_sinks:
        sinks = _loguru_sinks(process, package, [*functions, initializer])
        if sinks:
            process._mpcheck_loguru = sinks
    if chosen != "fork":
        check_pickling(process, package, start)
        if functions or initializer is not None:
            check_state(functions, initializer, start, (process,), package)
        if functions and functions[0] is not None:
            check_arguments(functions[0], getattr(process, "_args", ()), getattr(process, "_kwargs", {}), start)
    # MP107 at terminate(): only where the program installed its own SIGTERM handler (signal_sites)
    signal = sys.modules.get("signal")
    handler = python_handler(signal.SIGTERM) if signal is not None and 15 in state.signal_sites else None
    if (
        handler is not None and method != "fork" and not _resets_sigterm([*functions, initializer])
        and not asks_which_process(handler)
    ):  # fmt: skip
        process._mpcheck_sigterm = state.signal_sites.get(15)
    # MP119: the program's own SIGCHLD handler at a start the fork server may make (not a fork or spawn it chose)
    sigchld = getattr(signal, "SIGCHLD", None) if signal is not None else None
    handler = python_handler(sigchld) if sigchld is not None and chosen not in ("fork", "spawn") else None
    if sigchld is not None and handler is not None and not only_reaps(handler):
        report(
            "MP119",
            state.signal_sites.get(int(sigchld)),
            "a process starts while the program's own SIGCHLD handler is installed: under forkserver the child is "
            "the fork server's, so its end signals the server, never this process",
            start,
        )
    # MP122: SIGCHLD ignored by the program, or its handler reaping any child, at a start that makes this process's
    # own child (not a forkserver one the program chose)
    if signal is not None and sigchld is not None and chosen != "forkserver" and int(sigchld) in state.signal_sites:
        ignored = signal.getsignal(sigchld) == signal.SIG_IGN
        handler = python_handler(sigchld)
        if ignored or (handler is not None and reaps_any_child(handler)):
            report(
                "MP122",
                state.signal_sites[int(sigchld)],
                (
                    "a process starts while the program ignores SIGCHLD: the kernel discards a fork or spawn child's "
                    "exit status, so its exitcode stays None and is_alive() says True"
                    if ignored
                    else "a process starts while the program's SIGCHLD handler reaps any child: it takes a fork or "
                    "spawn child's exit status before multiprocessing does, so its exitcode stays None and is_alive() "
                    "says True"
                ),
                start,
            )


def _logging_config() -> List[Tuple[str, Location, int]]:
    """(logger name, where a handler was added at run time, the logger's level then) of the parent."""
    logging = sys.modules.get("logging")
    if logging is None:
        return []
    found = []
    for handler, name, site in state.runtime_handlers.values():
        logger = logging.getLogger(name or None)
        if handler in logger.handlers:
            found.append((name, site, logger.getEffectiveLevel()))
    return found


def _loguru_sinks(process: Any, package: str, roots: List[Any]) -> List[Tuple[Location, int]]:
    """(where, level) of the loguru sinks the parent added at run time that a child reaches: none when the
    child's code sets loguru up itself, or is sent the logger (pickled with its sinks, as loguru's docs do)."""
    sinks = []
    for core, handler_id, site in list(state.runtime_sinks.values()):
        handler = getattr(core, "handlers", {}).get(handler_id)
        if handler is not None:
            sinks.append((site, int(getattr(handler, "levelno", 0))))
    if not sinks:
        return []
    reads, _ = reads_of([f for f in roots if f is not None])
    for globs, name, attribute in reads:
        holder = globs.get(name)
        if attribute in ("add", "remove", "configure") and (type(holder).__module__ or "").startswith("loguru"):
            return []  # the child sets its sinks up itself
    from .tables import Undecided, sent_modules

    try:
        sent = sent_modules((process,), package)
    except Undecided:
        return []
    if any(in_packages(module, ("loguru",)) for module in sent):
        return []  # the child is sent the logger, sinks and all
    return sinks


#: what a function calls to load a module by its path or name (its code's names)
_MODULE_LOADERS = frozenset({"exec_module", "module_from_spec", "import_module", "__import__", "load_module"})


def _imports_modules(initializer: Any) -> bool:
    """Whether a pool's initializer (its own code) loads modules itself (``spec.loader.exec_module(module)``,
    ``importlib.import_module(name)``): its workers may have a module a child could not import by name."""
    code = getattr(getattr(initializer, "__func__", initializer), "__code__", None)
    return code is not None and bool(_MODULE_LOADERS & set(code.co_names))


def check_task(func: Any, initializer: Any, call: Any = None, pool: Any = None, how: str = "") -> None:
    """A task's function pickles under every method; what differs is whether a spawn worker finds it,
    and what it reads. ``call``: the pool's initializer arguments, and the task's arguments as given to ``how``
    (the pool's or executor's method: ``apply_async``, ``_map_async``, ``imap``, ``submit``).
    Nothing is judged for a pool the program chose to fork: its workers have the parent's modules (a
    function of the main block is found by name there) and its state as it was when they were forked,
    whatever the platform's default."""
    chosen = chosen_for_pool(pool) if pool is not None else None
    task, func = func, _mapped(func)  # (``task``: as submitted, an executor's map chunk included)
    start = user_site(sys._getframe(1))
    parts = [func, *called_object_parts(func)]  # a callable object's __call__ and the functions it keeps
    if chosen in (None, "fork"):  # workers the default or the program's fork context forks (MP121)
        check_generators(parts, initializer, start)
    if chosen == "fork":
        return
    package = (type(pool).__module__ or "").split(".")[0] if pool is not None else "multiprocessing"
    why = None if pickles_by_value(package) else by_reference_problem(func)  # dill carries it by value
    if why is not None and "cannot be imported" in why and _imports_modules(initializer):
        why = None  # each worker's initializer loads modules itself (Arelle#961's fix: a plugin loaded by its path)
    if why is not None and "lambda" not in why and "local" not in why:  # those fail under every method
        report("MP101", definition(func) or start, f"task function {short(func)}: {why}", start)
    elif why is None and not pickles_by_value(package):
        for inner in _carried_functions(func):  # openpilot's partial(self._run_on_segment, process)
            problem = by_reference_problem(inner)
            if problem is not None and "lambda" not in problem and "local" not in problem:
                report("MP101", definition(inner) or start, f"{short(inner)}, carried by the task {short(func)}: "
                       f"{problem}", start)  # fmt: skip
                break
    from .forked import taken_for

    check_state(parts, initializer, start, _task_sent(func, initializer, call), forked=taken_for(pool))
    for args, kwargs in _task_calls(task, how, call):
        key = (getattr(func, "__code__", None), tuple(map(type, (*args, *kwargs.values()))))
        if key[0] is not None and key not in _ARGUMENTS_CHECKED:  # (a map() submits a chunk at a time)
            _ARGUMENTS_CHECKED.add(key)
            check_arguments(func, args, kwargs, start)


#: (task code, types of its arguments) whose arguments :func:`check_task` has judged in this process
_ARGUMENTS_CHECKED: set = set()


def _task_calls(func: Any, how: str, call: Any, most: int = 4) -> List[Tuple[Tuple[Any, ...], Dict[str, Any]]]:
    """The arguments of the first calls of the task function (``most``; of each distinct set of argument types)
    that ``how`` makes of ``call``'s arguments: ``apply_async(func, args, kwds)``, ``map``'s and ``imap``'s one
    element, ``starmap``'s elements unpacked, an executor's ``submit(fn, *args)`` and its ``map``'s chunks. None
    for an iterator (what it yields is not known before it runs)."""
    import collections.abc

    if call is None:
        return []
    _, args, kwargs = call
    found: List[Tuple[Tuple[Any, ...], Dict[str, Any]]] = []
    if how == "apply_async":
        given = args[0] if args else kwargs.get("args", ())
        found.append((tuple(given), dict(args[1] if len(args) > 1 else kwargs.get("kwds") or {})))
    elif how in ("_map_async", "imap", "imap_unordered") and args:
        star = how == "_map_async" and getattr(args[1] if len(args) > 1 else None, "__name__", "") == "starmapstar"
        if isinstance(args[0], (list, tuple)):
            found += [(tuple(e) if star else (e,), {}) for e in args[0][:64] if not star or isinstance(e, tuple)]
    elif how == "submit":
        if _mapped(func) is not func and args and isinstance(args[0], tuple):
            found += [(tuple(e), {}) for e in args[0][:64] if isinstance(e, tuple)]  # map's chunk
        elif not any(isinstance(a, collections.abc.Iterator) for a in args):
            found.append((tuple(args), dict(kwargs)))
    distinct: Dict[Tuple[type, ...], Tuple[Tuple[Any, ...], Dict[str, Any]]] = {}
    for args_, kwargs_ in found:
        distinct.setdefault(tuple(map(type, (*args_, *kwargs_.values()))), (args_, kwargs_))
    return list(distinct.values())[:most]


def _carried_functions(task: Any, depth: int = 0) -> List[Any]:
    """The plain functions a ``functools.partial`` task carries, each pickled by name with it: its function and
    those among its arguments (partials in partials followed, three deep)."""
    import functools
    import types

    if not isinstance(task, functools.partial) or depth > 3:
        return []
    found = []
    for part in (task.func, *task.args, *(task.keywords or {}).values()):
        if isinstance(part, types.FunctionType):
            found.append(part)
        found.extend(_carried_functions(part, depth + 1))
    return found


def _mapped(func: Any) -> Any:
    """The program's function behind an executor's ``map()``, which submits ``partial(_process_chunk, fn)``
    (concurrent.futures.process): the task is ``fn``'s, not the standard library's."""
    inner = getattr(func, "func", None)
    args = getattr(func, "args", None)
    if (
        getattr(inner, "__name__", None) == "_process_chunk"
        and getattr(inner, "__module__", None) == "concurrent.futures.process"
        and isinstance(args, tuple) and args
    ):  # fmt: skip
        return args[0]
    return func


def chooses_fork(pool: Any) -> bool:
    """Whether the program chose fork for this pool or executor."""
    return chosen_for_pool(pool) == "fork"


def chosen_for_pool(pool: Any) -> Optional[str]:
    """The start method the program chose for this pool or executor (:func:`chosen_for_context` of its context)."""
    return chosen_for_context(getattr(pool, "_ctx", None) or getattr(pool, "_mp_context", None))


def chosen_for_context(ctx: Any) -> Optional[str]:
    """The start method the program chose itself for the processes of context ``ctx`` (a pool's or an
    executor's): the method of a context it asked for by name (``get_context("fork").Pool()``) that is not the
    default, or, for the default (:func:`mpcheck.start_method.hook.is_default_context`), what its own
    ``set_start_method()`` set. None: the program chose none; the marked default (mpcheck's forced method
    included) is a prediction for every method.

    The same question as :func:`chosen_for_process`, asked of a context: here the context that an unmarked
    default resolved into (multiprocess's, billiard's; a probe cell's, which mpcheck sets unmarked) is the
    default's, so only the program's own ``set_start_method()`` makes its method chosen."""
    if ctx is None:
        return None
    if is_default_context(ctx):
        return None if is_default_process(getattr(ctx, "Process", None)) else state.method_set
    return getattr(ctx, "_name", None)


def chosen_for_process(process: Any) -> Optional[str]:
    """The start method the program chose itself for ``process`` at its start: a context's ``Process`` it asked
    for (``get_context("spawn").Process``, a Pool's worker of such a context), else what its own
    ``set_start_method()`` set. None: the program chose none; a process of the marked default
    (:func:`mpcheck.start_method.hook.is_default_process`: mpcheck's forced method's included) is a prediction
    for every method.

    The question of :func:`chosen_for_context`, asked of a process whose context is not known, only its class:
    a concrete context's process counts as chosen even where that context is what an unmarked default resolved
    into (multiprocess's, billiard's; a probe cell's, which mpcheck sets unmarked), which
    :func:`chosen_for_context` counts as the default's."""
    if is_default_process(type(process)):
        return None
    return getattr(process, "_start_method", None) or state.method_set


def _task_sent(func: Any, initializer: Any, call: Any) -> Optional[Tuple[Any, ...]]:
    """What a pool's worker is sent for a task (None: not known without consuming an iterator)."""
    import collections.abc

    if call is None:
        return None
    initargs, args, kwargs = call
    parts = [func, initializer, initargs]
    for value in (*args, *kwargs.values()):
        if isinstance(value, collections.abc.Iterator):
            return None  # a generator given to map(): what it yields is not known before it runs
        parts.append(value)
    from .tables import Parts

    return Parts(parts)


def check_set_start_method() -> None:
    """MP113: set_start_method() (without force) called by the script's top-level code, outside its guard."""
    frame = main_toplevel_frame()
    src = main_source() if frame is not None and not in_main_guard(frame) else None
    if src is not None and not src.in_guard(frame.f_lineno):
        children = " or ".join(reimporting_main_here())
        report(
            "MP113",
            (src.path, frame.f_lineno),
            f"set_start_method() runs in the script's top-level code, outside its main guard: a {children} child "
            "re-imports the script and calls it again after its method was set "
            "(RuntimeError: context has already been set)",
            context=MAIN_SCRIPT,
        )


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
        if starter is not None and in_packages(starter[2], INTERNAL_THREADS) and starter[2] not in POOL_MODULES:
            continue  # multiprocessing's own threads that reset after a fork (a Queue's feeder), the test runner's
        if starter is None and isinstance(thread, getattr(threading, "_DummyThread", ())):
            continue
        if starter is not None and _fork_safe(thread, starter[2]):
            continue
        if state.at_fork_program and starter is not None and not in_packages(starter[2], PACKAGES):
            continue  # the program starts its threads again in a fork child itself (os.register_at_fork)
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
        + (f", started at {display(site[0])}:{site[1]}" if site else "")
        + "): a fork child has only the forking thread, and locks the others held stay held",
        start,
    )


def _fork_safe(thread: Any, starter: str) -> bool:
    """A thread an installed package started to run its own code, where that package registered
    ``os.register_at_fork()`` handlers: it makes its locks safe across a fork itself (loguru acquires its
    loggers' and sinks' locks before a fork, under which its writer thread works, and releases them after),
    so none is held in the child. The standard library's registrations reset a module's own locks in the
    child only (a ThreadPoolExecutor's workers still run the program's tasks): not counted."""
    package = starter.split(".")[0]
    if package not in state.at_fork_packages:
        return False
    target = getattr(thread, "_target", None)
    code = getattr(target, "__func__", target) if target is not None else getattr(type(thread), "run", None)
    return ((getattr(code, "__module__", None) or "").split(".")[0]) == package


#: the set-up calls that give a child logging of its own (where its code names one, even behind an `if`, the
#: child configures its logging itself, and the parent's handlers are not what it logs through)
_LOGGING_SETUP = frozenset(("basicConfig", "dictConfig", "fileConfig", "addHandler"))


def _configures_logging(functions: List[Any]) -> bool:
    """True when the child's first code (its target, a Process subclass's run(), its initializer), followed
    through the functions it calls, names a logging set-up call."""
    visited: List[Any] = []
    reads_of([f for f in functions if f is not None], visited=visited)
    return any(_LOGGING_SETUP.intersection(code.co_names) for code in visited)


def _resets_sigterm(functions: List[Any]) -> bool:
    """True when the child's first code installs signal handlers itself (its initializer or target)."""
    reads, _ = reads_of([f for f in functions if f is not None])
    return any(name == "signal" and attr in ("signal", "SIG_DFL") for _, name, attr in reads)
