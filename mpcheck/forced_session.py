"""A pytest session under a forced default start method (``pytest --mp-start-method=METHOD``).

Registered by :mod:`mpcheck.pytest_plugin` before any conftest is imported, only when a method is
asked for. It makes the method the default (:mod:`mpcheck._forced`) in this process and, through
``$MPCHECK_START_METHOD`` and the installed ``.pth`` hook, in pytest-xdist workers and every Python
the tests start; puts the state back after each test, so a test that sets its own method keeps it
for itself only; and counts, per test, the processes started through the default context and through
explicit ones (the ``mp_exposure`` user property, and a line at the end of the run).

Under ``mpcheck suite`` (``$MPCHECK_SUITE_DIR`` set) it also writes, for the supervisor, one JSON line
per finished test and the test in progress, and lets the supervisor ask for a traceback with a signal
that nobody else has claimed (see :func:`_dump_signal`); no thread, no alarm.
"""

from __future__ import annotations

import json
import os
import signal
import time
from typing import IO, Any, Dict, Generator, List, Optional, Set, Tuple

import pytest

from . import _forced
from .expect import METHODS, platform_name

SUITE_DIR_ENV = "MPCHECK_SUITE_DIR"
#: pid of the pytest process that owns the suite directory (set by it): nested pytest runs started by
#: the tests (pytester) inherit the directory but must not write into it.
SUITE_OWNER_ENV = "MPCHECK_SUITE_OWNER"
SKIP_FILE_ENV = "MPCHECK_SUITE_SKIP"  # nodeids already done (a run resumed after a timeout)
ONLY_FILE_ENV = "MPCHECK_SUITE_ONLY"  # nodeids to run, and no others (reruns)
PROPERTY = "mp_exposure"
TEXT_LIMIT = 6000


def _dump_signal() -> Optional[int]:
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


def _outcome(reports: Dict[str, pytest.TestReport]) -> Tuple[str, Optional[pytest.TestReport]]:
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


def _first_line(report: Optional[pytest.TestReport]) -> str:
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


def _failure_text(report: Optional[pytest.TestReport]) -> str:
    """The failure and what the test's children printed, for recognising a cause."""
    if report is None or report.passed:
        return ""
    captured = "\n".join(content for name, content in report.sections if "stderr" in name or "stdout" in name)
    return report.longreprtext[-TEXT_LIMIT:] + "\n" + captured[-TEXT_LIMIT:]


def _exposure() -> Dict[str, Dict[str, int]]:
    out: Dict[str, Dict[str, int]] = {"default": {}, "explicit": {}}
    for (kind, method), n in _forced.counts.items():
        out[kind][method] = out[kind].get(method, 0) + n
    return out


