"""What a cell's run came to: :class:`CellResult`, the record every report of a run reads."""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List

from ..runtime import current_platform, implementation_name, implementation_version, python_version

STATUSES = ("passed", "failed", "unavailable", "timeout", "crashed", "interrupted")
#: statuses that fail a run (and a merged matrix)
BAD = ("failed", "timeout", "crashed", "interrupted")
#: after the status of a cell whose expectation (a fact of it) was never observed on its platform, only derived
DERIVED_MARK = " *"


@dataclass
class CellResult:
    scenario: str
    method: str
    status: str
    platform: str = field(default_factory=current_platform)
    python: str = field(default_factory=python_version)
    sys_version: str = sys.version
    #: ``sys.implementation.name`` and the implementation's own version (PyPy's ``8.0.1``)
    implementation: str = field(default_factory=implementation_name)
    implementation_version: str = field(default_factory=implementation_version)
    duration_s: float = 0.0
    expected: Dict[str, Any] = field(default_factory=dict)
    observed: Dict[str, Any] = field(default_factory=dict)
    #: fact -> why it did not match (failed cells)
    mismatches: Dict[str, str] = field(default_factory=dict)
    #: one line: why the cell is not passed (exit code, timeout, leftovers, unavailability)
    detail: str = ""
    stderr_tail: str = ""
    stdout_tail: str = ""
    #: facts asserted by a matcher (a bound, ``contains``...): their values may vary run to run
    loose: List[str] = field(default_factory=list)
    #: facts whose expectation on this platform was never observed, only derived from a source (issue 31)
    derived: List[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status in ("passed", "unavailable")

    def to_json(self) -> Dict[str, Any]:
        return asdict(self)
