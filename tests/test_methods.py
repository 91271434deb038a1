"""mpcheck.methods, the one home of start-method facts: its answers, the running interpreter's agreement with
them, and every other list of supported Pythons (nox, tox, the workflows, the classifiers, the README) held
against it."""

from __future__ import annotations

import ast
import multiprocessing
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mpcheck import methods
from mpcheck.methods import (
    AVAILABLE,
    CPYTHONS,
    IMPORTING,
    METHODS,
    PLATFORMS,
    PYPYS,
    SERVER_PRELOADS_MAIN,
    SUPPORTED_VERSIONS,
    default_method,
    reimporting_main,
    sample_versions,
)

ROOT = Path(__file__).resolve().parent.parent


def test_the_defaults_per_platform_and_python():
    assert default_method("linux", "3.13.99") == "fork"
    assert default_method("linux", "3.14") == "forkserver"
    assert default_method("linux", (3, 14, 0)) == "forkserver"
    assert default_method("darwin", "3.9") == default_method("darwin", "3.15") == "spawn"
    assert {default_method("win32", v) for v in sample_versions()} == {"spawn"}
    for platform in PLATFORMS:
        assert {default_method(platform, v) for v in sample_versions()} <= set(AVAILABLE[platform])


def test_the_fork_server_preloads_the_script_from_3_13_8_and_3_14_1():
    assert [SERVER_PRELOADS_MAIN.at(v) for v in ("3.13.7", "3.13.8", "3.13.30", "3.14.0", "3.14.1", "3.15")] == [
        False, True, True, False, True, True,
    ]  # fmt: skip
    assert reimporting_main("linux", "3.14.0") == IMPORTING
    assert reimporting_main("linux", "3.14.1") == ("spawn",)
    assert reimporting_main("win32", "3.13.0") == ("spawn",)


def test_every_boundary_is_sampled_on_both_sides():
    sample = set(sample_versions())
    assert {(3, 13, 7), (3, 13, 8), (3, 14, 0), (3, 14, 1), (3, 11, 4), (3, 11, 5)} <= sample
    assert {(3, int(v.split(".")[1]), 0) for v in CPYTHONS} <= sample
    assert min(sample) == (3, 9, 0)


def test_the_running_interpreter_agrees():
    """What the "here" API says of this Python is what its multiprocessing does (a fresh interpreter, no
    mpcheck hook forcing a method)."""
    code = "import multiprocessing as m; print(m.get_start_method(), *m.get_all_start_methods())"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MPCHECK_")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60, check=True)
    default, *available = out.stdout.split()
    assert default == methods.default_method_here()
    assert set(available) == set(AVAILABLE[methods.platform_here()])
    assert methods.version_here() == tuple(sys.version_info[:3])
    assert methods.reimporting_main_here() == reimporting_main(methods.platform_here(), sys.version_info[:3])
    assert set(METHODS) >= set(multiprocessing.get_all_start_methods())


def test_a_fallback_from_a_missing_method_is_what_the_platforms_lacking_it_have():
    """get_context("spawn") never raises (every platform has spawn); fork and forkserver are missing on
    Windows only, whose one method is spawn: the linter reads a default-context fallback by this."""
    assert methods.fallback_methods("spawn") == ()
    assert methods.fallback_methods("fork") == methods.fallback_methods("forkserver") == ("spawn",)


def test_process_packages_have_a_context_of_their_own():
    assert METHODS == ("fork", "spawn", "forkserver")
    assert methods.PROCESS_PACKAGES[0] == "multiprocessing"
    assert not set(methods.PROCESS_PACKAGES) & set(methods.REEXPORTING)


def test_the_linter_and_the_forced_default_follow_the_process_packages():
    """A process package added in mpcheck.methods is linted (modelled, its files read, a pickler known) and
    gets the forced default of ``--mp-start-method`` (its context module patched, its starts counted)."""
    from mpcheck.lint import names
    from mpcheck.start_method import hook

    for package in methods.PROCESS_PACKAGES + methods.REEXPORTING:
        assert names.is_process_library(package) and names.is_modelled(package)
        assert package in names.LIBS
        assert names.TRIGGERS_RE.search(package.encode()) and names.MENTIONS_RE.search(package.encode())
        assert f"{package}.set_start_method" in names.SET_START_METHOD
        assert names.CONSTRUCTORS[f"{package}.Process"] == names.PROCESS
    assert tuple(f"{p}.context" for p in methods.PROCESS_PACKAGES) == hook.CONTEXT_MODULES


# --- one list of supported Pythons ---------------------------------------------------------------------------


