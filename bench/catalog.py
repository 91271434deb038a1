"""How fast the catalog runs, against its floor: ``python bench/catalog.py [--jobs N] [--quick]``.

Measures in one go, over whatever catalog exists:

(a) the full catalog, one ``mpcheck run`` with default parallelism;
(b) the same cells one by one: ``python -m mpcheck run --scenario S --method M`` in a loop;
(c) the floor: a bare interpreter start-up per cell, plus the start cost of each cell's own
    children (counted per cell, priced per start method), divided by the cores.

and prints (a)/(c) (target <= 1.2 on 2 cores) and (b)/(a) (target >= 1.7). Children are counted
exactly with ``strace -f`` where it exists (Linux); elsewhere the children term is left out and the
floor is the interpreter start-ups alone. The machine's load average is printed too: on a shared
machine every figure here moves with it.

To say where the time goes, it also measures (Linux):

- the CPU of everything (a) started, orphans included (the bench is their subreaper): a run that
  needs X CPU-seconds cannot take less than X / cores;
- (d) the same cells launched by a bare thread pool, at the same parallelism and in (a)'s order,
  with no harness around them: (a)/(d) is what mpcheck's harness costs;
- ``--breakdown``: one more full run in which every process records its own CPU as it exits
  (``bench/cpu_account/sitecustomize.py``), summed by kind: cells, spawn children, fork servers,
  resource trackers...
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
try:
    import mpcheck  # noqa: F401  installed (nox -s bench): measure what users run, compiled bytecode and all

    RUN_DIR = Path(tempfile.gettempdir())  # not the checkout, whose package `python -m` would find first
except ImportError:
    sys.path.insert(0, str(ROOT))
    RUN_DIR = ROOT

from mpcheck.catalog.load import catalog  # noqa: E402
from mpcheck.catalog.report import read_json  # noqa: E402
from mpcheck.engine.launch import cell_env  # noqa: E402
from mpcheck.engine.supervise import JOBS_PER_CORE  # noqa: E402
from mpcheck.expect import METHODS  # noqa: E402
from mpcheck.runtime import current_platform  # noqa: E402

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]

PY = sys.executable
Cell = Tuple[str, str]
ACCOUNT_DIR = ROOT / "bench" / "cpu_account"
PR_SET_CHILD_SUBREAPER = 36
# A process (not a thread) made by the traced interpreters: fork, vfork, clone without CLONE_THREAD.
_CLONE = re.compile(r"\b(clone3?|v?fork)\((.*)\)\s*=\s*(\d+)\s*$")


def _wall(cmd: Sequence[str], **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, cwd=RUN_DIR, **kwargs)
    return time.perf_counter() - start


def _median_wall(cmd: Sequence[str], repeat: int, **kwargs) -> float:
    return statistics.median(_wall(cmd, **kwargs) for _ in range(repeat))


def _load() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


# --- (a) and (b) ------------------------------------------------------------------------------


def full_run(jobs: Optional[int], env: Optional[Dict[str, str]] = None) -> Tuple[float, List[dict], Optional[float]]:
    """Wall time, the report's cells, and the CPU-seconds of every process the run started."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        cmd = [PY, "-m", "mpcheck", "run", "--quiet", "--json", str(out)]
        if jobs:
            cmd += ["--jobs", str(jobs)]
        _reap_orphans()  # earlier stages' (traced runs leave theirs here): not this run's CPU
        before = _children_cpu()
        wall = _wall(cmd, env=env)
        _reap_orphans()
        after = _children_cpu()
        cells = read_json(out)["cells"]  # no report: stop, rather than print figures over nothing
    return wall, cells, None if before is None or after is None else after - before


def one_by_one(cells: Sequence[Cell]) -> float:
    return sum(_wall([PY, "-m", "mpcheck", "run", "--quiet", "--scenario", s, "--method", m]) for s, m in cells)


