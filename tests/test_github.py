"""GitHub Actions: the job summary of run, suite, merge and lint; lint's workflow annotations; progress.

The job summary is tested with a fake ``$GITHUB_STEP_SUMMARY`` file and read back as GitHub renders it
(markdown-it-py, which rich brings, in CommonMark mode with GFM tables, raw HTML on: anything that is
not escaped shows up as an element). Annotations are checked against the shape GitHub's toolkit
documents: ``::error file=F,line=L,col=C,title=T::message``, with ``%``, CR and LF escaped in the
message, and those and ``:`` and ``,`` in a property.
"""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Sequence

import pytest
from markdown_it import MarkdownIt
from support import DATA
from support.installed import SOURCE_ROOT, pth_installed, skip_unless_pth_and_all_methods
from support.markers import BROKEN_EXECUTOR
from support.page import Node, parse
from support.projects import PROJECTS, suite
from support.synthetic import HOSTILE_STDERR, hostile_scenarios, suite_report, synthetic_report

from mpcheck import pitfalls
from mpcheck.catalog import merge, report
from mpcheck.render import github

ROOT = Path(__file__).resolve().parent.parent
CORPUS = DATA / "lint_corpus"


def mpcheck(*args: str, **kwargs: Any) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mpcheck", *args], capture_output=True, text=True, timeout=600, **kwargs
    )


def rendered(markdown: str) -> Node:
    """The summary as GitHub would render it (tables on, raw HTML passed through), parsed."""
    return parse("<div>" + MarkdownIt("commonmark").enable("table").render(markdown) + "</div>")


def table_rows(doc: Node) -> List[List[str]]:
    return [[td.text for td in tr.children_of("td")] for tr in doc.find("tbody").children_of("tr")]


# --- the job summary -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def run_summary(tmp_path_factory) -> Dict[str, Any]:
    where = tmp_path_factory.mktemp("run")
    hostile_scenarios(where / "scenarios")
    summary = where / "summary.md"
    summary.write_text("earlier step\n")
    proc = mpcheck(
        "run", "--path", str(where / "scenarios"), "--no-builtin", "--quiet", "--json", str(where / "r.json"),
        env=dict(os.environ, GITHUB_STEP_SUMMARY=str(summary)),
    )  # fmt: skip
    assert proc.returncode == 1, proc.stdout + proc.stderr
    return {"text": summary.read_text(), "json": json.loads((where / "r.json").read_text()), "proc": proc}


def test_run_appends_its_totals_and_each_cell_that_did_not_pass_with_its_cause(run_summary):
    text = run_summary["text"]
    assert text.startswith("earlier step\n## mpcheck "), "appended, never replacing the earlier steps'"
    doc = rendered(text)
    totals = run_summary["proc"].stdout.strip().splitlines()[-1]
    assert totals == "2 passed, 2 failed, 2 crashed"
    assert doc.find("strong").text == totals
    cells = {f"{c['scenario']}[{c['method']}]": c for c in run_summary["json"]["cells"]}
    rows = table_rows(doc)
    assert [r[0].split(" ")[0] for r in rows] == [
        "hostile_output[spawn]", "hostile_output[forkserver]", "sees_main_change[spawn]", "sees_main_change[forkserver]"
    ]  # fmt: skip
    for where, status, differs, cause in rows:
        cell = cells[where.split(" ")[0]]
        assert status == cell["status"].upper()
        assert differs == report.first_difference(cell)
        assert cause == (report.likely_cause(cell) or "–")
    assert "lambda" in rows[0][3] and rows[2][3] == "–", "a cause only where the cell's own output shows one"
    assert rows[2][2] == 'child_sees: expected "<u>main</u>", observed "<u>import</u>"'
    assert not doc.find_all("u") and not doc.find_all("script"), "what scenarios report is never markup"


