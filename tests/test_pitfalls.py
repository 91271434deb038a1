"""The pitfall table: every entry resolves everywhere, and its codes and names are unique."""

from __future__ import annotations

import pytest

from mpcheck.expect import METHODS, PLATFORMS
from mpcheck.pitfalls import BY_CODE, PITFALLS, get


@pytest.mark.parametrize("pitfall", PITFALLS, ids=[p.code for p in PITFALLS])
@pytest.mark.parametrize("version", ["3.9", "3.11.5", "3.13.8", "3.14", "3.15"])
@pytest.mark.parametrize("platform", PLATFORMS)
def test_breaks_resolves_to_start_methods(pitfall, platform, version):
    methods = pitfall.broken_methods(platform, version)
    assert set(methods) <= set(METHODS)


def test_codes_and_names_are_unique():
    assert len(BY_CODE) == len(PITFALLS)
    assert len({p.name for p in PITFALLS}) == len(PITFALLS)


def test_versions_are_resolved_not_guessed():
    assert get("mp111").broken_methods("linux", "3.12") == ("fork", "forkserver")
    assert get("MP111").broken_methods("linux", "3.13") == ()
    assert get("MP116").broken_methods("linux", "3.14") == ("forkserver",)
    assert get("MP999") is None


def test_signatures_match_the_runtime_text():
    assert get("MP101").matches("AttributeError: Can't get attribute 'shout' on <module '__mp_main__' from 'x.py'>")
    assert get("MP101").matches("AttributeError: module '__mp_main__' has no attribute 'shout'")
    assert not get("MP101").matches("ZeroDivisionError: division by zero")


def test_every_proving_scenario_is_in_the_builtin_catalog():
    from mpcheck.catalog.load import catalog

    builtin = set(catalog())
    named = {scenario for pitfall in PITFALLS for scenario in pitfall.scenarios}
    assert named - builtin == set()


def test_section_d_signatures_match_what_the_scenarios_print():
    assert get("MP108").matches("TypeError: cannot pickle 'TextIOWrapper' instances")
    assert get("MP108").matches("TypeError: cannot pickle 'sqlite3.Connection' object")
    assert get("MP110").matches("NameError: name 'PosixPath' is not defined")
    assert get("MP109").matches("ChildProcessError: [Errno 10] No child processes")
