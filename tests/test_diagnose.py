"""Explanations: a pitfall is named only when the methods that differ and the evidence both fit it."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional, Tuple

import pytest
from support import DATA

from mpcheck.diagnose import diagnose
from mpcheck.methods import CHILDREN_RUN_ATEXIT, sample_versions
from mpcheck.pitfalls import BY_CODE

PROGRAMS = DATA / "diagnose_programs"
ALL_THREE = set(multiprocessing.get_all_start_methods()) >= {"fork", "spawn", "forkserver"}

SPAWN_LIKE = {"fork": ("ok",), "spawn": ("exit 1",), "forkserver": ("exit 1",)}
UNPICKLE = "AttributeError: Can't get attribute 'work' on <module '__mp_main__' from 'x.py'>"


@dataclass
class Finding:
    code: str
    path: str
    line: int
    col: int = 1
    message: str = "a finding"


def test_a_signature_in_the_broken_methods_names_the_pitfall():
    texts = {"fork": "working", "spawn": UNPICKLE, "forkserver": UNPICKLE}
    (d,) = diagnose(SPAWN_LIKE, texts, "linux", "3.11.7")
    assert d.pitfall.code == "MP101"
    assert d.scenario == "lambda_target"
    assert d.evidence == f"under spawn: {UNPICKLE}"
    assert d.location is None
    assert set(d.to_json()) >= {"scenario", "title", "evidence", "location", "fix"}


def test_nothing_is_named_when_the_methods_that_differ_are_not_the_ones_it_breaks():
    texts = {"fork": "working", "spawn": UNPICKLE, "forkserver": "working"}
    only_spawn = {"fork": ("ok",), "spawn": ("exit 1",), "forkserver": ("ok",)}
    assert diagnose(only_spawn, texts, "linux", "3.11.7") == []


def test_nothing_is_named_when_the_unbroken_methods_disagree_among_themselves():
    outcomes = {"fork": ("a",), "spawn": ("b",), "forkserver": ("c",)}
    texts = {"fork": "", "spawn": UNPICKLE, "forkserver": UNPICKLE}
    assert [d.pitfall.code for d in diagnose(outcomes, texts, "linux", "3.11.7")] == ["MP101"]
    outcomes = {"fork": ("a",), "spawn": ("b",), "forkserver": ("b",)}
    texts = {"fork": UNPICKLE, "spawn": UNPICKLE, "forkserver": UNPICKLE}  # the signature is everywhere
    assert diagnose(outcomes, texts, "linux", "3.11.7") == []


PYTEST_LOCAL = "AttributeError: Can't pickle local object 'ArgumentParser.__init__.<locals>.identity'"


def test_a_hazard_the_sanitizer_saw_comes_before_another_pitfalls_signature():
    """A bound method of a TestCase under pytest: pickle fails on a local function of the standard library's
    inside the TestCase (MP101's signature), where the sanitizer saw the start hand over an object that does
    not pickle (MP108): the hazard seen at the start is the cause (a seventh evaluation, pexpect)."""
    texts = {"fork": "", "spawn": PYTEST_LOCAL, "forkserver": PYTEST_LOCAL}
    assert [d.pitfall.code for d in diagnose(SPAWN_LIKE, texts, "linux", "3.11.7")] == ["MP101"]  # the text alone
    saw = Finding("MP108", "test_x.py", 16, message="target.__self__._outcome does not pickle")
    (d,) = diagnose(SPAWN_LIKE, texts, "linux", "3.11.7", observed=[saw])
    assert (d.pitfall.code, d.location, d.signed) == ("MP108", "test_x.py:16", False)
    assert d.evidence == "test_x.py:16: MP108 target.__self__._outcome does not pickle"
    # a lint finding is no such evidence: the failure's own signature comes first
    assert [d.pitfall.code for d in diagnose(SPAWN_LIKE, texts, "linux", "3.11.7", [saw])] == ["MP101"]
    # among the hazards it saw, the one the failure also signs
    lam = Finding("MP101", "test_x.py", 12)
    (d,) = diagnose(SPAWN_LIKE, texts, "linux", "3.11.7", observed=[saw, lam])
    assert (d.pitfall.code, d.signed, d.location) == ("MP101", True, "test_x.py:12")
    # a hazard it saw of methods that do not differ is no cause
    only_forkserver = {"fork": ("ok",), "spawn": ("ok",), "forkserver": ("exit 1",)}
    assert diagnose(only_forkserver, texts, "linux", "3.11.7", observed=[saw]) == []


def test_a_signature_about_an_object_not_the_programs_own_is_no_evidence():
    """MP101's "Can't pickle local object 'Q'" is about Q: where Q is known not to be the program's (a local
    function of pytest's or argparse's met inside a pickled object), its fix moves nothing: no cause."""
    texts = {"fork": "", "spawn": PYTEST_LOCAL, "forkserver": PYTEST_LOCAL}
    asked = []

    def own(qualname):
        asked.append(qualname)
        return {"ArgumentParser.__init__.<locals>.identity": False}.get(qualname)

    assert diagnose(SPAWN_LIKE, texts, "linux", "3.11.7", own=own) == []
    assert set(asked) == {"ArgumentParser.__init__.<locals>.identity"}
    pypy = (  # PyPy's pure-Python pickler names the object another way
        "_pickle.PicklingError: Can't pickle <function ArgumentParser.__init__.<locals>.identity at 0x5586>: "
        "it's not found as argparse.ArgumentParser.__init__.<locals>.identity"
    )
    assert diagnose(SPAWN_LIKE, {"fork": "", "spawn": pypy, "forkserver": pypy}, "linux", "3.11.7", own=own) == []
    mine = "_pickle.PicklingError: Can't pickle local object <function test_x.<locals>.work at 0x7f3a>"  # 3.14
    texts = {"fork": "", "spawn": mine, "forkserver": mine}
    assert [d.pitfall.code for d in diagnose(SPAWN_LIKE, texts, "linux", "3.14.0", own=own)] == ["MP101"]  # unknown
    assert [d.pitfall.code for d in diagnose(SPAWN_LIKE, texts, "linux", "3.14.0", own=lambda q: True)] == ["MP101"]
    # a signature naming no object (a lambda at module level, __mp_main__) is not asked about
    assert [d.pitfall.code for d in diagnose(SPAWN_LIKE, {"fork": "", "spawn": UNPICKLE, "forkserver": UNPICKLE},
                                             "linux", "3.11.7", own=lambda q: False)] == ["MP101"]  # fmt: skip


def test_nothing_is_named_without_evidence():
    assert diagnose(SPAWN_LIKE, {"fork": "", "spawn": "", "forkserver": ""}, "linux", "3.11.7") == []


def test_a_lint_finding_is_evidence_and_gives_the_location():
    quiet = {"fork": "INFO:root:hello", "spawn": "", "forkserver": ""}
    (d,) = diagnose(SPAWN_LIKE, quiet, "linux", "3.12.1", [Finding("MP105", "job.py", 12)])
    assert d.pitfall.code == "MP105"
    assert d.location == "job.py:12"
    assert d.evidence == "job.py:12: MP105 a finding"


def test_a_finding_for_a_pitfall_that_breaks_other_methods_names_nothing():
    only_forkserver = {"fork": ("x",), "spawn": ("x",), "forkserver": ("y",)}
    quiet = {"fork": "", "spawn": "", "forkserver": ""}
    assert diagnose(only_forkserver, quiet, "linux", "3.12.1", [Finding("MP105", "job.py", 12)]) == []
    (d,) = diagnose(only_forkserver, quiet, "linux", "3.12.1", [Finding("MP106", "job.py", 20)])
    assert d.pitfall.code == "MP106"


def test_the_version_decides_what_a_pitfall_breaks():
    """atexit in a child: fork and forkserver skip it until children run atexit handlers (gh-83856, the
    boundary read from mpcheck.methods), every method runs it after: checked on each side of every boundary."""
    outcomes = {"fork": ("",), "spawn": ("cleaned up",), "forkserver": ("",)}
    texts = {"fork": "", "spawn": "cleaned up", "forkserver": ""}
    finding = [Finding("MP111", "job.py", 7)]
    sides = set()
    for version in sample_versions():
        named = [d.pitfall.code for d in diagnose(outcomes, texts, "linux", version, finding)]
        assert named == ([] if CHILDREN_RUN_ATEXIT.at(version) else ["MP111"]), version
        sides.add(CHILDREN_RUN_ATEXIT.at(version))
    assert sides == {True, False}


def test_a_pitfall_of_every_method_never_explains_a_difference():
    outcomes = {"fork": ("a",), "spawn": ("b",), "forkserver": ("b",)}
    texts = {m: "" for m in outcomes}
    assert BY_CODE["MP114"].broken_methods("linux", "3.12") == ("fork", "spawn", "forkserver")
    assert diagnose(outcomes, texts, "linux", "3.12.1", [Finding("MP114", "a.py", 3)]) == []


def test_set_start_method_at_import_time_where_the_fork_server_preloads_the_script():
    """3.14.10, the catalog's outcome: only spawn fails, forkserver children find the script preloaded."""
    outcomes = {"fork": (0,), "spawn": (1,), "forkserver": (0,)}
    texts = {"fork": "", "spawn": "RuntimeError: context has already been set", "forkserver": ""}
    from mpcheck.methods import SERVER_PRELOADS_MAIN

    for version in ("3.12.1", "3.13.7", "3.13.8", "3.14.0", "3.14.1", "3.14.10", "3.15.2"):
        named = [d.pitfall.code for d in diagnose(outcomes, texts, "linux", version)]
        # where the server does not preload the script, forkserver would fail too: spawn alone is not MP113
        assert named == (["MP113"] if SERVER_PRELOADS_MAIN.at(version) else []), version


