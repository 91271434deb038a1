"""The GitHub Action (action.yml at the root, mpcheck/action.py): its inputs as a command line, its outputs,
and its shell steps run here as GitHub's runner would run them (the install step excepted: it would
replace this environment's mpcheck). Its schema and zizmor's audit: tests/test_workflow.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Mapping

import pytest
from support import DATA
from support.installed import pth_installed
from support.synthetic import synthetic_report
from support.workflows import load_yaml

from mpcheck import action
from mpcheck.expect import is_free_threaded

ROOT = Path(__file__).resolve().parent.parent
ACTION = ROOT / "action.yml"
CORPUS = DATA / "lint_corpus"


def read_outputs(path: Path) -> Dict[str, str]:
    """``$GITHUB_OUTPUT`` as the runner reads it: ``name=value`` lines and ``name<<DELIMITER`` blocks."""
    outputs, lines = {}, path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        name, sep, rest = lines[i].partition("<<")
        if sep:
            end = lines.index(rest, i + 1)
            outputs[name] = "\n".join(lines[i + 1 : end])
            i = end + 1
        else:
            name, _, value = lines[i].partition("=")
            outputs[name] = value
            i += 1
    return outputs


@pytest.mark.parametrize(
    "inputs, argv",
    [
        ({}, ["run"]),
        ({"command": "scenarios", "json": "r/m.json", "html": "r/m.html"},
         ["run", "--json", "r/m.json", "--html", "r/m.html"]),
        ({"command": "scenarios", "args": "--scenario 'logging_in_child' --method spawn", "json": "", "html": ""},
         ["run", "--scenario", "logging_in_child", "--method", "spawn"]),
        ({"command": "suite", "args": '--parallel -- -q -k "not slow" tests/', "json": "s.json", "html": "s.html"},
         ["suite", "--json", "s.json", "--html", "s.html", "--parallel", "--", "-q", "-k", "not slow", "tests/"]),
        ({"command": "lint", "args": "src", "json": "x.json", "html": "x.html"}, ["lint", "--format", "github", "src"]),
        ({"command": "lint", "args": "--format sarif src"}, ["lint", "--format", "sarif", "src"]),
        ({"command": "merge", "args": "a.json b.json", "json": "m.json", "html": "m.html"},
         ["merge", "--html", "m.html", "a.json", "b.json"]),
        ({"command": "scenarios", "args": "--json mine.json", "json": "r.json", "html": ""},
         ["run", "--json", "mine.json"]),
    ],
)  # fmt: skip
def test_inputs_become_one_command_line(inputs: Dict[str, str], argv: List[str]):
    assert action.command_line(inputs) == argv


def test_merge_expands_glob_patterns_and_nothing_else_does(tmp_path, monkeypatch):
    for name in ("a/py3.12.json", "b/pypy3.11.json", "b/notes.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("{}")
    monkeypatch.chdir(tmp_path)
    assert action.command_line({"command": "merge", "args": "*/py*.json", "html": ""}) == [
        "merge", "a/py3.12.json", "b/pypy3.11.json"
    ]  # fmt: skip
    assert action.command_line({"command": "merge", "args": "none/*.json", "html": ""}) == ["merge", "none/*.json"]
    assert action.command_line({"command": "lint", "args": "--exclude '*/py*.json' ."}) == [
        "lint", "--format", "github", "--exclude", "*/py*.json", "."
    ]  # fmt: skip


@pytest.mark.parametrize(
    "inputs, message",
    [({"command": "probe"}, "command: 'probe' is not one of"), ({"args": "'unclosed"}, "args: cannot be split")],
)
def test_bad_inputs_are_one_annotation_and_exit_code_2(tmp_path, capsys, inputs, message):
    out = tmp_path / "out"
    env = {"GITHUB_OUTPUT": str(out), **{f"MPCHECK_INPUT_{k.upper()}": v for k, v in inputs.items()}}
    assert action.main(env) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("::error title=mpcheck action::") and message in line, line
    assert read_outputs(out)["exit-code"] == "2"


def test_artifact_name_says_command_os_python_and_job():
    env = {"RUNNER_OS": "Linux", "GITHUB_JOB": "matrix"}
    impl = "pypy" if sys.implementation.name == "pypy" else "py"
    version = f"{sys.version_info[0]}.{sys.version_info[1]}" + ("t" if is_free_threaded() else "")
    assert action.artifact_name({"command": "suite"}, env) == f"mpcheck-suite-linux-{impl}{version}-matrix"
    assert action.artifact_name({"command": "suite", "artifact": " mine "}, env) == "mine"


def test_a_free_threaded_pythons_artifact_is_not_the_same_versions_with_the_gil(monkeypatch):
    env = {"RUNNER_OS": "Linux", "GITHUB_JOB": "matrix"}
    monkeypatch.setattr(action, "is_free_threaded", lambda: False)
    gil = action.artifact_name({"command": "scenarios"}, env)
    monkeypatch.setattr(action, "is_free_threaded", lambda: True)
    assert action.artifact_name({"command": "scenarios"}, env) == gil.replace("-matrix", "t-matrix")


# --- the composite's shell steps, as the runner runs them -------------------------------------------

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def resolve(text: str, inputs: Mapping[str, str], outputs: Mapping[str, str]) -> str:
    def one(found: re.Match) -> str:
        ref = found.group(1)
        if ref.startswith("inputs."):
            return inputs[ref[len("inputs.") :]]
        if ref.startswith("steps.run.outputs."):
            return outputs.get(ref[len("steps.run.outputs.") :], "")
        raise AssertionError(f"an expression this test does not know: {ref}")

    return EXPRESSION.sub(one, text)


def run_action(tmp_path: Path, cwd: Path, **given: str) -> Dict[str, Any]:
    """The action's steps after the install (mpcheck is installed here already), with bash as the runner
    runs them: ``run`` with its ``env`` resolved, outputs read from ``$GITHUB_OUTPUT``; ``if`` conditions
    evaluated for the cases they name. Returns the run step's outputs, the upload's inputs (or None when
    its condition is false), and the last step's exit code."""
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not on PATH: the action's steps are bash scripts, run here as a runner runs them")
    if os.name == "nt":
        pytest.skip("Windows runners run the steps in Git Bash, whose path translation this simulation does not do")
    spec = load_yaml(ACTION)
    inputs = {name: str(meta.get("default", "")) for name, meta in spec["inputs"].items()}
    inputs.update(given, python=sys.executable)
    install, run, upload, fail = spec["runs"]["steps"]
    assert '-m pip install --disable-pip-version-check --quiet "$GITHUB_ACTION_PATH"' in install["run"]
    outputs: Dict[str, str] = {}
    output_file = tmp_path / "github_output"
    summary = tmp_path / "summary.md"

    def step(spec_step: Dict[str, Any]) -> subprocess.CompletedProcess:
        env = dict(os.environ, GITHUB_OUTPUT=str(output_file), GITHUB_STEP_SUMMARY=str(summary), RUNNER_OS="Linux")
        env.update({k: resolve(str(v), inputs, outputs) for k, v in spec_step.get("env", {}).items()})
        assert "${{" not in spec_step["run"], "inputs reach the shell through env only"
        return subprocess.run([bash, "-e", "-c", spec_step["run"]], cwd=cwd, env=env, capture_output=True, text=True)

    output_file.write_text("")
    ran = step(run)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    outputs.update(read_outputs(output_file))
    assert upload["if"] == "${{ !cancelled() && inputs.upload == 'true' && steps.run.outputs.files != '' }}"
    uploads = inputs["upload"] == "true" and outputs["files"] != ""
    with_ = {k: resolve(str(v), inputs, outputs) for k, v in upload["with"].items()} if uploads else None
    assert fail["if"] == "${{ steps.run.outputs.exit-code != '0' }}"
    last = step(fail).returncode if outputs["exit-code"] != "0" else 0
    return {"outputs": outputs, "upload": with_, "exit": last, "log": ran.stdout, "summary": summary}


