"""The one table of exit codes (mpcheck.errors.EXIT_CODES): each command's --help shows it, each command
module's docstring points to it instead of restating it, docs/exit-codes.md is it, word for word."""

from __future__ import annotations

import argparse
import importlib
import re
from pathlib import Path

import pytest

from mpcheck.cli import COMMANDS, build_parser
from mpcheck.errors import EXIT_CODES, exit_codes_text

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "exit-codes.md"
BEGIN, END = "<!-- exit-codes: begin (made from mpcheck.errors.EXIT_CODES) -->", "<!-- exit-codes: end -->"

#: the module whose docstring each table entry belongs to
MODULES = {
    "list": "mpcheck.catalog.command",
    "run": "mpcheck.catalog.command",
    "merge": "mpcheck.catalog.merge",
    "probe": "mpcheck.probe",
    "suite": "mpcheck.suite.command",
    "sanitize": "mpcheck.sanitize.command",
    "lint": "mpcheck.lint.command",
    "pytest --mp-sanitize": "mpcheck.pytest_plugin",
    "pytest --mp-start-method": "mpcheck.pytest_plugin",
}


def markdown() -> str:
    """The table as docs/exit-codes.md shows it."""
    lines = ["| command | exit code | when |", "| --- | --- | --- |"]
    for command, rows in EXIT_CODES.items():
        shown = command if command.startswith("pytest") else f"mpcheck {command}"
        for code, meaning in rows:
            lines.append(f"| `{shown}` | {code} | {meaning} |")
    return "\n".join(lines)


def _words(text: str) -> str:
    return " ".join(text.split())


def test_every_command_and_the_plugin_are_in_the_table():
    assert set(COMMANDS) | {"pytest --mp-sanitize", "pytest --mp-start-method"} == set(EXIT_CODES)
    assert set(MODULES) == set(EXIT_CODES)
    for command, rows in EXIT_CODES.items():
        codes = [code for code, _ in rows]
        assert codes == sorted(set(codes)), command
        assert codes[0] == 0, command


def test_the_doc_is_the_table():
    text = DOC.read_text(encoding="utf-8")
    assert BEGIN in text and END in text
    shown = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert shown == markdown(), "docs/exit-codes.md differs from mpcheck.errors.EXIT_CODES; paste:\n" + markdown()
    assert "docs/exit-codes.md" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_shows_the_table(name):
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    text = _words(action.choices[name].format_help())
    assert _words(f"exit codes: {exit_codes_text(name)}") in text


@pytest.mark.parametrize("command", sorted(MODULES))
def test_module_docstring_points_to_the_table_and_restates_nothing(command):
    doc = importlib.import_module(MODULES[command]).__doc__ or ""
    assert f'EXIT_CODES["{command}"]' in doc, (MODULES[command], command)
    # no sentence of its own that gives codes ("0 ...", "exit codes: 0 ..."): the table is the one place
    assert not re.search(r"[Ee]xit codes?[^.`]*?:\s*\d", doc.replace("exit codes: ``", "")), doc
