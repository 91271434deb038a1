"""The GitHub Actions workflows and the action (action.yml), validated offline: schemas, zizmor's audits, the
matrix the workflow expands to, and the workflow's own use of the action.

check-jsonschema and zizmor need CPython 3.10+ (the `test` extra installs them there: check-jsonschema's
regress has no PyPy wheels), so their two tests skip on 3.9 and PyPy; the workflow is read with their
ruamel.yaml, or with PyYAML elsewhere.
"""

from __future__ import annotations

import fnmatch
import itertools
import os
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any, Dict, List

import pytest
from support.workflows import TOOLS_INSTALLED, load_yaml

from mpcheck import methods

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"
PRERELEASE = ROOT / ".github" / "workflows" / "prerelease.yml"
WORKFLOWS = [WORKFLOW, PRERELEASE]
ACTION = ROOT / "action.yml"
OSES = ["ubuntu-latest", "macos-latest", "windows-latest"]
PYTHONS = list(methods.CPYTHONS)
#: free-threaded CPython: setup-python's names, and nox's (scenarios-3.14t); tox's py314t
FREE_THREADED = list(methods.FREE_THREADED)
#: setup-python's names for PyPy, which are nox's session names too (scenarios-pypy3.11)
PYPYS = ["pypy3.10", "pypy3.11"]

needs_workflow_tools = pytest.mark.skipif(
    not TOOLS_INSTALLED,
    reason="check-jsonschema and zizmor need CPython 3.10+ (not installed here; the CPython 3.10+ jobs run them)",
)


def expand(strategy_matrix: Dict[str, Any]) -> List[Dict[str, Any]]:
    """GitHub's matrix expansion: product of the axes, minus ``exclude``, then ``include`` merged."""
    axes = {k: v for k, v in strategy_matrix.items() if k not in ("include", "exclude")}
    combos = [dict(zip(axes, values)) for values in itertools.product(*axes.values())]
    for rule in strategy_matrix.get("exclude", []):
        combos = [c for c in combos if not all(c.get(k) == v for k, v in rule.items())]
    for rule in strategy_matrix.get("include", []):
        # An include extends every combination whose original axis values it does not overwrite.
        targets = [c for c in combos if all(c.get(k) == v for k, v in rule.items() if k in axes)]
        if targets:
            for c in targets:
                c.update({k: v for k, v in rule.items() if k not in axes})
        else:
            combos.append(dict(rule))
    return combos


@pytest.fixture(scope="module")
def workflow() -> Dict[str, Any]:
    return load_yaml(WORKFLOW)


def test_matrix_covers_every_os_and_python(workflow):
    job = workflow["jobs"]["matrix"]
    assert job["strategy"]["fail-fast"] is False
    combos = expand(job["strategy"]["matrix"])
    cells = sorted((c["os"], str(c["python"])) for c in combos)
    every = PYTHONS + FREE_THREADED + PYPYS
    assert cells == sorted(itertools.product(OSES, every)), "every OS × Python 3.9–3.15, 3.13t, 3.14t and PyPy, once"
    for combo in combos:
        # A pinned patch (macOS arm64's 3.9/3.10 gap) must still be the same minor as the cell.
        patch = str(combo.get("python-patch", combo["python"]))
        assert patch == combo["python"] or patch.startswith(combo["python"] + "."), combo


def test_jobs_run_the_users_nox_sessions(workflow):
    job = workflow["jobs"]["matrix"]
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    assert 'nox -s "scenarios-${PY}"' in runs and 'nox -s "tests-${PY}"' in runs
    envs = [step.get("env", {}).get("PY") for step in job["steps"] if "run" in step and "nox -s" in step["run"]]
    assert envs and all(e == "${{ matrix.python }}" for e in envs)
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    assert "def scenarios(" in noxfile and "def tests(" in noxfile and "def lint(" in noxfile
    for py in PYTHONS + FREE_THREADED + PYPYS:
        assert f'"{py}"' in noxfile, f"noxfile.py has no session for Python {py}"


