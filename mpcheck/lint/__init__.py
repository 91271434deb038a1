"""``mpcheck lint``: find the start-method pitfalls of :mod:`mpcheck.pitfalls` in code before it runs.

Stdlib ``ast`` only. :mod:`.model` reads one module into the facts rules share, :mod:`.rules` holds one
rule per pitfall, :mod:`.core` runs them on a file; :mod:`.discover`, :mod:`.config`, :mod:`.output`
and :mod:`.explain` serve the command (:mod:`.command`).
"""

from __future__ import annotations

from . import rules as _rules  # noqa: F401  (registers the rules)
from .core import RULES, Finding, ParseError, check_source

__all__ = ["RULES", "Finding", "ParseError", "check_source"]