def direct_run(cells: Sequence[Cell], jobs: int) -> float:
    """(d): the same cell interpreters, launched by a thread pool with nothing else around them."""
    scenarios = catalog()
    tmp = tempfile.mkdtemp()

    def launch(numbered: Tuple[int, Cell]) -> None:
        number, (sid, method) = numbered
        scenario = scenarios[sid]
        subprocess.run(
            _cell_argv(scenario.path, method, scenario.expect.set_method),
            env=cell_env(Path(tmp) / f"{number}.json"), capture_output=True, start_new_session=True,
            check=False, cwd=RUN_DIR, timeout=300,
        )  # fmt: skip

    try:
        start = time.perf_counter()
        with ThreadPoolExecutor(jobs) as pool:
            list(pool.map(launch, enumerate(cells)))
        wall = time.perf_counter() - start
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _reap_orphans()
    return wall


# --- where the CPU goes (Linux) ---------------------------------------------------------------


def _become_subreaper() -> bool:
    """Orphans of a run (fork servers, resource trackers) are re-parented here, so they are waited
    for and their CPU is counted with the rest."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0


def _reap_orphans(limit: float = 10.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.05)


def _children_cpu() -> Optional[float]:
    if resource is None:
        return None
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def breakdown(jobs: Optional[int]) -> Tuple[Dict[str, Tuple[int, float]], Optional[float]]:
    """Kind of process -> (how many, CPU-seconds), from one more full run; and that run's total."""
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "cpu.log"
        env = dict(os.environ, MPCHECK_BENCH_CPU_LOG=str(log))
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ACCOUNT_DIR), env.get("PYTHONPATH")) if p)
        _, _, total = full_run(jobs, env=env)
        kinds: Dict[str, Tuple[int, float]] = {}
        for line in log.read_text().splitlines() if log.exists() else []:
            kind, _, seconds = line.partition("\t")
            count, cpu = kinds.get(kind, (0, 0.0))
            kinds[kind] = (count + 1, cpu + float(seconds))
    return kinds, total


# --- (c) the floor ----------------------------------------------------------------------------


def _traced_children(argv: Sequence[str], env: Dict[str, str], strace: str) -> int:
    """Processes started by ``argv`` and all its descendants, counted from strace's log."""
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "trace"
        subprocess.run(
            [strace, "-f", "-qq", "-e", "trace=clone,clone3,fork,vfork", "-o", str(log), *argv],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=RUN_DIR, check=False, timeout=300,
        )  # fmt: skip
        count = 0
        for line in log.read_text(errors="replace").splitlines():
            found = _CLONE.search(line)
            if found and "CLONE_THREAD" not in found.group(2):
                count += 1
    return count


def _cell_argv(path: Path, method: str, set_method: bool) -> List[str]:
    return [PY, "-m", "mpcheck.engine.cell", str(path), method, "1" if set_method else "0", "0"]


