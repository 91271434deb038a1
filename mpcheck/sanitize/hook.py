"""The sanitizer inside every Python process of a watched command: at each process start, what would the
other start methods do differently?

Installed at interpreter start-up by the ``.pth`` line where ``$MPCHECK_SANITIZE`` names a folder (and by
``pytest --mp-sanitize`` in its own process). Each process appends its findings to
``FOLDER/findings-PID.jsonl``, one JSON object a line; :mod:`mpcheck.sanitize.findings` reads them,
removes repeats and ties each to its pitfall in :mod:`mpcheck.pitfalls` (here only the code is known:
importing the table would cost every Python start).

This module and :mod:`.state` (what the sanitizer knows in this process, in one place) are what every
watched Python loads at start-up: the patches that watch what it does. The checks load at its first
process start (or at the first event one of them needs): :mod:`.where` (which line of the program to
blame, the findings written), :mod:`.starts` (what each start checks), :mod:`.pickling` (MP101, MP108),
:mod:`.reads` and :mod:`.tables` (MP103) and :mod:`.child` (inside a child: MP105, MP106, MP107, MP111). They import
:mod:`.state`, never this module. A check asks :mod:`.text` first (what a file's text settles) and reads
bytecode (``dis``) and source (:mod:`.source`, ``ast``) only where that is not settled.

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
  at run time; a module-level dict or list bound to a literal on import and changed in place only by
  run-time code. Not when the child's initializer sets it again, nor its target before reading it. A table (a
  module-level dict, list or set) the child's code reads holding a function or class that a module of the
  program put there, a module a spawn or forkserver child never imports (a test module pytest collected, a
  plugin the main guard imported), followed through the program's own imports; not when the child imports
  modules or changes the table itself. An attribute a ``mock.patch`` holds replaced while the child starts,
  that the child's code reads (a method of a class the child makes included: airflow's patched
  ``DagBag.collect_dags``).
- MP105: log records a fork child emits through handlers the parent configured at run time, counted
  in the child (a spawn or forkserver child's root logger has none of them); not where the child's own
  code sets its logging up. The same for loguru's logger: a sink the program added at run time
  (``logger.add()``), unless the child sets its sinks up itself or is sent the logger.
- MP106: environment variables the parent changed after its first process start that a later child
  reads (a fork server keeps the environment it started with), unless the child set them itself first.
- MP107: a Python signal handler of the parent that runs in a fork child (not reset there); under the
  other methods, one installed when the child started, for a signal the parent then sends it.
- MP109: a process start in a process made by ``os.fork()`` after its parent had started processes.
- MP110: a ``sys.path`` entry that is not a ``str`` at a start (the fork server's command line).
- MP111 (before 3.13): an ``atexit`` handler registered in a child that then ends normally.
- MP112: other threads alive at a start (a fork copies only the thread that forks), a Pool's own
  included; not at a start under spawn or forkserver that the program chose itself, nor a thread of an
  installed package that registers ``os.register_at_fork()`` handlers for its locks (loguru's writer).
- MP113: ``set_start_method()`` called by the main script's top-level code outside its guard (a spawn
  child re-imports the script and calls it again; a forkserver child too, where its server does not
  preload the script).
- MP119: a process start while the program's own Python SIGCHLD handler is installed, unless the program
  chose fork or spawn for it (a fork server's child ends unheard by the starter).
- MP122: a process start while the program ignores SIGCHLD, or its SIGCHLD handler reaps any child
  (``os.waitpid(-1, ...)``, ``os.wait()``), unless the program chose forkserver for it (a fork or spawn
  child's exit status taken before multiprocessing asks for it).

What cannot be decided is not reported. No check changes what the program does: every check is
wrapped, and an error inside one is dropped. Stdlib only, all of them.
"""

from __future__ import annotations

import os
import sys

from ..startup import when_imported
from .state import PACKAGES, RUNNER, debug, in_packages, installed, is_patched, mark, state, write_process

