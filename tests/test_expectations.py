"""Every scenario's expectations resolve for every (implementation, platform, Python) CI runs, without running.

The darwin and win32 tables, and PyPy's, are checked here on Linux with any interpreter: resolving runs
nothing. Generic over the catalog, so a new scenario is covered the moment it lands.
"""

from __future__ import annotations

import itertools
import sys

import pytest

from mpcheck.catalog import catalog
from mpcheck.expect import (
    AVAILABLE,
    METHODS,
    PLATFORMS,
    Expect,
    ExpectationError,
    Matcher,
    by_impl,
    by_method,
    contains,
    implementation,
    judged_as,
    pypy_since,
    since,
)

SCENARIOS = catalog()
MINORS = [(3, minor) for minor in range(9, 15)]
#: each minor at its first release and at a late patch, so patch-level ``since("3.11.5", ...)`` rules resolve both ways
VERSIONS = [(*v, patch) for v in MINORS for patch in (0, 30)]
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