def _base(name: str) -> str:
    """``"3.14t"`` / ``"py314t"`` / ``"pypy311"`` -> ``"3.14"`` / ``"3.14"`` / ``"pypy3.11"``: a free-threaded build
    of a minor counts as that minor."""
    found = re.fullmatch(r"(pypy|py)?(3)\.?(\d+)t?", name)
    assert found, f"not a Python name: {name!r}"
    prefix = "pypy" if found.group(1) == "pypy" else ""
    return f"{prefix}3.{found.group(3)}"


def _listed(names) -> list:
    return sorted({_base(n) for n in names}, key=SUPPORTED_VERSIONS.index)


#: interpreters of SUPPORTED_VERSIONS a list may leave out, and why
NOT_IN_CI = {"pypy3.9": "CI's matrix runs the PyPy 3.10 and 3.11 lines only (docs/ci.md); PyPy 3.9 runs locally"}


def test_noxfile_lists_the_supported_pythons():
    tree = ast.parse((ROOT / "noxfile.py").read_text())
    lists = {
        t.id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        for t in node.targets
        if isinstance(t, ast.Name) and t.id in ("PYTHONS", "PYPYS")
    }
    assert _listed(lists["PYTHONS"] + lists["PYPYS"]) == list(SUPPORTED_VERSIONS)


def test_tox_lists_the_supported_pythons():
    text = (ROOT / "tox.ini").read_text()
    env_list = re.search(r"^env_list\s*=\s*(.+)$", text, re.M)
    assert env_list
    assert _listed(e.strip() for e in env_list.group(1).split(",")) == list(SUPPORTED_VERSIONS)
    scenarios = re.search(r"^\s*scenarios\s*=\s*(.+)$", text, re.M)
    assert scenarios
    assert _listed(e.strip().removesuffix("-scenarios") for e in scenarios.group(1).split(",")) == list(
        SUPPORTED_VERSIONS
    )
    section = re.search(r"^\[testenv:\{([^}]*)\}-scenarios\]", text, re.M)
    assert section
    assert _listed(e for e in section.group(1).split(",") if e) == list(SUPPORTED_VERSIONS)


def test_the_ci_matrix_lists_the_supported_pythons():
    text = (ROOT / ".github" / "workflows" / "ci.yml").read_text()
    matrix = re.search(r"^\s+python:\s*(\[.*\])\s*$", text, re.M)
    assert matrix
    expected = [v for v in SUPPORTED_VERSIONS if v not in NOT_IN_CI]
    assert _listed(ast.literal_eval(matrix.group(1))) == expected


def test_the_prerelease_workflow_tries_the_minor_after_the_newest():
    text = (ROOT / ".github" / "workflows" / "prerelease.yml").read_text()
    found = re.search(r'NEXT_PYTHON:\s*"(3\.\d+)"', text)
    assert found
    assert found.group(1) == f"3.{int(CPYTHONS[-1].split('.')[1]) + 1}"


def test_the_classifiers_list_the_supported_pythons():
    text = (ROOT / "pyproject.toml").read_text()
    minors = re.findall(r'"Programming Language :: Python :: (3\.\d+)"', text)
    assert minors == list(CPYTHONS)
    assert f'requires-python = ">={CPYTHONS[0]}"' in text
    assert ("Programming Language :: Python :: Implementation :: PyPy" in text) == bool(PYPYS)


def test_the_readme_platform_table_is_methods_py():
    """README's table of methods and defaults says what mpcheck.methods says (and its first line, the range)."""
    readme = (ROOT / "README.md").read_text()
    assert f"every Python from {CPYTHONS[0]} to {CPYTHONS[-1]}" in readme
    rows = {
        cells[0]: cells[1:]
        for cells in ([c.strip() for c in line.strip().strip("|").split("|")] for line in readme.splitlines()[:20])
        if cells[0] in ("Linux", "macOS", "Windows")
    }
    names = {"Linux": "linux", "macOS": "darwin", "Windows": "win32"}
    assert set(rows) == set(names)
    switch = methods.FORKSERVER_DEFAULT_ON_LINUX.first
    for row, platform in names.items():
        available = [m for m, cell in zip(METHODS, rows[row][:3]) if cell.startswith("yes")]
        assert available == list(AVAILABLE[platform]), row
    linux = rows["Linux"][3]
    before, after = f"{switch[0]}.{switch[1] - 1}", f"{switch[0]}.{switch[1]}"
    assert (
        linux == f"{default_method('linux', before)} up to {before}, **{default_method('linux', after)} from {after}**"
    )
    macos = methods.SPAWN_DEFAULT_ON_MACOS.first
    assert rows["macOS"][3] == f"{default_method('darwin', CPYTHONS[0])} (since {macos[0]}.{macos[1]})"
    assert rows["Windows"][3] == default_method("win32", CPYTHONS[-1])


@pytest.mark.parametrize("name", ["3.14t", "py314t", "3.13t"])
def test_a_free_threaded_build_counts_as_its_minor(name):
    assert _base(name) in SUPPORTED_VERSIONS