def census(cells: Sequence[Cell], strace: str) -> Dict[Cell, int]:
    """How many processes each cell's scenario starts (children, forkserver, resource tracker...)."""
    scenarios = catalog()
    counts: Dict[Cell, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for sid, method in cells:
            scenario = scenarios[sid]
            env = cell_env(Path(tmp) / "result.json")
            counts[(sid, method)] = _traced_children(
                _cell_argv(scenario.path, method, scenario.expect.set_method), env, strace
            )
    return counts


#: What a tutorial scenario imports before it starts anything (a Queue, a Lock): paid by every cell.
IMPORTS = "import multiprocessing, multiprocessing.queues, multiprocessing.synchronize"

PROBE = """
import sys
from multiprocessing import get_context
def nothing():
    pass
if __name__ == "__main__":
    ctx = get_context(sys.argv[1])
    for _ in range(int(sys.argv[2])):
        p = ctx.Process(target=nothing)
        p.start()
        p.join()
"""


def child_cost(method: str, strace: Optional[str], repeat: int) -> float:
    """Seconds per process a start method costs: a script starting 2 children against one starting none.

    Divided by the processes actually made (under forkserver: the server and the resource
    tracker too), so it prices the method's own mix of processes, as a scenario pays it.
    """
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "probe.py"
        script.write_text(PROBE)
        with_two = _median_wall([PY, str(script), method, "2"], repeat)
        with_none = _median_wall([PY, str(script), method, "0"], repeat)
        made = _traced_children([PY, str(script), method, "2"], dict(os.environ), strace) if strace else 2
    return max(with_two - with_none, 0.0) / max(made, 1)


# --- main ---------------------------------------------------------------------------------------


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, help="passed to the full run (default: mpcheck's own default)")
    parser.add_argument("--repeat", type=int, default=7, help="runs of each start-up measurement (median)")
    parser.add_argument("--quick", action="store_true", help="skip (b), the one-by-one loop")
    parser.add_argument("--breakdown", action="store_true", help="one more run, its CPU summed by process kind")
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)

    scenarios = catalog()
    methods = list(METHODS)
    cells: List[Cell] = [(s, m) for s in scenarios for m in methods]
    strace = shutil.which("strace") if current_platform() == "linux" else None
    reaping = _become_subreaper()
    python = sys.version.split()[0]
    print(f"catalog: {len(scenarios)} scenarios, {len(cells)} cells; {args.cores} cores; Python {python}")
    print(f"load average before: {_load()}")

    wall_a, results, cpu_a = full_run(args.jobs)
    statuses: Dict[str, int] = {}
    for r in results:
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    print(f"(a) full catalog:       {wall_a:7.1f} s   ({', '.join(f'{n} {s}' for s, n in sorted(statuses.items()))};"
          f" sum of cell durations {sum(r['duration_s'] for r in results):.1f} s)")  # fmt: skip
    if cpu_a is not None:
        print(f"    its processes used {cpu_a:.1f} CPU-s{'' if reaping else ' (orphans not counted)'}:"
              f" on {args.cores} cores no schedule finishes in under {cpu_a / args.cores:.1f} s")  # fmt: skip
    ran = [(r["scenario"], r["method"]) for r in results if r["status"] != "unavailable"]

    wall_b = None if args.quick else one_by_one(cells)
    if wall_b is not None:
        print(f"(b) one by one:         {wall_b:7.1f} s")

    jobs = args.jobs or JOBS_PER_CORE * (os.cpu_count() or 1)
    in_a_order = [(r["scenario"], r["method"]) for r in sorted(results, key=lambda r: -r["duration_s"])]
    wall_d = direct_run(in_a_order, jobs)
    print(f"(d) no harness:         {wall_d:7.1f} s   (the same cell interpreters, {jobs} at a time, slowest first)")

    bare = _median_wall([PY, "-c", "pass"], args.repeat)
    imports = _median_wall([PY, "-c", IMPORTS], args.repeat) - bare
    costs = {m: child_cost(m, strace, args.repeat) for m in methods}
    counts = census(ran, strace) if strace else {}
    children = sum(n * costs[m] for (_, m), n in counts.items())
    floor = (len(ran) * bare + children) / args.cores
    print(f"(c) floor:              {floor:7.1f} s   = ({len(ran)} cells x {bare * 1000:.0f} ms bare start-up"
          f" + {children:.1f} s for {sum(counts.values())} child processes) / {args.cores} cores")  # fmt: skip
    print("    per child process: " + ", ".join(f"{m} {c * 1000:.0f} ms" for m, c in costs.items())
          + ("" if strace else "  (no strace: children not counted)"))  # fmt: skip
    with_imports = floor + len(ran) * imports / args.cores
    print(f"    not in it: each cell's own import of multiprocessing, {imports * 1000:.0f} ms;"
          f" with it the floor is {with_imports:.1f} s")  # fmt: skip

    if args.breakdown:
        kinds, total = breakdown(args.jobs)
        print("where the CPU goes (one more full run; each process records its own CPU as it exits):")
        for kind, (count, cpu) in sorted(kinds.items(), key=lambda item: -item[1][1]):
            print(f"    {kind:24} {count:4} x {cpu / count * 1000:6.1f} ms = {cpu:6.2f} s")
        if total is not None:
            rest = total - sum(cpu for _, cpu in kinds.values())
            print(
                f"    {'not recorded':28}                 {rest:6.2f} s  (killed by a signal; the kernel's exit work)"
            )

    print(f"load average after:  {_load()}")
    print(f"(a)/(c) = {wall_a / floor:.2f}   (target <= 1.2)")
    if wall_b is not None:
        print(f"(b)/(a) = {wall_b / wall_a:.2f}   (target >= 1.7)")
    print(f"(a)/(d) = {wall_a / wall_d:.2f}   (what the harness adds to the cells themselves)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
