"""What each start method does, where: the one home of these facts (platform, implementation, Python version).

Everything else reads this module: :mod:`mpcheck.expect` (and through it the scenarios), the pitfall
table, diagnosis, the linter's version sample, the sanitizer, the tests and the README's platform
table (``tests/test_methods.py`` checks it against :func:`default_method`). A Python release that
changes a default or what a fork server preloads is one edit here.

Two ways to ask:

- for any platform and Python, offline (reports, expectations, the pitfall table):
  ``default_method("linux", "3.14")``, ``SERVER_PRELOADS_MAIN.at("3.13.8")``;
- for the running interpreter (the sanitizer, in a watched program):
  ``default_method_here()``, ``SERVER_PRELOADS_MAIN.here()``, ``reimporting_main_here()``.

Versions are the Python *language* version (``sys.version_info``) on every implementation: PyPy 7.3.19
for Python 3.11 behaves as 3.11 here. Stdlib only and cheap: every cell and every watched Python may
import it (the import contracts in ``pyproject.toml`` hold it to that).
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not typing's: see mpcheck.expect
if TYPE_CHECKING:
    from typing import Dict, Optional, Tuple, Union

    Version = Tuple[int, ...]

#: The start methods, in the order reports show them.
METHODS: Tuple[str, ...] = ("fork", "spawn", "forkserver")
#: ``sys.platform`` as mpcheck names it (``linux*`` is ``linux``).
PLATFORMS: Tuple[str, ...] = ("linux", "darwin", "win32")
#: ``sys.implementation.name`` of the implementations the catalog knows; any other is judged as CPython.
IMPLEMENTATIONS: Tuple[str, ...] = ("cpython", "pypy")
#: The start methods each platform has (Windows: spawn only).
AVAILABLE: Dict[str, Tuple[str, ...]] = {
    "linux": METHODS,
    "darwin": METHODS,
    "win32": ("spawn",),
}
#: Methods whose children are fresh interpreters: they re-import ``__main__`` (as ``__mp_main__``) and the
#: target's module, and receive the target and its arguments by pickle. A fork child is a copy instead.
IMPORTING: Tuple[str, ...] = ("spawn", "forkserver")

#: The packages whose processes follow the standard library's contexts (``set_start_method``,
#: ``get_context``, the same three methods): multiprocessing and its copies with a ``context`` module of
#: their own (``multiprocess`` pickles with dill; ``billiard`` is Celery's fork).
PROCESS_PACKAGES: Tuple[str, ...] = ("multiprocessing", "multiprocess", "billiard")
#: Packages that re-export multiprocessing's own contexts (so follow them, and are not patched separately).
REEXPORTING: Tuple[str, ...] = ("torch.multiprocessing",)

#: The Pythons mpcheck supports, tests and runs its catalog on: CPython minors and, for PyPy, the
#: Python versions it implements. noxfile.py, tox.ini, the workflows and the package classifiers are
#: checked against these (tests/test_methods.py); a free-threaded build (``3.14t``) of a minor listed
#: here counts as that minor.
CPYTHONS: Tuple[str, ...] = ("3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15")
PYPYS: Tuple[str, ...] = ("3.9", "3.10", "3.11")
#: Every supported interpreter, spelled as nox and setup-python name them: ``3.12``, ``pypy3.11``.
SUPPORTED_VERSIONS: Tuple[str, ...] = CPYTHONS + tuple(f"pypy{v}" for v in PYPYS)
#: The free-threaded builds (``--disable-gil``) run as interpreters of their own, as nox and setup-python
#: name them: in noxfile.py, tox.ini (``py314t``) and the CI matrix (docs/pythons.md).
FREE_THREADED: Tuple[str, ...] = ("3.13t", "3.14t")


def parse(version: Union[str, Version]) -> Version:
    """``"3.13.8"`` -> ``(3, 13, 8)``; a tuple passes through (as its first three parts)."""
    if isinstance(version, tuple):
        return tuple(version[:3])
    return tuple(int(part) for part in str(version).split("."))


def _spell(version: Version) -> str:
    return ".".join(map(str, version))


class Change:
    """A behaviour of multiprocessing that holds in some Python versions: from ``since`` on, or in several
    ranges where a fix was backported (``ranges``: ``(first, end)`` pairs, ``end`` excluded, None: open).

    ``at(version)`` asks for any Python, ``here()`` for the running one.
    """

    __slots__ = ("name", "ranges", "what")

    def __init__(self, name: str, what: str, *ranges: Tuple[str, Optional[str]]) -> None:
        self.name = name
        self.what = what
        self.ranges: Tuple[Tuple[Version, Optional[Version]], ...] = tuple(
            (parse(first), None if end is None else parse(end)) for first, end in ranges
        )

    def at(self, version: Union[str, Version]) -> bool:
        """True when Python ``version`` (``"3.13.8"``, ``(3, 14)``; a bare minor means its first release) has it."""
        v = parse(version)
        return any(first <= v and (end is None or v < end) for first, end in self.ranges)

    def here(self) -> bool:
        """True when the running Python has it."""
        return self.at(tuple(sys.version_info[:3]))

    @property
    def first(self) -> Version:
        """The first version that has it."""
        return self.ranges[0][0]

    @property
    def since(self) -> str:
        """The releases it came with, for prose: ``"3.13"``, ``"3.13.8 and 3.14.1"``."""
        return " and ".join(_spell(first) for first, _ in self.ranges)

    def __repr__(self) -> str:
        spans = ", ".join(f"{_spell(a)}+" if b is None else f"{_spell(a)}..{_spell(b)}" for a, b in self.ranges)
        return f"<{self.name}: {spans}>"


# --- the default start method ----------------------------------------------------------------------------

#: Linux's default is forkserver from 3.14 (gh-84559), fork before.
FORKSERVER_DEFAULT_ON_LINUX = Change("forkserver_default_on_linux", "Linux's default start method is forkserver",
                                     ("3.14", None))  # fmt: skip
#: macOS's default is spawn since 3.8 (fork is unsafe with the system frameworks, bpo-33725).
SPAWN_DEFAULT_ON_MACOS = Change("spawn_default_on_macos", "macOS's default start method is spawn", ("3.8", None))


def default_method(platform: str, version: Union[str, Version]) -> str:
    """The start method a program uses on ``platform`` with Python ``version`` when it never chooses one."""
    if platform == "win32":
        return "spawn"
    if platform == "darwin":
        return "spawn" if SPAWN_DEFAULT_ON_MACOS.at(version) else "fork"
    return "forkserver" if FORKSERVER_DEFAULT_ON_LINUX.at(version) else "fork"


# --- the fork server ---------------------------------------------------------------------------------------

#: The fork server imports the main script itself, once, at its start, before it sets any start method
#: (gh-126631, GH-135295; the preload was dead code since 3.4): its children find the script imported and
#: do not run its top-level code again. Modules the script imports at its top level come with it; a module
#: imported later (in the main block, a test module under pytest) is still imported in each child.
#: Backported to 3.13.8; absent from 3.14.0. Proven by the scenarios missing_main_guard and
#: set_start_method_import_time.
SERVER_PRELOADS_MAIN = Change(
    "server_preloads_main", "the fork server preloads __main__", ("3.13.8", "3.14"), ("3.14.1", None)
)
#: A failed preload no longer kills the fork server (gh-141860: ``set_forkserver_preload(on_error=)``, default
#: ``'ignore'``, and ``__main__`` follows it): the server lives on, and its child imports the script itself.
PRELOAD_ERRORS_IGNORED = Change(
    "preload_errors_ignored", "a fork server survives a failed preload of __main__", ("3.15", None)
)


#: Where code runs, when that decides what a start method does to it: the main script's top-level code (or a
#: module the script imports at its top level, outside ``if __name__ == "__main__":``), which a fork server
#: that preloads the script runs once, in the server. A pitfall's methods can differ there
#: (``Pitfall.broken_methods(..., context=MAIN_SCRIPT)``); the sanitizer names the context it saw.
MAIN_SCRIPT = "main_script"


def reimporting_main(platform: str, version: Union[str, Version]) -> Tuple[str, ...]:
    """The methods whose children run the main script's top-level code again on ``platform`` with ``version``:
    spawn always, forkserver unless its server preloaded the script."""
    methods = ("spawn",) if SERVER_PRELOADS_MAIN.at(version) else IMPORTING
    return tuple(m for m in methods if m in AVAILABLE.get(platform, METHODS))


def fallback_methods(method: str) -> Tuple[str, ...]:
    """The start methods of the platforms that lack ``method``, where ``get_context(method)`` raises and code
    falls back to the default context: () for spawn (every platform has it), ("spawn",) for fork and
    forkserver (Windows)."""
    found: Tuple[str, ...] = ()
    for platform in PLATFORMS:
        if method not in AVAILABLE[platform]:
            found += tuple(m for m in AVAILABLE[platform] if m not in found)
    return found


#: What code calls to learn which process it runs in. A signal handler with an ``if`` that asks it is written for
#: the fork children that inherit it (microscope#9 does nothing outside the process that installed it), so its
#: running there is not the pitfall (MP107). Qualified, as lint reads a call; :data:`WHICH_PROCESS_NAMES`, the
#: bare names, as the sanitizer reads a function's code.
WHICH_PROCESS = frozenset(
    {"os.getpid", "multiprocessing.current_process", "multiprocessing.parent_process",
     "multiprocessing.process.current_process", "multiprocessing.process.parent_process"}
)  # fmt: skip
WHICH_PROCESS_NAMES = frozenset(name.rpartition(".")[2] for name in WHICH_PROCESS)

#: What code calls to reap its ended children. A SIGCHLD handler that does only this (websockify's
#: ``os.waitpid(-1, WNOHANG)`` loop, its fix's ``multiprocessing.active_children()``) loses nothing where a fork
#: server's children never signal it: the server reaps them (MP119; what reaping any child does to fork and spawn
#: children is MP122's, :data:`REAPS_ANY_CHILD`). Qualified, as lint reads a call;
#: :data:`REAPS_CHILDREN_NAMES`, the names a handler's code may use for it, as the sanitizer reads its code.
REAPS_CHILDREN = frozenset(
    {"os.waitpid", "os.wait", "os.wait3", "os.wait4", "multiprocessing.active_children",
     "multiprocessing.process.active_children"}
)  # fmt: skip
REAPS_CHILDREN_NAMES = frozenset(
    {"os", "multiprocessing", "process", "WNOHANG", "OSError", "ChildProcessError"}
    | {name.rpartition(".")[2] for name in REAPS_CHILDREN}
)

#: The calls among :data:`REAPS_CHILDREN` that reap whichever child has ended, not one the caller names: each with
#: the position of its pid argument, None where it takes none. ``os.wait()`` and ``os.wait3()`` reap any child;
#: ``os.waitpid()`` and ``os.wait4()`` do given a pid of 0 or less (:func:`any_child_pid`: any child, or any of a
#: process group). In a process that started fork or spawn children (its own), such a call in a SIGCHLD handler
#: (websockify#101's ``os.waitpid(-1, WNOHANG)`` loop) takes a Process's exit status before multiprocessing asks
#: for it: ``exitcode`` stays None and ``is_alive()`` True (MP122). A fork server's children are the server's.
REAPS_ANY_CHILD = {"os.wait": None, "os.wait3": None, "os.waitpid": 0, "os.wait4": 0}
#: The same by the name a handler's code calls (``waitpid``), as the sanitizer reads its code.
REAPS_ANY_CHILD_NAMES = {name.rpartition(".")[2]: position for name, position in REAPS_ANY_CHILD.items()}


def any_child_pid(pid: object) -> bool:
    """Whether a pid handed to ``os.waitpid()`` or ``os.wait4()`` (its literal value) asks for any child: -1 for
    any, 0 or less for any of a process group."""
    return isinstance(pid, int) and not isinstance(pid, bool) and pid <= 0


# --- other behaviours that changed with a Python release ---------------------------------------------------

#: fork and forkserver children run atexit handlers when they end normally (gh-83856); before, they ended with
#: os._exit() and skipped them (spawn children always ran them).
CHILDREN_RUN_ATEXIT = Change("children_run_atexit", "fork and forkserver children run atexit handlers",
                             ("3.13", None))  # fmt: skip
#: os.fork() (so the fork start method) while other threads run emits a DeprecationWarning ("... is
#: multi-threaded, use of fork() may lead to deadlocks in the child", gh-100228).
FORK_WITH_THREADS_WARNS = Change("fork_with_threads_warns", "a fork with other threads running warns",
                                 ("3.12", None))  # fmt: skip
#: ``ProcessPoolExecutor(max_tasks_per_child=)`` exists (bpo-44733); it refuses the fork method (ValueError)
#: and, given no context, picks spawn.
MAX_TASKS_PER_CHILD = Change("max_tasks_per_child", "ProcessPoolExecutor takes max_tasks_per_child", ("3.11", None))
#: A ProcessPoolExecutor replaces a worker that retired after max_tasks_per_child tasks, so the pending tasks
#: finish (gh-115634, GH-140900: 3.15.0, 3.14.7, 3.13.15); 3.11 to 3.13.14 and 3.14.0 to 3.14.6 hang.
EXECUTOR_REPLACES_RETIRED_WORKERS = Change(
    "executor_replaces_retired_workers",
    "a ProcessPoolExecutor replaces a retired worker",
    ("3.13.15", "3.14"),
    ("3.14.7", None),
)
#: A ProcessPoolExecutor under fork starts all its workers up front, at the first submit (gh-90622, GH-91598:
#: forking from a process with the executor's thread running could deadlock); before, and under spawn and
#: forkserver always, one worker per submit while none is idle. In 3.9.13 and 3.10.5, then from 3.11.
FORK_WORKERS_UP_FRONT = Change(
    "fork_workers_up_front",
    "a ProcessPoolExecutor under fork starts all its workers at the first submit",
    ("3.9.13", "3.10"),
    ("3.10.5", None),
)
#: start() refuses a SemLock (Lock, Queue, Value...) made by a fork context for a process of a spawn or
#: forkserver context (RuntimeError, gh-108520); before, the child crashed using it.
SEMLOCK_CONTEXT_CHECKED = Change("semlock_context_checked", "start() refuses a fork context's SemLock",
                                 ("3.11.5", None))  # fmt: skip
#: ``ProcessPoolExecutor.terminate_workers()`` and ``kill_workers()`` exist (gh-128041).
EXECUTOR_TERMINATE_WORKERS = Change("executor_terminate_workers", "ProcessPoolExecutor.terminate_workers()",
                                    ("3.14", None))  # fmt: skip

#: Every version-dependent behaviour above, by name.
CHANGES: Dict[str, Change] = {
    c.name: c
    for c in (
        FORKSERVER_DEFAULT_ON_LINUX,
        SPAWN_DEFAULT_ON_MACOS,
        SERVER_PRELOADS_MAIN,
        PRELOAD_ERRORS_IGNORED,
        CHILDREN_RUN_ATEXIT,
        FORK_WITH_THREADS_WARNS,
        MAX_TASKS_PER_CHILD,
        EXECUTOR_REPLACES_RETIRED_WORKERS,
        FORK_WORKERS_UP_FRONT,
        SEMLOCK_CONTEXT_CHECKED,
        EXECUTOR_TERMINATE_WORKERS,
    )
}


def sample_versions() -> Tuple[Version, ...]:
    """Versions that between them meet every fact here: each supported minor at its first release and at a
    late patch, and each side of every boundary of a :class:`Change` (the facts are constant in between)."""
    found: set = {(3, int(m.split(".")[1]), patch) for m in CPYTHONS for patch in (0, 99)}
    for change in CHANGES.values():
        for first, end in change.ranges:
            for v in (first, end):
                if v is not None:
                    v = (*v, 0)[:3]
                    found |= {v, (v[0], v[1], v[2] - 1)} if v[2] else {v, (v[0], v[1] - 1, 99)}
    oldest = (3, int(CPYTHONS[0].split(".")[1]), 0)
    return tuple(sorted(v for v in found if v >= oldest))


# --- the running interpreter -------------------------------------------------------------------------------


def platform_here() -> str:
    """``sys.platform`` as :data:`PLATFORMS` names it."""
    return "linux" if sys.platform.startswith("linux") else sys.platform


def version_here() -> Version:
    return tuple(sys.version_info[:3])


def default_method_here() -> str:
    """:func:`default_method` for the running Python (multiprocessing's own default, whatever a program set)."""
    return default_method(platform_here(), version_here())


def reimporting_main_here() -> Tuple[str, ...]:
    """:func:`reimporting_main` for the running Python."""
    return reimporting_main(platform_here(), version_here())
