"""What the sanitizer costs: ``python bench/sanitize.py [--rounds R]``.

In one run, interleaved round by round (so the machine's load moves them alike), each twice: without
the sanitizer, and with it (``$MPCHECK_SANITIZE`` naming a folder, as ``mpcheck sanitize`` and
``pytest --mp-sanitize`` set it: every Python process of the command is watched):

(a) a program: a Pool mapping 400 tasks, a ProcessPoolExecutor, and 8 Processes with a Queue; twice: with
    tasks that do nothing (the program runs in about 0.1 s: what is left is the sanitizer's fixed cost)
    and with tasks that work (about 0.4 s on a 2-core machine);
(b) a test suite: 200 tests, 10 of which start processes (``python -m pytest -q``).

It prints the medians and the ratios with / without (goal <= 1.15), in wall time and in CPU time (user +
system of the command and the processes it waited for: what a loaded machine disturbs least), then the cost
when it is off: the ``.pth`` line every Python start runs, timed in-process with the variable unset, against
a bare ``python -c pass``.

``--against PYTHON`` times the short program with another environment's Python too (one with an earlier
mpcheck installed), in the same rounds: a before/after comparison in one run.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Mapping, Optional

from timing import hook_cost, medians, timed

PROGRAM = """
import multiprocessing
from concurrent.futures import ProcessPoolExecutor


WORK = {work}


def square(x):
    sum(range(WORK))  # the task's own work
    return x * x


def child(q, i):
    q.put(i)


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        assert sum(pool.map(square, range(400))) == sum(x * x for x in range(400))
    with ProcessPoolExecutor(2) as ex:
        assert list(ex.map(square, range(50))) == [x * x for x in range(50)]
    q = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=child, args=(q, i)) for i in range(8)]
    for p in procs:
        p.start()
    got = sorted(q.get() for _ in procs)
    for p in procs:
        p.join()
    assert got == list(range(8))
"""

TEST_PROCESS = """
import multiprocessing


def nothing():
    pass


def test_{i}():
    p = multiprocessing.Process(target=nothing)
    p.start()
    p.join()
    assert p.exitcode == 0
"""

TEST_PLAIN = """
def test_{i}():
    assert sum(range(20_000)) == 199_990_000
"""


def cpu_timed(cmd: List[str], cwd: Path, env: Mapping[str, str], cpu: List[float]) -> float:
    """Wall seconds of one run (see :func:`timing.timed`); its CPU seconds, children included, go to ``cpu``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = timed(cmd, cwd, env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return wall


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--against", metavar="PYTHON", help="another environment's Python, for the short program")
    args = parser.parse_args(argv)
    base = {k: v for k, v in os.environ.items() if not k.startswith("MPCHECK_")}
    names = ("short program", "long program", "suite") + (("short program (against)",) if args.against else ())
    times: Dict[str, List[float]] = {k: [] for name in names for k in (name, f"{name}+sanitizer")}
    cpu: Dict[str, List[float]] = {k: [] for k in times}
    with tempfile.TemporaryDirectory(prefix="mpcheck-bench-sanitize-") as tmp:
        root = Path(tmp)
        (root / "short.py").write_text(PROGRAM.replace("{work}", "0"))
        (root / "long.py").write_text(PROGRAM.replace("{work}", "100_000"))
        suite = root / "suite"
        suite.mkdir()
        (suite / "pytest.ini").write_text("[pytest]\n")
        for i in range(200):
            (suite / f"test_{i:03d}.py").write_text((TEST_PROCESS if i % 20 == 0 else TEST_PLAIN).format(i=i))
        tests = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        for r in range(args.rounds):
            watched = root / f"watched-{r}"
            watched.mkdir()
            on = dict(base, MPCHECK_SANITIZE=str(watched))
            runs = [("short program", sys.executable, "short.py"), ("long program", sys.executable, "long.py")]
            if args.against:
                runs.insert(1, ("short program (against)", args.against, "short.py"))
            for name, python, script in runs:
                times[name].append(cpu_timed([python, script], root, base, cpu[name]))
                times[f"{name}+sanitizer"].append(cpu_timed([python, script], root, on, cpu[f"{name}+sanitizer"]))
            times["suite"].append(cpu_timed(tests, suite, base, cpu["suite"]))
            times["suite+sanitizer"].append(cpu_timed(tests, suite, on, cpu["suite+sanitizer"]))
    print(f"{args.rounds} interleaved rounds; Python {sys.version.split()[0]}; {os.cpu_count()} cores; "
          f"load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    median = medians(times)
    cpu_median = {k: statistics.median(v) for k, v in cpu.items()}
    for what in names:
        ratio = median[f"{what}+sanitizer"] / median[what]
        extra = (median[f"{what}+sanitizer"] - median[what]) * 1000
        cpu_ratio = cpu_median[f"{what}+sanitizer"] / cpu_median[what]
        cpu_extra = (cpu_median[f"{what}+sanitizer"] - cpu_median[what]) * 1000
        print(f"  {what} with / without the sanitizer: {ratio:.3f} ({extra:+.0f} ms; goal <= 1.15); "
              f"CPU {cpu_ratio:.3f} ({cpu_extra:+.0f} ms)")  # fmt: skip
    per_line, startup = hook_cost()
    print(f"  off: the .pth line costs {per_line * 1e6:.2f} µs per interpreter start "
          f"({per_line / startup * 100:.4f} % of a bare `python -c pass`, {startup * 1000:.1f} ms here)")  # fmt: skip


if __name__ == "__main__":
    main()
