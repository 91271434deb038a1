"""What bench/suite.py and bench/sanitize.py share: timing a command, printing medians, the hook's cost."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
import timeit
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Tuple


def timed(cmd: List[str], cwd: Path, env: Optional[Mapping[str, str]] = None) -> float:
    """Wall seconds of one run of ``cmd``; the benchmark stops (with the command's stderr) if it fails."""
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {done.returncode}: {done.stderr.strip()[-500:]}")
    return wall


def medians(times: Dict[str, List[float]]) -> Dict[str, float]:
    """Print each measurement's median and its rounds; return the medians."""
    median = {k: statistics.median(v) for k, v in times.items()}
    width = max(len(k) for k in times)
    for name, values in times.items():
        print(f"  {name:<{width}} median {median[name]:6.2f} s   ({', '.join(f'{v:.2f}' for v in values)})")
    return median


def hook_cost() -> Tuple[float, float]:
    """Seconds the installed ``.pth`` line costs an interpreter start with mpcheck's variables unset, and
    seconds of a bare ``python -c pass`` here (timing the line itself: ``-S`` would skip every .pth)."""
    line = (Path(__file__).resolve().parent.parent / "mpcheck_start_method.pth").read_text(encoding="utf-8")
    code = compile(line, "<pth>", "exec")  # the installed hook's one line, as site runs it
    saved = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("MPCHECK_")}
    try:
        n = 100_000
        per_line = min(timeit.repeat(lambda: exec(code, {}), number=n, repeat=5)) / n
        start = time.perf_counter()
        for _ in range(20):
            subprocess.run([sys.executable, "-c", "pass"], check=True)
        startup = (time.perf_counter() - start) / 20
    finally:
        os.environ.update(saved)
    return per_line, startup
