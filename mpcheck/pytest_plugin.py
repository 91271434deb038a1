"""pytest plugin: ``@pytest.mark.start_methods`` runs a test once per multiprocessing start method;
``--mp-start-method=METHOD`` (ini ``mp_start_method``) makes METHOD the whole session's default;
``--mp-sanitize`` watches every process start and fails the session when it finds a hazard
(``--mp-sanitize-report-only`` or ini ``mp_sanitize_report_only = true``: only list them). Exit codes:
``mpcheck.errors.EXIT_CODES["pytest --mp-sanitize"]`` and ``EXIT_CODES["pytest --mp-start-method"]``
(the one table; docs/exit-codes.md): pytest's own, a hazard makes a passing session exit 1.

Loaded (through the ``pytest11`` entry point) in every pytest session where mpcheck is installed, so
it imports only pytest, the stdlib and :mod:`mpcheck.expect` (stdlib-only) at start-up.

The test takes the ``mp_context`` fixture, which holds ``multiprocessing.get_context(method)``.
Parameters are the same on every platform (a method the platform lacks is *skipped*), so pytest-xdist
workers always agree on the collection.

The forced default method lives in :mod:`mpcheck.start_method.session`, and ``mpcheck suite``'s agent
in :mod:`mpcheck.suite.agent`: each imported only when asked for.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any, Dict, Generator, List, Optional, Sequence

import pytest

from .expect import METHODS, platform_name

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

MARKER = "start_methods"
FIXTURE = "mp_context"
OPTION = "--mp-start-method"
INI = "mp_start_method"
REPORT_ONLY_INI = "mp_sanitize_report_only"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mpcheck")
    help_text = (
        "the session's default multiprocessing start method (fork, spawn, forkserver): in force before any "
        "conftest is imported, in pytest-xdist workers and in Python subprocesses that tests start; a test that "
        "picks its own method keeps it for itself"
    )
    group.addoption(OPTION, dest="mp_start_method", metavar="METHOD", default=None, help=help_text)
    group.addoption(
        "--mp-sanitize",
        dest="mp_sanitize",
        action="store_true",
        help="check every process start of the session (and of its xdist workers and subprocesses) for what "
        "another start method would do differently, and list the hazards with the tests that caused them",
    )
    group.addoption(
        "--mp-sanitize-report-only",
        dest="mp_sanitize_report_only",
        action="store_true",
        default=None,
        help="with --mp-sanitize: list the hazards without failing the session (default: hazards make the "
        f"session fail, exit 1; ini: {REPORT_ONLY_INI})",
    )
    group.addoption(
        "--mp-sanitize-json",
        dest="mp_sanitize_json",
        metavar="PATH",
        default=None,
        help="with --mp-sanitize: also write the hazards as JSON to PATH",
    )
    parser.addini(INI, help_text + f" (the {OPTION} option and $MPCHECK_START_METHOD win over it)", default="")
    parser.addini(
        REPORT_ONLY_INI,
        "with --mp-sanitize: list the hazards without failing the session (default: false, hazards fail it)",
        type="bool",
        default=False,
    )


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> None:
    """Before any conftest: the command line, then ``$MPCHECK_START_METHOD``, then the ini key."""
    import os

    from .start_method.hook import ENV

    if early_config.known_args_namespace.mp_sanitize:
        from .sanitize.session import SanitizeSession

        early_config.pluginmanager.register(SanitizeSession(early_config), "mpcheck-sanitize")
    where, method = OPTION, early_config.known_args_namespace.mp_start_method
    if not method and os.environ.get(ENV):
        where, method = f"${ENV}", os.environ[ENV]
    if not method and early_config.getini(INI):
        where, method = f"the {INI} ini setting", str(early_config.getini(INI)).strip()
    if not method:
        return
    from .start_method.session import ForcedSession

    early_config.pluginmanager.register(ForcedSession(early_config, method, where), "mpcheck-forced")
    from .suite.protocol import SUITE_DIR_ENV

    if os.environ.get(SUITE_DIR_ENV):  # under `mpcheck suite`: feed its supervisor
        from .suite.agent import SuiteAgent, claim_folder, wait_at_gate

        folder = claim_folder()
        if folder is not None:
            stream = wait_at_gate(early_config)
            early_config.pluginmanager.register(SuiteAgent(folder, method, stream), "mpcheck-suite-agent")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(*methods): run the test once per multiprocessing start method (default: "
        f"{', '.join(METHODS)}) with the `{FIXTURE}` fixture holding multiprocessing.get_context(method); "
        "a method the platform lacks is skipped.",
    )
    if not hasattr(config, "workerinput"):  # pytest-xdist's workers send their reports to the controller
        config.pluginmanager.register(_Differences(config), "mpcheck-differences")


# --- collection: one item per method ---------------------------------------------------------------


def _methods_from(mark: pytest.Mark, where: str) -> List[str]:
    """The marker's methods, checked, in the order given (deduplicated); all methods when none given."""
    if mark.kwargs:
        names = ", ".join(sorted(mark.kwargs))
        pytest.fail(
            f"{where}: @pytest.mark.{MARKER} takes start method names only, not keywords ({names})", pytrace=False
        )
    args: Sequence[Any] = mark.args
    if len(args) == 1 and isinstance(args[0], (list, tuple)):
        args = args[0]
    methods: List[str] = []
    for name in args:
        if not isinstance(name, str) or name not in METHODS:
            pytest.fail(f"{where}: @pytest.mark.{MARKER}: {_unknown(name)}", pytrace=False)
        if name not in methods:
            methods.append(name)
    return methods or list(METHODS)


