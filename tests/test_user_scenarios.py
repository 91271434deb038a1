"""A project's own scenarios, loaded with ``--path``: run like the catalog, broken files refused."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from support import DATA, TESTS

USER = DATA / "user_scenarios"
ROOT = TESTS.parent


def mpcheck(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mpcheck", *args], capture_output=True, text=True, timeout=300, cwd=ROOT
    )


def test_list_shows_only_the_projects_scenarios_with_no_builtin():
    proc = mpcheck("list", "--path", str(USER), "--no-builtin")
    assert proc.returncode == 0, proc.stderr
    ids = [line.split()[0] for line in proc.stdout.splitlines()]
    assert ids == ["child_sees_main_change", "triple_in_pool"]  # _shared.py is a helper


def test_path_adds_to_the_builtin_catalog():
    ids = [line.split()[0] for line in mpcheck("list", "--path", str(USER)).stdout.splitlines()]
    assert "process_basics" in ids
    assert "triple_in_pool" in ids


def test_user_scenarios_run_under_every_method(tmp_path):
    out = tmp_path / "r.json"
    proc = mpcheck("run", "--path", str(USER), "--no-builtin", "--quiet", "--json", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    cells = json.loads(out.read_text())["cells"]
    by_cell = {(c["scenario"], c["method"]): c for c in cells}
    assert {s for s, _ in by_cell} == {"child_sees_main_change", "triple_in_pool"}
    for (scenario, method), cell in by_cell.items():
        if cell["status"] == "unavailable":
            continue
        assert cell["status"] == "passed", cell
        if scenario == "child_sees_main_change":
            assert cell["observed"]["child_sees"] == ("main" if method == "fork" else "import")
        else:
            assert cell["observed"]["tripled"] == [0, 3, 6, 9, 12]  # the helper beside the file


BROKEN = {
    "syntax_error": ("from mpcheck.expect import Expect\nEXPECT = Expect(facts={'a': 1}\n", "syntax error"),
    "missing_module": (
        "import no_such_module_here\nfrom mpcheck.expect import Expect\nEXPECT = Expect(facts={'a': 1})\n",
        "No module named 'no_such_module_here'",
    ),
    "malformed_expect": (
        "from mpcheck.expect import Expect, by_method\nEXPECT = Expect(facts={'a': by_method(vfork=1)})\n",
        "unknown start method",
    ),
    "expect_not_an_expect": ("EXPECT = {'a': 1}\n", "must be an mpcheck.expect.Expect"),
    "no_expect": ("print('hello')\n", "no EXPECT"),
}


@pytest.mark.parametrize("command", ["run", "list"])
@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_a_broken_file_is_one_line_naming_it_and_exit_2(tmp_path, kind, command):
    source, message = BROKEN[kind]
    (tmp_path / "fine.py").write_text((USER / "triple_in_pool.py").read_text())
    (tmp_path / "_shared.py").write_text((USER / "_shared.py").read_text())
    broken = tmp_path / f"{kind}.py"
    broken.write_text(source)
    proc = mpcheck(command, "--path", str(tmp_path), "--no-builtin")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert str(broken) in lines[0]
    assert message in lines[0]
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""  # refused before any cell ran


def test_a_scenario_id_cannot_shadow_a_builtin_one(tmp_path):
    (tmp_path / "process_basics.py").write_text((USER / "child_sees_main_change.py").read_text())
    proc = mpcheck("run", "--path", str(tmp_path), "--quiet")
    assert proc.returncode == 2
    assert "already defined" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_a_missing_path_is_one_line():
    proc = mpcheck("run", "--path", "no/such/dir", "--no-builtin")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "mpcheck: error: --path no/such/dir: no such file or directory"
