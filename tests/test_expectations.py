"""Every scenario's expectations resolve for every (implementation, platform, Python) CI runs, without running.

The darwin and win32 tables, and PyPy's, are checked here on Linux with any interpreter: resolving runs
nothing. Generic over the catalog, so a new scenario is covered the moment it lands.
"""

from __future__ import annotations

import itertools
import sys

import pytest

from mpcheck.catalog.load import catalog
from mpcheck.expect import (
    ABSENT,
    AVAILABLE,
    METHODS,
    PLATFORMS,
    Expect,
    ExpectationError,
    Matcher,
    by_impl,
    by_method,
    contains,
    free_threaded,
    implementation,
    is_free_threaded,
    judged_as,
    pypy_since,
    since,
)
from mpcheck.methods import CPYTHONS, default_method, sample_versions

SCENARIOS = catalog()
#: every supported minor at its first release and at a late patch, and each side of every boundary in
#: mpcheck.methods (3.13.7/3.13.8, 3.14.0/3.14.1...), so version rules resolve both ways
VERSIONS = sorted({(3, int(v.split(".")[1]), patch) for v in CPYTHONS for patch in (0, 30)} | set(sample_versions()))
#: (PyPy's own version, the Python it implements): the PyPys tested here (7.3.11, 7.3.19, 8.0.1), what CI's
#: setup-python installs (3.10 and 3.11), and each side of every ``pypy_since`` boundary in the catalog.
PYPYS = [
    ((7, 3, 11), (3, 9, 16)),
    ((7, 3, 12), (3, 9, 17)),
    ((7, 3, 12), (3, 10, 12)),
    ((7, 3, 19), (3, 10, 16)),
    ((7, 3, 19), (3, 11, 11)),
    ((8, 0, 0), (3, 11, 13)),
    ((8, 0, 1), (3, 11, 17)),
]
#: (implementation, its own version, Python version) for every runtime resolved below
RUNTIMES = [("cpython", v, v) for v in VERSIONS] + [("pypy", own, python) for own, python in PYPYS]


def _plain(value: object) -> bool:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return True
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("scenario_id", sorted(SCENARIOS))
def test_every_scenario_resolves_everywhere(scenario_id: str, platform: str) -> None:
    expect = SCENARIOS[scenario_id].expect
    for (impl, own, version), method in itertools.product(RUNTIMES, METHODS):
        where = f"{scenario_id}[{method}] on {platform} {impl} {own} Python {'.'.join(map(str, version))}"
        resolved = expect.resolve(method, platform, version, impl, own)
        if resolved.unavailable is not None:
            assert resolved.unavailable.strip(), where
            assert method not in AVAILABLE[platform] or set(expect.requires) - set(AVAILABLE[platform]), where
            continue
        assert set(resolved.facts) == set(expect.facts), where
        for name, value in resolved.facts.items():
            assert isinstance(value, Matcher) or _plain(value), f"{where}: fact {name} resolved to {value!r}"


@pytest.mark.parametrize("scenario_id", sorted(SCENARIOS))
def test_win32_has_spawn_only(scenario_id: str) -> None:
    expect = SCENARIOS[scenario_id].expect
    for version in VERSIONS:
        for method in ("fork", "forkserver"):
            resolved = expect.resolve(method, "win32", version)
            assert resolved.unavailable is not None, f"{scenario_id}[{method}] must be unavailable on win32"
            assert method in resolved.unavailable
        spawn = expect.resolve("spawn", "win32", version)
        needs_posix = {"fork", "forkserver"} & set(expect.requires)
        assert (spawn.unavailable is not None) == bool(needs_posix), scenario_id
        if needs_posix:
            unavailable = spawn.unavailable or ""
            assert all(m in unavailable for m in needs_posix)


@pytest.mark.parametrize("scenario_id", sorted(SCENARIOS))
def test_darwin_and_linux_have_every_method(scenario_id: str) -> None:
    expect = SCENARIOS[scenario_id].expect
    for platform, method, version in itertools.product(("linux", "darwin"), METHODS, VERSIONS):
        assert expect.resolve(method, platform, version).unavailable is None, (scenario_id, platform, method)


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: ".".join(map(str, v)))
def test_default_start_method_per_platform_and_version(version) -> None:
    expect = SCENARIOS["default_start_method"].expect
    for platform in ("linux", "darwin"):
        for method in METHODS:
            facts = expect.resolve(method, platform, version).facts
            assert facts["default"] == facts["child_sees"] == default_method(platform, version)
    assert expect.resolve("spawn", "win32", version).facts["default"] == "spawn"


# --- the implementation axis -------------------------------------------------------------------------


