"""``mpcheck lint --explain MP101``: the rule, why it breaks under which methods and versions, the fix,
and the docstring of each proving scenario (read from its file with ``ast``; nothing is run).
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path
from typing import List, Optional, Tuple

from .. import pitfalls
from ..errors import UsageError
from ..expect import AVAILABLE

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
#: Where the ``breaks`` table is resolved for the explanation: every platform, at the versions where
#: the catalog's expectations change.
POINTS: Tuple[Tuple[str, str], ...] = (
    ("linux", "3.12"),
    ("linux", "3.13"),
    ("linux", "3.14"),
    ("darwin", "3.13"),
    ("win32", "3.13"),
)


def scenario_doc(scenario_id: str, folder: Path = SCENARIOS) -> Optional[str]:
    """The docstring of catalog scenario ``scenario_id``, or None if the file is absent."""
    try:
        tree = ast.parse((folder / f"{scenario_id}.py").read_bytes())
    except (OSError, SyntaxError):
        return None
    return ast.get_docstring(tree)


def where_it_breaks(pitfall: pitfalls.Pitfall) -> List[str]:
    rows = []
    for platform, version in POINTS:
        methods = [m for m in pitfall.broken_methods(platform, version) if m in AVAILABLE[platform]]
        rows.append(f"  {platform:<6} {version:<5} {', '.join(methods) if methods else '-'}")
    return rows


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=100, initial_indent="  ", subsequent_indent="  ")


def explain(code: str) -> str:
    pitfall = pitfalls.get(code)
    if pitfall is None:
        raise UsageError(f"unknown rule {code!r} (rules: {', '.join(p.code for p in pitfalls.PITFALLS)})")
    out = [f"{pitfall.code} ({pitfall.name}): {pitfall.title}", "", "Why it breaks:", _wrap(pitfall.why), ""]
    out.append("Start methods it breaks under (platform, Python):")
    out += where_it_breaks(pitfall)
    if pitfall.versions:
        out.append(_wrap(pitfall.versions))
    out += ["", "Fix:", _wrap(pitfall.fix), ""]
    for sid in pitfall.scenarios:
        doc = scenario_doc(sid)
        out.append(f"Proved by scenario {sid} (mpcheck run --scenario {sid}):")
        out += [f"  {line}".rstrip() for line in (doc or "(scenario file not found)").splitlines()]
        out.append("")
    return "\n".join(out).rstrip() + "\n"
