"""How fast ``mpcheck lint`` is, against flake8 on the same files: ``python bench/lint.py [--stdlib DIR]``;
how much memory and time it takes on a large tree: ``python bench/lint.py --tree DIR [DIR ...]``.

Lints every ``.py`` file of an installed CPython standard library (default: the running
interpreter's; ``site-packages`` is skipped, as ``mpcheck lint`` skips it) that parses as ordinary
code: the test data that does not (Python 2 files, bad encodings) is left out of both runs and
counted. Then, in one run and on the same file list:

- ``python -m mpcheck lint FILES`` (one process: mpcheck does not parallelise);
- ``python -m flake8 FILES`` with its default checks and default parallelism (``--jobs=auto``);
- ``python -m flake8 --jobs=1 FILES``, the same work on one core, the like-for-like comparison.

It prints each wall time, files per second, the CPU seconds each used (the figure a loaded machine
disturbs least), mpcheck's peak memory (its maximum resident set, as ``/usr/bin/time -v`` gives it:
the run keeps only the trees its rules read), the ratios, and every mpcheck finding (each deserves a
verdict in docs/performance.md: a real pitfall or a false positive). flake8 must be installed
(``nox -s bench_lint`` installs it).

With ``--tree``, the folders are linted as they are, as one program (``mpcheck lint --preview --format
json DIR...``: every file the command finds, those that do not parse included), ``--repeat`` times, and
only mpcheck runs: it prints the files seen and analysed, and per run the wall time, the CPU seconds and
the peak memory (each run in its own process, measured with ``/usr/bin/time -v`` where it exists,
``getrusage`` otherwise), and the SHA-256 of the JSON output (the same tree must give the same bytes).
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path
from typing import List, Sequence, Tuple

from mpcheck.lint.discover import python_files


def parseable(files: Sequence[Path]) -> Tuple[List[Path], List[Path]]:
    ok, bad = [], []
    for f in files:
        try:
            ast.parse(f.read_bytes(), filename=str(f))
        except (SyntaxError, ValueError):
            bad.append(f)
        else:
            ok.append(f)
    return ok, bad


def timed(argv: Sequence[str]) -> Tuple[float, float, subprocess.CompletedProcess]:
    """Wall seconds, CPU seconds (user + system, of the command and its children) and the result."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done


def peak_of(argv: Sequence[str]) -> Tuple[float, float, float, subprocess.CompletedProcess]:
    """Wall seconds, CPU seconds and peak memory (MiB) of one run of ``argv`` in a process of its own."""
    timer = shutil.which("time") if sys.platform.startswith("linux") else None
    if timer is None:  # getrusage: the largest child so far, this one when it is the largest
        wall, cpu, done = timed(argv)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        return wall, cpu, peak / (1024 * (1024 if sys.platform == "darwin" else 1)), done
    start = time.perf_counter()
    done = subprocess.run([timer, "-v", *argv], capture_output=True, text=True)
    wall = time.perf_counter() - start

    def field(name: str) -> float:
        found = re.search(rf"{re.escape(name)}: ([0-9.]+)", done.stderr)
        return float(found.group(1)) if found else float("nan")

    cpu = field("User time (seconds)") + field("System time (seconds)")
    return wall, cpu, field("Maximum resident set size (kbytes)") / 1024, done


def tree(folders: Sequence[Path], repeat: int) -> int:
    """Lint ``folders`` as one program ``repeat`` times: files, wall, CPU, peak memory, output hash."""
    argv = [sys.executable, "-m", "mpcheck", "lint", "--preview", "--format", "json", *map(str, folders)]
    print(" ".join(f.as_posix() for f in folders))
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for n in range(repeat):
        wall, cpu, peak, done = peak_of(argv)
        if done.returncode not in (0, 1):
            print(f"mpcheck lint failed ({done.returncode}): {done.stderr.strip()[-300:]}")
            return 2
        report = json.loads(done.stdout)
        summary = report.get("summary", {})
        if n == 0:
            print(f"files seen {summary.get('files')}, using a process library {summary.get('process_files')}, "
                  f"analysed {summary.get('analysed')}; {len(report['findings'])} findings")  # fmt: skip
        digest = hashlib.sha256(done.stdout.encode()).hexdigest()[:16]
        print(f"run {n + 1}: {wall:7.1f} s wall {cpu:7.1f} CPU-s   peak memory {peak:6.0f} MiB   output {digest}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stdlib", type=Path, default=Path(sysconfig.get_paths()["stdlib"]))
    parser.add_argument("--tree", type=Path, nargs="+", help="lint these folders as one program (mpcheck only)")
    parser.add_argument("--repeat", type=int, default=1, help="with --tree: how many runs")
    args = parser.parse_args(argv or None)
    if args.tree:
        return tree(args.tree, args.repeat)
    files, skipped = parseable(list(python_files([args.stdlib])))
    names = [str(f) for f in files]
    cores = os.cpu_count() or 1
    print(f"{args.stdlib}: {len(files)} files ({len(skipped)} more do not parse and are left out); {cores} cores")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    mp_time, mp_cpu, mp_run = timed([sys.executable, "-m", "mpcheck", "lint", "--preview", "--format", "json", *names])
    # the largest resident set of any child waited for so far: mpcheck's, the first (KiB on Linux, bytes on macOS)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / (1024 * (1024 if sys.platform == "darwin" else 1))
    if mp_run.returncode not in (0, 1):
        print(f"mpcheck lint failed ({mp_run.returncode}): {mp_run.stderr.strip()}")
        return 2
    findings = json.loads(mp_run.stdout)["findings"]
    f8_time, f8_cpu, f8_run = timed([sys.executable, "-m", "flake8", *names])
    if f8_run.returncode not in (0, 1):
        print(f"flake8 failed ({f8_run.returncode}): {f8_run.stderr.strip()[-300:]}")
        return 2
    f8_one_time, f8_one_cpu, _ = timed([sys.executable, "-m", "flake8", "--jobs=1", *names])
    flake8_findings = len(f8_run.stdout.splitlines())

    def row(name: str, seconds: float, cpu: float, extra: str) -> str:
        rate = len(files) / seconds
        return f"{name:<22} {seconds:7.1f} s wall {rate:6.0f} files/s   {cpu:7.1f} CPU-s   {extra}"

    print(row("mpcheck lint", mp_time, mp_cpu, f"{len(findings)} findings, peak memory {peak:.0f} MiB"))
    print(row("flake8 (--jobs=auto)", f8_time, f8_cpu, f"{flake8_findings} findings"))
    print(row("flake8 --jobs=1", f8_one_time, f8_one_cpu, ""))
    print(f"flake8 / mpcheck, wall: {f8_time / mp_time:.1f}x (auto jobs), {f8_one_time / mp_time:.1f}x (one core each)")
    print(f"flake8 / mpcheck, CPU:  {f8_cpu / mp_cpu:.1f}x (auto jobs), {f8_one_cpu / mp_cpu:.1f}x (one core each)")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("mpcheck findings:")
    for f in findings:
        print(f"  {f['path']}:{f['line']}:{f['col']}: {f['code']} {f['message']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
