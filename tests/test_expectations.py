"""Every scenario's expectations resolve for every (platform, Python) the CI matrix runs, without running.

The darwin and win32 tables are checked here on Linux: resolving runs nothing. Generic over the
catalog, so a new scenario is covered the moment it lands.
"""

from __future__ import annotations

import itertools

import pytest

from mpcheck.catalog import catalog
from mpcheck.expect import AVAILABLE, METHODS, PLATFORMS, Matcher

SCENARIOS = catalog()
MINORS = [(3, minor) for minor in range(9, 15)]
#: each minor at its first release and at a late patch, so patch-level ``since("3.11.5", ...)`` rules resolve both ways
VERSIONS = [(*v, patch) for v in MINORS for patch in (0, 30)]


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
    for version, method in itertools.product(VERSIONS, METHODS):
        where = f"{scenario_id}[{method}] on {platform} Python {'.'.join(map(str, version))}"
        resolved = expect.resolve(method, platform, version)
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
            assert all(m in spawn.unavailable for m in needs_posix)


@pytest.mark.parametrize("scenario_id", sorted(SCENARIOS))
def test_darwin_and_linux_have_every_method(scenario_id: str) -> None:
    expect = SCENARIOS[scenario_id].expect
    for platform, method, version in itertools.product(("linux", "darwin"), METHODS, VERSIONS):
        assert expect.resolve(method, platform, version).unavailable is None, (scenario_id, platform, method)


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: ".".join(map(str, v)))
def test_default_start_method_per_platform_and_version(version) -> None:
    expect = SCENARIOS["default_start_method"].expect
    linux = "forkserver" if version >= (3, 14) else "fork"
    for method in METHODS:
        assert expect.resolve(method, "darwin", version).facts["default"] == "spawn"
        assert expect.resolve(method, "linux", version).facts["default"] == linux
        assert expect.resolve(method, "linux", version).facts["child_sees"] == linux
    assert expect.resolve("spawn", "win32", version).facts["default"] == "spawn"


def test_the_linux_default_changes_exactly_at_3_14() -> None:
    expect = SCENARIOS["default_start_method"].expect
    assert expect.resolve("spawn", "linux", (3, 13, 99)).facts["default"] == "fork"
    assert expect.resolve("spawn", "linux", "3.14").facts["default"] == "forkserver"
    assert expect.resolve("spawn", "linux", (3, 14, 0)).facts["default"] == "forkserver"


def _facts(scenario_id: str, method: str, platform: str, version: str) -> dict:
    return SCENARIOS[scenario_id].expect.resolve(method, platform, version).facts


@pytest.mark.parametrize("platform", ["darwin", "win32"])
def test_executor_workers_use_spawn_by_default_off_linux(platform: str) -> None:
    for version in ("3.9", "3.13.15", "3.14", "3.15"):
        assert _facts("executor_default_context", "spawn", platform, version)["workers_made_by"] == "spawn"
    assert _facts("executor_default_context", "spawn", "linux", "3.13.15")["workers_made_by"] == "fork"
    assert _facts("executor_default_context", "spawn", "linux", "3.14")["workers_made_by"] == "forkserver"
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
