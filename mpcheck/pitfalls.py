"""The pitfalls mpcheck knows, each written once: title, why, fix, where it breaks, what proves it.

Every front end reads this table: the catalog (which scenario proves which pitfall), ``mpcheck lint``
(one rule per pitfall, its code and its ``--explain`` text), ``mpcheck suite`` and the probe (the
likely cause of a difference). Nothing about a pitfall is written anywhere else.

``breaks`` says under which start methods the pitfall changes what the program does, as an
expectation value (plain tuple, or the rules of :mod:`mpcheck.expect`: ``since``, ``by_platform``),
so it can differ by platform and Python version exactly as the catalog's facts do, and is resolved
the same way, running nothing. A pitfall that breaks under *every* method (``ALL``) is a bug, not a
start-method difference: it never explains a difference between methods. What a start method does on
each platform and Python (which methods re-import ``__main__``, the defaults, what a fork server
preloads, the versions where a behaviour changed) is :mod:`mpcheck.methods`'; ``breaks`` reads it.

``contexts`` refine ``breaks`` where the code that has the pitfall runs decides it: :data:`MAIN_SCRIPT`
(the main script's top-level code, or a module it imports there) is what a fork server preloads, so
there a forkserver child may be spared what a spawn child is not. Diagnosis tries every form; the
sanitizer says which one it saw.

``signatures`` are regular expressions over a failure's text (an exception line, a child's stderr)
that this pitfall produces at run time; a cause is named only when the methods that differ match
``breaks`` *and* a signature or a lint finding supports it. ``names`` find, in a failure's text, the
qualified name of the object a signature is about: where a front end can tell that this object is not the
program's own (a local function of pytest's or of the standard library, met by pickle deep inside another
object's state), the signature is not this pitfall's, its fix moving nothing of the program's. ``hints``
turn one failure's text into a one-line explanation and fix (the pytest plugin adds it to the failure report).

Not imported by cells: dataclasses and typing are fine here.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, Optional, Tuple, Union

from .expect import Rule, Where, by_platform, default_is, parse_version, resolve_value, server_preloads_main, when
from .methods import (
    CHILDREN_RUN_ATEXIT,
    CPYTHONS,
    FORK_WITH_THREADS_WARNS,
    FORKSERVER_DEFAULT_ON_LINUX,
    IMPORTING,
    MAIN_SCRIPT,
    METHODS,
    PRELOAD_ERRORS_IGNORED,
    SEMLOCK_CONTEXT_CHECKED,
    SERVER_PRELOADS_MAIN,
    reimporting_main,
)

ALL: Tuple[str, ...] = METHODS

#: Every context a pitfall's ``breaks`` may be refined for.
CONTEXTS: Tuple[str, ...] = (MAIN_SCRIPT,)


class _ReimportingMain(Rule):
    """The methods whose children run the script's top-level code again (:func:`mpcheck.methods.reimporting_main`)."""

    def resolve(self, where: Where) -> Any:
        return reimporting_main(where.platform, where.version)

    def __repr__(self) -> str:
        return "reimporting_main()"


@dataclass(frozen=True)
class Hint:
    """One failure's text explained in a line: ``pattern``'s named groups and ``{method}`` fill ``message``.

    ``child_only``: trusted only in a child's output that comes from multiprocessing (its bootstrap
    printed the traceback), where a look-alike error of the test itself cannot be mistaken for it.
    ``methods``: only under these start methods (empty: any).
    """

    name: str
    pattern: str
    message: str
    child_only: bool = False
    methods: Tuple[str, ...] = ()

    def explain(self, method: str, text: str, child_output: str) -> Optional[str]:
        """The line for this failure, or None when the hint does not apply."""
        if self.methods and method not in self.methods:
            return None
        if self.child_only and "multiprocessing" not in child_output:
            return None
        places = (child_output,) if self.child_only else (text, child_output)
        for place in places:
            found = re.search(self.pattern, place)
            if found:
                return self.message.format(method=method, **{k: v or "" for k, v in found.groupdict().items()})
        return None


