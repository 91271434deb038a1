"""How many worker processes ``ProcessPoolExecutor(4)`` has after one task: 4 under fork, 1 otherwise.

Since 3.9 the executor starts workers on demand, one per submit while none is idle (bpo-39207).
Under fork that meant forking from a process whose executor-manager thread was already running, which
can deadlock the child; so with a fork context the executor now starts all ``max_workers`` processes
up front, at the first submit, before its thread starts (gh-90622, GH-91598: 3.11.0, backported to
3.10.5 (GH-92497) and 3.9.13). Under spawn and forkserver the children are fresh interpreters and
workers are still started on demand: one task, one worker. Before 3.9.13 / 3.10.5 fork was on demand
too (not runnable here: reasoned from those changelogs).
"""

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from mpcheck.expect import Expect, by_method, since
from mpcheck.facts import report

MAX_WORKERS = 4
# gh-90622: fork starts every worker up front from 3.9.13 and 3.10.5 (so 3.11.0 on); on demand before.
FORK_WORKERS = since("3.10.5", MAX_WORKERS, since("3.10", 1, since("3.9.13", MAX_WORKERS, 1)))

EXPECT = Expect(
    facts={
        "result": 42,
        "worker_processes": by_method(fork=FORK_WORKERS, default=1),
    }
)


def answer():
    return 42, os.getpid()


if __name__ == "__main__":
    with ProcessPoolExecutor(MAX_WORKERS) as executor:
        result, worker = executor.submit(answer).result(timeout=30)
        alive = multiprocessing.active_children()
        print(f"one task done by {worker}; worker processes now: {sorted(p.pid for p in alive)}")
    report(result=result, worker_processes=len(alive))
