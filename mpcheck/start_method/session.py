"""A pytest session under a forced default start method (``pytest --mp-start-method=METHOD``).

Registered by :mod:`mpcheck.pytest_plugin` before any conftest is imported, only when a method is
asked for. It makes the method the default (:mod:`.hook`) in this process and, through
``$MPCHECK_START_METHOD`` and the installed ``.pth`` hook, in pytest-xdist workers and every Python
the tests start; puts the state back after each test, so a test that sets its own method keeps it
for itself only; and counts, per test, the processes started through the default context and through
explicit ones (the ``mp_exposure`` user property, and a line at the end of the run).

Runs inside the user's pytest: imports pytest, the stdlib and the stdlib-only :mod:`.hook` and
:mod:`mpcheck.expect`.
"""

from __future__ import annotations

import json
import os
from typing import Any, Generator, Optional, Set, Tuple

import pytest

from ..expect import METHODS, platform_name
from ..methods import default_method_here
from . import hook

PROPERTY = "mp_exposure"


def check_method(method: str, where: str) -> None:
    """A :class:`pytest.UsageError` (pytest's exit 4) for a method that is not one, or not here."""
    if method not in METHODS:
        raise pytest.UsageError(f"{where}: {method!r} is not a start method (one of {', '.join(METHODS)})")
    from ..runtime import methods_here

    available = methods_here()
    if method not in available:
        raise pytest.UsageError(
            f"{where}: {platform_name()} has no {method!r} start method (it has {', '.join(available)})"
        )


class ForcedSession:
    """The hooks of a session whose default start method is forced."""

    def __init__(self, config: pytest.Config, method: str, where: str) -> None:
        check_method(method, where)
        self.config = config
        self.method = method
        self.where = where
        #: multiprocessing's own default here, before mpcheck: for the header
        self.native = default_method_here()
        os.environ[hook.ENV] = method
        hook.install(method)
        hook.count_starts()
        self.saved: Optional[Tuple[Any, Any]] = None
        self.project_method: Optional[str] = None
        #: tests that started processes, for the closing line (filled from reports: xdist's too)
        self.default_tests: Set[str] = set()
        self.explicit_tests: Set[str] = set()
        self.default_processes = 0

    def pytest_report_header(self, config: pytest.Config) -> str:
        return (
            f"mpcheck: default start method {self.method} (from {self.where}; "
            f"multiprocessing's own default here: {self.native})"
        )

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> None:
        """After collection (conftests and test modules imported): what is in force now is what every
        test starts from. A project that set its own method by then has the last word; say so."""
        self.saved = hook.state()
        in_force = hook.in_force(self.saved)
        if in_force != self.method:
            self.project_method = in_force

    # -- each test ------------------------------------------------------------------------------

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Generator[None, None, None]:
        if self.saved is None:
            self.saved = hook.state()
        hook.reset_counts()
        try:
            yield
        finally:
            hook.restore(self.saved)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> Generator[None, Any, None]:
        outcome = yield
        report: pytest.TestReport = outcome.get_result()
        if report.when == "teardown":
            report.user_properties.append((PROPERTY, json.dumps(hook.exposure(), sort_keys=True)))

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
