"""The pitfall table: every entry resolves everywhere, and its codes and names are unique."""

from __future__ import annotations

import pytest

from mpcheck.expect import METHODS, PLATFORMS
from mpcheck.methods import FORK_WITH_THREADS_WARNS, sample_versions
from mpcheck.pitfalls import BY_CODE, CONTEXTS, PITFALLS, get


@pytest.mark.parametrize("pitfall", PITFALLS, ids=[p.code for p in PITFALLS])
@pytest.mark.parametrize("version", sample_versions(), ids=lambda v: ".".join(map(str, v)))
@pytest.mark.parametrize("platform", PLATFORMS)
def test_breaks_resolves_to_start_methods(pitfall, platform, version):
    for context in (None, *CONTEXTS):
        assert set(pitfall.broken_methods(platform, version, context)) <= set(METHODS)


def test_codes_and_names_are_unique():
    assert len(BY_CODE) == len(PITFALLS)
    assert len({p.name for p in PITFALLS}) == len(PITFALLS)


def test_versions_are_resolved_not_guessed():
    assert get("mp111") is BY_CODE["MP111"]  # case-insensitive
    assert BY_CODE["MP111"].broken_methods("linux", "3.12") == ("fork", "forkserver")
    assert BY_CODE["MP111"].broken_methods("linux", "3.13") == ()
    assert BY_CODE["MP116"].broken_methods("linux", "3.15") == ("forkserver",)  # where forkserver is the default
    assert BY_CODE["MP116"].broken_methods("darwin", "3.15") == ()
    assert get("MP999") is None


def test_signatures_match_the_runtime_text():
    assert BY_CODE["MP101"].matches("AttributeError: Can't get attribute 'shout' on <module '__mp_main__' from 'x.py'>")
    assert BY_CODE["MP101"].matches("AttributeError: module '__mp_main__' has no attribute 'shout'")
    assert not BY_CODE["MP101"].matches("ZeroDivisionError: division by zero")


def test_every_proving_scenario_is_in_the_builtin_catalog():
    from mpcheck.catalog.load import catalog

    builtin = set(catalog())
    named = {scenario for pitfall in PITFALLS for scenario in pitfall.scenarios}
    assert named - builtin == set()


def test_section_d_signatures_match_what_the_scenarios_print():
    assert BY_CODE["MP108"].matches("TypeError: cannot pickle 'TextIOWrapper' instances")
    assert BY_CODE["MP108"].matches("TypeError: cannot pickle 'sqlite3.Connection' object")
    assert BY_CODE["MP110"].matches("NameError: name 'PosixPath' is not defined")
    assert BY_CODE["MP109"].matches("ChildProcessError: [Errno 10] No child processes")


# --- the table against the catalog's proven outcomes, on every supported Python ---------------------------


def _script_lines(source: str) -> set:
    """The lines of a scenario's top-level code outside its main guard (what a fork server preloads)."""
    import ast

    from mpcheck.lint.parts import is_main_guard

    lines: set = set()

    def walk(statements: list) -> None:
        for st in statements:
            if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            if isinstance(st, ast.If) and is_main_guard(st.test):
                walk(st.orelse)
                continue
            blocks = [getattr(st, f) for f in ("body", "orelse", "finalbody") if isinstance(getattr(st, f, None), list)]
            blocks += [h.body for h in getattr(st, "handlers", [])]
            if blocks:
                lines.add(st.lineno)
                for block in blocks:
                    walk(block)
            else:
                lines.update(range(st.lineno, (st.end_lineno or st.lineno) + 1))

    walk(ast.parse(source).body)
    return lines


#: proving scenarios whose facts are the same under every method on some (platform, Python) where the pitfall
#: says some methods break, and why that is no contradiction (checked: nowhere else may they agree)
SAME_UNDER_EVERY_METHOD = {
    "executor_lambda": "an executor pickles every task, so a lambda fails under fork too (MP101's why)",
    "set_start_method_twice": "a second call in the parent raises under every method (MP113's versions)",
    "threads_not_inherited": "what every method has in common: a child has one thread; the fork hazard is a hang",
    "default_start_method": "every cell asserts the same default: the default itself is the fact, not a cell's",
}


def _contexts(pitfall, scenario) -> set:
    """The contexts of the scenario's ``# lint:`` / ``# sanitize:`` marks of this pitfall (None: no mark)."""
    from support.lint_marks import marks, sanitize_marks

    from mpcheck.pitfalls import MAIN_SCRIPT

    source = scenario.path.read_text()
    lines = {line for line, code in marks(source) | sanitize_marks(source) if code == pitfall.code}
    top = _script_lines(source)
    return {MAIN_SCRIPT if line in top else None for line in lines} or {None}


PROVEN = [(p, s) for p in PITFALLS for s in p.scenarios]


@pytest.mark.parametrize(("pitfall", "scenario_id"), PROVEN, ids=[f"{p.code}-{s}" for p, s in PROVEN])
def test_the_methods_a_pitfall_breaks_are_the_ones_its_scenarios_prove(pitfall, scenario_id):
    """On every platform and every supported Python (each side of every boundary in mpcheck.methods), the
    methods under which a proving scenario's expected facts differ are the pitfall's broken methods in the
    context of the scenario's marked lines: the spared methods agree, every broken one differs from them."""
    from mpcheck.catalog.load import catalog
    from mpcheck.diagnose import _partition_fits
    from mpcheck.methods import AVAILABLE, sample_versions

    scenario = catalog()[scenario_id]
    differed = 0
    for context in _contexts(pitfall, scenario):
        for platform in PLATFORMS:
            for version in sample_versions():
                resolved = {m: scenario.expect.resolve(m, platform, version) for m in AVAILABLE[platform]}
                facts = {
                    m: sorted((k, repr(v)) for k, v in r.facts.items())
                    for m, r in resolved.items()
                    if r.unavailable is None
                }
                if len(facts) < 2:
                    continue
                broken = [m for m in pitfall.broken_methods(platform, version, context) if m in facts]
                where = f"{scenario_id} on {platform} {'.'.join(map(str, version))} ({context or 'anywhere'})"
                agree = len({repr(f) for f in facts.values()}) == 1
                if set(broken) == set(facts):
                    continue  # a bug under every method: the scenario may show it any way
                if not agree:
                    differed += 1
                    assert broken and _partition_fits(facts, broken), f"{where}: the facts differ, not as {broken}"
                elif broken:
                    assert scenario_id in SAME_UNDER_EVERY_METHOD or (
                        pitfall.code == "MP112" and not FORK_WITH_THREADS_WARNS.at(version)
                    ), f"{where}: {pitfall.code} breaks {broken}, the facts agree"
    if pitfall.broken_methods("linux", "3.12") not in ((), METHODS) and scenario_id not in SAME_UNDER_EVERY_METHOD:
        assert differed, f"{scenario_id} never shows {pitfall.code}'s difference"


def test_set_start_method_at_import_time_spares_forkserver_where_the_server_preloads_the_script():
    from mpcheck.methods import SERVER_PRELOADS_MAIN

    mp113 = BY_CODE["MP113"]
    for version in sample_versions():
        preloads = SERVER_PRELOADS_MAIN.at(version)
        assert mp113.broken_methods("linux", version, "main_script") == (
            ("spawn",) if preloads else ("spawn", "forkserver")
        )
        assert mp113.broken_methods("linux", version) == ("spawn", "forkserver")  # a module imported later
        assert mp113.broken_methods("win32", version, "main_script") == ("spawn",)
