"""What ``mpcheck suite`` adds to running a suite: ``python bench/suite.py [--shape S] [--tests N] [--rounds R]``.

``--shape realistic``: a suite of a few hundred tests (default 300) of which a few percent (``--share``,
default 3 %) start a process, the others a little work each, as real suites are. Timed in interleaved
rounds: one plain ``pytest`` run of it (no method forced), ``mpcheck suite --sequential`` and ``mpcheck
suite --parallel`` (the default where 2 CPUs are usable); printed with the ratio suite / plain (goal <=
1.3: the first method runs everything under the sanitizer, the others only the tests that start
processes).

``--shape waiting`` (the default): every test starts a process, so every method runs every test.
Measures in one go, on a generated suite whose tests mostly wait (each sleeps, and starts one process
through the default context) and all agree (so nothing is rerun):

(a) by hand: ``pytest --mp-start-method=M`` once per start method, one after another;
(b) ``mpcheck suite --sequential`` (the methods one after another);
(c) ``mpcheck suite --parallel`` (the first method, then the others at once: the default where 2 CPUs
    are usable) and ``--parallel --all-tests``
    (every method at once: what --parallel did before the exposure filter);
(d) the ``.pth`` start-up hook: ``python -c pass`` with ``MPCHECK_START_METHOD`` unset, against the
    same with the hook's one line removed from the measurement (``-S`` is not comparable: it skips
    every .pth), by timing the line itself in-process.

Rounds are interleaved (a, b, c, a, b, c, ...) so the machine's load moves them alike; medians are
printed with the ratios b/a (goal <= 1.05) and c/a (goal <= 0.6 on 2 cores).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Dict, List

from timing import hook_cost, medians, timed

TEST = """
import multiprocessing
import time


def nothing():
    pass


def test_{i}():
    time.sleep({sleep})
    p = multiprocessing.Process(target=nothing)
    p.start()
    p.join()
    assert p.exitcode == 0
"""


PLAIN = """
import time


def test_{i}():
    time.sleep({sleep})
    assert sum(range(20_000)) == 199_990_000
"""


def make_suite(folder: Path, tests: int, sleep: float, share: float = 1.0) -> int:
    """The generated suite; how many of its tests start a process (spread evenly through it)."""
    (folder / "pytest.ini").write_text("[pytest]\n")
    every = max(1, round(1 / share)) if share > 0 else tests + 1
    starting = 0
    for i in range(tests):
        starts = i % every == 0
        starting += starts
        (folder / f"test_{i:03d}.py").write_text((TEST if starts else PLAIN).format(i=i, sleep=sleep))
    return starting


def realistic(args: argparse.Namespace) -> None:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    # bytecode cached, as in a user's environment (not where $PYTHONDONTWRITEBYTECODE says otherwise)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MPCHECK_") and k != "PYTHONDONTWRITEBYTECODE"}
    plain_cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    suite_cmd = [sys.executable, "-m", "mpcheck", "suite"]
    times: Dict[str, List[float]] = {"plain_pytest": [], "suite": [], "suite_parallel": []}
    with tempfile.TemporaryDirectory(prefix="mpcheck-bench-suite-") as tmp:
        folder = Path(tmp)
        starting = make_suite(folder, args.tests, args.sleep, args.share)
        timed(plain_cmd, folder, env)  # the bytecode cache: pytest's rewritten test modules
        for _ in range(args.rounds):
            times["plain_pytest"].append(timed(plain_cmd, folder, env))
            times["suite"].append(timed([*suite_cmd, "--sequential", "--", "-p", "no:cacheprovider"], folder, env))
            times["suite_parallel"].append(
                timed([*suite_cmd, "--parallel", "--", "-p", "no:cacheprovider"], folder, env)
            )
    print(f"{args.tests} tests, {starting} of them start a process ({', '.join(methods)}); each test waits "
          f"{args.sleep:g} s; {args.rounds} interleaved rounds; {os.cpu_count()} cores; "
          f"load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    median = medians(times)
    sequential = median["suite"] / median["plain_pytest"]
    print(f"  mpcheck suite --sequential / one plain pytest: {sequential:.3f}  (goal <= 1.3)")
    print(f"  mpcheck suite --parallel / one plain pytest:   {median['suite_parallel'] / median['plain_pytest']:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", choices=("waiting", "realistic"), default="waiting")
    parser.add_argument("--tests", type=int, help="default: 30 (waiting), 300 (realistic)")
    parser.add_argument("--sleep", type=float, help="seconds each test waits (default: 0.2 waiting, 0.01 realistic)")
    parser.add_argument("--share", type=float, default=0.03, help="realistic: the share of tests that start a process")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.shape == "realistic":
        args.tests = args.tests or 300
        args.sleep = 0.01 if args.sleep is None else args.sleep
        realistic(args)
        return
    args.tests = args.tests or 30
    args.sleep = 0.2 if args.sleep is None else args.sleep
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    pytest_cmd = [sys.executable, "-m", "mpcheck.suite.pytest_command", "-q", "-p", "no:cacheprovider"]
    suite_cmd = [sys.executable, "-m", "mpcheck", "suite"]
    times: Dict[str, List[float]] = {"by_hand": [], "suite": [], "suite_parallel": [], "all_parallel": []}
    with tempfile.TemporaryDirectory(prefix="mpcheck-bench-suite-") as tmp:
        folder = Path(tmp)
        make_suite(folder, args.tests, args.sleep)
        rest = ["--", "-p", "no:cacheprovider"]
        for _ in range(args.rounds):
            times["by_hand"].append(sum(timed([*pytest_cmd, f"--mp-start-method={m}"], folder) for m in methods))
            times["suite"].append(timed([*suite_cmd, "--sequential", *rest], folder))
            times["suite_parallel"].append(timed([*suite_cmd, "--parallel", *rest], folder))
            times["all_parallel"].append(timed([*suite_cmd, "--parallel", "--all-tests", *rest], folder))
    print(f"{args.tests} tests × {len(methods)} methods ({', '.join(methods)}), each test waits {args.sleep:g} s and "
          f"starts one process; {args.rounds} interleaved rounds; {os.cpu_count()} cores; "
          f"load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    median = medians(times)
    print(f"  mpcheck suite --sequential / by hand: {median['suite'] / median['by_hand']:.3f}  (goal <= 1.05)")
    print(f"  mpcheck suite --parallel / by hand:   {median['suite_parallel'] / median['by_hand']:.3f}")
    all_parallel = median["all_parallel"] / median["by_hand"]
    print(f"  mpcheck suite --parallel --all-tests / by hand: {all_parallel:.3f}  (goal <= 0.6)")
    per_line, startup = hook_cost()
    print(f"  .pth hook, variable unset: {per_line * 1e6:.2f} µs per interpreter start "
          f"({per_line / startup * 100:.4f} % of a bare `python -c pass`, {startup * 1000:.1f} ms here)")  # fmt: skip


if __name__ == "__main__":
    main()