def test_by_impl_resolves_per_implementation_and_defaults_to_cpython() -> None:
    expect = Expect({"error": by_impl(pypy="pickle.PicklingError", default="AttributeError")})
    assert expect.resolve("spawn", "linux", "3.11").facts == {"error": "AttributeError"}  # callers without impl
    assert expect.resolve("spawn", "linux", "3.11", "cpython").facts == {"error": "AttributeError"}
    assert expect.resolve("spawn", "linux", "3.11", "pypy", "8.0.1").facts == {"error": "pickle.PicklingError"}


def test_by_impl_nests_with_the_other_axes() -> None:
    rule = by_method(fork=None, default=by_impl(pypy=contains("not found as"), default=since("3.14", "new", "old")))
    expect = Expect({"fact": rule})
    assert expect.resolve("fork", "linux", "3.11", "pypy", "8.0.1").facts["fact"] is None
    assert expect.resolve("spawn", "linux", "3.13", "cpython").facts["fact"] == "old"
    assert expect.resolve("spawn", "linux", "3.14", "cpython").facts["fact"] == "new"
    assert (
        expect.resolve("spawn", "linux", "3.11", "pypy", "7.3.19").facts["fact"].describe() == "contains 'not found as'"
    )


def test_since_is_the_language_version_and_pypy_since_pypys_own() -> None:
    expect = Expect(
        {
            "language": since("3.11", "3.11+", "older"),
            "pypy": by_impl(pypy=pypy_since("8.0", "8.0+", "7.x"), default="cpython"),
        }
    )
    assert expect.resolve("spawn", "linux", "3.11.17", "pypy", "7.3.19").facts == {"language": "3.11+", "pypy": "7.x"}
    assert expect.resolve("spawn", "linux", "3.11.17", "pypy", "8.0.1").facts == {"language": "3.11+", "pypy": "8.0+"}
    assert expect.resolve("spawn", "linux", "3.9.16", "pypy", (7, 3, 11)).facts == {"language": "older", "pypy": "7.x"}
    assert expect.resolve("spawn", "linux", "8.0.1", "cpython").facts["pypy"] == "cpython"


def test_pypy_since_outside_by_impl_pypy_is_an_error() -> None:
    expect = Expect({"fact": pypy_since("8.0", 1, 0)})
    with pytest.raises(ExpectationError, match=r"resolved for cpython.*by_impl\(pypy=\.\.\.\)"):
        expect.resolve("spawn", "linux", "3.11")
    with pytest.raises(ExpectationError, match="needs PyPy's own version"):
        expect.resolve("spawn", "linux", "3.11", "pypy")


def test_unknown_implementation_is_an_error_and_unknown_interpreters_are_judged_as_cpython() -> None:
    with pytest.raises(ExpectationError, match="unknown implementation 'graalpy'"):
        Expect({"x": 1}).resolve("spawn", "linux", "3.11", "graalpy")
    with pytest.raises(ExpectationError, match=r"by_impl: unknown implementation\(s\) \['jython'\]"):
        by_impl(jython=1, default=0)
    assert judged_as("graalpy") == "cpython" and judged_as("pypy") == "pypy" and judged_as("cpython") == "cpython"


def test_implementation_names_this_interpreter_and_its_own_version() -> None:
    impl, own = implementation()
    assert impl == sys.implementation.name
    if impl == "pypy":
        assert own == tuple(sys.pypy_version_info[:3])  # type: ignore[attr-defined]
    else:
        assert own == tuple(sys.version_info[:3])


@pytest.mark.parametrize("method", ("spawn", "forkserver"))
def test_pypys_pickling_errors_per_pypy_release(method: str) -> None:
    """lambda_target: PyPy's pure-Python pickler names the error's class after its module, which PyPy 8.0
    moved into an RPython ``_pickle``; CPython's stays exact (AttributeError up to 3.13)."""
    expect = SCENARIOS["lambda_target"].expect

    def facts(impl: str, own: str, python: str) -> dict:
        return expect.resolve(method, "linux", python, impl, own).facts

    assert facts("pypy", "7.3.11", "3.9.16")["local_lambda_start_error"] == "pickle.PicklingError"
    assert facts("pypy", "7.3.19", "3.11.11")["pool_map_lambda_error"] == "pickle.PicklingError"
    assert facts("pypy", "8.0.1", "3.11.17")["local_lambda_start_error"] == "_pickle.PicklingError"
    assert facts("cpython", "3.13.0", "3.13.0")["local_lambda_start_error"] == "AttributeError"
    assert facts("cpython", "3.11.7", "3.11.7")["pool_map_lambda_error"] == "_pickle.PicklingError"


def _facts(scenario_id: str, method: str, platform: str, version: str) -> dict:
    return SCENARIOS[scenario_id].expect.resolve(method, platform, version).facts