def test_ci_runs_the_newest_pytest_and_the_oldest_supported(workflow):
    """The matrix's `tests` session upgrades pytest; a job runs `tests_oldest_pytest`, which installs the lower
    bound pyproject.toml gives (read from there, not restated)."""
    import ast
    import re

    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    assert 'session.install("--upgrade", "pytest")' in noxfile
    runs = "\n".join(step.get("run", "") for step in workflow["jobs"]["oldest-pytest"]["steps"])
    assert "nox -s tests_oldest_pytest" in runs
    # the noxfile imports nox: run its _oldest() alone, as written there
    tree = ast.parse(noxfile)
    (function,) = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "_oldest"]
    space: Dict[str, Any] = {"re": re, "Path": Path, "__file__": str(ROOT / "noxfile.py")}
    exec(compile(ast.Module(body=[function], type_ignores=[]), "noxfile.py", "exec"), space)
    oldest = space["_oldest"]("pytest")
    assert '_oldest("pytest")' in noxfile
    bound = re.search(r'"pytest>=([\w.]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert bound is not None and oldest == f"pytest=={bound.group(1)}"


def _own_action(job: Dict[str, Any], command: str) -> Dict[str, Any]:
    """The job's step that runs this repository's action (``uses: ./``) with ``command``."""
    steps = [s for s in job["steps"] if s.get("uses") == "./" and s.get("with", {}).get("command") == command]
    assert len(steps) == 1, f"one step uses ./ (action.yml) with command {command}"
    return steps[0]


def test_pypy_reports_reach_the_merge(workflow):
    """nox names PyPy's report reports/pypy3.X.json (CPython's py3.X.json): the merge step's glob takes both."""
    merge = _own_action(workflow["jobs"]["merge"], "merge")
    pattern = merge["with"]["args"].split()[0].split("/")[-1]
    assert fnmatch.fnmatch("pypy3.11.json", pattern) and fnmatch.fnmatch("py3.14.json", pattern), pattern
    assert fnmatch.fnmatch("py3.14t.json", pattern), pattern  # the free-threaded build's (nox's _tag)
    download = next(s for s in workflow["jobs"]["merge"]["steps"] if "download-artifact" in s.get("uses", ""))
    assert merge["with"]["args"].startswith(download["with"]["path"] + "/*/")
    assert any("nox -s lint" in step.get("run", "") for step in workflow["jobs"]["lint"]["steps"])


def test_the_workflow_uses_this_repositorys_action(workflow):
    """The merge runs through ./action.yml (its page uploaded as mpcheck-merged), and so does mpcheck's own
    lint of its own code (the scenarios, broken on purpose, excluded); both jobs check the repository out
    first, which `uses: ./` needs."""
    merge = _own_action(workflow["jobs"]["merge"], "merge")
    assert merge["with"]["artifact"] == "mpcheck-merged" and merge["with"]["html"].endswith(".html")
    lint = _own_action(workflow["jobs"]["lint"], "lint")
    assert "--exclude mpcheck/scenarios/*" in lint["with"]["args"]
    for name in ("merge", "lint"):
        steps = workflow["jobs"][name]["steps"]
        checkout = next(i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/checkout@"))
        assert checkout < next(i for i, s in enumerate(steps) if s.get("uses") == "./")


@pytest.fixture(scope="module")
def prerelease() -> Dict[str, Any]:
    return load_yaml(PRERELEASE)


def test_python_versions_are_the_same_everywhere():
    """nox, tox, the classifiers and the matrix name the same Pythons."""
    tox = (ROOT / "tox.ini").read_text(encoding="utf-8")
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for py in PYTHONS:
        assert f"py{py.replace('.', '')}" in tox, f"tox.ini has no env for Python {py}"
        assert f'"Programming Language :: Python :: {py}"' in pyproject, f"no classifier for Python {py}"
    for py in FREE_THREADED:
        assert f"py{py.replace('.', '')}," in tox and f"py{py.replace('.', '')}-scenarios" in tox, py


def test_prerelease_job_runs_weekly_on_every_os_and_blocks_nothing(prerelease):
    triggers = prerelease["on"] if "on" in prerelease else prerelease[True]  # PyYAML reads YAML 1.1's `on` as True
    assert triggers["schedule"], "a weekly schedule"
    cron = triggers["schedule"][0]["cron"].split()
    assert cron[2:4] == ["*", "*"] and cron[4] != "*", f"once a week, not {cron}"
    assert "pull_request" not in triggers and "push" not in triggers
    (job,) = prerelease["jobs"].values()
    assert job["continue-on-error"] is True
    assert job["strategy"]["matrix"]["os"] == OSES
    setup = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["allow-prereleases"] is True
    next_minor = prerelease["env"]["NEXT_PYTHON"]
    newest = tuple(map(int, PYTHONS[-1].split(".")))
    assert next_minor not in PYTHONS and tuple(map(int, next_minor.split("."))) > newest, next_minor
    assert any("mpcheck run" in s.get("run", "") for s in job["steps"])


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_job_has_a_timeout_and_pinned_actions(path):
    workflow = load_yaml(path)
    assert "group" in workflow["concurrency"]
    for name, job in workflow["jobs"].items():
        assert isinstance(job.get("timeout-minutes"), int), f"job {name} has no timeout-minutes"
        for step in job["steps"]:
            uses = step.get("uses")
            if uses and uses != "./":  # ./ is this repository, at the commit being run
                ref = uses.split("@", 1)[1]
                assert len(ref) == 40 and all(c in "0123456789abcdef" for c in ref), f"{uses}: pin to a commit SHA"


def test_reports_are_uploaded_and_merged(workflow):
    steps = workflow["jobs"]["matrix"]["steps"]
    upload = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload and upload[0]["with"]["path"] == "reports/"
    merge = workflow["jobs"]["merge"]
    assert merge["needs"] == "matrix"
    assert "!cancelled()" in merge["if"], "the merge must run when some cells failed"
    assert _own_action(merge, "merge")


@pytest.fixture(scope="module")
def action_spec() -> Dict[str, Any]:
    return load_yaml(ACTION)


def test_action_is_composite_installs_from_its_own_checkout_and_fails_as_mpcheck_says(action_spec):
    from mpcheck.action import COMMANDS

    assert action_spec["runs"]["using"] == "composite"
    assert set(action_spec["inputs"]) == {"command", "args", "json", "html", "upload", "artifact", "python", "install"}
    for command in COMMANDS:
        assert command in action_spec["inputs"]["command"]["description"], command
    steps = action_spec["runs"]["steps"]
    assert '"$GITHUB_ACTION_PATH"' in steps[0]["run"], "mpcheck comes from the action's own files, no index name"
    run = next(s for s in steps if s.get("id") == "run")
    assert run["run"].strip() == '"$MPCHECK_PYTHON" -m mpcheck.action'
    for step in steps:
        if "run" in step:
            assert "${{" not in step["run"], f"{step['name']}: inputs reach the shell through env only"
        uses = step.get("uses")
        if uses:
            ref = uses.split("@", 1)[1]
            assert len(ref) == 40 and all(c in "0123456789abcdef" for c in ref), f"{uses}: pin to a commit SHA"
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert "!cancelled()" in upload["if"], "the reports are uploaded when mpcheck found something too"
    assert steps[-1]["if"] == "${{ steps.run.outputs.exit-code != '0' }}" and 'exit "$CODE"' in steps[-1]["run"]
    # the same upload-artifact commit as the workflow's
    workflow_pins = {
        s["uses"] for s in load_yaml(WORKFLOW)["jobs"]["matrix"]["steps"] if "upload-artifact" in s.get("uses", "")
    }
    assert {upload["uses"]} == workflow_pins


def test_readme_shows_the_three_lines(action_spec):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## In GitHub Actions", 1)[1].split("```yaml", 1)[1].split("```", 1)[0]
    lines = [line.strip() for line in block.strip().splitlines() if line.strip() and not line.strip().startswith("#")]
    added = lines[-3:]
    assert added[0].startswith("- uses: ") and added[0].split("@")[0].endswith("/mpcheck"), added
    assert added[1] == "with:" and added[2].split(":")[0] in action_spec["inputs"], added


def _script(name: str) -> Path:
    """A console script installed for *this* interpreter (not a pyenv shim for another one)."""
    exe = name + (".exe" if os.name == "nt" else "")
    return Path(sysconfig.get_path("scripts")) / exe


@needs_workflow_tools
@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_the_github_schema(path):
    proc = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr


@needs_workflow_tools
def test_action_matches_the_github_schema():
    proc = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-actions", str(ACTION)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr


@needs_workflow_tools
@pytest.mark.parametrize("path", [*WORKFLOWS, ACTION], ids=lambda p: p.name)
def test_zizmor_finds_nothing(path):
    zizmor = _script("zizmor")
    assert zizmor.exists(), f"zizmor is missing from {zizmor.parent}: install the `test` extra"
    proc = subprocess.run(
        [str(zizmor), "--offline", "--persona", "auditor", str(path)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