def test_set_start_method_at_import_time_explains_children_that_die_only_where_they_re_import():
    outcomes = {"fork": ("passed",), "spawn": ("failed",), "forkserver": ("failed",)}
    texts = {
        "fork": "",
        "spawn": "RuntimeError: context has already been set",
        "forkserver": "RuntimeError: context has already been set",
    }
    assert [d.pitfall.code for d in diagnose(outcomes, texts, "linux", "3.12.1")] == ["MP113"]


@pytest.mark.parametrize("platform", ["linux", "darwin"])
def test_set_start_method_at_import_time_is_named_for_what_the_catalog_proves_on_every_python(platform):
    """The outcome the catalog expects of set_start_method_import_time (the child's error under the methods
    whose children run the script again, none elsewhere) is explained as MP113 on every supported Python:
    spawn and forkserver where the fork server does not preload the script, spawn alone where it does."""
    from mpcheck.catalog.load import catalog
    from mpcheck.methods import sample_versions

    expect = catalog()["set_start_method_import_time"].expect
    for version in sample_versions():
        facts = {m: expect.resolve(m, platform, version).facts for m in ("fork", "spawn", "forkserver")}
        outcomes = {m: (f["exitcode"], f["target_ran"]) for m, f in facts.items()}
        texts = {
            m: "RuntimeError: context has already been set" if f["child_error"] is not None else ""
            for m, f in facts.items()
        }
        where = f"{platform} {'.'.join(map(str, version))}: {outcomes}"
        assert [d.pitfall.code for d in diagnose(outcomes, texts, platform, version)] == ["MP113"], where


