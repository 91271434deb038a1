"""``mpcheck suite``'s supervisor: the user's pytest once per start method, watched test by test.

Each method's run is one ``python -m mpcheck.suite.pytest_command --mp-start-method=METHOD [the user's
arguments]`` under :class:`mpcheck.engine.supervise.Supervisor` (a session of its own: its whole process
tree can be killed). The agent inside that pytest (:mod:`.agent`) writes one line per finished test and
the test in progress into a folder of this run (:mod:`.protocol`); the supervisor watches that folder.
A test past the per-test timeout gets its traceback dumped (a signal the agent registered with
faulthandler only while nobody else handled it: no alarm, no watchdog thread in the test process), its
pytest's whole tree is killed, the test is marked ``timeout`` for that method, and pytest starts again
without the tests already done. Tests that changed outcome are run again under each method, among the tests
the later methods ran (what they may rely on), one method at a time.

By default the later methods run at once where the machine has two usable CPUs or more
(:func:`parallel_by_default`): their sessions may then collide on what a real project's tests share
(a fixed temporary path, a port, an sqlite file, ``.coverage``). :attr:`Suite.beside` names the methods
whose run shared the machine with another method's; a test that differs there is rerun alone under them
(:meth:`Suite.rerun_alone`) before the difference is reported. They run beside the first method's run
too, each test as soon as that run has decided it (:class:`Stream`): then every method ran beside another.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

from ..engine.supervise import POLL_S, Supervisor
from ..errors import UsageError
from ..sanitize.hook import ENV as SANITIZE_ENV
from ..start_method import hook
from ..start_method.hook import ENV
from . import protocol
from .findings import MethodRun
from .protocol import TestResult

DEFAULT_TIMEOUT = 300.0
#: pytest's exit codes: tests ran (0 all passed, 1 some failed), 2 interrupted (collection errors),
#: 3 internal error, 4 usage error, 5 no tests collected
PYTEST_RAN = (0, 1)


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity where the OS has one, else every CPU)."""
    getaffinity = getattr(os, "sched_getaffinity", None)
    if getaffinity is not None:
        with contextlib.suppress(OSError):
            return max(1, len(getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def parallel_by_default() -> bool:
    """Whether the later methods run at once unless asked otherwise: with two usable CPUs or more."""
    return usable_cpus() >= 2


@dataclass
class Session:
    """One pytest process: how it ended and, if a test hung, which."""

    returncode: Optional[int]
    hung: Optional[str] = None
    hung_traceback: str = ""
    stdout: str = ""
    stderr: str = ""
    leftovers: Sequence[str] = ()


def _last_line(text: str, prefixes: Sequence[str] = ()) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for prefix in prefixes:
        found = [line for line in lines if line.startswith(prefix)]
        if found:
            return found[0]
    return lines[-1] if lines else ""


def _usage_line(text: str) -> str:
    """The one line that says what pytest refused: ``ERROR: file or directory not found: x`` or the
    argparse line after ``ERROR: usage: ...``."""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("ERROR:") and not line.startswith("ERROR: usage:"):
            return line[len("ERROR:") :].strip()
        if ": error: " in line:
            return line.split(": error: ", 1)[1].strip()
    return _last_line(text)


def _library(path: str) -> bool:
    import sysconfig

    parts = path.replace("\\", "/").split("/")
    stdlib = sysconfig.get_paths()["stdlib"].replace("\\", "/")
    return "site-packages" in parts or "dist-packages" in parts or path.replace("\\", "/").startswith(stdlib)


def _hang_frame(traceback_text: str, nodeid: str) -> str:
    """``file, line N in function`` where the test hung, from faulthandler's dump of every thread: the
    innermost frame in the test's own file (the main thread's first, then the other threads'); else the
    innermost frame of the project's own code (not the standard library's, not an installed package's);
    else the innermost frame of the first thread. A frame outside the main thread says which thread."""
    test_file = nodeid.split("::", 1)[0].replace("\\", "/")
    threads: List[Tuple[str, List[str]]] = []
    for line in traceback_text.splitlines():
        line = line.strip()
        if line.startswith(("Thread 0x", "Current thread 0x")):
            threads.append((line.split(" (", 1)[0], []))
        elif line.startswith("File "):
            if not threads:
                threads.append(("Current thread", []))
            threads[-1][1].append(line[len("File ") :].replace('"', ""))

    def path_of(frame: str) -> str:
        return frame.split(", line", 1)[0].replace("\\", "/")

    def where(thread: str, frame: str, shown: str) -> str:
        text = shown + ", line" + frame.split(", line", 1)[1] if ", line" in frame else frame
        return text if thread.startswith("Current thread") else f"{text} ({thread.lower()}, not the main thread)"

    threads.sort(key=lambda thread: not thread[0].startswith("Current thread"))  # the main thread first
    for wanted in (lambda f: path_of(f).endswith(test_file), lambda f: not _library(path_of(f))):
        for thread, frames in threads:
            for frame in frames:  # most recent call first: the first found is the innermost
                if wanted(frame):
                    shown = test_file if path_of(frame).endswith(test_file) else path_of(frame)
                    return where(thread, frame, shown)
    for thread, frames in threads:
        if frames:
            return where(thread, frames[0], path_of(frames[0]))
    return ""


class Gate:
    """When a later method's pytest, started ahead of its turn (its start-up overlapping the run before
    it), may go on, and with which tests: :meth:`open` (``only``: the node ids, or None for every
    test; an empty list: nothing to run) or :meth:`abort`."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.go = False
        self.only: Optional[List[str]] = None
        #: when it opened (``time.monotonic()``): the method's run starts then
        self.opened_at = 0.0

    def open(self, only: Optional[Sequence[str]]) -> None:
        self.only = None if only is None else list(only)
        self.go, self.opened_at = True, time.monotonic()
        self._event.set()

    def abort(self) -> None:
        self._event.set()

    def decided(self) -> bool:
        """Opened or aborted."""
        return self._event.is_set()

    def nothing_to_run(self) -> bool:
        """Decided already, and with nothing to run: the method's pytest need not start at all."""
        return self._event.is_set() and (not self.go or self.only == [])

    def wait(self, cancelled: Callable[[], bool]) -> bool:
        """Whether to go on (False: aborted, cancelled or nothing to run)."""
        while not self._event.wait(POLL_S):
            if cancelled():
                return False
        return self.go and self.only != [] and not cancelled()


def later_run(result: TestResult, children_started: Optional[bool]) -> Optional[bool]:
    """Whether the methods after the first run a test, from what the first method's run saw of it: one that
    started no process, asked nothing of multiprocessing and ran no subprocess cannot differ; one whose
    processes all came from explicit contexts runs the same under every forced method, unless some child
    started processes of its own (``children_started``, known for the whole run only once it has ended:
    None before, and then so is the answer for such a test)."""
    if not result.exposed():
        return False
    return children_started if result.explicit_only() else True


class Stream:
    """What the later methods' pytest processes may run, written while the first method's run goes on
    (:data:`protocol.STREAM_ENV`): each test as soon as the first's run has reported it (:func:`later_run`),
    the rest when that run has ended (:meth:`end`), whatever it never reported included. With --parallel
    the later methods so run beside the first, not after it: a suite whose exposed tests are heavy under
    spawn no longer pays the first run plus theirs."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._written: Set[str] = set()

    def _write(self, lines: List[Tuple[str, bool]]) -> None:
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write("".join(protocol.decision_line(nodeid, run) for nodeid, run in lines))

    def decide(self, result: TestResult) -> None:
        """A test the first method's run has ended (or that hung there): decided now, where it can be."""
        run = later_run(result, None)
        if run is not None and result.nodeid not in self._written:
            self._written.add(result.nodeid)
            self._write([(result.nodeid, run)])

    def end(self, tests: Iterable[str], later: Set[str]) -> None:
        """The first method's run has ended: ``later`` is what the later methods run, of ``tests``."""
        self._write([(n, n in later) for n in tests if n not in self._written])
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(protocol.END_LINE)


class Suite:
    """Runs the suite under start methods; Ctrl-C (in :meth:`run`, :meth:`rerun`) stops everything."""

    def __init__(
        self,
        pytest_args: Sequence[str],
        timeout: float = DEFAULT_TIMEOUT,
        cwd: Optional[Path] = None,
        parallel: bool = False,
        methods: int = 1,
        on_progress: Optional[Callable[[str, int, Optional[int]], None]] = None,
        all_tests: bool = False,
        sanitize: Optional[Path] = None,
    ) -> None:
        self.pytest_args = list(pytest_args)
        #: every method runs every test (else the methods after the first run only the exposed tests)
        self.all_tests = all_tests
        #: the sanitizer's folder for the first method's run (its hazards name the tests that caused them)
        self.sanitize = sanitize
        self.timeout = timeout
        self.cwd = cwd
        #: ``on_progress(method, tests done, tests in all or None)`` while a method's first run goes on
        self.on_progress = on_progress
        #: one method's tests at a time, or every method's at once
        self.parallel = parallel
        self.supervisor = Supervisor(jobs=methods if parallel else 1)
        #: after :meth:`run`: the tests the first method found exposed, in its order (what the others ran)
        self.exposed: List[str] = []
        #: after :meth:`run`: the methods whose run shared the machine with another method's run (their
        #: outcomes may come from a collision of two sessions: a fixed path, a port, a database file)
        self.beside: List[str] = []

    @property
    def cancelled(self) -> bool:
        return self.supervisor.cancelled

    # -- one pytest process ---------------------------------------------------------------------

    def _command(self, method: str, coverage: bool = False) -> List[str]:
        """The pytest of one session; without ``coverage`` (every session but the first method's), with
        the project's pytest-cov off (:mod:`.pytest_command.no_coverage`)."""
        load = []
        if os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD"):
            load = ["-p", "mpcheck.pytest_plugin"]
        if not coverage:
            load += ["-p", "mpcheck.suite.pytest_command.no_coverage"]
        module = "mpcheck.suite.pytest_command"
        return [sys.executable, "-m", module, *load, f"--mp-start-method={method}", *self.pytest_args]

    def session(
        self,
        method: str,
        folder: Path,
        skip: Iterable[str] = (),
        only: Optional[Iterable[str]] = None,
        progress_bar: bool = True,
        sanitize: Optional[Path] = None,
        gate: Optional[Gate] = None,
        underway: Optional[threading.Event] = None,
        coverage: bool = False,
        decide: Optional[Callable[[TestResult], None]] = None,
        stream: Optional[Path] = None,
    ) -> Optional[Session]:
        """One pytest process under ``method``. With ``gate``: started at once, it waits (before any
        conftest.py) until the gate opens, and runs what the gate says; None when it never went on (or
        never started: the gate said already that there is nothing to run). ``underway`` is set once
        this pytest has run something the forced default can reach (:data:`protocol.REACHABLE_FILE`, or a
        child that started processes of its own), or with :attr:`all_tests` once it has collected its tests:
        the later methods will have tests to run. ``coverage``: the project's own run, whose coverage
        (pytest-cov) is the project's; any other session only compares outcomes and runs without it.
        ``decide``: called with each test this pytest ends (the first method's, feeding a :class:`Stream`);
        ``stream`` (with ``gate``): the :class:`Stream`'s file, this pytest runs beside the first method's
        and each test once decided there; the gate then opens without waiting (pytest-xdist's workers
        wait at it, :func:`.agent.wait_at_gate`)."""
        if gate is not None and gate.nothing_to_run():
            return None
        skip = list(skip)
        watcher = protocol.Watcher(folder)
        report = self.on_progress if progress_bar else None  # reruns are not the run's progress

        def progress() -> None:
            if report is not None:
                remaining = protocol.collected(folder)
                report(method, len(skip) + watcher.count, None if remaining is None else len(skip) + remaining)

        own = (protocol.SUITE_OWNER_ENV, protocol.SKIP_FILE_ENV, protocol.ONLY_FILE_ENV)
        env = {k: v for k, v in os.environ.items() if k not in own}
        env[ENV] = method
        env[protocol.SUITE_DIR_ENV] = str(folder)
        env.pop(SANITIZE_ENV, None)
        if sanitize is not None:
            env[SANITIZE_ENV] = str(sanitize)
        if skip:
            env[protocol.SKIP_FILE_ENV] = protocol.write_ids(folder, protocol.SKIP_FILE, skip)
        if only is not None:
            env[protocol.ONLY_FILE_ENV] = protocol.write_ids(folder, protocol.ONLY_FILE, only)
        if gate is not None:
            env[protocol.GATE_ENV] = str(folder / protocol.GATE_FILE)
            if not self.all_tests:  # the gate will say which tests
                env[protocol.ONLY_FILE_ENV] = str(folder / protocol.ONLY_FILE)
            if stream is not None:
                env[protocol.STREAM_ENV] = str(stream)
        out_path, err_path = folder / "stdout.txt", folder / "stderr.txt"
        hung: Optional[Tuple[str, int, Optional[int]]] = None
        traceback_text = ""
        returncode: Optional[int] = None
        leftovers: List[str] = []
        marker = f"{protocol.SUITE_DIR_ENV}={folder}"
        cwd = None if self.cwd is None else str(self.cwd)
        cmd = self._command(method, coverage)
        beside = gate if stream is not None else None  # its gate is opened here, from tick()
        aborted = False

        def open_gate() -> None:
            if gate is not None and gate.only is not None:
                protocol.write_ids(folder, protocol.ONLY_FILE, gate.only)
            (folder / protocol.GATE_FILE).write_bytes(b"")

        def tick() -> bool:
            nonlocal hung, beside, aborted
            watcher()
            if decide is not None and not self.cancelled:  # (a test Ctrl-C ended is no later method's to run)
                for result in watcher.new:
                    decide(result)
            watcher.new.clear()
            if beside is not None and beside.decided():
                if not beside.go or beside.only == [] or self.cancelled:
                    aborted = True  # the first method's run failed, or nothing to run: as at the gate
                    return True
                open_gate()
                beside = None
            hung = self._find_hang(watcher)
            progress()
            if underway is not None and not underway.is_set() and self._later_needed(folder):
                underway.set()
            return hung is not None

        with contextlib.ExitStack() as stack:  # not a parenthesized `with`: PyPy 3.9 cannot parse one
            out = stack.enter_context(open(out_path, "wb"))
            err = stack.enter_context(open(err_path, "wb"))
            child = stack.enter_context(
                self.supervisor.running(cmd, env=env, stdout=out, stderr=err, marker=marker, cwd=cwd, held=True)
            )
            if child is not None and gate is not None and stream is None:
                if not gate.wait(lambda: self.cancelled):
                    self.supervisor.kill(child)
                    return None
                open_gate()
            if child is not None:
                returncode = self.supervisor.wait(child, tick=tick)
                if aborted:
                    self.supervisor.kill(child)
                    return None
                if hung is not None:
                    traceback_text = self._dump(folder, hung[1], hung[2])
                if returncode is None:
                    self.supervisor.kill(child)
                else:
                    leftovers = self.supervisor.drain(child)
                watcher()
                progress()
        return Session(
            returncode,
            hung[0] if hung is not None else None,
            traceback_text,
            out_path.read_text(encoding="utf-8", errors="replace"),
            err_path.read_text(encoding="utf-8", errors="replace"),
            leftovers,
        )

    def _later_needed(self, folder: Path) -> bool:
        """Whether the first method's run has shown, so far, that the later methods will run some test."""
        if self.all_tests:
            return protocol.collected(folder) is not None
        return (folder / protocol.REACHABLE_FILE).exists() or any(folder.glob(f"{hook.CHILD_FILE}*"))

    def _find_hang(self, watcher: protocol.Watcher) -> Optional[Tuple[str, int, Optional[int]]]:
        now = time.time()
        for running in watcher.running():
            if now - float(running.get("start", now)) > self.timeout:
                return str(running["nodeid"]), running["pid"], running.get("dump_signal")
        return None

    @staticmethod
    def _dump(folder: Path, pid: int, sig: Optional[int]) -> str:
        """Ask the hung process for every thread's traceback (if its signal is still ours)."""
        if sig is None:
            return ""
        path = Path(protocol.traceback_file(str(folder), pid))
        before = path.stat().st_size if path.exists() else 0
        try:
            os.kill(pid, int(sig))
        except OSError:
            return ""
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            time.sleep(0.05)
            if path.exists() and path.stat().st_size > before:
                time.sleep(0.1)  # let the handler finish writing
                break
        try:
            return path.read_text(encoding="utf-8", errors="replace")[before:]
        except OSError:
            return ""

    # -- one method, resumed after each hang ----------------------------------------------------

    def run_method(
        self,
        method: str,
        only: Optional[Sequence[str]] = None,
        first: bool = True,
        progress_bar: bool = True,
        sanitize: Optional[Path] = None,
        gate: Optional[Gate] = None,
        underway: Optional[threading.Event] = None,
        coverage: bool = False,
        decide: Optional[Callable[[TestResult], None]] = None,
        stream: Optional[Path] = None,
    ) -> MethodRun:
        """One method's run (``only`` those tests; ``gate``: its pytest starts now and waits for the gate
        to say which), resumed after each hang without the tests already done; ``coverage``: the first
        method's run, the project's own (its pytest-cov on); ``decide``, ``stream``: see :meth:`session` (a
        run resumed beside the first goes on streaming, without the tests already done)."""
        run = MethodRun(method)
        start = time.monotonic()
        done: Set[str] = set()
        try:
            while not self.cancelled:
                folder = Path(tempfile.mkdtemp(prefix=f"mpcheck-suite-{method}-"))
                try:
                    found = self.session(
                        method, folder, sorted(done), only, progress_bar, sanitize, gate, underway, coverage,
                        decide, stream,
                    )  # fmt: skip
                    if gate is not None and stream is None:  # a resumed run starts as any other
                        start, only, gate = max(start, gate.opened_at), gate.only, None
                    if found is None:
                        break  # the gate never opened (nothing to run, cancelled)
                    session = found
                    run.sessions += 1
                    for result in protocol.read_results(folder):
                        run.tests[result.nodeid] = result
                        done.add(result.nodeid)
                    run.project_method = run.project_method or protocol.project_method(folder)
                    run.children_started = run.children_started or any(folder.glob(f"{hook.CHILD_FILE}*"))
                finally:
                    shutil.rmtree(folder, ignore_errors=True)
                run.leftovers.extend(session.leftovers)
                if session.hung is not None:
                    where = _hang_frame(session.hung_traceback, session.hung)
                    run.tests[session.hung] = TestResult(
                        session.hung,
                        "timeout",
                        f"still running after {self.timeout:g} s" + (f", in {where}" if where else ""),
                        session.hung_traceback,
                        duration_s=self.timeout,
                    )
                    if decide is not None:
                        decide(run.tests[session.hung])
                    done.add(session.hung)
                    continue
                self._check(method, session, run, first and run.sessions == 1)
                break
        finally:
            run.wall_s = time.monotonic() - start
        return run

    def _check(self, method: str, session: Session, run: MethodRun, first: bool) -> None:
        """pytest's own failures: a usage error is the user's input (exit 2); others end the run here."""
        rc = session.returncode
        if first and not run.tests and rc in PYTEST_RAN and not self.cancelled:
            # pytest exits 5 when it collects nothing: 0 or 1 with no result line means it never ran our
            # agent (pytest not installed in this Python, or the plugin not loaded)
            line = _last_line(session.stderr + session.stdout)
            raise UsageError(f"pytest did not run any test mpcheck could see (exit code {rc}): {line}")
        if rc in PYTEST_RAN or self.cancelled:
            return
        if rc == 5 and not first:
            return  # a resumed run with nothing left to run
        if first and not run.tests:
            if rc == 4:
                line = _usage_line(session.stderr + session.stdout)
                if "--mp-start-method" in line:  # the project's set-up turns the plugin off: say what to do
                    line += (
                        " (the project's pytest configuration or $PYTEST_ADDOPTS turns mpcheck's pytest plugin off,"
                        " `-p no:mpcheck`: remove that, or pass `-- -p mpcheck.pytest_plugin`)"
                    )
                raise UsageError(f"pytest: {line}")
            if rc == 5:
                raise UsageError(f"pytest collected no tests (arguments: {' '.join(self.pytest_args) or 'none'})")
            if rc == 2:
                line = _last_line(session.stdout, ("ERROR ", "E   "))
                hint = ""
                if "ModuleNotFoundError" in session.stdout or "ImportError while importing" in session.stdout:
                    hint = (
                        " (mpcheck suite runs pytest as the `pytest` command does, without the current folder on "
                        "sys.path, as a child process would see it: install the project, or set PYTHONPATH)"
                    )
                raise UsageError(f"pytest stopped before running any test ({_last_line(session.stdout)}): {line}{hint}")
            line = _last_line(session.stderr + session.stdout, ("INTERNALERROR>",))
            raise UsageError(f"pytest ended with exit code {rc} before running any test: {line}")
        run.incomplete = f"pytest ended with exit code {rc}: {_last_line(session.stdout + session.stderr)}"

    # -- every method ---------------------------------------------------------------------------

    def run(self, methods: Sequence[str]) -> List[MethodRun]:
        """Every method's run; on Ctrl-C, :attr:`cancelled` and what finished.

        The first method runs every test (with the sanitizer, when :attr:`sanitize` is set); the others,
        at once when parallel, only the tests the first found exposed (:meth:`TestResult.exposed`): a test
        that started no process, asked nothing of multiprocessing and ran no subprocess cannot differ.
        With :attr:`all_tests`, every method runs every test."""
        if len(methods) < 2 or (self.all_tests and self.parallel):
            self.beside = list(methods) if len(methods) > 1 else []
            return [
                r
                for r in self.supervisor.map(
                    lambda m: self.run_method(
                        m, sanitize=self.sanitize if m == methods[0] else None, coverage=m == methods[0]
                    ),
                    methods,
                )
                if r is not None
            ]
        # The later methods' pytest processes start once the first method's run has shown that they will
        # have a test to run (a test reached by the forced default; with --all-tests, once it has collected
        # its tests), not before: on a busy machine their start-up would slow the first's, and on a suite
        # whose processes all come from explicit contexts they are never needed. Their start-up (Python,
        # pytest, its plugins) overlaps the first method's run; each waits at its gate, before any
        # conftest.py is imported, until the run before it has ended (or, with --parallel, the first), and
        # is told then which tests to run. Not needed by then: not started at all. With --parallel they do
        # not wait for the first's end: they import the project's code at once and run each test as soon as
        # the first's run has decided it (a Stream; pytest-xdist's workers still wait at the gate).
        rest = list(methods[1:])
        stream_dir = Path(tempfile.mkdtemp(prefix="mpcheck-suite-stream-")) if self.parallel else None
        stream = Stream(stream_dir / "decided") if stream_dir is not None else None
        try:
            return self._run(methods, rest, stream)
        finally:
            if stream_dir is not None:
                shutil.rmtree(stream_dir, ignore_errors=True)

    def _run(self, methods: Sequence[str], rest: List[str], stream: Optional[Stream]) -> List[MethodRun]:
        gates = [Gate() for _ in rest]
        exposed: List[str] = []
        explicit_only: List[str] = []
        underway = threading.Event()

        def step(i: int) -> Optional[MethodRun]:
            if i == 0:
                try:
                    first = self.run_method(
                        methods[0],
                        sanitize=self.sanitize,
                        underway=underway,
                        coverage=True,
                        decide=stream.decide if stream is not None else None,
                    )
                    exposed.extend(n for n, result in first.tests.items() if later_run(result, first.children_started))
                    explicit_only.extend(
                        n for n, result in first.tests.items() if result.exposed() and n not in exposed
                    )
                    if stream is not None and not self.cancelled:  # (cancelled: the later runs are being killed)
                        stream.end(first.tests, set(exposed))
                    only = None if self.all_tests else exposed
                    for gate in gates if self.parallel or only == [] else gates[:1]:
                        if self.cancelled:
                            gate.abort()
                        else:
                            gate.open(only)
                except BaseException:
                    for gate in gates:
                        gate.abort()
                    raise
                finally:
                    underway.set()  # (after the gates: a later method not started yet sees what they say)
                return first
            gate = gates[i - 1]
            try:
                while not underway.wait(POLL_S):
                    if self.cancelled:
                        return None
                return self.run_method(rest[i - 1], gate=gate, stream=stream.path if stream is not None else None)
            finally:
                if not self.parallel and i < len(gates):  # the next method's turn
                    if gate.go and not self.cancelled:
                        gates[i].open(gate.only)
                    else:
                        gates[i].abort()

        runs = [r for r in self.supervisor.map(step, list(range(len(methods))), jobs=len(methods)) if r is not None]
        if self.cancelled or self.all_tests:
            return runs
        self.exposed = list(exposed)
        exposed_ids = set(exposed)
        if stream is not None and exposed:
            self.beside = list(methods)  # the later methods ran beside the first method's run too
            for run in runs[1:]:  # (a test is decided once: what ran is what the first run decided at its end)
                run.tests = {n: r for n, r in run.tests.items() if n in exposed_ids}
        elif self.parallel and len(rest) > 1 and exposed:
            self.beside = list(rest)
        unexposed = [nodeid for nodeid in runs[0].tests if nodeid not in exposed_ids]
        for run in runs[1:]:
            if not exposed and self.on_progress is not None:
                self.on_progress(run.method, 0, 0)
            run.unexposed = [n for n in unexposed if n not in run.tests and n not in explicit_only]
            run.explicit_only = [n for n in explicit_only if n not in run.tests]
            run.only_exposed_of = methods[0]
        return runs

    def rerun(self, methods: Sequence[str], nodeids: Sequence[str], context: Sequence[str] = ()) -> List[MethodRun]:
        """``nodeids`` again under each method, in one pytest per method, among the tests of ``context``
        (the exposed tests the later methods ran, in their order): a test that relies on what an earlier
        test left (a Pool a decorator keeps across tests) finds it again, as in the run it is compared
        with; alone, it would fail for that reason and pass for flaky."""
        wanted = set(nodeids)
        only = list(context) if context else list(nodeids)

        def one(method: str) -> MethodRun:
            run = self.run_method(method, only=only, first=False, progress_bar=False)
            run.tests = {n: r for n, r in run.tests.items() if n in wanted}
            return run

        return [r for r in self.supervisor.map(one, methods, jobs=1) if r is not None]

    def rerun_alone(self, plan: Mapping[str, Sequence[str]], context: Sequence[str] = ()) -> List[MethodRun]:
        """Each method's tests of ``plan`` again, one method at a time (no other pytest of this run beside
        it), among the tests of ``context`` up to the last of them (as :meth:`rerun`); a test not in
        ``context`` (one that hung) runs after them."""

        def one(method: str) -> MethodRun:
            nodeids = plan[method]
            wanted = set(nodeids)
            last = max((i for i, n in enumerate(context) if n in wanted), default=-1)
            before = set(context[: last + 1])
            only = [*context[: last + 1], *(n for n in nodeids if n not in before)]
            run = self.run_method(method, only=only, first=False, progress_bar=False)
            run.tests = {n: r for n, r in run.tests.items() if n in wanted}
            return run

        return [r for r in self.supervisor.map(one, [m for m in plan if plan[m]], jobs=1) if r is not None]
