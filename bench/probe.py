"""What explanations add to ``mpcheck probe``: ``python bench/probe.py [--rounds R] [--repeat N]``.

Probes a small script that differs between the start methods (logging configured in the main block
only, so a diagnosis is made, lint included) two ways, interleaved round by round so the machine's
load moves both alike:

(a) ``mpcheck probe SCRIPT`` as users run it: the runs, the comparison, the diagnosis (lint of the
    script, the pitfall table) and the output;
(b) the same command with the diagnosis switched off in that process (``mpcheck.probe.diagnose`` and
    ``lint_findings`` replaced by no-ops), which is what the probe did before it explained anything.

Prints the medians and (a)/(b) (goal: <= 1.2).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List

SCRIPT = """
import logging
from multiprocessing import Process


def work():
    logging.info("working")


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    p = Process(target=work)
    p.start()
    p.join()
"""

WITHOUT = (
    "import sys, mpcheck.probe as p; "
    "p.diagnose = lambda *a, **k: []; p.lint_findings = lambda *a, **k: []; "
    "from mpcheck.cli import main; sys.exit(main(sys.argv[1:]))"
)


def timed(cmd: List[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 1:  # the script differs: the probe exits 1
        raise SystemExit(f"{' '.join(cmd)} exited {done.returncode}: {done.stderr.strip()[-500:]}")
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="the probe's runs per method")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "job.py").write_text(SCRIPT, encoding="utf-8")
        probe = ["probe", "job.py", "--repeat", str(args.repeat)]
        commands = {
            "with explanations": [sys.executable, "-m", "mpcheck", *probe],
            "without": [sys.executable, "-c", WITHOUT, *probe],
        }
        out = subprocess.run(commands["with explanations"], cwd=folder, capture_output=True, text=True).stdout
        if "likely cause MP105" not in out:
            raise SystemExit(f"the probe named no cause, nothing to measure:\n{out}")
        times: Dict[str, List[float]] = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, cmd in commands.items():
                times[name].append(timed(cmd, folder))
    medians = {name: statistics.median(t) for name, t in times.items()}
    print(f"mpcheck probe of a 13-line script, {args.repeat} run(s) per method, {args.rounds} interleaved rounds")
    for name, t in times.items():
        print(f"  {name:<18} median {medians[name]:6.2f} s   ({', '.join(f'{x:.2f}' for x in t)})")
    ratio = medians["with explanations"] / medians["without"]
    print(f"  with / without: {ratio:.3f}  (goal <= 1.2)")


if __name__ == "__main__":
    main()