@dataclass(frozen=True)
class Pitfall:
    """One start-method pitfall. ``code`` is its lint rule (``MP101``), ``name`` a readable slug."""

    code: str
    name: str
    title: str
    why: str
    fix: str
    breaks: Any  # start methods, or an expect rule resolving to them (see the module docstring)
    scenarios: Tuple[str, ...]
    #: (context, breaks) pairs: where the code runs changes the methods it breaks (see the module docstring)
    contexts: Tuple[Tuple[str, Any], ...] = ()
    signatures: Tuple[str, ...] = ()
    #: patterns whose ``object`` group is the qualified name of the object a signature is about (see the
    #: module docstring): a signature counts only where that object may be the program's own
    names: Tuple[str, ...] = ()
    versions: str = ""  # a sentence on versions and platforms where ``breaks`` alone does not say it
    hints: Tuple[Hint, ...] = ()
    _patterns: Tuple[re.Pattern, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_patterns", tuple(re.compile(s) for s in self.signatures))
        unknown = {c for c, _ in self.contexts} - set(CONTEXTS)
        if unknown:
            raise ValueError(f"{self.code}: unknown context(s) {sorted(unknown)}")

    def broken_methods(
        self, platform: str, version: Union[str, Tuple[int, ...]], context: Optional[str] = None
    ) -> Tuple[str, ...]:
        """The start methods under which the pitfall bites on ``platform`` with Python ``version``, for code
        that runs in ``context`` (:data:`CONTEXTS`; None, or one the pitfall does not refine: anywhere)."""
        breaks = dict(self.contexts).get(context, self.breaks) if context is not None else self.breaks
        where = Where("fork", platform, parse_version(version))  # ``breaks`` never varies by method
        return tuple(resolve_value(breaks, where))

    def forms(self, platform: str, version: Union[str, Tuple[int, ...]]) -> Tuple[Tuple[str, ...], ...]:
        """Every distinct set of broken methods on ``platform`` with ``version``: anywhere first, then each
        context's (a difference fits the pitfall when it fits one of them)."""
        found: list = []
        for context in (None, *(c for c, _ in self.contexts)):
            methods = self.broken_methods(platform, version, context)
            if methods not in found:
                found.append(methods)
        return tuple(found)

    def matches(self, text: str) -> bool:
        """True when ``text`` (a failure line, a stderr tail) carries one of the runtime signatures."""
        return any(p.search(text) for p in self._patterns)

    def named_objects(self, text: str) -> Tuple[str, ...]:
        """The qualified names of the objects ``text``'s signatures are about (``names``), in order."""
        return tuple(m.group("object") for pattern in self.names for m in re.finditer(pattern, text))


PITFALLS: Tuple[Pitfall, ...] = (
    Pitfall(
        code="MP101",
        name="unpicklable-target",
        title="A lambda, local or nested function given to another process",
        why=(
            "spawn and forkserver children get their target and arguments by pickle, and a function pickles as "
            "a reference (module + name) the child looks up again. A lambda or a function defined inside another "
            "function has no such name: start() raises in the parent (PicklingError for a lambda; for a local "
            'function AttributeError "Can\'t pickle local object" before 3.14, PicklingError from 3.14). '
            "A function defined inside `if __name__ == '__main__':` pickles, but the child re-imports the script "
            'as __mp_main__, where that block does not run, and dies with "Can\'t get attribute". Pool and '
            "executor tasks are always pickled, so there a lambda fails under fork too."
        ),
        fix=(
            "Define the function at module level (outside the main block) and pass state as arguments; "
            "functools.partial of a module-level function, or a bound method of a picklable object, also works "
            "(not a private one, `self.__work`: name it `_work`)."
        ),
        breaks=IMPORTING,
        scenarios=("lambda_target", "executor_lambda", "private_method_target"),
        signatures=(
            r"Can't (pickle|get) local object",
            r"Can't get attribute '[^']+' on <module '__mp_main__'",
            r"module '__mp_main__' has no attribute",
            r"attribute lookup <lambda> on \S+ failed",
            r"it's not found as [\w.]*(<locals>|<lambda>)",  # PyPy's pure-Python pickler
            r"Can't pickle <function <lambda>",
            # a private (name-mangled) method: looked up by its plain name, which its class does not have
            r"object has no attribute '__\w*[^_\W]_?'",
            r"attribute lookup [\w.]+\.__\w*[^_\W]_? on \S+ failed",
            r"it's not found as [\w.]+\.__\w*[^_\W]_?(?!\w)",
        ),
        # "Can't pickle local object 'f.<locals>.g'" (before 3.14), "... <function f.<locals>.g at 0x...>" (3.14),
        # PyPy's "Can't pickle <function f.<locals>.g at 0x...>: it's not found as m.f.<locals>.g"
        names=(
            r"Can't (?:pickle|get) local object '?(?:<function |<class ')?(?P<object>[\w.<>]*<locals>[\w.<>]*)",
            r"Can't pickle <(?:function|class) '?(?P<object>[\w.<>]*<locals>[\w.<>]*)'?(?: at 0x|>)",
        ),
        hints=(
            Hint(
                "lambda",
                r"Can't (?:pickle|get) local object '?(?:<function )?[\w.<>]*<lambda>"
                r"|Can't pickle <function [\w.<>]*<lambda>",
                "mpcheck: pickle sends a function to a {method} child by name, and a lambda has none: replace it "
                "with a function defined at module level of an importable module",
            ),
            Hint(
                "local",
                r"Can't (?:pickle|get) local object '?(?:<function )?(?P<local>[\w.<>]*\.(?P<name>[\w]+))\b"
                # PyPy's pickler (pure Python, like CPython's own pickle.py) says where the lookup failed instead:
                # "Can't pickle <function test_x.<locals>.f at 0x...>: it's not found as mod.test_x.<locals>.f"
                r"|Can't pickle <function (?P<pypy>[\w.]*<locals>[\w.<>]*\.(?P<pypy_name>\w+)) at 0x[0-9a-fA-F]+>: "
                r"it's not found as",
                "mpcheck: pickle sends a function to a {method} child by name, and `{local}{pypy}` is local: move "
                "`{name}{pypy_name}` to module level of an importable module",
            ),
            Hint(
                "missing-attribute",
                r"Can't get attribute '(?P<name>[\w.<>]+)' on <module '(?P<module>[^']+)'"
                # From 3.14 the unpickler lets getattr's own error through (gh-122311): trusted only straight after
                # the unpickling frame (``reduction.pickle.load(...)`` in spawn's bootstrap, ``_ForkingPickler.loads``)
                r"|pickle\.loads?\(.*\)\n(?:[ ~^]*\n)?AttributeError: module '(?P<module314>[^']+)' has no "
                r"attribute '(?P<name314>[\w.]+)'",
                "mpcheck: the {method} child looked the target up by name and `{module}{module314}` has no "
                "`{name}{name314}`: define `{name}{name314}` at module level of `{module}{module314}` (not in a test, "
                "a fixture or an `if __name__ == '__main__':` block)",
                child_only=True,
            ),
            Hint(
                "missing-module",
                r"ModuleNotFoundError: No module named '(?P<module>[^']+)'",
                "mpcheck: the {method} child imports the target by name and cannot import `{module}` (not on its "
                "sys.path, as with --import-mode=importlib): move the target into an importable module, or add its "
                "directory to pytest's `pythonpath` setting",
                child_only=True,
                methods=IMPORTING,
            ),
        ),
    ),
    Pitfall(
        code="MP102",
        name="missing-main-guard",
        title="Processes started at import time, without `if __name__ == '__main__':`",
        why=(
            "spawn and forkserver children re-import the main module as __mp_main__; code at module level runs "
            'again there, and a start() during that import fails with RuntimeError ("before the current process '
            'has finished its bootstrapping phase").'
        ),
        fix="Put everything that starts processes, pools, managers or executors under `if __name__ == '__main__':`.",
        breaks=IMPORTING,
        # In the script's top-level code (the pitfall's usual place), a fork server that preloads the script
        # runs the start() itself: a server whose own default is fork starts the process and lives (the
        # forkserver child runs), any other dies (start() fails in the parent); once a failed preload no
        # longer kills the server, its child re-imports the script and fails as under spawn.
        contexts=(
            (
                MAIN_SCRIPT,
                when(
                    PRELOAD_ERRORS_IGNORED,
                    IMPORTING,
                    server_preloads_main(default_is("fork", ("spawn",), IMPORTING), IMPORTING),
                ),
            ),
        ),
        scenarios=("missing_main_guard",),
        signatures=(r"bootstrapping phase",),
        versions=(
            f"forkserver from {SERVER_PRELOADS_MAIN.since}: the server preloads __main__, so where its own default "
            f"is fork (Linux before {FORKSERVER_DEFAULT_ON_LINUX.since}) the child runs, and elsewhere start() "
            f"fails in the parent instead (gh-126631, gh-137996); from {PRELOAD_ERRORS_IGNORED.since} the server "
            "survives the failed preload and its child fails as under spawn (gh-141860)."
        ),
    ),
    Pitfall(
        code="MP103",
        name="parent-runtime-state",
        title="Children read state the parent set at run time",
        why=(
            "A fork child is a copy of the parent, so module globals and class attributes assigned on the main "
            "path, module attributes monkeypatched there, and tables filled in place (a registry that a decorator "
            "fills when a module is imported) are what the child sees. A spawn or forkserver child imports the "
            "modules afresh and sees their import-time values; a table holds only what the modules it imports "
            "put there."
        ),
        fix=(
            "Pass the values to the child as arguments (or through a Pool/executor `initializer`, which runs in "
            "every worker), instead of setting globals before start(); import the modules that fill a registry "
            "in the child too."
        ),
        breaks=IMPORTING,
        scenarios=(
            "globals_snapshot",
            "monkeypatch_in_parent",
            "mock_patch_in_parent",
            "global_set_in_method",
            "class_attribute_classmethod",
            "registry_filled_by_decorator",
        ),
    ),
    Pitfall(
        code="MP104",
        name="global-counter-lock",
        title="A module-level Lock guarding a module-level counter",
        why=(
            "Processes do not share globals: each child increments its own copy and the parent's stays unchanged "
            "under every method. Under spawn (and forkserver, unless its server preloads the script: from "
            f"{SERVER_PRELOADS_MAIN.since}) each child even gets its own new Lock from the re-import, so the Lock "
            "guards nothing."
        ),
        fix="Share the counter as multiprocessing.Value and increment it under value.get_lock(), or return results.",
        breaks=ALL,
        scenarios=("global_counter_lock", "global_counter_fixed"),
    ),
    Pitfall(
        code="MP105",
        name="logging-configured-in-main",
        title="Logging configured only in the main block, used in children",
        why=(
            "A fork child inherits the configured root logger. A spawn or forkserver child re-imports the script, "
            "where the main block does not run: its root logger is unconfigured and INFO records vanish without "
            "a word. The same holds for a handler or sink added at run time to any module-level logger "
            "(`logging.getLogger(\"jobs\").addHandler(...)`, loguru's `logger.add(...)`): the child's fresh "
            "import of that logger has none."
        ),
        fix=(
            "Configure logging in the child too (a Pool/executor initializer), or send records to the parent "
            "through a logging.handlers.QueueHandler and a QueueListener."
        ),
        breaks=IMPORTING,
        scenarios=("logging_in_child", "logger_sink_added_at_run_time"),
    ),
    Pitfall(
        code="MP106",
        name="environ-after-first-child",
        title="os.environ changed after the first child started",
        why=(
            "The fork server is started with the parent's environment at the first start(), and every later "
            "forkserver child is forked from it: changes the parent makes afterwards never reach them. fork and "
            "spawn children take the parent's environment at each start()."
        ),
        fix="Set the environment before the first process starts, or pass the values to the child as arguments.",
        breaks=("forkserver",),
        scenarios=("environ_after_forkserver",),
    ),
    Pitfall(
        code="MP107",
        name="signal-handler-inherited",
        title="A Python signal handler installed before children start",
        why=(
            "A fork child inherits the parent's Python signal handlers, so terminate() (SIGTERM) runs the "
            "parent's handler in the child instead of ending it; spawn and forkserver children start with the "
            "default actions."
        ),
        fix=(
            "Reset the handler in the child (a Pool initializer calling signal.signal(SIGTERM, SIG_DFL)), "
            "or install it after the children start."
        ),
        breaks=("fork",),
        scenarios=("signal_handler_inherited",),
    ),
    Pitfall(
        code="MP108",
        name="unpicklable-process-state",
        title="An object that cannot be pickled (a database connection, a file, a lock, a generator) given to a child",
        why=(
            "Under spawn and forkserver, start() pickles the Process object: its target's arguments and, for a "
            "Process subclass, its attributes. A database connection, an open file, a lock, a generator, or an "
            "object keeping one of them (a progress bar and its lock) cannot be pickled (TypeError: cannot "
            "pickle '...' object). A fork child just inherits it. A Pipe's connection and a socket can: "
            "multiprocessing gives the child a duplicate."
        ),
        fix=(
            "Open the resource in the child (in run() or the target) and hand it only what pickles: a path or a "
            "URL, a list instead of a generator; or give the object a __getstate__ that leaves the lock out."
        ),
        breaks=IMPORTING,
        scenarios=("unpicklable_process_state", "generator_argument", "lock_holding_argument"),
        signatures=(
            r"cannot pickle '[^']+' (object|instances)",
            r"can't pickle \w+ objects",
            r"Can't pickle <class '[\w.]+'>: it's not found as (builtins|_thread)\.\w+",  # PyPy's pure-Python pickler
        ),
    ),
    Pitfall(
        code="MP109",
        name="os-fork-with-multiprocessing",
        title="os.fork() in a program that uses multiprocessing",
        why=(
            "A process made by os.fork() shares the parent's multiprocessing state (its fork server, its "
            "resource tracker) without owning it; starting processes from it fails under forkserver."
        ),
        fix="Start helpers with multiprocessing (a Process) instead of os.fork().",
        breaks=("forkserver",),
        scenarios=("os_fork_after_forkserver",),
        signatures=(r"ChildProcessError", r"No child processes"),
    ),
    Pitfall(
        code="MP110",
        name="sys-path-not-str",
        title="A non-str entry (a pathlib.Path) added to sys.path",
        why=(
            "The fork server is launched with a command line that spells the parent's sys.path with repr(); a "
            "Path entry becomes PosixPath('...') there, undefined, so the server dies with NameError at its start "
            "and start() fails in the parent. fork copies sys.path and spawn pickles it: both work."
        ),
        fix="Add str(path) to sys.path, never a Path object.",
        breaks=("forkserver",),
        scenarios=("sys_path_not_str",),
        signatures=(r"NameError: name '(Posix|Windows)Path' is not defined",),
        versions=f"Every version from 3.4 to {CPYTHONS[-1]} (gh-145898 was closed without a change).",
    ),
    Pitfall(
        code="MP111",
        name="atexit-in-child",
        title="An atexit handler registered inside a child",
        why=(
            f"Before {CHILDREN_RUN_ATEXIT.since}, fork and forkserver children end with os._exit() and never run "
            f"atexit handlers; spawn children run them. From {CHILDREN_RUN_ATEXIT.since} every method runs them "
            "(gh-83856)."
        ),
        fix="Run the clean-up explicitly at the end of the child's target (try/finally), not through atexit.",
        breaks=when(CHILDREN_RUN_ATEXIT, (), ("fork", "forkserver")),
        scenarios=("atexit_in_child", "terminate_skips_finally"),
    ),
    Pitfall(
        code="MP112",
        name="threads-before-fork",
        title="Threads running when a process is forked",
        why=(
            "A fork child has only the thread that forked; locks held by other threads stay held forever in the "
            f"child. From {FORK_WITH_THREADS_WARNS.since} a fork while other threads run emits a DeprecationWarning."
        ),
        fix="Start the processes before any thread, or use spawn or forkserver (get_context('spawn')).",
        breaks=("fork",),
        scenarios=("fork_with_threads_warning", "threads_not_inherited", "pool_threads_at_fork"),
        signatures=(r"multi-threaded, use of fork\(\) may lead to deadlocks",),
    ),
    Pitfall(
        code="MP113",
        name="set-start-method-twice",
        title="set_start_method() called a second time without force=True",
        why=(
            "The start method can be set once per program: a second call raises "
            "RuntimeError('context has already been set'), even with the same method, and so does a call after "
            "get_start_method() fixed the default. A call at module level runs again in every spawn child, "
            "which re-imports the main module (and the target's module) after its method was set, and in a "
            "forkserver child unless its server preloaded the module (the main module from "
            f"{SERVER_PRELOADS_MAIN.since})."
        ),
        fix="Call set_start_method() once, in the main block, or use multiprocessing.get_context(method) locally.",
        breaks=IMPORTING,
        contexts=((MAIN_SCRIPT, _ReimportingMain()),),
        versions=(
            "A second call in the parent raises under every method: a bug, not a difference. The call at import "
            f"time is the difference: from {SERVER_PRELOADS_MAIN.since} the fork server preloads the main script, "
            "so a call in the script's top-level code (or a module it imports there) spares forkserver children; "
            "one in a module imported later (in the main block, a test module under pytest) does not."
        ),
        scenarios=("set_start_method_twice", "set_start_method_import_time"),
        signatures=(r"context has already been set",),
    ),
    Pitfall(
        code="MP114",
        name="join-before-drain",
        title="join() on a child before draining the Queue it fills",
        why=(
            "A child that put data on a Queue does not exit until the data is flushed to the pipe; a parent that "
            "joins first waits for ever once the data exceeds the pipe's buffer."
        ),
        fix="Get every item from the queue first, then join() the child.",
        breaks=ALL,
        scenarios=("queue_join_deadlock",),
    ),
    Pitfall(
        code="MP115",
        name="daemon-with-children",
        title="A daemonic process that starts children",
        why="multiprocessing forbids it: AssertionError('daemonic processes are not allowed to have children').",
        fix="Make the process non-daemonic and join it, or have the parent start the children.",
        breaks=ALL,
        scenarios=("daemon_no_children",),
        signatures=(r"daemonic processes are not allowed to have children",),
    ),
    Pitfall(
        code="MP116",
        name="two-start-methods",
        title="Code that branches on the start method as if there were only fork and spawn",
        why=(
            f"There are three start methods, and the default moved: Linux's is forkserver from "
            f"{FORKSERVER_DEFAULT_ON_LINUX.since}. A check like "
            "`get_start_method() == 'fork'` / `else: # spawn` sends forkserver down the wrong branch."
        ),
        fix="Compare against every method you handle, or ask what you need (is the child a copy? method == 'fork').",
        breaks=default_is("forkserver", ("forkserver",), ()),  # where forkserver is the default
        scenarios=("default_start_method",),
    ),
    Pitfall(
        code="MP117",
        name="value-race",
        title="A shared Value updated without holding its get_lock()",
        why=(
            "`value.value += 1` reads and then writes, taking the Value's lock once for each: two processes that "
            "both read before either writes lose an update. It is a race under every start method."
        ),
        fix="Hold the lock around the whole update: `with value.get_lock(): value.value += 1`.",
        breaks=ALL,
        scenarios=("value_race",),
    ),
    Pitfall(
        code="MP118",
        name="mixed-context-sync",
        title="A Queue or Lock made by one start method's context handed to a Process of another",
        why=(
            "A fork context's semaphores are unlinked at once (its children inherit them), so a spawn or "
            "forkserver child has no name to reopen them by. "
            f'From {SEMLOCK_CONTEXT_CHECKED.since} start() raises RuntimeError ("A SemLock '
            'created in a fork context is being shared with a process in a spawn context", gh-108520); before, '
            "the child crashed (SIGSEGV on Linux) when it used the object."
        ),
        fix="Make the Queue, Lock or Value with the same context as the Process: `ctx = get_context(m)`, then "
        "`ctx.Queue()` and `ctx.Process(...)`.",
        breaks=ALL,
        scenarios=("mixed_context_lock",),
        signatures=(r"SemLock created in a fork context is being shared",),
    ),
    Pitfall(
        code="MP119",
        name="forkserver-not-parent",
        title="Code that takes a started process for the starter's own child (SIGCHLD, os.getppid())",
        why=(
            "fork and spawn children are children of the process that called start(). A forkserver child is "
            "forked by the fork server: its os.getppid() is the server's pid, and its exit sends SIGCHLD to the "
            "server, which reaps it and reports the exit code back. The starter's SIGCHLD handler never runs for "
            "it and os.waitpid() on its pid fails (ECHILD); a child that checks, signals or watches its parent "
            "through os.getppid() reaches the server instead. join() and exitcode still work."
        ),
        fix=(
            "Learn of a child's end from multiprocessing (join(), exitcode, is_alive(), "
            "multiprocessing.connection.wait() on p.sentinel) instead of SIGCHLD or os.waitpid(); hand the child "
            "the starter's pid as an argument (or watch a Pipe it holds) instead of reading os.getppid(); or start "
            "such children with get_context('fork') or get_context('spawn')."
        ),
        breaks=("forkserver",),
        scenarios=("forkserver_not_parent",),
    ),
    Pitfall(
        code="MP120",
        name="global-sync-object",
        title="A Queue, Lock or Event made at import, used by children through the module's global",
        why=(
            "A fork child is a copy of the parent: a Queue, Lock, Event or Value the module made at import is the "
            "parent's own object in it, the same pipe and semaphores. A spawn or forkserver child imports the "
            "module afresh (or inherits the fork server's import), and the import makes new ones: what the child "
            "puts never reaches the parent, a get() of the parent's waits for ever, an event the parent set is "
            "not set in the child, a lock excludes nothing. Nothing fails: items are lost, or a process waits."
        ),
        fix=(
            "Make the object in the main block and hand it to the children: in a Process's args, or to each Pool "
            "worker through initializer and initargs (a worker's initializer may set the module's global to it)."
        ),
        breaks=IMPORTING,
        scenarios=("global_queue_not_shared", "global_counter_lock"),
    ),
    Pitfall(
        code="MP121",
        name="generator-copied-at-fork",
        title="A random generator made before the children start, drawn from in each of them",
        why=(
            "A fork child is a copy of the parent, its random generators included: children forked from one state "
            "draw the same numbers (the same samples, shuffles and games in every worker). The standard library's "
            "`random` module reseeds its own functions in each fork child, but a generator of the program's "
            "(`random.Random()`, `numpy.random.default_rng()`) and numpy's global one behind `np.random.rand()` "
            "are copied as they are. A spawn or forkserver child imports the module afresh and seeds a new "
            "generator from the OS, unless a fork server that preloads the script made the script's generators "
            "once: then its children share that state too."
        ),
        fix=(
            "Give each child a seed of its own (`numpy.random.SeedSequence(seed).spawn(n)`, one per child, in its "
            "arguments), or reseed in the child before it draws: a Pool initializer calling `np.random.seed()` or "
            "`rng.seed()` (no argument: from the OS)."
        ),
        breaks=("fork",),
        # a generator the script's top-level code makes (numpy's, when the script imports numpy there) is made by
        # a fork server that preloads the script, once, for all its children
        contexts=((MAIN_SCRIPT, server_preloads_main(("fork", "forkserver"), ("fork",))),),
        scenarios=("generator_copied_at_fork",),
        versions=(
            f"forkserver from {SERVER_PRELOADS_MAIN.since}, for a generator made by the script's top-level code (or "
            "a module it imports there): the fork server preloads the script, so its children start from the one "
            "state it made (gh-126631)."
        ),
    ),
    Pitfall(
        code="MP122",
        name="exit-status-stolen",
        title="Code that reaps any child (a SIGCHLD handler's os.waitpid(-1), SIGCHLD ignored) where Processes run",
        why=(
            "A fork or spawn child is the starter's own child, and multiprocessing learns how it ended by waiting "
            "for its pid (`os.waitpid(pid)` inside `join()`, `exitcode`, `is_alive()`). A SIGCHLD handler that "
            "reaps whichever child ended (`os.waitpid(-1, os.WNOHANG)` in a loop, `os.wait()`) takes that status "
            "first, and with SIGCHLD set to SIG_IGN the kernel discards it: multiprocessing's wait then fails "
            "(ECHILD) and it gives up silently. `join()` returns at once, `exitcode` stays None, `is_alive()` says "
            "True for ever, a Pool never sees its workers end. A forkserver child is the fork server's: the "
            "server reaps it and sends its exit code back, so nothing is lost."
        ),
        fix=(
            "Let multiprocessing reap its own children: in the SIGCHLD handler call "
            "`multiprocessing.active_children()` (it joins the Processes that ended) instead of "
            "`os.waitpid(-1, ...)`, or `os.waitpid()` only the pids the program forked itself; do not ignore "
            "SIGCHLD where Processes are started."
        ),
        breaks=by_platform(win32=(), default=("fork", "spawn")),
        scenarios=("exit_status_stolen",),
        versions="Windows has no SIGCHLD and no os.wait(): there nothing reaps a spawn child but its Process.",
    ),
)

BY_CODE: Dict[str, Pitfall] = {p.code: p for p in PITFALLS}


def hint_named(code: str, name: str) -> Hint:
    """Pitfall ``code``'s hint called ``name`` (a KeyError names what is missing)."""
    for one in BY_CODE[code].hints:
        if one.name == name:
            return one
    raise KeyError(f"{code} has no hint {name!r}")


def get(code: str) -> Optional[Pitfall]:
    """The pitfall with lint code ``code`` (case-insensitive), or None."""
    return BY_CODE.get(code.upper())


def proving(scenario_id: str) -> Iterator[Pitfall]:
    """The pitfalls that catalog scenario ``scenario_id`` proves."""
    return (p for p in PITFALLS if scenario_id in p.scenarios)


def current_version() -> Tuple[int, ...]:
    return tuple(sys.version_info[:3])
