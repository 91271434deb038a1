"""``mpcheck list --platform P --python X.Y``: what the catalog expects anywhere, offline.

Nothing runs: every scenario's ``EXPECT`` is resolved for the platform, Python, implementation and build
asked for, as a run there would resolve it. A Python given without its patch level (``3.13``) may span a
patch release that changed an expectation (``since("3.13.8", ...)``): such a cell is shown once per range
of patch releases that expect the same (``3.13.0-3.13.7``, ``3.13.8+``). A PyPy fact that depends on
PyPy's own release (``pypy_since``) needs ``--implementation-version``; without it the fact says so.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from ..expect import Expect, ExpectationError, Matcher, Resolved, describe, parse_version
from . import provenance
from .load import Scenario

FORMAT = "mpcheck-expectations/1"
#: patch releases scanned when a Python is given as X.Y (3.13 had 11 in its first year)
PATCHES = range(0, 40)
NEEDS_IMPL_VERSION = "depends on PyPy's own release: give --implementation-version"


def _resolve(expect: Expect, method: str, where: Tuple[str, Tuple[int, ...], str, Optional[str], bool]) -> Resolved:
    """``expect`` resolved there; a fact that needs PyPy's own version (not given) says so instead."""
    platform, version, impl, impl_version, free = where
    try:
        return expect.resolve(method, platform, version, impl, impl_version, free)
    except ExpectationError:
        if impl_version is not None:
            raise
    facts: Dict[str, Any] = {}
    for name, value in expect.facts.items():
        try:
            one = Expect({name: value}, requires=expect.requires).resolve(method, platform, version, impl, None, free)
        except ExpectationError as exc:
            if "own version" not in str(exc):
                raise
            facts[name] = NEEDS_IMPL_VERSION
            continue
        facts.update(one.facts)
    return Resolved(facts)


def _plain(resolved: Resolved) -> Dict[str, Any]:
    return {
        "resolved": resolved.facts,
        "unavailable": resolved.unavailable,
        "expected": {k: describe(v) for k, v in resolved.facts.items()},
        "loose": sorted(k for k, v in resolved.facts.items() if isinstance(v, Matcher)),
    }


def _same(one: Dict[str, Any], other: Dict[str, Any]) -> bool:
    return all(one[k] == other[k] for k in ("unavailable", "expected", "loose"))


def _ranges(python: str, per_patch: List[Dict[str, Any]]) -> List[Tuple[str, Dict[str, Any]]]:
    """Consecutive patch releases that expect the same, as ``("3.13.0-3.13.7", cell)``; one range: ``python``."""
    groups: List[Tuple[int, int, Dict[str, Any]]] = []
    for patch, cell in zip(PATCHES, per_patch):
        if groups and _same(groups[-1][2], cell):
            groups[-1] = (groups[-1][0], patch, cell)
        else:
            groups.append((patch, patch, cell))
    if len(groups) == 1:
        return [(python, groups[0][2])]
    out = []
    for i, (first, last, cell) in enumerate(groups):
        if i == len(groups) - 1:
            out.append((f"{python}.{first}+", cell))
        elif first == last:
            out.append((f"{python}.{first}", cell))
        else:
            out.append((f"{python}.{first}-{python}.{last}", cell))
    return out


def expectations(
    scenarios: Iterable[Scenario],
    methods: Sequence[str],
    platform: str,
    python: str,
    impl: str,
    impl_version: Optional[str],
    free_threaded: bool,
) -> List[Dict[str, Any]]:
    """One entry per (scenario, method[, range of patch releases]): ``scenario``, ``method``, ``python``,
    ``status`` (``expected`` or ``unavailable``), ``detail``, ``expected`` (fact -> value or a matcher's
    description), ``loose`` (the facts asserted by a matcher) and ``provenance`` (fact -> where its
    expectation comes from: :func:`mpcheck.catalog.provenance.provenance`)."""
    version = parse_version(python)
    versions = [version] if len(version) == 3 else [(*version[:2], p) for p in PATCHES]
    minor = ".".join(map(str, version[:2]))
    cells: List[Dict[str, Any]] = []
    for scenario in scenarios:
        for method in methods:
            per_patch = [
                _plain(_resolve(scenario.expect, method, (platform, v, impl, impl_version, free_threaded)))
                for v in versions
            ]
            spans = [(python, per_patch[0])] if len(versions) == 1 else _ranges(minor, per_patch)
            for span, cell in spans:
                unavailable = cell["unavailable"]
                origin = {
                    fact: provenance.provenance(scenario.id, method, platform, impl, minor, fact, value)
                    for fact, value in cell["resolved"].items()
                }
                cells.append(
                    {
                        "scenario": scenario.id,
                        "method": method,
                        "python": span,
                        "status": "unavailable" if unavailable is not None else "expected",
                        "detail": unavailable or "",
                        "expected": cell["expected"],
                        "loose": cell["loose"],
                        "provenance": origin,
                    }
                )
    return cells


def text(cells: List[Dict[str, Any]], summaries: Dict[str, str], python: str) -> str:
    """The entries for a reader: each scenario with its summary, then each method's facts, one a line."""
    import json

    lines: List[str] = []
    current = None
    for cell in cells:
        if cell["scenario"] != current:
            current = cell["scenario"]
            if lines:
                lines.append("")
            lines.append(f"{current}: {summaries.get(current, '')}".rstrip(": "))
        where = f"  {cell['method']}" + (f" on {cell['python']}" if cell["python"] != python else "")
        if cell["status"] == "unavailable":
            lines.append(f"{where}: unavailable ({cell['detail']})")
            continue
        origins = {name: provenance.describe_provenance(p) for name, p in cell["provenance"].items()}
        common = next(iter(origins.values())) if len(set(origins.values())) == 1 else None
        lines.append(f"{where}:" + (f" ({common})" if common else ""))
        for name, value in cell["expected"].items():
            shown = value if name in cell["loose"] or value == NEEDS_IMPL_VERSION else json.dumps(value)
            lines.append(f"    {name}: {shown}" + ("" if common else f"  ({origins[name]})"))
    return "\n".join(lines)
