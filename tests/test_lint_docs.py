"""docs/lint.md's rule reference is generated from mpcheck.pitfalls and is current; every documented
example is flagged with exactly its rule, and every documented fix is clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from mpcheck.lint import docs
from mpcheck.lint.api import RULES, check_source
from mpcheck.lint.examples import EXAMPLES

DOC = Path(__file__).resolve().parent.parent / "docs" / "lint.md"  # the checkout's, mpcheck may be installed


def test_rule_reference_in_docs_is_current():
    text = DOC.read_text(encoding="utf-8")
    assert docs.BEGIN in text and docs.END in text
    assert text == docs.updated(text), "run: python -m mpcheck.lint.docs --write"


def test_every_rule_has_an_example():
    assert set(EXAMPLES) == set(RULES)


@pytest.mark.parametrize("code", sorted(EXAMPLES))
def test_example_is_flagged_and_its_fix_is_clean(code):
    bad, good = EXAMPLES[code]
    assert {f.code for f in check_source(bad.encode(), "example.py")} == {code}
    assert check_source(good.encode(), "example.py") == []
