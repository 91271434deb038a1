"""``mpcheck suite``'s agent inside the user's pytest: result lines, progress, and a traceback on request.

Registered by :mod:`mpcheck.pytest_plugin` beside the forced session (:mod:`mpcheck.start_method.session`)
when ``$MPCHECK_SUITE_DIR`` is set and this process owns that folder (the suite's pytest, or one of its
pytest-xdist workers; not a pytest that a test started). It writes, for the supervisor, one line per
finished test and the test in progress (:mod:`.protocol`), and lets the supervisor ask for every
thread's traceback with a signal that nobody else has claimed (see :func:`dump_signal`): no thread, no
alarm in the test process. It also drops the tests the supervisor says are done or not wanted.

Imports only pytest, the stdlib and the stdlib-only :mod:`mpcheck.start_method.hook` and :mod:`.protocol`.
"""

from __future__ import annotations

import os
import signal
import time
from typing import IO, Any, Dict, Generator, List, Optional, Set, Tuple

import pytest

from ..start_method import hook
from . import protocol

TEXT_LIMIT = 6000


def dump_signal() -> Optional[int]:
    """The signal the supervisor sends to get a traceback: a real-time one on Linux (test suites
    use SIGUSR1/2, hardly ever SIGRTMIN+n), SIGUSR2 elsewhere; only while nobody else handles it."""
    rtmin = getattr(signal, "SIGRTMIN", None)
    sig = rtmin + 7 if rtmin is not None else getattr(signal, "SIGUSR2", None)
    if sig is None:
        return None
    try:
        return sig if signal.getsignal(sig) == signal.SIG_DFL else None
    except (ValueError, OSError):
        return None


def claim_folder() -> Optional[str]:
    """The suite's folder, if this process is the suite's pytest or one of its xdist workers."""
    folder = os.environ.get(protocol.SUITE_DIR_ENV)
    if not folder:
        return None
    owner = os.environ.get(protocol.SUITE_OWNER_ENV)
    if owner is None:
        os.environ[protocol.SUITE_OWNER_ENV] = str(os.getpid())
        return folder
    worker = "PYTEST_XDIST_WORKER" in os.environ or os.environ.get("PYTEST_XDIST_TESTRUNUID") is not None
    if worker and str(os.getppid()) == owner:
        return folder
    return None  # a pytest that a test started: not the suite's


def _xdist(early_config: Any) -> bool:
    """Whether this pytest hands its tests to pytest-xdist's workers (``-n N``, ``--dist``, ``--tx``)."""
    known = early_config.known_args_namespace
    dist = getattr(known, "dist", None)
    return bool(getattr(known, "numprocesses", None) or getattr(known, "tx", None) or dist not in (None, "no"))


def wait_at_gate(early_config: Any) -> Optional[str]:
    """A later method's pytest, started while the method before it runs, waits here until the supervisor
    writes the gate: after pytest and its plugins are imported (the start-up that overlaps), before any
    conftest.py is (the project's own code runs one method at a time). Leaves if the supervisor is gone.

    With :data:`protocol.STREAM_ENV` (``--parallel``) it does not wait: it runs beside the first method's
    run, each test once that run has decided it (:meth:`SuiteAgent.pytest_runtestloop`), and returns the
    stream's path. Not under pytest-xdist, whose workers run the tests: they wait at the gate as before."""
    path = os.environ.pop(protocol.GATE_ENV, None)
    stream = os.environ.pop(protocol.STREAM_ENV, None)
    if stream and not _xdist(early_config):
        os.environ.pop(protocol.ONLY_FILE_ENV, None)  # the stream says which tests, not a file at the gate
        return stream
    if not path:
        return None
    parent = os.getppid()
    while not os.path.exists(path):
        if os.getppid() != parent:
            raise SystemExit("mpcheck suite: the supervisor that started this pytest is gone")
        time.sleep(0.01)
    return None


def outcome(reports: Dict[str, pytest.TestReport]) -> Tuple[str, Optional[pytest.TestReport]]:
    """One word for a test's three phases, and the report that decided it."""
    setup, call, teardown = reports.get("setup"), reports.get("call"), reports.get("teardown")
    if setup is not None and setup.failed:
        return "error", setup
    if setup is not None and setup.skipped:
        return ("xfailed" if hasattr(setup, "wasxfail") else "skipped"), setup
    if call is not None:
        if hasattr(call, "wasxfail"):
            return ("xfailed" if call.skipped else "xpassed"), call
        if call.failed:
            return "failed", call
        if call.skipped:
            return "skipped", call
    if teardown is not None and teardown.failed:
        return "error", teardown
    return "passed", call


