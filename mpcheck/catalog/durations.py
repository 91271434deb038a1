"""Remembered cell durations, so a run can start its slowest cells first.

With cells of very different lengths, a slow cell started last leaves the other cores idle at the
end of the run. Durations are kept per Python version in the user's cache folder; a cell never seen
is assumed slow (it is scheduled early, which costs nothing when it turns out fast).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Dict, Iterable

if TYPE_CHECKING:
    from .results import CellResult

UNKNOWN = 10.0  # seconds assumed for a cell never timed


def _path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mpcheck" / f"durations-py{sys.version_info[0]}.{sys.version_info[1]}.json"


def load() -> Dict[str, float]:
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: float(v) for k, v in data.items() if isinstance(v, (int, float))} if isinstance(data, dict) else {}


def estimate(known: Dict[str, float], scenario: str, method: str) -> float:
    return known.get(f"{scenario}/{method}", UNKNOWN)


def save(known: Dict[str, float], results: Iterable[CellResult]) -> None:
    updated = dict(known)
    for r in results:
        if r.status in ("passed", "failed", "crashed", "timeout"):
            updated[f"{r.scenario}/{r.method}"] = r.duration_s
    path = _path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(updated, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home only costs the scheduling order