def test_merge_through_the_action_uploads_the_page_and_fails_as_merge_does(tmp_path):
    reports = tmp_path / "all-reports"
    for sub in ("a", "b"):
        (reports / sub).mkdir(parents=True)
    fail = {("default_start_method", "spawn"): ("default", "x")}
    synthetic_report(reports / "a" / "py3.12.json", "darwin", "3.12.10")
    synthetic_report(reports / "b" / "py3.13.json", "darwin", "3.13.9", fail)
    done = run_action(tmp_path, tmp_path, command="merge", args="all-reports/*/py*.json", html="merged/m.html",
                      artifact="mpcheck-merged")  # fmt: skip
    line = "mpcheck merge --html merged/m.html all-reports/a/py3.12.json all-reports/b/py3.13.json"
    assert done["log"].startswith(line)
    assert done["outputs"]["exit-code"] == "1" and done["exit"] == 1, "a failed cell fails the job"
    assert done["upload"]["name"] == "mpcheck-merged" and done["upload"]["path"] == "merged/m.html"
    assert (tmp_path / "merged" / "m.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "## mpcheck: every OS and Python" in done["summary"].read_text()


def test_lint_through_the_action_annotates_and_uploads_nothing(tmp_path):
    done = run_action(tmp_path, CORPUS, command="lint", args="--preview logging_spawn_broken.py")
    assert done["outputs"]["exit-code"] == "1" and done["exit"] == 1
    assert done["upload"] is None, "lint writes no report: nothing to upload"
    (annotation,) = [line for line in done["log"].splitlines() if line.startswith("::error ")]
    assert annotation.startswith("::error file=logging_spawn_broken.py,line=17,col=5,title=mpcheck MP105")
    clean = run_action(tmp_path, CORPUS, command="lint", args="--preview logging_spawn_fixed.py")
    assert clean["outputs"]["exit-code"] == "0" and clean["exit"] == 0


def test_scenarios_through_the_action_writes_json_and_html(tmp_path):
    done = run_action(tmp_path, tmp_path, args="--scenario process_basics --method spawn --quiet")
    assert done["outputs"]["exit-code"] == "0" and done["exit"] == 0
    files = done["outputs"]["files"].splitlines()
    assert files == ["mpcheck-reports/mpcheck.json", "mpcheck-reports/mpcheck.html"]
    assert done["upload"]["path"] == "\n".join(files)
    data = json.loads((tmp_path / files[0]).read_text())
    assert [(c["scenario"], c["method"], c["status"]) for c in data["cells"]] == [("process_basics", "spawn", "passed")]


def test_sanitize_through_the_action_writes_json(tmp_path):
    if not pth_installed():
        pytest.skip("mpcheck is not installed in this environment (pip install .): its .pth hook is what watches")
    program = DATA / "sanitize_programs" / "executor_main_function_broken.py"
    done = run_action(tmp_path, tmp_path, command="sanitize", args=f"-- '{sys.executable}' '{program}'")
    assert done["outputs"]["exit-code"] == "1" and done["exit"] == 1, done["log"]
    assert done["outputs"]["files"] == "mpcheck-reports/mpcheck.json", "sanitize writes no HTML"
    hazards = json.loads((tmp_path / "mpcheck-reports" / "mpcheck.json").read_text())["hazards"]
    assert [h["code"] for h in hazards] == ["MP101"]
    assert "## mpcheck sanitize" in done["summary"].read_text()


# --- the README's example in a fresh job: a new interpreter, the project checked out, nothing installed ---

PROJECTS = DATA / "action_projects"


@pytest.fixture(scope="module")
def fresh_python(tmp_path_factory) -> Path:
    """A new virtual environment of the Python running the tests, with nothing in it (setup-python's)."""
    if os.name == "nt":
        pytest.skip("Windows runners run the steps in Git Bash, whose path translation this simulation does not do")
    folder = tmp_path_factory.mktemp("job") / "venv"
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(folder)], check=True, capture_output=True, timeout=300)
    return folder / "bin" / "python"


