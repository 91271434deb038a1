"""``pytest --mp-sanitize``: the sanitizer over a test session, each hazard with the tests that caused it.

Registered by :mod:`mpcheck.pytest_plugin` before any conftest is imported. It names a folder in
``$MPCHECK_SANITIZE`` (pytest-xdist's workers and every Python the tests start inherit it, and the
``.pth`` start-up hook watches them) and watches this process too. pytest sets ``PYTEST_CURRENT_TEST``
during each test; the hook records it with each hazard, and children carry it from the test that
started them. At the end of the session (on pytest-xdist's controller) the hazards are shown with
their tests. A hazard fails a session that would have passed (exit 1, as a failed test does), unless
``--mp-sanitize-report-only`` or the ini setting ``mp_sanitize_report_only = true`` asks only to list them.

Runs inside the user's pytest: pytest, the stdlib and :mod:`.hook` at import; the reader later.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from typing import Any

import pytest

from . import hook

OPTION = "--mp-sanitize"


class SanitizeSession:
    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        folder = os.environ.get(hook.ENV)
        #: this process made the folder (not a pytest-xdist worker or a pytest run inside a test)
        self.owner = not folder
        if not folder:
            folder = tempfile.mkdtemp(prefix="mpcheck-sanitize-")
            os.environ[hook.ENV] = folder
        self.folder: str = folder
        self.observed: Any = None  # what the watched processes saw, read once at the session's end
        self.failed_session = False
        hook.install(folder)

    def pytest_report_header(self, config: pytest.Config) -> str:
        return "mpcheck: sanitizer on: each process start is checked for what another start method would change"

    def _report_only(self) -> bool:
        option = getattr(self.config.option, "mp_sanitize_report_only", None)
        return bool(option) if option is not None else bool(self.config.getini("mp_sanitize_report_only"))

    def _observed(self) -> Any:
        if self.observed is None:
            from ..runtime import current_platform
            from .findings import read

            self.observed = read(self.folder, current_platform(), sys.version_info[:3])
        return self.observed

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        """A hazard fails a session that passed (pytest's ``TESTS_FAILED``, 1), unless only reporting."""
        if hasattr(self.config, "workerinput") or not self.owner:
            return
        if self._observed().hazards and session.exitstatus == pytest.ExitCode.OK and not self._report_only():
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
            self.failed_session = True

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if hasattr(self.config, "workerinput") or not self.owner:
            return
        from .findings import describe

        observed = self._observed()
        tr = terminalreporter
        tr.write_sep("=", "mpcheck sanitize: what another start method would change")
        root = str(self.config.rootpath)
        for hazard in observed.hazards:
            for line in describe(hazard, root):
                tr.write_line(line)
        count = len(observed.hazards)
        tr.write_line(
            f"{count} hazard(s) in {observed.processes} watched process(es)"
            if count
            else f"no hazard in {observed.processes} watched process(es)"
        )
        if self.failed_session:
            tr.write_line(
                "the hazards fail the session (exit 1): --mp-sanitize-report-only or the ini setting "
                "mp_sanitize_report_only = true only lists them"
            )
        self.json = getattr(self.config.option, "mp_sanitize_json", None)
        if self.json:
            from .. import files
            from ..runtime import report_header
            from .findings import FORMAT

            data = {**report_header(FORMAT), "processes": observed.processes,
                    "hazards": [h.to_json(root) for h in observed.hazards]}  # fmt: skip
            files.write_json(self.json, data)

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        if self.owner and not hasattr(config, "workerinput"):
            shutil.rmtree(self.folder, ignore_errors=True)
            if os.environ.get(hook.ENV) == self.folder:
                del os.environ[hook.ENV]
