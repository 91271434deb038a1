"""The engine: run (scenario, start method) cells, each in a fresh interpreter, and judge them.

Every front end (CLI, pytest, nox, the probe) comes through :class:`Run`: :meth:`Run.cell` for
one scenario cell, :meth:`Run.run` for many, :meth:`Run.launch` for any target of the cell bootstrap.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, TypeVar

from . import durations
from .catalog import Scenario
from .expect import METHODS, PLATFORMS, Matcher, compare, describe, implementation, judged_as, platform_name
from .facts import METHOD_ENV, OWNER_ENV, RESULT_ENV
from .proctree import Tree, popen_kwargs
from .proctree import describe as describe_pids

DEFAULT_TIMEOUT = 60.0
#: How long a finished cell's helpers (forkserver, resource tracker) get to exit by themselves.
DRAIN_SECONDS = 5.0
TAIL_BYTES = 4000
#: Default cells at once per core: a cell mostly waits (on its children's start-up, joins, exits),
#: so one per core leaves cores idle; measured with bench/catalog.py on 2 cores, 2 per core ran the
#: catalog in ~60% of the time of 1 per core, and 3-4 per core gained little more.
JOBS_PER_CORE = 2
STATUSES = ("passed", "failed", "unavailable", "timeout", "crashed", "interrupted")
PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)


def _importable_without_pythonpath() -> bool:
    """True when mpcheck is installed: then PYTHONPATH must not gain site-packages, which would put
    every installed package ahead of the standard library in the cell's sys.path."""
    import sysconfig

    installed = {os.path.realpath(sysconfig.get_paths()[key]) for key in ("purelib", "platlib")}
    return os.path.realpath(PACKAGE_PARENT) in installed


#: A source checkout's parent folder, which cells need on PYTHONPATH to import mpcheck; None when installed.
CELL_PYTHONPATH = None if _importable_without_pythonpath() else PACKAGE_PARENT


def current_platform() -> str:
    """The platform whose expectations apply here: other POSIX systems are judged as Linux."""
    plat = platform_name()
    return plat if plat in PLATFORMS else "linux"


def python_version() -> str:
    """The Python language version, ``3.11.7`` (PyPy 8.0.1 says ``3.11.17``)."""
    return ".".join(map(str, sys.version_info[:3]))


def implementation_name() -> str:
    """``sys.implementation.name``: ``cpython``, ``pypy``."""
    return implementation()[0]


def implementation_version() -> str:
    """The implementation's own version: PyPy's ``8.0.1``; CPython's is its Python version."""
    return ".".join(map(str, implementation()[1]))


def runtime_label(impl: Optional[str] = None, python: Optional[str] = None, impl_version: Optional[str] = None) -> str:
    """How headers name an interpreter (this one by default): ``Python 3.11.7``, ``PyPy 8.0.1 (Python 3.11.17)``.

    A report or baseline without an implementation (older mpcheck) is CPython's.
    """
    if impl is None:  # this interpreter
        impl, python, impl_version = implementation_name(), python_version(), implementation_version()
    python = python or "?"
    if impl == "cpython":
        return f"Python {python}"
    return f"{implementation_title(impl)} {impl_version or '?'} (Python {python})"


def implementation_title(impl: str) -> str:
    """An implementation as people write it: ``pypy`` -> ``PyPy``; others as they name themselves."""
    return {"cpython": "CPython", "pypy": "PyPy"}.get(impl, impl)