def fresh_job(tmp_path: Path, python: Path, project: str, **given: str) -> Dict[str, Any]:
    """Every step of action.yml, as the runner runs them, in a fresh job: the project checked out in the
    workspace, ``python`` with nothing installed, ``$GITHUB_ACTION_PATH`` this repository."""
    workspace = tmp_path / project
    shutil.copytree(PROJECTS / project, workspace)
    spec = load_yaml(ACTION)
    inputs = {name: str(meta.get("default", "")) for name, meta in spec["inputs"].items()}
    inputs.update(given, python=str(python))
    install, run, _, fail = spec["runs"]["steps"]
    output_file = tmp_path / f"{project}-github_output"
    output_file.write_text("")
    outputs: Dict[str, str] = {}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MPCHECK_", "PYTEST_", "GITHUB_", "PYTHON"))}
    env.update(GITHUB_OUTPUT=str(output_file), GITHUB_ACTION_PATH=str(ROOT), GITHUB_WORKSPACE=str(workspace))
    env.update(
        GITHUB_STEP_SUMMARY=str(tmp_path / "summary.md"), RUNNER_OS="Linux", PATH=f"{python.parent}:{env['PATH']}"
    )
    logs = []
    for step in (install, run):
        step_env = {**env, **{k: resolve(str(v), inputs, outputs) for k, v in step.get("env", {}).items()}}
        done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=workspace, env=step_env, capture_output=True,
                              text=True, timeout=900)  # fmt: skip
        logs.append(done.stdout + done.stderr)
        assert done.returncode == 0, f"{step['name']}:\n{logs[-1]}"
    outputs.update(read_outputs(output_file))
    last = subprocess.run(["bash", "-e", "-c", fail["run"]], env={**env, "CODE": outputs["exit-code"]},
                          capture_output=True, text=True).returncode if outputs["exit-code"] != "0" else 0  # fmt: skip
    return {"outputs": outputs, "exit": last, "log": "\n".join(logs)}


