"""Where each expectation comes from: observed (a stored report of a run there) or derived (a source line).

No macOS or Windows run has been stored yet: every darwin and win32 fact is *derived*, from CPython's own
``Lib/multiprocessing`` (the 3.9.18 to 3.13.0 releases pyenv built, and Debian's 3.13.x to 3.15.x copies; the
audit in issue 31). :data:`DERIVED` says from what, per scenario and platform, with a fact's own source where
it differs. A fact becomes *observed* when a report in ``observations/`` (an ``mpcheck run --json`` report
from that platform and implementation, same Python minor) passed that cell with the same expectation.

A run reads this to tell a cell that fails on a derived fact apart from one that fails on an observed one:
the first says "derived expectation contradicted" and names the source, so a first macOS or Windows run is
a list to fix. ``mpcheck list`` prints each fact's provenance. ``tests/test_platforms.py`` fails when a darwin
or win32 fact of the catalog has none.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

from ..expect import describe

#: The reports that turn derived into observed: ``mpcheck/observations/``, package data, so an installed copy
#: knows what has been observed as much as a checkout does.
OBSERVATIONS = Path(__file__).resolve().parent.parent / "observations"

P39 = "3.9.18 Lib/multiprocessing/"
PSW = "popen_spawn_win32.py:73-95 (3.9.18): CreateProcess(bInheritHandles=False), then the pickling"
NEUTRAL = "platform-neutral code in Lib/multiprocessing (the same path as on Linux, whose facts are observed)"
SPAWN_AS_LINUX = f"win32 has spawn only (context.py:333-336 in {P39}); the spawn path is platform-neutral"
DEFAULT_SPAWN = "context.py:313-316 (darwin: spawn) and :333-336 (win32) in 3.9.18; context.py:343 in 3.14.10"
TERMINATE = "popen_spawn_win32.py:108-113, :128 (3.9.18): terminate() is TerminateProcess, exitcode -SIGTERM"
NO_HANDLES = "Windows' rule, not CPython's: " + PSW + "; each outcome expected (see the scenario's docstring)"
FORKSERVER_PRELOAD = (
    "forkserver.py:132-143 (3.13.15), :150-161 (3.14.8): the server preloads __main__; in it the default method "
    "is spawn on darwin (context.py), so start() raises and the server dies (reasoned, not run)"
)

#: scenario -> platform -> the source of its facts there (a string for every fact, or fact -> source with
#: ``"*"`` for the rest). From the audit of issue 31 (../shared/platform-audit.md, section 2).
DERIVED: Dict[str, Dict[str, Any]] = {
    "async_vs_processes": {"darwin": NEUTRAL, "win32": SPAWN_AS_LINUX},
    "atexit_in_child": {
        "darwin": "popen_fork.py:70-76, forkserver.py:275-284 (3.13.0): fork/forkserver children run atexit",
        "win32": f"spawn.py:116-117 ({P39}): a Windows child ends with sys.exit(), a normal finalisation",
    },
    "daemon_no_children": {"darwin": NEUTRAL, "win32": "process.py BaseProcess.start's assert; _config pickled"},
    "default_start_method": {"darwin": DEFAULT_SPAWN, "win32": DEFAULT_SPAWN},
    "environ_after_forkserver": {
        "darwin": "util.spawnv_passfds starts the fork server with the environ of that moment; spawn.py:176 chdir",
        "win32": "popen_spawn_win32.py:61-68 (3.9.18): CreateProcess env None or os.environ.copy()",
    },
    "exception_via_queue": {"darwin": NEUTRAL, "win32": SPAWN_AS_LINUX},
    "executor_basics": {"darwin": NEUTRAL, "win32": SPAWN_AS_LINUX},
    "executor_default_context": {
        "darwin": DEFAULT_SPAWN + "; concurrent/futures/process.py:671-675 (3.11.7)",
        "win32": DEFAULT_SPAWN + "; concurrent/futures/process.py:671-675 (3.11.7)",
    },
    "executor_initializer_fails": {
        "darwin": "fd 2 inherited through fork, fork_exec (spawn) and the fork server (util.spawnv_passfds)",
        "win32": {
            "worker_stderr": NO_HANDLES,
            "*": "concurrent/futures/process.py:238-245 (3.11.7): the "
            "initializer's error is logged to sys.stderr, read here wherever it went",
        },
    },
    "executor_lambda": {"darwin": NEUTRAL, "win32": SPAWN_AS_LINUX},
    "executor_max_tasks_per_child": {
        "darwin": "concurrent/futures/process.py:692-695 (3.11.7): ValueError for fork on every platform; the "
        "hang (gh-115634) is platform-neutral",
        "win32": "concurrent/futures/process.py (platform-neutral); the clean-up's call-queue writes are small "
        "enough for a Windows pipe (connection.py BUFSIZE 8192)",
    },
    "executor_remote_traceback": {"darwin": NEUTRAL, "win32": SPAWN_AS_LINUX},
    "executor_terminate_workers": {
        "darwin": "concurrent/futures/process.py:978-1047 (3.14.10); forkserver.py:301 waitstatus_to_exitcode",
        "win32": TERMINATE + "; kill = terminate on Windows",
    },
    "executor_worker_dies": {
        "darwin": "concurrent/futures/process.py:572-579 (3.15.2) lists p.exitcode of dead workers",
        "win32": "popen_spawn_win32.py:89, :114-119 (3.14.10): the sentinel is the process handle, so the "
        "exit code is known once it fires",
    },
    "executor_workers_on_demand": {
        "darwin": "concurrent/futures/process.py _safe_to_dynamically_spawn_children (3.9.18 :611, 3.11.7 "
        ":679-680); 3.9.13 boundary: Misc/NEWS.d/3.9.13.rst (gh-90622)",
        "win32": SPAWN_AS_LINUX,
    },
    "exit_codes": {
        "darwin": f"process.py:319-331 ({P39}) _bootstrap's exit codes and stderr",
        "win32": f"process.py:319-331 ({P39}); {TERMINATE}",
    },
    "fork_with_threads_warning": {
        "darwin": "Modules/posixmodule.c warn_about_fork_with_threads (C: counts the OS threads, Mach's on "
        "macOS; not read line by line here)",
        "win32": "spawn never forks on Windows: no warning",
    },
    "gil_in_child": {
        "darwin": NEUTRAL + "; a spawn child gets os.environ through util.spawnv_passfds (fork_exec)",
        "win32": "popen_spawn_win32.py:61-68 (3.9.18): CreateProcess env None (the current environment) or "
        "os.environ.copy(); the GIL itself is decided by each interpreter at start-up",
    },
    "global_counter_fixed": {"darwin": NEUTRAL, "win32": SPAWN_AS_LINUX},
    "global_counter_lock": {"darwin": NEUTRAL + "; re-import as __mp_main__ makes a new Lock", "win32": SPAWN_AS_LINUX},
    "globals_snapshot": {"darwin": NEUTRAL, "win32": SPAWN_AS_LINUX},
    "global_queue_not_shared": {
        "darwin": NEUTRAL + "; re-import as __mp_main__ makes a new Queue and Event",
        "win32": SPAWN_AS_LINUX,
    },
    # issue 29's scenarios (each docstring says the same): the same code paths as Linux's
    "class_attribute_classmethod": {"darwin": NEUTRAL, "win32": SPAWN_AS_LINUX},
    "generator_argument": {"darwin": NEUTRAL + " (pickling)", "win32": SPAWN_AS_LINUX + " (pickling)"},
    "global_set_in_method": {"darwin": NEUTRAL, "win32": SPAWN_AS_LINUX},
    "lock_holding_argument": {"darwin": NEUTRAL + " (pickling)", "win32": SPAWN_AS_LINUX + " (pickling)"},
    "logger_sink_added_at_run_time": {"darwin": NEUTRAL, "win32": SPAWN_AS_LINUX},
    "pool_threads_at_fork": {
        "darwin": NEUTRAL + " (the lock a fork copies); its warnings: Modules/posixmodule.c "
        "warn_about_fork_with_threads (C: counts the OS threads, Mach's on macOS; not read line by line here)",
        "win32": SPAWN_AS_LINUX + "; spawn never forks on Windows: a new lock, no warning",
    },
    "registry_filled_by_decorator": {"darwin": NEUTRAL, "win32": SPAWN_AS_LINUX},
    "generator_copied_at_fork": {
        "darwin": NEUTRAL + "; a fork copies the generator's state, and the fork server preloads __main__ "
        "(forkserver.py:132-143 in 3.13.15, :150-161 in 3.14.8) as on Linux",
        "win32": SPAWN_AS_LINUX,
    },
    "lambda_target": {
        "darwin": NEUTRAL + " (pickling)",
        "win32": {
            "failed_start_children": PSW + "; spawn.py _main dies on the missing pickle",
            "*": SPAWN_AS_LINUX + " (pickling)",
        },
    },
    "logging_in_child": {
        "darwin": NEUTRAL,
        "win32": SPAWN_AS_LINUX + "; the child points fd 2 at a file itself, so inheritance plays no part",
    },
    "manager_proxy_nested": {"darwin": NEUTRAL, "win32": SPAWN_AS_LINUX + " (a Manager over AF_PIPE)"},
    "missing_main_guard": {
        "darwin": {"*": FORKSERVER_PRELOAD},
        "win32": "spawn.py:120-144 (3.9.18): _inheriting and _check_not_importing_main",
    },
    "mixed_context_lock": {
        "darwin": "synchronize.py:53-54, :100-111 (3.11.7): the check is in the non-win32 branch; before 3.11.5 "
        "the child's fate on macOS is the kernel's (synchronize.py:100-106 in 3.9.18 pickles the raw sem_t*)",
    },
    "monkeypatch_in_parent": {"darwin": NEUTRAL, "win32": SPAWN_AS_LINUX},
    "mock_patch_in_parent": {"darwin": NEUTRAL, "win32": SPAWN_AS_LINUX},
    "forkserver_not_parent": {
        "darwin": f"forkserver.py:265 (os.fork() in the server), :194, :233-244 (its SIGCHLD handler reaps and reports "
        f"the exit code), popen_forkserver.py:59, :68 in {P39}; a fork or spawn child is the starter's own (POSIX)",
        "win32": "popen_spawn_win32.py:63-64 (3.9.18): the child is created by the cell's own interpreter; no "
        "SIGCHLD, no WNOHANG: those facts are None",
    },
    "exit_status_stolen": {
        "darwin": f"popen_fork.py:24-34 (poll: os.waitpid(self.pid, flag), ChildProcessError taken for 'not yet "
        f"ended'), popen_forkserver.py:61-73, forkserver.py:233-244 in {P39}: a fork or spawn child is the "
        "starter's own, a forkserver child the server's (POSIX: waitpid(-1) reaps any child, a SIGCHLD set to "
        "SIG_IGN leaves no status)",
        "win32": "no signal.SIGCHLD on Windows: every fact is None",
    },
    "os_fork_after_forkserver": {"darwin": "forkserver.py:154 (3.15.2): os.waitpid(self._forkserver_pid, WNOHANG)"},
    "pool_exception_unpicklable": {"darwin": NEUTRAL, "win32": SPAWN_AS_LINUX},
    "private_method_target": {
        "darwin": NEUTRAL + " (pickling: reduction.py:206-214 _reduce_method in 3.9.18 and 3.15.2)",
        "win32": SPAWN_AS_LINUX + " (pickling: reduction.py:206-214 _reduce_method in 3.9.18 and 3.15.2)",
    },
    "pool_map_chunks": {"darwin": NEUTRAL, "win32": SPAWN_AS_LINUX},
    "pool_reuse": {"darwin": NEUTRAL, "win32": SPAWN_AS_LINUX},
    "pool_worker_exception": {"darwin": NEUTRAL, "win32": SPAWN_AS_LINUX},
    "process_basics": {
        "darwin": NEUTRAL,
        "win32": "popen_spawn_win32.py:63-64 (3.9.18): the child is created by the cell's own interpreter",
    },
    "process_count": {"darwin": NEUTRAL, "win32": SPAWN_AS_LINUX},
    "queue_join_deadlock": {
        "darwin": "the feeder blocks on a pipe smaller than 1 MiB (POSIX)",
        "win32": "connection.py:279-290, :41 (3.9.18): PipeConnection._send_bytes waits for the overlapped write",
    },
    "queue_producer_consumer": {"darwin": NEUTRAL, "win32": SPAWN_AS_LINUX},
    "random_after_fork": {"darwin": "random.py:891 register_at_fork(after_in_child=seed)", "win32": SPAWN_AS_LINUX},
    "set_start_method_import_time": {
        "darwin": "spawn.py:177 (3.9.18) puts start_method in the preparation data; context.py:261-263 "
        "(3.14.10) raises 'context has already been set'; " + FORKSERVER_PRELOAD,
        "win32": "spawn.py:177 (3.9.18); context.py:261-263 (3.14.10)",
    },
    "set_start_method_twice": {"darwin": "context.py:260 (3.9.18) only orders the methods", "win32": SPAWN_AS_LINUX},
    "shared_memory_lifecycle": {
        "darwin": "resource_tracker.py:185-201 (3.9.18): one set per type; no /dev/shm folder on macOS (OS, not "
        "CPython)",
        "win32": "shared_memory.py:131-176, :233-241 (3.9.18): unlink() is a no-op, attach is OpenFileMapping; "
        "resource_tracker.py:36 is POSIX-only",
    },
    "shared_value_array": {"darwin": NEUTRAL, "win32": SPAWN_AS_LINUX},
    "signal_handler_inherited": {
        "darwin": NEUTRAL,
        "win32": TERMINATE + "; pool.py:709-713 (3.9.18) terminates live workers",
    },
    "stdin_in_child": {
        "darwin": "util.py:410-427, process.py:299 (3.9.18): _close_stdin reopens stdin on os.devnull",
        "win32": {
            "child_stdin": NO_HANDLES + "; util.py:411-412 (3.9.18) returns when sys.stdin is None",
            "*": "util.py:410-427 (3.9.18)",
        },
    },
    "sys_path_not_str": {
        "darwin": "forkserver.py:126-133 (3.9.18), :170-181 (3.15.2): the command is built with %r",
        "win32": "spawn pickles sys_path (spawn.py get_preparation_data); no fork server",
    },
    "terminate_skips_finally": {"darwin": NEUTRAL + "; atexit as atexit_in_child", "win32": TERMINATE},
    "threads_not_inherited": {"darwin": "no /proc on macOS: the OS-thread fact is not reported", "win32": "no /proc"},
    "unpicklable_process_state": {
        "darwin": NEUTRAL + " (pickling)",
        "win32": {
            "failed_start_children": PSW + "; spawn.py _main dies on the missing pickle",
            "*": SPAWN_AS_LINUX + " (pickling)",
        },
    },
    "unpicklable_result": {"darwin": NEUTRAL, "win32": SPAWN_AS_LINUX},
    "value_race": {"darwin": NEUTRAL, "win32": SPAWN_AS_LINUX},
}
#: Linux facts come from this project's own runs (the test suite runs every cell on Linux); a stored report in
#: observations/ names the interpreters.
LINUX = "the project's Linux runs (the scenario's docstring names the interpreters)"
#: The platforms whose facts are derived until a stored observation says otherwise.
DERIVED_PLATFORMS = ("darwin", "win32")


def derived_source(scenario: str, platform: str, fact: str) -> Optional[str]:
    """The declared source of ``fact`` of ``scenario`` on ``platform``; None when nothing is declared."""
    if platform == "linux":
        return LINUX
    entry = DERIVED.get(scenario, {}).get(platform)
    if isinstance(entry, Mapping):
        return entry.get(fact, entry.get("*"))
    return entry


@cache
def _observations(folder: str) -> Tuple[Tuple[str, Dict[str, Any]], ...]:
    """The stored reports: (file name, report), oldest name first; unreadable files are skipped."""
    found: List[Tuple[str, Dict[str, Any]]] = []
    root = Path(folder)
    if not root.is_dir():
        return ()
    for path in sorted(root.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and isinstance(data.get("cells"), list):
            found.append((path.name, data))
    return tuple(found)


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def observed_on(
    scenario: str, method: str, platform: str, impl: str, python: str, fact: str, expected: Any
) -> List[str]:
    """The stored runs (``"linux cpython 3.11.7 (observations/NAME.json)"``) on the same platform, implementation
    and Python minor whose cell passed with this fact expected as it is now."""
    seen = []
    want = describe(expected)
    for name, report in _observations(str(OBSERVATIONS)):
        if report.get("platform") != platform or (report.get("implementation") or "cpython") != impl:
            continue
        if _minor(str(report.get("python", ""))) != _minor(python):
            continue
        for cell in report["cells"]:
            if (cell.get("scenario"), cell.get("method")) != (scenario, method) or cell.get("status") != "passed":
                continue
            if fact in cell.get("expected", {}) and cell["expected"][fact] == want:
                seen.append(f"{platform} {impl} {report.get('python')} (observations/{name})")
    return seen


def provenance(
    scenario: str, method: str, platform: str, impl: str, python: Any, fact: str, expected: Any
) -> Dict[str, Any]:
    """``{"kind": "observed", "on": [...]}`` or ``{"kind": "derived", "source": ...}`` (source None: undeclared)."""
    python = python if isinstance(python, str) else ".".join(map(str, python))
    seen = observed_on(scenario, method, platform, impl, python, fact, expected)
    if seen:
        return {"kind": "observed", "on": seen}
    return {"kind": "derived", "source": derived_source(scenario, platform, fact)}


def describe_provenance(prov: Mapping[str, Any]) -> str:
    if prov["kind"] == "observed":
        return "observed on " + "; ".join(prov["on"])
    return f"derived from {prov['source']}" if prov["source"] else "derived, source not declared"


def missing(scenarios: Any, runtimes: Any, methods: Any) -> List[str]:
    """``scenario[method] on platform impl python: fact`` for every darwin or win32 fact that has no provenance
    (neither a stored observation nor a declared source). ``runtimes``: (impl, impl_version, python) triples."""
    gaps = []
    for scenario in scenarios:
        for platform in DERIVED_PLATFORMS:
            for impl, own, python in runtimes:
                for method in methods:
                    resolved = scenario.expect.resolve(method, platform, python, impl, own)
                    for fact, value in resolved.facts.items():
                        prov = provenance(scenario.id, method, platform, impl, python, fact, value)
                        if prov["kind"] == "derived" and not prov["source"]:
                            gaps.append(f"{scenario.id}[{method}] on {platform} {impl} {python}: {fact}")
    return gaps