@dataclass
class CellResult:
    scenario: str
    method: str
    status: str
    platform: str = field(default_factory=current_platform)
    python: str = field(default_factory=python_version)
    sys_version: str = sys.version
    #: ``sys.implementation.name`` and the implementation's own version (PyPy's ``8.0.1``)
    implementation: str = field(default_factory=implementation_name)
    implementation_version: str = field(default_factory=implementation_version)
    duration_s: float = 0.0
    expected: Dict[str, Any] = field(default_factory=dict)
    observed: Dict[str, Any] = field(default_factory=dict)
    #: fact -> why it did not match (failed cells)
    mismatches: Dict[str, str] = field(default_factory=dict)
    #: one line: why the cell is not passed (exit code, timeout, leftovers, unavailability)
    detail: str = ""
    stderr_tail: str = ""
    stdout_tail: str = ""
    #: facts asserted by a matcher (a bound, ``contains``...): their values may vary run to run
    loose: List[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status in ("passed", "unavailable")

    def to_json(self) -> Dict[str, Any]:
        return asdict(self)


def _tail(path: Path) -> str:
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            fh.seek(max(0, size - TAIL_BYTES))
            data = fh.read()
    except OSError:
        return ""
    text = data.decode("utf-8", "replace")
    return ("…" + text) if size > TAIL_BYTES else text


def _signal_name(returncode: int) -> str:
    try:
        return signal.Signals(-returncode).name
    except ValueError:
        return f"signal {-returncode}"


def cell_env(result_path: Path) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in (RESULT_ENV, OWNER_ENV, METHOD_ENV)}
    if CELL_PYTHONPATH:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (CELL_PYTHONPATH, env.get("PYTHONPATH")) if p)
    env[RESULT_ENV] = str(result_path)
    # spawn and forkserver children honour this; an inherited faulthandler.enable() reaches only fork's.
    env["PYTHONFAULTHANDLER"] = "1"
    return env


@dataclass
class Launched:
    """One cell interpreter's outcome, before any judgement."""

    #: None: killed at the time limit, or by :meth:`Run.cancel` (then ``interrupted``)
    returncode: Optional[int] = None
    interrupted: bool = False
    #: processes of its tree still alive after it exited (killed), described
    leftovers: List[str] = field(default_factory=list)
    duration_s: float = 0.0
    stdout_tail: str = ""
    stderr_tail: str = ""
    #: what it wrote through :mod:`mpcheck.facts` (None: nothing readable)
    result: Optional[Dict[str, Any]] = None


T = TypeVar("T")
R = TypeVar("R")


def _pidfd(pid: int) -> Optional[int]:
    """A descriptor that becomes readable when ``pid`` exits (Linux 5.3+), else None."""
    try:
        return os.pidfd_open(pid)  # type: ignore[attr-defined,unused-ignore]
    except (AttributeError, OSError):
        return None