def first_line(report: Optional[pytest.TestReport]) -> str:
    if report is None or report.passed:
        return ""
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:  # a skip: (path, line, reason)
        return str(longrepr[2]).splitlines()[0] if str(longrepr[2]) else ""
    crash = getattr(longrepr, "reprcrash", None)
    message = getattr(crash, "message", None)
    if message:
        return str(message).strip().splitlines()[0]
    lines = [line for line in str(longrepr).strip().splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("E ")]
    return (errors[0][1:].strip() if errors else lines[-1].strip()) if lines else ""


def failure_text(report: Optional[pytest.TestReport]) -> str:
    """The failure and what the test's children printed, for recognising a cause."""
    if report is None or report.passed:
        return ""
    captured = "\n".join(content for name, content in report.sections if "stderr" in name or "stdout" in name)
    return report.longreprtext[-TEXT_LIMIT:] + "\n" + captured[-TEXT_LIMIT:]


def subtest_label(report: Any) -> str:
    """How pytest names a subtest: ``[msg] (key=value, ...)``."""
    context = getattr(report, "context", None)
    msg = getattr(context, "msg", None)
    kwargs = getattr(context, "kwargs", None) or {}
    parts = ([f"[{msg}]"] if msg else []) + (
        ["(" + ", ".join(f"{k}={v}" for k, v in kwargs.items()) + ")"] if kwargs else []
    )
    return " ".join(parts) or "(subtest)"


def with_subtests(decided: str, report: Optional[pytest.TestReport], failed: List[Any]) -> Tuple[str, str, str]:
    """The test's outcome, first line and text once its failed subtests count: a test whose
    ``self.subTest`` (or ``subtests.test``) block failed has failed, whatever its own call report says."""
    head, text = first_line(report), failure_text(report)
    if not failed or decided in ("error", "xfailed", "xpassed"):
        return decided, head, text
    shown = "; ".join(f"subtest {subtest_label(r)} failed: {first_line(r)}" for r in failed[:3])
    more = f" (and {len(failed) - 3} more)" if len(failed) > 3 else ""
    texts = "\n".join(f"--- subtest {subtest_label(r)}\n{failure_text(r)}" for r in failed)
    return "failed", shown + more, (texts + "\n" + text)[-2 * TEXT_LIMIT :]