def _unknown(name: Any) -> str:
    close = difflib.get_close_matches(name, METHODS, n=1) if isinstance(name, str) else []
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"{name!r} is not a start method (one of {', '.join(METHODS)}){hint}"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    found = next(metafunc.definition.iter_markers_with_node(MARKER), None)
    if found is None:
        return
    node, mark = found
    where = metafunc.definition.nodeid
    methods = _methods_from(mark, where)
    if FIXTURE not in metafunc.fixturenames:
        if node is metafunc.definition:  # on a class or module, it concerns only the tests that take the fixture
            pytest.fail(f"{where}: @pytest.mark.{MARKER} needs the test to take the `{FIXTURE}` fixture", pytrace=False)
        return
    metafunc.parametrize(FIXTURE, methods, indirect=True, ids=methods)


@pytest.fixture
def mp_context(request: pytest.FixtureRequest) -> BaseContext:
    """``multiprocessing.get_context(method)`` for the method in the test id (``test_x[spawn]``)."""
    method: Optional[str] = getattr(request, "param", None)
    if method is None:
        pytest.fail(
            f"{request.node.nodeid}: the `{FIXTURE}` fixture comes with @pytest.mark.{MARKER}: "
            f"mark the test with it (no arguments: every start method)",
            pytrace=False,
        )
    from .runtime import methods_here

    if method not in methods_here():
        pytest.skip(f"{platform_name()} has no {method!r} start method")
    import multiprocessing

    return multiprocessing.get_context(method)


# --- failure reports: why a child could not rebuild the target, and the fix (mpcheck.pitfalls' hints) ---


#: ``report.user_properties`` keys: the method of a marked test's item, and the test without its method
METHOD_PROPERTY, TEST_PROPERTY = "mpcheck_method", "mpcheck_test"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Generator[None, Any, None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    callspec = getattr(item, "callspec", None)
    method = callspec.params.get(FIXTURE) if callspec is not None else None
    if callspec is None or method not in METHODS:
        return
    if report.when == "call" or report.failed or report.skipped:
        # user_properties travel with the report to pytest-xdist's controller, where the summary is made
        others = "-".join(str(v) for k, v in sorted(callspec.params.items()) if k != FIXTURE)
        test = item.nodeid.split("[", 1)[0] + (f"[{others}]" if others else "")
        report.user_properties.append((METHOD_PROPERTY, method))
        report.user_properties.append((TEST_PROPERTY, test))
    if not report.failed:
        return
    from .diagnose import hint

    stderr = "\n".join(content for name, content in report.sections if "stderr" in name)
    line = hint(method, str(report.longrepr), stderr)
    if line is None:
        return
    if hasattr(report.longrepr, "addsection"):
        report.longrepr.addsection("mpcheck", line)  # type: ignore[union-attr]
    else:
        report.sections.append(("mpcheck", line))


# --- why the methods differ: the likely cause of a test that passes under some methods only ---------


class _Differences:
    """Each marked test's outcome and failure text per method, gathered from the reports (under
    pytest-xdist on the controller, which receives every worker's reports)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.tests: Dict[str, Dict[str, Any]] = {}

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        props = {str(p[0]): p[1] for p in report.user_properties if isinstance(p, tuple) and len(p) == 2}
        method, test = props.get(METHOD_PROPERTY), props.get(TEST_PROPERTY)
        if not isinstance(method, str) or not isinstance(test, str):
            return
        entry = self.tests.setdefault(test, {"path": report.location[0], "outcome": {}, "text": {}})
        if report.failed:
            entry["outcome"][method] = "failed"
            stderr = "\n".join(content for name, content in report.sections if "stderr" in name)
            entry["text"][method] = f"{report.longrepr}\n{stderr}"
        elif report.skipped:
            entry["outcome"].setdefault(method, "skipped")
        else:
            entry["outcome"].setdefault(method, "passed")
            entry["text"].setdefault(method, "")

    @pytest.hookimpl
    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        import sys

        lines: List[str] = []
        for test, entry in self.tests.items():
            ran = {m: (o,) for m, o in entry["outcome"].items() if o != "skipped"}
            if len({o for (o,) in ran.values()}) < 2:
                continue
            from .diagnose import lint_and_diagnose  # (only where a test differs: every pytest session ends here)

            path = str(self.config.rootpath / entry["path"])
            texts = {m: entry["text"].get(m, "") for m in ran}
            wrong = [m for m in METHODS if ran.get(m) == ("failed",)]
            version = sys.version_info[:3]
            found = lint_and_diagnose(
                ran,
                texts,
                platform_name(),
                version,
                path,
                str(entry["path"]),
                failing=wrong,
                project=self.config.rootpath,
            )
            failing = ", ".join(wrong)
            lines.append(f"{test}: fails under {failing} only")
            if not found:
                lines.append("  no known pitfall matches this difference")
            for d in found:
                lines.append(f"  likely cause {d.pitfall.code} {d.pitfall.title}")
                lines.append(f"    evidence: {d.evidence}")
                lines.append(f"    fix: {d.pitfall.fix}")
                lines.append(f"    proven by the catalog's {', '.join(d.pitfall.scenarios)}")
        if lines:
            terminalreporter.write_sep("=", "mpcheck: why the start methods differ")
            for line in lines:
                terminalreporter.write_line(line)
