"""Inside a child of multiprocessing: what it does that another start method would change (MP105 logging
through the parent's run-time handlers, MP106 environment variables set late, MP107 the parent's signal
handlers, MP111 atexit handlers that never run).

Loaded when a watched child begins (a fork child has it from its parent already). Stdlib only.
"""

from __future__ import annotations

import os
import sys

from ..methods import CHILDREN_RUN_ATEXIT, REAPS_ANY_CHILD_NAMES, REAPS_CHILDREN_NAMES, WHICH_PROCESS_NAMES
from .state import installed, is_patched, mark, state, write_process
from .where import installed_or_stdlib, owner, program_frame, report, short

TYPE_CHECKING = False  # not typing's: see mpcheck.expect
if TYPE_CHECKING:
    from typing import Any, Dict, List, Tuple

    Location = Tuple[str, int]


def begins(process: Any) -> None:
    # a copy of the watched parent's memory (not a spawn child, which installed its own, nor a fork
    # server's child, whose memory is the server's)
    forked = state.pid == getattr(process, "_mpcheck_parent", None) and state.pid != os.getpid()
    state.in_child = True
    state.os_forked = None
    state.child_nodeid = getattr(process, "_mpcheck_nodeid", None)
    state.child_atexit = []
    state.child_configured_logging = bool(getattr(process, "_mpcheck_logs_itself", False))
    state.child_env = set()
    late = getattr(process, "_mpcheck_late_env", None)
    if late:
        _watch_env_reads(late)
    sinks = getattr(process, "_mpcheck_loguru", None)
    if not forked:
        parent_logging = getattr(process, "_mpcheck_logging", None)
        if parent_logging:
            _watch_unconfigured_logging(parent_logging)
        if sinks:
            _watch_loguru(sinks)
        return
    write_process(forked=True)
    if not getattr(process, "_mpcheck_fork_chosen", False):  # (fork chosen: every child has the parent's logging)
        for handler, logger, site in list(state.runtime_handlers.values()):
            _count_records(handler, logger, site)
    if sinks:
        for core, handler_id, site in list(state.runtime_sinks.values()):
            _count_sink_records(core, handler_id, site)
    signal = sys.modules.get("signal")
    if signal is not None:
        for signum, site in list(state.signal_sites.items()):
            original = python_handler(signum)
            if original is not None and not asks_which_process(original):
                try:
                    original_signal(signum, InheritedHandler(original, signum, site))
                except (ValueError, OSError):
                    pass


def note_atexit(func: Any, caller: Any) -> None:
    """The child registers an atexit handler (``caller`` calls ``atexit.register``). The program's own
    registration is its line; a library's (the standard library, an installed package, the test runner)
    while a module is being imported is that module's own handler, which every program importing it has:
    not the program's; a library's at run time is the program's line that called it, naming the library, except
    an installed package's own handler (tqdm's monitor's), whose effect is the package's and not known here."""
    whose = owner(caller)
    if whose is None:  # the program's own
        if not _saved_in_finally(func, caller):
            state.child_atexit.append(((caller.f_code.co_filename, caller.f_lineno), None))
        return
    if installed(caller.f_code.co_filename) and not _programs(func):
        return  # an installed package's own clean-up (tqdm's monitor thread's): what it does without it is not known
    mine = program_frame(caller)
    frame = caller
    while frame is not None and frame is not mine:
        if frame.f_code.co_name == "<module>":
            return  # a module's import registers it
        frame = frame.f_back
    if mine is not None:
        name = getattr(func, "__qualname__", None) or short(func)
        handler = f"the program's `{name}` as an atexit handler" if _programs(func) else f"its atexit handler `{name}`"
        registered = f"called {whose} here, which registered {handler},"
        state.child_atexit.append(((mine.f_code.co_filename, mine.f_lineno), registered))


def _saved_in_finally(func: Any, caller: Any) -> bool:
    """Whether a function of the program on the stack calls the handler (by its name, with the arguments it was
    registered with) in a ``finally:`` block:
    the child does the handler's work itself, however it ends (coverage#879's fix: ``finally: cov.save()``).
    The source is parsed only for the frames of the program's own files."""
    name = getattr(func, "__name__", None)
    if not isinstance(name, str) or name == "<lambda>":
        return False
    from . import source

    registering = source.parse(caller.f_code.co_filename)
    args = registering.registered_args(caller.f_lineno, name) if registering is not None else None
    if args is None:
        return False
    frame = caller
    while frame is not None:
        code = frame.f_code
        if owner(frame) is None:
            src = source.parse(code.co_filename)
            if src is not None and src.function_finally_calls(code.co_firstlineno, name, args):
                return True
        frame = frame.f_back
    return False


def _programs(func: Any) -> bool:
    """Whether ``func`` (an atexit handler an installed package registers) is the program's own code."""
    code = getattr(getattr(func, "__func__", func), "__code__", None)
    filename = getattr(code, "co_filename", "") or ""
    return bool(filename) and not installed_or_stdlib(filename)


def ends(process: Any) -> None:
    if state.child_atexit and not CHILDREN_RUN_ATEXIT.here():
        for site, registered in state.child_atexit:
            registered = registered or "registered an atexit handler"
            report(
                "MP111",
                site,
                f"the child {registered} and ended normally: before 3.13 a fork or forkserver child ends with "
                "os._exit() and never runs it, a spawn child does",
            )


def python_handler(signum: int) -> Any:
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