@pytest.mark.parametrize("platform", ["darwin", "win32"])
def test_executor_workers_use_spawn_by_default_off_linux(platform: str) -> None:
    for version in ("3.9", "3.13.15", "3.14", "3.15"):
        assert _facts("executor_default_context", "spawn", platform, version)["workers_made_by"] == "spawn"
    for version in ("3.13.15", "3.14", "3.15"):
        facts = _facts("executor_default_context", "spawn", "linux", version)
        assert facts["workers_made_by"] == default_method("linux", version)
    for where in ("linux", platform):
        assert _facts("executor_default_context", "spawn", where, "3.11")["with_max_tasks_per_child"] == "spawn"
        assert _facts("executor_default_context", "spawn", where, "3.10")["max_tasks_per_child_error"] == "TypeError"


def test_fork_executor_starts_every_worker_up_front_from_gh_90622() -> None:
    expected = {"3.9.12": 1, "3.9.13": 4, "3.10.4": 1, "3.10.5": 4, "3.11.0": 4, "3.14": 4}
    for version, workers in expected.items():
        assert _facts("executor_workers_on_demand", "fork", "linux", version)["worker_processes"] == workers, version
        assert _facts("executor_workers_on_demand", "spawn", "darwin", version)["worker_processes"] == 1, version


def test_max_tasks_per_child_hangs_exactly_until_the_gh_115634_fix() -> None:
    hangs = ("3.11.0", "3.12.99", "3.13.0", "3.13.14", "3.14.0", "3.14.6")
    fixed = ("3.13.15", "3.14.7", "3.15.0")
    for platform in ("linux", "darwin", "win32"):
        for version in hangs:
            facts = _facts("executor_max_tasks_per_child", "spawn", platform, version)
            assert (facts["workers_after_first_retired"], facts["tasks_done"]) == (0, 2), (platform, version)
        for version in fixed:
            facts = _facts("executor_max_tasks_per_child", "spawn", platform, version)
            assert (facts["workers_after_first_retired"], facts["tasks_done"]) == (1, 6), (platform, version)
    assert _facts("executor_max_tasks_per_child", "fork", "linux", "3.11")["constructor_error"] == "ValueError"
    assert _facts("executor_max_tasks_per_child", "spawn", "win32", "3.10")["constructor_error"] == "TypeError"


def test_windows_kills_workers_with_terminateprocess() -> None:
    assert _facts("executor_terminate_workers", "spawn", "win32", "3.14")["first_killed_exitcode"] == -15
    assert _facts("executor_terminate_workers", "spawn", "darwin", "3.14")["first_killed_exitcode"] == -9
    assert _facts("executor_terminate_workers", "spawn", "linux", "3.13.99")["has_methods"] == [False, False]


def test_broken_pool_cause_names_the_exit_code_where_it_can_be_read() -> None:
    assert _facts("executor_worker_dies", "spawn", "win32", "3.15")["cause"] == "names exit code 3"
    assert _facts("executor_worker_dies", "forkserver", "linux", "3.15")["cause"] == "names exit code 3"
    assert isinstance(_facts("executor_worker_dies", "fork", "darwin", "3.15")["cause"], Matcher)
    assert _facts("executor_worker_dies", "spawn", "win32", "3.14")["cause"] is None


def test_section_d_pitfalls_split_fork_from_the_importing_methods() -> None:
    for platform in ("linux", "darwin"):
        assert _facts("signal_handler_inherited", "fork", platform, "3.12")["child_exitcode"] == 0
        assert _facts("signal_handler_inherited", "forkserver", platform, "3.12")["child_exitcode"] == -15
        assert _facts("monkeypatch_in_parent", "fork", platform, "3.14")["worker_socket_class"] == "CountingSocket"
        assert _facts("sys_path_not_str", "spawn", platform, "3.15")["start_error"] is None
    assert _facts("signal_handler_inherited", "spawn", "win32", "3.12")["child_exitcode"] == -15
    assert _facts("monkeypatch_in_parent", "spawn", "win32", "3.14")["worker_socket_class"] == "socket"
    assert _facts("unpicklable_process_state", "spawn", "win32", "3.11")["file_in_init_error"] == "TypeError"
    assert SCENARIOS["os_fork_after_forkserver"].expect.resolve("spawn", "win32", "3.13").unavailable


EXECUTOR_SCENARIOS = (
    "executor_basics",
    "executor_initializer_fails",
    "executor_lambda",
    "executor_remote_traceback",
    "executor_worker_dies",
    "executor_workers_on_demand",
)


