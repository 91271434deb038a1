"""The docs check (docs/check_samples.py, ``nox -s docs``) itself, and that CI runs what the README says."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs"))
import check_samples  # noqa: E402


def test_ci_runs_exactly_the_readmes_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^python3 -m pip install nox && (python3 -m nox -s [^#\n]*?)\s*(?:#.*)?$", readme, re.M)
    assert len(commands) == 2 and "scenarios" in commands[0], commands
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert ci[-1].strip() == commands[1]


@pytest.mark.parametrize(
    ("expected", "actual", "same"),
    [
        (["a", "...", "z"], ["a", "b", "c", "z"], True),
        (["a", "...", "z"], ["a", "z"], True),
        (["a", "...", "z"], ["a", "b"], False),
        (["took 1.25 s", "Python 3.11.7"], ["took 3 s", "Python 3.11.9"], True),
        (["wrote /tmp/x/r.json"], ["wrote /tmp/pytest-7/r.json"], True),
        (["x"], ["y"], False),
    ],
)
def test_mismatch_understands_trimmed_lines_times_and_versions(expected, actual, same):
    assert (check_samples.mismatch(expected, actual) is None) is same


def test_blocks_read_commands_outputs_exit_notes_and_directives(tmp_path):
    doc = tmp_path / "d.md"
    doc.write_text(
        "```text\n$ echo hi\nhi\n$ false\n```\n\n"
        "<!-- sample: skip: needs the network -->\n```bash\ncurl x\n```\n\n"
        "<!-- sample: env A=1 B=2 -->\n```bash\n# a comment\nmpcheck lint bad.py   # exit 1\n```\n",
        encoding="utf-8",
    )
    sample, skipped, bash = check_samples.blocks(doc)
    assert [(c.text, c.expected) for c in sample.commands] == [("echo hi", ["hi"]), ("false", [])]
    assert skipped.skip == "needs the network"
    assert bash.env == {"A": "1", "B": "2"} and [(c.text, c.exit_code) for c in bash.commands] == [
        ("mpcheck lint bad.py   # exit 1", 1)
    ]


def test_a_block_runs_in_order_and_reports_what_differs(tmp_path):
    doc = tmp_path / "d.md"
    doc.write_text("```text\n$ echo one; (exit 3)\none\n$ echo $?\n3\n$ echo two\nthree\n```\n", encoding="utf-8")
    (block,) = check_samples.blocks(doc)
    block.doc = check_samples.ROOT / "d.md"
    problems = check_samples.check(block, tmp_path, tmp_path)
    assert len(problems) == 1 and "`echo two` prints something else" in problems[0] and "+two" in problems[0]


def test_a_bash_commands_comment_is_checked_against_its_output(tmp_path):
    """Issue 33: README said the probe points at logging_job.py:30 while it printed :19, and the check passed
    it (exit code only). Now each `quoted` text and file.py:LINE of the comment must be printed, and a command
    whose comment claims nothing about its output is a problem."""
    doc = tmp_path / "doc.md"
    doc.write_text(
        "```bash\n"
        "echo 'where: job.py:19'   # exit 0: names `where:` at job.py:30\n"
        "echo 'where: job.py:19'   # names `where:`,\n"
        "                          # at job.py:19\n"
        "echo quiet\n"
        "```\n"
    )
    (block,) = check_samples.blocks(doc)
    block.doc = check_samples.ROOT / "doc.md"
    assert [c.claims for c in block.commands] == [["where:", "job.py:30"], ["where:", "job.py:19"], []]
    problems = check_samples.check(block, tmp_path, tmp_path)
    assert len(problems) == 2, problems
    assert "the comment says `job.py:30`, the output does not" in problems[0]
    assert "`echo quiet`: checked on its exit code only" in problems[1]
