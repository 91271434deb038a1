"""What the sanitizer knows in a watched process, in one place (:data:`state`), and what all its modules
share: which modules are not the program's, the findings file, the "already patched" mark.

Imported at every watched Python's start with :mod:`.hook`; the checks import it too, never the hook
(which imports them at a process's first start). Stdlib only.
"""

from __future__ import annotations

import os

from ..methods import PROCESS_PACKAGES

TYPE_CHECKING = False  # not typing's: see mpcheck.expect
if TYPE_CHECKING:
    from typing import Any, Collection, Dict, List, Optional, Set, Tuple

    Location = Tuple[str, int]

#: the modules that are not the program's own code, never the code to blame, and what else each is:
#: "process", a copy of multiprocessing whose process starts are watched (its own threads, a Queue's feeder
#: or a Pool's handlers, reset themselves after a fork); "pool", a process pool's own threads too; "runner",
#: the test runner and mpcheck (their threads, logging handlers and environment variables are their own)
_NOT_THE_PROGRAM = {
    **{package: "process" for package in PROCESS_PACKAGES},
    "concurrent.futures.process": "pool",
    "concurrent.futures": "",
    "mpcheck": "runner",
    "_pytest": "runner",
    "pytest": "runner",
    "pluggy": "runner",
    "execnet": "runner",
    "xdist": "runner",
    "importlib": "",
    "runpy": "",
    "threading": "",
    "logging": "",
    "unittest": "",
    "atexit": "",
}
#: the copies of multiprocessing whose process starts are watched
PACKAGES = tuple(name for name, kind in _NOT_THE_PROGRAM.items() if kind == "process")
MACHINERY = frozenset(_NOT_THE_PROGRAM)
#: threads these start are not the program's (reset after a fork, or the test runner's)
INTERNAL_THREADS = frozenset(name for name, kind in _NOT_THE_PROGRAM.items() if kind)
#: a process pool's modules: its threads (a Pool's handlers, a ThreadPool's workers) are running threads at a fork
POOL_MODULES = frozenset(f"{package}.{module}" for package in PROCESS_PACKAGES for module in ("pool", "dummy"))
#: the test runner's own packages (its logging capture handlers are not the program's)
RUNNER = frozenset(name for name, kind in _NOT_THE_PROGRAM.items() if kind == "runner")
#: the attribute that marks what the sanitizer put in place: "already patched"
_MARK = "_mpcheck_sanitize"


class _State:
    """Everything the sanitizer knows in this process (one instance, :data:`state`)."""

    def __init__(self) -> None:
        self.folder: Optional[str] = None
        self.pid = 0
        self.busy = False
        self.starts = 0
        #: env keys changed after the first start -> where
        self.late_env: Dict[str, Location] = {}
        #: handler id -> (handler, logger name, where it was added at run time)
        self.runtime_handlers: Dict[int, Tuple[Any, str, Location]] = {}
        #: (id of loguru's core, handler id) -> (the core, the handler id, where the program added it at run time)
        self.runtime_sinks: Dict[Tuple[int, int], Tuple[Any, int, Location]] = {}
        #: the method the program itself set with set_start_method() (None: it never did)
        self.method_set: Optional[str] = None
        #: the installed packages (top-level names) that registered os.register_at_fork() handlers (MP112)
        self.at_fork_packages: Set[str] = set()
        #: the program registered an ``after_in_child`` hook that starts threads again (or resets locks) in a
        #: fork child: it makes up itself for the threads a fork child lacks (MP112)
        self.at_fork_program = False
        #: signal number -> where its Python handler was installed
        self.signal_sites: Dict[int, Location] = {}
        #: id of an entered ``unittest.mock`` patcher -> (the patcher, the object patched, the attribute, where)
        self.mock_patches: Dict[int, Tuple[Any, Any, str, Optional[Location]]] = {}
        #: id of a non-str object added to sys.path -> where
        self.syspath_sites: Dict[int, Location] = {}
        #: top-level module name -> whether a fresh interpreter with this sys.path finds it
        self.importable: Dict[str, bool] = {}
        #: set in a process made by os.fork(): where, and how many starts its parent had made
        self.os_forked: Optional[Tuple[Location, int]] = None
        #: in a child of multiprocessing: the test that started it, the atexit handlers it registered
        self.in_child = False
        self.child_nodeid: Optional[str] = None
        #: each atexit handler the child registered: where, and what registered it when not the program's code
        self.child_atexit: List[Tuple[Location, Optional[str]]] = []
        self.child_configured_logging = False
        #: the environment variables the child set itself
        self.child_env: Set[str] = set()
        #: logging.basicConfig() called by logging itself (logging.info() with no handler)
        self.implicit_logging = False
        self.reported: Set[Tuple[str, str, int, Optional[str]]] = set()


state = _State()


def installed(filename: str) -> bool:
    """Whether a file is an installed package's: under a ``site-packages`` or ``dist-packages`` folder."""
    return "site-packages" in filename or "dist-packages" in filename


def in_packages(name: str, packages: Collection[str]) -> bool:
    """``name`` is one of ``packages`` or inside one (``multiprocessing_logging`` is not ``multiprocessing``)."""
    if name in packages:
        return True
    dot = name.find(".")
    while dot != -1:
        if name[:dot] in packages:
            return True
        dot = name.find(".", dot + 1)
    return False


def write(record: Dict[str, Any]) -> None:
    """Append one JSON line to this process's findings file."""
    if not state.folder:
        return
    import json

    try:
        line = json.dumps(record) + "\n"
    except (TypeError, ValueError):
        return
    _append(line)


def write_process(forked: bool = False) -> None:
    """Append this process's own line (its pid, its parent's, whether a fork child of a watched process made
    it), written without :mod:`json`: that import, with re's, would cost every watched start ~10 ms."""
    _append(f'{{"kind": "process", "pid": {os.getpid()}, "ppid": {os.getppid()}, "forked": {str(forked).lower()}}}\n')


#: folder -> the start of its findings files' paths (joined once: a fork child writing its line runs no
#: os.path code, each function of which it would copy from its parent's memory)
_prefixes: Dict[str, str] = {}


def _append(line: str) -> None:
    if not state.folder:
        return
    # one os.write() of the whole line to a file opened for appending, not open()'s layers of io objects:
    # cheaper in every watched process (a fork child touches fewer of the parent's pages), and lines of
    # two writers never interleave
    prefix = _prefixes.get(state.folder)
    if prefix is None:
        prefix = _prefixes[state.folder] = os.path.join(state.folder, "findings-")
    try:
        fd = os.open(f"{prefix}{os.getpid()}.jsonl", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
    except OSError:
        return
    try:
        os.write(fd, line.encode("utf-8"))
    except OSError:
        pass
    finally:
        os.close(fd)


def debug() -> None:
    """With ``$MPCHECK_SANITIZE_DEBUG`` set, a check's own error is printed (else it is dropped)."""
    if os.environ.get("MPCHECK_SANITIZE_DEBUG"):
        import traceback

        traceback.print_exc()


def is_patched(function: Any) -> bool:
    return bool(getattr(function, _MARK, False))


def mark(wrapper: Any, original: Any = None) -> Any:
    """Mark ``wrapper`` as the sanitizer's (and, given ``original``, as wrapping it)."""
    setattr(wrapper, _MARK, True)
    if original is not None:
        wrapper.__wrapped__ = original
        wrapper.__doc__ = original.__doc__
    return wrapper
