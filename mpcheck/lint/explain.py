"""``mpcheck lint --explain MP101``: the rule, why it breaks under which methods and versions, the fix,
and the docstring of each proving scenario (read from its file with ``ast``; nothing is run).
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path
from typing import List, Optional, Tuple

from .. import methods, pitfalls
from ..errors import UsageError

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def scenario_doc(scenario_id: str, folder: Path = SCENARIOS) -> Optional[str]:
    """The docstring of catalog scenario ``scenario_id``, or None if the file is absent."""
    try:
        tree = ast.parse((folder / f"{scenario_id}.py").read_bytes())
    except (OSError, SyntaxError):
        return None
    return ast.get_docstring(tree)


def where_it_breaks(pitfall: pitfalls.Pitfall) -> List[str]:
    """The methods ``pitfall`` breaks under on each platform: a row for the oldest supported Python, then one
    for each release from which they differ. The releases looked at are :func:`mpcheck.methods.sample_versions`
    (each side of every version boundary of a start-method fact), so a new boundary there shows up here."""
    rows: List[Tuple[str, str, str]] = []
    for platform in methods.PLATFORMS:
        before: Optional[List[str]] = None
        for version in methods.sample_versions():
            broken = [m for m in pitfall.broken_methods(platform, version) if m in methods.AVAILABLE[platform]]
            if broken != before:
                spelled = ".".join(map(str, version[:2] if version[2:] == (0,) else version))
                rows.append((platform, spelled, ", ".join(broken) if broken else "-"))
                before = broken
    width = max([5, *(len(version) for _, version, _ in rows)])
    return [f"  {platform:<6} {version:<{width}} {broken}" for platform, version, broken in rows]


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=100, initial_indent="  ", subsequent_indent="  ")


def explain(code: str) -> str:
    pitfall = pitfalls.get(code)
    if pitfall is None:
        raise UsageError(f"unknown rule {code!r} (rules: {', '.join(p.code for p in pitfalls.PITFALLS)})")
    out = [f"{pitfall.code} ({pitfall.name}): {pitfall.title}", "", "Why it breaks:", _wrap(pitfall.why), ""]
    out.append("Start methods it breaks under (platform, from Python on):")
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
