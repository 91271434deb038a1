"""Every command's --help says what it does, each option with its default, the exit codes, and the doc to read."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from mpcheck.cli import COMMANDS, build_parser

ROOT = Path(__file__).resolve().parent.parent


def subparsers() -> dict:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_has_a_parser():
    assert set(subparsers()) == set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_says_what_exit_codes_and_where_to_read_more(name):
    sub = subparsers()[name]
    text = sub.format_help()
    assert sub.description and len(sub.description) > 40, text
    assert "exit codes: 0 " in text and " 2 bad input" in text, text
    docs = re.findall(r"(?:docs/[\w.-]+\.md|README\.md)", text.split("more:", 1)[1])
    assert docs, text
    for doc in docs:
        assert (ROOT / doc).is_file(), f"{name} --help points to {doc}, which does not exist"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_option_says_its_default(name):
    for action in subparsers()[name]._actions:
        if isinstance(action, argparse._HelpAction) or action.nargs == 0 or action.dest == "explain":
            continue  # flags are off unless given; --explain is an action of its own
        assert action.help, f"{name} {action.option_strings or action.dest}: no help"
        if action.option_strings or action.nargs in ("*", "...", argparse.REMAINDER):
            assert "default" in action.help, f"{name} {action.option_strings or action.dest}: {action.help!r}"


def test_lint_select_help_says_which_rules_run_by_default():
    """--select's default is the stable rules; its help says there are none only while that is so."""
    from mpcheck.lint import rules  # noqa: F401 (registers the rules)
    from mpcheck.lint.core import PREVIEW, RULES

    assert RULES
    (select,) = [a for a in subparsers()["lint"]._actions if "--select" in a.option_strings]
    assert "the stable rules" in select.help
    assert ("none yet" in select.help) == (set(RULES) <= PREVIEW)
