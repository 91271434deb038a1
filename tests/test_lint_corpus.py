"""``mpcheck lint`` on programs it was not written against: broken programs modelled on public bug reports
(each file's docstring names the reports) and their fixed twins. Every broken one is flagged with the
rule of its pitfall, on the marked line; no fixed one gets any finding."""

from __future__ import annotations

import pytest
from support import DATA
from support.lint_marks import findings, marks

CORPUS = DATA.resolve() / "lint_corpus"
BROKEN = sorted(CORPUS.glob("*_broken.py"))


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_program_is_flagged_on_its_marked_lines(path):
    source = path.read_text(encoding="utf-8")
    assert marks(source), f"{path.name} has no '# lint:' mark"
    assert findings(source, str(path)) == marks(source)


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem.replace("_broken", "_fixed") for p in BROKEN])
def test_fixed_twin_is_clean(path):
    twin = path.with_name(path.name.replace("_broken", "_fixed"))
    source = twin.read_text(encoding="utf-8")
    assert not marks(source)
    assert findings(source, str(twin)) == set()
