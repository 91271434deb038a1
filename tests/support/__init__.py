"""What the test files share that is not a fixture (the fixtures are in tests/conftest.py): helper modules,
and where the test data lives (``tests/data/``: programs, scenarios and example projects the tests run)."""

from __future__ import annotations

from pathlib import Path

#: the tests folder
TESTS = Path(__file__).parent.parent
#: programs, scenarios and example projects the tests run (never collected: pyproject's norecursedirs)
DATA = TESTS / "data"
