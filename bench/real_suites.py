"""What ``mpcheck suite`` costs on real projects' suites: ``python bench/real_suites.py [--rounds R] DIR[::ARGS] ...``.

Each DIR is a project's source tree with its tests (an sdist unpacked: ``pip download --no-deps --no-binary
:all: NAME``), installed in this Python with its test dependencies; ``::ARGS`` are pytest's arguments
(space-separated) where the suite is not found by a bare ``pytest``. Each suite is run whole, once first
to warm the bytecode cache, then in interleaved rounds (plain ``pytest``, ``mpcheck suite --sequential``,
``mpcheck suite`` as it runs by default, next project, ...) so the machine's load moves them alike.
Printed: the medians and the ratios to one plain run (goal: <= 1.5 where half the tests start
processes, <= 1.15 where few do), the share of tests that used a process, the load average at the start
and the end, and the median CPU seconds of each command's process tree (what a busy machine's wall time
follows).

``--before PYTHON``: another Python, with the same projects and an earlier mpcheck installed; its
``mpcheck suite`` (as it runs by default) is timed in the same rounds, so a change is measured against
what it replaces under the same load (``--before-label`` names it, e.g. the commit).

A real suite may fail some tests and differ between methods: pytest's exit codes 0 and 1 and mpcheck
suite's 0, 1 and 3 are results here, anything else stops the benchmark.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from timing import medians

#: CPU seconds of each command's process tree (every process it waited for), by project and mode
CPU: Dict[Tuple[str, str], List[float]] = {}


def _tree_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timed(
    cmd: Sequence[str], cwd: Path, env: Dict[str, str], ok: Sequence[int], key: Tuple[str, str] = ("", "")
) -> float:
    start, cpu = time.perf_counter(), _tree_cpu()
    done = subprocess.run(list(cmd), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    CPU.setdefault(key, []).append(_tree_cpu() - cpu)
    if done.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd)} in {cwd} exited {done.returncode}: {done.stderr.strip()[-500:]}")
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("projects", nargs="+", metavar="DIR[::ARGS]")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", metavar="PYTHON", help="a Python with an earlier mpcheck, timed alike")
    parser.add_argument("--before-label", default="before", metavar="NAME", help="what --before is (a commit)")
    args = parser.parse_args()
    # bytecode cached, as in a user's environment: not where $PYTHONDONTWRITEBYTECODE says otherwise (pytest
    # then parses and rewrites every test module, and every module of a plugin's package, at every session)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MPCHECK_") and k != "PYTHONDONTWRITEBYTECODE"}
    projects: List[Tuple[str, Path, List[str]]] = []
    for spec in args.projects:
        folder, _, extra = spec.partition("::")
        path = Path(folder).resolve()
        projects.append((path.name, path, extra.split()))
    plain = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    suite = [sys.executable, "-m", "mpcheck", "suite"]
    before = [args.before, "-m", "mpcheck", "suite"] if args.before else None
    modes = ["plain", "sequential", "default"] + ([args.before_label] if before else [])
    times: Dict[str, Dict[str, List[float]]] = {name: {mode: [] for mode in modes} for name, _, _ in projects}
    load_start = os.getloadavg()[0]
    shares: Dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="mpcheck-bench-real-") as tmp:
        for name, path, extra in projects:  # warm the bytecode cache; what the suite saw
            report = Path(tmp) / f"{name}.json"
            timed([*plain, *extra], path, env, (0, 1))
            timed([*suite, "--json", str(report), "--", "-p", "no:cacheprovider", *extra], path, env, (0, 1, 3))
            if before:
                timed([*before, "--", "-p", "no:cacheprovider", *extra], path, env, (0, 1, 3))
            data = json.loads(report.read_text())
            total = len(data["tests"])
            used = sum(1 for t in data["tests"] if any(any(e.values()) for e in t["exposure"].values()))
            shares[name] = (
                f"{total} tests, {used} used a process ({100 * used / max(total, 1):.0f} %): {data['summary']}"
            )
        for _ in range(args.rounds):
            for name, path, extra in projects:
                commands = {
                    "plain": ([*plain, *extra], (0, 1)),
                    "sequential": ([*suite, "--sequential", "--", "-p", "no:cacheprovider", *extra], (0, 1, 3)),
                    "default": ([*suite, "--", "-p", "no:cacheprovider", *extra], (0, 1, 3)),
                }
                if before:
                    commands[args.before_label] = ([*before, "--", "-p", "no:cacheprovider", *extra], (0, 1, 3))
                for mode, (cmd, ok) in commands.items():
                    times[name][mode].append(timed(cmd, path, env, ok, (name, mode)))
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"{args.rounds} interleaved rounds; {cpus} usable CPUs; load average {load_start:.2f} at the start, "
        f"{os.getloadavg()[0]:.2f} at the end"
    )
    for name, _, _ in projects:
        print(f"{name}: {shares[name]}")
        median = medians(times[name])
        cpu = {mode: statistics.median(CPU[(name, mode)]) for mode in modes}
        print("  CPU s (median): " + ", ".join(f"{mode} {cpu[mode]:.2f}" for mode in modes))
        ratios = [f"suite --sequential / plain {median['sequential'] / median['plain']:.2f}"]
        ratios.append(f"suite (default) / plain {median['default'] / median['plain']:.2f}")
        if before:
            ratios.append(f"{args.before_label} (default) / plain {median[args.before_label] / median['plain']:.2f}")
        print("  " + "; ".join(ratios))
        print("  CPU / plain: " + ", ".join(f"{mode} {cpu[mode] / cpu['plain']:.2f}" for mode in modes[1:]))


if __name__ == "__main__":
    main()