def asks_which_process(handler: Any) -> bool:
    """Whether the handler's own code has an ``if`` that asks which process it runs in (``os.getpid()``,
    ``current_process()``, ``parent_process()``): written for the fork children that inherit it (microscope's
    handler does nothing outside the process that installed it), so running there is not the pitfall. A pid
    only written to a log is not asking."""
    code = getattr(getattr(handler, "__func__", handler), "__code__", None)
    if code is None or not WHICH_PROCESS_NAMES & set(code.co_names):
        return False
    from . import source

    src = source.parse(code.co_filename)
    return src is not None and src.function_tests_call(code.co_firstlineno, WHICH_PROCESS_NAMES)


def only_reaps(handler: Any) -> bool:
    """Whether a SIGCHLD handler's own code only reaps ended children (its names are those of
    :data:`mpcheck.methods.REAPS_CHILDREN_NAMES`: ``os.waitpid(-1, os.WNOHANG)``, ``multiprocessing.
    active_children()``; it stores no global and no attribute, calls nothing else): where a fork server's children
    never signal the starter, the server reaps them and nothing is missed (websockify#101, MP119)."""
    code = getattr(getattr(handler, "__func__", handler), "__code__", None)
    if code is None or any(isinstance(c, type(code)) for c in code.co_consts):
        return False  # no code, or a nested function or comprehension: not read here
    names = set(code.co_names)
    return bool(names) and names <= REAPS_CHILDREN_NAMES and bool(names - {"os", "multiprocessing", "process"})


def reaps_any_child(handler: Any) -> bool:
    """Whether a SIGCHLD handler's own code reaps whichever child ended (``os.waitpid(-1, os.WNOHANG)``,
    ``os.wait()``: :data:`mpcheck.methods.REAPS_ANY_CHILD`), taking a fork or spawn child's exit status
    before multiprocessing does (websockify#101, MP122)."""
    code = getattr(getattr(handler, "__func__", handler), "__code__", None)
    if code is None or REAPS_ANY_CHILD_NAMES.keys().isdisjoint(code.co_names):
        return False
    from . import source

    src = source.parse(code.co_filename)
    return src is not None and src.function_reaps_any_child(code.co_firstlineno)


def original_signal(signum: int, handler: Any) -> Any:
    signal = sys.modules["signal"]
    return getattr(signal.signal, "__wrapped__", signal.signal)(signum, handler)


class InheritedHandler:
    """A fork child's copy of the parent's Python signal handler: says when it runs, then runs it."""

    def __init__(self, handler: Any, signum: int, site: Location) -> None:
        self.handler, self.signum, self.site = handler, signum, site

    def __call__(self, signum: int, frame: Any) -> Any:
        name = getattr(self.handler, "__qualname__", None) or short(self.handler)
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
        if not state.child_configured_logging:
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


def _count_sink_records(core: Any, handler_id: int, site: Location) -> None:
    """A fork child: records that reach a loguru sink the parent added at run time."""
    handler = getattr(core, "handlers", {}).get(handler_id)
    if handler is None:
        return
    original = handler.emit

    def emit(record: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            level = record["level"]
            if not state.child_configured_logging and level.no >= handler.levelno:
                report(
                    "MP105",
                    site,
                    f"the fork child logged a record at {level.name} through the sink the parent added to loguru's "
                    "logger at run time; a spawn or forkserver child's logger has no such sink (loguru's default, "
                    "stderr, gets the record, or nothing does)",
                )
        except Exception:
            pass
        return original(record, *args, **kwargs)

    try:
        handler.emit = emit
    except Exception:
        pass


def _watch_loguru(sinks: List[Tuple[Location, int]]) -> None:
    """A spawn or forkserver child: a record that a loguru sink the parent added at run time would take."""
    from ..startup import when_imported

    def patch(module: Any) -> None:
        logger = getattr(module, "Logger", None)
        original = getattr(logger, "_log", None)
        if logger is None or original is None or is_patched(original):
            return

        def log(self: Any, level: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                if not state.child_configured_logging and not state.busy:
                    number = level if isinstance(level, int) else self._core.levels[level].no
                    for site, threshold in sinks:
                        if number >= threshold:
                            report(
                                "MP105",
                                site,
                                f"the child logged a record at {level} that the sink the parent added to loguru's "
                                "logger at run time would take; this child's logger has no such sink (a fork child "
                                "inherits it)",
                            )
                            break
            except Exception:
                pass
            return original(self, level, *args, **kwargs)

        logger._log = mark(log, original)

    when_imported("loguru._logger", patch)


def _watch_unconfigured_logging(parent: List[Tuple[str, Location, int]]) -> None:
    """A spawn or forkserver child: a record the parent's run-time logging would have handled, which this
    child's logging (not configured by the child itself) drops or hands to logging's last resort."""
    import logging

    original = logging.Logger.isEnabledFor

    def is_enabled_for(self: Any, level: int) -> bool:
        enabled = original(self, level)
        if not state.child_configured_logging and not state.busy:
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
    if is_patched(original):
        return

    def getitem(self: Any, key: str) -> Any:
        try:
            return original(self, key)
        finally:
            if self is os.environ and key in late and key not in state.child_env and not state.busy:
                _report_late(key)

    def _report_late(key: str) -> None:
        report(
            "MP106",
            late[key],
            f"the child read ${key}, which the parent changed after its first process had started (line "
            f"{late[key][1]}): a forkserver child is forked from a server started before, with the old value",
        )

    environ_type.__getitem__ = mark(getitem)  # type: ignore[method-assign]
