"""What the rest of mpcheck uses of the linter: :func:`check_source` (one file) and :func:`check_program`
(a tree, as one program) with every rule registered."""

from __future__ import annotations

from . import rules as _rules  # noqa: F401  (registers the rules)
from .core import PREVIEW, RULES, AnalysisError, Finding, ParseError, Report, check_program, check_source
from .program import SourceFile

__all__ = [
    "PREVIEW", "RULES", "AnalysisError", "Finding", "ParseError", "Report", "SourceFile", "check_program",
    "check_source",
]  # fmt: skip