class SuiteAgent:
    """The hooks that feed the supervisor of ``mpcheck suite``."""

    def __init__(self, folder: str, method: str, stream: Optional[str] = None) -> None:
        self.folder = folder
        #: a later method's pytest beside the first's: what the first's run has decided (:data:`protocol.STREAM_ENV`)
        self.stream = stream
        os.environ[hook.CHILD_ENV] = folder  # what this pytest starts says there if it starts processes
        #: whether a test has done something the forced default can reach (the supervisor was told)
        self.reachable = False
        #: the method this run forces (the supervisor's)
        self.method = method
        self.pid = os.getpid()
        self.reports: Dict[str, Dict[str, pytest.TestReport]] = {}
        #: fixtures whose set-up started a process here: every test that uses one is exposed
        self.exposing: Set[str] = set()
        #: each test's failed subtests (unittest's subTest, pytest's subtests fixture)
        self.subtests: Dict[str, List[Any]] = {}
        #: the files of the tests this run is limited to (empty: every test)
        self._only_files: Optional[Set[str]] = None
        self._results: IO[str] = open(  # noqa: SIM115 (open for the whole session; closed at unconfigure)
            protocol.results_file(folder, self.pid), "a", encoding="utf-8"
        )
        self.dump_sig = dump_signal()
        self._dump_file: Optional[IO[str]] = None
        if self.dump_sig is not None:
            import faulthandler

            self._dump_file = open(  # noqa: SIM115 (faulthandler writes to it until unconfigure)
                protocol.traceback_file(folder, self.pid), "w", encoding="utf-8"
            )
            faulthandler.register(self.dump_sig, file=self._dump_file, all_threads=True, chain=False)

    def pytest_ignore_collect(self, collection_path: Any, config: pytest.Config) -> Optional[bool]:
        """A run of some tests only (the methods after the first, a rerun) does not import the test modules
        that hold none of them: on a large suite, collecting is most of such a run."""
        if self._only_files is None:
            only = protocol.read_ids(os.environ.get(protocol.ONLY_FILE_ENV))
            self._only_files = {n.split("::", 1)[0] for n in only} if only is not None else set()
        if not self._only_files or collection_path.suffix != ".py" or collection_path.name == "conftest.py":
            return None
        try:
            relative = collection_path.relative_to(config.rootpath).as_posix()
        except ValueError:
            return None
        return None if relative in self._only_files else True

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config: pytest.Config, items: List[pytest.Item]) -> None:
        skip = protocol.read_ids(os.environ.get(protocol.SKIP_FILE_ENV))
        only = protocol.read_ids(os.environ.get(protocol.ONLY_FILE_ENV))
        if skip is None and only is None:
            return
        keep, drop = [], []
        for item in items:
            if (skip is not None and item.nodeid in skip) or (only is not None and item.nodeid not in only):
                drop.append(item)
            else:
                keep.append(item)
        if drop:
            config.hook.pytest_deselected(items=drop)
            items[:] = keep

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> Optional[bool]:
        """After collection: the method in force is what every test starts from (a project may have set its own).
        Beside the first method's run (:attr:`stream`), the tests run here as pytest's own loop runs them, each
        once that run has decided it; one not to run is left out as if deselected."""
        in_force = hook.in_force(hook.state())
        data: Dict[str, Any] = {
            "method": self.method,
            "project_method": in_force if in_force != self.method else None,
        }
        if self.stream is None:  # the supervisor's progress: tests this process will run (beside: not known)
            data["collected"] = len(session.items)
        protocol.write_json(self.folder, protocol.session_name(self.pid), data)
        if self.stream is None or session.config.option.collectonly:
            return None
        if session.testsfailed and not session.config.option.continue_on_collection_errors:
            return None  # pytest's own loop stops there, as in any run
        items, decisions, parent = session.items, protocol.Decisions(self.stream), os.getppid()

        def next_to_run(start: int) -> Optional[int]:
            """The index of the next test to run from ``start`` (pytest tears fixtures down knowing it)."""
            for index in range(start, len(items)):
                run = decisions.known(items[index].nodeid)
                while run is None:
                    if os.getppid() != parent:
                        raise SystemExit("mpcheck suite: the supervisor that started this pytest is gone")
                    time.sleep(0.02)  # (the supervisor writes decisions every POLL_S, 0.2 s)
                    run = decisions.known(items[index].nodeid)
                if run:
                    return index
            return None

        index = next_to_run(0)
        while index is not None:
            following = next_to_run(index + 1)
            nextitem = items[following] if following is not None else None
            items[index].config.hook.pytest_runtest_protocol(item=items[index], nextitem=nextitem)
            if session.shouldfail:
                raise session.Failed(session.shouldfail)
            if session.shouldstop:
                raise session.Interrupted(session.shouldstop)
            index = following
        return True

    def _reached(self) -> None:
        """The hook's ``on_reachable`` while a test runs (not what runs between tests: a finalizer at exit)."""
        self.reachable = True
        protocol.mark_reachable(self.folder)  # the supervisor starts the later methods' pytest now

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Generator[None, None, None]:
        self._progress(item.nodeid)
        started = time.monotonic()
        if not self.reachable:
            hook.on_reachable = self._reached
        try:
            yield
        finally:
            hook.on_reachable = None
            decided, report = outcome(self.reports.pop(item.nodeid, {}))
            decided, head, text = with_subtests(decided, report, self.subtests.pop(item.nodeid, []))
            exposure = hook.exposure()
            fixtures = self.exposing.intersection(getattr(item, "fixturenames", ()))
            if fixtures:  # a module or session fixture set up for an earlier test started them
                exposure.setdefault("other", {})["fixture"] = len(fixtures)
            result = protocol.TestResult(
                item.nodeid,
                decided,
                head,
                text,
                exposure,
                round(time.monotonic() - started, 3),
                str(item.path),  # the test's file, read (linted) when its outcome differs
            )
            self._results.write(result.to_line())
            self._results.flush()

    def _progress(self, nodeid: str) -> None:
        dump = self.dump_sig
        if dump is not None and signal.getsignal(dump) != signal.SIG_DFL:
            dump = self.dump_sig = None  # a test took the signal: no dump from now on
        self._results.write(protocol.running_line(nodeid, time.time(), dump))
        self._results.flush()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """A subtest's report comes here only (not through makereport): keep the failed ones."""
        if getattr(report, "context", None) is not None and report.failed:
            self.subtests.setdefault(report.nodeid, []).append(report)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_fixture_setup(self, fixturedef: Any, request: Any) -> Generator[None, None, None]:
        """A fixture whose set-up started a process (or asked for the method) exposes every test using it."""
        before = sum(hook.counts.values())
        yield
        if sum(hook.counts.values()) > before:
            self.exposing.add(fixturedef.argname)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> Generator[None, Any, None]:
        result = yield
        report: pytest.TestReport = result.get_result()
        self.reports.setdefault(item.nodeid, {})[report.when] = report

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        if self._dump_file is not None and self.dump_sig is not None:
            import faulthandler

            faulthandler.unregister(self.dump_sig)
        for fh in (self._results, self._dump_file):
            if fh is not None:
                fh.close()
