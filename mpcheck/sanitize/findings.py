"""What the sanitizer's hooks wrote, read back: one hazard per (pitfall, place), tied to the pitfall table.

Each watched process appended JSON lines to ``findings-PID.jsonl`` in the run's folder (see
:mod:`.hook`): a ``process`` line when it started, a ``hazard`` line per hazard it saw. Here they are
merged (a hazard seen by ten Pool workers is one hazard, with the tests that caused it), given their
pitfall's title and fix and the start methods it breaks on this platform and Python, and shown.
A hazard whose pitfall breaks no method here, or every method (a bug, not a difference), is dropped.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from ..expect import METHODS
from ..pitfalls import BY_CODE, Pitfall

FORMAT = "mpcheck-sanitize/1"


@dataclass
class Hazard:
    """One hazard: what the other start methods would do differently, where, and why."""

    pitfall: Pitfall
    path: str
    line: int
    evidence: str
    methods: Tuple[str, ...]
    start: Optional[Tuple[str, int]] = None
    nodeids: List[str] = field(default_factory=list)
    processes: int = 1

    # what mpcheck.diagnose needs of a finding (as of a lint finding): code, path, line, message
    @property
    def code(self) -> str:
        return self.pitfall.code

    @property
    def message(self) -> str:
        return self.evidence

    @property
    def scenario(self) -> str:
        return self.pitfall.scenarios[0]

    def shown(self, relative_to: Optional[str] = None) -> Hazard:
        """This hazard with its paths as the user would name them (relative to ``relative_to``)."""
        start = (_shown(self.start[0], relative_to), self.start[1]) if self.start else None
        return Hazard(self.pitfall, _shown(self.path, relative_to), self.line, self.evidence, self.methods, start,
                      list(self.nodeids), self.processes)  # fmt: skip

    def where(self, relative_to: Optional[str] = None) -> str:
        return f"{_shown(self.path, relative_to)}:{self.line}"

    def to_json(self, relative_to: Optional[str] = None) -> Dict[str, Any]:
        return {
            "code": self.code,
            "title": self.pitfall.title,
            "scenario": self.scenario,
            "scenarios": list(self.pitfall.scenarios),
            "methods": list(self.methods),
            "evidence": self.evidence,
            "location": self.where(relative_to),
            "start": f"{_shown(self.start[0], relative_to)}:{self.start[1]}" if self.start else None,
            "fix": self.pitfall.fix,
            "tests": self.nodeids,
            "processes": self.processes,
        }


@dataclass
class Observed:
    """A watched run: how many Python processes were watched, and the hazards they saw."""

    processes: int = 0
    hazards: List[Hazard] = field(default_factory=list)

    def for_test(self, nodeid: str) -> List[Hazard]:
        return [h for h in self.hazards if nodeid in h.nodeids]


def _shown(path: str, relative_to: Optional[str]) -> str:
    if relative_to is None:
        return path
    try:
        shown = os.path.relpath(path, relative_to)
    except ValueError:  # another drive (Windows)
        return path
    return path if shown.startswith("..") else shown


def _records(folder: Union[str, Path]) -> List[Dict[str, Any]]:
    found = []
    for path in sorted(Path(folder).glob("findings-*.jsonl")):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError:
            continue
        for line in lines:
            try:
                data = json.loads(line)
            except ValueError:
                continue  # a line cut by a kill
            if isinstance(data, dict):
                found.append(data)
    return found


def read(folder: Union[str, Path], platform: str, version: Union[str, Tuple[int, ...]]) -> Observed:
    """Every hazard the watched processes wrote into ``folder``, merged and tied to its pitfall."""
    observed = Observed()
    merged: Dict[Tuple[str, str, int], Hazard] = {}
    pids: Dict[Tuple[str, str, int], set] = {}
    for record in _records(folder):
        if record.get("kind") == "process":
            observed.processes += 1
            continue
        pitfall = BY_CODE.get(str(record.get("code")))
        if record.get("kind") != "hazard" or pitfall is None:
            continue
        seen_in = record.get("python")  # the watched Python's version, which may not be mpcheck's own
        broken = pitfall.broken_methods(platform, tuple(seen_in) if seen_in else version, record.get("context"))
        methods = tuple(m for m in METHODS if m in broken)
        if not methods or set(methods) == set(METHODS):
            continue
        key = (pitfall.code, str(record.get("file")), int(record.get("line") or 0))
        hazard = merged.get(key)
        if hazard is None:
            start = record.get("start")
            hazard = merged[key] = Hazard(
                pitfall,
                key[1],
                key[2],
                str(record.get("evidence") or ""),
                methods,
                (str(start[0]), int(start[1])) if isinstance(start, list) and len(start) == 2 else None,
            )
            pids[key] = set()
        nodeid = record.get("nodeid")
        if nodeid and nodeid not in hazard.nodeids:
            hazard.nodeids.append(str(nodeid))
        pids[key].add(record.get("pid"))
        hazard.processes = len(pids[key])
    observed.hazards = sorted(merged.values(), key=lambda h: (h.path, h.line, h.code))
    return observed


def tests_named(nodeids: Sequence[str]) -> List[Tuple[str, int]]:
    """The tests, each parametrization named: ``test_x.py::test_y[1, 2, 4]`` (and how many nodeids each
    name stands for), in the order first seen."""
    groups: Dict[str, List[str]] = {}
    for nodeid in nodeids:
        base, bracket, params = nodeid.partition("[")
        ids = groups.setdefault(base if bracket and params.endswith("]") else nodeid, [])
        if bracket and params.endswith("]"):
            ids.append(params[:-1])
    return [(f"{base}[{', '.join(ids)}]" if ids else base, max(1, len(ids))) for base, ids in groups.items()]


def describe(h: Hazard, relative_to: Optional[str] = None) -> List[str]:
    """A hazard in lines: the pitfall and the methods it breaks, then where, evidence, tests, fix, proof."""
    lines = [f"{h.code} {h.pitfall.title}  (breaks under {', '.join(h.methods)})"]
    lines.append(f"  where:    {h.where(relative_to)}")
    if h.start and (h.start[0], h.start[1]) != (h.path, h.line):
        lines.append(f"  started:  {_shown(h.start[0], relative_to)}:{h.start[1]}")
    lines.append(f"  evidence: {h.evidence}")
    if h.nodeids:  # every test named: a "+N more" would leave the user to find the others
        names = [name for name, _ in tests_named(h.nodeids)]
        if len(names) <= 3:
            lines.append(f"  tests:    {', '.join(names)}")
        else:
            lines.append(f"  tests:    {names[0]},")
            lines.extend(f"            {name}{',' if i < len(names) - 2 else ''}" for i, name in enumerate(names[1:]))
    lines.append(f"  fix:      {h.pitfall.fix}")
    lines.append(f"  proven by the catalog's {', '.join(h.pitfall.scenarios)} (mpcheck run --scenario {h.scenario})")
    return lines


def show(console: Any, hazards: Sequence[Hazard], relative_to: Optional[str] = None) -> None:
    from rich.text import Text

    for h in hazards:
        first, *rest = describe(h, relative_to)
        console.print(Text(first, style="bold"), highlight=False)
        for line in rest:
            console.print(line, markup=False, highlight=False)