class ForcedSession:
    """The hooks of a session whose default start method is forced."""

    def __init__(self, config: pytest.Config, method: str, where: str) -> None:
        if method not in METHODS:
            raise pytest.UsageError(f"{where}: {method!r} is not a start method (one of {', '.join(METHODS)})")
        import multiprocessing

        available = multiprocessing.get_all_start_methods()
        if method not in available:
            raise pytest.UsageError(
                f"{where}: {platform_name()} has no {method!r} start method (it has {', '.join(available)})"
            )
        self.config = config
        self.method = method
        self.where = where
        #: multiprocessing's own default here, before mpcheck: for the header
        self.native = _forced.native()
        os.environ[_forced.ENV] = method
        _forced.install(method)
        _forced.count_starts()
        self.saved: Optional[Tuple[Any, Any]] = None
        self.project_method: Optional[str] = None
        self.reports: Dict[str, Dict[str, pytest.TestReport]] = {}
        #: tests that started processes, for the closing line (filled from reports: xdist's too)
        self.default_tests: Set[str] = set()
        self.explicit_tests: Set[str] = set()
        self.default_processes = 0
        self.suite_dir = self._claim_suite_dir()
        self.dump_sig: Optional[int] = None
        self._dump_file: Optional[IO[str]] = None
        self._results: Optional[IO[str]] = None
        if self.suite_dir is not None:
            pid = os.getpid()
            self._results = open(  # noqa: SIM115 (open for the whole session; closed at unconfigure)
                os.path.join(self.suite_dir, f"results-{pid}.jsonl"), "a", encoding="utf-8"
            )
            self.dump_sig = _dump_signal()
            if self.dump_sig is not None:
                import faulthandler

                self._dump_file = open(  # noqa: SIM115 (faulthandler writes to it until unconfigure)
                    os.path.join(self.suite_dir, f"traceback-{pid}.txt"), "w", encoding="utf-8"
                )
                faulthandler.register(self.dump_sig, file=self._dump_file, all_threads=True, chain=False)

    @staticmethod
    def _claim_suite_dir() -> Optional[str]:
        """The suite directory, if this process is the suite's pytest or one of its xdist workers."""
        folder = os.environ.get(SUITE_DIR_ENV)
        if not folder:
            return None
        owner = os.environ.get(SUITE_OWNER_ENV)
        if owner is None:
            os.environ[SUITE_OWNER_ENV] = str(os.getpid())
            return folder
        worker = "PYTEST_XDIST_WORKER" in os.environ or os.environ.get("PYTEST_XDIST_TESTRUNUID") is not None
        if worker and str(os.getppid()) == owner:
            return folder
        return None  # a pytest that a test started: not the suite's

    # -- the session ----------------------------------------------------------------------------

    def pytest_report_header(self, config: pytest.Config) -> str:
        return (
            f"mpcheck: default start method {self.method} (from {self.where}; "
            f"multiprocessing's own default here: {self.native})"
        )

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config: pytest.Config, items: List[pytest.Item]) -> None:
        if self.suite_dir is None:
            return
        skip = self._read_ids(os.environ.get(SKIP_FILE_ENV))
        only = self._read_ids(os.environ.get(ONLY_FILE_ENV))
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

    @staticmethod
    def _read_ids(path: Optional[str]) -> Optional[Set[str]]:
        if not path:
            return None
        with open(path, encoding="utf-8") as fh:
            return {line.rstrip("\n") for line in fh if line.strip()}

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> None:
        """After collection (conftests and test modules imported): what is in force now is what every
        test starts from. A project that set its own method by then has the last word; say so."""
        self.saved = _forced.state()
        in_force = _forced.in_force(self.saved)
        if in_force != self.method:
            self.project_method = in_force
        if self.suite_dir is not None:
            self._write(f"session-{os.getpid()}.json", {"method": self.method, "project_method": self.project_method})

    def _write(self, name: str, data: Dict[str, Any]) -> None:
        assert self.suite_dir is not None
        path = os.path.join(self.suite_dir, name)
        with open(path + ".tmp", "w", encoding="utf-8") as fh:
            json.dump(data, fh)
        os.replace(path + ".tmp", path)

    # -- each test ------------------------------------------------------------------------------

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Generator[None, None, None]:
        if self.saved is None:
            self.saved = _forced.state()
        _forced.reset_counts()
        if self.suite_dir is not None:
            self._progress(item.nodeid)
        started = time.monotonic()
        try:
            yield
        finally:
            _forced.restore(self.saved)
            reports = self.reports.pop(item.nodeid, {})
            if self._results is not None:
                outcome, report = _outcome(reports)
                line = {
                    "nodeid": item.nodeid,
                    "path": str(item.path),  # the test's file, read (linted) when its outcome differs
                    "outcome": outcome,
                    "first_line": _first_line(report),
                    "text": _failure_text(report),
                    "exposure": _exposure(),
                    "duration_s": round(time.monotonic() - started, 3),
                }
                self._results.write(json.dumps(line) + "\n")
                self._results.flush()

    def _progress(self, nodeid: str) -> None:
        dump = self.dump_sig
        if dump is not None and signal.getsignal(dump) != signal.SIG_DFL:
            dump = self.dump_sig = None  # a test took the signal: no dump from now on
        self._write(f"progress-{os.getpid()}.json", {"nodeid": nodeid, "start": time.time(), "dump_signal": dump})

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> Generator[None, Any, None]:
        outcome = yield
        report: pytest.TestReport = outcome.get_result()
        self.reports.setdefault(item.nodeid, {})[report.when] = report
        if report.when == "teardown":
            report.user_properties.append((PROPERTY, json.dumps(_exposure(), sort_keys=True)))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "teardown":
            return
        for name, value in report.user_properties:
            if name != PROPERTY:
                continue
            exposure = json.loads(str(value))
            if exposure["default"]:
                self.default_tests.add(report.nodeid)
                self.default_processes += sum(exposure["default"].values())
            if exposure["explicit"]:
                self.explicit_tests.add(report.nodeid)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        tr = terminalreporter
        tr.write_line(
            f"mpcheck: default start method {self.method}: {len(self.default_tests)} test(s) started "
            f"{self.default_processes} process(es) through the default context; {len(self.explicit_tests)} "
            "test(s) started processes through an explicit context (their own method)"
        )
        if self.project_method is not None:
            tr.write_line(
                f"mpcheck: warning: the project set the start method to {self.project_method} while pytest "
                f"collected the tests; tests that use the default context ran under {self.project_method}, "
                f"not {self.method}",
                yellow=True,
            )

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        if self._dump_file is not None and self.dump_sig is not None:
            import faulthandler

            faulthandler.unregister(self.dump_sig)
        for fh in (self._results, self._dump_file):
            if fh is not None:
                fh.close()
