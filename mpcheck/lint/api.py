"""What the rest of mpcheck uses of the linter: :func:`check_source` with every rule registered."""

from __future__ import annotations

from . import rules as _rules  # noqa: F401  (registers the rules)
from .core import RULES, Finding, ParseError, check_source

__all__ = ["RULES", "Finding", "ParseError", "check_source"]