# --- the probe, on programs built for each pitfall, and on their fixed twins -----------------------


def probe(program: Path, tmp_path: Path) -> dict:
    out = tmp_path / "probe.json"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    proc = subprocess.run(
        [sys.executable, "-m", "mpcheck", "probe", str(program), "--repeat", "2", "--json", str(out)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path, env={**env, "COLUMNS": "200"},
    )  # fmt: skip
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    findings = json.loads(out.read_text())
    findings["stdout"] = proc.stdout
    return findings


#: program stem -> the pitfall its broken version must be explained by, and the line lint puts it at
#: (None: named from a runtime signature alone, the lint rule having no finding in that program)
EXPLAINED: Dict[str, Optional[Tuple[str, int]]] = {
    "main_block_target": ("MP101", 10),
    "no_main_guard": ("MP102", 11),
    "process_state": ("MP108", 10),
    "logging": ("MP105", 12),
    "runtime_global": ("MP103", 13),
    "environ": ("MP106", 15),
    "signal_handler": ("MP107", 23),
    "os_fork": ("MP109", 16),
    "sys_path": ("MP110", 14),
    # fork and forkserver children skip atexit handlers until they run them (gh-83856); from then on all agree
    "atexit": None if CHILDREN_RUN_ATEXIT.here() else ("MP111", 12),
}


#: where the sanitizer's hazard is, when it is not lint's line
SANITIZER_LINES = {"main_block_target": 7}


@pytest.mark.skipif(not ALL_THREE, reason="the differences are between fork, spawn and forkserver")
@pytest.mark.parametrize("stem", sorted(EXPLAINED))
def test_the_probe_names_the_pitfall_of_a_broken_program(stem, tmp_path):
    program = PROGRAMS / f"{stem}_broken.py"
    findings = probe(program, tmp_path)
    explained = EXPLAINED[stem]
    if explained is None:  # this Python behaves alike under every method: nothing to explain
        assert findings["verdict"] == "agrees", findings["stdout"]
        assert findings["diagnoses"] == []
        return
    code, line = explained
    assert findings["verdict"] == "diverges"
    assert [d["code"] for d in findings["diagnoses"]] == [code], findings["stdout"]
    (d,) = findings["diagnoses"]
    assert d["scenario"] in BY_CODE[code].scenarios
    # the sanitizer's evidence comes first where it watched the run (mpcheck installed: its start-up hook)
    lines = {line, SANITIZER_LINES.get(stem, line)}
    assert d["location"] in {f"{program}:{n}" for n in lines}
    assert f"likely cause {code}" in findings["stdout"]


@pytest.mark.skipif(not ALL_THREE, reason="the differences are between fork, spawn and forkserver")
@pytest.mark.parametrize("stem", sorted(EXPLAINED))
def test_the_fixed_twin_agrees_and_is_not_explained(stem, tmp_path):
    findings = probe(PROGRAMS / f"{stem}_fixed.py", tmp_path)
    assert findings["verdict"] == "agrees", findings["stdout"]
    assert findings["diagnoses"] == []
    assert "likely cause" not in findings["stdout"]


def test_every_program_has_a_twin():
    stems = {p.stem.rsplit("_", 1)[0] for p in PROGRAMS.glob("*.py")}
    for stem in stems:
        assert (PROGRAMS / f"{stem}_broken.py").exists() and (PROGRAMS / f"{stem}_fixed.py").exists(), stem
    assert stems == set(EXPLAINED)