def test_merge_appends_the_problems_and_the_whole_table_folded(tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    crash = {
        ("lambda_target", "spawn"): (
            "exit code 1",
            f"{HOSTILE_STDERR}\n_pickle.PicklingError: Can't pickle "
            "<function <lambda> at 0x7f>: attribute lookup <lambda> on __main__ failed",
        )
    }
    paths = [
        synthetic_report(tmp_path / "d.json", "darwin", "3.13.9", {("default_start_method", "spawn"): ("default", "x")}),  # noqa: E501
        synthetic_report(tmp_path / "w.json", "win32", "3.13.9", crashes=crash),
    ]  # fmt: skip
    assert merge.main(paths) == 1
    doc = rendered(summary.read_text())
    assert doc.find("h2").text == "mpcheck: every OS and Python"
    assert doc.find("strong").text == merge.summary_line(merge.load(paths))
    problems, whole = doc.find_all("table")
    rows = [[td.text for td in tr.children_of("td")] for tr in problems.find("tbody").children_of("tr")]
    assert rows[0][:3] == ["default_start_method[spawn] darwin · Python 3.13.9", "FAILED",
                           'default: expected "spawn", observed "x"']  # fmt: skip
    assert rows[1][:3] == ["lambda_target[spawn] win32 · Python 3.13.9", "CRASHED", "exit code 1"]
    assert rows[1][3].startswith("pickle sends a function to a spawn child by name, and a lambda has none")
    assert whole.parent is not None and whole.parent.tag == "details", "the whole table is folded"
    assert len(whole.find("tbody").children_of("tr")) == len(merge.load(paths).scenarios)


def test_a_summary_that_cannot_be_written_is_a_warning_not_a_failure(tmp_path):
    proc = mpcheck(
        "merge", str(synthetic_report(tmp_path / "d.json", "darwin", "3.13.9")),
        env=dict(os.environ, GITHUB_STEP_SUMMARY=str(tmp_path)),  # a folder
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.startswith("mpcheck: warning: $GITHUB_STEP_SUMMARY: cannot write"), proc.stderr


def test_lint_appends_its_findings(tmp_path):
    summary = tmp_path / "summary.md"
    files = ["logging_spawn_broken.py", "global_set_in_run_broken.py", "logging_spawn_fixed.py"]
    proc = mpcheck("lint", "--preview", *files, cwd=CORPUS, env=dict(os.environ, GITHUB_STEP_SUMMARY=str(summary)))
    assert proc.returncode == 1
    doc = rendered(summary.read_text())
    assert doc.find("strong").text == "2 findings in 2 files"
    found = json.loads(mpcheck("lint", "--preview", "--format", "json", *files, cwd=CORPUS).stdout)["findings"]
    assert table_rows(doc) == [
        [f"{f['path']}:{f['line']}:{f['col']}", f"{f['code']} {pitfalls.BY_CODE[f['code']].title}", f["message"]]
        for f in found
    ]
    clean = tmp_path / "clean.md"
    assert (
        mpcheck(
            "lint",
            "--preview",
            "logging_spawn_fixed.py",
            cwd=CORPUS,
            env=dict(os.environ, GITHUB_STEP_SUMMARY=str(clean)),
        ).returncode
        == 0
    )
    assert "**All checks passed** (1 file checked)" in clean.read_text()


def test_suite_summary_lists_the_tests_that_differ():
    from mpcheck.suite import reports

    doc = rendered(reports.step_summary([("", suite_report())]))
    assert doc.find("h2").text == "mpcheck suite · linux · Python 3.12.10"
    assert doc.find("strong").text == "3 tests: 1 agree, 2 differ"
    assert table_rows(doc) == [
        ["t.py::test_a", "passed", "FAILED", "FAILED", "under spawn: AssertionError: <b>x</b> | y", "MP101 A lambda"],
        ["t.py::test_b (flaky)", "passed", "passed", "FAILED", "under forkserver: AssertionError: <b>x</b> | y", "–"],
    ]
    assert not doc.find_all("b")


@BROKEN_EXECUTOR  # the pinned project's executor test fails there, and a failing suite exits 1
def test_suite_appends_its_summary_in_a_real_run(tmp_path):
    skip_unless_pth_and_all_methods()
    summary = tmp_path / "summary.md"
    done = suite("pinned", tmp_path, "--json", str(tmp_path / "r.json"), env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert done.returncode == 3, done.stdout + done.stderr  # nothing could differ (exit-codes.md)
    data = json.loads((tmp_path / "r.json").read_text())
    doc = rendered(summary.read_text())
    assert doc.find("strong").text == data["summary"]
    assert "Every test agrees under every start method." in doc.text


def test_sanitize_appends_its_hazards(tmp_path):
    if not pth_installed():
        pytest.skip("mpcheck is not installed in this environment (pip install .): its .pth hook is what watches")
    program = DATA / "sanitize_programs" / "executor_main_function_broken.py"
    summary = tmp_path / "summary.md"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MPCHECK_")}
    proc = mpcheck(
        "sanitize", "--json", str(tmp_path / "s.json"), "--", sys.executable, str(program), cwd=tmp_path,
        env=dict(env, GITHUB_STEP_SUMMARY=str(summary)),
    )  # fmt: skip
    assert proc.returncode == 1, proc.stdout + proc.stderr
    hazards = json.loads((tmp_path / "s.json").read_text())["hazards"]
    doc = rendered(summary.read_text())
    assert doc.find("strong").text.startswith(f"{len(hazards)} hazard(s)")
    assert table_rows(doc) == [
        [h["location"], f"{h['code']} {h['title']}", ", ".join(h["methods"]), h["evidence"], h["fix"]] for h in hazards
    ]
    assert "exited 0" in doc.find("p").text, "the command's own exit code, as sanitize reports it"


# --- Markdown that stays text --------------------------------------------------------------------

NASTY = ["a | b", "<script>x</script>", "`code` and ``two``", "*bold* _it_ [link](http://x) ~~s~~", "&amp; \\ end\\"]


@pytest.mark.parametrize("text", NASTY)
def test_md_text_and_md_code_stay_text_in_a_table_cell(text):
    md = f"| a | b |\n| --- | --- |\n| {github.md_text(text)} | {github.md_code(text, table=True)} |\n"
    doc = rendered(md)
    (row,) = table_rows(doc)
    assert row == [text, text]
    assert [
        n.tag
        for n in doc.iter()
        if n.tag not in ("#document", "div", "table", "thead", "tbody", "tr", "th", "td", "code")
    ] == []


def test_fence_cannot_be_closed_by_its_text():
    text = "```\n<script>x</script>\n````"
    doc = rendered(github.fence(text) + "\nafter\n")
    assert doc.find("code").text == text + "\n" and doc.find("p").text == "after"


# --- annotations ---------------------------------------------------------------------------------

#: workflow command syntax, as GitHub's toolkit documents and writes it (actions/toolkit, command.ts)
COMMAND = re.compile(r"^::(?P<cmd>error|warning|notice)(?: (?P<props>[^:]*))?::(?P<message>[^\r\n]*)$")


def unescape(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def parse_command(line: str) -> Dict[str, str]:
    found = COMMAND.match(line)
    assert found, line
    props = dict(p.split("=", 1) for p in found["props"].split(",")) if found["props"] else {}
    assert all(":" not in v and "," not in v for v in props.values()), line
    assert not re.search(r"%(?!25|0D|0A|3A|2C)", found["message"]), "every % escaped"
    return {"cmd": found["cmd"], "message": unescape(found["message"]), **{k: unescape(v) for k, v in props.items()}}


def test_annotation_escapes_as_documented():
    line = github.annotation("error", "50% done\r\nnext: a,b", "dir/a:b,c.py", 3, 7, "MP101: x, y")
    assert line == "::error file=dir/a%3Ab%2Cc.py,line=3,col=7,title=MP101%3A x%2C y::50%25 done%0D%0Anext: a,b"
    assert parse_command(line) == {
        "cmd": "error", "message": "50% done\r\nnext: a,b", "file": "dir/a:b,c.py", "line": "3", "col": "7",
        "title": "MP101: x, y",
    }  # fmt: skip
    with pytest.raises(ValueError):
        github.annotation("fatal", "x")


def test_lint_github_format_is_one_annotation_per_finding_on_its_line(tmp_path):
    files = ["logging_spawn_broken.py", "global_set_in_run_broken.py", "nested_pool_broken.py"]
    found = json.loads(mpcheck("lint", "--preview", "--format", "json", *files, cwd=CORPUS).stdout)["findings"]
    proc = mpcheck("lint", "--preview", "--format", "github", *files, cwd=CORPUS)
    assert proc.returncode == 1 and proc.stderr == ""
    commands = [parse_command(line) for line in proc.stdout.splitlines()]
    assert len(commands) == len(found) == 3
    for command, f in zip(commands, found):
        pitfall = pitfalls.BY_CODE[f["code"]]
        assert command == {
            "cmd": "error", "file": f["path"], "line": str(f["line"]), "col": str(f["col"]),
            "title": f"mpcheck {f['code']}: {pitfall.title}",
            "message": f"{f['code']} {f['message']}\nFix: {pitfall.fix}",
        }  # fmt: skip
    # a file given by an absolute path is named relative to the working folder, as GitHub wants
    absolute = mpcheck("lint", "--preview", "--format", "github", str(CORPUS / files[0]), cwd=ROOT)
    assert parse_command(absolute.stdout.splitlines()[0])["file"] == f"tests/data/lint_corpus/{files[0]}"
    assert mpcheck("lint", "--preview", "--format", "github", "logging_spawn_fixed.py", cwd=CORPUS).stdout == ""


# --- progress on a terminal, and only there ------------------------------------------------------


def on_a_terminal(args: Sequence[str], cwd: Path, env: Dict[str, str], timeout: float = 300) -> str:
    """Run ``mpcheck ARGS`` with stderr on a pseudo-terminal; what it drew there."""
    pty = pytest.importorskip("pty", reason="pseudo-terminals are POSIX's")
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mpcheck", *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=slave,
        env=dict(os.environ, TERM="xterm", COLUMNS="120", **env),
    )  # fmt: skip
    os.close(slave)
    out, deadline = b"", time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the other end closed
                    break
                if not chunk:
                    break
                out += chunk
            elif proc.poll() is not None:
                break
    finally:
        os.close(master)
        proc.kill() if proc.poll() is None else None
        proc.wait()
    return out.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """A large tree for lint: 250 small files."""
    from mpcheck.lint.command import PROGRESS_FILES

    where = tmp_path_factory.mktemp("tree")
    for i in range(PROGRESS_FILES + 50):
        (where / f"m{i:03}.py").write_text(f"def f{i}():\n    return {i}\n")
    return where


def test_lint_shows_progress_on_a_large_tree_on_a_terminal_only(tree):
    drawn = on_a_terminal(["lint", "--preview", "."], tree, {})
    assert "mpcheck lint" in drawn and "/250" in drawn, drawn[-500:]
    piped = mpcheck("lint", "--preview", ".", cwd=tree)
    assert piped.returncode == 0 and piped.stderr == ""
    assert piped.stdout.splitlines()[:2] == [
        "All checks passed!",
        "250 files seen: 0 use a process library (0 analysed), 250 use none, 0 skipped.",
    ]


@BROKEN_EXECUTOR  # the pinned project's executor test fails there, and a failing suite exits 1
def test_suite_shows_per_method_progress_on_a_terminal_only(tmp_path):
    skip_unless_pth_and_all_methods()
    env = {"PYTHONPATH": SOURCE_ROOT}
    project = shutil.copytree(PROJECTS / "pinned", tmp_path / "pinned")
    drawn = on_a_terminal(["suite", "--", "-p", "no:cacheprovider"], project, env)
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", drawn)  # one bar: "spawn      ━━━━━━ 2/3 tests"
    counts = re.findall(r"\b(fork|spawn|forkserver) +[━╸╺]+ (\d+)/(\d+) tests", plain)
    assert {m for m, _, _ in counts} == {"fork", "spawn", "forkserver"}, drawn[-800:]
    assert all(int(done) <= int(total) for _, done, total in counts)
    piped = mpcheck("suite", "--", "-p", "no:cacheprovider", cwd=project, env=dict(os.environ, **env))
    assert piped.returncode == 3 and piped.stderr == "", piped.stderr  # nothing could differ there


def test_run_shows_nothing_off_a_terminal():
    proc = mpcheck("run", "--scenario", "process_basics", "--method", "fork")
    assert proc.returncode == 0 and proc.stderr == ""
    drawn = on_a_terminal(["run", "--scenario", "process_basics"], ROOT, {})
    assert "mpcheck" in drawn, drawn