def test_the_readmes_example_in_a_fresh_job_is_green_for_a_clean_project_and_red_for_a_broken_one(
    tmp_path, fresh_python
):
    """Issue 33: README's three lines (command: suite) ended in "No module named 'pytest'", exit 2. The action
    now installs the project with its test extra (input install: auto) and pytest for suite."""
    clean = fresh_job(tmp_path, fresh_python, "clean", command="suite")
    assert "install: -m pip install --disable-pip-version-check -e '.[test]' pytest" in clean["log"]
    assert clean["outputs"]["exit-code"] == "0" and clean["exit"] == 0, clean["log"]
    broken = fresh_job(tmp_path, fresh_python, "broken", command="suite")
    assert broken["outputs"]["exit-code"] == "1" and broken["exit"] == 1, broken["log"]
    assert "test_squares_in_a_pool" in broken["log"]


def test_the_users_scenarios_import_the_project_in_a_fresh_job(tmp_path, fresh_python):
    """A scenario file of the user's imports the project under test (src layout: installed; flat layout: from
    the repository's root, on PYTHONPATH for the scenarios command) without a PYTHONPATH of their own."""
    for project in ("clean", "broken"):
        done = fresh_job(tmp_path, fresh_python, project, args="--path scenarios --no-builtin --method spawn --quiet")
        assert done["outputs"]["exit-code"] == "0" and done["exit"] == 0, done["log"]
        data = json.loads((tmp_path / project / "mpcheck-reports" / "mpcheck.json").read_text())
        assert [(c["scenario"], c["status"]) for c in data["cells"]] == [("squares", "passed")]
    bare = fresh_job(tmp_path / "bare", fresh_python, "broken", install="", args="--path scenarios --no-builtin "
                     "--method spawn --quiet")  # fmt: skip
    assert bare["outputs"]["exit-code"] == "0", bare["log"]  # flat layout, nothing installed: PYTHONPATH


@pytest.mark.parametrize(
    ("spec", "files", "command", "args"),
    [
        ("auto", {"pyproject.toml": '[project]\nname="x"\n[project.optional-dependencies]\ntests=["pytest"]\n'},
         "suite", ["-e", ".[tests]", "pytest"]),
        ("auto", {"setup.py": "from setuptools import setup\nsetup()\n"}, "run", ["-e", "."]),
        ("auto", {}, "suite", ["pytest"]),
        ("auto", {}, "lint", []),
        ("", {"setup.py": ""}, "suite", []),
        ("-r requirements-dev.txt -e .", {}, "suite", ["-r", "requirements-dev.txt", "-e", "."]),
    ],
)  # fmt: skip
def test_install_input(tmp_path, spec, files, command, args):
    from mpcheck.action import install_args

    for name, text in files.items():
        (tmp_path / name).write_text(text)
    assert install_args(spec, command, tmp_path) == args