class Run:
    """A set of cells run in parallel, slowest first, cancellable from another thread (Ctrl-C)."""

    def __init__(self, timeout: Optional[float] = None, jobs: Optional[int] = None) -> None:
        self.timeout = timeout
        self.jobs = max(1, jobs or JOBS_PER_CORE * (os.cpu_count() or 1))
        self._trees: Dict[int, Tree] = {}
        self._lock = threading.Lock()
        self._cancelled = threading.Event()

    # -- one cell -----------------------------------------------------------------------------

    def cell(self, scenario: Scenario, method: str) -> CellResult:
        if method not in METHODS:
            raise ValueError(f"unknown start method {method!r}")
        impl, impl_version = implementation()
        resolved = scenario.expect.resolve(
            method, current_platform(), sys.version_info[:3], judged_as(impl), impl_version
        )
        if resolved.unavailable is not None:
            return CellResult(scenario.id, method, "unavailable", detail=resolved.unavailable)
        expected = resolved.facts
        timeout = scenario.expect.timeout or self.timeout or DEFAULT_TIMEOUT
        if self.timeout is not None and scenario.expect.timeout is not None:
            timeout = max(self.timeout, scenario.expect.timeout)
        result = CellResult(scenario.id, method, "crashed", expected={k: describe(v) for k, v in expected.items()})
        result.loose = sorted(k for k, v in expected.items() if isinstance(v, Matcher))
        set_method = "1" if scenario.expect.set_method else "0"
        launched = self.launch(str(scenario.path), method, set_method, timeout)
        if launched is None:
            result.status, result.detail = "interrupted", "not started: the run was interrupted"
            return result
        result.duration_s = launched.duration_s
        result.stderr_tail = launched.stderr_tail
        result.stdout_tail = launched.stdout_tail
        reported = self._read_result(result, launched.result)  # shown for timeouts and crashes too
        if launched.returncode is None:
            if launched.interrupted:
                result.status, result.detail = "interrupted", "killed: the run was interrupted"
            else:
                result.status = "timeout"
                result.detail = f"still running after {timeout:g} s: its process tree was killed"
        else:
            self._judge(result, launched.returncode, reported, expected, launched.leftovers)
        return result

    def launch(
        self, target: str, method: str, set_method: str, timeout: float, extra: Sequence[str] = ()
    ) -> Optional[Launched]:
        """Run ``python -m mpcheck._cell`` in a session of its own; None if the run was cancelled first.

        The one place a cell's interpreter is started, waited for, killed at ``timeout`` and checked
        for leftovers: scenarios and the probe differ only in what they make of the outcome.
        """
        if self._cancelled.is_set():
            return None
        launched = Launched()
        # Windows cannot delete a file a process still holds open (one that escaped the tree): a
        # leftover temp folder then, not a crashed run. (3.9 lacks the option.)
        keep_going = {"ignore_cleanup_errors": True} if sys.version_info >= (3, 10) else {}
        with tempfile.TemporaryDirectory(prefix="mpcheck-", **keep_going) as tmp:  # type: ignore[call-overload]
            tmpdir = Path(tmp)
            out_path, err_path, result_path = tmpdir / "stdout", tmpdir / "stderr", tmpdir / "result.json"
            dump_after = max(timeout - min(1.0, timeout * 0.1), 0.1)  # Windows only: see _cell.py
            cmd = [sys.executable, "-m", "mpcheck._cell", target, method, set_method, f"{dump_after:.3f}", *extra]
            start = time.monotonic()
            with open(out_path, "wb") as out, open(err_path, "wb") as err:
                proc = subprocess.Popen(
                    cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=cell_env(result_path),
                    **popen_kwargs(),  # type: ignore[call-overload]
                )  # fmt: skip
            tree = Tree(proc.pid, marker=f"{RESULT_ENV}={result_path}")
            with self._lock:
                self._trees[proc.pid] = tree
            try:
                launched.returncode = self._wait(proc, tree, timeout)
                if self._cancelled.is_set():
                    launched.returncode = None  # ended by cancel()'s kill, or racing it: interrupted
                if launched.returncode is None:
                    if not self._cancelled.is_set():
                        tree.dump_tracebacks()
                    tree.kill()
                    proc.wait()
                    launched.interrupted = self._cancelled.is_set()
                else:
                    leftovers = tree.wait_empty(DRAIN_SECONDS)
                    launched.leftovers = describe_pids(leftovers)
                    if leftovers:
                        tree.kill()
            finally:
                with self._lock:
                    self._trees.pop(proc.pid, None)
            launched.duration_s = round(time.monotonic() - start, 3)
            launched.stderr_tail = _tail(err_path)
            launched.stdout_tail = _tail(out_path)
            try:
                data = json.loads(result_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = None
            launched.result = data if isinstance(data, dict) else None
        return launched

    def _wait(self, proc: subprocess.Popen, tree: Tree, timeout: float) -> Optional[int]:
        deadline = time.monotonic() + timeout
        # Popen.wait(timeout) sleeps in steps growing to 50 ms: ~25 ms late per cell on average,
        # a third of a short fork cell. A pidfd (Linux) wakes up the moment the cell exits.
        pidfd = _pidfd(proc.pid)
        poller = None
        if pidfd is not None:
            poller = select.poll()  # not select(): no FD_SETSIZE limit
            poller.register(pidfd, select.POLLIN)
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._cancelled.is_set():
                    return proc.poll()
                # Windows polls to remember the tree; POSIX finds it by session id when needed.
                step = min(remaining, 0.2 if os.name == "nt" else 0.5)
                if poller is not None:
                    poller.poll(step * 1000)
                    if proc.poll() is not None:
                        return proc.returncode
                else:
                    try:
                        return proc.wait(timeout=step)
                    except subprocess.TimeoutExpired:
                        pass
                tree.remember()
        finally:
            if pidfd is not None:
                os.close(pidfd)

    @staticmethod
    def _read_result(result: CellResult, data: Optional[Dict[str, Any]]) -> bool:
        if data is None:
            return False
        result.observed = data.get("facts", {})
        result.sys_version = data.get("sys_version", result.sys_version)
        result.implementation = data.get("implementation", result.implementation)
        result.implementation_version = data.get("implementation_version", result.implementation_version)
        return True

    def _judge(
        self, result: CellResult, returncode: int, reported: bool, expected: Dict[str, Any], leftovers: List[str]
    ) -> None:
        if returncode != 0:
            how = f"killed by {_signal_name(returncode)}" if returncode < 0 else f"exit code {returncode}"
            result.status, result.detail = "crashed", f"the scenario's interpreter ended with {how}"
            return
        if not reported:
            result.status, result.detail = "crashed", "the scenario exited 0 without reporting any fact"
            return
        result.mismatches = compare(expected, result.observed)
        if leftovers:
            result.mismatches["leftover_processes"] = (
                f"still running {DRAIN_SECONDS:g} s after the scenario exited (killed): " + "; ".join(leftovers)
            )
        result.status = "failed" if result.mismatches else "passed"
        if result.mismatches:
            result.detail = f"{len(result.mismatches)} fact(s) differ from the expectation"

    # -- many cells ---------------------------------------------------------------------------

    def run(
        self,
        cells: Sequence[tuple],
        on_result: Optional[Callable[[CellResult], None]] = None,
    ) -> List[CellResult]:
        """Run ``(scenario, method)`` cells, slowest first; results in the order given.

        On Ctrl-C (KeyboardInterrupt in this thread) every running cell's tree is killed and the
        cells finished so far are returned; :attr:`cancelled` tells the caller.
        """
        cost = durations.load()
        order = sorted(range(len(cells)), key=lambda i: -durations.estimate(cost, cells[i][0].id, cells[i][1]))

        def one(i: int) -> CellResult:
            res = self.cell(*cells[i])
            if on_result:
                on_result(res)
            return res

        results: List[Optional[CellResult]] = [None] * len(cells)
        for i, res in zip(order, self.map(one, order)):
            results[i] = res
        finished = [r for r in results if r is not None]
        durations.save(cost, finished)
        return finished

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> List[Optional[R]]:
        """``fn`` over ``items`` on :attr:`jobs` threads; results in item order, None where not finished.

        On Ctrl-C (KeyboardInterrupt in this thread) every running cell's tree is killed and the
        items finished so far are kept; :attr:`cancelled` tells the caller.
        """
        results: List[Optional[R]] = [None] * len(items)

        def one(i: int) -> None:
            results[i] = fn(items[i])

        pool = ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="mpcheck-cell")
        try:
            pending = {pool.submit(one, i) for i in range(len(items))}
            while pending:
                # Short waits keep the main thread responsive to Ctrl-C.
                done, pending = wait(pending, timeout=0.2, return_when=FIRST_EXCEPTION)
                for fut in done:
                    fut.result()
        except KeyboardInterrupt:
            # Kill what runs, keep what finished: the caller shows the partial results.
            self.cancel()
        pool.shutdown(wait=True)
        return results

    def cancel(self) -> None:
        """Stop starting cells and kill every running cell's tree."""
        self._cancelled.set()
        with self._lock:
            trees = list(self._trees.values())
        for tree in trees:
            tree.kill(grace=0.5)

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()


def cells_for(scenarios: Iterable[Scenario], methods: Iterable[str]) -> List[tuple]:
    methods = list(methods)
    return [(s, m) for s in scenarios for m in methods]
