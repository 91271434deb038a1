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