@pytest.mark.parametrize("scenario_id", EXECUTOR_SCENARIOS)
def test_pypy_7_3_11s_broken_submit_is_the_only_fact_under_spawn_and_forkserver(scenario_id: str) -> None:
    """PyPy 7.3.10/7.3.11's submit() raises AttributeError under spawn and forkserver (pypy/pypy#3873): the
    scenario reports that alone; under fork, on 7.3.19 and 8.0.1 and on CPython everything is asserted."""
    expect = SCENARIOS[scenario_id].expect
    for method in ("spawn", "forkserver"):
        broken = expect.resolve(method, "linux", "3.9.16", "pypy", "7.3.11").facts
        assert broken["submit_error"].describe().startswith("matches /^AttributeError: 'ProcessPoolExecutor'")
        assert all(value is ABSENT for name, value in broken.items() if name != "submit_error")
    for method, own, python in (
        ("fork", "7.3.11", "3.9.16"),
        ("spawn", "7.3.19", "3.11.11"),
        ("forkserver", "8.0.1", "3.11.17"),
    ):
        works = expect.resolve(method, "linux", python, "pypy", own).facts
        assert works["submit_error"] is None
        assert all(value is not ABSENT for value in works.values()), (method, own)
    for version in ("3.9.16", "3.11.7", "3.14"):
        cpython = expect.resolve("spawn", "linux", version, "cpython").facts
        assert cpython["submit_error"] is None and ABSENT not in cpython.values()


def test_executor_lambdas_pickling_error_on_pypy() -> None:
    expect = SCENARIOS["executor_lambda"].expect

    def facts(method: str, impl: str, own: str, python: str) -> dict:
        return expect.resolve(method, "linux", python, impl, own).facts

    assert facts("fork", "pypy", "7.3.11", "3.9.16")["result_error"] == "pickle.PicklingError"
    assert facts("spawn", "pypy", "7.3.19", "3.11.11")["result_error"] == "pickle.PicklingError"
    assert facts("forkserver", "pypy", "8.0.1", "3.11.17")["result_error"] == "_pickle.PicklingError"
    pypy_message = facts("fork", "pypy", "7.3.11", "3.9.16")["result_message"].describe()
    assert pypy_message == 'contains "it\'s not found as __main__.<lambda>"'
    assert facts("fork", "cpython", "3.11.7", "3.11.7")["result_error"] == "_pickle.PicklingError"
    cpython_message = facts("fork", "cpython", "3.11.7", "3.11.7")["result_message"].describe()
    assert cpython_message == "contains 'attribute lookup <lambda> on __main__ failed'"


@pytest.mark.parametrize("own, python", [("7.3.11", "3.9.16"), ("7.3.19", "3.11.11"), ("8.0.1", "3.11.17")])
def test_pypys_sqlite_connection_pickles_and_fails_in_the_child(own: str, python: str) -> None:
    """PyPy's pure-Python sqlite3.Connection pickles as a plain object; the child cannot rebuild its cffi pointer."""
    expect = SCENARIOS["unpicklable_process_state"].expect
    for method in ("spawn", "forkserver"):
        pypy = expect.resolve(method, "linux", python, "pypy", own).facts
        assert (pypy["connection_in_init_error"], pypy["connection_in_init_exitcode"]) == (None, 1)
        assert "_CDataBase.__new__()" in pypy["connection_in_init_child_error"].describe()
        assert pypy["file_in_init_message"].describe() == "contains \"cannot serialize '_io.TextIOWrapper' object\""
        cpython = expect.resolve(method, "linux", "3.11.7", "cpython").facts
        assert (cpython["connection_in_init_error"], cpython["connection_in_init_exitcode"]) == ("TypeError", None)
        assert cpython["connection_in_init_child_error"] is None
    forked = expect.resolve("fork", "linux", python, "pypy", own).facts
    assert (forked["connection_in_init_exitcode"], forked["connection_in_init_result"]) == (0, 42)


# --- the build axis: free-threaded (3.14t) or with the GIL ----------------------------------------------


def test_free_threaded_resolves_per_build_and_defaults_to_the_gil() -> None:
    expect = Expect({"fact": by_method(fork=free_threaded("t", since("3.14", "new", "old")), default=None)})
    assert expect.resolve("fork", "linux", "3.14").facts == {"fact": "new"}  # callers without the build: GIL
    assert expect.resolve("fork", "linux", "3.13", "cpython", None, False).facts == {"fact": "old"}
    assert expect.resolve("fork", "linux", "3.13", "cpython", None, True).facts == {"fact": "t"}
    assert expect.resolve("spawn", "linux", "3.13", "cpython", None, True).facts == {"fact": None}


def test_is_free_threaded_says_the_build() -> None:
    import sysconfig

    assert is_free_threaded() is bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