TYPE_CHECKING = False  # not typing's: see mpcheck.expect
if TYPE_CHECKING:
    from typing import Any, Tuple

    Location = Tuple[str, int]

ENV = "MPCHECK_SANITIZE"
_CHILD = f"{__package__}.child"
# --- the patches ------------------------------------------------------------------------------------


def _patch_process(module: Any) -> None:
    base = getattr(module, "BaseProcess", None)
    if base is None or is_patched(base.start):
        return
    package = module.__name__.split(".")[0]
    start, bootstrap, terminate = base.start, base._bootstrap, base.terminate

    def checked_start(self: Any) -> Any:
        if not state.busy:
            state.busy = True
            try:
                from .starts import before_start

                before_start(self, package)
            except Exception:
                debug()
            finally:
                state.busy = False
        return start(self)

    def watched_bootstrap(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            child: Any = sys.modules.get(_CHILD)  # (a fork child has it from its parent: no import machinery)
            if child is None:
                from . import child

            child.begins(self)
        except Exception:
            debug()
        code = bootstrap(self, *args, **kwargs)
        try:
            child.ends(self)
        except Exception:
            debug()
        return code

    def watched_terminate(self: Any) -> Any:
        site = getattr(self, "_mpcheck_sigterm", None)
        if site is not None:
            from .where import report, user_site

            report(
                "MP107",
                site,
                "the parent sends SIGTERM to a child started while its own Python SIGTERM handler was installed: "
                "a fork child inherits that handler and runs it instead of ending",
                user_site(sys._getframe(1)),
            )
        return terminate(self)

    base.start = mark(checked_start, start)
    base._bootstrap = mark(watched_bootstrap, bootstrap)
    base.terminate = mark(watched_terminate, terminate)


def _patch_pool(module: Any) -> None:
    pool = getattr(module, "Pool", None)
    if pool is None or is_patched(pool.apply_async):
        return
    threads = getattr(module, "ThreadPool", ())

    def initializer_of(self: Any) -> Any:
        if isinstance(self, threads):
            raise NotProcesses  # a ThreadPool's tasks run in this process: nothing is pickled
        return getattr(self, "_initializer", None)

    for name in ("apply_async", "_map_async", "imap", "imap_unordered"):
        original = getattr(pool, name, None)
        if original is not None:
            setattr(pool, name, _task_checker(original, initializer_of))
    init = pool.__init__

    def made(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        if not isinstance(self, threads) and not state.busy:
            _forked_with(self)  # a fork Pool's workers are forked now, each task sent later runs in one of them

    pool.__init__ = mark(made, init)


class NotProcesses(Exception):
    """A pool whose workers are threads: no check applies."""


def _patch_executor(module: Any) -> None:
    executor = getattr(module, "ProcessPoolExecutor", None)
    if executor is None or is_patched(executor.submit):
        return
    executor.submit = _task_checker(executor.submit, lambda self: getattr(self, "_initializer", None), first=True)


def _forked_with(pool: Any) -> None:
    """What the pool's fork workers get (:func:`mpcheck.sanitize.forked.take`), for a pool whose method
    is not the program's own choice of fork: the tasks of one that is are not judged at all
    (:func:`mpcheck.sanitize.starts.check_task`), and copying every module's globals for it is wasted."""
    try:
        from .forked import take, taken_nothing
        from .starts import chooses_fork

        if chooses_fork(pool):
            taken_nothing(pool)  # (an executor's first submit asks whether it was taken)
        else:
            take(pool)
    except Exception:
        debug()


def _task_checker(original: Any, initializer_of: Any, first: bool = False) -> Any:
    """``first``: the pool's fork workers are forked at its first task (an executor's), not when it is made."""

    def checked(self: Any, func: Any, *args: Any, **kwargs: Any) -> Any:
        if not state.busy:
            if first and not hasattr(self, "_mpcheck_forked_with"):  # (mpcheck.sanitize.forked's)
                _forked_with(self)
            state.busy = True
            try:
                from .starts import check_task

                call = (getattr(self, "_initargs", ()), args, kwargs)
                check_task(func, initializer_of(self), call, self, getattr(original, "__name__", ""))
            except NotProcesses:
                pass
            except Exception:
                debug()
            finally:
                state.busy = False
        return original(self, func, *args, **kwargs)

    return mark(checked, original)


def _patch_logging(module: Any) -> None:
    logger = module.Logger
    if is_patched(logger.addHandler):
        return
    add = logger.addHandler

    def add_handler(self: Any, handler: Any) -> Any:
        try:
            if state.in_child:
                if not state.implicit_logging:
                    state.child_configured_logging = True
            elif not state.busy and not in_packages(type(handler).__module__, RUNNER):
                # (a test runner's own capture handler, even put back by the program, is not the program's)
                from .where import at_import_time, program_site

                if not at_import_time():
                    site = program_site(sys._getframe(1))
                    if site is not None:
                        state.runtime_handlers[id(handler)] = (handler, self.name if self.name != "root" else "", site)
        except Exception:
            pass
        return add(self, handler)

    logger.addHandler = mark(add_handler)
    basic = module.basicConfig

    def basic_config(*args: Any, **kwargs: Any) -> Any:
        # logging.info() and friends call basicConfig() themselves when the root has no handler: that is
        # the unconfigured default, not the child configuring its logging
        implicit = sys._getframe(1).f_globals.get("__name__") == "logging"
        if state.in_child and not implicit:
            state.child_configured_logging = True
        state.implicit_logging = implicit
        try:
            return basic(*args, **kwargs)
        finally:
            state.implicit_logging = False

    module.basicConfig = mark(basic_config)


def _patch_loguru(module: Any) -> None:
    """MP105 for loguru: a sink added to its logger at run time by the program (``logger.add(...)``), and a
    child that sets its loguru sinks up itself (``add``, ``remove``, ``configure``)."""
    logger = getattr(module, "Logger", None)
    if logger is None or is_patched(getattr(logger, "add", None)):
        return
    add = logger.add

    def add_sink(self: Any, *args: Any, **kwargs: Any) -> Any:
        handler_id = add(self, *args, **kwargs)
        try:
            if state.in_child:
                state.child_configured_logging = True
            elif not state.busy:
                from .where import at_import_time, library_caller

                site = library_caller(sys._getframe(1), "loguru")
                if site is not None and not at_import_time():
                    state.runtime_sinks[(id(self._core), handler_id)] = (self._core, handler_id, site)
        except Exception:
            pass
        return handler_id

    logger.add = mark(add_sink, add)
    for name in ("remove", "configure"):
        original = getattr(logger, name, None)
        if original is None:
            continue

        def child_sets_up(self: Any, *args: Any, __original: Any = original, **kwargs: Any) -> Any:
            if state.in_child:
                state.child_configured_logging = True
            return __original(self, *args, **kwargs)

        setattr(logger, name, mark(child_sets_up, original))


def _patch_logging_config(module: Any) -> None:
    for name in ("dictConfig", "fileConfig"):
        original = getattr(module, name, None)
        if original is None or is_patched(original):
            continue

        def configure(*args: Any, __original: Any = original, **kwargs: Any) -> Any:
            if state.in_child:
                state.child_configured_logging = True
            return __original(*args, **kwargs)

        setattr(module, name, mark(configure))


def _patch_threading(module: Any) -> None:
    thread = module.Thread
    if is_patched(thread.start):
        return
    original = thread.start

    def start(self: Any) -> Any:
        try:
            frame: Any = sys._getframe(1)
            while frame is not None and frame.f_globals.get("__name__") == "threading":
                frame = frame.f_back
            if frame is not None:
                from .where import user_site

                site = user_site(frame) or (frame.f_code.co_filename, frame.f_lineno)
                self._mpcheck_started_by = (site[0], site[1], frame.f_globals.get("__name__", "") or "")
        except Exception:
            pass
        return original(self)

    thread.start = mark(start)


def _unwrapped(handler: Any) -> Any:
    """The program's own handler where a fork child wrapped its copy of the parent's (see :mod:`.child`)."""
    child = sys.modules.get(f"{__package__}.child")
    inherited = getattr(child, "InheritedHandler", None)
    return handler.handler if inherited is not None and isinstance(handler, inherited) else handler


def _patch_mock(module: Any) -> None:
    """Keep the attributes a ``mock.patch`` / ``mock.patch.object`` holds replaced (entered as a context manager,
    a decorator, or with ``start()``), with where it was entered, until it exits (MP103: a spawn or forkserver
    child imports the patched module afresh, unpatched)."""
    patcher = getattr(module, "_patch", None)
    if patcher is None or is_patched(patcher.__enter__):
        return
    enter, leave = patcher.__enter__, patcher.__exit__

    def entered(self: Any) -> Any:
        result = enter(self)
        try:
            attribute = getattr(self, "attribute", None)
            if not state.in_child and isinstance(attribute, str):
                from .where import user_site

                site = user_site(sys._getframe(1))
                state.mock_patches[id(self)] = (self, getattr(self, "target", None), attribute, site)
        except Exception:
            debug()
        return result

    def left(self: Any, *exc_info: Any) -> Any:
        state.mock_patches.pop(id(self), None)
        return leave(self, *exc_info)

    patcher.__enter__ = mark(entered, enter)
    patcher.__exit__ = mark(left, leave)


def _patch_signal(module: Any) -> None:
    if is_patched(module.signal):
        return
    original, getsignal = module.signal, module.getsignal

    def set_handler(signum: int, handler: Any) -> Any:
        try:
            ignored = handler == getattr(module, "SIG_IGN", None)  # SIGCHLD's: MP122
            if (callable(handler) or ignored) and not state.in_child:
                from .where import user_site

                site = user_site(sys._getframe(1))
                if site is not None:
                    state.signal_sites[int(signum)] = site
            elif not callable(handler):
                state.signal_sites.pop(int(signum), None)
        except Exception:
            pass
        return _unwrapped(original(signum, handler))

    def get_handler(signum: int) -> Any:
        return _unwrapped(getsignal(signum))

    module.signal, module.getsignal = mark(set_handler, original), get_handler


def _patch_context(module: Any) -> None:
    """MP113: set_start_method() by the script's top-level code, outside its guard."""
    for cls_name in ("BaseContext", "DefaultContext"):
        cls = getattr(module, cls_name, None)
        original = getattr(cls, "set_start_method", None)
        if cls is None or original is None or is_patched(original):
            continue

        def set_start_method(self: Any, method: Any, force: bool = False, __original: Any = original) -> Any:
            found = sys._getframe(1).f_globals
            caller = found.get("__name__", "") or ""
            if caller == "__main__":  # a module run with -m is named by its spec: mpcheck's cell sets the default
                caller = getattr(found.get("__spec__"), "name", None) or caller
            if not in_packages(caller, ("mpcheck", *PACKAGES)):
                state.method_set = method  # the program's own choice (mpcheck --method sets the default instead)
            if not force:
                try:
                    from .starts import check_set_start_method

                    check_set_start_method()
                except Exception:
                    pass
            return __original(self, method, force)

        cls.set_start_method = mark(set_start_method)


class _WatchedPath(list):
    """sys.path, remembering where an entry that is not a str was added (MP110)."""

    def _note(self, items: Any) -> None:
        for item in items:
            if not isinstance(item, str):
                from .where import user_site

                site = user_site(sys._getframe(2))
                if site is not None:
                    state.syspath_sites[id(item)] = site

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
    if is_patched(environ_type.__setitem__):
        return
    setitem, delitem = environ_type.__setitem__, environ_type.__delitem__

    def note(self: Any, key: Any) -> None:
        if state.in_child and self is os.environ:
            state.child_env.add(key)  # the child sets it itself: what it reads next is its own
        elif self is os.environ and state.starts and not state.in_child and isinstance(key, str):
            if key.startswith(("PYTEST_", "MPCHECK_")):
                return  # the test runner's and mpcheck's own bookkeeping
            from .where import program_site

            site = program_site(sys._getframe(2))
            if site is not None:  # not the test runner's or multiprocessing's own
                state.late_env[key] = site

    def set_item(self: Any, key: Any, value: Any) -> None:
        setitem(self, key, value)
        note(self, key)

    def del_item(self: Any, key: Any) -> None:
        delitem(self, key)
        note(self, key)

    environ_type.__setitem__, environ_type.__delitem__ = mark(set_item), mark(del_item)  # type: ignore[method-assign]


def _patch_atexit() -> None:
    import atexit

    original = atexit.register
    if is_patched(original):
        return

    def register(func: Any, *args: Any, **kwargs: Any) -> Any:
        if state.in_child:
            try:
                from .child import note_atexit

                note_atexit(func, sys._getframe(1))
            except Exception:
                debug()
        return original(func, *args, **kwargs)

    atexit.register = mark(register)


def _register_at_fork(**kwargs: Any) -> Any:
    """``os.register_at_fork``, noting the installed package that calls it (:func:`_patch_register_at_fork`)."""
    try:
        frame = sys._getframe(1)
        filename = frame.f_code.co_filename or ""
        if installed(filename):
            state.at_fork_packages.add((frame.f_globals.get("__name__", "") or "").split(".")[0])
        elif restarts_in_child(kwargs.get("after_in_child")):
            from .where import is_machinery

            state.at_fork_program = state.at_fork_program or not is_machinery(frame)
    except Exception:
        pass
    return _register_at_fork.__wrapped__(**kwargs)  # type: ignore[attr-defined]


def restarts_in_child(hook: Any) -> bool:
    """Whether an ``after_in_child`` hook starts something again or resets a lock in the child: its code calls
    ``start`` or ``_at_fork_reinit`` (Flagsmith's client starts its polling thread again in each fork child)."""
    code = getattr(getattr(hook, "__func__", hook), "__code__", None)
    return code is not None and bool({"start", "_at_fork_reinit"} & set(code.co_names))


def _patch_register_at_fork() -> None:
    """MP112: which installed packages make their own threads' locks safe across a fork (loguru's writer
    thread: ``os.register_at_fork(before=acquire_locks, after_in_child=release_locks)``). Installed with the
    hook, not at the first start: loguru registers its handlers when it is imported, before any start. The
    wrapper is one module-level function, marked when installed: no closure is made at start-up."""
    original = getattr(os, "register_at_fork", None)
    if original is None or original is _register_at_fork:
        return
    os.register_at_fork = mark(_register_at_fork, original)


def _after_os_fork() -> None:
    caller = sys._getframe(1)
    if in_packages(caller.f_globals.get("__name__", "") or "", PACKAGES):
        return  # multiprocessing's own fork (a fork start, a fork server's child): not the program's os.fork()
    from .where import user_site

    state.os_forked = (user_site(caller) or ("?", 0), state.starts)
    state.starts = 0


def _mark_default_when_asked(module: Any) -> None:
    """:func:`_mark_default`, at the first call that may resolve the default context rather than when
    ``multiprocessing.context`` is imported (a watched process that never asks pays for nothing):
    ``DefaultContext.get_context()`` (what ``Process.start()``, ``Pool()``, ``Manager()``, a
    ``ProcessPoolExecutor`` and ``set_start_method()`` call) and ``get_start_method()`` are wrapped, and mark it
    while it is unresolved. Where ``multiprocessing`` was imported before the sanitizer was installed (another
    ``.pth`` file's), its ``get_context`` and ``get_start_method`` are already bound to the unwrapped methods:
    it is marked now."""
    cls = getattr(module, "DefaultContext", None)
    package = sys.modules.get(module.__name__.rpartition(".")[0])
    if cls is None or hasattr(package, "get_context"):
        _mark_default(module)
        return
    originals = {}
    for name in ("get_context", "get_start_method"):
        original = getattr(cls, name, None)
        if original is None or is_patched(original):
            continue
        originals[name] = original

        def resolving(self: Any, *args: Any, __original: Any = original, **kwargs: Any) -> Any:
            if getattr(self, "_actual_context", None) is None:
                try:
                    _mark_default(module)
                except Exception:
                    debug()
                _unwrap(cls, originals)
            return __original(self, *args, **kwargs)

        setattr(cls, name, mark(resolving, original))


def _unwrap(cls: Any, originals: Any) -> None:
    """Once the default is marked, the wrappers of :func:`_mark_default_when_asked` have done their work: the
    originals go back on ``DefaultContext``, and on the package (``multiprocessing.get_context`` and
    ``get_start_method`` are bound to the default context when the package is imported, after the wrapping).
    Marking is for good: the marked copy stays the default's context when a ``set_start_method(None,
    force=True)`` unresolves it again. A name imported from the package before (``from multiprocessing
    import get_context``) keeps the wrapper, which then only asks whether the default is resolved."""
    default = getattr(sys.modules.get(cls.__module__), "_default_context", None)
    package = sys.modules.get(cls.__module__.rpartition(".")[0])
    for name, original in originals.items():
        if is_patched(cls.__dict__.get(name)):
            setattr(cls, name, original)
        bound = getattr(package, name, None)
        if default is not None and is_patched(getattr(bound, "__func__", None)):
            setattr(package, name, getattr(default, name))


def _mark_default(module: Any) -> None:
    """Where no start method is forced (``--method``), make the platform's own default a marked copy of itself
    (:func:`mpcheck.start_method.hook.make_default`): a process started through the default context, a Pool's
    or an executor's workers made without a context included (they resolve it into the concrete context on the
    way), is then told apart from one of a context the program asked for by name (``get_context("fork")``,
    the same object otherwise). Nothing the program does changes: the same kind of context is the default.
    Called before the default is first resolved (:func:`_mark_default_when_asked`)."""
    default = getattr(module, "_default_context", None)
    concrete = getattr(default, "_default_context", None)
    if concrete is None or getattr(default, "_actual_context", None) is not None:
        return  # an unexpected layout, or the default already resolved: the checks read it unmarked
    if getattr(getattr(concrete, "Process", None), "_mpcheck_default", False):
        return  # the forced method's (``--method``, ``pytest --mp-start-method``): marked already
    from ..start_method.hook import make_default

    make_default(module, concrete._name)


def install(folder: str) -> None:
    """Watch this interpreter: findings go to ``folder``."""
    first = state.folder is None
    state.folder = folder
    state.pid = os.getpid()
    if not first:
        return
    write_process()
    for package in PACKAGES:
        when_imported(f"{package}.process", _patch_process)
        when_imported(f"{package}.pool", _patch_pool)
        when_imported(f"{package}.context", _patch_context)
    if not os.environ.get("MPCHECK_START_METHOD"):  # (mpcheck.start_method.hook.ENV: not imported at start-up)
        when_imported("multiprocessing.context", _mark_default_when_asked)
    when_imported("concurrent.futures.process", _patch_executor)
    when_imported("logging", _patch_logging)
    when_imported("logging.config", _patch_logging_config)
    when_imported("loguru._logger", _patch_loguru)
    when_imported("threading", _patch_threading)
    when_imported("signal", _patch_signal)
    when_imported("unittest.mock", _patch_mock)
    when_imported("mock.mock", _patch_mock)  # (the mock package, unittest.mock's backport)
    _watch_environ()
    _patch_atexit()
    _patch_register_at_fork()
    if type(sys.path) is list:
        sys.path = _WatchedPath(sys.path)
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_after_os_fork)


def install_from_env() -> None:
    """The ``.pth`` hook's entry: watch this interpreter when ``$MPCHECK_SANITIZE`` names a folder."""
    folder = os.environ.get(ENV)
    if folder:
        install(folder)
